// What flow logs are judged by, taken from the registry once: per-port flag tables, the services as
// (service, protocol) slots, and the address tables. This is the only file of the command that
// imports the policy library, so the command follows it when the library moves.
import { KnownCidrs, loadRegistry, Registry, RegistryError, Service } from "../../policies/registry";
import { formatPorts } from "../../policies/model/intervals";
import { AddressTable } from "./address";

export { RegistryError };

export const DOCUMENTED = 1;
export const PUBLIC = 2;
export const EPHEMERAL = 4;

/** Protocol indexes of the tables: tcp and udp have ports, icmp (1 and 58) has none. */
export const TCP = 0;
export const UDP = 1;
export const ICMP = 2;
export const PROTOCOL_NAMES = ["tcp", "udp", "icmp"] as const;
export type ProtocolName = (typeof PROTOCOL_NAMES)[number];

/** A service for one of its protocols: unused-service is judged per slot. */
export interface Slot {
    service: string;
    protocol: ProtocolName;
    /** The ports as ports.yaml writes them, e.g. "5432" or "2379-2380"; "" for icmp. */
    ports: string;
    /** Inclusive port ranges; [] for icmp. */
    portRanges: [number, number][];
    public: boolean;
    /** Who may reach it, for rejected packets: its client blocks and allowedSources; undefined: knownCidrs. */
    clients?: Ranges;
    clientTable?: AddressTable;
}

export interface Ranges {
    v4: [bigint, bigint][];
    v6: [bigint, bigint][];
    /** Canonical CIDR texts, for messages. */
    texts: string[];
}

export interface FlowRules {
    file: string;
    /** Per protocol (TCP, UDP): DOCUMENTED | PUBLIC | EPHEMERAL for each port 0-65535. */
    flags: [Uint8Array, Uint8Array];
    /** Per protocol (TCP, UDP): the slot of each port, -1 for none. */
    slotOf: [Int32Array, Int32Array];
    /** The icmp slot, -1 when no service covers icmp. */
    icmpSlot: number;
    slots: Slot[];
    known: Ranges;
    knownTable: AddressTable;
    ephemeral: [number, number][];
}

export function loadRules(file: string): FlowRules {
    return rulesOf(loadRegistry(file));
}

function rangesOf(c: KnownCidrs): Ranges {
    return { v4: c.v4.intervals.map(([a, b]) => [a, b]), v6: c.v6.intervals.map(([a, b]) => [a, b]), texts: [...c.texts] };
}

/** The blocks a service's rejected packets may come from, when it names any (client CIDRs, allowedSources). */
export function clientRanges(s: Service): Ranges | undefined {
    const cidrs = (s.clients ?? []).flatMap((c) => (c.cidr ? [c.cidr] : []));
    if (cidrs.length === 0 && !s.allowedSources) return undefined;
    const v4: [bigint, bigint][] = [];
    const v6: [bigint, bigint][] = [];
    const texts: string[] = [];
    for (const c of cidrs) {
        (c.family === "v4" ? v4 : v6).push([c.range[0], c.range[1]]);
        texts.push(c.text);
    }
    if (s.allowedSources) {
        for (const [a, b] of s.allowedSources.v4.intervals) v4.push([a, b]);
        for (const [a, b] of s.allowedSources.v6.intervals) v6.push([a, b]);
        texts.push(...s.allowedSources.texts);
    }
    return { v4: merge(v4), v6: merge(v6), texts: [...new Set(texts)] };
}

function merge(ranges: [bigint, bigint][]): [bigint, bigint][] {
    ranges.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    const out: [bigint, bigint][] = [];
    for (const r of ranges) {
        const last = out[out.length - 1];
        if (last && r[0] <= last[1] + 1n) {
            if (r[1] > last[1]) last[1] = r[1];
        } else {
            out.push([r[0], r[1]]);
        }
    }
    return out;
}

export function rulesOf(registry: Registry): FlowRules {
    const flags: [Uint8Array, Uint8Array] = [new Uint8Array(65536), new Uint8Array(65536)];
    const slotOf: [Int32Array, Int32Array] = [new Int32Array(65536).fill(-1), new Int32Array(65536).fill(-1)];
    const slots: Slot[] = [];
    let icmpSlot = -1;
    for (const s of registry.services) {
        const clients = clientRanges(s);
        const clientTable = clients ? new AddressTable(clients.v4, clients.v6) : undefined;
        for (const protocol of s.protocols) {
            const index = slots.length;
            const icmp = protocol === "icmp";
            slots.push({
                service: s.name,
                protocol,
                ports: icmp ? "" : formatPorts(s.ports, 1000),
                portRanges: icmp ? [] : s.ports.intervals.map(([a, b]) => [a, b]),
                public: s.public,
                ...(clients ? { clients, clientTable } : {}),
            });
            if (protocol === "icmp") {
                icmpSlot = index;
                continue;
            }
            const p = protocol === "tcp" ? TCP : UDP;
            for (const [lo, hi] of s.ports.intervals) {
                for (let port = lo; port <= hi; port++) {
                    flags[p][port] |= DOCUMENTED | (s.public ? PUBLIC : 0);
                    slotOf[p][port] = index;
                }
            }
        }
    }
    for (const p of [TCP, UDP]) {
        for (const [lo, hi] of registry.ephemeralPorts.intervals) for (let port = lo; port <= hi; port++) flags[p][port] |= EPHEMERAL;
    }
    const known = rangesOf(registry.knownCidrs);
    return {
        file: registry.file,
        flags,
        slotOf,
        icmpSlot,
        slots,
        known,
        knownTable: new AddressTable(known.v4, known.v6),
        ephemeral: registry.ephemeralPorts.intervals.map(([a, b]) => [a, b]),
    };
}
