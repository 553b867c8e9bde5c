// GCP rows for every policy's table: VPC firewall rules, firewall policy rules and policies with
// inline rules, in the shapes `@pulumi/gcp` sends.
import { UNKNOWN } from "../../helpers";
import { CaseTable } from "../index";

const FW = "gcp:compute/firewall:Firewall";
const POLICY_RULE = "gcp:compute/firewallPolicyRule:FirewallPolicyRule";
const NETWORK_POLICY_RULE = "gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule";
const POLICY_WITH_RULES = "gcp:compute/networkFirewallPolicyWithRules:NetworkFirewallPolicyWithRules";

const fw = (over: Record<string, unknown>) => ({ name: "fw", network: "projects/p/global/networks/vpc", ...over });
const tcp = (...ports: string[]) => ({ protocol: "tcp", ports });
const policyRule = (over: Record<string, unknown>, match: Record<string, unknown>) => ({
    firewallPolicy: "policies/123",
    action: "allow",
    direction: "INGRESS",
    priority: 1000,
    ...over,
    match: { layer4Configs: [{ ipProtocol: "tcp", ports: ["22"] }], ...match },
});
/** An inline rule of a policy with rules. */
const inline = (priority: number, action: string, ports: string[], srcIpRanges: string[]) => ({
    priority,
    action,
    direction: "INGRESS",
    match: { srcIpRanges, layer4Configs: [{ ipProtocol: "tcp", ports }] },
});

