// kubernetes-storefront: a web front end and a checkout API (namespace `storefront`), the payments
// database (namespace `payments`) and Prometheus (namespace `monitoring`) in one cluster.
//
// An example for the network graph of the internal-ports policy pack. Every Service and
// NetworkPolicy below passes the pack's per-resource policies on its own terms; two mistakes only
// show when the path a packet takes is followed from end to end (see README.md):
//   - checkout's egress policy names the payments namespace by a label nobody set (`name:
//     payments`; namespaces carry `kubernetes.io/metadata.name`): the documented flow checkout ->
//     payments-db dies on its way out of the checkout pods;
//   - Prometheus is published on the public HTTPS port 443 of a load balancer whose target is the
//     pods' `web` port (9090, internal), and nothing isolates the monitoring namespace: the whole
//     internet reaches Prometheus.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";

const config = new pulumi.Config();
const webImage = config.get("webImage") ?? "nginxinc/nginx-unprivileged:1.27";

const part = { "app.kubernetes.io/part-of": "storefront" };

function namespace(name: string, team: string): k8s.core.v1.Namespace {
    return new k8s.core.v1.Namespace(name, { metadata: { name, labels: { team } } });
}

const storefront = namespace("storefront", "shop");
const payments = namespace("payments", "payments");
const monitoring = namespace("monitoring", "observability");

interface Port { name: string; containerPort: number }

/** Pods labelled `app: <name>` and the registry's `service` label, in `ns`. */
function pods(kind: "Deployment" | "StatefulSet", name: string, ns: k8s.core.v1.Namespace, service: string, image: string, ports: Port[]): pulumi.CustomResource {
    const labels = { app: name };
    const template = {
        metadata: { labels: { ...labels, ...part, service } },
        spec: { containers: [{ name, image, ports, resources: { requests: { cpu: "100m", memory: "128Mi" } } }] },
    };
    const metadata = { namespace: ns.metadata.name, labels: { ...labels, ...part } };
    return kind === "Deployment"
        ? new k8s.apps.v1.Deployment(name, { metadata, spec: { replicas: 2, selector: { matchLabels: labels }, template } })
        : new k8s.apps.v1.StatefulSet(name, { metadata, spec: { serviceName: name, replicas: 1, selector: { matchLabels: labels }, template } });
}

function service(name: string, ns: k8s.core.v1.Namespace, spec: Omit<k8s.types.input.core.v1.ServiceSpec, "selector">): k8s.core.v1.Service {
    return new k8s.core.v1.Service(name, { metadata: { namespace: ns.metadata.name, labels: part }, spec: { ...spec, selector: { app: name } } });
}

function networkPolicy(name: string, ns: k8s.core.v1.Namespace, spec: k8s.types.input.networking.v1.NetworkPolicySpec): k8s.networking.v1.NetworkPolicy {
    return new k8s.networking.v1.NetworkPolicy(name, { metadata: { namespace: ns.metadata.name, labels: part }, spec });
}

const app = (name: string) => ({ matchLabels: { app: name } });
const clusterDns = {
    to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
    ports: [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }],
};

// ---------------------------------------------------------------------------------------------
// storefront: web (the public HTTPS front end) -> checkout (HTTP on 8080).

pods("Deployment", "web", storefront, "https", webImage, [{ name: "https", containerPort: 443 }]);
pods("Deployment", "checkout", storefront, "app-http", "ghcr.io/example/checkout:3.1.0", [{ name: "http", containerPort: 8080 }]);
service("web", storefront, { type: "LoadBalancer", ports: [{ name: "https", port: 443, targetPort: "https" }] });
service("checkout", storefront, { ports: [{ name: "http", port: 80, targetPort: "http" }] });

// Nothing in or out unless a policy below allows it; every pod may ask the cluster DNS.
networkPolicy("storefront-default-deny", storefront, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
networkPolicy("storefront-dns", storefront, { podSelector: {}, policyTypes: ["Egress"], egress: [clusterDns] });
networkPolicy("web-ingress", storefront, { podSelector: app("web"), policyTypes: ["Ingress"], ingress: [{ ports: [{ port: 443 }] }] });
networkPolicy("web-egress", storefront, { podSelector: app("web"), policyTypes: ["Egress"], egress: [{ to: [{ podSelector: app("checkout") }], ports: [{ port: 8080 }] }] });
networkPolicy("checkout-ingress", storefront, { podSelector: app("checkout"), policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: app("web") }], ports: [{ port: 8080 }] }] });

// MISTAKE: "allow checkout to reach the payments database". The namespace selector asks for a
// `name: payments` label, which no namespace carries (Kubernetes sets `kubernetes.io/metadata.name`;
// `payments` is labelled `team: payments`). The policy is valid and selects nothing, so checkout's
// pods, isolated for egress by storefront-default-deny, cannot open a connection to PostgreSQL.
networkPolicy("checkout-egress", storefront, {
    podSelector: app("checkout"),
    policyTypes: ["Egress"],
    egress: [{ to: [{ namespaceSelector: { matchLabels: { name: "payments" } }, podSelector: app("payments-db") }], ports: [{ port: 5432 }] }],
});

// ---------------------------------------------------------------------------------------------
// payments: PostgreSQL, which admits checkout's pods only.

pods("StatefulSet", "payments-db", payments, "postgres", "postgres:16", [{ name: "pg", containerPort: 5432 }]);
service("payments-db", payments, { ports: [{ name: "pg", port: 5432, targetPort: "pg" }] });
networkPolicy("payments-default-deny", payments, { podSelector: {}, policyTypes: ["Ingress"] });
networkPolicy("payments-db-ingress", payments, {
    podSelector: app("payments-db"),
    policyTypes: ["Ingress"],
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "storefront" } }, podSelector: app("checkout") }], ports: [{ port: 5432 }] }],
});

// ---------------------------------------------------------------------------------------------
// monitoring: Prometheus.

pods("Deployment", "prometheus", monitoring, "prometheus", "prom/prometheus:v2.54.1", [{ name: "web", containerPort: 9090 }]);

// MISTAKE: "so the on-call team can open the dashboards from anywhere, on the usual HTTPS port". The
// load balancer listens on 443 (public in ports.yaml, so the Service alone is fine), but it forwards
// to the pods' `web` port, Prometheus's plain HTTP on 9090, and no NetworkPolicy isolates the
// monitoring namespace: the whole internet reaches Prometheus's API, without TLS or a login.
service("prometheus", monitoring, { type: "LoadBalancer", ports: [{ name: "https", port: 443, targetPort: "web" }] });

export const namespaces = [storefront.metadata.name, payments.metadata.name, monitoring.metadata.name];
