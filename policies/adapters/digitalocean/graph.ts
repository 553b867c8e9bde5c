// The DigitalOcean half of the network graph: which VPC each droplet, load balancer, managed
// database and Kubernetes node pool is in, whether it has a public address, and the filters in
// front of it: the Cloud Firewalls that name it or its tags (one union of allows per workload, deny
// rules first), a database cluster's trusted sources, a load balancer's own firewall. Built from the
// firewall and topology models (firewalls.ts, topology.ts). Links follow ids and names when known and
// property dependencies during preview; what the stack does not hold is never assumed open or closed.
import { cidrSet, SymbolicPeer } from "../../model/addresses";
import { Addresses, Hop, Layer, LayerRule, NodesOf, Placement, ResourceName, Workload, isEmpty } from "../../model/graph";
import { IntervalSet, PortSet, portDomain, portRange } from "../../model/intervals";
import { ConcreteProtocol } from "../../model/protocol";
import { FirewallModel } from "../../model/resources";
import { Direction, NormalisedRule, RuleTerms } from "../../model/rules";
import { Stack, StackResource } from "../../model/stack";
import { isUnknownValue, TopologyLink, TopologyModel, TopologyValue } from "../../model/topology";
import { UNKNOWN } from "../../wire/engine";
import { AssembleOptions, GraphAssembler, wanted, wantedNodes } from "../support/assembler";
import { Input } from "../support/input";
import { ALL_ADDRESSES, layerRules, NO_ADDRESSES, SymbolResolution } from "../support/layers";
import { ResourceBuilder } from "../support/resource-builder";
import { RuleBuilder } from "../support/rule-builder";
import { digitaloceanAdapters } from "./firewalls";
import { digitaloceanFocus } from "./focus";
import { ROLE } from "./topology";
import { code as q, flag, resourceName as name, scalar } from "../support/topology-values";

const FIREWALL = "digitalocean:index/firewall:Firewall";

/** Ports DigitalOcean's managed database engines listen on, for a cluster whose `port` is not known yet. */
const ENGINE_PORTS: readonly [RegExp, number][] = [
    [/^(pg|postgres)/, 25060],
    [/^mysql/, 25060],
    [/^(redis|valkey)/, 25061],
    [/^mongo/, 27017],
];

export function databasePort(engine: string): number | undefined {
    return ENGINE_PORTS.find(([re]) => re.test(engine.trim().toLowerCase()))?.[1];
}

/** Membership keys: what rules name and workloads carry, besides the URNs of the resources themselves. */
const KEY = {
    tag: (name: string) => `digitalocean-tag:${name}`,
    /** `k8s:<cluster id>` computed from a cluster of the stack whose id is unknown in preview. */
    clusterTag: (urn: string) => `digitalocean-tag:k8s:${urn}`,
    droplet: (id: string) => `digitalocean-droplet:${id}`,
    loadBalancer: (id: string) => `digitalocean-load-balancer:${id}`,
    kubernetes: (id: string) => `digitalocean-kubernetes:${id}`,
    app: (id: string) => `digitalocean-app:${id}`,
};

function topo(r: StackResource | undefined): TopologyModel | undefined {
    return r?.model?.kind === "topology" && r.model.provider === "digitalocean" ? r.model : undefined;
}
function fw(r: StackResource | undefined): FirewallModel | undefined {
    return r?.model?.kind === "firewall" && r.type === FIREWALL ? r.model : undefined;
}
const hasRole =
    (...roles: string[]) =>
    (r: StackResource) =>
        roles.includes(topo(r)?.role ?? "");
const isVpc = hasRole(ROLE.vpc);
const isTag = hasRole(ROLE.tag);
const isDroplet = hasRole(ROLE.droplet);
const isLb = hasRole(ROLE.loadBalancer);
const isDb = hasRole(ROLE.database);
const isCluster = hasRole(ROLE.kubernetesCluster);
const isTagOrCluster = (r: StackResource) => isTag(r) || isCluster(r);
// A Tag without inputs is common (its name is auto-named, and the local check's mocks do not name it):
// unlike a cluster, it says nothing about the provider's configuration.
const emptyCluster = (r: StackResource) => isCluster(r) && topo(r)!.empty;

const EMPTY_INPUT = "\u0000";

function records(m: TopologyModel | undefined, key: string): readonly Readonly<Record<string, TopologyValue>>[] | "unknown" | undefined {
    const v = m?.values[key];
    if (v === undefined) return undefined;
    if (isUnknownValue(v)) return "unknown";
    return Array.isArray(v) && v.every((x) => typeof x === "object" && x !== null && !Array.isArray(x))
        ? (v as Readonly<Record<string, TopologyValue>>[])
        : undefined;
}
function str(m: TopologyModel | undefined, key: string): string | undefined {
    const v = scalar(m, key);
    return typeof v === "string" && !isUnknownValue(v) ? v : undefined;
}
function num(v: TopologyValue | undefined): number | "unknown" | undefined {
    if (v === undefined) return undefined;
    if (isUnknownValue(v)) return "unknown";
    if (typeof v === "number") return v;
    return typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined;
}
/** A list value's elements: strings, the unknown sentinel for unknown ones; "unknown" for a whole unknown list. */
function list(m: TopologyModel | undefined, key: string): readonly string[] | "unknown" {
    const v = scalar(m, key);
    if (v === undefined) return [];
    if (isUnknownValue(v)) return "unknown";
    if (Array.isArray(v)) return v as readonly string[];
    return typeof v === "string" ? [v] : [];
}

// ---------------------------------------------------------------------------------------------
// Rules the pack writes itself: stand-ins for rules nobody can read (a list unknown until update, a
// firewall DOKS manages), a load balancer's firewall entries, a database cluster's trusted sources.

const LB_TERMS: RuleTerms = {
    rule: "load balancer firewall rule",
    peers: "`firewall.allows`/`firewall.denies`",
    ports: "the load balancer's entry ports",
};
const DB_TERMS: RuleTerms = { rule: "trusted source rule", peers: "`rules` (`type`, `value`)", ports: "every port of the cluster" };

