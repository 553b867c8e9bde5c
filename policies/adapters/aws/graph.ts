// The AWS (classic provider) half of the network graph: which subnets, network ACLs, security groups,
// route tables and public addresses each workload of the stack runs behind, from the firewall and
// topology models (firewalls.ts, topology-*.ts). Links follow ids when known and property
// dependencies during preview; what the stack does not hold is "outside this stack", never assumed
// open or closed. Layers are shared by every workload behind the same ACL or the same set of groups.
import { cidrSet } from "../../model/addresses";
import { Addresses, Hop, InternetPath, Layer, LayerRule, NodesOf, Placement, ResourceName, Workload } from "../../model/graph";
import { IntervalSet, PortSet, portDomain, portRange } from "../../model/intervals";
import { ConcreteProtocol } from "../../model/protocol";
import { FirewallModel } from "../../model/resources";
import { Direction, NormalisedRule } from "../../model/rules";
import { StackResource, Stack, Resolved } from "../../model/stack";
import { isUnknownValue, TopologyLink, TopologyModel, TopologyValue } from "../../model/topology";
import { AssembleOptions, GraphAssembler, wanted, wantedNodes } from "../support/assembler";
import { Input } from "../support/input";
import { layerRules, NO_ADDRESSES, SymbolResolution } from "../support/layers";
import { UNKNOWN } from "../../wire/engine";
import { awsAdapters } from "./firewalls";
import { awsFocus } from "./focus";
import { ROLE, ROUTE_TARGETS } from "./topology-network";
import { code as q, count as num, flag, resourceName as name, scalar } from "../support/topology-values";

const T = {
    sg: "aws:ec2/securityGroup:SecurityGroup",
    defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    acl: "aws:ec2/networkAcl:NetworkAcl",
    defaultAcl: "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl",
    aclRule: "aws:ec2/networkAclRule:NetworkAclRule",
    sgRules: [
        "aws:ec2/securityGroupRule:SecurityGroupRule",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    ],
};

/** Default ports of RDS engines, for an instance or cluster whose `port` is not set. */
const ENGINE_PORTS: readonly [RegExp, number][] = [
    [/postgres/, 5432],
    [/mysql|mariadb|^aurora$/, 3306],
    [/^oracle/, 1521],
    [/^sqlserver/, 1433],
    [/^db2/, 50000],
];

export function enginePort(engine: string): number | undefined {
    return ENGINE_PORTS.find(([re]) => re.test(engine.toLowerCase()))?.[1];
}

/** Amazon MQ's listener ports (Amazon MQ developer guide, troubleshooting: the ports a broker's groups must allow). */
const ACTIVEMQ_PORTS: PortSet = [8162, 61617, 5671, 61614, 8883, 61619].reduce(
    (set, p) => set.union(portRange(p, p)),
    IntervalSet.empty(portDomain),
);
const RABBITMQ_PORTS: PortSet = [443, 5671, 15671].reduce((set, p) => set.union(portRange(p, p)), IntervalSet.empty(portDomain));

interface DataService {
    /** The resource as messages name it ("an ElastiCache cluster") and its service ("ElastiCache"). */
    what: string;
    service: string;
    subnetGroup: string;
    /** The input that names the subnet group, for "names no ...". */
    subnetGroupProp: string;
    /** The resource it runs in, by link: a replication group, a cluster. */
    parent?: { key: string; role: string; what: string };
    port: (engine: string | undefined) => number | undefined;
    /** It has `publiclyAccessible` (default false); without, the service has no public endpoint. */
    publicSetting?: true;
}

const cachePort = (engine: string | undefined) =>
    engine === undefined || /redis|valkey/.test(engine) ? 6379 : /memcached/.test(engine) ? 11211 : undefined;

/** The managed data services placed like RDS, by role. */
const DATA_SERVICES: Record<string, DataService> = {
    [ROLE.cacheCluster]: {
        what: "an ElastiCache cluster",
        service: "ElastiCache",
        subnetGroup: ROLE.cacheSubnetGroup,
        subnetGroupProp: "`subnetGroupName`",
        parent: { key: "replicationGroup", role: ROLE.cacheReplicationGroup, what: "replication group" },
        port: cachePort,
    },
    [ROLE.cacheReplicationGroup]: {
        what: "an ElastiCache replication group",
        service: "ElastiCache",
        subnetGroup: ROLE.cacheSubnetGroup,
        subnetGroupProp: "`subnetGroupName`",
        port: cachePort,
    },
    // publiclyAccessible: "Default is `false`" (@pulumi/aws 7.48.0, redshift/cluster.d.ts); the older provider defaulted to true.
    [ROLE.redshift]: {
        what: "a Redshift cluster",
        service: "Redshift",
        subnetGroup: ROLE.redshiftSubnetGroup,
        subnetGroupProp: "`clusterSubnetGroupName`",
        port: () => 5439,
        publicSetting: true,
    },
    [ROLE.docdbClusterInstance]: {
        what: "a DocumentDB instance",
        service: "DocumentDB",
        subnetGroup: ROLE.docdbSubnetGroup,
        subnetGroupProp: "`dbSubnetGroupName`",
        parent: { key: "cluster", role: ROLE.docdbCluster, what: "cluster" },
        port: () => 27017,
    },
    // Neptune has public endpoints since engine 1.4.6, set per instance (Neptune user guide, "Neptune Public Endpoints").
    [ROLE.neptuneClusterInstance]: {
        what: "a Neptune instance",
        service: "Neptune",
        subnetGroup: ROLE.neptuneSubnetGroup,
        subnetGroupProp: "`neptuneSubnetGroupName`",
        parent: { key: "cluster", role: ROLE.neptuneCluster, what: "cluster" },
        port: () => 8182,
        publicSetting: true,
    },
};

function topo(r: StackResource | undefined): TopologyModel | undefined {
    return r?.model?.kind === "topology" && r.model.provider === "aws" ? r.model : undefined;
}
function fw(r: StackResource | undefined): FirewallModel | undefined {
    return r?.model?.kind === "firewall" && r.model.provider === "aws" ? r.model : undefined;
}
const hasRole =
    (...roles: string[]) =>
    (r: StackResource) =>
        roles.includes(topo(r)?.role ?? "");
const isSg = (r: StackResource) => r.type === T.sg || r.type === T.defaultSg;
const isAcl = (r: StackResource) => r.type === T.acl || r.type === T.defaultAcl;
const isVpc = hasRole(ROLE.vpc);
const isSubnet = hasRole(ROLE.subnet);
const isSgOrVpc = (r: StackResource) => isSg(r) || isVpc(r);
const isEksCluster = hasRole(ROLE.eksCluster);

/** How to close a NodePort Service's way in through EKS nodes, in AWS's terms. */
const EKS_CLOSE =
    "narrow the rules that admit the internet to the nodes' security groups (the cluster security group, or the launch template's `vpcSecurityGroupIds`), set `remoteAccess.sourceSecurityGroupIds`, or put the node group in subnets without public addresses";

function str(m: TopologyModel | undefined, key: string): string | undefined {
    const v = scalar(m, key);
    return typeof v === "string" ? v : undefined;
}

// ---------------------------------------------------------------------------------------------
// Rules AWS supplies itself: its default network ACL and default security group, and the stand-in
// for rules nobody can read yet (a group outside the stack, a list unknown until update).

function awsRules(type: string, props: unknown): NormalisedRule[] {
    const adapter = awsAdapters.find((a) => a.types.includes(type))!;
    return (adapter.normalise(Input.root(props), type) as FirewallModel).rules;
}

let implied: Record<"acl" | "sg" | "unknown" | "ssh" | "sshFromGroups", NormalisedRule[]> | undefined;
function impliedRules(): NonNullable<typeof implied> {
    if (implied) return implied;
    const all = { protocol: "-1", fromPort: 0, toPort: 0 };
    const aclEntries = [
        { ...all, ruleNo: 100, action: "allow", cidrBlock: "0.0.0.0/0" },
        { ...all, ruleNo: 101, action: "allow", ipv6CidrBlock: "::/0" },
    ];
    // Origins read as AWS's console shows the default entries: "rule 100".
    const acl = awsRules(T.acl, { ingress: aclEntries, egress: aclEntries }).map((r) => ({
        ...r,
        origin: `rule ${r.order}`,
        terms: { ...r.terms, order: undefined },
    }));
    const sg = awsRules(T.sg, {
        ingress: [{ ...all, self: true }],
        egress: [{ ...all, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }],
    }).map((r) => ({ ...r, origin: r.direction === "inbound" ? "inbound" : "outbound" }));
    // EKS's remote-access group: ssh from everywhere when no source groups are given.
    const ssh = awsRules(T.sg, {
        ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }],
        egress: [],
    }).map((r) => ({ ...r, origin: "inbound" }));
    const sshFromGroups = awsRules(T.sg, {
        ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, securityGroups: ["sourceSecurityGroupIds"] }],
        egress: [],
    }).map((r) => ({
        ...r,
        origin: "inbound",
    }));
    const unknown = awsRules(T.sg, { ingress: [{ ...all, cidrBlocks: UNKNOWN }], egress: [{ ...all, cidrBlocks: UNKNOWN }] });
    implied = { acl, sg, unknown, ssh, sshFromGroups };
    return implied;
}

// ---------------------------------------------------------------------------------------------

interface Vpc {
    /** The network key: the VPC's URN, or its id when it is outside the stack. */
    key?: string;
    resource?: StackResource;
    /** Why the VPC is not known: outside this stack, unknown until update. */
    missing?: string;
}

interface RouteInfo {
    /** Per family: the table sends the default route to an internet gateway (the hops), to something else (none), or cannot tell. */
    v4: { hops: Hop[] } | "none" | { unknown: string };
    v6: { hops: Hop[] } | "none" | { unknown: string };
    /** A route more specific than the local route inside the VPC: flows through it go to a middlebox. */
    specific?: string;
    /** The route table itself cannot be told. */
    missing?: string;
    /** The table, as the reasons name it (`route table \`rt\``, `the main route table of \`vpc\``). */
    table?: string;
}

interface SubnetInfo {
    resource: StackResource;
    vpc: Vpc;
    addresses?: Addresses;
    mapPublic: boolean | "unknown";
    ipv6: boolean;
    assignIpv6: boolean;
    acl?: Layer;
    aclMissing?: string;
    route: RouteInfo;
    empty: string[];
}

/** Where a workload sits: a subnet of the stack, or why it cannot be told. */
/**
 * `defaultVpc`: no subnet is named, so AWS launches into a default subnet of the region's default VPC.
 * `label`: what names the placement (a subnet outside the stack by its id, so two of them stay apart).
 */
