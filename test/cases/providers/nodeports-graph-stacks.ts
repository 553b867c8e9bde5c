// Small stacks of a managed Kubernetes cluster and what runs in it, for the node port cases: the
// cluster and its node pools (GKE, DOKS) with their network and firewalls as the cloud's graph
// stacks write them, a Kubernetes provider whose kubeconfig is built from the cluster (its
// property dependency), and pods of `web` behind a NodePort Service, deployed through that
// provider. In preview the ids are unknown and links go by property dependencies; in update the
// live values are in the inputs (shapes of pulumi/examples gcp-ts-gke and digitalocean-ts-k8s).
import { StackCase, UNKNOWN, urnOf } from "../../helpers";
import { kubeconfig } from "./kubernetes-clusters.cases";
import { G, Mode, Stack as GcpStack, network, tcp as gcpTcp } from "./gcp-graph-stacks";
import { D, Stack as DoStack, tcp as doTcp } from "./digitalocean-graph-stacks";
import { A, vpc as awsVpc } from "./aws-graph-stacks";
import { AZ, azure, idOf, inbound } from "./azure-graph.cases";

export type { Mode };

export const GKE = { cluster: "gcp:container/cluster:Cluster", pool: "gcp:container/nodePool:NodePool" } as const;
const PROVIDER = "pulumi:providers:kubernetes";

/** The registry of the cases: the node port range public (the node pools' own exposure is not what they are about), `api` internal with a documented CIDR client. */
export const NODEPORT_REGISTRY = `
services:
  - { name: node-ports, ports: ["30000-32767"], protocol: [tcp, udp], public: true }
  - name: api
    ports: [8080]
    protocol: tcp
    clients:
      - cidr: 198.51.100.0/24
knownCidrs: [10.0.0.0/8]
`;

export interface AppOptions {
    /** The Service's `nodePort` (null: left to the cluster). */
    nodePort?: number | null;
    annotations?: Record<string, string>;
    /** The provider's kubeconfig names no cluster resource of the stack (a literal kubeconfig): the cluster cannot be identified. */
    unlinked?: boolean;
}

/** The provider built from `cluster` and the pods of `web` (service `api`, port 8080) behind NodePort Service `web-svc` (80 → 8080, node port 30080). */
function app(mode: Mode, clusterType: string, cluster: string, o: AppOptions): StackCase[] {
    const provider = urnOf(PROVIDER, "k8s");
    const meta = (n: string) => (mode === "update" ? { name: n, namespace: "default" } : {});
    const nodePort = o.nodePort === undefined ? 30080 : o.nodePort;
    return [
        o.unlinked
            ? { type: PROVIDER, name: "k8s", props: { kubeconfig: kubeconfig("https://k8s.example.com") } }
            : {
                  type: PROVIDER,
                  name: "k8s",
                  props: { kubeconfig: mode === "preview" ? UNKNOWN : kubeconfig("https://34.118.0.10") },
                  propertyDependencies: { kubeconfig: [urnOf(clusterType, cluster)] },
              },
        {
            type: "kubernetes:apps/v1:Deployment",
            name: "web",
            provider,
            props: {
                metadata: meta("web"),
                spec: {
                    selector: { matchLabels: { app: "web" } },
                    template: {
                        metadata: { labels: { app: "web", service: "api" } },
                        spec: { containers: [{ name: "main", image: "example/web:1", ports: [{ containerPort: 8080 }] }] },
                    },
                },
            },
        },
        {
            type: "kubernetes:core/v1:Service",
            name: "web-svc",
            provider,
            props: {
                metadata: { ...meta("web-svc"), ...(o.annotations ? { annotations: o.annotations } : {}) },
                spec: {
                    type: "NodePort",
                    selector: { app: "web" },
                    ports: [{ port: 80, targetPort: 8080, ...(nodePort !== null ? { nodePort } : {}) }],
                },
            },
        },
    ];
}

export interface GkeOptions extends AppOptions {
    /** The VPC firewall rule `allow-nodeports` (tcp 30080): its `sourceRanges` and `targetTags`; false: none. */
    firewall?: { sources: string[]; tags?: string[]; ports?: string[] } | false;
    /** The node pool's `networkConfig.enablePrivateNodes`. */
    privateNodes?: boolean | "unknown";
    /** The cluster's `privateClusterConfig.enablePrivateNodes`. */
    privateCluster?: boolean;
    /** The cluster's default pool (its `nodeConfig.tags`) instead of node pool `pool-a`. */
    defaultPool?: boolean;
    /** No `network`/`subnetwork` on the cluster: the project's `default` network, outside the stack (gcp-ts-gke). */
    defaultNetwork?: boolean;
}

