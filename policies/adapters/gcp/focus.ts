// Which GCP resources can bear on a few instances, told from the networks they are on before any is
// modelled (GraphAssembler.focus). VPC firewall rules, routes and subnetworks act within their own
// network, and an instance is judged by the networks of its interfaces and of the networks peered with
// them; so the firewall rules, routes, subnetworks and instances of other networks are left out.
// Everything else is kept (networks, firewall policies and their associations, load balancing,
// addresses, databases), and nothing is left out when an asked workload is not a plain instance, when
// the stack runs GKE (its nodes are placed from subnetworks the asked workloads do not name), or when
// a peering cannot be read. Instances are kept whenever the stack balances load or groups instances:
// a backend lists the instances it sends to. A network is known by its name (the last segment of
// any reference to it) or, while that is unknown, by the URN its dependencies name; what cannot be
// told either way is kept.
import { isPlainObject } from "../../base/values";
import { isUnknownValue, PLACEHOLDER_PREFIX } from "../../wire/engine";
import { SentResource } from "../support/assembler";
import { lastSegment } from "./topology-network";

const T = {
    network: "gcp:compute/network:Network",
    subnet: "gcp:compute/subnetwork:Subnetwork",
    firewall: "gcp:compute/firewall:Firewall",
    route: "gcp:compute/route:Route",
    instance: "gcp:compute/instance:Instance",
    peering: "gcp:compute/networkPeering:NetworkPeering",
};
/** Resources that name instances as their backends or members. */
const GROUPING = new Set([
    "gcp:compute/forwardingRule:ForwardingRule",
    "gcp:compute/globalForwardingRule:GlobalForwardingRule",
    "gcp:compute/backendService:BackendService",
    "gcp:compute/regionBackendService:RegionBackendService",
    "gcp:compute/targetPool:TargetPool",
    "gcp:compute/targetInstance:TargetInstance",
    "gcp:compute/instanceGroup:InstanceGroup",
    "gcp:compute/instanceGroupManager:InstanceGroupManager",
    "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
]);

type Keys = ReadonlySet<string> | undefined;

/** A property of a plain object. Read directly, not through Input: this runs on every resource of a large stack before any is modelled. */
function field(v: unknown, key: string): unknown {
    return isPlainObject(v) ? v[key] : undefined;
}

/** A literal reference's name, lower-cased; unknown, a placeholder, a number (an id, not a name) or nothing readable is undefined. */
function named(v: unknown): string | undefined {
    if (typeof v !== "string" || isUnknownValue(v) || v.includes(PLACEHOLDER_PREFIX)) return undefined;
    const name = lastSegment(v).trim().toLowerCase();
    return name === "" || /^\d+$/.test(name) ? undefined : `name:${name}`;
}

class Networks {
    private readonly byUrn = new Map<string, Keys>();
    private readonly subnetsByName = new Map<string, Set<string> | "unknown">();

    constructor(resources: readonly SentResource[]) {
        for (const r of resources)
            if (r.type === T.network) this.byUrn.set(r.urn, new Set([named(field(r.props, "name")) ?? `urn:${r.urn}`]));
        for (const r of resources) {
            if (r.type !== T.subnet) continue;
            const keys = this.ofRef(r, "network");
            this.byUrn.set(r.urn, keys);
            const name = named(field(r.props, "name"));
            if (name === undefined) continue;
            const seen = this.subnetsByName.get(name);
            if (keys === undefined || seen === "unknown") this.subnetsByName.set(name, "unknown");
            else this.subnetsByName.set(name, new Set([...(seen ?? []), ...keys]));
        }
    }

    /** The networks the URNs of a dependency list are, or are on; undefined when one is neither a network nor a subnetwork of the stack. */
    private ofDeps(urns: unknown): Keys {
        if (!Array.isArray(urns) || urns.length === 0) return undefined;
        const out = new Set<string>();
        for (const u of urns as unknown[]) {
            const keys = typeof u === "string" ? this.byUrn.get(u) : undefined;
            if (keys === undefined) return undefined;
            for (const k of keys) out.add(k);
        }
        return out;
    }

    /** The network a top-level reference (`network`) names: by its literal, else by its dependencies. */
    ofRef(r: SentResource, property: string, missing?: string): Keys {
        const value = field(r.props, property);
        if ((value === undefined || value === null) && missing !== undefined) return new Set([missing]);
        const name = named(value);
        return name !== undefined ? new Set([name]) : this.ofDeps(r.dependencies?.[property]);
    }

    /** The networks of an instance's interfaces: each by its `network`, else by its `subnetwork`'s, else by the dependencies. */
    ofInstance(r: SentResource): Keys {
        const items = field(r.props, "networkInterfaces");
        if (!Array.isArray(items) || items.length === 0) return undefined;
        const out = new Set<string>();
        let byDeps = false;
        for (const nic of items as unknown[]) {
            if (!isPlainObject(nic)) return undefined;
            const net = named(nic.network);
            const sub = net === undefined ? named(nic.subnetwork) : undefined;
            const subNets = sub === undefined ? undefined : this.subnetsByName.get(sub);
            if (net !== undefined) out.add(net);
            else if (subNets instanceof Set) for (const k of subNets) out.add(k);
            else byDeps = true;
        }
        if (byDeps) {
            const deps = this.ofDeps(r.dependencies?.networkInterfaces);
            if (deps === undefined) return undefined;
            for (const k of deps) out.add(k);
        }
        return out;
    }
}

export function gcpFocus(resources: readonly SentResource[], wanted: ReadonlySet<string>): ((r: SentResource) => boolean) | undefined {
    if (resources.some((r) => r.type.startsWith("gcp:container/"))) return undefined;
    const nets = new Networks(resources);
    const keep = new Set<string>();
    for (const r of resources) {
        if (!wanted.has(r.urn)) continue;
        if (r.type !== T.instance) return undefined;
        const keys = nets.ofInstance(r);
        if (keys === undefined) return undefined;
        for (const k of keys) keep.add(k);
    }
    // Peered networks, to a fixed point: their routes and ranges reach the asked instances.
    const peerings: (readonly [ReadonlySet<string>, ReadonlySet<string>])[] = [];
    for (const r of resources) {
        if (r.type !== T.peering) continue;
        const a = nets.ofRef(r, "network");
        const b = nets.ofRef(r, "peerNetwork");
        if (a === undefined || b === undefined) return undefined;
        peerings.push([a, b]);
    }
    for (let grew = true; grew;) {
        grew = false;
        for (const [a, b] of peerings) {
            const touches = [...a, ...b].some((k) => keep.has(k));
            if (touches)
                for (const k of [...a, ...b])
                    if (!keep.has(k)) {
                        keep.add(k);
                        grew = true;
                    }
        }
    }
    const near = (keys: Keys) => keys === undefined || [...keys].some((k) => keep.has(k));
    const instancesNamed = resources.some((r) => GROUPING.has(r.type));
    return (r) => {
        switch (r.type) {
            case T.firewall:
                // The API's default network is the project's `default`.
                return near(nets.ofRef(r, "network", "name:default"));
            case T.route:
            case T.subnet:
                return near(nets.ofRef(r, "network"));
            case T.instance:
                return instancesNamed || near(nets.ofInstance(r));
            default:
                return true;
        }
    };
}
