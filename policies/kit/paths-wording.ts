// Wording for paths through the network graph: each hop by its Pulumi resource name and the rule
// that lets the packet through (or stops it), in the provider's own terms.
import { layerWorld } from "../analysis/paths";
import { FlowStep } from "../analysis/paths";
import { ExplainStep } from "../analysis/explain";
import { AddrSet, v4Domain, v6Domain } from "../model/addresses";
import { formatPorts, IntervalSet, PortSet } from "../model/intervals";
import { frontPortsFor, Layer, LayerRule, Placement, resourceText, Workload } from "../model/graph";
import { ConcreteProtocol } from "../model/protocol";
import { STANDALONE_RULE } from "../model/rules";
import { describePeers, listNames, orderText, ruleName } from "./wording";

/** The Pulumi name in a URN (`urn:pulumi:stack::project::type::name`). */
function urnName(key: string): string | undefined {
    return key.startsWith("urn:pulumi:") ? key.slice(key.lastIndexOf("::") + 2) : undefined;
}

const K8S_NAMESPACE = "kubernetes:core/v1:Namespace";

/** The type token in a URN (the last of `parent$type`). */
function urnType(urn: string): string {
    const parts = urn.split("::");
    const t = parts[parts.length - 2] ?? "";
    return t.slice(t.lastIndexOf("$") + 1);
}

/**
 * The rule's peers, with named ones (a security group, an application security group) by the Pulumi
 * names of the resources the graph resolved them to: in preview their ids are unknown.
 */
function layerPeers(r: LayerRule): string {
    const members = [...r.members].filter((m) => urnName(m) !== undefined);
    if (r.rule.peers.symbols.length === 0 || members.length === 0 || r.rule.secret.has("peers")) return describePeers(r.rule);
    const named = (kind: string, urns: string[]): string => {
        const names = [...new Set(urns.map((m) => urnName(m)!))];
        return `${kind ? `${kind}${names.length > 1 ? "s" : ""} ` : ""}${listNames(
            names.map((n) => `\`${n}\``),
            4,
        )}`;
    };
    const kinds = new Set(r.rule.peers.symbols.map((s) => s.kind));
    if ([...kinds].every((k) => k === "pod-selector" || k === "namespace-selector")) {
        // A Kubernetes peer resolves to Namespaces (a namespace selector alone) or to the pods it
        // selects, by their workload (a pod selector, with or without a namespace selector).
        const namespaces = members.filter((m) => urnType(m) === K8S_NAMESPACE);
        const pods = members.filter((m) => urnType(m) !== K8S_NAMESPACE);
        return listNames([
            ...r.rule.peers.cidrs,
            ...(pods.length > 0 ? [named("pod selector", pods)] : []),
            ...(namespaces.length > 0 ? [named("namespace selector", namespaces)] : []),
        ]);
    }
    return listNames([...r.rule.peers.cidrs, named(kinds.size === 1 ? [...kinds][0].replace(/-/g, " ") : "", members)]);
}

/** "`db-sg` ingress[0] (tcp 5432 from 0.0.0.0/1)", "`db-sg` ingress[0] (tcp 5432 from security group `app-sg`)". */
export function describeLayerRule(r: LayerRule, protocol?: ConcreteProtocol, ports?: PortSet, layer?: Layer): string {
    return ruleText(r, protocol ? `${protocol}${ports && protocol !== "icmp" ? ` ${formatPorts(ports, 4)}` : ""} ` : "", layer);
}

/** A rule with its protocol and ports as its author wrote them ("all traffic", not the ports of it a message is about). */
export function describeWrittenRule(r: LayerRule, layer?: Layer): string {
    const p = r.rule.protocol;
    const ports = formatPorts(r.rule.ports, 4);
    const what =
        p === "icmp"
            ? "icmp"
            : p === "other"
              ? "other protocols"
              : p === "all"
                ? r.rule.ports.isFull
                    ? "all traffic"
                    : `every protocol ${ports}`
                : `${p} ${ports}`;
    return ruleText(r, `${what} `, layer);
}

function ruleText(r: LayerRule, what: string, layer?: Layer): string {
    const side = r.rule.direction === "outbound" ? "to" : "from";
    const source = r.implied ? r.implied : `${what}${side} ${layerPeers(r)}`;
    // In a layer of one resource, the layer already names it; a stand-in for no resource at all (a
    // cluster where no policy isolates the pods) is not named.
    const owner =
        (layer && layer.resources.length === 1 && layer.resources[0].urn === r.resource.urn) || !r.resource.urn.startsWith("urn:")
            ? ""
            : `\`${r.resource.name}\` `;
    // A rule that is a resource of its own is named by the resource: "`web-ingress` (tcp 443 ...)".
    if (r.rule.origin === STANDALONE_RULE && owner) {
        const order = orderText(r.rule);
        return `${owner.trimEnd()} (${order ? `${order}, ` : ""}${source})`;
    }
    return `${owner}${ruleName(r.rule)} (${source})`;
}