let unknownRules: NormalisedRule[] | undefined;
/** Every protocol and port, from peers unknown: never blocks, never proves. */
function standIns(): NormalisedRule[] {
    if (unknownRules) return unknownRules;
    const adapter = digitaloceanAdapters[0];
    const all = (side: "source" | "destination") =>
        ["tcp", "udp", "icmp"].map((protocol) => ({
            protocol,
            ...(protocol === "icmp" ? {} : { portRange: "all" }),
            [`${side}Addresses`]: [UNKNOWN],
        }));
    const m = adapter.normalise(Input.root({ inboundRules: all("source"), outboundRules: all("destination") }), FIREWALL) as FirewallModel;
    unknownRules = m.rules;
    return unknownRules;
}

let nodePortRules: NormalisedRule[] | undefined;
/** What DOKS's public-access firewall opens for a NodePort Service: its node ports (of the range 30000-32767), tcp and udp, from every address. */
function openNodePorts(): NormalisedRule[] {
    if (nodePortRules) return nodePortRules;
    const adapter = digitaloceanAdapters[0];
    const rules = ["tcp", "udp"].map((protocol) => ({ protocol, portRange: "30000-32767", sourceAddresses: ["0.0.0.0/0", "::/0"] }));
    nodePortRules = (adapter.normalise(Input.root({ inboundRules: rules }), FIREWALL) as FirewallModel).rules
        .filter((r) => r.direction === "inbound")
        .map((r) => ({ ...r, origin: "node port rule" }));
    return nodePortRules;
}

/** The Service annotation that keeps DOKS from opening its node ports to the internet. */
const FIREWALL_MANAGED_OFF = "kubernetes.digitalocean.com/firewall-managed=false";

/** One rule of every protocol from every address, for an implied allow (a load balancer's or a database's own outbound traffic). */
function allowAll(direction: Direction, origin: string, terms: RuleTerms): NormalisedRule {
    const rule = new RuleBuilder(origin);
    rule.direction = direction;
    rule.readPeerList(Input.root(["0.0.0.0/0", "::/0"]));
    rule.terms = terms;
    return rule.build();
}

/** A load balancer's `firewall` entries (`ip:203.0.113.7`, `cidr:198.51.100.0/24`) as rules of every protocol and port. */
function lbRules(entries: readonly string[] | "unknown", action: "allow" | "deny", secret: boolean): NormalisedRule[] {
    const list = action === "allow" ? "allows" : "denies";
    const out = new ResourceBuilder("digitalocean", { inbound: LB_TERMS, outbound: LB_TERMS }, Input.root({}));
    const items = entries === "unknown" ? [UNKNOWN] : entries;
    items.forEach((entry, i) =>
        out.addRule(`firewall.${list}${entries === "unknown" ? "" : `[${i}]`}`, (rule) => {
            rule.action = action;
            if (action === "deny") rule.order = 0;
            const path = `firewall.${list}[${i}]`;
            const input = new Input(
                typeof entry === "string" && !isUnknownValue(entry) ? entry.replace(/^(ip|cidr):/i, "") : entry,
                path,
                secret ? new Set(["firewall"]) : new Set(),
            );
            if (typeof entry === "string" && !isUnknownValue(entry) && !/^(ip|cidr):/i.test(entry.trim()))
                rule.invalid("peers", input, "is not `ip:<address>` or `cidr:<block>`");
            else rule.readPeers([input]);
        }),
    );
    return out.rules;
}

/** A database firewall's `rules` as rules of every tcp port: addresses (`ip_addr`) or named resources (`droplet`, `tag`, `k8s`, `app`). */
function trustedSources(recs: readonly Readonly<Record<string, TopologyValue>>[], secret: boolean): NormalisedRule[] {
    const out = new ResourceBuilder("digitalocean", { inbound: DB_TERMS, outbound: DB_TERMS }, Input.root({}));
    const secrets = secret ? new Set(["rules"]) : new Set<string>();
    recs.forEach((rec, i) =>
        out.addRule(`rules[${i}]`, (rule) => {
            rule.protocol = "tcp";
            const raw = rec.value;
            const value = new Input(raw === undefined ? undefined : isUnknownValue(raw) ? UNKNOWN : raw, `rules[${i}].value`, secrets);
            const type = typeof rec.type === "string" ? rec.type.trim().toLowerCase().replace(/_/g, "") : undefined;
            if (type === undefined) {
                rule.readPeers([new Input(UNKNOWN, `rules[${i}].type`, secrets)]);
                return;
            }
            const kinds: Record<string, [SymbolicPeer["kind"], RegExp]> = {
                droplet: ["droplet", /^\d+$/],
                tag: ["droplet-tag", /^[a-z0-9:_-]{1,255}$/i],
                k8s: ["kubernetes-cluster", /^[0-9a-f-]{36}$/i],
                app: ["other", /^[0-9a-f-]{36}$/i],
            };
            if (type === "ipaddr") rule.readPeers([value]);
            else if (kinds[type]) rule.readSymbolList(value, kinds[type][0], kinds[type][1]);
            else rule.invalid("peers", new Input(rec.type, `rules[${i}].type`, secrets), "is not one of ip_addr, droplet, tag, k8s or app");
        }),
    );
    return out.rules;
}

// ---------------------------------------------------------------------------------------------

interface Network {
    /** The network key: the VPC's URN, its id outside the stack, or the region's default VPC. */
    key?: string;
    label: string;
    addresses?: Addresses;
    empty?: string;
}

/** What a workload behind Cloud Firewalls is known by: its own keys and its tags'. */
interface Carried {
    keys: string[];
    /** A tag it carries cannot be told until update: firewalls attached by tag may apply. */
    unknownTags: boolean;
    tagNames: string[];
    emptyTags: string[];
}

/** A workload's public address: the hop that names it, unknown until update, or none and why. */
type PublicAddress = { hop: Hop } | { unknown: true } | { none: string };

