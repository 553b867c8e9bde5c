// azure-vnet-stack: a web front end, an orders API, its PostgreSQL machine and a bastion in one
// virtual network. Every subnet has its NSG; the web and database machines' NICs have their own.
//
// This is an example for the internal-ports policy pack's network graph (no-internet-path-to-
// internal-ports, documented-flows-reachable). Each NSG looks reasonable on its own; two of the
// paths through them (marked "MISTAKE") do not. See README.md for the expected findings.
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import * as inputs from "@pulumi/azure-native/types/input";

const config = new pulumi.Config();
/** The operations VPN's egress range: SSH to the bastion. */
const adminCidr = config.require("adminCidr");
/** The on-call VPN pool, a documented client of the database in ports.yaml. */
const vpnCidr = config.require("vpnCidr");
const adminUsername = config.require("adminUsername");
const sshPublicKey = config.require("sshPublicKey");

const tags = { project: pulumi.getProject(), stack: pulumi.getStack(), "managed-by": "pulumi" };

// Plain strings, so that every rule below is known at preview time.
const cidrs = { vnet: "10.30.0.0/16", web: "10.30.1.0/24", api: "10.30.2.0/24", db: "10.30.3.0/24", mgmt: "10.30.250.0/24" };

/** An inbound NSG rule from any source port to any address of the subnet or NIC. */
function allow(name: string, priority: number, ports: string, source: string): inputs.network.SecurityRuleArgs {
    return {
        name, priority, direction: network.SecurityRuleDirection.Inbound, access: network.SecurityRuleAccess.Allow, protocol: network.SecurityRuleProtocol.Tcp,
        sourcePortRange: "*", destinationPortRange: ports, sourceAddressPrefix: source, destinationAddressPrefix: "*",
    };
}

/** Everything else from inside the network is denied, instead of Azure's default AllowVnetInBound. */
function denyVnet(priority: number): inputs.network.SecurityRuleArgs {
    return {
        name: "deny-vnet-inbound", priority, direction: network.SecurityRuleDirection.Inbound, access: network.SecurityRuleAccess.Deny, protocol: network.SecurityRuleProtocol.Asterisk,
        sourcePortRange: "*", destinationPortRange: "*", sourceAddressPrefix: "VirtualNetwork", destinationAddressPrefix: "*",
    };
}

const rg = new resources.ResourceGroup("orders-rg", { tags });

function nsg(name: string, securityRules: inputs.network.SecurityRuleArgs[]): network.NetworkSecurityGroup {
    return new network.NetworkSecurityGroup(name, { resourceGroupName: rg.name, securityRules, tags });
}

// ---------------------------------------------------------------------------------------------
// Subnet NSGs.
// ---------------------------------------------------------------------------------------------

// web-nsg: HTTPS from the internet (443 is `public` in ports.yaml).
const webNsg = nsg("web-nsg", [allow("https-internet", 100, "443", "Internet")]);

// api-nsg: the orders API (app-http, 8080) for the web tier only.
const apiNsg = nsg("api-nsg", [allow("api-from-web", 100, "8080", cidrs.web), denyVnet(4000)]);

// db-nsg: PostgreSQL from the API subnet and the on-call VPN.
const dbNsg = nsg("db-nsg", [allow("postgres-from-api", 100, "5432", cidrs.api), allow("postgres-from-vpn", 110, "5432", vpnCidr), denyVnet(4000)]);

// mgmt-nsg: SSH to the bastion from the operations VPN...
// MISTAKE: ...and from "the vendor's support range", pasted as 0.0.0.0/1. A second rule for the
// other half, 128.0.0.0/1, was added later as its own SecurityRule resource (below). Neither rule is
// the internet on its own, so no-world-open-internal-ports, which judges each resource by itself,
// has nothing to say; together they admit every IPv4 address. no-internet-path-to-internal-ports
// follows the path: public IP, this NSG (both rules), no NIC NSG, the bastion: ssh is exposed.
const mgmtNsg = nsg("mgmt-nsg", [allow("ssh-admin", 100, "22", adminCidr), allow("ssh-vendor", 110, "22", "0.0.0.0/1")]);
new network.SecurityRule("ssh-vendor-more", {
    resourceGroupName: rg.name,
    networkSecurityGroupName: mgmtNsg.name,
    priority: 120,
    direction: network.SecurityRuleDirection.Inbound,
    access: network.SecurityRuleAccess.Allow,
    protocol: network.SecurityRuleProtocol.Tcp,
    sourcePortRange: "*",
    destinationPortRange: "22",
    sourceAddressPrefix: "128.0.0.0/1",
    destinationAddressPrefix: "*",
});

