import { PolicyCase as Case, Expect, T, UNKNOWN, naclEntry } from "../helpers";

const sg = (...ingress: Record<string, unknown>[]) => ({ ingress });
const tcp = (port: number | string, cidrBlocks: string[], extra: Record<string, unknown> = {}) => ({
    protocol: "tcp",
    fromPort: port,
    toPort: port,
    cidrBlocks,
    ...extra,
});
const nsg = (...securityRules: Record<string, unknown>[]) => ({ securityRules });
const az = (priority: number, access: string, port: string, source: string, extra: Record<string, unknown> = {}) => ({
    direction: "Inbound",
    access,
    priority,
    protocol: "Tcp",
    destinationPortRange: port,
    sourceAddressPrefix: source,
    ...extra,
});
/** The items for rules from..to-1 whose source is unknown. */
const unverified = (from: number, to: number): Expect[] =>
    Array.from({ length: to - from }, (_, k) => [
        "ruleUnknown",
        `ingress[${from + k}]`,
        { rule: `ingress[${from + k}]`, paths: `ingress[${from + k}].cidrBlocks[0]` },
        null,
    ]);
const unknownSources = (n: number) => Array.from({ length: n }, () => tcp(5432, [UNKNOWN]));
const acl = naclEntry;

export const valid: Case[] = [
    {
        name: "a public port (443) open to 0.0.0.0/0",
        type: T.sg,
        props: sg(tcp(443, ["0.0.0.0/0"]), tcp(80, ["0.0.0.0/0"], { ipv6CidrBlocks: ["::/0"] })),
    },
    { name: "an internal port limited to a private range", type: T.sg, props: sg(tcp(5432, ["10.0.0.0/8"])) },
    { name: "half of IPv4 is not the whole internet (known-source-cidrs covers it)", type: T.sg, props: sg(tcp(5432, ["0.0.0.0/1"])) },
    {
        name: "a security-group source is never the world",
        type: T.sg,
        props: sg({ protocol: "-1", fromPort: 0, toPort: 0, securityGroups: ["sg-0abc"], self: true }),
    },
    {
        name: "outbound to the world is not inbound",
        type: T.sg,
        props: { egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] },
    },
    {
        name: "ICMP from anywhere when icmp is public",
        type: T.sg,
        props: sg({ protocol: "icmp", fromPort: -1, toPort: -1, cidrBlocks: ["0.0.0.0/0"] }),
    },
    {
        name: "NSG deny with higher priority (lower number) shadows a later world allow",
        type: T.nsg,
        props: nsg(az(100, "Deny", "5432", "*"), az(200, "Allow", "5432", "Internet")),
    },
    {
        name: "NSG denies whose sources add up to the world shadow the allow",
        type: T.nsg,
        props: nsg(az(100, "Deny", "22", "0.0.0.0/1"), az(110, "Deny", "22", "128.0.0.0/1"), az(200, "Allow", "22", "0.0.0.0/0")),
    },
    {
        name: "NACL deny with a lower rule number shadows the allow for the ports it covers",
        type: T.nacl,
        props: {
            ingress: [
                acl(50, "deny", 22, 22, "0.0.0.0/0"),
                acl(100, "allow", 22, 22, "0.0.0.0/0"),
                acl(110, "allow", 443, 443, "0.0.0.0/0"),
            ],
        },
    },
    {
        name: "a standalone rule to a public port",
        type: T.sgRule,
        props: { type: "ingress", protocol: "tcp", fromPort: "443", toPort: "443", cidrBlocks: ["0.0.0.0/0"] },
    },
    { name: "unsupported resource types are ignored", type: "aws:s3/bucket:Bucket", props: { ingress: [tcp(22, ["0.0.0.0/0"])] } },
    {
        name: "NACL return traffic can be ignored by config",
        type: T.nacl,
        props: { ingress: [acl(100, "allow", 1024, 65535, "0.0.0.0/0")] },
        config: { naclReturnTraffic: "ignore" },
    },
    { name: "an NSG without rules", type: T.nsg, props: nsg() },
    {
        name: "an active exemption in ports.yaml removes the violation",
        type: T.sg,
        resourceName: "bastion",
        props: sg(tcp(22, ["0.0.0.0/0"])),
    },
    { name: "unverifiable notes can be switched off", type: T.sg, props: sg(tcp(5432, [UNKNOWN])), config: { reportUnverifiable: false } },
];

