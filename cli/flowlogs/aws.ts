// AWS VPC flow logs as delivered to S3 or CloudWatch Logs: one record per line, fields separated by
// single spaces, in the order of the flow log's format ("Flow log records", Amazon VPC User Guide).
// The default format is version 2's 14 fields; a custom format names its fields in a header line
// (S3) or, where the delivery has none (CloudWatch Logs, Firehose), in --aws-fields. A field that
// does not apply is "-"; NODATA and SKIPDATA records carry no flow.
//
// This is the hot path of the command. Lines are found with Buffer#indexOf and fields scanned byte
// by byte; IPv4 addresses become numbers without a string. A line with an address that is not
// IPv4 (IPv6) is read again through the string path below. Written here rather than with a CSV
// library: those build a string per field, which is most of the cost of a record.
import { parseV4, parseV4Text, parseV6Text } from "./address";
import { AWS, FlowRecord, newRecord, ReadContext, Reader, UnusableInput } from "./record";

export const DEFAULT_FIELDS = [
    "version",
    "account-id",
    "interface-id",
    "srcaddr",
    "dstaddr",
    "srcport",
    "dstport",
    "protocol",
    "packets",
    "bytes",
    "start",
    "end",
    "action",
    "log-status",
] as const;

// Roles of the fields the command reads; every other field is skipped.
const IGNORE = 0;
const SRCADDR = 1;
const DSTADDR = 2;
const SRCPORT = 3;
const DSTPORT = 4;
const PROTOCOL = 5;
const BYTES = 6;
const START = 7;
const ACTION = 8;
const STATUS = 9;
const INTERFACE = 10;
const PKT_SRCADDR = 11;
const PKT_DSTADDR = 12;

const ROLE_OF: Record<string, number> = {
    srcaddr: SRCADDR,
    dstaddr: DSTADDR,
    srcport: SRCPORT,
    dstport: DSTPORT,
    protocol: PROTOCOL,
    bytes: BYTES,
    start: START,
    action: ACTION,
    "log-status": STATUS,
    "interface-id": INTERFACE,
    "pkt-srcaddr": PKT_SRCADDR,
    "pkt-dstaddr": PKT_DSTADDR,
};
const REQUIRED = ["srcaddr", "dstaddr", "srcport", "dstport", "protocol", "action"];

const STATUS_OK = 1;
const STATUS_NODATA = 2;
const STATUS_SKIPDATA = 3;

/** A line longer than this is not a flow log record (the widest custom format is under 2 KB). */
const MAX_LINE = 64 * 1024;

/** Field names from a header line or --aws-fields: `a b c` or `${a} ${b} ${c}`. */
export function parseFieldList(text: string): string[] {
    return text
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map((f) => f.replace(/^\$\{(.*)\}$/, "$1"));
}

/** Whether a line is a header: field names only, srcaddr and dstaddr among them. */
export function isHeaderLine(line: string): boolean {
    const names = line.trim().split(/\s+/);
    return names.every((n) => /^[a-z][a-z0-9-]*$/.test(n)) && names.includes("srcaddr") && names.includes("dstaddr");
}

/** The role of each field; throws UnusableInput naming what is missing. */
export function layoutOf(fields: readonly string[], file: string, from: string): Int8Array {
    const missing = REQUIRED.filter((r) => !fields.includes(r));
    if (missing.length > 0) {
        throw new UnusableInput(
            `${file}: the ${from} has no ${missing.join(", ")} field${missing.length > 1 ? "s" : ""}; ` +
                "the flow log's format must include srcaddr, dstaddr, srcport, dstport, protocol and action (bytes, start, log-status, " +
                "interface-id, pkt-srcaddr and pkt-dstaddr are read when present)",
        );
    }
    return Int8Array.from(fields, (f) => ROLE_OF[f] ?? IGNORE);
}

/** Whether the text looks like AWS flow log lines: a header, or a record with the default format's 14 fields. */
export function looksLikeAws(firstLine: string, fieldsOption?: readonly string[]): boolean {
    if (isHeaderLine(firstLine)) return true;
    const parts = firstLine.trim().split(" ");
    if (fieldsOption) return parts.length === fieldsOption.length;
    return parts.length === DEFAULT_FIELDS.length && /^\d+$/.test(parts[0]) && /^(ACCEPT|REJECT|-)$/.test(parts[12]);
}