interface Spec {
    resource: StackResource;
    model: TopologyModel;
    service?: string;
    memberships: string[];
    listens?: ReadonlyMap<ConcreteProtocol, PortSet>;
    placement: Placement;
    unverifiable: string[];
    fronts?: Workload["fronts"];
    nodesOf?: NodesOf;
}

export class DigitalOceanGraph {
    private readonly byRole = new Map<string, StackResource[]>();
    /** Cloud Firewalls by the keys they attach to (droplet URNs and ids, tag keys). */
    private readonly firewallsBy = new Map<string, StackResource[]>();
    /** Cloud Firewalls whose targets cannot be told (an id or tag unknown until update): they may apply to any droplet. */
    private readonly firewallsAnywhere: StackResource[] = [];
    /** Cloud Firewalls that attach by tags: they may apply to a droplet whose tags cannot be told. */
    private readonly tagFirewalls = new Set<StackResource>();
    private readonly emptyFirewalls: StackResource[] = [];
    private readonly dbFirewalls = new Map<string, StackResource[]>();
    private readonly dbFirewallsAnywhere: StackResource[] = [];
    private readonly poolsOf = new Map<string, StackResource[]>();

    private readonly layers = new Map<string, Layer>();
    private readonly networks = new Map<StackResource, Network>();
    private readonly sole = new Map<StackResource, Map<string, { rule: NormalisedRule; kind: string } | "several">>();

    constructor(
        private readonly stack: Stack,
        private readonly options: AssembleOptions,
    ) {
        for (const r of stack.ofProviders("digitalocean")) {
            const role = topo(r)?.role ?? (fw(r) ? "firewall" : undefined);
            if (!role) continue;
            const l = this.byRole.get(role);
            if (l) l.push(r);
            else this.byRole.set(role, [r]);
        }
        this.index();
    }

    private position(r: StackResource): number {
        return this.stack.position(r);
    }

    private all(role: string): StackResource[] {
        return this.byRole.get(role) ?? [];
    }

    private links(r: StackResource, key: string): readonly TopologyLink[] {
        return topo(r)?.links[key] ?? fw(r)?.links?.[key] ?? [];
    }

