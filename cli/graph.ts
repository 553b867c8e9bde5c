// The stack's network graph in this process, built by the pack's own adapters and assemblers from
// the resources as the engine would send them to AnalyzeStack (outputs where the input has them),
// for the commands that follow paths through it.
import { GraphAssembler } from "../policies/adapters/support/assembler";
import { assemblersFor, focusedGraph, focusOf, networkGraph, readBy } from "../policies/analysis/graph";
import { StackIndex } from "../policies/analysis/stack-index";
import { stackResources } from "../policies/kit/run";
import { NetworkGraph } from "../policies/model/graph";
import { StackResource } from "./types";

/** `providers`: the provider resources the pack reads (LoadedStack.providers), which AnalyzeStack gets too. */
function indexOf(resources: readonly StackResource[], providers: readonly StackResource[], lazyRules = false): StackIndex {
    return new StackIndex(
        stackResources(
            [...resources, ...providers].map((r) => ({
                type: r.type,
                name: r.name,
                urn: r.urn,
                props: r.outputs ?? r.properties,
                propertyDependencies: r.propertyDependencies,
                provider: r.provider,
            })),
            { lazyRules },
        ),
    );
}

export function graphOf(resources: readonly StackResource[], serviceTag: string, providers: readonly StackResource[] = []): NetworkGraph {
    return networkGraph(indexOf(resources, providers), serviceTag);
}

/**
 * The workloads made from `wanted` (URNs of the stack's resources) and nothing else: their
 * providers' resources are modelled, the rest of the stack is not, and only they are placed. The
 * same workloads graphOf places, at a fraction of the cost on a large stack.
 */
export function focusedGraphOf(
    resources: readonly StackResource[],
    serviceTag: string,
    wanted: ReadonlySet<string>,
    providers: readonly StackResource[] = [],
): NetworkGraph {
    const by = assemblersFor(resources.filter((r) => wanted.has(r.urn)).map((r) => r.type));
    if (by.length === 0) return { workloads: [] };
    // A stack has few types and many resources: each type is tested once.
    const testing = (assemblers: readonly GraphAssembler[]) => {
        const seen = new Map<string, boolean>();
        return (type: string) => seen.get(type) ?? seen.set(type, readBy(assemblers, type)).get(type)!;
    };
    const isRead = testing(by);
    // What the providers are built from (a Kubernetes provider's cluster): its presence in the stack says something.
    const builtFrom = new Set<string>();
    for (const list of [providers, resources])
        for (const r of list)
            if (r.type.startsWith("pulumi:providers:") && isRead(r.type))
                for (const urns of Object.values(r.propertyDependencies ?? {})) for (const u of urns) builtFrom.add(u);
    // The clouds of those clusters place their nodes, which the NodePort ways in go through (analysis/nodes.ts): their resources are modelled too.
    const clouds = builtFrom.size === 0 ? [] : assemblersFor(resources.filter((r) => builtFrom.has(r.urn)).map((r) => r.type));
    const modelled = [...by, ...clouds.filter((a) => !by.includes(a))];
    const isModelled = modelled.length === by.length ? isRead : testing(modelled);
    // What the assemblers can tell cannot bear on the wanted workloads (another namespace's) is not modelled either.
    const bears = focusOf(
        by,
        resources.map((r) => ({ type: r.type, urn: r.urn, props: r.outputs ?? r.properties, dependencies: r.propertyDependencies })),
        wanted,
    );
    return focusedGraph(
        indexOf(
            resources.filter((r, i) => builtFrom.has(r.urn) || (isModelled(r.type) && bears(i))),
            providers.filter((r) => isModelled(r.type)),
            true,
        ),
        serviceTag,
        wanted,
        by,
    );
}
