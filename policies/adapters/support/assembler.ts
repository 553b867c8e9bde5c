// How a provider places its workloads in the network graph: from the stack's models (firewalls and
// topology) to workloads, their placements and layers. One assembler per provider; the analysis
// layer calls each and judges the result the same way for every cloud.
import { Workload } from "../../model/graph";
import { Stack } from "../../model/stack";

export interface AssembleOptions {
    /** The tag or label key that says which service a workload serves (ports.yaml `serviceTag`). */
    serviceTag: string;
}

export interface GraphAssembler {
    provider: string;
    /** How to close a way in from the internet, in this provider's terms: the fix of an exposure path. */
    closeInternet: string;
    assemble(stack: Stack, options: AssembleOptions): Workload[];
}
