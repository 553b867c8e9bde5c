// Deny shadowing: evaluate() (policies/lib/evaluate.ts) against a reference evaluator of ordered,
// first-match rules written from the README ("How the rules are read"), port by port:
//
//  (a) opened: an allow rule opens port p (for a protocol) unless the denies before it, in order,
//      that apply to p cover all of its sources, or cover everything (both families). Named sources
//      and unknown values can only be covered by "everything".
//  (b) world: "a deny closes a port only once the denies before the allow cover a whole address
//      family". Read per family: walking the rules for p in order, the allow sources of family F
//      count until the denies so far cover all of F; p is world-open when the counted sources cover
//      all of F, for F = IPv4 or IPv6.
//
// The reference works on plain address ranges computed here and the critical-point checks of
// common.ts; it shares no code with evaluate() beyond the rule objects it is given.
import { strict as assert } from "assert";
import * as fc from "fast-check";
import { parseCidr } from "../../policies/model/addresses";
import { evaluate } from "../../policies/analysis/evaluate";
import { ALL_PORTS, IntervalSet, portDomain } from "../../policies/model/intervals";
import { Direction, NormalisedRule } from "../../policies/model/rules";
import { CONCRETE_PROTOCOLS, ConcreteProtocol } from "../../policies/model/protocol";
import { RuleBuilder } from "../../policies/adapters/support/rule-builder";
import { check, coversAll, rangesInside } from "./common";

type Fam = "v4" | "v6";
const MAX: Record<Fam, bigint> = { v4: (1n << 32n) - 1n, v6: (1n << 128n) - 1n };

interface RefBlock {
    text: string;
    fam: Fam;
    lo: bigint;
    hi: bigint;
}
const b4 = (text: string, lo: bigint, size: bigint): RefBlock => ({ text, fam: "v4", lo, hi: lo + size - 1n });
const b6 = (text: string, lo: bigint, size: bigint): RefBlock => ({ text, fam: "v6", lo, hi: lo + size - 1n });
const BLOCKS: RefBlock[] = [
    b4("0.0.0.0/0", 0n, 1n << 32n),
    b4("0.0.0.0/1", 0n, 1n << 31n),
    b4("128.0.0.0/1", 1n << 31n, 1n << 31n),
    b4("0.0.0.0/2", 0n, 1n << 30n),
    b4("64.0.0.0/2", 1n << 30n, 1n << 30n),
    b4("10.0.0.0/8", 10n << 24n, 1n << 24n),
    b4("203.0.113.5/32", (203n << 24n) + (113n << 8n) + 5n, 1n),
    b6("::/0", 0n, 1n << 128n),
    b6("::/1", 0n, 1n << 127n),
    b6("8000::/1", 1n << 127n, 1n << 127n),
    b6("2001:db8::/32", 0x20010db8n << 96n, 1n << 96n),
];

interface GenRule {
    direction: Direction;
    action: "allow" | "deny";
    order?: number;
    protocol: "tcp" | "udp" | "icmp" | "all" | "other";
    ranges: [number, number][];
    blocks: number[];
    symbol: boolean;
    unknownPeers: boolean;
    /** A non-peer value unknown: the rule cannot be evaluated and must be ignored. */
    unknownPorts: boolean;
}

const portEnd = fc.integer({ min: 0, max: 20 });
const range: fc.Arbitrary<[number, number]> = fc.oneof(
    { weight: 8, arbitrary: fc.tuple(portEnd, portEnd).map(([a, b]): [number, number] => [Math.min(a, b), Math.max(a, b)]) },
    { weight: 1, arbitrary: fc.constant<[number, number]>([0, 65535]) },
    { weight: 1, arbitrary: fc.constant<[number, number]>([10, 65535]) },
);
const genRule = (ordered: fc.Arbitrary<number | undefined>): fc.Arbitrary<GenRule> =>
    fc.record({
        direction: fc.constantFrom<Direction>("inbound", "inbound", "inbound", "outbound"),
        action: fc.constantFrom<"allow" | "deny">("allow", "deny"),
        order: ordered,
        protocol: fc.constantFrom<GenRule["protocol"]>("tcp", "tcp", "udp", "icmp", "all", "all", "other"),
        ranges: fc.array(range, { minLength: 1, maxLength: 2 }),
        blocks: fc.array(fc.integer({ min: 0, max: BLOCKS.length - 1 }), { maxLength: 3 }),
        symbol: fc.integer({ min: 0, max: 4 }).map((x) => x === 0),
        unknownPeers: fc.integer({ min: 0, max: 9 }).map((x) => x === 0),
        unknownPorts: fc.integer({ min: 0, max: 14 }).map((x) => x === 0),
    });
