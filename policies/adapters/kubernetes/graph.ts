// The Kubernetes half of the network graph: the pods of each workload, the NetworkPolicies that
// isolate them, and the Services that are their ways in from the internet, from the firewall models
// (firewalls.ts, with the selectors scopes.ts reads) and the topology models (topology.ts).
//
// NetworkPolicy as Kubernetes defines it: a pod that no policy with that policy type selects admits
// (or sends) everything; one that some do admits only the union of their rules; peers are pods by
// `podSelector` in the policy's namespace, pods of namespaces by `namespaceSelector` (labels of the
// stack's Namespaces, `kubernetes.io/metadata.name` of others), or `ipBlock` ranges, which pods'
// own addresses are never assumed to be in. A selection that cannot be told yet (a namespace or a
// label unknown until update) makes what it decides unverifiable, never open or closed.
//
// The ways in: a LoadBalancer Service that is not internal carries the internet, from its source
// ranges, to its pods' target ports, where their ingress policies see the client. A NodePort
// Service, external IPs and host ports are reached through the nodes, whose firewall is not in the
// cluster's resources: such a way in is outside this stack. A LoadBalancer's own node ports are not
// a second way in: the cloud's controller opens them to the load balancer's sources. The load
// balancer is crossed on the Service ports that forward to the target port asked about. An Ingress
// whose backends name a Service that selects the pods is a way in that cannot be verified: the
// ingress controller in front of it (its own Service, its cloud's load balancer) is not read.
import { WeakMemo } from "../../base/memo";
import { parseCidr } from "../../model/addresses";
import { InternetPath, Layer, LayerRule, NodeWay, Placement, ResourceName, Workload } from "../../model/graph";
import { IntervalSet, PortSet, portDomain, portRange } from "../../model/intervals";
import { ConcreteProtocol } from "../../model/protocol";
import { FirewallModel } from "../../model/resources";
import { Direction, NormalisedRule } from "../../model/rules";
import { Stack, StackResource } from "../../model/stack";
import { isUnknownValue, TopologyLink, TopologyModel } from "../../model/topology";
import { UNKNOWN } from "../../wire/engine";
import { AssembleOptions, GraphAssembler, wanted } from "../support/assembler";
import { Input } from "../support/input";
import { ALL_ADDRESSES, layerRules, NO_ADDRESSES } from "../support/layers";
import { KubernetesClusters } from "./clusters";
import { kubernetesFocus } from "./focus";
import { kubernetesAdapters } from "./firewalls";
import { and, isSelector, LabelSet, Match, matches, Row, selectsAll, SelectorValue } from "./selectors";
import { ROLE } from "./topology";
import { code as q, resourceName as name } from "../support/topology-values";

const T = {
    service: "kubernetes:core/v1:Service",
    policies: ["kubernetes:networking.k8s.io/v1:NetworkPolicy", "kubernetes:extensions/v1beta1:NetworkPolicy"],
};
/** The network every pod of the stack's cluster is in. */
export const CLUSTER = "kubernetes cluster";
/** A membership every pod carries: what a rule without `from`/`to` admits. */
const ANY_POD = "kubernetes:any-pod";
const METADATA_NAME = "kubernetes.io/metadata.name";
const EMPTY_REASON = "arrived with no inputs (its provider's configuration is unknown in preview)";

function topo(r: StackResource): TopologyModel | undefined {
    return r.model?.kind === "topology" && r.model.provider === "kubernetes" ? r.model : undefined;
}
function fw(r: StackResource): FirewallModel | undefined {
    return r.model?.kind === "firewall" && r.model.provider === "kubernetes" ? r.model : undefined;
}
const isNamespace = (r: StackResource) => topo(r)?.role === ROLE.namespace;

function strings(v: unknown): string[] {
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}
function num(v: unknown): number | undefined {
    if (typeof v === "number" && Number.isInteger(v)) return v;
    return typeof v === "string" && /^\d+$/.test(v.trim()) ? Number(v.trim()) : undefined;
}
function protocolOf(v: unknown): ConcreteProtocol | "other" {
    const p = typeof v === "string" ? v.trim().toLowerCase() : "tcp";
    return p === "tcp" || p === "udp" ? p : "other";
}

// ---------------------------------------------------------------------------------------------
// Rules Kubernetes supplies itself: "not isolated" (everything) and the stand-in for rules that
// cannot be read yet (a list unknown until update, a policy that may or may not select the pods).

function policyRules(spec: Record<string, unknown>): NormalisedRule[] {
    const adapter = kubernetesAdapters.find((a) => a.types.includes(T.policies[0]))!;
    return (
        adapter.normalise(
            Input.root({ spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], ...spec } }),
            T.policies[0],
        ) as FirewallModel
    ).rules;
}

let implied: { all: NormalisedRule[]; unknown: NormalisedRule[] } | undefined;
function impliedRules(): NonNullable<typeof implied> {
    implied ??= {
        all: policyRules({ ingress: [{}], egress: [{}] }).map((r) => ({ ...r, origin: r.direction === "inbound" ? "ingress" : "egress" })),
        unknown: policyRules({ ingress: [{ from: UNKNOWN }], egress: [{ to: UNKNOWN }] }),
    };
    return implied;
}
const KUBERNETES: ResourceName = { urn: "kubernetes:not-isolated", name: "Kubernetes" };

function allowAll(direction: Direction): LayerRule {
    const rule = impliedRules().all.find((r) => r.direction === direction)!;
    const what =
        direction === "inbound"
            ? "every source: no NetworkPolicy isolates these pods for ingress"
            : "every destination: no NetworkPolicy isolates these pods for egress";
    return { rule, resource: KUBERNETES, addresses: ALL_ADDRESSES, members: new Set([ANY_POD]), unknown: false, implied: what };
}
function standIn(resource: ResourceName, direction: Direction): LayerRule {
    const rule = impliedRules().unknown.find((r) => r.direction === direction)!;
    return { rule, resource, addresses: NO_ADDRESSES, members: new Set(), unknown: true };
}

// ---------------------------------------------------------------------------------------------

