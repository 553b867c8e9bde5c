// The rules of issue 17, one record at a time: which end is the server, whether the client is on the
// internet, and which findings the record raises. Documented, accepted traffic only marks its
// service used; nothing is stored for it.
import { AddressTable, isPrivateV4, isPrivateV6 } from "./address";
import { Findings, INTERNET_TO_INTERNAL, REJECTED_DOCUMENTED_FLOW, UNDOCUMENTED_PORT } from "./aggregate";
import { FlowRecord } from "./record";
import { DOCUMENTED, EPHEMERAL, FlowRules, ICMP, PUBLIC, TCP, UDP } from "./rules";

export interface Window {
    /** Seconds since the epoch; records starting before it are not judged. */
    since: number;
    /** Records starting at or after it are not judged. */
    until: number;
}

export const ALWAYS: Window = { since: -Infinity, until: Infinity };

/** The protocol index of findings: 0 tcp, 1 udp, 2 icmp, 3 + n for another IANA protocol n. */
export function protocolIndex(ianaProtocol: number): number {
    if (ianaProtocol === 6) return TCP;
    if (ianaProtocol === 17) return UDP;
    if (ianaProtocol === 1 || ianaProtocol === 58) return ICMP;
    return 3 + ianaProtocol;
}

export interface Turned {
    reply: boolean;
    /** The server's port; -1 for none. */
    port: number;
    /** DOCUMENTED | PUBLIC of that port. */
    flags: number;
    /** The service slot, -1 for none. */
    slot: number;
}

/**
 * Which end is the server. A tcp/udp record from a documented port to an undocumented one is a
 * reply; so is one from an undocumented, non-ephemeral port to an ephemeral port when neither port
 * is documented. A reply belongs to its source port; every other record to its destination port.
 */
export function turn(rules: FlowRules, protocol: number, srcPort: number, dstPort: number, out: Turned): Turned {
    out.reply = false;
    out.port = -1;
    out.flags = 0;
    out.slot = -1;
    if (protocol === TCP || protocol === UDP) {
        const f = rules.flags[protocol];
        const fs = f[srcPort];
        const fd = f[dstPort];
        if ((fs & DOCUMENTED) !== 0) out.reply = (fd & DOCUMENTED) === 0;
        else if ((fd & DOCUMENTED) === 0) out.reply = (fd & EPHEMERAL) !== 0 && (fs & EPHEMERAL) === 0;
        out.port = out.reply ? srcPort : dstPort;
        out.flags = out.reply ? fs : fd;
        out.slot = rules.slotOf[protocol][out.port];
    } else if (protocol === ICMP && rules.icmpSlot >= 0) {
        out.slot = rules.icmpSlot;
        out.flags = DOCUMENTED | (rules.slots[out.slot].public ? PUBLIC : 0);
    }
    return out;
}

export class Judge {
    /** Records judged (inside the window). */
    judged = 0;
    /** Records outside --since/--until. */
    outside = 0;
    /** Per service slot: saw accepted traffic. */
    readonly used: Uint8Array;
    private readonly t: Turned = { reply: false, port: -1, flags: 0, slot: -1 };

    constructor(
        private readonly rules: FlowRules,
        readonly findings: Findings,
        private readonly window: Window = ALWAYS,
    ) {
        this.used = new Uint8Array(rules.slots.length);
    }

    readonly add = (r: FlowRecord): void => {
        // A record without a time (NaN) is judged: comparisons with NaN are false.
        if (r.time < this.window.since || r.time >= this.window.until) {
            this.outside++;
            return;
        }
        this.judged++;
        const protocol = protocolIndex(r.protocol);
        const t = turn(this.rules, protocol, r.srcPort, r.dstPort, this.t);
        // IPv4 addresses stay numbers; only IPv6 records pay for bigints.
        const v6 = r.v6;
        const client = v6 ? (t.reply ? r.dst6 : r.src6) : t.reply ? r.dst : r.src;
        const server = v6 ? (t.reply ? r.src6 : r.dst6) : t.reply ? r.src : r.dst;
        if (r.accepted) {
            if ((t.flags & DOCUMENTED) !== 0) this.used[t.slot] = 1;
            else this.found(v6, UNDOCUMENTED_PORT, protocol, t.port, client, server, r, "");
            if ((t.flags & PUBLIC) === 0 && !isPrivate(v6, client) && !has(this.rules.knownTable, v6, client)) {
                this.found(v6, INTERNET_TO_INTERNAL, protocol, t.port, client, server, r, "");
            }
        } else if ((t.flags & DOCUMENTED) !== 0) {
            const allowed = this.rules.slots[t.slot].clientTable ?? this.rules.knownTable;
            if (has(allowed, v6, client)) this.found(v6, REJECTED_DOCUMENTED_FLOW, protocol, t.port, client, server, r, r.where);
        }
    };

    private found(
        v6: boolean,
        kind: number,
        protocol: number,
        port: number,
        client: number | bigint,
        server: number | bigint,
        r: FlowRecord,
        where: string,
    ): void {
        if (v6) this.findings.addV6(kind, protocol, port, client as bigint, server as bigint, r.bytes, r.provider, where);
        else this.findings.addV4(kind, protocol, port, client as number, server as number, r.bytes, r.provider, where);
    }
}

function isPrivate(v6: boolean, a: number | bigint): boolean {
    return v6 ? isPrivateV6(a as bigint) : isPrivateV4(a as number);
}

function has(table: AddressTable, v6: boolean, a: number | bigint): boolean {
    return v6 ? table.hasV6(a as bigint) : table.hasV4(a as number);
}