export class AwsReader implements Reader {
    private roles?: Int8Array;
    private lineNo = 0;
    private carry?: Buffer;
    private readonly rec: FlowRecord = newRecord(AWS);
    // Per-line state: set by the field scan, read by finish().
    private srcaddr = -1;
    private dstaddr = -1;
    private pktSrc = -1;
    private pktDst = -1;
    private v6 = false;
    private src6 = 0n;
    private dst6 = 0n;
    private srcport = -1;
    private dstport = -1;
    private protocol = -1;
    private bytes = 0;
    private start = NaN;
    private action = 0;
    private status = 0;
    private ifStart = 0;
    private ifEnd = 0;
    private hasStart = false;

    constructor(
        private readonly ctx: ReadContext,
        private readonly fieldsOption?: readonly string[],
    ) {}

    push(chunk: Buffer): void {
        let start = 0;
        if (this.carry !== undefined) {
            const nl = chunk.indexOf(10);
            if (nl < 0) {
                this.carry = Buffer.concat([this.carry, chunk]);
                if (this.carry.length > MAX_LINE) this.tooLong();
                return;
            }
            const line = Buffer.concat([this.carry, chunk.subarray(0, nl)]);
            this.carry = undefined;
            this.line(line, 0, line.length);
            start = nl + 1;
        }
        let nl: number;
        while ((nl = chunk.indexOf(10, start)) >= 0) {
            this.line(chunk, start, nl);
            start = nl + 1;
        }
        // Copied: a view would keep the whole chunk alive.
        if (start < chunk.length) {
            this.carry = Buffer.from(chunk.subarray(start));
            if (this.carry.length > MAX_LINE) this.tooLong();
        }
    }

    end(): void {
        if (this.carry !== undefined) {
            const line = this.carry;
            this.carry = undefined;
            this.line(line, 0, line.length);
        }
    }

    /** Records read from this file. */
    read = 0;

    /** The file had records but none with a start time (--since/--until need one). */
    get untimed(): boolean {
        return this.read > 0 && !this.hasStart;
    }

    private tooLong(): void {
        this.lineNo++;
        this.ctx.stats.skip(
            this.ctx.file,
            String(this.lineNo),
            `a line longer than ${MAX_LINE / 1024} KiB is not a flow log record`,
            this.carry!.subarray(0, 160).toString("latin1"),
        );
        this.carry = undefined;
        this.skipRestOfLine = true;
    }

    private skipRestOfLine = false;

    private line(buf: Buffer, s: number, e: number): void {
        if (this.skipRestOfLine) {
            this.skipRestOfLine = false;
            return;
        }
        if (e > s && buf[e - 1] === 13) e--;
        if (e === s) {
            this.lineNo++;
            return;
        }
        this.lineNo++;
        let roles = this.roles;
        if (roles === undefined) {
            roles = this.firstLine(buf.toString("latin1", s, e));
            if (roles === undefined) return;
        }
        this.srcaddr = this.dstaddr = this.pktSrc = this.pktDst = -1;
        this.srcport = this.dstport = this.protocol = -1;
        this.bytes = 0;
        this.start = NaN;
        this.action = this.status = 0;
        this.ifStart = this.ifEnd = 0;
        let slow = false;
        const n = roles.length;
        let f = 0;
        let i = s;
        for (;;) {
            let j = i;
            while (j < e && buf[j] !== 32) j++;
            if (f < n) {
                switch (roles[f]) {
                    case IGNORE:
                        break;
                    case SRCADDR:
                        if ((this.srcaddr = address(buf, i, j)) === -2) slow = true;
                        break;
                    case DSTADDR:
                        if ((this.dstaddr = address(buf, i, j)) === -2) slow = true;
                        break;
                    case PKT_SRCADDR:
                        if ((this.pktSrc = address(buf, i, j)) === -2) slow = true;
                        break;
                    case PKT_DSTADDR:
                        if ((this.pktDst = address(buf, i, j)) === -2) slow = true;
                        break;
                    case SRCPORT:
                        this.srcport = uint(buf, i, j);
                        break;
                    case DSTPORT:
                        this.dstport = uint(buf, i, j);
                        break;
                    case PROTOCOL:
                        this.protocol = uint(buf, i, j);
                        break;
                    case BYTES:
                        this.bytes = uint(buf, i, j);
                        break;
                    case START:
                        this.start = uint(buf, i, j);
                        break;
                    case ACTION:
                        this.action = actionOf(buf, i, j);
                        break;
                    case STATUS:
                        this.status = statusOf(buf, i, j);
                        break;
                    case INTERFACE:
                        this.ifStart = i;
                        this.ifEnd = j;
                        break;
                }
            }
            f++;
            if (j >= e) break;
            i = j + 1;
        }
        if (f !== n) return this.skipOrHeader(buf, s, e, `${f} field${f === 1 ? "" : "s"} where the format has ${n}`);
        this.v6 = false;
        if (slow) {
            const problem = this.reparse(buf.toString("latin1", s, e), roles);
            if (problem) return this.skipOrHeader(buf, s, e, problem);
        }
        this.finish(buf, s, e);
    }

