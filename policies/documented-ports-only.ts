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
        examples: [
            { cloud: "AWS", title: "a port range nobody documented", verdict: "flagged", type: "aws:ec2/securityGroup:SecurityGroup",
                props: { ingress: [{ protocol: "tcp", fromPort: 9000, toPort: 9010, cidrBlocks: ["10.0.0.0/8"] }] } },
            { cloud: "AWS", title: "PostgreSQL, documented in ports.yaml", verdict: "passes", type: "aws:ec2/securityGroup:SecurityGroup",
                props: { ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/8"] }] } },
            { cloud: "Azure", title: "every port from the virtual network", verdict: "flagged", type: "azure-native:network:NetworkSecurityGroup",
                props: { securityRules: [{ name: "vnet-any", direction: "Inbound", access: "Allow", priority: 100, protocol: "*", destinationPortRange: "*", sourceAddressPrefix: "VirtualNetwork" }] } },
            { cloud: "DigitalOcean", title: "all ports from a droplet tag", verdict: "flagged", type: "digitalocean:index/firewall:Firewall",
                props: { inboundRules: [{ protocol: "tcp", portRange: "all", sourceTags: ["workers"] }] } },
        ],
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
