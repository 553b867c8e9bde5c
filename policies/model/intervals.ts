// Inclusive interval sets over a discrete, bounded domain. One implementation serves port numbers
// (number, 0-65535) and IP addresses (bigint, 0 to 2^32-1 or 2^128-1): both need union, subtraction
// and containment without enumerating members. IP libraries parse addresses but do not do set
// arithmetic over ports, so this small piece is ours.

import { WeakMemo } from "../base/memo";

export interface Domain<T extends number | bigint> {
    readonly min: T;
    readonly max: T;
    readonly succ: (x: T) => T;
    readonly pred: (x: T) => T;
}

export type Interval<T> = readonly [T, T];

export class IntervalSet<T extends number | bigint> {
    /** One empty set per domain: sets are immutable, and the empty one is the most common. */
    private static readonly empties = new WeakMemo<object, object>((d) => new IntervalSet(d as Domain<number>, []));

    /** Sorted, disjoint, non-adjacent inclusive intervals. */
    readonly intervals: readonly Interval<T>[];

    private constructor(
        readonly domain: Domain<T>,
        intervals: readonly Interval<T>[],
    ) {
        this.intervals = intervals;
    }

    static empty<T extends number | bigint>(domain: Domain<T>): IntervalSet<T> {
        return IntervalSet.empties.get(domain) as IntervalSet<T>;
    }

    static full<T extends number | bigint>(domain: Domain<T>): IntervalSet<T> {
        return new IntervalSet(domain, [[domain.min, domain.max]]);
    }

    /**
     * Builds a set from any intervals (unsorted, overlapping, reversed bounds are normalised; bounds
     * outside the domain are clamped, and an interval wholly outside it, or with a NaN bound, is empty).
     */
    static of<T extends number | bigint>(domain: Domain<T>, intervals: Iterable<Interval<T>>): IntervalSet<T> {
        // Most sets are built from one block or one port range: no list to sort or merge.
        if (Array.isArray(intervals) && intervals.length <= 1) {
            if (intervals.length === 0) return IntervalSet.empty(domain);
            const [a, b] = intervals[0] as Interval<T>;
            const lo = a < b ? a : b;
            const hi = a < b ? b : a;
            const clampedLo = lo < domain.min ? domain.min : lo;
            const clampedHi = hi > domain.max ? domain.max : hi;
            return clampedLo <= clampedHi ? new IntervalSet(domain, [[clampedLo, clampedHi]]) : IntervalSet.empty(domain);
        }
        const list: [T, T][] = [];
        // Most inputs arrive sorted (one block, or the intervals of other sets): skip the sort then.
        let sorted = true;
        for (const iv of intervals) {
            const a = iv[0];
            const b = iv[1];
            const lo = a < b ? a : b;
            const hi = a < b ? b : a;
            const clampedLo = lo < domain.min ? domain.min : lo;
            const clampedHi = hi > domain.max ? domain.max : hi;
            if (!(clampedLo <= clampedHi)) continue;
            if (sorted && list.length > 0 && clampedLo < list[list.length - 1][0]) sorted = false;
            list.push([clampedLo, clampedHi]);
        }
        if (!sorted) list.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
        const merged: [T, T][] = [];
        for (const [lo, hi] of list) {
            const last = merged[merged.length - 1];
            if (last && (lo <= last[1] || (last[1] !== domain.max && lo === domain.succ(last[1])))) {
                if (hi > last[1]) last[1] = hi;
            } else {
                merged.push([lo, hi]);
            }
        }
        return new IntervalSet(domain, merged);
    }

    get isEmpty(): boolean {
        return this.intervals.length === 0;
    }

    get isFull(): boolean {
        return this.intervals.length === 1 && this.intervals[0][0] === this.domain.min && this.intervals[0][1] === this.domain.max;
    }

    union(other: IntervalSet<T>): IntervalSet<T> {
        if (other.isEmpty) return this;
        if (this.isEmpty) return other;
        return IntervalSet.of(this.domain, [...this.intervals, ...other.intervals]);
    }

    complement(): IntervalSet<T> {
        const d = this.domain;
        const out: [T, T][] = [];
        let next: T | undefined = d.min;
        for (const [lo, hi] of this.intervals) {
            if (next !== undefined && lo > next) out.push([next, d.pred(lo)]);
            next = hi === d.max ? undefined : d.succ(hi);
        }
        if (next !== undefined) out.push([next, d.max]);
        return new IntervalSet(d, out);
    }

    intersect(other: IntervalSet<T>): IntervalSet<T> {
        if (this.isEmpty || other.isFull) return this;
        if (other.isEmpty || this.isFull) return other;
        const out: [T, T][] = [];
        const a = this.intervals;
        const b = other.intervals;
        let i = 0;
        let j = 0;
        while (i < a.length && j < b.length) {
            const lo = a[i][0] > b[j][0] ? a[i][0] : b[j][0];
            const hi = a[i][1] < b[j][1] ? a[i][1] : b[j][1];
            if (lo <= hi) out.push([lo, hi]);
            if (a[i][1] < b[j][1]) i++;
            else j++;
        }
        return out.length === 0 ? IntervalSet.empty(this.domain) : new IntervalSet(this.domain, out);
    }

    subtract(other: IntervalSet<T>): IntervalSet<T> {
        if (other.isEmpty || this.isEmpty) return this;
        return this.intersect(other.complement());
    }

