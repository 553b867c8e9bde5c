// Small Kubernetes stacks as the engine sends them to AnalyzeStack, for the graph's case tables:
// each resource's outputs, its namespace either as preview sends it (a Namespace created in the
// same update is auto-named, so `metadata.namespace` is unknown and only the property dependency of
// `metadata` names it) or as update sends it (the live objects: names, namespaces and target ports
// filled in by the API server).
import { StackCase, UNKNOWN, urnOf } from "../../helpers";

export type Mode = "preview" | "update";

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
} as const;

const CLUSTER_SCOPED: readonly string[] = [K.ns];

interface Entry {
    type: string;
    name: string;
    props: Record<string, unknown>;
    /** The Namespace resource of the stack this one is in (by Pulumi name); undefined: `metadata.namespace` as written. */
    ns?: string;
}

/** The API server's name for an auto-named resource: the Pulumi name and a suffix. */
const autoName = (name: string) => `${name}-5f3a2b1c`;

export class KStack {
    private readonly entries: Entry[] = [];
    private readonly byName = new Map<string, Entry>();

    add(type: string, name: string, props: Record<string, unknown> = {}, ns?: string): this {
        const e = { type, name, props, ns };
        this.entries.push(e);
        this.byName.set(name, e);
        return this;
    }

    /** The resources as the engine sends them in `mode`; `empty` names resources that arrive with empty outputs. */
    build(mode: Mode, empty: string[] = []): StackCase[] {
        return this.entries.map((e) => {
            if (empty.includes(e.name)) return { type: e.type, name: e.name, props: {} };
            const props = structuredClone(e.props);
            const metadata = { ...((props.metadata as Record<string, unknown> | undefined) ?? {}) };
            let deps: Record<string, string[]> | undefined;
            if (e.ns) {
                const target = this.byName.get(e.ns);
                if (!target) throw new Error(`no namespace ${e.ns} in the stack`);
                metadata.namespace = mode === "preview" && !this.named(target) ? UNKNOWN : this.nameOf(target);
                deps = { metadata: [urnOf(target.type, target.name)] };
            }
            if (mode === "update") {
                metadata.name ??= autoName(e.name);
                if (!CLUSTER_SCOPED.includes(e.type)) metadata.namespace ??= "default";
                if (e.type === K.service) fillService(props);
            }
            return { type: e.type, name: e.name, props: { ...props, metadata }, ...(deps ? { propertyDependencies: deps } : {}) };
        });
    }

    private named(e: Entry): boolean {
        return typeof (e.props.metadata as { name?: unknown } | undefined)?.name === "string";
    }

    private nameOf(e: Entry): string {
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
  - { name: http, ports: [80], protocol: tcp, public: true }
  - { name: https, ports: [443], protocol: tcp, public: true }
  - { name: api, ports: [8080], protocol: tcp }
  - { name: prometheus, ports: [9090], protocol: tcp }
  - name: postgres
    ports: [5432]
    protocol: tcp
    clients:
      - service: api
${extra}knownCidrs: [10.0.0.0/8]
`;
