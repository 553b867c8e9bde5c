// Which Kubernetes resources can bear on the pods of a few workloads, told from their namespace
// before any is modelled (GraphAssembler.focus). A Service, NetworkPolicy or Ingress acts on the pods
// of its own namespace only, and a workload's pods are judged by their own namespace's; Namespaces
// are always kept. A resource whose namespace cannot be read here (unset, so the provider's default;
// unknown; a secret) is kept. The pods of other namespaces are kept too when a kept policy may name
// them as peers (a namespace selector: those of the namespaces it names by `kubernetes.io/metadata.name`,
// else all; an egress rule to everybody, numbered by every pod's named ports, or anything unknown or
// secret: all): its rules name the pods they match.
import { isPlainObject } from "../../base/values";
import { isUnknownValue, PLACEHOLDER_PREFIX, SECRET_SIG_KEY } from "../../wire/engine";
import { SentResource } from "../support/assembler";
import { Input } from "../support/input";
import { INGRESS_TYPES, WORKLOAD_TYPES } from "./topology";

const POLICY_TYPES = new Set(["kubernetes:networking.k8s.io/v1:NetworkPolicy", "kubernetes:extensions/v1beta1:NetworkPolicy"]);
const WORKLOADS = new Set(WORKLOAD_TYPES);
const NAMESPACED = new Set([...WORKLOADS, ...POLICY_TYPES, ...INGRESS_TYPES, "kubernetes:core/v1:Service"]);

/** Lower-cased: two spellings the model might read as one namespace are kept together. */
function namespaceOf(r: SentResource): string | undefined {
    const text = Input.root(r.props).get("metadata").get("namespace").string()?.trim().toLowerCase();
    return text === "" ? undefined : text;
}

const METADATA_NAME = "kubernetes.io/metadata.name";

/** A namespace name as a selector or a resource gives it, compared as namespaceOf compares them. */
function nameOf(v: unknown): string | undefined {
    if (typeof v !== "string" || isUnknownValue(v) || v.includes(PLACEHOLDER_PREFIX)) return undefined;
    const text = v.trim().toLowerCase();
    return text === "" ? undefined : text;
}

/**
 * The namespaces a `namespaceSelector` may select, when it names them: `kubernetes.io/metadata.name`
 * in `matchLabels` or in an `In` expression (the API server sets that label to the namespace's name;
 * the selector's other requirements only narrow it further). Undefined: any namespace.
 */
function selectedNamespaces(sel: unknown): string[] | undefined {
    if (!isPlainObject(sel) || SECRET_SIG_KEY in sel) return undefined;
    const labels = sel.matchLabels;
    if (isPlainObject(labels) && METADATA_NAME in labels) {
        const name = nameOf(labels[METADATA_NAME]);
        return name === undefined ? undefined : [name];
    }
    const expressions = Array.isArray(sel.matchExpressions) ? (sel.matchExpressions as unknown[]) : [];
    for (const e of expressions) {
        if (!isPlainObject(e) || e.key !== METADATA_NAME || e.operator !== "In" || !Array.isArray(e.values)) continue;
        const names = (e.values as unknown[]).map(nameOf);
        return names.every((n) => n !== undefined) ? names : undefined;
    }
    return undefined;
}

/**
 * The other namespaces whose pods a policy's rules may name as peers (`"all"`: any namespace's, for a
 * selector that names none, an egress rule to everybody, numbered by every pod's named ports, or
 * anything unknown or secret), added to `into`.
 */
function peerNamespaces(r: SentResource, into: Set<string>): "all" | undefined {
    const spec = isPlainObject(r.props) ? r.props.spec : undefined;
    if (spec === undefined || spec === null) return undefined;
    if (!isPlainObject(spec)) return "all";
    const egress = spec.egress;
    if (egress !== undefined && egress !== null) {
        if (!Array.isArray(egress)) return "all";
        if (egress.some((rule) => !isPlainObject(rule) || !Array.isArray(rule.to) || rule.to.length === 0)) return "all";
    }
    const walk = (v: unknown, depth: number): "all" | undefined => {
        if (isUnknownValue(v) || depth > 64) return "all";
        if (Array.isArray(v)) {
            for (const x of v) if (walk(x, depth + 1) === "all") return "all";
            return undefined;
        }
        if (v === null || typeof v !== "object") return undefined;
        if (!isPlainObject(v) || SECRET_SIG_KEY in v) return "all";
        for (const [k, x] of Object.entries(v)) {
            if (k === "namespaceSelector") {
                const names = selectedNamespaces(x);
                if (names === undefined) return "all";
                for (const n of names) into.add(n);
            } else if (walk(x, depth + 1) === "all") return "all";
        }
        return undefined;
    };
    return walk(spec, 0);
}

export function kubernetesFocus(
    resources: readonly SentResource[],
    wanted: ReadonlySet<string>,
): ((r: SentResource) => boolean) | undefined {
    const namespaces = new Set<string>();
    for (const r of resources) {
        if (!WORKLOADS.has(r.type) || !wanted.has(r.urn)) continue;
        const ns = namespaceOf(r);
        if (ns === undefined) return undefined;
        namespaces.add(ns);
    }
    const near = (r: SentResource) => {
        if (!NAMESPACED.has(r.type)) return true;
        const ns = namespaceOf(r);
        return ns === undefined || namespaces.has(ns);
    };
    const peers = new Set<string>();
    const allPods = resources.some((r) => POLICY_TYPES.has(r.type) && near(r) && peerNamespaces(r, peers) === "all");
    if (allPods) return (r) => WORKLOADS.has(r.type) || near(r);
    if (peers.size === 0) return near;
    return (r) => near(r) || (WORKLOADS.has(r.type) && peers.has(namespaceOf(r) ?? ""));
}
