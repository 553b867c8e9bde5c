import { evaluate } from "../analysis/evaluate";
import { flowLogScopes } from "../analysis/flow-log-scopes";
import { splitByReading } from "../analysis/readings";
import { StackPolicyDefinition } from "../kit/definition";
import { describePorts } from "../kit/wording";
import { NO_PORTS, PortSet } from "../model/intervals";
import { ConcreteProtocol } from "../model/protocol";
import { NormalisedRule } from "../model/rules";

export type Config = Record<string, never>;

export const publicPortsMonitored: StackPolicyDefinition<Config> = {
    meta: {
        name: "public-ports-monitored",
        description: "Every resource that opens a public port to the internet must be covered by flow logs in the same stack.",
        rationale:
            "A port declared public is reachable by anyone, so its traffic must be recorded: AWS VPC flow logs on the VPC, subnet or " +
            "interface, Azure VNet flow logs on the virtual network (or NSG flow logs on the NSG), GCP subnetwork `logConfig` on the firewall's network. Without them nobody can tell " +
            "who used the port.",
        severity: "medium",
        defaultLevel: "advisory",
        remediationSteps: "Add a flow log that covers the firewall in the same stack (the message names the resource to add).",
        messages: {
            unmonitored: "Opens {{ports}} to the whole internet, but no flow log in this stack covers it{{where}}.",
            fixFlowLog: "Fix: {{hint}}.",
        },
    },
    checkStack({ resources, stack, registry, advise }) {
        for (const view of resources) {
            const model = view.model;
            if (model?.kind !== "firewall" || !model.flowLogs) continue; // no flow-log resource the pack knows for this provider
            // Per protocol, every public port some rules open to the world (one description, not one per rule set).
            const open = new Map<ConcreteProtocol, { ports: PortSet; rules: NormalisedRule[] }>();
            for (const e of evaluate(model.rules, "inbound").world) {
                // A network ACL's return traffic or pass-through opens nothing by itself: the firewall behind it does.
                const ports = splitByReading(
                    e.rules,
                    e.protocol,
                    e.ports.intersect(registry.publicPorts(e.protocol)),
                    registry.ephemeralPorts,
                ).service;
                if (ports.isEmpty) continue;
                const acc = open.get(e.protocol) ?? { ports: NO_PORTS, rules: [] };
                open.set(e.protocol, { ports: acc.ports.union(ports), rules: [...acc.rules, ...e.rules] });
            }
            const parts = [...open].map(([protocol, o]) => describePorts(registry, protocol, o.ports, o.rules));
            if (parts.length === 0) continue;
            // A standalone rule is covered through its group; the group's own coverage decides.
            const firewall = model.attachedTo ? stack.attachedGroup(view) : view;
            const coverage = firewall?.model?.kind === "firewall" ? firewall.model.flowLogs : undefined;
            if (firewall && !coverage) continue;
            // Firewalls without a network of their own (GCP firewall policies) cannot be matched to a log.
            if (firewall?.model?.kind === "firewall" && coverage?.through === "network" && !firewall.model.network) continue;
            if (firewall && stack.coveredByFlowLog(firewall)) continue;
            // A flow log of a network the firewall filters in (an Azure VNet flow log) records its traffic too.
            if (firewall && coverage?.through === "self" && stack.recordedByFlowLog(flowLogScopes(stack, firewall.urn))) continue;
            const where = model.attachedTo && !firewall ? " (its group is not in this stack, so coverage cannot be confirmed)" : "";
            advise(
                view,
                "unmonitored",
                { ports: parts.join("; "), where },
                { fix: { messageId: "fixFlowLog", data: { hint: (coverage ?? model.flowLogs).hint } } },
            );
        }
    },
};
