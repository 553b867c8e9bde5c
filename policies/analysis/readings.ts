// What an allow rule's ports mean. A stateful filter's allow opens a service. A stateless filter
// (an AWS network ACL) sees replies as packets of their own, so it must let them in on the clients'
// ephemeral ports, and it may not filter at all. Every policy reads allows through this one split:
// - service: a port the rule deliberately opens, judged like any other rule;
// - return traffic: the ephemeral range opened as such (1024-65535, 32768-65535, 49152-65535): its
//   internal ports are closed only by the security groups, an advisory matter;
// - pass-through: every port (protocol -1, the AWS default ACL): the ACL does not filter, the
//   security groups decide.
import { portsFor } from "./evaluate";
import { coversEveryPort, NO_PORTS, PortSet, portRange } from "../model/intervals";
import { NormalisedRule } from "../model/rules";
import { ConcreteProtocol } from "../model/protocol";

export type Reading = "service" | "return-traffic" | "pass-through";

/** Client port ranges of the common systems: Linux's default ip_local_port_range, and IANA's dynamic range (Windows, macOS). */
const KNOWN_EPHEMERAL: readonly PortSet[] = [portRange(32768, 60999), portRange(49152, 65535)];

/**
 * How a rule's ports for one protocol are read. Only stateless allows read as anything but a
 * service: as return traffic when their ports include a whole ephemeral range inside `ephemeral`
 * (one of its own ranges, Linux's or IANA's), as pass-through when they cover every port.
 */
export function readingOf(rule: NormalisedRule, protocol: ConcreteProtocol, ephemeral: PortSet): Reading {
    if (!rule.stateless || rule.action !== "allow") return "service";
    if (rule.protocol === "all") return "pass-through";
    if (protocol === "icmp") return "service";
    const ports = portsFor(rule, protocol);
    if (coversEveryPort(ports)) return "pass-through";
    const ranges = [...ephemeral.intervals.map(([a, b]) => portRange(a, b)), ...KNOWN_EPHEMERAL];
    return ranges.some((r) => ephemeral.containsSet(r) && ports.containsSet(r)) ? "return-traffic" : "service";
}

export interface ReadPorts {
    service: PortSet;
    returnTraffic: PortSet;
    passThrough: PortSet;
}

/**
 * Splits ports that `rules` open together (each of them covers all of `ports`) by what they mean. A
 * port one rule opens as a service is a service port whatever the others say: a deliberate opening
 * is not hidden by an ephemeral range that also covers it.
 */
export function splitByReading(
    rules: readonly NormalisedRule[],
    protocol: ConcreteProtocol,
    ports: PortSet,
    ephemeral: PortSet,
): ReadPorts {
    // Stateful filters (every provider but network ACLs) only ever open services: no set arithmetic.
    if (!rules.some((r) => r.stateless)) return { service: ports, returnTraffic: NO_PORTS, passThrough: NO_PORTS };
    let service: PortSet = NO_PORTS;
    let returnTraffic: PortSet = NO_PORTS;
    for (const r of rules) {
        const reading = readingOf(r, protocol, ephemeral);
        if (reading === "service") service = service.union(ports);
        else if (reading === "return-traffic") {
            service = service.union(ports.subtract(ephemeral));
            returnTraffic = returnTraffic.union(ports.intersect(ephemeral));
        }
    }
    returnTraffic = returnTraffic.subtract(service);
    return { service, returnTraffic, passThrough: ports.subtract(service).subtract(returnTraffic) };
}
