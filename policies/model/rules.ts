// The one rule model every adapter produces and every policy reads. Policies never look at raw
// provider properties.
import { PeerSet } from "./addresses";
import { PortSet } from "./intervals";
import { Protocol } from "./protocol";

export type Direction = "inbound" | "outbound";
export type Action = "allow" | "deny";

/**
 * How the provider names a rule and the inputs a fix changes, so that messages speak the provider's
 * language ("the security group rule's `cidrBlocks`", "the NSG rule's `sourceAddressPrefix`").
 */
export interface RuleTerms {
    /** What the rule is: "security group rule", "network ACL entry", "NSG rule", "firewall rule", "Service port". */
    rule: string;
    /** The inputs that hold the rule's peers (sources inbound, destinations outbound), backquoted. */
    peers: string;
    /** Named peers the provider offers instead of addresses ("a security group"); absent when there are none. */
    named?: string;
    /** The inputs that hold the rule's ports, backquoted. */
    ports: string;
    /** What the rule's evaluation order is called where the provider orders rules: NACL "rule" numbers, NSG "priority". */
    order?: "rule" | "priority";
    /** When the platform picks the port if the input is left out: how to say so in a fix. */
    unsetPorts?: string;
}

/** Parts of a rule whose value is unknown during preview. */
export type RulePart = "direction" | "action" | "order" | "protocol" | "ports" | "peers";

export interface NormalisedRule {
    /** Where the rule came from in the resource's inputs: `ingress[1]`, `securityRules[0]`, or `rule` for a standalone rule resource. */
    origin: string;
    /**
     * The name its author gave the rule where the provider shows rules by name (an inline NSG rule's
     * `name`, as the portal and the CLI list it); absent when not given, unknown until update or secret.
     */
    label?: string;
    direction: Direction;
    action: Action;
    /** Evaluation order, lowest first (NACL rule number, NSG priority). Undefined: unordered allow-only set. */
    order?: number;
    protocol: Protocol;
    /** IANA number when protocol is "other". */
    protocolNumber?: number;
    /** Destination ports the rule applies to; every port for icmp and for protocol all. */
    ports: PortSet;
    /** The other end: sources of inbound traffic, destinations of outbound traffic. */
    peers: PeerSet;
    /** Stateless filters (network ACLs) need explicit return-traffic rules. */
    stateless: boolean;
    /** Values unknown until update or not interpretable; the rest of the rule is still judged where it can be. */
    unresolved: Unresolved[];
    /** Parts whose values came from secrets: messages must not print them. */
    secret: Set<RulePart>;
    /** The provider's words for the rule and its inputs, for messages. */
    terms: RuleTerms;
    /**
     * The ports are picked by the platform, not written by the team (a Kubernetes node port left
     * unset is allocated by the cluster): there is no port to document or narrow.
     */
    allocated: boolean;
    /**
     * The rule's own side where the provider filters on it too (Azure: the destinations of an inbound
     * rule and the sources of an outbound one, addresses, tags and application security groups):
     * which of the workloads behind the resource the rule applies to. Absent: every one of them.
     * Only the graph assemblers read it; the resource policies judge a rule by its peers.
     */
    targets?: PeerSet;
}

export interface Unresolved {
    part: RulePart;
    /** Input path of the value, e.g. `ingress[1].cidrBlocks[0]`. */
    path: string;
    /**
     * unknown: not known until update; unset-config: a placeholder the local check put in for config
     * the stack does not set (`detail` is the key); invalid: not interpretable; unverifiable: valid,
     * but its meaning lies outside the resource (a Kubernetes named port is numbered by the pods' containers).
     */
    reason: "unknown" | "unset-config" | "invalid" | "unverifiable";
    /** For invalid and unverifiable values: what is wrong or missing, without echoing secret values; the config key for unset-config. */
    detail?: string;
}

export interface ResourceIssue {
    /** Input path, e.g. `ingress`. */
    path: string;
    /** Set when the list holds rules of one direction only (`ingress`, `egress`). */
    direction?: Direction;
    message: string;
}

/**
 * Where the rule is in the inputs, with the name its author gave it where the provider shows one:
 * "ingress[0]", `securityRules[1] "Port_25565"`. The index says which input; the name is what the
 * portal and the CLI list.
 */
export function ruleLabel(rule: NormalisedRule): string {
    return rule.label !== undefined ? `${rule.origin} "${rule.label}"` : rule.origin;
}

export function unresolvedParts(rule: NormalisedRule): Set<RulePart> {
    return new Set(rule.unresolved.map((u) => u.part));
}

/** A rule can be evaluated when everything but (some of) its peers is resolved. */
export function isEvaluable(rule: NormalisedRule): boolean {
    return rule.unresolved.every((u) => u.part === "peers");
}

/** True when the rule is, or might be once its unknowns resolve, an inbound allow. */
export function mayBeInboundAllow(rule: NormalisedRule): boolean {
    const parts = unresolvedParts(rule);
    return (rule.direction === "inbound" || parts.has("direction")) && (rule.action === "allow" || parts.has("action"));
}

/** The origin of a rule that is a resource of its own (an AWS SecurityGroupRule, an Azure SecurityRule). */
export const STANDALONE_RULE = "this rule";
