// Addresses as flow logs carry them: IPv4 as an unsigned 32-bit number read straight from the bytes
// (the hot path: one AWS record holds two or four of them), IPv6 as a bigint through ipaddr.js
// (rare in flow logs, so parsing it as text costs nothing that matters).
import * as ipaddr from "ipaddr.js";

/** IPv4 dotted quad in buf[i, j) as an unsigned number; -1 if it is not one. */
export function parseV4(buf: Uint8Array, i: number, j: number): number {
    let value = 0;
    let octet = 0;
    let digits = 0;
    let dots = 0;
    for (let k = i; k < j; k++) {
        const c = buf[k];
        if (c >= 48 && c <= 57) {
            octet = octet * 10 + (c - 48);
            if (++digits > 3 || octet > 255) return -1;
        } else if (c === 46) {
            if (digits === 0 || ++dots > 3) return -1;
            value = value * 256 + octet;
            octet = 0;
            digits = 0;
        } else {
            return -1;
        }
    }
    if (dots !== 3 || digits === 0) return -1;
    return value * 256 + octet;
}

/** IPv4 text to a number; -1 if it is not a dotted quad. */
export function parseV4Text(text: string): number {
    return parseV4(Buffer.from(text, "latin1"), 0, text.length);
}

/** IPv6 text (RFC 4291 forms, no zone) as a 128-bit number; undefined if it is not one. */
export function parseV6Text(text: string): bigint | undefined {
    if (!text.includes(":") || text.includes("%")) return undefined;
    try {
        return bytesToBigInt(ipaddr.IPv6.parse(text).toByteArray());
    } catch {
        return undefined;
    }
}

function bytesToBigInt(bytes: number[]): bigint {
    let hex = "0x";
    for (const b of bytes) hex += (b < 16 ? "0" : "") + b.toString(16);
    return BigInt(hex);
}

export function formatV4(a: number): string {
    return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

export function formatV6(a: bigint): string {
    const hex = a.toString(16).padStart(32, "0");
    const bytes: number[] = [];
    for (let i = 0; i < 16; i++) bytes.push(parseInt(hex.slice(2 * i, 2 * i + 2), 16));
    return ipaddr.fromByteArray(bytes).toString();
}

/** The client's block in findings: its /24 (IPv4) or /64 (IPv6). */
export function blockV4(a: number): number {
    return a - (a % 256);
}

const LOW64 = (1n << 64n) - 1n;

export function blockV6(a: bigint): bigint {
    return a & ~LOW64;
}

// Not public, whatever the registry says: RFC 1918, CGNAT (RFC 6598), link-local (RFC 3927).
const PRIVATE_V4: readonly [number, number][] = [
    [0x0a000000, 0x0affffff], // 10.0.0.0/8
    [0x64400000, 0x647fffff], // 100.64.0.0/10
    [0xa9fe0000, 0xa9feffff], // 169.254.0.0/16
    [0xac100000, 0xac1fffff], // 172.16.0.0/12
    [0xc0a80000, 0xc0a8ffff], // 192.168.0.0/16
];

export function isPrivateV4(a: number): boolean {
    for (const [lo, hi] of PRIVATE_V4) if (a >= lo && a <= hi) return true;
    return false;
}

// Unique local fc00::/7 (RFC 4193) and link-local fe80::/10.
export function isPrivateV6(a: bigint): boolean {
    const top = Number(a >> 112n);
    return (top & 0xfe00) === 0xfc00 || (top & 0xffc0) === 0xfe80;
}

/**
 * Sorted, disjoint address ranges with a binary search: knownCidrs and a service's clients. IPv4
 * bounds are numbers (no bigint on the hot path), IPv6 bounds bigints.
 */
export class AddressTable {
    private readonly lo4: Float64Array;
    private readonly hi4: Float64Array;

    constructor(
        v4: readonly (readonly [bigint, bigint])[],
        private readonly v6: readonly (readonly [bigint, bigint])[],
    ) {
        this.lo4 = Float64Array.from(v4, (r) => Number(r[0]));
        this.hi4 = Float64Array.from(v4, (r) => Number(r[1]));
    }

    get isEmpty(): boolean {
        return this.lo4.length === 0 && this.v6.length === 0;
    }

    hasV4(a: number): boolean {
        const lo = this.lo4;
        let l = 0;
        let h = lo.length - 1;
        while (l <= h) {
            const m = (l + h) >> 1;
            if (lo[m] > a) h = m - 1;
            else if (this.hi4[m] < a) l = m + 1;
            else return true;
        }
        return false;
    }

    hasV6(a: bigint): boolean {
        for (const [lo, hi] of this.v6) if (a >= lo && a <= hi) return true;
        return false;
    }
}
