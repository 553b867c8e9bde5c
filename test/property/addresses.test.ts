// Properties of address sets (policies/lib/addresses.ts): cidrSet and coversWorld against a
// brute-force reference. The reference never uses IntervalSet: a CIDR is a range computed here from
// its number and prefix, membership is a mask comparison, and "covers the world" is checked at the
// only places a gap can start (address 0 and the address after each block).
import { strict as assert } from "assert";
import * as fc from "fast-check";
import * as ipaddr from "ipaddr.js";
import { cidrSet, coversWorld, parseCidr } from "../../policies/model/addresses";
import { check, coversAll, inAny, prng } from "./common";

const V4_BITS = 32;
const V6_BITS = 128;
const maxOf = (bits: number) => (1n << BigInt(bits)) - 1n;

interface Block {
    bits: number;
    /** Any address inside the block: host bits may be set, as users write them. */
    addr: bigint;
    prefix: number;
}

function range(b: Block): [bigint, bigint] {
    const host = BigInt(b.bits - b.prefix);
    const lo = (b.addr >> host) << host;
    return [lo, lo + (1n << host) - 1n];
}

/** Mask comparison: the reference's own membership test, independent of range(). */
function contains(b: Block, x: bigint): boolean {
    const host = BigInt(b.bits - b.prefix);
    return x >> host === b.addr >> host;
}

function v4Text(n: bigint): string {
    return [24n, 16n, 8n, 0n].map((s) => ((n >> s) & 255n).toString()).join(".");
}

/** Full uncompressed form, upper or lower case: ipaddr.js must canonicalise it. */
function v6Text(n: bigint, upper = false): string {
    const groups: string[] = [];
    for (let s = 112n; s >= 0n; s -= 16n) groups.push(((n >> s) & 0xffffn).toString(16));
    const t = groups.join(":");
    return upper ? t.toUpperCase() : t;
}

function text(b: Block, upper = false): string {
    return `${b.bits === V4_BITS ? v4Text(b.addr) : v6Text(b.addr, upper)}/${b.prefix}`;
}

const u32 = fc.bigInt({ min: 0n, max: maxOf(32) });
const u128 = fc.bigInt({ min: 0n, max: maxOf(128) });

/** The small block the fine-grained CIDRs live in: 10.0.0.0/24 and 2001:db8::/120. */
const SMALL4 = 0x0a000000n;
const SMALL6 = 0x20010db8n << 96n;

const smallV4 = fc
    .record({ off: fc.bigInt({ min: 0n, max: 255n }), prefix: fc.integer({ min: 28, max: 32 }) })
    .map(({ off, prefix }): Block => ({ bits: V4_BITS, addr: SMALL4 + off, prefix }));
const topV4 = fc
    .record({ addr: u32, prefix: fc.integer({ min: 0, max: 24 }) })
    .map(({ addr, prefix }): Block => ({ bits: V4_BITS, addr, prefix }));
const smallV6 = fc
    .record({ off: fc.bigInt({ min: 0n, max: 255n }), prefix: fc.integer({ min: 124, max: 128 }) })
    .map(({ off, prefix }): Block => ({ bits: V6_BITS, addr: SMALL6 + off, prefix }));
const topV6 = fc
    .record({ addr: u128, prefix: fc.integer({ min: 0, max: 40 }) })
    .map(({ addr, prefix }): Block => ({ bits: V6_BITS, addr, prefix }));

/**
 * The blocks that, with the small /24 (/120), make up the whole family: the sibling of the small
 * block's enclosing /k for every k. A random subset of them, plus a random partial fill of the small
 * block, covers the world often enough for the property to see both answers.
 */
function siblings(bits: number, small: bigint, smallPrefix: number, keep: boolean[]): Block[] {
    const out: Block[] = [];
    for (let k = 1; k <= smallPrefix; k++) {
        if (!keep[k - 1]) continue;
        const bit = 1n << BigInt(bits - k);
        out.push({ bits, addr: small ^ bit, prefix: k });
    }
    return out;
}

