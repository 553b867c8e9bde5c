import { PolicyCase as Case, T, UNKNOWN, urnOf, nsgInbound } from "../helpers";
import { AZ, azure, idOf, inbound, Spec } from "./providers/azure-graph.cases";

const VPC = "aws:ec2/vpc:Vpc";
const FLOW = "aws:ec2/flowLog:FlowLog";
const web = {
    type: T.sg,
    name: "web",
    props: { vpcId: "vpc-1", ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] },
    propertyDependencies: { vpcId: [urnOf(VPC, "main")] },
};
const vpc = { type: VPC, name: "main", props: { cidrBlock: "10.0.0.0/16" } };
const nsg = {
    type: T.nsg,
    name: "web-nsg",
    props: {
        securityRules: [nsgInbound({ destinationPortRange: "443", sourceAddressPrefix: "Internet" })],
    },
};
const AZ_FLOW = "azure-native:network:FlowLog";
const AZ_CLASSIC_NSG = "azure:network/networkSecurityGroup:NetworkSecurityGroup";
const AZ_CLASSIC_FLOW = "azure:network/networkWatcherFlowLog:NetworkWatcherFlowLog";
const classicNsg = {
    type: AZ_CLASSIC_NSG,
    name: "web-nsg",
    props: {
        resourceGroupName: "rg",
        securityRules: [
            {
                name: "https",
                priority: 100,
                direction: "Inbound",
                access: "Allow",
                protocol: "Tcp",
                sourcePortRange: "*",
                destinationPortRange: "443",
                sourceAddressPrefix: "Internet",
                destinationAddressPrefix: "*",
            },
        ],
    },
};

/** A machine in subnet `web` of `vnet`, its public port 443 opened by the subnet's NSG (or the NIC's), and a VNet flow log on `logged`. */
const vnetFlowLog = (mode: "preview" | "update", on: "subnet" | "nic", logged: string, enabled = true): Case["resources"] => {
    const spec: Spec = {
        vnets: [
            { name: "vnet", space: ["10.0.0.0/16"] },
            { name: "other", space: ["10.1.0.0/16"] },
        ],
        subnets: [{ name: "web", vnet: "vnet", prefix: "10.0.1.0/24", ...(on === "subnet" ? { nsg: "web-nsg" } : {}) }],
        nsgs: [{ name: "web-nsg", rules: [inbound(100, "Allow", "443", "Internet")] }],
        vms: [{ name: "web", subnet: "web", ...(on === "nic" ? { nsg: "web-nsg" } : {}) }],
    };
    return [
        ...azure(mode, spec),
        {
            type: AZ_FLOW,
            name: "vnet-fl",
            props: { targetResourceId: mode === "update" ? idOf(AZ.vnet, logged) : UNKNOWN, enabled },
            propertyDependencies: { targetResourceId: [urnOf(AZ.vnet, logged)] },
        },
    ];
};
const MODES = ["preview", "update"] as const;

