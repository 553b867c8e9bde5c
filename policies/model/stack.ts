// The stack as the model sees it: its resources with their models and property dependencies, and
// the one question every cross-resource reading asks, "what does this link name?" (answered by
// analysis/stack-index.ts).
import { Link, ResourceModel } from "./resources";
import { TopologyLink } from "./topology";

/** One resource of the stack, as the engine sends it and the adapters read it. */
export interface StackResource {
    urn: string;
    name: string;
    type: string;
    /** The model, for resources the pack understands. */
    model?: ResourceModel;
    /** Input property name to the URNs of the stack's resources its value depends on. */
    dependencies: Readonly<Record<string, readonly string[]>>;
    /** The URN of the provider resource that manages it; unset for the stack's default provider. */
    provider?: string;
}

/** What a link names in the stack: the resources found, or why none could be. */
export type Resolved =
    | { state: "found"; targets: StackResource[] }
    /** The value names nothing in this stack (a VPC looked up with .get(), an id from another stack). */
    | { state: "outside"; literal: string }
    /** The value is unknown until update and no property dependency names a resource of the stack. */
    | { state: "unknown" };

export interface Stack {
    readonly resources: readonly StackResource[];
    /** The resources a link of `from` names that `accept` takes. */
    resolve(from: StackResource, link: TopologyLink | Link, accept: (r: StackResource) => boolean): Resolved;
    resourceByUrn(urn: string): StackResource | undefined;
    /** The resources whose model is of one of these providers (`aws`, `gcp`, `azure-native`), in stack order. */
    ofProviders(...providers: string[]): readonly StackResource[];
    /** The resource's place in `resources` (Infinity for one that is not there). */
    position(r: StackResource): number;
}
