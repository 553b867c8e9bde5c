// Kubernetes resources deployed through several providers (`{ provider }`), with the provider
// resources as the engine sends them to AnalyzeStack: which cluster each provider deploys to, from
// the cluster resources its `kubeconfig` is built from (property dependencies) and from the API
// server a known kubeconfig names. Different clusters never match; one cluster matches as one
// provider; anything else may or may not be one cluster (an advisory, as without the providers).
import { PolicyCase as Case, StackCase, UNKNOWN, urnOf } from "../../helpers";
import { FLOWS_REGISTRY, K, KStack, Mode, match, policy, service, tcp, workload } from "./kubernetes-graph-stacks";

const both = (name: string, make: (mode: Mode) => Omit<Case, "name">): Case[] =>
    (["preview", "update"] as const).map((mode) => ({ name: `${name} (${mode})`, ...make(mode) }));

const PROVIDER = "pulumi:providers:kubernetes";
const CLUSTER = {
    eks: "aws:eks/cluster:Cluster",
    gke: "gcp:container/cluster:Cluster",
    aks: "azure:containerservice/kubernetesCluster:KubernetesCluster",
    doks: "digitalocean:index/kubernetesCluster:KubernetesCluster",
    eksComponent: "eks:index:Cluster",
} as const;

/** A kubeconfig of one cluster, one context and one user, as a cluster's kubeconfig output reads. */
export const kubeconfig = (server: string, opts: { user?: string; token?: string } = {}) =>
    [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: the-cluster",
        "  cluster:",
        `    server: ${server}`,
        "contexts:",
        "- name: the-context",
        "  context:",
        "    cluster: the-cluster",
        `    user: ${opts.user ?? "admin"}`,
        "current-context: the-context",
        "users:",
        `- name: ${opts.user ?? "admin"}`,
        "  user:",
        `    token: ${opts.token ?? "t0ken"}`,
        "",
    ].join("\n");

interface ProviderSpec {
    /** The provider's inputs (`kubeconfig`, `context`, `cluster`, `namespace`). */
    props?: Record<string, unknown>;
    /** The cluster resources of the stack its kubeconfig is built from, as [type, name]. */
    builtFrom?: (readonly [string, string])[];
    /** Clusters read with `.get()`, as [type, name]: its kubeconfig depends on them, the stack does not hold them. */
    readFrom?: (readonly [string, string])[];
}

/** The provider resources and the cluster resources they are built from (each once). */
function providerRows(providers: Record<string, ProviderSpec>): StackCase[] {
    const clusters = new Map<string, StackCase>();
    const rows: StackCase[] = [];
    for (const [name, p] of Object.entries(providers)) {
        const from = p.builtFrom ?? [];
        for (const [type, n] of from) clusters.set(urnOf(type, n), { type, name: n, props: {} });
        const deps = [...from, ...(p.readFrom ?? [])].map(([type, n]) => urnOf(type, n));
        rows.push({
            type: PROVIDER,
            name,
            props: p.props ?? {},
            ...(deps.length > 0 ? { propertyDependencies: { kubeconfig: deps } } : {}),
        });
    }
    return [...clusters.values(), ...rows];
}

/** The stack's rows, the named ones deployed through a provider (`{ row: provider }`), after the clusters and providers. */
function through(rows: StackCase[], via: Record<string, string>, providers: Record<string, ProviderSpec>): StackCase[] {
    return [...providerRows(providers), ...rows.map((r) => (via[r.name] ? { ...r, provider: urnOf(PROVIDER, via[r.name]) } : r))];
}

const webOn = () =>
    new KStack()
        .add(K.deployment, "web", workload({ labels: { app: "web" }, ports: [{ containerPort: 5432 }] }))
        .add(K.service, "web-lb", service({ app: "web" }, { type: "LoadBalancer", ports: [{ port: 5432 }] }));
const denyAll = policy({}, { policyTypes: ["Ingress"] });
const EXPOSED: NonNullable<Case["errors"]> = [
    ["exposed", null, { workload: "`web`", path: /^internet → LoadBalancer Service `web-lb` \(tcp 5432 → 5432, .*\) → `web`$/ }, "fixPath"],
];
const unproven = (reason: string | RegExp): NonNullable<Case["advisories"]> => [["unproven", null, { workload: "`web`", reason }]];

