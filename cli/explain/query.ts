// The question `internal-ports explain` answers, read from its flags against the stack's graph:
// who sends (a workload by Pulumi name or URN, a CIDR, the internet), who answers, on which port.
import { Source } from "../../policies/analysis/explain";
import { closest } from "../../policies/base/text";
import { cidrSet, parseCidr } from "../../policies/model/addresses";
import { Workload } from "../../policies/model/graph";
import { PortSet, portRange, PORT_MAX } from "../../policies/model/intervals";
import { CONCRETE_PROTOCOLS, ConcreteProtocol } from "../../policies/model/protocol";
import { Registry } from "../../policies/registry";
import { StackResource } from "../types";

/** A flag the user must change: exit 2 with this message. */
export class QueryError extends Error {}

export interface PortQuery {
    protocol: ConcreteProtocol;
    ports: PortSet;
    /** "5432/tcp", or the service's name when given one: for the report. */
    text: string;
}

/** `5432`, `5432/tcp`, `53/udp`, `2379-2380/tcp`, `icmp`, or a service of ports.yaml (`postgres`). */
export function parsePort(text: string, registry: Registry): PortQuery {
    const t = text.trim().toLowerCase();
    if (t === "icmp") return { protocol: "icmp", ports: portRange(0, PORT_MAX), text: "icmp" };
    const m = /^(\d{1,5})(?:-(\d{1,5}))?(?:\/([a-z]+))?$/.exec(t);
    if (m) {
        const from = Number(m[1]);
        const to = m[2] !== undefined ? Number(m[2]) : from;
        const protocol = (m[3] ?? "tcp") as ConcreteProtocol;
        if (!CONCRETE_PROTOCOLS.includes(protocol) || protocol === "icmp")
            throw new QueryError(`--port ${text}: the protocol must be tcp or udp (or --port icmp), not "${m[3]}"`);
        if (from < 1 || to > PORT_MAX || from > to)
            throw new QueryError(`--port ${text}: ports run from 1 to ${PORT_MAX}, the first no higher than the last`);
        return { protocol, ports: portRange(from, to), text: `${m[2] !== undefined ? `${from}-${to}` : from}/${protocol}` };
    }
    const service = registry.services.find((s) => s.name.toLowerCase() === t);
    if (service) {
        const protocol = service.protocols.find((p) => p !== "icmp");
        if (!protocol) throw new QueryError(`--port ${text}: the service answers on no tcp or udp port; give the port (e.g. --port icmp)`);
        return { protocol, ports: service.ports, text: service.name };
    }
    const near = closest(
        t,
        registry.services.map((s) => s.name),
    );
    throw new QueryError(
        `--port ${text}: expected a port (5432, 5432/tcp, 53/udp, 2379-2380/tcp, icmp) or a service of ports.yaml${near ? ` (did you mean "${near}"?)` : ""}`,
    );
}

function describeCandidates(ws: readonly Workload[]): string {
    return ws.map((w) => w.urn).join("\n  ");
}

/** A workload by its Pulumi name or URN; a name several workloads share asks for the URN. */
export function findWorkload(text: string, flag: string, workloads: readonly Workload[], resources: readonly StackResource[]): Workload {
    const byUrn = workloads.find((w) => w.urn === text);
    if (byUrn) return byUrn;
    const named = workloads.filter((w) => w.name === text);
    if (named.length === 1) return named[0];
    if (named.length > 1)
        throw new QueryError(`${flag} ${text}: ${named.length} workloads have that name; give one's URN:\n  ${describeCandidates(named)}`);
    const resource = resources.find((r) => r.name === text || r.urn === text);
    if (resource) {
        throw new QueryError(
            `${flag} ${text}: ${resource.type} is not a workload the graph places (an instance, a database, a load balancer, a pod, ...)` +
                `${
                    workloads.length > 0
                        ? `; workloads of this stack: ${workloads
                              .slice(0, 10)
                              .map((w) => w.name)
                              .join(", ")}${workloads.length > 10 ? ", ..." : ""}`
                        : ""
                }`,
        );
    }
    const near = closest(
        text,
        workloads.map((w) => w.name),
    );
    throw new QueryError(
        `${flag} ${text}: no resource of this stack has that name or URN${near ? ` (did you mean "${near}"?)` : workloads.length === 0 ? " (the stack has no workloads the graph places)" : ""}`,
    );
}

/** `internet` or a CIDR or address; undefined for anything else (a workload's name). */
export function addressSource(text: string): Exclude<Source, { kind: "workload" }> | undefined {
    if (text.toLowerCase() === "internet") return { kind: "internet" };
    const cidr = parseCidr(text);
    if (cidr) return { kind: "cidr", text: cidr.text, addresses: cidrSet([cidr.text]) };
    if (/^[0-9a-f:.]+(\/\d+)?$/i.test(text) && /[.:]/.test(text)) throw new QueryError(`--from ${text}: not an IP address or CIDR block`);
    return undefined;
}

/** `internet`, a CIDR or address, or a workload. */
export function parseSource(text: string, workloads: readonly Workload[], resources: readonly StackResource[]): Source {
    return addressSource(text) ?? { kind: "workload", workload: findWorkload(text, "--from", workloads, resources) };
}