    containsSet(other: IntervalSet<T>): boolean {
        for (const [lo, hi] of other.intervals) if (!this.containsRange(lo, hi)) return false;
        return true;
    }

    /** Whether every member of lo..hi is in the set; no sets are built, so asking often stays cheap. */
    containsRange(lo: T, hi: T): boolean {
        // Canonical intervals: lo..hi must lie inside the one that starts at or before lo.
        const at = lastStartingAtOrBefore(this.intervals, lo);
        return at >= 0 && this.intervals[at][1] >= hi;
    }

    overlaps(other: IntervalSet<T>): boolean {
        const [small, large] = other.intervals.length <= this.intervals.length ? [other, this] : [this, other];
        for (const [lo, hi] of small.intervals) if (large.overlapsRange(lo, hi)) return true;
        return false;
    }

    /** Whether some member of lo..hi is in the set. */
    overlapsRange(lo: T, hi: T): boolean {
        const at = lastStartingAtOrBefore(this.intervals, hi);
        return at >= 0 && this.intervals[at][1] >= lo;
    }

    has(x: T): boolean {
        let lo = 0;
        let hi = this.intervals.length - 1;
        while (lo <= hi) {
            const mid = (lo + hi) >> 1;
            const [a, b] = this.intervals[mid];
            if (x < a) hi = mid - 1;
            else if (x > b) lo = mid + 1;
            else return true;
        }
        return false;
    }

    equals(other: IntervalSet<T>): boolean {
        return (
            this.intervals.length === other.intervals.length &&
            this.intervals.every(([a, b], i) => a === other.intervals[i][0] && b === other.intervals[i][1])
        );
    }
}

/** Index of the last interval of a sorted list that starts at or before x; -1 if none. */
function lastStartingAtOrBefore<T extends number | bigint>(list: readonly Interval<T>[], x: T): number {
    let l = 0;
    let h = list.length - 1;
    let at = -1;
    while (l <= h) {
        const mid = (l + h) >> 1;
        if (list[mid][0] <= x) {
            at = mid;
            l = mid + 1;
        } else h = mid - 1;
    }
    return at;
}

/**
 * A union grown one interval at a time and asked questions in between (the denies met so far in an
 * ordered evaluation). Kept canonical on every add, so a question never rebuilds the set.
 */
export class IntervalUnion<T extends number | bigint> {
    private readonly list: [T, T][] = [];

    constructor(readonly domain: Domain<T>) {}

    /** Adds lo..hi, which must lie inside the domain with lo <= hi (intervals of a canonical set do). */
    add(lo: T, hi: T): void {
        const a = this.list;
        const succ = this.domain.succ;
        // First interval that ends at or just before lo (they merge when adjacent).
        let l = 0;
        let h = a.length;
        while (l < h) {
            const mid = (l + h) >> 1;
            if (succ(a[mid][1]) < lo) l = mid + 1;
            else h = mid;
        }
        let end = l;
        let newLo = lo;
        let newHi = hi;
        while (end < a.length && a[end][0] <= succ(hi)) {
            if (a[end][0] < newLo) newLo = a[end][0];
            if (a[end][1] > newHi) newHi = a[end][1];
            end++;
        }
        a.splice(l, end - l, [newLo, newHi]);
    }

    addSet(set: IntervalSet<T>): void {
        for (const [lo, hi] of set.intervals) this.add(lo, hi);
    }

    get isEmpty(): boolean {
        return this.list.length === 0;
    }

    get isFull(): boolean {
        return this.list.length === 1 && this.list[0][0] === this.domain.min && this.list[0][1] === this.domain.max;
    }

    containsSet(set: IntervalSet<T>): boolean {
        for (const [lo, hi] of set.intervals) {
            const at = lastStartingAtOrBefore(this.list, lo);
            if (at < 0 || this.list[at][1] < hi) return false;
        }
        return true;
    }

    toSet(): IntervalSet<T> {
        return IntervalSet.of(this.domain, this.list);
    }
}

export const PORT_MIN = 0;
export const PORT_MAX = 65535;

export const portDomain: Domain<number> = {
    min: PORT_MIN,
    max: PORT_MAX,
    succ: (x) => x + 1,
    pred: (x) => x - 1,
};

export type PortSet = IntervalSet<number>;

export const ALL_PORTS: PortSet = IntervalSet.full(portDomain);
export const NO_PORTS: PortSet = IntervalSet.empty(portDomain);

export function portRange(from: number, to: number): PortSet {
    return IntervalSet.of(portDomain, [[from, to]]);
}

/** Every port a connection can use, 1-65535: port 0 is reserved, so "1-65535" means every port as "0-65535" does. */
export function coversEveryPort(ports: PortSet): boolean {
    return ports.containsRange(1, PORT_MAX);
}

/** A short key for a port set, for memos; undefined for a set too fragmented to be worth remembering. */
export function portsKey(ports: PortSet): string | undefined {
    return ports.intervals.length <= 16 ? ports.intervals.join(",") : undefined;
}

/** "22, 80-90"; past `max` ranges, "... and N more ranges" with N at least 2 (one more is shown instead). */
export function formatPorts(ports: PortSet, max = 8): string {
    if (ports.isFull) return "0-65535 (all ports)";
    if (ports.isEmpty) return "no ports";
    const n = ports.intervals.length;
    const shown = n === max + 1 ? n : max;
    const parts = ports.intervals.slice(0, shown).map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`));
    return n > shown ? `${parts.join(", ")} and ${n - shown} more ranges` : parts.join(", ");
}