/** A kubeconfig output: unknown in preview, its text once the cluster exists. */
const kubeconfigOf = (mode: Mode, server: string) => (mode === "preview" ? UNKNOWN : kubeconfig(server));
const EKS = "https://ABC123.gr7.us-west-2.eks.amazonaws.com";
const GKE = "https://34.118.0.10";

/** pulumi/examples kubernetes-ts-multicloud's shape: one provider per cluster, each built from its cluster's kubeconfig output. */
const multicloud = (mode: Mode): Record<string, ProviderSpec> => ({
    eks: { props: { kubeconfig: kubeconfigOf(mode, EKS) }, builtFrom: [[CLUSTER.eks, "eks-cluster"]] },
    gke: { props: { kubeconfig: kubeconfigOf(mode, GKE) }, builtFrom: [[CLUSTER.gke, "gke-cluster"]] },
});

// ---------------------------------------------------------------------------------------------
// Documented flows: api (namespace `shop`) → postgres (namespace `data`), locked down by NetworkPolicies.

const PG = { labels: { app: "postgres", service: "postgres" }, ports: [{ name: "pg", containerPort: 5432 }] };
const API = { labels: { app: "api", service: "api" }, ports: [{ name: "http", containerPort: 8080 }] };
const denyBoth = policy({}, { policyTypes: ["Ingress", "Egress"] });
const lockedDown = () =>
    new KStack()
        .add(K.ns, "shop", { metadata: { name: "shop", labels: { team: "shop" } } })
        .add(K.ns, "data", { metadata: { labels: { team: "data" } } })
        .add(K.deployment, "api", workload(API), "shop")
        .add(K.statefulSet, "postgres", workload(PG), "data")
        .add(K.policy, "shop-deny", denyBoth, "shop")
        .add(K.policy, "data-deny", denyBoth, "data")
        .add(
            K.policy,
            "api-egress",
            policy(match({ app: "api" }), {
                policyTypes: ["Egress"],
                egress: [
                    { to: [{ namespaceSelector: match({ team: "data" }), podSelector: match({ app: "postgres" }) }], ports: [tcp(5432)] },
                ],
            }),
            "shop",
        )
        .add(
            K.policy,
            "postgres-ingress",
            policy(match({ app: "postgres" }), {
                policyTypes: ["Ingress"],
                ingress: [
                    {
                        from: [{ namespaceSelector: match({ "kubernetes.io/metadata.name": "shop" }), podSelector: match({ app: "api" }) }],
                        ports: [tcp(5432)],
                    },
                ],
            }),
            "data",
        );
/** api's side through provider `a`, postgres's through `b`. */
const split = {
    shop: "a",
    api: "a",
    "shop-deny": "a",
    "api-egress": "a",
    data: "b",
    postgres: "b",
    "data-deny": "b",
    "postgres-ingress": "b",
};

