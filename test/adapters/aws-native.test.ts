import { strict as assert } from "assert";
import { AdapterCase, adapterCases, normaliseOrFail, UNKNOWN } from "../helpers";

const SG = "aws-native:ec2:SecurityGroup";
const INGRESS = "aws-native:ec2:SecurityGroupIngress";
const EGRESS = "aws-native:ec2:SecurityGroupEgress";

const cases: AdapterCase[] = [
    {
        name: "inline ingress and egress, tags as a key/value list",
        props: {
            groupDescription: "db",
            tags: [{ key: "team", value: "data" }, { key: "env", value: UNKNOWN }, { key: 7, value: "x" }, "junk", null],
            securityGroupIngress: [{ ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIp: "10.0.0.0/8" }],
            securityGroupEgress: [
                { ipProtocol: "-1", cidrIp: "0.0.0.0/0" },
                { ipProtocol: "-1", cidrIpv6: "::/0" },
            ],
        },
        rules: [
            "securityGroupIngress[0]: inbound allow tcp 5432 from 10.0.0.0/8",
            "securityGroupEgress[0]: outbound allow all 0-65535 (all ports) from 0.0.0.0/0",
            "securityGroupEgress[1]: outbound allow all 0-65535 (all ports) from ::/0",
        ],
        tags: { team: "data" },
    },
    {
        name: "numbers as strings, protocol numbers and names in any case",
        props: {
            securityGroupIngress: [
                { ipProtocol: "6", fromPort: "22", toPort: "22", cidrIp: "0.0.0.0/0" },
                { ipProtocol: "UDP", fromPort: 53, toPort: "53", cidrIpv6: "fd00::/8" },
            ],
        },
        rules: [
            "securityGroupIngress[0]: inbound allow tcp 22 from 0.0.0.0/0",
            "securityGroupIngress[1]: inbound allow udp 53 from fd00::/8",
        ],
    },
    {
        name: "port 0 is a port; ranges",
        props: {
            securityGroupIngress: [
                { ipProtocol: "tcp", fromPort: 0, toPort: 0, cidrIp: "10.0.0.0/8" },
                { ipProtocol: "tcp", fromPort: 5000, toPort: 6000, cidrIp: "10.0.0.0/8" },
            ],
        },
        rules: [
            "securityGroupIngress[0]: inbound allow tcp 0 from 10.0.0.0/8",
            "securityGroupIngress[1]: inbound allow tcp 5000-6000 from 10.0.0.0/8",
        ],
    },
    {
        name: "icmp, icmpv6 without ports, and other protocols",
        props: {
            securityGroupIngress: [
                { ipProtocol: "icmp", fromPort: 8, toPort: -1, cidrIp: "0.0.0.0/0" },
                { ipProtocol: "icmpv6", cidrIpv6: "::/0" },
                { ipProtocol: "50", cidrIp: "10.0.0.0/8" },
            ],
        },
        rules: [
            "securityGroupIngress[0]: inbound allow icmp from 0.0.0.0/0",
            "securityGroupIngress[1]: inbound allow icmp from ::/0",
            "securityGroupIngress[2]: inbound allow proto-50 from 10.0.0.0/8",
        ],
    },
    {
        name: "named sources: prefix lists, security group ids and names",
        props: {
            securityGroupIngress: [
                { ipProtocol: "tcp", fromPort: 443, toPort: 443, sourcePrefixListId: "pl-12ab" },
                {
                    ipProtocol: "tcp",
                    fromPort: 8080,
                    toPort: 8080,
                    sourceSecurityGroupId: "sg-0abc123",
                    sourceSecurityGroupOwnerId: "123456789012",
                },
                { ipProtocol: "tcp", fromPort: 8080, toPort: 8080, sourceSecurityGroupName: "default" },
                { ipProtocol: "tcp", fromPort: 8080, toPort: 8080, sourceSecurityGroupId: UNKNOWN },
            ],
            securityGroupEgress: [
                { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, destinationSecurityGroupId: "sg-0def" },
                { ipProtocol: "tcp", fromPort: 443, toPort: 443, destinationPrefixListId: "pl-99" },
            ],
        },
        rules: [
            "securityGroupIngress[0]: inbound allow tcp 443 from prefix-list:pl-12ab",
            "securityGroupIngress[1]: inbound allow tcp 8080 from security-group:sg-0abc123",
            "securityGroupIngress[2]: inbound allow tcp 8080 from security-group",
            "securityGroupIngress[3]: inbound allow tcp 8080 from security-group",
            "securityGroupEgress[0]: outbound allow tcp 5432 from security-group:sg-0def",
            "securityGroupEgress[1]: outbound allow tcp 443 from prefix-list:pl-99",
        ],
    },
    {
        name: "egress keys are not read on ingress rules and the other way round",
        props: {
            securityGroupIngress: [
                { ipProtocol: "tcp", fromPort: 22, toPort: 22, destinationSecurityGroupId: "sg-1", cidrIp: "10.0.0.0/8" },
            ],
            securityGroupEgress: [{ ipProtocol: "tcp", fromPort: 22, toPort: 22, sourceSecurityGroupId: "sg-1", cidrIp: "10.0.0.0/8" }],
        },
        rules: [
            "securityGroupIngress[0]: inbound allow tcp 22 from 10.0.0.0/8",
            "securityGroupEgress[0]: outbound allow tcp 22 from 10.0.0.0/8",
        ],
    },
    {
        name: "unknown values are recorded per part, the rest is read",
        props: {
            securityGroupIngress: [
                { ipProtocol: "tcp", fromPort: UNKNOWN, toPort: UNKNOWN, cidrIp: "0.0.0.0/0" },
                { ipProtocol: UNKNOWN, fromPort: 22, toPort: 22, cidrIp: UNKNOWN },
            ],
        },
        rules: [
            "securityGroupIngress[0]: inbound allow tcp 0-65535 (all ports) from 0.0.0.0/0 unknown(securityGroupIngress[0].fromPort) unknown(securityGroupIngress[0].toPort)",
            "securityGroupIngress[1]: inbound allow all 0-65535 (all ports) from ? unknown(securityGroupIngress[1].ipProtocol) unknown(securityGroupIngress[1].cidrIp)",
        ],
    },
    {
        name: "nulls are missing values; tcp without ports is invalid",
        props: {
            tags: null,
            securityGroupIngress: [{ ipProtocol: "tcp", fromPort: null, toPort: null, cidrIp: "10.0.0.0/8", cidrIpv6: null }],
            securityGroupEgress: null,
        },
        rules: ["securityGroupIngress[0]: inbound allow tcp 0-65535 (all ports) from 10.0.0.0/8 invalid(securityGroupIngress[0].fromPort)"],
    },
    {
        name: "a whole unknown list",
        props: { securityGroupIngress: UNKNOWN, tags: UNKNOWN },
        rules: [],
        unknown: ["securityGroupIngress"],
    },
    {
        name: "wrong types are problems, never a crash",
        props: {
            tags: { team: "data" },
            securityGroupIngress: { ipProtocol: "tcp" },
            securityGroupEgress: [42, { ipProtocol: [], fromPort: "x", toPort: 70000, cidrIp: 10 }],
        },
        rules: [
            "securityGroupEgress[1]: outbound allow all 0-65535 (all ports) from - invalid(securityGroupEgress[1].ipProtocol) invalid(securityGroupEgress[1].cidrIp)",
        ],
        problems: ["securityGroupIngress is not a list of rules", "securityGroupEgress[0] is not a rule object"],
    },
    {
        name: "standalone ingress rule",
        type: INGRESS,
        props: { groupId: "sg-1", ipProtocol: "tcp", fromPort: 6379, toPort: 6379, cidrIp: "0.0.0.0/0" },
        rules: ["this rule: inbound allow tcp 6379 from 0.0.0.0/0"],
    },
    {
        name: "standalone ingress rule from a group name",
        type: INGRESS,
        props: { groupName: "web", ipProtocol: "-1", sourceSecurityGroupName: "lb" },
        rules: ["this rule: inbound allow all 0-65535 (all ports) from security-group"],
    },
    {
        name: "standalone egress rule",
        type: EGRESS,
        props: { groupId: UNKNOWN, ipProtocol: "tcp", fromPort: "443", toPort: "443", destinationPrefixListId: "pl-0a1" },
        rules: ["this rule: outbound allow tcp 443 from prefix-list:pl-0a1"],
    },
];

describe("AWS native adapters", () => {
    adapterCases(cases, { type: SG, provider: "aws-native", problemsBy: "message", tags: true });
    it("standalone rules name their group; the group is found by id or groupId", () => {
        assert.deepEqual(normaliseOrFail(INGRESS, { groupId: "sg-1", ipProtocol: "-1" }).attachedTo, {
            property: "groupId",
            literal: "sg-1",
        });
        assert.deepEqual(normaliseOrFail(EGRESS, { groupId: "sg-1", ipProtocol: "-1" }).attachedTo, {
            property: "groupId",
            literal: "sg-1",
        });
        assert.deepEqual(normaliseOrFail(SG, { id: "sg-9", groupId: "sg-9x" }).identity, ["sg-9", "sg-9x"]);
    });
});
