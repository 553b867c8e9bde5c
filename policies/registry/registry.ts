// The port registry, ports.yaml: the team's documentation of every port a service listens on, which
// of them may face the internet (`public: true`), who may reach them, and the organisation's own
// address ranges. This file is the registry as the policies read it; load.ts reads and checks the file.
import { AddrSet, ParsedCidr } from "../model/addresses";
import { ALL_PORTS, IntervalSet, NO_PORTS, PortSet, portDomain, portRange, portsKey } from "../model/intervals";
import { BoundedMemo } from "../base/memo";
import { CONCRETE_PROTOCOLS, ConcreteProtocol } from "../model/protocol";

export interface Service {
    name: string;
    /** Union of the listed ports and ranges; ALL_PORTS for icmp-only services, which list none. */
    ports: PortSet;
    /** "all" expands to tcp, udp and icmp. For icmp the port set is always ALL_PORTS. */
    protocols: ConcreteProtocol[];
    owner?: string;
    description?: string;
    /** May be reachable from the internet. Default false. */
    public: boolean;
    /** CIDR blocks that may reach this service, narrower than knownCidrs; absent: knownCidrs. */
    allowedSources?: KnownCidrs;
    /** Who may reach this service, as listed: another service of the registry, or an address block. */
    clients?: ServiceClient[];
    /** 1-based line of the service entry in the file. */
    line: number;
}

/** Exactly one of the two is set. */
export interface ServiceClient {
    /** The name of a service of the same registry. */
    service?: string;
    cidr?: ParsedCidr;
}

export interface Tenant {
    name: string;
    cidrs: KnownCidrs;
    line: number;
}

export interface Exemption {
    policy: string;
    /** Resource name, URN, or a glob over either. */
    resource: string;
    reason: string;
    /** YYYY-MM-DD as written; the exemption applies through the end of that day, UTC. */
    expires: string;
    line: number;
}

/** Time-boxed exemptions apply through the end of their expiry day (UTC). */
export function exemptionActive(e: Exemption, now: Date): boolean {
    return now.getTime() < Date.parse(`${e.expires}T00:00:00Z`) + 24 * 3600 * 1000;
}

