// One flow record as every reader hands it on: an AWS line, an Azure flow tuple, a GCP log entry.
// Readers fill one object per file and reuse it for every record, so the hot path allocates nothing.

import { parseV4Text, parseV6Text } from "./address";

export const AWS = 1;
export const AZURE = 2;
export const GCP = 4;
export const PROVIDER_NAMES: Record<number, string> = { [AWS]: "aws", [AZURE]: "azure", [GCP]: "gcp" };

export interface FlowRecord {
    /** IANA protocol number (6 tcp, 17 udp, 1 and 58 icmp). */
    protocol: number;
    v6: boolean;
    /** IPv4 addresses as unsigned numbers (when !v6). */
    src: number;
    dst: number;
    /** IPv6 addresses (when v6). */
    src6: bigint;
    dst6: bigint;
    /** -1 when the record has none (icmp, other protocols). */
    srcPort: number;
    dstPort: number;
    /** Both directions where the log counts them separately (Azure). */
    bytes: number;
    accepted: boolean;
    /** Start of the flow, seconds since the epoch; NaN when the record does not say. */
    time: number;
    /** What the log names as deciding (interface, NSG rule, firewall rule); read for rejected records only. */
    where: string;
    provider: number;
}

export function newRecord(provider: number): FlowRecord {
    return {
        protocol: 0,
        v6: false,
        src: 0,
        dst: 0,
        src6: 0n,
        dst6: 0n,
        srcPort: -1,
        dstPort: -1,
        bytes: 0,
        accepted: true,
        time: NaN,
        where: "",
        provider,
    };
}

/** The command cannot read a file at all (not a flow log, a layout it cannot place): exit 2, naming it. */
export class UnusableInput extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UnusableInput";
    }
}

/** Counts across the run: records read, records that could not be read and the first few of them. */
export class ReadStats {
    records = 0;
    skipped = 0;
    nodata = 0;
    skipdata = 0;
    readonly samples: string[] = [];
    static readonly SAMPLES = 5;

    skip(file: string, where: string, why: string, text: string): void {
        this.skipped++;
        if (this.samples.length < ReadStats.SAMPLES) {
            const shown = text.length > 160 ? `${text.slice(0, 160)}…` : text;
            this.samples.push(`${file}:${where}: ${why}: ${JSON.stringify(shown)}`);
        }
    }
}

/** What a reader gets: where its records go and where it reports. */
export interface ReadContext {
    /** The file as the user named it (or "-" for standard input), for messages. */
    file: string;
    sink: (r: FlowRecord) => void;
    stats: ReadStats;
    warn: (message: string) => void;
}

/** Readers take the file's bytes chunk by chunk (decompressed), in order. */
export interface Reader {
    push(chunk: Buffer): void;
    /** The file ended (a JSON reader warns when its document is cut short). */
    end(): void;
}

// Small checks the JSON readers share.
export type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);
export const isPort = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 65535;

/** Sets the record's addresses from text; false unless both are IPv4 or both IPv6. */
export function setAddresses(r: FlowRecord, srcText: string, dstText: string): boolean {
    const src4 = parseV4Text(srcText);
    const dst4 = parseV4Text(dstText);
    if (src4 >= 0 && dst4 >= 0) {
        r.v6 = false;
        r.src = src4;
        r.dst = dst4;
        return true;
    }
    const src6 = parseV6Text(srcText);
    const dst6 = parseV6Text(dstText);
    if (src6 === undefined || dst6 === undefined) return false;
    r.v6 = true;
    r.src6 = src6;
    r.dst6 = dst6;
    return true;
}

/** The parsed JSON, or undefined after counting it as skipped. */
export function parseOrSkip(ctx: ReadContext, json: string, where: string, text = json): unknown {
    try {
        return JSON.parse(json);
    } catch (e) {
        ctx.stats.skip(ctx.file, where, `not valid JSON (${(e as Error).message})`, text);
        return undefined;
    }
}
