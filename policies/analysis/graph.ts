// The network graph of one stack: every provider's assembler places its workloads; the graph is
// built once per stack, however many policies ask.
import { assemblers } from "../adapters";
import { WeakMemo } from "../base/memo";
import { NetworkGraph } from "../model/graph";
import { Stack } from "../model/stack";

const graphs = new WeakMemo<Stack, Map<string, NetworkGraph>>(() => new Map());

export function networkGraph(stack: Stack, serviceTag: string): NetworkGraph {
    const byTag = graphs.get(stack);
    let g = byTag.get(serviceTag);
    if (!g) {
        g = { workloads: assemblers.flatMap((a) => a.assemble(stack, { serviceTag })) };
        byTag.set(serviceTag, g);
    }
    return g;
}
