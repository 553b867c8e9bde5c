import { strict as assert } from "assert";
import { adapterFor } from "../../policies/adapters";
import { AdapterCase, adapterCases, UNKNOWN } from "../helpers";

const FW = "gcp:compute/firewall:Firewall";
const POLICY_RULE = "gcp:compute/firewallPolicyRule:FirewallPolicyRule";
const NETWORK_POLICY_RULE = "gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule";
const REGION_POLICY_RULE = "gcp:compute/regionNetworkFirewallPolicyRule:RegionNetworkFirewallPolicyRule";
const POLICY_WITH_RULES = "gcp:compute/networkFirewallPolicyWithRules:NetworkFirewallPolicyWithRules";
const DEFAULT_SOURCE = "0.0.0.0/0, GCP's default when no source is set";

/** A VPC firewall rule as `new gcp.compute.Firewall(...)` sends it. */
const fw = (over: Record<string, unknown>) => ({ name: "fw", network: "projects/p/global/networks/vpc", ...over });
/** A firewall policy rule with one tcp layer-4 config unless `match` overrides it. */
const policyRule = (over: Record<string, unknown>, match: Record<string, unknown> = {}) => ({
    firewallPolicy: "policies/123",
    action: "allow",
    direction: "INGRESS",
    priority: 100,
    ...over,
    match: { layer4Configs: [{ ipProtocol: "tcp", ports: ["22"] }], ...match },
});

