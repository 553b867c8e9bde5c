// Small Kubernetes stacks as the engine sends them to AnalyzeStack, for the graph's case tables:
// each resource's outputs, its namespace either as preview sends it (a Namespace created in the
// same update is auto-named, so `metadata.namespace` is unknown and only the property dependency of
// `metadata` names it) or as update sends it (the live objects: names, namespaces and target ports
// filled in by the API server).
import { StackCase, UNKNOWN, urnOf } from "../../helpers";
import { Entry, Mode, StackBuilder, POSTGRES_FOR_API, WEB_AND_API } from "./graph-stack";

export type { Mode };

export const K = {
    ns: "kubernetes:core/v1:Namespace",
    deployment: "kubernetes:apps/v1:Deployment",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    daemonSet: "kubernetes:apps/v1:DaemonSet",
    job: "kubernetes:batch/v1:Job",
    cronJob: "kubernetes:batch/v1:CronJob",
    pod: "kubernetes:core/v1:Pod",
    service: "kubernetes:core/v1:Service",
    policy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
    ingressBeta: "kubernetes:extensions/v1beta1:Ingress",
} as const;

/** One backend of an Ingress: a Service of the stack by Pulumi name, and the Service port it names. */
export interface IngressBackend {
    service: string;
    port: number | string;
}

const CLUSTER_SCOPED: readonly string[] = [K.ns];

interface KEntry extends Entry {
    /** The Namespace resource of the stack this one is in (by Pulumi name); undefined: `metadata.namespace` as written. */
    ns?: string;
    /** An Ingress's backends: each Service's name as `metadata.name` gives it (unknown in preview when auto-named, linked by `spec`). */
    backends?: IngressBackend[];
}

/** The API server's name for an auto-named resource: the Pulumi name and a suffix. */
const autoName = (name: string) => `${name}-5f3a2b1c`;

export class KStack extends StackBuilder<KEntry> {
    add(type: string, name: string, props: Record<string, unknown> = {}, ns?: string): this {
        return this.put({ type, name, props, ns });
    }

    /** An Ingress (v1, or extensions/v1beta1 with `type`) routing every path of one rule to `backends`. */
    ingress(name: string, backends: IngressBackend[], ns?: string, type: string = K.ingress): this {
        return this.put({ type, name, props: {}, ns, backends });
    }

    protected resource(e: KEntry, mode: Mode): StackCase {
        const props = structuredClone(e.props);
        const metadata = { ...((props.metadata as Record<string, unknown> | undefined) ?? {}) };
        let deps: Record<string, string[]> | undefined;
        if (e.ns) {
            const target = this.entry(e.ns);
            metadata.namespace = mode === "preview" && !this.named(target) ? UNKNOWN : this.nameOf(target);
            deps = { metadata: [urnOf(target.type, target.name)] };
        }
        if (e.backends) {
            const beta = e.type !== K.ingress;
            const paths = e.backends.map((b, i) => {
                const target = this.entry(b.service);
                const svc = mode === "preview" && !this.named(target) ? UNKNOWN : this.nameOf(target);
                const backend = beta
                    ? { serviceName: svc, servicePort: b.port }
                    : { service: { name: svc, port: typeof b.port === "number" ? { number: b.port } : { name: b.port } } };
                return { path: `/${i}`, pathType: "Prefix", backend };
            });
            props.spec = { rules: [{ http: { paths } }] };
            deps = { ...deps, spec: e.backends.map((b) => urnOf(this.entry(b.service).type, b.service)) };
        }
        if (mode === "update") {
            metadata.name ??= autoName(e.name);
            if (!CLUSTER_SCOPED.includes(e.type)) metadata.namespace ??= "default";
            if (e.type === K.service) fillService(props);
        }
        return { type: e.type, name: e.name, props: { ...props, metadata }, ...(deps ? { propertyDependencies: deps } : {}) };
    }

    private named(e: KEntry): boolean {
        return typeof (e.props.metadata as { name?: unknown } | undefined)?.name === "string";
    }

    private nameOf(e: KEntry): string {
        return this.named(e) ? (e.props.metadata as { name: string }).name : autoName(e.name);
    }
}

/** What the API server fills in a Service: the target port defaults to the port. */
function fillService(props: Record<string, unknown>): void {
    const spec = props.spec as { ports?: Record<string, unknown>[] } | undefined;
    for (const p of spec?.ports ?? []) p.targetPort ??= p.port;
}

// ---------------------------------------------------------------------------------------------
// Builders

export interface PodOptions {
    labels?: Record<string, string>;
    ports?: Record<string, unknown>[];
    namespace?: string;
    hostNetwork?: boolean;
}

/** A Deployment (or another workload kind) whose pods carry `labels`, with one container. */
export function workload(opts: PodOptions = {}, type: string = K.deployment): Record<string, unknown> {
    const labels = opts.labels ?? {};
    const pod = {
        metadata: { labels },
        spec: {
            ...(opts.hostNetwork ? { hostNetwork: true } : {}),
            containers: [{ name: "main", image: "example/app:1", ports: opts.ports ?? [] }],
        },
    };
    const metadata = opts.namespace ? { namespace: opts.namespace } : {};
    if (type === K.pod) return { metadata: { ...metadata, labels }, spec: pod.spec };
    if (type === K.cronJob) return { metadata, spec: { schedule: "0 * * * *", jobTemplate: { spec: { template: pod } } } };
    return { metadata, spec: { selector: { matchLabels: labels }, template: pod } };
}

export function service(
    selector: Record<string, string> | undefined,
    spec: Record<string, unknown>,
    annotations?: Record<string, string>,
    namespace?: string,
): Record<string, unknown> {
    return {
        metadata: { ...(annotations ? { annotations } : {}), ...(namespace ? { namespace } : {}) },
        spec: { ...(selector ? { selector } : {}), ...spec },
    };
}

export function policy(podSelector: Record<string, unknown>, spec: Record<string, unknown>, namespace?: string): Record<string, unknown> {
    return { metadata: namespace ? { namespace } : {}, spec: { podSelector, ...spec } };
}

export const match = (labels: Record<string, string>) => ({ matchLabels: labels });
export const tcp = (port: number | string, extra: Record<string, unknown> = {}) => ({ port, protocol: "TCP", ...extra });

/** The registry of the flow cases: postgres and its client `api`, the web tier, Prometheus. */
export const FLOWS_REGISTRY = (extra = "") => `
services:
  - { name: dns, ports: [53], protocol: [tcp, udp] }
${WEB_AND_API}
  - { name: prometheus, ports: [9090], protocol: tcp }
${POSTGRES_FOR_API}
${extra}knownCidrs: [10.0.0.0/8]
`;
