// Which AWS resources can bear on a few workloads, told from their properties as sent, before any is
// modelled (GraphAssembler.focus). The assembler relates two resources only through a link one of
// them holds (stack.resolve: its literal value against the other's identity, or its property
// dependencies), in either direction: a workload names its subnets and groups, rules, ACLs, routes,
// associations and addresses name what they apply to. So what is not joined to an asked workload by
// a chain of such links, read here as any string of a resource that is some resource's identity and
// any dependency, cannot bear on it. Besides links the assembler reads one stack-wide fact, that some
// resource arrived without inputs (its provider's configuration unknown in preview): those are kept.
// And another cloud's workload may run on EKS nodes (NodePort ways in): then every EKS cluster and
// node group, with what joins them, is kept too.
import { isUnknownValue, placeholderKey, SECRET_SIG, SECRET_SIG_KEY } from "../../wire/engine";
import { SentResource } from "../support/assembler";

/** Every key any AWS adapter reads a resource's identity from (a superset for each type is safe: more links, less left out). */
const IDENTITY_KEYS = [
    "id",
    "name",
    "arn",
    "defaultRouteTableId",
    "mainRouteTableId",
    "defaultNetworkAclId",
    "defaultSecurityGroupId",
    "allocationId",
    "publicIp",
    "clusterIdentifier",
    "clusterId",
    "replicationGroupId",
    "brokerName",
    "domainName",
    "invokeArn",
];

/** Top-level inputs no adapter reads a link from: a resource's own name is no link to another of that name (every VPC's default group is "default"). */
const NO_LINK = new Set(["id", "name", "arn", "tags", "tagsAll"]);

const EKS = new Set(["aws:eks/cluster:Cluster", "aws:eks/nodeGroup:NodeGroup"]);

/** Deeper than any input an adapter reads: a resource nested further is not walked, and nothing is left out. */
const MAX_DEPTH = 64;

function isObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * A value the models may identify a resource by: what identityOf reads (a known, non-empty string), or one
 * inside a secret wrapper (the models read none there; a value too many only links more).
 */
function identity(v: unknown): string | undefined {
    const plain = isObject(v) && v[SECRET_SIG_KEY] === SECRET_SIG ? v.value : v;
    return typeof plain === "string" && plain !== "" && !isUnknownValue(plain) && placeholderKey(plain) === undefined ? plain : undefined;
}

/** The values the models may identify a resource by, at any key an AWS adapter reads one from. */
export function identities(props: unknown): string[] {
    if (!isObject(props)) return [];
    return IDENTITY_KEYS.map((k) => identity(props[k])).filter((v): v is string => v !== undefined);
}

/** Calls `visit` with every string under `v` (inside secret wrappers too); false when it nests deeper than MAX_DEPTH. */
function strings(v: unknown, visit: (s: string) => void, depth: number): boolean {
    if (typeof v === "string") visit(v);
    else if (v !== null && typeof v === "object") {
        if (depth > MAX_DEPTH) return false;
        if (Array.isArray(v)) {
            for (const x of v) if (!strings(x, visit, depth + 1)) return false;
        } else for (const k in v) if (!strings((v as Record<string, unknown>)[k], visit, depth + 1)) return false;
    }
    return true;
}

/** A dependency as the stack reads it (kit/run.ts): a URN, or a resource with one. */
function urnOf(d: unknown): string | undefined {
    if (typeof d === "string") return d;
    const u = isObject(d) ? d.urn : undefined;
    return typeof u === "string" ? u : undefined;
}

/** Resources joined by links, as sets (union-find: each points towards its set's smallest index). */
class Joined {
    private readonly parent: Int32Array;
    constructor(n: number) {
        this.parent = new Int32Array(n);
        for (let i = 0; i < n; i++) this.parent[i] = i;
    }
    of(i: number): number {
        const p = this.parent;
        while (p[i] !== i) i = p[i] = p[p[i]];
        return i;
    }
    join(a: number, b: number): void {
        const x = this.of(a);
        const y = this.of(b);
        if (x < y) this.parent[y] = x;
        else if (y < x) this.parent[x] = y;
    }
}

export function awsFocus(resources: readonly SentResource[], wanted: ReadonlySet<string>): ((r: SentResource) => boolean) | undefined {
    const sets = new Joined(resources.length);
    const byUrn = new Map<string, number>();
    // Most values identify one resource; a name may identify several, and a link to it names all of them.
    const byIdentity = new Map<string, number | number[]>();
    // Longer strings (user data, policy documents) identify nothing: they are not looked up.
    let longest = 0;
    for (let i = 0; i < resources.length; i++) {
        const r = resources[i];
        const same = byUrn.get(r.urn);
        if (same === undefined) byUrn.set(r.urn, i);
        else sets.join(same, i);
        for (const id of identities(r.props)) {
            const seen = byIdentity.get(id);
            if (seen === undefined) byIdentity.set(id, i);
            else if (Array.isArray(seen)) seen.push(i);
            else byIdentity.set(id, [seen, i]);
            longest = Math.max(longest, id.length);
        }
    }
    for (let i = 0; i < resources.length; i++) {
        const r = resources[i];
        const link = (s: string) => {
            if (s.length > longest) return;
            const t = byIdentity.get(s);
            if (typeof t === "number") sets.join(i, t);
            else if (t !== undefined) for (const j of t) sets.join(i, j);
        };
        const props = r.props;
        if (isObject(props)) {
            for (const k in props) if (!NO_LINK.has(k) && !strings(props[k], link, 1)) return undefined;
        } else if (!strings(props, link, 0)) return undefined;
        const deps = r.dependencies;
        if (!isObject(deps)) continue;
        for (const k in deps) {
            const list = deps[k];
            if (NO_LINK.has(k) || !Array.isArray(list)) continue;
            for (const d of list as readonly unknown[]) {
                const j = byUrn.get(urnOf(d) ?? "");
                if (j !== undefined) sets.join(i, j);
            }
        }
    }
    const kept = new Set<number>();
    let elsewhere = false;
    for (const u of wanted) {
        const i = byUrn.get(u);
        if (i === undefined) elsewhere = true;
        else kept.add(sets.of(i));
    }
    if (kept.size === 0) return undefined;
    if (elsewhere) resources.forEach((r, i) => EKS.has(r.type) && kept.add(sets.of(i)));
    const dropped = new Set<SentResource>();
    resources.forEach((r, i) => {
        const bare = !isObject(r.props) || Object.keys(r.props).length === 0;
        if (!bare && !kept.has(sets.of(i))) dropped.add(r);
    });
    return dropped.size === 0 ? undefined : (r) => !dropped.has(r);
}
