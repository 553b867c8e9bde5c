// Which Kubernetes providers of a stack deploy to one cluster, to different ones, or may do either,
// from their models (providers.ts) and the property dependencies of their `kubeconfig`:
//   - different: their kubeconfigs name different API servers, or are built from different cluster
//     resources of the stack (an EKS, GKE, AKS or DigitalOcean cluster it creates, not one it reads);
//   - one: they name the same API server, or are built from the one cluster resource with the same
//     `context` and `cluster`, or their kubeconfig, `context` and `cluster` are all the same known
//     values (none set: both the ambient configuration);
//   - anything else may be either. The default provider (the stack's configuration, or the ambient
//     one) is never proven either way: its configuration is not among the resources.
// Providers proven one cluster share a key (the first of them in stack order): the graph matches
// their resources as if they came through one provider.
import { Match } from "./selectors";
import { StackResource } from "../../model/stack";
import { isUnknownValue, TopologyModel, TopologyValue } from "../../model/topology";
import { providerUrn } from "../../wire/engine";
import { PROVIDER_ROLE } from "./providers";

/** Cluster resources a kubeconfig is built from: one resource, one cluster. */
const CLUSTER_TYPES = new Set([
    "aws:eks/cluster:Cluster",
    "aws-native:eks:Cluster",
    "gcp:container/cluster:Cluster",
    "azure:containerservice/kubernetesCluster:KubernetesCluster",
    "digitalocean:index/kubernetesCluster:KubernetesCluster",
]);
const AZURE_NATIVE_CLUSTER = /^azure-native:containerservice(\/v[0-9a-z]+)?:ManagedCluster$/;
/** Components that are a cluster: the cluster resource inside one may be the same cluster as the component. */
const CLUSTER_COMPONENTS = new Set(["eks:index:Cluster"]);

/** The type of a URN and the types of its parents (`parent$type` in the URN). */
function typesOf(urn: string): { type: string; parents: string[] } {
    const chain = (urn.split("::")[2] ?? "").split("$");
    return { type: chain[chain.length - 1], parents: chain.slice(0, -1) };
}
const isCluster = (type: string) => CLUSTER_TYPES.has(type) || CLUSTER_COMPONENTS.has(type) || AZURE_NATIVE_CLUSTER.test(type);

/** Whether two cluster resources may be one cluster: a component and a cluster resource inside a component of its type. */
function mayBeOne(a: string, b: string): boolean {
    if (a === b) return true;
    const ta = typesOf(a);
    const tb = typesOf(b);
    return (
        (CLUSTER_COMPONENTS.has(ta.type) && tb.parents.includes(ta.type)) ||
        (CLUSTER_COMPONENTS.has(tb.type) && ta.parents.includes(tb.type))
    );
}

interface Facts {
    kubeconfig?: TopologyValue;
    context?: TopologyValue;
    cluster?: TopologyValue;
    server?: string;
    namespace?: TopologyValue;
    /** The namespace the kubeconfig's context gives, as a digest. */
    contextNamespace?: string;
    /** The provider's `namespace` when it is a secret, as a digest. */
    secretNamespace?: string;
    /** The cluster resources its kubeconfig is built from (URNs). */
    clusters: string[];
}

/** Absent (the ambient configuration) or a known digest: what can be compared. */
const known = (v: TopologyValue | undefined) => v === undefined || typeof v === "string";
/** A known value for a key: only called after `known`. */
const text = (v: TopologyValue | undefined) => (typeof v === "string" ? v : "");

/** `present`: the URNs of the stack's resources. A cluster read with `.get()` is not among them: two reads may be one cluster. */
function factsOf(r: StackResource, m: TopologyModel, present: (urn: string) => boolean): Facts {
    const v = m.values as Record<string, TopologyValue | undefined>;
    const clusters = [...new Set((r.dependencies.kubeconfig ?? []).filter((u) => present(u) && isCluster(typesOf(u).type)))];
    return {
        ...(v.kubeconfig !== undefined ? { kubeconfig: v.kubeconfig } : {}),
        ...(v.context !== undefined ? { context: v.context } : {}),
        ...(v.cluster !== undefined ? { cluster: v.cluster } : {}),
        ...(typeof v.server === "string" ? { server: v.server } : {}),
        ...(v.namespace !== undefined ? { namespace: v.namespace } : {}),
        ...(typeof v.contextNamespace === "string" ? { contextNamespace: v.contextNamespace } : {}),
        ...(typeof v.secretNamespace === "string" ? { secretNamespace: v.secretNamespace } : {}),
        clusters,
    };
}

/** What proves two providers one cluster: each key a provider has, shared by another, does. */
function sameKeys(f: Facts): string[] {
    const out: string[] = [];
    const selection = known(f.context) && known(f.cluster) ? `${text(f.context)}\u0000${text(f.cluster)}` : undefined;
    if (f.server !== undefined) out.push(`server\u0000${f.server}`);
    if (selection !== undefined && f.clusters.length === 1) out.push(`built\u0000${f.clusters[0]}\u0000${selection}`);
    if (selection !== undefined && known(f.kubeconfig)) out.push(`config\u0000${f.kubeconfig ?? "(ambient)"}\u0000${selection}`);
    return out;
}

