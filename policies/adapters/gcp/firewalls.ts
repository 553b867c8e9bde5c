// Google Cloud (classic provider, `gcp:compute`): VPC firewall rules and firewall policy rules.
//
// Decisions, from GCP's documented behaviour:
// - `disabled: true`: the rule is not enforced and "the network behaves as if it did not exist", so
//   it yields no rules. An unknown or unreadable `disabled` is read as enabled (never hides a rule).
// - A VPC firewall rule without any source (no `sourceRanges`, `sourceTags` or
//   `sourceServiceAccounts`, or only empty strings in them) applies to 0.0.0.0/0: the API's default,
//   which has put databases on the internet (hashicorp/terraform-provider-google#6789). Egress rules
//   without `destinationRanges` likewise go to 0.0.0.0/0.
// - VPC firewall priority is the rule order (0-65535, default 1000, lowest first). A rule holds
//   `allows` or `denies`; if both appear, the deny entries come first, as GCP applies a deny before
//   an allow of equal priority. All entries of one resource share its priority, so an unknown
//   priority is not an unverifiable value there (a policy's inline `rules` do depend on theirs).
// - Firewall policy rules: `goto_next` neither allows nor denies (evaluation continues with the
//   next policy or the VPC firewall rules), so a standalone goto_next rule yields no rule; inside a
//   policy with inline rules it keeps the traffic it matches from the policy's later rules, so it is
//   read as a deny there. `apply_security_profile_group` lets traffic through after inspection, so
//   it is an allow.
// - Named sources (network tags, service accounts, secure tags, address groups, FQDNs, region
//   codes, threat-intelligence lists, networks) are never the whole internet: a region code or a
//   threat list is broad, but it is not every address.
// - Firewall policy source network scope (`srcNetworkScope`/`srcNetworkContext`): INTERNET alone is
//   the whole internet; combined with ranges it narrows them, so the ranges decide. NON_INTERNET,
//   INTRA_VPC and VPC_NETWORKS restrict the rule to non-internet traffic: never the world, whatever
//   the ranges say. An ingress policy rule without any source is rejected by the API (reported as
//   an unreadable value, not assumed to be the world).
import { GCP_FLOW_LOGS } from "./flow-logs";
import { SymbolKind } from "../../model/addresses";
import { ALL_PORTS } from "../../model/intervals";
import { FirewallModel } from "../../model/resources";
import { Direction, NormalisedRule } from "../../model/rules";
import { TopologyLink } from "../../model/topology";
import { Input } from "../support/input";
import { RuleBuilder } from "../support/rule-builder";
import { Adapter, ResourceBuilder } from "../support/resource-builder";
import { linkOf } from "../support/topology";

/**
 * The GCP firewall model as the graph assembler (graph.ts) reads it: `links` name what the rules
 * target (`targetTags`, `targetServiceAccounts`, `targetSecureTags`, `targetResources`; per inline
 * rule `rules[i].targetServiceAccounts`, ...), and `passOn` holds the `goto_next` rules, which hand
 * matching traffic to the next level of evaluation. The per-resource policies read neither.
 */
export interface GcpFirewallModel extends FirewallModel {
    passOn?: readonly NormalisedRule[];
}

/** Target inputs of a VPC firewall rule or a policy rule, as links by their own name (`targetTags`). */
const TARGETS: readonly (readonly [string, string?])[] = [
    ["targetTags"],
    ["targetServiceAccounts"],
    ["targetSecureTags", "name"],
    ["targetResources"],
];

/** Each target a rule names, under `prefix` + its input's name; an unknown list is one unknown link. */
function targetLinks(rule: Input, prefix: string, into: Record<string, TopologyLink[]>): void {
    for (const [key, field] of TARGETS) {
        const list = rule.get(key);
        const items = list.items();
        if (items === "invalid") continue;
        const out: TopologyLink[] = [];
        if (items === "unknown") out.push({ property: topProperty(list.path), unknown: true });
        else {
            for (const item of items) {
                const ref =
                    field !== undefined && item.value !== null && typeof item.value === "object" && !Array.isArray(item.value)
                        ? item.get(field)
                        : item;
                const l = linkOf(ref);
                if (l) out.push(l);
                // An empty name targets nothing; a value that is not a name cannot be matched.
                else if (!ref.missing && !(typeof ref.value === "string" && ref.value.trim() === ""))
                    out.push({ property: topProperty(ref.path), unknown: true });
            }
        }
        if (out.length > 0) into[`${prefix}${key}`] = out;
    }
}

