// The network graph of one stack: every provider's assembler places its workloads; the graph is
// built once per stack, however many policies ask.
import { assemblers } from "../adapters";
import { WeakMemo } from "../base/memo";
import { NetworkGraph, Workload } from "../model/graph";
import { Stack } from "../model/stack";

const graphs = new WeakMemo<Stack, Map<string, NetworkGraph>>(() => new Map());

export function networkGraph(stack: Stack, serviceTag: string): NetworkGraph {
    const byTag = graphs.get(stack);
    let g = byTag.get(serviceTag);
    if (!g) {
        g = {
            workloads: assemblers.flatMap((a) =>
                a.assemble(stack, { serviceTag }).map((w) => {
                    w.closeInternet ??= a.closeInternet;
                    return w;
                }),
            ),
        };
        byTag.set(serviceTag, g);
    }
    return g;
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