export const cases: Record<string, { valid: Case[]; invalid: Case[] }> = {
    "no-internet-path-to-internal-ports": {
        valid: [
            ...both(
                "providers built from different cluster resources (EKS, GKE): a LoadBalancer of one selects no pods of the other",
                (mode) => ({
                    resources: through(webOn().build(mode), { web: "eks", "web-lb": "gke" }, multicloud(mode)),
                }),
            ),
            ...both("providers built from an AKS and a DigitalOcean cluster", (mode) => ({
                resources: through(
                    webOn().build(mode),
                    { web: "aks", "web-lb": "doks" },
                    {
                        aks: { props: { kubeconfig: UNKNOWN }, builtFrom: [[CLUSTER.aks, "aks-cluster"]] },
                        doks: { props: { kubeconfig: UNKNOWN }, builtFrom: [[CLUSTER.doks, "doks-cluster"]] },
                    },
                ),
            })),
            ...both("known kubeconfigs that name different API servers (no cluster resource in the stack)", (mode) => ({
                resources: through(
                    webOn().build(mode),
                    { web: "prod", "web-lb": "staging" },
                    {
                        prod: { props: { kubeconfig: kubeconfig("https://prod.k8s.example.com:6443") } },
                        staging: { props: { kubeconfig: kubeconfig("https://staging.k8s.example.com:6443") } },
                    },
                ),
            })),
            ...both("one known kubeconfig of two clusters: each provider's `context` selects its API server", (mode) => {
                const two = kubeconfig("https://one.example").replace(
                    "contexts:\n",
                    "- name: other-cluster\n  cluster:\n    server: https://two.example\ncontexts:\n- name: other\n  context:\n    cluster: other-cluster\n    user: admin\n",
                );
                return {
                    resources: through(
                        webOn().build(mode),
                        { web: "one", "web-lb": "two" },
                        { one: { props: { kubeconfig: two } }, two: { props: { kubeconfig: two, context: "other" } } },
                    ),
                };
            }),
            {
                // Preview only: on update the live objects name their namespace.
                name: "providers of one cluster with their own `namespace`: what names none is in different namespaces",
                resources: through(
                    webOn().build("preview"),
                    { web: "team-a", "web-lb": "team-b" },
                    {
                        "team-a": { props: { kubeconfig: UNKNOWN, namespace: "team-a" }, builtFrom: [[CLUSTER.eks, "eks-cluster"]] },
                        "team-b": { props: { kubeconfig: UNKNOWN, namespace: "team-b" }, builtFrom: [[CLUSTER.eks, "eks-cluster"]] },
                    },
                ),
            },
        ],
        invalid: [
            ...both("a deny-all policy of another cluster does not isolate the pods (no advisory: it cannot select them)", (mode) => ({
                resources: through(
                    webOn().add(K.policy, "deny", denyAll).build(mode),
                    { web: "eks", "web-lb": "eks", deny: "gke" },
                    multicloud(mode),
                ),
                errors: EXPOSED,
            })),
            ...both("two providers built from one cluster resource (same context): matched as one provider", (mode) => ({
                resources: through(
                    webOn().build(mode),
                    { web: "apps", "web-lb": "edge" },
                    {
                        apps: { props: { kubeconfig: kubeconfigOf(mode, EKS) }, builtFrom: [[CLUSTER.eks, "eks-cluster"]] },
                        edge: { props: { kubeconfig: kubeconfigOf(mode, EKS) }, builtFrom: [[CLUSTER.eks, "eks-cluster"]] },
                    },
                ),
                errors: EXPOSED,
            })),
            ...both("identical known kubeconfigs: matched as one provider", (mode) => ({
                resources: through(
                    webOn().build(mode),
                    { web: "a", "web-lb": "b" },
                    { a: { props: { kubeconfig: kubeconfig(EKS) } }, b: { props: { kubeconfig: kubeconfig(EKS) } } },
                ),
                errors: EXPOSED,
            })),
            ...both("kubeconfigs of one API server for different users: one cluster", (mode) => ({
                resources: through(
                    webOn().build(mode),
                    { web: "a", "web-lb": "b" },
                    {
                        a: { props: { kubeconfig: kubeconfig(`${EKS}:443/`, { user: "deployer" }) } },
                        b: { props: { kubeconfig: kubeconfig(EKS.toLowerCase(), { user: "admin" }) } },
                    },
                ),
                errors: EXPOSED,
            })),
            ...both("two explicit providers of the ambient configuration (nothing set): one cluster", (mode) => ({
                resources: through(webOn().build(mode), { web: "local", "web-lb": "local-too" }, { local: {}, "local-too": {} }),
                errors: EXPOSED,
            })),
            ...both(
                "unknown kubeconfigs built from no cluster of the stack: may or may not be one cluster (advisory, as before)",
                (mode) => ({
                    resources: through(
                        webOn().build(mode),
                        { web: "a", "web-lb": "b" },
                        { a: { props: { kubeconfig: UNKNOWN } }, b: { props: { kubeconfig: UNKNOWN } } },
                    ),
                    advisories: unproven(
                        "`web-lb` and `web` are deployed through different Kubernetes providers (provider `b`, provider `a`), which may or may not be one cluster",
                    ),
                }),
            ),
            ...both(
                "the default provider beside two built from clusters: the default may be either, the other cluster is apart (advisory)",
                (mode) => ({
                    resources: through(webOn().add(K.policy, "deny", denyAll).build(mode), { web: "eks", deny: "gke" }, multicloud(mode)),
                    // Only the Service of the default provider is in doubt: the policy of the GKE cluster selects no EKS pods.
                    advisories: unproven(
                        "`web-lb` and `web` are deployed through different Kubernetes providers (the default provider, provider `eks`), which may or may not be one cluster",
                    ),
                }),
            ),
            ...both("one cluster resource, two contexts: may or may not be one cluster (advisory)", (mode) => ({
                resources: through(
                    webOn().build(mode),
                    { web: "a", "web-lb": "b" },
                    {
                        a: { props: { kubeconfig: UNKNOWN, context: "blue" }, builtFrom: [[CLUSTER.eks, "eks-cluster"]] },
                        b: { props: { kubeconfig: UNKNOWN, context: "green" }, builtFrom: [[CLUSTER.eks, "eks-cluster"]] },
                    },
                ),
                advisories: unproven(/provider `b`, provider `a`/),
            })),
            ...both("clusters read with `.get()` are not in the stack: two reads may be one cluster (advisory)", (mode) => ({
                resources: through(
                    webOn().build(mode),
                    { web: "a", "web-lb": "b" },
                    {
                        a: { props: { kubeconfig: UNKNOWN }, readFrom: [[CLUSTER.eks, "existing"]] },
                        b: { props: { kubeconfig: UNKNOWN }, readFrom: [[CLUSTER.eks, "existing-again"]] },
                    },
                ),
                advisories: unproven(/provider `b`, provider `a`/),
            })),
            ...both("an EKS component and a cluster resource inside an EKS component: may be one cluster (advisory)", (mode) => ({
                resources: through(
                    webOn().build(mode),
                    { web: "outer", "web-lb": "inner" },
                    {
                        outer: { props: { kubeconfig: UNKNOWN }, builtFrom: [[CLUSTER.eksComponent, "cluster"]] },
                        inner: {
                            props: { kubeconfig: UNKNOWN },
                            builtFrom: [[`${CLUSTER.eksComponent}$${CLUSTER.eks}`, "cluster-eksCluster"]],
                        },
                    },
                ),
                advisories: unproven(/provider `inner`, provider `outer`/),
            })),
        ],
    },
    "documented-flows-reachable": {
        valid: [
            ...both(
                "api and postgres through two providers of one cluster: namespace selectors match across them, the flow passes",
                (mode) => ({
                    registryYaml: FLOWS_REGISTRY(),
                    resources: through(lockedDown().build(mode), split, {
                        a: { props: { kubeconfig: UNKNOWN }, builtFrom: [[CLUSTER.gke, "gke-cluster"]] },
                        b: { props: { kubeconfig: UNKNOWN }, builtFrom: [[CLUSTER.gke, "gke-cluster"]] },
                    }),
                }),
            ),
        ],
        invalid: [
            ...both("api and postgres in different clusters: api's egress policy selects pods of its own cluster only", (mode) => ({
                registryYaml: FLOWS_REGISTRY(),
                resources: through(lockedDown().build(mode), split, {
                    a: { props: { kubeconfig: UNKNOWN }, builtFrom: [[CLUSTER.gke, "gke-cluster"]] },
                    b: { props: { kubeconfig: UNKNOWN }, builtFrom: [[CLUSTER.eks, "eks-cluster"]] },
                }),
                errors: [
                    [
                        "blocked",
                        null,
                        {
                            client: "`api`",
                            server: "`postgres`",
                            why: "the request dies at network policies `shop-deny` and `api-egress` outbound: no NetworkPolicy rule allows tcp 5432 to `postgres`",
                        },
                        "fixAdd",
                    ],
                ],
            })),
        ],
    },
};