const noWorld: CaseTable = {
    valid: [
        {
            name: "public ports (80, 443) open to 0.0.0.0/0 and ::/0",
            type: FW,
            props: fw({ sourceRanges: ["0.0.0.0/0", "::/0"], allows: [tcp("80", "443")] }),
        },
        { name: "ICMP from GCP's default source when icmp is public", type: FW, props: fw({ allows: [{ protocol: "icmp" }] }) },
        {
            name: "a disabled world-open SSH rule does not exist",
            type: FW,
            props: fw({ disabled: true, sourceRanges: ["0.0.0.0/0"], allows: [tcp("22")] }),
        },
        {
            name: "an internal port limited to a private range",
            type: FW,
            props: fw({ sourceRanges: ["10.128.0.0/9"], allows: [tcp("5432")] }),
        },
        {
            name: "network tags and service accounts are never the world",
            type: FW,
            props: fw({ sourceTags: ["bastion"], sourceServiceAccounts: ["ci@p.iam.gserviceaccount.com"], allows: [{ protocol: "all" }] }),
        },
        {
            name: "an egress rule to the world is not inbound",
            type: FW,
            props: fw({ direction: "EGRESS", destinationRanges: ["0.0.0.0/0"], allows: [{ protocol: "all" }] }),
        },
        {
            name: "a deny-only firewall opens nothing",
            type: FW,
            props: fw({ priority: 100, sourceRanges: ["0.0.0.0/0"], denies: [{ protocol: "all" }] }),
        },
        {
            name: "deny and allow entries at equal priority: the deny is applied first",
            type: FW,
            props: fw({ sourceRanges: ["0.0.0.0/0"], denies: [tcp("22")], allows: [tcp("22", "443")] }),
        },
        {
            name: "policy rule: goto_next hands traffic on and allows nothing",
            type: POLICY_RULE,
            props: policyRule({ action: "goto_next" }, { srcIpRanges: ["0.0.0.0/0"] }),
        },
        {
            name: "policy rule: region codes and threat lists are broad, but not the whole internet",
            type: NETWORK_POLICY_RULE,
            props: policyRule({}, { srcRegionCodes: ["US", "CA"], srcThreatIntelligences: ["iplist-public-clouds"] }),
        },
        {
            name: "policy rule: a non-internet network scope is never the world",
            type: NETWORK_POLICY_RULE,
            props: policyRule({}, { srcNetworkScope: "INTRA_VPC", srcIpRanges: ["0.0.0.0/0"] }),
        },
        {
            name: "policy rule: secure tags and address groups",
            type: NETWORK_POLICY_RULE,
            props: policyRule(
                {},
                { srcSecureTags: [{ name: "tagValues/281479" }], srcAddressGroups: ["projects/p/locations/global/addressGroups/office"] },
            ),
        },
        {
            name: "policy with rules: a deny with a lower priority number shadows a later world allow",
            type: POLICY_WITH_RULES,
            props: { rules: [inline(2000, "allow", ["22", "443"], ["0.0.0.0/0"]), inline(100, "deny", ["22"], ["0.0.0.0/0"])] },
        },
        {
            name: "policy with rules: goto_next first hands the world's SSH on to the VPC rules",
            type: POLICY_WITH_RULES,
            props: { rules: [inline(100, "goto_next", ["22"], ["0.0.0.0/0"]), inline(200, "allow", ["22"], ["0.0.0.0/0"])] },
        },
    ],
    invalid: [
        {
            name: "SSH from 0.0.0.0/0",
            type: FW,
            props: fw({ sourceRanges: ["0.0.0.0/0"], allows: [tcp("22")] }),
            errors: [
                ["worldOpen", "allows[0]", { rules: "allows[0] (priority 1000, from 0.0.0.0/0)", ports: "tcp 22 (ssh)" }, "fixSources"],
            ],
        },
        {
            name: "no source at all is GCP's default 0.0.0.0/0",
            type: FW,
            props: fw({ allows: [tcp("5432")] }),
            errors: [
                [
                    "worldOpen",
                    "allows[0]",
                    {
                        rules: "allows[0] (priority 1000, from 0.0.0.0/0, GCP's default when no source is set)",
                        ports: "tcp 5432 (postgres)",
                    },
                    "fixSources",
                ],
            ],
        },
        {
            name: "an empty-string source range is no source either",
            type: FW,
            props: fw({ sourceRanges: [""], targetTags: ["cache"], allows: [tcp("6379")] }),
            errors: [
                [
                    "worldOpen",
                    "allows[0]",
                    { rules: "allows[0] (priority 1000, from 0.0.0.0/0, GCP's default when no source is set)", ports: "tcp 6379 (redis)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "a protocol without ports opens every internal port",
            type: FW,
            props: fw({ sourceRanges: ["0.0.0.0/0"], allows: [{ protocol: "tcp" }] }),
            errors: [
                [
                    "worldOpen",
                    "allows[0]",
                    {
                        rules: "allows[0] (priority 1000, from 0.0.0.0/0)",
                        ports: "tcp 22 (ssh), 53 (dns), 2379-2380 (etcd), 5432 (postgres), 6379 (redis) and 2 more",
                    },
                    "fixWide",
                ],
            ],
        },
        {
            name: "each entry is its own rule: allows[1]",
            type: FW,
            props: fw({ sourceRanges: ["::/0"], allows: [tcp("443"), { protocol: "udp", ports: ["53"] }] }),
            errors: [["worldOpen", "allows[1]", { rules: "allows[1] (priority 1000, from ::/0)", ports: "udp 53 (dns)" }, "fixSources"]],
        },
        {
            name: "protocol number and port ranges",
            type: FW,
            props: fw({ priority: "10", sourceRanges: ["0.0.0.0/0"], allows: [{ protocol: "6", ports: ["2379-2380", 8080] }] }),
            errors: [
                [
                    "worldOpen",
                    "allows[0]",
                    { rules: "allows[0] (priority 10, from 0.0.0.0/0)", ports: "tcp 2379-2380 (etcd), 8080 (app)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "0.0.0.0/1 + 128.0.0.0/1 in one rule",
            type: FW,
            props: fw({ sourceRanges: ["0.0.0.0/1", "128.0.0.0/1"], allows: [tcp("22")] }),
            errors: [
                [
                    "worldOpen",
                    "allows[0]",
                    { rules: "allows[0] (priority 1000, from 0.0.0.0/1 and 128.0.0.0/1)", ports: "tcp 22 (ssh)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "disabled: false is enforced",
            type: FW,
            props: fw({ disabled: false, sourceRanges: ["0.0.0.0/0"], allows: [tcp("22")] }),
            errors: [
                ["worldOpen", "allows[0]", { rules: "allows[0] (priority 1000, from 0.0.0.0/0)", ports: "tcp 22 (ssh)" }, "fixSources"],
            ],
        },
        {
            name: "a source tag next to 0.0.0.0/0 does not narrow it",
            type: FW,
            props: fw({ sourceTags: ["web"], sourceRanges: ["0.0.0.0/0"], allows: [tcp("6379")] }),
            errors: [
                [
                    "worldOpen",
                    "allows[0]",
                    { rules: "allows[0] (priority 1000, from 0.0.0.0/0 and network-tag web)", ports: "tcp 6379 (redis)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "policy rule from 0.0.0.0/0",
            type: POLICY_RULE,
            props: policyRule({ priority: 10 }, { srcIpRanges: ["0.0.0.0/0"], layer4Configs: [{ ipProtocol: "tcp", ports: ["5432"] }] }),
            errors: [
                [
                    "worldOpen",
                    "match.layer4Configs[0]",
                    { rules: "match.layer4Configs[0] (priority 10, from 0.0.0.0/0)", ports: "tcp 5432 (postgres)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "policy rule: network scope INTERNET alone is the whole internet",
            type: NETWORK_POLICY_RULE,
            props: policyRule({}, { srcNetworkScope: "INTERNET" }),
            errors: [
                [
                    "worldOpen",
                    "match.layer4Configs[0]",
                    { rules: "match.layer4Configs[0] (priority 1000, from match.srcNetworkScope INTERNET)", ports: "tcp 22 (ssh)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "policy rule: apply_security_profile_group still lets the internet in",
            type: NETWORK_POLICY_RULE,
            props: policyRule(
                { action: "apply_security_profile_group" },
                { srcIpRanges: ["::/0"], layer4Configs: [{ ipProtocol: "tcp", ports: ["6379"] }] },
            ),
            errors: [
                [
                    "worldOpen",
                    "match.layer4Configs[0]",
                    { rules: "match.layer4Configs[0] (priority 1000, from ::/0)", ports: "tcp 6379 (redis)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "policy with rules: a deny after the allow (higher number) does not shadow it",
            type: POLICY_WITH_RULES,
            props: { rules: [inline(300, "deny", ["22"], ["0.0.0.0/0"]), inline(200, "allow", ["22"], ["0.0.0.0/0"])] },
            errors: [
                [
                    "worldOpen",
                    "rules[1].match.layer4Configs[0]",
                    { rules: "rules[1].match.layer4Configs[0] (priority 200, from 0.0.0.0/0)", ports: "tcp 22 (ssh)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "policy with rules: a deny covers only its own ports",
            type: POLICY_WITH_RULES,
            props: { rules: [inline(100, "deny", ["22"], ["0.0.0.0/0"]), inline(200, "allow", ["20-23"], ["0.0.0.0/0"])] },
            errors: [
                [
                    "worldOpen",
                    "rules[1].match.layer4Configs[0]",
                    {
                        rules: "rules[1].match.layer4Configs[0] (priority 200, from 0.0.0.0/0)",
                        ports: "tcp 20-21, 23 (3 undocumented ports)",
                    },
                    "fixSourcesNew",
                ],
            ],
        },
        {
            name: "policy with rules: a partial deny still leaves the internet in",
            type: POLICY_WITH_RULES,
            props: { rules: [inline(100, "deny", ["22"], ["10.0.0.0/8"]), inline(200, "allow", ["22"], ["0.0.0.0/0"])] },
            errors: [
                [
                    "worldOpen",
                    "rules[1].match.layer4Configs[0]",
                    { rules: "rules[1].match.layer4Configs[0] (priority 200, from 0.0.0.0/0)", ports: "tcp 22 (ssh)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "a known violation is reported even when another entry is unknown",
            type: FW,
            props: fw({ sourceRanges: ["0.0.0.0/0"], allows: [tcp("22"), { protocol: "tcp", ports: [UNKNOWN] }] }),
            errors: [
                ["worldOpen", "allows[0]", { rules: "allows[0] (priority 1000, from 0.0.0.0/0)", ports: "tcp 22 (ssh)" }, "fixSources"],
            ],
            advisories: [["ruleUnknown", "allows[1]", { rule: "allows[1] (priority 1000)", paths: "allows[1].ports[0]" }, null]],
        },
        {
            name: "unknown source ranges are advisory, not GCP's default",
            type: FW,
            props: fw({ sourceRanges: UNKNOWN, allows: [tcp("22")] }),
            advisories: [["ruleUnknown", "allows[0]", { rule: "allows[0] (priority 1000)", paths: "sourceRanges" }, null]],
        },
        {
            name: "an unknown priority does not hide a world-open port (the entries share it)",
            type: FW,
            props: fw({ priority: UNKNOWN, sourceRanges: ["0.0.0.0/0"], allows: [tcp("22")] }),
            errors: [["worldOpen", "allows[0]", { rules: "allows[0] (from 0.0.0.0/0)", ports: "tcp 22 (ssh)" }, "fixSources"]],
        },
        {
            name: "policy rule without a source: the API rejects it, reported as unreadable",
            type: POLICY_RULE,
            props: policyRule({}, { srcIpRanges: [] }),
            advisories: [
                [
                    "ruleUnreadable",
                    "match.layer4Configs[0]",
                    {
                        rule: "match.layer4Configs[0] (priority 1000)",
                        problems:
                            "match.srcIpRanges is missing: a rule needs a source (ranges, a named source or a network scope), the API rejects it",
                    },
                    null,
                ],
            ],
        },
        {
            name: "a malformed firewall is advisory, never a crash",
            type: FW,
            props: fw({ allows: "tcp:22", denies: [null] }),
            advisories: [
                ["listUnreadable", "denies[0]", { problem: "denies[0] is not a rule object" }, null],
                ["listUnreadable", "allows", { problem: "allows is not a list of rules" }, null],
            ],
        },
        {
            name: "policy rule: an unknown match is advisory",
            type: POLICY_RULE,
            props: { ...policyRule({}, {}), match: UNKNOWN },
            advisories: [["listUnknown", "match", { path: "match" }, null]],
        },
    ],
};

const documented: CaseTable = {
    valid: [
        { name: "a documented port from a network tag", type: FW, props: fw({ sourceTags: ["app"], allows: [tcp("5432")] }) },
        {
            name: "dns over tcp and udp",
            type: FW,
            props: fw({ sourceRanges: ["10.0.0.0/8"], allows: [tcp("53"), { protocol: "udp", ports: ["53"] }] }),
        },
        { name: "documented icmp from GCP's default source", type: FW, props: fw({ allows: [{ protocol: "icmp" }] }) },
        { name: "deny entries open nothing", type: FW, props: fw({ sourceRanges: ["10.0.0.0/8"], denies: [{ protocol: "all" }] }) },
        {
            name: "a disabled rule opens nothing",
            type: FW,
            props: fw({ disabled: true, sourceRanges: ["10.0.0.0/8"], allows: [tcp("9999")] }),
        },
        { name: "egress to undocumented ports is not inbound", type: FW, props: fw({ direction: "EGRESS", allows: [tcp("9999")] }) },
        {
            name: "policy rule: goto_next opens nothing",
            type: POLICY_RULE,
            props: policyRule({ action: "goto_next" }, { srcIpRanges: ["10.0.0.0/8"], layer4Configs: [{ ipProtocol: "all" }] }),
        },
        {
            name: "policy with rules: an allow fully shadowed by an earlier deny opens nothing",
            type: POLICY_WITH_RULES,
            props: { rules: [inline(100, "deny", ["9999"], ["0.0.0.0/0"]), inline(200, "allow", ["9999"], ["10.0.0.0/8"])] },
        },
    ],
    invalid: [
        {
            name: "an undocumented port range",
            type: FW,
            props: fw({ sourceRanges: ["10.0.0.0/8"], allows: [tcp("9000-9010")] }),
            errors: [
                [
                    "undocumented",
                    "allows[0]",
                    { rule: "allows[0] (priority 1000, from 10.0.0.0/8)", ports: "tcp 9000-9010 (11 undocumented ports)" },
                    "fixDocument",
                ],
            ],
        },
        {
            name: "a protocol without ports opens every port",
            type: FW,
            props: fw({ sourceTags: ["workers"], allows: [{ protocol: "udp" }] }),
            errors: [
                [
                    "undocumented",
                    "allows[0]",
                    { rule: "allows[0] (priority 1000, from network-tag workers)", ports: "udp 0-52, 54-65535 (65535 undocumented ports)" },
                    "fixNarrow",
                ],
            ],
        },
        {
            name: "protocol all from a service account",
            type: FW,
            props: fw({ sourceServiceAccounts: ["etl@p.iam.gserviceaccount.com"], allows: [{ protocol: "all" }] }),
            errors: [
                [
                    "undocumented",
                    "allows[0]",
                    {
                        rule: "allows[0] (priority 1000, from service-account etl@p.iam.gserviceaccount.com)",
                        ports: "tcp 0-21, 23-52, 54-79, 81-442 and 5 more ranges (65527 undocumented ports); udp 0-52, 54-65535 (65535 undocumented ports)",
                    },
                    "fixNarrow",
                ],
            ],
        },
        {
            name: "GCP's default source with an undocumented port",
            type: FW,
            props: fw({ allows: [tcp("9999")] }),
            errors: [
                [
                    "undocumented",
                    "allows[0]",
                    {
                        rule: "allows[0] (priority 1000, from 0.0.0.0/0, GCP's default when no source is set)",
                        ports: "tcp 9999 (undocumented)",
                    },
                    "fixDocument",
                ],
            ],
        },
        {
            name: "policy rule: the second layer-4 config",
            type: NETWORK_POLICY_RULE,
            props: policyRule(
                {},
                {
                    srcSecureTags: [{ name: "tagValues/42" }],
                    layer4Configs: [
                        { ipProtocol: "tcp", ports: ["5432"] },
                        { ipProtocol: "udp", ports: ["500"] },
                    ],
                },
            ),
            errors: [
                [
                    "undocumented",
                    "match.layer4Configs[1]",
                    { rule: "match.layer4Configs[1] (priority 1000, from secure-tag tagValues/42)", ports: "udp 500 (undocumented)" },
                    "fixDocument",
                ],
            ],
        },
        {
            name: "policy rule: a region-code source still needs documented ports",
            type: NETWORK_POLICY_RULE,
            props: policyRule({}, { srcRegionCodes: ["DE"], layer4Configs: [{ ipProtocol: "tcp", ports: ["8443"] }] }),
            errors: [
                [
                    "undocumented",
                    "match.layer4Configs[0]",
                    { rule: "match.layer4Configs[0] (priority 1000, from region-code DE)", ports: "tcp 8443 (undocumented)" },
                    "fixDocument",
                ],
            ],
        },
        {
            name: "policy with rules: an allow only partly shadowed still opens the port",
            type: POLICY_WITH_RULES,
            props: { rules: [inline(100, "deny", ["9999"], ["10.0.0.0/9"]), inline(200, "allow", ["9999"], ["10.0.0.0/8"])] },
            errors: [
                [
                    "undocumented",
                    "rules[1].match.layer4Configs[0]",
                    { rule: "rules[1].match.layer4Configs[0] (priority 200, from 10.0.0.0/8)", ports: "tcp 9999 (undocumented)" },
                    "fixDocument",
                ],
            ],
        },
        {
            name: "unknown ports are advisory",
            type: FW,
            props: fw({ sourceRanges: ["10.0.0.0/8"], allows: [{ protocol: "tcp", ports: UNKNOWN }] }),
            advisories: [["ruleUnknown", "allows[0]", { rule: "allows[0] (priority 1000)", paths: "allows[0].ports" }, null]],
        },
        {
            name: "an unknown source does not hide an undocumented port",
            type: FW,
            props: fw({ sourceRanges: [UNKNOWN], allows: [tcp("9999")] }),
            errors: [
                [
                    "undocumented",
                    "allows[0]",
                    { rule: "allows[0] (priority 1000, from values unknown until update)", ports: "tcp 9999 (undocumented)" },
                    "fixDocument",
                ],
            ],
        },
    ],
};

export const cases: Record<string, CaseTable> = {
    "no-world-open-internal-ports": noWorld,
    "documented-ports-only": documented,
};
