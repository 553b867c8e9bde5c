// What a resource's rules let through, honouring rule order. One sweep over the elementary port
// segments of each protocol (bounded by the rules' own range ends, never by single ports) answers
// both questions the policies ask: which ports the whole internet reaches, and which ports each
// allow rule really opens after earlier denies.
import { WeakMemo } from "../base/memo";
import { AddrSet, v4Domain, v6Domain, worldReach } from "../model/addresses";
import { ALL_PORTS, IntervalSet, IntervalUnion, PortSet, portDomain } from "../model/intervals";
import { Direction, isEvaluable, NormalisedRule } from "../model/rules";
import { CONCRETE_PROTOCOLS, ConcreteProtocol, protocolCovers } from "../model/protocol";

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
    /** Per address family and protocol, every port the whole internet reaches (what paths across layers intersect). */
    worldPorts: Record<"v4" | "v6", ReadonlyMap<ConcreteProtocol, PortSet>>;
    /** Ports each allow rule really opens, per protocol, once earlier denies are taken into account. */
    opened: Map<NormalisedRule, Map<ConcreteProtocol, PortSet>>;
}

export function portsFor(rule: NormalisedRule, protocol: ConcreteProtocol): PortSet {
    return protocol === "icmp" ? ALL_PORTS : rule.ports;
}

/** Sorts a list of its own in place; unordered rules (security groups) keep their input order (the sort is stable), unsorted. */
function byOrder(rules: NormalisedRule[]): NormalisedRule[] {
    return rules.some((r) => r.order !== undefined) ? rules.sort((a, b) => (a.order ?? Infinity) - (b.order ?? Infinity)) : rules;
}

/**
 * First-match evaluation per port segment. A deny shadows later allows for the sources it covers;
 * for the world question a deny counts only once the denies before an allow cover a whole address
 * family, since a partial deny (one abusive /32, or 10.0.0.0/8) still leaves the internet reaching
 * the port.
 */
export function evaluate(rules: readonly NormalisedRule[], direction: Direction = "inbound"): Evaluation {
    // Several policies ask about the same rules of one request (the model is shared; see kit/run.ts's
    // modelOf): the answer is computed once. Rules and evaluations are read-only once built.
    const byDirection = evaluations.get(rules);
    return (byDirection[direction] ??= evaluateOnce(rules, direction));
}
const evaluations = new WeakMemo<readonly NormalisedRule[], Partial<Record<Direction, Evaluation>>>(() => ({}));

// Rule lists are mostly one to five rules, evaluated thousands of times a request: the containers
// below are made only when something goes into them, and filled in place rather than copied.
const NO_WORLD: WorldExposure[] = [];
const NO_OPENED: Map<NormalisedRule, Map<ConcreteProtocol, PortSet>> = new Map();
const NO_WORLD_PORTS: ReadonlyMap<ConcreteProtocol, PortSet> = new Map();

interface WorldSegments {
    protocol: ConcreteProtocol;
    rules: NormalisedRule[];
    single: boolean;
    segments: [number, number][];
}

interface Reach {
    v4: AddrSet;
    v6: AddrSet;
    ends4: number;
    ends6: number;
}

