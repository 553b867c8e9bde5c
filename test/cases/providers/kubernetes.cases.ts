// Kubernetes rows for every policy's table: Services and NetworkPolicies in the shape
// `@pulumi/kubernetes` sends (apiVersion, kind, metadata, spec).
import { TEST_REGISTRY_YAML, UNKNOWN } from "../../helpers";
import { CaseTable } from "../index";

const SVC = "kubernetes:core/v1:Service";
const NP = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

const service = (spec: Record<string, unknown>, annotations: Record<string, unknown> = {}) => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "db", namespace: "shop", labels: { app: "db" }, annotations },
    spec: { selector: { app: "db" }, ...spec },
});
/** A LoadBalancer Service on the given ports, without node ports unless asked (they are documented-ports-only's concern). */
const lb = (ports: Record<string, unknown>[], annotations: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
    service({ type: "LoadBalancer", allocateLoadBalancerNodePorts: false, ports, ...extra }, annotations);
const policy = (spec: Record<string, unknown>) => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "db", namespace: "shop" },
    spec: { podSelector: { matchLabels: { app: "db" } }, policyTypes: ["Ingress"], ...spec },
});
const from = (peers: Record<string, unknown>[] | undefined, ...ports: Record<string, unknown>[]) =>
    policy({ ingress: [{ ...(peers ? { from: peers } : {}), ports }] });
const ipBlock = (cidr: string, except?: string[]) => ({ ipBlock: { cidr, ...(except ? { except } : {}) } });

