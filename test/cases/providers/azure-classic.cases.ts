// Azure classic rows for every policy's table: network security groups and rules in the shape
// `@pulumi/azure` sends.
import { UNKNOWN } from "../../helpers";
import { CaseTable } from "../index";

const NSG = "azure:network/networkSecurityGroup:NetworkSecurityGroup";
const RULE = "azure:network/networkSecurityRule:NetworkSecurityRule";
const ASG = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/applicationSecurityGroups/web";

const az = (priority: number, access: string, port: string, source: string, extra: Record<string, unknown> = {}) => ({
    direction: "Inbound",
    access,
    priority,
    protocol: "Tcp",
    sourcePortRange: "*",
    destinationPortRange: port,
    sourceAddressPrefix: source,
    destinationAddressPrefix: "*",
    ...extra,
});
const nsg = (...securityRules: Record<string, unknown>[]) => ({
    name: "nsg",
    location: "westeurope",
    resourceGroupName: "rg",
    securityRules,
});
const standalone = (rule: Record<string, unknown>) => ({ ...rule, resourceGroupName: "rg", networkSecurityGroupName: "nsg" });

const noWorld: CaseTable = {
    valid: [
        {
            name: "HTTPS from Internet, everything else denied",
            type: NSG,
            props: nsg(az(100, "Allow", "443", "Internet"), az(4000, "Deny", "*", "*", { protocol: "*" })),
        },
        { name: "RDP from the VPN range", type: NSG, props: nsg(az(100, "Allow", "3389", "10.0.0.0/8")) },
        {
            name: "a deny with a lower priority number shadows a later world allow",
            type: NSG,
            props: nsg(az(100, "Deny", "22", "Internet"), az(200, "Allow", "22", "*")),
        },
        {
            name: "application security groups are never the world",
            type: NSG,
            props: nsg(az(100, "Allow", "5432", "", { sourceAddressPrefix: undefined, sourceApplicationSecurityGroupIds: [ASG] })),
        },
        {
            name: "outbound to Internet is not inbound",
            type: NSG,
            props: nsg(az(100, "Allow", "*", "*", { direction: "Outbound", destinationAddressPrefix: "Internet" })),
        },
        { name: "a standalone rule from a service tag", type: RULE, props: standalone(az(100, "Allow", "22", "VirtualNetwork")) },
    ],
    invalid: [
        {
            name: "RDP from *",
            type: NSG,
            props: nsg(az(100, "Allow", "22", "10.0.0.0/8"), az(110, "Allow", "3389", "*")),
            errors: [
                [
                    "worldOpen",
                    "securityRules[1]",
                    { rules: "securityRules[1] (priority 110, from *)", ports: "tcp 3389 (undocumented)" },
                    "fixSourcesNew",
                ],
            ],
        },
        {
            name: "SSH from Internet in a port list",
            type: NSG,
            props: nsg(az(100, "Allow", "", "Internet", { destinationPortRange: undefined, destinationPortRanges: ["22", "443"] })),
            errors: [
                [
                    "worldOpen",
                    "securityRules[0]",
                    { rules: "securityRules[0] (priority 100, from Internet)", ports: "tcp 22 (ssh)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "0.0.0.0/0 appended to a prefix list",
            type: NSG,
            props: nsg(
                az(100, "Allow", "6379", "", { sourceAddressPrefix: undefined, sourceAddressPrefixes: ["10.0.0.0/8", "0.0.0.0/0"] }),
            ),
            errors: [
                [
                    "worldOpen",
                    "securityRules[0]",
                    { rules: "securityRules[0] (priority 100, from 10.0.0.0/8 and 0.0.0.0/0)", ports: "tcp 6379 (redis)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "a partial deny still leaves the internet in",
            type: NSG,
            props: nsg(az(100, "Deny", "5432", "10.0.0.0/8"), az(200, "Allow", "5432", "Any")),
            errors: [
                [
                    "worldOpen",
                    "securityRules[1]",
                    { rules: "securityRules[1] (priority 200, from Any)", ports: "tcp 5432 (postgres)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "standalone rule: SSH from Internet",
            type: RULE,
            props: standalone(az(120, "Allow", "22", "Internet")),
            errors: [["worldOpen", "this rule", { rules: "this rule (priority 120, from Internet)", ports: "tcp 22 (ssh)" }, "fixSources"]],
        },
        {
            name: "unknown source on an internal port is advisory",
            type: NSG,
            props: nsg(az(100, "Allow", "5432", UNKNOWN)),
            advisories: [
                [
                    "ruleUnknown",
                    "securityRules[0]",
                    { rule: "securityRules[0] (priority 100)", paths: "securityRules[0].sourceAddressPrefix" },
                    null,
                ],
            ],
        },
        {
            name: "a malformed rule is advisory, never a crash",
            type: NSG,
            props: { securityRules: [null, az(100, "Allow", "22", "*", { access: "Maybe" })] },
            advisories: [
                [
                    "ruleUnreadable",
                    "securityRules[1]",
                    { rule: "securityRules[1] (priority 100)", problems: "securityRules[1].access must be one of allow, deny" },
                    null,
                ],
                ["listUnreadable", "securityRules[0]", { problem: "securityRules[0] is not a rule object" }, null],
            ],
        },
    ],
};

const documented: CaseTable = {
    valid: [
        {
            name: "documented ports from a service tag",
            type: NSG,
            props: nsg(az(100, "Allow", "5432", "VirtualNetwork"), az(110, "Allow", "53", "VirtualNetwork", { protocol: "Udp" })),
        },
        { name: "a deny opens nothing", type: NSG, props: nsg(az(100, "Deny", "*", "*", { protocol: "*" })) },
        { name: "a standalone rule on a documented port", type: RULE, props: standalone(az(100, "Allow", "443", "Internet")) },
    ],
    invalid: [
        {
            name: "RDP is not documented in the test registry",
            type: NSG,
            props: nsg(az(110, "Allow", "3389", "10.0.0.0/8")),
            errors: [
                [
                    "undocumented",
                    "securityRules[0]",
                    { rule: "securityRules[0] (priority 110, from 10.0.0.0/8)", ports: "tcp 3389 (undocumented)" },
                    "fixDocument",
                ],
            ],
        },
        {
            name: "a copy of AllowVnetInBound opens every port",
            type: NSG,
            props: nsg(az(200, "Allow", "*", "VirtualNetwork", { protocol: "*" })),
            errors: [
                [
                    "undocumented",
                    "securityRules[0]",
                    {
                        rule: "securityRules[0] (priority 200, from service-tag VirtualNetwork)",
                        ports: "tcp 0-21, 23-52, 54-79, 81-442 and 5 more ranges (65527 undocumented ports); udp 0-52, 54-65535 (65535 undocumented ports)",
                    },
                    "fixNarrow",
                ],
            ],
        },
        {
            name: "standalone rule from an application security group",
            type: RULE,
            props: standalone(
                az(100, "Allow", "9000-9010", "", { sourceAddressPrefix: undefined, sourceApplicationSecurityGroupIds: ASG }),
            ),
            errors: [
                [
                    "undocumented",
                    "this rule",
                    {
                        rule: "this rule (priority 100, from application-security-group /subscriptions/s/resourceGroups/g/providers/Microsoft.Network/applicationSecurityGroups/web)",
                        ports: "tcp 9000-9010 (11 undocumented ports)",
                    },
                    "fixDocument",
                ],
            ],
        },
        {
            name: "unknown ports are advisory",
            type: NSG,
            props: nsg(az(100, "Allow", UNKNOWN, "10.0.0.0/8")),
            advisories: [
                [
                    "ruleUnknown",
                    "securityRules[0]",
                    { rule: "securityRules[0] (priority 100)", paths: "securityRules[0].destinationPortRange" },
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
