// The Kubernetes network graph through both stack policies: small stacks as the engine sends them,
// each written as preview sends it (auto-named namespaces unknown, linked by property dependencies)
// and as update sends it (the live objects), where the difference matters.
import { PolicyCase as Case, UNKNOWN } from "../../helpers";
import { FLOWS_REGISTRY, K, KStack, Mode, match, policy, service, tcp, workload } from "./kubernetes-graph-stacks";

const both = (name: string, make: (mode: Mode) => Omit<Case, "name">): Case[] =>
    (["preview", "update"] as const).map((mode) => ({ name: `${name} (${mode})`, ...make(mode) }));

const PG = { labels: { app: "postgres", service: "postgres" }, ports: [{ name: "pg", containerPort: 5432 }] };
const API = { labels: { app: "api", service: "api" }, ports: [{ name: "http", containerPort: 8080 }] };
const lb = (port: number, targetPort?: number | string, extra: Record<string, unknown> = {}) => ({
    type: "LoadBalancer",
    ports: [{ port, ...(targetPort !== undefined ? { targetPort } : {}) }],
    ...extra,
});

/** PostgreSQL pods in namespace `data` (a Namespace of the stack) behind `svc`. */
function pgBehind(svc: Record<string, unknown>, annotations?: Record<string, string>, s = new KStack()): KStack {
    return s
        .add(K.ns, "data", { metadata: { labels: { team: "data" } } })
        .add(K.statefulSet, "postgres", workload(PG), "data")
        .add(K.service, "postgres-lb", service({ app: "postgres" }, svc, annotations), "data");
}

const denyAll = (types: string[]) => policy({}, { policyTypes: types });
const SG_POLICY = "kubernetes:vpcresources.k8s.aws/v1beta1:SecurityGroupPolicy";

// ---------------------------------------------------------------------------------------------
// Documented flows: `api` (service api, namespace `shop`) → `postgres` (service postgres, namespace `data`).

interface FlowOptions {
    /** Extra resources: policies, mostly. */
    more?: (s: KStack) => KStack;
    pgPorts?: Record<string, unknown>[];
}

function flows(o: FlowOptions = {}): KStack {
    const s = new KStack()
        .add(K.ns, "shop", { metadata: { name: "shop", labels: { team: "shop" } } })
        .add(K.ns, "data", { metadata: { labels: { team: "data" } } })
        .add(K.deployment, "api", workload(API), "shop")
        .add(K.statefulSet, "postgres", workload({ ...PG, ...(o.pgPorts ? { ports: o.pgPorts } : {}) }), "data");
    return o.more ? o.more(s) : s;
}

/** The usual lock-down: both namespaces deny everything, api may reach postgres, postgres admits api. */
const fromApi = { namespaceSelector: match({ "kubernetes.io/metadata.name": "shop" }), podSelector: match({ app: "api" }) };
const toPg = { namespaceSelector: match({ team: "data" }), podSelector: match({ app: "postgres" }) };
function lockedDown(
    s: KStack,
    pgIngress: unknown[] = [{ from: [fromApi], ports: [tcp(5432)] }],
    apiEgress: unknown[] = [{ to: [toPg], ports: [tcp(5432)] }],
): KStack {
    return s
        .add(K.policy, "shop-deny", denyAll(["Ingress", "Egress"]), "shop")
        .add(K.policy, "data-deny", denyAll(["Ingress", "Egress"]), "data")
        .add(K.policy, "api-egress", policy(match({ app: "api" }), { policyTypes: ["Egress"], egress: apiEgress }), "shop")
        .add(K.policy, "postgres-ingress", policy(match({ app: "postgres" }), { policyTypes: ["Ingress"], ingress: pgIngress }), "data");
}

