import { FixSpec } from "../kit/findings";
import { evaluate, portsFor } from "../analysis/evaluate";
import { NO_PORTS, PortSet } from "../model/intervals";
import {
    adviseUnresolved,
    describePorts,
    describeRules,
    listNames,
    peerFixData,
    portCount,
    registryEntryHint,
    ruleName,
    WIDE_PORT_COUNT,
} from "../kit/wording";
import { isEvaluable, mayBeInboundAllow, NormalisedRule } from "../model/rules";
import { ResourcePolicyDefinition } from "../kit/definition";
import { CONCRETE_PROTOCOLS, ConcreteProtocol, protocolCovers } from "../model/protocol";
import { ReadPorts, splitByReading } from "../analysis/readings";
import { Registry } from "../registry";

export interface Config {
    naclReturnTraffic: "advisory" | "ignore" | "mandatory";
    reportUnverifiable: boolean;
}

export const noWorldOpenInternalPorts: ResourcePolicyDefinition<Config> = {
    meta: {
        name: "no-world-open-internal-ports",
        description: "Inbound rules must not let the whole internet reach a port that is not `public` in ports.yaml.",
        rationale:
            "Internal services (databases, caches, cluster control planes, SSH, RDP) are the first thing scanners find. " +
            "Only ports the team has declared public, and monitors, may be reachable from 0.0.0.0/0, ::/0, Azure `*`/`Internet`, " +
            "or any set of sources that adds up to the whole internet.",
        severity: "critical",
        defaultLevel: "mandatory",
        remediationSteps:
            "Restrict the rule's source to a known CIDR block (knownCidrs in ports.yaml) or a security group / service tag. " +
            "If the port really must be reachable from the internet, mark its service `public: true` in ports.yaml and enable flow logs for it.",
        examples: [
            {
                cloud: "AWS",
                title: "SSH open to the internet",
                verdict: "flagged",
                type: "aws:ec2/securityGroup:SecurityGroup",
                props: { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] },
            },
            {
                cloud: "AWS",
                title: "SSH from the VPN range only; HTTPS from anywhere",
                verdict: "passes",
                type: "aws:ec2/securityGroup:SecurityGroup",
                props: {
                    ingress: [
                        { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.8.0.0/16"] },
                        { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] },
                    ],
                },
            },
            {
                cloud: "Azure",
                title: "RDP from `*`",
                verdict: "flagged",
                type: "azure-native:network:NetworkSecurityGroup",
                props: {
                    securityRules: [
                        {
                            name: "rdp",
                            direction: "Inbound",
                            access: "Allow",
                            priority: 100,
                            protocol: "Tcp",
                            sourcePortRange: "*",
                            destinationPortRange: "3389",
                            sourceAddressPrefix: "*",
                            destinationAddressPrefix: "*",
                        },
                    ],
                },
            },
            {
                cloud: "Azure",
                title: "a deny with higher priority shadows the broad allow for PostgreSQL",
                verdict: "passes",
                type: "azure-native:network:NetworkSecurityGroup",
                props: {
                    securityRules: [
                        {
                            name: "deny-pg",
                            direction: "Inbound",
                            access: "Deny",
                            priority: 100,
                            protocol: "Tcp",
                            destinationPortRange: "5432",
                            sourceAddressPrefix: "Internet",
                        },
                        {
                            name: "pg",
                            direction: "Inbound",
                            access: "Allow",
                            priority: 200,
                            protocol: "Tcp",
                            destinationPortRange: "5432",
                            sourceAddressPrefix: "*",
                        },
                    ],
                },
            },
            {
                cloud: "GCP",
                title: "an ingress firewall with no source (GCP defaults to 0.0.0.0/0)",
                verdict: "flagged",
                type: "gcp:compute/firewall:Firewall",
                props: { network: "default", direction: "INGRESS", allows: [{ protocol: "tcp", ports: ["6379"] }] },
            },
            {
                cloud: "Kubernetes",
                title: "a LoadBalancer Service for PostgreSQL without source ranges",
                verdict: "flagged",
                type: "kubernetes:core/v1:Service",
                props: { spec: { type: "LoadBalancer", ports: [{ port: 5432, nodePort: 30432 }] } },
            },
        ],
        messages: {
            worldOpen: "{{rules}} lets the whole internet reach {{ports}}.",
            "worldOpen.header": "These rules let the whole internet reach internal ports:",
            "worldOpen.line": "{{rules}}: {{ports}}",
            worldOpenTogether: "{{rules}} together let the whole internet reach {{ports}}.",
            "worldOpenTogether.header": "These rules let the whole internet reach internal ports:",
            "worldOpenTogether.line": "{{rules}} together: {{ports}}",
            worldOpenEach: "{{rules}} each let the whole internet reach {{ports}}.",
            "worldOpenEach.header": "These rules let the whole internet reach internal ports:",
            "worldOpenEach.line": "{{rules}}, each: {{ports}}",
            returnTraffic:
                "The whole internet reaches {{ports}} through {{rules}} as return traffic: a network ACL must keep the ephemeral range open for replies, so only the security groups close these internal ports.",
            "returnTraffic.header":
                "The whole internet reaches these internal ports as return traffic (a network ACL must keep the ephemeral range open for replies, so only the security groups close them):",
            "returnTraffic.line": "{{rules}}: {{ports}}",
            passThrough:
                "All traffic from the whole internet is allowed by {{rules}}: the network ACL does not filter, so the security groups decide which internal ports are reachable.",
            fixSources:
                "Fix: narrow the {{ruleKind}}'s {{peers}} to {{known}}{{named}}. If a port must be public, mark its service `public: true` in ports.yaml and monitor it with flow logs.",
            fixSourcesNew:
                "Fix: narrow the {{ruleKind}}'s {{peers}} to {{known}}{{named}}. If a port must be public, mark its service `public: true` in ports.yaml (document an undocumented one first, e.g. {{entry}}) and monitor it with flow logs.",
            fixWide:
                "Fix: narrow the {{ruleKind}} to the protocol and ports its service needs ({{portsField}}) and its {{peers}} to {{known}}{{named}}.",
            fixReturnTraffic:
                "To have the network ACL close them too, add deny entries for {{ports}} with a lower rule number than {{rules}}.",
        },
        configSchema: {
            naclReturnTraffic: {
                type: "string",
                enum: ["advisory", "ignore", "mandatory"],
                default: "advisory",
                description:
                    "Network ACLs are stateless and must admit return traffic from anywhere on the ephemeral ports (ephemeralPorts in ports.yaml). " +
                    "Internal ports inside that range are reported as an advisory note (default), not at all, or as a violation.",
            },
            reportUnverifiable: {
                type: "boolean",
                default: true,
                description: "Report rules whose values are unknown during preview (or unreadable) as advisory notes.",
            },
        },
    },
    check({ resource, registry, config, report, advise }) {
        const { world } = evaluate(resource.rules, "inbound");
        // Per kind of finding and the rules responsible for it, the ports of each protocol.
        const buckets = new Map<string, { id: string; rules: NormalisedRule[]; ports: Map<ConcreteProtocol, PortSet> }>();
        const add = (id: string, rules: NormalisedRule[], protocol: ConcreteProtocol, ports: PortSet) => {
            if (ports.isEmpty) return;
            const key = `${id}|${rules.map((r) => r.origin).join(",")}`;
            const b = buckets.get(key) ?? { id, rules, ports: new Map<ConcreteProtocol, PortSet>() };
            b.ports.set(protocol, (b.ports.get(protocol) ?? NO_PORTS).union(ports));
            buckets.set(key, b);
        };
        const passThrough = new Set<NormalisedRule>();
        for (const e of world) {
            const internal = e.ports.intersect(registry.internal(e.protocol));
            if (internal.isEmpty) continue;
            const read = splitByReading(e.rules, e.protocol, internal, registry.ephemeralPorts);
            const stateful = !e.rules.some((r) => r.stateless);
            const by = (part: keyof ReadPorts) =>
                stateful
                    ? part === "service"
                        ? e.rules
                        : []
                    : e.rules.filter((r) => !splitByReading([r], e.protocol, internal, registry.ephemeralPorts)[part].isEmpty);
            // Rules that each admit the world are named for what they open; rules that only together
            // reach the whole internet are named together.
            const serviceRules = e.single ? by("service") : e.rules;
            add(
                !e.single ? "worldOpenTogether" : serviceRules.length === 1 ? "worldOpen" : "worldOpenEach",
                serviceRules,
                e.protocol,
                read.service,
            );
            // The note names the services only the security groups now close; the range's undocumented ports are nobody's.
            add(
                "returnTraffic",
                e.single ? by("returnTraffic") : e.rules,
                e.protocol,
                read.returnTraffic.intersect(registry.documented(e.protocol)),
            );
            if (!read.passThrough.isEmpty) for (const r of by("passThrough")) passThrough.add(r);
        }
        // One fix per kind of rule for the whole finding: the widest advice any of its items needs,
        // with the first undocumented port as the example entry.
        const fixes = new Map<string, { wide: boolean; entry: string }>();
        const termsKey = (r: NormalisedRule) => `${r.terms.rule}|${r.terms.peers}`;
        for (const { id, rules, ports } of buckets.values()) {
            if (id === "returnTraffic") continue;
            const undocumented = [...ports]
                .map(([protocol, p]) => ({ protocol, ports: p.subtract(registry.documented(protocol)) }))
                .filter((u) => !u.ports.isEmpty);
            const f = fixes.get(termsKey(rules[0])) ?? { wide: false, entry: "" };
            f.wide ||= undocumented.some((u) => u.protocol !== "icmp" && portCount(u.ports) > WIDE_PORT_COUNT);
            f.entry ||= undocumented
                .map((u) => registryEntryHint(u.protocol, u.ports, true, rules))
                .filter((h) => h !== "")
                .join(" and ");
            fixes.set(termsKey(rules[0]), f);
        }
        for (const { id, rules, ports } of buckets.values()) {
            const described = [...ports].map(([protocol, p]) => describePorts(registry, protocol, p, rules)).join("; ");
            const who = { rules: describeRules(rules), ports: described };
            if (id === "returnTraffic") {
                if (config.naclReturnTraffic === "ignore") continue;
                const item = [
                    "returnTraffic",
                    who,
                    {
                        rule: rules[0],
                        fix: { messageId: "fixReturnTraffic", data: { ports: described, rules: listNames(rules.map(ruleName)) } },
                    },
                ] as const;
                if (config.naclReturnTraffic === "mandatory") report(...item);
                else advise(...item);
                continue;
            }
            const { wide, entry } = fixes.get(termsKey(rules[0]))!;
            const fixData = peerFixData(rules[0].terms, registry);
            const fix: FixSpec = wide
                ? { messageId: "fixWide", data: { ...fixData, portsField: rules[0].terms.ports } }
                : entry
                  ? { messageId: "fixSourcesNew", data: { ...fixData, entry } }
                  : { messageId: "fixSources", data: fixData };
            report(id, who, { rule: rules[0], fix });
        }
        // An ACL that does not filter gets one note, however many of its entries allow everything.
        if (passThrough.size > 0) {
            const rules = resource.rules.filter((r) => passThrough.has(r));
            advise("passThrough", { rules: describeRules(rules) }, { rule: rules[0] });
        }
        if (config.reportUnverifiable) {
            // A rule whose sources are all named (security groups, selectors, tags) can never admit the internet.
            const couldBeWorld = (r: NormalisedRule) =>
                r.peers.blocks.length > 0 || r.peers.unknown || r.unresolved.some((u) => u.part === "peers");
            const relevant = resource.rules.filter(
                (r) =>
                    mayBeInboundAllow(r) && r.unresolved.length > 0 && couldBeWorld(r) && (!isEvaluable(r) || touchesInternal(r, registry)),
            );
            adviseUnresolved(advise, resource, relevant);
        }
    },
};

function touchesInternal(rule: NormalisedRule, registry: Registry): boolean {
    return CONCRETE_PROTOCOLS.some(
        (p: ConcreteProtocol) => protocolCovers(rule.protocol, p) && portsFor(rule, p).overlaps(registry.internal(p)),
    );
}
