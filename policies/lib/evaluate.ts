// What a resource's rules let through, honouring rule order. One sweep over the elementary port
// segments of each protocol (bounded by the rules' own range ends, never by single ports) answers
// both questions the policies ask: which ports the whole internet reaches, and which ports each
// allow rule really opens after earlier denies.
import { AddrSet, v4Domain, v6Domain } from "./addresses";
import { ALL_PORTS, IntervalSet, PortSet, portDomain } from "./intervals";
import { Direction, isEvaluable, NormalisedRule } from "./model";
import { CONCRETE_PROTOCOLS, ConcreteProtocol, protocolCovers } from "./protocol";

export interface WorldExposure {
    protocol: ConcreteProtocol;
    ports: PortSet;
    /** The allow rules that admit the whole internet: one rule alone, or several whose sources add up to it. */
    rules: NormalisedRule[];
    /** True when one of `rules` admits the world by itself. */
    single: boolean;
}

export interface Evaluation {
    world: WorldExposure[];
    /** Ports each allow rule really opens, per protocol, once earlier denies are taken into account. */
    opened: Map<NormalisedRule, Map<ConcreteProtocol, PortSet>>;
}

export function portsFor(rule: NormalisedRule, protocol: ConcreteProtocol): PortSet {
    return protocol === "icmp" ? ALL_PORTS : rule.ports;
}

function byOrder(rules: NormalisedRule[]): NormalisedRule[] {
    // Array.prototype.sort is stable: unordered rules (security groups) keep their input order.
    return [...rules].sort((a, b) => (a.order ?? Infinity) - (b.order ?? Infinity));
}

const EMPTY4: AddrSet = IntervalSet.empty(v4Domain);
const EMPTY6: AddrSet = IntervalSet.empty(v6Domain);

/**
 * First-match evaluation per port segment. A deny shadows later allows for the sources it covers;
 * for the world question a deny counts only once the denies before an allow cover a whole address
 * family, since a partial deny (one abusive /32, or 10.0.0.0/8) still leaves the internet reaching
 * the port.
 */
export function evaluate(rules: NormalisedRule[], direction: Direction = "inbound"): Evaluation {
    const candidates = byOrder(rules.filter((r) => r.direction === direction && r.protocol !== "other" && isEvaluable(r)));
    const world: WorldExposure[] = [];
    const opened = new Map<NormalisedRule, Map<ConcreteProtocol, PortSet>>();
    const openedSegments = new Map<NormalisedRule, Map<ConcreteProtocol, [number, number][]>>();
    const worldSegments = new Map<string, { protocol: ConcreteProtocol; rules: NormalisedRule[]; single: boolean; segments: [number, number][] }>();

    for (const protocol of CONCRETE_PROTOCOLS) {
        const rs = candidates.filter((r) => protocolCovers(r.protocol, protocol));
        if (rs.length === 0) continue;
        const bounds = new Set<number>();
        for (const r of rs) {
            for (const [lo, hi] of portsFor(r, protocol).intervals) {
                bounds.add(lo);
                bounds.add(hi + 1);
            }
        }
        const cuts = [...bounds].sort((a, b) => a - b);
        for (let i = 0; i + 1 < cuts.length; i++) {
            const lo = cuts[i];
            const hi = cuts[i + 1] - 1;
            let deny4 = EMPTY4;
            let deny6 = EMPTY6;
            let allow4 = EMPTY4;
            let allow6 = EMPTY6;
            const via4: NormalisedRule[] = [];
            const via6: NormalisedRule[] = [];
            for (const r of rs) {
                if (!portsFor(r, protocol).has(lo)) continue;
                const { v4, v6 } = r.peers;
                if (r.action === "deny") {
                    deny4 = deny4.union(v4);
                    deny6 = deny6.union(v6);
                    continue;
                }
                const everythingDenied = deny4.isFull && deny6.isFull;
                const shadowed = everythingDenied ||
                    (r.peers.symbols.length === 0 && !r.peers.unknown && deny4.containsSet(v4) && deny6.containsSet(v6));
                if (!shadowed) pushSegment(openedSegments, r, protocol, lo, hi);
                if (!deny4.isFull && !v4.isEmpty) {
                    allow4 = allow4.union(v4);
                    via4.push(r);
                }
                if (!deny6.isFull && !v6.isEmpty) {
                    allow6 = allow6.union(v6);
                    via6.push(r);
                }
            }
            for (const [full, via, family] of [[allow4.isFull, via4, "v4"], [allow6.isFull, via6, "v6"]] as const) {
                if (!full) continue;
                const alone = via.filter((r) => r.peers[family].isFull);
                const contributors = alone.length > 0 ? alone : via;
                const key = `${protocol}|${alone.length > 0}|${contributors.map((r) => r.origin).join(",")}`;
                const entry = worldSegments.get(key) ?? { protocol, rules: contributors, single: alone.length > 0, segments: [] };
                entry.segments.push([lo, hi]);
                worldSegments.set(key, entry);
            }
        }
    }
    for (const { protocol, rules: rs, single, segments } of worldSegments.values()) {
        world.push({ protocol, rules: rs, single, ports: IntervalSet.of(portDomain, segments) });
    }
    for (const [rule, byProtocol] of openedSegments) {
        const m = new Map<ConcreteProtocol, PortSet>();
        for (const [p, segs] of byProtocol) m.set(p, IntervalSet.of(portDomain, segs));
        opened.set(rule, m);
    }
    return { world: mergeFamilies(world), opened };
}

function pushSegment(map: Map<NormalisedRule, Map<ConcreteProtocol, [number, number][]>>, r: NormalisedRule, p: ConcreteProtocol, lo: number, hi: number): void {
    let byProtocol = map.get(r);
    if (!byProtocol) map.set(r, (byProtocol = new Map()));
    let segs = byProtocol.get(p);
    if (!segs) byProtocol.set(p, (segs = []));
    segs.push([lo, hi]);
}

/** A port open to the world over IPv4 and IPv6 through the same rules is one exposure, not two. */
function mergeFamilies(list: WorldExposure[]): WorldExposure[] {
    const out: WorldExposure[] = [];
    for (const e of list) {
        const same = out.find((o) => o.protocol === e.protocol && o.single === e.single &&
            o.rules.length === e.rules.length && o.rules.every((r, i) => r === e.rules[i]));
        if (same) same.ports = same.ports.union(e.ports);
        else out.push({ ...e });
    }
    // A port reached both by one world rule and by a union elsewhere is reported once, by the former.
    for (const e of out) {
        if (e.single) continue;
        for (const s of out) if (s.single && s.protocol === e.protocol) e.ports = e.ports.subtract(s.ports);
    }
    return out.filter((e) => !e.ports.isEmpty);
}
