// Properties of IntervalSet (policies/lib/intervals.ts) against a brute-force boolean-array model on
// a small domain (0-63, built like portDomain), and against point checks on the real port domain.
import { strict as assert } from "assert";
import * as fc from "fast-check";
import { Domain, IntervalSet, IntervalUnion, PORT_MAX, portDomain } from "../../policies/model/intervals";
import { check } from "./common";

const SMALL: Domain<number> = { min: 0, max: 63, succ: (x) => x + 1, pred: (x) => x - 1 };
const N = SMALL.max + 1;

type Model = boolean[];
type Raw = [number, number][];

/** The model of IntervalSet.of: bounds in either order, clamped to the domain. */
function model(raw: Raw): Model {
    const m: Model = new Array<boolean>(N).fill(false);
    for (const [a, b] of raw) for (let x = Math.min(a, b); x <= Math.max(a, b); x++) if (x >= 0 && x < N) m[x] = true;
    return m;
}

/** Two sets built from raw intervals, their models, and how a failure names them. */
function pairOf(ra: Raw, rb: Raw) {
    return {
        a: IntervalSet.of(SMALL, ra),
        b: IntervalSet.of(SMALL, rb),
        ma: model(ra),
        mb: model(rb),
        ctx: `a=${JSON.stringify(ra)} b=${JSON.stringify(rb)}`,
    };
}

function toModel(s: IntervalSet<number>): Model {
    const m: Model = new Array<boolean>(N).fill(false);
    for (const [lo, hi] of s.intervals) for (let x = lo; x <= hi; x++) m[x] = true;
    return m;
}

function assertCanonical<T extends number | bigint>(s: IntervalSet<T>): void {
    s.intervals.forEach(([lo, hi], i) => {
        assert.ok(
            s.domain.min <= lo && lo <= hi && hi <= s.domain.max,
            `interval ${lo}-${hi} is reversed or outside the domain: ${JSON.stringify(s.intervals.map(String))}`,
        );
        if (i > 0)
            assert.ok(
                s.domain.succ(s.intervals[i - 1][1]) < lo,
                `intervals must be sorted, disjoint and not adjacent: ${JSON.stringify(s.intervals)}`,
            );
    });
}

function assertModel(s: IntervalSet<number>, m: Model, what: string): void {
    assertCanonical(s);
    assert.deepEqual(toModel(s), m, what);
    assert.equal(
        s.isEmpty,
        m.every((x) => !x),
        `${what}: isEmpty`,
    );
    assert.equal(
        s.isFull,
        m.every((x) => x),
        `${what}: isFull`,
    );
}

/** Intervals with ends a little outside the domain on both sides, in either order. */
const rawSmall: fc.Arbitrary<Raw> = fc.array(fc.tuple(fc.integer({ min: -6, max: N + 5 }), fc.integer({ min: -6, max: N + 5 })), {
    maxLength: 7,
});

