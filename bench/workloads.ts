// Deterministic firewall resources for the benchmark: every generator is seeded, so each run sends
// the same requests to both packs and one run can be compared with the next.
import { ResourceInput } from "../driver/analyzer-client";

export { mulberry32 as rng } from "../scripts/lib/prng";
import { mulberry32 as rng } from "../scripts/lib/prng";

type Rand = () => number;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

// Ports from the shipped ports.yaml (documented), a few that are not, and ranges.
const DOCUMENTED_TCP = [
    22, 80, 443, 3389, 53, 389, 636, 445, 2049, 1433, 1521, 3306, 5432, 6379, 11211, 27017, 9042, 9200, 9300, 5671, 5672, 15672, 9092, 2181,
    6443, 10250, 8300, 8600, 9090, 9100, 3000, 8080,
];
const UNDOCUMENTED = [8081, 8443, 9999, 4444, 7777];
const TCP_RANGES: [number, number][] = [
    [2379, 2380],
    [7000, 7001],
    [8500, 8502],
    [8200, 8201],
    [30000, 32767],
    [1024, 65535],
    [0, 65535],
    [5000, 6000],
];
const INTERNAL_CIDRS = ["10.0.0.0/8", "10.20.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "10.1.2.0/24", "fd00::/8", "fd12:3456::/32"];
const WORLD_V4 = "0.0.0.0/0";

function randomV4Cidr(r: Rand): string {
    const prefix = int(r, 8, 32);
    const addr = (Math.floor(r() * 2 ** 32) >>> 0) & (prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0);
    return `${addr >>> 24}.${(addr >>> 16) & 255}.${(addr >>> 8) & 255}.${addr & 255}/${prefix}`;
}

function randomV6Cidr(r: Rand): string {
    // 2001:db8:xxxx:yyyy::/64 (documentation range, host bits clear)
    return `2001:db8:${int(r, 0, 0xffff).toString(16)}:${int(r, 0, 0xffff).toString(16)}::/64`;
}

// ------------------------------------------------------------------------------------------------
// AWS

interface SgRule {
    protocol: string;
    fromPort: number;
    toPort: number;
    cidrBlocks?: string[];
    ipv6CidrBlocks?: string[];
    securityGroups?: string[];
    self?: boolean;
    description?: string;
}

function sgRule(r: Rand, i: number): SgRule {
    const kind = r();
    let protocol = "tcp";
    let fromPort: number;
    let toPort: number;
    if (kind < 0.6) {
        fromPort = toPort = r() < 0.9 ? pick(r, DOCUMENTED_TCP) : pick(r, UNDOCUMENTED);
    } else if (kind < 0.8) {
        [fromPort, toPort] = pick(r, TCP_RANGES);
    } else if (kind < 0.9) {
        protocol = "udp";
        fromPort = toPort = pick(r, [53, 123, 2049, 3389, 8600]);
    } else if (kind < 0.95) {
        protocol = "icmp";
        fromPort = -1;
        toPort = -1;
    } else {
        protocol = "-1";
        fromPort = 0;
        toPort = 0;
    }
    const rule: SgRule = { protocol, fromPort, toPort, description: `rule ${i}` };
    const src = r();
    if (src < 0.15) rule.cidrBlocks = [WORLD_V4];
    else if (src < 0.75)
        rule.cidrBlocks = Array.from({ length: int(r, 1, 4) }, () => (r() < 0.6 ? pick(r, INTERNAL_CIDRS.slice(0, 5)) : randomV4Cidr(r)));
    else if (src < 0.85) rule.ipv6CidrBlocks = [r() < 0.3 ? "::/0" : randomV6Cidr(r)];
    else if (src < 0.95) rule.securityGroups = [`sg-${(0x1000000 + i).toString(16)}`];
    else rule.self = true;
    return rule;
}

export function securityGroup(name: string, ingressRules: number, seed: number): ResourceInput {
    const r = rng(seed);
    return {
        type: "aws:ec2/securityGroup:SecurityGroup",
        name,
        properties: {
            name,
            description: `benchmark security group ${name}`,
            vpcId: "vpc-0123456789abcdef0",
            ingress: Array.from({ length: ingressRules }, (_, i) => sgRule(r, i)),
            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: [WORLD_V4] }],
            tags: { Name: name, team: "platform", env: "prod" },
        },
    };
}

