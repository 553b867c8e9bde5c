// Azure Network Watcher flow logs: the hourly PT1H.json blobs, `{"records": [...]}`, of
//  - virtual network flow logs ("Virtual network flow logs", log format: flowRecords.flows[].aclID,
//    .flowGroups[].rule, .flowTuples[] "time ms,src,dst,srcport,dstport,protocol number,I|O,
//    B|C|E|D,encryption,packets out,bytes out,packets back,bytes back"), state D for denied;
//  - NSG flow logs ("Flow logging for network security groups", version 2: properties.flows[].rule,
//    .flows[].flowTuples[] "time s,src,dst,srcport,dstport,T|U,I|O,A|D,B|C|E,packets out,bytes out,
//    packets back,bytes back"; version 1 tuples stop after the decision).
// One tuple is one record; its bytes are both directions added.
import { JsonRecordSplitter } from "./json-records";
import { AZURE, FlowRecord, isObject, isPort, Json, newRecord, parseOrSkip, ReadContext, Reader, setAddresses } from "./record";

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export class AzureReader implements Reader {
    private readonly splitter: JsonRecordSplitter;
    private readonly rec: FlowRecord = newRecord(AZURE);

    constructor(private readonly ctx: ReadContext) {
        this.splitter = new JsonRecordSplitter({ record: (text, index) => this.record(text, index) });
    }

    push(chunk: Buffer): void {
        this.splitter.push(chunk);
    }

    end(): void {
        if (this.splitter.cutShort) {
            this.ctx.warn(
                `${this.ctx.file}: the JSON document is cut short; read up to its last complete record (record ${this.splitter.count})`,
            );
        }
    }

    private record(text: string, index: number): void {
        const where = `record ${index + 1}`;
        const record = parseOrSkip(this.ctx, text, where);
        if (record === undefined) return;
        if (!isObject(record)) return this.ctx.stats.skip(this.ctx.file, where, "a record that is not a JSON object", text);
        if (isObject(record.flowRecords)) return this.vnet(record.flowRecords, where, text);
        if (isObject(record.properties) && Array.isArray(record.properties.flows)) return this.nsg(record, record.properties, where);
        this.ctx.stats.skip(
            this.ctx.file,
            where,
            "a record with neither flowRecords (VNet flow logs) nor properties.flows (NSG flow logs)",
            text,
        );
    }

    private vnet(flowRecords: Json, where: string, text: string): void {
        if (!Array.isArray(flowRecords.flows)) return this.ctx.stats.skip(this.ctx.file, where, "flowRecords.flows is not a list", text);
        for (const flow of flowRecords.flows) {
            for (const group of list(isObject(flow) ? flow.flowGroups : undefined)) {
                if (!isObject(group)) continue;
                const rule = typeof group.rule === "string" ? group.rule : "";
                for (const tuple of list(group.flowTuples)) this.vnetTuple(tuple, rule, where);
            }
        }
    }

    private nsg(record: Json, properties: Json, where: string): void {
        const nsg = typeof record.resourceId === "string" ? (record.resourceId.split("/").pop() ?? "") : "";
        for (const ruleFlows of list(properties.flows)) {
            if (!isObject(ruleFlows)) continue;
            const rule = typeof ruleFlows.rule === "string" ? ruleFlows.rule : "";
            const named = nsg && rule ? `${nsg}/${rule}` : rule || nsg;
            for (const macFlows of list(ruleFlows.flows)) {
                for (const tuple of list(isObject(macFlows) ? macFlows.flowTuples : undefined)) this.nsgTuple(tuple, named, where);
            }
        }
    }

    private vnetTuple(tuple: unknown, rule: string, where: string): void {
        const f = typeof tuple === "string" ? tuple.split(",") : [];
        if (f.length < 9)
            return this.ctx.stats.skip(this.ctx.file, where, "a flow tuple without the 13 fields of VNet flow logs", String(tuple));
        const protocol = Number(f[5]);
        if (!Number.isInteger(protocol) || protocol < 0 || protocol > 255)
            return this.ctx.stats.skip(this.ctx.file, where, "a flow tuple whose protocol is not a number", String(tuple));
        if (!/^[BCED]$/.test(f[7]))
            return this.ctx.stats.skip(this.ctx.file, where, "a flow tuple whose state is not B, C, E or D", String(tuple));
        this.emit(f, protocol, f[7] !== "D", Number(f[0]) / 1000, rule, where, String(tuple));
    }

    private nsgTuple(tuple: unknown, rule: string, where: string): void {
        const f = typeof tuple === "string" ? tuple.split(",") : [];
        if (f.length < 8)
            return this.ctx.stats.skip(this.ctx.file, where, "a flow tuple without the fields of NSG flow logs", String(tuple));
        const protocol = f[5] === "T" ? 6 : f[5] === "U" ? 17 : -1;
        if (protocol < 0) return this.ctx.stats.skip(this.ctx.file, where, "a flow tuple whose protocol is not T or U", String(tuple));
        if (f[7] !== "A" && f[7] !== "D")
            return this.ctx.stats.skip(this.ctx.file, where, "a flow tuple whose decision is not A or D", String(tuple));
        this.emit(f, protocol, f[7] === "A", Number(f[0]), rule, where, String(tuple));
    }

    /** Fields 1-4 are the addresses and ports in both layouts, 9-12 the counts (empty when not given). */
    private emit(f: string[], protocol: number, accepted: boolean, time: number, rule: string, where: string, text: string): void {
        const r = this.rec;
        if (!setAddresses(r, f[1], f[2]))
            return this.ctx.stats.skip(this.ctx.file, where, "a flow tuple whose addresses are not both IPv4 or both IPv6", text);
        const ported = protocol === 6 || protocol === 17;
        const srcPort = Number(f[3]);
        const dstPort = Number(f[4]);
        if (ported && !(isPort(srcPort) && isPort(dstPort) && f[3] !== "" && f[4] !== "")) {
            return this.ctx.stats.skip(this.ctx.file, where, "a tcp or udp flow tuple without ports from 0 to 65535", text);
        }
        r.protocol = protocol;
        r.srcPort = ported ? srcPort : -1;
        r.dstPort = ported ? dstPort : -1;
        r.bytes = count(f[10]) + count(f[12]);
        r.time = Number.isFinite(time) ? time : NaN;
        r.accepted = accepted;
        r.where = accepted ? "" : rule;
        this.ctx.stats.records++;
        this.ctx.sink(r);
    }
}

function count(text: string | undefined): number {
    const n = Number(text);
    return text && Number.isFinite(n) && n > 0 ? n : 0;
}
