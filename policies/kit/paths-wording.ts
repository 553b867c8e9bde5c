// Wording for paths through the network graph: each hop by its Pulumi resource name and the rule
// that lets the packet through (or stops it), in the provider's own terms.
import { layerWorld } from "../analysis/paths";
import { FlowStep } from "../analysis/paths";
import { AddrSet, v4Domain, v6Domain } from "../model/addresses";
import { formatPorts, IntervalSet, PortSet } from "../model/intervals";
import { Layer, LayerRule, Placement, Workload } from "../model/graph";
import { ConcreteProtocol } from "../model/protocol";
import { describePeers, listNames, ruleName } from "./wording";

/** "`db-sg` ingress[0] (tcp 5432 from 0.0.0.0/1)". */
export function describeLayerRule(r: LayerRule, protocol?: ConcreteProtocol, ports?: PortSet): string {
    const what = protocol ? `${protocol}${ports && protocol !== "icmp" ? ` ${formatPorts(ports, 4)}` : ""} ` : "";
    const side = r.rule.direction === "outbound" ? "to" : "from";
    const source = r.implied ? r.implied : `${what}${side} ${describePeers(r.rule)}`;
    return `\`${r.resource.name}\` ${ruleName(r.rule)} (${source})`;
}

/** "security groups `db-sg`, `ops-sg`". */
export function describeLayer(layer: Layer): string {
    return `${layer.kind} ${listNames(layer.resources.map((r) => `\`${r.name}\``))}`;
}

/** The rules of a layer that let the whole internet reach some of `ports`. */
function admittingRules(layer: Layer, protocol: ConcreteProtocol, ports: PortSet): string {
    const found = (layerWorld(layer, "inbound").admitting.get(protocol) ?? []).filter((a) => a.ports.overlaps(ports));
    const needed = new Set(covering(found));
    const seen = new Set<LayerRule>();
    const named = found.filter((a) => needed.has(a) && !seen.has(a.rule) && seen.add(a.rule)).map((a) => describeLayerRule(a.rule, protocol, a.ports.intersect(ports)));
    return named.length > 0 ? listNames(named, 4) : "no filtering rule";
}

/**
 * The admitting rules a message needs: per port range, the user's rules before the provider's own
 * (Azure's AllowVnetInBound), widest first, each kept only if it adds addresses to those before it.
 * An office /24 beside 0.0.0.0/1 and 128.0.0.0/1 adds nothing to the world they make.
 */
function covering<A extends { rule: LayerRule; ports: PortSet }>(found: readonly A[]): A[] {
    const byPorts = new Map<string, A[]>();
    for (const a of found) {
        const key = a.ports.intervals.map(([x, y]) => `${x}-${y}`).join(",");
        byPorts.set(key, [...(byPorts.get(key) ?? []), a]);
    }
    const size = (a: A) => a.rule.addresses.v4.intervals.reduce((n, [lo, hi]) => n + (hi - lo + 1n), 0n) + a.rule.addresses.v6.intervals.reduce((n, [lo, hi]) => n + ((hi - lo + 1n) >> 96n), 0n);
    const out: A[] = [];
    for (const group of byPorts.values()) {
        const order = [...group].sort((x, y) => Number(!!x.rule.implied) - Number(!!y.rule.implied) || (size(y) > size(x) ? 1 : size(y) < size(x) ? -1 : 0));
        let v4: AddrSet = IntervalSet.empty(v4Domain);
        let v6: AddrSet = IntervalSet.empty(v6Domain);
        for (const a of order) {
            const adds = !v4.containsSet(a.rule.addresses.v4) || !v6.containsSet(a.rule.addresses.v6);
            if (!adds) continue;
            out.push(a);
            v4 = v4.union(a.rule.addresses.v4);
            v6 = v6.union(a.rule.addresses.v6);
        }
    }
    return out;
}

/** internet → `main-igw` → route table `public-rt` (0.0.0.0/0 → igw) → ACL `default` (rule 100 …) → security groups … → `orders-db`. */
export function describeInternetPath(w: Workload, p: Placement, protocol: ConcreteProtocol, ports: PortSet): string {
    const hops = ["internet", ...(p.internet?.hops ?? []).map((h) => h.text)];
    for (const layer of p.layers) hops.push(`${describeLayer(layer)} (${admittingRules(layer, protocol, ports)})`);
    hops.push(`\`${w.name}\``);
    return hops.join(" → ");
}

/** What stops a flow at one step: the deny that matched, or the rule nobody wrote. */
export function describeBlock(step: FlowStep, protocol: ConcreteProtocol, peerText: string): string {
    const ports = step.check.ports ? formatPorts(step.check.ports, 4) : "";
    const where = `${describeLayer(step.layer)} ${step.direction}`;
    const why = step.check.rule
        ? `${describeLayerRule(step.check.rule)} denies it`
        : `no ${ruleKind(step.layer)} allows ${protocol}${protocol === "icmp" ? "" : ` ${ports}`} ${step.direction === "outbound" ? "to" : "from"} ${peerText}`;
    return `the ${step.leg} dies at ${where}: ${why}`;
}

/** "network ACL entry", "security group rule": the provider's word for one rule of the layer. */
export function ruleKind(layer: Layer): string {
    const r = layer.inbound[0] ?? layer.outbound[0];
    return r ? r.rule.terms.rule : "rule";
}