    /**
     * The string path, for a line with an address that is not IPv4: the source and destination
     * (pkt-srcaddr and pkt-dstaddr where present) as IPv6. A problem if they are not both IPv6.
     */
    private reparse(text: string, roles: Int8Array): string | undefined {
        const parts = text.split(" ");
        const at = (role: number) => parts[roles.indexOf(role)];
        const pick = (pkt: number, plain: number) =>
            roles.includes(pkt) && at(pkt) !== "-" ? at(pkt) : roles.includes(plain) ? at(plain) : "-";
        const srcText = pick(PKT_SRCADDR, SRCADDR);
        const dstText = pick(PKT_DSTADDR, DSTADDR);
        const src = parseV6Text(srcText);
        const dst = parseV6Text(dstText);
        if (src !== undefined && dst !== undefined) {
            this.v6 = true;
            this.src6 = src;
            this.dst6 = dst;
            return undefined;
        }
        if (srcText === "-" || dstText === "-") return "no source or destination address";
        if ((src === undefined && parseV4Text(srcText) < 0) || (dst === undefined && parseV4Text(dstText) < 0))
            return "an address that is neither IPv4 nor IPv6";
        if (src !== undefined || dst !== undefined) return "an IPv4 and an IPv6 address in one record";
        // Both IPv4 after all: the unreadable address was a field the command does not use as the address.
        this.srcaddr = parseV4Text(srcText);
        this.dstaddr = parseV4Text(dstText);
        this.pktSrc = this.pktDst = -1;
        return undefined;
    }

    private finish(buf: Buffer, s: number, e: number): void {
        const stats = this.ctx.stats;
        if (this.status === STATUS_NODATA || this.status === STATUS_SKIPDATA) {
            stats.records++;
            this.read++;
            if (this.status === STATUS_NODATA) stats.nodata++;
            else stats.skipdata++;
            return;
        }
        if (this.status > STATUS_SKIPDATA) return this.skip(buf, s, e, "a log-status that is not OK, NODATA or SKIPDATA");
        if (this.action === 0) return this.skip(buf, s, e, "an action that is not ACCEPT or REJECT");
        if (this.protocol < 0 || this.protocol > 255) return this.skip(buf, s, e, "no protocol number");
        const r = this.rec;
        r.v6 = this.v6;
        if (this.v6) {
            r.src6 = this.src6;
            r.dst6 = this.dst6;
        } else {
            const src = this.pktSrc >= 0 ? this.pktSrc : this.srcaddr;
            const dst = this.pktDst >= 0 ? this.pktDst : this.dstaddr;
            if (src < 0 || dst < 0) return this.skip(buf, s, e, "no source or destination address");
            r.src = src;
            r.dst = dst;
        }
        r.protocol = this.protocol;
        const ported = this.protocol === 6 || this.protocol === 17;
        if (ported && (this.srcport < 0 || this.srcport > 65535 || this.dstport < 0 || this.dstport > 65535)) {
            return this.skip(buf, s, e, "a tcp or udp record without a port from 0 to 65535");
        }
        r.srcPort = ported ? this.srcport : -1;
        r.dstPort = ported ? this.dstport : -1;
        r.bytes = this.bytes < 0 ? 0 : this.bytes;
        r.time = this.start < 0 ? NaN : this.start;
        if (this.start >= 0) this.hasStart = true;
        r.accepted = this.action === 1;
        r.where = !r.accepted && this.ifEnd > this.ifStart ? buf.toString("latin1", this.ifStart, this.ifEnd) : "";
        if (r.where === "-") r.where = "";
        stats.records++;
        this.read++;
        this.ctx.sink(r);
    }