/** Where a resource is: a namespace by key, with its labels as far as the stack tells them. */
interface Ns {
    /** The Namespace resource's URN, `kubernetes-namespace:<name>` for one outside the stack; undefined when unknown. */
    key?: string;
    /** For messages: the namespace's `metadata.name`, else the Namespace's Pulumi name, or how it is not known. */
    label: string;
    labels: LabelSet;
    /** `metadata.namespace` unset: the provider's default namespace (`default` unless its configuration or kubeconfig says otherwise). */
    isDefault?: boolean;
    /** Which default namespace: one for the providers of one kubeconfig and context (KubernetesClusters.defaultNamespace); undefined: the default provider's. */
    defaultOf?: string;
    unknown?: string;
    /** The cluster it is deployed to (KubernetesClusters.of: a provider's URN, shared by the providers of one cluster); undefined: the default provider's. */
    cluster?: string;
}

const UNKNOWN_LABELS: LabelSet = { known: {}, unknownKeys: new Set(), othersUnknown: true };
const DEFAULT_NS: Ns = {
    key: "kubernetes-namespace:(provider default)",
    label: "the default namespace",
    labels: UNKNOWN_LABELS,
    isDefault: true,
};

/** Why two resources deployed through providers not proven one cluster, nor different ones, may or may not share one. */
function clusterDoubt(a: StackResource, b: StackResource): string {
    const via = (r: StackResource) =>
        r.provider === undefined ? "the default provider" : `provider ${q(r.provider.slice(r.provider.lastIndexOf("::") + 2))}`;
    return `${q(a.name)} and ${q(b.name)} are deployed through different Kubernetes providers (${via(a)}, ${via(b)}), which may or may not be one cluster`;
}

function nsEqual(a: Ns, b: Ns, clusters: KubernetesClusters): Match {
    if (a.cluster !== b.cluster) return clusters.same(a.cluster, b.cluster) === "no" ? "no" : "maybe";
    if (a.key === undefined || b.key === undefined) return "maybe";
    // Two providers' default namespaces may differ (their `namespace`, their contexts').
    if (a.key === b.key) return a.defaultOf === b.defaultOf ? "yes" : "maybe";
    // The provider's default namespace may be any one of them.
    return a.isDefault || b.isDefault ? "maybe" : "no";
}

function labelSet(m: TopologyModel, extra: Record<string, string> = {}, unknownExtra: string[] = []): LabelSet {
    return {
        known: { ...m.tags, ...extra },
        unknownKeys: new Set([...strings(m.values.unknownLabels), ...unknownExtra]),
        othersUnknown: isUnknownValue(m.values.labels) || m.empty,
    };
}

interface ContainerPort {
    name?: string;
    port?: number;
    protocol: ConcreteProtocol | "other";
    hostPort?: number | "unknown";
}

interface Pod {
    resource: StackResource;
    model: TopologyModel;
    ns: Ns;
    labels: LabelSet;
    ports: ContainerPort[] | "unknown";
    hostNetwork: boolean | "unknown";
}

interface Policy {
    /** Its place among the stack's policies: the short key of the caches. */
    id: number;
    resource: StackResource;
    model: FirewallModel;
    ns: Ns;
    selector: SelectorValue;
    sides: Record<"inbound" | "outbound", Match>;
}

interface Service {
    resource: StackResource;
    model: FirewallModel;
    ns: Ns;
}

interface Ingress {
    resource: StackResource;
    model: TopologyModel;
    ns: Ns;
}

/** One backend of an Ingress: the Service port it names (a number or a port name), when known. */
interface Backend {
    ingress: Ingress;
    port?: number | string;
}

/** What one selecting peer of a rule names: membership keys, the pods (for named ports), whether some may match but cannot be told. */
interface PeerPods {
    members: string[];
    pods: Pod[];
    unknown: boolean;
}

function portsOf(m: TopologyModel): ContainerPort[] | "unknown" {
    const v = m.values.containerPorts;
    if (v === undefined) return [];
    if (!Array.isArray(v)) return "unknown";
    const out: ContainerPort[] = [];
    for (const row of v as readonly Row[]) {
        if (Object.values(row).some((x) => isUnknownValue(x))) {
            if (isUnknownValue(row.containerPort) || isUnknownValue(row.name) || isUnknownValue(row.protocol)) return "unknown";
        }
        const port = num(row.containerPort);
        const host = isUnknownValue(row.hostPort) ? ("unknown" as const) : num(row.hostPort);
        out.push({
            ...(typeof row.name === "string" ? { name: row.name } : {}),
            ...(port !== undefined ? { port } : {}),
            protocol: protocolOf(row.protocol),
            ...(host !== undefined ? { hostPort: host } : {}),
        });
    }
    return out;
}

function addPort(map: Map<ConcreteProtocol, PortSet>, p: ConcreteProtocol, port: number | "all"): void {
    const set = port === "all" ? IntervalSet.full(portDomain) : portRange(port, port);
    map.set(p, (map.get(p) ?? IntervalSet.empty(portDomain)).union(set));
}

/** The node port range of a cluster whose API server's `--service-node-port-range` is the default (every managed cloud's). */
const NODE_PORT_RANGE: PortSet = portRange(30000, 32767);

/** Private, shared and link-local ranges: an external IP there is no way in from the internet. */
const NOT_INTERNET = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "169.254.0.0/16",
    "127.0.0.0/8",
    "fc00::/7",
    "fe80::/10",
    "::1/128",
].map((c) => parseCidr(c)!);
function isPublicAddress(text: string): boolean {
    const c = parseCidr(text.includes("/") ? text : text.includes(":") ? `${text}/128` : `${text}/32`);
    if (!c) return true;
    return !NOT_INTERNET.some((n) => n.family === c.family && n.range[0] <= c.range[0] && c.range[1] <= n.range[1]);
}

export class KubernetesGraph {
    private readonly pods: Pod[] = [];
    private readonly policies: Policy[] = [];
    private readonly services: Service[] = [];
    private readonly ingresses: Ingress[] = [];
    private readonly sgPolicies: { resource: StackResource; model: TopologyModel; ns: Ns }[] = [];
    /** The Ingress backends that name each Service. */
    private readonly backends = new Map<StackResource, Backend[]>();
    private readonly podsByNs = new Map<string, Pod[]>();
    private nsIndex?: {
        groups: (readonly [string, Pod[]])[];
        byLabel: Map<string, Map<string, number[]>>;
        uncertain: number[];
    };
    private readonly policiesByNs = new Map<string, Policy[]>();
    private readonly servicesByNs = new Map<string, Service[]>();
    private readonly nsCache = new Map<StackResource, Ns>();
    /** One Ns per namespace, however many resources live in it. */
    private readonly nsByKey = new Map<string, Ns>();
    private readonly peerCache = new Map<string, PeerPods>();
    private readonly ruleCache = new Map<string, { rules: LayerRule[]; named: { rule: LayerRule; port: string }[] }>();
    private readonly layers = new Map<string, Layer>();
    private readonly fronts = new Map<StackResource, Layer>();
    private readonly clusters: KubernetesClusters;