function topProperty(path: string): string {
    const m = /^[^.[]+/.exec(path);
    return m ? m[0] : path;
}

const DIRECTION = { ingress: "inbound", egress: "outbound" } as const;
const POLICY_ACTION = { allow: "allow", deny: "deny", apply_security_profile_group: "allow", applysecurityprofilegroup: "allow" } as const;
const GOTO_NEXT = new Set(["goto_next", "gotonext"]);

/** GCP's peer for a VPC firewall rule that names none. */
const DEFAULT_RANGES = ["0.0.0.0/0"];

// Identifier shapes: a name is kept for messages only when it looks like one.
const NETWORK_TAG = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const SERVICE_ACCOUNT = /^[a-z0-9][a-z0-9._-]*@[a-z0-9.-]+\.[a-z]{2,}$/i;
const SECURE_TAG = /^tagValues\/\d+$/;
const ADDRESS_GROUP = /^(projects|organizations)\/[\w.:-]+\/locations\/[\w-]+\/addressGroups\/[\w-]+$/;
const FQDN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$/i;
const REGION_CODE = /^[A-Z]{2}$/;
const THREAT_LIST = /^iplist-[a-z0-9-]+$/;
const NETWORK = /^(https:\/\/(www|compute)\.googleapis\.com\/compute\/(v1|beta)\/)?projects\/[\w.:-]+\/global\/networks\/[\w-]+$/;

const NETWORK_SCOPES = ["INTERNET", "NON_INTERNET", "INTRA_VPC", "VPC_NETWORKS", "UNSPECIFIED"];

function isObject(v: unknown): boolean {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** The direction for whole-list issues; undefined when it cannot be read. */
function directionOf(input: Input, fallback?: Direction): Direction | undefined {
    if (input.missing) return fallback;
    const text = input.string()?.trim().toLowerCase();
    return text !== undefined && Object.prototype.hasOwnProperty.call(DIRECTION, text)
        ? DIRECTION[text as keyof typeof DIRECTION]
        : undefined;
}

/** List elements that hold a value: GCP ignores empty strings (`sourceRanges: [""]` names no source). */
function present(list: Input): Input[] | "unknown" | "invalid" {
    const items = list.items();
    if (items === "unknown" || items === "invalid") return items;
    return items.filter((i) => !i.missing && !(typeof i.value === "string" && !i.unknown && i.value.trim() === ""));
}

/** CIDR peers. True when the list names (or may name, being unknown or unreadable) a peer. */
function readRanges(rule: RuleBuilder, list: Input): boolean {
    const items = present(list);
    if (items === "unknown" || items === "invalid") {
        rule.readPeerList(list);
        return true;
    }
    rule.readPeers(items);
    return items.length > 0;
}

/** Named peers, as strings or as objects with a `field` (secure tags: `{ name }`). True when any is named. */
function readNames(rule: RuleBuilder, list: Input, kind: SymbolKind, pattern: RegExp, field?: string): boolean {
    const items = present(list);
    if (items === "unknown" || items === "invalid") {
        rule.readSymbolList(list, kind, pattern);
        return true;
    }
    let named = false;
    for (const item of items) {
        const ref = field !== undefined && isObject(item.value) ? item.get(field) : item;
        if (ref.missing) continue;
        named = true;
        if (typeof ref.value === "object") rule.invalid("peers", ref, "is not a name");
        else rule.readSymbolList(ref, kind, pattern);
    }
    return named;
}

/** Ports of one `allows`/`denies`/`layer4Configs` entry: no ports means every port. */
const FIREWALL_TERMS = {
    inbound: {
        rule: "firewall rule",
        peers: "`sourceRanges`",
        named: "network tags or service accounts (`sourceTags`, `sourceServiceAccounts`)",
        ports: "`allows[].ports`",
        order: "priority" as const,
    },
    outbound: { rule: "firewall rule", peers: "`destinationRanges`", ports: "`allows[].ports`", order: "priority" as const },
};
const POLICY_RULE_TERMS = {
    inbound: {
        rule: "firewall policy rule",
        peers: "`match.srcIpRanges`",
        named: "secure tags or address groups (`match.srcSecureTags`, `match.srcAddressGroups`)",
        ports: "`match.layer4Configs[].ports`",
        order: "priority" as const,
    },
    outbound: {
        rule: "firewall policy rule",
        peers: "`match.destIpRanges`",
        named: "address groups (`match.destAddressGroups`)",
        ports: "`match.layer4Configs[].ports`",
        order: "priority" as const,
    },
};

function readPorts(rule: RuleBuilder, list: Input): void {
    const items = list.items();
    rule.readPortSpecs(items === "unknown" || items === "invalid" ? [list] : items, ALL_PORTS);
}

function readVpcFirewallPeers(props: Input, rule: RuleBuilder): void {
    if (rule.direction === "outbound") {
        if (!readRanges(rule, props.get("destinationRanges")))
            rule.addDefaultPeers(DEFAULT_RANGES, "GCP's default when no destination is set");
        return;
    }
    const named = [
        readRanges(rule, props.get("sourceRanges")),
        readNames(rule, props.get("sourceTags"), "network-tag", NETWORK_TAG),
        readNames(rule, props.get("sourceServiceAccounts"), "service-account", SERVICE_ACCOUNT),
    ];
    if (!named.some(Boolean)) rule.addDefaultPeers(DEFAULT_RANGES, "GCP's default when no source is set");
}

/**
 * Adds rules with `addRules`, then gives them all the peers `readPeers` reads once: the entries of a
 * VPC firewall rule (or the layer-4 configs of a policy rule) share its sources, so 10,000 entries
 * and 10,000 ranges cost 20,000 reads, not 100 million.
 */
function withSharedPeers(out: ResourceBuilder, addRules: () => void, readPeers: (rule: RuleBuilder) => void): void {
    // Read with the first rule of the group, when the rules are read.
    let shared: NormalisedRule | undefined;
    out.withRuleHook((rule) => {
        if (!shared) {
            const template = new RuleBuilder(rule.origin);
            template.direction = rule.direction;
            readPeers(template);
            shared = template.build();
        }
        rule.peers = shared.peers;
        rule.unresolved.push(...shared.unresolved);
        for (const part of shared.secret) rule.secret.add(part);
    }, addRules);
}

function readVpcFirewall(props: Input): FirewallModel {
    const out = new ResourceBuilder("gcp", FIREWALL_TERMS, props);
    out.network = "network";
    out.flowLogs = GCP_FLOW_LOGS;
    out.identityKeys = ["id", "name", "selfLink"];
    if (props.get("disabled").bool() === true) return out.build();
    const links: Record<string, TopologyLink[]> = {};
    targetLinks(props, "", links);
    const direction = directionOf(props.get("direction"), "inbound");
    withSharedPeers(
        out,
        () => {
            for (const [key, action] of [
                ["denies", "deny"],
                ["allows", "allow"],
            ] as const) {
                out.eachRule(
                    props.get(key),
                    (i) => `${key}[${i}]`,
                    (item, rule) => {
                        rule.action = action;
                        rule.readDirection(props.get("direction"), DIRECTION, "inbound");
                        // Every entry shares the resource's priority, so an unknown priority changes nothing here.
                        if (!props.get("priority").unknown) rule.readOrder(props.get("priority"), [0, 65535], 1000);
                        rule.readProtocol(item.get("protocol"));
                        readPorts(rule, item.get("ports"));
                    },
                    direction,
                );
            }
        },
        (rule) => readVpcFirewallPeers(props, rule),
    );
    return out.build({ links });
}

/** Source (ingress) or destination (egress) of a firewall policy rule's `match`. */
function readPolicyPeers(match: Input, rule: RuleBuilder): void {
    const side = rule.direction === "outbound" ? "dest" : "src";
    const scopeInput = match.first(`${side}NetworkScope`, `${side}NetworkContext`);
    let scope: string | undefined;
    if (scopeInput.unknown) {
        rule.readPeerList(scopeInput); // records the unknown
    } else if (!scopeInput.missing) {
        const text = scopeInput.string()?.trim().toUpperCase();
        if (text !== undefined && NETWORK_SCOPES.includes(text)) scope = text === "UNSPECIFIED" ? undefined : text;
        else rule.invalid("peers", scopeInput, `must be one of ${NETWORK_SCOPES.join(", ")}`);
    }
    const nonInternet = scope !== undefined && scope !== "INTERNET";
    if (nonInternet) rule.peers.addSymbol({ kind: "network-scope", id: scope });
    // Inside a non-internet scope the ranges are intersected with it: they are read for their
    // values only, so that they never count as the world.
    const ranges = nonInternet ? new RuleBuilder(rule.origin) : rule;
    const named = [
        readRanges(ranges, match.get(`${side}IpRanges`)),
        readNames(rule, match.get(`${side}AddressGroups`), "address-group", ADDRESS_GROUP),
        readNames(rule, match.get(`${side}Fqdns`), "fqdn", FQDN),
        readNames(rule, match.get(`${side}RegionCodes`), "region-code", REGION_CODE),
        readNames(rule, match.get(`${side}ThreatIntelligences`), "threat-intelligence", THREAT_LIST),
    ];
    if (side === "src") {
        named.push(readNames(rule, match.get("srcSecureTags"), "secure-tag", SECURE_TAG, "name"));
        named.push(readNames(rule, match.get("srcNetworks"), "network", NETWORK));
    }
    if (ranges !== rule) {
        // Unknown ranges cannot make a non-internet scope the world; unreadable ones are still reported.
        rule.unresolved.push(...ranges.unresolved.filter((u) => u.reason === "invalid"));
        for (const part of ranges.secret) rule.secret.add(part);
    }
    if (scope === "INTERNET" && !named.some(Boolean)) {
        rule.peers.addWorld(`${scopeInput.path} INTERNET`);
    } else if (scope === undefined && !scopeInput.unknown && !named.some(Boolean)) {
        rule.invalid(
            "peers",
            match.get(`${side}IpRanges`),
            `is missing: a rule needs ${side === "src" ? "a source" : "a destination"} (ranges, a named ${side === "src" ? "source" : "destination"} or a network scope), the API rejects it`,
        );
    }
}

/**
 * One firewall policy rule into `out`: a resource of its own (`rule` is its inputs) or `rules[i]` of
 * a policy with inline rules (`inPolicy`). Each layer-4 config becomes a normalised rule.
 */
function readPolicyRule(out: ResourceBuilder, rule: Input, inPolicy: boolean, passOn?: NormalisedRule[]): void {
    if (rule.get("disabled").bool() === true) return;
    const action = rule.get("action");
    const actionText = action.string()?.trim().toLowerCase();
    // goto_next hands matching traffic to the next policy or the VPC firewall rules. On its own it
    // decides nothing here (no rule); inside a policy it keeps that traffic from the policy's later
    // rules, so it shadows them as a deny does, and it never allows anything. The graph keeps them
    // apart (`passOn`) and follows the traffic to the next level.
    const gotoNext = actionText !== undefined && GOTO_NEXT.has(actionText);
    if (gotoNext && !inPolicy) {
        if (passOn) {
            const side = new ResourceBuilder("gcp", POLICY_RULE_TERMS, rule);
            readPolicyRule(side, rule, true);
            passOn.push(...side.rules);
        }
        return;
    }
    const start = out.rules.length;
    readPolicyRuleBody(out, rule, action, inPolicy);
    if (gotoNext && passOn) passOn.push(...out.rules.slice(start));
}

function readPolicyRuleBody(out: ResourceBuilder, rule: Input, action: Input, inPolicy: boolean): void {
    const direction = directionOf(rule.get("direction"), "inbound");
    const match = rule.get("match");
    if (match.unknown) {
        out.unknown.push({ path: match.path, direction, message: `${match.path} is unknown until update` });
        return;
    }
    if (!isObject(match.value)) {
        out.problems.push({ path: match.path, direction, message: `${match.path} ${match.missing ? "is missing" : "is not an object"}` });
        return;
    }
    const configs = match.get("layer4Configs");
    const items = configs.items();
    if (Array.isArray(items) && items.length === 0) {
        out.problems.push({ path: configs.path, direction, message: `${configs.path} is missing: the rule names no protocol` });
        return;
    }
    withSharedPeers(
        out,
        () =>
            out.eachRule(
                configs,
                (i) => `${configs.path}[${i}]`,
                (item, r) => {
                    r.readAction(action, POLICY_ACTION_IN_POLICY);
                    r.readDirection(rule.get("direction"), DIRECTION, "inbound");
                    // A standalone rule's configs share its priority: unknown, it changes nothing here.
                    if (inPolicy || !rule.get("priority").unknown) r.readOrder(rule.get("priority"), [0, 2147483647]);
                    r.readProtocol(item.get("ipProtocol"));
                    readPorts(r, item.get("ports"));
                },
                direction,
            ),
        (r) => readPolicyPeers(match, r),
    );
}

/** Inside a policy goto_next is read as a deny (see readPolicyRule); a standalone goto_next rule never gets here. */
const POLICY_ACTION_IN_POLICY = { ...POLICY_ACTION, goto_next: "deny", gotonext: "deny" } as const;

export const gcpAdapters: Adapter[] = [
    {
        provider: "gcp",
        types: ["gcp:compute/firewall:Firewall"],
        summary:
            "`direction` (INGRESS default), `allows`/`denies` entries (protocol names and numbers, `ports` with ranges; no ports = every port) in `priority` order (default 1000), " +
            "`sourceRanges`/`destinationRanges`; `sourceTags` and `sourceServiceAccounts` are named sources. No source at all is GCP's default 0.0.0.0/0 (the world). " +
            "`disabled: true` rules are skipped. Each rule is judged as if it applied to every instance; the network graph reads `targetTags` and `targetServiceAccounts`.",
        normalise: readVpcFirewall,
    },
    {
        provider: "gcp",
        types: [
            "gcp:compute/firewallPolicyRule:FirewallPolicyRule",
            "gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule",
            "gcp:compute/regionNetworkFirewallPolicyRule:RegionNetworkFirewallPolicyRule",
        ],
        summary:
            "`action` allow/deny (`apply_security_profile_group` is an allow; `goto_next` decides nothing and yields no rule), `direction`, `priority`, `disabled`, " +
            "`match.layer4Configs` (one rule each), `match.srcIpRanges`/`destIpRanges`; secure tags, address groups, FQDNs, region codes, threat-intelligence lists and networks are named sources, never the world; " +
            "`srcNetworkScope`/`srcNetworkContext` INTERNET alone is the world, the other scopes never are. Judged on its own: rules of other policies and levels are not seen.",
        normalise(props): GcpFirewallModel {
            const out = new ResourceBuilder("gcp", POLICY_RULE_TERMS, props);
            out.attachedTo = "firewallPolicy";
            const passOn: NormalisedRule[] = [];
            const links: Record<string, TopologyLink[]> = {};
            if (props.get("disabled").bool() !== true) targetLinks(props, "", links);
            readPolicyRule(out, props, false, passOn);
            return out.build({ links, ...(passOn.length > 0 ? { passOn } : {}) });
        },
    },
    {
        provider: "gcp",
        types: [
            "gcp:compute/firewallPolicyWithRules:FirewallPolicyWithRules",
            "gcp:compute/networkFirewallPolicyWithRules:NetworkFirewallPolicyWithRules",
            "gcp:compute/regionNetworkFirewallPolicyWithRules:RegionNetworkFirewallPolicyWithRules",
        ],
        summary:
            "`rules` in `priority` order, each read like a standalone policy rule (`direction` defaults to INGRESS); a deny, or a `goto_next` that hands the traffic on, shadows the policy's later rules.",
        normalise(props): GcpFirewallModel {
            const out = new ResourceBuilder("gcp", POLICY_RULE_TERMS, props);
            out.identityKeys = ["id", "name", "selfLink"];
            const passOn: NormalisedRule[] = [];
            const links: Record<string, TopologyLink[]> = {};
            out.eachObject(props.get("rules"), (rule, i) => {
                if (rule.get("disabled").bool() !== true) targetLinks(rule, `rules[${i}].`, links);
                readPolicyRule(out, rule, true, passOn);
            });
            return out.build({ links, ...(passOn.length > 0 ? { passOn } : {}) });
        },
    },
];
