// GCP VPC Flow Logs and Firewall Rules Logging entries as a Cloud Logging sink writes them to Cloud
// Storage: one LogEntry per line (a JSON array of entries, as `gcloud logging read --format=json`
// prints, is read too). The record is jsonPayload ("VPC Flow Logs records": connection {src_ip,
// src_port, dest_ip, dest_port, protocol}, bytes_sent, start_time; "Firewall Rules Logging":
// connection, disposition ALLOWED|DENIED, rule_details.reference). VPC Flow Logs record accepted
// traffic only; rejections come from firewall logs, which carry no byte count.
import { JsonRecordSplitter } from "./json-records";
import { FlowRecord, GCP, isObject, isPort, newRecord, parseOrSkip, ReadContext, Reader, setAddresses } from "./record";

/** A field's text as String() writes it; nothing for no value. */
function fieldText(v: unknown): string {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- String()'s text for whatever the field holds, as the reader has always read it
    return String(v ?? "");
}

export class GcpReader implements Reader {
    private readonly rec: FlowRecord = newRecord(GCP);
    private lineNo = 0;
    private carry = "";
    private mode: "lines" | "array" | undefined;
    private splitter?: JsonRecordSplitter;
    private readonly decoder = new TextDecoder("utf8");

    constructor(private readonly ctx: ReadContext) {}

    push(chunk: Buffer): void {
        if (this.mode === undefined) {
            const first = chunk.find((c) => c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 0xef && c !== 0xbb && c !== 0xbf);
            if (first === undefined) return;
            this.mode = first === 91 ? "array" : "lines";
            if (this.mode === "array")
                this.splitter = new JsonRecordSplitter({ record: (text, i) => this.entry(text, `entry ${i + 1}`, text) });
        }
        if (this.splitter) return this.splitter.push(chunk);
        const text = this.carry + this.decoder.decode(chunk, { stream: true });
        const lines = text.split("\n");
        this.carry = lines.pop() ?? "";
        for (const line of lines) this.line(line);
    }

    end(): void {
        if (this.splitter) {
            if (this.splitter.cutShort) this.cutShort(`entry ${this.splitter.count}`);
            return;
        }
        const rest = this.carry + this.decoder.decode();
        this.carry = "";
        if (rest.trim() === "") return;
        let complete = true;
        try {
            JSON.parse(rest);
        } catch {
            complete = false;
        }
        if (complete) this.line(rest);
        else this.cutShort(`line ${this.lineNo}`);
    }

    private cutShort(last: string): void {
        this.ctx.warn(`${this.ctx.file}: the file is cut short; read up to its last complete entry (${last})`);
    }

    private line(line: string): void {
        this.lineNo++;
        if (line.trim() === "") return;
        this.entry(line, `line ${this.lineNo}`, line);
    }

    private entry(json: string, where: string, text: string): void {
        const entry = parseOrSkip(this.ctx, json, where, text);
        if (entry === undefined) return;
        const payload = isObject(entry) ? entry.jsonPayload : undefined;
        if (!isObject(payload) || !isObject(payload.connection)) {
            return this.ctx.stats.skip(
                this.ctx.file,
                where,
                "a log entry without jsonPayload.connection (not a VPC flow log or firewall log entry)",
                text,
            );
        }
        const c = payload.connection;
        const r = this.rec;
        if (!setAddresses(r, fieldText(c.src_ip), fieldText(c.dest_ip))) {
            return this.ctx.stats.skip(this.ctx.file, where, "connection.src_ip and dest_ip are not both IPv4 or both IPv6", text);
        }
        const protocol = Number(c.protocol);
        if (!Number.isInteger(protocol) || protocol < 0 || protocol > 255)
            return this.ctx.stats.skip(this.ctx.file, where, "connection.protocol is not an IANA protocol number", text);
        const ported = protocol === 6 || protocol === 17;
        const srcPort = Number(c.src_port);
        const dstPort = Number(c.dest_port);
        if (ported && !(isPort(srcPort) && isPort(dstPort)))
            return this.ctx.stats.skip(this.ctx.file, where, "a tcp or udp connection without ports from 0 to 65535", text);
        const disposition = payload.disposition;
        if (disposition !== undefined && disposition !== "ALLOWED" && disposition !== "DENIED" && disposition !== "INTERCEPTED") {
            return this.ctx.stats.skip(this.ctx.file, where, "a disposition that is not ALLOWED, DENIED or INTERCEPTED", text);
        }
        r.protocol = protocol;
        r.srcPort = ported ? srcPort : -1;
        r.dstPort = ported ? dstPort : -1;
        const bytes = Number(payload.bytes_sent);
        r.bytes = Number.isFinite(bytes) && bytes > 0 ? bytes : 0;
        const time = Date.parse(fieldText(payload.start_time ?? (isObject(entry) ? entry.timestamp : undefined)));
        r.time = Number.isFinite(time) ? time / 1000 : NaN;
        // A firewall entry without a disposition does not occur; a VPC flow log entry is accepted traffic.
        r.accepted = disposition !== "DENIED";
        const details = payload.rule_details;
        r.where = !r.accepted && isObject(details) ? fieldText(details.reference ?? details.name) : "";
        this.ctx.stats.records++;
        this.ctx.sink(r);
    }
}