    constructor(
        private readonly stack: Stack,
        private readonly options: AssembleOptions,
    ) {
        this.clusters = new KubernetesClusters(stack.resources);
        for (const r of stack.ofProviders("kubernetes")) {
            const t = topo(r);
            if (t?.role === ROLE.workload) {
                const ns = this.nsOf(r);
                const hn = t.values.hostNetwork;
                this.pods.push({
                    resource: r,
                    model: t,
                    ns,
                    labels: labelSet(t),
                    ports: portsOf(t),
                    hostNetwork: isUnknownValue(hn) ? "unknown" : hn === true || hn === "true",
                });
            }
            if (t?.role === ROLE.ingress) this.ingresses.push({ resource: r, model: t, ns: this.nsOf(r) });
            if (t?.role === ROLE.securityGroupPolicy) this.sgPolicies.push({ resource: r, model: t, ns: this.nsOf(r) });
            const f = fw(r);
            if (!f) continue;
            if (T.policies.includes(r.type)) {
                const sides = f.values?.sides;
                const side = (s: string): Match => (f.empty || !Array.isArray(sides) ? "maybe" : strings(sides).includes(s) ? "yes" : "no");
                const sel = f.values?.podSelector;
                this.policies.push({
                    id: this.policies.length,
                    resource: r,
                    model: f,
                    ns: this.nsOf(r),
                    selector: !f.empty && isSelector(sel) ? sel : { unknown: "spec.podSelector" },
                    sides: { inbound: side("ingress"), outbound: side("egress") },
                });
            } else if (r.type === T.service) {
                this.services.push({ resource: r, model: f, ns: this.nsOf(r) });
            }
        }
        for (const p of this.pods) push(this.podsByNs, p.ns.key ?? "", p);
        for (const p of this.policies) push(this.policiesByNs, p.ns.key ?? "", p);
        for (const s of this.services) push(this.servicesByNs, s.ns.key ?? "", s);
    }

    /** The namespace of a namespaced resource: the Namespace its `metadata.namespace` names, a namespace outside the stack by name, the provider's default, or unknown. */
    private nsOf(r: StackResource): Ns {
        let ns = this.nsCache.get(r);
        if (ns) return ns;
        ns = this.nsIn(r);
        const cluster = this.clusters.of(r.provider);
        if (cluster !== undefined) {
            const d = ns.isDefault ? this.clusters.defaultNamespace(r.provider) : undefined;
            const defaultOf = d && "signature" in d ? d.signature : undefined;
            const key = `${cluster}\u0000${defaultOf ?? ""}\u0000${ns.key ?? ns.label}`;
            const shared = this.nsByKey.get(key);
            ns = shared ?? { ...ns, cluster, ...(defaultOf !== undefined ? { defaultOf } : {}) };
            if (!shared && ns.key !== undefined) this.nsByKey.set(key, ns);
        }
        this.nsCache.set(r, ns);
        return ns;
    }

    private nsIn(r: StackResource): Ns {
        let ns: Ns;
        const m = r.model;
        const link = (m?.kind === "topology" ? m.links : m?.kind === "firewall" ? m.links : undefined)?.namespace?.[0];
        if (m && m.kind !== "flow-log" && m.empty)
            ns = { label: "a namespace unknown until update", labels: UNKNOWN_LABELS, unknown: `${q(r.name)} ${EMPTY_REASON}` };
        else if (!link) {
            // The provider's `namespace`, when it sets one, is the namespace of what names none.
            const d = this.clusters.defaultNamespace(r.provider);
            if (d === undefined || "signature" in d) ns = DEFAULT_NS;
            else if ("literal" in d) ns = this.namedNs(r, { property: "", literal: d.literal });
            else
                ns = {
                    label: "a namespace unknown until update",
                    labels: UNKNOWN_LABELS,
                    unknown: `the \`namespace\` of the provider of ${q(r.name)} is unknown until update`,
                };
        } else ns = this.namedNs(r, link);
        return ns;
    }

    /** The namespace a link names: a Namespace of the stack, one outside it by name, or unknown. */
    private namedNs(r: StackResource, link: TopologyLink): Ns {
        const res = this.stack.resolve(r, link, isNamespace);
        if (res.state === "found" && (res.targets.length === 1 || link.literal !== undefined)) {
            const target = res.targets[0];
            let ns = this.nsByKey.get(target.urn);
            if (!ns) {
                const t = topo(target)!;
                const known = typeof t.values.name === "string" ? t.values.name : undefined;
                // Named as Kubernetes knows it (`metadata.name`); by its Pulumi name while that is unknown (auto-named, in preview).
                ns = {
                    key: target.urn,
                    label: known ?? target.name,
                    labels: labelSet(t, known ? { [METADATA_NAME]: known } : {}, known ? [] : [METADATA_NAME]),
                };
                this.nsByKey.set(target.urn, ns);
            }
            return ns;
        }
        if (res.state === "outside") {
            const key = `kubernetes-namespace:${res.literal}`;
            let ns = this.nsByKey.get(key);
            if (!ns) {
                ns = {
                    key,
                    label: res.literal,
                    labels: { known: { [METADATA_NAME]: res.literal }, unknownKeys: new Set(), othersUnknown: true },
                };
                this.nsByKey.set(key, ns);
            }
            return ns;
        }
        return {
            label: "a namespace unknown until update",
            labels: UNKNOWN_LABELS,
            unknown: `the namespace of ${q(r.name)} is unknown until update`,
        };
    }

