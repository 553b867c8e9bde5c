// aws-web-stack: a three-tier web application (ALB -> app servers -> PostgreSQL) in its own VPC.
//
// This is an example for the internal-ports policy pack. Most firewall rules below are what a
// careful team writes; a few (marked "MISTAKE") are the kind of change that slips through review
// and that the pack must block. See README.md for the expected findings.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

const config = new pulumi.Config();
/** Where the team's office traffic comes from (SSH to the bastion network, the app's admin endpoint). */
const officeCidr = config.require("officeCidr");
const vpcCidr = config.get("vpcCidr") ?? "10.40.0.0/16";
const dbPort = config.getNumber("dbPort") ?? 5432;
const azCount = config.getNumber("azCount") ?? 2;

const tags = { project: pulumi.getProject(), stack: pulumi.getStack(), "managed-by": "pulumi" };

// ---------------------------------------------------------------------------------------------
// Network: one VPC, a public and a private subnet per availability zone.
// ---------------------------------------------------------------------------------------------

/** The /24 with the given third octet inside the VPC's /16 (10.40.0.0/16, 3 -> 10.40.3.0/24). */
function subnetCidr(thirdOctet: number): string {
    const [a, b] = vpcCidr.split("/")[0].split(".");
    return `${a}.${b}.${thirdOctet}.0/24`;
}

// Subnet CIDRs are plain strings computed here, so the firewall rules that use them are known at
// preview time (a rule built from subnet outputs could not be checked until `pulumi up`).
const publicCidrs = Array.from({ length: azCount }, (_, i) => subnetCidr(i));
const privateCidrs = Array.from({ length: azCount }, (_, i) => subnetCidr(10 + i));

const azs = aws.getAvailabilityZonesOutput({ state: "available" });

const vpc = new aws.ec2.Vpc("main-vpc", {
    cidrBlock: vpcCidr,
    enableDnsHostnames: true,
    enableDnsSupport: true,
    tags: { ...tags, Name: "aws-web-stack" },
});

const igw = new aws.ec2.InternetGateway("main-igw", { vpcId: vpc.id, tags });

// VPC flow logs: the public ports (80, 443, ICMP) must be monitored (public-ports-monitored).
const flowLogBucket = new aws.s3.Bucket("flow-logs", { forceDestroy: false, tags });
new aws.ec2.FlowLog("main-vpc-flow-log", {
    vpcId: vpc.id,
    trafficType: "ALL",
    logDestinationType: "s3",
    logDestination: flowLogBucket.arn,
    tags,
});

const publicSubnets = publicCidrs.map((cidrBlock, i) => new aws.ec2.Subnet(`public-${i}`, {
    vpcId: vpc.id,
    cidrBlock,
    availabilityZone: azs.names[i],
    mapPublicIpOnLaunch: true,
    tags: { ...tags, Name: `public-${i}`, tier: "public" },
}));

const privateSubnets = privateCidrs.map((cidrBlock, i) => new aws.ec2.Subnet(`private-${i}`, {
    vpcId: vpc.id,
    cidrBlock,
    availabilityZone: azs.names[i],
    tags: { ...tags, Name: `private-${i}`, tier: "private" },
}));

const publicRoutes = new aws.ec2.RouteTable("public-rt", {
    vpcId: vpc.id,
    routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
    tags,
});
publicSubnets.forEach((subnet, i) => new aws.ec2.RouteTableAssociation(`public-rt-${i}`, {
    subnetId: subnet.id,
    routeTableId: publicRoutes.id,
}));

// ---------------------------------------------------------------------------------------------
// A reusable firewall component: one security group per service, built from a list of rules.
// ---------------------------------------------------------------------------------------------

interface FirewallRule {
    description: string;
    /** "tcp", "udp", "icmp" or "-1" (all protocols). */
    protocol: string;
    fromPort: number;
    toPort?: number;
    cidrBlocks?: string[];
    ipv6CidrBlocks?: string[];
    /** Security groups allowed in (their ids). */
    sourceSecurityGroupIds?: pulumi.Input<string>[];
}

