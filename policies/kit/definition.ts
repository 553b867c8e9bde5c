// What a policy is: its metadata (name, description, severity, messages, examples) and its check,
// over one firewall or over the whole stack. Metadata lives once, in the rule's own file; the pack,
// the docs and the tests read it from there.
import { EnforcementLevel, Severity } from "@pulumi/policy";
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { StackIndex, StackResource } from "../analysis/stack-index";
import { FirewallModel } from "../model/resources";
import { Registry } from "../registry";
import { Data, ItemSpec, Messages } from "./findings";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the package's own package.json at run time (dist/ is three levels down); an import would copy it into dist/
const pkg = require("../../../package.json") as { homepage?: string };
const DOCS_BASE = `${(pkg.homepage ?? "").replace(/#.*$/, "")}/blob/main/docs/policies`;

export interface PolicyMeta {
    name: string;
    description: string;
    /** Why the policy exists, for its doc. */
    rationale: string;
    severity: Severity;
    defaultLevel: EnforcementLevel;
    remediationSteps: string;
    configSchema?: Record<string, PolicyConfigJSONSchema>;
    /** ❌/✅ examples for the docs; the meta-test checks each against the policy and the shipped ports.yaml. */
    examples?: PolicyExample[];
    /** Every message the policy reports, by id, with `{{placeholder}}` data (typescript-eslint style). */
    messages: Messages;
}

export interface PolicyExample {
    cloud: string;
    title: string;
    type: string;
    props: Record<string, unknown>;
    /** "flagged": the policy reports it (at its level); "passes": it does not. */
    verdict: "flagged" | "passes";
}

// Function-typed properties, not methods: policies destructure them from their context.
interface Reporting {
    /** Reports a violation at the policy's enforcement level: one line of the resource's finding. */
    report: (messageId: string, data?: Data, spec?: ItemSpec) => void;
    /** Reports an advisory note (cannot be verified in preview, return traffic, ...): one line of the resource's note. */
    advise: (messageId: string, data?: Data, spec?: ItemSpec) => void;
}

export interface CheckContext<C> extends Reporting {
    resource: FirewallModel;
    registry: Registry;
    config: C;
}

export interface StackCheckContext<C> {
    /** Every resource of the stack, with its model where the pack understands it. */
    resources: readonly StackResource[];
    /** How the stack's resources refer to each other (attached groups, flow-log coverage). */
    stack: StackIndex;
    registry: Registry;
    config: C;
    /** Reports a violation about one resource (or the stack) at the policy's level. */
    report: (resource: StackResource | undefined, messageId: string, data?: Data, spec?: ItemSpec) => void;
    advise: (resource: StackResource | undefined, messageId: string, data?: Data, spec?: ItemSpec) => void;
}

export interface ResourcePolicyDefinition<C> {
    meta: PolicyMeta;
    check(ctx: CheckContext<C>): void;
}

export interface StackPolicyDefinition<C> {
    meta: PolicyMeta;
    checkStack(ctx: StackCheckContext<C>): void;
}

export type PolicyDefinition<C> = ResourcePolicyDefinition<C> | StackPolicyDefinition<C>;

export function isStackPolicy<C>(def: PolicyDefinition<C>): def is StackPolicyDefinition<C> {
    return "checkStack" in def;
}

export function docUrl(name: string): string {
    return `${DOCS_BASE}/${name}.md`;
}
