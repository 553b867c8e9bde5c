import { evaluate } from "./lib/evaluate";
import { PortSet } from "./lib/intervals";
import { describePeers, describePorts, registryEntryHint, unresolvedNotes } from "./lib/messages";
import { isEvaluable, mayBeInboundAllow } from "./lib/model";
import { ResourcePolicyDefinition } from "./lib/policy-kit";
import { ConcreteProtocol } from "./lib/protocol";

export interface Config {
    reportUnverifiable: boolean;
}

export const documentedPortsOnly: ResourcePolicyDefinition<Config> = {
    meta: {
        name: "documented-ports-only",
        description: "Every port an inbound allow rule opens, from any source, must be documented in ports.yaml for that protocol.",
        rationale: "Every internal service gets a fixed, documented port. A rule that opens a port nobody documented is either a " +
            "service nobody owns or a mistake; a rule opening 0-65535 or every protocol opens undocumented ports by definition.",
        severity: "high",
        defaultLevel: "mandatory",
        remediationSteps: "Add the service to ports.yaml (name, ports, protocol, owner), or narrow the rule to the documented ports it needs.",
        configSchema: {
            reportUnverifiable: {
                type: "boolean",
                default: true,
                description: "Report rules whose ports or protocol are unknown during preview (or unreadable) as advisory notes.",
            },
        },
    },
    check({ resource, registry, config, report, advise }) {
        const { opened } = evaluate(resource.rules, "inbound");
        for (const [rule, byProtocol] of opened) {
            const parts: { protocol: ConcreteProtocol; ports: PortSet }[] = [];
            for (const [protocol, ports] of byProtocol) {
                // Stateless ACLs must admit return traffic on the ephemeral range: that is not a service port.
                const candidate = rule.stateless && protocol !== "icmp" ? ports.subtract(registry.ephemeralPorts) : ports;
                const undocumented = candidate.subtract(registry.documented(protocol));
                if (!undocumented.isEmpty) parts.push({ protocol, ports: undocumented });
            }
            if (parts.length === 0) continue;
            const hints = parts.map((p) => registryEntryHint(p.protocol, p.ports, false, [rule]));
            const fix = hints.some((h) => h === "")
                ? "narrow the rule to the documented ports its service uses"
                : `document the service in ports.yaml, e.g. ${hints.join(" and ")}, or narrow the rule to documented ports`;
            report(`${rule.origin} (from ${describePeers(rule)}) opens ${parts.map((p) => describePorts(registry, p.protocol, p.ports, [rule])).join("; ")}, ` +
                `which ports.yaml does not document. Fix: ${fix}.`);
        }
        if (config.reportUnverifiable) {
            const relevant = resource.rules.filter((r) => mayBeInboundAllow(r) && !isEvaluable(r));
            for (const note of unresolvedNotes(resource, relevant, this.meta.name)) advise(note);
        }
    },
};
