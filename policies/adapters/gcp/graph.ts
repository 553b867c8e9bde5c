// The Google Cloud (classic provider) half of the network graph: which network, subnetwork, routes,
// external addresses and firewall rules each workload of the stack runs behind, from the firewall and
// topology models (firewalls.ts, flow-logs.ts, topology-*.ts).
//
// GCP filters every packet at the instance's network interface, with the rules of the interface's
// network that target it, evaluated as one first-match list per direction, level by level:
// hierarchical firewall policies, then (AFTER_CLASSIC_FIREWALL, the default) the VPC firewall rules,
// the global and the regional network firewall policy (BEFORE_CLASSIC_FIREWALL puts the policies
// first), then the implied rules (deny all ingress, allow all egress). Inside a level the lowest
// priority wins, and a deny wins over an allow of the same priority; `goto_next` hands what it
// matches to the next level. So each interface gets one ordered, stateful layer, its rules in that
// order, shared by every interface of the same network that the same rules target.
//
// What the stack cannot tell is never assumed open or closed: rules whose targets, priority or scope
// cannot be told become stand-ins that make what they could match unverifiable; a network, subnetwork
// or policy outside the stack makes paths through it unverifiable.
import { AddrSet, cidrSet, SymbolicPeer, v4Domain } from "../../model/addresses";
import {
    Addresses,
    Hop,
    InternetPath,
    Layer,
    LayerRule,
    NodesOf,
    Placement,
    ResourceName,
    Workload,
    isEmpty,
    minus,
    union,
} from "../../model/graph";
import { ALL_PORTS, IntervalSet, NO_PORTS, PortSet, portDomain, portRange } from "../../model/intervals";
import { CONCRETE_PROTOCOLS, ConcreteProtocol, Protocol } from "../../model/protocol";
import { Link } from "../../model/resources";
import { Direction, NormalisedRule } from "../../model/rules";
import { Resolved, Stack, StackResource } from "../../model/stack";
import { isUnknownValue, TopologyLink, TopologyModel, TopologyValue } from "../../model/topology";
import { isUnknownValue as unknownOnTheWire, placeholderKey, UNKNOWN } from "../../wire/engine";
import { AssembleOptions, GraphAssembler, wanted, wantedNodes } from "../support/assembler";
import { Input } from "../support/input";
import { gcpFocus } from "./focus";
import { layerRules, referenceKeys, SymbolResolution } from "../support/layers";
import { gcpAdapters, GcpFirewallModel } from "./firewalls";
import { GcpSubnetworkModel } from "./flow-logs";
import { canonical, lastSegment, ROLE } from "./topology-network";
import { regionOf } from "./topology-workloads";
import { code as q, count as num, flag, resourceName as name, scalar } from "../support/topology-values";

const T = {
    firewall: "gcp:compute/firewall:Firewall",
    hierarchicalRule: "gcp:compute/firewallPolicyRule:FirewallPolicyRule",
    networkRule: "gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule",
    regionRule: "gcp:compute/regionNetworkFirewallPolicyRule:RegionNetworkFirewallPolicyRule",
    hierarchicalWithRules: "gcp:compute/firewallPolicyWithRules:FirewallPolicyWithRules",
    networkWithRules: "gcp:compute/networkFirewallPolicyWithRules:NetworkFirewallPolicyWithRules",
    regionWithRules: "gcp:compute/regionNetworkFirewallPolicyWithRules:RegionNetworkFirewallPolicyWithRules",
};

/** Default ports of Cloud SQL engines by `databaseVersion`. */
const ENGINE_PORTS: readonly [RegExp, number][] = [
    [/^POSTGRES/i, 5432],
    [/^MYSQL/i, 3306],
    [/^SQLSERVER/i, 1433],
];

export function sqlPort(databaseVersion: string): number | undefined {
    return ENGINE_PORTS.find(([re]) => re.test(databaseVersion.trim()))?.[1];
}

/** Addresses that are never on the internet: what a threat-intelligence list or a region code cannot name. */
const NOT_PUBLIC = cidrSet([
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "::1/128",
    "fc00::/7",
    "fe80::/10",
]);
const PUBLIC: Addresses = { v4: NOT_PUBLIC.v4.complement(), v6: NOT_PUBLIC.v6.complement() };
const NONE: Addresses = cidrSet([]);
const EVERY: Addresses = cidrSet(["0.0.0.0/0", "::/0"]);
const WHOLE = { v4: "0.0.0.0/0", v6: "::/0" } as const;

/** Priority ranges are below 2^31: each level of evaluation gets its own band of the flat order. */
const LEVEL_BAND = 1e12;
/** Types a program often creates without arguments (every input has a default). */
const NO_ARGS = new Set([
    "gcp:compute/address:Address",
    "gcp:compute/globalAddress:GlobalAddress",
    "gcp:serviceaccount/account:Account",
    "gcp:compute/networkFirewallPolicy:NetworkFirewallPolicy",
    "gcp:compute/router:Router",
]);

function topo(r: StackResource | undefined): TopologyModel | undefined {
    const m = r?.model;
    if (m?.provider !== "gcp") return undefined;
    if (m.kind === "topology") return m;
    if (m.kind === "flow-log" && "topology" in m) return (m as GcpSubnetworkModel).topology;
    return undefined;
}
function fw(r: StackResource | undefined): GcpFirewallModel | undefined {
    return r?.model?.kind === "firewall" && r.model.provider === "gcp" ? r.model : undefined;
}
const hasRole =
    (...roles: string[]) =>
    (r: StackResource) =>
        roles.includes(topo(r)?.role ?? "");
const isNetwork = hasRole(ROLE.network);
const isSubnet = hasRole(ROLE.subnetwork);
const isAccount = hasRole(ROLE.serviceAccount);
const isTagValue = hasRole(ROLE.tagValue);

/** The value, "unknown" when it is unknown until update. */
function str(m: TopologyModel | undefined, key: string): string | undefined {
    const v = scalar(m, key);
    if (v !== undefined && isUnknownValue(v)) return "unknown";
    return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}
/** A list of names (network tags, ranges): the known ones, and whether any is unknown. */
function names(m: TopologyModel | undefined, key: string): { known: string[]; unknown: boolean } {
    const v = scalar(m, key);
    if (v === undefined) return { known: [], unknown: false };
    if (isUnknownValue(v)) return { known: [], unknown: true };
    const list = typeof v === "string" ? [v] : Array.isArray(v) ? (v as readonly string[]) : [];
    const notKnown = (x: string) => unknownOnTheWire(x) || placeholderKey(x) !== undefined;
    return { known: list.filter((x) => !notKnown(x) && x.trim() !== "").map((x) => x.trim()), unknown: list.some(notKnown) };
}

function canonLink<L extends TopologyLink | Link>(l: L): L {
    return l.literal !== undefined ? { ...l, literal: canonical(l.literal) } : l;
}

function sameSet(a: AddrSet, b: AddrSet): boolean {
    return a.containsSet(b) && b.containsSet(a);
}

function concrete(p: Protocol): ConcreteProtocol[] {
    return p === "all" ? [...CONCRETE_PROTOCOLS] : p === "other" ? [] : [p];
}
function portsOf(rule: NormalisedRule, p: ConcreteProtocol): PortSet {
    return p === "icmp" ? ALL_PORTS : rule.ports;
}

// ---------------------------------------------------------------------------------------------
// Rules GCP supplies itself, and the stand-in for rules nobody can tell yet.

function vpcRules(props: Record<string, unknown>): NormalisedRule[] {
    const adapter = gcpAdapters.find((a) => a.types.includes(T.firewall))!;
    return (adapter.normalise(Input.root(props), T.firewall) as GcpFirewallModel).rules;
}

let builtIn: { egress: NormalisedRule; unknown: Record<Direction, NormalisedRule> } | undefined;
function builtInRules(): NonNullable<typeof builtIn> {
    if (builtIn) return builtIn;
    const [egress] = vpcRules({
        direction: "EGRESS",
        priority: 65535,
        destinationRanges: [WHOLE.v4, WHOLE.v6],
        allows: [{ protocol: "all" }],
    });
    const [inbound] = vpcRules({ sourceRanges: UNKNOWN, allows: [{ protocol: "all" }] });
    const [outbound] = vpcRules({ direction: "EGRESS", destinationRanges: UNKNOWN, allows: [{ protocol: "all" }] });
    builtIn = { egress: { ...egress, origin: "the implied egress rule" }, unknown: { inbound, outbound } };
    return builtIn;
}

// ---------------------------------------------------------------------------------------------

/** A VPC network, in the stack or not. */
interface Net {
    /** The network's key: its URN, or `gcp-network:<name>` for one outside the stack. */
    key?: string;
    resource?: StackResource;
    name: string;
    /** Why the network is not (fully) known: outside this stack, unknown until update. */
    missing?: string;
    outside?: boolean;
}

interface Subnet {
    resource: StackResource;
    net: Net;
    /** "unknown" when unknown until update. */
    region?: string;
    addresses?: Addresses;
    /** Instances here may get external IPv6 addresses (`ipv6AccessType: EXTERNAL`). */
    externalV6: boolean;
    empty: boolean;
}

/** What firewall rules may target on an interface: its network tags, service account and secure tags, and its region. */
interface Targeting {
    tags: readonly string[] | "unknown";
    accounts: readonly string[] | "unknown";
    secureTags: readonly string[] | "unknown";
    /** "unknown" when unknown until update. */
    region?: string;
    /** A tag the plan cannot know (GKE's `gke-<cluster>-<hash>-node`): a rule naming a tag of this shape may target the instance or not. */
    autoTag?: { shape: RegExp; why: string };
}

/** One network interface of a workload (an instance, the instances of a group). */
interface Nic {
    index: number;
    /** The resource whose interface it is (the instance, or the group's template). */
    holder: StackResource;
    subnet?: Subnet;
    net: Net;
    /** Why where the interface is cannot be told. */
    missing?: string;
    /** The interface is in one of several subnetworks and preview does not tell which: this is one candidate. */
    candidate?: string;
    /** An external IPv4 address: yes (with its hop), unknown, or none. */
    publicV4: Hop | "unknown" | undefined;
    publicV6: boolean | "unknown";
    /** The interface's own internal address (`networkIp`), when known. */
    networkIp?: string;
    /** In an auto-mode network of the stack, which has no subnetwork of its own to say where. */
    autoMode?: boolean;
}

/** Where an auto-mode network's subnetworks are: GCP creates them inside 10.128.0.0/9, one per region. */
const AUTO_MODE_RANGE = cidrSet(["10.128.0.0/9"]);

interface Spec {
    resource: StackResource;
    model: TopologyModel;
    tags: Record<string, string>;
    listens?: ReadonlyMap<ConcreteProtocol, PortSet>;
    placements: Placement[];
    unverifiable: string[];
    memberships: string[];
    /** Several network interfaces at once (Workload.interfaces). */
    interfaces?: boolean;
    fronts?: Workload["fronts"];
}

/** A firewall resource (or one inline rule of a policy) that takes part in a layer, and how surely. */
interface Entry {
    resource: StackResource;
    /** The inline rule of a policy with rules (`rules[i]`), or all of the resource's rules. */
    inline?: number;
    mode: "yes" | "maybe";
    /** Why a "maybe" entry may or may not apply, for what its rules leave unknown. */
    why?: string;
}

