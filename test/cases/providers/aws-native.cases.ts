// AWS native (Cloud Control) rows for every policy's table: security groups and standalone rules in
// the shape `@pulumi/aws-native` sends.
import { UNKNOWN } from "../../helpers";
import { CaseTable } from "../index";

const SG = "aws-native:ec2:SecurityGroup";
const INGRESS = "aws-native:ec2:SecurityGroupIngress";

const tcp = (port: number | string, peer: Record<string, unknown>) => ({ ipProtocol: "tcp", fromPort: port, toPort: port, ...peer });
const sg = (...securityGroupIngress: Record<string, unknown>[]) =>
    ({ groupDescription: "sg", vpcId: "vpc-1", tags: [{ key: "team", value: "web" }], securityGroupIngress });

const noWorld: CaseTable = {
    valid: [
        { name: "HTTPS from 0.0.0.0/0 and ::/0", type: SG, props: sg(tcp(443, { cidrIp: "0.0.0.0/0" }), tcp(443, { cidrIpv6: "::/0" })) },
        { name: "PostgreSQL from a security group and a prefix list", type: SG, props: sg(tcp(5432, { sourceSecurityGroupId: UNKNOWN }), tcp(5432, { sourcePrefixListId: "pl-0abc" })) },
        { name: "SSH from a private range", type: SG, props: sg(tcp("22", { cidrIp: "10.0.0.0/8" })) },
        { name: "egress to the world is not inbound", type: SG, props: { groupDescription: "sg", securityGroupEgress: [{ ipProtocol: "-1", cidrIp: "0.0.0.0/0" }] } },
        { name: "a standalone rule to a public port", type: INGRESS, props: { groupId: "sg-1", ...tcp("443", { cidrIp: "0.0.0.0/0" }) } },
    ],
    invalid: [
        { name: "SSH from the world", type: SG, props: sg(tcp(443, { cidrIp: "0.0.0.0/0" }), tcp(22, { cidrIp: "0.0.0.0/0" })), errors: [[/^securityGroupIngress\[1\] \(from 0\.0\.0\.0\/0\) lets the whole internet reach tcp 22 \(ssh\), which is internal in ports\.yaml/]] },
        { name: "Redis from ::/0", type: SG, props: sg(tcp(6379, { cidrIpv6: "::/0" })), errors: [[/^securityGroupIngress\[0\] \(from ::\/0\)/, /tcp 6379 \(redis\)/]] },
        { name: "ipProtocol -1 from the world opens every internal port", type: SG, props: sg({ ipProtocol: "-1", cidrIp: "0.0.0.0/0" }), errors: [[/tcp 22 \(ssh\), 53 \(dns\)/, /udp 53 \(dns\)/, /should be narrowed/]] },
        { name: "0.0.0.0/1 and 128.0.0.0/1 together", type: SG, props: sg(tcp(5432, { cidrIp: "0.0.0.0/1" }), tcp(5432, { cidrIp: "128.0.0.0/1" })), errors: [[/together let the whole internet reach tcp 5432 \(postgres\)/]] },
        { name: "a standalone ingress rule", type: INGRESS, props: { groupId: "sg-1", ipProtocol: "6", fromPort: "2379", toPort: "2380", cidrIp: "0.0.0.0/0" }, errors: [[/^this rule \(from 0\.0\.0\.0\/0\) lets the whole internet reach tcp 2379-2380 \(etcd\)/]] },
        { name: "unknown ports on a world rule are advisory", type: SG, props: sg(tcp(UNKNOWN, { cidrIp: "0.0.0.0/0" })), advisories: [[/securityGroupIngress\[0\]\.fromPort, securityGroupIngress\[0\]\.toPort are unknown/]] },
    ],
};

const documented: CaseTable = {
    valid: [
        { name: "documented ports from a security group", type: SG, props: sg(tcp(5432, { sourceSecurityGroupId: "sg-0abc" }), { ipProtocol: "udp", fromPort: 53, toPort: 53, cidrIp: "10.0.0.0/8" }) },
        { name: "documented icmp", type: SG, props: sg({ ipProtocol: "icmp", fromPort: -1, toPort: -1, cidrIp: "10.0.0.0/8" }) },
    ],
    invalid: [
        { name: "an undocumented range", type: SG, props: sg({ ipProtocol: "tcp", fromPort: 9000, toPort: 9010, cidrIp: "10.0.0.0/8" }), errors: [[/^securityGroupIngress\[0\] \(from 10\.0\.0\.0\/8\) opens tcp 9000-9010 \(11 undocumented ports\)/]] },
        { name: "every protocol from a group name", type: INGRESS, props: { groupName: "app", ipProtocol: "-1", sourceSecurityGroupName: "lb" }, errors: [[/^this rule \(from security-group\) opens tcp .*; udp/, /narrow the rule/]] },
        { name: "unknown protocol is advisory", type: SG, props: sg({ ipProtocol: UNKNOWN, fromPort: 22, toPort: 22, cidrIp: "10.0.0.0/8" }), advisories: [[/securityGroupIngress\[0\]\.ipProtocol is unknown/]] },
    ],
};

export const cases: Record<string, CaseTable> = {
    "no-world-open-internal-ports": noWorld,
    "documented-ports-only": documented,
};
