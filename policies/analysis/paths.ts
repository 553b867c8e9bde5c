// Paths through the network graph: whether the whole internet reaches a workload's port through
// every layer (exposure), and whether a documented client reaches it and gets its replies back
// (flows). Provider-neutral: the graph says which layers a packet crosses and in what order.
import { WeakMemo } from "../base/memo";
import { IntervalSet, NO_PORTS, PortSet, portDomain } from "../model/intervals";
import {
    Addresses,
    Layer,
    LayerRule,
    Placement,
    Workload,
    frontPortsFor,
    intersect,
    isEmpty,
    minus,
    resourceText,
    targetsThrough,
} from "../model/graph";
import { CONCRETE_PROTOCOLS, ConcreteProtocol, protocolCovers } from "../model/protocol";
import { isEvaluable, NormalisedRule, RulePart, ruleLabel, unresolvedParts } from "../model/rules";
import { AddrSet, v4Domain, v6Domain } from "../model/addresses";
import { evaluate, portsFor } from "./evaluate";

export type Direction = "inbound" | "outbound";

// ---------------------------------------------------------------------------------------------
// The whole internet, across layers

export interface LayerWorld {
    /** Per family and protocol, the ports every address of the family reaches through the layer. */
    ports: Record<"v4" | "v6", ReadonlyMap<ConcreteProtocol, PortSet>>;
    /** The layer's rules in this direction cannot prove what they admit (unknown entries of an ordered layer). */
    unproven: boolean;
    /** The rules that let the world in, per protocol: for naming the hop. */
    admitting: ReadonlyMap<ConcreteProtocol, { rule: LayerRule; ports: PortSet }[]>;
}

/**
 * A layer's rules as the evaluation reads them: peers replaced by the addresses they resolve to, so a
 * security-group reference (never the world) and a service tag that names the internet are read alike.
 */
const asEvaluated = new WeakMemo<LayerRule, NormalisedRule>((lr) => ({
    ...lr.rule,
    peers: { ...lr.rule.peers, v4: lr.addresses.v4, v6: lr.addresses.v6, symbols: [], unknown: lr.unknown || lr.rule.peers.unknown },
}));

const layerWorlds = new WeakMemo<Layer, Map<Direction, LayerWorld>>(() => new Map());

/** What the whole internet gets through one layer in one direction. */
export function layerWorld(layer: Layer, direction: Direction): LayerWorld {
    const byDirection = layerWorlds.get(layer);
    let w = byDirection.get(direction);
    if (w) return w;
    const rules = direction === "inbound" ? layer.inbound : layer.outbound;
    const evaluated = rules.map((r) => asEvaluated.get(r));
    const back = new Map(evaluated.map((e, i) => [e, rules[i]]));
    const ev = evaluate(evaluated, direction);
    const admitting = new Map<ConcreteProtocol, { rule: LayerRule; ports: PortSet }[]>();
    for (const e of ev.world) {
        const list = admitting.get(e.protocol) ?? [];
        for (const r of e.rules) list.push({ rule: back.get(r)!, ports: e.ports });
        admitting.set(e.protocol, list);
    }
    // An ordered layer with an entry it cannot read (unknown until update) might deny before an allow.
    const unproven = layer.unverifiable !== undefined || (layer.ordered && rules.some((r) => r.unknown || !isEvaluable(r.rule)));
    w = { ports: ev.worldPorts, unproven, admitting };
    byDirection.set(direction, w);
    return w;
}

export interface ExposedPorts {
    protocol: ConcreteProtocol;
    /** Ports every layer lets the whole internet reach (before the registry says which are internal). */
    ports: PortSet;
    family: "v4" | "v6";
    /** Some layer on the way cannot be proved: the ports may be closed after all. */
    unproven: boolean;
    /** Why not, for the message: the layers with unknown entries, a way in that cannot be told yet. */
    reasons: string[];
}

/** Why a layer cannot prove what it admits. */
export function unprovenReason(layer: Layer): string {
    // An entry that may or may not apply says why (LayerRule.peerView), e.g. a policy whose scope is outside the stack.
    const told = layer.inbound.find((r) => r.unknown && r.peerView?.maybe)?.peerView?.maybe?.reason;
    return (
        layer.unverifiable ?? told ?? `an entry of ${layer.kind} ${layer.resources.map(resourceText).join(", ")} is unknown until update`
    );
}

