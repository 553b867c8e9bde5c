// Azure flow logs record one NSG (or, for VNet flow logs, a network): `targetResourceId` on the
// native provider, `networkSecurityGroupId` on the classic one.
import { FlowLogCoverage } from "../../model/resources";
import { flowLog } from "../support/flow-log";
import { Adapter } from "../support/resource-builder";

export const AZURE_NATIVE_FLOW_LOGS: FlowLogCoverage = {
    through: "self",
    hint: 'add `new azure_native.network.FlowLog("<name>", { targetResourceId: <this NSG>.id, storageId, enabled: true, networkWatcherName, resourceGroupName })`',
};

export const AZURE_CLASSIC_FLOW_LOGS: FlowLogCoverage = {
    through: "self",
    hint: 'add `new azure.network.NetworkWatcherFlowLog("<name>", { networkSecurityGroupId: <this NSG>.id, storageAccountId, enabled: true, ... })`',
};

export const azureFlowLogAdapters: Adapter[] = [
    {
        provider: "azure-native",
        kind: "flow-log",
        types: ["azure-native:network:FlowLog"],
        typePattern: /^azure-native:network(\/v[0-9a-z]+)?:FlowLog$/,
        summary: "`targetResourceId`: the NSG the log records (for `public-ports-monitored`).",
        normalise: (props) => flowLog("azure-native", props, ["targetResourceId"]),
    },
    {
        provider: "azure",
        kind: "flow-log",
        types: ["azure:network/networkWatcherFlowLog:NetworkWatcherFlowLog"],
        summary: "`networkSecurityGroupId`: the NSG the log records (for `public-ports-monitored`).",
        normalise: (props) => flowLog("azure", props, ["networkSecurityGroupId"]),
    },
];
