// NodePort Services in a managed cluster of the stack (GKE, DOKS): the way in is followed through
// the cluster's nodes, their external addresses and their own firewall on the node ports, to the
// pods' target port; without the cluster's resources in the stack it stays outside this stack.
// Each case as preview sends it (ids unknown, links by property dependencies) and as update does.
import { PolicyCase as Case } from "../../helpers";
import { aksStack, doksStack, eksStack, gkeStack, Mode, NODEPORT_REGISTRY } from "./nodeports-graph-stacks";

const both = (name: string, make: (mode: Mode) => Omit<Case, "name">): Case[] =>
    (["preview", "update"] as const).map((mode) => ({ name: `${name} (${mode})`, registryYaml: NODEPORT_REGISTRY, ...make(mode) }));

const GKE_HOPS =
    "internet → network `vpc` (default route 0.0.0.0/0 → default internet gateway) → node pool `pool-a` (external IPs, subnetwork `web-subnet`) → " +
    "firewall of network `vpc` (`allow-nodeports` allows[0] (priority 1000) (tcp 30080 from 0.0.0.0/0)) → NodePort Service `web-svc` (tcp 30080 → 8080) → `web`";
const DOKS_MANAGED =
    "Cloud Firewalls `DOKS-managed` (node port rule (DOKS's public-access firewall of `doks` opens the node ports of each NodePort Service to every address, " +
    'unless the Service sets `kubernetes.digitalocean.com/firewall-managed: "false"`))';
const OUTSIDE = "who reaches the node ports of `web-svc` is decided by the firewall in front of the nodes, which is outside this stack";
const OPT_OUT = { "kubernetes.digitalocean.com/firewall-managed": "false" };
const AUTO_TAG =
    "`allow-nodeports` targets `gke-gke-3f2a1b9c-node`, which may be the network tag GKE gives the nodes of node pool `pool-a` (`gke-<cluster>-<hash>-node`, chosen when the cluster is created)";

