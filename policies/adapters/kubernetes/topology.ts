// Kubernetes (`kubernetes:`): the pods of the workload kinds and the namespaces they run in, read as
// topology models for the graph assembler (graph.ts). A workload's pods are its pod template's: the
// template's labels (what selectors and the registry's `serviceTag` read), the containers' ports
// (what named ports and target ports resolve against) and `hostNetwork`; the workload's own
// `metadata.namespace` is where they run.
import { TopologyModel } from "../../model/topology";
import { Input } from "../support/input";
import { Adapter } from "../support/resource-builder";
import { TopologyBuilder } from "../support/topology";
import { namespaceLinks } from "./scopes";

export const ROLE = { workload: "kubernetes:workload", namespace: "kubernetes:namespace" } as const;

/** The workload kinds whose pod template is `spec.template`; CronJob's is under `spec.jobTemplate`, a Pod is its own. */
const TEMPLATED = [
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1beta1:Deployment",
    "kubernetes:apps/v1beta2:Deployment",
    "kubernetes:extensions/v1beta1:Deployment",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:apps/v1beta1:StatefulSet",
    "kubernetes:apps/v1beta2:StatefulSet",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:apps/v1beta2:DaemonSet",
    "kubernetes:extensions/v1beta1:DaemonSet",
    "kubernetes:apps/v1:ReplicaSet",
    "kubernetes:apps/v1beta2:ReplicaSet",
    "kubernetes:extensions/v1beta1:ReplicaSet",
    "kubernetes:core/v1:ReplicationController",
    "kubernetes:batch/v1:Job",
];
const CRONJOBS = ["kubernetes:batch/v1:CronJob", "kubernetes:batch/v1beta1:CronJob", "kubernetes:batch/v2alpha1:CronJob"];
export const WORKLOAD_TYPES: readonly string[] = [...TEMPLATED, ...CRONJOBS, "kubernetes:core/v1:Pod"];

function podTemplate(props: Input, type: string): Input {
    if (type === "kubernetes:core/v1:Pod") return props;
    if (CRONJOBS.includes(type)) return props.get("spec").get("jobTemplate").get("spec").get("template");
    return props.get("spec").get("template");
}

/** Labels as values: the keys whose value is unknown until update, or the whole map unknown. */
function labelValues(b: TopologyBuilder, labels: Input): void {
    b.readTags(labels);
    if (labels.unknown) {
        b.value("labels", labels);
        return;
    }
    const v = labels.value;
    if (v === null || typeof v !== "object" || Array.isArray(v)) return;
    const unknown = Object.keys(v).filter((k) => labels.get(k).unknown);
    if (unknown.length > 0) b.value("unknownLabels", Input.root(unknown));
}

/** Every container's ports (init containers too: a sidecar listens like the others). */
function containerPorts(b: TopologyBuilder, spec: Input): void {
    const raw: unknown[] = [];
    for (const list of [spec.get("containers"), spec.get("initContainers")]) {
        const containers = list.items();
        if (containers === "unknown") {
            b.value("containerPorts", list);
            return;
        }
        if (!Array.isArray(containers)) continue;
        for (const c of containers) {
            const ports = c.get("ports");
            const items = ports.items();
            if (c.unknown || items === "unknown") {
                b.value("containerPorts", c.unknown ? c : ports);
                return;
            }
            if (Array.isArray(items)) for (const p of items) raw.push(p.value);
        }
    }
    if (raw.length > 0)
        b.records("containerPorts", new Input(raw, "containerPorts", spec.secrets), ["name", "containerPort", "protocol", "hostPort"]);
}

function workload(props: Input, type: string): TopologyModel {
    const b = new TopologyBuilder("kubernetes", ROLE.workload, props);
    b.identityKeys = [];
    const template = podTemplate(props, type);
    const metadata = template.get("metadata");
    if (template.unknown || metadata.unknown) b.value("labels", template.unknown ? template : metadata);
    else labelValues(b, metadata.get("labels"));
    const spec = template.get("spec");
    if (template.unknown || spec.unknown) b.value("containerPorts", template.unknown ? template : spec);
    else containerPorts(b, spec);
    b.value("hostNetwork", spec.get("hostNetwork"));
    const m = b.build();
    return { ...m, links: { ...m.links, ...namespaceLinks(props) } };
}

function namespace(props: Input): TopologyModel {
    const b = new TopologyBuilder("kubernetes", ROLE.namespace, props);
    b.identityKeys = [];
    const metadata = props.get("metadata");
    const name = metadata.get("name");
    b.value("name", name);
    if (metadata.unknown) b.value("labels", metadata);
    else labelValues(b, metadata.get("labels"));
    const m = b.build();
    const known = name.string();
    return { ...m, identity: known ? [known] : [] };
}

export const kubernetesTopologyAdapters: Adapter[] = [
    {
        provider: "kubernetes",
        kind: "topology",
        types: WORKLOAD_TYPES,
        summary:
            "the pods of Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Jobs, CronJobs and Pods: the pod template's " +
            "labels (selectors, `serviceTag`), its containers' and init containers' `ports` (named ports, target ports), `hostNetwork`, and the workload's `metadata.namespace`.",
        normalise: workload,
    },
    {
        provider: "kubernetes",
        kind: "topology",
        types: ["kubernetes:core/v1:Namespace"],
        summary:
            "`metadata.name` (what `metadata.namespace` names; the `kubernetes.io/metadata.name` label) and `metadata.labels` (what `namespaceSelector` matches).",
        normalise: (props) => namespace(props),
    },
];
