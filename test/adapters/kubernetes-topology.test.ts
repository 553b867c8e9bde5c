// The Kubernetes topology adapters (the pods of each workload kind, namespaces), what the
// NetworkPolicy and Service adapters add for the graph (namespace links, selectors, sides, named
// ports, target ports), and label selectors matched as the API server matches them.
import { strict as assert } from "assert";
import { normalise } from "../../policies/adapters";
import { LabelSet, matches, readLabelSelector, SelectorValue } from "../../policies/adapters/kubernetes/selectors";
import { Input } from "../../policies/adapters/support/input";
import { FirewallModel } from "../../policies/model/resources";
import { UNKNOWN } from "../helpers";
import { junkInputTest, linkTexts, TopologyRow, topologyRowTests } from "./topology-rows";

const template = (labels: unknown, spec: unknown = { containers: [{ name: "c", ports: [{ name: "http", containerPort: 8080 }] }] }) => ({
    metadata: { labels },
    spec,
});

const rows: TopologyRow[] = [
    {
        name: "a Deployment's pods: the template's labels (not the Deployment's), its containers' ports, the Deployment's namespace",
        type: "kubernetes:apps/v1:Deployment",
        props: {
            metadata: { namespace: "shop", labels: { owner: "x" } },
            spec: { selector: { matchLabels: { app: "api" } }, template: template({ app: "api", service: "api" }) },
        },
        role: "kubernetes:workload",
        identity: [],
        links: ["namespace: metadata=shop"],
        tags: { app: "api", service: "api" },
        values: { containerPorts: [{ name: "http", containerPort: 8080 }] },
    },
    {
        name: "in preview: the namespace of an auto-named Namespace is unknown, a label value too, and a port",
        type: "kubernetes:apps/v1:StatefulSet",
        props: {
            metadata: { namespace: UNKNOWN },
            spec: {
                template: template(
                    { app: "db", tier: UNKNOWN },
                    { containers: [{ name: "db", ports: [{ name: "pg", containerPort: UNKNOWN }] }] },
                ),
            },
        },
        role: "kubernetes:workload",
        links: ["namespace: metadata?"],
        tags: { app: "db" },
        values: {
            unknownLabels: ["tier"],
            containerPorts: [{ name: "pg", containerPort: { unknown: "containerPorts[0].containerPort" } }],
        },
    },
    {
        name: "a CronJob's pods are its job template's; init containers' ports count, hostNetwork and host ports are read",
        type: "kubernetes:batch/v1:CronJob",
        props: {
            spec: {
                jobTemplate: {
                    spec: {
                        template: template(
                            { app: "report" },
                            {
                                hostNetwork: true,
                                initContainers: [{ name: "proxy", ports: [{ containerPort: 9901, hostPort: 9901, protocol: "TCP" }] }],
                                containers: [{ name: "c" }],
                            },
                        ),
                    },
                },
            },
        },
        role: "kubernetes:workload",
        tags: { app: "report" },
        values: { containerPorts: [{ containerPort: 9901, protocol: "TCP", hostPort: 9901 }], hostNetwork: true },
    },
    {
        name: "a Pod is its own template",
        type: "kubernetes:core/v1:Pod",
        props: { metadata: { labels: { app: "debug" } }, spec: { containers: UNKNOWN } },
        role: "kubernetes:workload",
        tags: { app: "debug" },
        values: { containerPorts: { unknown: "spec.containers" } },
    },
    {
        name: "a Namespace is known by its name; its labels are what namespaceSelector matches",
        type: "kubernetes:core/v1:Namespace",
        props: { metadata: { name: "shop", labels: { team: "shop" } } },
        role: "kubernetes:namespace",
        identity: ["shop"],
        tags: { team: "shop" },
        values: { name: "shop" },
    },
    {
        name: "an auto-named Namespace in preview",
        type: "kubernetes:core/v1:Namespace",
        props: { metadata: { name: UNKNOWN } },
        role: "kubernetes:namespace",
        identity: [],
        values: { name: { unknown: "metadata.name" } },
    },
    {
        name: "an Ingress names the Services of its backends, with their ports (v1: default backend and each rule's paths)",
        type: "kubernetes:networking.k8s.io/v1:Ingress",
        props: {
            metadata: { namespace: "shop" },
            spec: {
                defaultBackend: { service: { name: "web", port: { name: "http" } } },
                rules: [
                    {
                        host: "shop.example.com",
                        http: {
                            paths: [
                                { path: "/", pathType: "Prefix", backend: { service: { name: UNKNOWN, port: { number: 8080 } } } },
                                { path: "/static", pathType: "Prefix", backend: { resource: { kind: "StorageBucket", name: "static" } } },
                            ],
                        },
                    },
                ],
            },
        },
        role: "kubernetes:ingress",
        identity: [],
        links: ["namespace: metadata=shop"],
        values: {
            backends: [
                { service: "web", port: "http" },
                { service: { unknown: "spec[1].service" }, port: 8080 },
            ],
        },
    },
    {
        name: "an extensions/v1beta1 Ingress: `backend`, `serviceName` and `servicePort`",
        type: "kubernetes:extensions/v1beta1:Ingress",
        props: {
            spec: {
                backend: { serviceName: "web", servicePort: 80 },
                rules: [{ http: { paths: [{ backend: { serviceName: "api", servicePort: "http" } }] } }],
            },
        },
        role: "kubernetes:ingress",
        identity: [],
        values: {
            backends: [
                { service: "web", port: 80 },
                { service: "api", port: "http" },
            ],
        },
    },
    {
        name: "an Ingress whose rules are unknown until update",
        type: "kubernetes:networking.k8s.io/v1:Ingress",
        props: { spec: { rules: [{ http: UNKNOWN }] } },
        role: "kubernetes:ingress",
        identity: [],
        values: { backends: { unknown: "spec.rules[0].http" } },
    },
    {
        name: "empty outputs: the provider's configuration was unknown in preview",
        type: "kubernetes:apps/v1:Deployment",
        props: {},
        role: "kubernetes:workload",
        identity: [],
        empty: true,
    },
];

