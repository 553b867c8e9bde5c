// AWS Cloud Control provider (`aws-native:ec2`): security groups and their standalone rules. The
// fields are CloudFormation's (`ipProtocol`, `cidrIp`, `sourceSecurityGroupId`); tags are a list of
// `{ key, value }`.
import { STANDALONE_RULE } from "../../model/rules";
import { Input } from "../support/input";
import { RuleBuilder } from "../support/rule-builder";
import { PREFIX_LIST_ID, SG_ID } from "../aws/firewalls";
import { Adapter, ResourceBuilder } from "../support/resource-builder";
import { AWS_NATIVE_FLOW_LOGS } from "./flow-logs";

const TERMS = {
    inbound: {
        rule: "security group rule",
        peers: "`cidrIp`/`cidrIpv6`",
        named: "a security group or prefix list (`sourceSecurityGroupId`, `sourcePrefixListId`)",
        ports: "`fromPort`/`toPort`",
    },
    outbound: {
        rule: "security group rule",
        peers: "`cidrIp`/`cidrIpv6`",
        named: "a security group or prefix list (`destinationSecurityGroupId`, `destinationPrefixListId`)",
        ports: "`fromPort`/`toPort`",
    },
};

type Side = "ingress" | "egress";

/** The peer keys of an ingress or egress rule; the same inline and standalone. */
const PEER_KEYS: Record<Side, { prefixList: string; groups: string[] }> = {
    ingress: { prefixList: "sourcePrefixListId", groups: ["sourceSecurityGroupId", "sourceSecurityGroupName"] },
    egress: { prefixList: "destinationPrefixListId", groups: ["destinationSecurityGroupId"] },
};

function readRule(item: Input, rule: RuleBuilder, side: Side): void {
    rule.direction = side === "ingress" ? "inbound" : "outbound";
    rule.readProtocol(item.get("ipProtocol"));
    rule.readPortPair(item.get("fromPort"), item.get("toPort"));
    rule.readPeerList(item.get("cidrIp"));
    rule.readPeerList(item.get("cidrIpv6"));
    rule.readSymbolList(item.get(PEER_KEYS[side].prefixList), "prefix-list", PREFIX_LIST_ID);
    // Group names (default VPC) are references too, but not ids: they are never kept for messages.
    for (const key of PEER_KEYS[side].groups) rule.readSymbolList(item.get(key), "security-group", SG_ID);
}

export const awsNativeAdapters: Adapter[] = [
    {
        provider: "aws-native",
        types: ["aws-native:ec2:SecurityGroup"],
        summary:
            "inline `securityGroupIngress` and `securityGroupEgress`: `ipProtocol` names and numbers (-1 = all), `fromPort`/`toPort`, `cidrIp`, `cidrIpv6`; `sourcePrefixListId`/`destinationPrefixListId`, `sourceSecurityGroupId`, `sourceSecurityGroupName` and `destinationSecurityGroupId` are named sources. Tags from the `[{ key, value }]` list.",
        normalise(props) {
            const out = new ResourceBuilder("aws-native", TERMS, props);
            out.readTagList(props.get("tags"));
            out.network = "vpcId";
            out.flowLogs = AWS_NATIVE_FLOW_LOGS;
            out.identityKeys = ["id", "groupId"];
            for (const [key, side] of [
                ["securityGroupIngress", "ingress"],
                ["securityGroupEgress", "egress"],
            ] as const) {
                out.eachRule(
                    props.get(key),
                    (i) => `${key}[${i}]`,
                    (item, rule) => readRule(item, rule, side),
                    side === "ingress" ? "inbound" : "outbound",
                );
            }
            return out.build();
        },
    },
    {
        provider: "aws-native",
        types: ["aws-native:ec2:SecurityGroupIngress", "aws-native:ec2:SecurityGroupEgress"],
        summary: "the same fields as an inline rule, at the top level, with `groupId`; judged on its own.",
        normalise(props, type) {
            const out = new ResourceBuilder("aws-native", TERMS, props);
            out.attachedTo = "groupId";
            out.flowLogs = AWS_NATIVE_FLOW_LOGS;
            out.single(props, STANDALONE_RULE, (item, rule) => readRule(item, rule, type.endsWith("Egress") ? "egress" : "ingress"));
            return out.build();
        },
    },
];
