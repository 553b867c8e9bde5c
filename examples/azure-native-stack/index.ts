// azure-native-stack: web, app, data, cache and management subnets in one virtual network, each
// behind its own network security group (NSG).
//
// This is an example for the internal-ports policy pack. Most NSG rules below are what a careful
// team writes; a few (marked "MISTAKE") are the kind of change that slips through review and that
// the pack must block. See README.md for the expected findings.
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import * as inputs from "@pulumi/azure-native/types/input";

const config = new pulumi.Config();
/** The operations VPN's egress range: the only source allowed to SSH to the jump hosts. */
const adminCidr = config.require("adminCidr");
const vnetCidr = config.get("vnetCidr") ?? "10.20.0.0/16";

const tags = { project: pulumi.getProject(), stack: pulumi.getStack(), "managed-by": "pulumi" };

/** The /24 with the given third octet inside the VNet's /16 (10.20.0.0/16, 2 -> 10.20.2.0/24). */
function subnetCidr(thirdOctet: number): string {
    const [a, b] = vnetCidr.split("/")[0].split(".");
    return `${a}.${b}.${thirdOctet}.0/24`;
}

// Plain strings, so the NSG rules that use them are known at preview time.
const cidrs = {
    web: subnetCidr(1),
    app: subnetCidr(2),
    data: subnetCidr(3),
    cache: subnetCidr(4),
    mgmt: subnetCidr(250),
};

type RuleArgs = inputs.network.SecurityRuleArgs;

/** An inbound NSG rule to any destination in the subnet, from any source port. */
function inbound(rule: {
    name: string;
    priority: number;
    access?: "Allow" | "Deny";
    protocol: "Tcp" | "Udp" | "Icmp" | "*";
    ports: string | string[];
    source: string | string[];
    description?: string;
}): RuleArgs {
    return {
        name: rule.name,
        description: rule.description,
        priority: rule.priority,
        direction: network.SecurityRuleDirection.Inbound,
        access: rule.access ?? network.SecurityRuleAccess.Allow,
        protocol: rule.protocol,
        sourcePortRange: "*",
        ...(Array.isArray(rule.ports) ? { destinationPortRanges: rule.ports } : { destinationPortRange: rule.ports }),
        ...(Array.isArray(rule.source) ? { sourceAddressPrefixes: rule.source } : { sourceAddressPrefix: rule.source }),
        destinationAddressPrefix: "*",
    };
}

const rg = new resources.ResourceGroup("network-rg", { tags });

// ---------------------------------------------------------------------------------------------
// Compliant NSGs.
// ---------------------------------------------------------------------------------------------

// web-nsg: HTTPS from the internet, HTTP (redirect) from anywhere, everything else denied. 80 and
// 443 are `public` in ports.yaml.
const webNsg = new network.NetworkSecurityGroup("web-nsg", {
    resourceGroupName: rg.name,
    securityRules: [
        inbound({ name: "allow-https-internet", priority: 100, protocol: "Tcp", ports: "443", source: "Internet" }),
        inbound({ name: "allow-http-any", priority: 110, protocol: "Tcp", ports: "80", source: "*", description: "Redirects to HTTPS" }),
        inbound({ name: "deny-all-inbound", priority: 4000, access: "Deny", protocol: "*", ports: "*", source: "*" }),
    ],
    tags,
});

// data-nsg: PostgreSQL from the app subnet. A guard-rail deny for 5432 from the internet comes
// first, so the broad allow further down (kept for an old migration job) cannot expose it.
const dataNsg = new network.NetworkSecurityGroup("data-nsg", {
    resourceGroupName: rg.name,
    securityRules: [
        inbound({ name: "deny-postgres-internet", priority: 100, access: "Deny", protocol: "Tcp", ports: "5432", source: "Internet" }),
        inbound({ name: "allow-postgres-app", priority: 200, protocol: "Tcp", ports: "5432", source: cidrs.app }),
        inbound({ name: "allow-postgres-migration", priority: 300, protocol: "Tcp", ports: "5432", source: "*", description: "Old migration job; shadowed by deny-postgres-internet" }),
    ],
    tags,
});

