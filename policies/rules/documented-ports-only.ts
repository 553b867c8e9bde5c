import { FixSpec } from "../kit/findings";
import { evaluate } from "../analysis/evaluate";
import { PortSet } from "../model/intervals";
import { adviseUnresolved, describePorts, describeRule, portsFixText, registryEntryHint } from "../kit/wording";
import { isEvaluable, mayBeInboundAllow } from "../model/rules";
import { ResourcePolicyDefinition } from "../kit/definition";
import { ConcreteProtocol } from "../model/protocol";
import { splitByReading } from "../analysis/readings";

export interface Config {
    reportUnverifiable: boolean;
}

export const documentedPortsOnly: ResourcePolicyDefinition<Config> = {
    meta: {
        name: "documented-ports-only",
        description: "Every port an inbound allow rule opens, from any source, must be documented in ports.yaml for that protocol.",
        rationale:
            "Every internal service gets a fixed, documented port. A rule that opens a port nobody documented is either a " +
            "service nobody owns or a mistake; a rule opening 0-65535 or every protocol opens undocumented ports by definition.",
        severity: "high",
        defaultLevel: "mandatory",
        remediationSteps:
            "Add the service to ports.yaml (name, ports, protocol, owner), or narrow the rule to the documented ports it needs.",
        examples: [
            {
                cloud: "AWS",
                title: "a port range nobody documented",
                verdict: "flagged",
                type: "aws:ec2/securityGroup:SecurityGroup",
                props: { ingress: [{ protocol: "tcp", fromPort: 9000, toPort: 9010, cidrBlocks: ["10.0.0.0/8"] }] },
            },
            {
                cloud: "AWS",
                title: "PostgreSQL, documented in ports.yaml",
                verdict: "passes",
                type: "aws:ec2/securityGroup:SecurityGroup",
                props: { ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/8"] }] },
            },
            {
                cloud: "Azure",
                title: "every port from the virtual network",
                verdict: "flagged",
                type: "azure-native:network:NetworkSecurityGroup",
                props: {
                    securityRules: [
                        {
                            name: "vnet-any",
                            direction: "Inbound",
                            access: "Allow",
                            priority: 100,
                            protocol: "*",
                            destinationPortRange: "*",
                            sourceAddressPrefix: "VirtualNetwork",
                        },
                    ],
                },
            },
            {
                cloud: "DigitalOcean",
                title: "all ports from a droplet tag",
                verdict: "flagged",
                type: "digitalocean:index/firewall:Firewall",
                props: { inboundRules: [{ protocol: "tcp", portRange: "all", sourceTags: ["workers"] }] },
            },
        ],
        messages: {
            undocumented: "{{rule}} opens {{ports}}, which ports.yaml does not document.",
            "undocumented.header": "These rules open ports that ports.yaml does not document:",
            "undocumented.line": "{{rule}}: {{ports}}",
            fixDocument: "Fix: document the service in ports.yaml, e.g. {{entry}}, or {{alternative}}.",
            fixNarrow: "Fix: narrow the {{ruleKind}} to the protocol and documented ports its service uses ({{portsField}}).",
        },
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
            // A port the platform picks (a node port left unset) is nobody's choice: nothing to document.
            if (rule.allocated) continue;
            const parts: { protocol: ConcreteProtocol; ports: PortSet }[] = [];
            for (const [protocol, ports] of byProtocol) {
                // Return traffic and an ACL that filters nothing open no service port.
                const { service } = splitByReading([rule], protocol, ports, registry.ephemeralPorts);
                const undocumented = service.subtract(registry.documented(protocol));
                if (!undocumented.isEmpty) parts.push({ protocol, ports: undocumented });
            }
            if (parts.length === 0) continue;
            const hints = parts.map((p) => registryEntryHint(p.protocol, p.ports, false, [rule]));
            const fix: FixSpec = hints.some((h) => h === "")
                ? { messageId: "fixNarrow", data: { ruleKind: rule.terms.rule, portsField: rule.terms.ports } }
                : {
                      messageId: "fixDocument",
                      data: { entry: hints.join(" and "), alternative: portsFixText(rule.terms) },
                      key: `fixDocument|${portsFixText(rule.terms)}`,
                  };
            report(
                "undocumented",
                { rule: describeRule(rule), ports: parts.map((p) => describePorts(registry, p.protocol, p.ports, [rule])).join("; ") },
                { rule, fix },
            );
        }
        if (config.reportUnverifiable) {
            adviseUnresolved(
                advise,
                resource,
                resource.rules.filter((r) => mayBeInboundAllow(r) && !isEvaluable(r)),
            );
        }
    },
};