interface ServiceFirewallArgs {
    vpcId: pulumi.Input<string>;
    description: string;
    ingress: FirewallRule[];
    /** Default: all outbound traffic. */
    egressCidrs?: string[];
}

/** A security group for one service. The group is named `<name>-sg`. */
class ServiceFirewall extends pulumi.ComponentResource {
    public readonly securityGroup: aws.ec2.SecurityGroup;
    public readonly securityGroupId: pulumi.Output<string>;

    constructor(name: string, args: ServiceFirewallArgs, opts?: pulumi.ComponentResourceOptions) {
        super("examples:network:ServiceFirewall", name, {}, opts);
        this.securityGroup = new aws.ec2.SecurityGroup(`${name}-sg`, {
            vpcId: args.vpcId,
            description: args.description,
            ingress: args.ingress.map((r) => ({
                description: r.description,
                protocol: r.protocol,
                fromPort: r.fromPort,
                toPort: r.toPort ?? r.fromPort,
                cidrBlocks: r.cidrBlocks,
                ipv6CidrBlocks: r.ipv6CidrBlocks,
                securityGroups: r.sourceSecurityGroupIds,
            })),
            egress: [{
                description: "All outbound",
                protocol: "-1",
                fromPort: 0,
                toPort: 0,
                cidrBlocks: args.egressCidrs ?? ["0.0.0.0/0"],
            }],
            tags: { ...tags, Name: `${name}-sg` },
        }, { parent: this });
        this.securityGroupId = this.securityGroup.id;
        this.registerOutputs({ securityGroupId: this.securityGroupId });
    }
}

// ---------------------------------------------------------------------------------------------
// Compliant firewall rules.
// ---------------------------------------------------------------------------------------------

// alb-sg: the load balancer faces the internet on HTTP (redirect) and HTTPS only; both are `public`
// in ports.yaml.
const alb = new ServiceFirewall("alb", {
    vpcId: vpc.id,
    description: "Internet-facing application load balancer",
    ingress: [
        { description: "HTTP (redirects to HTTPS)", protocol: "tcp", fromPort: 80, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] },
        { description: "HTTPS", protocol: "tcp", fromPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] },
    ],
});

// app-sg: the app containers listen on 8080 and only the load balancer reaches them.
const app = new ServiceFirewall("app", {
    vpcId: vpc.id,
    description: "Application servers behind the ALB",
    ingress: [
        { description: "app-http from the ALB", protocol: "tcp", fromPort: 8080, sourceSecurityGroupIds: [alb.securityGroupId] },
    ],
});

// db-sg: PostgreSQL from the private (application) subnets only.
const db = new ServiceFirewall("db", {
    vpcId: vpc.id,
    description: "PostgreSQL, reachable from the private subnets",
    ingress: [
        { description: "PostgreSQL from the private subnets", protocol: "tcp", fromPort: dbPort, cidrBlocks: privateCidrs },
    ],
    egressCidrs: [vpcCidr],
});

