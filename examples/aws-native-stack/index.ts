// aws-native-stack: a load-balanced service (load balancer -> app hosts -> PostgreSQL) and a bastion
// in one VPC, written with the AWS Cloud Control provider (`@pulumi/aws-native`), whose shapes are
// CloudFormation's: `securityGroupIngress` with `ipProtocol`, `cidrIp`, `sourceSecurityGroupId`,
// standalone `SecurityGroupIngress` resources, and tags as `{ key, value }` lists.
//
// This is an example for the internal-ports policy pack. Most rules below are what a careful team
// writes; a few (marked "MISTAKE") are the kind of change that slips through review and that the
// pack must block. See README.md for the expected findings.
import * as pulumi from "@pulumi/pulumi";
import * as awsNative from "@pulumi/aws-native";

const config = new pulumi.Config();
const vpcCidr = config.get("vpcCidr") ?? "10.50.0.0/16";
/** The offices' egress ranges, kept in a customer-managed prefix list. */
const officePrefixList = config.require("officePrefixList");

const tags = [
    { key: "project", value: pulumi.getProject() },
    { key: "stack", value: pulumi.getStack() },
    { key: "managed-by", value: "pulumi" },
];
const named = (name: string) => [...tags, { key: "Name", value: name }];

/** The /24 with the given third octet inside the VPC's /16 (10.50.0.0/16, 3 -> 10.50.3.0/24). */
function subnetCidr(thirdOctet: number): string {
    const [a, b] = vpcCidr.split("/")[0].split(".");
    return `${a}.${b}.${thirdOctet}.0/24`;
}

const vpc = new awsNative.ec2.Vpc("main-vpc", { cidrBlock: vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: named("aws-native-stack") });
const igw = new awsNative.ec2.InternetGateway("main-igw", { tags });
new awsNative.ec2.VpcGatewayAttachment("main-igw-attachment", { vpcId: vpc.vpcId, internetGatewayId: igw.internetGatewayId });
for (const [i, az] of ["a", "b"].entries()) {
    new awsNative.ec2.Subnet(`public-${az}`, { vpcId: vpc.vpcId, cidrBlock: subnetCidr(i), availabilityZone: `eu-west-1${az}`, mapPublicIpOnLaunch: true, tags: named(`public-${az}`) });
    new awsNative.ec2.Subnet(`private-${az}`, { vpcId: vpc.vpcId, cidrBlock: subnetCidr(10 + i), availabilityZone: `eu-west-1${az}`, tags: named(`private-${az}`) });
}

// Flow logs for the whole VPC (the public ports must be monitored).
const flowLogBucket = new awsNative.s3.Bucket("flow-logs", { tags });
new awsNative.ec2.FlowLog("main-vpc-flow-log", {
    resourceId: vpc.vpcId,
    resourceType: "VPC",
    trafficType: "ALL",
    logDestinationType: "s3",
    logDestination: flowLogBucket.arn,
    tags,
});

// ---------------------------------------------------------------------------------------------
// Compliant security groups.
// ---------------------------------------------------------------------------------------------

// The load balancer: HTTPS and HTTP (redirect) from everybody, over IPv4 and IPv6. Both `public`.
const lbSg = new awsNative.ec2.SecurityGroup("lb-sg", {
    vpcId: vpc.vpcId,
    groupDescription: "Public load balancer",
    securityGroupIngress: [
        { description: "HTTPS", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIp: "0.0.0.0/0" },
        { description: "HTTPS over IPv6", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::/0" },
        { description: "HTTP, redirected to HTTPS", ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIp: "0.0.0.0/0" },
    ],
    tags: named("lb-sg"),
});

// The app hosts: 8080 from the load balancer's group only; out to the database and to HTTPS.
const appSg = new awsNative.ec2.SecurityGroup("app-sg", {
    vpcId: vpc.vpcId,
    groupDescription: "App hosts",
    securityGroupIngress: [
        { description: "From the load balancer", ipProtocol: "tcp", fromPort: 8080, toPort: 8080, sourceSecurityGroupId: lbSg.groupId },
    ],
    securityGroupEgress: [
        { description: "HTTPS to package mirrors and APIs", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIp: "0.0.0.0/0" },
        { description: "PostgreSQL in the VPC", ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIp: vpcCidr },
    ],
    tags: named("app-sg"),
});

// The database group takes its rules from standalone SecurityGroupIngress resources.
const dbSg = new awsNative.ec2.SecurityGroup("db-sg", { vpcId: vpc.vpcId, groupDescription: "PostgreSQL", tags: named("db-sg") });
new awsNative.ec2.SecurityGroupIngress("db-from-app", {
    groupId: dbSg.groupId,
    description: "PostgreSQL from the app hosts",
    ipProtocol: "tcp",
    fromPort: 5432,
    toPort: 5432,
    sourceSecurityGroupId: appSg.groupId,
});

// ---------------------------------------------------------------------------------------------
// Non-compliant rules: realistic mistakes the policy pack must block.
// ---------------------------------------------------------------------------------------------

// The bastion: SSH from the offices' prefix list is fine...
// MISTAKE: ...and SSH from 0.0.0.0/0 "for the on-call engineer travelling this week". Blocked by
// no-world-open-internal-ports (ssh 22/tcp is internal).
new awsNative.ec2.SecurityGroup("bastion-sg", {
    vpcId: vpc.vpcId,
    groupDescription: "Bastion",
    securityGroupIngress: [
        { description: "SSH from the offices", ipProtocol: "tcp", fromPort: 22, toPort: 22, sourcePrefixListId: officePrefixList },
        { description: "SSH for on-call (temporary)", ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIp: "0.0.0.0/0" },
    ],
    tags: named("bastion-sg"),
});

// MISTAKE: JMX remote monitoring of the app's JVM (9010 and the RMI port 9011) from the whole VPC.
// Not the internet, but no service in ports.yaml documents those ports. Blocked by
// documented-ports-only.
new awsNative.ec2.SecurityGroupIngress("app-jmx", {
    groupId: appSg.groupId,
    description: "JMX for the profiler",
    ipProtocol: "tcp",
    fromPort: 9010,
    toPort: 9011,
    cidrIp: vpcCidr,
});

export const vpcId = vpc.vpcId;
