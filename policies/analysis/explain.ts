// One question about the network graph, answered hop by hop: does a packet from a workload, an
// address range or the internet reach a workload on a port, and its replies get back? The same
// judgement the two graph policies make (checkFlow for clients, the internet's reach for exposure),
// kept step by step so that `internal-ports explain` can show every hop and where the packet dies.
import { Addresses, frontPortsFor, Hop, Layer, Placement, Workload } from "../model/graph";
import { formatPorts, NO_PORTS, PortSet, portRange } from "../model/intervals";
import { ConcreteProtocol, protocolCovers } from "../model/protocol";
import { isEvaluable } from "../model/rules";
import { portsFor } from "./evaluate";
import { checkFlow, Direction, FlowEnd, internetReach, LayerCheck, layerWorld, Peer, peerOf, unprovenReason } from "./paths";

export type Source = { kind: "workload"; workload: Workload } | { kind: "cidr"; text: string; addresses: Addresses } | { kind: "internet" };

export interface ExplainQuery {
    from: Source;
    to: Workload;
    protocol: ConcreteProtocol;
    ports: PortSet;
    /** The clients' ephemeral ports (the registry's `ephemeralPorts`). */
    ephemeral: PortSet;
    /**
     * Workloads that may front `to` (their `fronts` name it): for the internet, a load balancer that
     * proxies to `to` on the port reaches it where no packet of the internet's does.
     */
    fronts?: readonly Workload[];
}

export type Status = "pass" | "block" | "unknown";

export interface ExplainStep {
    leg: "request" | "reply";
    direction: Direction;
    /** The client's layers on the way out, the server's on the way in; the internet's hops are "internet". */
    side: "client" | "server" | "internet";
    /** A filter (network ACL, security groups, NSG) ... */
    layer?: Layer;
    /** ... or a hop of the way in from the internet (gateway, route table, public address). */
    hop?: Hop;
    /** "not-reached": a step after the one that blocked the packet. */
    status: Status | "not-reached";
    check?: LayerCheck;
    /** For the internet: the ports asked of this layer (what got through the layers before), for naming the rules that admit them. */
    asked?: PortSet;
    /** Why a hop of the way in stops the packet ("it carries only tcp 80"). */
    because?: string;
}

export interface ExplainRoute {
    client?: { workload?: Workload; placement?: Placement; label: string };
    server: { workload: Workload; placement: Placement };
    status: Status;
    steps: ExplainStep[];
    /** Why the route cannot be verified, or (for a block before any layer) why there is no way in. */
    notes: string[];
}

export interface Explanation {
    status: Status;
    routes: ExplainRoute[];
}

/** Marks what follows the first block as not reached: the packet never gets there. */
function afterBlock(steps: ExplainStep[]): ExplainStep[] {
    const i = steps.findIndex((s) => s.status === "block");
    return i < 0 ? steps : steps.map((s, j) => (j > i ? { ...s, status: "not-reached" as const } : s));
}

function fromClient(q: ExplainQuery, client: FlowEnd, label: string, w: Workload | undefined): ExplainRoute[] {
    return q.to.placements.map((sp) => {
        const server = { peer: peerOf(q.to, sp), placement: sp };
        const r = checkFlow(client, server, q.protocol, q.ports, q.ephemeral);
        const steps: ExplainStep[] = r.steps.map((s) => ({
            leg: s.leg,
            direction: s.direction,
            side: s.side,
            layer: s.layer,
            status: s.check.status,
            check: s.check,
        }));
        // The steps show their own reasons; a route with none says why it has none.
        const notes = [...r.beyondSteps];
        if (steps.length === 0) notes.push("no filter of this stack lies on this route");
        return {
            client: { ...(w ? { workload: w } : {}), ...(client.placement ? { placement: client.placement } : {}), label },
            server: { workload: q.to, placement: sp },
            status: r.status,
            steps: afterBlock(steps),
            notes,
        };
    });
}

/**
 * The whole internet to one placement, as no-internet-path-to-internal-ports judges it: the way in
 * must exist, each layer must admit every address of a family on the ports (a deny of a few
 * ranges leaves the internet in), and stateless layers must let replies out on some client port.
 */
