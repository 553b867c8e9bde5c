// The Azure topology adapters (native and classic): what each resource tells the graph assembler,
// as the engine sends it in preview (ids unknown) and in update (ids known).
import { UNKNOWN } from "../helpers";
import { junkInputTest, linkLiterals, TopologyRow, topologyRowTests } from "./topology-rows";

const SUB = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network";
const id = (kind: string, name: string) => `${SUB}/${kind}/${name}`;

const rows: TopologyRow[] = [
    {
        name: "native VM: its NICs by id, tags",
        type: "azure-native:compute:VirtualMachine",
        props: {
            id: id("virtualMachines", "web"),
            name: "web",
            tags: { service: "web" },
            networkProfile: { networkInterfaces: [{ id: id("networkInterfaces", "web-nic"), primary: true }, { id: UNKNOWN }] },
        },
        role: "azure:vm",
        links: [`nics: ${id("networkInterfaces", "web-nic")}`, "nics: ?networkProfile"],
        identity: [id("virtualMachines", "web"), "web"],
        tags: { service: "web" },
    },
    {
        name: "native VM in preview: an unknown network profile; NICs it creates itself are flagged",
        type: "azure-native:compute:VirtualMachine",
        props: { networkProfile: UNKNOWN },
        role: "azure:vm",
        links: ["nics: ?networkProfile"],
    },
    {
        name: "native VM with networkInterfaceConfigurations",
        type: "azure-native:compute:VirtualMachine",
        props: { networkProfile: { networkApiVersion: "2020-11-01", networkInterfaceConfigurations: [{ name: "cfg" }] } },
        role: "azure:vm",
        values: { nicConfigurations: true },
    },
    {
        name: "a versioned compute token",
        type: "azure-native:compute/v20230301:VirtualMachine",
        props: { networkProfile: { networkInterfaces: [{ id: "nic-1" }] } },
        role: "azure:vm",
        links: ["nics: nic-1"],
    },
    {
        name: "native NIC in update: NSG, subnet, public IP, ASGs, private address",
        type: "azure-native:network:NetworkInterface",
        props: {
            id: id("networkInterfaces", "web-nic"),
            name: "web-nic",
            networkSecurityGroup: { id: id("networkSecurityGroups", "web-nic-nsg") },
            ipConfigurations: [
                {
                    name: "ipcfg",
                    subnet: { id: id("virtualNetworks/vnet/subnets", "web") },
                    publicIPAddress: { id: id("publicIPAddresses", "web-pip") },
                    applicationSecurityGroups: [{ id: id("applicationSecurityGroups", "web-asg") }],
                    privateIPAddress: "10.0.1.4",
                },
            ],
        },
        role: "azure:nic",
        links: [
            `nsg: ${id("networkSecurityGroups", "web-nic-nsg")}`,
            `subnet: ${id("virtualNetworks/vnet/subnets", "web")}`,
            `publicIp: ${id("publicIPAddresses", "web-pip")}`,
            `asgs: ${id("applicationSecurityGroups", "web-asg")}`,
        ],
        values: { ipConfigurations: [{ privateIp: "10.0.1.4" }] },
        identity: [id("networkInterfaces", "web-nic"), "web-nic"],
    },
    {
        name: "native NIC in preview: unknown ids link through their top-level property; an inline subnet object names itself",
        type: "azure-native:network:NetworkInterface",
        props: {
            networkSecurityGroup: { id: UNKNOWN },
            ipConfigurations: [
                {
                    name: "ipcfg",
                    subnet: { name: "default", addressPrefix: "10.0.1.0/24" },
                    publicIPAddress: { id: UNKNOWN },
                    applicationSecurityGroups: UNKNOWN,
                },
            ],
        },
        role: "azure:nic",
        links: ["nsg: ?networkSecurityGroup", "subnet: ?ipConfigurations", "publicIp: ?ipConfigurations", "asgs: ?ipConfigurations"],
        values: { ipConfigurations: [{ subnetName: "default", subnetPrefixes: ["10.0.1.0/24"] }] },
    },
    {
        name: "native NIC whose ip configuration leaves the subnet out (a mock preview of `vnet.subnets[0].id`): an unknown link, never none",
        type: "azure-native:network:NetworkInterface",
        props: { ipConfigurations: [{ name: "ipcfg", privateIPAllocationMethod: "Dynamic" }] },
        role: "azure:nic",
        links: ["subnet: ?ipConfigurations"],
    },
    {
        name: "native NIC with an unknown ipConfigurations list",
        type: "azure-native:network:NetworkInterface",
        props: { ipConfigurations: UNKNOWN },
        role: "azure:nic",
        links: ["subnet: ?ipConfigurations", "publicIp: ?ipConfigurations", "asgs: ?ipConfigurations"],
        values: { ipConfigurations: { unknown: "ipConfigurations" } },
    },
    {
        name: "native NIC with malformed inputs: an unreadable reference is an unknown link (never no NSG), an unreadable list links nothing; no crash",
        type: "azure-native:network:NetworkInterface",
        props: { networkSecurityGroup: 7, ipConfigurations: { subnet: "x" } },
        role: "azure:nic",
        links: ["nsg: ?networkSecurityGroup"],
    },
    {
        name: "native standalone subnet: its network by name, NSG, route table, prefixes",
        type: "azure-native:network:Subnet",
        props: {
            id: id("virtualNetworks/vnet/subnets", "db"),
            subnetName: "db",
            virtualNetworkName: "vnet",
            resourceGroupName: "rg",
            addressPrefix: "10.0.2.0/24",
            networkSecurityGroup: { id: UNKNOWN },
            routeTable: { id: id("routeTables", "rt") },
        },
        role: "azure:subnet",
        links: ["vnet: vnet", "nsg: ?networkSecurityGroup", `routeTable: ${id("routeTables", "rt")}`],
        values: { name: "db", resourceGroupName: "rg", addressPrefixes: ["10.0.2.0/24"] },
        identity: [id("virtualNetworks/vnet/subnets", "db")],
    },
    {
        name: "native subnet: addressPrefixes, and an unknown prefix",
        type: "azure-native:network:Subnet",
        props: { virtualNetworkName: UNKNOWN, addressPrefixes: ["10.0.3.0/24", UNKNOWN] },
        role: "azure:subnet",
        links: ["vnet: ?virtualNetworkName"],
        values: { addressPrefixes: { unknown: "addressPrefixes[1]" } },
    },
    {
        name: "native VNet: address space, inline subnets with their NSGs, inline peerings; inline subnet ids identify it",
        type: "azure-native:network:VirtualNetwork",
        props: {
            id: id("virtualNetworks", "vnet"),
            name: "vnet",
            addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
            subnets: [
                {
                    name: "web",
                    id: id("virtualNetworks/vnet/subnets", "web"),
                    addressPrefix: "10.0.1.0/24",
                    networkSecurityGroup: { id: UNKNOWN },
                },
                { name: "GatewaySubnet", addressPrefixes: ["10.0.255.0/27"] },
            ],
            virtualNetworkPeerings: [{ remoteVirtualNetwork: { id: UNKNOWN }, allowVirtualNetworkAccess: true, useRemoteGateways: false }],
        },
        role: "azure:vnet",
        identity: [id("virtualNetworks", "vnet"), "vnet", id("virtualNetworks/vnet/subnets", "web")],
        values: {
            addressPrefixes: ["10.0.0.0/16"],
            subnets: [
                {
                    name: "web",
                    id: id("virtualNetworks/vnet/subnets", "web"),
                    addressPrefixes: ["10.0.1.0/24"],
                    nsg: { unknown: "subnets[0].networkSecurityGroup.id" },
                },
                { name: "GatewaySubnet", addressPrefixes: ["10.0.255.0/27"] },
            ],
            peerings: [
                {
                    remote: { unknown: "virtualNetworkPeerings[0].remoteVirtualNetwork.id" },
                    allowVirtualNetworkAccess: true,
                    useRemoteGateways: false,
                },
            ],
        },
    },
    {
        name: "native VNet with empty outputs (provider configuration unknown in preview)",
        type: "azure-native:network:VirtualNetwork",
        props: {},
        role: "azure:vnet",
        empty: true,
    },
    {
        name: "native peering",
        type: "azure-native:network:VirtualNetworkPeering",
        props: {
            virtualNetworkName: "hub",
            remoteVirtualNetwork: { id: id("virtualNetworks", "spoke") },
            allowVirtualNetworkAccess: false,
            useRemoteGateways: UNKNOWN,
        },
        role: "azure:peering",
        links: ["vnet: hub", `remote: ${id("virtualNetworks", "spoke")}`],
        values: { allowVirtualNetworkAccess: false, useRemoteGateways: { unknown: "useRemoteGateways" } },
    },
    {
        name: "native public IP: SKU and version",
        type: "azure-native:network:PublicIPAddress",
        props: { id: id("publicIPAddresses", "pip"), sku: { name: "Basic" }, publicIPAddressVersion: "IPv6" },
        role: "azure:public-ip",
        values: { sku: "Basic", version: "IPv6" },
        identity: [id("publicIPAddresses", "pip")],
    },
    {
        name: "native public IP without a SKU: left to the assembler's default",
        type: "azure-native:network/v20230901:PublicIPAddress",
        props: { publicIPAllocationMethod: "Static" },
        role: "azure:public-ip",
        values: { allocation: "Static" },
    },
    {
        name: "native route table and route",
        type: "azure-native:network:RouteTable",
        props: {
            routeTableName: "rt",
            routes: [{ name: "to-fw", addressPrefix: "10.0.0.0/16", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.9.4" }],
        },
        role: "azure:route-table",
        identity: ["rt"],
        values: { routes: [{ addressPrefix: "10.0.0.0/16", nextHopType: "VirtualAppliance" }] },
    },
    {
        name: "native standalone route",
        type: "azure-native:network:Route",
        props: { routeTableName: UNKNOWN, addressPrefix: "0.0.0.0/0", nextHopType: "Internet" },
        role: "azure:route",
        links: ["routeTable: ?routeTableName"],
        values: { addressPrefix: "0.0.0.0/0", nextHopType: "Internet" },
    },
    {
        name: "native application security group",
        type: "azure-native:network:ApplicationSecurityGroup",
        props: { id: id("applicationSecurityGroups", "web-asg"), name: "web-asg" },
        role: "azure:asg",
        identity: [id("applicationSecurityGroups", "web-asg"), "web-asg"],
    },
    {
        name: "classic Linux VM: networkInterfaceIds",
        type: "azure:compute/linuxVirtualMachine:LinuxVirtualMachine",
        props: {
            id: id("virtualMachines", "db"),
            networkInterfaceIds: [id("networkInterfaces", "db-nic"), UNKNOWN],
            tags: { service: "postgres" },
        },
        role: "azure:vm",
        links: [`nics: ${id("networkInterfaces", "db-nic")}`, "nics: ?networkInterfaceIds"],
        identity: [id("virtualMachines", "db")],
        tags: { service: "postgres" },
    },
    {
        name: "classic Windows VM in preview",
        type: "azure:compute/windowsVirtualMachine:WindowsVirtualMachine",
        props: { networkInterfaceIds: UNKNOWN },
        role: "azure:vm",
        links: ["nics: ?networkInterfaceIds"],
    },
    {
        name: "classic NIC: subnetId, publicIpAddressId, privateIpAddress",
        type: "azure:network/networkInterface:NetworkInterface",
        props: {
            ipConfigurations: [
                {
                    name: "internal",
                    subnetId: UNKNOWN,
                    publicIpAddressId: id("publicIPAddresses", "pip"),
                    privateIpAddressAllocation: "Static",
                    privateIpAddress: "10.0.2.10",
                },
            ],
        },
        role: "azure:nic",
        links: ["subnet: ?ipConfigurations", `publicIp: ${id("publicIPAddresses", "pip")}`],
        values: { ipConfigurations: [{ privateIp: "10.0.2.10" }] },
    },
    {
        name: "classic subnet and VNet with an inline subnet",
        type: "azure:network/virtualNetwork:VirtualNetwork",
        props: {
            name: "vnet",
            addressSpaces: ["10.1.0.0/16"],
            subnets: [
                {
                    name: "app",
                    addressPrefixes: ["10.1.1.0/24"],
                    securityGroup: id("networkSecurityGroups", "app-nsg"),
                    id: id("virtualNetworks/vnet/subnets", "app"),
                },
            ],
        },
        role: "azure:vnet",
        identity: ["vnet", id("virtualNetworks/vnet/subnets", "app")],
        values: {
            addressPrefixes: ["10.1.0.0/16"],
            subnets: [
                {
                    name: "app",
                    id: id("virtualNetworks/vnet/subnets", "app"),
                    addressPrefixes: ["10.1.1.0/24"],
                    nsg: id("networkSecurityGroups", "app-nsg"),
                },
            ],
        },
    },
    {
        name: "classic standalone subnet",
        type: "azure:network/subnet:Subnet",
        props: { name: "db", virtualNetworkName: "vnet", resourceGroupName: "rg", addressPrefixes: ["10.1.2.0/24"] },
        role: "azure:subnet",
        links: ["vnet: vnet"],
        values: { name: "db", resourceGroupName: "rg", addressPrefixes: ["10.1.2.0/24"] },
    },
    {
        name: "classic public IP: sku string, ipVersion",
        type: "azure:network/publicIp:PublicIp",
        props: { sku: "Basic", ipVersion: "IPv4", allocationMethod: "Static" },
        role: "azure:public-ip",
        values: { sku: "Basic", version: "IPv4", allocation: "Static" },
    },
    {
        name: "classic NIC without subnetId: an unknown link",
        type: "azure:network/networkInterface:NetworkInterface",
        props: { ipConfigurations: [{ name: "internal", privateIpAddressAllocation: "Dynamic" }] },
        role: "azure:nic",
        links: ["subnet: ?ipConfigurations"],
    },
    {
        name: "classic NSG associations: NIC and subnet",
        type: "azure:network/networkInterfaceSecurityGroupAssociation:NetworkInterfaceSecurityGroupAssociation",
        props: { networkInterfaceId: UNKNOWN, networkSecurityGroupId: id("networkSecurityGroups", "nsg") },
        role: "azure:nic-nsg",
        links: ["nic: ?networkInterfaceId", `nsg: ${id("networkSecurityGroups", "nsg")}`],
    },
    {
        name: "classic subnet NSG association",
        type: "azure:network/subnetNetworkSecurityGroupAssociation:SubnetNetworkSecurityGroupAssociation",
        props: { subnetId: "s-1", networkSecurityGroupId: UNKNOWN },
        role: "azure:subnet-nsg",
        links: ["subnet: s-1", "nsg: ?networkSecurityGroupId"],
    },
    {
        name: "classic NIC application security group association",
        type: "azure:network/networkInterfaceApplicationSecurityGroupAssociation:NetworkInterfaceApplicationSecurityGroupAssociation",
        props: { networkInterfaceId: "n-1", applicationSecurityGroupId: "a-1" },
        role: "azure:nic-asg",
        links: ["nic: n-1", "asg: a-1"],
    },
    {
        name: "classic subnet route table association and peering",
        type: "azure:network/subnetRouteTableAssociation:SubnetRouteTableAssociation",
        props: { subnetId: "s-1", routeTableId: "rt-1" },
        role: "azure:subnet-route-table",
        links: ["subnet: s-1", "routeTable: rt-1"],
    },
    {
        name: "classic peering",
        type: "azure:network/virtualNetworkPeering:VirtualNetworkPeering",
        props: { virtualNetworkName: "a", remoteVirtualNetworkId: UNKNOWN, allowGatewayTransit: true },
        role: "azure:peering",
        links: ["vnet: a", "remote: ?remoteVirtualNetworkId"],
        values: { allowGatewayTransit: true },
    },
];

describe("Azure topology adapters", () => {
    topologyRowTests(rows, {
        provider: (type) => (type.startsWith("azure-native:") ? "azure-native" : "azure"),
        values: "listed",
        links: linkLiterals,
    });
    junkInputTest(rows);
});
