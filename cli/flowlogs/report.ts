// The report: findings decoded, named and ordered, and the unused services added. The JSON shape
// (schemaVersion 1) is a user interface: README documents it and the tests pin it.
import { Findings, KIND_NAMES, FindingKind, UNUSED_SERVICE } from "./aggregate";
import { FlowRules, ICMP, PROTOCOL_NAMES, TCP, UDP } from "./rules";

export interface Finding {
    kind: FindingKind;
    /** tcp, udp, icmp, or the IANA number of another protocol ("47"). */
    protocol: string;
    port: number | null;
    service: string | null;
    /** The client's /24 or /64; null for unused-service. */
    source: string | null;
    /** The server's address; null for unused-service. */
    destination: string | null;
    flows: number;
    bytes: number;
    where: string[];
}

export interface FlowReport {
    schemaVersion: 1;
    records: number;
    skipped: number;
    findings: Finding[];
}

/** What the text and markdown renderers say besides the findings. */
export interface RunFacts {
    registry: string;
    files: number;
    judged: number;
    outside: number;
    nodata: number;
    skipdata: number;
    /** Per finding (same index): the providers whose logs raised it (record.ts bits). */
    providers: number[];
    /** Service slot ports, by service and protocol, for unused-service lines ("5432"). */
    ports: Map<string, string>;
    window?: { since?: string; until?: string };
}

export const protocolName = (index: number): string => (index < 3 ? PROTOCOL_NAMES[index] : String(index - 3));

export function buildReport(
    rules: FlowRules,
    findings: Findings,
    used: Uint8Array,
    counts: { records: number; skipped: number },
): { report: FlowReport; providers: number[] } {
    const rows: { f: Finding; providers: number }[] = [];
    for (const d of findings.entries()) {
        let slot = -1;
        if (d.protocol === TCP || d.protocol === UDP) slot = rules.slotOf[d.protocol][d.port];
        else if (d.protocol === ICMP) slot = rules.icmpSlot;
        rows.push({
            f: {
                kind: KIND_NAMES[d.kind],
                protocol: protocolName(d.protocol),
                port: d.port < 0 ? null : d.port,
                service: slot >= 0 ? rules.slots[slot].service : null,
                source: d.source,
                destination: d.destination,
                flows: d.entry.flows,
                bytes: d.entry.bytes,
                where: [...(d.entry.where ?? [])],
            },
            providers: d.entry.providers,
        });
    }
    rules.slots.forEach((s, i) => {
        if (used[i]) return;
        rows.push({
            f: {
                kind: KIND_NAMES[UNUSED_SERVICE],
                protocol: s.protocol,
                port: null,
                service: s.service,
                source: null,
                destination: null,
                flows: 0,
                bytes: 0,
                where: [],
            },
            providers: 0,
        });
    });
    rows.sort((a, b) => compare(a.f, b.f));
    return {
        report: { schemaVersion: 1, records: counts.records, skipped: counts.skipped, findings: rows.map((r) => r.f) },
        providers: rows.map((r) => r.providers),
    };
}

const KIND_ORDER = new Map<string, number>(KIND_NAMES.map((k, i) => [k, i]));

function compare(a: Finding, b: Finding): number {
    return (
        KIND_ORDER.get(a.kind)! - KIND_ORDER.get(b.kind)! ||
        b.flows - a.flows ||
        b.bytes - a.bytes ||
        cmp(a.protocol, b.protocol) ||
        (a.port ?? -1) - (b.port ?? -1) ||
        cmp(a.service ?? "", b.service ?? "") ||
        cmp(a.source ?? "", b.source ?? "") ||
        cmp(a.destination ?? "", b.destination ?? "")
    );
}

function cmp(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** 1 when a finding other than an unused service is there (or an unused one, with --fail-on unused). */
export function exitCodeOf(report: FlowReport, failOnUnused: boolean): number {
    return report.findings.some((f) => f.kind !== "unused-service" || failOnUnused) ? 1 : 0;
}