function fromInternet(q: ExplainQuery, sp: Placement): ExplainRoute {
    const server = { workload: q.to, placement: sp };
    const path = sp.internet;
    if (!path) {
        return {
            client: { label: "internet" },
            server,
            status: "block",
            steps: [],
            notes: [
                sp.noInternet ?? `\`${sp.label}\` has no way in from the internet (no public address, or no route to an internet gateway)`,
            ],
        };
    }
    if (sp.layers.length === 0 && path.closedWithoutFilters) {
        return {
            client: { label: "internet" },
            server,
            status: "block",
            steps: [],
            notes: ["its public address admits only what a filter explicitly allows, and no filter applies"],
        };
    }
    // A front shown as steps of its own says what the hop's brief text leaves out (a load balancer's sources).
    const hops: ExplainStep[] = path.hops.map((h) => {
        const hop = path.front && h.brief !== undefined ? { ...h, text: h.brief } : h;
        return { leg: "request", direction: "inbound", side: "internet", hop, status: "pass" };
    });
    // A doubt that only a filter makes (a floating-IP packet's address) is no doubt where nothing filters.
    const filteredDoubt = sp.layers.length > 0 ? path.unverifiableIfFiltered : undefined;
    const notes = [...sp.unverifiable, ...(path.unverifiable ? [path.unverifiable] : []), ...(filteredDoubt ? [filteredDoubt] : [])];
    // A way in that forwards some ports (a load balancer's listeners) forwards no other, and no other protocol.
    const carried = path.ports ? (path.ports.get(q.protocol) ?? NO_PORTS) : undefined;
    if (carried && !carried.containsSet(q.ports)) {
        const because = carried.isEmpty ? `it carries no ${q.protocol}` : `it carries only ${q.protocol} ${formatPorts(carried, 4)}`;
        // Asked about a port the way in listens on (a Service's `port`), not the workload's own: say which one it forwards to.
        const forwarded = (path.front?.forwards?.get(q.protocol) ?? []).filter((f) => f.ports.overlaps(q.ports));
        if (forwarded.length > 0) {
            const targets = forwarded.reduce((acc: PortSet, f) => acc.union(f.targets), NO_PORTS);
            notes.push(
                `${q.protocol} ${formatPorts(q.ports.intersect(forwarded.reduce((acc: PortSet, f) => acc.union(f.ports), NO_PORTS)), 4)} is a port the way in listens on: it forwards to ${q.protocol} ${formatPorts(targets, 4)} of \`${q.to.name}\`, the port to ask about`,
            );
        }
        // The last hop is the one that forwards the ports (the listener, the Service, the forwarding rule).
        const steps: ExplainStep[] =
            hops.length > 0
                ? hops.map((h, i) => (i === hops.length - 1 ? { ...h, status: "block", because } : h))
                : [{ leg: "request", direction: "inbound", side: "internet", hop: { text: "the way in" }, status: "block", because }];
        return { client: { label: "internet" }, server, status: "block", steps: afterBlock(steps), notes };
    }
    // One family suffices for exposure: the one that gets furthest is the one explained.
    let best: { steps: ExplainStep[]; status: Status } | undefined;
    for (const family of path.families) {
        // A front that passes the client's address (a network load balancer) must let the world in on its own ports first.
        const front = path.front
            ? worldThrough(path.front.layers, family, q.protocol, frontPortsFor(path.front, q.protocol, q.ports), q.ephemeral, "some")
            : { requests: [], replies: [] };
        const own = worldThrough(sp.layers, family, q.protocol, q.ports, q.ephemeral, "all");
        // A front crossed among the hops (the nodes' firewall, between the node pool and the NodePort Service) is shown there.
        const at = path.front?.at ?? hops.length;
        const all = [...hops.slice(0, at), ...front.requests, ...hops.slice(at), ...own.requests, ...own.replies, ...front.replies];
        const status: Status = all.some((s) => s.status === "block")
            ? "block"
            : all.some((s) => s.status === "unknown") || path.unverifiable || filteredDoubt
              ? "unknown"
              : "pass";
        const rank = { pass: 0, unknown: 1, block: 2 };
        if (!best || rank[status] < rank[best.status]) best = { steps: afterBlock(all), status };
    }
    return { client: { label: "internet" }, server, status: best?.status ?? "block", steps: best?.steps ?? hops, notes };
}

/**
 * The whole internet of one family through `layers` on `ports`, each layer a step: a layer must admit
 * every port ("all": the ports asked about) or at least one ("some": a front's listeners); a stateless
 * layer must let replies out on some client port.
 */
