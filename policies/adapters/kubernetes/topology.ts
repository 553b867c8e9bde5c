// Kubernetes (`kubernetes:`): the pods of the workload kinds and the namespaces they run in, read as
// topology models for the graph assembler (graph.ts). A workload's pods are its pod template's: the
// template's labels (what selectors and the registry's `serviceTag` read), the containers' ports
// (what named ports and target ports resolve against) and `hostNetwork`; the workload's own
// `metadata.namespace` is where they run. An Ingress is read for the Services its backends name.
import { TopologyModel } from "../../model/topology";
import { Input } from "../support/input";
import { Adapter } from "../support/resource-builder";
import { TopologyBuilder } from "../support/topology";
import { namespaceLinks } from "./scopes";
import { readLabelSelector } from "./selectors";

export const ROLE = {
    workload: "kubernetes:workload",
    namespace: "kubernetes:namespace",
    ingress: "kubernetes:ingress",
    /** An AWS VPC CNI SecurityGroupPolicy: security groups bound to the pods it selects, a layer the graph does not read. */
    securityGroupPolicy: "kubernetes:security-group-policy",
} as const;

export const INGRESS_TYPES: readonly string[] = [
    "kubernetes:networking.k8s.io/v1:Ingress",
    "kubernetes:networking.k8s.io/v1beta1:Ingress",
    "kubernetes:extensions/v1beta1:Ingress",
];

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

/**
 * An Ingress: the Services its backends name, `backends` (each `service`, the Service's name, and
 * `port`, its number or name; v1's `backend.service`, v1beta1's `serviceName`/`servicePort`), from
 * `spec.defaultBackend` (v1beta1 `spec.backend`) and every `spec.rules[].http.paths[].backend`;
 * `{ unknown }` when a list on the way is unknown until update. A `resource` backend names no Service.
 */
function ingress(props: Input): TopologyModel {
    const b = new TopologyBuilder("kubernetes", ROLE.ingress, props);
    b.identityKeys = [];
    const spec = props.get("spec");
    const raw: Record<string, unknown>[] = [];
    let unknown: Input | undefined;
    const backend = (be: Input) => {
        if (be.missing) return;
        if (be.unknown) {
            unknown ??= be;
            return;
        }
        const v1 = be.get("service");
        const svc = v1.missing ? be.get("serviceName") : v1.unknown ? v1 : v1.get("name");
        if (svc.missing) return;
        const port = v1.missing ? be.get("servicePort") : v1.unknown ? v1 : v1.get("port").first("number", "name");
        raw.push({ service: svc.value, ...(port.missing ? {} : { port: port.value }) });
    };
    const lists = (list: Input, each: (item: Input) => void) => {
        const items = list.items();
        if (items === "unknown") unknown ??= list;
        else if (items !== "invalid") items.forEach(each);
    };
    if (spec.unknown) unknown = spec;
    else {
        backend(spec.first("defaultBackend", "backend"));
        lists(spec.get("rules"), (rule) => {
            const http = rule.get("http");
            if (rule.unknown || http.unknown) unknown ??= rule.unknown ? rule : http;
            else lists(http.get("paths"), (path) => (path.unknown ? (unknown ??= path) : backend(path.get("backend"))));
        });
    }
    if (unknown) b.value("backends", unknown);
    else b.records("backends", new Input(raw, spec.path, props.secrets), ["service", "port"]);
    const m = b.build();
    return { ...m, links: { ...m.links, ...namespaceLinks(props) } };
}

/**
 * An AWS SecurityGroupPolicy (the VPC CNI's security groups for pods): `spec.podSelector` and
 * `spec.serviceAccountSelector` (the pods whose service account it selects: which those are, the
 * plan does not tell) in its `metadata.namespace`.
 */
function securityGroupPolicy(props: Input): TopologyModel {
    const b = new TopologyBuilder("kubernetes", ROLE.securityGroupPolicy, props);
    b.identityKeys = [];
    const spec = props.get("spec");
    const m = b.build();
    const values = spec.unknown
        ? { podSelector: { unknown: spec.path } }
        : {
              ...(spec.get("podSelector").missing ? {} : { podSelector: readLabelSelector(spec.get("podSelector")) }),
              ...(spec.get("serviceAccountSelector").missing ? {} : { serviceAccounts: true }),
          };
    return { ...m, values: { ...m.values, ...values }, links: { ...m.links, ...namespaceLinks(props) } };
}

export const kubernetesTopologyAdapters: Adapter[] = [
    {
        provider: "kubernetes",
        kind: "topology",
        types: ["kubernetes:vpcresources.k8s.aws/v1beta1:SecurityGroupPolicy"],
        typePattern: /^kubernetes:vpcresources\.k8s\.aws\/v1(beta1)?:SecurityGroupPolicy$/,
        summary:
            "an AWS VPC CNI SecurityGroupPolicy: the pods its `spec.podSelector` (or `spec.serviceAccountSelector`) selects in its namespace carry AWS security groups, " +
            "which the graph does not read: their paths are unverifiable, never passed.",
        normalise: (props) => securityGroupPolicy(props),
    },
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
    {
        provider: "kubernetes",
        kind: "topology",
        types: INGRESS_TYPES,
        summary:
            "the Services its backends name (`spec.defaultBackend` and `spec.rules[].http.paths[].backend`: `service.name` and `service.port`, " +
            "v1beta1's `serviceName` and `servicePort`) and its `metadata.namespace`: a way in that cannot be verified, since the ingress " +
            "controller in front of it is not read.",
        normalise: (props) => ingress(props),
    },
];
