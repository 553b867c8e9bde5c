// Flow-log resources and what they cover, per provider: the provider knowledge public-ports-monitored needs.
import { isUnknownValue } from "./support/input";

export interface FlowLogKind {
    /** Type tokens (and versioned-token pattern) of the flow-log resource. */
    types: readonly string[];
    typePattern?: RegExp;
    /** Inputs naming what the log covers: a network (VPC, subnet, ENI) or a firewall itself. */
    covers: readonly string[];
    /** For resources that only log when configured (GCP subnet logConfig). */
    enabled?: (props: Record<string, unknown>) => boolean;
}

/** Per rule-model provider: the flow-log kinds that can cover its firewalls, and what to add. */
export interface Monitoring {
    kinds: readonly FlowLogKind[];
    /** "network": the log covers the firewall's network (`network` in the rule model); "self": the firewall itself. */
    scope: "network" | "self";
    hint: string;
}

const present = (v: unknown) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0) && !isUnknownValue(v);

export const monitoring: Record<string, Monitoring> = {
    aws: {
        kinds: [{ types: ["aws:ec2/flowLog:FlowLog"], covers: ["vpcId", "subnetId", "eniId", "transitGatewayId"] }],
        scope: "network",
        hint: "add `new aws.ec2.FlowLog(\"<name>\", { vpcId: <the VPC>.id, trafficType: \"ALL\", logDestination: <bucket or log group> })`",
    },
    "aws-native": {
        kinds: [
            { types: ["aws-native:ec2:FlowLog"], covers: ["resourceId"] },
            { types: ["aws:ec2/flowLog:FlowLog"], covers: ["vpcId", "subnetId", "eniId", "transitGatewayId"] },
        ],
        scope: "network",
        hint: "add `new aws_native.ec2.FlowLog(\"<name>\", { resourceId: <the VPC>.id, resourceType: \"VPC\", trafficType: \"ALL\", logDestination: <bucket> })`",
    },
    "azure-native": {
        kinds: [{ types: ["azure-native:network:FlowLog"], typePattern: /^azure-native:network(\/v[0-9a-z]+)?:FlowLog$/, covers: ["targetResourceId"] }],
        scope: "self",
        hint: "add `new azure_native.network.FlowLog(\"<name>\", { targetResourceId: <this NSG>.id, storageId, enabled: true, networkWatcherName, resourceGroupName })`",
    },
    azure: {
        kinds: [{ types: ["azure:network/networkWatcherFlowLog:NetworkWatcherFlowLog"], covers: ["networkSecurityGroupId"] }],
        scope: "self",
        hint: "add `new azure.network.NetworkWatcherFlowLog(\"<name>\", { networkSecurityGroupId: <this NSG>.id, storageAccountId, enabled: true, ... })`",
    },
    gcp: {
        kinds: [{ types: ["gcp:compute/subnetwork:Subnetwork"], covers: ["network"], enabled: (p) => present(p.logConfig) }],
        scope: "network",
        hint: "set `logConfig` (e.g. `{ aggregationInterval: \"INTERVAL_5_SEC\", flowSampling: 0.5, metadata: \"INCLUDE_ALL_METADATA\" }`) on the subnetworks of this firewall's network",
    },
};

export function flowLogKind(m: Monitoring, type: string): FlowLogKind | undefined {
    return m.kinds.find((k) => k.types.includes(type) || k.typePattern?.test(type));
}