    /**
     * The namespaces (with their pods, in stack order) a namespace selector may select: those whose
     * labels hold a value one of its `In` requirements asks for, and those whose labels are not all
     * known. Indexed once, so that a policy per namespace does not match every namespace.
     */
    private namespacesFor(sel: SelectorValue): readonly (readonly [string, Pod[]])[] {
        if (!this.nsIndex) {
            const groups = [...this.podsByNs];
            const byLabel = new Map<string, Map<string, number[]>>();
            const uncertain: number[] = [];
            groups.forEach(([key, group], i) => {
                const labels = group[0].ns.labels;
                if (key === "" || labels.othersUnknown || labels.unknownKeys.size > 0) uncertain.push(i);
                for (const [k, v] of Object.entries(labels.known)) {
                    let values = byLabel.get(k);
                    if (!values) byLabel.set(k, (values = new Map<string, number[]>()));
                    push(values, v, i);
                }
            });
            this.nsIndex = { groups, byLabel, uncertain };
        }
        const { groups, byLabel, uncertain } = this.nsIndex;
        const narrowing = Array.isArray(sel)
            ? (sel as readonly Row[]).find((r) => typeof r.key === "string" && r.operator === "In" && Array.isArray(r.values))
            : undefined;
        if (!narrowing) return groups;
        const values = byLabel.get(narrowing.key as string);
        const at = new Set(uncertain);
        for (const v of narrowing.values as readonly unknown[]) if (typeof v === "string") for (const i of values?.get(v) ?? []) at.add(i);
        return [...at].sort((x, y) => x - y).map((i) => groups[i]);
    }

    /** What of `all` (pods, policies, services) may share a namespace with `ns`, by `index`, their namespace's key. */
    private near<T>(index: Map<string, T[]>, all: readonly T[], ns: Ns): readonly T[] {
        if (ns.key === undefined || ns.isDefault) return all;
        return [...(index.get(ns.key) ?? []), ...(index.get("") ?? []), ...(index.get(DEFAULT_NS.key!) ?? [])];
    }

    // -----------------------------------------------------------------------------------------
    // NetworkPolicy peers and rules

    /** The pods one selecting peer (`spec.ingress[i].from[j]`) of a policy names. */
    private peerPods(p: Policy, base: string, j: string): PeerPods {
        const cacheKey = `${p.id}|${base}|${j}`;
        const hit = this.peerCache.get(cacheKey);
        if (hit) return hit;
        const v = p.model.values ?? {};
        const podSel = v[`${base}.peers[${j}].podSelector`];
        const nsSel = v[`${base}.peers[${j}].namespaceSelector`];
        const out: PeerPods = { members: [], pods: [], unknown: false };
        const take = (pod: Pod, m: Match) => {
            if (m === "yes") {
                out.members.push(pod.resource.urn);
                out.pods.push(pod);
            } else if (m === "maybe") out.unknown = true;
        };
        const pods = isSelector(podSel) ? podSel : undefined;
        if (!isSelector(nsSel)) {
            // Pods of the policy's own namespace.
            for (const pod of this.near(this.podsByNs, this.pods, p.ns))
                take(pod, and(nsEqual(p.ns, pod.ns, this.clusters), matches(pods ?? [], pod.labels)));
        } else {
            for (const [key, group] of this.namespacesFor(nsSel)) {
                const nm: Match = key === "" ? (selectsAll(nsSel) ? "yes" : "maybe") : matches(nsSel, group[0].ns.labels);
                if (nm === "no") continue;
                // A namespace selector selects namespaces of the policy's own cluster.
                const sameCluster = group.every((pod) => this.clusters.same(pod.ns.cluster, p.ns.cluster) === "yes");
                if (!pods && nm === "yes" && key !== "" && sameCluster) {
                    out.members.push(key);
                    out.pods.push(...group);
                    continue;
                }
                for (const pod of group)
                    take(pod, and(and(nm, this.clusters.same(pod.ns.cluster, p.ns.cluster)), matches(pods ?? [], pod.labels)));
            }
        }
        this.peerCache.set(cacheKey, out);
        return out;
    }

    /** A policy's rules in one direction, peers resolved; named ports kept apart (ingress: numbered by each selected pod). */
    private rulesOf(p: Policy, direction: Direction): { rules: LayerRule[]; named: { rule: LayerRule; port: string }[] } {
        const cacheKey = `${p.id}|${direction}`;
        const hit = this.ruleCache.get(cacheKey);
        if (hit) return hit;
        const v = p.model.values ?? {};
        const rules: LayerRule[] = [];
        const named: { rule: LayerRule; port: string }[] = [];
        for (const r of p.model.rules.filter((x) => x.direction === direction)) {
            const base = /^spec\.(ingress|egress)\[\d+\]/.exec(r.origin)?.[0] ?? r.origin;
            const peers = v[`${base}.peers`];
            const selecting = strings(peers);
            const podsOf: PeerPods[] = [];
            const [lr] = layerRules(p.resource, [r], direction, (symbol, rule) => {
                const j = selecting[rule.peers.symbols.indexOf(symbol)];
                if (j === undefined) return { unknown: true };
                const res = this.peerPods(p, base, j);
                podsOf.push(res);
                return { members: res.members, unknown: res.unknown };
            });
            const everybody = peers === "everybody";
            const rule: LayerRule = everybody ? { ...lr, members: new Set([...lr.members, ANY_POD]) } : lr;
            const port = v[`${r.origin}.port`];
            if (typeof port !== "string") rules.push(rule);
            else if (direction === "inbound") named.push({ rule, port });
            else rules.push(...this.egressNamed(p, rule, port, everybody ? [{ members: [], pods: this.pods, unknown: false }] : podsOf));
        }
        // A whole list unknown until update (or unreadable) may hold any rule: a stand-in that never admits and never blocks.
        if ([...p.model.unknown, ...p.model.problems].some((u) => u.direction === undefined || u.direction === direction) || p.model.empty)
            rules.push(standIn(name(p.resource), direction));
        const out = { rules, named };
        this.ruleCache.set(cacheKey, out);
        return out;
    }

    /** An egress rule to a named port: the destination pods number it, each by its own containers. */
    private egressNamed(p: Policy, rule: LayerRule, port: string, peers: PeerPods[]): LayerRule[] {
        const byNumber = new Map<number, string[]>();
        let unknown = rule.unknown || peers.some((x) => x.unknown);
        for (const pod of peers.flatMap((x) => x.pods)) {
            const n = namedPort(pod, port, rule.rule.protocol);
            if (n === "unknown") unknown = true;
            else if (n !== undefined) byNumber.set(n, [...(byNumber.get(n) ?? []), pod.resource.urn]);
        }
        const out = [...byNumber].map(([n, urns]): LayerRule => ({
            ...rule,
            rule: numbered(rule.rule, n),
            addresses: NO_ADDRESSES,
            members: new Set(urns),
        }));
        if (unknown) out.push(standIn(name(p.resource), rule.rule.direction));
        return out;
    }