type SubnetRef = { subnet: StackResource } | { missing: string; defaultVpc?: true; label?: string };

/**
 * Where a default subnet puts an instance: AWS creates every default VPC with 172.31.0.0/16 and its
 * default subnets inside it (an IPv6 range only when someone adds one, which the plan does not show).
 */
const DEFAULT_VPC_V4 = cidrSet(["172.31.0.0/16"]).v4;

const DEFAULT_VPC = "aws:ec2/defaultVpc:DefaultVpc";

/**
 * Types a program writes without arguments, every input being optional: `new aws.ec2.DefaultVpc("default", {})`
 * adopts the region's default VPC as AWS made it. The engine's empty outputs (the provider's configuration unknown
 * in preview) show on the other resources too; one of these alone without inputs is the program's `{}`.
 */
const NO_ARGS = new Set([
    DEFAULT_VPC,
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/eip:Eip",
    "aws:ec2/vpnGateway:VpnGateway",
    "aws:ec2/launchTemplate:LaunchTemplate",
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:alb/loadBalancer:LoadBalancer",
]);

/** A security group a workload carries. */
type GroupRef =
    | { sg: StackResource }
    /** AWS's own default group of a VPC of the stack that has no DefaultSecurityGroup resource. */
    | { defaultOf: string }
    /** The cluster security group EKS makes for a cluster of the stack and gives its nodes. */
    | { eksOf: StackResource }
    /** The group EKS makes for a node group's `remoteAccess`: ssh from `from` (group keys), else from everywhere. */
    | { remoteAccess: StackResource; from?: string[] }
    | { missing: string; key?: string };

interface WorkloadSpec {
    resource: StackResource;
    model: TopologyModel;
    tags: Record<string, string>;
    listens?: ReadonlyMap<ConcreteProtocol, PortSet>;
    places: PlaceSpec[];
    /** Placements outside any subnet of the stack (a public endpoint AWS runs outside the VPC). */
    placements?: Placement[];
    unverifiable: string[];
    fronts?: Workload["fronts"];
    nodesOf?: NodesOf;
}

interface PlaceSpec {
    subnet: SubnetRef;
    /** Undefined: no group layer at all (a network load balancer without groups). */
    groups?: GroupRef[];
    /** The public address it gets here, per the provider's rules: a hop text, "unknown", or none. */
    publicV4: { text: string; resource?: ResourceName } | "unknown" | undefined;
    /** Why it gets no public address here, in the workload's own setting (`publiclyAccessible`, `assignPublicIp`). */
    noPublic?: string;
    ipv6?: boolean;
    /** The interface this placement is (several interfaces: several placements). */
    eni?: StackResource;
}

export class AwsGraph {
    private readonly byRole = new Map<string, StackResource[]>();
    private readonly sgRules = new Map<string, StackResource[]>();
    private readonly aclRules = new Map<string, StackResource[]>();
    private readonly subnetAcl = new Map<string, { acl?: StackResource; missing?: string; by: string[] }>();
    private readonly defaultAcl = new Map<string, StackResource>();
    private readonly defaultSg = new Map<string, StackResource>();
    private readonly subnetRt = new Map<string, Resolved>();
    private readonly mainRt = new Map<string, Resolved>();
    private readonly routes = new Map<string, StackResource[]>();
    private readonly igwOfVpc = new Map<string, StackResource>();
    private readonly eips = new Map<string, StackResource[]>();
    private readonly enis = new Map<string, StackResource[]>();
    private readonly attachedEnis = new Set<string>();
    private readonly eniGroups = new Map<string, StackResource[]>();
    private readonly tgTargets = new Map<string, { workload: StackResource; port?: number }[]>();
    private readonly listeners = new Map<string, StackResource[]>();
    private readonly lbTgs = new Map<string, { tg: StackResource; listener: StackResource }[]>();

    private readonly subnets = new Map<StackResource, SubnetInfo>();
    private readonly aclLayers = new Map<string, Layer>();
    private readonly sgLayers = new Map<string, Layer>();
    private readonly vpcs = new Map<StackResource, Vpc>();
    /** Some resource that always has inputs arrived without any: the provider's configuration is unknown in preview. */
    private providerUnknown = false;

    constructor(
        private readonly stack: Stack,
        private readonly options: AssembleOptions,
    ) {
        for (const r of stack.ofProviders("aws")) {
            if ((topo(r)?.empty === true || fw(r)?.empty === true) && !NO_ARGS.has(r.type)) this.providerUnknown = true;
            const role = topo(r)?.role;
            if (role) {
                const list = this.byRole.get(role);
                if (list) list.push(r);
                else this.byRole.set(role, [r]);
            }
        }
        this.index();
    }

    /**
     * The VPC a DefaultVpc adopts is AWS's default one: written with no inputs (`{}`), it is that VPC as AWS made it,
     * not a resource whose inputs the engine could not tell, unless other resources arrived empty too.
     */
    private emptyVpc(vpc: StackResource): boolean {
        return topo(vpc)?.empty === true && (vpc.type !== DEFAULT_VPC || this.providerUnknown);
    }

    /**
     * `new aws.ec2.DefaultSecurityGroup("default", {})` adopts the default group and removes every rule it has
     * (as the provider documents): its empty inputs are those no rules, not a configuration unknown in preview.
     */
    private strippedDefault(sg: StackResource): boolean {
        return sg.type === "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup" && !this.providerUnknown;
    }

    private all(role: string): StackResource[] {
        return this.byRole.get(role) ?? [];
    }

    private links(r: StackResource, key: string): readonly TopologyLink[] {
        return topo(r)?.links[key] ?? fw(r)?.links?.[key] ?? [];
    }

    /** The first link of `key` resolved; undefined when the resource has no such link. */
    private one(r: StackResource, key: string, accept: (x: StackResource) => boolean): Resolved | undefined {
        const l = this.links(r, key)[0];
        return l ? this.stack.resolve(r, l, accept) : undefined;
    }

    /** Every target the links of `key` name. */
    private many(r: StackResource, key: string, accept: (x: StackResource) => boolean): { found: StackResource[]; missing: Resolved[] } {
        const found = new Set<StackResource>();
        const missing: Resolved[] = [];
        for (const l of this.links(r, key)) {
            const res = this.stack.resolve(r, l, accept);
            if (res.state === "found") for (const t of res.targets) found.add(t);
            else missing.push(res);
        }
        return { found: [...found], missing };
    }

