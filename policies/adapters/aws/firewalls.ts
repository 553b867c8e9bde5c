// AWS (classic provider, `aws:`): security groups and network ACLs.
import { Input } from "../support/input";
import { RuleBuilder } from "../support/rule-builder";
import { Adapter, ResourceBuilder, sameTerms } from "../support/resource-builder";
import { linkOf } from "../support/topology";
import { FirewallModel } from "../../model/resources";
import { Direction, RuleTerms, STANDALONE_RULE } from "../../model/rules";
import { TopologyLink } from "../../model/topology";
import { AWS_FLOW_LOGS } from "./flow-logs";

export const SG_ID = /^sg-[0-9a-f]+$/i;
export const PREFIX_LIST_ID = /^pl-[0-9a-f]+$/i;
const DIRECTION = { ingress: "inbound", egress: "outbound" } as const;
const NACL_ACTION = { allow: "allow", deny: "deny" } as const;
const EGRESS_FLAG = { true: "outbound", false: "inbound" } as const;

const SG_PORTS = "`fromPort`/`toPort`";
const SG_TERMS = sameTerms({
    rule: "security group rule",
    peers: "`cidrBlocks`/`ipv6CidrBlocks`",
    named: "a security group or prefix list (`securityGroups`, `prefixListIds`)",
    ports: SG_PORTS,
});
const SG_RULE_TERMS = sameTerms({
    rule: "security group rule",
    peers: "`cidrBlocks`/`ipv6CidrBlocks`",
    named: "a security group or prefix list (`sourceSecurityGroupId`, `prefixListIds`)",
    ports: SG_PORTS,
});
const VPC_RULE_TERMS = sameTerms({
    rule: "security group rule",
    peers: "`cidrIpv4`/`cidrIpv6`",
    named: "a security group or prefix list (`referencedSecurityGroupId`, `prefixListId`)",
    ports: SG_PORTS,
});
const NACL_TERMS = sameTerms({ rule: "network ACL entry", peers: "`cidrBlock`/`ipv6CidrBlock`", ports: SG_PORTS, order: "rule" });

/** The peer keys of a security group rule, inline or standalone (`aws.ec2.SecurityGroupRule`). */
function readSgPeers(item: Input, rule: RuleBuilder, groupKey: "securityGroups" | "sourceSecurityGroupId"): void {
    rule.readPeerList(item.get("cidrBlocks"));
    rule.readPeerList(item.get("ipv6CidrBlocks"));
    rule.readSymbolList(item.get("prefixListIds"), "prefix-list", PREFIX_LIST_ID);
    rule.readSymbolList(item.get(groupKey), "security-group", SG_ID);
    if (item.get("self").bool() === true) rule.peers.addSymbol({ kind: "self" });
}

function readSgProtocolPorts(item: Input, rule: RuleBuilder, protocolKey = "protocol"): void {
    rule.readProtocol(item.get(protocolKey));
    rule.readPortPair(item.get("fromPort"), item.get("toPort"));
}

function readInlineSecurityGroup(props: Input): ReturnType<ResourceBuilder["build"]> {
    const out = new ResourceBuilder("aws", SG_TERMS, props);
    out.readTags(props.get("tags"));
    out.network = "vpcId";
    out.flowLogs = AWS_FLOW_LOGS;
    out.identityKeys = ["id", "name"];
    eachInline(out, props, (item, rule) => {
        readSgProtocolPorts(item, rule);
        readSgPeers(item, rule, "securityGroups");
    });
    return out.build();
}

/** The inline `ingress` and `egress` lists of a group or ACL, each rule read with its direction set. */
function eachInline(out: ResourceBuilder, props: Input, read: (item: Input, rule: RuleBuilder) => void): void {
    for (const key of ["ingress", "egress"] as const)
        out.eachRule(
            props.get(key),
            (i) => `${key}[${i}]`,
            (item, rule) => {
                rule.direction = DIRECTION[key];
                read(item, rule);
            },
            DIRECTION[key],
        );
}

function readNaclEntries(props: Input): ReturnType<ResourceBuilder["build"]> {
    const out = new ResourceBuilder("aws", NACL_TERMS, props);
    out.readTags(props.get("tags"));
    out.network = "vpcId";
    out.flowLogs = AWS_FLOW_LOGS;
    eachInline(out, props, (item, rule) => {
        rule.stateless = true;
        rule.readAction(item.get("action"), NACL_ACTION);
        rule.readOrder(item.get("ruleNo"), [1, 32766]);
        readSgProtocolPorts(item, rule);
        rule.readPeerList(item.get("cidrBlock"));
        rule.readPeerList(item.get("ipv6CidrBlock"));
    });
    return out.build({ links: naclLinks(props) });
}