export const valid: Case[] = [
    // Azure no longer creates NSG flow logs: a VNet flow log records every NSG on the network's subnets and NICs.
    ...MODES.flatMap((mode) =>
        (["subnet", "nic"] as const).map((on) => ({
            name: `Azure: a VNet flow log on the network the ${on === "subnet" ? "subnet" : "NIC"} NSG filters (${mode})`,
            resources: vnetFlowLog(mode, on, "vnet"),
        })),
    ),
    {
        name: "AWS: a flow log on the group's VPC (property dependencies)",
        resources: [
            vpc,
            web,
            {
                type: FLOW,
                name: "fl",
                props: { vpcId: UNKNOWN, trafficType: "ALL" },
                propertyDependencies: { vpcId: [urnOf(VPC, "main")] },
            },
        ],
    },
    {
        name: "AWS: a flow log on the same VPC id",
        resources: [
            { ...web, propertyDependencies: {} },
            { type: FLOW, name: "fl", props: { vpcId: "vpc-1" } },
        ],
    },
    {
        name: "AWS: internal-only groups need no flow log",
        resources: [
            vpc,
            { ...web, props: { vpcId: "vpc-1", ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/8"] }] } },
        ],
    },
    {
        name: "Azure: an NSG flow log targeting the NSG",
        resources: [
            nsg,
            {
                type: AZ_FLOW,
                name: "nsg-fl",
                props: { targetResourceId: UNKNOWN, enabled: true },
                propertyDependencies: { targetResourceId: [urnOf(T.nsg, "web-nsg")] },
            },
        ],
    },
    ...(["networkSecurityGroupId", "targetResourceId"] as const).map((input) => ({
        // azurerm 4 (`@pulumi/azure` 6) supersedes `networkSecurityGroupId` with `targetResourceId`.
        name: `Azure classic: a NetworkWatcherFlowLog naming the NSG by \`${input}\``,
        resources: [
            classicNsg,
            {
                type: AZ_CLASSIC_FLOW,
                name: "nsg-fl",
                props: { [input]: UNKNOWN, enabled: true, storageAccountId: "sa", networkWatcherName: "nw", resourceGroupName: "rg" },
                propertyDependencies: { [input]: [urnOf(AZ_CLASSIC_NSG, "web-nsg")] },
            },
        ],
    })),
];

export const invalid: Case[] = [
    {
        name: "AWS: a public port without a flow log",
        resources: [vpc, web],
        advisories: [["unmonitored", null, { ports: "tcp 443 (https)", where: "" }, "fixFlowLog"]],
    },
    {
        name: "AWS: a flow log on another VPC does not count",
        resources: [vpc, web, { type: FLOW, name: "fl", props: { vpcId: "vpc-2" } }],
        advisories: [["unmonitored", null, { ports: "tcp 443 (https)", where: "" }, "fixFlowLog"]],
    },
    {
        name: "AWS: a standalone rule is judged through its group",
        resources: [
            vpc,
            { ...web, props: { vpcId: "vpc-1", ingress: [] } },
            {
                type: T.sgRule,
                name: "open-https",
                props: { type: "ingress", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], securityGroupId: "sg-9" },
                propertyDependencies: { securityGroupId: [urnOf(T.sg, "web")] },
            },
        ],
        advisories: [["unmonitored", null, { ports: "tcp 443 (https)", where: "" }, "fixFlowLog"]],
    },
    {
        name: "Azure: an NSG without a flow log",
        resources: [nsg],
        advisories: [["unmonitored", null, { ports: "tcp 443 (https)", where: "" }, "fixFlowLog"]],
    },
    {
        name: "Azure classic: an NSG without a flow log",
        resources: [classicNsg],
        advisories: [["unmonitored", null, { ports: "tcp 443 (https)", where: "" }, "fixFlowLog"]],
    },
    {
        name: "Azure: a flow log on the NSG written enabled: false records nothing",
        resources: [
            nsg,
            {
                type: AZ_FLOW,
                name: "nsg-fl",
                props: { targetResourceId: UNKNOWN, enabled: false },
                propertyDependencies: { targetResourceId: [urnOf(T.nsg, "web-nsg")] },
            },
        ],
        advisories: [["unmonitored", null, { ports: "tcp 443 (https)", where: "" }, "fixFlowLog"]],
    },
    ...MODES.flatMap((mode) => [
        {
            name: `Azure: a VNet flow log on another network does not count (${mode})`,
            resources: vnetFlowLog(mode, "subnet", "other"),
            advisories: [["unmonitored", null, { ports: "tcp 443 (https)", where: "" }, "fixFlowLog"]] as Case["advisories"],
        },
        {
            name: `Azure: a VNet flow log written enabled: false does not count (${mode})`,
            resources: vnetFlowLog(mode, "nic", "vnet", false),
            advisories: [["unmonitored", null, { ports: "tcp 443 (https)", where: "" }, "fixFlowLog"]] as Case["advisories"],
        },
    ]),
];