interface Level {
    entries: Entry[];
    /** A level that cannot be read at all (a policy outside the stack): everything it may match is unknown. */
    opaque?: { resource: ResourceName; why: string };
}

export class GcpGraph {
    private readonly byRole = new Map<string, StackResource[]>();
    private readonly byType = new Map<string, StackResource[]>();
    private readonly firewallsByNet = new Map<string, StackResource[]>();
    /** VPC firewall rules whose network cannot be told: they may belong to any network. */
    private readonly anyNetFirewalls: { resource: StackResource; why: string }[] = [];
    /** Firewall resources that arrived with no inputs: the workloads whose layers they may be in cannot be verified. */
    private readonly emptyFirewalls: StackResource[] = [];
    /** The targeting of each workload's first interface, for the ways in that load balancers add. */
    private readonly firstTargeting = new Map<string, Targeting>();
    private readonly policyRules = new Map<string, StackResource[]>();
    private readonly globalPolicies = new Map<string, { policy?: StackResource; missing?: string; assoc: StackResource }[]>();
    private readonly regionPolicies = new Map<
        string,
        { policy?: StackResource; missing?: string; assoc: StackResource; region: string }[]
    >();
    private readonly anyNetPolicies: { policy?: StackResource; missing?: string; assoc: StackResource }[] = [];
    private readonly hierarchical: { policy?: StackResource; missing?: string; assoc: StackResource }[] = [];
    private readonly routesByNet = new Map<string, StackResource[]>();
    private readonly peerLinks = new Set<string>();
    private readonly tagBindings = new Map<string, StackResource[]>();
    private readonly privateRanges = new Map<string, StackResource[]>();
    private readonly cloudArmor: StackResource[];

    private readonly nets = new Map<string, Net>();
    private readonly subnets = new Map<StackResource, Subnet>();
    private readonly layers = new Map<string, Layer>();
    private readonly resolved = new WeakMap<NormalisedRule, Map<string, LayerRule>>();

    /**
     * Some resource that always has inputs arrived without any: its provider's configuration is
     * unknown. A network alone without inputs is `new gcp.compute.Network("n")`, GCP's defaults.
     */
    private providerUnknown = false;

    constructor(
        private readonly stack: Stack,
        private readonly options: AssembleOptions,
    ) {
        for (const r of stack.ofProviders("gcp")) {
            if (r.type !== "gcp:compute/network:Network" && (topo(r)?.empty === true || fw(r)?.empty === true) && !NO_ARGS.has(r.type))
                this.providerUnknown = true;
            const role = topo(r)?.role;
            if (role) this.push(this.byRole, role, r);
            if (fw(r)) this.push(this.byType, r.type, r);
        }
        this.cloudArmor = this.all(ROLE.securityPolicy);
        this.index();
    }

