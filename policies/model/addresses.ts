// Address sets: CIDR blocks parsed with ipaddr.js into bigint interval sets per IP family, so that
// "covers the whole internet" is a set question (0.0.0.0/1 + 128.0.0.0/1 is the world), never a
// string comparison.
import * as ipaddr from "ipaddr.js";
import { Domain, IntervalSet } from "./intervals";
import { BoundedMemo, WeakMemo } from "../base/memo";

export type AddrSet = IntervalSet<bigint>;

function addrDomain(bits: number): Domain<bigint> {
    return { min: 0n, max: (1n << BigInt(bits)) - 1n, succ: (x) => x + 1n, pred: (x) => x - 1n };
}
export const v4Domain = addrDomain(32);
export const v6Domain = addrDomain(128);

/** Words that mean any address of both families (Azure `*`, `Internet`, `Any`); CIDR spellings go through parseCidr. */
const WORLD_WORDS = new Set(["*", "internet", "any"]);

export type SymbolKind =
    | "security-group"
    | "prefix-list"
    | "self"
    | "service-tag"
    | "application-security-group"
    | "other"
    // GCP: VPC firewall sources, and firewall policy rule sources (never the whole internet; see adapters/gcp.ts)
    | "network-tag"
    | "service-account"
    | "secure-tag"
    | "address-group"
    | "fqdn"
    | "region-code"
    | "threat-intelligence"
    | "network"
    | "network-scope"
    // DigitalOcean firewall sources
    | "droplet"
    | "droplet-tag"
    | "load-balancer"
    | "kubernetes-cluster"
    // Kubernetes: NetworkPolicy peers, and what stands in front of a Service (see adapters/kubernetes.ts)
    | "pod-selector"
    | "namespace-selector"
    | "internal-load-balancer"
    | "node-firewall"
    | "external-ips"
    // Azure database firewall rules: 0.0.0.0-0.0.0.0, "allow Azure services" (see adapters/azure/databases.ts)
    | "azure-services";

export interface SymbolicPeer {
    kind: SymbolKind;
    /** Kept for messages only when it is an identifier, never for free text. */
    id?: string;
    /**
     * Where the reference stands, for finding what it names in the stack: the top-level input
     * property (which property dependencies are keyed by), the whole input path for messages
     * (`ingress[0].securityGroups[1]`), and its value when known (never printed).
     */
    ref?: { property: string; path?: string; literal?: string };
}

export interface PeerSet {
    v4: AddrSet;
    v6: AddrSet;
    /** Canonical CIDR texts as parsed, for messages. */
    cidrs: string[];
    /** Each address block as written (world words give one block per family), for per-source checks. */
    blocks: ParsedCidr[];
    symbols: SymbolicPeer[];
    /** Some peer values are unknown until update. */
    unknown: boolean;
    /**
     * Addresses excepted from the blocks above (Kubernetes `ipBlock.except`), already removed from
     * v4/v6. Present only when a block had exceptions. See worldReach.
     */
    excepted?: { v4: AddrSet; v6: AddrSet };
}

export function emptyPeers(): PeerSet {
    return { v4: IntervalSet.empty(v4Domain), v6: IntervalSet.empty(v6Domain), cidrs: [], blocks: [], symbols: [], unknown: false };
}

/**
 * The addresses a peer set reaches for the whole-internet question. An exception inside a block
 * counts the way a deny before an allow does: it closes the internet only once the exceptions cover
 * a whole address family (0.0.0.0/0 except 10.0.0.0/8 is still the internet).
 */
export function worldReach(p: Pick<PeerSet, "v4" | "v6" | "excepted">): { v4: AddrSet; v6: AddrSet } {
    return p.excepted ? reaches.get(p) : p;
}
/** Peer sets are not changed once built; the evaluation asks once per port segment. */
const reaches = new WeakMemo<Pick<PeerSet, "v4" | "v6" | "excepted">, { v4: AddrSet; v6: AddrSet }>((p) => ({
    v4: p.excepted!.v4.isFull ? p.v4 : p.v4.union(p.excepted!.v4),
    v6: p.excepted!.v6.isFull ? p.v6 : p.v6.union(p.excepted!.v6),
}));

export function coversWorld(p: Pick<PeerSet, "v4" | "v6" | "excepted">): boolean {
    const r = worldReach(p);
    return r.v4.isFull || r.v6.isFull;
}

/** Whether every address of the block lies inside the set. */
export function blockInside(b: ParsedCidr, set: { v4: AddrSet; v6: AddrSet }): boolean {
    return (b.family === "v4" ? set.v4 : set.v6).containsRange(b.range[0], b.range[1]);
}

/** Whether the block shares any address with the set. */
export function blockOverlaps(b: ParsedCidr, set: { v4: AddrSet; v6: AddrSet }): boolean {
    return (b.family === "v4" ? set.v4 : set.v6).overlapsRange(b.range[0], b.range[1]);
}

/** A block that is a whole address family: the internet, no-world-open-internal-ports' concern. */
export function isWholeFamily(b: ParsedCidr): boolean {
    const d = b.family === "v4" ? v4Domain : v6Domain;
    return b.range[0] === d.min && b.range[1] === d.max;
}