    /** The policies that select a pod for one direction: for sure, or perhaps (a selection unknown until update). */
    private selecting(pod: Pod): Record<Direction, { sure: Policy[]; maybe: Policy[] }> {
        const out: Record<Direction, { sure: Policy[]; maybe: Policy[] }> = {
            inbound: { sure: [], maybe: [] },
            outbound: { sure: [], maybe: [] },
        };
        for (const p of this.near(this.policiesByNs, this.policies, pod.ns)) {
            const sel = p.model.empty ? "maybe" : and(nsEqual(p.ns, pod.ns, this.clusters), matches(p.selector, pod.labels));
            if (sel === "no") continue;
            for (const d of ["inbound", "outbound"] as const) {
                const m = and(sel, p.sides[d]);
                if (m === "yes") out[d].sure.push(p);
                else if (m === "maybe") out[d].maybe.push(p);
            }
        }
        return out;
    }

    /** The pod's NetworkPolicies as one layer (shared by every pod they select alike); undefined: nothing isolates it. */
    private layerOf(pod: Pod): Layer | undefined {
        const sel = this.selecting(pod);
        const all = [...new Set([...sel.inbound.sure, ...sel.inbound.maybe, ...sel.outbound.sure, ...sel.outbound.maybe])];
        if (all.length === 0) return undefined;
        const namedIn = [...sel.inbound.sure].some((p) => this.rulesOf(p, "inbound").named.length > 0);
        const ids = (ps: Policy[]) => ps.map((p) => p.id).join(",");
        // Perhaps isolated (a selection unknown until update): everything may pass, or nothing; the layer cannot be proved.
        const perhaps = (["inbound", "outbound"] as const).filter((d) => sel[d].sure.length === 0 && sel[d].maybe.length > 0);
        const reasons = [...new Set(perhaps.map((d) => ids(sel[d].maybe)))].map((set) => {
            const maybe = sel[perhaps.find((d) => ids(sel[d].maybe) === set)!].maybe;
            const sides = perhaps
                .filter((d) => ids(sel[d].maybe) === set)
                .map((d) => (d === "inbound" ? "ingress" : "egress"))
                .join(" and ");
            return `whether ${maybe.map((p) => q(p.resource.name)).join(", ")} ${maybe.length > 1 ? "isolate" : "isolates"} these pods for ${sides} is unknown until update (${this.whyMaybe(maybe[0], pod)})`;
        });
        const key = [
            ids(sel.inbound.sure),
            ids(sel.inbound.maybe),
            ids(sel.outbound.sure),
            ids(sel.outbound.maybe),
            namedIn ? portsKey(pod) : "",
            // The reasons name the pod and its provider: a layer shared by pods of other providers would name the wrong one.
            reasons.join(";"),
        ].join("|");
        const cached = this.layers.get(key);
        if (cached) return cached;
        const side = (d: Direction): LayerRule[] => {
            const { sure, maybe } = sel[d];
            if (sure.length === 0) return [allowAll(d)];
            const rules = sure.flatMap((p) => {
                const own = this.rulesOf(p, d);
                return [
                    ...own.rules,
                    ...own.named.flatMap(({ rule, port }) => {
                        const n = namedPort(pod, port, rule.rule.protocol);
                        return n === "unknown" ? [rule] : n === undefined ? [] : [{ ...rule, rule: numbered(rule.rule, n) }];
                    }),
                ];
            });
            return [...rules, ...maybe.map((p) => standIn(name(p.resource), d))];
        };
        const inbound = side("inbound");
        const outbound = side("outbound");
        const byPosition = (ps: Policy[]) => [...ps].sort((a, b) => this.pos(a.resource) - this.pos(b.resource));
        // Messages about one direction name the policies that isolate the pods for it (an Ingress-only policy has no say in egress).
        const byDirection = Object.fromEntries(
            (["inbound", "outbound"] as const).map((d) => [d, byPosition([...sel[d].sure, ...sel[d].maybe]).map((p) => name(p.resource))]),
        ) as Record<Direction, ResourceName[]>;
        const layer: Layer = {
            kind: "network policies",
            rule: "NetworkPolicy rule",
            resources: byPosition(all).map((p) => name(p.resource)),
            resourcesByDirection: byDirection,
            stateful: true,
            scope: "workload",
            ordered: false,
            inbound,
            outbound,
            ...(reasons.length > 0 ? { unverifiable: reasons.join("; ") } : {}),
        };
        this.layers.set(key, layer);
        return layer;
    }

    private whyMaybe(p: Policy, pod: Pod): string {
        if (p.model.empty) return `${q(p.resource.name)} ${EMPTY_REASON}`;
        if (p.ns.cluster !== pod.ns.cluster) return clusterDoubt(p.resource, pod.resource);
        if (nsEqual(p.ns, pod.ns, this.clusters) === "maybe")
            return p.ns.unknown ?? pod.ns.unknown ?? `one of them is in the provider's default namespace, the other names its namespace`;
        if (p.sides.inbound === "maybe" || p.sides.outbound === "maybe") return `its \`policyTypes\` are unknown until update`;
        return "a selector or label is unknown until update";
    }

    private pos(r: StackResource): number {
        return this.stack.position(r);
    }

    // -----------------------------------------------------------------------------------------
    // Services: the ways in

    private frontOf(s: Service, lbRules: NormalisedRule[]): Layer {
        let layer = this.fronts.get(s.resource);
        if (!layer) {
            layer = {
                kind: "load balancer",
                rule: "source range",
                resources: [name(s.resource)],
                stateful: true,
                scope: "workload",
                ordered: false,
                inbound: layerRules(s.resource, lbRules, "inbound", () => ({})),
                outbound: [],
            };
            this.fronts.set(s.resource, layer);
        }
        return layer;
    }

