// Shared by the property tests: one fixed seed (override with PROPERTY_SEED to explore), run counts
// sized so the whole folder stays well under 20 s, and small independent reference helpers.
import * as fc from "fast-check";

/** Fixed so `npm test` is reproducible; PROPERTY_SEED=<n> replays or explores another seed. */
export const SEED = process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : 20251127;
/** Multiplies every numRuns (PROPERTY_RUNS_FACTOR=10 for a longer local run). */
const FACTOR = process.env.PROPERTY_RUNS_FACTOR ? Number(process.env.PROPERTY_RUNS_FACTOR) : 1;

export function params(numRuns: number): fc.Parameters<unknown> {
    return { seed: SEED, numRuns: Math.max(1, Math.round(numRuns * FACTOR)), endOnFailure: false };
}

/** Runs a property with the fixed seed; the seed and path in a failure replay it exactly. */
export function check<Ts extends [unknown, ...unknown[]]>(property: fc.IProperty<Ts>, numRuns: number): void {
    fc.assert(property, params(numRuns) as fc.Parameters<Ts>);
}

/** Distinct inclusive integer ranges, sorted; the union of the given (unsorted, overlapping) ones. */
export function critical(ranges: readonly (readonly [bigint, bigint])[], min: bigint): bigint[] {
    const pts = new Set<bigint>([min]);
    for (const [lo, hi] of ranges) {
        pts.add(lo);
        pts.add(hi + 1n);
        if (lo > min) pts.add(lo - 1n);
        pts.add(hi);
    }
    return [...pts];
}

/** Brute-force membership: is x inside any of the ranges? */
export function inAny(ranges: readonly (readonly [bigint, bigint])[], x: bigint): boolean {
    return ranges.some(([lo, hi]) => lo <= x && x <= hi);
}

/**
 * Whether the ranges cover [min, max]. The union of ranges is a union of intervals, so an
 * uncovered address exists iff `min` or some range end + 1 (inside the domain) is uncovered.
 */
export function coversAll(ranges: readonly (readonly [bigint, bigint])[], min: bigint, max: bigint): boolean {
    if (!inAny(ranges, min)) return false;
    return ranges.every(([, hi]) => hi >= max || inAny(ranges, hi + 1n));
}

/** Whether every address of `inner` lies inside `outer` (checked at every critical point). */
export function rangesInside(
    inner: readonly (readonly [bigint, bigint])[],
    outer: readonly (readonly [bigint, bigint])[],
    min: bigint,
): boolean {
    return critical([...inner, ...outer], min).every((x) => !inAny(inner, x) || inAny(outer, x));
}

/** A tiny deterministic PRNG for structures derived from one generated seed. */
export { mulberry32 as prng } from "../../scripts/lib/prng";
