// Small AWS stacks as the engine sends them to AnalyzeStack, for the graph's case tables: each
// resource's outputs, and its links either as preview sends them (ids unknown, links only through
// property dependencies keyed by the top-level input) or as update sends them (known ids in the
// `id` outputs and in the referencing inputs).
import { naclEntry, UNKNOWN } from "../../helpers";
import { LinkedEntry, LinkedStack, Mode, Ref, nameHash, POSTGRES_FOR_API, WEB_AND_API } from "./graph-stack";

export type { Mode };

export const A = {
    vpc: "aws:ec2/vpc:Vpc",
    defaultVpc: "aws:ec2/defaultVpc:DefaultVpc",
    subnet: "aws:ec2/subnet:Subnet",
    igw: "aws:ec2/internetGateway:InternetGateway",
    nat: "aws:ec2/natGateway:NatGateway",
    eip: "aws:ec2/eip:Eip",
    rt: "aws:ec2/routeTable:RouteTable",
    route: "aws:ec2/route:Route",
    rta: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    acl: "aws:ec2/networkAcl:NetworkAcl",
    aclRule: "aws:ec2/networkAclRule:NetworkAclRule",
    aclAssoc: "aws:ec2/networkAclAssociation:NetworkAclAssociation",
    defaultAcl: "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    instance: "aws:ec2/instance:Instance",
    eni: "aws:ec2/networkInterface:NetworkInterface",
    eniAttach: "aws:ec2/networkInterfaceAttachment:NetworkInterfaceAttachment",
    rds: "aws:rds/instance:Instance",
    cluster: "aws:rds/cluster:Cluster",
    clusterInstance: "aws:rds/clusterInstance:ClusterInstance",
    dbSubnets: "aws:rds/subnetGroup:SubnetGroup",
    cache: "aws:elasticache/cluster:Cluster",
    cacheGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    cacheSubnets: "aws:elasticache/subnetGroup:SubnetGroup",
    redshift: "aws:redshift/cluster:Cluster",
    redshiftSubnets: "aws:redshift/subnetGroup:SubnetGroup",
    docdb: "aws:docdb/cluster:Cluster",
    docdbInstance: "aws:docdb/clusterInstance:ClusterInstance",
    docdbSubnets: "aws:docdb/subnetGroup:SubnetGroup",
    neptune: "aws:neptune/cluster:Cluster",
    neptuneInstance: "aws:neptune/clusterInstance:ClusterInstance",
    neptuneSubnets: "aws:neptune/subnetGroup:SubnetGroup",
    broker: "aws:mq/broker:Broker",
    search: "aws:opensearch/domain:Domain",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    tg: "aws:lb/targetGroup:TargetGroup",
    tgAttach: "aws:lb/targetGroupAttachment:TargetGroupAttachment",
    ecs: "aws:ecs/service:Service",
    lambda: "aws:lambda/function:Function",
    lt: "aws:ec2/launchTemplate:LaunchTemplate",
    asg: "aws:autoscaling/group:Group",
} as const;

const PREFIX: Record<string, string> = {
    [A.vpc]: "vpc",
    [A.defaultVpc]: "vpc",
    [A.subnet]: "subnet",
    [A.igw]: "igw",
    [A.nat]: "nat",
    [A.eip]: "eipalloc",
    [A.rt]: "rtb",
    [A.acl]: "acl",
    [A.defaultAcl]: "acl",
    [A.sg]: "sg",
    [A.defaultSg]: "sg",
    [A.instance]: "i",
    [A.eni]: "eni",
    [A.route]: "r",
    [A.rta]: "rtbassoc",
    [A.aclAssoc]: "aclassoc",
};

const hex = (s: string) => nameHash(s).toString(16).padStart(8, "0");

/** What each type is referenced by: its id, except these. */
const REF_FIELD: Record<string, string> = {
    [A.dbSubnets]: "name",
    [A.cacheSubnets]: "name",
    [A.redshiftSubnets]: "name",
    [A.docdbSubnets]: "name",
    [A.neptuneSubnets]: "name",
    [A.tg]: "arn",
    [A.lb]: "arn",
    [A.listener]: "arn",
    [A.lt]: "id",
    [A.cluster]: "id",
};

export class Stack extends LinkedStack {
    idOf(name: string): string {
        const e = this.byName.get(name)!;
        const p = PREFIX[e.type];
        return p ? `${p}-${hex(name)}` : `arn:aws:${e.type.split(":")[1].split("/")[0]}:us-east-1:123456789012:${name}`;
    }