/** `lockedDown` with api pods in namespace `ns` too (`labels` its labels), postgres admitting the api pods of namespaces labelled `team: shop`. */
const apiAlsoIn = (ns: string, labels: unknown) => (s: KStack) =>
    lockedDown(s.add(K.ns, ns, { metadata: { name: ns, labels } }).add(K.deployment, `api-${ns}`, workload(API), ns), [
        { from: [{ namespaceSelector: match({ team: "shop" }), podSelector: match({ app: "api" }) }], ports: [tcp(5432)] },
    ]);

const registryYaml = FLOWS_REGISTRY();
const PATH_LB =
    /^internet → LoadBalancer Service `postgres-lb` \(tcp 5432 → 5432, from anywhere: no loadBalancerSourceRanges\) → `postgres`$/;

/** A Kubernetes provider resource of the stack, by name: what a resource created with `{ provider }` names. */
const providerUrn = (name: string) => `urn:pulumi:stack::project::pulumi:providers:kubernetes::${name}`;
/** The rows with the named ones deployed through explicit providers (`{ row: provider }`); the rest through the default one. */
const through = (rows: Case["resources"], providers: Record<string, string>): Case["resources"] =>
    rows!.map((r) => (providers[r.name] ? { ...r, provider: providerUrn(providers[r.name]) } : r));
const webOn = () =>
    new KStack()
        .add(K.deployment, "web", workload({ labels: { app: "web" }, ports: [{ containerPort: 5432 }] }))
        .add(K.service, "web-lb", service({ app: "web" }, lb(5432)));

