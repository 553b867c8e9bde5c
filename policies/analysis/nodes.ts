// The join of node ports and nodes: a NodePort Service's way in (InternetPath.nodes) names the
// cluster resource it runs in; another cloud's assembler places that cluster's nodes (Workload.
// nodesOf). Each way in is followed through each node pool: the internet reaches the node ports only
// where it reaches the nodes (their external addresses and routes), through the nodes' own filters on
// the node ports (the way in's front), and the node ports forward to the pods' target ports, whose
// own layers come last. No nodes of that cluster in the stack, or nodes whose network is not in it:
// the way in stays as the Kubernetes assembler wrote it (outside this stack).
import { formatPorts, NO_PORTS, PortSet } from "../model/intervals";
import { ConcreteProtocol } from "../model/protocol";
import { InternetPath, Layer, NodeWay, Placement, resourceText, Workload } from "../model/graph";
import { layerWorld } from "./paths";

/** The clusters whose nodes the ways in of these workloads need (URNs of cluster resources). */
export function clustersNamed(workloads: readonly Workload[]): Set<string> {
    const out = new Set<string>();
    for (const w of workloads) for (const p of w.placements) if (p.internet?.nodes) out.add(p.internet.nodes.cluster);
    return out;
}

/** Follows every way in through node ports in `workloads` through the nodes `nodes` holds (in place). */
export function joinNodes(workloads: readonly Workload[], nodes: readonly Workload[] = workloads): void {
    const byCluster = new Map<string, Workload[]>();
    // Clusters with nodes the join cannot follow (their filters outside the stack, or no placement read): their way in stays too.
    const unfollowed = new Set<string>();
    for (const n of nodes) {
        if (!n.nodesOf) continue;
        if (n.nodesOf.outside !== undefined || n.placements.length === 0) {
            unfollowed.add(n.nodesOf.cluster);
            continue;
        }
        const list = byCluster.get(n.nodesOf.cluster);
        if (list) list.push(n);
        else byCluster.set(n.nodesOf.cluster, [n]);
    }
    if (byCluster.size === 0) return;
    for (const w of workloads) {
        if (!w.placements.some((p) => p.internet?.nodes && byCluster.has(p.internet.nodes.cluster))) continue;
        const closes = new Set<string>();
        w.placements = w.placements.flatMap((p) => {
            const way = p.internet?.nodes;
            const pools = way ? byCluster.get(way.cluster) : undefined;
            if (!way || !pools) return [p];
            for (const n of pools) if (n.nodesOf?.close) closes.add(n.nodesOf.close);
            return [...(unfollowed.has(way.cluster) ? [p] : []), ...pools.flatMap((n) => n.placements.map((np) => through(p, way, n, np)))];
        });
        // The fix of an exposure through a node port is the nodes' cloud's.
        if (closes.size > 0)
            w.closeInternet = `${w.closeInternet ?? "narrow the rules that admit the internet"}; for a NodePort Service, ${[...closes].join("; ")}`;
    }
}

/** The pods' placement `p`, reached by the node ports of `way` on the nodes `n` (placement `np`). */
function through(p: Placement, way: NodeWay, n: Workload, np: Placement): Placement {
    const label = `${p.label} on ${n.name}`;
    const pods = p.internet!;
    const nodeWay = np.internet;
    const families = nodeWay ? nodeWay.families.filter((f) => pods.families.includes(f)) : [];
    if (!nodeWay || families.length === 0) {
        const out: Placement = { ...p, label };
        delete out.internet;
        out.noInternet = nodeWay
            ? `the nodes of ${n.nodesOf!.label} are not reached on the address families of ${way.hop.resource ? resourceText(way.hop.resource) : "the Service"}`
            : `the NodePort way in reaches the pods through the nodes of ${n.nodesOf!.label}, and ${np.noInternet ?? "they have no way in from the internet"}`;
        return out;
    }
    const opted = np.nodePorts?.optOut !== undefined && way.annotations.includes(np.nodePorts.optOut);
    const layers = np.nodePorts && !opted ? np.nodePorts.layers : np.layers;
    const ports = new Map<ConcreteProtocol, PortSet>(way.ports);
    const reasons = [
        way.unverifiable,
        // What the pods' own placement cannot prove (security groups bound to them) holds on this way in too.
        ...p.unverifiable,
        nodeWay.unverifiable,
        ...np.unverifiable,
        n.unverifiable,
        ...allocatedDoubts(way, layers, families),
    ].filter((x): x is string => x !== undefined);
    // The nodes by their resource name, where the way in to them does not already say it (a subnet's public addresses on AWS).
    const nodeHops = nodeWay.hops.some((h) => h.resource?.urn === n.urn)
        ? nodeWay.hops
        : [...nodeWay.hops, { resource: { urn: n.urn, name: n.name }, text: n.nodesOf!.label }];
    const internet: InternetPath = {
        hops: [...nodeHops, way.hop],
        families,
        ...(pods.ports ? { ports: pods.ports } : {}),
        front: {
            layers,
            ports,
            forwards: way.forwards,
            at: nodeHops.length,
            clients: true,
            ...(way.allocated
                ? {
                      oneOf: `the cluster allocates the node port of ${way.hop.resource ? resourceText(way.hop.resource) : "the Service"} (\`nodePort\` unset) from its range, which port the plan does not tell`,
                  }
                : {}),
        },
        ...(reasons.length > 0 ? { unverifiable: [...new Set(reasons)].join("; ") } : {}),
    };
    const out: Placement = { ...p, label, internet };
    delete out.noInternet;
    return out;
}

/**
 * A node port the cluster allocates itself is one of its range, which the plan does not tell: where
 * the nodes' filters admit the world to only part of the range, the allocated port may be in it or not.
 */
function allocatedDoubts(way: NodeWay, layers: readonly Layer[], families: readonly ("v4" | "v6")[]): string[] {
    const out: string[] = [];
    for (const [protocol, range] of way.allocated ?? []) {
        for (const family of families) {
            let admitted: PortSet = range;
            for (const l of layers) admitted = admitted.intersect(layerWorld(l, "inbound").ports[family].get(protocol) ?? NO_PORTS);
            if (!admitted.isEmpty && !admitted.containsSet(range)) {
                out.push(
                    `the cluster allocates the node port of ${way.hop.resource ? resourceText(way.hop.resource) : "the Service"} (\`nodePort\` unset) from ${protocol} ${formatPorts(range, 4)}, and the nodes' filters admit the internet to only ${formatPorts(admitted, 4)} of it`,
                );
                break;
            }
        }
    }
    return out;
}