/**
 * Ports the whole internet reaches through every layer of a placement, per protocol and family: the
 * intersection of what each layer admits from all of a family (a deny of a few ranges leaves the
 * internet in, as for a single resource). The reply must get out too: a stateless layer that lets
 * no ephemeral port back to the internet means no connection. `ephemeral`: the clients' ports.
 */
export function internetReach(p: Placement, ephemeral: PortSet): ExposedPorts[] {
    const path = p.internet;
    if (!path) return [];
    if (p.layers.length === 0 && path.closedWithoutFilters) return [];
    const out: ExposedPorts[] = [];
    for (const family of path.families) {
        for (const protocol of CONCRETE_PROTOCOLS) {
            const reasons: string[] = path.unverifiable !== undefined ? [path.unverifiable] : [];
            let carried: PortSet | undefined;
            if (path.front) {
                // The front (a load balancer passing the client's address) must let the world in on its own ports first.
                const front = throughLayers(path.front.layers, family, protocol, ephemeral);
                const listened = (front.ports ?? IntervalSet.full(portDomain)).intersect(path.front.ports.get(protocol) ?? NO_PORTS);
                if (listened.isEmpty) continue;
                reasons.push(...front.reasons);
                // Only the target ports that the admitted front ports forward to (a Service's port 80 → 8080, 443 → 8443).
                carried = targetsThrough(path.front, protocol, listened);
            }
            const here = throughLayers(p.layers, family, protocol, ephemeral);
            reasons.push(...here.reasons);
            if (path.unverifiableIfFiltered !== undefined && p.layers.length > 0) reasons.push(path.unverifiableIfFiltered);
            // No layer at all: the path is open (an AWS subnet without an ACL and a workload without groups is not a thing the assemblers build).
            let ports = here.ports ?? IntervalSet.full(portDomain);
            if (path.ports) ports = ports.intersect(path.ports.get(protocol) ?? NO_PORTS);
            if (carried) ports = ports.intersect(carried);
            if (!ports.isEmpty) out.push({ protocol, ports, family, unproven: reasons.length > 0, reasons: [...new Set(reasons)] });
        }
    }
    return out;
}

/** Ports every address of a family gets through all of `layers` (undefined: no layer), replies checked through stateless ones. */
function throughLayers(
    layers: readonly Layer[],
    family: "v4" | "v6",
    protocol: ConcreteProtocol,
    ephemeral: PortSet,
): { ports?: PortSet; reasons: string[] } {
    let ports: PortSet | undefined;
    const reasons: string[] = [];
    for (const layer of layers) {
        const w = layerWorld(layer, "inbound");
        const here = w.ports[family].get(protocol) ?? NO_PORTS;
        ports = ports === undefined ? here : ports.intersect(here);
        if (w.unproven) reasons.push(unprovenReason(layer));
        if (!layer.stateful && protocol !== "icmp") {
            const back = layerWorld(layer, "outbound");
            const replies = (back.ports[family].get(protocol) ?? NO_PORTS).intersect(ephemeral);
            if (back.unproven) reasons.push(unprovenReason(layer));
            if (replies.isEmpty && !back.unproven) ports = NO_PORTS;
        }
        if (ports.isEmpty) break;
    }
    return { ports, reasons };
}

// ---------------------------------------------------------------------------------------------
// One peer through one layer

/** Who a packet comes from (inbound) or goes to (outbound), as a layer sees it. */
export interface Peer {
    /** Its possible addresses; undefined when not known (then only memberships can match). */
    addresses?: Addresses;
    memberships: ReadonlySet<string>;
    /** For messages and memo keys: the client's or server's name and where it is. */
    key: string;
    label: string;
}

export interface LayerCheck {
    status: "pass" | "block" | "unknown";
    /** For a block: the first deny that matched, else undefined ("no rule allows ..."). */
    rule?: LayerRule;
    /** For a block: the ports the packet does not get through on. */
    ports?: PortSet;
    /** For a pass: the rule that admits it (the first, for messages). */
    admittedBy?: LayerRule;
    /** For an unknown: what is unknown. */
    reason?: string;
}

const EMPTY4: AddrSet = IntervalSet.empty(v4Domain);
const EMPTY6: AddrSet = IntervalSet.empty(v6Domain);