function naclEntries(r: Rand, n: number) {
    return Array.from({ length: n }, (_, i) => {
        const deny = r() < 0.25;
        const [fromPort, toPort] = r() < 0.5 ? [pick(r, DOCUMENTED_TCP), 0] : pick(r, TCP_RANGES);
        return {
            ruleNo: 100 + i * 10,
            action: deny ? "deny" : "allow",
            protocol: r() < 0.9 ? "tcp" : "-1",
            fromPort,
            toPort: toPort || fromPort,
            cidrBlock: r() < 0.4 ? WORLD_V4 : pick(r, INTERNAL_CIDRS.slice(0, 5)),
        };
    });
}

// ------------------------------------------------------------------------------------------------
// Azure native

function nsgRule(r: Rand, i: number, priority: number): Record<string, unknown> {
    const inbound = r() < 0.85;
    const allow = r() < 0.7;
    const protocol = pick(r, ["Tcp", "Tcp", "Tcp", "Udp", "*", "Icmp"]);
    const rule: Record<string, unknown> = {
        name: `rule-${i}`,
        priority,
        direction: inbound ? "Inbound" : "Outbound",
        access: allow ? "Allow" : "Deny",
        protocol,
        sourcePortRange: "*",
    };
    const ports = r();
    if (ports < 0.5) rule.destinationPortRange = String(r() < 0.9 ? pick(r, DOCUMENTED_TCP) : pick(r, UNDOCUMENTED));
    else if (ports < 0.7) {
        const [a, b] = pick(r, TCP_RANGES);
        rule.destinationPortRange = `${a}-${b}`;
    } else if (ports < 0.9) {
        rule.destinationPortRanges = Array.from({ length: int(r, 2, 5) }, () => {
            if (r() < 0.3) {
                const [a, b] = pick(r, TCP_RANGES);
                return `${a}-${b}`;
            }
            return String(pick(r, DOCUMENTED_TCP));
        });
    } else rule.destinationPortRange = "*";
    const src = r();
    const side = inbound ? "source" : "destination";
    const other = inbound ? "destination" : "source";
    if (src < 0.15) rule[`${side}AddressPrefix`] = pick(r, ["*", "Internet", "0.0.0.0/0", "Any"]);
    else if (src < 0.55) rule[`${side}AddressPrefix`] = r() < 0.5 ? pick(r, INTERNAL_CIDRS) : randomV4Cidr(r);
    else if (src < 0.8)
        rule[`${side}AddressPrefixes`] = Array.from({ length: int(r, 2, 6) }, () =>
            r() < 0.5 ? randomV4Cidr(r) : pick(r, INTERNAL_CIDRS),
        );
    else if (src < 0.9) rule[`${side}AddressPrefix`] = pick(r, ["VirtualNetwork", "AzureLoadBalancer", "Storage.WestEurope"]);
    else if (src < 0.95)
        rule[`${side}AddressPrefix`] =
            `10.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 1, 200)}-10.${int(r, 0, 255)}.${int(r, 0, 255)}.250`;
    else {
        rule[`${side}ApplicationSecurityGroups`] = [
            {
                id: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups/asg-${i}`,
            },
        ];
    }
    rule[`${other}AddressPrefix`] = "*";
    return rule;
}

function shuffledPriorities(r: Rand, n: number): number[] {
    // Unique priorities in 100..4096, in no particular order (the pack must sort them).
    const all = Array.from({ length: 3997 }, (_, i) => 100 + i);
    for (let i = all.length - 1; i > 0; i--) {
        const j = Math.floor(r() * (i + 1));
        [all[i], all[j]] = [all[j], all[i]];
    }
    return all.slice(0, n);
}

export function networkSecurityGroup(name: string, rules: number, seed: number): ResourceInput {
    const r = rng(seed);
    const priorities = shuffledPriorities(r, rules);
    return {
        type: "azure-native:network:NetworkSecurityGroup",
        name,
        properties: {
            resourceGroupName: "rg-bench",
            location: "westeurope",
            networkSecurityGroupName: name,
            securityRules: priorities.map((p, i) => nsgRule(r, i, p)),
            tags: { team: "platform", env: "prod" },
        },
    };
}

// ------------------------------------------------------------------------------------------------
// Stress cases

/** One inbound rule on PostgreSQL whose sources are `n` distinct CIDRs (90% IPv4 /8../32, 10% IPv6 /64). */
export function manyCidrRule(n: number, seed: number): ResourceInput {
    const r = rng(seed);
    const seen = new Set<string>();
    while (seen.size < n) seen.add(r() < 0.9 ? randomV4Cidr(r) : randomV6Cidr(r));
    const all = [...seen];
    return {
        type: "aws:ec2/securityGroup:SecurityGroup",
        name: "many-cidrs",
        properties: {
            name: "many-cidrs",
            description: `one rule with ${n} source CIDRs`,
            ingress: [
                {
                    protocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    cidrBlocks: all.filter((c) => !c.includes(":")),
                    ipv6CidrBlocks: all.filter((c) => c.includes(":")),
                },
            ],
        },
    };
}

/** tcp 0-65535 from the whole internet: every service of the registry is hit. */
export function fullRangeRule(): ResourceInput {
    return {
        type: "aws:ec2/securityGroup:SecurityGroup",
        name: "all-ports-world",
        properties: {
            name: "all-ports-world",
            description: "tcp 0-65535 from anywhere",
            ingress: [
                { protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: [WORLD_V4] },
                { protocol: "udp", fromPort: 0, toPort: 65535, cidrBlocks: ["10.0.0.0/8"] },
            ],
        },
    };
}

/**
 * A valid registry of `n` services that do not overlap: service i owns port P and range P+1..P+9
 * with P = 2000 + 100 i, on tcp, udp or both; every 25th is public.
 */
export function registryYaml(n: number): string {
    if (2000 + 100 * n > 65535) throw new Error(`cannot fit ${n} services`);
    const lines = ["# generated by bench/bench.ts", "services:"];
    for (let i = 0; i < n; i++) {
        const p = 2000 + 100 * i;
        const protocol = i % 3 === 0 ? "[tcp, udp]" : i % 3 === 1 ? "tcp" : "udp";
        lines.push(`  - name: svc-${String(i).padStart(3, "0")}`);
        lines.push(`    ports: [${p}, "${p + 1}-${p + 9}"]`);
        lines.push(`    protocol: ${protocol}`);
        lines.push(`    owner: team-${i % 17}`);
        lines.push(`    description: benchmark service ${i}`);
        if (i % 25 === 0) lines.push("    public: true");
    }
    lines.push("  - name: icmp", "    protocol: icmp", "    public: true");
    lines.push("knownCidrs: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fd00::/8]");
    lines.push('ephemeralPorts: ["1024-65535"]');
    return lines.join("\n") + "\n";
}

// ------------------------------------------------------------------------------------------------
// A stack of firewall resources

/**
 * Resource i of a stack; depends on i only, so the first 1,000 of a 10,000-resource stack are the
 * 1,000-resource stack. Mix: security groups (2-8 ingress rules), NSGs (3-12 rules), network ACLs,
 * standalone security group rules and standalone NSG rules.
 */
export function stackResource(i: number): ResourceInput {
    const r = rng(0x5eed + i * 7919);
    const name = `fw-${i}`;
    switch (i % 5) {
        case 0:
        case 1:
            return securityGroup(name, int(r, 2, 8), 1000 + i);
        case 2:
            return networkSecurityGroup(name, int(r, 3, 12), 2000 + i);
        case 3:
            return {
                type: "aws:ec2/networkAcl:NetworkAcl",
                name,
                properties: {
                    vpcId: "vpc-0123456789abcdef0",
                    ingress: naclEntries(r, int(r, 3, 6)),
                    egress: naclEntries(r, 2),
                    tags: { Name: name },
                },
            };
        default:
            if (r() < 0.5) {
                const rule = sgRule(r, i);
                return {
                    type: "aws:ec2/securityGroupRule:SecurityGroupRule",
                    name,
                    properties: { type: "ingress", securityGroupId: "sg-0123456789abcdef0", ...rule, securityGroups: undefined },
                };
            }
            return {
                type: "azure-native:network:SecurityRule",
                name,
                properties: { resourceGroupName: "rg-bench", networkSecurityGroupName: "nsg", ...nsgRule(r, i, int(r, 100, 4096)) },
            };
    }
}

export function stack(n: number): ResourceInput[] {
    return Array.from({ length: n }, (_, i) => stackResource(i));
}
