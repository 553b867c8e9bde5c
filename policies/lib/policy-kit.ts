// Turns a policy's metadata and check into a @pulumi/policy policy. Metadata lives once, in the
// policy's own file; the pack, the docs and the tests read it from there.
import { EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, Severity } from "@pulumi/policy";
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { normalise } from "../adapters";
import { NormalisedResource } from "./model";
import { Registry } from "./registry";
import { unwrapProps } from "./secrets";

// eslint-disable-next-line @typescript-eslint/no-var-requires
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
}

export interface CheckContext<C> {
    resource: NormalisedResource;
    registry: Registry;
    config: C;
    /** Reports a violation at the policy's enforcement level. */
    report(message: string): void;
    /** Reports an advisory note (cannot be verified in preview, return traffic, ...). */
    advise(message: string): void;
}

export interface PolicyDefinition<C> {
    meta: PolicyMeta;
    check(ctx: CheckContext<C>): void;
}

export function docUrl(name: string): string {
    return `${DOCS_BASE}/${name}.md`;
}

export function configDefaults(meta: PolicyMeta): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, schema] of Object.entries(meta.configSchema ?? {})) {
        if (schema.default !== undefined) out[k] = schema.default;
    }
    return out;
}

/** Config as given, over the schema's defaults; values of the wrong type fall back to the default. */
export function resolveConfig<C>(meta: PolicyMeta, given: Record<string, unknown>): C {
    const out = configDefaults(meta);
    for (const [k, v] of Object.entries(given ?? {})) {
        const schema = meta.configSchema?.[k];
        if (!schema) continue;
        if (schema.enum && !schema.enum.includes(v as never)) continue;
        if (schema.type && typeof schema.type === "string" && !matchesType(schema.type, v)) continue;
        out[k] = v;
    }
    return out as C;
}

function matchesType(type: string, v: unknown): boolean {
    switch (type) {
        case "boolean": return typeof v === "boolean";
        case "string": return typeof v === "string";
        case "number": case "integer": return typeof v === "number";
        case "array": return Array.isArray(v);
        case "object": return v !== null && typeof v === "object" && !Array.isArray(v);
        default: return true;
    }
}

/**
 * Advisory notes from a mandatory policy need a level of their own: @pulumi/policy accepts a
 * violation object with `enforcementLevel` at run time, though its type names only the string form.
 * The description comes first, as @pulumi/policy does for string violations.
 */
function reportAdvisory(report: ReportViolation, description: string, message: string): void {
    const asObject = report as unknown as (v: { message: string; enforcementLevel: EnforcementLevel }) => void;
    asObject({ message: `${description}\n${message}`, enforcementLevel: "advisory" });
}

export function toPulumiPolicy<C>(def: PolicyDefinition<C>, registry: Registry): ResourceValidationPolicy {
    const { meta } = def;
    return {
        name: meta.name,
        description: meta.description,
        enforcementLevel: meta.defaultLevel,
        severity: meta.severity,
        remediationSteps: meta.remediationSteps,
        url: docUrl(meta.name),
        configSchema: meta.configSchema ? { properties: meta.configSchema } : undefined,
        validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
            runCheck(def, registry, args.type, args.props, args.getConfig(), (message, advisory) =>
                advisory ? reportAdvisory(reportViolation, meta.description, message) : reportViolation(message));
        },
    };
}

/** Runs a check on raw inputs. Never throws: a bug becomes an advisory note instead of a failed preview. */
export function runCheck<C>(
    def: PolicyDefinition<C>,
    registry: Registry,
    type: string,
    props: unknown,
    givenConfig: Record<string, unknown>,
    emit: (message: string, advisory: boolean) => void,
): void {
    let resource: NormalisedResource | undefined;
    try {
        const { raw, secrets } = unwrapProps(props);
        resource = normalise(type, raw, secrets);
        if (!resource) return;
        def.check({
            resource,
            registry,
            config: resolveConfig<C>(def.meta, givenConfig),
            report: (m) => emit(m, false),
            advise: (m) => emit(m, true),
        });
    } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        emit(`${def.meta.name} could not check this ${type} resource (${reason}). ` +
            "Nothing was verified; please report this with the resource's shape (not its values).", true);
    }
}