    private push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
        const list = map.get(k);
        if (list) list.push(v);
        else map.set(k, [v]);
    }

    /** The ACL a reference names: an ACL of the stack, else the default ACL of the VPC it names. */
    private aclKey(targets: readonly StackResource[]): string {
        const acl = targets.find(isAcl);
        if (acl) return acl.urn;
        const dflt = this.defaultAcl.get(targets[0].urn);
        return dflt ? dflt.urn : `implied:${targets[0].urn}`;
    }

    private index(): void {
        const s = this.stack;
        const claim = (subnet: string, acl: StackResource | undefined, missing: string | undefined, by: StackResource) => {
            const c = this.subnetAcl.get(subnet) ?? { by: [] };
            if (acl && c.acl && c.acl !== acl) c.missing = `it is associated with both ${q(c.acl.name)} and ${q(acl.name)}`;
            else if (acl) c.acl = acl;
            else c.missing = missing;
            c.by.push(by.name);
            this.subnetAcl.set(subnet, c);
        };
        for (const acl of s.resources.filter(isAcl)) {
            for (const sub of this.many(acl, "subnets", isSubnet).found) claim(sub.urn, acl, undefined, acl);
            if (acl.type === T.defaultAcl) {
                const vpc = this.one(acl, "defaultFor", isVpc);
                if (vpc?.state === "found") this.defaultAcl.set(vpc.targets[0].urn, acl);
            }
        }
        for (const r of s.ofProviders("aws")) {
            const m = fw(r);
            if (!m?.attachedTo) continue;
            if (r.type === T.aclRule) {
                // `vpc.defaultNetworkAclId` names the VPC's default ACL, in the stack or AWS's own.
                const res = s.resolve(r, m.attachedTo, (x) => isAcl(x) || isVpc(x));
                if (res.state === "found") this.push(this.aclRules, this.aclKey(res.targets), r);
            } else if (T.sgRules.includes(r.type)) {
                // `vpc.defaultSecurityGroupId` names the VPC's default group, in the stack or AWS's own.
                const res = s.resolve(r, m.attachedTo, isSgOrVpc);
                if (res.state === "found") {
                    const sg = res.targets.find(isSg);
                    this.push(this.sgRules, sg ? sg.urn : `default:${res.targets[0].urn}`, r);
                } else {
                    // `cluster.vpcConfig.clusterSecurityGroupId`: the group EKS made, named by its id when known.
                    const eks = s.resolve(r, m.attachedTo, isEksCluster);
                    const cluster = eks.state === "found" && eks.targets.length === 1 ? eks.targets[0] : undefined;
                    const id = cluster ? str(topo(cluster), "clusterSecurityGroupId") : undefined;
                    if (cluster && (m.attachedTo.literal === undefined || id === undefined || id === m.attachedTo.literal))
                        this.push(this.sgRules, `eks:${cluster.urn}`, r);
                }
            }
        }
        for (const a of this.all(ROLE.aclAssociation)) {
            const sub = this.one(a, "subnet", isSubnet);
            const acl = this.one(a, "acl", (x) => isAcl(x) || isVpc(x));
            if (sub?.state !== "found") continue;
            if (acl?.state === "found")
                claim(
                    sub.targets[0].urn,
                    acl.targets.find(isAcl) ?? this.defaultAcl.get(acl.targets[0].urn) ?? acl.targets[0],
                    undefined,
                    a,
                );
            else
                claim(
                    sub.targets[0].urn,
                    undefined,
                    `its network ACL (association ${q(a.name)}) is ${acl?.state === "outside" ? "outside this stack" : "unknown until update"}`,
                    a,
                );
        }
        for (const g of s.resources.filter((r) => r.type === T.defaultSg)) {
            const m = fw(g)!;
            const vpc = m.network ? s.resolve(g, m.network, isVpc) : undefined;
            if (vpc?.state === "found") this.defaultSg.set(vpc.targets[0].urn, g);
        }
        const isRt = hasRole(ROLE.routeTable);
        for (const a of this.all(ROLE.routeTableAssociation)) {
            const sub = this.one(a, "subnet", isSubnet);
            const rt = this.one(a, "routeTable", (x) => isRt(x) || isVpc(x));
            if (sub?.state === "found" && rt)
                this.subnetRt.set(
                    sub.targets[0].urn,
                    rt.state === "found" ? { state: "found", targets: [rt.targets.find(isRt) ?? rt.targets[0]] } : rt,
                );
        }
        for (const rt of this.all(ROLE.routeTable)) {
            const vpc = this.one(rt, "defaultFor", isVpc);
            if (vpc?.state === "found" && !this.mainRt.has(vpc.targets[0].urn))
                this.mainRt.set(vpc.targets[0].urn, { state: "found", targets: [rt] });
        }
        for (const a of this.all(ROLE.mainRouteTableAssociation)) {
            const vpc = this.one(a, "vpc", isVpc);
            const rt = this.one(a, "routeTable", isRt);
            if (vpc?.state === "found" && rt) this.mainRt.set(vpc.targets[0].urn, rt);
        }
        for (const r of this.all(ROLE.route)) {
            const rt = this.one(r, "routeTable", (x) => isRt(x) || isVpc(x));
            if (rt?.state === "found") this.push(this.routes, (rt.targets.find(isRt) ?? rt.targets[0]).urn, r);
        }
        // Routes and associations that name `vpc.mainRouteTableId` belong to the main table the stack holds.
        for (const [vpc, main] of this.mainRt) {
            if (main.state !== "found") continue;
            for (const r of this.routes.get(vpc) ?? []) this.push(this.routes, main.targets[0].urn, r);
            this.routes.delete(vpc);
        }
        const isIgw = hasRole(ROLE.internetGateway);
        for (const g of this.all(ROLE.internetGateway)) {
            const vpc = this.one(g, "vpc", isVpc);
            if (vpc?.state === "found") this.igwOfVpc.set(vpc.targets[0].urn, g);
        }
        for (const a of this.all(ROLE.internetGatewayAttachment)) {
            const vpc = this.one(a, "vpc", isVpc);
            const g = this.one(a, "gateway", isIgw);
            if (vpc?.state === "found" && g?.state === "found") this.igwOfVpc.set(vpc.targets[0].urn, g.targets[0]);
        }
        const isInstance = hasRole(ROLE.instance);
        const isEni = hasRole(ROLE.eni);
        const isEip = hasRole(ROLE.eip);
        for (const e of this.all(ROLE.eip)) {
            for (const key of ["instance", "networkInterface"]) {
                const t = this.one(e, key, key === "instance" ? isInstance : isEni);
                if (t?.state === "found") this.push(this.eips, t.targets[0].urn, e);
            }
        }
        for (const a of this.all(ROLE.eipAssociation)) {
            const eip = this.one(a, "eip", isEip);
            const label = eip?.state === "found" ? eip.targets[0] : a;
            for (const key of ["instance", "networkInterface"]) {
                const t = this.one(a, key, key === "instance" ? isInstance : isEni);
                if (t?.state === "found") this.push(this.eips, t.targets[0].urn, label);
            }
        }
        for (const i of this.all(ROLE.instance)) {
            for (const e of this.many(i, "networkInterfaces", isEni).found) {
                this.push(this.enis, i.urn, e);
                this.attachedEnis.add(e.urn);
            }
        }
        const attach = (inst: Resolved | undefined, eni: StackResource) => {
            if (inst?.state !== "found") return;
            if (!(this.enis.get(inst.targets[0].urn) ?? []).includes(eni)) this.push(this.enis, inst.targets[0].urn, eni);
            this.attachedEnis.add(eni.urn);
        };
        for (const e of this.all(ROLE.eni)) for (const l of this.links(e, "instance")) attach(this.stack.resolve(e, l, isInstance), e);
        for (const a of this.all(ROLE.eniAttachment)) {
            const eni = this.one(a, "networkInterface", isEni);
            if (eni?.state === "found") attach(this.one(a, "instance", isInstance), eni.targets[0]);
        }
        for (const a of this.all(ROLE.eniSgAttachment)) {
            const eni = this.one(a, "networkInterface", isEni);
            const sg = this.one(a, "securityGroup", isSg);
            if (eni?.state === "found" && sg?.state === "found") this.push(this.eniGroups, eni.targets[0].urn, sg.targets[0]);
        }
        this.indexTargets();
    }

    private indexTargets(): void {
        const isTg = hasRole(ROLE.targetGroup);
        const isLb = hasRole(ROLE.loadBalancer);
        const isListener = hasRole(ROLE.listener);
        const workloadRoles = hasRole(ROLE.instance, ROLE.asg, ROLE.ecsService, ROLE.eni);
        for (const a of this.all(ROLE.targetGroupAttachment)) {
            const tg = this.one(a, "targetGroup", isTg);
            const target = this.one(a, "target", workloadRoles);
            const port = num(topo(a), "port");
            if (tg?.state === "found" && target?.state === "found")
                this.push(this.tgTargets, tg.targets[0].urn, {
                    workload: target.targets[0],
                    ...(typeof port === "number" ? { port } : {}),
                });
        }
        for (const w of [...this.all(ROLE.asg), ...this.all(ROLE.ecsService)]) {
            for (const tg of this.many(w, "targetGroups", isTg).found) this.push(this.tgTargets, tg.urn, { workload: w });
        }
        for (const a of this.all(ROLE.asgAttachment)) {
            const tg = this.one(a, "targetGroup", isTg);
            const asg = this.one(a, "asg", hasRole(ROLE.asg));
            if (tg?.state === "found" && asg?.state === "found") this.push(this.tgTargets, tg.targets[0].urn, { workload: asg.targets[0] });
        }
        const forward = (listener: StackResource, from: StackResource) => {
            const lb = this.one(listener, "loadBalancer", isLb);
            if (lb?.state !== "found") return;
            for (const tg of this.many(from, "targetGroups", isTg).found) this.push(this.lbTgs, lb.targets[0].urn, { tg, listener });
        };
        for (const l of this.all(ROLE.listener)) {
            forward(l, l);
            const lb = this.one(l, "loadBalancer", isLb);
            if (lb?.state === "found") this.push(this.listeners, lb.targets[0].urn, l);
        }
        for (const rule of this.all(ROLE.listenerRule)) {
            const l = this.one(rule, "listener", isListener);
            if (l?.state === "found") forward(l.targets[0], rule);
        }
    }

    // -----------------------------------------------------------------------------------------
    // Networks, subnets, route tables

    private vpcOf(r: StackResource): Vpc {
        let v = this.vpcs.get(r);
        if (v) return v;
        const res = this.one(r, "vpc", isVpc);
        if (!res) v = { missing: `${q(r.name)} names no VPC: AWS puts it in the region's default VPC, outside this stack` };
        else if (res.state === "found") v = { key: res.targets[0].urn, resource: res.targets[0] };
        else if (res.state === "outside") v = { key: res.literal, missing: `its VPC is outside this stack` };
        else v = { missing: `its VPC is unknown until update` };
        this.vpcs.set(r, v);
        return v;
    }

    private subnetInfo(subnet: StackResource): SubnetInfo {
        let info = this.subnets.get(subnet);
        if (info) return info;
        const m = topo(subnet)!;
        const vpc = this.vpcOf(subnet);
        const empty: string[] = [];
        if (m.empty) empty.push(q(subnet.name));
        if (vpc.resource && this.emptyVpc(vpc.resource)) empty.push(q(vpc.resource.name));
        const v4 = str(m, "cidrBlock");
        const v6 = str(m, "ipv6CidrBlock");
        const texts = [v4, v6].filter((x): x is string => x !== undefined);
        const map = flag(m, "mapPublicIpOnLaunch");
        info = {
            resource: subnet,
            vpc,
            empty,
            ...(v4 !== undefined ? { addresses: cidrSet(texts) } : {}),
            mapPublic: map ?? flag(m, "defaultSubnet") === true,
            ipv6: v6 !== undefined || isUnknownValue(scalar(m, "ipv6CidrBlock") ?? ""),
            assignIpv6: flag(m, "assignIpv6AddressOnCreation") === true,
            route: this.routeOf(subnet, vpc, v4),
        };
        const acl = this.aclOf(subnet, vpc);
        if (acl.layer) info.acl = acl.layer;
        if (acl.missing) info.aclMissing = acl.missing;
        if (acl.empty) empty.push(acl.empty);
        this.subnets.set(subnet, info);
        return info;
    }

    private aclOf(subnet: StackResource, vpc: Vpc): { layer?: Layer; missing?: string; empty?: string } {
        const claimed = this.subnetAcl.get(subnet.urn);
        if (claimed?.missing) return { missing: `subnet ${q(subnet.name)}: ${claimed.missing}` };
        if (claimed?.acl && isVpc(claimed.acl)) return { layer: this.impliedAcl(claimed.acl) };
        const acl = claimed?.acl ?? (vpc.resource ? this.defaultAcl.get(vpc.resource.urn) : undefined);
        if (acl) return { layer: this.aclLayer(acl), ...(fw(acl)?.empty ? { empty: q(acl.name) } : {}) };
        if (vpc.resource) return { layer: this.impliedAcl(vpc.resource) };
        return { missing: `subnet ${q(subnet.name)}'s network ACL is not known (${vpc.missing})` };
    }

    private routeOf(subnet: StackResource, vpc: Vpc, v4cidr: string | undefined): RouteInfo {
        let table = this.subnetRt.get(subnet.urn);
        if (!table && vpc.resource) table = this.mainRt.get(vpc.resource.urn) ?? { state: "found", targets: [vpc.resource] };
        if (!table)
            return {
                v4: { unknown: "its route table is not known" },
                v6: { unknown: "its route table is not known" },
                missing: `subnet ${q(subnet.name)}'s route table is not known (${vpc.missing})`,
            };
        if (table.state !== "found") {
            const why = table.state === "outside" ? "outside this stack" : "unknown until update";
            return {
                v4: { unknown: `its route table is ${why}` },
                v6: { unknown: `its route table is ${why}` },
                missing: `subnet ${q(subnet.name)}'s route table is ${why}`,
            };
        }
        let rt = table.targets[0];
        if (isVpc(rt)) {
            const main = this.mainRt.get(rt.urn);
            if (main?.state === "found") rt = main.targets[0];
        }
        const main = isVpc(rt);
        const tableText = main ? `the main route table of ${q(rt.name)}` : `route table ${q(rt.name)}`;
        const routes = this.routesOf(rt, main);
        const info: RouteInfo = { v4: "none", v6: "none", table: tableText };
        const vpcCidr = str(topo(vpc.resource), "cidrBlock") ?? (vpc.resource?.type === DEFAULT_VPC ? "172.31.0.0/16" : undefined);
        for (const route of routes) {
            for (const fam of ["v4", "v6"] as const) {
                const dest = fam === "v4" ? route.v4 : route.v6;
                if (dest === undefined) continue;
                const whole = fam === "v4" ? "0.0.0.0/0" : "::/0";
                if (dest === "unknown") {
                    if (info[fam] === "none") info[fam] = { unknown: `a route of ${tableText} has a destination unknown until update` };
                    continue;
                }
                if (dest === whole) {
                    const via = route.via === "igw" ? "igw" : route.via;
                    if (route.via === "igw") {
                        const igw = route.igw;
                        info[fam] = {
                            hops: [
                                ...(igw ? [{ resource: name(igw), text: `internet gateway ${q(igw.name)}` }] : []),
                                {
                                    resource: name(rt),
                                    text: `${tableText} (${route.resource ? `route ${q(route.resource.name)}: ` : route.implied ? `${route.implied}: ` : ""}${whole} → ${via})`,
                                },
                            ],
                        };
                    } else if (route.via === "unknown" && (info[fam] === "none" || "unknown" in (info[fam] as object))) {
                        info[fam] = { unknown: `${tableText} sends ${whole} to a target unknown until update` };
                    }
                } else if (fam === "v4" && vpcCidr && v4cidr) {
                    const d = cidrSet([dest]).v4;
                    const local = cidrSet([vpcCidr]).v4;
                    if (!d.isEmpty && local.containsSet(d) && !d.containsSet(local))
                        info.specific ??= `${tableText} sends ${dest} to ${route.via === "igw" ? "an internet gateway" : "a middlebox"} instead of the VPC's local route`;
                }
            }
        }
        if (isVpc(rt) ? this.emptyVpc(rt) : topo(rt)?.empty) info.missing = `route table ${q(rt.name)} arrived with no inputs`;
        return info;
    }

    /** The table's routes; a destination (v4, v6) is a CIDR block or "unknown". */
    private routesOf(
        rt: StackResource,
        main: boolean,
    ): { v4?: string; v6?: string; via: "igw" | "other" | "unknown"; igw?: StackResource; resource?: StackResource; implied?: string }[] {
        const out: ReturnType<AwsGraph["routesOf"]> = [];
        const isIgw = hasRole(ROLE.internetGateway);
        const isGateway = hasRole(ROLE.internetGateway, ROLE.otherGateway, ROLE.natGateway);
        const dest = (v: TopologyValue | undefined) =>
            v === undefined ? undefined : isUnknownValue(v) ? "unknown" : typeof v === "string" && v !== "" ? v : undefined;
        const target = (from: StackResource, present: (f: string) => TopologyLink | undefined) => {
            const gw = present("gatewayId");
            if (!gw) return { via: ROUTE_TARGETS.some((f) => present(f)) ? ("other" as const) : ("unknown" as const) };
            if (gw.literal === "local") return { via: "other" as const };
            const res = this.stack.resolve(from, gw, isGateway);
            if (res.state === "found") {
                const igws = res.targets.filter(isIgw);
                if (igws.length === res.targets.length) return { via: "igw" as const, igw: igws[0] };
                if (igws.length === 0) return { via: "other" as const };
                return { via: "unknown" as const };
            }
            if (res.state === "outside") return /^igw-/.test(res.literal) ? { via: "igw" as const } : { via: "other" as const };
            return { via: "unknown" as const };
        };
        const m = topo(rt);
        if (!main && m) {
            const recs = m.values.routes;
            if (Array.isArray(recs)) {
                recs.forEach((rec, i) => {
                    const r = rec as Readonly<Record<string, TopologyValue>>;
                    const t = target(rt, (f) => m.links[`routes[${i}].${f}`]?.[0]);
                    out.push({ v4: dest(r.cidrBlock), v6: dest(r.ipv6CidrBlock), ...t });
                });
            } else if (recs !== undefined && isUnknownValue(recs)) {
                out.push({ v4: "unknown", v6: "unknown", via: "unknown" });
            }
        }
        for (const route of this.routes.get(rt.urn) ?? []) {
            const rm = topo(route)!;
            const t = target(route, (f) => rm.links[f]?.[0]);
            out.push({ v4: dest(scalar(rm, "cidrBlock")), v6: dest(scalar(rm, "ipv6CidrBlock")), ...t, resource: route });
        }
        // AWS makes the default VPC's main route table with 0.0.0.0/0 to the default VPC's internet gateway.
        if (main && rt.type === DEFAULT_VPC && !this.emptyVpc(rt) && !out.some((r) => r.v4 === "0.0.0.0/0" || r.v4 === "unknown"))
            out.push({ v4: "0.0.0.0/0", via: "igw", implied: "AWS's default route" });
        return out;
    }

    // -----------------------------------------------------------------------------------------
    // Layers

    private resolver(firewall: StackResource, self: StackResource) {
        return (symbol: { kind: string; ref?: { property: string; literal?: string } }): SymbolResolution => {
            if (symbol.kind === "self") return { members: this.groupKeys(self) };
            if (symbol.kind !== "security-group" || !symbol.ref) return { unknown: true };
            const res = this.stack.resolve(firewall, symbol.ref, isSgOrVpc);
            if (res.state === "found") {
                // Inline rules share one dependency list: several groups there do not say which this reference is.
                if (symbol.ref.literal === undefined && res.targets.length > 1) return { unknown: true };
                return {
                    members: [
                        ...res.targets.flatMap((t) => (isVpc(t) ? [this.defaultGroupKey(t)] : [t.urn])),
                        ...(symbol.ref.literal ? [symbol.ref.literal] : []),
                    ],
                };
            }
            if (res.state === "outside") return { members: [res.literal] };
            return { unknown: true };
        };
    }

    private groupKeys(sg: StackResource): string[] {
        return [sg.urn, ...(sg.model?.identity ?? [])];
    }

    private defaultGroupKey(vpc: StackResource): string {
        const dsg = this.defaultSg.get(vpc.urn);
        return dsg ? dsg.urn : `aws-default-security-group:${vpc.urn}`;
    }

    private firewallRules(fwr: StackResource, self: StackResource, direction: Direction): LayerRule[] {
        const m = fw(fwr)!;
        const out = layerRules(fwr, m.rules, direction, this.resolver(fwr, self));
        // A whole list unknown until update (or unreadable) may hold any rule: stand-ins that never block and never prove.
        if ([...m.unknown, ...m.problems].some((u) => u.direction === undefined || u.direction === direction))
            out.push(...this.unknownRules(fwr, direction));
        return out;
    }

    private unknownRules(resource: StackResource | ResourceName, direction: Direction): LayerRule[] {
        return impliedRules()
            .unknown.filter((r) => r.direction === direction)
            .map((rule) => ({
                rule,
                resource: { urn: resource.urn, name: resource.name },
                addresses: cidrSet([]),
                members: new Set<string>(),
                unknown: true,
            }));
    }

    private aclLayer(acl: StackResource): Layer {
        let layer = this.aclLayers.get(acl.urn);
        if (layer) return layer;
        const parts = [acl, ...(this.aclRules.get(acl.urn) ?? [])];
        const m = fw(acl)!;
        const unknown = [...m.unknown, ...m.problems].map((u) => u.path);
        layer = {
            kind: "network ACL",
            rule: "network ACL entry",
            resources: [name(acl)],
            stateful: false,
            scope: "segment",
            ordered: true,
            inbound: parts.flatMap((p) => layerRules(p, fw(p)!.rules, "inbound", () => ({ unknown: true }))),
            outbound: parts.flatMap((p) => layerRules(p, fw(p)!.rules, "outbound", () => ({ unknown: true }))),
            ...(unknown.length > 0 ? { unverifiable: `${q(acl.name)} ${unknown.join(", ")} cannot be read until update` } : {}),
        };
        this.aclLayers.set(acl.urn, layer);
        return layer;
    }

    private impliedAcl(vpc: StackResource): Layer {
        const key = `implied:${vpc.urn}`;
        let layer = this.aclLayers.get(key);
        if (layer) return layer;
        const resource = { urn: `${vpc.urn}$default-network-acl`, name: "default", display: `${q(vpc.name)}'s default` };
        // Entry 101 (all IPv6) is there only in a VPC with an IPv6 block.
        const m = topo(vpc);
        const v6 = scalar(m, "ipv6CidrBlock") !== undefined || flag(m, "assignGeneratedIpv6CidrBlock") === true;
        const rules = (d: Direction) =>
            impliedRules()
                .acl.filter((r) => r.direction === d && (v6 || r.order !== 101))
                .map((rule): LayerRule => ({
                    rule,
                    resource,
                    addresses: { v4: rule.peers.v4, v6: rule.peers.v6 },
                    members: new Set(),
                    unknown: false,
                    implied: "allows all",
                }));
        const added = this.aclRules.get(key) ?? [];
        const more = (d: Direction) => added.flatMap((p) => layerRules(p, fw(p)!.rules, d, () => ({ unknown: true })));
        layer = {
            kind: "network ACL",
            rule: "network ACL entry",
            resources: [resource, ...added.map(name)],
            stateful: false,
            scope: "segment",
            ordered: true,
            inbound: [...rules("inbound"), ...more("inbound")],
            outbound: [...rules("outbound"), ...more("outbound")],
        };
        this.aclLayers.set(key, layer);
        return layer;
    }

    private groupLayer(groups: readonly GroupRef[]): Layer {
        const keyOf = (g: GroupRef) =>
            "sg" in g
                ? g.sg.urn
                : "defaultOf" in g
                  ? `default:${g.defaultOf}`
                  : "eksOf" in g
                    ? `eks:${g.eksOf.urn}`
                    : "remoteAccess" in g
                      ? `ssh:${g.remoteAccess.urn}`
                      : `missing:${g.key ?? ""}:${g.missing}`;
        const key = [...new Set(groups.map(keyOf))].sort().join("|");
        let layer = this.sgLayers.get(key);
        if (layer) return layer;
        const resources: ResourceName[] = [];
        const inbound: LayerRule[] = [];
        const outbound: LayerRule[] = [];
        const layerParts = { resources, inbound, outbound };
        const seen = new Set<string>();
        for (const g of groups) {
            if (seen.has(keyOf(g))) continue;
            seen.add(keyOf(g));
            if ("sg" in g) {
                resources.push(name(g.sg));
                for (const part of [g.sg, ...(this.sgRules.get(g.sg.urn) ?? [])]) {
                    inbound.push(...this.firewallRules(part, g.sg, "inbound"));
                    outbound.push(...this.firewallRules(part, g.sg, "outbound"));
                }
            } else if ("defaultOf" in g) {
                const vpcName = this.stack.resourceByUrn(g.defaultOf)?.name;
                const resource = {
                    urn: `${g.defaultOf}$default-security-group`,
                    name: "default",
                    ...(vpcName !== undefined ? { display: `${q(vpcName)}'s default` } : {}),
                };
                this.impliedGroup(
                    resource,
                    `aws-default-security-group:${g.defaultOf}`,
                    "AWS's default group",
                    `default:${g.defaultOf}`,
                    layerParts,
                );
            } else if ("eksOf" in g) {
                const resource = {
                    urn: `${g.eksOf.urn}$cluster-security-group`,
                    name: "cluster security group",
                    display: `${q(g.eksOf.name)}'s cluster security group`,
                };
                this.impliedGroup(
                    resource,
                    `eks-cluster-sg:${g.eksOf.urn}`,
                    "EKS's cluster security group",
                    `eks:${g.eksOf.urn}`,
                    layerParts,
                );
            } else if ("remoteAccess" in g) {
                const resource = {
                    urn: `${g.remoteAccess.urn}$remote-access`,
                    name: "remote access",
                    display: `${q(g.remoteAccess.name)}'s remote-access group (\`remoteAccess\`)`,
                };
                resources.push(resource);
                const implied = impliedRules();
                for (const rule of g.from ? implied.sshFromGroups : implied.ssh)
                    inbound.push({
                        rule,
                        resource,
                        addresses: g.from ? NO_ADDRESSES : { v4: rule.peers.v4, v6: rule.peers.v6 },
                        members: new Set(g.from ?? []),
                        unknown: false,
                        implied: g.from
                            ? "EKS's remote-access group: ssh from `remoteAccess.sourceSecurityGroupIds`"
                            : "EKS's remote-access group: ssh from everywhere (`remoteAccess` without `sourceSecurityGroupIds`)",
                    });
            } else {
                const resource = {
                    urn: `missing:${g.key ?? g.missing}`,
                    name: g.key && /^sg-/.test(g.key) ? g.key : "a group this stack does not hold",
                };
                resources.push(resource);
                inbound.push(...this.unknownRules(resource, "inbound"));
                outbound.push(...this.unknownRules(resource, "outbound"));
            }
        }
        layer = {
            kind: "security groups",
            rule: "security group rule",
            resources,
            stateful: true,
            scope: "workload",
            ordered: false,
            inbound,
            outbound,
        };
        this.sgLayers.set(key, layer);
        return layer;
    }

    /**
     * A group AWS makes with its own rules (a VPC's default group, EKS's cluster security group):
     * inbound from its own members (`member`), all outbound, then the stack's rules on it (`rulesKey`).
     */
    private impliedGroup(
        resource: ResourceName,
        member: string,
        what: string,
        rulesKey: string,
        into: { resources: ResourceName[]; inbound: LayerRule[]; outbound: LayerRule[] },
    ): void {
        into.resources.push(resource);
        const members = new Set([member]);
        for (const rule of impliedRules().sg)
            (rule.direction === "inbound" ? into.inbound : into.outbound).push({
                rule,
                resource,
                addresses: { v4: rule.peers.v4, v6: rule.peers.v6 },
                members: rule.direction === "inbound" ? members : new Set(),
                unknown: false,
                implied: rule.direction === "inbound" ? `${what}: from its own members` : `${what}: all outbound`,
            });
        for (const part of this.sgRules.get(rulesKey) ?? []) {
            into.resources.push(name(part));
            const self = { ...part, urn: member };
            into.inbound.push(...this.firewallRules(part, self, "inbound"));
            into.outbound.push(...this.firewallRules(part, self, "outbound"));
        }
    }

    // -----------------------------------------------------------------------------------------
    // Workloads

    private subnetRefs(r: StackResource, key: string): SubnetRef[] {
        const { found, missing } = this.many(r, key, isSubnet);
        return [
            ...found.map((subnet) => ({ subnet })),
            ...missing.map((m) =>
                m.state === "outside"
                    ? { missing: `${q(r.name)}'s subnet is outside this stack`, ...(m.literal ? { label: m.literal } : {}) }
                    : { missing: `${q(r.name)}'s subnet is unknown until update`, label: "a subnet unknown until update" },
            ),
        ];
    }

    private groupRefs(r: StackResource, keys: string[]): GroupRef[] | undefined {
        const out: GroupRef[] = [];
        let any = false;
        for (const key of keys) {
            for (const l of this.links(r, key)) {
                any = true;
                const res = this.stack.resolve(r, l, isSgOrVpc);
                if (res.state === "found") {
                    for (const t of res.targets) out.push(isVpc(t) ? this.defaultGroupOf(t) : { sg: t });
                } else if (res.state === "outside") {
                    out.push({ missing: `${q(r.name)} carries a security group outside this stack`, key: res.literal });
                } else {
                    out.push({ missing: `${q(r.name)}'s security groups are unknown until update` });
                }
            }
        }
        return any ? out : undefined;
    }

    private defaultGroupOf(vpc: StackResource): GroupRef {
        const dsg = this.defaultSg.get(vpc.urn);
        return dsg ? { sg: dsg } : { defaultOf: vpc.urn };
    }

    /** The VPC's default group, for a workload that names none. */
    private defaultGroups(subnet: SubnetRef): GroupRef[] {
        if (!("subnet" in subnet)) return [{ missing: "its VPC's default security group is not known" }];
        const vpc = this.subnetInfo(subnet.subnet).vpc;
        return vpc.resource
            ? [this.defaultGroupOf(vpc.resource)]
            : [{ missing: `its VPC's default security group is not known (${vpc.missing})` }];
    }

    private memberships(groups: readonly GroupRef[] | undefined): string[] {
        const out: string[] = [];
        for (const g of groups ?? []) {
            if ("sg" in g) out.push(...this.groupKeys(g.sg));
            else if ("defaultOf" in g) out.push(`aws-default-security-group:${g.defaultOf}`);
            else if ("eksOf" in g) {
                out.push(`eks-cluster-sg:${g.eksOf.urn}`);
                const id = str(topo(g.eksOf), "clusterSecurityGroupId");
                if (id !== undefined) out.push(id);
            } else if ("remoteAccess" in g) continue;
            else if (g.key) out.push(g.key);
        }
        return out;
    }

    private placement(spec: PlaceSpec, unverifiable: string[]): Placement {
        const groups = spec.groups;
        const sgLayer = groups ? this.groupLayer(groups) : undefined;
        if (!("subnet" in spec.subnet)) {
            const reasons = [spec.subnet.missing];
            const maybe = spec.publicV4 !== undefined;
            // In the default VPC without an IPv6 address of its own, the instance's address is in its IPv4 range.
            const inDefault = spec.subnet.defaultVpc && !spec.ipv6;
            return {
                label: inDefault ? "a default subnet of the default VPC" : (spec.subnet.label ?? "a subnet outside this stack"),
                ...(inDefault ? { addresses: { v4: DEFAULT_VPC_V4, v6: NO_ADDRESSES.v6 } } : {}),
                layers: sgLayer ? [sgLayer] : [],
                unverifiable: reasons,
                ...(maybe
                    ? {
                          internet: {
                              hops: [{ text: "a subnet this stack does not hold" }],
                              families: ["v4"],
                              unverifiable: spec.subnet.missing,
                          },
                      }
                    : // Whatever the subnet, the workload's own setting keeps a public address away: say which.
                      { noInternet: `no public address: ${spec.noPublic ?? "no Elastic IP or public IP setting"}` }),
            };
        }
        const info = this.subnetInfo(spec.subnet.subnet);
        unverifiable.push(...info.empty.map((e) => `${e} arrived with no inputs (its provider's configuration is unknown in preview)`));
        const reasons: string[] = [];
        if (info.aclMissing) reasons.push(info.aclMissing);
        if (info.route.missing) reasons.push(info.route.missing);
        if (info.route.specific) reasons.push(info.route.specific);
        const layers = [...(info.acl ? [info.acl] : []), ...(sgLayer ? [sgLayer] : [])];
        const label = info.resource.name;
        return {
            label,
            ...(info.vpc.key ? { network: info.vpc.key } : {}),
            segment: info.resource.urn,
            ...(info.addresses ? { addresses: info.addresses } : {}),
            layers,
            unverifiable: reasons,
            ...this.internet(spec, info),
        };
    }

    private internet(spec: PlaceSpec, info: SubnetInfo): { internet?: InternetPath; noInternet?: string } {
        const subnetHop = (addr: string): Hop => ({ resource: name(info.resource), text: `subnet ${q(info.resource.name)} (${addr})` });
        const known: { fam: "v4" | "v6"; hops: Hop[] }[] = [];
        const maybe: { fam: "v4" | "v6"; hops: Hop[]; why: string }[] = [];
        const consider = (fam: "v4" | "v6", addr: { text: string } | "unknown" | undefined) => {
            if (addr === undefined) return;
            const route = info.route[fam];
            if (route === "none") return;
            const addrText = addr === "unknown" ? "a public address unknown until update" : addr.text;
            if ("unknown" in route)
                maybe.push({ fam, hops: [subnetHop(addrText)], why: `subnet ${q(info.resource.name)}: ${route.unknown}` });
            else if (addr === "unknown")
                maybe.push({
                    fam,
                    hops: [...route.hops, subnetHop(addrText)],
                    why: `whether ${q(spec.eni?.name ?? "it")} gets a public address is unknown until update`,
                });
            else known.push({ fam, hops: [...route.hops, subnetHop(addrText)] });
        };
        consider("v4", spec.publicV4);
        if (spec.ipv6 && info.ipv6) consider("v6", { text: "an IPv6 address" });
        if (known.length > 0) return { internet: { hops: known[0].hops, families: known.map((k) => k.fam) } };
        if (maybe.length > 0) return { internet: { hops: maybe[0].hops, families: maybe.map((k) => k.fam), unverifiable: maybe[0].why } };
        const subnet = `subnet ${q(info.resource.name)}`;
        const noRoute = `${subnet} is on ${info.route.table ?? "a route table"}, which sends no 0.0.0.0/0 to an internet gateway`;
        if (spec.publicV4 !== undefined) return { noInternet: noRoute };
        const noPublic = `no public address: ${spec.noPublic ?? `no Elastic IP or public IP setting in ${subnet}`}`;
        // Without a route to an internet gateway a public address would open no way in either: both are reasons.
        return { noInternet: info.route.v4 === "none" ? `${noPublic}; and ${noRoute}` : noPublic };
    }

    /**
     * Why an EC2 instance (or an auto-scaling group's) gets no public IPv4 address: no Elastic IP, its own or its launch
     * template's `associatePublicIpAddress`, else the subnet's `mapPublicIpOnLaunch`. `who` is the subject with its verb.
     */
    private ec2NoPublic(who: string, own: boolean | "unknown" | undefined, subnet: SubnetRef, lt?: StackResource): string {
        const from = lt ? ` (launch template ${q(lt.name)})` : "";
        if (own === false) return `${who} no Elastic IP and \`associatePublicIpAddress: false\`${from}`;
        const sub = "subnet" in subnet ? `subnet ${q(subnet.subnet.name)}` : "its subnet";
        return `${who} no Elastic IP, no \`associatePublicIpAddress\`${from}, and ${sub} does not set \`mapPublicIpOnLaunch\``;
    }

    /** The public IPv4 address a placement gets: an Elastic IP, the workload's own setting, else the subnet's `mapPublicIpOnLaunch`. */
    private publicV4(
        eipOf: StackResource[],
        own: boolean | "unknown" | undefined,
        ownText: string,
        subnet: SubnetRef,
        autoAssign = true,
    ): PlaceSpec["publicV4"] {
        if (eipOf.length > 0) return { text: `Elastic IP ${q(eipOf[0].name)}`, resource: name(eipOf[0]) };
        if (own === true) return { text: `public IP: ${ownText}` };
        if (own === "unknown") return "unknown";
        if (own === false || !autoAssign) return undefined;
        if (!("subnet" in subnet)) return "unknown";
        const map = this.subnetInfo(subnet.subnet).mapPublic;
        if (map === true) return { text: "public IP: `mapPublicIpOnLaunch`" };
        return map === "unknown" ? "unknown" : undefined;
    }

    private ipv6(m: TopologyModel | undefined, subnet: SubnetRef): boolean {
        const count = num(m, "ipv6AddressCount");
        const list = scalar(m, "ipv6Addresses");
        if ((typeof count === "number" && count > 0) || (Array.isArray(list) && list.length > 0)) return true;
        return "subnet" in subnet && this.subnetInfo(subnet.subnet).assignIpv6;
    }

    private instance(r: StackResource): WorkloadSpec {
        const m = topo(r)!;
        const unverifiable: string[] = [];
        const lt = this.launchTemplate(r, "launchTemplate", unverifiable);
        const enis = this.enis.get(r.urn) ?? [];
        const places: PlaceSpec[] = [];
        // An interface the instance itself names (`primaryNetworkInterface`, `networkInterfaces`) replaces its own subnet and groups.
        const primaryEni = this.many(r, "networkInterfaces", hasRole(ROLE.eni)).found[0];
        if (!primaryEni) {
            let subnet: SubnetRef[] = this.subnetRefs(r, "subnet");
            if (subnet.length === 0 && lt) subnet = this.subnetRefs(lt, "subnet");
            if (subnet.length === 0)
                subnet = [
                    { missing: `${q(r.name)} names no subnet: AWS puts it in the default VPC, outside this stack`, defaultVpc: true },
                ];
            const groups =
                this.groupRefs(r, ["securityGroups", "securityGroupNames"]) ??
                (lt && this.groupRefs(lt, ["interfaceSecurityGroups", "securityGroups", "securityGroupNames"])) ??
                this.defaultGroups(subnet[0]);
            const self = flag(m, "associatePublicIpAddress");
            const own = self ?? (lt ? flag(topo(lt), "associatePublicIpAddress") : undefined);
            places.push({
                subnet: subnet[0],
                groups,
                publicV4: this.publicV4(this.eips.get(r.urn) ?? [], own, "`associatePublicIpAddress`", subnet[0]),
                noPublic: this.ec2NoPublic(`${q(r.name)} has`, own, subnet[0], self === undefined ? lt : undefined),
                ipv6: this.ipv6(m, subnet[0]),
            });
        }
        for (const eni of enis) places.push(this.eniPlace(eni, eni === primaryEni ? (this.eips.get(r.urn) ?? []) : []));
        return { resource: r, model: m, tags: { ...(lt ? topo(lt)!.tags : {}), ...m.tags }, places, unverifiable };
    }

    private eniPlace(eni: StackResource, extraEips: StackResource[]): PlaceSpec {
        const m = topo(eni)!;
        const subnet = this.subnetRefs(eni, "subnet")[0] ?? { missing: `${q(eni.name)} names no subnet` };
        const listed = this.groupRefs(eni, ["securityGroups"]);
        const attached = (this.eniGroups.get(eni.urn) ?? []).map((sg): GroupRef => ({ sg }));
        const groups = listed || attached.length > 0 ? [...(listed ?? []), ...attached] : this.defaultGroups(subnet);
        const eips = [...(this.eips.get(eni.urn) ?? []), ...extraEips];
        return {
            subnet,
            groups,
            publicV4: this.publicV4(eips, undefined, "", subnet, false),
            // AWS assigns a public IPv4 address only to the interface it creates at launch: one created on its own gets an Elastic IP or none.
            noPublic: `network interface ${q(eni.name)} has no Elastic IP`,
            ipv6: this.ipv6(m, subnet),
            eni,
        };
    }

    private launchTemplate(r: StackResource, key: string, unverifiable: string[]): StackResource | undefined {
        const res = this.one(r, key, hasRole(ROLE.launchTemplate));
        if (!res) return undefined;
        if (res.state === "found") return res.targets[0];
        unverifiable.push(`${q(r.name)}'s launch template is ${res.state === "outside" ? "outside this stack" : "unknown until update"}`);
        return undefined;
    }

    private database(r: StackResource): WorkloadSpec {
        const m = topo(r)!;
        const unverifiable: string[] = [];
        let source: StackResource = r;
        let portModel: TopologyModel = m;
        if (m.role === ROLE.rdsClusterInstance) {
            const c = this.one(r, "cluster", hasRole(ROLE.rdsCluster));
            if (c?.state === "found") {
                source = c.targets[0];
                portModel = topo(source)!;
            } else unverifiable.push(`${q(r.name)}'s cluster is ${c?.state === "outside" ? "outside this stack" : "not known"}`);
        } else if (this.links(r, "subnetGroup").length === 0 && this.links(r, "replicateSourceDb").length > 0) {
            const src = this.one(r, "replicateSourceDb", hasRole(ROLE.rds));
            if (src?.state === "found") source = src.targets[0];
        }
        const sgHolder = this.links(r, "subnetGroup").length > 0 ? r : source;
        const subnets = this.groupSubnets(r, sgHolder, ROLE.dbSubnetGroup, "`dbSubnetGroupName`", unverifiable);
        const groups = this.groupRefs(source, ["securityGroups"]) ?? this.defaultGroups(subnets[0]);
        // RDS gives an instance a public address only when it is publicly accessible, whatever the subnet's `mapPublicIpOnLaunch`.
        const { publicV4, noPublic } = publicAccess(r, m);
        // An unknown port (or the engine that decides it) is unverifiable, not open on every port the groups admit.
        const p = this.dataPort(
            r,
            portModel === m ? [m] : [portModel, m],
            (engine) => (engine ? enginePort(engine) : undefined),
            unverifiable,
        );
        // A cluster instance serves what its cluster's tags say, unless its own tags say otherwise.
        const clustered = m.role === ROLE.rdsClusterInstance && source !== r;
        return {
            resource: r,
            model: m,
            tags: clustered ? { ...topo(source)!.tags, ...m.tags } : m.tags,
            unverifiable,
            ...(p !== undefined ? { listens: new Map([["tcp", portRange(p, p)]]) } : {}),
            places: subnets.map((subnet) => ({ subnet, groups, publicV4, noPublic, ipv6: false })),
        };
    }

    /**
     * The subnets of the subnet group `holder` links to (a placement in each), or why they are not known. `prop`
     * names the input for a resource that names none: the service then uses the default VPC's default group.
     */
    private groupSubnets(r: StackResource, holder: StackResource, role: string, prop: string, unverifiable: string[]): SubnetRef[] {
        const group = this.one(holder, "subnetGroup", hasRole(role));
        if (!group)
            return [{ missing: `${q(r.name)} names no ${prop}: AWS uses the default VPC's default subnet group, outside this stack` }];
        if (group.state !== "found")
            return [
                { missing: `${q(r.name)}'s subnet group is ${group.state === "outside" ? "outside this stack" : "unknown until update"}` },
            ];
        const g = group.targets[0];
        if (topo(g)?.empty) unverifiable.push(`${q(g.name)} arrived with no inputs (its provider's configuration is unknown in preview)`);
        const subnets = this.subnetRefs(g, "subnets");
        return subnets.length > 0 ? subnets : [{ missing: `${q(g.name)} lists no subnets` }];
    }

    /**
     * The port a data service answers on: its `port`, else its engine's default. An unknown port, or an unknown
     * engine that decides it, makes the workload unverifiable rather than open on every port its groups admit.
     */
    private dataPort(
        r: StackResource,
        models: readonly (TopologyModel | undefined)[],
        fallback: (engine: string | undefined) => number | undefined,
        unverifiable: string[],
    ): number | undefined {
        const port = models.map((x) => num(x, "port")).find((x) => x !== undefined);
        if (typeof port === "number") return port;
        if (port === "unknown") {
            unverifiable.push(`the \`port\` of ${q(r.name)} is unknown until update`);
            return undefined;
        }
        const engine = models.map((x) => scalar(x, "engine")).find((x) => x !== undefined);
        if (engine !== undefined && isUnknownValue(engine)) {
            unverifiable.push(`the \`engine\` of ${q(r.name)}, which decides its port, is unknown until update`);
            return undefined;
        }
        return fallback(typeof engine === "string" ? engine.toLowerCase() : undefined);
    }

    /**
     * ElastiCache, Redshift, DocumentDB and Neptune: placed like RDS, in each subnet of their subnet group behind
     * their security groups. A cache cluster of a replication group, and a cluster instance, run where the group
     * or cluster says, on its port, and serve the service its tags (over the group's or cluster's) name.
     */
    private dataService(r: StackResource): WorkloadSpec {
        const m = topo(r)!;
        const s = DATA_SERVICES[m.role];
        const unverifiable: string[] = [];
        let holder = r;
        let tags = m.tags;
        let lost: string | undefined;
        if (s.parent && this.links(r, s.parent.key).length > 0) {
            const p = this.one(r, s.parent.key, hasRole(s.parent.role))!;
            if (p.state === "found") {
                holder = p.targets[0];
                tags = { ...topo(holder)!.tags, ...m.tags };
            } else lost = `${q(r.name)}'s ${s.parent.what} is ${p.state === "outside" ? "outside this stack" : "unknown until update"}`;
        }
        const subnetHolder = holder !== r && this.links(r, "subnetGroup").length > 0 ? r : holder;
        const subnets: SubnetRef[] =
            lost && this.links(r, "subnetGroup").length === 0
                ? [{ missing: lost }]
                : this.groupSubnets(r, subnetHolder, s.subnetGroup, s.subnetGroupProp, unverifiable);
        if (lost) unverifiable.push(lost);
        const groups = this.groupRefs(holder, ["securityGroups", "securityGroupNames"]) ?? this.defaultGroups(subnets[0]);
        // The group's or cluster's port first: a Neptune instance's own `port` must match its cluster's.
        const port = this.dataPort(r, holder === r ? [m] : [topo(holder), m], s.port, unverifiable);
        const { publicV4, noPublic } = s.publicSetting
            ? publicAccess(r, m)
            : { publicV4: undefined, noPublic: `${q(r.name)} is ${s.what}, and ${s.service} has no public endpoint` };
        return {
            resource: r,
            model: m,
            tags,
            unverifiable,
            ...(port !== undefined ? { listens: new Map([["tcp", portRange(port, port)]]) } : {}),
            places: subnets.map((subnet) => ({ subnet, groups, publicV4, noPublic, ipv6: false })),
        };
    }

    /**
     * An Amazon MQ broker: in each of its subnets behind its groups, on its engine's ports. A public ActiveMQ broker
     * gets a public address there; a public RabbitMQ broker is reached on a network load balancer AWS runs outside
     * the VPC, where no security group of the stack applies: the whole internet reaches its ports.
     */
    private broker(r: StackResource): WorkloadSpec {
        const m = topo(r)!;
        const unverifiable: string[] = [];
        const engineValue = scalar(m, "engineType");
        const engine = typeof engineValue === "string" ? engineValue.toLowerCase() : undefined;
        if (engineValue !== undefined && isUnknownValue(engineValue))
            unverifiable.push(`the \`engineType\` of ${q(r.name)}, which decides its ports, is unknown until update`);
        const ports = engine === "activemq" ? ACTIVEMQ_PORTS : engine === "rabbitmq" ? RABBITMQ_PORTS : undefined;
        const listens = ports ? new Map<ConcreteProtocol, PortSet>([["tcp", ports]]) : undefined;
        // Unset reads false: the provider sends `publiclyAccessible` as the boolean it holds (terraform-provider-aws mq/broker.go).
        const pub = flag(m, "publiclyAccessible") ?? false;
        if (pub === true && engine === "rabbitmq") {
            const placement: Placement = {
                label: "public endpoint",
                layers: [],
                unverifiable: [],
                anyNetwork: true,
                internet: {
                    hops: [
                        {
                            resource: name(r),
                            text: `public endpoint of RabbitMQ broker ${q(r.name)} (\`publiclyAccessible\`: outside the VPC, no security groups)`,
                        },
                    ],
                    families: ["v4"],
                },
            };
            return {
                resource: r,
                model: m,
                tags: m.tags,
                unverifiable,
                ...(listens ? { listens } : {}),
                places: [],
                placements: [placement],
            };
        }
        let subnets = this.subnetRefs(r, "subnets");
        if (subnets.length === 0)
            subnets = [
                { missing: `${q(r.name)} names no \`subnetIds\`: Amazon MQ uses a default subnet of the default VPC, outside this stack` },
            ];
        const groups = this.groupRefs(r, ["securityGroups"]) ?? this.defaultGroups(subnets[0]);
        const { publicV4, noPublic } = publicAccess(r, m);
        return {
            resource: r,
            model: m,
            tags: m.tags,
            unverifiable,
            ...(listens ? { listens } : {}),
            places: subnets.map((subnet) => ({ subnet, groups, publicV4, noPublic, ipv6: false })),
        };
    }

    /**
     * An OpenSearch (or Elasticsearch) domain: with `vpcOptions`, in its subnets behind its groups on 443; without,
     * its endpoint is public, outside any VPC, and only its access policy (not read) filters it: unverifiable.
     */
    private searchDomain(r: StackResource): WorkloadSpec {
        const m = topo(r)!;
        const listens = new Map<ConcreteProtocol, PortSet>([["tcp", portRange(443, 443)]]);
        if (flag(m, "vpcOptions") !== true) {
            const why = `${q(r.name)} has no \`vpcOptions\`: its endpoint is public and only its access policy (\`accessPolicies\`, not read) filters it`;
            const placement: Placement = {
                label: "public endpoint",
                layers: [],
                unverifiable: [why],
                anyNetwork: true,
                internet: {
                    hops: [{ resource: name(r), text: `public endpoint of ${q(r.name)} (no \`vpcOptions\`)` }],
                    families: ["v4"],
                    unverifiable: why,
                },
            };
            return { resource: r, model: m, tags: m.tags, unverifiable: [], listens, places: [], placements: [placement] };
        }
        const found = this.subnetRefs(r, "subnets");
        const subnets: SubnetRef[] = found.length > 0 ? found : [{ missing: `${q(r.name)} names no \`vpcOptions.subnetIds\`` }];
        const groups = this.groupRefs(r, ["securityGroups"]) ?? this.defaultGroups(subnets[0]);
        const noPublic = `${q(r.name)} is a domain in a VPC (\`vpcOptions\`), which has no public endpoint`;
        return {
            resource: r,
            model: m,
            tags: m.tags,
            unverifiable: [],
            listens,
            places: subnets.map((subnet) => ({ subnet, groups, publicV4: undefined, noPublic, ipv6: false })),
        };
    }

    private loadBalancer(r: StackResource): WorkloadSpec | undefined {
        const m = topo(r)!;
        const type = str(m, "loadBalancerType") ?? "application";
        if (type === "gateway") return undefined;
        const subnets = this.subnetRefs(r, "subnets");
        const unverifiable: string[] = [];
        if (subnets.length === 0) unverifiable.push(`${q(r.name)} names no subnets`);
        const groups =
            this.groupRefs(r, ["securityGroups"]) ??
            (type === "application" ? this.defaultGroups(subnets[0] ?? { missing: "" }) : undefined);
        const internal = flag(m, "internal") ?? false;
        const publicV4 =
            internal === false ? { text: "internet-facing load balancer" } : internal === "unknown" ? ("unknown" as const) : undefined;
        const listens = new Map<ConcreteProtocol, PortSet>();
        let unknownPort = false;
        for (const l of this.listeners.get(r.urn) ?? []) {
            const port = num(topo(l), "port");
            if (typeof port !== "number") {
                unknownPort = true;
                continue;
            }
            const proto = (str(topo(l), "protocol") ?? (type === "network" ? "TCP" : "HTTP")).toUpperCase();
            for (const p of proto === "UDP" ? ["udp"] : proto === "TCP_UDP" ? ["tcp", "udp"] : (["tcp"] as const)) {
                const c = p as ConcreteProtocol;
                listens.set(c, (listens.get(c) ?? IntervalSet.empty(portDomain)).union(portRange(port, port)));
            }
        }
        const targets = (this.lbTgs.get(r.urn) ?? []).flatMap(({ tg }) => (this.tgTargets.get(tg.urn) ?? []).map((t) => ({ tg, ...t })));
        return {
            resource: r,
            model: m,
            tags: m.tags,
            unverifiable,
            ...(unknownPort ? {} : { listens }),
            places: (subnets.length > 0 ? subnets : [{ missing: `${q(r.name)} names no subnets` }]).map((subnet) => ({
                subnet,
                ...(groups ? { groups } : {}),
                publicV4,
                noPublic: `${q(r.name)} is an internal load balancer (\`internal: true\`)`,
                ipv6: false,
            })),
            fronts: targets.map((t) => ({
                targets: [t.workload.urn],
                ...((t.port ?? tgPort(t.tg)) !== undefined ? { port: t.port ?? tgPort(t.tg) } : {}),
                ...(tgProtocol(t.tg) ? { protocol: tgProtocol(t.tg) } : {}),
                passesClientAddress: type === "network" && passesClient(t.tg),
            })),
        };
    }

    private service(r: StackResource): WorkloadSpec | undefined {
        const m = topo(r)!;
        if (m.role === ROLE.ecsService && flag(m, "networkConfiguration") !== true) return undefined;
        if (m.role === ROLE.lambda && flag(m, "vpcConfig") !== true) return undefined;
        const subnets = this.subnetRefs(r, "subnets");
        const places = (subnets.length > 0 ? subnets : [{ missing: `${q(r.name)} names no subnets` }]).map((subnet): PlaceSpec => {
            const groups = this.groupRefs(r, ["securityGroups"]) ?? this.defaultGroups(subnet);
            const set = m.role === ROLE.ecsService ? flag(m, "assignPublicIp") : false;
            const pub = set ?? false;
            return {
                subnet,
                groups,
                publicV4: pub === true ? { text: "public IP: `assignPublicIp`" } : pub === "unknown" ? "unknown" : undefined,
                noPublic:
                    m.role === ROLE.lambda
                        ? `${q(r.name)} is a Lambda function in a VPC (\`vpcConfig\`), which never gets a public address`
                        : set === false
                          ? `${q(r.name)} has \`networkConfiguration.assignPublicIp: false\``
                          : `${q(r.name)} leaves \`networkConfiguration.assignPublicIp\` unset (default false), so its tasks get none`,
                ipv6: false,
            };
        });
        // A Lambda function answers on no port: it is only ever a client.
        return { resource: r, model: m, tags: m.tags, places, unverifiable: [], ...(m.role === ROLE.lambda ? { listens: new Map() } : {}) };
    }

    private asg(r: StackResource): WorkloadSpec {
        const m = topo(r)!;
        const unverifiable: string[] = [];
        const lt = this.launchTemplate(r, "launchTemplate", unverifiable);
        let subnets = this.subnetRefs(r, "subnets");
        if (subnets.length === 0 && lt) subnets = this.subnetRefs(lt, "subnet");
        if (subnets.length === 0)
            subnets = [
                { missing: `${q(r.name)} names no \`vpcZoneIdentifiers\`: its instances run in the default VPC, outside this stack` },
            ];
        const ltGroups = lt ? this.groupRefs(lt, ["interfaceSecurityGroups", "securityGroups", "securityGroupNames"]) : undefined;
        const own = lt ? flag(topo(lt), "associatePublicIpAddress") : undefined;
        const places = subnets.map((subnet): PlaceSpec => ({
            subnet,
            groups:
                ltGroups ??
                (lt || !this.links(r, "launchTemplate").length
                    ? this.defaultGroups(subnet)
                    : [{ missing: `${q(r.name)}'s launch template is not known` }]),
            publicV4: this.publicV4([], own, "`associatePublicIpAddress`", subnet),
            noPublic: this.ec2NoPublic(`the instances of ${q(r.name)} have`, own, subnet, lt),
            ipv6: false,
        }));
        return { resource: r, model: m, tags: { ...(lt ? topo(lt)!.tags : {}), ...m.tags }, places, unverifiable };
    }

    /**
     * An EKS managed node group: its nodes in each of its subnets, carrying its launch template's
     * groups, else the cluster security group EKS makes (its own members in, everything out, plus
     * the stack's rules on it), and the remote-access group EKS makes for `remoteAccess`.
     */
    private nodeGroup(r: StackResource, cluster: StackResource | undefined): WorkloadSpec {
        const m = topo(r)!;
        const unverifiable: string[] = [];
        const lt = this.launchTemplate(r, "launchTemplate", unverifiable);
        let subnets = this.subnetRefs(r, "subnets");
        if (subnets.length === 0) subnets = [{ missing: `${q(r.name)} names no \`subnetIds\`` }];
        const ltGroups = lt ? this.groupRefs(lt, ["interfaceSecurityGroups", "securityGroups", "securityGroupNames"]) : undefined;
        const base: GroupRef[] =
            ltGroups ??
            (cluster
                ? [{ eksOf: cluster }]
                : [{ missing: `the cluster security group of ${q(r.name)}'s cluster (\`clusterName\`) is not in the plan` }]);
        const key = m.values.remoteAccessKey;
        const from = this.groupRefs(r, ["remoteAccessGroups"]);
        const groups: GroupRef[] = [
            ...base,
            ...(key === undefined
                ? []
                : isUnknownValue(key) && !from
                  ? [{ missing: `whether ${q(r.name)}'s \`remoteAccess\` opens ssh is unknown until update` }]
                  : [{ remoteAccess: r, ...(from ? { from: this.memberships(from) } : {}) }]),
        ];
        const own = lt ? flag(topo(lt), "associatePublicIpAddress") : undefined;
        const places = subnets.map((subnet): PlaceSpec => ({
            subnet,
            groups,
            publicV4: this.publicV4([], own, "`associatePublicIpAddress`", subnet),
            noPublic: this.ec2NoPublic(`the nodes of ${q(r.name)} have`, own, subnet, lt),
            ipv6: false,
        }));
        return {
            resource: r,
            model: m,
            tags: m.tags,
            places,
            unverifiable,
            ...(cluster ? { nodesOf: { cluster: cluster.urn, label: `node group ${q(r.name)}`, close: EKS_CLOSE } } : {}),
        };
    }

    // -----------------------------------------------------------------------------------------

    assemble(): Workload[] {
        const specs: WorkloadSpec[] = [];
        const want = (r: StackResource) => wanted(this.options, r);
        for (const r of this.all(ROLE.instance).filter(want)) specs.push(this.instance(r));
        for (const r of this.all(ROLE.eni).filter(want)) {
            if (this.attachedEnis.has(r.urn)) continue;
            specs.push({ resource: r, model: topo(r)!, tags: topo(r)!.tags, places: [this.eniPlace(r, [])], unverifiable: [] });
        }
        for (const r of [...this.all(ROLE.rds), ...this.all(ROLE.rdsClusterInstance)].filter(want)) specs.push(this.database(r));
        for (const role of Object.keys(DATA_SERVICES)) for (const r of this.all(role).filter(want)) specs.push(this.dataService(r));
        for (const r of this.all(ROLE.mqBroker).filter(want)) specs.push(this.broker(r));
        for (const r of this.all(ROLE.searchDomain).filter(want)) specs.push(this.searchDomain(r));
        // Every load balancer: a network load balancer's way in is also its targets'.
        for (const r of this.all(ROLE.loadBalancer)) {
            const s = this.loadBalancer(r);
            if (s) specs.push(s);
        }
        for (const r of [...this.all(ROLE.ecsService), ...this.all(ROLE.lambda)].filter(want)) {
            const s = this.service(r);
            if (s) specs.push(s);
        }
        for (const r of this.all(ROLE.asg).filter(want)) specs.push(this.asg(r));
        for (const r of this.all(ROLE.eksNodeGroup)) {
            const c = this.one(r, "cluster", isEksCluster);
            const cluster = c?.state === "found" && c.targets.length === 1 ? c.targets[0] : undefined;
            if (wantedNodes(this.options, r, cluster?.urn)) specs.push(this.nodeGroup(r, cluster));
        }

        const workloads = new Map<string, Workload>();
        for (const s of specs) {
            const unverifiable = [...s.unverifiable];
            if (s.model.empty)
                unverifiable.push(`${q(s.resource.name)} arrived with no inputs (its provider's configuration is unknown in preview)`);
            const placements = s.places.map((p) => this.placement(p, unverifiable));
            if (s.placements) placements.push(...s.placements);
            for (const p of s.places)
                for (const g of p.groups ?? [])
                    if ("sg" in g && fw(g.sg)?.empty && !this.strippedDefault(g.sg))
                        unverifiable.push(`${q(g.sg.name)} arrived with no inputs (its provider's configuration is unknown in preview)`);
            const service = s.tags[this.options.serviceTag];
            const memberships = new Set(s.places.flatMap((p) => this.memberships(p.groups)));
            const w: Workload = {
                urn: s.resource.urn,
                name: s.resource.name,
                type: s.resource.type,
                placements,
                memberships,
                ...(service !== undefined ? { service } : {}),
                ...(s.listens ? { listens: s.listens } : {}),
                ...(s.fronts && s.fronts.length > 0 ? { fronts: s.fronts } : {}),
                ...(s.nodesOf ? { nodesOf: s.nodesOf } : {}),
                ...(unverifiable.length > 0 ? { unverifiable: [...new Set(unverifiable)].join("; ") } : {}),
            };
            workloads.set(w.urn, w);
        }
        // An internet-facing network load balancer that keeps the client's address: its targets' groups see the internet.
        for (const s of specs) {
            if (topo(s.resource)?.role !== ROLE.loadBalancer || str(s.model, "loadBalancerType") !== "network") continue;
            const lb = workloads.get(s.resource.urn)!;
            const front = lb.placements.find((p) => p.internet);
            if (!front?.internet) continue;
            for (const { tg, listener } of this.lbTgs.get(s.resource.urn) ?? []) {
                if (!passesClient(tg)) continue;
                const lport = num(topo(listener), "port");
                for (const t of this.tgTargets.get(tg.urn) ?? []) {
                    const target = workloads.get(t.workload.urn);
                    const port = t.port ?? tgPort(tg);
                    if (!target || typeof lport !== "number") continue;
                    const tproto: ConcreteProtocol = (str(topo(tg), "protocol") ?? "TCP").toUpperCase() === "UDP" ? "udp" : "tcp";
                    const forwarded = new Map<ConcreteProtocol, PortSet>([
                        [tproto, port !== undefined ? portRange(port, port) : IntervalSet.full(portDomain)],
                    ]);
                    for (const p of [...target.placements]) {
                        if (p.internet?.front) continue;
                        target.placements.push({
                            ...p,
                            label: `${p.label} through ${q(lb.name)}`,
                            internet: {
                                hops: [
                                    ...front.internet.hops,
                                    {
                                        resource: name(s.resource),
                                        text: `network load balancer ${q(lb.name)} (listener ${tproto} ${lport} → ${port ?? "the target's port"}, client address kept)`,
                                    },
                                ],
                                families: front.internet.families,
                                ports: forwarded,
                                front: { layers: front.layers, ports: new Map([[tproto, portRange(lport, lport)]]) },
                                ...(front.internet.unverifiable ? { unverifiable: front.internet.unverifiable } : {}),
                            },
                        });
                    }
                }
            }
        }
        return [...workloads.values()].filter((w) => wantedNodes(this.options, w, w.nodesOf?.cluster));
    }
}

