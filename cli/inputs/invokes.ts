// Invokes (data sources) answered without a provider: the few whose result is computed from their
// arguments alone (Kubernetes YAML decoding) as the provider would, common ones with placeholders
// shaped like their real results, the rest with {}; each placeholder answer is a warning.
import * as fs from "fs";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import { isPlainObject } from "../../policies/base/values";
import { firstLine } from "../text";
import { Warnings } from "./warnings";

const ZERO_UUID = "00000000-0000-0000-0000-000000000000";
const ACCOUNT = "123456789012";
const AMI = "ami-0123456789abcdef0";
const GCP_PROJECT = "placeholder-project";
const GKE_VERSION = "1.30.5-gke.1014001";

/**
 * The value of one of AWS's public parameters for the latest AMIs (`/aws/service/...`): the JSON
 * document of a `.../recommended` parameter (the ECS- and EKS-optimized AMIs: `image_id` and the
 * rest), else an AMI ID (`.../image_id`, `ami-amazon-linux-latest/...`, ...). Undefined for any
 * other parameter, whose value only the account's parameter store has.
 */
function amiParameterValue(name: string): string | undefined {
    if (!/^\/aws\/service\/.*(ami|bottlerocket)/i.test(name)) return undefined;
    if (/\/recommended$/.test(name)) return JSON.stringify({ image_id: AMI, image_name: "placeholder-ami", os: "Amazon Linux" });
    return AMI;
}

/**
 * Answers for common invokes (data sources), so that programs which look things up keep running.
 * Real results would need the provider and credentials. Each answer is merged over the invoke's
 * plain (string, number, boolean) arguments, as results usually echo their arguments. Any other
 * invoke, and one whose answer is undefined for its arguments (an SSM parameter of the account), is
 * answered with `{}`.
 */