/** Elementary port segments of `ports` bounded by the rules' own port ranges. */
function segments(rules: readonly LayerRule[], protocol: ConcreteProtocol, ports: PortSet): PortSet[] {
    const cuts = new Set<number>();
    for (const [a, b] of ports.intervals) {
        cuts.add(a);
        cuts.add(b + 1);
    }
    for (const r of rules) {
        if (!protocolCovers(r.rule.protocol, protocol)) continue;
        for (const [a, b] of portsFor(r.rule, protocol).intervals) {
            cuts.add(a);
            cuts.add(b + 1);
        }
    }
    const sorted = [...cuts].sort((x, y) => x - y);
    const out: PortSet[] = [];
    for (let i = 0; i + 1 < sorted.length; i++) {
        const seg = IntervalSet.of(portDomain, [[sorted[i], sorted[i + 1] - 1]]);
        if (ports.containsSet(seg)) out.push(seg);
    }
    return out;
}

function byOrder(rules: readonly LayerRule[]): LayerRule[] {
    return [...rules].sort((a, b) => (a.rule.order ?? Infinity) - (b.rule.order ?? Infinity));
}

const NOTHING_UNRESOLVED: ReadonlySet<RulePart> = new Set();
const UNKNOWN_ENTRY = "an entry is unknown until update";

const orderedRules = new WeakMemo<readonly LayerRule[], LayerRule[]>((rules) => byOrder(rules));

/**
 * Whether every address of `peer` gets through `layer` on every port of `ports`: ordered layers by
 * first match, unions of allows (security groups) by any allow. A rule that matches only part of the
 * peer's addresses lets the rest fall through to the next. Unknown values never make a block: an
 * ordered layer with an unknown entry on the way is unknown; a union is proved by any known allow.
 */
export function checkLayer(layer: Layer, direction: Direction, protocol: ConcreteProtocol, ports: PortSet, peer: Peer): LayerCheck {
    const all = direction === "inbound" ? layer.inbound : layer.outbound;
    const rules = layer.ordered ? orderedRules.get(all) : all;
    const start: Addresses = peer.addresses ?? { v4: EMPTY4, v6: EMPTY6 };
    let blocked: PortSet = NO_PORTS;
    let blockRule: LayerRule | undefined;
    let admittedBy: LayerRule | undefined;
    let unknown: string | undefined = layer.unverifiable;
    for (const seg of segments(all, protocol, ports)) {
        let remaining = start;
        let membersLeft = true;
        let segUnknown = false;
        // In a union of allows, an allow that cannot be told matters only if no known allow admits the peer.
        let segUnknownAllow = false;
        let segBlockedBy: LayerRule | undefined;
        let segDenied = false;
        let segReason: string | undefined;
        const unsure = (r: LayerRule) => {
            if (layer.ordered || r.rule.action !== "allow" || unresolvedParts(r.rule).has("action")) segUnknown = true;
            else segUnknownAllow = true;
        };
        for (const r of rules) {
            if (r.rule.action !== "allow" && r.rule.action !== "deny") continue;
            const unresolved = isEvaluable(r.rule) ? NOTHING_UNRESOLVED : unresolvedParts(r.rule);
            if (!unresolved.has("protocol") && !protocolCovers(r.rule.protocol, protocol)) continue;
            if (!unresolved.has("ports") && !portsFor(r.rule, protocol).containsSet(seg)) continue;
            if ([...unresolved].some((p) => p !== "peers")) {
                // A rule whose protocol or ports are not known yet (or are numbered elsewhere: a named
                // port) may match this segment or not: it never proves a pass, nor makes a block.
                if (layer.ordered || r.rule.action === "allow") {
                    unsure(r);
                    segReason ??= r.implied ?? UNKNOWN_ENTRY;
                }
                if (layer.ordered) break;
                continue;
            }
            const ruleAddresses = r.peerView?.addresses ?? r.addresses;
            // A peer whose addresses are not known is still matched by a rule for every address of both families (GCP's implied egress).
            const everyAddress = peer.addresses === undefined && ruleAddresses.v4.isFull && ruleAddresses.v6.isFull;
            const byMember = membersLeft && (everyAddress || [...r.members].some((m) => peer.memberships.has(m)));
            const matched: Addresses = byMember ? remaining : intersect(remaining, ruleAddresses);
            const maybe = byMember ? undefined : maybeMatch(r, remaining, membersLeft, peer);
            // A reference the stack cannot resolve to one resource names one of `candidates`: a peer carrying none is not it.
            const notACandidate = r.candidates !== undefined && ![...r.candidates].some((m) => peer.memberships.has(m));
            const peerUnknown =
                maybe !== undefined ||
                (r.unknown && !notACandidate) ||
                r.rule.peers.unknown ||
                (peer.addresses === undefined && !byMember && !isEmpty(ruleAddresses));
            if (isEmpty(matched) && !byMember) {
                if (peerUnknown) {
                    unsure(r);
                    // Known ranges against an end whose addresses the stack does not hold (a pod): not an unknown entry.
                    // A stand-in the provider's assembler wrote (a firewall managed outside the stack) says what it stands for.
                    segReason ??=
                        maybe ??
                        (!r.unknown && !r.rule.peers.unknown
                            ? `whether the addresses of ${peer.label} are in the ranges of \`${r.resource.name}\` ${ruleLabel(r.rule)} is not known`
                            : (r.implied ?? UNKNOWN_ENTRY));
                    if (layer.ordered) break;
                }
                continue;
            }
            if (r.rule.action === "allow") admittedBy ??= r;
            else {
                segDenied = true;
                segBlockedBy ??= r;
            }
            remaining = minus(remaining, matched);
            if (byMember) membersLeft = false;
            // The rest of the peer may match this rule or not: what comes after cannot decide for it.
            if (maybe !== undefined) {
                segUnknown = true;
                segReason ??= maybe;
                if (layer.ordered) break;
            }
            if (layer.ordered && isEmpty(remaining) && !membersLeft) break;
            if (layer.ordered && isEmpty(remaining) && peer.addresses !== undefined) break;
        }
        // What no rule admitted meets the layer's end: a deny (every provider's filters deny what they do not allow).
        const notAdmitted = segDenied || (peer.addresses !== undefined ? !isEmpty(remaining) : membersLeft);
        if (segUnknownAllow && notAdmitted && !segDenied) segUnknown = true;
        if (notAdmitted && !segUnknown) {
            blocked = blocked.union(seg);
            blockRule ??= segBlockedBy;
        } else if (segUnknown) {
            unknown ??= segReason ?? UNKNOWN_ENTRY;
        }
    }
    if (!blocked.isEmpty) return { status: "block", ports: blocked, ...(blockRule ? { rule: blockRule } : {}) };
    if (unknown !== undefined) return { status: "unknown", reason: unknown };
    return { status: "pass", ...(admittedBy ? { admittedBy } : {}) };
}