function tgPort(tg: StackResource): number | undefined {
    const p = num(topo(tg), "port");
    return typeof p === "number" ? p : undefined;
}

/** The protocol a target group connects to its targets with; undefined for TCP_UDP (both) or when unknown. */
function tgProtocol(tg: StackResource): ConcreteProtocol | undefined {
    const p = str(topo(tg), "protocol")?.toUpperCase();
    if (p === undefined || p === "TCP_UDP" || p === "GENEVE") return undefined;
    return p === "UDP" ? "udp" : "tcp";
}

/** A data service's public endpoint by its `publiclyAccessible` (default false), and why there is none. */
function publicAccess(r: StackResource, m: TopologyModel): { publicV4: PlaceSpec["publicV4"]; noPublic: string } {
    const pub = flag(m, "publiclyAccessible");
    return {
        publicV4: pub === true ? { text: "public endpoint: `publiclyAccessible`" } : pub === "unknown" ? "unknown" : undefined,
        noPublic:
            pub === false
                ? `${q(r.name)} has \`publiclyAccessible: false\``
                : `${q(r.name)} leaves \`publiclyAccessible\` unset (default false)`,
    };
}

/** Whether a target group behind a network load balancer keeps the client's address (AWS's defaults by target type and protocol). */
function passesClient(tg: StackResource): boolean {
    const m = topo(tg);
    const set = flag(m, "preserveClientIp");
    if (set === true || set === false) return set;
    const proto = (str(m, "protocol") ?? "TCP").toUpperCase();
    if (proto === "UDP" || proto === "TCP_UDP") return true;
    return (str(m, "targetType") ?? "instance") === "instance";
}

export const awsGraphAssembler: GraphAssembler = {
    provider: "aws",
    providers: ["aws"],
    closeInternet:
        "narrow the security group or network ACL rules that admit the internet, drop the public address (`associatePublicIpAddress`, the subnet's `mapPublicIpOnLaunch`, `publiclyAccessible`, an Elastic IP), or route the subnet through a NAT gateway instead of an internet gateway",
    assemble: (stack: Stack, options: AssembleOptions) => new AwsGraph(stack, options).assemble(),
    focus: awsFocus,
};