/** Mostly ordered lists (ACLs, NSGs), sometimes unordered (security groups), rarely mixed. */
const ruleList: fc.Arbitrary<GenRule[]> = fc.oneof(
    { weight: 5, arbitrary: fc.array(genRule(fc.integer({ min: 1, max: 12 })), { maxLength: 7 }) },
    { weight: 2, arbitrary: fc.array(genRule(fc.constant(undefined)), { maxLength: 7 }) },
    { weight: 1, arbitrary: fc.array(genRule(fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined })), { maxLength: 7 }) },
);

function build(g: GenRule, i: number): NormalisedRule {
    const b = new RuleBuilder(`rules[${i}]`);
    b.direction = g.direction;
    b.action = g.action;
    b.order = g.order;
    b.protocol = g.protocol;
    if (g.protocol === "other") b.protocolNumber = 47;
    b.ports = g.protocol === "icmp" || g.protocol === "other" ? ALL_PORTS : IntervalSet.of(portDomain, g.ranges);
    for (const k of g.blocks) b.peers.addCidr(parseCidr(BLOCKS[k].text)!);
    if (g.symbol) b.peers.addSymbol({ kind: "security-group", id: "sg-0abc" });
    if (g.unknownPeers) {
        b.peers.markUnknown();
        b.unresolved.push({ part: "peers", path: `rules[${i}].cidrBlocks[9]`, reason: "unknown" });
    }
    if (g.unknownPorts) b.unresolved.push({ part: "ports", path: `rules[${i}].fromPort`, reason: "unknown" });
    return b.build();
}

// ---- the reference -----------------------------------------------------------------------------

const famRanges = (rs: GenRule[], fam: Fam): [bigint, bigint][] =>
    rs.flatMap((r) =>
        r.blocks
            .map((k) => BLOCKS[k])
            .filter((b) => b.fam === fam)
            .map((b): [bigint, bigint] => [b.lo, b.hi]),
    );
const full = (rs: GenRule[], fam: Fam) => coversAll(famRanges(rs, fam), 0n, MAX[fam]);

/** Rules for (direction, protocol, port) in evaluation order: by order number, unordered last, ties in input order. */
function applicable(gs: GenRule[], direction: Direction, c: ConcreteProtocol, p: number): GenRule[] {
    return gs
        .map((g, i) => ({ g, i }))
        .filter(
            ({ g }) =>
                g.direction === direction &&
                !g.unknownPorts &&
                g.protocol !== "other" &&
                (g.protocol === "all" || g.protocol === c) &&
                (c === "icmp" || g.ranges.some(([lo, hi]) => lo <= p && p <= hi)),
        )
        .sort((x, y) => {
            const ox = x.g.order ?? Number.MAX_SAFE_INTEGER;
            const oy = y.g.order ?? Number.MAX_SAFE_INTEGER;
            return ox !== oy ? ox - oy : x.i - y.i;
        })
        .map(({ g }) => g);
}

/** (a): the allow rules that open p. */
function refOpened(rs: GenRule[]): Set<GenRule> {
    const out = new Set<GenRule>();
    const denies: GenRule[] = [];
    for (const r of rs) {
        if (r.action === "deny") {
            denies.push(r);
            continue;
        }
        const everything = full(denies, "v4") && full(denies, "v6");
        const covered =
            !r.symbol &&
            !r.unknownPeers &&
            rangesInside(famRanges([r], "v4"), famRanges(denies, "v4"), 0n) &&
            rangesInside(famRanges([r], "v6"), famRanges(denies, "v6"), 0n);
        if (!everything && !covered) out.add(r);
    }
    return out;
}

/** (b): whether p is world-open through family `fam`, and the allows that alone cover it. */
function refWorld(rs: GenRule[], fam: Fam): { open: boolean; alone: GenRule[] } {
    const denies: GenRule[] = [];
    const allows: GenRule[] = [];
    for (const r of rs) {
        if (full(denies, fam)) break;
        (r.action === "deny" ? denies : allows).push(r);
    }
    return { open: full(allows, fam), alone: allows.filter((r) => full([r], fam)) };
}

const PORT_SAMPLES = [...Array.from({ length: 23 }, (_, i) => i), 1023, 1024, 40000, 65535];

