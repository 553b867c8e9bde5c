// kubernetes-stack: a small shop in one namespace of an EKS cluster. A web front end (nginx) behind
// a public load balancer, an API, PostgreSQL, Grafana for the operations team, an Envoy admin
// endpoint and a syslog receiver; NetworkPolicies isolate the pods.
//
// This is an example for the internal-ports policy pack. Most Services and NetworkPolicies below
// are what a careful team writes; a few (marked "MISTAKE") are the kind of change that slips
// through review and that the pack must block. See README.md for the expected findings.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";

const config = new pulumi.Config();
const namespaceName = config.get("namespace") ?? "shop";
/** The operations VPN: the only clients of Grafana's load balancer. */
const vpnCidr = config.require("vpnCidr");
/** The cluster's pod network (EKS VPC CNI: pods have VPC addresses). */
const podCidr = config.get("podCidr") ?? "10.0.0.0/8";
const webImage = config.get("webImage") ?? "nginx:1.27";

const labels = { "app.kubernetes.io/part-of": "shop", "app.kubernetes.io/managed-by": "pulumi" };

const ns = new k8s.core.v1.Namespace("shop-ns", { metadata: { name: namespaceName, labels } });
const namespace = ns.metadata.name;

/** A Deployment of one container, labelled `app: <name>`. */
function deployment(name: string, image: string, ports: { name: string; containerPort: number; protocol?: string }[], env: Record<string, string> = {}): k8s.apps.v1.Deployment {
    const appLabels = { app: name };
    return new k8s.apps.v1.Deployment(name, {
        metadata: { namespace, labels: { ...labels, ...appLabels } },
        spec: {
            replicas: 2,
            selector: { matchLabels: appLabels },
            template: {
                metadata: { labels: { ...labels, ...appLabels } },
                spec: {
                    containers: [{
                        name,
                        image,
                        ports,
                        env: Object.entries(env).map(([k, v]) => ({ name: k, value: v })),
                        resources: { requests: { cpu: "100m", memory: "128Mi" } },
                    }],
                },
            },
        },
    });
}

/** A Service for the pods labelled `app: <app>`. */
function service(name: string, app: string, spec: Omit<k8s.types.input.core.v1.ServiceSpec, "selector">, annotations?: Record<string, string>): k8s.core.v1.Service {
    return new k8s.core.v1.Service(name, {
        metadata: { namespace, labels: { ...labels, app }, annotations },
        spec: { ...spec, selector: { app } },
    });
}

/** An ingress-only NetworkPolicy for the pods labelled `app: <app>` (every pod when app is undefined). */
function ingressPolicy(name: string, app: string | undefined, ingress: k8s.types.input.networking.v1.NetworkPolicyIngressRule[]): k8s.networking.v1.NetworkPolicy {
    return new k8s.networking.v1.NetworkPolicy(name, {
        metadata: { namespace, labels },
        spec: { podSelector: app ? { matchLabels: { app } } : {}, policyTypes: ["Ingress"], ingress },
    });
}

const fromApp = (app: string) => ({ podSelector: { matchLabels: { app } } });

// ---------------------------------------------------------------------------------------------
// Workloads.
// ---------------------------------------------------------------------------------------------

deployment("web", webImage, [{ name: "http", containerPort: 80 }, { name: "https", containerPort: 443 }]);
deployment("api", "ghcr.io/example/shop-api:2.3.1", [{ name: "http", containerPort: 8080 }, { name: "metrics", containerPort: 9100 }, { name: "envoy-admin", containerPort: 9901 }], { DATABASE_HOST: "postgres" });
deployment("postgres", "postgres:16", [{ name: "postgres", containerPort: 5432 }], { POSTGRES_DB: "shop" });
deployment("grafana", "grafana/grafana:11.2.0", [{ name: "http", containerPort: 3000 }]);
deployment("syslog", "balabit/syslog-ng:4.8.0", [{ name: "syslog", containerPort: 514, protocol: "UDP" }]);

// ---------------------------------------------------------------------------------------------
// Compliant Services.
// ---------------------------------------------------------------------------------------------

// The shop itself: HTTP (redirect) and HTTPS from the internet. 80 and 443 are `public` in
// ports.yaml; the node ports the load balancer allocates are in ports.yaml's kubernetes-nodeports.
service("web", "web", {
    type: "LoadBalancer",
    ports: [{ name: "http", port: 80, targetPort: "http" }, { name: "https", port: 443, targetPort: "https" }],
});

