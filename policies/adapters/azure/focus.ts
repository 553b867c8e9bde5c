// Which Azure resources can bear on a few workloads, told before any is modelled (GraphAssembler.focus).
// The assembler relates two Azure resources by a reference one holds to the other (a literal id or
// name resolved exactly against the other's identity, or a property dependency) and by what it
// indexes from those references backwards (a vnet's subnets and peerings, an NSG's rules, a subnet's
// associations, a server's firewall rules); so what shares no chain of references with an asked
// workload, either way, is left out: another vnet's subnets, NSGs, NICs and machines. A reference is
// told without reading what the property means: any string of one resource against every value that
// may be another's identity (its `id`, `name` or a `*Name` such as `vmName`, the ids of the children
// written inline in it, as a vnet knows its inline subnets by). One name that two resources have does not tie them
// (two subnets called `app`); a third that names it ties both. Nothing is left out when the assembler
// relates resources otherwise: load balancers (a pool lists its members by IP address, a balancer is
// found by name), AKS (node pools are placed for the NodePort ways in of other workloads), a database
// firewall rule whose server cannot be read (it counts for every server).
import { isPlainObject } from "../../base/values";
import { isUnknownValue, PLACEHOLDER_PREFIX } from "../../wire/engine";
import { SentResource } from "../support/assembler";

/** Load balancing and AKS: a scan over a kind, or a match by address, relates them to what names none of them. */
const SCANNED = /loadbalancer|backendaddresspool|natrule|natpool|^azure:lb\/|containerservice/i;
const DATABASE_RULE = /firewallrule$/i;
/** How the database firewall rules of both providers name their server (or Synapse workspace). */
const SERVER_KEYS = ["serverName", "serverId", "workspaceName"];
/**
 * Properties no Azure adapter reads a link from (a rule's addresses, ports and verdict, where and in
 * which group a resource is, its tags): their strings are not looked up.
 */
const NEVER_LINKS = /^(resourceGroupName|location|tags|protocol|access|direction|priority)$|AddressPrefix(es)?$|PortRanges?$/i;
/** Past this depth a property bag is not read: nothing is left out. */
const MAX_DEPTH = 64;

/** A value that may be a resource's identity: a string, neither unknown nor a placeholder for unset config. */
function isKey(v: unknown): v is string {
    return typeof v === "string" && v !== "" && !isUnknownValue(v) && !v.includes(PLACEHOLDER_PREFIX);
}

/** Whether a database firewall rule's server is a literal the assembler can resolve. */
function serverNamed(props: unknown): boolean {
    if (!isPlainObject(props)) return false;
    const key = SERVER_KEYS.find((k) => props[k] !== undefined && props[k] !== null);
    return key !== undefined && isKey(props[key]);
}

/** Where a value sits: anywhere, in an item of a top-level list (an inline child: a vnet's subnet), or as such a child's `id`. */
const enum At {
    Plain,
    Child,
    ChildId,
}

/**
 * The strings of resource `i`: each may name another resource (into `refs`, with `i` in `from`), and
 * its own id, name, `*Name` and its inline children's ids may name it (into `keys`). Compared as they
 * are, as the stack resolves a literal; an unknown one names nothing that is told by it. False: too
 * deep to read.
 */
class Collector {
    readonly refs: string[] = [];
    readonly from: number[] = [];
    keys: string[] = [];
    /** Property names are few and each is met thousands of times: each is tested once. */
    private readonly skips = new Map<string, boolean>();

    private skipped(k: string): boolean {
        let skip = this.skips.get(k);
        if (skip === undefined) this.skips.set(k, (skip = NEVER_LINKS.test(k)));
        return skip;
    }

