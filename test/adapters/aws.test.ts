import { AdapterCase, adapterCases, T, UNKNOWN } from "../helpers";

const cases: AdapterCase[] = [
    {
        name: "security group inline ingress and egress",
        type: T.sg,
        props: {
            ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/8"] }],
            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }],
        },
        rules: [
            "ingress[0]: inbound allow tcp 5432 from 10.0.0.0/8",
            "egress[0]: outbound allow all 0-65535 (all ports) from 0.0.0.0/0 ::/0",
        ],
    },
    {
        name: "numbers as strings, protocol numbers and upper case",
        type: T.sg,
        props: {
            ingress: [
                { protocol: "6", fromPort: "22", toPort: "22", cidrBlocks: ["0.0.0.0/0"] },
                { protocol: "UDP", fromPort: 53, toPort: "53", cidrBlocks: ["10.0.0.0/8"] },
            ],
        },
        rules: ["ingress[0]: inbound allow tcp 22 from 0.0.0.0/0", "ingress[1]: inbound allow udp 53 from 10.0.0.0/8"],
    },
    {
        name: "port 0 is a port, not a missing value",
        type: T.sg,
        props: { ingress: [{ protocol: "tcp", fromPort: 0, toPort: 0, cidrBlocks: ["10.0.0.0/8"] }] },
        rules: ["ingress[0]: inbound allow tcp 0 from 10.0.0.0/8"],
    },
    {
        name: "protocol -1 ignores ports; icmp ports are type and code",
        type: T.sg,
        props: {
            ingress: [
                { protocol: -1, fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] },
                { protocol: "icmp", fromPort: 8, toPort: 0, cidrBlocks: ["0.0.0.0/0"] },
            ],
        },
        rules: ["ingress[0]: inbound allow all 0-65535 (all ports) from 10.0.0.0/8", "ingress[1]: inbound allow icmp from 0.0.0.0/0"],
    },
    {
        name: "named sources: security groups, prefix lists and self",
        type: T.sg,
        props: {
            ingress: [
                { protocol: "tcp", fromPort: 443, toPort: 443, securityGroups: ["sg-0abc123"], prefixListIds: ["pl-12ab"], self: true },
            ],
        },
        rules: ["ingress[0]: inbound allow tcp 443 from prefix-list:pl-12ab security-group:sg-0abc123 self"],
    },
    {
        name: "an unknown security group id is still a security group, never the world",
        type: T.sgRule,
        props: { type: "ingress", protocol: "tcp", fromPort: 8080, toPort: 8080, sourceSecurityGroupId: UNKNOWN, securityGroupId: UNKNOWN },
        rules: ["this rule: inbound allow tcp 8080 from security-group"],
    },
    {
        name: "an unknown list of security groups and prefix lists",
        type: T.sg,
        props: { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, securityGroups: UNKNOWN, prefixListIds: [UNKNOWN] }] },
        rules: ["ingress[0]: inbound allow tcp 443 from prefix-list security-group"],
    },
    {
        name: "nulls and missing lists are empty",
        type: T.sg,
        props: {
            ingress: [{ protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: null, ipv6CidrBlocks: ["::/0"], securityGroups: null }],
            egress: null,
        },
        rules: ["ingress[0]: inbound allow tcp 80 from ::/0"],
    },
    {
        name: "unknown values are recorded per part, the rest is read",
        type: T.sg,
        props: {
            ingress: [
                { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0", UNKNOWN] },
                { protocol: "tcp", fromPort: UNKNOWN, toPort: UNKNOWN, cidrBlocks: ["10.0.0.0/8"] },
            ],
        },
        rules: [
            "ingress[0]: inbound allow tcp 22 from 0.0.0.0/0 ? unknown(ingress[0].cidrBlocks[1])",
            "ingress[1]: inbound allow tcp 0-65535 (all ports) from 10.0.0.0/8 unknown(ingress[1].fromPort) unknown(ingress[1].toPort)",
        ],
    },
    {
        name: "a whole unknown list",
        type: T.sg,
        props: { ingress: UNKNOWN },
        rules: [],
        unknown: ["ingress"],
    },
    {
        name: "wrong types are problems, not crashes",
        type: T.sg,
        props: { ingress: { protocol: "tcp" }, egress: [42, { protocol: "tcp", fromPort: "x", toPort: 70000, cidrBlocks: ["banana", 7] }] },
        rules: [
            "egress[1]: outbound allow tcp 0-65535 (all ports) from - invalid(egress[1].fromPort) invalid(egress[1].cidrBlocks[0]) invalid(egress[1].cidrBlocks[1])",
        ],
        problems: ["ingress", "egress[0]"],
    },
    {
        name: "default security group reads the same shape",
        type: T.defaultSg,
        props: { ingress: [{ protocol: "all", fromPort: 0, toPort: 0, self: true }] },
        rules: ["ingress[0]: inbound allow all 0-65535 (all ports) from self"],
    },
    {
        name: "standalone security group rule",
        type: T.sgRule,
        props: { type: "ingress", protocol: "tcp", fromPort: 6379, toPort: 6379, cidrBlocks: ["0.0.0.0/0"], securityGroupId: "sg-1" },
        rules: ["this rule: inbound allow tcp 6379 from 0.0.0.0/0"],
    },
    {
        name: "standalone egress rule with a source group",
        type: T.sgRule,
        props: { type: "Egress", protocol: "tcp", fromPort: 443, toPort: 443, sourceSecurityGroupId: "sg-0def" },
        rules: ["this rule: outbound allow tcp 443 from security-group:sg-0def"],
    },
    {
        name: "vpc ingress rule with ipProtocol -1 and no ports",
        type: T.vpcIngress,
        props: { ipProtocol: "-1", cidrIpv6: "::/0", securityGroupId: "sg-1" },
        rules: ["this rule: inbound allow all 0-65535 (all ports) from ::/0"],
    },
    {
        name: "vpc egress rule is outbound",
        type: T.vpcEgress,
        props: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: "sg-0aa" },
        rules: ["this rule: outbound allow tcp 5432 from security-group:sg-0aa"],
    },
    {
        name: "network ACL entries carry rule numbers, actions and statelessness",
        type: T.nacl,
        props: {
            ingress: [
                { ruleNo: 100, action: "ALLOW", protocol: "6", fromPort: 1024, toPort: 65535, cidrBlock: "0.0.0.0/0" },
                { ruleNo: "90", action: "deny", protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlock: "0.0.0.0/0" },
            ],
            egress: [{ ruleNo: 100, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlock: "::/0" }],
        },
        rules: [
            "ingress[0]: inbound allow tcp 1024-65535 from 0.0.0.0/0 #100 stateless",
            "ingress[1]: inbound deny tcp 5432 from 0.0.0.0/0 #90 stateless",
            "egress[0]: outbound allow all 0-65535 (all ports) from ::/0 #100 stateless",
        ],
    },
    {
        name: "default network ACL reads the same shape",
        type: T.defaultNacl,
        props: { ingress: [{ ruleNo: 100, action: "allow", protocol: "all", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0" }] },
        rules: ["ingress[0]: inbound allow all 0-65535 (all ports) from 0.0.0.0/0 #100 stateless"],
    },
    {
        name: "network ACL rule: egress flag, ruleAction, bad rule number",
        type: T.naclRule,
        props: {
            egress: "false",
            ruleAction: "Deny",
            ruleNumber: 40000,
            protocol: "udp",
            fromPort: 53,
            toPort: 53,
            cidrBlock: "10.0.0.0/8",
        },
        rules: ["this rule: inbound deny udp 53 from 10.0.0.0/8 stateless invalid(ruleNumber)"],
    },
];

describe("AWS adapters", () => {
    adapterCases(cases, { type: T.sg, provider: "aws", problemsBy: "path" });
});