/** Whether an exemption's resource pattern (name, URN, or a * / ? glob over either) matches. */
export function exemptionMatches(e: Exemption, name: string, urn: string): boolean {
    if (e.resource === name || e.resource === urn) return true;
    if (!/[*?]/.test(e.resource)) return false;
    const re = new RegExp(
        `^${e.resource
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
    );
    return re.test(name) || re.test(urn);
}

export interface KnownCidrs {
    v4: AddrSet;
    v6: AddrSet;
    /** Canonical CIDR texts, for messages. */
    texts: string[];
}

export const DEFAULT_EPHEMERAL_PORTS: PortSet = portRange(1024, 65535);
export const DEFAULT_TENANT_TAG = "tenant";
export const DEFAULT_SERVICE_TAG = "service";

interface ProtocolIndex {
    /** Whether the registry says anything about this protocol (ICMP only when a service declares it). */
    judged: boolean;
    documented: PortSet;
    publicPorts: PortSet;
    internal: PortSet;
    /** Every port interval of every service with this protocol, sorted by start; disjoint. */
    slots: { lo: number; hi: number; service: Service }[];
    /** Lowest port of each service for this protocol, for ordering results. */
    lowest: Map<Service, number>;
}

export class Registry {
    readonly file: string;
    readonly services: readonly Service[];
    readonly knownCidrs: KnownCidrs;
    readonly ephemeralPorts: PortSet;
    readonly tenantTag: string;
    readonly serviceTag: string;
    readonly tenants: readonly Tenant[];
    readonly exemptions: readonly Exemption[];
    private readonly index: Record<ConcreteProtocol, ProtocolIndex>;

    /**
     * Prefer parseRegistry / loadRegistry, which validate. Services must not overlap on a port and
     * protocol (the constructor throws if they do): that is what keeps lookups logarithmic.
     */
    constructor(init: {
        file: string;
        services: readonly Service[];
        knownCidrs: KnownCidrs;
        ephemeralPorts?: PortSet;
        tenantTag?: string;
        serviceTag?: string;
        tenants?: readonly Tenant[];
        exemptions?: readonly Exemption[];
    }) {
        this.file = init.file;
        this.services = Object.freeze([...init.services]);
        this.knownCidrs = init.knownCidrs;
        this.ephemeralPorts = init.ephemeralPorts ?? DEFAULT_EPHEMERAL_PORTS;
        this.tenantTag = init.tenantTag ?? DEFAULT_TENANT_TAG;
        this.serviceTag = init.serviceTag ?? DEFAULT_SERVICE_TAG;
        this.tenants = Object.freeze([...(init.tenants ?? [])]);
        this.exemptions = Object.freeze([...(init.exemptions ?? [])]);
        const index = {} as Record<ConcreteProtocol, ProtocolIndex>;
        for (const p of CONCRETE_PROTOCOLS) index[p] = buildIndex(p, this.services);
        this.index = index;
    }

    /** The file as messages name it: `ports.yaml`, or the base name of the one given instead. */
    get fileName(): string {
        return this.file.split(/[\\/]/).pop() || "ports.yaml";
    }

    /**
     * Whether rules of protocol p are judged against the registry. ICMP carries no port number: it is
     * judged only when a service declares it (`protocol: icmp` or `all`), and then as one unit.
     */
    judges(p: ConcreteProtocol): boolean {
        return this.index[p].judged;
    }

    /** Ports some service documents for protocol p; every port when the registry does not judge p (nothing to document). */
    documented(p: ConcreteProtocol): PortSet {
        return this.index[p].documented;
    }

    /** Ports of public services for protocol p. */
    publicPorts(p: ConcreteProtocol): PortSet {
        return this.index[p].publicPorts;
    }

    /** Ports that must not be reachable from the internet: everything not public; none when the registry does not judge p. */
    internal(p: ConcreteProtocol): PortSet {
        return this.index[p].internal;
    }

    /**
     * Services with protocol p whose ports overlap `ports`, sorted by their lowest port. Read-only:
     * answers are shared, since every policy asks about the same ports of a resource (0-65535 against
     * 500 services was sorted again by each).
     */
    servicesOverlapping(p: ConcreteProtocol, ports: PortSet): readonly Service[] {
        const key = portsKey(ports);
        return this.overlapping.get(key === undefined ? undefined : `${p}|${key}`, () => this.findOverlapping(p, ports));
    }

    private readonly overlapping = new BoundedMemo<readonly Service[]>(1000);

    private findOverlapping(p: ConcreteProtocol, ports: PortSet): readonly Service[] {
        const { slots, lowest } = this.index[p];
        const found = new Set<Service>();
        for (const [a, b] of ports.intervals) {
            // First slot that ends at or after a; slots are disjoint, so ends are sorted too.
            let lo = 0;
            let hi = slots.length;
            while (lo < hi) {
                const mid = (lo + hi) >> 1;
                if (slots[mid].hi < a) lo = mid + 1;
                else hi = mid;
            }
            for (let k = lo; k < slots.length && slots[k].lo <= b; k++) found.add(slots[k].service);
        }
        return Object.freeze([...found].sort((x, y) => lowest.get(x)! - lowest.get(y)!));
    }
}

function portsOf(s: Service, p: ConcreteProtocol): PortSet {
    if (!s.protocols.includes(p)) return NO_PORTS;
    return p === "icmp" ? ALL_PORTS : s.ports;
}

function buildIndex(p: ConcreteProtocol, services: readonly Service[]): ProtocolIndex {
    const slots: ProtocolIndex["slots"] = [];
    const lowest = new Map<Service, number>();
    const documented: [number, number][] = [];
    const pub: [number, number][] = [];
    for (const s of services) {
        const ports = portsOf(s, p);
        if (ports.isEmpty) continue;
        lowest.set(s, ports.intervals[0][0]);
        for (const [lo, hi] of ports.intervals) {
            slots.push({ lo, hi, service: s });
            documented.push([lo, hi]);
            if (s.public) pub.push([lo, hi]);
        }
    }
    slots.sort((x, y) => x.lo - y.lo);
    for (let k = 1; k < slots.length; k++) {
        if (slots[k].lo <= slots[k - 1].hi) {
            throw new Error(
                `services "${slots[k - 1].service.name}" and "${slots[k].service.name}" overlap on ${p}; ` +
                    "build registries with parseRegistry, which reports overlaps",
            );
        }
    }
    const publicPorts = IntervalSet.of(portDomain, pub);
    // ICMP has no ports: a registry that declares no ICMP service has no opinion on it.
    if (p === "icmp" && slots.length === 0) return { judged: false, documented: ALL_PORTS, publicPorts, internal: NO_PORTS, slots, lowest };
    return {
        judged: true,
        documented: IntervalSet.of(portDomain, documented),
        publicPorts,
        internal: publicPorts.complement(),
        slots,
        lowest,
    };
}
