import { BoundedMemo } from "../base/memo";
import { FirewallModel, ResourceModel } from "../model/resources";
import { Input, SecretPaths } from "./support/input";
import { awsAdapters } from "./aws/firewalls";
import { awsNativeAdapters } from "./aws-native/firewalls";
import { azureClassicAdapters } from "./azure/classic";
import { azureNativeAdapters } from "./azure/native";
import { azureDatabaseAdapters } from "./azure/databases";
import { azureGraphAssembler } from "./azure/graph";
import { azureNativeTopologyAdapters } from "./azure/topology";
import { azureClassicTopologyAdapters } from "./azure/topology-classic";
import { azureLoadBalancerTopologyAdapters } from "./azure/topology-lb";
import { azureDatabaseTopologyAdapters } from "./azure/topology-databases";
import { azureAksTopologyAdapters } from "./azure/topology-aks";
import { digitaloceanAdapters } from "./digitalocean/firewalls";
import { gcpAdapters } from "./gcp/firewalls";
import { kubernetesAdapters } from "./kubernetes/firewalls";
import { awsFlowLogAdapters } from "./aws/flow-logs";
import { awsGraphAssembler } from "./aws/graph";
import { awsNetworkTopologyAdapters } from "./aws/topology-network";
import { awsWorkloadTopologyAdapters } from "./aws/topology-workloads";
import { awsNativeFlowLogAdapters } from "./aws-native/flow-logs";
import { digitaloceanGraphAssembler } from "./digitalocean/graph";
import { digitaloceanTopologyAdapters } from "./digitalocean/topology";
import { kubernetesGraphAssembler } from "./kubernetes/graph";
import { kubernetesProviderAdapters } from "./kubernetes/providers";
import { kubernetesTopologyAdapters } from "./kubernetes/topology";
import { azureFlowLogAdapters } from "./azure/flow-logs";
import { gcpFlowLogAdapters } from "./gcp/flow-logs";
import { gcpGraphAssembler } from "./gcp/graph";
import { gcpNetworkTopologyAdapters } from "./gcp/topology-network";
import { gcpWorkloadTopologyAdapters } from "./gcp/topology-workloads";
import { GraphAssembler } from "./support/assembler";
import { Adapter } from "./support/resource-builder";

/** Every adapter: the firewalls of each provider, then the flow logs that cover them. */
export const adapters: readonly Adapter[] = [
    ...awsAdapters,
    ...azureNativeAdapters,
    ...gcpAdapters,
    ...digitaloceanAdapters,
    ...azureClassicAdapters,
    ...azureDatabaseAdapters,
    ...awsNativeAdapters,
    ...kubernetesAdapters,
    ...awsFlowLogAdapters,
    ...awsNativeFlowLogAdapters,
    ...azureFlowLogAdapters,
    ...gcpFlowLogAdapters,
    ...awsNetworkTopologyAdapters,
    ...awsWorkloadTopologyAdapters,
    ...azureNativeTopologyAdapters,
    ...azureClassicTopologyAdapters,
    ...azureLoadBalancerTopologyAdapters,
    ...azureDatabaseTopologyAdapters,
    ...azureAksTopologyAdapters,
    ...digitaloceanTopologyAdapters,
    ...gcpNetworkTopologyAdapters,
    ...gcpWorkloadTopologyAdapters,
    ...kubernetesTopologyAdapters,
    ...kubernetesProviderAdapters,
];

const byType = new Map<string, Adapter>();
for (const a of adapters) for (const t of a.types) byType.set(t, a);

const patterned = adapters.filter((a) => a.typePattern !== undefined);
/** Types found by pattern, and types no adapter reads (most of a real stack: buckets, roles), each looked for once. */
const byPattern = new BoundedMemo<Adapter | null>(10_000);

export function adapterFor(type: string): Adapter | undefined {
    return byType.get(type) ?? byPattern.get(type, () => patterned.find((a) => a.typePattern!.test(type)) ?? null) ?? undefined;
}

/** Every type token the pack understands exactly (versioned Azure tokens match by pattern too). */
export const supportedTypes: readonly string[] = adapters.flatMap((a) => a.types);

/** The firewall types among them: what the resource policies judge. */
export const firewallTypes: readonly string[] = adapters.filter((a) => a.kind === undefined).flatMap((a) => a.types);

export function normalise(type: string, props: unknown, secrets?: SecretPaths): ResourceModel | undefined {
    return adapterFor(type)?.normalise(Input.root(props, secrets), type);
}

/** The model of a firewall resource; undefined for every other type (flow logs included). */
export function normaliseFirewall(type: string, props: unknown, secrets?: SecretPaths): FirewallModel | undefined {
    const m = normalise(type, props, secrets);
    return m?.kind === "firewall" ? m : undefined;
}

/** Every provider's graph assembler (adapters/<cloud>/graph.ts). */
export const assemblers: readonly GraphAssembler[] = [
    awsGraphAssembler,
    azureGraphAssembler,
    digitaloceanGraphAssembler,
    gcpGraphAssembler,
    kubernetesGraphAssembler,
];