    private all(role: string): StackResource[] {
        return this.byRole.get(role) ?? [];
    }
    private ofType(type: string): StackResource[] {
        return this.byType.get(type) ?? [];
    }
    private push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
        const list = map.get(k);
        if (list) list.push(v);
        else map.set(k, [v]);
    }
    private links(r: StackResource, key: string): readonly TopologyLink[] {
        return topo(r)?.links[key] ?? fw(r)?.links?.[key] ?? [];
    }
    /** The first link of `key` resolved; undefined when the resource has no such link. */
    private one(r: StackResource, key: string, accept: (x: StackResource) => boolean): Resolved | undefined {
        const l = this.links(r, key)[0];
        return l ? this.stack.resolve(r, canonLink(l), accept) : undefined;
    }
    /** Every target the links of `key` name, and the links that name nothing known. */
    private many(r: StackResource, key: string, accept: (x: StackResource) => boolean): { found: StackResource[]; missing: Resolved[] } {
        const found = new Set<StackResource>();
        const missing: Resolved[] = [];
        for (const l of this.links(r, key)) {
            const res = this.stack.resolve(r, canonLink(l), accept);
            if (res.state === "found") for (const t of res.targets) found.add(t);
            else missing.push(res);
        }
        return { found: [...found], missing };
    }

    private index(): void {
        const s = this.stack;
        for (const f of this.ofType(T.firewall)) {
            const m = fw(f)!;
            if (m.empty) {
                this.anyNetFirewalls.push({
                    resource: f,
                    why: `${q(f.name)} arrived with no inputs (its provider's configuration is unknown in preview)`,
                });
                this.emptyFirewalls.push(f);
                continue;
            }
            // The API's default network is the project's `default`.
            const net = m.network ? this.netFrom(f, m.network) : this.outsideNet("default");
            if (net.key) this.push(this.firewallsByNet, net.key, f);
            else this.anyNetFirewalls.push({ resource: f, why: `the network of ${q(f.name)} is unknown until update` });
        }
        const isContainer = (r: StackResource) => hasRole(ROLE.hierarchicalPolicy, ROLE.networkPolicy, ROLE.regionPolicy)(r);
        for (const type of [T.hierarchicalRule, T.networkRule, T.regionRule]) {
            for (const rule of this.ofType(type)) {
                const m = fw(rule)!;
                if (!m.attachedTo) continue;
                const res = s.resolve(rule, canonLink(m.attachedTo), isContainer);
                if (res.state === "found") this.push(this.policyRules, res.targets[0].urn, rule);
            }
        }
        const policy = (
            a: StackResource,
            accept: (r: StackResource) => boolean,
            what: string,
        ): { policy?: StackResource; missing?: string } => {
            const res = this.one(a, "policy", accept);
            if (res?.state === "found") return { policy: res.targets[0] };
            return {
                missing: `the ${what} ${q(a.name)} associates is ${res?.state === "outside" ? "outside this stack" : "unknown until update"}`,
            };
        };
        const isGlobal = (r: StackResource) => hasRole(ROLE.networkPolicy)(r) || r.type === T.networkWithRules;
        const isRegional = (r: StackResource) => hasRole(ROLE.regionPolicy)(r) || r.type === T.regionWithRules;
        const isHierarchical = (r: StackResource) => hasRole(ROLE.hierarchicalPolicy)(r) || r.type === T.hierarchicalWithRules;
        for (const a of this.all(ROLE.networkAssociation)) {
            const p = { ...policy(a, isGlobal, "network firewall policy"), assoc: a };
            const net = this.netFrom(a, this.links(a, "network")[0]);
            if (net.key) this.push(this.globalPolicies, net.key, p);
            else this.anyNetPolicies.push(p);
        }
        for (const a of this.all(ROLE.regionAssociation)) {
            const p = policy(a, isRegional, "regional network firewall policy");
            const net = this.netFrom(a, this.links(a, "network")[0]);
            const region = str(topo(a), "region") ?? (p.policy ? str(topo(p.policy), "region") : undefined) ?? "unknown";
            if (net.key)
                this.push(this.regionPolicies, net.key, { ...p, assoc: a, region: region === "unknown" ? region : regionOf(region) });
            else this.anyNetPolicies.push({ ...p, assoc: a });
        }
        for (const a of this.all(ROLE.hierarchicalAssociation))
            this.hierarchical.push({ ...policy(a, isHierarchical, "hierarchical firewall policy"), assoc: a });
        for (const r of this.all(ROLE.route)) {
            const net = this.netFrom(r, this.links(r, "network")[0]);
            if (net.key) this.push(this.routesByNet, net.key, r);
        }
        for (const p of this.all(ROLE.peering)) {
            const a = this.netFrom(p, this.links(p, "network")[0]);
            const b = this.netFrom(p, this.links(p, "peerNetwork")[0]);
            if (a.key && b.key) this.peerLinks.add(`${a.key}>${b.key}`);
        }
        for (const b of this.all(ROLE.tagBinding)) {
            const parent = this.one(b, "parent", hasRole(ROLE.instance));
            if (parent?.state === "found") this.push(this.tagBindings, parent.targets[0].urn, b);
        }
        for (const c of this.all(ROLE.privateConnection)) {
            const net = this.netFrom(c, this.links(c, "network")[0]);
            if (net.key)
                for (const g of this.many(c, "ranges", hasRole(ROLE.globalAddress)).found) this.push(this.privateRanges, net.key, g);
        }
    }

    // -----------------------------------------------------------------------------------------
    // Networks and subnetworks

    private outsideNet(ref: string): Net {
        const n = lastSegment(ref);
        return { key: `gcp-network:${n}`, name: n, outside: true, missing: `network ${q(n)} is outside this stack` };
    }

    private netOf(r: StackResource): Net {
        let n = this.nets.get(r.urn);
        if (!n) this.nets.set(r.urn, (n = { key: r.urn, resource: r, name: r.name }));
        return n;
    }

    /** Whether a resource that is not a network is on one its `network` input names: a VPC firewall rule, a subnetwork, a route. */
    private onANetwork(r: StackResource): boolean {
        if (isNetwork(r)) return false;
        if (r.type === T.firewall) return fw(r) !== undefined && fw(r)!.empty !== true;
        return (topo(r)?.links.network?.length ?? 0) > 0;
    }

    /** The network such a resource is on, as its own `network` names it (a subnetwork's as its interfaces see it). */
    private networkOfOther(r: StackResource): Net {
        if (isSubnet(r)) return this.subnetInfo(r).net;
        const f = fw(r);
        // The API's default network is the project's `default`.
        if (f) return f.network ? this.netFrom(r, f.network, false) : this.outsideNet("default");
        return this.netFrom(r, topo(r)?.links.network?.[0], false);
    }

    /**
     * The network a link names. `network: fw.network` or `network: subnet.network` (another resource's
     * output, which GCP documents as the network that resource is on): in preview the value is unknown and
     * the link's only dependency is that resource, so its own `network` is followed, one hop.
     */
    private netFrom(from: StackResource, l: TopologyLink | Link | undefined, hop = true): Net {
        if (!l) return { name: "?", missing: `${q(from.name)} names no network` };
        const res = this.stack.resolve(from, canonLink(l), isNetwork);
        if (res.state === "found") {
            if (l.literal === undefined && res.targets.length > 1)
                return { name: "?", missing: `which network ${q(from.name)} is in is unknown until update` };
            return this.netOf(res.targets[0]);
        }
        if (res.state === "outside") return this.outsideNet(res.literal);
        if (l.literal === undefined && hop) {
            const via = this.stack.resolve(from, canonLink(l), (x) => this.onANetwork(x));
            if (via.state === "found") {
                // Each resource the value may come from gives its network: one network among them is the answer.
                const nets = via.targets.map((t) => this.networkOfOther(t));
                const keys = new Set(nets.map((n) => n.key));
                if (keys.size === 1 && nets[0].key !== undefined) return nets[0];
                if (nets.some((n) => n.key !== undefined))
                    return { name: "?", missing: `which network ${q(from.name)} is in is unknown until update` };
            }
        }
        return { name: "?", missing: `the network of ${q(from.name)} is unknown until update` };
    }

    private subnetInfo(sub: StackResource): Subnet {
        let info = this.subnets.get(sub);
        if (info) return info;
        const m = topo(sub)!;
        const range = str(m, "ipCidrRange");
        const stackType = str(m, "stackType");
        const access = str(m, "ipv6AccessType");
        const region = str(m, "region");
        info = {
            resource: sub,
            net: this.netFrom(sub, m.links.network?.[0]),
            empty: m.empty,
            ...(region !== undefined ? { region: region === "unknown" ? region : regionOf(region) } : {}),
            ...(range !== undefined && range !== "unknown" ? { addresses: cidrSet([range]) } : {}),
            externalV6:
                (stackType === "IPV4_IPV6" || stackType === "IPV6_ONLY" || stackType === "unknown") &&
                (access === "EXTERNAL" || access === "unknown"),
        };
        this.subnets.set(sub, info);
        return info;
    }

    private netFlags(net: Net): { auto: boolean | "unknown"; deleteDefault: boolean | "unknown"; before: boolean | "unknown" } {
        const m = topo(net.resource);
        const order = str(m, "enforcementOrder");
        return {
            auto: flag(m, "autoCreateSubnetworks") ?? true,
            deleteDefault: flag(m, "deleteDefaultRoutesOnCreate") ?? false,
            before: order === "unknown" ? "unknown" : order?.toUpperCase() === "BEFORE_CLASSIC_FIREWALL",
        };
    }

    private peersOf(key: string): string[] {
        const out: string[] = [];
        for (const l of this.peerLinks) {
            const [a, b] = l.split(">");
            if (a === key && this.peerLinks.has(`${b}>${a}`)) out.push(b);
        }
        return out;
    }

    // -----------------------------------------------------------------------------------------
    // The firewall layer of one interface

    /** Whether the rules of `resource` (inline rule `prefix`) target an interface of `net` with `t`. */
    private applies(resource: StackResource, prefix: string, net: Net, t: Targeting): { mode: "yes" | "maybe" | "no"; why?: string } {
        const m = fw(resource)!;
        const links = m.links ?? {};
        const get = (k: string) => links[`${prefix}${k}`] ?? [];
        let mode: "yes" | "maybe" | "no" = "yes";
        let why: string | undefined;
        const maybe = (w: string) => {
            if (mode === "yes") mode = "maybe";
            why ??= w;
        };
        const networks = get("targetResources");
        if (networks.length > 0) {
            let hit = false;
            let unsure = false;
            for (const l of networks) {
                const n = this.netFrom(resource, l);
                if (n.key === net.key && n.key !== undefined) hit = true;
                else if (!n.key) unsure = true;
            }
            if (!hit && !unsure) return { mode: "no" };
            if (!hit) maybe(`the \`targetResources\` of ${q(resource.name)} are unknown until update`);
        }
        const tags = get("targetTags");
        const accounts = get("targetServiceAccounts");
        const secure = get("targetSecureTags");
        if (tags.length + accounts.length + secure.length === 0) return { mode, ...(why ? { why } : {}) };
        let hit = false;
        let unsure: string | undefined;
        for (const l of tags) {
            if (l.literal === undefined || t.tags === "unknown")
                unsure ??=
                    l.literal === undefined
                        ? `the \`targetTags\` of ${q(resource.name)} are unknown until update`
                        : "the network tags of the instance are unknown until update";
            else if (t.tags.includes(l.literal)) hit = true;
            else if (t.autoTag?.shape.test(l.literal))
                unsure ??= t.autoTag.why.replace("{tag}", q(l.literal)).replace("{rule}", q(resource.name));
        }
        for (const [list, accept, own, what] of [
            [accounts, isAccount, t.accounts, "targetServiceAccounts"],
            [secure, isTagValue, t.secureTags, "targetSecureTags"],
        ] as const) {
            for (const l of list) {
                const keys = referenceKeys(this.stack, resource, canonLink(l), accept, false);
                if (keys.unknown) unsure ??= `the \`${what}\` of ${q(resource.name)} are unknown until update`;
                else if (own === "unknown")
                    unsure ??= `the ${what === "targetServiceAccounts" ? "service account" : "secure tags"} of the instance are unknown until update`;
                else if (keys.keys.some((k) => own.includes(k))) hit = true;
            }
        }
        if (hit) return { mode, ...(why ? { why } : {}) };
        if (unsure) {
            maybe(unsure);
            return { mode, why };
        }
        return { mode: "no" };
    }

    /** The entries a policy contributes to an interface: its inline rules or its standalone rule resources. */
    private policyEntries(policy: StackResource, net: Net, t: Targeting, forced?: "maybe", forcedWhy?: string): Entry[] {
        const out: Entry[] = [];
        const add = (resource: StackResource, prefix: string, inline?: number) => {
            const a = this.applies(resource, prefix, net, t);
            if (a.mode === "no") return;
            const mode = forced ?? a.mode;
            out.push({
                resource,
                mode,
                ...(inline !== undefined ? { inline } : {}),
                ...((forcedWhy ?? a.why) ? { why: forcedWhy ?? a.why } : {}),
            });
        };
        if (fw(policy)) {
            const m = fw(policy)!;
            const indexes = new Set<number>();
            for (const r of [...m.rules, ...(m.passOn ?? [])]) {
                const i = /^rules\[(\d+)\]/.exec(r.origin);
                if (i) indexes.add(Number(i[1]));
            }
            for (const i of [...indexes].sort((a, b) => a - b)) add(policy, `rules[${i}].`, i);
            // The rules list itself unknown or unreadable: any rule may be there.
            if (m.unknown.length + m.problems.length > 0 || m.empty)
                out.push({
                    resource: policy,
                    inline: -1,
                    mode: "maybe",
                    why: forcedWhy ?? `the rules of ${q(policy.name)} are unknown until update`,
                });
        } else {
            for (const rule of this.policyRules.get(policy.urn) ?? []) add(rule, "");
        }
        return out;
    }

    private levels(net: Net, t: Targeting): Level[] {
        const hier: Level[] = this.hierarchical.map((h) => {
            const why = `hierarchical firewall policy ${q(h.policy?.name ?? h.assoc.name)} is associated with an organization or folder (${q(h.assoc.name)}): whether this project is under it is outside this stack`;
            if (!h.policy) return { entries: [], opaque: { resource: name(h.assoc), why: h.missing ?? why } };
            return { entries: this.policyEntries(h.policy, net, t, "maybe", why) };
        });
        const policyLevel = (
            list: readonly { policy?: StackResource; missing?: string; assoc: StackResource }[],
            forced?: (p: { assoc: StackResource }) => string | undefined,
        ): Level[] =>
            list.map((p) => {
                const why = forced?.(p);
                if (!p.policy) return { entries: [], opaque: { resource: name(p.assoc), why: p.missing ?? "its policy is not known" } };
                return { entries: this.policyEntries(p.policy, net, t, why ? "maybe" : undefined, why) };
            });
        const key = net.key!;
        const vpc: Level = { entries: [] };
        for (const f of this.firewallsByNet.get(key) ?? []) {
            const a = this.applies(f, "", net, t);
            if (a.mode !== "no") vpc.entries.push({ resource: f, mode: a.mode, ...(a.why ? { why: a.why } : {}) });
        }
        for (const f of this.anyNetFirewalls) vpc.entries.push({ resource: f.resource, mode: "maybe", why: f.why });
        const global = [
            ...policyLevel(this.globalPolicies.get(key) ?? []),
            ...policyLevel(this.anyNetPolicies, (p) => `the network ${q(p.assoc.name)} associates its policy with is unknown until update`),
        ];
        // A regional policy applies to the interfaces in its region: one whose region or the instance's is not known may.
        const sure = (p: { region: string }) => p.region !== "unknown" && t.region !== undefined && t.region !== "unknown";
        const inRegion = (this.regionPolicies.get(key) ?? []).filter((p) => !sure(p) || p.region === t.region);
        const regional = policyLevel(inRegion, (p) => {
            const rp = inRegion.find((x) => x.assoc === p.assoc)!;
            return sure(rp) ? undefined : `whether the instance is in the region of ${q(p.assoc.name)} is unknown until update`;
        });
        const before = this.netFlags(net).before;
        if (before === "unknown") {
            // Either order: the policies' rules cannot be placed, so what they may match is unknown.
            const unsure = (l: Level): Level => ({
                ...l,
                entries: l.entries.map((e) => ({
                    ...e,
                    mode: "maybe" as const,
                    why: `the \`networkFirewallPolicyEnforcementOrder\` of ${q(net.name)} is unknown until update`,
                })),
            });
            return [...hier, ...global.map(unsure), ...regional.map(unsure), vpc];
        }
        return before ? [...hier, ...global, ...regional, vpc] : [...hier, vpc, ...global, ...regional];
    }

    private layerFor(net: Net, t: Targeting): Layer {
        const levels = this.levels(net, t);
        const key = [
            net.key,
            ...levels.map((l) =>
                l.opaque
                    ? `opaque:${l.opaque.resource.urn}`
                    : l.entries.map((e) => `${e.resource.urn}#${e.inline ?? ""}:${e.mode}`).join(","),
            ),
        ].join("|");
        let layer = this.layers.get(key);
        if (layer) return layer;
        const resource: ResourceName = net.resource ? name(net.resource) : { urn: net.key!, name: net.name };
        const inbound: LayerRule[] = [];
        const outbound: LayerRule[] = [];
        const shrunk: { order: number; why: string }[] = [];
        if (net.outside) {
            // Its other firewall rules, anywhere in the order: nothing can be proved.
            const why = `${net.missing}: its firewall rules and policies are not all in the plan`;
            for (const d of ["inbound", "outbound"] as const)
                (d === "inbound" ? inbound : outbound).push(this.standIn(d, resource, -1, why));
        }
        levels.forEach((level, i) => {
            const base = (i + 1) * LEVEL_BAND;
            if (level.opaque) {
                for (const d of ["inbound", "outbound"] as const)
                    (d === "inbound" ? inbound : outbound).push(this.standIn(d, level.opaque.resource, base - 1, level.opaque.why));
                return;
            }
            for (const d of ["inbound", "outbound"] as const) {
                const out = this.levelRules(level, d, net, base);
                (d === "inbound" ? inbound : outbound).push(...out.rules);
                if (d === "inbound") shrunk.push(...out.shrunk);
            }
        });
        const egress = builtInRules().egress;
        outbound.push({
            rule: {
                ...egress,
                order: (levels.length + 1) * LEVEL_BAND + 65535 * 2 + 1,
                origin: `${egress.origin} (priority 65535)`,
                terms: { ...egress.terms, order: undefined },
            },
            resource,
            addresses: { v4: egress.peers.v4, v6: egress.peers.v6 },
            members: new Set(),
            unknown: false,
            implied: "allows all egress",
        });
        layer = {
            kind: "firewall of network",
            rule: "firewall rule",
            unmatched: { inbound: "GCP's implied deny ingress rule (priority 65535)" },
            resources: [resource],
            stateful: true,
            scope: "workload",
            ordered: true,
            inbound,
            outbound,
            ...this.shrunkWorld(inbound, shrunk),
        };
        this.layers.set(key, layer);
        return layer;
    }

    /** The rules of one level in one direction, in its order, goto_next followed to the next level. */
    /**
     * A deny that a goto_next rule cut short keeps the rest of the internet out, but the evaluation of
     * the whole internet counts only denies of a whole family: when a later allow admits a whole family,
     * what the internet reaches cannot be told.
     */
    private shrunkWorld(inbound: readonly LayerRule[], shrunk: readonly { order: number; why: string }[]): { unverifiable?: string } {
        for (const x of shrunk) {
            let later = NONE;
            for (const r of inbound)
                if (r.rule.action === "allow" && (r.rule.order ?? Infinity) > x.order) later = union(later, r.addresses);
            if (later.v4.isFull || later.v6.isFull) return { unverifiable: x.why };
        }
        return {};
    }

    private levelRules(
        level: Level,
        direction: Direction,
        net: Net,
        base: number,
    ): { rules: LayerRule[]; shrunk: { order: number; why: string }[] } {
        interface Item {
            entry: Entry;
            rule: NormalisedRule;
            pass: boolean;
        }
        const items: Item[] = [];
        const out: LayerRule[] = [];
        const shrunk: { order: number; why: string }[] = [];
        for (const entry of level.entries) {
            const m = fw(entry.resource)!;
            if (entry.inline === -1 || m.empty) {
                out.push(this.standIn(direction, name(entry.resource), base - 1, entry.why));
                continue;
            }
            const pass = new Set(m.passOn ?? []);
            const own = (r: NormalisedRule) => entry.inline === undefined || r.origin.startsWith(`rules[${entry.inline}].`);
            for (const rule of [...m.rules, ...(m.passOn ?? []).filter((r) => !m.rules.includes(r))]) {
                if (!own(rule)) continue;
                const unsureDirection = rule.unresolved.some((u) => u.part === "direction");
                if (rule.direction !== direction && !unsureDirection) continue;
                items.push({ entry, rule, pass: pass.has(rule) });
            }
            // A whole list unknown until update (or unreadable) may hold any rule of this direction.
            if (
                entry.inline === undefined &&
                [...m.unknown, ...m.problems].some((u) => u.direction === undefined || u.direction === direction)
            ) {
                out.push(
                    this.standIn(
                        direction,
                        name(entry.resource),
                        base - 1,
                        `${q(entry.resource.name)} ${[...m.unknown, ...m.problems].map((u) => u.path).join(", ")} cannot be read until update`,
                    ),
                );
            }
        }
        const prio = (r: NormalisedRule) => r.order ?? -1;
        items.sort((a, b) => prio(a.rule) - prio(b.rule) || (a.rule.action === "deny" ? 0 : 1) - (b.rule.action === "deny" ? 0 : 1));
        const gotos: LayerRule[] = [];
        for (const item of items) {
            const { entry, rule } = item;
            const settled = rule.order !== undefined && rule.unresolved.every((u) => u.part === "peers");
            const order = settled ? base + rule.order! * 2 + (rule.action === "deny" ? 0 : 1) : base - 1;
            if (item.pass) {
                // goto_next decides nothing here; what it matches skips the level's later rules. One that cannot be told makes them unknown.
                if (settled) gotos.push(this.resolveRule(entry.resource, rule, net));
                else
                    out.push(
                        this.standIn(
                            direction,
                            name(entry.resource),
                            order,
                            `a \`goto_next\` rule of ${q(entry.resource.name)} cannot be read until update`,
                            rule,
                        ),
                    );
                continue;
            }
            if (!settled || entry.mode === "maybe") {
                const why =
                    entry.mode === "maybe"
                        ? entry.why
                        : `${q(entry.resource.name)} ${rule.origin}: ${rule.unresolved
                              .filter((u) => u.part !== "peers")
                              .map((u) => u.path)
                              .join(", ")} unknown until update`;
                const keep = rule.unresolved.some((u) => u.part === "protocol" || u.part === "ports") ? undefined : rule;
                out.push(this.standIn(direction, name(entry.resource), order, why, keep));
                // An allow that may apply still lets the internet in where it does: what it admits is unproven, not nothing.
                if (settled && rule.action === "allow") out.push(this.flat(this.resolveRule(entry.resource, rule, net), order));
                continue;
            }
            let pieces = [this.resolveRule(entry.resource, rule, net)];
            for (const g of gotos) {
                pieces = pieces.flatMap((p) => {
                    if (p.unknown && p.addresses === NONE) return [p];
                    const r = this.minusGoto(p, g);
                    if (r.shrunk)
                        shrunk.push({
                            order,
                            why: `a \`goto_next\` rule of ${q(g.resource.name)} hands part of what ${q(entry.resource.name)} ${rule.origin} denies to the next level: whether the whole internet is kept out cannot be told`,
                        });
                    return r.pieces;
                });
            }
            for (const p of pieces) out.push(this.flat(p, order));
        }
        return { rules: out, shrunk };
    }

    /** The rule with its place in the flat order; its priority moves into its origin so that messages still say it. */
    private flat(lr: LayerRule, order: number): LayerRule {
        const r = lr.rule;
        const origin =
            r.order !== undefined && !r.secret.has("order") && r.terms.order ? `${r.origin} (${r.terms.order} ${r.order})` : r.origin;
        return { ...lr, rule: { ...r, order, origin, terms: { ...r.terms, order: undefined } } };
    }

    /** A rule nobody can tell yet: any packet it could match (its protocol and ports, when known) is unknown. */
    private standIn(
        direction: Direction,
        resource: ResourceName,
        order: number,
        why: string | undefined,
        keep?: NormalisedRule,
    ): LayerRule {
        const base = builtInRules().unknown[direction];
        const rule: NormalisedRule = {
            ...base,
            order,
            origin: keep?.origin ?? "its rules",
            terms: { ...base.terms, order: undefined },
            ...(keep
                ? {
                      protocol: keep.protocol,
                      ports: keep.ports,
                      ...(keep.protocolNumber !== undefined ? { protocolNumber: keep.protocolNumber } : {}),
                  }
                : {}),
        };
        return {
            rule,
            resource,
            addresses: NONE,
            members: new Set(),
            unknown: true,
            ...(why ? { peerView: { addresses: NONE, maybe: { addresses: EVERY, reason: why } } } : {}),
        };
    }

    /** `r` without what the goto_next rule `g` (earlier in the same level) hands on. */
    private minusGoto(r: LayerRule, g: LayerRule): { pieces: LayerRule[]; shrunk: boolean } {
        const rp = concrete(r.rule.protocol);
        const gp = new Set(concrete(g.rule.protocol));
        if (!rp.some((p) => gp.has(p))) return { pieces: [r], shrunk: false };
        const pieces: LayerRule[] = [];
        let shrunk = false;
        const restrict = (p: ConcreteProtocol, ports: PortSet, addresses: Addresses, excepted?: Addresses): LayerRule => ({
            ...r,
            addresses,
            rule: {
                ...r.rule,
                protocol: p,
                ports,
                ...(excepted ? { peers: { ...r.rule.peers, excepted: union(r.rule.peers.excepted ?? NONE, excepted) } } : {}),
            },
        });
        for (const p of rp) {
            const rPorts = portsOf(r.rule, p);
            if (!gp.has(p)) {
                pieces.push(r.rule.protocol === p ? r : restrict(p, rPorts, r.addresses));
                continue;
            }
            const gPorts = portsOf(g.rule, p);
            const outside = rPorts.subtract(gPorts);
            if (!outside.isEmpty && p !== "icmp") pieces.push(restrict(p, outside, r.addresses));
            const inside = rPorts.intersect(gPorts);
            if (inside.isEmpty) continue;
            if (g.members.size > 0 || g.unknown || g.rule.peers.unknown || r.members.size > 0) {
                pieces.push(
                    this.standIn(
                        r.rule.direction,
                        r.resource,
                        0,
                        `a \`goto_next\` rule of ${q(g.resource.name)} hands some of what ${q(r.resource.name)} ${r.rule.origin} matches to the next level, by sources the plan cannot tell apart`,
                        { ...r.rule, protocol: p, ports: inside },
                    ),
                );
                continue;
            }
            const rest = minus(r.addresses, g.addresses);
            if (r.rule.action === "deny" && !(sameSet(rest.v4, r.addresses.v4) && sameSet(rest.v6, r.addresses.v6))) shrunk = true;
            if (!isEmpty(rest)) pieces.push(restrict(p, inside, rest, r.rule.action === "allow" ? g.addresses : undefined));
        }
        return { pieces, shrunk };
    }

    /** One rule of a firewall resource with its named peers resolved for interfaces of `net`. */
    private resolveRule(resource: StackResource, rule: NormalisedRule, net: Net): LayerRule {
        const key = net.key ?? "";
        let byNet = this.resolved.get(rule);
        if (!byNet) this.resolved.set(rule, (byNet = new Map<string, LayerRule>()));
        let lr = byNet.get(key);
        if (lr) return lr;
        let bounded = true;
        const unnamed: string[] = [];
        const resolver = (symbol: SymbolicPeer): SymbolResolution => {
            const ref = symbol.ref ? canonLink(symbol.ref) : undefined;
            switch (symbol.kind) {
                case "network-tag":
                    return ref?.literal !== undefined ? { members: [tagKey(key, ref.literal)] } : unknownPeer(false);
                case "service-account":
                case "secure-tag": {
                    const kind = symbol.kind;
                    if (!ref) return unknownPeer(false);
                    const keys = referenceKeys(this.stack, resource, ref, kind === "service-account" ? isAccount : isTagValue, false);
                    if (keys.unknown) return unknownPeer(false);
                    const scoped = keys.keys.map((k) => memberKey(kind, key, k));
                    return { members: [...scoped, ...keys.keys.filter((k) => k.startsWith("urn:pulumi:"))] };
                }
                case "threat-intelligence":
                case "region-code":
                    unnamed.push(symbol.id ? `${symbol.kind.replace(/-/g, " ")} ${symbol.id}` : symbol.kind.replace(/-/g, " "));
                    return unknownPeer(true);
                default:
                    unnamed.push(symbol.id ? `${symbol.kind.replace(/-/g, " ")} ${symbol.id}` : symbol.kind.replace(/-/g, " "));
                    return unknownPeer(false);
            }
        };
        const unknownPeer = (publicOnly: boolean): SymbolResolution => {
            if (!publicOnly) bounded = false;
            return { unknown: true };
        };
        lr = layerRules(resource, [rule], rule.direction, resolver)[0];
        if (lr.unknown && !rule.peers.unknown && unnamed.length > 0) {
            // Threat-intelligence lists and region codes name public addresses only: a peer of the
            // stack's private ranges is not matched, and they can neither complete nor close the internet.
            const reason = `which addresses ${unnamed.join(", ")} of ${q(resource.name)} ${rule.origin} names is not in the plan`;
            lr = bounded
                ? { ...lr, unknown: false, peerView: { addresses: lr.addresses, maybe: { addresses: PUBLIC, reason } } }
                : { ...lr, peerView: { addresses: lr.addresses, maybe: { addresses: EVERY, reason } } };
        }
        byNet.set(key, lr);
        return lr;
    }

    // -----------------------------------------------------------------------------------------
    // Routes and the way in from the internet

    /** How the internet's replies leave an interface of `net` with network tags `tags`, per family. */
    private routeOf(
        net: Net,
        tags: readonly string[] | "unknown",
        family: "v4" | "v6",
    ): { hops: Hop[] } | { none: string } | { unknown: string } {
        if (!net.resource) return { unknown: `${net.missing ?? "its network is not known"}: its routes are not in the plan` };
        const whole = WHOLE[family];
        const flags = this.netFlags(net);
        interface Candidate {
            priority: number | "unknown";
            internet: boolean | "unknown";
            hop: Hop;
            unsure?: string;
        }
        const candidates: Candidate[] = [];
        if (flags.deleteDefault === false) {
            candidates.push({
                priority: 1000,
                internet: true,
                hop: { resource: name(net.resource), text: `network ${q(net.name)} (default route ${whole} → default internet gateway)` },
            });
        } else if (flags.deleteDefault === "unknown") {
            candidates.push({
                priority: 1000,
                internet: true,
                hop: { resource: name(net.resource), text: `network ${q(net.name)}` },
                unsure: `whether ${q(net.name)} keeps its default route (\`deleteDefaultRoutesOnCreate\`) is unknown until update`,
            });
        } else if (family === "v6") {
            candidates.push({
                priority: 1000,
                internet: true,
                hop: { resource: name(net.resource), text: `network ${q(net.name)}` },
                unsure: `${q(net.name)} was created without its default routes; whether the IPv6 default route an external IPv6 subnetwork adds exists is not in the plan`,
            });
        }
        const detour: string[] = [];
        for (const r of this.routesByNet.get(net.key!) ?? []) {
            const m = topo(r)!;
            const dest = str(m, "destRange");
            const rt = names(m, "tags");
            const applies =
                rt.known.length === 0 && !rt.unknown
                    ? true
                    : tags !== "unknown" && rt.known.some((x) => tags.includes(x))
                      ? true
                      : rt.unknown || tags === "unknown"
                        ? "unknown"
                        : false;
            if (applies === false) continue;
            const gateway = str(m, "nextHopGateway");
            const other = ["nextHopIp", "nextHopInstance", "nextHopIlb", "nextHopVpnTunnel"].find((k) => scalar(m, k) !== undefined);
            const internet: boolean | "unknown" =
                gateway === "unknown"
                    ? "unknown"
                    : gateway !== undefined
                      ? /(^|\/)default-internet-gateway$/.test(canonical(gateway))
                      : other !== undefined
                        ? false
                        : "unknown";
            const p = num(m, "priority");
            const hopText = internet === true ? "default internet gateway" : other ? `\`${other}\`` : "a next hop unknown until update";
            if (dest === "unknown") {
                if (internet !== true) detour.push(`route ${q(r.name)} has a destination unknown until update`);
                continue;
            }
            if (dest === undefined) continue;
            const d = cidrSet([dest]);
            const fam = family === "v4" ? d.v4 : d.v6;
            if (fam.isEmpty) continue;
            if (dest.replace(/\s/g, "") === whole || fam.isFull) {
                candidates.push({
                    priority: p ?? 1000,
                    internet,
                    hop: { resource: name(r), text: `route ${q(r.name)} (${whole} → ${hopText})` },
                    ...(applies === "unknown"
                        ? { unsure: `whether route ${q(r.name)} applies (its \`tags\` or the instance's) is unknown until update` }
                        : {}),
                });
            } else if (internet !== true && !(family === "v4" ? NOT_PUBLIC.v4 : NOT_PUBLIC.v6).containsSet(fam)) {
                detour.push(
                    `route ${q(r.name)} sends ${dest} to ${hopText}: replies to those addresses do not leave through the default internet gateway`,
                );
            }
        }
        const known = candidates.filter((c) => c.priority !== "unknown" && !c.unsure && c.internet !== "unknown");
        const best = known.length > 0 ? Math.min(...known.map((c) => c.priority as number)) : Infinity;
        const winners = known.filter((c) => c.priority === best);
        const contenders = candidates.filter((c) => !known.includes(c) && (c.priority === "unknown" || c.priority <= best));
        if (contenders.length > 0)
            return {
                unknown:
                    contenders[0].unsure ??
                    `${contenders[0].hop.text.replace(/ \(.*$/, "")} sends ${whole} to a next hop unknown until update`,
            };
        if (winners.length === 0) {
            return {
                none: `network ${q(net.name)} has no route for ${whole} to the default internet gateway (\`deleteDefaultRoutesOnCreate\` removed it and no \`gcp.compute.Route\` replaces it)`,
            };
        }
        const astray = winners.find((c) => c.internet === false);
        if (astray)
            return {
                unknown: `${astray.hop.text.replace(/ \(.*$/, "")} sends ${whole} to a next hop that is not the default internet gateway: where the replies go is not in the plan`,
            };
        if (detour.length > 0) return { unknown: detour[0] };
        return { hops: [winners[0].hop] };
    }

    /** The way in from the internet to one interface: an external address and a route for its replies. */
    private internet(nic: Nic, t: Targeting, label: string): { internet?: InternetPath; noInternet?: string } {
        const known: { family: "v4" | "v6"; hops: Hop[] }[] = [];
        const maybe: { family: "v4" | "v6"; hops: Hop[]; why: string }[] = [];
        let none: string | undefined;
        const consider = (family: "v4" | "v6", address: Hop | "unknown" | undefined) => {
            if (address === undefined) return;
            const route = this.routeOf(nic.net, t.tags, family);
            if ("none" in route) {
                none ??= route.none;
                return;
            }
            const here: Hop =
                address === "unknown"
                    ? { resource: name(nic.holder), text: `${label} (an external address unknown until update)` }
                    : address;
            if ("unknown" in route) maybe.push({ family, hops: [here], why: route.unknown });
            else if (address === "unknown")
                maybe.push({
                    family,
                    hops: [...route.hops, here],
                    why: `whether ${label} gets an external address is unknown until update`,
                });
            else known.push({ family, hops: [...route.hops, here] });
        };
        consider("v4", nic.publicV4);
        consider(
            "v6",
            nic.publicV6 === true
                ? { resource: name(nic.holder), text: `an external IPv6 address on ${label} (\`ipv6AccessConfigs\`)` }
                : nic.publicV6 === "unknown"
                  ? "unknown"
                  : undefined,
        );
        if (known.length > 0)
            return {
                internet: {
                    hops: known[0].hops,
                    families: known.map((k) => k.family),
                    ...(nic.candidate ? { unverifiable: nic.candidate } : {}),
                },
            };
        if (maybe.length > 0)
            return { internet: { hops: maybe[0].hops, families: maybe.map((k) => k.family), unverifiable: maybe[0].why } };
        return { noInternet: none ?? `no external IP on ${label} (no \`accessConfigs\`)` };
    }

    // -----------------------------------------------------------------------------------------
    // Workloads

    private targeting(holder: StackResource, fallbackRegion?: string): Targeting {
        const m = topo(holder)!;
        const tags = names(m, "tags");
        const accounts = this.links(holder, "serviceAccount");
        let acc: readonly string[] | "unknown" = [];
        if (accounts.length > 0) {
            const keys = referenceKeys(this.stack, holder, canonLink(accounts[0]), isAccount);
            acc = keys.unknown ? "unknown" : keys.keys;
        } else if (flag(m, "defaultServiceAccount") === true) acc = ["gcp-default-compute-service-account"];
        const secure: string[] = [];
        let secureUnknown = false;
        for (const l of this.links(holder, "secureTags")) {
            const keys = referenceKeys(this.stack, holder, canonLink(l), isTagValue);
            if (keys.unknown) secureUnknown = true;
            else secure.push(...keys.keys);
        }
        for (const b of this.tagBindings.get(holder.urn) ?? []) {
            const l = this.links(b, "tagValue")[0];
            const keys = l ? referenceKeys(this.stack, b, canonLink(l), isTagValue) : { keys: [], unknown: true };
            if (keys.unknown) secureUnknown = true;
            else secure.push(...keys.keys);
        }
        const zone = str(m, "zone");
        const region = str(m, "region");
        const r =
            zone !== undefined
                ? zone === "unknown"
                    ? "unknown"
                    : regionOf(zone)
                : region !== undefined
                  ? region === "unknown"
                      ? "unknown"
                      : regionOf(region)
                  : fallbackRegion;
        return {
            tags: tags.unknown ? "unknown" : tags.known,
            accounts: acc,
            secureTags: secureUnknown ? "unknown" : secure,
            ...(r !== undefined ? { region: r } : {}),
        };
    }

    /** The interfaces of an instance or template. */
    private nics(holder: StackResource, label: string): Nic[] | { missing: string } {
        const m = topo(holder)!;
        const count = num(m, "nics");
        if (count === "unknown") return { missing: `the network interfaces of ${q(holder.name)} are unknown until update` };
        if (!count) return { missing: `${q(holder.name)} names no network interface` };
        const out: Nic[] = [];
        for (let i = 0; i < count; i++) {
            const subLink = m.links[`nic[${i}].subnetwork`]?.[0];
            const netLink = m.links[`nic[${i}].network`]?.[0];
            let subnet: Subnet | undefined;
            let net: Net;
            let missing: string | undefined;
            if (subLink) {
                const res = this.stack.resolve(holder, canonLink(subLink), isSubnet);
                if (res.state === "found" && (subLink.literal !== undefined || res.targets.length === 1)) {
                    subnet = this.subnetInfo(res.targets[0]);
                    net = subnet.net;
                } else if (res.state === "found") {
                    // One interface per candidate: each network's rules are judged, none is assumed.
                    const why = `which subnetwork each network interface of ${q(holder.name)} is in is unknown until update`;
                    for (const target of res.targets) {
                        const sub = this.subnetInfo(target);
                        out.push({
                            ...this.nicAddress(holder, label, m, i),
                            index: i,
                            holder,
                            net: sub.net,
                            subnet: sub,
                            missing: why,
                            candidate: why,
                        });
                    }
                    continue;
                } else if (res.state === "outside") {
                    net = netLink ? this.netFrom(holder, netLink) : { name: "?" };
                    missing = `subnetwork ${q(lastSegment(res.literal))} of ${q(holder.name)} is outside this stack`;
                } else {
                    net = { name: "?", missing: `the subnetwork of ${q(holder.name)} nic${i} is unknown until update` };
                }
            } else {
                // No subnetwork: the API's default network is the project's `default`.
                net = netLink ? this.netFrom(holder, netLink) : this.outsideNet("default");
                if (net.resource && this.netFlags(net).auto === false)
                    missing = `${q(holder.name)} nic${i} names no subnetwork of the custom-mode network ${q(net.name)}`;
            }
            const autoMode = !subnet && net.resource !== undefined && this.netFlags(net).auto === true;
            out.push({
                ...this.nicAddress(holder, label, m, i),
                index: i,
                holder,
                net,
                ...(subnet ? { subnet } : {}),
                ...(autoMode ? { autoMode } : {}),
                ...(missing || net.missing ? { missing: missing ?? net.missing } : {}),
            });
        }
        return out;
    }

    /** Interface `i`'s external and internal addresses. */
    private nicAddress(
        holder: StackResource,
        label: string,
        m: TopologyModel,
        i: number,
    ): Pick<Nic, "publicV4" | "publicV6" | "networkIp"> {
        const v4 = num(m, `nic[${i}].accessConfigs`);
        const v6 = num(m, `nic[${i}].ipv6AccessConfigs`);
        let publicV4: Hop | "unknown" | undefined;
        if (v4 === "unknown") publicV4 = "unknown";
        else if (v4 !== undefined && v4 > 0) {
            const nat = m.links[`nic[${i}].natIp`]?.[0];
            const address = nat ? this.stack.resolve(holder, canonLink(nat), hasRole(ROLE.address)) : undefined;
            publicV4 =
                address?.state === "found"
                    ? { resource: name(address.targets[0]), text: `static external IP ${q(address.targets[0].name)} on ${label} nic${i}` }
                    : { resource: name(holder), text: `an external IP on ${label} nic${i} (\`accessConfigs\`)` };
        }
        const ip = str(m, `nic[${i}].networkIp`);
        return {
            publicV4,
            publicV6: v6 === "unknown" ? "unknown" : v6 !== undefined && v6 > 0,
            ...(ip !== undefined && ip !== "unknown" ? { networkIp: ip } : {}),
        };
    }

    private memberships(net: Net, t: Targeting): string[] {
        if (!net.key) return [];
        const out: string[] = [];
        if (t.tags !== "unknown") for (const tag of t.tags) out.push(tagKey(net.key, tag));
        if (t.accounts !== "unknown") for (const k of t.accounts) out.push(memberKey("service-account", net.key, k));
        if (t.secureTags !== "unknown") for (const k of t.secureTags) out.push(memberKey("secure-tag", net.key, k));
        return out;
    }

    private placement(nic: Nic, t: Targeting, label: string, unverifiable: string[]): Placement {
        if (nic.subnet?.empty)
            unverifiable.push(`${q(nic.subnet.resource.name)} arrived with no inputs (its provider's configuration is unknown in preview)`);
        if (nic.net.resource && topo(nic.net.resource)?.empty && this.providerUnknown)
            unverifiable.push(`${q(nic.net.resource.name)} arrived with no inputs (its provider's configuration is unknown in preview)`);
        const layers = nic.net.key ? [this.layerFor(nic.net, t)] : [];
        for (const f of this.emptyFirewalls)
            unverifiable.push(`${q(f.name)} arrived with no inputs (its provider's configuration is unknown in preview)`);
        const where = nic.subnet ? nic.subnet.resource.name : nic.net.key ? `network ${nic.net.name}` : "an unknown network";
        let addresses: Addresses | undefined = nic.subnet?.addresses ?? (nic.autoMode ? AUTO_MODE_RANGE : undefined);
        if (nic.networkIp && !nic.networkIp.includes("/")) {
            const own = cidrSet([nic.networkIp]);
            if (!own.v4.isEmpty || !own.v6.isEmpty) addresses = own;
        }
        const reasons = nic.missing ? [nic.missing] : [];
        const way = nic.net.key || nic.publicV4 !== undefined ? this.internet(nic, t, label) : {};
        const peers = nic.net.key ? this.peersOf(nic.net.key) : [];
        return {
            label: where,
            ...(nic.net.key ? { network: nic.net.key } : {}),
            ...(nic.subnet ? { segment: nic.subnet.resource.urn } : {}),
            ...(addresses ? { addresses } : {}),
            layers,
            unverifiable: reasons,
            ...way,
            ...(peers.length > 0 ? { peers } : {}),
        };
    }

    private instance(r: StackResource): Spec {
        const m = topo(r)!;
        const unverifiable: string[] = [];
        let tpl: StackResource | undefined;
        const tplLink = this.links(r, "template")[0];
        if (tplLink) {
            const res = this.stack.resolve(r, canonLink(tplLink), hasRole(ROLE.instanceTemplate));
            if (res.state === "found") tpl = res.targets[0];
            else
                unverifiable.push(
                    `the instance template of ${q(r.name)} is ${res.state === "outside" ? "outside this stack" : "unknown until update"}`,
                );
        }
        // An instance from a template keeps what the template gives unless it sets its own.
        const own = this.targeting(r);
        const from = tpl ? this.targeting(tpl) : undefined;
        const t: Targeting = {
            tags: from && scalar(m, "tags") === undefined ? from.tags : own.tags,
            accounts:
                from && this.links(r, "serviceAccount").length === 0 && flag(m, "defaultServiceAccount") === undefined
                    ? from.accounts
                    : own.accounts,
            secureTags:
                from && from.secureTags !== "unknown" && own.secureTags !== "unknown"
                    ? [...own.secureTags, ...from.secureTags]
                    : from
                      ? "unknown"
                      : own.secureTags,
            ...(own.region !== undefined ? { region: own.region } : {}),
        };
        const holder = tpl && num(m, "nics") === undefined ? tpl : r;
        const nics = this.nics(holder, q(r.name));
        const placements: Placement[] = [];
        const memberships: string[] = [];
        if ("missing" in nics) {
            placements.push({ label: "an unknown network", layers: [], unverifiable: [nics.missing] });
        } else {
            for (const nic of nics) {
                placements.push(this.placement(nic, t, `${q(r.name)} nic${nic.index}`, unverifiable));
                memberships.push(...this.memberships(nic.net, t));
            }
        }
        this.firstTargeting.set(r.urn, t);
        const multi = !("missing" in nics) && new Set(nics.map((n) => n.index)).size > 1;
        // Several interfaces, several candidates each: a route says which interface it is about.
        if (multi) nics.forEach((nic, k) => (placements[k].label = `nic${nic.index} in ${placements[k].label}`));
        return {
            resource: r,
            model: m,
            tags: { ...(tpl ? topo(tpl)!.tags : {}), ...m.tags },
            placements,
            unverifiable,
            memberships,
            ...(multi ? { interfaces: true } : {}),
        };
    }

    private group(r: StackResource): Spec {
        const m = topo(r)!;
        const unverifiable: string[] = [];
        const { found, missing } = this.many(r, "templates", hasRole(ROLE.instanceTemplate));
        const placements: Placement[] = [];
        const memberships: string[] = [];
        if (missing.length > 0 || found.length === 0) {
            const why =
                found.length === 0 && missing.length === 0
                    ? `${q(r.name)} names no instance template`
                    : `the instance template of ${q(r.name)} is ${missing[0]?.state === "outside" ? "outside this stack" : "unknown until update"}`;
            placements.push({ label: "a template this stack does not tell", layers: [], unverifiable: [why] });
        }
        const zone = str(m, "zone");
        const region = str(m, "region");
        const groupRegion =
            zone !== undefined
                ? zone === "unknown"
                    ? zone
                    : regionOf(zone)
                : region !== undefined
                  ? region === "unknown"
                      ? region
                      : regionOf(region)
                  : undefined;
        const tags: Record<string, string> = {};
        for (const tpl of found) {
            if (topo(tpl)!.empty)
                unverifiable.push(`${q(tpl.name)} arrived with no inputs (its provider's configuration is unknown in preview)`);
            Object.assign(tags, topo(tpl)!.tags);
            const base = this.targeting(tpl, groupRegion);
            const t: Targeting = { ...base, ...(groupRegion !== undefined ? { region: groupRegion } : {}) };
            const nics = this.nics(tpl, `${q(r.name)}'s instances`);
            if ("missing" in nics) {
                placements.push({ label: "an unknown network", layers: [], unverifiable: [nics.missing] });
                continue;
            }
            const several = new Set(nics.map((n) => n.index)).size > 1;
            for (const nic of nics) {
                const p = this.placement(nic, t, `${q(r.name)}'s instances (template ${q(tpl.name)} nic${nic.index})`, unverifiable);
                placements.push(several ? { ...p, label: `nic${nic.index} in ${p.label}` } : p);
                memberships.push(...this.memberships(nic.net, t));
            }
            if (!this.firstTargeting.has(r.urn)) this.firstTargeting.set(r.urn, t);
        }
        // Instances of one template have all its interfaces; several templates are alternatives.
        const multi = found.length === 1 && missing.length === 0 && this.nicCount(found[0]) > 1;
        return {
            resource: r,
            model: m,
            tags: { ...tags, ...m.tags },
            placements,
            unverifiable,
            memberships,
            ...(multi ? { interfaces: true } : {}),
        };
    }

    /**
     * The nodes of a GKE node pool (`pool`, or the cluster itself for its default pool): GCE instances
     * with one interface in the cluster's network and subnetwork, the pool's network tags and service
     * account, and an external IP unless the nodes are private. GKE gives them one more network tag
     * (`gke-<cluster>-<hash>-node`) that the plan cannot tell: a rule naming a tag of that shape may
     * target them or not.
     */
    private gkeNodes(pool: StackResource, cluster: StackResource, label: string): Spec & { outside?: string } {
        const m = topo(pool)!;
        const cm = topo(cluster)!;
        const unverifiable: string[] = [];
        let subnet: Subnet | undefined;
        let net: Net;
        let missing: string | undefined;
        const subLink = this.links(cluster, "subnetwork")[0];
        const netLink = this.links(cluster, "network")[0];
        if (subLink) {
            const res = this.stack.resolve(cluster, canonLink(subLink), isSubnet);
            if (res.state === "found" && res.targets.length === 1) {
                subnet = this.subnetInfo(res.targets[0]);
                net = subnet.net;
            } else {
                net = netLink ? this.netFrom(cluster, netLink) : this.outsideNet("default");
                missing =
                    res.state === "outside"
                        ? `subnetwork ${q(lastSegment(res.literal))} of ${q(cluster.name)} is outside this stack`
                        : `the subnetwork of ${q(cluster.name)} is unknown until update`;
            }
        } else {
            // No network: GKE puts the nodes in the project's `default` network.
            net = netLink ? this.netFrom(cluster, netLink) : this.outsideNet("default");
        }
        const own = flag(m, "privateNodes");
        const priv = own ?? flag(cm, "privateNodes") ?? false;
        const where = subnet ? `subnetwork ${q(subnet.resource.name)}` : `network ${q(net.name)}`;
        const nic: Nic = {
            index: 0,
            holder: pool,
            net,
            ...(subnet ? { subnet } : {}),
            ...(!subnet && net.resource !== undefined && this.netFlags(net).auto === true ? { autoMode: true } : {}),
            ...(missing || net.missing ? { missing: missing ?? net.missing } : {}),
            publicV4:
                priv === true
                    ? undefined
                    : priv === "unknown"
                      ? "unknown"
                      : { resource: name(pool), text: `${label} (external IPs, ${where})` },
            publicV6: false,
        };
        const base = this.targeting(pool, this.regionOfCluster(cluster));
        const clusterName = str(cm, "clusterName");
        const shape =
            clusterName !== undefined && clusterName !== "unknown"
                ? // GKE shortens a long cluster name in the tag: only its start is known.
                  new RegExp(`^gke-${clusterName.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}[a-z0-9-]*-[0-9a-f]+-node$`)
                : /^gke-.+-node$/;
        const t: Targeting = {
            ...base,
            autoTag: {
                shape,
                why: `{rule} targets {tag}, which may be the network tag GKE gives the nodes of ${label} (\`gke-<cluster>-<hash>-node\`, chosen when the cluster is created)`,
            },
        };
        const placement = this.placement(nic, t, label, unverifiable);
        if (priv === true) {
            delete placement.internet;
            placement.noInternet = `the nodes of ${label} are private (\`enablePrivateNodes\`): they have no external IP`;
        }
        // A network or subnetwork outside the stack: its firewall rules and routes are not in the plan, so NodePort ways in stay outside it.
        const outside = net.outside || !net.key ? (net.missing ?? `the network of ${q(cluster.name)} is not known`) : missing;
        return {
            resource: pool,
            model: m,
            tags: {},
            placements: [placement],
            unverifiable,
            memberships: this.memberships(net, t),
            ...(outside ? { outside } : {}),
        };
    }

    /** The region of a cluster's `location` (a zone or a region). */
    private regionOfCluster(cluster: StackResource): string | undefined {
        const loc = str(topo(cluster), "location");
        return loc === undefined ? undefined : loc === "unknown" ? "unknown" : regionOf(loc);
    }

    private nicCount(tpl: StackResource): number {
        const n = num(topo(tpl), "nics");
        return typeof n === "number" ? n : 0;
    }

    private database(r: StackResource): Spec {
        const m = topo(r)!;
        const unverifiable: string[] = [];
        const version = str(m, "databaseVersion");
        const port = version && version !== "unknown" ? sqlPort(version) : undefined;
        const ports = port !== undefined ? portRange(port, port) : ALL_PORTS;
        if (scalar(m, "ipConfiguration") !== undefined)
            unverifiable.push(`the \`ipConfiguration\` of ${q(r.name)} is unknown until update`);
        const v4 = flag(m, "ipv4Enabled") ?? true;
        const netLink = this.links(r, "privateNetwork")[0];
        const net = netLink ? this.netFrom(r, netLink) : undefined;
        const auth = v4 === false ? undefined : this.authorizedNetworks(r, ports);
        // Authorized networks that admit every IPv4 address admit a client's external or Cloud NAT address
        // whatever it is: clients of any network get in, as far as their own way out lets them.
        const anyNetwork = !net && auth?.everyV4 === true;
        const placementReasons: string[] = [];
        if (!net && !anyNetwork)
            placementReasons.push(
                `${q(r.name)} has no private IP (\`ipConfiguration.privateNetwork\`): clients in the stack reach its public IP from their external or Cloud NAT address, which the plan does not tell`,
            );
        else if (anyNetwork && v4 === "unknown")
            placementReasons.push(
                `${q(r.name)} has no private IP (\`ipConfiguration.privateNetwork\`), and whether it has a public IP (\`ipv4Enabled\`) is unknown until update`,
            );
        else if (net?.missing) placementReasons.push(net.missing);
        let internet: InternetPath | undefined;
        let noInternet: string | undefined;
        if (!auth) noInternet = `${q(r.name)} has no public IP (\`ipConfiguration.ipv4Enabled: false\`)`;
        else {
            const listed =
                auth.texts.length > 0
                    ? `authorized networks: ${auth.texts.slice(0, 4).join(", ")}${auth.texts.length > 4 ? ", …" : ""}`
                    : "no authorized networks";
            const proto = new Map<ConcreteProtocol, PortSet>([["tcp", ports]]);
            internet = {
                hops: [{ resource: name(r), text: `public IP of ${q(r.name)} (${listed})` }],
                families: ["v4"],
                ports: proto,
                front: { layers: [auth.layer], ports: proto },
                ...(v4 === "unknown"
                    ? { unverifiable: `whether ${q(r.name)} has a public IP (\`ipv4Enabled\`) is unknown until update` }
                    : {}),
            };
        }
        const range = net?.key ? this.privateRange(net.key) : undefined;
        const placement: Placement = {
            label: net ? `private IP in ${net.name}` : "public IP",
            ...(net?.key ? { network: net.key } : {}),
            ...(range ? { addresses: range } : {}),
            layers: [],
            unverifiable: placementReasons,
            ...(internet ? { internet } : {}),
            ...(noInternet ? { noInternet } : {}),
            ...(anyNetwork ? { anyNetwork } : {}),
        };
        return {
            resource: r,
            model: m,
            tags: m.tags,
            unverifiable,
            memberships: [],
            placements: [placement],
            ...(port !== undefined ? { listens: new Map([["tcp", portRange(port, port)]]) } : {}),
        };
    }

    /** The range private services access gives a Cloud SQL instance in `net`, when the stack says it. */
    private privateRange(netKey: string): Addresses | undefined {
        const ranges = this.privateRanges.get(netKey) ?? [];
        let out: Addresses | undefined;
        for (const g of ranges) {
            const m = topo(g);
            const address = str(m, "address");
            const len = num(m, "prefixLength");
            if (address === undefined || address === "unknown" || typeof len !== "number") return undefined;
            const set = cidrSet([`${address}/${len}`]);
            out = out ? union(out, set) : set;
        }
        return out;
    }

    /** A Cloud SQL public IP's filter: each `authorizedNetworks[i]` admits its range on the engine port. */
    private authorizedNetworks(r: StackResource, ports: PortSet): { layer: Layer; texts: string[]; everyV4: boolean } {
        const m = topo(r)!;
        const recs = m.values.authorizedNetworks;
        const texts: string[] = [];
        const inbound: LayerRule[] = [];
        const portList = ports.isFull ? [] : [`${ports.intervals[0][0]}`];
        const terms = {
            rule: "authorized network",
            peers: "`settings.ipConfiguration.authorizedNetworks[].value`",
            ports: "the engine's port",
        };
        const make = (value: unknown, i: number | undefined): void => {
            const [rule] = vpcRules({
                sourceRanges: [value],
                allows: [{ protocol: "tcp", ...(portList.length > 0 ? { ports: portList } : {}) }],
            });
            const lr: LayerRule = {
                rule: { ...rule, origin: i === undefined ? "authorizedNetworks" : `authorizedNetworks[${i}]`, order: undefined, terms },
                resource: name(r),
                addresses: { v4: rule.peers.v4, v6: rule.peers.v6 },
                members: new Set(),
                unknown: rule.peers.unknown,
            };
            inbound.push(lr);
        };
        if (recs !== undefined && isUnknownValue(recs)) {
            make(UNKNOWN, undefined);
            texts.push("unknown until update");
        } else if (Array.isArray(recs)) {
            (recs as readonly Readonly<Record<string, TopologyValue>>[]).forEach((rec, i) => {
                const v = rec.value;
                if (v === undefined || (typeof v === "string" && v.trim() === "")) return;
                if (isUnknownValue(v)) {
                    make(UNKNOWN, i);
                    texts.push("unknown until update");
                } else if (typeof v === "string") {
                    make(v, i);
                    texts.push(v.trim());
                }
            });
        }
        const layer: Layer = {
            kind: "authorized networks",
            rule: "authorized network",
            resources: [name(r)],
            stateful: true,
            scope: "workload",
            ordered: false,
            inbound,
            outbound: [],
        };
        // Known entries that together cover every IPv4 address (0.0.0.0/0, or its halves) on the engine's port.
        const everyV4 = inbound
            .filter((lr) => !lr.unknown)
            .reduce((v4: AddrSet, lr) => v4.union(lr.addresses.v4), IntervalSet.empty(v4Domain)).isFull;
        return { layer, texts, everyV4 };
    }

    // -----------------------------------------------------------------------------------------
    // Forwarding rules

    private ports(m: TopologyModel): { ports: ReadonlyMap<ConcreteProtocol, PortSet>; text: string } | "unknown" {
        const protoText = str(m, "ipProtocol");
        if (protoText === "unknown") return "unknown";
        const proto = (protoText ?? "TCP").toUpperCase();
        const protocols: ConcreteProtocol[] =
            proto === "TCP"
                ? ["tcp"]
                : proto === "UDP"
                  ? ["udp"]
                  : proto === "ICMP"
                    ? ["icmp"]
                    : proto === "L3_DEFAULT"
                      ? [...CONCRETE_PROTOCOLS]
                      : [];
        const all = flag(m, "allPorts");
        const list = names(m, "ports");
        const range = str(m, "portRange");
        if (all === "unknown" || list.unknown || range === "unknown") return "unknown";
        let set: PortSet | undefined;
        const texts = [...list.known, ...(range !== undefined ? [range] : [])];
        for (const t of texts) {
            const mm = /^(\d+)(?:-(\d+))?$/.exec(t.trim());
            if (!mm) return "unknown";
            const p = portRange(Number(mm[1]), Number(mm[2] ?? mm[1]));
            set = set ? set.union(p) : p;
        }
        // No ports at all (or allPorts): every port is forwarded.
        const ports = all === true || !set ? IntervalSet.full(portDomain) : set;
        return {
            ports: new Map(protocols.map((p) => [p, ports])),
            text: `${proto.toLowerCase()} ${all === true || !set ? "every port" : texts.join(", ")}`,
        };
    }

    /** The workloads an external passthrough forwarding rule sends its traffic to. */
    private backends(fr: StackResource): { targets: StackResource[]; missing?: string; armor?: string } {
        const isBackend = hasRole(ROLE.backendService);
        const bs = this.one(fr, "backendService", isBackend);
        const targets: StackResource[] = [];
        let missing: string | undefined;
        let armor: string | undefined;
        const instances = hasRole(ROLE.instance);
        if (bs) {
            if (bs.state !== "found")
                return {
                    targets,
                    missing: `the backend service of ${q(fr.name)} is ${bs.state === "outside" ? "outside this stack" : "unknown until update"}`,
                };
            const service = bs.targets[0];
            if (str(topo(service), "securityPolicy") !== undefined)
                armor = `Cloud Armor policy on ${q(service.name)} (\`securityPolicy\`) is not read`;
            missing = this.serviceBackends(service, targets);
            return { targets, ...(missing ? { missing } : {}), ...(armor ? { armor } : {}) };
        }
        const target = this.one(fr, "target", hasRole(ROLE.targetPool, ROLE.targetInstance));
        if (target?.state === "found") {
            const t = target.targets[0];
            if (str(topo(t), "securityPolicy") !== undefined) armor = `Cloud Armor policy on ${q(t.name)} (\`securityPolicy\`) is not read`;
            if (topo(t)!.role === ROLE.targetInstance) {
                const inst = this.one(t, "instance", instances);
                if (inst?.state === "found") targets.push(inst.targets[0]);
                else missing = `the instance of ${q(t.name)} is not in the stack`;
            } else {
                const inst = this.many(t, "instances", instances);
                targets.push(...inst.found);
                if (inst.missing.length > 0) missing = `some instances of ${q(t.name)} are not in the stack`;
                for (const igm of this.all(ROLE.instanceGroupManager))
                    if (this.many(igm, "targetPools", (x) => x === t).found.length > 0) targets.push(igm);
            }
        } else if (target)
            missing = `the target of ${q(fr.name)} is ${target.state === "outside" ? "outside this stack" : "unknown until update"}`;
        return { targets, ...(missing ? { missing } : {}), ...(armor ? { armor } : {}) };
    }

    /** The instances and managed groups behind a backend service, into `targets`; why some are not known, if they are not. */
    private serviceBackends(service: StackResource, targets: StackResource[]): string | undefined {
        let missing: string | undefined;
        const g = this.many(service, "groups", hasRole(ROLE.instanceGroupManager, ROLE.instanceGroup));
        for (const group of g.found) {
            if (topo(group)?.role === ROLE.instanceGroupManager) targets.push(group);
            else {
                const inst = this.many(group, "instances", hasRole(ROLE.instance));
                targets.push(...inst.found);
                if (inst.missing.length > 0) missing ??= `some instances of ${q(group.name)} are not in the stack`;
            }
        }
        if (g.missing.length > 0) missing ??= `some backends of ${q(service.name)} are not in the stack`;
        return missing;
    }

    /** What a proxy load balancer connects to from Google's front ends: the backends of its target proxy's URL map or backend service. */
    private proxied(fr: StackResource): StackResource[] {
        const proxy = this.one(fr, "target", hasRole(ROLE.targetProxy));
        if (proxy?.state !== "found") return [];
        const p = proxy.targets[0];
        const services = [...this.many(p, "services", hasRole(ROLE.backendService)).found];
        const map = this.one(p, "urlMap", hasRole(ROLE.urlMap));
        if (map?.state === "found") services.push(...this.many(map.targets[0], "services", hasRole(ROLE.backendService)).found);
        const targets: StackResource[] = [];
        for (const s of new Set(services)) this.serviceBackends(s, targets);
        return [...new Set(targets)];
    }

    /** What a forwarding rule is: a passthrough to its backends, a proxy that answers itself, internal, or unknown. */
    private kindOf(fr: StackResource): "passthrough" | "proxy" | "internal" | "unknown" {
        const m = topo(fr)!;
        const scheme = str(m, "loadBalancingScheme");
        if (scheme === "unknown") return "unknown";
        const s = (scheme ?? "EXTERNAL").toUpperCase();
        if (s.startsWith("INTERNAL") || s === "") return "internal";
        if (flag(m, "global") === true || s === "EXTERNAL_MANAGED") return "proxy";
        if (this.links(fr, "backendService").length > 0) return "passthrough";
        const target = this.links(fr, "target")[0];
        if (!target) return "unknown";
        const res = this.stack.resolve(fr, canonLink(target), hasRole(ROLE.targetPool, ROLE.targetInstance, ROLE.targetProxy));
        if (res.state === "found") return topo(res.targets[0])!.role === ROLE.targetProxy ? "proxy" : "passthrough";
        const lit = target.literal ?? "";
        if (/\/target(Pools|Instances)\//.test(lit)) return "passthrough";
        if (/\/target\w*Prox(y|ies)\//i.test(lit)) return "proxy";
        return "unknown";
    }

    private proxy(fr: StackResource): Spec {
        const m = topo(fr)!;
        const ports = this.ports(m);
        const v6 = str(m, "ipVersion") === "IPV6";
        const reasons: string[] = [];
        if (this.cloudArmor.length > 0)
            reasons.push(`the stack has Cloud Armor policies (${this.cloudArmor.map((s) => q(s.name)).join(", ")}), which are not read`);
        const listens = ports === "unknown" ? undefined : ports.ports;
        const placement: Placement = {
            label: "Google's front ends",
            layers: [],
            unverifiable: [`${q(fr.name)} is a proxy load balancer: its backends are reached from Google's front ends`],
            internet: {
                hops: [{ resource: name(fr), text: `proxy load balancer ${q(fr.name)}${ports === "unknown" ? "" : ` (${ports.text})`}` }],
                families: [v6 ? "v6" : "v4"],
                ...(reasons.length > 0
                    ? { unverifiable: reasons[0] }
                    : ports === "unknown"
                      ? { unverifiable: `the ports of ${q(fr.name)} are unknown until update` }
                      : {}),
            },
        };
        const behind = this.proxied(fr);
        return {
            resource: fr,
            model: m,
            tags: m.tags,
            placements: [placement],
            unverifiable: [],
            memberships: [],
            ...(listens ? { listens } : {}),
            // The port it connects on is the backend service's named port, which the plan does not resolve.
            ...(behind.length > 0 ? { fronts: [{ targets: behind.map((t) => t.urn), passesClientAddress: false }] } : {}),
        };
    }

    // -----------------------------------------------------------------------------------------

    assemble(): Workload[] {
        const specs: Spec[] = [];
        const want = (r: StackResource) => wanted(this.options, r);
        for (const r of this.all(ROLE.instance).filter(want)) specs.push(this.instance(r));
        for (const r of this.all(ROLE.instanceGroupManager).filter(want)) specs.push(this.group(r));
        for (const r of this.all(ROLE.sql).filter(want)) specs.push(this.database(r));
        const nodes = new Map<Spec, NodesOf>();
        for (const r of this.all(ROLE.gkeCluster)) {
            const m = topo(r)!;
            // A cluster whose inputs are not known (its provider's configuration unknown in preview), an Autopilot one or one without its default pool has no default nodes to place.
            if (m.empty || flag(m, "removeDefaultNodePool") === true || flag(m, "autopilot") === true) continue;
            if (!wantedNodes(this.options, r, r.urn)) continue;
            const label = `the default node pool of ${q(r.name)}`;
            const spec = this.gkeNodes(r, r, label);
            nodes.set(spec, { cluster: r.urn, label, close: GKE_CLOSE, ...(spec.outside ? { outside: spec.outside } : {}) });
            specs.push(spec);
        }
        for (const r of this.all(ROLE.gkeNodePool)) {
            const res = this.one(r, "cluster", hasRole(ROLE.gkeCluster));
            if (res?.state !== "found" || res.targets.length !== 1 || !wantedNodes(this.options, r, res.targets[0].urn)) continue;
            const label = `node pool ${q(r.name)}`;
            const spec = this.gkeNodes(r, res.targets[0], label);
            nodes.set(spec, { cluster: res.targets[0].urn, label, close: GKE_CLOSE, ...(spec.outside ? { outside: spec.outside } : {}) });
            specs.push(spec);
        }
        const passthrough: StackResource[] = [];
        for (const fr of this.all(ROLE.forwardingRule)) {
            const kind = this.kindOf(fr);
            if (kind === "proxy") {
                if (want(fr)) specs.push(this.proxy(fr));
            } else if (kind === "passthrough") passthrough.push(fr);
        }
        const workloads = new Map<string, Workload>();
        for (const s of specs) {
            const unverifiable = [...s.unverifiable];
            if (s.model.empty)
                unverifiable.push(`${q(s.resource.name)} arrived with no inputs (its provider's configuration is unknown in preview)`);
            const service = s.tags[this.options.serviceTag];
            const w: Workload = {
                urn: s.resource.urn,
                name: s.resource.name,
                type: s.resource.type,
                placements: s.placements,
                memberships: new Set(s.memberships),
                ...(service !== undefined ? { service } : {}),
                ...(s.listens ? { listens: s.listens } : {}),
                ...(s.interfaces ? { interfaces: true } : {}),
                ...(unverifiable.length > 0 ? { unverifiable: [...new Set(unverifiable)].join("; ") } : {}),
                ...(nodes.has(s) ? { nodesOf: nodes.get(s)! } : {}),
                ...(s.fronts ? { fronts: s.fronts } : {}),
            };
            workloads.set(w.urn, w);
        }
        // An external passthrough load balancer keeps the client's address: its backends' firewall sees the internet, on its ports.
        for (const fr of passthrough) {
            const m = topo(fr)!;
            const ports = this.ports(m);
            const { targets, missing, armor } = this.backends(fr);
            const v6 = str(m, "ipVersion") === "IPV6";
            const sources = names(m, "sourceIpRanges");
            for (const t of targets) {
                const w = workloads.get(t.urn);
                if (!w) continue;
                const first = w.placements[0];
                if (!first?.network) continue;
                // The replies leave the backend itself: its network needs the route to the internet.
                const route = this.routeOf(
                    this.netByKey(first.network),
                    this.firstTargeting.get(t.urn)?.tags ?? "unknown",
                    v6 ? "v6" : "v4",
                );
                const hop: Hop = {
                    resource: name(fr),
                    text: `external passthrough load balancer ${q(fr.name)} (${ports === "unknown" ? "ports unknown until update" : ports.text}, client address kept)`,
                };
                const unsure =
                    ports === "unknown"
                        ? `the ports of ${q(fr.name)} are unknown until update`
                        : (armor ?? ("unknown" in route ? route.unknown : missing));
                if ("none" in route) continue;
                const all = new Map<ConcreteProtocol, PortSet>(CONCRETE_PROTOCOLS.map((p) => [p, ALL_PORTS]));
                const carried = ports === "unknown" ? all : ports.ports;
                const front = sources.known.length > 0 || sources.unknown ? this.sourceFilter(fr, sources, carried) : undefined;
                const rest: Placement = { ...first };
                delete rest.noInternet;
                w.placements.push({
                    ...rest,
                    label: `${first.label} through ${fr.name}`,
                    internet: {
                        hops: ["hops" in route ? route.hops : [], [hop]].flat(),
                        families: [v6 ? "v6" : "v4"],
                        ports: carried,
                        ...(front ? { front: { layers: [front], ports: carried } } : {}),
                        ...(unsure ? { unverifiable: unsure } : {}),
                    },
                });
            }
        }
        return [...workloads.values()];
    }

    private netByKey(key: string): Net {
        const r = this.stack.resourceByUrn(key);
        return r && isNetwork(r) ? this.netOf(r) : this.outsideNet(key.replace(/^gcp-network:/, ""));
    }

    /** A forwarding rule's `sourceIpRanges`: only those sources are forwarded. */
    private sourceFilter(
        fr: StackResource,
        sources: { known: string[]; unknown: boolean },
        ports: ReadonlyMap<ConcreteProtocol, PortSet>,
    ): Layer {
        const inbound: LayerRule[] = [];
        const protocols = [...ports.keys()];
        for (const [i, value] of [...sources.known, ...(sources.unknown ? [UNKNOWN] : [])].entries()) {
            for (const p of protocols) {
                const [rule] = vpcRules({ sourceRanges: [value], allows: [{ protocol: p }] });
                inbound.push({
                    rule: {
                        ...rule,
                        origin: `sourceIpRanges[${i}]`,
                        order: undefined,
                        ports: ports.get(p) ?? NO_PORTS,
                        terms: { rule: "source range", peers: "`sourceIpRanges`", ports: "`ports`" },
                    },
                    resource: name(fr),
                    addresses: { v4: rule.peers.v4, v6: rule.peers.v6 },
                    members: new Set(),
                    unknown: rule.peers.unknown,
                });
            }
        }
        return {
            kind: "source ranges",
            rule: "source range",
            resources: [name(fr)],
            stateful: true,
            scope: "workload",
            ordered: false,
            inbound,
            outbound: [],
        };
    }
}

/** How a NodePort way in through GKE nodes closes. */
const GKE_CLOSE =
    "narrow the VPC firewall rules that admit its node port to the nodes (`sourceRanges`, `targetTags`), or make the nodes private (`enablePrivateNodes`)";

/** The membership key of a network tag on interfaces of one network, worded by urnName as the tag itself. */
function tagKey(netKey: string, tag: string): string {
    return `urn:pulumi:gcp-network-tag::${netKey}::${tag}`;
}

function memberKey(kind: "service-account" | "secure-tag", netKey: string, key: string): string {
    return `gcp-${kind}:${netKey}:${key}`;
}

export const gcpGraphAssembler: GraphAssembler = {
    provider: "gcp",
    providers: ["gcp"],
    closeInternet:
        "narrow the firewall rules that admit the internet (`sourceRanges`, `targetTags`), remove the instance's external IP (`accessConfigs`), or make the forwarding rule INTERNAL; for Cloud SQL, narrow `authorizedNetworks` or turn off `ipv4Enabled`",
    assemble: (stack: Stack, options: AssembleOptions) => new GcpGraph(stack, options).assemble(),
    focus: gcpFocus,
};