/** The subnets an ACL names (`subnetIds`), and for the default ACL the VPC whose default it is (`defaultNetworkAclId`): for the graph. */
function naclLinks(props: Input): Record<string, TopologyLink[]> {
    const subnets: TopologyLink[] = [];
    const list = props.get("subnetIds");
    const items = list.items();
    if (items === "unknown") subnets.push({ property: "subnetIds", unknown: true });
    else if (Array.isArray(items))
        for (const i of items) {
            const l = linkOf(i);
            if (l) subnets.push(l);
        }
    const defaultFor = linkOf(props.get("defaultNetworkAclId"));
    return { subnets, ...(defaultFor ? { defaultFor: [defaultFor] } : {}) };
}

/** A rule resource of its own (`aws.ec2.SecurityGroupRule`, `aws.vpc.SecurityGroupIngressRule`, `aws.ec2.NetworkAclRule`), attached by `attachedTo`. */
function standaloneRule(
    props: Input,
    terms: Record<Direction, RuleTerms>,
    attachedTo: string,
    read: (item: Input, rule: RuleBuilder) => void,
    options: { tags?: boolean } = {},
): FirewallModel {
    const out = new ResourceBuilder("aws", terms, props);
    if (options.tags) out.readTags(props.get("tags"));
    out.attachedTo = attachedTo;
    out.flowLogs = AWS_FLOW_LOGS;
    out.single(props, STANDALONE_RULE, read);
    return out.build();
}

export const awsAdapters: Adapter[] = [
    {
        provider: "aws",
        types: ["aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"],
        summary:
            "inline `ingress` and `egress`: protocol names and numbers (-1 = all), `fromPort`/`toPort`, `cidrBlocks`, `ipv6CidrBlocks`; `prefixListIds`, `securityGroups` and `self` are named sources that are never the world.",
        normalise: readInlineSecurityGroup,
    },
    {
        provider: "aws",
        types: ["aws:ec2/securityGroupRule:SecurityGroupRule"],
        summary:
            "`type` ingress/egress, protocol, ports, `cidrBlocks`, `ipv6CidrBlocks`, `prefixListIds`, `sourceSecurityGroupId`, `self`.",
        normalise: (props) =>
            standaloneRule(props, SG_RULE_TERMS, "securityGroupId", (item, rule) => {
                rule.readDirection(item.get("type"), DIRECTION);
                readSgProtocolPorts(item, rule);
                readSgPeers(item, rule, "sourceSecurityGroupId");
            }),
    },
    {
        provider: "aws",
        types: ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"],
        summary:
            "`ipProtocol`, `fromPort`/`toPort`, `cidrIpv4`, `cidrIpv6`; `prefixListId` and `referencedSecurityGroupId` are named sources.",
        normalise: (props, type) =>
            standaloneRule(
                props,
                VPC_RULE_TERMS,
                "securityGroupId",
                (item, rule) => {
                    rule.direction = type.endsWith("EgressRule") ? "outbound" : "inbound";
                    readSgProtocolPorts(item, rule, "ipProtocol");
                    rule.readPeerList(item.get("cidrIpv4"));
                    rule.readPeerList(item.get("cidrIpv6"));
                    rule.readSymbolList(item.get("prefixListId"), "prefix-list", PREFIX_LIST_ID);
                    rule.readSymbolList(item.get("referencedSecurityGroupId"), "security-group", SG_ID);
                },
                { tags: true },
            ),
    },
    {
        provider: "aws",
        types: ["aws:ec2/networkAcl:NetworkAcl", "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl"],
        summary:
            "inline `ingress` and `egress` entries in `ruleNo` order with allow/deny `action`, protocol, ports, `cidrBlock`, `ipv6CidrBlock`; stateless (see return traffic).",
        normalise: readNaclEntries,
    },
    {
        provider: "aws",
        types: ["aws:ec2/networkAclRule:NetworkAclRule"],
        summary:
            "`ruleNumber`, `egress`, `ruleAction`, protocol, ports, `cidrBlock`, `ipv6CidrBlock`; stateless. Judged on its own: a deny in another resource of the same ACL is not seen.",
        normalise: (props) =>
            standaloneRule(props, NACL_TERMS, "networkAclId", (item, rule) => {
                rule.stateless = true;
                rule.readDirection(item.get("egress"), EGRESS_FLAG, "inbound");
                rule.readAction(item.get("ruleAction"), NACL_ACTION);
                rule.readOrder(item.get("ruleNumber"), [1, 32766]);
                readSgProtocolPorts(item, rule);
                rule.readPeerList(item.get("cidrBlock"));
                rule.readPeerList(item.get("ipv6CidrBlock"));
            }),
    },
];
