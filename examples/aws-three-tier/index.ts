// aws-three-tier: ALB -> app servers (an auto-scaling group) -> PostgreSQL (RDS), in one VPC.
//
// An example for the network graph of the internal-ports policy pack. Every security group and
// network ACL below passes the pack's per-resource policies on its own terms; two mistakes only show
// when the path a packet takes is followed through every layer (see README.md):
//   - the database subnets' ACL returns replies only to ports 32768-65535, while the app servers'
//     ephemeral ports start at 1024 (ports.yaml `ephemeralPorts`): the documented flow app -> db
//     dies for client ports 1024-32767;
//   - the admin host in a public subnet carries two groups that each open Prometheus (9090) to half
//     of the IPv4 internet: together, the whole internet reaches it.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

const config = new pulumi.Config();
const vpnCidr = config.require("vpnCidr");
const tags = { project: pulumi.getProject(), stack: pulumi.getStack() };

const zones = ["us-east-1a", "us-east-1b"];
// Plain CIDR strings, so that the rules built from them are known at preview time.
const cidrs = { vpc: "10.60.0.0/16", public: ["10.60.0.0/24", "10.60.1.0/24"], app: ["10.60.10.0/24", "10.60.11.0/24"], db: ["10.60.20.0/24", "10.60.21.0/24"] };
const appRange = "10.60.10.0/23";
const dbRange = "10.60.20.0/23";

const vpc = new aws.ec2.Vpc("main-vpc", { cidrBlock: cidrs.vpc, enableDnsHostnames: true, tags: { ...tags, Name: "three-tier" } });
const igw = new aws.ec2.InternetGateway("main-igw", { vpcId: vpc.id, tags });

// ---------------------------------------------------------------------------------------------
// Subnets and routes: public (to the internet gateway), app and db (out through a NAT gateway).

const publicSubnets = zones.map((az, i) => new aws.ec2.Subnet(`public-${az.slice(-1)}`, {
    vpcId: vpc.id, cidrBlock: cidrs.public[i], availabilityZone: az, mapPublicIpOnLaunch: true, tags: { ...tags, tier: "public" },
}));
const appSubnets = zones.map((az, i) => new aws.ec2.Subnet(`app-${az.slice(-1)}`, { vpcId: vpc.id, cidrBlock: cidrs.app[i], availabilityZone: az, tags: { ...tags, tier: "app" } }));
const dbSubnets = zones.map((az, i) => new aws.ec2.Subnet(`db-${az.slice(-1)}`, { vpcId: vpc.id, cidrBlock: cidrs.db[i], availabilityZone: az, tags: { ...tags, tier: "db" } }));

const publicRt = new aws.ec2.RouteTable("public-rt", { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }], tags });
publicSubnets.forEach((s, i) => new aws.ec2.RouteTableAssociation(`public-rta-${i}`, { subnetId: s.id, routeTableId: publicRt.id }));

const natEip = new aws.ec2.Eip("nat-eip", { domain: "vpc", tags });
const nat = new aws.ec2.NatGateway("main-nat", { subnetId: publicSubnets[0].id, allocationId: natEip.id, tags });
const privateRt = new aws.ec2.RouteTable("private-rt", { vpcId: vpc.id, tags });
new aws.ec2.Route("private-default", { routeTableId: privateRt.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id });
[...appSubnets, ...dbSubnets].forEach((s, i) => new aws.ec2.RouteTableAssociation(`private-rta-${i}`, { subnetId: s.id, routeTableId: privateRt.id }));

// The database subnets' own ACL: PostgreSQL in from the app subnets, replies back out to them.
new aws.ec2.NetworkAcl("db-acl", {
    vpcId: vpc.id,
    subnetIds: dbSubnets.map((s) => s.id),
    ingress: [{ ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlock: appRange }],
    // MISTAKE: Linux's ephemeral range only; the registry's clients use 1024-65535 (ports.yaml ephemeralPorts).
    egress: [{ ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 32768, toPort: 65535, cidrBlock: appRange }],
    tags,
});

// ---------------------------------------------------------------------------------------------
// Security groups. The aws provider removes AWS's default allow-all egress, so each says what it sends.