/**
 * GKE cluster `gke` in network `vpc`, subnetwork `web-subnet` (gcp-graph-stacks' network()), its
 * nodes in node pool `pool-a` (network tag `web-nodes`), firewall rule `allow-nodeports`, and the app.
 */
export function gkeStack(mode: Mode, o: GkeOptions = {}): StackCase[] {
    const s: GcpStack = network();
    const fw = o.firewall === undefined ? { sources: ["0.0.0.0/0"] } : o.firewall;
    s.add(
        GKE.cluster,
        "gke",
        {
            location: "europe-west1",
            initialNodeCount: 1,
            ...(o.defaultPool ? { nodeConfig: { machineType: "e2-medium", tags: ["web-nodes"] } } : { removeDefaultNodePool: true }),
            ...(o.privateCluster ? { privateClusterConfig: { enablePrivateNodes: true, masterIpv4CidrBlock: "172.16.0.0/28" } } : {}),
        },
        o.defaultNetwork ? {} : { network: "vpc", subnetwork: "web-subnet" },
    );
    if (!o.defaultPool)
        s.add(
            GKE.pool,
            "pool-a",
            {
                location: "europe-west1",
                nodeCount: 2,
                nodeConfig: { machineType: "e2-medium", tags: ["web-nodes"] },
                ...(o.privateNodes !== undefined
                    ? { networkConfig: { enablePrivateNodes: o.privateNodes === "unknown" ? UNKNOWN : o.privateNodes } }
                    : {}),
            },
            { cluster: "gke#name" },
        );
    if (fw)
        s.add(
            G.firewall,
            "allow-nodeports",
            { allows: [gcpTcp(...(fw.ports ?? ["30080"]))], sourceRanges: fw.sources, targetTags: fw.tags ?? ["web-nodes"] },
            { network: o.defaultNetwork ? "out:default" : "vpc" },
        );
    return [...s.build(mode), ...app(mode, GKE.cluster, "gke", o)];
}

export interface DoksOptions extends AppOptions {
    /** Cloud Firewall `nodes-fw` on the node tag `web-nodes` (tcp 30080 from `sources`); undefined: none. */
    firewall?: string[];
    /** Node pool `pool-b` (KubernetesNodePool) instead of the cluster's default pool. */
    separatePool?: boolean;
    isolated?: boolean;
    /** digitalocean-ts-k8s's shape: no VPC of the stack (the region's default) and no node tags. */
    plain?: boolean;
}

/** DOKS cluster `doks` in VPC `vpc` (10.110.0.0/20), its default pool tagged `web-nodes` (or node pool `pool-b`), and the app. */
export function doksStack(mode: Mode, o: DoksOptions = {}): StackCase[] {
    const s = new DoStack();
    if (!o.plain) s.add(D.vpc, "vpc", { region: "ams3", ipRange: "10.110.0.0/20" });
    s.add(
        D.cluster,
        "doks",
        {
            region: "ams3",
            version: "1.31.1-do.0",
            nodePool: { name: "default", size: "s-2vcpu-4gb", nodeCount: 2, ...(o.plain ? {} : { tags: ["web-nodes"] }) },
            ...(o.isolated ? { isolatedWorkers: true } : {}),
        },
        o.plain ? {} : { vpcUuid: "vpc" },
    );
    if (o.separatePool)
        s.add(D.pool, "pool-b", { name: "pool-b", size: "s-2vcpu-4gb", nodeCount: 2, tags: ["web-nodes"] }, { clusterId: "doks" });
    if (o.firewall) s.add(D.firewall, "nodes-fw", { tags: ["web-nodes"], inboundRules: [doTcp("30080", { sourceAddresses: o.firewall })] });
    return [...s.build(mode), ...app(mode, D.cluster, "doks", o)];
}

export const EKS = { cluster: "aws:eks/cluster:Cluster", nodeGroup: "aws:eks/nodeGroup:NodeGroup" } as const;

export interface EksOptions extends AppOptions {
    /** The node group's subnet: `public-a` (public addresses on launch, routed to the internet gateway, default) or `app-a` (behind a NAT gateway). */
    subnet?: "public-a" | "app-a";
    /** A standalone rule on the cluster security group (`vpcConfig.clusterSecurityGroupId`): tcp 30080 from these CIDRs. */
    nodePortFrom?: string[];
    /** `remoteAccess` with an `ec2SshKey` and no `sourceSecurityGroupIds`. */
    remoteAccess?: boolean;
}

