// Azure classic rows for every policy's table: network security groups and rules in the shape
// `@pulumi/azure` sends.
import { UNKNOWN } from "../../helpers";
import { CaseTable } from "../index";

const NSG = "azure:network/networkSecurityGroup:NetworkSecurityGroup";
const RULE = "azure:network/networkSecurityRule:NetworkSecurityRule";
const ASG = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/applicationSecurityGroups/web";

const az = (priority: number, access: string, port: string, source: string, extra: Record<string, unknown> = {}) => ({
    name: `r${priority}`, direction: "Inbound", access, priority, protocol: "Tcp", sourcePortRange: "*",
    destinationPortRange: port, sourceAddressPrefix: source, destinationAddressPrefix: "*", ...extra,
});
const nsg = (...securityRules: Record<string, unknown>[]) => ({ name: "nsg", location: "westeurope", resourceGroupName: "rg", securityRules });
const standalone = (rule: Record<string, unknown>) => ({ ...rule, resourceGroupName: "rg", networkSecurityGroupName: "nsg" });

const noWorld: CaseTable = {
    valid: [
        { name: "HTTPS from Internet, everything else denied", type: NSG, props: nsg(az(100, "Allow", "443", "Internet"), az(4000, "Deny", "*", "*", { protocol: "*" })) },
        { name: "RDP from the VPN range", type: NSG, props: nsg(az(100, "Allow", "3389", "10.0.0.0/8")) },
        { name: "a deny with a lower priority number shadows a later world allow", type: NSG, props: nsg(az(100, "Deny", "22", "Internet"), az(200, "Allow", "22", "*")) },
        { name: "application security groups are never the world", type: NSG, props: nsg(az(100, "Allow", "5432", "", { sourceAddressPrefix: undefined, sourceApplicationSecurityGroupIds: [ASG] })) },
        { name: "outbound to Internet is not inbound", type: NSG, props: nsg(az(100, "Allow", "*", "*", { direction: "Outbound", destinationAddressPrefix: "Internet" })) },
        { name: "a standalone rule from a service tag", type: RULE, props: standalone(az(100, "Allow", "22", "VirtualNetwork")) },
    ],
    invalid: [
        { name: "RDP from *", type: NSG, props: nsg(az(100, "Allow", "22", "10.0.0.0/8"), az(110, "Allow", "3389", "*")), errors: [[/^securityRules\[1\] \(from \*\) lets the whole internet reach tcp 3389 \(undocumented\), which is internal in ports\.yaml/]] },
        { name: "SSH from Internet in a port list", type: NSG, props: nsg(az(100, "Allow", "", "Internet", { destinationPortRange: undefined, destinationPortRanges: ["22", "443"] })), errors: [[/^securityRules\[0\] \(from Internet\) lets the whole internet reach tcp 22 \(ssh\)/]] },
        { name: "0.0.0.0/0 appended to a prefix list", type: NSG, props: nsg(az(100, "Allow", "6379", "", { sourceAddressPrefix: undefined, sourceAddressPrefixes: ["10.0.0.0/8", "0.0.0.0/0"] })), errors: [[/from 10\.0\.0\.0\/8, 0\.0\.0\.0\/0/, /tcp 6379 \(redis\)/]] },
        { name: "a partial deny still leaves the internet in", type: NSG, props: nsg(az(100, "Deny", "5432", "10.0.0.0/8"), az(200, "Allow", "5432", "Any")), errors: [[/^securityRules\[1\] \(from Any\)/, /postgres/]] },
        { name: "standalone rule: SSH from Internet", type: RULE, props: standalone(az(120, "Allow", "22", "Internet")), errors: [[/^this rule \(from Internet\) lets the whole internet reach tcp 22 \(ssh\)/]] },
        { name: "unknown source on an internal port is advisory", type: NSG, props: nsg(az(100, "Allow", "5432", UNKNOWN)), advisories: [[/^securityRules\[0\] cannot be verified until update: securityRules\[0\]\.sourceAddressPrefix is unknown/]] },
        { name: "a malformed rule is advisory, never a crash", type: NSG, props: { securityRules: [null, az(100, "Allow", "22", "*", { access: "Maybe" })] }, advisories: [[/securityRules\[0\] is not a rule object/], [/^securityRules\[1\] could not be fully read: securityRules\[1\]\.access must be one of allow, deny/]] },
    ],
};

const documented: CaseTable = {
    valid: [
        { name: "documented ports from a service tag", type: NSG, props: nsg(az(100, "Allow", "5432", "VirtualNetwork"), az(110, "Allow", "53", "VirtualNetwork", { protocol: "Udp" })) },
        { name: "a deny opens nothing", type: NSG, props: nsg(az(100, "Deny", "*", "*", { protocol: "*" })) },
        { name: "a standalone rule on a documented port", type: RULE, props: standalone(az(100, "Allow", "443", "Internet")) },
    ],
    invalid: [
        { name: "RDP is not documented in the test registry", type: NSG, props: nsg(az(110, "Allow", "3389", "10.0.0.0/8")), errors: [[/^securityRules\[0\] \(from 10\.0\.0\.0\/8\) opens tcp 3389 \(undocumented\), which ports.yaml does not document/, /ports: \[3389\], protocol: tcp/]] },
        { name: "a copy of AllowVnetInBound opens every port", type: NSG, props: nsg(az(200, "Allow", "*", "VirtualNetwork", { protocol: "*" })), errors: [[/^securityRules\[0\] \(from service-tag VirtualNetwork\) opens tcp .*undocumented ports.*; udp/, /narrow the rule/]] },
        { name: "standalone rule from an application security group", type: RULE, props: standalone(az(100, "Allow", "9000-9010", "", { sourceAddressPrefix: undefined, sourceApplicationSecurityGroupIds: ASG })), errors: [[/^this rule \(from application-security-group \/subscriptions\/.*\) opens tcp 9000-9010 \(11 undocumented ports\)/]] },
        { name: "unknown ports are advisory", type: NSG, props: nsg(az(100, "Allow", UNKNOWN, "10.0.0.0/8")), advisories: [[/securityRules\[0\]\.destinationPortRange is unknown during preview/]] },
    ],
};

export const cases: Record<string, CaseTable> = {
    "no-world-open-internal-ports": noWorld,
    "documented-ports-only": documented,
};
