// azure-classic-stack: web, app, data and management subnets in one virtual network, written with
// the classic Azure provider (`@pulumi/azure`), as many stacks migrated from Terraform still are.
//
// This is an example for the internal-ports policy pack. Most NSG rules below are what a careful
// team writes; a few (marked "MISTAKE") are the kind of change that slips through review and that
// the pack must block. See README.md for the expected findings.
import * as pulumi from "@pulumi/pulumi";
import * as azure from "@pulumi/azure";
import * as inputs from "@pulumi/azure/types/input";

const config = new pulumi.Config();
/** The operations VPN's range: the only source allowed to SSH to the jump hosts. */
const adminCidr = config.require("adminCidr");
const vnetCidr = config.get("vnetCidr") ?? "10.30.0.0/16";

const tags = { project: pulumi.getProject(), stack: pulumi.getStack(), "managed-by": "pulumi" };

/** The /24 with the given third octet inside the VNet's /16 (10.30.0.0/16, 2 -> 10.30.2.0/24). */
function subnetCidr(thirdOctet: number): string {
    const [a, b] = vnetCidr.split("/")[0].split(".");
    return `${a}.${b}.${thirdOctet}.0/24`;
}

// Plain strings, so the NSG rules that use them are known at preview time.
const cidrs = { web: subnetCidr(1), app: subnetCidr(2), data: subnetCidr(3), mgmt: subnetCidr(250) };

const rg = new azure.core.ResourceGroup("network-rg", { tags });
const location = rg.location;

type Rule = inputs.network.NetworkSecurityGroupSecurityRule;

/** An inbound rule from any source port to any destination in the subnet. */
function inbound(name: string, priority: number, protocol: string, ports: string | string[], source: string | string[], access = "Allow"): Rule {
    return {
        name,
        priority,
        direction: "Inbound",
        access,
        protocol,
        sourcePortRange: "*",
        ...(Array.isArray(ports) ? { destinationPortRanges: ports } : { destinationPortRange: ports }),
        ...(Array.isArray(source) ? { sourceAddressPrefixes: source } : { sourceAddressPrefix: source }),
        destinationAddressPrefix: "*",
    };
}

function nsg(name: string, securityRules?: pulumi.Input<Rule>[]): azure.network.NetworkSecurityGroup {
    return new azure.network.NetworkSecurityGroup(name, { resourceGroupName: rg.name, location, securityRules, tags });
}

// The app servers' network interfaces join this group; rules can name it instead of addresses.
const appAsg = new azure.network.ApplicationSecurityGroup("app-asg", { resourceGroupName: rg.name, location, tags });

// ---------------------------------------------------------------------------------------------
// Compliant NSGs.
// ---------------------------------------------------------------------------------------------

// web-nsg: HTTPS from the internet, HTTP (redirect) from anywhere, everything else denied. 80 and
// 443 are `public` in ports.yaml; the NSG flow log below records who uses them.
const webNsg = nsg("web-nsg", [
    inbound("allow-https-internet", 100, "Tcp", "443", "Internet"),
    inbound("allow-http-any", 110, "Tcp", "80", "*"),
    inbound("deny-all-inbound", 4000, "*", "*", "*", "Deny"),
]);

// app-nsg: the app tier takes 8080 from the web subnet, and the health probes of the load balancer.
const appNsg = nsg("app-nsg", [
    inbound("allow-app-from-web", 100, "Tcp", "8080", cidrs.web),
    inbound("allow-lb-probes", 110, "Tcp", "8080", "AzureLoadBalancer"),
]);

// data-nsg: PostgreSQL from the app servers' application security group only, with a guard-rail
// deny for the internet first.
const dataNsg = nsg("data-nsg", [
    inbound("deny-postgres-internet", 100, "Tcp", "5432", "Internet", "Deny"),
    {
        name: "allow-postgres-app",
        priority: 200,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourcePortRange: "*",
        destinationPortRange: "5432",
        sourceApplicationSecurityGroupIds: [appAsg.id],
        destinationAddressPrefix: "*",
    },
]);