const albSg = new aws.ec2.SecurityGroup("alb-sg", {
    vpcId: vpc.id, description: "HTTPS from the internet to the load balancer",
    ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }],
    egress: [{ protocol: "tcp", fromPort: 8080, toPort: 8080, cidrBlocks: [appRange] }],
    tags,
});
const appSg = new aws.ec2.SecurityGroup("app-sg", {
    vpcId: vpc.id, description: "The app servers: 8080 from the load balancer",
    ingress: [{ protocol: "tcp", fromPort: 8080, toPort: 8080, securityGroups: [albSg.id] }],
    egress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: [dbRange] }],
    tags,
});
const dbSg = new aws.ec2.SecurityGroup("db-sg", {
    vpcId: vpc.id, description: "PostgreSQL from the app servers",
    ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: [appSg.id] }],
    tags,
});

// ---------------------------------------------------------------------------------------------
// Tier 1: the public load balancer.

const alb = new aws.lb.LoadBalancer("web-alb", { loadBalancerType: "application", subnets: publicSubnets.map((s) => s.id), securityGroups: [albSg.id], tags });
const appTg = new aws.lb.TargetGroup("app-tg", { vpcId: vpc.id, port: 8080, protocol: "HTTP", targetType: "instance", tags });
new aws.lb.Listener("web-https", {
    loadBalancerArn: alb.arn, port: 443, protocol: "HTTPS", certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/example",
    defaultActions: [{ type: "forward", targetGroupArn: appTg.arn }],
});

// ---------------------------------------------------------------------------------------------
// Tier 2: the app servers, launched from a template into the app subnets.

const ami = aws.ec2.getAmiOutput({ mostRecent: true, owners: ["amazon"], filters: [{ name: "name", values: ["al2023-ami-*-x86_64"] }] });
const appTemplate = new aws.ec2.LaunchTemplate("app-lt", {
    imageId: ami.id, instanceType: "t3.small", vpcSecurityGroupIds: [appSg.id],
    tagSpecifications: [{ resourceType: "instance", tags: { ...tags, service: "app-http" } }],
});
new aws.autoscaling.Group("app-asg", {
    vpcZoneIdentifiers: appSubnets.map((s) => s.id), minSize: 2, maxSize: 4,
    launchTemplate: { id: appTemplate.id, version: "$Latest" }, targetGroupArns: [appTg.arn],
    tags: [{ key: "service", value: "app-http", propagateAtLaunch: true }],
});

// ---------------------------------------------------------------------------------------------
// Tier 3: PostgreSQL in the database subnets.

const dbSubnetGroup = new aws.rds.SubnetGroup("db-subnets", { subnetIds: dbSubnets.map((s) => s.id), tags });
new aws.rds.Instance("orders-db", {
    engine: "postgres", engineVersion: "16.4", instanceClass: "db.t4g.medium", allocatedStorage: 20,
    dbSubnetGroupName: dbSubnetGroup.name, vpcSecurityGroupIds: [dbSg.id], username: "orders", manageMasterUserPassword: true,
    skipFinalSnapshot: true, tags: { ...tags, service: "postgres" },
});

// ---------------------------------------------------------------------------------------------
// An admin host for the operators, in a public subnet (mapPublicIpOnLaunch gives it a public IP).

const adminSg = new aws.ec2.SecurityGroup("admin-sg", {
    vpcId: vpc.id, description: "SSH from the VPN; Prometheus for the hosted dashboards, first half",
    ingress: [
        { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: [vpnCidr] },
        { protocol: "tcp", fromPort: 9090, toPort: 9090, cidrBlocks: ["0.0.0.0/1"] },
    ],
    egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }],
    tags,
});
// MISTAKE: with admin-sg's 0.0.0.0/1, this second half makes Prometheus reachable from the whole internet.
const dashboardsSg = new aws.ec2.SecurityGroup("dashboards-sg", {
    vpcId: vpc.id, description: "Prometheus for the hosted dashboards, second half",
    ingress: [{ protocol: "tcp", fromPort: 9090, toPort: 9090, cidrBlocks: ["128.0.0.0/1"] }],
    tags,
});
new aws.ec2.Instance("admin-1", {
    ami: ami.id, instanceType: "t3.micro", subnetId: publicSubnets[0].id, vpcSecurityGroupIds: [adminSg.id, dashboardsSg.id],
    tags: { ...tags, service: "prometheus" },
});

export const albDns = alb.dnsName;