// ---------------------------------------------------------------------------------------------
// Non-compliant NSGs: realistic mistakes the policy pack must block.
// ---------------------------------------------------------------------------------------------

// mgmt-nsg: SSH to the jump hosts from the admin VPN is fine.
// MISTAKE: RDP from "*" (anyone on the internet). Blocked by no-world-open-internal-ports
// (rdp 3389/tcp is internal).
const mgmtNsg = new network.NetworkSecurityGroup("mgmt-nsg", {
    resourceGroupName: rg.name,
    securityRules: [
        inbound({ name: "allow-ssh-admin", priority: 100, protocol: "Tcp", ports: "22", source: adminCidr }),
        inbound({ name: "allow-rdp", priority: 110, protocol: "Tcp", ports: "3389", source: "*" }),
    ],
    tags,
});

// MISTAKE: a standalone rule added to the mgmt NSG during an incident opens SSH to the internet.
// Blocked by no-world-open-internal-ports (ssh 22/tcp is internal). The pack judges a standalone
// rule on its own. (Mixing inline `securityRules` and standalone SecurityRule resources on one NSG
// also makes the two fight over the rule list in real deployments: one more reason to remove it.)
new network.SecurityRule("allow-ssh-any", {
    resourceGroupName: rg.name,
    networkSecurityGroupName: mgmtNsg.name,
    securityRuleName: "allow-ssh-any",
    priority: 120,
    direction: network.SecurityRuleDirection.Inbound,
    access: network.SecurityRuleAccess.Allow,
    protocol: network.SecurityRuleProtocol.Tcp,
    sourcePortRange: "*",
    destinationPortRange: "22",
    sourceAddressPrefix: "Internet",
    destinationAddressPrefix: "*",
});

// cache-nsg: Redis for the app subnet...
// MISTAKE: ...and 0.0.0.0/0 appended to the source list "to test from home". Blocked by
// no-world-open-internal-ports (redis 6379/tcp is internal).
const cacheNsg = new network.NetworkSecurityGroup("cache-nsg", {
    resourceGroupName: rg.name,
    securityRules: [
        inbound({ name: "allow-redis", priority: 100, protocol: "Tcp", ports: "6379", source: [cidrs.app, "0.0.0.0/0"] }),
    ],
    tags,
});

// app-nsg: the app tier takes 8080 from the web subnet.
// MISTAKE: a copy of Azure's default AllowVnetInBound, every protocol and port from anywhere in
// the VNet. Not the internet, but it opens every undocumented port: blocked by documented-ports-only.
const appNsg = new network.NetworkSecurityGroup("app-nsg", {
    resourceGroupName: rg.name,
    securityRules: [
        inbound({ name: "allow-app-from-web", priority: 100, protocol: "Tcp", ports: "8080", source: cidrs.web }),
        inbound({ name: "allow-vnet-any", priority: 200, protocol: "*", ports: "*", source: "VirtualNetwork" }),
    ],
    tags,
});

// ---------------------------------------------------------------------------------------------
// The virtual network: one subnet per tier, each with its NSG.
// ---------------------------------------------------------------------------------------------

const subnetNsgs: Record<keyof typeof cidrs, network.NetworkSecurityGroup> = {
    web: webNsg,
    app: appNsg,
    data: dataNsg,
    cache: cacheNsg,
    mgmt: mgmtNsg,
};

const vnet = new network.VirtualNetwork("main-vnet", {
    resourceGroupName: rg.name,
    addressSpace: { addressPrefixes: [vnetCidr] },
    subnets: (Object.keys(cidrs) as (keyof typeof cidrs)[]).map((tier) => ({
        name: `${tier}-subnet`,
        addressPrefix: cidrs[tier],
        networkSecurityGroup: { id: subnetNsgs[tier].id },
    })),
    tags,
});

export const resourceGroupName = rg.name;
export const vnetName = vnet.name;
export const webNsgId = webNsg.id;
