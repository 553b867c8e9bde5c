// Wording for paths through the network graph: each hop by its Pulumi resource name and the rule
// that lets the packet through (or stops it), in the provider's own terms.
import { layerWorld } from "../analysis/paths";
import { FlowStep } from "../analysis/paths";
import { ExplainStep } from "../analysis/explain";
import { formatPorts, PortSet } from "../model/intervals";
import { Layer, LayerRule, Placement, Workload } from "../model/graph";
import { ConcreteProtocol } from "../model/protocol";
import { describePeers, listNames, ruleName } from "./wording";

/** The Pulumi name in a URN (`urn:pulumi:stack::project::type::name`). */
function urnName(key: string): string | undefined {
    return key.startsWith("urn:pulumi:") ? key.slice(key.lastIndexOf("::") + 2) : undefined;
}

/**
 * The rule's peers, with named ones (a security group, an application security group) by the Pulumi
 * names of the resources the graph resolved them to: in preview their ids are unknown.
 */
function layerPeers(r: LayerRule): string {
    const names = [...r.members].map(urnName).filter((n): n is string => n !== undefined);
    if (r.rule.peers.symbols.length === 0 || names.length === 0 || r.rule.secret.has("peers")) return describePeers(r.rule);
    const kinds = new Set(r.rule.peers.symbols.map((s) => s.kind.replace(/-/g, " ")));
    const kind = kinds.size === 1 ? `${[...kinds][0]}${names.length > 1 ? "s" : ""} ` : "";
    return listNames([...r.rule.peers.cidrs, `${kind}${listNames([...new Set(names)].map((n) => `\`${n}\``), 4)}`]);
}

/** "`db-sg` ingress[0] (tcp 5432 from 0.0.0.0/1)", "`db-sg` ingress[0] (tcp 5432 from security group `app-sg`)". */
export function describeLayerRule(r: LayerRule, protocol?: ConcreteProtocol, ports?: PortSet, layer?: Layer): string {
    const what = protocol ? `${protocol}${ports && protocol !== "icmp" ? ` ${formatPorts(ports, 4)}` : ""} ` : "";
    const side = r.rule.direction === "outbound" ? "to" : "from";
    const source = r.implied ? r.implied : `${what}${side} ${layerPeers(r)}`;
    // In a layer of one resource, the layer already names it.
    const owner = layer && layer.resources.length === 1 && layer.resources[0].urn === r.resource.urn ? "" : `\`${r.resource.name}\` `;
    return `${owner}${ruleName(r.rule)} (${source})`;
}

/** "security groups `db-sg`, `ops-sg`". */
export function describeLayer(layer: Layer): string {
    return `${layer.kind} ${listNames(layer.resources.map((r) => `\`${r.name}\``))}`;
}

/** The rules of a layer that let the whole internet reach some of `ports`. */
function admittingRules(layer: Layer, protocol: ConcreteProtocol, ports: PortSet): string {
    const found = (layerWorld(layer, "inbound").admitting.get(protocol) ?? []).filter((a) => a.ports.overlaps(ports));
    const seen = new Set<LayerRule>();
    const named = found.filter((a) => !seen.has(a.rule) && seen.add(a.rule)).map((a) => describeLayerRule(a.rule, protocol, a.ports.intersect(ports), layer));
    return named.length > 0 ? listNames(named, 4) : "no filtering rule";
}

/** internet → `main-igw` → route table `public-rt` (0.0.0.0/0 → igw) → ACL `default` (rule 100 …) → security groups … → `orders-db`. */
export function describeInternetPath(w: Workload, p: Placement, protocol: ConcreteProtocol, ports: PortSet): string {
    const hops = ["internet", ...(p.internet?.hops ?? []).map((h) => h.text)];
    for (const layer of p.layers) hops.push(`${describeLayer(layer)} (${admittingRules(layer, protocol, ports)})`);
    hops.push(`\`${w.name}\``);
    return hops.join(" → ");
}

/** Why a layer stops the packet: the deny that matched, or the rule nobody wrote. */
function blockReason(step: Pick<FlowStep, "layer" | "direction" | "check">, protocol: ConcreteProtocol, peerText: string): string {
    const ports = step.check.ports ? formatPorts(step.check.ports, 4) : "";
    return step.check.rule
        ? `${describeLayerRule(step.check.rule, undefined, undefined, step.layer)} denies it`
        : `no ${ruleKind(step.layer)} allows ${protocol}${protocol === "icmp" ? "" : ` ${ports}`} ${step.direction === "outbound" ? "to" : "from"} ${peerText}`;
}

/** What stops a flow at one step. */
export function describeBlock(step: FlowStep, protocol: ConcreteProtocol, peerText: string): string {
    return `the ${step.leg} dies at ${describeLayer(step.layer)} ${step.direction}: ${blockReason(step, protocol, peerText)}`;
}

/** One step of an explained route: where the packet is, and what happens to it there. */
export function describeStep(step: ExplainStep, protocol: ConcreteProtocol, peerText: string, fromInternet = false): { where: string; outcome: string } {
    if (step.hop) return { where: step.hop.text, outcome: "passes" };
    const layer = step.layer!;
    const where = `${step.leg} ${step.direction === "inbound" ? "in" : "out"} through ${describeLayer(layer)}`;
    const check = step.check;
    switch (step.status) {
        case "not-reached":
            return { where, outcome: "not reached" };
        case "unknown":
            return { where, outcome: `cannot be verified: ${check?.reason ?? "an entry is unknown until update"}` };
        case "block": {
            if (!fromInternet) return { where, outcome: `blocked: ${blockReason({ layer, direction: step.direction, check: check! }, protocol, peerText)}` };
            if (step.leg === "reply") return { where, outcome: `blocked: no ${ruleKind(layer)} lets replies out to the internet on any ${protocol} port of ${formatPorts(check!.ports!, 4)}` };
            const partly = check?.admittedBy ? `; ${describeLayerRule(check.admittedBy, undefined, undefined, layer)} admits only part of it` : "";
            return { where, outcome: `blocked: ${check?.rule ? `${describeLayerRule(check.rule, undefined, undefined, layer)} denies it` : `no ${ruleKind(layer)} admits the whole internet on ${protocol}${protocol === "icmp" || !check?.ports ? "" : ` ${formatPorts(check.ports, 4)}`}`}${partly}` };
        }
        default: {
            const by = step.admitting?.length
                ? listNames(step.admitting.filter((r): r is LayerRule => r !== undefined).map((r) => describeLayerRule(r, protocol, r.rule.ports, layer)), 3)
                : check?.admittedBy ? describeLayerRule(check.admittedBy, protocol, check.admittedBy.rule.ports, layer) : undefined;
            return { where, outcome: by ? `allowed by ${by}` : "allowed" };
        }
    }
}

/** "network ACL entry", "security group rule": the provider's word for one rule of the layer. */
export function ruleKind(layer: Layer): string {
    const r = layer.inbound[0] ?? layer.outbound[0];
    return layer.rule ?? (r ? r.rule.terms.rule : "rule");
}
