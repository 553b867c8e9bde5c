import { PolicyCase as Case, T, UNKNOWN } from "../helpers";

const sg = (...ingress: Record<string, unknown>[]) => ({ ingress });
const rule = (
    protocol: string | number,
    from: number | string,
    to: number | string,
    extra: Record<string, unknown> = { cidrBlocks: ["10.0.0.0/8"] },
) => ({ protocol, fromPort: from, toPort: to, ...extra });
const az = (priority: number, access: string, port: string, source: string, protocol = "Tcp") => ({
    direction: "Inbound",
    access,
    priority,
    protocol,
    destinationPortRange: port,
    sourceAddressPrefix: source,
});

const unknownPorts = (n: number) => sg(...Array.from({ length: n }, () => rule("tcp", UNKNOWN, 22)));

export const valid: Case[] = [
    { name: "a documented tcp port from anywhere", type: T.sg, props: sg(rule("tcp", 5432, 5432, { cidrBlocks: ["0.0.0.0/0"] })) },
    { name: "a documented range", type: T.sg, props: sg(rule("tcp", "2379", "2380")) },
    { name: "dns over udp and tcp", type: T.sg, props: sg(rule("udp", 53, 53), rule(6, 53, 53)) },
    { name: "documented icmp", type: T.sg, props: sg(rule("icmp", -1, -1)) },
    { name: "outbound rules are not inbound", type: T.sg, props: { egress: [rule("-1", 0, 0)] } },
    { name: "deny rules open nothing", type: T.nsg, props: { securityRules: [az(100, "Deny", "*", "*", "*")] } },
    {
        name: "an allow fully shadowed by an earlier deny opens nothing",
        type: T.nsg,
        props: { securityRules: [az(100, "Deny", "9999", "*"), az(200, "Allow", "9999", "10.0.0.0/8")] },
    },
    {
        name: "NACL return-traffic range is not a service port",
        type: T.nacl,
        props: { ingress: [{ ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 1024, toPort: 65535, cidrBlock: "0.0.0.0/0" }] },
    },
    {
        name: "NACL: every tcp port from a private range passes through (the security groups decide)",
        type: T.nacl,
        props: { ingress: [{ ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlock: "10.0.0.0/8" }] },
    },
    {
        name: "NACL: allow all (-1), the AWS default ACL, is not a service port",
        type: T.defaultNacl,
        props: {
            ingress: [
                { ruleNo: 100, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0" },
                { ruleNo: 101, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlock: "::/0" },
            ],
        },
    },
];

export const invalid: Case[] = [
    {
        name: "an undocumented port",
        type: T.sg,
        props: sg(rule("tcp", 9999, 9999)),
        errors: [["undocumented", "ingress[0]", { rule: "ingress[0] (from 10.0.0.0/8)", ports: "tcp 9999 (undocumented)" }, "fixDocument"]],
    },
    {
        name: "a range partly documented lists only the undocumented part",
        type: T.sg,
        props: sg(rule("tcp", 5430, 5435)),
        errors: [
            [
                "undocumented",
                "ingress[0]",
                { rule: "ingress[0] (from 10.0.0.0/8)", ports: "tcp 5430-5431, 5433-5435 (5 undocumented ports)" },
                "fixDocument",
            ],
        ],
    },
    {
        name: "a port documented for tcp only, opened for udp",
        type: T.sg,
        props: sg(rule("udp", 5432, 5432)),
        errors: [["undocumented", "ingress[0]", { rule: "ingress[0] (from 10.0.0.0/8)", ports: "udp 5432 (undocumented)" }, "fixDocument"]],
    },
    {
        name: "0-65535 is too wide to document",
        type: T.sg,
        props: sg(rule("tcp", 0, 65535, { securityGroups: ["sg-0abc"] })),
        errors: [
            [
                "undocumented",
                "ingress[0]",
                {
                    rule: "ingress[0] (from security-group sg-0abc)",
                    ports: "tcp 0-21, 23-52, 54-79, 81-442 and 5 more ranges (65527 undocumented ports)",
                },
                "fixNarrow",
            ],
        ],
    },
    {
        name: "protocol all opens undocumented ports of every protocol",
        type: T.sg,
        props: sg(rule("-1", 0, 0, { self: true })),
        errors: [
            [
                "undocumented",
                "ingress[0]",
                {
                    rule: "ingress[0] (from self)",
                    ports: "tcp 0-21, 23-52, 54-79, 81-442 and 5 more ranges (65527 undocumented ports); udp 0-52, 54-65535 (65535 undocumented ports)",
                },
                "fixNarrow",
            ],
        ],
    },
    {
        name: "Azure * port",
        type: T.nsg,
        props: { securityRules: [az(100, "Allow", "*", "VirtualNetwork")] },
        errors: [
            [
                "undocumented",
                "securityRules[0]",
                {
                    rule: "securityRules[0] (priority 100, from service-tag VirtualNetwork)",
                    ports: "tcp 0-21, 23-52, 54-79, 81-442 and 5 more ranges (65527 undocumented ports)",
                },
                "fixNarrow",
            ],
        ],
    },
    {
        name: "an allow only partly shadowed still opens the port",
        type: T.nsg,
        props: { securityRules: [az(100, "Deny", "9999", "10.0.0.0/9"), az(200, "Allow", "9999", "10.0.0.0/8")] },
        errors: [
            [
                "undocumented",
                "securityRules[1]",
                { rule: "securityRules[1] (priority 200, from 10.0.0.0/8)", ports: "tcp 9999 (undocumented)" },
                "fixDocument",
            ],
        ],
    },
    {
        name: "NACL: a narrow entry opens a service port, which must be documented",
        type: T.nacl,
        props: { ingress: [{ ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 9000, toPort: 9000, cidrBlock: "10.0.0.0/8" }] },
        errors: [
            [
                "undocumented",
                "ingress[0]",
                { rule: "ingress[0] (rule 100, from 10.0.0.0/8)", ports: "tcp 9000 (undocumented)" },
                "fixDocument",
            ],
        ],
    },
    {
        name: "NACL: a narrow entry inside the ephemeral range is a service port too",
        type: T.nacl,
        props: { ingress: [{ ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 5433, toPort: 5434, cidrBlock: "10.0.0.0/8" }] },
        errors: [
            [
                "undocumented",
                "ingress[0]",
                { rule: "ingress[0] (rule 100, from 10.0.0.0/8)", ports: "tcp 5433-5434 (2 undocumented ports)" },
                "fixDocument",
            ],
        ],
    },
    {
        name: "standalone rule",
        type: T.vpcIngress,
        props: { ipProtocol: "udp", fromPort: 500, toPort: 500, cidrIpv4: "10.0.0.0/8" },
        errors: [["undocumented", "this rule", { rule: "this rule (from 10.0.0.0/8)", ports: "udp 500 (undocumented)" }, "fixDocument"]],
    },
    {
        name: "unknown ports are advisory",
        type: T.sg,
        props: sg(rule("tcp", UNKNOWN, 22)),
        advisories: [["ruleUnknown", "ingress[0]", { rule: "ingress[0]", paths: "ingress[0].fromPort" }, null]],
    },
    {
        name: "notes cap: 2 rules with unknown ports, one note each",
        type: T.sg,
        props: unknownPorts(2),
        advisories: [
            ["ruleUnknown", "ingress[0]", { rule: "ingress[0]", paths: "ingress[0].fromPort" }, null],
            ["ruleUnknown", "ingress[1]", { rule: "ingress[1]", paths: "ingress[1].fromPort" }, null],
        ],
    },
    {
        name: "notes cap: 5 rules with unknown ports, one note each and no summary",
        type: T.sg,
        props: unknownPorts(5),
        advisories: [
            ["ruleUnknown", "ingress[0]", { rule: "ingress[0]", paths: "ingress[0].fromPort" }, null],
            ["ruleUnknown", "ingress[1]", { rule: "ingress[1]", paths: "ingress[1].fromPort" }, null],
            ["ruleUnknown", "ingress[2]", { rule: "ingress[2]", paths: "ingress[2].fromPort" }, null],
            ["ruleUnknown", "ingress[3]", { rule: "ingress[3]", paths: "ingress[3].fromPort" }, null],
            ["ruleUnknown", "ingress[4]", { rule: "ingress[4]", paths: "ingress[4].fromPort" }, null],
        ],
    },
    {
        name: "notes cap: 7 rules with unknown ports, the last two in a summary",
        type: T.sg,
        props: unknownPorts(7),
        advisories: [
            ["ruleUnknown", "ingress[0]", { rule: "ingress[0]", paths: "ingress[0].fromPort" }, null],
            ["ruleUnknown", "ingress[1]", { rule: "ingress[1]", paths: "ingress[1].fromPort" }, null],
            ["ruleUnknown", "ingress[2]", { rule: "ingress[2]", paths: "ingress[2].fromPort" }, null],
            ["ruleUnknown", "ingress[3]", { rule: "ingress[3]", paths: "ingress[3].fromPort" }, null],
            ["ruleUnknown", "ingress[4]", { rule: "ingress[4]", paths: "ingress[4].fromPort" }, null],
            ["ruleUnknown", "ingress[5]", { rule: "ingress[5]", paths: "ingress[5].fromPort" }, null],
            ["ruleUnknown", "ingress[6]", { rule: "ingress[6]", paths: "ingress[6].fromPort" }, null],
        ],
    },
    {
        name: "notes cap: unreadable elements count like rules; an unknown egress list is not counted for inbound",
        type: T.sg,
        props: { ingress: [null, null, null, null, rule("tcp", UNKNOWN, 22), null], egress: UNKNOWN },
        advisories: [
            ["listUnreadable", "ingress[0]", { problem: "ingress[0] is not a rule object" }, null],
            ["listUnreadable", "ingress[1]", { problem: "ingress[1] is not a rule object" }, null],
            ["listUnreadable", "ingress[2]", { problem: "ingress[2] is not a rule object" }, null],
            ["listUnreadable", "ingress[3]", { problem: "ingress[3] is not a rule object" }, null],
            ["listUnreadable", "ingress[5]", { problem: "ingress[5] is not a rule object" }, null],
            ["ruleUnknown", "ingress[4]", { rule: "ingress[4]", paths: "ingress[4].fromPort" }, null],
        ],
    },
    {
        name: "an unknown source does not hide an undocumented port",
        type: T.sg,
        props: sg(rule("tcp", 9999, 9999, { cidrBlocks: [UNKNOWN] })),
        errors: [
            [
                "undocumented",
                "ingress[0]",
                { rule: "ingress[0] (from values unknown until update)", ports: "tcp 9999 (undocumented)" },
                "fixDocument",
            ],
        ],
    },
];
