// Findings as they accumulate: one entry per kind, protocol, port, client block and server address,
// with the records and bytes summed. Memory grows with the number of distinct findings only.
// IPv4 findings are keyed by numbers in two levels (kind, protocol, port and the client's /24 fit
// in 52 bits; the server address is the inner key): no string is built per record.
import { blockV4, blockV6, formatV4, formatV6 } from "./address";

export const INTERNET_TO_INTERNAL = 0;
export const REJECTED_DOCUMENTED_FLOW = 1;
export const UNDOCUMENTED_PORT = 2;
export const UNUSED_SERVICE = 3;
export const KIND_NAMES = ["internet-to-internal", "rejected-documented-flow", "undocumented-port", "unused-service"] as const;
export type FindingKind = (typeof KIND_NAMES)[number];

/** How many names a finding's `where` keeps. */
export const WHERE_LIMIT = 20;

export interface Entry {
    flows: number;
    bytes: number;
    /** Bitmask of the providers whose logs contributed (record.ts AWS, AZURE, GCP). */
    providers: number;
    where?: Set<string>;
}

/** A finding's key, decoded. `protocol`: 0 tcp, 1 udp, 2 icmp, 3 + n for another IANA protocol n. */
export interface Decoded {
    kind: number;
    protocol: number;
    /** -1: no port. */
    port: number;
    source: string;
    destination: string;
    entry: Entry;
}

const K_KIND = 2 ** 50;
const K_PROTOCOL = 2 ** 41;
const K_PORT = 2 ** 24;

export class Findings {
    private readonly v4 = new Map<number, Map<number, Entry>>();
    private readonly v6 = new Map<string, Entry>();
    count = 0;

    addV4(
        kind: number,
        protocol: number,
        port: number,
        client: number,
        server: number,
        bytes: number,
        providers: number,
        where: string,
    ): void {
        const outer = kind * K_KIND + protocol * K_PROTOCOL + (port + 1) * K_PORT + blockV4(client) / 256;
        let inner = this.v4.get(outer);
        if (inner === undefined) {
            inner = new Map();
            this.v4.set(outer, inner);
        }
        let e = inner.get(server);
        if (e === undefined) {
            e = { flows: 0, bytes: 0, providers: 0 };
            inner.set(server, e);
            this.count++;
        }
        bump(e, bytes, providers, where);
    }

    addV6(
        kind: number,
        protocol: number,
        port: number,
        client: bigint,
        server: bigint,
        bytes: number,
        providers: number,
        where: string,
    ): void {
        const key = `${kind}|${protocol}|${port}|${blockV6(client).toString(16)}|${server.toString(16)}`;
        let e = this.v6.get(key);
        if (e === undefined) {
            e = { flows: 0, bytes: 0, providers: 0 };
            this.v6.set(key, e);
            this.count++;
        }
        bump(e, bytes, providers, where);
    }

    *entries(): Generator<Decoded> {
        for (const [outer, inner] of this.v4) {
            const kind = Math.floor(outer / K_KIND);
            const protocol = Math.floor((outer % K_KIND) / K_PROTOCOL);
            const port = Math.floor((outer % K_PROTOCOL) / K_PORT) - 1;
            const source = `${formatV4((outer % K_PORT) * 256)}/24`;
            for (const [server, entry] of inner) yield { kind, protocol, port, source, destination: formatV4(server), entry };
        }
        for (const [key, entry] of this.v6) {
            const [kind, protocol, port, client, server] = key.split("|");
            yield {
                kind: Number(kind),
                protocol: Number(protocol),
                port: Number(port),
                source: `${formatV6(BigInt(`0x${client}`))}/64`,
                destination: formatV6(BigInt(`0x${server}`)),
                entry,
            };
        }
    }
}

function bump(e: Entry, bytes: number, providers: number, where: string): void {
    e.flows++;
    e.bytes += bytes;
    e.providers |= providers;
    if (where !== "") {
        e.where ??= new Set();
        if (e.where.size < WHERE_LIMIT) e.where.add(where);
    }
}