export function hasPeers(p: PeerSet): boolean {
    return !p.v4.isEmpty || !p.v6.isEmpty || p.symbols.length > 0;
}

export interface ParsedCidr {
    family: "v4" | "v6";
    range: readonly [bigint, bigint];
    text: string;
}

// Conversions go through one hex string: a BigInt operation per byte cost ~50 µs per IPv6 block.
function toBigInt(bytes: number[]): bigint {
    let hex = "0x";
    for (const b of bytes) hex += (b < 16 ? "0" : "") + b.toString(16);
    return BigInt(hex);
}

function rangeOf(addr: ipaddr.IPv4 | ipaddr.IPv6, prefix: number): ParsedCidr {
    const bits = addr.kind() === "ipv4" ? 32 : 128;
    const hostBits = BigInt(bits - prefix);
    const value = toBigInt(addr.toByteArray());
    const lo = (value >> hostBits) << hostBits;
    const hi = lo + (1n << hostBits) - 1n;
    return { family: bits === 32 ? "v4" : "v6", range: [lo, hi], text: `${fromBigInt(lo, bits / 8)}/${prefix}` };
}

/** An address range as people write it: a CIDR block where it is one ("10.0.1.0/24"), else "a-b". */
export function rangeText(family: "v4" | "v6", lo: bigint, hi: bigint): string {
    const bytes = family === "v4" ? 4 : 16;
    const size = hi - lo + 1n;
    if ((size & (size - 1n)) === 0n && lo % size === 0n) return `${fromBigInt(lo, bytes)}/${bytes * 8 - (size.toString(2).length - 1)}`;
    return `${fromBigInt(lo, bytes)}-${fromBigInt(hi, bytes)}`;
}

function fromBigInt(n: bigint, byteCount: number): string {
    const hex = n.toString(16).padStart(byteCount * 2, "0");
    const bytes: number[] = [];
    for (let i = 0; i < byteCount; i++) bytes.push(parseInt(hex.slice(2 * i, 2 * i + 2), 16));
    return ipaddr.fromByteArray(bytes).toString();
}

/**
 * Parsed CIDR texts other than plain IPv4. The same few blocks recur across rules and resources
 * (10,000 rules from ::/0 cost one parse, not 10,000), and IPv6 through ipaddr.js is slow. Results are
 * frozen and shared; only short texts are kept, and the cache starts over when full. Plain IPv4 is
 * read faster than the cache answers (a rule with 5,000 new sources spent more in the cache than in
 * parsing them), so it stays out.
 */
const parsedCache = new BoundedMemo<ParsedCidr | undefined>(20_000);
const CACHE_MAX_TEXT = 100;

/**
 * Parses a CIDR block, a plain address (a /32 or /128) or an "a-b" address range (Azure accepts
 * those). Host bits are masked off as the providers do. Returns undefined for anything else.
 */
export function parseCidr(value: string): ParsedCidr | undefined {
    const v4 = parsePlainV4(value);
    if (v4 !== null) return v4;
    return parsedCache.get(value.length > CACHE_MAX_TEXT ? undefined : value, () => {
        const parsed = parseCidrText(value);
        if (parsed) {
            Object.freeze(parsed.range);
            Object.freeze(parsed);
        }
        return parsed;
    });
}

/**
 * Dotted-quad IPv4, optionally with a prefix, spelled exactly as ipaddr.js's four-part decimal form
 * accepts it (no leading zeros). Read with integer arithmetic: ipaddr.js validates and parses each
 * address twice and goes through bytes and BigInt, ~20x slower, which a rule with 5,000 sources
 * felt. Everything else (IPv6, ranges, odd spellings and rejections) goes to ipaddr.js.
 */
const PLAIN_V4 = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})(?:\/(\d{1,3}))?$/;

function parsePlainV4(text: string): ParsedCidr | undefined | null {
    const m = PLAIN_V4.exec(text);
    if (!m) return null;
    let n = 0;
    for (let i = 1; i <= 4; i++) {
        const octet = Number(m[i]);
        if (octet > 255) return undefined;
        n = n * 256 + octet;
    }
    const prefix = m[5] === undefined ? 32 : Number(m[5]);
    if (prefix > 32) return undefined;
    const size = 2 ** (32 - prefix);
    const lo = n - (n % size);
    const dotted = `${Math.floor(lo / 16777216)}.${Math.floor(lo / 65536) % 256}.${Math.floor(lo / 256) % 256}.${lo % 256}`;
    return { family: "v4", range: [BigInt(lo), BigInt(lo + size - 1)], text: `${dotted}/${prefix}` };
}