export const invalid: Case[] = [
    {
        name: "with exemptionNotes an exempted finding is an advisory note naming the exemption",
        type: T.sg,
        resourceName: "bastion",
        config: { exemptionNotes: true },
        props: sg(tcp(22, ["0.0.0.0/0"])),
        exemption: "active",
        advisories: [["worldOpen", "ingress[0]", { rules: "ingress[0] (from 0.0.0.0/0)", ports: "tcp 22 (ssh)" }, "fixSources"]],
    },
    {
        name: "an expired exemption gives the violation and says it expired",
        type: T.sg,
        resourceName: "legacy-api",
        props: sg(tcp(22, ["0.0.0.0/0"])),
        exemption: "expired",
        errors: [["worldOpen", "ingress[0]", { rules: "ingress[0] (from 0.0.0.0/0)", ports: "tcp 22 (ssh)" }, "fixSources"]],
    },
    {
        name: "SSH from 0.0.0.0/0",
        type: T.sg,
        props: sg(tcp(22, ["0.0.0.0/0"])),
        errors: [["worldOpen", "ingress[0]", { rules: "ingress[0] (from 0.0.0.0/0)", ports: "tcp 22 (ssh)" }, "fixSources"]],
    },
    {
        name: "PostgreSQL from ::/0",
        type: T.sg,
        props: sg(tcp(5432, [], { ipv6CidrBlocks: ["::/0"] })),
        errors: [["worldOpen", "ingress[0]", { rules: "ingress[0] (from ::/0)", ports: "tcp 5432 (postgres)" }, "fixSources"]],
    },
    {
        name: "another IPv6 /0 spelling",
        type: T.sg,
        props: sg(tcp(6379, [], { ipv6CidrBlocks: ["0:0:0:0:0:0:0:0/0"] })),
        errors: [["worldOpen", "ingress[0]", { rules: "ingress[0] (from ::/0)", ports: "tcp 6379 (redis)" }, "fixSources"]],
    },
    {
        name: "protocol -1 opens every internal port",
        type: T.sg,
        props: sg({ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }),
        errors: [
            [
                "worldOpen",
                "ingress[0]",
                {
                    rules: "ingress[0] (from 0.0.0.0/0)",
                    ports: "tcp 22 (ssh), 53 (dns), 2379-2380 (etcd), 5432 (postgres), 6379 (redis) and 2 more; udp 53 (dns), 0-52, 54-65535 (65535 undocumented ports)",
                },
                "fixWide",
            ],
        ],
    },
    {
        name: "a range that contains an internal port",
        type: T.sg,
        props: sg({ protocol: "tcp", fromPort: "5000", toPort: "6000", cidrBlocks: ["0.0.0.0/0"] }),
        errors: [
            [
                "worldOpen",
                "ingress[0]",
                { rules: "ingress[0] (from 0.0.0.0/0)", ports: "tcp 5432 (postgres), 5000-5431, 5433-6000 (1000 undocumented ports)" },
                "fixWide",
            ],
        ],
    },
    {
        name: "protocol number 6 and port strings",
        type: T.sg,
        props: sg({ protocol: "6", fromPort: "2379", toPort: "2380", cidrBlocks: ["0.0.0.0/0"] }),
        errors: [["worldOpen", "ingress[0]", { rules: "ingress[0] (from 0.0.0.0/0)", ports: "tcp 2379-2380 (etcd)" }, "fixSources"]],
    },
    {
        name: "an undocumented port is internal too",
        type: T.sg,
        props: sg(tcp(9999, ["0.0.0.0/0"])),
        errors: [["worldOpen", "ingress[0]", { rules: "ingress[0] (from 0.0.0.0/0)", ports: "tcp 9999 (undocumented)" }, "fixSourcesNew"]],
    },
    {
        name: "0.0.0.0/1 + 128.0.0.0/1 split across rules",
        type: T.sg,
        props: sg(tcp(5432, ["0.0.0.0/1"]), tcp(5432, ["128.0.0.0/1"])),
        errors: [
            [
                "worldOpenTogether",
                "ingress[0]",
                { rules: "ingress[0] (from 0.0.0.0/1) and ingress[1] (from 128.0.0.0/1)", ports: "tcp 5432 (postgres)" },
                "fixSources",
            ],
        ],
    },
    {
        name: "the split inside one rule",
        type: T.sg,
        props: sg(tcp(22, ["128.0.0.0/1", "0.0.0.0/1"])),
        errors: [
            ["worldOpen", "ingress[0]", { rules: "ingress[0] (from 128.0.0.0/1 and 0.0.0.0/1)", ports: "tcp 22 (ssh)" }, "fixSources"],
        ],
    },
    {
        name: "Azure *",
        type: T.nsg,
        props: nsg(az(100, "Allow", "5432", "*")),
        errors: [
            [
                "worldOpen",
                "securityRules[0]",
                { rules: "securityRules[0] (priority 100, from *)", ports: "tcp 5432 (postgres)" },
                "fixSources",
            ],
        ],
    },
    {
        name: "Azure: a rule is named by its index and, as the portal and the CLI list it, by its name",
        type: T.nsg,
        props: nsg(az(100, "Allow", "22", "*"), az(110, "Allow", "25565", "*", { name: "Port_25565" })),
        errors: [
            ["worldOpen", "securityRules[0]", { rules: "securityRules[0] (priority 100, from *)", ports: "tcp 22 (ssh)" }, "fixSourcesNew"],
            [
                "worldOpen",
                "securityRules[1]",
                { rules: 'securityRules[1] "Port_25565" (priority 110, from *)', ports: "tcp 25565 (undocumented)" },
                "fixSourcesNew",
            ],
        ],
    },
    {
        name: "Azure Internet",
        type: T.nsg,
        props: nsg(az(100, "Allow", "3389-3389", "Internet")),
        errors: [
            [
                "worldOpen",
                "securityRules[0]",
                { rules: "securityRules[0] (priority 100, from Internet)", ports: "tcp 3389 (undocumented)" },
                "fixSourcesNew",
            ],
        ],
    },
    {
        name: "Azure Any in any case",
        type: T.nsg,
        props: nsg(az(100, "Allow", "22", "ANY")),
        errors: [
            ["worldOpen", "securityRules[0]", { rules: "securityRules[0] (priority 100, from ANY)", ports: "tcp 22 (ssh)" }, "fixSources"],
        ],
    },
    {
        name: "0.0.0.0/0 in Azure prefixes",
        type: T.nsg,
        props: nsg(az(100, "Allow", "22", "", { sourceAddressPrefix: undefined, sourceAddressPrefixes: ["10.0.0.0/8", "0.0.0.0/0"] })),
        errors: [
            [
                "worldOpen",
                "securityRules[0]",
                { rules: "securityRules[0] (priority 100, from 10.0.0.0/8 and 0.0.0.0/0)", ports: "tcp 22 (ssh)" },
                "fixSources",
            ],
        ],
    },
    {
        name: "a deny that runs after the allow does not shadow it",
        type: T.nsg,
        props: nsg(az(300, "Deny", "22", "*"), az(200, "Allow", "22", "*")),
        errors: [
            ["worldOpen", "securityRules[1]", { rules: "securityRules[1] (priority 200, from *)", ports: "tcp 22 (ssh)" }, "fixSources"],
        ],
    },
    {
        name: "a partial deny still leaves the internet in",
        type: T.nsg,
        props: nsg(az(100, "Deny", "22", "10.0.0.0/8"), az(200, "Allow", "22", "*")),
        errors: [
            ["worldOpen", "securityRules[1]", { rules: "securityRules[1] (priority 200, from *)", ports: "tcp 22 (ssh)" }, "fixSources"],
        ],
    },
    {
        name: "a deny covers only its own ports",
        type: T.nsg,
        props: nsg(az(100, "Deny", "22", "*"), az(200, "Allow", "20-23", "*")),
        errors: [
            [
                "worldOpen",
                "securityRules[1]",
                { rules: "securityRules[1] (priority 200, from *)", ports: "tcp 20-21, 23 (3 undocumented ports)" },
                "fixSourcesNew",
            ],
        ],
    },
    {
        name: "standalone SecurityGroupRule",
        type: T.sgRule,
        props: { type: "ingress", protocol: "tcp", fromPort: 6379, toPort: 6379, cidrBlocks: ["0.0.0.0/0"] },
        errors: [["worldOpen", "this rule", { rules: "this rule (from 0.0.0.0/0)", ports: "tcp 6379 (redis)" }, "fixSources"]],
    },
    {
        name: "vpc ingress rule, all protocols from ::/0",
        type: T.vpcIngress,
        props: { ipProtocol: "-1", cidrIpv6: "::/0" },
        errors: [
            [
                "worldOpen",
                "this rule",
                {
                    rules: "this rule (from ::/0)",
                    ports: "tcp 22 (ssh), 53 (dns), 2379-2380 (etcd), 5432 (postgres), 6379 (redis) and 2 more; udp 53 (dns), 0-52, 54-65535 (65535 undocumented ports)",
                },
                "fixWide",
            ],
        ],
    },
    {
        name: "standalone Azure SecurityRule",
        type: T.nsgRule,
        props: az(100, "Allow", "22", "Internet"),
        errors: [["worldOpen", "this rule", { rules: "this rule (priority 100, from Internet)", ports: "tcp 22 (ssh)" }, "fixSources"]],
    },
    {
        name: "NACL allowing all from the world (the AWS default ACL): one note, never a block",
        type: T.defaultNacl,
        props: { ingress: [acl(100, "allow", 0, 0, "0.0.0.0/0", "-1")] },
        advisories: [["passThrough", "ingress[0]", { rules: "ingress[0] (rule 100, from 0.0.0.0/0)" }, null]],
    },
    {
        name: "NACL return traffic as a violation when configured",
        type: T.nacl,
        props: { ingress: [acl(100, "allow", 1024, 65535, "0.0.0.0/0")] },
        config: { naclReturnTraffic: "mandatory" },
        errors: [
            [
                "returnTraffic",
                "ingress[0]",
                {
                    rules: "ingress[0] (rule 100, from 0.0.0.0/0)",
                    ports: "tcp 2379-2380 (etcd), 5432 (postgres), 6379 (redis), 8080 (app)",
                },
                "fixReturnTraffic",
            ],
        ],
    },
    {
        name: "a known violation is reported even when another rule is unknown",
        type: T.sg,
        props: sg(tcp(22, ["0.0.0.0/0"]), tcp(5432, [UNKNOWN])),
        errors: [["worldOpen", "ingress[0]", { rules: "ingress[0] (from 0.0.0.0/0)", ports: "tcp 22 (ssh)" }, "fixSources"]],
        advisories: [["ruleUnknown", "ingress[1]", { rule: "ingress[1]", paths: "ingress[1].cidrBlocks[0]" }, null]],
    },
    {
        name: "unknown ports on a world rule are advisory",
        type: T.sg,
        props: sg(tcp(UNKNOWN, ["0.0.0.0/0"])),
        advisories: [["ruleUnknown", "ingress[0]", { rule: "ingress[0]", paths: "ingress[0].fromPort and ingress[0].toPort" }, null]],
    },
    {
        name: "a whole unknown list is advisory",
        type: T.nsg,
        props: { securityRules: UNKNOWN },
        advisories: [["listUnknown", "securityRules", { path: "securityRules" }, null]],
    },
    // Every unverifiable rule is an item of the one advisory finding; its message lists the first ten (see test/lib/findings.test.ts).
    { name: "unverifiable rules: 4 rules, one item each", type: T.sg, props: sg(...unknownSources(4)), advisories: unverified(0, 4) },
    {
        name: "unverifiable rules: 12 rules, one finding with 12 items",
        type: T.sg,
        props: sg(...unknownSources(12)),
        advisories: unverified(0, 12),
    },
    {
        name: "unverifiable rules: 5,000 unreadable elements are 5,000 items of one finding",
        type: T.sg,
        props: { ingress: Array.from({ length: 5000 }, () => null) },
        advisories: Array.from(
            { length: 5000 },
            (_, i) => ["listUnreadable", `ingress[${i}]`, { problem: `ingress[${i}] is not a rule object` }, null] as const,
        ),
    },
    {
        name: "unverifiable rules: a rule with two notes gives two items",
        type: T.sg,
        props: sg({ protocol: "tcp", fromPort: UNKNOWN, toPort: 22, cidrBlocks: ["0.0.0.0/0", 7] }, ...unknownSources(2)),
        advisories: [
            ["ruleUnknown", "ingress[0]", { rule: "ingress[0]", paths: "ingress[0].fromPort" }, null],
            ["ruleUnreadable", "ingress[0]", { rule: "ingress[0]", problems: "ingress[0].cidrBlocks[1] is not a string" }, null],
            ...unverified(1, 3),
        ],
    },
    {
        name: "unverifiable rules do not hide a violation",
        type: T.sg,
        props: sg(tcp(22, ["0.0.0.0/0"]), ...unknownSources(7)),
        errors: [["worldOpen", "ingress[0]", { rules: "ingress[0] (from 0.0.0.0/0)", ports: "tcp 22 (ssh)" }, "fixSources"]],
        advisories: unverified(1, 8),
    },
    {
        name: "50 world-open rules of a security group: one finding with 50 items",
        type: T.sg,
        props: sg(...Array.from({ length: 50 }, (_, i) => tcp(9100 + i, ["0.0.0.0/0"]))),
        errors: Array.from(
            { length: 50 },
            (_, i) => ["worldOpen", `ingress[${i}]`, { ports: `tcp ${9100 + i} (undocumented)` }, "fixSourcesNew"] as const,
        ),
    },
    {
        name: "NSG items follow priority, not the order the rules are written in",
        type: T.nsg,
        props: nsg(az(300, "Allow", "22", "*"), az(100, "Allow", "5432", "*"), az(200, "Allow", "6379", "Internet")),
        errors: [
            [
                "worldOpen",
                "securityRules[1]",
                { rules: "securityRules[1] (priority 100, from *)", ports: "tcp 5432 (postgres)" },
                "fixSources",
            ],
            [
                "worldOpen",
                "securityRules[2]",
                { rules: "securityRules[2] (priority 200, from Internet)", ports: "tcp 6379 (redis)" },
                "fixSources",
            ],
            ["worldOpen", "securityRules[0]", { rules: "securityRules[0] (priority 300, from *)", ports: "tcp 22 (ssh)" }, "fixSources"],
        ],
    },
    {
        name: "NACL items follow rule numbers",
        type: T.nacl,
        props: { ingress: [acl(300, "allow", 22, 22, "0.0.0.0/0"), acl(100, "allow", 5432, 5432, "0.0.0.0/0")] },
        errors: [
            ["worldOpen", "ingress[1]", { rules: "ingress[1] (rule 100, from 0.0.0.0/0)", ports: "tcp 5432 (postgres)" }, "fixSources"],
            ["worldOpen", "ingress[0]", { rules: "ingress[0] (rule 300, from 0.0.0.0/0)", ports: "tcp 22 (ssh)" }, "fixSources"],
        ],
    },
    {
        name: "two rules that each open the port to the world are named as each, not together",
        type: T.sg,
        props: sg(tcp(22, ["0.0.0.0/0"]), tcp(22, [], { ipv6CidrBlocks: ["::/0"] }), tcp(22, ["0.0.0.0/0"])),
        errors: [
            [
                "worldOpenEach",
                "ingress[0]",
                { rules: "ingress[0] (from 0.0.0.0/0) and ingress[2] (from 0.0.0.0/0)", ports: "tcp 22 (ssh)" },
                "fixSources",
            ],
            ["worldOpen", "ingress[1]", { rules: "ingress[1] (from ::/0)", ports: "tcp 22 (ssh)" }, "fixSources"],
        ],
    },
    {
        name: "values from config the stack does not set (the local check's placeholders) are never blamed",
        type: T.sg,
        props: sg(tcp("internal-ports-placeholder:app:dbPort", ["0.0.0.0/0"]), tcp(22, ["internal-ports-placeholder:app:officeCidr/32"])),
        advisories: [
            ["ruleUnset", "ingress[0]", { rule: "ingress[0]", keys: "app:dbPort" }, null],
            ["ruleUnset", "ingress[1]", { rule: "ingress[1]", keys: "app:officeCidr" }, null],
        ],
    },
    {
        name: "a malformed rule is advisory, never a crash",
        type: T.sg,
        props: { ingress: [null, "x", { protocol: {}, fromPort: [], cidrBlocks: "0.0.0.0/0" }] },
        advisories: [
            ["listUnreadable", "ingress[0]", { problem: "ingress[0] is not a rule object" }, null],
            ["listUnreadable", "ingress[1]", { problem: "ingress[1] is not a rule object" }, null],
            [
                "ruleUnreadable",
                "ingress[2]",
                { rule: "ingress[2]", problems: "ingress[2].protocol is not a protocol name or number" },
                null,
            ],
        ],
    },
];