    value(v: unknown, i: number, at: At, depth: number): boolean {
        if (typeof v === "string") {
            this.refs.push(v);
            this.from.push(i);
            if (at === At.ChildId && isKey(v)) this.keys.push(v);
            return true;
        }
        if (v === null || typeof v !== "object") return true;
        if (depth > MAX_DEPTH) return false;
        if (Array.isArray(v)) {
            const item = depth === 1 ? At.Child : At.Plain;
            for (const x of v as unknown[]) if (!this.value(x, i, item, depth + 1)) return false;
            return true;
        }
        const o = v as Record<string, unknown>;
        for (const k in o)
            if (!this.skipped(k) && !this.value(o[k], i, at === At.Child && k === "id" ? At.ChildId : At.Plain, depth + 1)) return false;
        return true;
    }

    /** A resource's own `name` is a key only: resources of one name are not each other's (two subnets called `app`). */
    resource(props: unknown, i: number): boolean {
        this.keys = [];
        if (!isPlainObject(props)) return true;
        for (const k in props) {
            const v = props[k];
            if (k === "id" || k === "name" || (k.endsWith("Name") && k !== "resourceGroupName")) {
                if (isKey(v)) this.keys.push(v);
                // Its own id and name name it alone.
                if (k === "id" || k === "name") continue;
            }
            if (!this.skipped(k) && !this.value(v, i, At.Plain, 1)) return false;
        }
        return true;
    }
}

export function azureFocus(resources: readonly SentResource[], wanted: ReadonlySet<string>): ((r: SentResource) => boolean) | undefined {
    const parent = new Int32Array(resources.length);
    for (let i = 0; i < parent.length; i++) parent[i] = i;
    const find = (i: number): number => {
        while (parent[i] !== i) i = parent[i] = parent[parent[i]];
        return i;
    };
    const join = (a: number, b: number) => {
        const ra = find(a);
        const rb = find(b);
        if (ra !== rb) parent[ra] = rb;
    };
    const byUrn = new Map<string, number>();
    // Most values identify one resource: a list only for those several have (a name).
    const owners = new Map<string, number | number[]>();
    const c = new Collector();
    // A stack has few types and many resources: each type is tested once.
    const kinds = new Map<string, "scanned" | "rule" | "plain">();
    for (let i = 0; i < resources.length; i++) {
        const r = resources[i];
        let kind = kinds.get(r.type);
        if (kind === undefined)
            kinds.set(r.type, (kind = SCANNED.test(r.type) ? "scanned" : DATABASE_RULE.test(r.type) ? "rule" : "plain"));
        if (kind === "scanned" || (kind === "rule" && !serverNamed(r.props))) return undefined;
        if (!c.resource(r.props, i)) return undefined;
        const first = byUrn.get(r.urn);
        if (first === undefined) byUrn.set(r.urn, i);
        else join(i, first);
        for (const k of c.keys) {
            const seen = owners.get(k);
            if (seen === undefined) owners.set(k, i);
            else if (typeof seen === "number") {
                if (seen !== i) owners.set(k, [seen, i]);
            } else if (seen[seen.length - 1] !== i) seen.push(i);
        }
    }
    for (let n = 0; n < c.refs.length; n++) {
        const seen = owners.get(c.refs[n]);
        if (seen === undefined) continue;
        if (typeof seen === "number") {
            join(c.from[n], seen);
            continue;
        }
        for (const j of seen) join(c.from[n], j);
        // They are one set now: the next resource that names them need join only one.
        owners.set(c.refs[n], seen[0]);
    }
    for (let i = 0; i < resources.length; i++) {
        const deps = resources[i].dependencies;
        if (!isPlainObject(deps)) continue;
        for (const p in deps) {
            const urns = deps[p];
            if (!Array.isArray(urns)) continue;
            for (const u of urns as unknown[]) {
                const j = typeof u === "string" ? byUrn.get(u) : undefined;
                if (j !== undefined) join(i, j);
            }
        }
    }
    const kept = new Set<number>();
    for (const [urn, i] of byUrn) if (wanted.has(urn)) kept.add(find(i));
    if (kept.size === 0) return undefined;
    return (r) => {
        const i = byUrn.get(r.urn);
        return i === undefined || kept.has(find(i));
    };
}