    /** A header line further down (files joined together) names the fields from there on. */
    private skipOrHeader(buf: Buffer, s: number, e: number, why: string): void {
        const text = buf.toString("latin1", s, e);
        if (isHeaderLine(text)) this.roles = layoutOf(parseFieldList(text), this.ctx.file, `header line ${this.lineNo}`);
        else this.skip(buf, s, e, why);
    }

    private skip(buf: Buffer, s: number, e: number, why: string): void {
        this.ctx.stats.skip(this.ctx.file, String(this.lineNo), why, buf.toString("latin1", s, Math.min(e, s + 200)));
    }

    /** A header names this file's fields; otherwise --aws-fields or the default format does. */
    private firstLine(text: string): Int8Array | undefined {
        if (isHeaderLine(text)) {
            const fields = parseFieldList(text);
            if (this.fieldsOption && this.fieldsOption.join(" ") !== fields.join(" ")) {
                this.ctx.warn(`${this.ctx.file}: its header line names the fields, so --aws-fields is not used for it`);
            }
            this.roles = layoutOf(fields, this.ctx.file, "header line");
            return undefined;
        }
        const count = text.trim().split(" ").length;
        if (this.fieldsOption) {
            this.roles = layoutOf(this.fieldsOption, this.ctx.file, "--aws-fields list");
        } else if (count === DEFAULT_FIELDS.length) {
            this.roles = layoutOf(DEFAULT_FIELDS, this.ctx.file, "default format");
        } else {
            throw new UnusableInput(
                `${this.ctx.file}: line 1 has ${count} fields and no header line names them (the default format has 14); ` +
                    'pass the flow log\'s format with --aws-fields, e.g. --aws-fields "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"',
            );
        }
        return this.roles;
    }
}

/** A port, protocol, byte count or time: -1 for "-", -3 for anything else that is not a number. */
function uint(buf: Uint8Array, i: number, j: number): number {
    if (j === i + 1 && buf[i] === 45) return -1;
    if (j === i || j - i > 15) return -3;
    let v = 0;
    for (let k = i; k < j; k++) {
        const c = buf[k] - 48;
        if (c < 0 || c > 9) return -3;
        v = v * 10 + c;
    }
    return v;
}

/** IPv4 as a number; -1 for "-"; -2 for anything else (read again as text). */
function address(buf: Uint8Array, i: number, j: number): number {
    const a = parseV4(buf, i, j);
    if (a >= 0) return a;
    if (j === i + 1 && buf[i] === 45) return -1;
    return -2;
}

/** 1 ACCEPT, 2 REJECT, 0 anything else ("-" included). */
function actionOf(buf: Uint8Array, i: number, j: number): number {
    if (j - i === 6 && buf[i] === 65 && buf[i + 1] === 67 && buf[i + 2] === 67) return 1; // ACC(EPT)
    if (j - i === 6 && buf[i] === 82 && buf[i + 1] === 69 && buf[i + 2] === 74) return 2; // REJ(ECT)
    return 0;
}

/** OK, NODATA, SKIPDATA; 4 for another value, 0 for "-". */
function statusOf(buf: Uint8Array, i: number, j: number): number {
    const n = j - i;
    if (n === 2 && buf[i] === 79 && buf[i + 1] === 75) return STATUS_OK;
    if (n === 6 && buf[i] === 78 && buf[i + 1] === 79) return STATUS_NODATA;
    if (n === 8 && buf[i] === 83 && buf[i + 1] === 75) return STATUS_SKIPDATA;
    if (n === 1 && buf[i] === 45) return 0;
    return 4;
}