// ---------------------------------------------------------------------------------------------
// Non-compliant NSGs: realistic mistakes the policy pack must block.
// ---------------------------------------------------------------------------------------------

// mgmt-nsg: SSH from the admin VPN is fine.
// MISTAKE: RDP from "*" (anyone on the internet), "until the VPN client works on the new laptops".
// Blocked by no-world-open-internal-ports (rdp 3389/tcp is internal).
const mgmtNsg = nsg("mgmt-nsg", [
    inbound("allow-ssh-admin", 100, "Tcp", "22", adminCidr),
    inbound("allow-rdp", 110, "Tcp", "3389", "*"),
]);

// jump-nsg: managed through standalone NetworkSecurityRule resources (the classic provider does not
// allow inline rules and rule resources on the same NSG).
const jumpNsg = nsg("jump-nsg");
new azure.network.NetworkSecurityRule("jump-ssh", {
    resourceGroupName: rg.name,
    networkSecurityGroupName: jumpNsg.name,
    priority: 100,
    direction: "Inbound",
    access: "Allow",
    protocol: "Tcp",
    sourcePortRange: "*",
    destinationPortRange: "22",
    sourceAddressPrefix: adminCidr,
    destinationAddressPrefix: "*",
});
// MISTAKE: WinRM (5985 HTTP, 5986 HTTPS) from the whole VNet for a configuration tool. Not the
// internet, but no service in ports.yaml documents those ports. Blocked by documented-ports-only.
new azure.network.NetworkSecurityRule("jump-winrm", {
    resourceGroupName: rg.name,
    networkSecurityGroupName: jumpNsg.name,
    priority: 110,
    direction: "Inbound",
    access: "Allow",
    protocol: "Tcp",
    sourcePortRange: "*",
    destinationPortRanges: ["5985", "5986"],
    sourceAddressPrefix: "VirtualNetwork",
    destinationAddressPrefix: "*",
});

// ---------------------------------------------------------------------------------------------
// The virtual network: one subnet per tier, each with its NSG; a flow log on the public NSG.
// ---------------------------------------------------------------------------------------------

const vnet = new azure.network.VirtualNetwork("main-vnet", { resourceGroupName: rg.name, location, addressSpaces: [vnetCidr], tags });
const subnetNsgs: Record<keyof typeof cidrs, azure.network.NetworkSecurityGroup> = { web: webNsg, app: appNsg, data: dataNsg, mgmt: mgmtNsg };
for (const tier of Object.keys(cidrs) as (keyof typeof cidrs)[]) {
    const subnet = new azure.network.Subnet(`${tier}-subnet`, {
        resourceGroupName: rg.name,
        virtualNetworkName: vnet.name,
        addressPrefixes: [cidrs[tier]],
    });
    new azure.network.SubnetNetworkSecurityGroupAssociation(`${tier}-subnet-nsg`, { subnetId: subnet.id, networkSecurityGroupId: subnetNsgs[tier].id });
}
const jumpSubnet = new azure.network.Subnet("jump-subnet", { resourceGroupName: rg.name, virtualNetworkName: vnet.name, addressPrefixes: [subnetCidr(251)] });
new azure.network.SubnetNetworkSecurityGroupAssociation("jump-subnet-nsg", { subnetId: jumpSubnet.id, networkSecurityGroupId: jumpNsg.id });

const watcher = new azure.network.NetworkWatcher("watcher", { resourceGroupName: rg.name, location, tags });
const flowLogs = new azure.storage.Account("flowlogs", { resourceGroupName: rg.name, location, accountTier: "Standard", accountReplicationType: "LRS", tags });
new azure.network.NetworkWatcherFlowLog("web-nsg-flow-log", {
    resourceGroupName: rg.name,
    networkWatcherName: watcher.name,
    networkSecurityGroupId: webNsg.id,
    storageAccountId: flowLogs.id,
    enabled: true,
    version: 2,
    retentionPolicy: { enabled: true, days: 30 },
    tags,
});

export const vnetName = vnet.name;