// Inside the cluster only.
service("api", "api", { ports: [{ name: "http", port: 8080, targetPort: "http" }] });
service("postgres", "postgres", { ports: [{ name: "postgres", port: 5432 }] });

// PostgreSQL for the reporting VMs in the VPC: an internal NLB (AWS Load Balancer Controller).
service("postgres-internal", "postgres", {
    type: "LoadBalancer",
    ports: [{ name: "postgres", port: 5432 }],
}, { "service.beta.kubernetes.io/aws-load-balancer-type": "external", "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" });

// Grafana for the operations team: a public load balancer that admits only the VPN range.
service("grafana", "grafana", {
    type: "LoadBalancer",
    loadBalancerSourceRanges: [vpnCidr],
    ports: [{ name: "http", port: 3000, targetPort: "http" }],
});

// ---------------------------------------------------------------------------------------------
// Non-compliant Services: realistic mistakes the policy pack must block.
// ---------------------------------------------------------------------------------------------

// MISTAKE: "so the BI tool can connect": a second LoadBalancer for PostgreSQL without the internal
// annotation and without loadBalancerSourceRanges. The load balancer is internet-facing and admits
// everybody. Blocked by no-world-open-internal-ports (postgres 5432/tcp is internal).
service("postgres-public", "postgres", {
    type: "LoadBalancer",
    ports: [{ name: "postgres", port: 5432 }],
});

// MISTAKE: the API's Envoy admin endpoint on an internal load balancer "for debugging". Internal,
// so not the internet, but 9901 is documented nowhere. Blocked by documented-ports-only.
service("envoy-admin", "api", {
    type: "LoadBalancer",
    allocateLoadBalancerNodePorts: false,
    ports: [{ name: "admin", port: 9901, targetPort: "envoy-admin" }],
}, { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal", "service.beta.kubernetes.io/aws-load-balancer-type": "external", "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip" });

// MISTAKE: the syslog receiver published on a node's secondary address through externalIPs.
// Who reaches it is up to the node's security group, but 514/udp is not in ports.yaml.
// Blocked by documented-ports-only.
service("syslog", "syslog", {
    externalIPs: ["10.40.10.50"],
    ports: [{ name: "syslog", port: 514, protocol: "UDP" }],
});

// ---------------------------------------------------------------------------------------------
// NetworkPolicies.
// ---------------------------------------------------------------------------------------------

// Compliant: deny all ingress by default, then allow what each tier needs.
ingressPolicy("default-deny-ingress", undefined, []);
// The web pods take HTTP and HTTPS from everybody: both `public` in ports.yaml.
ingressPolicy("web-from-anywhere", "web", [{ ports: [{ port: 80 }, { port: 443 }] }]);
ingressPolicy("api-from-web", "api", [{ from: [fromApp("web")], ports: [{ port: 8080 }] }]);
ingressPolicy("postgres-from-api", "postgres", [{ from: [fromApp("api")], ports: [{ port: 5432, protocol: "TCP" }] }]);
ingressPolicy("grafana-from-vpn", "grafana", [{ from: [{ ipBlock: { cidr: vpnCidr } }], ports: [{ port: 3000 }] }]);

// The API may only talk to PostgreSQL and to the cluster DNS.
new k8s.networking.v1.NetworkPolicy("api-egress", {
    metadata: { namespace, labels },
    spec: {
        podSelector: { matchLabels: { app: "api" } },
        policyTypes: ["Egress"],
        egress: [
            { to: [fromApp("postgres")], ports: [{ port: 5432 }] },
            {
                to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
                ports: [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }],
            },
        ],
    },
});

// Prometheus scrapes every pod's `metrics` port. A named port: its number is set by the pods'
// containers, so the pack cannot verify it from the policy and reports an advisory note.
ingressPolicy("metrics-from-monitoring", undefined, [{
    from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }],
    ports: [{ port: "metrics" }],
}]);

// MISTAKE: "let the analytics vendor in, but not other pods": everything except the pod network is
// still the whole internet. Blocked by no-world-open-internal-ports (postgres 5432/tcp is internal).
ingressPolicy("postgres-from-analytics", "postgres", [{
    from: [{ ipBlock: { cidr: "0.0.0.0/0", except: [podCidr] } }],
    ports: [{ port: 5432 }],
}]);

export const namespaceOut = namespace;