function compare(gs: GenRule[], direction: Direction): void {
    const rules = gs.map(build);
    const ruleOf = new Map(gs.map((g, i) => [g, rules[i]]));
    const genOf = new Map(rules.map((r, i) => [r, gs[i]]));
    const ev = evaluate(rules, direction);

    for (const [r] of ev.opened) {
        const g = genOf.get(r)!;
        assert.ok(
            g && g.action === "allow" && g.direction === direction && g.protocol !== "other" && !g.unknownPorts,
            `${r.origin} cannot open anything`,
        );
    }
    for (const e of ev.world) {
        assert.ok(!e.ports.isEmpty, "an exposure has ports");
        for (const r of e.rules) {
            const g = genOf.get(r)!;
            assert.ok(
                g.action === "allow" && g.direction === direction && !g.unknownPorts && (g.protocol === "all" || g.protocol === e.protocol),
                `${r.origin} in a ${e.protocol} exposure`,
            );
            if (e.single) assert.ok(full([g], "v4") || full([g], "v6"), `${r.origin} alone must reach a whole family`);
        }
    }

    for (const c of CONCRETE_PROTOCOLS) {
        const worldPorts = ev.world.filter((e) => e.protocol === c).reduce((s, e) => s.union(e.ports), IntervalSet.empty(portDomain));
        for (const p of c === "icmp" ? [0, 65535] : PORT_SAMPLES) {
            const rs = applicable(gs, direction, c, p);
            const where = `${direction} ${c} ${p}`;

            const opened = refOpened(rs);
            for (const g of gs) {
                const actual = ev.opened.get(ruleOf.get(g)!)?.get(c)?.has(p) ?? false;
                assert.equal(actual, opened.has(g), `${where}: ${ruleOf.get(g)!.origin} opened`);
            }

            const w4 = refWorld(rs, "v4");
            const w6 = refWorld(rs, "v6");
            assert.equal(worldPorts.has(p), w4.open || w6.open, `${where}: world-open`);
            if (!(w4.open || w6.open)) continue;
            // Attribution: a rule that alone reaches a family is named on its own; otherwise the union is.
            const alone = [...(w4.open ? w4.alone : []), ...(w6.open ? w6.alone : [])];
            const holding = ev.world.filter((e) => e.protocol === c && e.ports.has(p));
            if (alone.length > 0) {
                assert.ok(
                    holding.every((e) => e.single),
                    `${where}: reported only as a single-rule exposure`,
                );
                for (const e of holding)
                    for (const r of e.rules) assert.ok(alone.includes(genOf.get(r)!), `${where}: ${r.origin} named alone`);
            } else {
                assert.ok(
                    holding.every((e) => !e.single),
                    `${where}: reported as a union`,
                );
                assert.ok(
                    holding.some((e) =>
                        (["v4", "v6"] as Fam[]).some((f) =>
                            full(
                                e.rules.map((r) => genOf.get(r)!),
                                f,
                            ),
                        ),
                    ),
                    `${where}: the named rules together reach a whole family`,
                );
            }
        }
    }
}

describe("property: evaluate() against a first-match reference", () => {
    it("inbound: opened ports and world exposure match the README definitions", () => {
        check(
            fc.property(ruleList, (gs) => compare(gs, "inbound")),
            400,
        );
    });

    it("outbound: the same, by destination", () => {
        check(
            fc.property(ruleList, (gs) => compare(gs, "outbound")),
            150,
        );
    });

    it("a deny never opens, and adding a deny in front never opens more", () => {
        check(
            fc.property(ruleList, genRule(fc.constant(0)), (gs, extra) => {
                const deny = { ...extra, action: "deny" as const, direction: "inbound" as const, unknownPorts: false };
                const before = evaluate(gs.map(build));
                const rules = [...gs, deny].map(build);
                const after = evaluate(rules);
                assert.ok(!after.opened.has(rules[rules.length - 1]));
                const union = (ev: typeof before, c: ConcreteProtocol) => {
                    let s = IntervalSet.empty(portDomain);
                    for (const [, m] of ev.opened) s = s.union(m.get(c) ?? s);
                    return s;
                };
                for (const c of CONCRETE_PROTOCOLS) {
                    assert.ok(union(before, c).containsSet(union(after, c)), `${c}: a deny in front opened more`);
                    const w = (ev: typeof before) =>
                        ev.world.filter((e) => e.protocol === c).reduce((s, e) => s.union(e.ports), IntervalSet.empty(portDomain));
                    assert.ok(w(before).containsSet(w(after)), `${c}: a deny in front exposed more`);
                }
            }),
            200,
        );
    });
});
