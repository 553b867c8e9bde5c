// Which DigitalOcean resources can bear on a few droplets, load balancers and database clusters,
// told from their inputs before any is modelled (GraphAssembler.focus). What the assembler (graph.ts)
// reads to place one: its VPC (by id, else its dependencies), the Tags it carries, the Cloud
// Firewalls that name it by `dropletIds` or by a tag it carries (tags meet by name, through a Tag
// resource's id and name too, not by reference), those whose targets cannot be told (they may apply
// to any droplet) or that arrived empty, the database firewalls of its cluster or of no known
// cluster, and a load balancer's droplets (by id, or every droplet carrying its `dropletTag`); and
// whatever those resources depend on, which their links may be resolved through. The rest is left out.
// A value that cannot be read here (a secret; an unknown one without dependencies to tell by) keeps
// what it might name; an asked workload whose own references cannot be read, or a Kubernetes
// cluster or node pool (or another provider's workload) asked, keeps everything.
import { isPlainObject } from "../../base/values";
import { isUnknownValue, placeholderKey, SECRET_SIG_KEY } from "../../wire/engine";
import { SentResource } from "../support/assembler";
import { Input } from "../support/input";

const T = {
    vpc: "digitalocean:index/vpc:Vpc",
    tag: "digitalocean:index/tag:Tag",
    droplet: "digitalocean:index/droplet:Droplet",
    loadBalancer: "digitalocean:index/loadBalancer:LoadBalancer",
    database: "digitalocean:index/databaseCluster:DatabaseCluster",
    databaseFirewall: "digitalocean:index/databaseFirewall:DatabaseFirewall",
    cluster: "digitalocean:index/kubernetesCluster:KubernetesCluster",
    nodePool: "digitalocean:index/kubernetesNodePool:KubernetesNodePool",
    firewall: "digitalocean:index/firewall:Firewall",
};
/** What the focus decides on; other types, and clusters (few, and tag-like targets of dependencies), are kept. */
const JUDGED = new Set([T.vpc, T.tag, T.droplet, T.loadBalancer, T.database, T.databaseFirewall, T.nodePool, T.firewall]);
const WORKLOADS = new Set([T.droplet, T.loadBalancer, T.database]);
/** The input of each workload type that names its VPC. */
const VPC_INPUT: Record<string, string> = { [T.droplet]: "vpcUuid", [T.loadBalancer]: "vpcUuid", [T.database]: "privateNetworkUuid" };

/** A reference input as the topology adapters read it: known values, whether one is unknown, whether one cannot be read here. */
interface Ref {
    literals: string[];
    unknown: boolean;
    opaque: boolean;
}

function readable(props: unknown): boolean {
    if (props === undefined || props === null) return true;
    return isPlainObject(props) && !(SECRET_SIG_KEY in props) && !isUnknownValue(props);
}

function isEmpty(props: unknown): boolean {
    return props === undefined || props === null || (isPlainObject(props) && Object.keys(props).length === 0);
}

/** `numbers`: numbers are read as text (`dropletIds`, a Cloud Firewall's `tags`); elsewhere the adapters ignore them, so they are not read. */
function ref(r: SentResource, key: string, list: boolean, numbers = false): Ref {
    const out: Ref = { literals: [], unknown: false, opaque: !readable(r.props) };
    if (out.opaque) return out;
    const one = (v: Input) => {
        if (v.missing) return;
        if (v.unknown) out.unknown = true;
        else if (typeof v.value === "string") {
            if (v.value !== "") out.literals.push(v.value);
        } else if (numbers && typeof v.value === "number") out.literals.push(String(v.value));
        else out.opaque = true;
    };
    const input = Input.root(r.props).get(key);
    if (!list) one(input);
    else {
        const items = input.items();
        if (items === "unknown") out.unknown = true;
        else if (items === "invalid") out.opaque = true;
        else items.forEach(one);
    }
    return out;
}

function depsOf(r: SentResource, key: string): readonly string[] {
    const d = r.dependencies?.[key];
    return Array.isArray(d) ? d.filter((u): u is string => typeof u === "string") : [];
}