/** Why a rule may or may not match what is left of the peer (LayerRule.peerView), if it may. */
function maybeMatch(r: LayerRule, remaining: Addresses, membersLeft: boolean, peer: Peer): string | undefined {
    const maybe = r.peerView?.maybe;
    if (!maybe) return undefined;
    if (maybe.addresses && !isEmpty(intersect(remaining, maybe.addresses))) return maybe.reason;
    if (membersLeft && maybe.members && [...maybe.members].some((m) => peer.memberships.has(m))) return maybe.reason;
    return undefined;
}

// ---------------------------------------------------------------------------------------------
// A documented flow, client to server and back

export interface FlowStep {
    layer: Layer;
    direction: Direction;
    /** Which side's layer: the client's on the way out, the server's on the way in. */
    side: "client" | "server";
    leg: "request" | "reply";
    check: LayerCheck;
    /** The ports the step is asked on where they are not the flow's: a way in's front, on the ports that forward to them (a node port). */
    ports?: PortSet;
}

export interface FlowResult {
    status: "pass" | "block" | "unknown";
    steps: FlowStep[];
    /** The first step that blocks. */
    blocked?: FlowStep;
    /** Why it cannot be verified (unknown layers, a network outside the stack). */
    unverifiable: string[];
    /** The reasons of `unverifiable` that no step shows (the placements', the networks'): what explain notes under the steps. */
    beyondSteps: string[];
}

export interface FlowEnd {
    peer: Peer;
    /** Undefined for a client outside the stack (a CIDR): only the server's side is checked. */
    placement?: Placement;
}

/**
 * A request from `client` to `server` on `ports`, and its replies back to every ephemeral port:
 * out through the client's layers (inner first), in through the server's (outer first); replies
 * cross only the stateless layers, the other way. Placements of one segment skip its segment layers.
 */
