// The stack's network graph in this process, built by the pack's own adapters and assemblers from
// the resources as the engine would send them to AnalyzeStack (outputs where the input has them),
// for the commands that follow paths through it.
import { networkGraph } from "../policies/analysis/graph";
import { StackIndex } from "../policies/analysis/stack-index";
import { stackResources } from "../policies/kit/run";
import { NetworkGraph } from "../policies/model/graph";
import { StackResource } from "./types";

export function graphOf(resources: readonly StackResource[], serviceTag: string): NetworkGraph {
    const modelled = stackResources(
        resources.map((r) => ({
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: r.outputs ?? r.properties,
            propertyDependencies: r.propertyDependencies,
        })),
    );
    return networkGraph(new StackIndex(modelled), serviceTag);
}