/** A value that is there but cannot be read here (a secret): it may be anything. */
const OPAQUE = Symbol("opaque");

/** An identifying input (`id`, a Tag's `name`): its text, none, or OPAQUE. */
function identity(r: SentResource, key: string): string | undefined | typeof OPAQUE {
    if (!readable(r.props)) return OPAQUE;
    // Read directly: every Tag and droplet of the stack is asked.
    const v = r.props === undefined || r.props === null ? undefined : (r.props as Record<string, unknown>)[key];
    if (v === undefined || v === null || isUnknownValue(v) || placeholderKey(v) !== undefined) return undefined;
    return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? undefined : OPAQUE;
}

/** Tag names and tag-like resources (Tags, clusters) that may be one tag: a Tag's URN, id and name are. */
class TagClasses {
    private readonly parent = new Map<string, string>();
    find(x: string): string {
        let p = this.parent.get(x);
        if (p === undefined || p === x) return x;
        p = this.find(p);
        this.parent.set(x, p);
        return p;
    }
    union(a: string, b: string): void {
        const ra = this.find(a);
        const rb = this.find(b);
        if (ra !== rb) this.parent.set(ra, rb);
    }
}
const NAME = (n: string) => `n:${n}`;
const URN = (u: string) => `u:${u}`;

export function digitaloceanFocus(
    resources: readonly SentResource[],
    wanted: ReadonlySet<string>,
): ((r: SentResource) => boolean) | undefined {
    const byUrn = new Map<string, SentResource>();
    for (const r of resources) if (!byUrn.has(r.urn)) byUrn.set(r.urn, r);
    const asked: SentResource[] = [];
    for (const u of wanted) {
        const r = byUrn.get(u);
        if (!r || !WORKLOADS.has(r.type)) return undefined;
        asked.push(r);
    }
    const ofType = (u: string, ...types: string[]) => types.includes(byUrn.get(u)?.type ?? "");

    const classes = new TagClasses();
    for (const t of resources) {
        if (t.type !== T.tag) continue;
        const id = identity(t, "id");
        const name = identity(t, "name");
        if (id === OPAQUE || name === OPAQUE) return undefined;
        if (id || name) {
            const root = classes.find(URN(t.urn));
            if (id) classes.union(NAME(id), root);
            if (name && name !== id) classes.union(NAME(name), root);
        }
    }
    /** The classes of a tag reference: its names, and the Tags and clusters its input depends on; `unresolved`: an unknown one that names none. */
    const tagClasses = (
        r: SentResource,
        key: string,
        list: boolean,
        numbers: boolean,
    ): { of: string[]; unresolved: boolean } | typeof OPAQUE => {
        const read = ref(r, key, list, numbers);
        if (read.opaque) return OPAQUE;
        const of = read.literals.map((l) => classes.find(NAME(l)));
        const targets = read.unknown ? depsOf(r, key).filter((u) => ofType(u, T.tag, T.cluster)) : [];
        of.push(...targets.map((u) => classes.find(URN(u))));
        return { of, unresolved: read.unknown && targets.length === 0 };
    };

    const keep = new Set<string>();
    /** Resources whose links the assembler follows: what they depend on is kept too. */
    const primary: SentResource[] = [...asked];
    const vpcIds = new Set<string>();
    const near = new Set<string>();
    const dropletIds = new Set<string>();
    const dbIds = new Set<string>();
    let droplets = false;
    let databases = false;
    let unknownTags = false;
    const lbDropletIds = new Set<string>();
    const lbClasses = new Set<string>();
    for (const w of asked) {
        keep.add(w.urn);
        const vpc = ref(w, VPC_INPUT[w.type], false);
        if (vpc.opaque) return undefined;
        for (const l of vpc.literals) vpcIds.add(l);
        const id = identity(w, "id");
        if (id === OPAQUE) return undefined;
        if (w.type === T.loadBalancer) {
            const ids = ref(w, "dropletIds", true, true);
            const tag = tagClasses(w, "dropletTag", false, false);
            if (ids.opaque || tag === OPAQUE) return undefined;
            for (const l of ids.literals) lbDropletIds.add(l);
            for (const c of tag.of) lbClasses.add(c);
            continue;
        }
        const tags = tagClasses(w, "tags", true, false);
        if (tags === OPAQUE) return undefined;
        for (const c of tags.of) near.add(c);
        if (w.type === T.droplet) {
            droplets = true;
            // Every Cloud Firewall attached by tags may apply.
            unknownTags ||= tags.unresolved;
            if (id) dropletIds.add(id);
        } else {
            databases = true;
            if (id) dbIds.add(id);
        }
    }

    const bearsOnDroplets = (f: SentResource): boolean => {
        if (!readable(f.props) || isEmpty(f.props)) return true;
        const ids = ref(f, "dropletIds", true, true);
        if (ids.opaque || ids.literals.some((l) => dropletIds.has(l))) return true;
        if (ids.unknown) {
            const targets = depsOf(f, "dropletIds").filter((u) => ofType(u, T.droplet));
            if (targets.length === 0 || targets.some((u) => wanted.has(u))) return true;
        }
        const tags = tagClasses(f, "tags", true, true);
        if (tags === OPAQUE || tags.unresolved) return true;
        return (unknownTags && tags.of.length > 0) || tags.of.some((c) => near.has(c));
    };
    const bearsOnDatabases = (f: SentResource): boolean => {
        if (!readable(f.props) || isEmpty(f.props)) return true;
        const cluster = ref(f, "clusterId", false);
        // No cluster named: it may be any cluster's.
        if (cluster.opaque || (cluster.literals.length === 0 && !cluster.unknown)) return true;
        const deps = depsOf(f, "clusterId");
        if (cluster.literals.some((l) => dbIds.has(l)) || deps.some((u) => wanted.has(u))) return true;
        return cluster.unknown && !deps.some((u) => ofType(u, T.database));
    };
    // The peers a kept firewall's rules name (droplets by id or tag, load balancers, clusters): a rule is worded by the Pulumi
    // names of the peers it resolves to, so they are kept; a peer list that cannot be read keeps every peer of its kind.
    const peers = { dropletIds: new Set<string>(), classes: new Set<string>(), lbIds: new Set<string>() };
    const all = { droplets: false, lbs: false, pools: false };
    const peerList = (rule: Input, key: string, kind: "droplet" | "tag" | "lb" | "k8s", numbers: boolean) => {
        const v = rule.get(key);
        if (v.missing) return;
        const items = v.items();
        if (!Array.isArray(items)) return everyPeer(kind);
        for (const item of items) peerValue(item, kind, numbers);
    };
    const everyPeer = (kind: "droplet" | "tag" | "lb" | "k8s" | "any") => {
        if (kind === "droplet" || kind === "tag" || kind === "any") all.droplets = true;
        if (kind === "lb" || kind === "any") all.lbs = true;
        if (kind === "k8s" || kind === "tag" || kind === "any") all.pools = true;
    };
    const peerValue = (item: Input, kind: "droplet" | "tag" | "lb" | "k8s", numbers: boolean) => {
        const text =
            typeof item.value === "string" && !item.unknown
                ? item.value
                : numbers && typeof item.value === "number"
                  ? String(item.value)
                  : undefined;
        if (text === undefined) return everyPeer(kind);
        if (kind === "droplet") peers.dropletIds.add(text);
        else if (kind === "tag") {
            peers.classes.add(classes.find(NAME(text)));
            // Node pools carry tags of their own (`k8s`, `k8s:<id>`, and theirs): few, kept rather than read.
            all.pools = true;
        } else if (kind === "lb") peers.lbIds.add(text);
        else all.pools = true;
    };
    const readPeers = (f: SentResource) => {
        if (!readable(f.props)) return everyPeer("any");
        const props = Input.root(f.props);
        if (f.type === T.databaseFirewall) {
            const rules = props.get("rules").items();
            if (!Array.isArray(rules)) return everyPeer("any");
            for (const rule of rules) {
                const type = rule.get("type").string()?.trim().toLowerCase();
                if (type === "ip_addr") continue;
                if (type === "droplet") peerValue(rule.get("value"), "droplet", true);
                else if (type === "tag") peerValue(rule.get("value"), "tag", false);
                else if (type === "k8s") all.pools = true;
                else if (type !== "app") everyPeer("any");
            }
            return;
        }
        for (const [list, side] of [
            ["inboundRules", "source"],
            ["outboundRules", "destination"],
        ] as const) {
            const rules = props.get(list).items();
            if (!Array.isArray(rules)) {
                everyPeer("any");
                continue;
            }
            for (const rule of rules) {
                if (!isPlainObject(rule.value)) {
                    everyPeer("any");
                    continue;
                }
                peerList(rule, `${side}DropletIds`, "droplet", true);
                peerList(rule, `${side}Tags`, "tag", false);
                peerList(rule, `${side}LoadBalancerUids`, "lb", false);
                peerList(rule, `${side}KubernetesIds`, "k8s", false);
            }
        }
    };
    const clusterIds = new Set<string>();
    for (const r of resources) {
        if (r.type === T.firewall && droplets && bearsOnDroplets(r)) primary.push(r);
        else if (r.type === T.databaseFirewall && databases && bearsOnDatabases(r)) {
            primary.push(r);
            for (const l of ref(r, "clusterId", false).literals) clusterIds.add(l);
        } else continue;
        readPeers(r);
    }
    // A load balancer's droplets: by id, or carrying a tag of its `dropletTag`'s.
    if (lbDropletIds.size > 0 || lbClasses.size > 0)
        for (const d of resources) {
            if (d.type !== T.droplet || keep.has(d.urn)) continue;
            const id = identity(d, "id");
            const tags = tagClasses(d, "tags", true, false);
            if (id === OPAQUE || (id !== undefined && lbDropletIds.has(id)) || tags === OPAQUE || tags.of.some((c) => lbClasses.has(c)))
                primary.push(d);
        }

    for (const p of primary) {
        keep.add(p.urn);
        for (const urns of Object.values(p.dependencies ?? {}))
            if (Array.isArray(urns)) for (const u of urns as unknown[]) if (typeof u === "string") keep.add(u);
    }
    // What a kept reference names by id: the assembler finds it before falling back to dependencies.
    const byId = (ids: ReadonlySet<string>) => (r: SentResource) => {
        const id = identity(r, "id");
        return id === OPAQUE || (id !== undefined && ids.has(id));
    };
    const vpcNamed = byId(vpcIds);
    const dbNamed = byId(clusterIds);
    for (const c of lbClasses) near.add(c);
    const peerDroplet = (d: SentResource): boolean => {
        if (all.droplets) return true;
        const id = identity(d, "id");
        if (id === OPAQUE || (id !== undefined && peers.dropletIds.has(id))) return true;
        if (peers.classes.size === 0) return false;
        const tags = tagClasses(d, "tags", true, false);
        return tags === OPAQUE || tags.unresolved || tags.of.some((c) => peers.classes.has(c));
    };
    const peerLb = (l: SentResource): boolean => {
        if (all.lbs) return true;
        const id = identity(l, "id");
        return id === OPAQUE || (id !== undefined && peers.lbIds.has(id));
    };
    return (r) => {
        if (!JUDGED.has(r.type) || keep.has(r.urn)) return true;
        if (r.type === T.vpc) return vpcNamed(r);
        if (r.type === T.database) return dbNamed(r);
        if (r.type === T.tag) {
            const c = classes.find(URN(r.urn));
            return near.has(c) || peers.classes.has(c);
        }
        if (r.type === T.droplet) return peerDroplet(r);
        if (r.type === T.loadBalancer) return peerLb(r);
        if (r.type === T.nodePool) return all.pools;
        return false;
    };
}