/** "security groups `db-sg`, `ops-sg`": those whose rules apply in `direction`, when the layer says. */
export function describeLayer(layer: Layer, direction?: "inbound" | "outbound"): string {
    const own = direction ? layer.resourcesByDirection?.[direction] : undefined;
    // None of the layer's resources has a say in this direction (an Ingress-only policy, for egress).
    if (own && own.length === 0) return `${layer.kind} (none applies ${direction})`;
    const resources = own ?? layer.resources;
    return `${layer.kind} ${listNames(resources.map(resourceText))}`;
}

/** The rules of a layer that let the whole internet reach some of `ports` (outbound: that let packets out to all of it). */
function admittingRules(layer: Layer, protocol: ConcreteProtocol, ports: PortSet, direction: "inbound" | "outbound" = "inbound"): string {
    const found = (layerWorld(layer, direction).admitting.get(protocol) ?? []).filter((a) => a.ports.overlaps(ports));
    const needed = new Set(covering(found));
    const seen = new Set<LayerRule>();
    const picked = found.filter((a) => needed.has(a) && !seen.has(a.rule) && seen.add(a.rule));
    // An ordered layer (an NSG, an ACL) is read in evaluation order: priority 100 before 300, whatever order the rules are written in.
    // A rule whose order is secret keeps its place after them, so the listing does not tell it.
    if (layer.ordered) {
        const at = new Map(layer.inbound.map((r, i) => [r, i]));
        const order = (a: (typeof picked)[number]) =>
            a.rule.rule.order !== undefined && !a.rule.rule.secret.has("order") ? a.rule.rule.order : Number.MAX_SAFE_INTEGER;
        picked.sort((x, y) => order(x) - order(y) || (at.get(x.rule) ?? at.size) - (at.get(y.rule) ?? at.size));
    }
    const named = picked.map((a) => {
        const shown = a.ports.intersect(ports);
        // "tcp 5432" says which of the rule's ports matter; the rest of an all-traffic rule ("tcp 0-79, 81-442, ...") reads as if written so.
        return a.rule.rule.protocol === "all" || shown.intervals.length > 1
            ? describeWrittenRule(a.rule, layer)
            : describeLayerRule(a.rule, protocol, shown, layer);
    });
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
    const size = (a: A) =>
        a.rule.addresses.v4.intervals.reduce((n, [lo, hi]) => n + (hi - lo + 1n), 0n) +
        a.rule.addresses.v6.intervals.reduce((n, [lo, hi]) => n + ((hi - lo + 1n) >> 96n), 0n);
    const out: A[] = [];
    for (const group of byPorts.values()) {
        const order = [...group].sort(
            (x, y) => Number(!!x.rule.implied) - Number(!!y.rule.implied) || (size(y) > size(x) ? 1 : size(y) < size(x) ? -1 : 0),
        );
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
    // A front crossed among the hops (the nodes' firewall on the node ports) is named where it is crossed.
    const front = p.internet?.front;
    if (front?.at !== undefined) {
        const frontPorts = frontPortsFor(front, protocol, ports);
        const named = front.layers.map((layer) => `${describeLayer(layer, "inbound")} (${admittingRules(layer, protocol, frontPorts)})`);
        hops.splice(1 + front.at, 0, ...named);
    }
    for (const layer of p.layers) hops.push(`${describeLayer(layer, "inbound")} (${admittingRules(layer, protocol, ports)})`);
    hops.push(`\`${w.name}\``);
    return hops.join(" → ");
}

/** Why a layer stops the packet: the deny that matched, or the rule nobody wrote. */
function blockReason(step: Pick<FlowStep, "layer" | "direction" | "check">, protocol: ConcreteProtocol, peerText: string): string {
    const ports = step.check.ports ? formatPorts(step.check.ports, 4) : "";
    return step.check.rule
        ? `${describeLayerRule(step.check.rule, undefined, undefined, step.layer)} denies it`
        : `no ${ruleKind(step.layer)} allows ${protocol}${protocol === "icmp" ? "" : ` ${ports}`} ${step.direction === "outbound" ? "to" : "from"} ${peerText}${unmatched(step.layer, step.direction)}`;
}

/** ", so <the provider's default> drops it", where the provider names what happens to a packet no rule matches. */
function unmatched(layer: Layer, direction: "inbound" | "outbound"): string {
    const what = layer.unmatched?.[direction];
    return what ? `, so ${what} drops it` : "";
}

/** What stops a flow at one step. */
export function describeBlock(step: FlowStep, protocol: ConcreteProtocol, peerText: string): string {
    return `the ${step.leg} dies at ${describeLayer(step.layer, step.direction)} ${step.direction}: ${blockReason(step, protocol, peerText)}`;
}

/** One step of an explained route: where the packet is, and what happens to it there. */
export function describeStep(
    step: ExplainStep,
    protocol: ConcreteProtocol,
    peerText: string,
    fromInternet = false,
): { where: string; outcome: string } {
    if (step.hop)
        return {
            where: step.hop.text,
            outcome:
                step.status === "block"
                    ? `blocked: ${step.because ?? "the packet goes no further"}`
                    : step.status === "not-reached"
                      ? "not reached"
                      : "passes",
        };
    const layer = step.layer!;
    const where = `${step.leg} ${step.direction === "inbound" ? "in" : "out"} through ${describeLayer(layer, step.direction)}`;
    const check = step.check;
    switch (step.status) {
        case "not-reached":
            return { where, outcome: "not reached" };
        case "unknown":
            return { where, outcome: `cannot be verified: ${check?.reason ?? "an entry is unknown until update"}` };
        case "block": {
            if (!fromInternet)
                return {
                    where,
                    outcome: `blocked: ${blockReason({ layer, direction: step.direction, check: check! }, protocol, peerText)}`,
                };
            if (step.leg === "reply")
                return {
                    where,
                    outcome: `blocked: no ${ruleKind(layer)} lets replies out to the internet on any ${protocol} port of ${formatPorts(check!.ports!, 4)}`,
                };
            const partly = check?.admittedBy
                ? `; ${describeLayerRule(check.admittedBy, undefined, undefined, layer)} admits only part of it`
                : "";
            return {
                where,
                outcome: `blocked: ${check?.rule ? `${describeLayerRule(check.rule, undefined, undefined, layer)} denies it` : `no ${ruleKind(layer)} admits the whole internet on ${protocol}${protocol === "icmp" || !check?.ports ? "" : ` ${formatPorts(check.ports, 4)}`}${unmatched(layer, step.direction)}`}${partly}`,
            };
        }
        default: {
            // From the internet, the rules that together admit every address (as the exposure message names them).
            const by =
                fromInternet && step.asked
                    ? admittingRules(layer, protocol, step.asked, step.direction)
                    : check?.admittedBy
                      ? // An all-traffic rule reads as written ("all traffic"), not as "tcp 0-65535 (all ports)" of the protocol asked about.
                        check.admittedBy.rule.protocol === "all"
                          ? describeWrittenRule(check.admittedBy, layer)
                          : describeLayerRule(check.admittedBy, protocol, check.admittedBy.rule.ports, layer)
                      : undefined;
            return { where, outcome: by ? `allowed by ${by}` : "allowed" };
        }
    }
}

/** "network ACL entry", "security group rule": the provider's word for one rule of the layer. */
export function ruleKind(layer: Layer): string {
    const r = layer.inbound[0] ?? layer.outbound[0];
    return layer.rule ?? (r ? r.rule.terms.rule : "rule");
}