export const INVOKE_PLACEHOLDERS: Readonly<Record<string, (args: Record<string, unknown>) => Record<string, unknown> | undefined>> = {
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
        id: AMI,
        imageId: AMI,
        arn: `arn:aws:ec2:us-east-1::image/${AMI}`,
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
    "aws:ssm/getParameter:getParameter": (args) => {
        const name = typeof args.name === "string" ? args.name : "";
        const value = amiParameterValue(name);
        if (value === undefined) return undefined;
        return {
            id: name,
            name,
            arn: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/${name.replace(/^\//, "")}`,
            type: "String",
            value,
            insecureValue: value,
            version: 1,
        };
    },
    "aws:ec2/getSecurityGroup:getSecurityGroup": () => ({
        id: "sg-0123456789abcdef0",
        vpcId: "vpc-0123456789abcdef0",
        name: "placeholder-sg",
    }),
    "gcp:organizations/getClientConfig:getClientConfig": () => ({
        id: "placeholder",
        project: GCP_PROJECT,
        region: "us-central1",
        zone: "us-central1-a",
        accessToken: "placeholder",
        defaultLabels: {},
    }),
    "gcp:organizations/getProject:getProject": (args) => ({
        id: `projects/${typeof args.projectId === "string" ? args.projectId : GCP_PROJECT}`,
        projectId: typeof args.projectId === "string" ? args.projectId : GCP_PROJECT,
        name: typeof args.projectId === "string" ? args.projectId : GCP_PROJECT,
        number: "123456789012",
        labels: {},
        effectiveLabels: {},
    }),
    "gcp:compute/getZones:getZones": (args) => {
        const region = typeof args.region === "string" ? args.region : "us-central1";
        return { id: region, project: GCP_PROJECT, region, names: ["a", "b", "c"].map((z) => `${region}-${z}`) };
    },
    // GKE programs pin their clusters to one of these (`minMasterVersion: versions.latestMasterVersion`).
    "gcp:container/getEngineVersions:getEngineVersions": () => ({
        id: "placeholder",
        project: GCP_PROJECT,
        defaultClusterVersion: GKE_VERSION,
        latestMasterVersion: GKE_VERSION,
        latestNodeVersion: GKE_VERSION,
        validMasterVersions: [GKE_VERSION],
        validNodeVersions: [GKE_VERSION],
        releaseChannelDefaultVersion: { RAPID: GKE_VERSION, REGULAR: GKE_VERSION, STABLE: GKE_VERSION },
        releaseChannelLatestVersion: { RAPID: GKE_VERSION, REGULAR: GKE_VERSION, STABLE: GKE_VERSION },
        releaseChannelUpgradeTargetVersion: { RAPID: GKE_VERSION, REGULAR: GKE_VERSION, STABLE: GKE_VERSION },
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

const DECODE = "kubernetes:yaml:decode";

/** An invoke that fails as a provider's does: the SDK rejects it with a new Error of the RPC's `details`. */
class InvokeFailed extends Error {
    readonly details: string;
    constructor(message: string) {
        super(message);
        this.details = message;
    }
}

const FILE_SEARCH_LIMIT = 5000;

/** The file under `dir` (not in node_modules or a dot directory) that holds exactly `text`, if one does. */
function fileHolding(dir: string, text: string): string | undefined {
    const size = Buffer.byteLength(text);
    const pending = [dir];
    let seen = 0;
    while (pending.length > 0 && seen < FILE_SEARCH_LIMIT) {
        const d = pending.shift()!;
        let entries: fs.Dirent[];
        try {
            entries = fs.readdirSync(d, { withFileTypes: true });
        } catch {
            continue;
        }
        for (const e of entries) {
            if (++seen > FILE_SEARCH_LIMIT) break;
            const p = path.join(d, e.name);
            if (e.isDirectory()) {
                if (e.name !== "node_modules" && !e.name.startsWith(".")) pending.push(p);
            } else if (e.isFile()) {
                try {
                    if (fs.statSync(p).size === size && fs.readFileSync(p, "utf8") === text) return path.relative(dir, p);
                } catch {
                    // unreadable: not the one
                }
            }
        }
    }
    return undefined;
}

/**
 * `kubernetes:yaml:decode`, which k8s.yaml.ConfigFile and ConfigGroup (v1) call with the text of each
 * manifest (they read files and URLs themselves) and whose `result` lists the objects they then
 * register: decoded here as the provider decodes it, every non-empty document a Kubernetes object.
 * Merge keys and repeated keys (the last wins) are accepted, as the provider's Go decoder accepts them.
 */
function decodeYaml(args: Record<string, unknown>, dir: string): Record<string, unknown> {
    const text = args.text;
    const fail = (what: string) => {
        const file = typeof text === "string" && text !== "" ? fileHolding(dir, text) : undefined;
        return new InvokeFailed(
            `the invoke ${DECODE} (k8s.yaml.ConfigFile or ConfigGroup) could not decode ` +
                `${file ? `the manifest ${file}` : "its YAML text"}: ${what}`,
        );
    };
    if (typeof text !== "string") throw fail("it was given no YAML text");
    const result: Record<string, unknown>[] = [];
    let n = 0;
    for (const doc of parseAllDocuments(text, { merge: true, uniqueKeys: false })) {
        n++;
        if (doc.errors.length > 0) throw fail(firstLine(doc.errors[0].message).replace(/:$/, ""));
        let value: unknown;
        try {
            value = doc.toJS();
        } catch (e) {
            // too many aliases (a "billion laughs" document)
            throw fail(`document ${n}: ${firstLine(e instanceof Error ? e.message : String(e))}`);
        }
        if (value === null || value === undefined) continue;
        if (!isPlainObject(value)) throw fail(`document ${n} is not a mapping (a Kubernetes object)`);
        if (Object.keys(value).length > 0) result.push(value);
    }
    return { result };
}

/** Invokes answered from their arguments as their provider answers them: no placeholder, no warning. */
const COMPUTED: Readonly<Record<string, (args: Record<string, unknown>, dir: string) => Record<string, unknown>>> = {
    [DECODE]: decodeYaml,
};

/** The answer to an invoke of the program in `dir`. */
export function answerInvoke(token: string, args: unknown, warnings: Warnings, dir: string): Record<string, unknown> {
    const computed = COMPUTED[token];
    if (computed) return computed(isPlainObject(args) ? args : {}, dir);
    const answer = INVOKE_PLACEHOLDERS[token]?.(isPlainObject(args) ? args : {});
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
    return { ...plainArgs, ...answer };
}