function evaluateOnce(rules: readonly NormalisedRule[], direction: Direction): Evaluation {
    const candidates = byOrder(rules.filter((r) => r.direction === direction && r.protocol !== "other" && isEvaluable(r)));
    // Per rule and protocol: its opened segments (the sweep), or all of its ports (nothing denies them).
    let openedSegments: Opened | undefined;
    let worldSegments: Map<string, WorldSegments> | undefined;
    let familySegments: { v4: Map<ConcreteProtocol, [number, number][]>; v6: Map<ConcreteProtocol, [number, number][]> } | undefined;
    const openedOf = (): Opened => (openedSegments ??= new Map() as Opened);

    for (const protocol of CONCRETE_PROTOCOLS) {
        const rs = candidates.filter((r) => protocolCovers(r.protocol, protocol));
        if (rs.length === 0) continue;
        // Per rule, once: what it reaches for the world question (exceptions inside a block count like
        // the partial denies below) and whether that touches either end of each family.
        const reach = rs.map((r): Reach => {
            const { v4, v6 } = worldReach(r.peers);
            return { v4, v6, ends4: ends(v4), ends6: ends(v6) };
        });
        // Without a deny (every security group) nothing is shadowed: an allow with any source opens all
        // of its ports, entered in the order the sweep would first open them. The sweep then only
        // visits segments whose allowed sources reach both ends of a family: the only ones that can
        // be the whole internet.
        const anyDeny = rs.some((r) => r.action === "deny");
        if (!anyDeny) {
            const opening = rs.map((_, k) => k).filter((k) => hasSource(rs[k]) && !portsFor(rs[k], protocol).isEmpty);
            const first = (k: number) => portsFor(rs[k], protocol).intervals[0][0];
            if (opening.length > 1) opening.sort((a, b) => first(a) - first(b) || a - b);
            for (const k of opening) openedWhole(openedOf(), rs[k], protocol);
            // No rule reaches one of the ends of each family: no segment can be the whole internet.
            if (!(reaches(reach, "v4", LOW) && reaches(reach, "v4", HIGH)) && !(reaches(reach, "v6", LOW) && reaches(reach, "v6", HIGH)))
                continue;
        }
        const bounds = new Set<number>();
        for (const r of rs) {
            for (const [lo, hi] of portsFor(r, protocol).intervals) {
                bounds.add(lo);
                bounds.add(hi + 1);
            }
        }
        const cuts = sortedNumbers(bounds);
        // Each rule enters the sweep at the segment its port range starts and leaves after the one it
        // ends, so a segment looks only at the rules covering it (10,000 rules on distinct ports cost
        // 10,000 small segments, not 10,000 x 20,000 membership tests).
        const enter: (number[] | undefined)[] = new Array<number[] | undefined>(cuts.length);
        const leave: (number[] | undefined)[] = new Array<number[] | undefined>(cuts.length);
        for (let k = 0; k < rs.length; k++) {
            for (const [lo, hi] of portsFor(rs[k], protocol).intervals) {
                (enter[sortedIndex(cuts, lo)] ??= []).push(k);
                (leave[sortedIndex(cuts, hi + 1)] ??= []).push(k);
            }
        }
        /** Each rule's opened segments for this protocol, shared with openedSegments once it has one. */
        const segsOf: ([number, number][] | undefined)[] = new Array<[number, number][] | undefined>(rs.length);
        const touching = { low4: 0, high4: 0, low6: 0, high6: 0 };
        /** Positions in `rs` (evaluation order) of the rules covering the current segment, ascending. */
        const active: number[] = [];
        for (let i = 0; i + 1 < cuts.length; i++) {
            const leaving = leave[i];
            if (leaving) {
                for (const k of leaving) {
                    active.splice(sortedIndex(active, k), 1);
                    count(touching, reach[k], -1);
                }
            }
            const entering = enter[i];
            if (entering) {
                for (const k of entering) {
                    active.splice(sortedIndex(active, k), 0, k);
                    count(touching, reach[k], 1);
                }
            }
            if (active.length === 0) continue;
            if (!anyDeny && !(touching.low4 > 0 && touching.high4 > 0) && !(touching.low6 > 0 && touching.high6 > 0)) continue;
            const lo = cuts[i];
            const hi = cuts[i + 1] - 1;
            // Without a deny nothing is ever added to these: one pair serves every segment.
            const deny4 = anyDeny ? new IntervalUnion(v4Domain) : NEVER_DENIED.v4;
            const deny6 = anyDeny ? new IntervalUnion(v6Domain) : NEVER_DENIED.v6;
            // Allowed addresses are only asked "whole family?": decided from the ends each rule touches,
            // and built as a set only when both ends are reached.
            const via4: number[] = [];
            const via6: number[] = [];
            let ends4 = 0;
            let ends6 = 0;
            for (const k of active) {
                const r = rs[k];
                const { v4, v6 } = r.peers;
                if (r.action === "deny") {
                    deny4.addSet(v4);
                    deny6.addSet(v6);
                    // Everything denied: no later rule of this segment opens anything or reaches the world.
                    if (deny4.isFull && deny6.isFull) break;
                    continue;
                }
                const everythingDenied = deny4.isFull && deny6.isFull;
                const shadowed =
                    everythingDenied ||
                    (r.peers.symbols.length === 0 && !r.peers.unknown && deny4.containsSet(v4) && deny6.containsSet(v6));
                if (!shadowed && anyDeny) {
                    let segs = segsOf[k];
                    if (!segs) segs = segsOf[k] = openedFor(openedOf(), r, protocol);
                    // Segments arrive in ascending order: extend the last one when they touch.
                    const last = segs[segs.length - 1];
                    if (last && last[1] + 1 === lo) last[1] = hi;
                    else segs.push([lo, hi]);
                }
                const x = reach[k];
                if (!deny4.isFull && !x.v4.isEmpty) {
                    via4.push(k);
                    ends4 |= x.ends4;
                }
                if (!deny6.isFull && !x.v6.isEmpty) {
                    via6.push(k);
                    ends6 |= x.ends6;
                }
            }
            if (ends4 === BOTH && wholeFamily(via4, reach, "v4")) {
                familySegments ??= { v4: new Map(), v6: new Map() };
                worldSegments ??= new Map();
                addWorldSegment(worldSegments, familySegments.v4, protocol, rs, reach, via4, "v4", lo, hi);
            }
            if (ends6 === BOTH && wholeFamily(via6, reach, "v6")) {
                familySegments ??= { v4: new Map(), v6: new Map() };
                worldSegments ??= new Map();
                addWorldSegment(worldSegments, familySegments.v6, protocol, rs, reach, via6, "v6", lo, hi);
            }
        }
    }
    let world = NO_WORLD;
    if (worldSegments) {
        world = [];
        for (const { protocol, rules: rs, single, segments } of worldSegments.values()) {
            world.push({ protocol, rules: rs, single, ports: IntervalSet.of(portDomain, segments) });
        }
    }
    // The sweep's segment lists become port sets in place: the maps are the evaluation's own.
    if (openedSegments) {
        for (const byProtocol of openedSegments.values()) {
            for (const [p, segs] of byProtocol) if (Array.isArray(segs)) byProtocol.set(p, IntervalSet.of(portDomain, segs));
        }
    }
    const opened = (openedSegments as Map<NormalisedRule, Map<ConcreteProtocol, PortSet>> | undefined) ?? NO_OPENED;
    const worldPorts = { v4: portSetsOf(familySegments?.v4), v6: portSetsOf(familySegments?.v6) };
    return { world: mergeFamilies(world), worldPorts, opened };
}