export const cases: Record<string, { valid: Case[]; invalid: Case[] }> = {
    "no-internet-path-to-internal-ports": {
        valid: [
            ...both("GKE: the node firewall admits only a CIDR to the node port", (mode) => ({
                resources: gkeStack(mode, { firewall: { sources: ["198.51.100.0/24"] } }),
            })),
            ...both("GKE: private nodes (the node pool's `networkConfig.enablePrivateNodes`) have no external IP", (mode) => ({
                resources: gkeStack(mode, { privateNodes: true }),
            })),
            ...both("GKE: a private cluster's nodes (`privateClusterConfig.enablePrivateNodes`) have no external IP", (mode) => ({
                resources: gkeStack(mode, { privateCluster: true }),
            })),
            ...both("GKE: a rule for a tag the nodes do not carry (and that is no GKE node tag) does not target them", (mode) => ({
                resources: gkeStack(mode, { firewall: { sources: ["0.0.0.0/0"], tags: ["bastion"] } }),
            })),
            ...both("DOKS: a Service that opts out of the managed firewall, behind a Cloud Firewall that admits a CIDR", (mode) => ({
                resources: doksStack(mode, { annotations: OPT_OUT, firewall: ["198.51.100.0/24"] }),
            })),
            ...both(
                "AKS: nodes without public IPs (`enableNodePublicIP` unset) have no way in, whatever the subnet NSG admits",
                (mode) => ({
                    resources: aksStack(mode),
                }),
            ),
            ...both("AKS (classic provider): `nodePublicIpEnabled: false`", (mode) => ({
                resources: aksStack(mode, { classic: true, publicIps: false }),
            })),
            ...both("EKS: the cluster security group EKS gives the nodes admits only its own members", (mode) => ({
                resources: eksStack(mode),
            })),
            ...both("EKS: a rule on the cluster security group admits a CIDR to the node port, not the world", (mode) => ({
                resources: eksStack(mode, { nodePortFrom: ["198.51.100.0/24"] }),
            })),
            ...both("EKS: nodes in a subnet behind a NAT gateway have no way in, whatever the group admits", (mode) => ({
                resources: eksStack(mode, { subnet: "app-a", nodePortFrom: ["0.0.0.0/0"] }),
            })),
        ],
        invalid: [
            ...both("GKE: a NodePort open to the world through the node firewall is exposure, hop by hop", (mode) => ({
                resources: gkeStack(mode),
                errors: [["exposed", null, { workload: "`web`", ports: "tcp 8080 (api)", path: GKE_HOPS }, "fixPath"]],
            })),
            ...both("GKE: the cluster's default node pool (`nodeConfig.tags`)", (mode) => ({
                resources: gkeStack(mode, { defaultPool: true }),
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            workload: "`web`",
                            path: /→ the default node pool of `gke` \(external IPs, subnetwork `web-subnet`\) → firewall of network `vpc`/,
                        },
                        "fixPath",
                    ],
                ],
            })),
            ...both("GKE: a rule for a tag of GKE's own node tag shape may target the nodes (advisory)", (mode) => ({
                resources: gkeStack(mode, { firewall: { sources: ["0.0.0.0/0"], tags: ["gke-gke-3f2a1b9c-node"] } }),
                advisories: [["unproven", null, { workload: "`web`", reason: AUTO_TAG }]],
            })),
            ...both(
                "GKE in the project's default network, outside the stack: its firewall is not in the plan, as before (advisory)",
                (mode) => ({
                    resources: gkeStack(mode, { defaultNetwork: true }),
                    advisories: [
                        [
                            "unproven",
                            null,
                            {
                                workload: "`web`",
                                path: "internet → node ports of NodePort Service `web-svc` on every node (tcp 30080 → 8080) → `web`",
                                reason: OUTSIDE,
                            },
                        ],
                    ],
                }),
            ),
            ...both(
                "GKE in gcp-ts-gke's shape (the default network, no firewall rule of the stack): outside this stack, as before (advisory)",
                (mode) => ({
                    resources: gkeStack(mode, { defaultNetwork: true, firewall: false }),
                    advisories: [["unproven", null, { workload: "`web`", reason: OUTSIDE }]],
                }),
            ),
            ...both(
                "GKE: a cluster the stack cannot identify (a literal kubeconfig): outside this stack, as before (advisory)",
                (mode) => ({
                    resources: gkeStack(mode, { unlinked: true }),
                    advisories: [
                        [
                            "unproven",
                            null,
                            {
                                workload: "`web`",
                                path: "internet → node ports of NodePort Service `web-svc` on every node (tcp 30080 → 8080) → `web`",
                                reason: OUTSIDE,
                            },
                        ],
                    ],
                }),
            ),
            ...both(
                "GKE: an allocated node port (`nodePort` unset) where the firewall admits only part of the range (advisory)",
                (mode) => ({
                    resources: gkeStack(mode, { nodePort: null }),
                    advisories: [
                        [
                            "unproven",
                            null,
                            {
                                workload: "`web`",
                                path: /→ NodePort Service `web-svc` \(tcp a node port → 8080\) → `web`$/,
                                reason: "the cluster allocates the node port of `web-svc` (`nodePort` unset) from tcp 30000-32767, and the nodes' filters admit the internet to only 30080 of it",
                            },
                        ],
                    ],
                }),
            ),
            ...both("GKE: an allocated node port where the firewall admits the whole range is exposure", (mode) => ({
                resources: gkeStack(mode, { nodePort: null, firewall: { sources: ["0.0.0.0/0"], ports: ["30000-32767"] } }),
                errors: [
                    [
                        "exposed",
                        null,
                        { workload: "`web`", path: /\(tcp 30000-32767 from 0\.0\.0\.0\/0\)\) → NodePort Service/ },
                        "fixPath",
                    ],
                ],
            })),
            ...both("DOKS: the managed public-access firewall opens the node port to everyone", (mode) => ({
                resources: doksStack(mode),
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            workload: "`web`",
                            path: `internet → public IPv4 addresses of the nodes of \`doks\` → ${DOKS_MANAGED} → NodePort Service \`web-svc\` (tcp 30080 → 8080) → \`web\``,
                        },
                        "fixPath",
                    ],
                ],
            })),
            ...both("GKE: whether the nodes are private is unknown until update (advisory)", (mode) => ({
                resources: gkeStack(mode, { privateNodes: "unknown" }),
                advisories: [
                    [
                        "unproven",
                        null,
                        {
                            workload: "`web`",
                            path: /→ node pool `pool-a` \(an external address unknown until update\) → firewall of network `vpc`/,
                            reason: "whether node pool `pool-a` gets an external address is unknown until update",
                        },
                    ],
                ],
            })),
            ...both("DOKS in digitalocean-ts-k8s's shape (the region's default VPC, no node tags), its Service a NodePort", (mode) => ({
                resources: doksStack(mode, { plain: true }),
                errors: [["exposed", null, { workload: "`web`", path: /DOKS-managed/ }, "fixPath"]],
            })),
            ...both("DOKS: isolated workers may have no public address (advisory)", (mode) => ({
                resources: doksStack(mode, { isolated: true }),
                advisories: [
                    [
                        "unproven",
                        null,
                        { workload: "`web`", reason: "`doks`'s isolated worker nodes (`isolatedWorkers`) may have no public address" },
                    ],
                ],
            })),
            ...both("DOKS: a second node pool is a second way in", (mode) => ({
                resources: doksStack(mode, { separatePool: true }),
                errors: [
                    ["exposed", null, { workload: "`web`", placement: /on doks`$/ }, "fixPath"],
                    ["exposed", null, { workload: "`web`", placement: /on pool-b`$/ }, "fixPath"],
                ],
            })),
            ...both("DOKS: opted out of the managed firewall, a Cloud Firewall of the stack opens the node port to the world", (mode) => ({
                resources: doksStack(mode, { annotations: OPT_OUT, firewall: ["0.0.0.0/0"] }),
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            workload: "`web`",
                            path: /Cloud Firewalls `nodes-fw` and `DOKS-managed` \(`nodes-fw` inboundRules\[0\] \(tcp 30080 from 0\.0\.0\.0\/0\)\)/,
                        },
                        "fixPath",
                    ],
                ],
            })),
            ...both("AKS: nodes with public IPs behind the NSG AKS manages outside the stack: advised, never passed", (mode) => ({
                resources: aksStack(mode, { publicIps: true }),
                advisories: [
                    [
                        "unproven",
                        null,
                        {
                            workload: "`web`",
                            path: /^internet → a public IP per node of node pool `aks` \(Standard SKU, the default\) → subnet NSG `nodes-nsg` .* → the NSG AKS manages for the nodes of `aks` .* → NodePort Service `web-svc`/,
                            reason: "AKS manages the NSG of the nodes of `aks` in its node resource group, outside this stack",
                        },
                    ],
                ],
            })),
            ...both(
                "AKS: two inline node pools are not told apart: the NodePort stays outside this stack (advisory), the cluster gets no note of its own",
                (mode) => ({
                    resources: aksStack(mode, { twoPools: true }),
                    advisories: [["unproven", null, { workload: "`web`", reason: OUTSIDE }]],
                }),
            ),
            ...both("AKS: nodes in the network AKS makes (no `vnetSubnetID`): outside this stack, as before (advisory)", (mode) => ({
                resources: aksStack(mode, { noSubnet: true }),
                advisories: [["unproven", null, { workload: "`web`", reason: OUTSIDE }]],
            })),
            ...both(
                "EKS: a rule on the cluster security group opens the node port to the world: exposure through the node group",
                (mode) => ({
                    resources: eksStack(mode, { nodePortFrom: ["0.0.0.0/0"] }),
                    errors: [
                        [
                            "exposed",
                            null,
                            {
                                workload: "`web`",
                                ports: "tcp 8080 (api)",
                                path:
                                    "internet → internet gateway `main-igw` → route table `public-rt` (0.0.0.0/0 → igw) → subnet `public-a` (public IP: `mapPublicIpOnLaunch`) → " +
                                    "node group `pool-a` → network ACL `main-vpc`'s default (rule 100 (allows all)) → security groups `eks`'s cluster security group and `nodeports` " +
                                    "(`nodeports` (tcp 30080 from 0.0.0.0/0)) → NodePort Service `web-svc` (tcp 30080 → 8080) → `web`",
                            },
                            "fixPath",
                        ],
                    ],
                }),
            ),
            ...both("EKS: `remoteAccess` without source groups opens ssh on the nodes to everyone, as EKS does", (mode) => ({
                resources: eksStack(mode, { remoteAccess: true }),
                errors: [
                    [
                        "exposed",
                        null,
                        { workload: "`pool-a`", ports: /^tcp 22/, path: /`pool-a`'s remote-access group \(`remoteAccess`\)/ },
                        "fixPath",
                    ],
                ],
            })),
            ...both("DOKS: a cluster the stack cannot identify: outside this stack, as before (advisory)", (mode) => ({
                resources: doksStack(mode, { unlinked: true }),
                advisories: [["unproven", null, { workload: "`web`", reason: OUTSIDE }]],
            })),
        ],
    },
    "documented-flows-reachable": {
        valid: [
            ...both("GKE: the node firewall admits the documented CIDR on the node port", (mode) => ({
                resources: gkeStack(mode, { firewall: { sources: ["198.51.100.0/24"] } }),
            })),
            ...both("DOKS: the managed firewall admits every client on the node port", (mode) => ({ resources: doksStack(mode) })),
            ...both("EKS: a rule on the cluster security group admits the documented CIDR on the node port", (mode) => ({
                resources: eksStack(mode, { nodePortFrom: ["198.51.100.0/24"] }),
            })),
            ...both("DOKS: opted out, a Cloud Firewall admits the documented CIDR", (mode) => ({
                resources: doksStack(mode, { annotations: OPT_OUT, firewall: ["198.51.100.0/24"] }),
            })),
        ],
        invalid: [
            ...both("GKE: the node firewall admits another CIDR: the request dies at the node port", (mode) => ({
                resources: gkeStack(mode, { firewall: { sources: ["203.0.113.0/24"] } }),
                errors: [
                    [
                        "blocked",
                        null,
                        {
                            client: "198.51.100.0/24",
                            server: "`web`",
                            flow: "tcp 8080",
                            why: "the request dies at firewall of network `vpc` inbound: no firewall rule allows tcp 30080 from 198.51.100.0/24, so GCP's implied deny ingress rule (priority 65535) drops it",
                        },
                        "fixAdd",
                    ],
                ],
            })),
            ...both("EKS: the cluster security group admits only its members: the request dies at the node port", (mode) => ({
                resources: eksStack(mode),
                errors: [
                    [
                        "blocked",
                        null,
                        {
                            client: "198.51.100.0/24",
                            server: "`web`",
                            flow: "tcp 8080",
                            why: /^the request dies at security groups `eks`'s cluster security group inbound: no security group rule allows tcp 30080 from 198\.51\.100\.0\/24/,
                        },
                        "fixAdd",
                    ],
                ],
            })),
            ...both("GKE: a rule of GKE's node tag shape may or may not admit the client (advisory)", (mode) => ({
                resources: gkeStack(mode, { firewall: { sources: ["0.0.0.0/0"], tags: ["gke-gke-3f2a1b9c-node"] } }),
                advisories: [["unverifiable", null, { client: "198.51.100.0/24", reasons: `firewall of network vpc: ${AUTO_TAG}` }]],
            })),
            ...both("GKE: an allocated node port the firewall admits part of the range of (advisory)", (mode) => ({
                resources: gkeStack(mode, { nodePort: null }),
                advisories: [
                    [
                        "unverifiable",
                        null,
                        {
                            client: "198.51.100.0/24",
                            reasons:
                                "firewall of network vpc: the cluster allocates the node port of `web-svc` (`nodePort` unset) from its range, which port the plan does not tell",
                        },
                    ],
                ],
            })),
            ...both("DOKS: opted out, what DOKS's VPC firewall admits is outside this stack (advisory)", (mode) => ({
                resources: doksStack(mode, { annotations: OPT_OUT }),
                advisories: [["unverifiable", null, { client: "198.51.100.0/24", reasons: /^Cloud Firewalls DOKS-managed: DOKS manages/ }]],
            })),
        ],
    },
};