describe("Kubernetes topology adapters", () => {
    topologyRowTests(rows, { provider: () => "kubernetes", values: "exact", links: linkTexts });
    junkInputTest(rows);

    it("a NetworkPolicy says for the graph its namespace, whom it selects, the sides it isolates, each peer's selectors and its named ports", () => {
        const m = normalise("kubernetes:networking.k8s.io/v1:NetworkPolicy", {
            metadata: { namespace: UNKNOWN },
            spec: {
                podSelector: { matchLabels: { app: "db" }, matchExpressions: [{ key: "tier", operator: "NotIn", values: ["canary"] }] },
                ingress: [
                    {
                        from: [
                            { ipBlock: { cidr: "10.0.0.0/8" } },
                            { namespaceSelector: { matchLabels: { team: "shop" } }, podSelector: {} },
                        ],
                        ports: [{ port: "pg" }, { port: 5432 }],
                    },
                    { ports: [{ port: 9100 }] },
                ],
            },
        }) as FirewallModel;
        assert.deepEqual(linkTexts(m.links), ["namespace: metadata?"]);
        assert.deepEqual(m.values, {
            podSelector: [
                { key: "app", operator: "In", values: ["db"] },
                { key: "tier", operator: "NotIn", values: ["canary"] },
            ],
            sides: ["ingress"],
            "spec.ingress[0].peers": ["1"],
            "spec.ingress[0].peers[1].podSelector": [],
            "spec.ingress[0].peers[1].namespaceSelector": [{ key: "team", operator: "In", values: ["shop"] }],
            "spec.ingress[0].ports[0].port": "pg",
            "spec.ingress[1].peers": "everybody",
        });
        // The resource policies' rules are unchanged: one symbol per selecting peer, in the order of `peers`.
        assert.deepEqual(
            m.rules.map((r) => `${r.origin} ${r.peers.symbols.map((s) => s.kind).join(",")}`),
            ["spec.ingress[0].ports[0] namespace-selector", "spec.ingress[0].ports[1] namespace-selector", "spec.ingress[1].ports[0] "],
        );
    });

    it("a NetworkPolicy's sides: policyTypes, else Ingress and Egress when egress rules exist; unknown until update", () => {
        const sides = (spec: unknown) =>
            (normalise("kubernetes:networking.k8s.io/v1:NetworkPolicy", { spec }) as FirewallModel).values?.sides;
        assert.deepEqual(sides({ podSelector: {}, egress: [] }), ["ingress", "egress"]);
        assert.deepEqual(sides({ podSelector: {} }), ["ingress"]);
        assert.deepEqual(sides({ podSelector: {}, policyTypes: ["Egress"], ingress: [{}] }), ["egress"]);
        assert.deepEqual(sides({ podSelector: {}, policyTypes: UNKNOWN }), { unknown: "spec.policyTypes" });
        assert.deepEqual(sides(UNKNOWN), { unknown: "spec" });
    });

    it("a Service says its name, type, selector, ports with their target ports, external IPs and families", () => {
        const m = normalise("kubernetes:core/v1:Service", {
            metadata: { namespace: "shop", name: "web" },
            spec: {
                type: "LoadBalancer",
                selector: { app: "web" },
                ports: [
                    { port: 443, targetPort: "https" },
                    { port: 80, targetPort: 8080, protocol: "TCP", nodePort: 30080 },
                ],
                externalIPs: ["203.0.113.9"],
                ipFamilies: ["IPv4"],
            },
        }) as FirewallModel;
        assert.deepEqual(linkTexts(m.links), ["namespace: metadata=shop"]);
        assert.deepEqual(m.values, {
            name: "web",
            type: "loadbalancer",
            selector: [{ key: "app", operator: "In", values: ["web"] }],
            ports: [
                { port: 443, targetPort: "https" },
                { port: 80, targetPort: 8080, protocol: "TCP", nodePort: 30080 },
            ],
            externalIPs: ["203.0.113.9"],
            ipFamilies: ["IPv4"],
        });
        assert.deepEqual((normalise("kubernetes:core/v1:Service", { spec: { ports: [{ port: 80 }] } }) as FirewallModel).values, {
            type: "clusterip",
            ports: [{ port: 80 }],
        });
    });
});

