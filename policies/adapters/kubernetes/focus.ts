// Which Kubernetes resources can bear on the pods of a few workloads, told from their namespace
// before any is modelled (GraphAssembler.focus). A Service, NetworkPolicy or Ingress acts on the pods
// of its own namespace only, and a workload's pods are judged by their own namespace's; Namespaces
// are always kept. A resource whose namespace cannot be read here (unset, so the provider's default;
// unknown; a secret) is kept. The pods of other namespaces are kept too when a kept policy may name
// them as peers (a namespace selector; an egress rule to everybody, numbered by every pod's named
// ports; anything unknown or secret): its rules name the pods they match.
import { isPlainObject } from "../../base/values";
import { isUnknownValue, SECRET_SIG_KEY } from "../../wire/engine";
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

/** Whether `v` holds a value not known here (unknown until update, a secret) or a `namespaceSelector`. */
function opaqueOrAcross(v: unknown, depth = 0): boolean {
    if (isUnknownValue(v) || depth > 64) return true;
    if (Array.isArray(v)) return v.some((x) => opaqueOrAcross(x, depth + 1));
    if (v === null || typeof v !== "object") return false;
    if (!isPlainObject(v) || SECRET_SIG_KEY in v || "namespaceSelector" in v) return true;
    return Object.values(v).some((x) => opaqueOrAcross(x, depth + 1));
}

/** Whether a policy's rules may name pods of another namespace. */
function namesOtherPods(r: SentResource): boolean {
    const spec = isPlainObject(r.props) ? r.props.spec : undefined;
    if (spec === undefined || spec === null) return false;
    if (!isPlainObject(spec) || opaqueOrAcross(spec)) return true;
    const egress = spec.egress;
    if (egress === undefined || egress === null) return false;
    if (!Array.isArray(egress)) return true;
    return egress.some((rule) => !isPlainObject(rule) || !Array.isArray(rule.to) || rule.to.length === 0);
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
    const allPods = resources.some((r) => POLICY_TYPES.has(r.type) && near(r) && namesOtherPods(r));
    return allPods ? (r) => WORKLOADS.has(r.type) || near(r) : near;
}