function worldThrough(
    layers: readonly Layer[],
    family: "v4" | "v6",
    protocol: ConcreteProtocol,
    asked: PortSet,
    ephemeral: PortSet,
    need: "all" | "some",
): { requests: ExplainStep[]; replies: ExplainStep[] } {
    const requests: ExplainStep[] = [];
    const replies: ExplainStep[] = [];
    let ports = asked;
    for (const layer of layers) {
        const w = layerWorld(layer, "inbound");
        const admitted = (w.ports[family].get(protocol) ?? NO_PORTS).intersect(ports);
        const missing = need === "all" ? ports.subtract(admitted) : admitted.isEmpty ? ports : NO_PORTS;
        const admittedBy = (w.admitting.get(protocol) ?? []).find((a) => a.ports.overlaps(ports))?.rule;
        const unsure = !missing.isEmpty && !w.unproven ? unknownAllow(layer, protocol, missing) : undefined;
        const request = (check: LayerCheck, asked?: PortSet) =>
            requests.push({
                leg: "request",
                direction: "inbound",
                side: "server",
                layer,
                status: check.status,
                ...(asked ? { asked } : {}),
                check,
            });
        if (!missing.isEmpty && !w.unproven && unsure === undefined)
            request({ status: "block", ports: missing, ...firstDeny(layer, protocol, missing) });
        else if (unsure !== undefined) request({ status: "unknown", reason: unsure }, ports);
        else if (w.unproven) request({ status: "unknown", reason: unprovenReason(layer) }, ports);
        else request({ status: "pass", ...(admittedBy ? { admittedBy } : {}) }, ports);
        ports = admitted.isEmpty && w.unproven ? ports : admitted;
        if (!layer.stateful && protocol !== "icmp") {
            const back = layerWorld(layer, "outbound");
            const out = (back.ports[family].get(protocol) ?? NO_PORTS).intersect(ephemeral);
            const check: LayerCheck =
                out.isEmpty && !back.unproven
                    ? { status: "block", ports: ephemeral }
                    : back.unproven
                      ? { status: "unknown", reason: unprovenReason(layer) }
                      : { status: "pass" };
            // The ports the replies get out on, for naming the entries that let them (as the request's are named).
            replies.unshift({
                leg: "reply",
                direction: "outbound",
                side: "server",
                layer,
                status: check.status,
                ...(check.status === "pass" ? { asked: out } : {}),
                check,
            });
        }
    }
    return { requests, replies };
}

/**
 * In a union of allows, an allow the stack cannot read (sources unknown, a stand-in for a firewall it
 * does not hold) might admit the internet on these ports: not a block, and why.
 */
function unknownAllow(layer: Layer, protocol: ConcreteProtocol, ports: PortSet): string | undefined {
    if (layer.ordered) return undefined;
    const r = layer.inbound.find(
        (x) =>
            x.rule.action === "allow" &&
            (x.unknown || x.rule.peers.unknown || !isEvaluable(x.rule)) &&
            (!isEvaluable(x.rule) || (protocolCovers(x.rule.protocol, protocol) && portsFor(x.rule, protocol).overlaps(ports))),
    );
    return r === undefined ? undefined : (r.implied ?? unprovenReason(layer));
}

/** The deny of an ordered layer that stops some of the internet on these ports, for naming it. */
function firstDeny(layer: Layer, protocol: ConcreteProtocol, ports: PortSet): { rule?: Layer["inbound"][number] } {
    const rule = layer.inbound.find(
        (r) => r.rule.action === "deny" && protocolCovers(r.rule.protocol, protocol) && portsFor(r.rule, protocol).overlaps(ports),
    );
    return rule ? { rule } : {};
}

/** A workload that answers only on some ports: the packet arrives, nothing takes it. */
function listening(q: ExplainQuery, route: ExplainRoute): ExplainRoute {
    const listens = q.to.listens;
    if (!listens || route.status === "block") return route;
    const missing = q.ports.subtract(listens.get(q.protocol) ?? NO_PORTS);
    if (missing.isEmpty) return route;
    return {
        ...route,
        status: "block",
        notes: [...route.notes, `\`${q.to.name}\` does not listen on ${q.protocol} ${formatPorts(missing, 4)}`],
    };
}