export function checkFlow(
    client: FlowEnd,
    server: FlowEnd & { placement: Placement },
    protocol: ConcreteProtocol,
    ports: PortSet,
    ephemeral: PortSet,
): FlowResult {
    const unverifiable: string[] = [...server.placement.unverifiable];
    const cp = client.placement;
    if (cp) {
        unverifiable.push(...cp.unverifiable);
        // A server reached over the internet from any network needs no network to join the two, only a
        // way out to the internet: a public address of the client's own (a NAT is not in the graph).
        const apart = server.placement.anyNetwork
            ? cp.internet
                ? undefined
                : "whether the client reaches the internet (it has no public address here; a NAT gateway is not read) is not known"
            : networksApart(cp, server.placement);
        if (apart) unverifiable.push(apart);
    }
    const same = cp !== undefined && cp.segment !== undefined && cp.segment === server.placement.segment;
    const crossed = (p: Placement) => p.layers.filter((l) => !(same && l.scope === "segment"));
    const clientLayers = cp ? crossed(cp) : [];
    const serverLayers = crossed(server.placement);
    // A client outside the stack comes in through the way in's front where every client does (a node port's node firewall).
    const front = !cp && server.placement.internet?.front?.clients ? server.placement.internet.front : undefined;
    const frontPorts = front ? frontPortsFor(front, protocol, ports) : undefined;
    const frontSteps = (front?.layers ?? []).map((layer) => ({
        layer,
        direction: "inbound" as const,
        side: "server" as const,
        leg: "request" as const,
        ports: frontPorts!,
    }));
    const frontReplies = (front?.layers ?? [])
        .filter((l) => !l.stateful)
        .reverse()
        .map((layer) => ({ layer, direction: "outbound" as const, side: "server" as const, leg: "reply" as const }));
    const plan: Omit<FlowStep, "check">[] = [
        ...[...clientLayers]
            .reverse()
            .map((layer) => ({ layer, direction: "outbound" as const, side: "client" as const, leg: "request" as const })),
        ...frontSteps,
        ...serverLayers.map((layer) => ({ layer, direction: "inbound" as const, side: "server" as const, leg: "request" as const })),
        ...[...serverLayers]
            .reverse()
            .filter((l) => !l.stateful)
            .map((layer) => ({ layer, direction: "outbound" as const, side: "server" as const, leg: "reply" as const })),
        ...frontReplies,
        ...clientLayers
            .filter((l) => !l.stateful)
            .map((layer) => ({ layer, direction: "inbound" as const, side: "client" as const, leg: "reply" as const })),
    ];
    const steps: FlowStep[] = [];
    const beyondSteps = [...unverifiable];
    let blocked: FlowStep | undefined;
    let unknown = unverifiable.length > 0;
    for (const s of plan) {
        // A layer sees the other end as its peer: the client's layers the server, the server's the client.
        const peer = s.side === "client" ? server.peer : client.peer;
        let check = checkLayer(s.layer, s.direction, protocol, s.leg === "request" ? (s.ports ?? ports) : ephemeral, peer);
        // Blocked on some of a front's alternative ports (an allocated node port) but not all: the port may be one that passes.
        if (s.ports && front?.oneOf && check.status === "block" && check.ports && !check.ports.containsSet(s.ports))
            check = { status: "unknown", reason: front.oneOf };
        const step = { ...s, check };
        steps.push(step);
        if (check.status === "block") {
            blocked ??= step;
        } else if (check.status === "unknown") {
            unknown = true;
            unverifiable.push(`${s.layer.kind} ${s.layer.resources.map((r) => r.name).join(", ")}: ${check.reason}`);
        }
    }
    // A definite block inside the stack is a block, whatever else is unknown.
    const status = blocked ? "block" : unknown ? "unknown" : "pass";
    return { status, steps, ...(blocked ? { blocked } : {}), unverifiable, beyondSteps };
}

/** Why the client's network may not reach the server's: not known, or different and not peered in the stack. */
function networksApart(cp: Placement, sp: Placement): string | undefined {
    const net = sp.network;
    if (cp.network === undefined || net === undefined)
        return cp.network === undefined && net === undefined
            ? "the networks of the client and the server are not known"
            : `the network of the ${cp.network === undefined ? "client" : "server"} is not known`;
    if (cp.network !== net && !(cp.peers ?? []).includes(net))
        return "the client and the server are in different networks; what joins them (a peering, a gateway, a VPN) is outside this stack";
    return undefined;
}

/** The peer a workload's placement is to the layers: its subnet's addresses and its memberships. */
export function peerOf(w: Workload, p: Placement): Peer {
    return {
        ...(p.addresses ? { addresses: p.addresses } : {}),
        memberships: w.memberships,
        key: `${w.urn}|${p.label}`,
        label: `${w.name} (${p.label})`,
    };
}
