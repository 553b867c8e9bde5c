// AKS node pools, both providers: a managed cluster's inline pools (native `agentPoolProfiles`,
// classic `defaultNodePool`) and standalone pools (native `AgentPool`, classic
// `KubernetesClusterNodePool`). Each pool is read like a scale set's one NIC (topology.ts): the
// subnet it names (`vnetSubnetID`; none: a network AKS makes outside the stack) and a public IP per
// node when `enableNodePublicIP` is set. The graph (graph.ts) places them as the nodes that the
// cluster's Kubernetes NodePort Services come in through.
import { Input } from "../support/input";
import { Adapter } from "../support/resource-builder";
import { AzureModel, read, ROLE } from "./topology";

const N = "azure-native";
const C = "azure";

/** One pool: its subnet link and per-node public IPs, on a model of role aksPool. */
function pool(m: AzureModel, subnet: Input, publicIp: Input): AzureModel {
    m.link("subnet", subnet);
    const pip = read(publicIp);
    return m
        .value("nicConfigs", "one")
        .value("ipConfigurations", [{}])
        .value("subnetGiven", !subnet.missing)
        .value("instanceIps", pip === true ? [{}] : pip !== undefined && typeof pip === "object" ? [{ present: pip }] : undefined);
}

const SUMMARY =
    "a node pool: its nodes in `vnetSubnetID` (none: the network AKS makes, outside the stack), a public IP per node with `enableNodePublicIP`, " +
    "behind the subnet's NSG and the NSG AKS manages for the nodes outside the stack; the way in of the cluster's Kubernetes NodePort Services";

export const azureAksTopologyAdapters: Adapter[] = [
    {
        provider: N,
        kind: "topology",
        types: ["azure-native:containerservice:ManagedCluster"],
        typePattern: /^azure-native:containerservice(\/v[0-9a-z]+)?:ManagedCluster$/,
        summary: `${SUMMARY} (its first \`agentPoolProfiles\` entry; more inline pools are read as one)`,
        normalise(props) {
            const m = new AzureModel(N, ROLE.aksPool, props).identity("id", "name", "resourceName").tags(props.get("tags"));
            const profiles = props.get("agentPoolProfiles");
            const first = profiles.items();
            if (first === "unknown") return m.value("nicConfigs", { unknown: profiles.path }).build();
            if (first === "invalid" || first.length === 0) return m.value("nicConfigs", "none").build();
            if (first.length > 1) return m.value("nicConfigs", "several").build();
            const p = first[0];
            return pool(m.value("cluster", true), p.get("vnetSubnetID"), p.get("enableNodePublicIP")).build();
        },
    },
    {
        provider: N,
        kind: "topology",
        types: ["azure-native:containerservice:AgentPool"],
        typePattern: /^azure-native:containerservice(\/v[0-9a-z]+)?:AgentPool$/,
        summary: `${SUMMARY} (\`resourceName\`: its cluster)`,
        normalise(props) {
            const m = new AzureModel(N, ROLE.aksPool, props)
                .identity("id", "name", "agentPoolName")
                .link("cluster", props.get("resourceName"));
            return pool(m, props.get("vnetSubnetID"), props.get("enableNodePublicIP")).build();
        },
    },
    {
        provider: C,
        kind: "topology",
        types: ["azure:containerservice/kubernetesCluster:KubernetesCluster"],
        summary: `${SUMMARY} (\`defaultNodePool\`: \`vnetSubnetId\`, \`nodePublicIpEnabled\`)`,
        normalise(props) {
            const m = new AzureModel(C, ROLE.aksPool, props).identity("id", "name").tags(props.get("tags"));
            const d = props.get("defaultNodePool");
            if (d.unknown) return m.value("nicConfigs", { unknown: d.path }).build();
            if (d.missing) return m.value("nicConfigs", "none").build();
            return pool(m.value("cluster", true), d.get("vnetSubnetId"), d.first("nodePublicIpEnabled", "enableNodePublicIp")).build();
        },
    },
    {
        provider: C,
        kind: "topology",
        types: ["azure:containerservice/kubernetesClusterNodePool:KubernetesClusterNodePool"],
        summary: `${SUMMARY} (\`kubernetesClusterId\`: its cluster; \`vnetSubnetId\`, \`nodePublicIpEnabled\`)`,
        normalise(props) {
            const m = new AzureModel(C, ROLE.aksPool, props).identity("id", "name").link("cluster", props.get("kubernetesClusterId"));
            return pool(m, props.get("vnetSubnetId"), props.first("nodePublicIpEnabled", "enableNodePublicIp")).build();
        },
    },
];