const cases: AdapterCase[] = [
    {
        name: "allows entries: port lists and ranges, one rule per entry, default priority 1000",
        props: fw({
            sourceRanges: ["10.0.0.0/8"],
            allows: [
                { protocol: "tcp", ports: ["22", "1000-2000"] },
                { protocol: "udp", ports: ["53"] },
            ],
        }),
        rules: [
            "allows[0]: inbound allow tcp 22, 1000-2000 from 10.0.0.0/8 #1000",
            "allows[1]: inbound allow udp 53 from 10.0.0.0/8 #1000",
        ],
    },
    {
        name: "a protocol without ports opens every port; icmp and all",
        props: fw({
            sourceRanges: ["192.168.0.0/16"],
            allows: [{ protocol: "tcp" }, { protocol: "icmp" }, { protocol: "all" }, { protocol: "udp", ports: [] }],
        }),
        rules: [
            "allows[0]: inbound allow tcp 0-65535 (all ports) from 192.168.0.0/16 #1000",
            "allows[1]: inbound allow icmp from 192.168.0.0/16 #1000",
            "allows[2]: inbound allow all 0-65535 (all ports) from 192.168.0.0/16 #1000",
            "allows[3]: inbound allow udp 0-65535 (all ports) from 192.168.0.0/16 #1000",
        ],
    },
    {
        name: "protocol numbers and names in any case, ports as numbers, priority as a string",
        props: fw({
            priority: "900",
            direction: "ingress",
            sourceRanges: ["0.0.0.0/0", "::/0"],
            allows: [
                { protocol: "6", ports: [443] },
                { protocol: "UDP", ports: ["0"] },
                { protocol: "esp" },
                { protocol: "sctp", ports: ["9"] },
            ],
        }),
        rules: [
            "allows[0]: inbound allow tcp 443 from 0.0.0.0/0 ::/0 #900",
            "allows[1]: inbound allow udp 0 from 0.0.0.0/0 ::/0 #900",
            "allows[2]: inbound allow proto-50 from 0.0.0.0/0 ::/0 #900",
            "allows[3]: inbound allow proto-132 from 0.0.0.0/0 ::/0 #900",
        ],
    },
    {
        name: "priority 0 is a priority, not a missing value",
        props: fw({ priority: 0, sourceRanges: ["10.0.0.0/8"], denies: [{ protocol: "tcp", ports: ["5432"] }] }),
        rules: ["denies[0]: inbound deny tcp 5432 from 10.0.0.0/8 #0"],
    },
    {
        name: "an ingress rule without any source is GCP's default 0.0.0.0/0",
        props: fw({ allows: [{ protocol: "tcp", ports: ["22"] }] }),
        rules: [`allows[0]: inbound allow tcp 22 from ${DEFAULT_SOURCE} #1000`],
    },
    {
        name: "empty source lists, nulls and empty strings name no source either",
        props: fw({ sourceRanges: [""], sourceTags: [], sourceServiceAccounts: null, allows: [{ protocol: "tcp", ports: ["6379"] }] }),
        rules: [`allows[0]: inbound allow tcp 6379 from ${DEFAULT_SOURCE} #1000`],
    },
    {
        name: "source tags and service accounts are named sources, never the world",
        props: fw({
            sourceTags: ["web", "Bad Tag"],
            sourceServiceAccounts: ["app@p.iam.gserviceaccount.com"],
            allows: [{ protocol: "tcp", ports: ["8080"] }],
        }),
        rules: ["allows[0]: inbound allow tcp 8080 from network-tag:web network-tag service-account:app@p.iam.gserviceaccount.com #1000"],
    },
    {
        name: "ranges and tags together: either matches",
        props: fw({
            sourceRanges: ["10.1.0.0/16"],
            sourceTags: ["bastion"],
            targetTags: ["db"],
            allows: [{ protocol: "tcp", ports: ["5432"] }],
        }),
        rules: ["allows[0]: inbound allow tcp 5432 from 10.1.0.0/16 network-tag:bastion #1000"],
    },
    {
        name: "egress rules read destinationRanges, default 0.0.0.0/0",
        props: fw({ direction: "EGRESS", priority: 65534, denies: [{ protocol: "tcp", ports: ["25"] }] }),
        rules: ["denies[0]: outbound deny tcp 25 from 0.0.0.0/0, GCP's default when no destination is set #65534"],
    },
    {
        name: "egress rule with destinations ignores sourceRanges",
        props: fw({ direction: "EGRESS", destinationRanges: ["10.0.0.0/8"], sourceRanges: ["0.0.0.0/0"], allows: [{ protocol: "all" }] }),
        rules: ["allows[0]: outbound allow all 0-65535 (all ports) from 10.0.0.0/8 #1000"],
    },
    {
        name: "denies come before allows: GCP applies a deny first at equal priority",
        props: fw({
            sourceRanges: ["0.0.0.0/0"],
            allows: [{ protocol: "tcp", ports: ["22"] }],
            denies: [{ protocol: "tcp", ports: ["22"] }],
        }),
        rules: ["denies[0]: inbound deny tcp 22 from 0.0.0.0/0 #1000", "allows[0]: inbound allow tcp 22 from 0.0.0.0/0 #1000"],
    },
    {
        name: "a disabled rule does not exist",
        props: fw({ disabled: true, sourceRanges: ["0.0.0.0/0"], allows: [{ protocol: "all" }] }),
        rules: [],
    },
    {
        name: "disabled as a string",
        props: fw({ disabled: "TRUE", allows: [{ protocol: "all" }] }),
        rules: [],
    },
    {
        name: "disabled false is an enabled rule",
        props: fw({ disabled: false, sourceRanges: ["10.0.0.0/8"], allows: [{ protocol: "all" }] }),
        rules: ["allows[0]: inbound allow all 0-65535 (all ports) from 10.0.0.0/8 #1000"],
    },
    {
        name: "an unknown disabled flag is read as enabled",
        props: fw({ disabled: UNKNOWN, sourceRanges: ["10.0.0.0/8"], allows: [{ protocol: "tcp", ports: ["22"] }] }),
        rules: ["allows[0]: inbound allow tcp 22 from 10.0.0.0/8 #1000"],
    },
    {
        name: "unknown values are recorded per part and never replaced by the default source; a shared unknown priority does not matter",
        props: fw({
            priority: UNKNOWN,
            sourceRanges: UNKNOWN,
            allows: [
                { protocol: "tcp", ports: [UNKNOWN] },
                { protocol: UNKNOWN, ports: ["22"] },
            ],
        }),
        rules: [
            "allows[0]: inbound allow tcp 0-65535 (all ports) from ? unknown(allows[0].ports[0]) unknown(sourceRanges)",
            "allows[1]: inbound allow all 22 from ? unknown(allows[1].protocol) unknown(sourceRanges)",
        ],
    },
    {
        name: "an unknown source tag is still a named source",
        props: fw({ sourceTags: [UNKNOWN], allows: [{ protocol: "tcp", ports: ["22"] }] }),
        rules: ["allows[0]: inbound allow tcp 22 from network-tag #1000"],
    },
    {
        name: "an unknown direction is recorded; the source side is read",
        props: fw({ direction: UNKNOWN, sourceRanges: ["10.0.0.0/8"], allows: [{ protocol: "tcp", ports: ["22"] }] }),
        rules: ["allows[0]: inbound allow tcp 22 from 10.0.0.0/8 #1000 unknown(direction)"],
    },
    {
        name: "whole unknown lists",
        props: fw({ allows: UNKNOWN, denies: [UNKNOWN] }),
        rules: [],
        unknown: ["denies[0]", "allows"],
    },
    {
        name: "wrong types are problems or invalid values, never crashes",
        props: fw({
            direction: "SIDEWAYS",
            priority: 70000,
            sourceRanges: ["banana", 7],
            sourceTags: [{}],
            allows: [null, { protocol: {}, ports: "x" }, { protocol: "tcp", ports: { a: 1 } }],
            denies: "tcp",
        }),
        rules: [
            "allows[1]: inbound allow all no ports from - invalid(direction) invalid(priority) invalid(allows[1].protocol) invalid(allows[1].ports) invalid(sourceRanges[0]) invalid(sourceRanges[1]) invalid(sourceTags[0])",
            "allows[2]: inbound allow tcp no ports from - invalid(direction) invalid(priority) invalid(allows[2].ports) invalid(sourceRanges[0]) invalid(sourceRanges[1]) invalid(sourceTags[0])",
        ],
        problems: ["denies", "allows[0]"],
    },
    {
        name: "port 0 is a port, and reversed ranges are invalid",
        props: fw({ sourceRanges: ["10.0.0.0/8"], allows: [{ protocol: "tcp", ports: ["0", "2000-1000", "70000"] }] }),
        rules: ["allows[0]: inbound allow tcp 0 from 10.0.0.0/8 #1000 invalid(allows[0].ports[1]) invalid(allows[0].ports[2])"],
    },
    // Firewall policy rules: one resource is one rule; each layer-4 config becomes a normalised rule.
    {
        name: "policy rule: layer-4 configs, priority, source ranges",
        type: POLICY_RULE,
        props: policyRule(
            { priority: "10", action: "DENY" },
            {
                srcIpRanges: ["0.0.0.0/0"],
                layer4Configs: [{ ipProtocol: "tcp", ports: ["22", "3389"] }, { ipProtocol: "udp" }, { ipProtocol: "all" }],
            },
        ),
        rules: [
            "match.layer4Configs[0]: inbound deny tcp 22, 3389 from 0.0.0.0/0 #10",
            "match.layer4Configs[1]: inbound deny udp 0-65535 (all ports) from 0.0.0.0/0 #10",
            "match.layer4Configs[2]: inbound deny all 0-65535 (all ports) from 0.0.0.0/0 #10",
        ],
    },
    {
        name: "policy rule: goto_next decides nothing here and yields no rule",
        type: POLICY_RULE,
        props: policyRule({ action: "goto_next" }, { srcIpRanges: ["0.0.0.0/0"] }),
        rules: [],
    },
    {
        name: "policy rule: the SDK's gotoNext spelling too",
        type: NETWORK_POLICY_RULE,
        props: policyRule({ action: "gotoNext" }, { srcIpRanges: ["0.0.0.0/0"] }),
        rules: [],
    },
    {
        name: "policy rule: apply_security_profile_group lets traffic through after inspection",
        type: NETWORK_POLICY_RULE,
        props: policyRule({ action: "apply_security_profile_group", securityProfileGroup: "spg" }, { srcIpRanges: ["10.0.0.0/8"] }),
        rules: ["match.layer4Configs[0]: inbound allow tcp 22 from 10.0.0.0/8 #100"],
    },
    {
        name: "policy rule: named sources are never the world",
        type: NETWORK_POLICY_RULE,
        props: policyRule(
            {},
            {
                srcSecureTags: [{ name: "tagValues/281479" }, { name: UNKNOWN }],
                srcAddressGroups: ["projects/p/locations/global/addressGroups/partners"],
                srcFqdns: ["api.example.com"],
                srcRegionCodes: ["US", "DE"],
                srcThreatIntelligences: ["iplist-public-clouds"],
                srcNetworks: ["projects/p/global/networks/shared"],
            },
        ),
        rules: [
            "match.layer4Configs[0]: inbound allow tcp 22 from address-group:projects/p/locations/global/addressGroups/partners fqdn:api.example.com " +
                "region-code:US region-code:DE threat-intelligence:iplist-public-clouds secure-tag:tagValues/281479 secure-tag network:projects/p/global/networks/shared #100",
        ],
    },
    {
        name: "policy rule: network scope INTERNET alone is the whole internet",
        type: REGION_POLICY_RULE,
        props: policyRule({}, { srcNetworkScope: "INTERNET" }),
        rules: ["match.layer4Configs[0]: inbound allow tcp 22 from match.srcNetworkScope INTERNET #100"],
    },
    {
        name: "policy rule: INTERNET with ranges leaves the ranges to decide (srcNetworkContext spelling)",
        type: NETWORK_POLICY_RULE,
        props: policyRule({}, { srcNetworkContext: "internet", srcIpRanges: ["203.0.113.0/24"] }),
        rules: ["match.layer4Configs[0]: inbound allow tcp 22 from 203.0.113.0/24 #100"],
    },
    {
        name: "policy rule: a non-internet scope is never the world, whatever the ranges",
        type: NETWORK_POLICY_RULE,
        props: policyRule({}, { srcNetworkScope: "INTRA_VPC", srcIpRanges: ["0.0.0.0/0", "banana"] }),
        rules: ["match.layer4Configs[0]: inbound allow tcp 22 from network-scope:INTRA_VPC #100 invalid(match.srcIpRanges[1])"],
    },
    {
        name: "policy rule: an ingress rule without a source is unreadable, not the world",
        type: POLICY_RULE,
        props: policyRule({}, { srcIpRanges: [] }),
        rules: ["match.layer4Configs[0]: inbound allow tcp 22 from - #100 invalid(match.srcIpRanges)"],
    },
    {
        name: "policy rule: egress reads destinations",
        type: POLICY_RULE,
        props: policyRule(
            { direction: "EGRESS" },
            { srcIpRanges: ["10.0.0.0/8"], destIpRanges: ["0.0.0.0/0"], destFqdns: ["example.com"] },
        ),
        rules: ["match.layer4Configs[0]: outbound allow tcp 22 from 0.0.0.0/0 fqdn:example.com #100"],
    },
    {
        name: "policy rule: disabled",
        type: POLICY_RULE,
        props: policyRule({ disabled: true }, { srcIpRanges: ["0.0.0.0/0"] }),
        rules: [],
    },
    {
        name: "policy rule: unknown action, priority and ranges",
        type: NETWORK_POLICY_RULE,
        props: policyRule({ action: UNKNOWN, priority: UNKNOWN }, { srcIpRanges: [UNKNOWN], srcNetworkScope: UNKNOWN }),
        rules: [
            "match.layer4Configs[0]: inbound allow tcp 22 from ? unknown(action) unknown(match.srcNetworkScope) unknown(match.srcIpRanges[0])",
        ],
    },
    {
        name: "policy rule: unknown match, unknown layer-4 configs",
        type: POLICY_RULE,
        props: { ...policyRule({}), match: UNKNOWN },
        rules: [],
        unknown: ["match"],
    },
    {
        name: "policy rule: wrong shapes",
        type: POLICY_RULE,
        props: policyRule(
            { action: "permit", direction: 3, priority: -1 },
            { srcIpRanges: "10.0.0.0/8", srcNetworkScope: "EVERYWHERE", layer4Configs: [{ ipProtocol: "bogus", ports: [true] }, 5] },
        ),
        rules: [
            "match.layer4Configs[0]: inbound allow all no ports from 10.0.0.0/8 invalid(action) invalid(direction) invalid(priority) invalid(match.layer4Configs[0].ipProtocol) invalid(match.layer4Configs[0].ports[0]) invalid(match.srcNetworkScope)",
        ],
        problems: ["match.layer4Configs[1]"],
    },
    {
        name: "policy rule: missing match or layer-4 configs",
        type: POLICY_RULE,
        props: { action: "allow", direction: "INGRESS", priority: 1, match: { srcIpRanges: ["0.0.0.0/0"], layer4Configs: [] } },
        rules: [],
        problems: ["match.layer4Configs"],
    },
    // Policies with inline rules: one resource holds many rules in priority order.
    {
        name: "policy with rules: priorities, a deny, goto_next read as a deny, disabled and default-INGRESS rules",
        type: POLICY_WITH_RULES,
        props: {
            name: "org-policy",
            rules: [
                {
                    priority: 20,
                    action: "allow",
                    direction: "INGRESS",
                    match: { srcIpRanges: ["0.0.0.0/0"], layer4Configs: [{ ipProtocol: "tcp", ports: ["22", "443"] }] },
                },
                {
                    priority: 10,
                    action: "deny",
                    direction: "INGRESS",
                    match: { srcIpRanges: ["0.0.0.0/0"], layer4Configs: [{ ipProtocol: "tcp", ports: ["22"] }] },
                },
                { priority: 5, action: "goto_next", match: { srcIpRanges: ["10.0.0.0/8"], layer4Configs: [{ ipProtocol: "all" }] } },
                {
                    priority: 1,
                    action: "allow",
                    disabled: true,
                    match: { srcIpRanges: ["0.0.0.0/0"], layer4Configs: [{ ipProtocol: "all" }] },
                },
            ],
        },
        rules: [
            "rules[0].match.layer4Configs[0]: inbound allow tcp 22, 443 from 0.0.0.0/0 #20",
            "rules[1].match.layer4Configs[0]: inbound deny tcp 22 from 0.0.0.0/0 #10",
            "rules[2].match.layer4Configs[0]: inbound deny all 0-65535 (all ports) from 10.0.0.0/8 #5",
        ],
    },
    {
        name: "policy with rules: unknown and malformed rules; an unknown priority matters here",
        type: POLICY_WITH_RULES,
        props: {
            rules: [
                UNKNOWN,
                "x",
                { priority: 1, action: "allow", match: UNKNOWN },
                {
                    priority: UNKNOWN,
                    action: "allow",
                    match: { srcIpRanges: ["10.0.0.0/8"], layer4Configs: [{ ipProtocol: "tcp", ports: ["22"] }] },
                },
            ],
        },
        rules: ["rules[3].match.layer4Configs[0]: inbound allow tcp 22 from 10.0.0.0/8 unknown(rules[3].priority)"],
        unknown: ["rules[0]", "rules[2].match"],
        problems: ["rules[1]"],
    },
    {
        name: "policy with rules: an unknown list",
        type: POLICY_WITH_RULES,
        props: { rules: UNKNOWN },
        rules: [],
        unknown: ["rules"],
    },
];

describe("GCP adapters", () => {
    it("reads every supported type token", () => {
        for (const t of [
            FW,
            POLICY_RULE,
            NETWORK_POLICY_RULE,
            REGION_POLICY_RULE,
            POLICY_WITH_RULES,
            "gcp:compute/firewallPolicyWithRules:FirewallPolicyWithRules",
        ])
            assert.equal(adapterFor(t)?.provider, "gcp", t);
    });
    adapterCases(cases, { type: FW, provider: "gcp", problemsBy: "path", tags: true });
});