// ---------------------------------------------------------------------------------------------
// NIC NSGs: the web and database machines filter again at their own interfaces.
// ---------------------------------------------------------------------------------------------

const webNicNsg = nsg("web-nic-nsg", [allow("https-internet", 100, "443", "Internet")]);

// MISTAKE: the database NIC's rule was copied from the API's and still names the web subnet.
// db-nsg admits the API's subnet, this NSG does not: the API's requests die here.
// documented-flows-reachable reports `api-vm` → `db-vm` tcp 5432 blocked at NIC NSG `db-nic-nsg`.
const dbNicNsg = nsg("db-nic-nsg", [allow("postgres-from-app", 100, "5432", cidrs.web), allow("postgres-from-vpn", 110, "5432", vpnCidr), denyVnet(4000)]);

// ---------------------------------------------------------------------------------------------
// The network: one subnet per tier, each with its NSG (standalone Subnet resources, so that
// every NIC's subnet and every subnet's NSG is known by its dependencies in preview).
// ---------------------------------------------------------------------------------------------

const vnet = new network.VirtualNetwork("orders-vnet", {
    resourceGroupName: rg.name,
    addressSpace: { addressPrefixes: [cidrs.vnet] },
    tags,
}, { ignoreChanges: ["subnets"] });

function subnet(name: string, addressPrefix: string, group: network.NetworkSecurityGroup): network.Subnet {
    return new network.Subnet(name, { resourceGroupName: rg.name, virtualNetworkName: vnet.name, addressPrefix, networkSecurityGroup: { id: group.id } });
}
const subnets = {
    web: subnet("web-subnet", cidrs.web, webNsg),
    api: subnet("api-subnet", cidrs.api, apiNsg),
    db: subnet("db-subnet", cidrs.db, dbNsg),
    mgmt: subnet("mgmt-subnet", cidrs.mgmt, mgmtNsg),
};

// ---------------------------------------------------------------------------------------------
// Machines.
// ---------------------------------------------------------------------------------------------

function publicIp(name: string): network.PublicIPAddress {
    return new network.PublicIPAddress(name, {
        resourceGroupName: rg.name,
        sku: { name: network.PublicIPAddressSkuName.Standard },
        publicIPAllocationMethod: network.IPAllocationMethod.Static,
        tags,
    });
}

/** A Linux machine with one NIC; `service` is the ports.yaml service it runs (the `service` tag). */
function machine(name: string, service: string, at: network.Subnet, opts: { nsg?: network.NetworkSecurityGroup; ip?: network.PublicIPAddress; privateIp?: string } = {}): compute.VirtualMachine {
    const nic = new network.NetworkInterface(`${name}-nic`, {
        resourceGroupName: rg.name,
        ...(opts.nsg ? { networkSecurityGroup: { id: opts.nsg.id } } : {}),
        ipConfigurations: [{
            name: "ipconfig",
            subnet: { id: at.id },
            ...(opts.ip ? { publicIPAddress: { id: opts.ip.id } } : {}),
            ...(opts.privateIp
                ? { privateIPAllocationMethod: network.IPAllocationMethod.Static, privateIPAddress: opts.privateIp }
                : { privateIPAllocationMethod: network.IPAllocationMethod.Dynamic }),
        }],
        tags,
    });
    return new compute.VirtualMachine(name, {
        resourceGroupName: rg.name,
        hardwareProfile: { vmSize: "Standard_B2s" },
        networkProfile: { networkInterfaces: [{ id: nic.id, primary: true }] },
        osProfile: {
            computerName: name,
            adminUsername,
            linuxConfiguration: {
                disablePasswordAuthentication: true,
                ssh: { publicKeys: [{ path: `/home/${adminUsername}/.ssh/authorized_keys`, keyData: sshPublicKey }] },
            },
        },
        storageProfile: {
            imageReference: { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" },
            osDisk: { createOption: compute.DiskCreateOptionTypes.FromImage, managedDisk: { storageAccountType: compute.StorageAccountTypes.StandardSSD_LRS } },
        },
        tags: { ...tags, service },
    });
}

const web = machine("web-vm", "https", subnets.web, { nsg: webNicNsg, ip: publicIp("web-pip") });
const api = machine("api-vm", "app-http", subnets.api);
const db = machine("db-vm", "postgres", subnets.db, { nsg: dbNicNsg, privateIp: "10.30.3.10" });
const bastion = machine("bastion-vm", "ssh", subnets.mgmt, { ip: publicIp("bastion-pip") });

export const resourceGroupName = rg.name;
export const machines = [web.name, api.name, db.name, bastion.name];
