// Address sets: CIDR blocks parsed with ipaddr.js into bigint interval sets per IP family, so that
// "covers the whole internet" is a set question (0.0.0.0/1 + 128.0.0.0/1 is the world), never a
// string comparison.
import * as ipaddr from "ipaddr.js";
import { Domain, IntervalSet } from "./intervals";

export type AddrSet = IntervalSet<bigint>;

function addrDomain(bits: number): Domain<bigint> {
    return { min: 0n, max: (1n << BigInt(bits)) - 1n, succ: (x) => x + 1n, pred: (x) => x - 1n };
}
export const v4Domain = addrDomain(32);
export const v6Domain = addrDomain(128);

/** Words that mean any address of both families (Azure `*`, `Internet`, `Any`); CIDR spellings go through parseCidr. */
const WORLD_WORDS = new Set(["*", "internet", "any"]);

export type SymbolKind = "security-group" | "prefix-list" | "self" | "service-tag" | "application-security-group" | "other";

export interface SymbolicPeer {
    kind: SymbolKind;
    /** Kept for messages only when it is an identifier, never for free text. */
    id?: string;
}

export interface PeerSet {
    v4: AddrSet;
    v6: AddrSet;
    /** Canonical CIDR texts as parsed, for messages. */
    cidrs: string[];
    symbols: SymbolicPeer[];
    /** Some peer values are unknown until update. */
    unknown: boolean;
}

export function emptyPeers(): PeerSet {
    return { v4: IntervalSet.empty(v4Domain), v6: IntervalSet.empty(v6Domain), cidrs: [], symbols: [], unknown: false };
}

export function coversWorld(p: Pick<PeerSet, "v4" | "v6">): boolean {
    return p.v4.isFull || p.v6.isFull;
}

export function hasPeers(p: PeerSet): boolean {
    return !p.v4.isEmpty || !p.v6.isEmpty || p.symbols.length > 0;
}

export interface ParsedCidr {
    family: "v4" | "v6";
    range: readonly [bigint, bigint];
    text: string;
}

function toBigInt(bytes: number[]): bigint {
    let n = 0n;
    for (const b of bytes) n = (n << 8n) | BigInt(b);
    return n;
}

function rangeOf(addr: ipaddr.IPv4 | ipaddr.IPv6, prefix: number): ParsedCidr {
    const bits = addr.kind() === "ipv4" ? 32 : 128;
    const hostBits = BigInt(bits - prefix);
    const value = toBigInt(addr.toByteArray());
    const lo = (value >> hostBits) << hostBits;
    const hi = lo + (1n << hostBits) - 1n;
    return { family: bits === 32 ? "v4" : "v6", range: [lo, hi], text: `${fromBigInt(lo, bits / 8)}/${prefix}` };
}

function fromBigInt(n: bigint, byteCount: number): string {
    const bytes: number[] = [];
    for (let i = byteCount - 1; i >= 0; i--) bytes.push(Number((n >> BigInt(i * 8)) & 0xffn));
    return ipaddr.fromByteArray(bytes).toString();
}

/**
 * Parses a CIDR block, a plain address (a /32 or /128) or an "a-b" address range (Azure accepts
 * those). Host bits are masked off as the providers do. Returns undefined for anything else.
 */
export function parseCidr(value: string): ParsedCidr | undefined {
    const text = value.trim();
    if (text.includes("-")) {
        const [a, b] = text.split("-", 2).map((s) => s.trim());
        const lo = parseAddress(a);
        const hi = parseAddress(b);
        if (!lo || !hi || lo.family !== hi.family || lo.range[0] > hi.range[0]) return undefined;
        return { family: lo.family, range: [lo.range[0], hi.range[0]], text: `${a}-${b}` };
    }
    if (text.includes("/")) {
        const [addr, prefixText] = text.split("/", 2);
        if (!/^\d{1,3}$/.test(prefixText)) return undefined;
        const prefix = Number(prefixText);
        if (ipaddr.IPv4.isValidFourPartDecimal(addr)) {
            return prefix <= 32 ? rangeOf(ipaddr.IPv4.parse(addr), prefix) : undefined;
        }
        if (ipaddr.IPv6.isValid(addr)) {
            return prefix <= 128 ? rangeOf(ipaddr.IPv6.parse(addr), prefix) : undefined;
        }
        return undefined;
    }
    return parseAddress(text);
}

function parseAddress(text: string): ParsedCidr | undefined {
    if (ipaddr.IPv4.isValidFourPartDecimal(text)) return rangeOf(ipaddr.IPv4.parse(text), 32);
    if (ipaddr.IPv6.isValid(text)) return rangeOf(ipaddr.IPv6.parse(text), 128);
    return undefined;
}

export function isWorldWord(value: string): boolean {
    return WORLD_WORDS.has(value.trim().toLowerCase());
}

/** Accumulates peers; builds the interval sets once at the end so 5,000 CIDRs cost one sort. */
export class PeerSetBuilder {
    private readonly v4: (readonly [bigint, bigint])[] = [];
    private readonly v6: (readonly [bigint, bigint])[] = [];
    private readonly cidrs: string[] = [];
    private readonly symbols: SymbolicPeer[] = [];
    private unknown = false;

    addWorld(text = "0.0.0.0/0, ::/0"): void {
        this.v4.push([v4Domain.min, v4Domain.max]);
        this.v6.push([v6Domain.min, v6Domain.max]);
        this.cidrs.push(text);
    }

    addCidr(c: ParsedCidr): void {
        (c.family === "v4" ? this.v4 : this.v6).push(c.range);
        this.cidrs.push(c.text);
    }

    addSymbol(s: SymbolicPeer): void {
        this.symbols.push(s);
    }

    markUnknown(): void {
        this.unknown = true;
    }

    build(): PeerSet {
        return {
            v4: IntervalSet.of(v4Domain, this.v4),
            v6: IntervalSet.of(v6Domain, this.v6),
            cidrs: [...new Set(this.cidrs)],
            symbols: this.symbols,
            unknown: this.unknown,
        };
    }
}

export function cidrSet(values: string[]): { v4: AddrSet; v6: AddrSet } {
    const b = new PeerSetBuilder();
    for (const v of values) {
        const parsed = parseCidr(v);
        if (parsed) b.addCidr(parsed);
    }
    const { v4, v6 } = b.build();
    return { v4, v6 };
}