function parseCidrText(value: string): ParsedCidr | undefined {
    const text = value.trim();
    const v4 = parsePlainV4(text);
    if (v4 !== null) return v4;
    if (text.includes("-")) {
        const parts = text.split("-").map((s) => s.trim());
        if (parts.length !== 2) return undefined;
        const [a, b] = parts;
        const lo = parseAddress(a);
        const hi = parseAddress(b);
        if (!lo || !hi || lo.family !== hi.family || lo.range[0] > hi.range[0]) return undefined;
        return { family: lo.family, range: [lo.range[0], hi.range[0]], text: `${a}-${b}` };
    }
    if (text.includes("/")) {
        const [addr, prefixText, ...extra] = text.split("/");
        if (extra.length > 0 || !/^\d{1,3}$/.test(prefixText)) return undefined;
        const prefix = Number(prefixText);
        // A colon means IPv6: ipaddr.js's IPv4 check would throw and catch internally (costly) to say no.
        if (!addr.includes(":") && ipaddr.IPv4.isValidFourPartDecimal(addr)) {
            return prefix <= 32 ? rangeOf(ipaddr.IPv4.parse(addr), prefix) : undefined;
        }
        const v6 = parseIPv6(addr);
        if (v6) return prefix <= 128 ? rangeOf(v6, prefix) : undefined;
        return undefined;
    }
    return parseAddress(text);
}

/** ipaddr.js's IPv6.isValid is a parse that discards its result: parse once instead. */
function parseIPv6(text: string): ipaddr.IPv6 | undefined {
    if (!text.includes(":")) return undefined;
    try {
        return ipaddr.IPv6.parse(text);
    } catch {
        return undefined;
    }
}

function parseAddress(text: string): ParsedCidr | undefined {
    if (!text.includes(":") && ipaddr.IPv4.isValidFourPartDecimal(text)) return rangeOf(ipaddr.IPv4.parse(text), 32);
    const v6 = parseIPv6(text);
    return v6 ? rangeOf(v6, 128) : undefined;
}

export function isWorldWord(value: string): boolean {
    return WORLD_WORDS.has(value.trim().toLowerCase());
}

/** Accumulates peers; builds the interval sets once at the end so 5,000 CIDRs cost one sort. */
export class PeerSetBuilder {
    private readonly v4: (readonly [bigint, bigint])[] = [];
    private readonly v6: (readonly [bigint, bigint])[] = [];
    private readonly cidrs: string[] = [];
    private readonly blocks: ParsedCidr[] = [];
    private readonly symbols: SymbolicPeer[] = [];
    private unknown = false;
    private excepted?: { v4: (readonly [bigint, bigint])[]; v6: (readonly [bigint, bigint])[] };

    addWorld(text = "0.0.0.0/0, ::/0"): void {
        this.v4.push([v4Domain.min, v4Domain.max]);
        this.v6.push([v6Domain.min, v6Domain.max]);
        this.cidrs.push(text);
        this.blocks.push(
            { family: "v4", range: [v4Domain.min, v4Domain.max], text },
            { family: "v6", range: [v6Domain.min, v6Domain.max], text },
        );
    }

    addCidr(c: ParsedCidr): void {
        (c.family === "v4" ? this.v4 : this.v6).push(c.range);
        this.cidrs.push(c.text);
        this.blocks.push(c);
    }

    /**
     * A block minus exceptions (Kubernetes `ipBlock` with `except`), by interval subtraction. Only
     * exceptions of the block's family count, clipped to the block. The block keeps its place in
     * `blocks` when it is a whole family the exceptions do not cover (still the internet, see
     * worldReach); otherwise `blocks` gets what remains of it.
     */
    addCidrExcept(c: ParsedCidr, except: readonly ParsedCidr[]): void {
        if (except.length === 0) {
            this.addCidr(c);
            return;
        }
        const domain = c.family === "v4" ? v4Domain : v6Domain;
        const block = IntervalSet.of(domain, [c.range]);
        const out = block.intersect(
            IntervalSet.of(
                domain,
                except.filter((e) => e.family === c.family).map((e) => e.range),
            ),
        );
        const rest = block.subtract(out);
        const text = `${c.text} except ${except.map((e) => e.text).join(" and ")}`;
        (c.family === "v4" ? this.v4 : this.v6).push(...rest.intervals);
        this.excepted ??= { v4: [], v6: [] };
        this.excepted[c.family].push(...out.intervals);
        this.cidrs.push(text);
        if (isWholeFamily(c) && !out.isFull) this.blocks.push({ ...c, text });
        else for (const range of rest.intervals) this.blocks.push({ family: c.family, range, text });
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
            cidrs: this.cidrs.length > 1 ? [...new Set(this.cidrs)] : this.cidrs,
            blocks: this.blocks,
            symbols: this.symbols,
            unknown: this.unknown,
            ...(this.excepted
                ? { excepted: { v4: IntervalSet.of(v4Domain, this.excepted.v4), v6: IntervalSet.of(v6Domain, this.excepted.v6) } }
                : {}),
        };
    }
}

export function cidrSet(values: readonly string[]): { v4: AddrSet; v6: AddrSet } {
    const v4: (readonly [bigint, bigint])[] = [];
    const v6: (readonly [bigint, bigint])[] = [];
    for (const v of values) {
        const parsed = parseCidr(v);
        if (parsed) (parsed.family === "v4" ? v4 : v6).push(parsed.range);
    }
    return { v4: IntervalSet.of(v4Domain, v4), v6: IntervalSet.of(v6Domain, v6) };
}