/** Fills the small block (256 addresses) with /28-ish pieces, leaving some holes. */
function fill(bits: number, base: bigint, choices: number[]): Block[] {
    const out: Block[] = [];
    const top = bits - 4; // /28 or /124
    choices.forEach((c, slot) => {
        const start = base + BigInt(slot * 16);
        if (c === 0)
            out.push({ bits, addr: start + BigInt(slot % 16), prefix: top }); // host bits set
        else if (c === 1) out.push({ bits, addr: start, prefix: top + 1 }, { bits, addr: start + 8n, prefix: top + 1 });
        else if (c === 2) for (let i = 0n; i < 16n; i += 4n) out.push({ bits, addr: start + i, prefix: top + 2 });
        else if (c === 3) out.push({ bits, addr: start, prefix: top + 1 }); // a hole: the upper half is missing
        // c >= 4: the whole /28 is missing (rare)
    });
    return out;
}

/** n booleans, each false (a missing sibling) with probability 1/odds. */
const keepBits = (n: number, odds: number) =>
    fc.array(
        fc.noBias(fc.integer({ min: 0, max: odds - 1 })).map((x) => x > 0),
        { minLength: n, maxLength: n },
    );
const fillChoices = fc.array(
    fc.noBias(fc.integer({ min: 0, max: 63 })).map((x) => (x < 60 ? x % 3 : x < 62 ? 3 : 4)),
    { minLength: 16, maxLength: 16 },
);

function samples(blocks: Block[], bits: number, small: bigint, extra: bigint[]): bigint[] {
    const max = maxOf(bits);
    const out = new Set<bigint>([0n, max, ...extra]);
    for (let i = 0n; i < 256n; i++) out.add(small + i);
    for (const b of blocks) {
        const [lo, hi] = range(b);
        for (const x of [lo - 1n, lo, hi, hi + 1n]) if (x >= 0n && x <= max) out.add(x);
    }
    return [...out];
}

function assertCanonical(intervals: readonly (readonly [bigint, bigint])[], max: bigint): void {
    intervals.forEach(([lo, hi], i) => {
        assert.ok(0n <= lo && lo <= hi && hi <= max, `interval ${lo}-${hi} out of order or domain`);
        if (i > 0) assert.ok(intervals[i - 1][1] + 1n < lo, "intervals must be sorted, disjoint and not adjacent");
    });
}

function family(bits: number) {
    return bits === V4_BITS
        ? {
              small: SMALL4,
              smallPrefix: 24,
              smallGen: smallV4,
              topGen: topV4,
              addr: u32,
              pick: (s: ReturnType<typeof cidrSet>) => s.v4,
              other: (s: ReturnType<typeof cidrSet>) => s.v6,
          }
        : {
              small: SMALL6,
              smallPrefix: 120,
              smallGen: smallV6,
              topGen: topV6,
              addr: u128,
              pick: (s: ReturnType<typeof cidrSet>) => s.v6,
              other: (s: ReturnType<typeof cidrSet>) => s.v4,
          };
}