// public-nacl: the public subnets' network ACL. ACLs are stateless, so besides HTTP/HTTPS from
// anywhere and SSH from the office it must admit return traffic on the ephemeral ports from
// anywhere. Internal ports inside 1024-65535 (PostgreSQL, Redis, ...) are then closed only by the
// security groups: the pack reports that as an advisory note, not a violation.
new aws.ec2.NetworkAcl("public-nacl", {
    vpcId: vpc.id,
    subnetIds: publicSubnets.map((s) => s.id),
    ingress: [
        { ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlock: "0.0.0.0/0" },
        { ruleNo: 110, action: "allow", protocol: "tcp", fromPort: 80, toPort: 80, cidrBlock: "0.0.0.0/0" },
        { ruleNo: 120, action: "allow", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlock: officeCidr },
        { ruleNo: 140, action: "allow", protocol: "tcp", fromPort: 1024, toPort: 65535, cidrBlock: "0.0.0.0/0" },
    ],
    egress: [
        { ruleNo: 100, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0" },
    ],
    tags: { ...tags, Name: "public-nacl" },
});

// data-nacl: the private subnets' network ACL. The ephemeral range comes back as return traffic,
// but entry 110 deliberately opens MySQL to the whole internet: a narrow opening is judged like any
// other rule, so the pack blocks it even though 3306 lies inside 1024-65535.
new aws.ec2.NetworkAcl("data-nacl", {
    vpcId: vpc.id,
    subnetIds: privateSubnets.map((s) => s.id),
    ingress: [
        { ruleNo: 100, action: "allow", protocol: "tcp", fromPort: dbPort, toPort: dbPort, cidrBlock: vpcCidr },
        { ruleNo: 110, action: "allow", protocol: "tcp", fromPort: 3306, toPort: 3306, cidrBlock: "0.0.0.0/0" },
        { ruleNo: 140, action: "allow", protocol: "tcp", fromPort: 32768, toPort: 65535, cidrBlock: "0.0.0.0/0" },
    ],
    egress: [
        { ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 1024, toPort: 65535, cidrBlock: vpcCidr },
    ],
    tags: { ...tags, Name: "data-nacl" },
});

// app-from-office: the app's admin endpoint (TLS on 443) for the office, as a standalone rule.
new aws.vpc.SecurityGroupIngressRule("app-from-office", {
    securityGroupId: app.securityGroupId,
    description: "Admin endpoint from the office",
    ipProtocol: "tcp",
    fromPort: 443,
    toPort: 443,
    cidrIpv4: officeCidr,
    tags,
});

// ---------------------------------------------------------------------------------------------
// Non-compliant firewall rules: realistic mistakes the policy pack must block.
// ---------------------------------------------------------------------------------------------

// MISTAKE: bastion-sg opens SSH to the whole internet "temporarily" instead of to the office.
// Blocked by no-world-open-internal-ports (ssh 22/tcp is internal).
const bastion = new aws.ec2.SecurityGroup("bastion-sg", {
    vpcId: vpc.id,
    description: "Bastion host",
    ingress: [
        { description: "SSH", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] },
    ],
    egress: [
        { description: "All outbound", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] },
    ],
    tags: { ...tags, Name: "bastion-sg" },
});

// MISTAKE: a debugging rule left on the app group opens Redis to the world.
// Blocked by no-world-open-internal-ports (redis 6379/tcp is internal).
new aws.ec2.SecurityGroupRule("debug-redis", {
    type: "ingress",
    securityGroupId: app.securityGroupId,
    description: "TEMP: redis-cli from laptop",
    protocol: "tcp",
    fromPort: 6379,
    toPort: 6379,
    cidrBlocks: ["0.0.0.0/0"],
});

// MISTAKE: the legacy batch workers' RMI/JMX range, never documented in ports.yaml.
// Blocked by documented-ports-only (tcp 9000-9010 is in no service of ports.yaml).
new ServiceFirewall("legacy", {
    vpcId: vpc.id,
    description: "Legacy batch workers",
    ingress: [
        { description: "Legacy RMI/JMX", protocol: "tcp", fromPort: 9000, toPort: 9010, cidrBlocks: ["10.0.0.0/8"] },
    ],
});

// MISTAKE: "no 0.0.0.0/0" was read literally: two /1 ranges add up to the whole IPv4 internet, on
// every protocol and port. Blocked by no-world-open-internal-ports (the two rules together reach
// every internal port) and by documented-ports-only (each rule opens every port, documented or not).
new ServiceFirewall("metrics", {
    vpcId: vpc.id,
    description: "Metrics scrapers",
    ingress: [
        { description: "Scrapers (lower half)", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/1"] },
        { description: "Scrapers (upper half)", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["128.0.0.0/1"] },
    ],
});

export const vpcId = vpc.id;
export const publicSubnetIds = publicSubnets.map((s) => s.id);
export const privateSubnetIds = privateSubnets.map((s) => s.id);
export const albSecurityGroupId = alb.securityGroupId;
export const dbSecurityGroupId = db.securityGroupId;
export const bastionSecurityGroupId = bastion.id;