/** Whether some rule reaches `end` of the family. */
function reaches(reach: readonly Reach[], family: "v4" | "v6", end: number): boolean {
    for (const x of reach) if (!x[family].isEmpty && (x[family === "v4" ? "ends4" : "ends6"] & end) !== 0) return true;
    return false;
}

/** Counts, per end of each family, the active rules that touch it. */
function count(touching: { low4: number; high4: number; low6: number; high6: number }, x: Reach, d: number): void {
    if (!x.v4.isEmpty) {
        if (x.ends4 & LOW) touching.low4 += d;
        if (x.ends4 & HIGH) touching.high4 += d;
    }
    if (!x.v6.isEmpty) {
        if (x.ends6 & LOW) touching.low6 += d;
        if (x.ends6 & HIGH) touching.high6 += d;
    }
}

/** The sources of the rules `via` add up to the whole family. */
function wholeFamily(via: readonly number[], reach: readonly Reach[], family: "v4" | "v6"): boolean {
    if (via.some((k) => reach[k][family].isFull)) return true;
    return IntervalSet.of(
        family === "v4" ? v4Domain : v6Domain,
        via.flatMap((k) => reach[k][family].intervals),
    ).isFull;
}

/** Records a segment the whole family reaches, under the rules that let it in (one alone, else all of them). */
function addWorldSegment(
    worldSegments: Map<string, WorldSegments>,
    own: Map<ConcreteProtocol, [number, number][]>,
    protocol: ConcreteProtocol,
    rs: readonly NormalisedRule[],
    reach: readonly Reach[],
    via: readonly number[],
    family: "v4" | "v6",
    lo: number,
    hi: number,
): void {
    const list = own.get(protocol);
    if (list) list.push([lo, hi]);
    else own.set(protocol, [[lo, hi]]);
    const alone = via.filter((k) => reach[k][family].isFull).map((k) => rs[k]);
    const contributors = alone.length > 0 ? alone : via.map((k) => rs[k]);
    const key = `${protocol}|${alone.length > 0}|${contributors.map((r) => r.origin).join(",")}`;
    const entry = worldSegments.get(key);
    if (entry) entry.segments.push([lo, hi]);
    else worldSegments.set(key, { protocol, rules: contributors, single: alone.length > 0, segments: [[lo, hi]] });
}

function portSetsOf(segments: Map<ConcreteProtocol, [number, number][]> | undefined): ReadonlyMap<ConcreteProtocol, PortSet> {
    if (!segments || segments.size === 0) return NO_WORLD_PORTS;
    const out = new Map<ConcreteProtocol, PortSet>();
    for (const [p, segs] of segments) out.set(p, IntervalSet.of(portDomain, segs));
    return out;
}