describe("property: address sets (cidrSet, coversWorld)", () => {
    for (const bits of [V4_BITS, V6_BITS]) {
        const f = family(bits);
        const name = bits === V4_BITS ? "IPv4" : "IPv6";
        const max = maxOf(bits);

        it(`${name}: membership of every sampled address matches the CIDRs, brute force`, () => {
            check(
                fc.property(
                    fc.array(f.smallGen, { maxLength: 24 }),
                    fc.array(f.topGen, { maxLength: 6 }),
                    fc.array(f.addr, { maxLength: 16 }),
                    fc.boolean(),
                    (small, top, extra, upper) => {
                        const blocks = [...small, ...top];
                        const set = cidrSet(blocks.map((b) => text(b, upper)));
                        const fam = f.pick(set);
                        assertCanonical(fam.intervals, max);
                        assert.ok(f.other(set).isEmpty, "one family's CIDRs never land in the other");
                        for (const x of samples(blocks, bits, f.small, extra)) {
                            assert.equal(
                                fam.has(x),
                                blocks.some((b) => contains(b, x)),
                                `address ${x} (${bits === 32 ? v4Text(x) : v6Text(x)})`,
                            );
                        }
                    },
                ),
                150,
            );
        });

        it(`${name}: coversWorld matches the reference on sibling chains, fills and random blocks`, () => {
            let covered = 0;
            let runs = 0;
            check(
                fc.property(
                    keepBits(f.smallPrefix, bits === V4_BITS ? 60 : 300),
                    fillChoices,
                    fc.array(f.topGen, { maxLength: 3 }),
                    fc.array(fc.constantFrom("garbage", "10.0.0.0/33", "::/129", ""), { maxLength: 2 }),
                    (keep, choices, top, junk) => {
                        const blocks = [...siblings(bits, f.small, f.smallPrefix, keep), ...fill(bits, f.small, choices), ...top];
                        const texts = [...blocks.map((b) => text(b)), ...junk];
                        const expected = coversAll(blocks.map(range), 0n, max);
                        const set = cidrSet(texts);
                        runs++;
                        if (expected) covered++;
                        assert.equal(coversWorld(set), expected);
                        assert.equal(f.pick(set).isFull, expected);
                    },
                ),
                bits === V4_BITS ? 300 : 80,
            );
            assert.ok(covered > runs / 10 && covered < runs, `the generator must produce both answers (${covered}/${runs} covered)`);
        });

        it(`${name}: any random partition of the family covers the world; without one block it does not`, () => {
            check(
                fc.property(fc.integer(), fc.integer({ min: 1, max: 12 }), fc.nat(), fc.nat({ max: 3 }), (seed, depth, drop, dups) => {
                    const rnd = prng(seed);
                    const parts: Block[] = [];
                    const split = (addr: bigint, prefix: number) => {
                        if (prefix >= depth || (prefix > 0 && rnd() < 0.35)) {
                            // host bits set somewhere below the prefix, as users sometimes write them
                            const host = BigInt(bits - prefix);
                            const noise = host > 0n ? BigInt(Math.floor(rnd() * 1e9)) % (1n << host) : 0n;
                            parts.push({ bits, addr: addr + noise, prefix });
                            return;
                        }
                        split(addr, prefix + 1);
                        split(addr | (1n << BigInt(bits - prefix - 1)), prefix + 1);
                    };
                    split(0n, 0);
                    const shuffled = [...parts].sort(() => rnd() - 0.5);
                    for (let i = 0; i < dups; i++) shuffled.push(shuffled[Math.floor(rnd() * shuffled.length)]);
                    assert.equal(coversWorld(cidrSet(shuffled.map((b) => text(b)))), true);
                    if (parts.length > 1 || parts[0].prefix > 0) {
                        const gone = parts[drop % parts.length];
                        const rest = shuffled.filter((b) => b !== gone);
                        assert.equal(coversWorld(cidrSet(rest.map((b) => text(b)))), false, `without ${text(gone)}`);
                    }
                }),
                200,
            );
        });

        // Exhaustive over k: 2^k blocks of /k cover the family, in a random order with duplicates;
        // removing any one of them (every copy) leaves a gap.
        const kMax = 8;
        it(`${name}: 2^k blocks of /k (k = 1..${kMax}) in any order cover the world; removing any one block does not`, () => {
            for (let k = 1; k <= kMax; k++) {
                const blocks: Block[] = [];
                for (let i = 0n; i < 1n << BigInt(k); i++) blocks.push({ bits, addr: i << BigInt(bits - k), prefix: k });
                check(
                    fc.property(
                        fc.shuffledSubarray(blocks, { minLength: blocks.length }),
                        fc.array(fc.constantFrom(...blocks), { maxLength: 4 }),
                        (order, dups) => {
                            assert.equal(coversWorld(cidrSet([...order, ...dups].map((b) => text(b)))), true);
                        },
                    ),
                    5,
                );
                // Every block for IPv4; for IPv6 (slower to parse) every block up to /6, then 16 of them.
                const removals = bits === V4_BITS || k <= 6 ? blocks : blocks.filter((_, i) => i % (blocks.length / 16) === 0);
                for (const gone of removals) {
                    const rest = blocks.filter((b) => b !== gone);
                    assert.equal(
                        coversWorld(cidrSet([...rest, ...rest.slice(0, 2)].map((b) => text(b)))),
                        false,
                        `${k}: without ${text(gone)}`,
                    );
                }
            }
        });
    }

    it("known splits: /1 + /1 and four /2, both families, any order", () => {
        const known: string[][] = [
            ["0.0.0.0/1", "128.0.0.0/1"],
            ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"],
            ["::/1", "8000::/1"],
            ["::/2", "4000::/2", "8000::/2", "c000::/2"],
        ];
        check(
            fc.property(
                fc.constantFrom(...known).chain((k) => fc.tuple(fc.constant(k), fc.shuffledSubarray(k, { minLength: k.length }))),
                ([k, order]) => {
                    assert.equal(coversWorld(cidrSet(order)), true);
                    for (const gone of k) assert.equal(coversWorld(cidrSet(order.filter((c) => c !== gone))), false, `without ${gone}`);
                },
            ),
            40,
        );
    });

    it("halves of different families never add up to the world", () => {
        check(
            fc.property(fc.shuffledSubarray(["0.0.0.0/1", "8000::/1", "128.0.0.0/2", "::/2", "c000::/2"]), (order) => {
                assert.equal(coversWorld(cidrSet(order)), false);
            }),
            40,
        );
    });

    it("blocks of the small /24 cover it exactly when the reference says so, and never the world", () => {
        check(
            fc.property(fc.array(smallV4, { maxLength: 40 }), (blocks) => {
                const set = cidrSet(blocks.map((b) => text(b))).v4;
                const expected = coversAll(blocks.map(range), SMALL4, SMALL4 + 255n);
                let all = true;
                for (let i = 0n; i < 256n; i++) all &&= set.has(SMALL4 + i);
                assert.equal(all, expected);
                assert.equal(inAny(blocks.map(range), SMALL4 - 1n), false);
                assert.equal(coversWorld({ v4: set, v6: cidrSet([]).v6 }), false);
            }),
            150,
        );
    });
});

