import { PolicyCase as Case, T, UNKNOWN, urnOf, nsgInbound } from "../helpers";

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

export const valid: Case[] = [
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
];