    /** The ways in that the stack's Services give `pod`, each a placement like `base`; notes on why there is none. */
    private serviceWays(pod: Pod, base: Placement): { placements: Placement[]; notes: string[]; empty: string[] } {
        const placements: Placement[] = [];
        const notes: string[] = [];
        const empty: string[] = [];
        const via = (s: Service, internet: InternetPath) =>
            placements.push(wayIn(base, `${base.label} through ${s.resource.name}`, internet));
        for (const s of this.near(this.servicesByNs, this.services, pod.ns)) {
            const v = s.model.values ?? {};
            const svc = q(s.resource.name);
            if (s.model.empty) {
                // Which pods it selects and how it exposes them are not known at all: every way in of theirs is.
                empty.push(`${svc} ${EMPTY_REASON}`);
                continue;
            }
            const selector = v.selector;
            if (selector === undefined || !isSelector(selector)) continue; // no selector: endpoints managed by hand, outside the graph
            const sel = and(nsEqual(s.ns, pod.ns, this.clusters), matches(selector, pod.labels));
            if (sel === "no") continue;
            const maybe =
                sel !== "maybe"
                    ? undefined
                    : s.ns.cluster !== pod.ns.cluster
                      ? clusterDoubt(s.resource, pod.resource)
                      : `whether ${svc} selects the pods of ${q(pod.resource.name)} is unknown until update`;
            const type = v.type;
            if (isUnknownValue(type)) {
                via(s, {
                    hops: [{ resource: name(s.resource), text: `Service ${svc}` }],
                    families: ["v4"],
                    unverifiable: `the \`spec.type\` of ${svc} is unknown until update`,
                });
                continue;
            }
            if (type === "externalname") continue;
            const mapping = this.mapping(s, pod);
            const families: ("v4" | "v6")[] = strings(v.ipFamilies).some((f) => f.toLowerCase() === "ipv6")
                ? strings(v.ipFamilies).some((f) => f.toLowerCase() === "ipv4")
                    ? ["v4", "v6"]
                    : ["v6"]
                : ["v4"];
            const unknownPorts = mapping.unknown ? `${mapping.unknown} of ${svc} is unknown until update` : undefined;
            const why = (...rs: (string | undefined)[]) => rs.filter((x): x is string => x !== undefined).join("; ") || undefined;
            if (type === "loadbalancer") {
                const lbRules = s.model.rules.filter((r) => /^spec\.ports\[\d+\]$/.test(r.origin));
                const internal = lbRules.some((r) => r.peers.symbols.some((x) => x.kind === "internal-load-balancer"));
                const sources = lbRules.some((r) => r.peers.unknown) || s.model.unknown.length > 0;
                if (internal) notes.push(`${svc} is an internal load balancer`);
                else if (mapping.targets.size > 0 || unknownPorts) {
                    const from = lbRules[0] ? sourcesText(lbRules[0]) : "its sources";
                    const unverifiable = why(
                        maybe,
                        unknownPorts,
                        sources
                            ? `whether ${svc} is an internal load balancer, or whom its \`loadBalancerSourceRanges\` admit, is unknown until update`
                            : undefined,
                    );
                    via(s, {
                        hops: [
                            {
                                resource: name(s.resource),
                                text: `LoadBalancer Service ${svc} (${mapping.text}${sources ? "" : `, from ${from}`})`,
                                brief: `LoadBalancer Service ${svc} (${mapping.text})`,
                            },
                        ],
                        families,
                        ...(unknownPorts ? {} : { ports: mapping.targets }),
                        ...(sources
                            ? {}
                            : { front: { layers: [this.frontOf(s, lbRules)], ports: mapping.fronts, forwards: mapping.forwards } }),
                        ...(unverifiable ? { unverifiable } : {}),
                    });
                }
            } else if (type === "nodeport" && (mapping.targets.size > 0 || unknownPorts)) {
                // In a cluster resource of the stack, the join (analysis/nodes.ts) follows the node ports through its nodes.
                const cluster = unknownPorts ? undefined : this.clusters.resourceOf(s.ns.cluster);
                const annotations = v.annotations;
                const nodes: NodeWay | undefined = cluster
                    ? {
                          cluster,
                          hop: { resource: name(s.resource), text: `NodePort Service ${svc} (${mapping.nodeText})` },
                          ports: mapping.nodePorts,
                          forwards: mapping.nodeForwards,
                          ...(mapping.allocated.size > 0 ? { allocated: mapping.allocated } : {}),
                          ...(maybe ? { unverifiable: maybe } : {}),
                          annotations: isUnknownValue(annotations) ? [] : strings(annotations),
                      }
                    : undefined;
                via(s, {
                    ...(nodes ? { nodes } : {}),
                    hops: [
                        { resource: name(s.resource), text: `node ports of NodePort Service ${svc} on every node (${mapping.nodeText})` },
                    ],
                    families: ["v4"],
                    ...(unknownPorts ? {} : { ports: mapping.targets }),
                    unverifiable: why(
                        maybe,
                        unknownPorts,
                        `who reaches the node ports of ${svc} is decided by the firewall in front of the nodes, which is outside this stack`,
                    )!,
                });
            }
            for (const b of this.backendsOf(s)) {
                const ing = q(b.ingress.resource.name);
                const m = b.port === undefined ? mapping : this.mapping(s, pod, b.port);
                const unknownPort = m.unknown ? `${m.unknown} of ${svc} is unknown until update` : undefined;
                if (m.targets.size === 0 && !unknownPort) continue;
                const maybeNs =
                    nsEqual(b.ingress.ns, s.ns, this.clusters) !== "maybe"
                        ? undefined
                        : b.ingress.ns.cluster !== s.ns.cluster
                          ? clusterDoubt(b.ingress.resource, s.resource)
                          : `whether Ingress ${ing} and ${svc} share a namespace is unknown until update`;
                placements.push(
                    wayIn(base, `${base.label} through ${b.ingress.resource.name}`, {
                        hops: [{ resource: name(b.ingress.resource), text: `Ingress ${ing} to Service ${svc} (${m.text})` }],
                        families: ["v4"],
                        ...(unknownPort ? {} : { ports: m.targets }),
                        unverifiable: why(
                            maybe,
                            maybeNs,
                            unknownPort,
                            `Ingress ${ing} routes to Service ${svc}, and the ingress controller in front of it is not read`,
                        )!,
                    }),
                );
            }
            const ips = v.externalIPs;
            const publicIps = isUnknownValue(ips) ? ["unknown"] : strings(ips).filter((ip) => ip === "unknown" || isPublicAddress(ip));
            if (publicIps.length > 0 && (mapping.targets.size > 0 || unknownPorts)) {
                via(s, {
                    hops: [{ resource: name(s.resource), text: `external IPs of Service ${svc} (${mapping.text})` }],
                    families,
                    ...(unknownPorts ? {} : { ports: mapping.targets }),
                    unverifiable: why(
                        maybe,
                        unknownPorts,
                        `who reaches the external IPs of ${svc} is decided by the network in front of the nodes, which is outside this stack`,
                    )!,
                });
            }
        }
        return { placements, notes, empty };
    }