    private push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
        const l = map.get(k);
        if (l) {
            if (!l.includes(v)) l.push(v);
        } else map.set(k, [v]);
    }

    /** The resources a known value names by identity alone (never by dependencies: a literal names what it says). */
    private byValue(from: StackResource, literal: string, accept: (r: StackResource) => boolean): StackResource[] {
        const res = this.stack.resolve(from, { property: EMPTY_INPUT, literal }, accept);
        return res.state === "found" ? res.targets : [];
    }

    private tagKeysOf(t: StackResource): string[] {
        if (isCluster(t)) return [t.urn, KEY.clusterTag(t.urn)];
        const n = str(topo(t), "name");
        return [t.urn, ...(n ? [KEY.tag(n)] : [])];
    }

    /** The keys of a tag reference (a droplet's or a firewall's `tags` element, a load balancer's `dropletTag`); list semantics for unknown ones. */
    private tagRef(from: StackResource, link: TopologyLink): { keys: string[]; names: string[]; empty: string[]; unknown: boolean } {
        if (link.literal !== undefined) {
            const targets = this.byValue(from, link.literal, isTag);
            return {
                keys: [KEY.tag(link.literal), ...targets.flatMap((t) => this.tagKeysOf(t))],
                names: [link.literal],
                empty: targets.filter(emptyCluster).map((t) => t.name),
                unknown: false,
            };
        }
        const res = this.stack.resolve(from, link, isTagOrCluster);
        if (res.state !== "found") return { keys: [], names: [], empty: [], unknown: true };
        const names = res.targets.flatMap((t) => (isTag(t) ? [str(topo(t), "name")].filter((n): n is string => n !== undefined) : []));
        return {
            keys: res.targets.flatMap((t) => this.tagKeysOf(t)),
            names,
            empty: res.targets.filter(emptyCluster).map((t) => t.name),
            unknown: false,
        };
    }

    /** The keys of a droplet reference (`dropletIds` element). */
    private dropletRef(from: StackResource, link: TopologyLink): { keys: string[]; unknown: boolean } {
        if (link.literal !== undefined)
            return { keys: [KEY.droplet(link.literal), ...this.byValue(from, link.literal, isDroplet).map((d) => d.urn)], unknown: false };
        const res = this.stack.resolve(from, link, isDroplet);
        return res.state === "found" ? { keys: res.targets.map((d) => d.urn), unknown: false } : { keys: [], unknown: true };
    }

    private index(): void {
        for (const f of this.all("firewall")) {
            if (fw(f)!.empty) {
                this.emptyFirewalls.push(f);
                continue;
            }
            let anywhere = false;
            for (const l of this.links(f, "droplets")) {
                const ref = this.dropletRef(f, l);
                anywhere ||= ref.unknown;
                for (const k of ref.keys) this.push(this.firewallsBy, k, f);
            }
            for (const l of this.links(f, "tags")) {
                const ref = this.tagRef(f, l);
                anywhere ||= ref.unknown;
                this.tagFirewalls.add(f);
                for (const k of ref.keys) this.push(this.firewallsBy, k, f);
            }
            if (anywhere) this.firewallsAnywhere.push(f);
        }
        for (const f of this.all(ROLE.databaseFirewall)) {
            const l = this.links(f, "cluster")[0];
            const res = l ? this.stack.resolve(f, l, isDb) : undefined;
            if (res?.state === "found") for (const c of res.targets) this.push(this.dbFirewalls, c.urn, f);
            else if (!l || res?.state === "unknown" || topo(f)!.empty) this.dbFirewallsAnywhere.push(f);
        }
        for (const p of this.all(ROLE.nodePool)) {
            const l = this.links(p, "cluster")[0];
            const res = l ? this.stack.resolve(p, l, isCluster) : undefined;
            if (res?.state === "found") this.push(this.poolsOf, res.targets[0].urn, p);
        }
    }

    // -----------------------------------------------------------------------------------------
    // Networks

    private network(r: StackResource): Network {
        let n = this.networks.get(r);
        if (n) return n;
        const link = this.links(r, "vpc")[0];
        if (!link) {
            const region = str(topo(r), "region");
            n = region
                ? { key: `digitalocean-default-vpc:${region}`, label: `the default VPC of ${region}` }
                : { label: "the region's default VPC" };
        } else {
            const res = this.stack.resolve(r, link, isVpc);
            if (res.state === "found") {
                const vpc = res.targets[0];
                const range = str(topo(vpc), "ipRange");
                const addresses = range ? cidrSet([range]) : undefined;
                n = {
                    key: vpc.urn,
                    label: vpc.name,
                    ...(addresses && !isEmpty(addresses) ? { addresses } : {}),
                    ...(topo(vpc)!.empty ? { empty: vpc.name } : {}),
                };
            } else if (res.state === "outside") n = { key: res.literal, label: "a VPC outside this stack" };
            else n = { label: "a VPC unknown until update" };
        }
        this.networks.set(r, n);
        return n;
    }

    // -----------------------------------------------------------------------------------------
    // Layers

    /** Whether every unresolved reference of `property` in the firewall is one of `rule`'s references of one kind. */
    private soleHolder(f: StackResource, property: string): { rule: NormalisedRule; kind: string } | "several" | undefined {
        let byProperty = this.sole.get(f);
        if (!byProperty) {
            byProperty = new Map();
            for (const rule of fw(f)!.rules) {
                for (const s of rule.peers.symbols) {
                    if (!s.ref || s.ref.literal !== undefined) continue;
                    const held = byProperty.get(s.ref.property);
                    if (held === undefined) byProperty.set(s.ref.property, { rule, kind: s.kind });
                    else if (held === "several" || held.rule !== rule || held.kind !== s.kind) byProperty.set(s.ref.property, "several");
                }
                // Unknown addresses may come from the same dependencies.
                if (rule.peers.unknown)
                    for (const u of rule.unresolved)
                        if (u.part === "peers") byProperty.set(/^[^.[]+/.exec(u.path)?.[0] ?? u.path, "several");
            }
            this.sole.set(f, byProperty);
        }
        return byProperty.get(property);
    }

    private resolver(f: StackResource) {
        return (symbol: SymbolicPeer, rule: NormalisedRule): SymbolResolution => {
            const accept =
                symbol.kind === "droplet"
                    ? isDroplet
                    : symbol.kind === "droplet-tag"
                      ? isTagOrCluster
                      : symbol.kind === "load-balancer"
                        ? isLb
                        : symbol.kind === "kubernetes-cluster"
                          ? isCluster
                          : undefined;
            if (!accept || !symbol.ref)
                return symbol.kind === "other" && symbol.ref?.literal ? { members: [KEY.app(symbol.ref.literal)] } : { unknown: true };
            const keysOf = (t: StackResource): string[] => (symbol.kind === "droplet-tag" ? this.tagKeysOf(t) : [t.urn]);
            const literal = symbol.ref.literal;
            if (literal !== undefined) {
                const own =
                    symbol.kind === "droplet"
                        ? KEY.droplet(literal)
                        : symbol.kind === "droplet-tag"
                          ? KEY.tag(literal)
                          : symbol.kind === "load-balancer"
                            ? KEY.loadBalancer(literal)
                            : KEY.kubernetes(literal);
                return { members: [own, ...this.byValue(f, literal, symbol.kind === "droplet-tag" ? isTag : accept).flatMap(keysOf)] };
            }
            const res = this.stack.resolve(f, symbol.ref, accept);
            if (res.state !== "found") return { unknown: true };
            const keys = res.targets.flatMap(keysOf);
            if (res.targets.length === 1) return { members: keys };
            // Several candidates behind one input's dependencies: all of them when this rule's list holds every unknown reference there.
            const sole = this.soleHolder(f, symbol.ref.property);
            if (sole !== undefined && sole !== "several" && sole.rule === rule && sole.kind === symbol.kind) return { members: keys };
            return { unknown: true, candidates: keys };
        };
    }

    private firewallRules(f: StackResource, direction: Direction): LayerRule[] {
        const m = fw(f)!;
        const out = layerRules(f, m.rules, direction, this.resolver(f));
        // A whole list unknown until update (or unreadable) may hold any rule, deny rules too.
        const lists = [...m.unknown, ...m.problems].filter((u) => u.direction === undefined || u.direction === direction);
        if (lists.length > 0)
            out.push(
                ...this.standInRules(
                    f,
                    direction,
                    `${q(f.name)} ${lists.map((u) => `\`${u.path}\``).join(", ")} cannot be read until update`,
                ),
            );
        return out;
    }

    private standInRules(resource: ResourceName, direction: Direction, why: string): LayerRule[] {
        return standIns()
            .filter((r) => r.direction === direction)
            .map((rule) => ({
                rule,
                resource: { urn: resource.urn, name: resource.name },
                addresses: NO_ADDRESSES,
                members: new Set<string>(),
                unknown: true,
                implied: why,
            }));
    }

    /**
     * The Cloud Firewalls of a workload: the rules of every firewall that names it (a union of allows,
     * deny rules first), firewalls that may apply with their rules unknown, and for Kubernetes nodes
     * the firewalls DOKS manages outside the stack.
     */
    private cloudFirewalls(definite: readonly StackResource[], maybe: readonly StackResource[], doks?: StackResource): Layer {
        const key = [...definite.map((f) => f.urn).sort(), "|", ...maybe.map((f) => f.urn).sort(), "|", doks?.urn ?? ""].join(" ");
        let layer = this.layers.get(key);
        if (layer) return layer;
        const resources: ResourceName[] = [];
        const inbound: LayerRule[] = [];
        const outbound: LayerRule[] = [];
        for (const f of definite) {
            resources.push(name(f));
            inbound.push(...this.firewallRules(f, "inbound"));
            outbound.push(...this.firewallRules(f, "outbound"));
        }
        for (const f of maybe) {
            resources.push(name(f));
            const unsure = (lr: LayerRule): LayerRule => ({
                ...lr,
                addresses: NO_ADDRESSES,
                members: new Set(),
                unknown: true,
                implied: `whether ${q(f.name)} applies here is unknown until update`,
            });
            inbound.push(...this.firewallRules(f, "inbound").map(unsure));
            outbound.push(...this.firewallRules(f, "outbound").map(unsure));
        }
        if (doks) {
            const managed = { urn: `${doks.urn}$doks-firewalls`, name: "DOKS-managed" };
            resources.push(managed);
            const why = `DOKS manages the Cloud Firewalls of ${q(doks.name)}'s nodes outside this stack (the NodePorts of its Services, its VPC rules)`;
            inbound.push(...this.standInRules(managed, "inbound", why));
            outbound.push(...this.standInRules(managed, "outbound", why));
        }
        // Deny rules (order 0) apply before every allow, across the firewalls of one droplet: then order decides.
        const ordered =
            [...inbound, ...outbound].some((r) => r.rule.action === "deny" || r.rule.unresolved.some((u) => u.part === "action")) ||
            [...definite, ...maybe].some((f) => fw(f)!.unknown.length > 0 || fw(f)!.problems.length > 0);
        layer = {
            kind: "Cloud Firewalls",
            rule: "firewall rule",
            resources,
            stateful: true,
            scope: "workload",
            ordered,
            inbound,
            outbound,
        };
        this.layers.set(key, layer);
        return layer;
    }

    private databaseFirewall(definite: readonly StackResource[], maybe: readonly StackResource[]): { layer: Layer; unverifiable?: string } {
        const all = [...definite, ...maybe];
        const unreadable = all.filter((f) => topo(f)!.empty || records(topo(f), "rules") === "unknown");
        const unverifiable =
            unreadable.length > 0
                ? `the trusted sources (\`rules\`) of ${unreadable.map((f) => q(f.name)).join(", ")} cannot be read until update`
                : undefined;
        const key = `db ${definite
            .map((f) => f.urn)
            .sort()
            .join(" ")} | ${maybe
            .map((f) => f.urn)
            .sort()
            .join(" ")}`;
        let layer = this.layers.get(key);
        if (!layer) {
            const inbound: LayerRule[] = [];
            for (const f of all) {
                const recs = records(topo(f), "rules");
                const lrs = layerRules(
                    f,
                    Array.isArray(recs) ? trustedSources(recs, flag(topo(f), "secret") === true) : [],
                    "inbound",
                    this.resolver(f),
                );
                inbound.push(
                    ...(maybe.includes(f)
                        ? lrs.map((lr) => ({
                              ...lr,
                              addresses: NO_ADDRESSES,
                              members: new Set<string>(),
                              unknown: true,
                              implied: `whether ${q(f.name)} is this cluster's is unknown until update`,
                          }))
                        : lrs),
                );
                if (unreadable.includes(f))
                    inbound.push(...this.standInRules(f, "inbound", `the trusted sources of ${q(f.name)} cannot be read until update`));
            }
            const outbound: LayerRule[] = [
                {
                    rule: allowAll("outbound", "outbound", DB_TERMS),
                    resource: name(all[0]),
                    addresses: ALL_ADDRESSES,
                    members: new Set(),
                    unknown: false,
                    implied: "a database firewall filters inbound connections only",
                },
            ];
            layer = {
                kind: "database firewall",
                rule: "trusted source rule",
                resources: all.map(name),
                stateful: true,
                scope: "workload",
                ordered: false,
                inbound,
                outbound,
            };
            this.layers.set(key, layer);
        }
        return { layer, ...(unverifiable ? { unverifiable } : {}) };
    }

    private lbFirewall(lb: StackResource): Layer | undefined {
        const m = topo(lb)!;
        if (flag(m, "firewall") !== true) return undefined;
        const allows = list(m, "firewallAllows");
        const denies = list(m, "firewallDenies");
        if (allows !== "unknown" && denies !== "unknown" && allows.length === 0 && denies.length === 0) return undefined;
        const secret = flag(m, "secret") === true;
        const resource = name(lb);
        const lr = (rule: NormalisedRule): LayerRule => ({
            rule,
            resource,
            addresses: { v4: rule.peers.v4, v6: rule.peers.v6 },
            members: new Set(),
            unknown: rule.peers.unknown,
        });
        const inbound = [
            ...lbRules(denies, "deny", secret),
            ...(allows === "unknown" || allows.length > 0 ? lbRules(allows, "allow", secret) : []),
        ].map(lr);
        // Only denies: every other source is let in.
        if (allows !== "unknown" && allows.length === 0)
            inbound.push({
                ...lr(allowAll("inbound", "firewall.allows", LB_TERMS)),
                implied: "empty: every source `firewall.denies` does not name",
            });
        const outbound = [{ ...lr(allowAll("outbound", "outbound", LB_TERMS)), implied: "its firewall filters inbound traffic only" }];
        const ordered = denies === "unknown" || denies.length > 0 || allows === "unknown";
        return {
            kind: "load balancer firewall",
            rule: "load balancer firewall rule",
            resources: [resource],
            stateful: true,
            scope: "workload",
            ordered,
            inbound,
            outbound,
        };
    }

    // -----------------------------------------------------------------------------------------
    // Workloads

    private carried(r: StackResource, linkKey: string, own: string[]): Carried {
        const out: Carried = { keys: [...own], unknownTags: false, tagNames: [], emptyTags: [] };
        for (const l of this.links(r, linkKey)) {
            const ref = this.tagRef(r, l);
            out.keys.push(...ref.keys);
            out.tagNames.push(...ref.names);
            out.emptyTags.push(...ref.empty);
            out.unknownTags ||= ref.unknown;
        }
        return out;
    }

    private dropletsByKey?: Map<string, StackResource[]>;
    /** Droplets by the tag keys they carry, for a load balancer's `dropletTag`. */
    private dropletsBy(): Map<string, StackResource[]> {
        if (this.dropletsByKey) return this.dropletsByKey;
        const by = new Map<string, StackResource[]>();
        for (const d of this.all(ROLE.droplet)) for (const k of this.carried(d, "tags", []).keys) this.push(by, k, d);
        this.dropletsByKey = by;
        return by;
    }

    private serviceOf(c: Carried): string | undefined {
        const prefix = `${this.options.serviceTag}:`;
        return c.tagNames.find((t) => t.startsWith(prefix) && t.length > prefix.length)?.slice(prefix.length);
    }

    /** The Cloud Firewalls that name what a workload carries, and those that may. */
    private firewallsFor(c: Carried): { definite: StackResource[]; maybe: StackResource[] } {
        const definite = new Set<StackResource>();
        for (const k of c.keys) for (const f of this.firewallsBy.get(k) ?? []) definite.add(f);
        const maybe = new Set<StackResource>();
        for (const f of this.firewallsAnywhere) if (!definite.has(f)) maybe.add(f);
        if (c.unknownTags) for (const f of this.tagFirewalls) if (!definite.has(f)) maybe.add(f);
        const byPosition = (a: StackResource, b: StackResource) => this.position(a) - this.position(b);
        return { definite: [...definite].sort(byPosition), maybe: [...maybe].sort(byPosition) };
    }

    /** The way in and the layers of a droplet or a node pool behind Cloud Firewalls. */
    private behindCloudFirewalls(
        r: StackResource,
        c: Carried,
        address: PublicAddress,
        families: ("v4" | "v6")[],
        unverifiable: string[],
        doks?: StackResource,
    ): Pick<Placement, "layers" | "internet" | "noInternet" | "unverifiable"> {
        const { definite, maybe } = this.firewallsFor(c);
        for (const f of this.emptyFirewalls)
            unverifiable.push(
                `${q(f.name)} arrived with no inputs (its provider's configuration is unknown in preview), so the droplets it applies to are not known`,
            );
        for (const t of c.emptyTags)
            unverifiable.push(`${q(t)} arrived with no inputs (its provider's configuration is unknown in preview)`);
        const placementUnverifiable: string[] = [];
        let layers: Layer[] = [];
        let open: string | undefined;
        if (definite.length > 0 || doks) layers = [this.cloudFirewalls(definite, maybe, doks)];
        else if (maybe.length > 0) {
            // Without it the workload is open; with it, filtered: neither can be told.
            open = `whether Cloud Firewall${maybe.length > 1 ? "s" : ""} ${maybe.map((f) => q(f.name)).join(", ")} appl${maybe.length > 1 ? "y" : "ies"} to ${q(r.name)} is unknown until update`;
            placementUnverifiable.push(open);
        } else {
            open = `no Cloud Firewall of this stack applies to ${q(r.name)} (by \`dropletIds\` or a tag it carries): DigitalOcean leaves it open on every port, unless a firewall outside this stack names it`;
        }
        if ("none" in address) return { layers, noInternet: address.none, unverifiable: placementUnverifiable };
        const why =
            "unknown" in address ? `whether ${q(r.name)} has a public address (\`publicNetworking\`) is unknown until update` : open;
        const hops: Hop[] = [
            "unknown" in address ? { resource: name(r), text: `a public address of ${q(r.name)} unknown until update` } : address.hop,
        ];
        return { layers, internet: { hops, families, ...(why ? { unverifiable: why } : {}) }, unverifiable: placementUnverifiable };
    }

    private droplet(r: StackResource): Spec {
        const m = topo(r)!;
        const net = this.network(r);
        const id = r.model!.identity[0];
        const c = this.carried(r, "tags", [r.urn, ...(id ? [KEY.droplet(id)] : [])]);
        const unverifiable: string[] = [];
        const pub = flag(m, "publicNetworking") ?? true;
        const ipv6 = flag(m, "ipv6") === true;
        const address: PublicAddress =
            pub === "unknown"
                ? { unknown: true }
                : pub
                  ? {
                        hop: {
                            resource: name(r),
                            text: `public IPv4${ipv6 ? " and IPv6" : ""} address${ipv6 ? "es" : ""} of droplet ${q(r.name)}`,
                        },
                    }
                  : { none: `${q(r.name)} has \`publicNetworking: false\`: no public address` };
        const own = str(m, "privateAddress");
        const addresses = own ? cidrSet([own]) : undefined;
        const placement: Placement = {
            label: net.label,
            ...(net.key ? { network: net.key } : {}),
            ...(addresses && !addresses.v4.isEmpty ? { addresses } : net.addresses ? { addresses: net.addresses } : {}),
            ...this.behindCloudFirewalls(r, c, address, ipv6 ? ["v4", "v6"] : ["v4"], unverifiable),
        };
        if (net.empty) unverifiable.push(`${q(net.empty)} arrived with no inputs (its provider's configuration is unknown in preview)`);
        const service = this.serviceOf(c);
        return { resource: r, model: m, ...(service !== undefined ? { service } : {}), memberships: c.keys, placement, unverifiable };
    }

    private nodePool(r: StackResource, cluster: StackResource): Spec {
        const m = topo(r)!;
        const cm = topo(cluster)!;
        const net = this.network(cluster);
        const clusterId = cluster.model!.identity[0];
        const own = [
            r.urn,
            cluster.urn,
            KEY.clusterTag(cluster.urn),
            KEY.tag("k8s"),
            KEY.tag("k8s-worker"),
            ...(clusterId ? [KEY.kubernetes(clusterId), KEY.tag(`k8s:${clusterId}`)] : []),
        ];
        const c = this.carried(r, "poolTags", own);
        const unverifiable: string[] = [];
        const isolated = flag(cm, "isolatedWorkers");
        const address: PublicAddress = {
            hop: { resource: name(cluster), text: `public IPv4 addresses of the nodes of ${q(cluster.name)}` },
        };
        const placement: Placement = {
            label: net.label,
            ...(net.key ? { network: net.key } : {}),
            ...(net.addresses ? { addresses: net.addresses } : {}),
            ...this.behindCloudFirewalls(r, c, address, ["v4"], unverifiable, cluster),
        };
        if (isolated === true || isolated === "unknown") {
            const why = `${q(cluster.name)}'s isolated worker nodes (\`isolatedWorkers\`) may have no public address`;
            if (placement.internet) placement.internet = { ...placement.internet, unverifiable: placement.internet.unverifiable ?? why };
        }
        // DOKS opens the node ports of every NodePort Service of the cluster to the internet (its public-access firewall `k8s-<cluster>`),
        // unless the Service opts out: that firewall is crossed by the NodePort ways in, in a union with the stack's own.
        if (placement.layers.length > 0) {
            const managed: ResourceName = { urn: `${cluster.urn}$doks-firewalls`, name: "DOKS-managed" };
            const why = `DOKS's public-access firewall of ${q(cluster.name)} opens the node ports of each NodePort Service to every address, unless the Service sets \`kubernetes.digitalocean.com/firewall-managed: "false"\``;
            const open = openNodePorts().map((rule): LayerRule => ({
                rule,
                resource: managed,
                addresses: ALL_ADDRESSES,
                members: new Set(),
                unknown: false,
                implied: why,
            }));
            const base = placement.layers[0];
            placement.nodePorts = {
                layers: [{ ...base, inbound: [...open, ...base.inbound], resources: base.resources }],
                optOut: FIREWALL_MANAGED_OFF,
            };
        }
        if (cm.empty && r !== cluster)
            unverifiable.push(`${q(cluster.name)} arrived with no inputs (its provider's configuration is unknown in preview)`);
        const service = this.serviceOf(c);
        const label = r === cluster ? `the default node pool of ${q(cluster.name)}` : `node pool ${q(r.name)}`;
        return {
            resource: r,
            model: m,
            ...(service !== undefined ? { service } : {}),
            memberships: c.keys,
            placement,
            unverifiable,
            nodesOf: {
                cluster: cluster.urn,
                label,
                close: 'set its annotation `kubernetes.digitalocean.com/firewall-managed: "false"` (DOKS then opens no node port to the internet) and narrow the Cloud Firewalls of the nodes\' tags',
            },
        };
    }

    private loadBalancer(r: StackResource): Spec {
        const m = topo(r)!;
        const net = this.network(r);
        const unverifiable: string[] = [];
        const listens = new Map<ConcreteProtocol, PortSet>();
        // Each forwarding rule's target port and protocol: what the load balancer opens to its droplets.
        const targetPorts = new Map<string, { port?: number; protocol?: ConcreteProtocol }>();
        let unknownPort: string | undefined;
        const rules = records(m, "forwardingRules");
        if (rules === "unknown") unknownPort = `the \`forwardingRules\` of ${q(r.name)} are unknown until update`;
        const listed: readonly Readonly<Record<string, TopologyValue>>[] = rules === "unknown" || rules === undefined ? [] : rules;
        for (const [i, rule] of listed.entries()) {
            const port = num(rule.entryPort);
            const proto =
                typeof rule.entryProtocol === "string" && !isUnknownValue(rule.entryProtocol)
                    ? rule.entryProtocol.toLowerCase()
                    : undefined;
            if (typeof port !== "number" || proto === undefined) {
                unknownPort ??= `the entry port of ${q(r.name)} \`forwardingRules[${i}]\` is unknown until update`;
                continue;
            }
            const c: ConcreteProtocol = proto === "udp" || proto === "http3" ? "udp" : "tcp";
            listens.set(c, (listens.get(c) ?? IntervalSet.empty(portDomain)).union(portRange(port, port)));
            const target = num(rule.targetPort);
            const tproto =
                typeof rule.targetProtocol === "string" && !isUnknownValue(rule.targetProtocol)
                    ? rule.targetProtocol.toLowerCase()
                    : undefined;
            const t = {
                ...(typeof target === "number" ? { port: target } : {}),
                ...(tproto !== undefined ? { protocol: tproto === "udp" ? ("udp" as const) : ("tcp" as const) } : {}),
            };
            targetPorts.set(`${t.protocol ?? "?"} ${t.port ?? "?"}`, t);
        }
        const network = str(m, "network")?.toUpperCase();
        const internal = network === "INTERNAL" ? true : isUnknownValue(scalar(m, "network") ?? "") ? "unknown" : false;
        const lbFirewall = this.lbFirewall(r);
        const dual = str(m, "networkStack")?.toUpperCase() === "DUALSTACK";
        const placement: Placement = {
            label: net.label,
            ...(net.key ? { network: net.key } : {}),
            ...(net.addresses ? { addresses: net.addresses } : {}),
            layers: lbFirewall ? [lbFirewall] : [],
            unverifiable: [],
        };
        if (internal === true) placement.noInternet = `${q(r.name)} is an internal load balancer (\`network: INTERNAL\`)`;
        else {
            const why = internal === "unknown" ? `whether ${q(r.name)} is internal (\`network\`) is unknown until update` : unknownPort;
            placement.internet = {
                hops: [{ resource: name(r), text: `load balancer ${q(r.name)} (public IPv4${dual ? " and IPv6" : ""})` }],
                families: dual ? ["v4", "v6"] : ["v4"],
                ...(unknownPort ? {} : { ports: listens }),
                ...(why ? { unverifiable: why } : {}),
            };
        }
        if (net.empty) unverifiable.push(`${q(net.empty)} arrived with no inputs (its provider's configuration is unknown in preview)`);
        const id = r.model!.identity[0];
        const targets = new Set<string>();
        for (const l of this.links(r, "droplets")) for (const k of this.dropletRef(r, l).keys) if (k.startsWith("urn:")) targets.add(k);
        for (const l of this.links(r, "dropletTag"))
            for (const k of this.tagRef(r, l).keys) for (const d of this.dropletsBy().get(k) ?? []) targets.add(d.urn);
        return {
            resource: r,
            model: m,
            memberships: [r.urn, ...(id ? [KEY.loadBalancer(id)] : [])],
            placement,
            unverifiable,
            ...(unknownPort ? {} : { listens }),
            ...(targets.size > 0
                ? {
                      fronts: (targetPorts.size > 0 ? [...targetPorts.values()] : [{}]).map((t) => ({
                          targets: [...targets],
                          ...t,
                          passesClientAddress: false,
                      })),
                  }
                : {}),
        };
    }

    private database(r: StackResource): Spec {
        const m = topo(r)!;
        const net = this.network(r);
        const unverifiable: string[] = [];
        const c = this.carried(r, "tags", [r.urn]);
        const port = num(scalar(m, "port"));
        const engine = str(m, "engine");
        const p = typeof port === "number" && port > 0 ? port : engine ? databasePort(engine) : undefined;
        const definite = this.dbFirewalls.get(r.urn) ?? [];
        const maybe = this.dbFirewallsAnywhere;
        const hop: Hop = { resource: name(r), text: `public hostname of database cluster ${q(r.name)}` };
        let layers: Layer[] = [];
        let why: string | undefined;
        const placementUnverifiable: string[] = [];
        if (definite.length > 0) {
            const db = this.databaseFirewall(definite, maybe);
            layers = [db.layer];
            if (db.unverifiable) placementUnverifiable.push(db.unverifiable);
        } else if (maybe.length > 0) {
            why = `whether ${maybe.map((f) => q(f.name)).join(", ")} ${maybe.length > 1 ? "are" : "is"} the database firewall of ${q(r.name)} is unknown until update`;
            placementUnverifiable.push(why);
        } else {
            why = `no \`DatabaseFirewall\` of this stack names ${q(r.name)}: without trusted sources DigitalOcean admits connections from anywhere, unless they are set outside this stack`;
        }
        if (p === undefined) why ??= `the port ${q(r.name)} listens on is unknown until update`;
        const placement: Placement = {
            label: net.label,
            ...(net.key ? { network: net.key } : {}),
            ...(net.addresses ? { addresses: net.addresses } : {}),
            layers,
            unverifiable: placementUnverifiable,
            internet: { hops: [hop], families: ["v4"], ...(why ? { unverifiable: why } : {}) },
        };
        if (net.empty) unverifiable.push(`${q(net.empty)} arrived with no inputs (its provider's configuration is unknown in preview)`);
        for (const t of c.emptyTags)
            unverifiable.push(`${q(t)} arrived with no inputs (its provider's configuration is unknown in preview)`);
        const service = this.serviceOf(c);
        return {
            resource: r,
            model: m,
            ...(service !== undefined ? { service } : {}),
            memberships: [r.urn],
            placement,
            unverifiable,
            ...(p !== undefined ? { listens: new Map([["tcp", portRange(p, p)]]) } : {}),
        };
    }

    assemble(): Workload[] {
        const specs: Spec[] = [];
        const all = (role: string) => this.all(role).filter((r) => wanted(this.options, r));
        for (const r of all(ROLE.droplet)) specs.push(this.droplet(r));
        for (const r of all(ROLE.loadBalancer)) specs.push(this.loadBalancer(r));
        for (const r of all(ROLE.database)) specs.push(this.database(r));
        for (const r of this.all(ROLE.kubernetesCluster))
            if (flag(topo(r), "pool") !== false && wantedNodes(this.options, r, r.urn)) specs.push(this.nodePool(r, r));
        for (const r of this.all(ROLE.nodePool)) {
            const l = this.links(r, "cluster")[0];
            const res = l ? this.stack.resolve(r, l, isCluster) : undefined;
            if (res?.state === "found") {
                if (wantedNodes(this.options, r, res.targets[0].urn)) specs.push(this.nodePool(r, res.targets[0]));
            } else if (wanted(this.options, r)) {
                const why = `${q(r.name)}'s cluster is ${res?.state === "outside" ? "outside this stack" : "unknown until update"}`;
                const c = this.carried(r, "poolTags", [r.urn, KEY.tag("k8s"), KEY.tag("k8s-worker")]);
                const service = this.serviceOf(c);
                specs.push({
                    resource: r,
                    model: topo(r)!,
                    ...(service !== undefined ? { service } : {}),
                    memberships: c.keys,
                    unverifiable: [],
                    placement: { label: "a cluster outside this stack", layers: [], unverifiable: [why] },
                });
            }
        }
        // The fix of an exposure, in the terms of what is exposed.
        const close: Record<string, string> = {
            [ROLE.droplet]: "narrow the Cloud Firewall's `inboundRules` `sourceAddresses`, or set `publicNetworking: false` on the droplet",
            [ROLE.loadBalancer]:
                "make the load balancer `network: INTERNAL`, or narrow its `firewall` rules and the Cloud Firewalls of its droplets",
            [ROLE.database]: "narrow the database firewall's trusted sources (`rules`)",
        };
        return specs.map((s) => {
            const unverifiable = [...s.unverifiable];
            const closeInternet = close[topo(s.resource)?.role ?? ""];
            if (s.model.empty)
                unverifiable.push(`${q(s.resource.name)} arrived with no inputs (its provider's configuration is unknown in preview)`);
            return {
                urn: s.resource.urn,
                name: s.resource.name,
                type: s.resource.type,
                placements: [s.placement],
                memberships: new Set(s.memberships),
                ...(s.service !== undefined ? { service: s.service } : {}),
                ...(s.listens ? { listens: s.listens } : {}),
                ...(s.fronts ? { fronts: s.fronts } : {}),
                ...(unverifiable.length > 0 ? { unverifiable: [...new Set(unverifiable)].join("; ") } : {}),
                ...(closeInternet ? { closeInternet } : {}),
                ...(s.nodesOf ? { nodesOf: s.nodesOf } : {}),
            };
        });
    }
}

export const digitaloceanGraphAssembler: GraphAssembler = {
    provider: "digitalocean",
    providers: ["digitalocean"],
    closeInternet:
        "narrow the Cloud Firewall's `inboundRules` `sourceAddresses`, set `publicNetworking: false` on the droplet, make the load balancer `network: INTERNAL`, or narrow the database firewall's trusted sources",
    assemble: (stack: Stack, options: AssembleOptions) => new DigitalOceanGraph(stack, options).assemble(),
    focus: digitaloceanFocus,
};
