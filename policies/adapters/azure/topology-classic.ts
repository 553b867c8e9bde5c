// Azure classic provider (`azure:network`, `azure:compute`): the same roles as the native provider's
// topology (topology.ts), from the classic shapes: plain id strings (`subnetId`, `networkInterfaceIds`)
// and association resources that attach NSGs, application security groups and route tables.
import { Input } from "../support/input";
import { Adapter } from "../support/resource-builder";
import {
    AzureModel,
    inlineSubnetIds,
    only,
    peeringValues,
    prefixes,
    read,
    recordList,
    ROLE,
    routeRecords,
    PLACED_SCALE_SET_SUMMARY,
    SCALE_SET_SUMMARY,
    ScaleSetShape,
    scaleSetNic,
} from "./topology";

const C = "azure";

function machine(type: string): Adapter {
    return {
        provider: C,
        kind: "topology",
        types: [type],
        summary: "`networkInterfaceIds` (the machine's NICs), tags",
        normalise(props: Input) {
            const m = new AzureModel(C, ROLE.vm, props).identity("id", "name").tags(props.get("tags"));
            return m.eachOf(props.get("networkInterfaceIds"), ["nics"], (id) => m.link("nics", id)).build();
        },
    };
}

const CLASSIC_SCALE_SET: ScaleSetShape = {
    ref: (m, name, input) => m.link(name, input),
    nsg: "networkSecurityGroupId",
    subnet: "subnetId",
    asgs: "applicationSecurityGroupIds",
    pools: "loadBalancerBackendAddressPoolIds",
    natPools: "loadBalancerInboundNatRulesIds",
    publicIp: "publicIpAddresses",
    publicIpSku: (ip) => ip.get("skuName"),
    publicIpVersion: "version",
};

/** A scale set of the classic provider, placed from its one `networkInterfaces` entry; the legacy `ScaleSet` only for the advisory that its paths are not checked. */
function scaleSet(type: string, placed = true): Adapter {
    return {
        provider: C,
        kind: "topology",
        types: [type],
        summary: placed
            ? `${PLACED_SCALE_SET_SUMMARY} (\`networkInterfaces[]\`: \`networkSecurityGroupId\`, \`ipConfigurations[]\` \`subnetId\`, \`applicationSecurityGroupIds\`, \`loadBalancerBackendAddressPoolIds\`, \`loadBalancerInboundNatRulesIds\` (the NAT pools), \`publicIpAddresses\`)`
            : SCALE_SET_SUMMARY,
        normalise(props: Input) {
            const m = new AzureModel(C, ROLE.scaleSet, props).identity("id", "name").tags(props.get("tags"));
            return (placed ? scaleSetNic(m, props.get("networkInterfaces"), CLASSIC_SCALE_SET) : m).build();
        },
    };
}

/** An association resource: two links, each to one resource. */
export function association(type: string, role: string, summary: string, links: Record<string, string>): Adapter {
    return {
        provider: C,
        kind: "topology",
        types: [type],
        summary,
        normalise(props: Input) {
            const m = new AzureModel(C, role, props);
            for (const [name, property] of Object.entries(links)) m.link(name, props.get(property));
            return m.build();
        },
    };
}