    /**
     * The Ingress backends that name `s`: by name in a namespace that may be its own, or, when the
     * name is unknown until update, by the Ingress's property dependencies (its `spec` computed from
     * the Service); every Service of its namespace when its backends are not known at all.
     */
    private backendsOf(s: Service): Backend[] {
        const hit = this.backends.get(s.resource);
        if (hit) return hit;
        const out: Backend[] = [];
        this.backends.set(s.resource, out);
        const svcName = s.model.values?.name;
        for (const ingress of this.ingresses) {
            if (nsEqual(ingress.ns, s.ns, this.clusters) === "no") continue;
            const deps = (ingress.resource.dependencies.spec ?? []).includes(s.resource.urn);
            const rows = ingress.model.values.backends;
            if (ingress.model.empty || isUnknownValue(rows)) {
                if (deps || ingress.model.empty || (ingress.resource.dependencies.spec ?? []).length === 0) out.push({ ingress });
                continue;
            }
            if (!Array.isArray(rows)) continue;
            const ports = new Map<string, Backend>();
            for (const row of rows as readonly Row[]) {
                const named = isUnknownValue(row.service) ? deps : typeof svcName === "string" && row.service === svcName;
                if (!named) continue;
                const port = typeof row.port === "number" || typeof row.port === "string" ? row.port : undefined;
                ports.set(String(port ?? ""), { ingress, ...(port !== undefined ? { port } : {}) });
            }
            // A backend whose port is not known stands for every port of the Service.
            const any = ports.get("");
            out.push(...(any ? [any] : ports.values()));
        }
        return out;
    }

    /** A Service's ports to the pod's target ports (named ones by the pod's containers), per protocol; the front's own ports. `only`: the one Service port (number or name) of an Ingress backend. */
    private mapping(
        s: Service,
        pod: Pod,
        only?: number | string,
    ): {
        targets: Map<ConcreteProtocol, PortSet>;
        fronts: Map<ConcreteProtocol, PortSet>;
        /** Per protocol, each Service port with the target port it forwards to. */
        forwards: Map<ConcreteProtocol, { ports: PortSet; targets: PortSet }[]>;
        text: string;
        nodeText: string;
        /** Per protocol, the node ports the Service names, each with the target port it forwards to; the ports the cluster allocates itself. */
        nodePorts: Map<ConcreteProtocol, PortSet>;
        nodeForwards: Map<ConcreteProtocol, { ports: PortSet; targets: PortSet }[]>;
        allocated: Map<ConcreteProtocol, PortSet>;
        unknown?: string;
    } {
        const targets = new Map<ConcreteProtocol, PortSet>();
        const fronts = new Map<ConcreteProtocol, PortSet>();
        const forwards = new Map<ConcreteProtocol, { ports: PortSet; targets: PortSet }[]>();
        const nodePorts = new Map<ConcreteProtocol, PortSet>();
        const nodeForwards = new Map<ConcreteProtocol, { ports: PortSet; targets: PortSet }[]>();
        const allocated = new Map<ConcreteProtocol, PortSet>();
        const texts: string[] = [];
        const nodeTexts: string[] = [];
        const rows = s.model.values?.ports;
        if (!Array.isArray(rows))
            return {
                targets,
                fronts,
                forwards,
                nodePorts,
                nodeForwards,
                allocated,
                text: "its ports",
                nodeText: "its ports",
                unknown: "`spec.ports`",
            };
        let unknown: string | undefined;
        (rows as readonly Row[]).forEach((row, i) => {
            const proto = protocolOf(row.protocol);
            const port = num(row.port);
            if (isUnknownValue(row.protocol) || isUnknownValue(row.port) || "unknown" in row) {
                unknown ??= `\`spec.ports[${i}]\``;
                return;
            }
            if (proto === "other" || port === undefined) return;
            if (only !== undefined && (typeof only === "number" || /^\d+$/.test(only) ? num(only) !== port : row.name !== only)) return;
            const t = row.targetPort;
            let target: number | "unknown" | undefined;
            if (t === undefined) target = port;
            else if (isUnknownValue(t)) target = "unknown";
            else if (num(t) !== undefined) target = num(t);
            else if (typeof t === "string") target = namedPort(pod, t, proto);
            if (target === "unknown") {
                unknown ??= `\`spec.ports[${i}].targetPort\``;
                return;
            }
            if (target === undefined) return; // the pods have no container port of that name: not an endpoint for it
            addPort(targets, proto, target);
            addPort(fronts, proto, port);
            push(forwards, proto, { ports: portRange(port, port), targets: portRange(target, target) });
            texts.push(`${proto} ${port} → ${target}`);
            const np = num(row.nodePort);
            nodeTexts.push(`${proto} ${np ?? "a node port"} → ${target}`);
            // Left unset (or unknown until update), the cluster allocates one of its node port range.
            const nodePort = np !== undefined ? portRange(np, np) : NODE_PORT_RANGE;
            if (np === undefined) allocated.set(proto, (allocated.get(proto) ?? NODE_PORT_RANGE).union(NODE_PORT_RANGE));
            nodePorts.set(proto, (nodePorts.get(proto) ?? IntervalSet.empty(portDomain)).union(nodePort));
            push(nodeForwards, proto, { ports: nodePort, targets: portRange(target, target) });
        });
        return {
            targets,
            fronts,
            forwards,
            nodePorts,
            nodeForwards,
            allocated,
            text: texts.join(", ") || "no port",
            nodeText: nodeTexts.join(", ") || "no port",
            ...(unknown ? { unknown } : {}),
        };
    }