/**
 * Every route from the source to the workload: each pair of placements (a workload may run in several
 * subnets). A client must get through on every route; the internet reaches a workload through any one.
 */
export function explain(q: ExplainQuery): Explanation {
    let routes: ExplainRoute[];
    if (q.from.kind === "internet") {
        routes = q.to.placements.map((sp) => fromInternet(q, sp));
    } else if (q.from.kind === "cidr") {
        const peer: Peer = { addresses: q.from.addresses, memberships: new Set(), key: `cidr|${q.from.text}`, label: q.from.text };
        routes = fromClient(q, { peer }, q.from.text, undefined);
    } else {
        const w = q.from.workload;
        routes = w.placements.flatMap((cp) => fromClient(q, { peer: peerOf(w, cp), placement: cp }, `${w.name} (${cp.label})`, w));
    }
    routes = routes.map((r) => listening(q, r));
    if (q.to.unverifiable)
        routes = routes.map((r) => ({ ...r, status: r.status === "block" ? "block" : "unknown", notes: [q.to.unverifiable!, ...r.notes] }));
    if (q.from.kind === "workload" && q.from.workload.unverifiable) {
        const why = q.from.workload.unverifiable;
        routes = routes.map((r) => ({ ...r, status: r.status === "block" ? "block" : "unknown", notes: [why, ...r.notes] }));
    }
    // A reason can reach a route twice (a placement outside the stack is also a way in that cannot be told),
    // or once alone and once with what follows from it ("X" and "X: its routes are not in the plan").
    routes = routes.map((r) => {
        const notes = [...new Set(r.notes)];
        return { ...r, notes: notes.filter((n) => !notes.some((o) => o.startsWith(`${n}: `))) };
    });
    const status = overall(q.from.kind === "internet", routes);
    const proxied = q.from.kind === "internet" && status !== "pass" ? proxiedBy(q) : [];
    if (proxied.length > 0) routes = routes.map((r) => ({ ...r, notes: [...r.notes, ...proxied] }));
    return { status, routes };
}

/**
 * The load balancers in front of `to` that the internet reaches and that connect to it on the port
 * asked about from their own addresses (a proxy: an ALB, a DigitalOcean load balancer), as notes.
 * One that passes the client's address through is already a way in of `to` itself.
 */
function proxiedBy(q: ExplainQuery): string[] {
    const notes: string[] = [];
    for (const f of q.fronts ?? []) {
        if (f.urn === q.to.urn) continue;
        const forwards = (f.fronts ?? []).filter(
            (e) =>
                !e.passesClientAddress &&
                e.targets.includes(q.to.urn) &&
                (e.protocol === undefined || e.protocol === q.protocol) &&
                (e.port === undefined || q.ports.containsRange(e.port, e.port)),
        );
        if (forwards.length === 0) continue;
        const reached = new Map<ConcreteProtocol, PortSet>();
        let unproven = false;
        for (const p of f.placements) {
            for (const e of internetReach(p, q.ephemeral)) {
                const listened = f.listens ? e.ports.intersect(f.listens.get(e.protocol) ?? NO_PORTS) : e.ports;
                if (listened.isEmpty) continue;
                reached.set(e.protocol, (reached.get(e.protocol) ?? NO_PORTS).union(listened));
                unproven ||= e.unproven;
            }
        }
        if (reached.size === 0) continue;
        const entry = [...reached].map(([p, ports]) => `${p} ${formatPorts(ports, 4)}`).join(", ");
        const targets = forwards.reduce((acc: PortSet, e) => (e.port === undefined ? acc : acc.union(portRange(e.port, e.port))), NO_PORTS);
        const on = targets.isEmpty ? "" : ` on ${q.protocol} ${formatPorts(targets, 4)}`;
        notes.push(
            `the internet ${unproven ? "may reach" : "reaches"} load balancer \`${f.name}\` (on ${entry}), which connects to \`${q.to.name}\`${on} from its own addresses (explain --to ${f.name} for its path)`,
        );
    }
    return notes;
}

function overall(anyRoute: boolean, routes: ExplainRoute[]): Status {
    if (routes.length === 0) return "unknown";
    const has = (s: Status) => routes.some((r) => r.status === s);
    if (anyRoute) return has("pass") ? "pass" : has("unknown") ? "unknown" : "block";
    return has("block") ? "block" : has("unknown") ? "unknown" : "pass";
}