export const azureClassicTopologyAdapters: Adapter[] = [
    machine("azure:compute/linuxVirtualMachine:LinuxVirtualMachine"),
    machine("azure:compute/windowsVirtualMachine:WindowsVirtualMachine"),
    machine("azure:compute/virtualMachine:VirtualMachine"),
    scaleSet("azure:compute/linuxVirtualMachineScaleSet:LinuxVirtualMachineScaleSet"),
    scaleSet("azure:compute/windowsVirtualMachineScaleSet:WindowsVirtualMachineScaleSet"),
    scaleSet("azure:compute/orchestratedVirtualMachineScaleSet:OrchestratedVirtualMachineScaleSet"),
    scaleSet("azure:compute/scaleSet:ScaleSet", false),
    {
        provider: C,
        kind: "topology",
        types: ["azure:network/networkInterface:NetworkInterface"],
        summary:
            "each `ipConfigurations[i]`: `subnetId`, `publicIpAddressId`, `privateIpAddress`; its NSG and application security groups come from the association resources",
        normalise(props) {
            const m = new AzureModel(C, ROLE.nic, props).identity("id", "name").tags(props.get("tags"));
            const list = props.get("ipConfigurations");
            m.eachOf(list, ["subnet", "publicIp"], (c) => {
                // Azure places every IPv4 configuration in a subnet: one left out is one not known yet.
                if (c.get("subnetId").missing) m.unknownLink("subnet", c);
                else m.link("subnet", c.get("subnetId"));
                m.link("publicIp", c.get("publicIpAddressId"));
            });
            return m
                .value(
                    "ipConfigurations",
                    recordList(list, (c) => only({ privateIp: read(c.get("privateIpAddress")) })),
                )
                .build();
        },
    },
    {
        provider: C,
        kind: "topology",
        types: ["azure:network/subnet:Subnet"],
        summary: "`virtualNetworkName`, `addressPrefixes`; its NSG and route table come from the association resources",
        normalise(props) {
            return new AzureModel(C, ROLE.subnet, props)
                .link("vnet", props.get("virtualNetworkName"))
                .value("name", read(props.get("name")))
                .value("resourceGroupName", read(props.get("resourceGroupName")))
                .value("addressPrefixes", prefixes(props.get("addressPrefix"), props.get("addressPrefixes")))
                .build();
        },
    },
    {
        provider: C,
        kind: "topology",
        types: ["azure:network/virtualNetwork:VirtualNetwork"],
        summary: "`addressSpaces`, inline `subnets` (name, `addressPrefixes`, `securityGroup`, `routeTableId`)",
        normalise(props) {
            const subnets = recordList(props.get("subnets"), (s) =>
                only({
                    name: read(s.get("name")),
                    id: read(s.get("id")),
                    addressPrefixes: prefixes(s.get("addressPrefix"), s.get("addressPrefixes")),
                    nsg: read(s.get("securityGroup")),
                    routeTable: read(s.get("routeTableId")),
                }),
            );
            return new AzureModel(C, ROLE.vnet, props)
                .identity("id", "name")
                .tags(props.get("tags"))
                .knownAs(inlineSubnetIds(subnets))
                .value("addressPrefixes", prefixes(props.get("addressSpaces")))
                .value("resourceGroupName", read(props.get("resourceGroupName")))
                .value("subnets", subnets)
                .build();
        },
    },
    {
        provider: C,
        kind: "topology",
        types: ["azure:network/virtualNetworkPeering:VirtualNetworkPeering"],
        summary:
            "`virtualNetworkName` and `remoteVirtualNetworkId` (traffic flows once both networks peer each other), `allowVirtualNetworkAccess`, `useRemoteGateways`, `allowGatewayTransit`",
        normalise(props) {
            return peeringValues(
                new AzureModel(C, ROLE.peering, props)
                    .link("vnet", props.get("virtualNetworkName"))
                    .link("remote", props.get("remoteVirtualNetworkId")),
                props,
            ).build();
        },
    },
    {
        provider: C,
        kind: "topology",
        types: ["azure:network/publicIp:PublicIp"],
        summary:
            "`sku` (when not given: Standard, unless `allocationMethod` is Dynamic, which only Basic allows; a Standard address admits only what an NSG allows), `ipVersion`",
        normalise(props) {
            return new AzureModel(C, ROLE.publicIp, props)
                .identity("id", "name")
                .tags(props.get("tags"))
                .value("sku", read(props.get("sku")))
                .value("version", read(props.get("ipVersion")))
                .value("allocation", read(props.get("allocationMethod")))
                .build();
        },
    },
    {
        provider: C,
        kind: "topology",
        types: ["azure:network/applicationSecurityGroup:ApplicationSecurityGroup"],
        summary: "its identity, for the NSG rules and associations that name it",
        normalise(props) {
            return new AzureModel(C, ROLE.asg, props).identity("id", "name").build();
        },
    },
    {
        provider: C,
        kind: "topology",
        types: ["azure:network/routeTable:RouteTable"],
        summary: "inline `routes` (`addressPrefix`, `nextHopType`), as the native route table",
        normalise(props) {
            return new AzureModel(C, ROLE.routeTable, props)
                .identity("id", "name")
                .value("routes", routeRecords(props.get("routes")))
                .build();
        },
    },
    {
        provider: C,
        kind: "topology",
        types: ["azure:network/route:Route"],
        summary: "`routeTableName`, `addressPrefix`, `nextHopType`, read with its route table",
        normalise(props) {
            return new AzureModel(C, ROLE.route, props)
                .link("routeTable", props.get("routeTableName"))
                .value("addressPrefix", read(props.get("addressPrefix")))
                .value("nextHopType", read(props.get("nextHopType")))
                .build();
        },
    },
    association(
        "azure:network/networkInterfaceSecurityGroupAssociation:NetworkInterfaceSecurityGroupAssociation",
        ROLE.nicNsg,
        "`networkInterfaceId` and `networkSecurityGroupId`: the NIC NSG",
        { nic: "networkInterfaceId", nsg: "networkSecurityGroupId" },
    ),
    association(
        "azure:network/subnetNetworkSecurityGroupAssociation:SubnetNetworkSecurityGroupAssociation",
        ROLE.subnetNsg,
        "`subnetId` and `networkSecurityGroupId`: the subnet NSG",
        { subnet: "subnetId", nsg: "networkSecurityGroupId" },
    ),
    association(
        "azure:network/networkInterfaceApplicationSecurityGroupAssociation:NetworkInterfaceApplicationSecurityGroupAssociation",
        ROLE.nicAsg,
        "`networkInterfaceId` and `applicationSecurityGroupId`: the NIC's application security group",
        { nic: "networkInterfaceId", asg: "applicationSecurityGroupId" },
    ),
    association(
        "azure:network/subnetRouteTableAssociation:SubnetRouteTableAssociation",
        ROLE.subnetRouteTable,
        "`subnetId` and `routeTableId`: the subnet's route table",
        { subnet: "subnetId", routeTable: "routeTableId" },
    ),
];