    /** A host port or the node's own network: reached through the nodes, outside this stack. */
    private hostWays(pod: Pod, base: Placement): Placement[] {
        const w = q(pod.resource.name);
        if (pod.hostNetwork === true) {
            const listens = new Map<ConcreteProtocol, PortSet>();
            for (const c of pod.ports === "unknown" ? [] : pod.ports)
                if (c.port !== undefined && c.protocol !== "other") addPort(listens, c.protocol, c.port);
            return [
                wayIn(base, `${base.label} on its nodes' network`, {
                    hops: [{ resource: name(pod.resource), text: `the nodes of ${w} (hostNetwork)` }],
                    families: ["v4"],
                    ...(listens.size > 0 ? { ports: listens } : {}),
                    unverifiable: `${w} runs in its nodes' network (\`hostNetwork\`): who reaches it is decided by the firewall in front of the nodes, which is outside this stack`,
                }),
            ];
        }
        const hostPorts = new Map<ConcreteProtocol, PortSet>();
        const texts: string[] = [];
        for (const c of pod.ports === "unknown" ? [] : pod.ports) {
            if (c.hostPort === undefined || c.port === undefined || c.protocol === "other") continue;
            addPort(hostPorts, c.protocol, c.port);
            texts.push(`${c.protocol} ${c.hostPort === "unknown" ? "a host port" : c.hostPort} → ${c.port}`);
        }
        if (hostPorts.size === 0) return [];
        return [
            wayIn(base, `${base.label} through its host ports`, {
                hops: [{ resource: name(pod.resource), text: `host ports of ${w} on its nodes (${texts.join(", ")})` }],
                families: ["v4"],
                ports: hostPorts,
                unverifiable: `who reaches the host ports of ${w} is decided by the firewall in front of the nodes, which is outside this stack`,
            }),
        ];
    }

    /** Why the pods' paths cannot be proved: SecurityGroupPolicies that bind AWS security groups to them, a layer the graph does not read. */
    private boundGroups(pod: Pod): string[] {
        const out: string[] = [];
        for (const p of this.sgPolicies) {
            const sel = p.model.values.podSelector;
            const bySelector: Match = sel === undefined ? "no" : isSelector(sel) ? matches(sel, pod.labels) : "maybe";
            const m = and(nsEqual(p.ns, pod.ns, this.clusters), p.model.values.serviceAccounts === true ? "maybe" : bySelector);
            if (m === "no") continue;
            out.push(
                `SecurityGroupPolicy ${q(p.resource.name)} ${m === "yes" ? "binds" : "may bind"} AWS security groups to the pods of ${q(pod.resource.name)}, whose rules the graph does not read`,
            );
        }
        return out;
    }

    // -----------------------------------------------------------------------------------------

    assemble(): Workload[] {
        const out: Workload[] = [];
        for (const pod of this.pods) {
            const r = pod.resource;
            if (!wanted(this.options, r)) continue;
            const unverifiable: string[] = [];
            if (pod.model.empty) unverifiable.push(`${q(r.name)} ${EMPTY_REASON}`);
            const layer = this.layerOf(pod);
            const network = pod.ns.cluster === undefined ? CLUSTER : `${CLUSTER} of ${pod.ns.cluster}`;
            const base: Placement = { label: pod.ns.label, network, layers: layer ? [layer] : [], unverifiable: this.boundGroups(pod) };
            const { placements, notes, empty } = this.serviceWays(pod, base);
            unverifiable.push(...empty);
            placements.push(...this.hostWays(pod, base));
            // The pods run in one place: their first way in is that place's; each further one is a placement of its own.
            const first = placements.shift();
            if (first?.internet) {
                base.internet = first.internet;
                delete base.noInternet;
            } else {
                base.noInternet = `no LoadBalancer, NodePort or external-IP Service selects the pods of ${q(r.name)}${notes.length > 0 ? ` (${notes.join("; ")})` : ""}, no Ingress routes to a Service that does, and pods get no public address of their own`;
            }
            const service = pod.model.tags[this.options.serviceTag];
            const memberships = new Set([r.urn, ANY_POD, ...(pod.ns.key ? [pod.ns.key] : [])]);
            // Security groups bound to the pods filter every way in too: none of them can be proved.
            const bound = base.unverifiable;
            const all = [base, ...placements].map((p) =>
                bound.length > 0 && p.internet
                    ? {
                          ...p,
                          internet: {
                              ...p.internet,
                              unverifiable: [p.internet.unverifiable, ...bound].filter((x) => x !== undefined).join("; "),
                          },
                      }
                    : p,
            );
            out.push({
                urn: r.urn,
                name: r.name,
                type: r.type,
                placements: all,
                memberships,
                ...(service !== undefined ? { service } : {}),
                ...(unverifiable.length > 0 ? { unverifiable: unverifiable.join("; ") } : {}),
            });
        }
        return out;
    }
}

/** The pod's placement reached by one way in. */
function wayIn(base: Placement, label: string, internet: InternetPath): Placement {
    const p: Placement = { ...base, label, internet };
    delete p.noInternet;
    return p;
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
    const list = map.get(k);
    if (list) list.push(v);
    else map.set(k, [v]);
}

/** The number a pod's containers give a port name for a protocol; "unknown" when its ports are not known yet. */
function namedPort(pod: Pod, portName: string, protocol: string): number | "unknown" | undefined {
    if (pod.ports === "unknown") return "unknown";
    const proto = protocol === "all" ? undefined : protocol;
    return pod.ports.find((c) => c.name === portName && (proto === undefined || c.protocol === proto))?.port;
}

function portsKey(pod: Pod): string {
    return pod.ports === "unknown" ? "?" : pod.ports.map((c) => `${c.name ?? ""}:${c.protocol}:${c.port ?? ""}`).join(",");
}

/** A named-port rule numbered by the pod it applies to. */
const numberedRules = new WeakMemo<NormalisedRule, Map<number, NormalisedRule>>(() => new Map());
function numbered(rule: NormalisedRule, port: number): NormalisedRule {
    const byPort = numberedRules.get(rule);
    let r = byPort.get(port);
    if (!r) {
        r = {
            ...rule,
            ports: portRange(port, port),
            unresolved: rule.unresolved.filter((u) => !(u.part === "ports" && u.reason === "unverifiable")),
        };
        byPort.set(port, r);
    }
    return r;
}

/** "anywhere: no loadBalancerSourceRanges", "10.0.0.0/8": whom a load balancer admits, never a secret. */
function sourcesText(rule: NormalisedRule): string {
    if (rule.secret.has("peers")) return "[secret sources]";
    return rule.peers.cidrs.length > 0 ? rule.peers.cidrs.join(", ") : "no source";
}

export const kubernetesGraphAssembler: GraphAssembler = {
    provider: "kubernetes",
    providers: ["kubernetes"],
    closeInternet:
        "set the Service's `spec.loadBalancerSourceRanges` to known ranges, make it an internal load balancer (your cloud's annotation), or select its pods with a NetworkPolicy whose ingress admits only known peers",
    assemble: (stack: Stack, options: AssembleOptions) => new KubernetesGraph(stack, options).assemble(),
    focus: kubernetesFocus,
};
