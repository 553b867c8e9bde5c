// Azure flow logs record one NSG (or, for VNet flow logs, a virtual network, and so every NSG on
// its subnets and NICs: graph.ts flowLogScopes; Azure no longer creates NSG flow logs): `targetResourceId` on the
// native provider; on the classic one `targetResourceId` too (azurerm 4), or the deprecated
// `networkSecurityGroupId`. A log written `enabled: false` records nothing.
import { FlowLogCoverage } from "../../model/resources";
import { flowLog } from "../support/flow-log";
import { Input } from "../support/input";
import { Adapter } from "../support/resource-builder";

export const AZURE_NATIVE_FLOW_LOGS: FlowLogCoverage = {
    through: "self",
    hint: 'add a VNet flow log on the virtual network this NSG filters, `new azure_native.network.FlowLog("<name>", { targetResourceId: <the virtual network>.id, storageId, enabled: true, networkWatcherName, resourceGroupName })` (Azure no longer creates NSG flow logs)',
};

export const AZURE_CLASSIC_FLOW_LOGS: FlowLogCoverage = {
    through: "self",
    hint: 'add a VNet flow log on the virtual network this NSG filters, `new azure.network.NetworkWatcherFlowLog("<name>", { targetResourceId: <the virtual network>.id, storageAccountId, enabled: true, ... })` (Azure no longer creates NSG flow logs)',
};

/** Unless `enabled` is written false: the classic provider requires it, the native one defaults it on. */
const enabledOf = (props: Input): boolean => props.get("enabled").value !== false;

export const azureFlowLogAdapters: Adapter[] = [
    {
        provider: "azure-native",
        kind: "flow-log",
        types: ["azure-native:network:FlowLog"],
        typePattern: /^azure-native:network(\/v[0-9a-z]+)?:FlowLog$/,
        summary:
            "`targetResourceId`: the NSG or virtual network the log records (for `public-ports-monitored`); `enabled: false` records nothing.",
        normalise: (props) => flowLog("azure-native", props, ["targetResourceId"], enabledOf(props)),
    },
    {
        provider: "azure",
        kind: "flow-log",
        types: ["azure:network/networkWatcherFlowLog:NetworkWatcherFlowLog"],
        summary:
            "`targetResourceId` (azurerm 4) or the deprecated `networkSecurityGroupId`: the NSG or virtual network the log records (for `public-ports-monitored`); " +
            "`enabled: false` records nothing.",
        normalise: (props) => flowLog("azure", props, ["targetResourceId", "networkSecurityGroupId"], enabledOf(props)),
    },
];
