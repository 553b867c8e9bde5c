// Protocol names and numbers as providers spell them, folded into the few the policies reason about.

export type Protocol = "tcp" | "udp" | "icmp" | "all" | "other";

/** Protocols that carry ports or are judged as a unit. "all" expands to these; "other" (GRE, ESP, ...) to none. */
export const CONCRETE_PROTOCOLS = ["tcp", "udp", "icmp"] as const;
export type ConcreteProtocol = (typeof CONCRETE_PROTOCOLS)[number];

export interface ParsedProtocol {
    protocol: Protocol;
    /** IANA number for "other" protocols, e.g. 47 for GRE. */
    number?: number;
}

const BY_NAME: Record<string, Protocol> = {
    tcp: "tcp",
    udp: "udp",
    icmp: "icmp",
    icmpv6: "icmp",
    "icmp-v6": "icmp",
    ipv6icmp: "icmp",
    all: "all",
    "*": "all",
    "-1": "all",
    any: "all",
};
const BY_NUMBER: Record<number, Protocol> = { 6: "tcp", 17: "udp", 1: "icmp", 58: "icmp" };
const OTHER_NAMES: Record<string, number> = { esp: 50, ah: 51, gre: 47, sctp: 132, ipip: 4 };

/** Own keys only: "constructor" or "__proto__" must not find Object.prototype's members. */
const own = (table: object, key: string | number): boolean => Object.prototype.hasOwnProperty.call(table, key);

/** Returns undefined for values that are not a protocol (the caller reports them). */
export function parseProtocol(value: unknown): ParsedProtocol | undefined {
    if (typeof value === "number") return fromNumber(value);
    if (typeof value !== "string") return undefined;
    const text = value.trim().toLowerCase();
    if (own(BY_NAME, text)) return { protocol: BY_NAME[text] };
    if (own(OTHER_NAMES, text)) return { protocol: "other", number: OTHER_NAMES[text] };
    if (/^-?\d+$/.test(text)) return fromNumber(Number(text));
    return undefined;
}

function fromNumber(n: number): ParsedProtocol | undefined {
    if (n === -1) return { protocol: "all" };
    if (!Number.isInteger(n) || n < 0 || n > 255) return undefined;
    return own(BY_NUMBER, n) ? { protocol: BY_NUMBER[n] } : { protocol: "other", number: n };
}

export function protocolCovers(rule: Protocol, concrete: ConcreteProtocol): boolean {
    return rule === "all" || rule === concrete;
}
