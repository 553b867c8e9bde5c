import { blockInside, coversWorld } from "../model/addresses";
import { evaluate } from "../analysis/evaluate";
import { coversEveryPort } from "../model/intervals";
import { describePorts, describeRules, listNames, peerFixData, ruleName } from "../kit/wording";
import { NormalisedRule } from "../model/rules";
import { ResourcePolicyDefinition } from "../kit/definition";
import { splitByReading } from "../analysis/readings";

export interface Config {
    defaultEgress: "report" | "ignore";
}

/**
 * "Everything out to the internet": all protocols and ports (what AWS and most templates put on every
 * group), or every port of one protocol (DigitalOcean writes it as tcp all, udp all and icmp).
 */
function isDefaultEgress(rule: NormalisedRule): boolean {
    const everything =
        rule.protocol === "icmp" ||
        ((rule.protocol === "all" || rule.protocol === "tcp" || rule.protocol === "udp") && coversEveryPort(rule.ports));
    return everything && coversWorld(rule.peers);
}

export const internalEgressDestinations: ResourcePolicyDefinition<Config> = {
    meta: {
        name: "internal-egress-destinations",
        description:
            "Outbound rules must not allow traffic to internal ports at destinations that are the whole internet or outside knownCidrs.",
        rationale:
            "Outbound rules matter as much as inbound ones: a workload that may open SSH, database or SMB connections to any address " +
            'is how data leaves and how a compromised host reaches out. The everyday "all outbound to 0.0.0.0/0" rule is reported ' +
            "once per resource, compactly, or not at all when configured, so the policy stays one a team can live with.",
        severity: "medium",
        defaultLevel: "advisory",
        remediationSteps:
            "Limit egress to the destinations (knownCidrs, security groups, service tags) and ports the workload needs; " +
            "for HTTPS to the internet, allow tcp 443 only.",
        examples: [
            {
                cloud: "AWS",
                title: "SSH to anywhere",
                verdict: "flagged",
                type: "aws:ec2/securityGroup:SecurityGroup",
                props: { egress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] },
            },
            {
                cloud: "AWS",
                title: "HTTPS to anywhere, PostgreSQL to the data subnets",
                verdict: "passes",
                type: "aws:ec2/securityGroup:SecurityGroup",
                props: {
                    egress: [
                        { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
                        { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.20.0.0/16"] },
                    ],
                },
            },
            {
                cloud: "Azure",
                title: "SMB to the internet",
                verdict: "flagged",
                type: "azure-native:network:NetworkSecurityGroup",
                props: {
                    securityRules: [
                        {
                            name: "smb-out",
                            direction: "Outbound",
                            access: "Allow",
                            priority: 100,
                            protocol: "Tcp",
                            destinationPortRange: "445",
                            destinationAddressPrefix: "Internet",
                        },
                    ],
                },
            },
        ],
        messages: {
            outside: "{{rule}} allows outbound {{ports}} to {{destinations}}, outside the known ranges.",
            "outside.header": "These rules allow outbound traffic to internal ports outside the known ranges:",
            "outside.line": "{{rule}}: {{ports}} to {{destinations}}",
            defaultEgress:
                "Every outbound port to the whole internet, internal ports included (SSH, databases, SMB), is open through {{rules}}.",
            fixDestinations: "Fix: narrow the {{ruleKind}}'s {{peers}} to {{known}}{{named}}, or drop the internal ports from the rule.",
            fixDefaultEgress:
                'Fix: allow only the destinations and ports the workload needs (e.g. tcp 443), or configure this policy with defaultEgress: "ignore" if you accept it.',
        },
        configSchema: {
            defaultEgress: {
                type: "string",
                enum: ["report", "ignore"],
                default: "report",
                description:
                    "The default egress rule (all protocols and ports to the whole internet): reported once per resource, or ignored.",
            },
        },
    },
    check({ resource, registry, config, report }) {
        const { opened } = evaluate(resource.rules, "outbound");
        const defaults: NormalisedRule[] = [];
        for (const [rule, byProtocol] of opened) {
            // Through a network ACL, outbound ephemeral ports carry the replies to inbound clients, and an
            // entry that allows everything filters nothing (the security groups decide): neither opens a service.
            const service = [...byProtocol].map(
                ([protocol, ports]) => [protocol, splitByReading([rule], protocol, ports, registry.ephemeralPorts).service] as const,
            );
            if (service.every(([, ports]) => ports.isEmpty)) continue;
            if (isDefaultEgress(rule)) {
                defaults.push(rule);
                continue;
            }
            const outside = rule.peers.blocks.filter((b) => !blockInside(b, registry.knownCidrs));
            if (outside.length === 0) continue;
            const parts: string[] = [];
            for (const [protocol, ports] of service) {
                const internal = ports.intersect(registry.internal(protocol));
                if (!internal.isEmpty) parts.push(describePorts(registry, protocol, internal, [rule]));
            }
            if (parts.length === 0) continue;
            const destinations = rule.secret.has("peers") ? "[secret destination]" : listNames([...new Set(outside.map((b) => b.text))]);
            report(
                "outside",
                { rule: ruleName(rule), ports: parts.join("; "), destinations },
                {
                    rule,
                    fix: { messageId: "fixDestinations", data: peerFixData(rule.terms, registry) },
                },
            );
        }
        if (defaults.length > 0 && config.defaultEgress === "report") {
            report("defaultEgress", { rules: describeRules(defaults) }, { rule: defaults[0], fix: { messageId: "fixDefaultEgress" } });
        }
    },
};