/** EKS cluster `eks` in aws-graph-stacks' VPC, its managed node group `pool-a`, and the app. */
export function eksStack(mode: Mode, o: EksOptions = {}): StackCase[] {
    const s = awsVpc();
    s.add(
        EKS.cluster,
        "eks",
        { roleArn: "arn:aws:iam::123456789012:role/eks", vpcConfig: {} },
        { "vpcConfig.subnetIds": ["app-a", "public-a"] },
    );
    s.add(
        EKS.nodeGroup,
        "pool-a",
        {
            nodeRoleArn: "arn:aws:iam::123456789012:role/nodes",
            scalingConfig: { desiredSize: 2, maxSize: 3, minSize: 1 },
            ...(o.remoteAccess ? { remoteAccess: { ec2SshKey: "ops" } } : {}),
        },
        { clusterName: "eks", subnetIds: [o.subnet ?? "public-a"] },
    );
    if (o.nodePortFrom)
        s.add(
            A.sgRule,
            "nodeports",
            { type: "ingress", protocol: "tcp", fromPort: 30080, toPort: 30080, cidrBlocks: o.nodePortFrom },
            { securityGroupId: "eks#clusterSecurityGroupId" },
        );
    return [...s.build(mode), ...app(mode, EKS.cluster, "eks", o)];
}

export const AKS = {
    cluster: "azure-native:containerservice:ManagedCluster",
    classic: "azure:containerservice/kubernetesCluster:KubernetesCluster",
} as const;

export interface AksOptions extends AppOptions {
    /** `enableNodePublicIP` of the cluster's one inline pool. */
    publicIps?: boolean;
    /** No `vnetSubnetID`: the network AKS makes. */
    noSubnet?: boolean;
    /** The classic provider's `KubernetesCluster` with its `defaultNodePool`. */
    classic?: boolean;
    /** Two inline pools (`agentPoolProfiles`) instead of one. */
    twoPools?: boolean;
}

/** AKS cluster `aks` with one inline node pool in `nodes-subnet` (its NSG `nodes-nsg` admits tcp 30080 from the internet), and the app. */
export function aksStack(mode: Mode, o: AksOptions = {}): StackCase[] {
    const rows = azure(mode, {
        vnets: [{ name: "main-vnet", space: ["10.0.0.0/16"] }],
        nsgs: [{ name: "nodes-nsg", rules: [inbound(100, "Allow", "30080", "Internet")] }],
        subnets: [{ name: "nodes-subnet", vnet: "main-vnet", prefix: "10.0.8.0/22", nsg: "nodes-nsg" }],
        vms: [],
    });
    const subnetId = mode === "update" ? idOf(AZ.subnet, "nodes-subnet") : UNKNOWN;
    const subnetDeps = o.noSubnet ? {} : { [o.classic ? "defaultNodePool" : "agentPoolProfiles"]: [urnOf(AZ.subnet, "nodes-subnet")] };
    const pool = o.classic
        ? {
              defaultNodePool: {
                  name: "system",
                  nodeCount: 2,
                  vmSize: "Standard_D2s_v5",
                  ...(o.noSubnet ? {} : { vnetSubnetId: subnetId }),
                  ...(o.publicIps !== undefined ? { nodePublicIpEnabled: o.publicIps } : {}),
              },
          }
        : {
              agentPoolProfiles: [
                  ...(o.twoPools ? [{ name: "user", mode: "User", count: 1, vmSize: "Standard_D2s_v5", enableNodePublicIP: true }] : []),
                  {
                      name: "system",
                      mode: "System",
                      count: 2,
                      vmSize: "Standard_D2s_v5",
                      ...(o.noSubnet ? {} : { vnetSubnetID: subnetId }),
                      ...(o.publicIps !== undefined ? { enableNodePublicIP: o.publicIps } : {}),
                  },
              ],
          };
    const type = o.classic ? AKS.classic : AKS.cluster;
    return [
        ...rows,
        {
            type,
            name: "aks",
            props: {
                ...(mode === "update" ? { id: idOf(AZ.subnet, "aks").replace("subnets", "managedClusters") } : {}),
                resourceGroupName: "rg",
                dnsPrefix: "aks",
                ...pool,
            },
            propertyDependencies: subnetDeps,
        },
        ...app(mode, type, "aks", o),
    ];
}