/** The IPv4 reading before the fast path: ipaddr.js alone. */
function ipaddrV4(text: string): { range: [bigint, bigint]; text: string } | undefined {
    const t = text.trim();
    const [addr, prefixText, ...rest] = t.split("/");
    if (rest.length > 0 || !ipaddr.IPv4.isValidFourPartDecimal(addr)) return undefined;
    if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
    const prefix = prefixText === undefined ? 32 : Number(prefixText);
    if (prefix > 32) return undefined;
    const value = ipaddr.IPv4.parse(addr)
        .toByteArray()
        .reduce((n, b) => (n << 8n) | BigInt(b), 0n);
    const [lo, hi] = range({ bits: V4_BITS, addr: value, prefix });
    const bytes = [24n, 16n, 8n, 0n].map((s) => Number((lo >> s) & 255n));
    return { range: [lo, hi], text: `${ipaddr.fromByteArray(bytes).toString()}/${prefix}` };
}

describe("property: IPv4 parsing reads what ipaddr.js reads", () => {
    const octet = fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: 0, max: 255 }).map(String) },
        { weight: 1, arbitrary: fc.integer({ min: 256, max: 1200 }).map(String) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 99 }).map((n) => `0${n}`) },
        { weight: 1, arbitrary: fc.constantFrom("", "x", "-1", "0x1f", "1e2", " 1") },
    );
    const prefix = fc.oneof(
        fc.constant(""),
        fc.integer({ min: 0, max: 40 }).map((n) => `/${n}`),
        fc.constantFrom("/032", "/", "/x", "/8/9", "/1000"),
    );
    const dotted = fc
        .tuple(octet, octet, octet, octet, prefix, fc.constantFrom("", " ", "\t"))
        .map(([a, b, c, d, p, pad]) => `${pad}${a}.${b}.${c}.${d}${p}${pad}`);

    it("same range and canonical text as ipaddr.js, and the same rejections", () => {
        check(
            fc.property(dotted, (t) => {
                const ours = parseCidr(t);
                const ref = ipaddrV4(t);
                if (ref === undefined) assert.equal(ours, undefined, JSON.stringify(t));
                else {
                    assert.ok(ours, JSON.stringify(t));
                    assert.deepEqual([ours.family, [...ours.range], ours.text], ["v4", ref.range, ref.text], JSON.stringify(t));
                }
            }),
            5000,
        );
    });
});
