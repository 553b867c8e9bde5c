import { evaluate, portsFor, WorldExposure } from "./lib/evaluate";
import { describePorts, describeRules, knownCidrsHint, portCount, registryEntryHint, unresolvedNotes, WIDE_PORT_COUNT } from "./lib/messages";
import { isEvaluable, mayBeInboundAllow, NormalisedRule } from "./lib/model";
import { ResourcePolicyDefinition } from "./lib/policy-kit";
import { CONCRETE_PROTOCOLS, ConcreteProtocol, protocolCovers } from "./lib/protocol";
import { Registry } from "./lib/registry";
import { PortSet } from "./lib/intervals";

export interface Config {
    naclReturnTraffic: "advisory" | "ignore" | "mandatory";
    reportUnverifiable: boolean;
}

export const noWorldOpenInternalPorts: ResourcePolicyDefinition<Config> = {
    meta: {
        name: "no-world-open-internal-ports",
        description: "Inbound rules must not let the whole internet reach a port that is not `public` in ports.yaml.",
        rationale: "Internal services (databases, caches, cluster control planes, SSH, RDP) are the first thing scanners find. " +
            "Only ports the team has declared public, and monitors, may be reachable from 0.0.0.0/0, ::/0, Azure `*`/`Internet`, " +
            "or any set of sources that adds up to the whole internet.",
        severity: "critical",
        defaultLevel: "mandatory",
        remediationSteps: "Restrict the rule's source to a known CIDR block (knownCidrs in ports.yaml) or a security group / service tag. " +
            "If the port really must be reachable from the internet, mark its service `public: true` in ports.yaml and enable flow logs for it.",
        examples: [
            { cloud: "AWS", title: "SSH open to the internet", verdict: "flagged", type: "aws:ec2/securityGroup:SecurityGroup",
                props: { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] } },
            { cloud: "AWS", title: "SSH from the VPN range only; HTTPS from anywhere", verdict: "passes", type: "aws:ec2/securityGroup:SecurityGroup",
                props: { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.8.0.0/16"] }, { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }] } },
            { cloud: "Azure", title: "RDP from `*`", verdict: "flagged", type: "azure-native:network:NetworkSecurityGroup",
                props: { securityRules: [{ name: "rdp", direction: "Inbound", access: "Allow", priority: 100, protocol: "Tcp", sourcePortRange: "*", destinationPortRange: "3389", sourceAddressPrefix: "*", destinationAddressPrefix: "*" }] } },
            { cloud: "Azure", title: "a deny with higher priority shadows the broad allow for PostgreSQL", verdict: "passes", type: "azure-native:network:NetworkSecurityGroup",
                props: { securityRules: [
                    { name: "deny-pg", direction: "Inbound", access: "Deny", priority: 100, protocol: "Tcp", destinationPortRange: "5432", sourceAddressPrefix: "Internet" },
                    { name: "pg", direction: "Inbound", access: "Allow", priority: 200, protocol: "Tcp", destinationPortRange: "5432", sourceAddressPrefix: "*" },
                ] } },
            { cloud: "GCP", title: "an ingress firewall with no source (GCP defaults to 0.0.0.0/0)", verdict: "flagged", type: "gcp:compute/firewall:Firewall",
                props: { network: "default", direction: "INGRESS", allows: [{ protocol: "tcp", ports: ["6379"] }] } },
            { cloud: "Kubernetes", title: "a LoadBalancer Service for PostgreSQL without source ranges", verdict: "flagged", type: "kubernetes:core/v1:Service",
                props: { spec: { type: "LoadBalancer", ports: [{ port: 5432, nodePort: 30432 }] } } },
        ],
        configSchema: {
            naclReturnTraffic: {
                type: "string",
                enum: ["advisory", "ignore", "mandatory"],
                default: "advisory",
                description: "Network ACLs are stateless and must admit return traffic from anywhere on the ephemeral ports (ephemeralPorts in ports.yaml). " +
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
        for (const group of groupByRules(world)) {
            const blocking: string[] = [];
            const returnTraffic: string[] = [];
            let hint = "";
            let wide = false;
            for (const e of group) {
                let internal = e.ports.intersect(registry.internal(e.protocol));
                if (e.protocol !== "icmp" && e.rules.every((r) => r.stateless)) {
                    const ret = internal.intersect(registry.ephemeralPorts);
                    internal = internal.subtract(ret);
                    if (!ret.isEmpty) returnTraffic.push(describePorts(registry, e.protocol, ret, e.rules));
                }
                if (internal.isEmpty) continue;
                blocking.push(describePorts(registry, e.protocol, internal, e.rules));
                const undocumented = internal.subtract(registry.documented(e.protocol));
                hint ||= registryEntryHint(e.protocol, undocumented, true, e.rules);
                wide ||= portCount(undocumented) > WIDE_PORT_COUNT;
            }
            const rules = group[0].rules;
            const who = `${describeRules(rules)} ${rules.length === 1 ? "lets" : "let"} the whole internet reach`;
            if (blocking.length > 0) {
                report(`${who} ${blocking.join("; ")}, which ${blocking.length === 1 && !blocking[0].includes(",") ? "is" : "are"} internal in ports.yaml. ` +
                    `Fix: restrict the source to ${knownCidrsHint(registry)} or a security group; or, if the port must be public, ` +
                    `set \`public: true\` on its service in ports.yaml${hint ? ` (or add one: ${hint})` : ""} and monitor it with flow logs.` +
                    (wide ? " A rule this wide should be narrowed to the ports its service needs." : ""));
            }
            if (returnTraffic.length > 0 && config.naclReturnTraffic !== "ignore") {
                const message = `${who} ${returnTraffic.join("; ")} as return traffic: network ACLs are stateless, so the ephemeral range (ephemeralPorts in ports.yaml) ` +
                    `must stay open, and these internal ports are then closed only by the security groups. ` +
                    `To have the ACL enforce it, add deny entries for these ports with a lower rule number than the allow.`;
                if (config.naclReturnTraffic === "mandatory") report(message);
                else advise(message);
            }
        }
        if (config.reportUnverifiable) {
            // A rule whose sources are all named (security groups, selectors, tags) can never admit the internet.
            const couldBeWorld = (r: NormalisedRule) => r.peers.blocks.length > 0 || r.peers.unknown || r.unresolved.some((u) => u.part === "peers");
            const relevant = resource.rules.filter((r) => mayBeInboundAllow(r) && r.unresolved.length > 0 && couldBeWorld(r) &&
                (!isEvaluable(r) || touchesInternal(r, registry)));
            for (const note of unresolvedNotes(resource, relevant, this.meta.name)) advise(note);
        }
    },
};

function touchesInternal(rule: NormalisedRule, registry: Registry): boolean {
    return CONCRETE_PROTOCOLS.some((p: ConcreteProtocol) =>
        protocolCovers(rule.protocol, p) && portsFor(rule, p).overlaps(registry.internal(p) as PortSet));
}

/** One message per set of rules: "all protocols from 0.0.0.0/0" is one finding, not three. */
function groupByRules(world: WorldExposure[]): WorldExposure[][] {
    const groups = new Map<string, WorldExposure[]>();
    for (const e of world) {
        const key = `${e.single}|${e.rules.map((r) => r.origin).join(",")}`;
        groups.set(key, [...(groups.get(key) ?? []), e]);
    }
    return [...groups.values()];
}