function different(a: Facts, b: Facts): boolean {
    if (a.server !== undefined && b.server !== undefined) return a.server !== b.server;
    return a.clusters.length > 0 && b.clusters.length > 0 && a.clusters.every((x) => b.clusters.every((y) => !mayBeOne(x, y)));
}

/** The default namespace of what names none, through one provider. */
export type DefaultNamespace =
    /** The provider's `namespace`. */
    | { literal: string }
    | { unknown: string }
    /** The namespace its kubeconfig's context gives (else `default`): one for the providers of one signature. */
    | { signature: string };

export class KubernetesClusters {
    private readonly facts = new Map<string, Facts>();
    /** Provider URN to its cluster's key. */
    private readonly keys = new Map<string, string>();
    private readonly groups = new Map<string, string[]>();
    private readonly relations = new Map<string, Map<string, Match>>();

    constructor(resources: readonly StackResource[]) {
        const parent = new Map<string, string>();
        const find = (u: string): string => {
            let root = u;
            while (parent.get(root) !== root) root = parent.get(root)!;
            return root;
        };
        const byKey = new Map<string, string>();
        // Built only for a provider whose kubeconfig depends on something: most stacks have none.
        let urns: Set<string> | undefined;
        const present = (u: string) => (urns ??= new Set(resources.map((r) => r.urn))).has(u);
        for (const r of resources) {
            const m = r.model;
            // The engine's default providers stand for the stack's configuration: not compared (see above).
            if (m?.kind !== "topology" || m.role !== PROVIDER_ROLE || providerUrn(r.urn) === undefined || this.facts.has(r.urn)) continue;
            const f = factsOf(r, m, present);
            this.facts.set(r.urn, f);
            parent.set(r.urn, r.urn);
            for (const k of sameKeys(f)) {
                const other = byKey.get(k);
                if (other === undefined) byKey.set(k, r.urn);
                else {
                    // The first in stack order stays the root: the cluster is named after it.
                    const [x, y] = [find(other), find(r.urn)];
                    if (x !== y) parent.set(y, x);
                }
            }
        }
        for (const u of this.facts.keys()) {
            const root = find(u);
            this.keys.set(u, root);
            const g = this.groups.get(root);
            if (g) g.push(u);
            else this.groups.set(root, [u]);
        }
    }

    /** The cluster of what is deployed through `provider` (a URN; undefined: the default provider): a key shared by the providers of one cluster. */
    of(provider: string | undefined): string | undefined {
        return provider === undefined ? undefined : (this.keys.get(provider) ?? provider);
    }

    /**
     * The cluster resource of the stack that the providers of a cluster (a key from `of`) build their
     * kubeconfig from, when one of them names exactly one: what the nodes other assemblers place name.
     */
    resourceOf(key: string | undefined): string | undefined {
        if (key === undefined) return undefined;
        for (const u of this.groups.get(key) ?? []) {
            const c = this.facts.get(u)!.clusters;
            const type = c.length === 1 ? typesOf(c[0]).type : undefined;
            if (type !== undefined && (CLUSTER_TYPES.has(type) || AZURE_NATIVE_CLUSTER.test(type))) return c[0];
        }
        return undefined;
    }

    /** Whether two clusters (keys from `of`) are one. Asked for every pod a selector may take: no string is built. */
    same(a: string | undefined, b: string | undefined): Match {
        if (a === b) return "yes";
        if (a === undefined || b === undefined) return "maybe";
        let row = this.relations.get(a);
        if (!row) this.relations.set(a, (row = new Map<string, Match>()));
        let m = row.get(b);
        if (m === undefined) {
            const fa = (this.groups.get(a) ?? []).map((u) => this.facts.get(u)!);
            const fb = (this.groups.get(b) ?? []).map((u) => this.facts.get(u)!);
            m = fa.some((x) => fb.some((y) => different(x, y))) ? "no" : "maybe";
            row.set(b, m);
        }
        return m;
    }

    /** The default namespace through `provider`; undefined: the default provider's (`default` unless its configuration says otherwise). */
    defaultNamespace(provider: string | undefined): DefaultNamespace | undefined {
        if (provider === undefined) return undefined;
        const f = this.facts.get(provider);
        if (!f) return { signature: provider };
        const ns = f.namespace;
        if (typeof ns === "string" && ns !== "") return { literal: ns };
        if (isUnknownValue(ns)) return { unknown: ns.unknown };
        if (f.secretNamespace !== undefined) return { signature: `namespace\u0000${f.secretNamespace}` };
        // Else the kubeconfig's context says: read from it, the same context of the ambient one, or of one cluster's kubeconfig.
        if (f.contextNamespace !== undefined) return { signature: `context\u0000${f.contextNamespace}` };
        const selection = known(f.context) && known(f.cluster) ? `${text(f.context)}\u0000${text(f.cluster)}` : undefined;
        if (selection !== undefined && f.kubeconfig === undefined) return { signature: `ambient\u0000${selection}` };
        if (selection !== undefined && f.clusters.length === 1) return { signature: `built\u0000${f.clusters[0]}\u0000${selection}` };
        return { signature: provider };
    }
}
