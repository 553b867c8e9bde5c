// The network graph of one stack: every provider's assembler places its workloads; the graph is
// built once per stack, however many policies ask.
import { adapterFor, assemblers } from "../adapters";
import { AssembleOptions, GraphAssembler, SentResource } from "../adapters/support/assembler";
import { WeakMemo } from "../base/memo";
import { NetworkGraph, Workload } from "../model/graph";
import { Stack } from "../model/stack";
import { clustersNamed, joinNodes } from "./nodes";

const graphs = new WeakMemo<Stack, Map<string, NetworkGraph>>(() => new Map());

function assembled(stack: Stack, options: AssembleOptions, by: readonly GraphAssembler[]): Workload[] {
    return by.flatMap((a) =>
        a.assemble(stack, options).map((w) => {
            w.closeInternet ??= a.closeInternet;
            return w;
        }),
    );
}

function place(stack: Stack, options: AssembleOptions, by: readonly GraphAssembler[]): NetworkGraph {
    const workloads = assembled(stack, options, by);
    // NodePort ways in through the nodes of clusters of the stack (analysis/nodes.ts).
    joinNodes(workloads);
    return { workloads };
}

export function networkGraph(stack: Stack, serviceTag: string): NetworkGraph {
    const byTag = graphs.get(stack);
    let g = byTag.get(serviceTag);
    if (!g) {
        g = place(stack, { serviceTag }, assemblers);
        byTag.set(serviceTag, g);
    }
    return g;
}

/**
 * The assemblers that place workloads of these resource types: those whose providers model them.
 * An assembler reads only its providers' models, so a stack of those providers' resources alone
 * gives it what the whole stack would.
 */
export function assemblersFor(types: Iterable<string>): GraphAssembler[] {
    const providers = new Set<string>();
    for (const t of types) {
        const p = adapterFor(t)?.provider;
        if (p !== undefined) providers.add(p);
    }
    return assemblers.filter((a) => a.providers.some((p) => providers.has(p)));
}

/** Whether the resource is one `by` read: its type is modelled by one of their providers. */
export function readBy(by: readonly GraphAssembler[], type: string): boolean {
    const p = adapterFor(type)?.provider;
    return p !== undefined && by.some((a) => a.providers.includes(p));
}

/**
 * Which of `resources` (by index) can bear on the workloads made from `wanted`, as the focus of
 * each assembler of `by` tells for its providers' resources; those of other providers are not its to judge.
 */
export function focusOf(
    by: readonly GraphAssembler[],
    resources: readonly SentResource[],
    wanted: ReadonlySet<string>,
): (i: number) => boolean {
    const focusing = by.filter((a) => a.focus !== undefined);
    if (focusing.length === 0) return () => true;
    // Decided once per resource, here: the caller asks in a loop over a large stack.
    const byType = new Map<string, string | undefined>();
    const providers = resources.map((r) => {
        if (!byType.has(r.type)) byType.set(r.type, adapterFor(r.type)?.provider);
        return byType.get(r.type);
    });
    const keep = new Uint8Array(resources.length).fill(1);
    for (const a of focusing) {
        const mine: number[] = [];
        providers.forEach((p, i) => p !== undefined && a.providers.includes(p) && mine.push(i));
        const bears = a.focus?.(
            mine.map((i) => resources[i]),
            wanted,
        );
        if (bears) for (const i of mine) if (!bears(resources[i])) keep[i] = 0;
    }
    return (i) => keep[i] === 1;
}

/**
 * Only the workloads made from the resources `only` names (and what placing them needs), by the
 * assemblers `by`: what `internal-ports explain` asks of a stack of thousands. Not memoised.
 */
export function focusedGraph(stack: Stack, serviceTag: string, only: ReadonlySet<string>, by: readonly GraphAssembler[]): NetworkGraph {
    const workloads = assembled(stack, { serviceTag, only }, by);
    // The nodes that NodePort ways in go through, whichever assembler places them: the same verdict as the whole graph.
    const clusters = clustersNamed(workloads);
    // All of them, in the whole graph's order, whether or not `only` names some.
    if (clusters.size > 0) joinNodes(workloads, assembled(stack, { serviceTag, only: new Set(), nodesOf: clusters }, assemblers));
    return { workloads };
}

const byService = new WeakMemo<NetworkGraph, ReadonlyMap<string, readonly Workload[]>>((g) => {
    const m = new Map<string, Workload[]>();
    for (const w of g.workloads) {
        if (w.service === undefined) continue;
        const list = m.get(w.service);
        if (list) list.push(w);
        else m.set(w.service, [w]);
    }
    return m;
});

/** The workloads that serve a service (carry the registry's `serviceTag` naming it), indexed once per graph. */
export function workloadsOf(g: NetworkGraph, service: string): readonly Workload[] {
    return byService.get(g).get(service) ?? [];
}
