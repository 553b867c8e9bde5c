// A policy as @pulumi/policy runs it: its declaration to the engine, its violations as the engine
// shows them, and the structured findings the local check reads (the side channel).
import {
    EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy,
} from "@pulumi/policy";
import * as fs from "fs";
import { Registry } from "../lib/registry";
import { configSchemaOf } from "./config";
import { docUrl, isStackPolicy, PolicyDefinition } from "./definition";
import { FindingRecord } from "./findings";
import { Emit, runCheck, runStackCheck } from "./run";

/**
 * Advisory notes from a mandatory policy need a level of their own: @pulumi/policy accepts a
 * violation object with `enforcementLevel` (and `urn`) at run time, though its type names only the
 * string form. The description comes first, as @pulumi/policy does for string violations.
 */
function reportTo(report: ReportViolation, description: string, sideChannel: ((f: FindingRecord) => void) | undefined): Emit {
    const asObject = report as unknown as (v: { message: string; enforcementLevel?: EnforcementLevel; urn?: string }) => void;
    return (f) => {
        if (!f.advisory) report(f.message, f.urn);
        else asObject({ message: `${description}\n${f.message}`, enforcementLevel: "advisory", urn: f.urn });
        sideChannel?.(f);
    };
}

/**
 * The environment variable naming a file the pack appends every finding to, one JSON record a line,
 * for the local check (which must never read message text). Unset in enforced runs: nothing is written.
 */
export const FINDINGS_FILE_ENV = "INTERNAL_PORTS_FINDINGS";

function findingsSideChannel(): ((f: FindingRecord) => void) | undefined {
    const file = process.env[FINDINGS_FILE_ENV];
    if (!file) return undefined;
    return (f) => fs.appendFileSync(file, `${JSON.stringify(f)}\n`);
}

export function toPulumiPolicy<C>(def: PolicyDefinition<C>, registry: Registry): ResourceValidationPolicy | StackValidationPolicy {
    const { meta } = def;
    const sideChannel = findingsSideChannel();
    const common = {
        name: meta.name,
        description: meta.description,
        enforcementLevel: meta.defaultLevel,
        severity: meta.severity,
        remediationSteps: meta.remediationSteps,
        url: docUrl(meta.name),
        configSchema: { properties: configSchemaOf(meta) },
    };
    if (isStackPolicy(def)) {
        return {
            ...common,
            validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
                // Read inside runStackCheck, so that malformed resources become a note, not a failed preview.
                const stack = () => args.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.props, propertyDependencies: r.propertyDependencies }));
                runStackCheck(def, registry, stack, args.getConfig(), reportTo(reportViolation, meta.description, sideChannel));
            },
        };
    }
    return {
        ...common,
        validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
            runCheck(def, registry, { type: args.type, name: args.name, urn: args.urn, props: args.props }, args.getConfig(), reportTo(reportViolation, meta.description, sideChannel));
        },
    };
}
