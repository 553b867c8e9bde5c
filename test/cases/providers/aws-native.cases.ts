// AWS native (Cloud Control) rows for every policy's table: security groups and standalone rules in
// the shape `@pulumi/aws-native` sends.
import { UNKNOWN } from "../../helpers";
import { CaseTable } from "../index";

const SG = "aws-native:ec2:SecurityGroup";
const INGRESS = "aws-native:ec2:SecurityGroupIngress";

const tcp = (port: number | string, peer: Record<string, unknown>) => ({ ipProtocol: "tcp", fromPort: port, toPort: port, ...peer });
const sg = (...securityGroupIngress: Record<string, unknown>[]) => ({
    groupDescription: "sg",
    vpcId: "vpc-1",
    tags: [{ key: "team", value: "web" }],
    securityGroupIngress,
});

const noWorld: CaseTable = {
    valid: [
        { name: "HTTPS from 0.0.0.0/0 and ::/0", type: SG, props: sg(tcp(443, { cidrIp: "0.0.0.0/0" }), tcp(443, { cidrIpv6: "::/0" })) },
        {
            name: "PostgreSQL from a security group and a prefix list",
            type: SG,
            props: sg(tcp(5432, { sourceSecurityGroupId: UNKNOWN }), tcp(5432, { sourcePrefixListId: "pl-0abc" })),
        },
        { name: "SSH from a private range", type: SG, props: sg(tcp("22", { cidrIp: "10.0.0.0/8" })) },
        {
            name: "egress to the world is not inbound",
            type: SG,
            props: { groupDescription: "sg", securityGroupEgress: [{ ipProtocol: "-1", cidrIp: "0.0.0.0/0" }] },
        },
        { name: "a standalone rule to a public port", type: INGRESS, props: { groupId: "sg-1", ...tcp("443", { cidrIp: "0.0.0.0/0" }) } },
    ],
    invalid: [
        {
            name: "SSH from the world",
            type: SG,
            props: sg(tcp(443, { cidrIp: "0.0.0.0/0" }), tcp(22, { cidrIp: "0.0.0.0/0" })),
            errors: [
                [
                    "worldOpen",
                    "securityGroupIngress[1]",
                    { rules: "securityGroupIngress[1] (from 0.0.0.0/0)", ports: "tcp 22 (ssh)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "Redis from ::/0",
            type: SG,
            props: sg(tcp(6379, { cidrIpv6: "::/0" })),
            errors: [
                [
                    "worldOpen",
                    "securityGroupIngress[0]",
                    { rules: "securityGroupIngress[0] (from ::/0)", ports: "tcp 6379 (redis)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "ipProtocol -1 from the world opens every internal port",
            type: SG,
            props: sg({ ipProtocol: "-1", cidrIp: "0.0.0.0/0" }),
            errors: [
                [
                    "worldOpen",
                    "securityGroupIngress[0]",
                    {
                        rules: "securityGroupIngress[0] (from 0.0.0.0/0)",
                        ports: "tcp 22 (ssh), 53 (dns), 2379-2380 (etcd), 5432 (postgres), 6379 (redis) and 2 more; udp 53 (dns), 0-52, 54-65535 (65535 undocumented ports)",
                    },
                    "fixWide",
                ],
            ],
        },
        {
            name: "0.0.0.0/1 and 128.0.0.0/1 together",
            type: SG,
            props: sg(tcp(5432, { cidrIp: "0.0.0.0/1" }), tcp(5432, { cidrIp: "128.0.0.0/1" })),
            errors: [
                [
                    "worldOpenTogether",
                    "securityGroupIngress[0]",
                    {
                        rules: "securityGroupIngress[0] (from 0.0.0.0/1) and securityGroupIngress[1] (from 128.0.0.0/1)",
                        ports: "tcp 5432 (postgres)",
                    },
                    "fixSources",
                ],
            ],
        },
        {
            name: "a standalone ingress rule",
            type: INGRESS,
            props: { groupId: "sg-1", ipProtocol: "6", fromPort: "2379", toPort: "2380", cidrIp: "0.0.0.0/0" },
            errors: [["worldOpen", "this rule", { rules: "this rule (from 0.0.0.0/0)", ports: "tcp 2379-2380 (etcd)" }, "fixSources"]],
        },
        {
            name: "unknown ports on a world rule are advisory",
            type: SG,
            props: sg(tcp(UNKNOWN, { cidrIp: "0.0.0.0/0" })),
            advisories: [
                [
                    "ruleUnknown",
                    "securityGroupIngress[0]",
                    { rule: "securityGroupIngress[0]", paths: "securityGroupIngress[0].fromPort and securityGroupIngress[0].toPort" },
                    null,
                ],
            ],
        },
    ],
};

const documented: CaseTable = {
    valid: [
        {
            name: "documented ports from a security group",
            type: SG,
            props: sg(tcp(5432, { sourceSecurityGroupId: "sg-0abc" }), {
                ipProtocol: "udp",
                fromPort: 53,
                toPort: 53,
                cidrIp: "10.0.0.0/8",
            }),
        },
        { name: "documented icmp", type: SG, props: sg({ ipProtocol: "icmp", fromPort: -1, toPort: -1, cidrIp: "10.0.0.0/8" }) },
    ],
    invalid: [
        {
            name: "an undocumented range",
            type: SG,
            props: sg({ ipProtocol: "tcp", fromPort: 9000, toPort: 9010, cidrIp: "10.0.0.0/8" }),
            errors: [
                [
                    "undocumented",
                    "securityGroupIngress[0]",
                    { rule: "securityGroupIngress[0] (from 10.0.0.0/8)", ports: "tcp 9000-9010 (11 undocumented ports)" },
                    "fixDocument",
                ],
            ],
        },
        {
            name: "an undocumented range from a group unknown until update, named where it stands in the rule",
            type: SG,
            props: sg({ ipProtocol: "tcp", fromPort: 9000, toPort: 9010, sourceSecurityGroupId: UNKNOWN }),
            errors: [
                [
                    "undocumented",
                    "securityGroupIngress[0]",
                    {
                        rule: "securityGroupIngress[0] (from security-group in `sourceSecurityGroupId`)",
                        ports: "tcp 9000-9010 (11 undocumented ports)",
                    },
                    "fixDocument",
                ],
            ],
        },
        {
            name: "every protocol from a group name",
            type: INGRESS,
            props: { groupName: "app", ipProtocol: "-1", sourceSecurityGroupName: "lb" },
            errors: [
                [
                    "undocumented",
                    "this rule",
                    {
                        rule: "this rule (from security-group in `sourceSecurityGroupName`)",
                        ports: "tcp 0-21, 23-52, 54-79, 81-442 and 5 more ranges (65527 undocumented ports); udp 0-52, 54-65535 (65535 undocumented ports)",
                    },
                    "fixNarrow",
                ],
            ],
        },
        {
            name: "unknown protocol is advisory",
            type: SG,
            props: sg({ ipProtocol: UNKNOWN, fromPort: 22, toPort: 22, cidrIp: "10.0.0.0/8" }),
            advisories: [
                [
                    "ruleUnknown",
                    "securityGroupIngress[0]",
                    { rule: "securityGroupIngress[0]", paths: "securityGroupIngress[0].ipProtocol" },
                    null,
                ],
            ],
        },
    ],
};

export const cases: Record<string, CaseTable> = {
    "no-world-open-internal-ports": noWorld,
    "documented-ports-only": documented,
};