const INTERNAL: Record<string, Record<string, string>> = {
    "AWS Load Balancer Controller": { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" },
    "AWS legacy": { "service.beta.kubernetes.io/aws-load-balancer-internal": "true" },
    Azure: { "service.beta.kubernetes.io/azure-load-balancer-internal": "true" },
    GKE: { "networking.gke.io/load-balancer-type": "Internal" },
    "GKE legacy": { "cloud.google.com/load-balancer-type": "Internal" },
};

/** The test registry plus the default node-port range, documented the way the bundled ports.yaml does. */
const NODE_PORTS_DOCUMENTED = TEST_REGISTRY_YAML.replace(
    "knownCidrs:",
    `  - { name: kubernetes-nodeports, ports: ["30000-32767"], protocol: [tcp, udp] }\nknownCidrs:`,
);

const noWorld: CaseTable = {
    valid: [
        ...Object.entries(INTERNAL).map(([cloud, annotations]) => ({
            name: `a LoadBalancer Service on 5432 made internal (${cloud})`,
            type: SVC,
            props: lb([{ port: 5432 }], annotations),
        })),
        {
            name: "a LoadBalancer Service on 5432 limited by loadBalancerSourceRanges",
            type: SVC,
            props: lb([{ port: 5432 }], {}, { loadBalancerSourceRanges: ["10.0.0.0/8"] }),
        },
        {
            name: "source ranges from the annotation",
            type: SVC,
            props: lb([{ port: 22 }], { "service.beta.kubernetes.io/load-balancer-source-ranges": "10.1.0.0/16,10.2.0.0/16" }),
        },
        {
            name: "a public LoadBalancer on 80 and 443",
            type: SVC,
            props: lb([
                { name: "http", port: 80, targetPort: 8080 },
                { name: "https", port: 443, targetPort: 8443 },
            ]),
        },
        {
            name: "NodePort: the node firewall decides who reaches node ports",
            type: SVC,
            props: service({ type: "NodePort", ports: [{ port: 5432, nodePort: 30432 }] }),
        },
        { name: "ClusterIP stays inside the cluster", type: SVC, props: service({ ports: [{ port: 5432 }] }) },
        {
            name: "externalIPs: the node firewall decides",
            type: SVC,
            props: service({ externalIPs: ["203.0.113.10"], ports: [{ port: 5432 }] }),
        },
        {
            name: "NetworkPolicy: PostgreSQL from pods and namespaces",
            type: NP,
            props: from([{ podSelector: { matchLabels: { app: "api" } } }, { namespaceSelector: {} }], { port: 5432 }),
        },
        {
            name: "NetworkPolicy: PostgreSQL from a private ipBlock",
            type: NP,
            props: from([ipBlock("10.0.0.0/8")], { port: 5432, protocol: "TCP" }),
        },
        { name: "NetworkPolicy: HTTPS from everybody", type: NP, props: from(undefined, { port: 443 }) },
        {
            name: "NetworkPolicy: ingress rules are ignored when policyTypes leaves Ingress out",
            type: NP,
            props: policy({ policyTypes: ["Egress"], ingress: [{}], egress: [{ to: [ipBlock("10.0.0.0/8")] }] }),
        },
        { name: "NetworkPolicy: egress to the world is not inbound", type: NP, props: policy({ policyTypes: ["Egress"], egress: [{}] }) },
        {
            name: "NetworkPolicy: except that covers the whole family leaves nothing",
            type: NP,
            props: from([ipBlock("0.0.0.0/0", ["0.0.0.0/1", "128.0.0.0/1"])], { port: 22 }),
        },
    ],
    invalid: [
        {
            name: "a LoadBalancer Service on 5432 without source ranges",
            type: SVC,
            props: lb([{ name: "pg", port: 5432, targetPort: 5432 }]),
            errors: [
                [
                    "worldOpen",
                    "spec.ports[0]",
                    { rules: "spec.ports[0] (from anywhere: no loadBalancerSourceRanges)", ports: "tcp 5432 (postgres)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "empty loadBalancerSourceRanges, node ports allocated",
            type: SVC,
            props: service({ type: "LoadBalancer", loadBalancerSourceRanges: [], ports: [{ port: 6379 }] }),
            errors: [
                [
                    "worldOpen",
                    "spec.ports[0]",
                    { rules: "spec.ports[0] (from anywhere: no loadBalancerSourceRanges)", ports: "tcp 6379 (redis)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "loadBalancerSourceRanges 0.0.0.0/0",
            type: SVC,
            props: lb([{ port: 22 }], {}, { loadBalancerSourceRanges: ["0.0.0.0/0"] }),
            errors: [["worldOpen", "spec.ports[0]", { rules: "spec.ports[0] (from 0.0.0.0/0)", ports: "tcp 22 (ssh)" }, "fixSources"]],
        },
        {
            name: 'Azure reads only "true": "True" leaves the load balancer public',
            type: SVC,
            props: lb([{ port: 5432 }], { "service.beta.kubernetes.io/azure-load-balancer-internal": "True" }),
            errors: [
                [
                    "worldOpen",
                    "spec.ports[0]",
                    { rules: "spec.ports[0] (from anywhere: no loadBalancerSourceRanges)", ports: "tcp 5432 (postgres)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "an internet-facing AWS scheme",
            type: SVC,
            props: lb([{ port: 5432 }], { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" }),
            errors: [
                [
                    "worldOpen",
                    "spec.ports[0]",
                    { rules: "spec.ports[0] (from anywhere: no loadBalancerSourceRanges)", ports: "tcp 5432 (postgres)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "DNS over UDP on a public load balancer",
            type: SVC,
            props: lb([{ port: 53, protocol: "UDP" }]),
            errors: [
                [
                    "worldOpen",
                    "spec.ports[0]",
                    { rules: "spec.ports[0] (from anywhere: no loadBalancerSourceRanges)", ports: "udp 53 (dns)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "NetworkPolicy: ipBlock 0.0.0.0/0 on PostgreSQL",
            type: NP,
            props: from([ipBlock("0.0.0.0/0")], { port: 5432 }),
            errors: [
                [
                    "worldOpen",
                    "spec.ingress[0].ports[0]",
                    { rules: "spec.ingress[0].ports[0] (from 0.0.0.0/0)", ports: "tcp 5432 (postgres)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "NetworkPolicy: 0.0.0.0/0 except 10.0.0.0/8 is still the internet",
            type: NP,
            props: from([ipBlock("0.0.0.0/0", ["10.0.0.0/8"])], { port: 5432 }),
            errors: [
                [
                    "worldOpen",
                    "spec.ingress[0].ports[0]",
                    { rules: "spec.ingress[0].ports[0] (from 0.0.0.0/0 except 10.0.0.0/8)", ports: "tcp 5432 (postgres)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "NetworkPolicy: ::/0 except a range",
            type: NP,
            props: from([ipBlock("::/0", ["fd00::/8"])], { port: 6379 }),
            errors: [
                [
                    "worldOpen",
                    "spec.ingress[0].ports[0]",
                    { rules: "spec.ingress[0].ports[0] (from ::/0 except fd00::/8)", ports: "tcp 6379 (redis)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "NetworkPolicy: an empty from is everybody",
            type: NP,
            props: policy({ ingress: [{ from: [], ports: [{ port: 6379 }] }] }),
            errors: [
                [
                    "worldOpen",
                    "spec.ingress[0].ports[0]",
                    { rules: "spec.ingress[0].ports[0] (from anywhere: no from)", ports: "tcp 6379 (redis)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "NetworkPolicy: an empty rule opens every port to everybody",
            type: NP,
            props: policy({ ingress: [{}] }),
            errors: [
                [
                    "worldOpen",
                    "spec.ingress[0]",
                    {
                        rules: "spec.ingress[0] (from anywhere: no from)",
                        ports: "tcp 22 (ssh), 53 (dns), 2379-2380 (etcd), 5432 (postgres), 6379 (redis) and 2 more; udp 53 (dns), 0-52, 54-65535 (65535 undocumented ports)",
                    },
                    "fixWide",
                ],
            ],
        },
        {
            name: "NetworkPolicy: without policyTypes ingress applies",
            type: NP,
            props: { spec: { podSelector: {}, ingress: [{ from: [ipBlock("0.0.0.0/0")], ports: [{ port: 2379, endPort: 2380 }] }] } },
            errors: [
                [
                    "worldOpen",
                    "spec.ingress[0].ports[0]",
                    { rules: "spec.ingress[0].ports[0] (from 0.0.0.0/0)", ports: "tcp 2379-2380 (etcd)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "NetworkPolicy: blocks that add up to the internet",
            type: NP,
            props: from([ipBlock("0.0.0.0/1", ["10.0.0.0/8"]), ipBlock("128.0.0.0/1")], { port: 22 }),
            errors: [
                [
                    "worldOpen",
                    "spec.ingress[0].ports[0]",
                    { rules: "spec.ingress[0].ports[0] (from 0.0.0.0/1 except 10.0.0.0/8 and 128.0.0.0/1)", ports: "tcp 22 (ssh)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "NetworkPolicy: a named port from everybody cannot be verified; the numbered one is blocked",
            type: NP,
            props: from([ipBlock("0.0.0.0/0")], { port: "postgres" }, { port: 6379 }),
            errors: [
                [
                    "worldOpen",
                    "spec.ingress[0].ports[1]",
                    { rules: "spec.ingress[0].ports[1] (from 0.0.0.0/0)", ports: "tcp 6379 (redis)" },
                    "fixSources",
                ],
            ],
            advisories: [
                [
                    "ruleElsewhere",
                    "spec.ingress[0].ports[0]",
                    {
                        rule: "spec.ingress[0].ports[0]",
                        problems:
                            "spec.ingress[0].ports[0].port names a container port (postgres): its number is set by the pods the policy selects, not by the policy",
                    },
                    null,
                ],
            ],
        },
        {
            name: "an unknown internal annotation is advisory",
            type: SVC,
            props: lb([{ port: 5432 }], { "networking.gke.io/load-balancer-type": UNKNOWN }),
            advisories: [
                [
                    "ruleUnknown",
                    "spec.ports[0]",
                    { rule: "spec.ports[0]", paths: "metadata.annotations.networking.gke.io/load-balancer-type" },
                    null,
                ],
            ],
        },
        {
            name: "an unknown Service type is advisory",
            type: SVC,
            props: service({ type: UNKNOWN, ports: [{ port: 5432 }] }),
            advisories: [["listUnknown", "spec.type", { path: "spec.type" }, null]],
        },
        {
            name: "a malformed NetworkPolicy is advisory, never a crash",
            type: NP,
            props: policy({ ingress: [null, { from: "everyone", ports: [{ port: "HTTP" }] }] }),
            advisories: [
                ["listUnreadable", "spec.ingress[0]", { problem: "spec.ingress[0] is not a rule object" }, null],
                [
                    "ruleUnreadable",
                    "spec.ingress[1].ports[0]",
                    {
                        rule: "spec.ingress[1].ports[0]",
                        problems:
                            "spec.ingress[1].from is not a list and spec.ingress[1].ports[0].port is neither a port number nor a port name",
                    },
                    null,
                ],
            ],
        },
    ],
};

const documented: CaseTable = {
    valid: [
        { name: "an internal load balancer on a documented port, no node ports", type: SVC, props: lb([{ port: 5432 }], INTERNAL.Azure) },
        {
            name: "node ports documented in the registry",
            type: SVC,
            props: service({ type: "NodePort", ports: [{ port: 443, nodePort: 30443 }, { port: 80 }] }),
            registryYaml: NODE_PORTS_DOCUMENTED,
        },
        {
            name: "a LoadBalancer's default node ports documented in the registry",
            type: SVC,
            props: service({ type: "LoadBalancer", externalTrafficPolicy: "Local", ports: [{ port: 443 }] }),
            registryYaml: NODE_PORTS_DOCUMENTED,
        },
        // The node ports below are allocated by the cluster: nobody chose them, so nobody is asked to document them.
        {
            name: "a LoadBalancer Service on 80 and 443 (a guestbook frontend) with node ports left to the cluster",
            type: SVC,
            props: service({ type: "LoadBalancer", ports: [{ port: 80, targetPort: 80 }, { port: 443 }] }),
        },
        {
            name: "a NodePort Service without nodePort",
            type: SVC,
            props: service({ type: "NodePort", ports: [{ port: 8080, targetPort: 8080, name: "http" }] }),
        },
        {
            name: "a LoadBalancer with externalTrafficPolicy Local and no healthCheckNodePort",
            type: SVC,
            props: service({ type: "LoadBalancer", externalTrafficPolicy: "Local", ports: [{ port: 443 }] }),
        },
        {
            name: "NetworkPolicy on documented ports",
            type: NP,
            props: from([{ podSelector: {} }], { port: 5432 }, { port: 53, protocol: "UDP" }, { port: 2379, endPort: 2380 }),
        },
        { name: "ClusterIP opens nothing outside the cluster", type: SVC, props: service({ ports: [{ port: 9999 }] }) },
    ],
    invalid: [
        {
            name: "a node port the manifest sets is a chosen port: it must be documented",
            type: SVC,
            props: service({ type: "LoadBalancer", ports: [{ port: 443, nodePort: 31443 }, { port: 80 }] }),
            errors: [
                [
                    "undocumented",
                    "spec.ports[0].nodePort",
                    { rule: "spec.ports[0].nodePort (from node-firewall)", ports: "tcp 31443 (undocumented)" },
                    "fixDocument",
                ],
            ],
        },
        {
            name: "a health-check node port the manifest sets must be documented",
            type: SVC,
            props: service({ type: "LoadBalancer", externalTrafficPolicy: "Local", healthCheckNodePort: 32000, ports: [{ port: 443 }] }),
            errors: [
                [
                    "undocumented",
                    "spec.healthCheckNodePort",
                    { rule: "spec.healthCheckNodePort (from node-firewall)", ports: "tcp 32000 (undocumented)" },
                    "fixDocument",
                ],
            ],
        },
        {
            name: "an explicit node port",
            type: SVC,
            props: service({ type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] }),
            errors: [
                [
                    "undocumented",
                    "spec.ports[0].nodePort",
                    { rule: "spec.ports[0].nodePort (from node-firewall)", ports: "tcp 30080 (undocumented)" },
                    "fixDocument",
                ],
            ],
        },
        {
            name: "an undocumented load balancer port",
            type: SVC,
            props: lb([{ port: 9000 }], INTERNAL.GKE),
            errors: [
                [
                    "undocumented",
                    "spec.ports[0]",
                    { rule: "spec.ports[0] (from internal-load-balancer)", ports: "tcp 9000 (undocumented)" },
                    "fixDocument",
                ],
            ],
        },
        {
            name: "an undocumented port on external IPs",
            type: SVC,
            props: service({ externalIPs: ["203.0.113.10"], ports: [{ port: 8443 }] }),
            errors: [
                [
                    "undocumented",
                    "spec.ports[0]",
                    { rule: "spec.ports[0] (from external-ips)", ports: "tcp 8443 (undocumented)" },
                    "fixDocument",
                ],
            ],
        },
        {
            name: "NetworkPolicy: an undocumented port range",
            type: NP,
            props: from([{ podSelector: {} }], { port: 9000, endPort: 9010 }),
            errors: [
                [
                    "undocumented",
                    "spec.ingress[0].ports[0]",
                    { rule: "spec.ingress[0].ports[0] (from pod-selector)", ports: "tcp 9000-9010 (11 undocumented ports)" },
                    "fixDocument",
                ],
            ],
        },
        {
            name: "NetworkPolicy: no ports opens every port",
            type: NP,
            props: policy({ ingress: [{ from: [{ namespaceSelector: {} }] }] }),
            errors: [
                [
                    "undocumented",
                    "spec.ingress[0]",
                    {
                        rule: "spec.ingress[0] (from namespace-selector)",
                        ports: "tcp 0-21, 23-52, 54-79, 81-442 and 5 more ranges (65527 undocumented ports); udp 0-52, 54-65535 (65535 undocumented ports)",
                    },
                    "fixNarrow",
                ],
            ],
        },
        {
            name: "NetworkPolicy: a named port is advisory",
            type: NP,
            props: from([{ podSelector: {} }], { port: "metrics" }),
            advisories: [
                [
                    "ruleElsewhere",
                    "spec.ingress[0].ports[0]",
                    {
                        rule: "spec.ingress[0].ports[0]",
                        problems:
                            "spec.ingress[0].ports[0].port names a container port (metrics): its number is set by the pods the policy selects, not by the policy",
                    },
                    null,
                ],
            ],
        },
        {
            name: "an unknown node port is advisory",
            type: SVC,
            props: service({ type: "NodePort", ports: [{ port: 80, nodePort: UNKNOWN }] }),
            advisories: [
                ["ruleUnknown", "spec.ports[0].nodePort", { rule: "spec.ports[0].nodePort", paths: "spec.ports[0].nodePort" }, null],
            ],
        },
    ],
};

export const cases: Record<string, CaseTable> = {
    "no-world-open-internal-ports": noWorld,
    "documented-ports-only": documented,
};
