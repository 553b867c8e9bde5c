// Invokes (data sources) answered without a provider: common ones with placeholders shaped like
// their real results, the rest with {}; each answered token is a warning.
import { isPlainObject } from "../../policies/base/values";
import { Warnings } from "./warnings";

const ZERO_UUID = "00000000-0000-0000-0000-000000000000";
const ACCOUNT = "123456789012";

/**
 * Answers for common invokes (data sources), so that programs which look things up keep running.
 * Real results would need the provider and credentials. Each answer is merged over the invoke's
 * plain (string, number, boolean) arguments, as results usually echo their arguments. Any other
 * invoke is answered with `{}`.
 */
export const INVOKE_PLACEHOLDERS: Readonly<Record<string, (args: Record<string, unknown>) => Record<string, unknown>>> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({
        id: "us-east-1",
        names: ["us-east-1a", "us-east-1b", "us-east-1c"],
        zoneIds: ["use1-az1", "use1-az2", "use1-az4"],
        groupNames: ["us-east-1"],
    }),
    "aws:index/getRegion:getRegion": () => ({
        id: "us-east-1",
        name: "us-east-1",
        region: "us-east-1",
        endpoint: "ec2.us-east-1.amazonaws.com",
        description: "US East (N. Virginia)",
    }),
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        id: ACCOUNT,
        accountId: ACCOUNT,
        arn: `arn:aws:iam::${ACCOUNT}:user/placeholder`,
        userId: "AIDAPLACEHOLDER0000000",
    }),
    "aws:index/getPartition:getPartition": () => ({
        id: "aws",
        partition: "aws",
        dnsSuffix: "amazonaws.com",
        reverseDnsPrefix: "com.amazonaws",
    }),
    "aws:ec2/getAmi:getAmi": () => ({
        id: "ami-0123456789abcdef0",
        imageId: "ami-0123456789abcdef0",
        arn: "arn:aws:ec2:us-east-1::image/ami-0123456789abcdef0",
        name: "placeholder-ami",
        architecture: "x86_64",
        rootDeviceName: "/dev/xvda",
        ownerId: ACCOUNT,
    }),
    "aws:ec2/getVpc:getVpc": () => ({
        id: "vpc-0123456789abcdef0",
        arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/vpc-0123456789abcdef0`,
        cidrBlock: "10.0.0.0/16",
        default: false,
        ownerId: ACCOUNT,
    }),
    "aws:ec2/getSubnets:getSubnets": () => ({
        id: "us-east-1",
        ids: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
    }),
    "aws:ec2/getSubnet:getSubnet": () => ({
        id: "subnet-0123456789abcdef0",
        cidrBlock: "10.0.1.0/24",
        vpcId: "vpc-0123456789abcdef0",
        availabilityZone: "us-east-1a",
    }),
    "aws:ec2/getSecurityGroup:getSecurityGroup": () => ({
        id: "sg-0123456789abcdef0",
        vpcId: "vpc-0123456789abcdef0",
        name: "placeholder-sg",
    }),
    "azure-native:authorization:getClientConfig": () => ({
        clientId: ZERO_UUID,
        objectId: ZERO_UUID,
        subscriptionId: ZERO_UUID,
        tenantId: ZERO_UUID,
    }),
    "azure-native:resources:getResourceGroup": (args) => ({
        id: `/subscriptions/${ZERO_UUID}/resourceGroups/${typeof args.resourceGroupName === "string" ? args.resourceGroupName : "placeholder"}`,
        location: "westeurope",
        name: typeof args.resourceGroupName === "string" ? args.resourceGroupName : "placeholder",
    }),
};

export function answerInvoke(token: string, args: unknown, warnings: Warnings): Record<string, unknown> {
    const answer = INVOKE_PLACEHOLDERS[token];
    if (!answer) {
        warnings.add(`invoke ${token} answered with a placeholder ({}): its real result needs the provider`);
        warnings.emptyInvokes.add(token);
        return {};
    }
    warnings.add(`invoke ${token} answered with a placeholder`);
    const plainArgs: Record<string, unknown> = {};
    if (isPlainObject(args)) {
        for (const [k, v] of Object.entries(args)) {
            if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") plainArgs[k] = v;
        }
    }
    return { ...plainArgs, ...answer(isPlainObject(args) ? args : {}) };
}