const LOW = 1;
const HIGH = 2;
const BOTH = LOW | HIGH;

/** Which ends of its family a set touches: LOW (the first address), HIGH (the last), both. */
function ends(set: AddrSet): number {
    const first = set.intervals[0];
    const last = set.intervals[set.intervals.length - 1];
    return (first && first[0] === set.domain.min ? LOW : 0) | (last && last[1] === set.domain.max ? HIGH : 0);
}

/** Whether the rule names any source at all (a rule without one admits nothing). */
function hasSource(r: NormalisedRule): boolean {
    return r.peers.symbols.length > 0 || r.peers.unknown || !r.peers.v4.isEmpty || !r.peers.v6.isEmpty;
}

/** The numbers ascending. Lists here are a few cuts long: an insertion sort allocates nothing but the list. */
function sortedNumbers(xs: ReadonlySet<number>): number[] {
    const out: number[] = [];
    for (const x of xs) {
        let i = out.length;
        out.push(x);
        while (i > 0 && out[i - 1] > x) {
            out[i] = out[i - 1];
            i--;
        }
        out[i] = x;
    }
    return out;
}

/** Where `k` is, or would go, in the ascending array `xs`. */
function sortedIndex(xs: number[], k: number): number {
    let lo = 0;
    let hi = xs.length;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (xs[mid] < k) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

type Opened = Map<NormalisedRule, Map<ConcreteProtocol, [number, number][] | PortSet>>;

function byProtocolOf(map: Opened, r: NormalisedRule): Map<ConcreteProtocol, [number, number][] | PortSet> {
    let byProtocol = map.get(r);
    if (!byProtocol) map.set(r, (byProtocol = new Map<ConcreteProtocol, [number, number][] | PortSet>()));
    return byProtocol;
}

/** The rule's list of opened segments for a protocol, created (in first-opened order) on first use. */
function openedFor(map: Opened, r: NormalisedRule, p: ConcreteProtocol): [number, number][] {
    const byProtocol = byProtocolOf(map, r);
    let segs = byProtocol.get(p);
    if (!Array.isArray(segs)) byProtocol.set(p, (segs = []));
    return segs;
}

/** The rule opens every one of its ports for a protocol (no deny comes before it). */
function openedWhole(map: Opened, r: NormalisedRule, p: ConcreteProtocol): void {
    byProtocolOf(map, r).set(p, portsFor(r, p));
}

/** What denies nothing looks like to the sweep, for protocols without a deny. */
const NEVER_DENIED = { v4: new IntervalUnion(v4Domain), v6: new IntervalUnion(v6Domain) };

/** A port open to the world over IPv4 and IPv6 through the same rules is one exposure, not two. */
function mergeFamilies(list: WorldExposure[]): WorldExposure[] {
    if (list.length === 0) return list;
    if (list.length === 1) return list[0].ports.isEmpty ? NO_WORLD : list;
    const out: WorldExposure[] = [];
    // Candidates by protocol, kind and rule origins; the rules themselves are then compared.
    const byKey = new Map<string, WorldExposure[]>();
    for (const e of list) {
        const key = `${e.protocol}|${e.single}|${e.rules.map((r) => r.origin).join(",")}`;
        const candidates = byKey.get(key) ?? [];
        const same = candidates.find((o) => o.rules.length === e.rules.length && o.rules.every((r, i) => r === e.rules[i]));
        if (same) same.ports = same.ports.union(e.ports);
        else {
            const copy = { ...e };
            out.push(copy);
            byKey.set(key, [...candidates, copy]);
        }
    }
    // A port reached both by one world rule and by a union elsewhere is reported once, by the former.
    const singleParts = new Map<ConcreteProtocol, (readonly [number, number])[]>();
    for (const s of out) {
        if (!s.single) continue;
        const parts = singleParts.get(s.protocol) ?? [];
        for (const x of s.ports.intervals) parts.push(x);
        singleParts.set(s.protocol, parts);
    }
    const singlePorts = new Map([...singleParts].map(([p, parts]) => [p, IntervalSet.of(portDomain, parts)] as const));
    for (const e of out) {
        const covered = singlePorts.get(e.protocol);
        if (!e.single && covered) e.ports = e.ports.subtract(covered);
    }
    return out.filter((e) => !e.ports.isEmpty);
}
