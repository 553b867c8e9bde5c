import { blockInside, isWholeFamily } from "../model/addresses";
import { evaluate } from "../analysis/evaluate";
import { PortSet } from "../model/intervals";
import { AZURE_SERVICES_TEXT, describePorts, listNames, ruleName } from "../kit/wording";
import { ResourcePolicyDefinition } from "../kit/definition";
import { ConcreteProtocol } from "../model/protocol";
import { splitByReading } from "../analysis/readings";
import { KnownCidrs, Registry } from "../registry";

export interface Config {
    reportSingleAddresses: boolean;
}

/** Where a source must lie for these ports: the services' allowedSources, else knownCidrs. */
function allowedFor(registry: Registry, protocol: ConcreteProtocol, ports: PortSet): { label: string; set: KnownCidrs; ports: PortSet }[] {
    const out: { label: string; set: KnownCidrs; ports: PortSet }[] = [];
    let rest = ports;
    for (const s of registry.servicesOverlapping(protocol, ports)) {
        if (!s.allowedSources) continue;
        out.push({
            label: `${s.name}'s allowedSources: ${listNames(s.allowedSources.texts)}`,
            set: s.allowedSources,
            ports: s.ports.intersect(ports),
        });
        rest = rest.subtract(s.ports);
    }
    if (!rest.isEmpty)
        out.push({ label: `knownCidrs: ${listNames(registry.knownCidrs.texts) || "none listed"}`, set: registry.knownCidrs, ports: rest });
    return out;
}

export const knownSourceCidrs: ResourcePolicyDefinition<Config> = {
    meta: {
        name: "known-source-cidrs",
        description:
            "Inbound rules to internal ports must only admit sources inside knownCidrs, or inside the service's allowedSources in ports.yaml.",
        rationale:
            "Limiting sources to known CIDR blocks keeps internal services reachable only from the organisation's own networks. " +
            "A public address or block that is not the whole internet (a partner, a home IP, 0.0.0.0/1) is still outside them; " +
            "whole-internet sources are no-world-open-internal-ports' concern and are not repeated here.",
        severity: "medium",
        defaultLevel: "advisory",
        remediationSteps:
            "Use a source inside knownCidrs (or the service's allowedSources), or a security group / service tag. " +
            "If the block is the organisation's own, add it to knownCidrs (or allowedSources) in ports.yaml.",
        examples: [
            {
                cloud: "AWS",
                title: "SSH from an engineer's home address",
                verdict: "flagged",
                type: "aws:ec2/securityGroup:SecurityGroup",
                props: { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["198.51.100.7/32"] }] },
            },
            {
                cloud: "AWS",
                title: "SSH from a range listed in knownCidrs",
                verdict: "passes",
                type: "aws:ec2/securityGroup:SecurityGroup",
                props: { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.8.0.0/16"] }] },
            },
            {
                cloud: "Azure",
                title: "PostgreSQL from a partner's public block",
                verdict: "flagged",
                type: "azure-native:network:NetworkSecurityGroup",
                props: {
                    securityRules: [
                        {
                            name: "partner",
                            direction: "Inbound",
                            access: "Allow",
                            priority: 100,
                            protocol: "Tcp",
                            destinationPortRange: "5432",
                            sourceAddressPrefix: "203.0.113.0/24",
                        },
                    ],
                },
            },
        ],
        messages: {
            outside: "{{rule}} admits {{sources}} to {{where}}.",
            "outside.header": "These rules admit sources outside the known ranges:",
            "outside.line": "{{rule}}: {{sources}} to {{where}}",
            fixSources:
                "Fix: narrow the {{ruleKind}}'s {{peers}} to the allowed ranges{{named}}; if a block is your own, add it to knownCidrs (or the service's allowedSources) in ports.yaml.",
        },
        configSchema: {
            reportSingleAddresses: {
                type: "boolean",
                default: true,
                description: "Also report single addresses (/32, /128) outside knownCidrs, such as an engineer's home IP.",
            },
        },
    },
    check({ resource, registry, config, report }) {
        const { opened } = evaluate(resource.rules, "inbound");
        for (const [rule, byProtocol] of opened) {
            // Per source: the ports it reaches, by the ranges that would have been allowed there.
            const offending = new Map<string, { where: Map<string, string[]> }>();
            for (const [protocol, ports] of byProtocol) {
                // Replies come back from wherever the clients connected to: return traffic has no source to narrow.
                const { service, passThrough } = splitByReading([rule], protocol, ports, registry.ephemeralPorts);
                const internal = service.union(passThrough).intersect(registry.internal(protocol));
                if (internal.isEmpty) continue;
                for (const { label, set, ports: scope } of allowedFor(registry, protocol, internal)) {
                    let ports: string | undefined;
                    for (const block of rule.peers.blocks) {
                        if (isWholeFamily(block) || blockInside(block, set)) continue;
                        const single = block.range[0] === block.range[1];
                        if (single && !config.reportSingleAddresses) continue;
                        const entry = offending.get(block.text) ?? { where: new Map<string, string[]>() };
                        const list = entry.where.get(label) ?? [];
                        list.push((ports ??= describePorts(registry, protocol, scope, [rule])));
                        entry.where.set(label, list);
                        offending.set(block.text, entry);
                    }
                    // Azure's "allow Azure services" is no block of the organisation's: every Azure tenant's addresses.
                    if (rule.peers.symbols.some((sym) => sym.kind === "azure-services")) {
                        const entry = offending.get(AZURE_SERVICES_TEXT) ?? { where: new Map<string, string[]>() };
                        const list = entry.where.get(label) ?? [];
                        list.push((ports ??= describePorts(registry, protocol, scope, [rule])));
                        entry.where.set(label, list);
                        offending.set(AZURE_SERVICES_TEXT, entry);
                    }
                }
            }
            if (offending.size === 0) continue;
            const sources = rule.secret.has("peers") ? ["[secret source]"] : [...offending.keys()];
            const byLabel = new Map<string, Set<string>>();
            for (const o of offending.values()) {
                for (const [label, ports] of o.where) for (const p of ports) byLabel.set(label, (byLabel.get(label) ?? new Set()).add(p));
            }
            const where = [...byLabel].map(([label, ports]) => `${[...ports].join("; ")}, outside ${label}`);
            const t = rule.terms;
            report(
                "outside",
                { rule: ruleName(rule), sources: listNames(sources), where: where.join("; ") },
                {
                    rule,
                    fix: {
                        messageId: "fixSources",
                        data: { ruleKind: t.rule, peers: t.peers, named: t.named ? ` or use ${t.named}` : "" },
                    },
                },
            );
        }
    },
};