    /** `name`, or `name#output` for another output of it (`main-vpc#defaultNetworkAclId`). */
    protected valueOf(ref: Ref): unknown {
        const [name, output] = ref.split("#");
        const e = this.entry(name);
        if (output) return this.outputs(e, "update")[output];
        return REF_FIELD[e.type] === "name" ? name : this.idOf(name);
    }

    protected outputs(e: LinkedEntry, mode: Mode): Record<string, unknown> {
        if (mode === "preview") return { id: UNKNOWN };
        const id = this.idOf(e.name);
        const out: Record<string, unknown> = { id };
        // The region's default VPC, which a DefaultVpc adopts, is always 172.31.0.0/16.
        if (e.type === A.defaultVpc) out.cidrBlock = "172.31.0.0/16";
        if (e.type === A.vpc || e.type === A.defaultVpc)
            Object.assign(out, {
                defaultNetworkAclId: `acl-d${hex(e.name)}`,
                defaultRouteTableId: `rtb-d${hex(e.name)}`,
                mainRouteTableId: `rtb-d${hex(e.name)}`,
                defaultSecurityGroupId: `sg-d${hex(e.name)}`,
            });
        if ([A.tg, A.lb, A.listener].includes(e.type as never)) out.arn = id;
        if (REF_FIELD[e.type] === "name") out.name = e.name;
        return out;
    }
}

/** The `defaultSecurityGroupId` output of a VPC of the stack in update. */
export function defaultSecurityGroupId(vpc: string): string {
    return `sg-d${hex(vpc)}`;
}

export const tcp = (from: number, to = from, extra: Record<string, unknown> = {}) => ({
    protocol: "tcp",
    fromPort: from,
    toPort: to,
    ...extra,
});
export const all = (extra: Record<string, unknown> = {}) => ({ protocol: "-1", fromPort: 0, toPort: 0, ...extra });
export const entry = naclEntry;
export const openEntries = [entry(100, "allow", 0, 0, "0.0.0.0/0", "-1")];

/**
 * A VPC 10.0.0.0/16 with an internet gateway; `public-a` (10.0.0.0/24, routed to the gateway),
 * `app-a` (10.0.1.0/24) and `db-a`/`db-b` (10.0.2.0/24, 10.0.3.0/24) routed through a NAT gateway
 * in `public-a`. No ACL resources: AWS's default ACL allows all.
 */
export function vpc(): Stack {
    return new Stack()
        .add(A.vpc, "main-vpc", { cidrBlock: "10.0.0.0/16" })
        .add(A.igw, "main-igw", {}, { vpcId: "main-vpc" })
        .add(A.subnet, "public-a", { cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: true }, { vpcId: "main-vpc" })
        .add(A.subnet, "app-a", { cidrBlock: "10.0.1.0/24" }, { vpcId: "main-vpc" })
        .add(A.subnet, "db-a", { cidrBlock: "10.0.2.0/24" }, { vpcId: "main-vpc" })
        .add(A.subnet, "db-b", { cidrBlock: "10.0.3.0/24" }, { vpcId: "main-vpc" })
        .add(A.rt, "public-rt", { routes: [{ cidrBlock: "0.0.0.0/0" }] }, { vpcId: "main-vpc", "routes[0].gatewayId": "main-igw" })
        .add(A.rta, "public-a-rta", {}, { subnetId: "public-a", routeTableId: "public-rt" })
        .add(A.eip, "nat-eip", { domain: "vpc" })
        .add(A.nat, "main-nat", {}, { subnetId: "public-a", allocationId: "nat-eip" })
        .add(A.rt, "private-rt", { routes: [{ cidrBlock: "0.0.0.0/0" }] }, { vpcId: "main-vpc", "routes[0].natGatewayId": "main-nat" })
        .add(A.rta, "app-a-rta", {}, { subnetId: "app-a", routeTableId: "private-rt" })
        .add(A.rta, "db-a-rta", {}, { subnetId: "db-a", routeTableId: "private-rt" })
        .add(A.rta, "db-b-rta", {}, { subnetId: "db-b", routeTableId: "private-rt" });
}

export const FLOWS_REGISTRY = (extra = "") => `
services:
  - { name: ssh, ports: [22], protocol: tcp }
${WEB_AND_API}
${POSTGRES_FOR_API}
${extra}knownCidrs: [10.0.0.0/8]
`;