describe("Kubernetes label selectors", () => {
    const labels = (known: Record<string, string>, unknownKeys: string[] = [], othersUnknown = false): LabelSet => ({
        known,
        unknownKeys: new Set(unknownKeys),
        othersUnknown,
    });
    const sel = (s: unknown): SelectorValue => readLabelSelector(Input.root(s));

    it("matchLabels and each operator of matchExpressions, as the API server matches them", () => {
        const pod = labels({ app: "api", tier: "web" });
        assert.equal(matches(sel({}), pod), "yes", "an empty selector selects everything");
        assert.equal(matches(sel({ matchLabels: { app: "api" } }), pod), "yes");
        assert.equal(matches(sel({ matchLabels: { app: "api", tier: "db" } }), pod), "no");
        assert.equal(matches(sel({ matchExpressions: [{ key: "tier", operator: "In", values: ["web", "db"] }] }), pod), "yes");
        assert.equal(
            matches(sel({ matchExpressions: [{ key: "canary", operator: "NotIn", values: ["true"] }] }), pod),
            "yes",
            "NotIn holds where the key is absent",
        );
        assert.equal(matches(sel({ matchExpressions: [{ key: "app", operator: "Exists" }] }), pod), "yes");
        assert.equal(matches(sel({ matchExpressions: [{ key: "app", operator: "DoesNotExist" }] }), pod), "no");
        assert.equal(
            matches(sel({ matchExpressions: [{ key: "app", operator: "Matches", values: ["a.*"] }] }), pod),
            "no",
            "an operator the API server rejects",
        );
    });

    it("what is unknown until update makes a match maybe, never yes or no", () => {
        assert.equal(matches(sel({ matchLabels: { app: UNKNOWN } }), labels({ app: "api" })), "maybe");
        assert.equal(matches(sel({ matchLabels: { tier: "web" } }), labels({ app: "api" }, ["tier"])), "maybe");
        assert.equal(
            matches(sel({ matchLabels: { tier: "web" } }), labels({ app: "api" }, [], true)),
            "maybe",
            "a namespace outside the stack: only its name is known",
        );
        assert.equal(matches(sel({ matchLabels: { app: "web" } }), labels({ app: "api" }, [], true)), "no", "a known value that differs");
        assert.equal(matches(sel(UNKNOWN), labels({})), "maybe");
        assert.equal(matches(sel({ matchExpressions: [{ key: UNKNOWN, operator: "Exists" }] }), labels({})), "maybe");
    });
});