describe("property: interval sets", () => {
    describe("on a small domain (0-63) against a boolean-array model", () => {
        it("of() normalises any intervals: sorted, disjoint, non-adjacent, clamped", () => {
            check(
                fc.property(rawSmall, (a) => assertModel(IntervalSet.of(SMALL, a), model(a), `of(${JSON.stringify(a)})`)),
                2000,
            );
        });

        it("union, intersect, subtract, complement match the model", () => {
            check(
                fc.property(rawSmall, rawSmall, (ra, rb) => {
                    const { a, b, ma, mb, ctx } = pairOf(ra, rb);
                    assertModel(
                        a.union(b),
                        ma.map((x, i) => x || mb[i]),
                        `union ${ctx}`,
                    );
                    assertModel(
                        a.intersect(b),
                        ma.map((x, i) => x && mb[i]),
                        `intersect ${ctx}`,
                    );
                    assertModel(
                        a.subtract(b),
                        ma.map((x, i) => x && !mb[i]),
                        `subtract ${ctx}`,
                    );
                    assertModel(
                        a.complement(),
                        ma.map((x) => !x),
                        `complement ${ctx}`,
                    );
                }),
                2000,
            );
        });

        it("containsSet, overlaps, has and equals match the model", () => {
            check(
                fc.property(rawSmall, rawSmall, (ra, rb) => {
                    const { a, b, ma, mb, ctx } = pairOf(ra, rb);
                    assert.equal(
                        a.containsSet(b),
                        mb.every((x, i) => !x || ma[i]),
                        `containsSet ${ctx}`,
                    );
                    assert.equal(
                        b.containsSet(a),
                        ma.every((x, i) => !x || mb[i]),
                        `containsSet ${ctx}`,
                    );
                    assert.equal(
                        a.overlaps(b),
                        ma.some((x, i) => x && mb[i]),
                        `overlaps ${ctx}`,
                    );
                    assert.equal(
                        a.equals(b),
                        ma.every((x, i) => x === mb[i]),
                        `equals ${ctx}`,
                    );
                    for (let x = -3; x < N + 3; x++) assert.equal(a.has(x), x >= 0 && x < N && ma[x], `has(${x}) ${ctx}`);
                }),
                2000,
            );
        });

        it("IntervalUnion grown one interval at a time equals of() after every step, and answers like it", () => {
            check(
                fc.property(rawSmall, rawSmall, (ra, rb) => {
                    const u = new IntervalUnion(SMALL);
                    const b = IntervalSet.of(SMALL, rb);
                    const added: Raw = [];
                    for (const [lo, hi] of IntervalSet.of(SMALL, ra)
                        .intervals.slice()
                        .reverse()
                        .concat(IntervalSet.of(SMALL, rb).intervals)) {
                        u.add(lo, hi);
                        added.push([lo, hi]);
                        const expected = IntervalSet.of(SMALL, added);
                        const ctx = `added=${JSON.stringify(added)}`;
                        assertCanonical(u.toSet());
                        assert.ok(u.toSet().equals(expected), `toSet ${ctx}`);
                        assert.equal(u.isFull, expected.isFull, `isFull ${ctx}`);
                        assert.equal(u.isEmpty, expected.isEmpty, `isEmpty ${ctx}`);
                        assert.equal(u.containsSet(b), expected.containsSet(b), `containsSet ${ctx}`);
                    }
                }),
                2000,
            );
        });

        it("containsRange and overlapsRange match the model for every range inside the domain", () => {
            check(
                fc.property(rawSmall, fc.integer({ min: 0, max: N - 1 }), fc.integer({ min: 0, max: N - 1 }), (ra, x, y) => {
                    const [lo, hi] = x <= y ? [x, y] : [y, x];
                    const a = IntervalSet.of(SMALL, ra);
                    const m = model(ra).slice(lo, hi + 1);
                    const ctx = `a=${JSON.stringify(ra)} range=${lo}-${hi}`;
                    assert.equal(
                        a.containsRange(lo, hi),
                        m.every((v) => v),
                        `containsRange ${ctx}`,
                    );
                    assert.equal(
                        a.overlapsRange(lo, hi),
                        m.some((v) => v),
                        `overlapsRange ${ctx}`,
                    );
                }),
                2000,
            );
        });

        it("algebra: complement is an involution, De Morgan, subtract = intersect complement, union/intersect commute", () => {
            check(
                fc.property(rawSmall, rawSmall, rawSmall, (ra, rb, rc) => {
                    const [a, b, c] = [ra, rb, rc].map((r) => IntervalSet.of(SMALL, r));
                    assert.ok(a.complement().complement().equals(a));
                    assert.ok(a.union(b).complement().equals(a.complement().intersect(b.complement())));
                    assert.ok(a.intersect(b).complement().equals(a.complement().union(b.complement())));
                    assert.ok(a.subtract(b).equals(a.intersect(b.complement())));
                    assert.ok(a.union(b).equals(b.union(a)));
                    assert.ok(a.intersect(b).equals(b.intersect(a)));
                    assert.ok(a.union(b.union(c)).equals(a.union(b).union(c)));
                    assert.ok(a.union(b).containsSet(a) && a.containsSet(a.intersect(b)));
                    assert.ok(IntervalSet.full(SMALL).subtract(a).equals(a.complement()));
                    assert.ok(
                        a.subtract(IntervalSet.empty(SMALL)).equals(a) && IntervalSet.empty(SMALL).containsSet(IntervalSet.empty(SMALL)),
                    );
                }),
                1000,
            );
        });
    });

    it("regression: an interval wholly outside the domain, or with a NaN bound, adds nothing", () => {
        // Found by the first property: of(SMALL, [[-1, -1]]) used to hold the reversed interval [0, -1],
        // which was neither empty nor a member of anything, and broke complement().
        for (const raw of [[[-1, -1]], [[-5, -2]], [[64, 70]], [[NaN, 3]], [[3, NaN]], [[NaN, NaN]]] as Raw[]) {
            const s = IntervalSet.of(SMALL, raw);
            assert.ok(s.isEmpty, JSON.stringify(raw));
            assert.ok(s.complement().isFull, JSON.stringify(raw));
        }
        assert.deepEqual(
            IntervalSet.of(portDomain, [
                [-10, -1],
                [65536, 70000],
                [22, 22],
            ]).intervals,
            [[22, 22]],
        );
    });

    describe("on the real port domain (0-65535) with sampled points", () => {
        const end = fc.oneof(
            { weight: 6, arbitrary: fc.integer({ min: 0, max: PORT_MAX }) },
            { weight: 2, arbitrary: fc.constantFrom(0, 1, 21, 22, 23, 1023, 1024, 1025, 5432, 65534, 65535) },
            { weight: 1, arbitrary: fc.constantFrom(-1, 65536, 70000) },
        );
        const rawPorts: fc.Arbitrary<Raw> = fc.array(fc.tuple(end, end), { maxLength: 8 });
        const inRaw = (raw: Raw, x: number) => x >= 0 && x <= PORT_MAX && raw.some(([a, b]) => Math.min(a, b) <= x && x <= Math.max(a, b));
        /** Every place membership can change, plus random points: enough to decide equality exactly. */
        const points = (raws: Raw[], extra: number[]) => {
            const out = new Set<number>([0, PORT_MAX, ...extra]);
            for (const raw of raws)
                for (const [a, b] of raw) for (const x of [a - 1, a, a + 1, b - 1, b, b + 1]) if (x >= 0 && x <= PORT_MAX) out.add(x);
            return [...out];
        };

        it("every operation agrees with point membership", () => {
            check(
                fc.property(rawPorts, rawPorts, fc.array(fc.integer({ min: 0, max: PORT_MAX }), { maxLength: 10 }), (ra, rb, extra) => {
                    const a = IntervalSet.of(portDomain, ra);
                    const b = IntervalSet.of(portDomain, rb);
                    for (const s of [a, b, a.union(b), a.intersect(b), a.subtract(b), a.complement()]) assertCanonical(s);
                    const pts = points([ra, rb], extra);
                    const ctx = `a=${JSON.stringify(ra)} b=${JSON.stringify(rb)}`;
                    for (const x of pts) {
                        const [ia, ib] = [inRaw(ra, x), inRaw(rb, x)];
                        assert.equal(a.has(x), ia, `has(${x}) ${ctx}`);
                        assert.equal(a.union(b).has(x), ia || ib, `union has(${x}) ${ctx}`);
                        assert.equal(a.intersect(b).has(x), ia && ib, `intersect has(${x}) ${ctx}`);
                        assert.equal(a.subtract(b).has(x), ia && !ib, `subtract has(${x}) ${ctx}`);
                        assert.equal(a.complement().has(x), !ia, `complement has(${x}) ${ctx}`);
                    }
                    // Membership only changes at the sampled boundaries, so these are exact.
                    assert.equal(
                        a.containsSet(b),
                        pts.every((x) => !inRaw(rb, x) || inRaw(ra, x)),
                        `containsSet ${ctx}`,
                    );
                    assert.equal(
                        a.equals(b),
                        pts.every((x) => inRaw(ra, x) === inRaw(rb, x)),
                        `equals ${ctx}`,
                    );
                    assert.equal(
                        a.overlaps(b),
                        pts.some((x) => inRaw(ra, x) && inRaw(rb, x)),
                        `overlaps ${ctx}`,
                    );
                    assert.equal(
                        a.isFull,
                        pts.every((x) => inRaw(ra, x)),
                        `isFull ${ctx}`,
                    );
                }),
                500,
            );
        });
    });
});
