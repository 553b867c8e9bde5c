// How a provider places its workloads in the network graph: from the stack's models (firewalls and
// topology) to workloads, their placements and layers. One assembler per provider; the analysis
// layer calls each and judges the result the same way for every cloud.
import { Workload } from "../../model/graph";
import { Stack } from "../../model/stack";

export interface AssembleOptions {
    /** The tag or label key that says which service a workload serves (ports.yaml `serviceTag`). */
    serviceTag: string;
    /**
     * Place only the workloads made from these resources (by URN), and what placing them needs:
     * `internal-ports explain` asks about two workloads, not the stack's thousands. Undefined: all.
     */
    only?: ReadonlySet<string>;
    /**
     * With `only`: also place the nodes of these Kubernetes cluster resources (by URN), what the
     * NodePort ways in of the workloads `only` names go through (Workload.nodesOf).
     */
    nodesOf?: ReadonlySet<string>;
}

/** Whether the nodes `r` of cluster `cluster` are wanted: as `wanted`, or their cluster's NodePort ways in need them. */
export function wantedNodes(options: AssembleOptions, r: { urn: string }, cluster: string | undefined): boolean {
    return wanted(options, r) || (cluster !== undefined && options.nodesOf?.has(cluster) === true);
}

/** Whether the workload made from `r` is wanted: every one, or those `only` names. */
export function wanted(options: AssembleOptions, r: { urn: string }): boolean {
    return options.only === undefined || options.only.has(r.urn);
}

/** A resource as the engine sends it, before it is modelled: its properties in wire form. */
export interface SentResource {
    type: string;
    urn: string;
    props: unknown;
    /** Input property name to the URNs its value depends on (the only link in preview, when ids are unknown). */
    dependencies?: Readonly<Record<string, readonly string[]>>;
}

export interface GraphAssembler {
    provider: string;
    /** The providers of the models it reads (Adapter.provider): it never looks at another resource. */
    providers: readonly string[];
    /** How to close a way in from the internet, in this provider's terms: the fix of an exposure path. */
    closeInternet: string;
    assemble(stack: Stack, options: AssembleOptions): Workload[];
    /**
     * For a focused graph (AssembleOptions.only): which of the stack's resources can bear on the
     * workloads made from `wanted`, told before any is modelled, so that the rest need not be.
     * Undefined, or no hook: every one can.
     */
    focus?(resources: readonly SentResource[], wanted: ReadonlySet<string>): ((r: SentResource) => boolean) | undefined;
    /**
     * For firewalls that name no network of their own (an Azure NSG): by firewall URN, the networks
     * whose traffic it filters, by the URNs and ids a flow log's target may name. A flow log of one of
     * them records the firewall's traffic (an Azure VNet flow log).
     */
    flowLogScopes?(stack: Stack): ReadonlyMap<string, readonly string[]>;
}
