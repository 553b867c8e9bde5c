import { networkGraph } from "../analysis/graph";
import { internetReach } from "../analysis/paths";
import { StackPolicyDefinition } from "../kit/definition";
import { describeInternetPath } from "../kit/paths-wording";
import { describePorts, listNames } from "../kit/wording";
import { NO_PORTS, PortSet } from "../model/intervals";
import { ConcreteProtocol } from "../model/protocol";

/** When no assembler says how its ways in close (never, today): the advice every cloud shares. */
const CLOSE_ANY = "narrow the rules that admit the internet, or drop the public address";

export type Config = Record<string, never>;

export const noInternetPathToInternalPorts: StackPolicyDefinition<Config> = {
    meta: {
        name: "no-internet-path-to-internal-ports",
        description:
            "No workload may be reachable from the whole internet, through every layer of the network, on a port that is not `public` in ports.yaml.",
        rationale:
            "Each firewall can look fine on its own while the packet still lands: a database in a public subnet whose route table leads " +
            "to an internet gateway, behind two security groups that together admit every address. This policy follows the path a packet takes " +
            "(public address, route, network ACL, security groups; public IP, subnet NSG, NIC NSG) and blocks what reaches an internal port end to end. " +
            "A world-open rule on a workload without a way in from the internet stays with no-world-open-internal-ports.",
        severity: "critical",
        defaultLevel: "mandatory",
        remediationSteps:
            "Close the path at any one layer: narrow the rules that admit the internet, drop the public address, or route the subnet " +
            "through a NAT gateway instead of an internet gateway. If the port must face the internet, mark its service `public: true` in ports.yaml.",
        messages: {
            exposed: "The internet reaches {{ports}} on {{workload}}: {{path}}.",
            "exposed.header": "The internet reaches internal ports on this workload:",
            "exposed.line": "{{ports}} in {{placement}}: {{path}}",
            unproven: "The internet may reach {{ports}} on {{workload}} ({{path}}), but {{reason}}, so the path cannot be verified yet.",
            "unproven.header": "The internet may reach internal ports on this workload, but the paths cannot be verified yet:",
            "unproven.line": "{{ports}} in {{placement}}: {{path}} ({{reason}})",
            unverifiable: "{{workload}}'s paths cannot be verified: {{reason}}.",
            fixPath:
                "Fix: close the path at one layer ({{close}}); if a port must be public, mark its service `public: true` in ports.yaml.",
        },
    },
    checkStack({ stack, registry, report, advise }) {
        for (const w of networkGraph(stack, registry.serviceTag).workloads) {
            const resource = stack.resourceByUrn(w.urn);
            if (!resource) continue;
            if (w.unverifiable) {
                advise(resource, "unverifiable", { workload: `\`${w.name}\``, reason: w.unverifiable });
                continue;
            }
            for (const p of w.placements) {
                // IPv4 and IPv6 reach the same ports through the same hops: one line per protocol.
                const byProtocol = new Map<ConcreteProtocol, { ports: PortSet; reasons: string[] }>();
                for (const e of internetReach(p, registry.ephemeralPorts)) {
                    const listening = w.listens ? e.ports.intersect(w.listens.get(e.protocol) ?? NO_PORTS) : e.ports;
                    const internal = listening.intersect(registry.internal(e.protocol));
                    if (internal.isEmpty) continue;
                    const acc = byProtocol.get(e.protocol);
                    byProtocol.set(e.protocol, {
                        ports: acc ? acc.ports.union(internal) : internal,
                        reasons: [...new Set([...(acc?.reasons ?? []), ...e.reasons])],
                    });
                }
                for (const [protocol, { ports, reasons }] of byProtocol) {
                    const data = {
                        workload: `\`${w.name}\``,
                        placement: `\`${p.label}\``,
                        ports: describePorts(registry, protocol, ports, []),
                        path: describeInternetPath(w, p, protocol, ports),
                    };
                    if (reasons.length > 0) advise(resource, "unproven", { ...data, reason: listNames(reasons, 3) });
                    else
                        report(resource, "exposed", data, { fix: { messageId: "fixPath", data: { close: w.closeInternet ?? CLOSE_ANY } } });
                }
            }
        }
    },
};