export const cases: Record<string, { valid: Case[]; invalid: Case[] }> = {
    "no-internet-path-to-internal-ports": {
        valid: [
            ...both("a SecurityGroupPolicy selecting other pods leaves these as they are", (mode) => ({
                resources: pgBehind({ type: "ClusterIP", ports: [{ port: 5432 }] })
                    .add(
                        SG_POLICY,
                        "web-sgs",
                        { spec: { podSelector: match({ app: "web" }), securityGroups: { groupIds: ["sg-0abc"] } } },
                        "data",
                    )
                    .build(mode),
            })),
            ...both("a LoadBalancer on a public port to pods that answer on it", (mode) => ({
                resources: new KStack()
                    .add(K.deployment, "web", workload({ labels: { app: "web" }, ports: [{ name: "http", containerPort: 80 }] }))
                    .add(K.service, "web", service({ app: "web" }, lb(80, "http")))
                    .build(mode),
            })),
            ...both("a ClusterIP Service: inside the cluster only", (mode) => ({
                resources: pgBehind({ ports: [{ port: 5432 }] }).build(mode),
            })),
            ...both("an internal load balancer (AWS scheme annotation)", (mode) => ({
                resources: pgBehind(lb(5432), { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" }).build(mode),
            })),
            ...both("`loadBalancerSourceRanges` of the VPN only: the load balancer admits no internet", (mode) => ({
                resources: pgBehind(lb(5432, undefined, { loadBalancerSourceRanges: ["10.99.0.0/16"] })).build(mode),
            })),
            ...both("the pods' ingress policies admit the api pods only", (mode) => ({
                resources: pgBehind(lb(5432))
                    .add(
                        K.policy,
                        "pg-from-api",
                        policy(match({ app: "postgres" }), {
                            ingress: [{ from: [{ podSelector: match({ app: "api" }) }], ports: [tcp(5432)] }],
                        }),
                        "data",
                    )
                    .build(mode),
            })),
            ...both("a named target port the pods do not have: they are no endpoint for it", (mode) => ({
                resources: pgBehind(lb(443, "metrics")).build(mode),
            })),
            ...both("a Service in another namespace selects no pods here", (mode) => ({
                resources: new KStack()
                    .add(K.ns, "data", {})
                    .add(K.ns, "web", {})
                    .add(K.statefulSet, "postgres", workload(PG), "data")
                    .add(K.service, "postgres-lb", service({ app: "postgres" }, lb(5432)), "web")
                    .build(mode),
            })),
            ...both("external IPs in a private range are no way in from the internet", (mode) => ({
                resources: pgBehind({ ports: [{ port: 5432 }], externalIPs: ["10.40.10.50"] }).build(mode),
            })),
            ...both("a world-open NetworkPolicy on pods no Service exposes stays with no-world-open-internal-ports", (mode) => ({
                resources: pgBehind({ ports: [{ port: 5432 }] })
                    .add(K.policy, "pg-open", policy({}, { ingress: [{ ports: [tcp(5432)] }] }), "data")
                    .build(mode),
            })),
            ...both("an Ingress in another namespace, or to a Service that selects other pods, is no way in to them", (mode) => ({
                resources: new KStack()
                    .add(K.ns, "data", { metadata: { name: "data" } })
                    .add(K.ns, "web", { metadata: { name: "web" } })
                    .add(K.statefulSet, "postgres", workload(PG), "data")
                    .add(K.service, "postgres", service({ app: "postgres" }, { ports: [{ port: 5432 }] }), "data")
                    .add(K.service, "other", service({ app: "other" }, { ports: [{ port: 5432 }] }), "data")
                    .ingress("web-ingress", [{ service: "postgres", port: 5432 }], "web")
                    .ingress("other-ingress", [{ service: "other", port: 5432 }], "data")
                    .build(mode),
            })),
            ...both("a Service without a selector (endpoints managed by hand) selects no pods", (mode) => ({
                resources: new KStack()
                    .add(K.statefulSet, "postgres", workload(PG))
                    .add(K.service, "pg-manual", service(undefined, lb(5432)))
                    .build(mode),
            })),
            {
                name: "a stack of Kubernetes resources without workloads",
                resources: new KStack()
                    .add(K.ns, "data", {})
                    .add(K.policy, "deny", denyAll(["Ingress"]), "data")
                    .build("update"),
            },
            ...both(
                "pods, their LoadBalancer and a deny-all policy through one explicit provider: isolated as on the default one",
                (mode) => ({
                    resources: through(
                        webOn()
                            .add(K.policy, "deny", denyAll(["Ingress"]))
                            .build(mode),
                        {
                            web: "gke",
                            "web-lb": "gke",
                            deny: "gke",
                        },
                    ),
                }),
            ),
        ],
        invalid: [
            ...both("a LoadBalancer without source ranges to pods that no policy isolates", (mode) => ({
                resources: pgBehind(lb(5432)).build(mode),
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            workload: "`postgres`",
                            // Named as Kubernetes knows it: the auto-named Namespace's metadata.name once it is known.
                            placement: mode === "preview" ? "`data`" : "`data-5f3a2b1c`",
                            ports: "tcp 5432 (postgres)",
                            path: PATH_LB,
                        },
                        "fixPath",
                    ],
                ],
            })),
            ...both(
                "an AWS SecurityGroupPolicy binds security groups to the pods: a layer the graph does not read, so advised, never a violation",
                (mode) => ({
                    resources: pgBehind(lb(5432))
                        .add(
                            SG_POLICY,
                            "pg-sgs",
                            { spec: { podSelector: match({ app: "postgres" }), securityGroups: { groupIds: ["sg-0abc"] } } },
                            "data",
                        )
                        .build(mode),
                    advisories: [
                        [
                            "unproven",
                            null,
                            {
                                workload: "`postgres`",
                                ports: "tcp 5432 (postgres)",
                                reason: "SecurityGroupPolicy `pg-sgs` binds AWS security groups to the pods of `postgres`, whose rules the graph does not read",
                            },
                        ],
                    ],
                }),
            ),
            ...both("a SecurityGroupPolicy by service account may select the pods: advised", (mode) => ({
                resources: pgBehind(lb(5432))
                    .add(
                        SG_POLICY,
                        "sa-sgs",
                        { spec: { serviceAccountSelector: match({ role: "db" }), securityGroups: { groupIds: ["sg-0abc"] } } },
                        "data",
                    )
                    .build(mode),
                advisories: [
                    ["unproven", null, { workload: "`postgres`", reason: /^SecurityGroupPolicy `sa-sgs` may bind AWS security groups/ }],
                ],
            })),
            ...both("a Namespace whose metadata.name is not its Pulumi name is named by its metadata.name", (mode) => ({
                resources: new KStack()
                    .add(K.ns, "microservices-ns", { metadata: { name: "microservices-dev" } })
                    .add(K.statefulSet, "postgres", workload(PG), "microservices-ns")
                    .add(K.service, "postgres-lb", service({ app: "postgres" }, lb(5432)), "microservices-ns")
                    .build(mode),
                errors: [["exposed", null, { workload: "`postgres`", placement: "`microservices-dev`", path: PATH_LB }, "fixPath"]],
            })),
            ...both("a public port (443) forwarded to a named container port that is internal (8080)", (mode) => ({
                resources: new KStack()
                    .add(K.deployment, "app", workload({ labels: { app: "app" }, ports: [{ name: "http-alt", containerPort: 8080 }] }))
                    .add(K.service, "app-lb", service({ app: "app" }, lb(443, "http-alt")))
                    .build(mode),
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            workload: "`app`",
                            ports: "tcp 8080 (app)",
                            path: "internet → LoadBalancer Service `app-lb` (tcp 443 → 8080, from anywhere: no loadBalancerSourceRanges) → `app`",
                        },
                    ],
                ],
            })),
            ...both("the pods' ingress policies admit the world except the pod network", (mode) => ({
                resources: pgBehind(lb(5432))
                    .add(K.policy, "default-deny", denyAll(["Ingress"]), "data")
                    .add(
                        K.policy,
                        "pg-analytics",
                        policy(match({ app: "postgres" }), {
                            ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }], ports: [tcp(5432)] }],
                        }),
                        "data",
                    )
                    .build(mode),
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            workload: "`postgres`",
                            path: /Service `postgres-lb` .* → network policies `default-deny` and `pg-analytics` \(`pg-analytics` spec\.ingress\[0\]\.ports\[0\] \(tcp 5432 from 0\.0\.0\.0\/0.*\)\) → `postgres`$/,
                        },
                    ],
                ],
            })),
            ...both("policies that isolate the pods for egress only leave their ingress open", (mode) => ({
                resources: pgBehind(lb(5432))
                    .add(K.policy, "deny-egress", denyAll(["Egress"]), "data")
                    .build(mode),
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            workload: "`postgres`",
                            path: /network policies \(none applies inbound\) \(ingress \(every source: no NetworkPolicy isolates these pods for ingress\)\)/,
                        },
                    ],
                ],
            })),
            ...both("the world split over two source ranges of the load balancer", (mode) => ({
                resources: pgBehind(lb(5432, undefined, { loadBalancerSourceRanges: ["0.0.0.0/1", "128.0.0.0/1"] })).build(mode),
                errors: [["exposed", null, { workload: "`postgres`", path: /from 0\.0\.0\.0\/1, 128\.0\.0\.0\/1\) → `postgres`$/ }]],
            })),
            ...both("a CronJob's pods behind a LoadBalancer", (mode) => ({
                resources: new KStack()
                    .add(K.cronJob, "report", workload({ labels: { app: "report" }, ports: [{ containerPort: 6379 }] }, K.cronJob))
                    .add(K.service, "report-lb", service({ app: "report" }, lb(6379)))
                    .build(mode),
                errors: [["exposed", null, { workload: "`report`", ports: "tcp 6379 (redis)" }]],
            })),
            ...both("a NodePort Service: the nodes' firewall is outside this stack (advisory)", (mode) => ({
                resources: pgBehind({ type: "NodePort", ports: [{ port: 5432, nodePort: 30432 }] }).build(mode),
                advisories: [
                    [
                        "unproven",
                        null,
                        {
                            workload: "`postgres`",
                            path: /node ports of NodePort Service `postgres-lb` on every node \(tcp 30432 → 5432\)/,
                            reason: /firewall in front of the nodes, which is outside this stack/,
                        },
                    ],
                ],
            })),
            ...both(
                "an Ingress routes to a ClusterIP Service that selects the pods: the ingress controller is not read (advisory)",
                (mode) => ({
                    // pulumi-kubernetes' examples/ingress; the Service auto-named (its name unknown in preview, linked by `spec`), with a
                    // second port the Ingress does not name.
                    resources: new KStack()
                        .add(K.ns, "web", {})
                        .add(
                            K.deployment,
                            "hello-app",
                            workload({ labels: { app: "hello" }, ports: [{ containerPort: 8080 }, { containerPort: 6379 }] }),
                            "web",
                        )
                        .add(
                            K.service,
                            "hello",
                            service(
                                { app: "hello" },
                                {
                                    ports: [
                                        { name: "http", port: 8080 },
                                        { name: "cache", port: 6379 },
                                    ],
                                },
                            ),
                            "web",
                        )
                        .ingress("hello-ingress", [{ service: "hello", port: 8080 }], "web")
                        .build(mode),
                    advisories: [
                        [
                            "unproven",
                            null,
                            {
                                workload: "`hello-app`",
                                ports: "tcp 8080 (app)",
                                path: "internet → Ingress `hello-ingress` to Service `hello` (tcp 8080 → 8080) → `hello-app`",
                                reason: "Ingress `hello-ingress` routes to Service `hello`, and the ingress controller in front of it is not read",
                            },
                        ],
                    ],
                }),
            ),
            ...both("an extensions/v1beta1 Ingress to a Service port by name (advisory)", (mode) => ({
                resources: new KStack()
                    .add(K.deployment, "hello-app", workload({ labels: { app: "hello" }, ports: [{ name: "web", containerPort: 8080 }] }))
                    .add(K.service, "hello", service({ app: "hello" }, { ports: [{ name: "http", port: 80, targetPort: "web" }] }))
                    .ingress("hello-ingress", [{ service: "hello", port: "http" }], undefined, K.ingressBeta)
                    .build(mode),
                advisories: [
                    ["unproven", null, { workload: "`hello-app`", path: /Ingress `hello-ingress` to Service `hello` \(tcp 80 → 8080\)/ }],
                ],
            })),
            ...both("external IPs that are public: the network in front of the nodes is outside this stack (advisory)", (mode) => ({
                resources: pgBehind({ ports: [{ port: 5432 }], externalIPs: ["203.0.113.10"] }).build(mode),
                advisories: [["unproven", null, { workload: "`postgres`", path: /external IPs of Service `postgres-lb`/ }]],
            })),
            ...both("a DaemonSet's host port (advisory)", (mode) => ({
                resources: new KStack()
                    .add(
                        K.daemonSet,
                        "exporter",
                        workload({ labels: { app: "exporter" }, ports: [{ containerPort: 6379, hostPort: 6379 }] }, K.daemonSet),
                    )
                    .build(mode),
                advisories: [
                    [
                        "unproven",
                        null,
                        {
                            workload: "`exporter`",
                            ports: "tcp 6379 (redis)",
                            path: /host ports of `exporter` on its nodes \(tcp 6379 → 6379\)/,
                        },
                    ],
                ],
            })),
            ...both("whether the load balancer is internal is unknown until update (advisory)", (mode) => ({
                resources: pgBehind(lb(5432), { "service.beta.kubernetes.io/aws-load-balancer-scheme": UNKNOWN }).build(mode),
                advisories: [
                    [
                        "unproven",
                        null,
                        { workload: "`postgres`", reason: /whether `postgres-lb` is an internal load balancer.* is unknown until update/ },
                    ],
                ],
            })),
            {
                name: "a policy whose namespace is unknown until update and names nothing in the stack may isolate the pods (advisory)",
                resources: pgBehind(lb(5432))
                    .build("preview")
                    .concat([
                        {
                            type: K.policy,
                            name: "maybe-deny",
                            props: { metadata: { namespace: UNKNOWN }, spec: { podSelector: {}, policyTypes: ["Ingress"] } },
                        },
                    ]),
                advisories: [
                    [
                        "unproven",
                        null,
                        {
                            workload: "`postgres`",
                            reason: /whether `maybe-deny` isolates these pods for ingress is unknown until update \(the namespace of `maybe-deny` is unknown until update\)/,
                        },
                    ],
                ],
            },
            {
                name: "empty outputs (the provider's configuration is unknown in preview): unverifiable, not clean",
                resources: pgBehind(lb(5432)).build("preview", ["data", "postgres", "postgres-lb"]),
                advisories: [["unverifiable", null, { workload: "`postgres`", reason: /`postgres` arrived with no inputs/ }]],
            },
            ...both(
                "a LoadBalancer Service through another provider than the pods it selects: one cluster or two is not known (advisory)",
                (mode) => ({
                    resources: through(webOn().build(mode), { web: "local", "web-lb": "gke" }),
                    advisories: [
                        [
                            "unproven",
                            null,
                            {
                                workload: "`web`",
                                reason: "`web-lb` and `web` are deployed through different Kubernetes providers (provider `gke`, provider `local`), which may or may not be one cluster",
                            },
                        ],
                    ],
                }),
            ),
            ...both("a deny-all policy through another provider does not prove the pods isolated (advisory, not clean)", (mode) => ({
                resources: through(
                    webOn()
                        .add(K.policy, "deny", denyAll(["Ingress"]))
                        .build(mode),
                    { deny: "other" },
                ),
                advisories: [
                    [
                        "unproven",
                        null,
                        {
                            workload: "`web`",
                            reason: /`deny` and `web` are deployed through different Kubernetes providers \(provider `other`, the default provider\)/,
                        },
                    ],
                ],
            })),
            ...both("the engine's default provider is the default provider: matched as without one", (mode) => ({
                resources: through(webOn().build(mode), { web: "default_4_28_0" }),
                errors: [["exposed", null, { workload: "`web`", path: /^internet → LoadBalancer Service `web-lb` .* → `web`$/ }]],
            })),
            {
                name: "empty outputs of a Service: which pods it exposes, and how, cannot be told",
                resources: pgBehind(lb(5432)).build("preview", ["postgres-lb"]),
                advisories: [["unverifiable", null, { workload: "`postgres`", reason: /^`postgres-lb` arrived with no inputs/ }]],
            },
        ],
    },
    "documented-flows-reachable": {
        valid: [
            ...both("api → postgres with no NetworkPolicy at all", (mode) => ({ registryYaml, resources: flows().build(mode) })),
            ...both(
                "api → postgres through deny-all namespaces, an egress rule by namespace labels and an ingress rule by namespace name",
                (mode) => ({
                    registryYaml,
                    resources: flows({ more: (s) => lockedDown(s) }).build(mode),
                }),
            ),
            ...both("named ports: postgres admits its `pg` port, api may send to `pg`", (mode) => ({
                registryYaml,
                resources: flows({
                    more: (s) => lockedDown(s, [{ from: [fromApi], ports: [tcp("pg")] }], [{ to: [toPg], ports: [tcp("pg")] }]),
                }).build(mode),
            })),
            ...both("a port range (`endPort`)", (mode) => ({
                registryYaml,
                resources: flows({ more: (s) => lockedDown(s, [{ from: [fromApi], ports: [tcp(5000, { endPort: 5500 })] }]) }).build(mode),
            })),
            ...both("a rule without `from` admits every pod", (mode) => ({
                registryYaml,
                resources: flows({ more: (s) => lockedDown(s, [{ ports: [tcp(5432)] }]) }).build(mode),
            })),
            ...both("an ipBlock rule beside a pod rule: the pod rule proves it", (mode) => ({
                registryYaml,
                resources: flows({
                    more: (s) => lockedDown(s, [{ from: [{ ipBlock: { cidr: "10.0.0.0/8" } }, fromApi], ports: [tcp(5432)] }]),
                }).build(mode),
            })),
            ...both("a CIDR client admitted by an ipBlock", (mode) => ({
                registryYaml: FLOWS_REGISTRY("      - cidr: 10.50.0.0/16\n"),
                resources: flows({
                    more: (s) => lockedDown(s, [{ from: [fromApi, { ipBlock: { cidr: "10.50.0.0/16" } }], ports: [tcp(5432)] }]),
                }).build(mode),
            })),
            ...both("both in the provider's default namespace, a policy by pod labels", (mode) => ({
                registryYaml,
                resources: new KStack()
                    .add(K.deployment, "api", workload(API))
                    .add(K.statefulSet, "postgres", workload(PG))
                    .add(
                        K.policy,
                        "pg-from-api",
                        policy(match({ app: "postgres" }), { ingress: [{ from: [{ podSelector: match({ app: "api" }) }] }] }),
                    )
                    .build(mode),
            })),
        ],
        invalid: [
            ...both("postgres's namespace denies all ingress and nothing admits api", (mode) => ({
                registryYaml,
                resources: flows({ more: (s) => s.add(K.policy, "data-deny", denyAll(["Ingress"]), "data") }).build(mode),
                errors: [
                    [
                        "blocked",
                        null,
                        {
                            client: "`api`",
                            server: "`postgres`",
                            flow: "tcp 5432",
                            why: "the request dies at network policies `data-deny` inbound: no NetworkPolicy rule allows tcp 5432 from `api`",
                        },
                        "fixAdd",
                    ],
                ],
            })),
            ...both("postgres admits pods labelled `app: web` only", (mode) => ({
                registryYaml,
                resources: flows({
                    more: (s) =>
                        lockedDown(s, [{ from: [{ namespaceSelector: {}, podSelector: match({ app: "web" }) }], ports: [tcp(5432)] }]),
                }).build(mode),
                errors: [
                    [
                        "blocked",
                        null,
                        {
                            why: "the request dies at network policies `data-deny` and `postgres-ingress` inbound: no NetworkPolicy rule allows tcp 5432 from `api`",
                        },
                    ],
                ],
            })),
            ...both("a podSelector alone names pods of the policy's own namespace, not api's", (mode) => ({
                registryYaml,
                resources: flows({
                    more: (s) => lockedDown(s, [{ from: [{ podSelector: match({ app: "api" }) }], ports: [tcp(5432)] }]),
                }).build(mode),
                errors: [["blocked", null, { why: /^the request dies at network policies `data-deny` and `postgres-ingress` inbound/ }]],
            })),
            ...both("a namespace selector admits the api pods of one namespace of several, not those of another", (mode) => ({
                registryYaml,
                resources: flows({
                    more: apiAlsoIn("batch", { team: "batch" }),
                }).build(mode),
                errors: [
                    [
                        "blocked",
                        null,
                        {
                            client: "`api-batch`",
                            why: "the request dies at network policies `data-deny` and `postgres-ingress` inbound: no NetworkPolicy rule allows tcp 5432 from `api-batch`",
                        },
                        "fixAdd",
                    ],
                ],
            })),
            ...both(
                "a namespace whose labels are unknown until update may be the one a namespace selector names: its api pods are unverifiable",
                (mode) => ({
                    registryYaml,
                    resources: flows({
                        more: apiAlsoIn("jobs", UNKNOWN),
                    }).build(mode),
                    advisories: [["unverifiable", null, { client: "`api-jobs`" }]],
                }),
            ),
            ...both("api's egress goes to a namespace label nobody set (`name: data`)", (mode) => ({
                registryYaml,
                resources: flows({
                    more: (s) =>
                        lockedDown(s, undefined, [
                            {
                                to: [{ namespaceSelector: match({ name: "data" }), podSelector: match({ app: "postgres" }) }],
                                ports: [tcp(5432)],
                            },
                        ]),
                }).build(mode),
                errors: [
                    [
                        "blocked",
                        null,
                        {
                            why: "the request dies at network policies `shop-deny` and `api-egress` outbound: no NetworkPolicy rule allows tcp 5432 to `postgres`",
                        },
                        "fixAdd",
                    ],
                ],
            })),
            ...both("an Egress policy without rules: api sends nothing", (mode) => ({
                registryYaml,
                resources: flows({
                    more: (s) => s.add(K.policy, "api-no-egress", policy(match({ app: "api" }), { policyTypes: ["Egress"] }), "shop"),
                }).build(mode),
                errors: [
                    [
                        "blocked",
                        null,
                        {
                            why: "the request dies at network policies `api-no-egress` outbound: no NetworkPolicy rule allows tcp 5432 to `postgres`",
                        },
                    ],
                ],
            })),
            ...both("a named port the postgres pods do not have", (mode) => ({
                registryYaml,
                resources: flows({
                    pgPorts: [{ name: "postgresql", containerPort: 5432 }],
                    more: (s) => lockedDown(s, [{ from: [fromApi], ports: [tcp("pg")] }]),
                }).build(mode),
                errors: [["blocked", null, { why: /^the request dies at network policies `data-deny` and `postgres-ingress` inbound/ }]],
            })),
            ...both("a CIDR client no ipBlock admits", (mode) => ({
                registryYaml: FLOWS_REGISTRY("      - cidr: 10.50.0.0/16\n"),
                resources: flows({ more: (s) => lockedDown(s) }).build(mode),
                errors: [
                    [
                        "blocked",
                        null,
                        {
                            client: "10.50.0.0/16",
                            why: "the request dies at network policies `data-deny` and `postgres-ingress` inbound: no NetworkPolicy rule allows tcp 5432 from 10.50.0.0/16",
                        },
                    ],
                ],
            })),
            ...both("an ipBlock alone cannot tell whether it holds api's pod addresses (advisory)", (mode) => ({
                registryYaml,
                resources: flows({
                    more: (s) => lockedDown(s, [{ from: [{ ipBlock: { cidr: "10.0.0.0/8" } }], ports: [tcp(5432)] }]),
                }).build(mode),
                advisories: [
                    [
                        "unverifiable",
                        null,
                        { client: "`api`", server: "`postgres`", reasons: /network policies data-deny, postgres-ingress/ },
                    ],
                ],
            })),
            {
                name: "a policy whose namespace is unknown until update may isolate postgres (advisory)",
                registryYaml,
                resources: flows()
                    .build("preview")
                    .concat([
                        {
                            type: K.policy,
                            name: "maybe-deny",
                            props: { metadata: { namespace: UNKNOWN }, spec: { podSelector: {}, policyTypes: ["Ingress"] } },
                        },
                    ]),
                advisories: [
                    [
                        "unverifiable",
                        null,
                        { server: "`postgres`", reasons: /whether `maybe-deny` isolates these pods for ingress is unknown until update/ },
                    ],
                ],
            },
            {
                name: "empty outputs of a NetworkPolicy: it may isolate either (advisory)",
                registryYaml,
                resources: flows({ more: (s) => s.add(K.policy, "data-deny", denyAll(["Ingress"]), "data") }).build("preview", [
                    "data-deny",
                ]),
                advisories: [["unverifiable", null, { server: "`postgres`", reasons: /`data-deny` arrived with no inputs/ }]],
            },
        ],
    },
};
