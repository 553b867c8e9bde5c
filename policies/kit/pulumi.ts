// A policy as @pulumi/policy runs it: its declaration to the engine, its violations as the engine
// shows them, and the structured findings the local check reads (the side channel).
import {
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import * as fs from "fs";
import { Registry } from "../registry";
import { configSchemaOf } from "./config";
import { docUrl, isStackPolicy, PolicyDefinition } from "./definition";
import { FirewallModel } from "../model/resources";
import { FindingRecord } from "./findings";
import { Opening, openingsOf } from "./openings";
import { Emit, runCheck, runStackCheck, StackInput } from "./run";
import { ListedResource, stackResourcesOf } from "../wire/stack-list";

/** The stack as the checks read it, once per list: the stack policies of a request share one (wire/stack-list.ts). */
const inputsByList = new WeakMap<readonly ListedResource[], StackInput[]>();
function stackInputsOf(list: readonly ListedResource[]): StackInput[] {
    let inputs = inputsByList.get(list);
    if (inputs === undefined) {
        inputs = list.map((r) => ({
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: r.props,
            propertyDependencies: r.propertyDependencies,
            provider: r.provider?.urn,
        }));
        inputsByList.set(list, inputs);
    }
    return inputs;
}

/**
 * The environment variable naming a file the pack appends its structured output to, one JSON record
 * a line, for the local check (which must never read message text): every finding, and what each
 * firewall opens. Unset in enforced runs: nothing is written.
 */
export const FINDINGS_FILE_ENV = "INTERNAL_PORTS_FINDINGS";

/** A line of the side channel. */
export type SideChannelRecord =
    ({ kind: "finding" } & FindingRecord) | { kind: "openings"; urn: string; name: string; type: string; openings: Opening[] };

interface SideChannel {
    finding: (f: FindingRecord) => void;
    /** A firewall's openings, once per resource however many policies look at it. */
    model: (resource: { urn: string; name: string; type: string }, model: FirewallModel) => void;
}

let sideChannel: SideChannel | null | undefined;
function sideChannelFor(registry: Registry): SideChannel | undefined {
    if (sideChannel !== undefined) return sideChannel ?? undefined;
    const file = process.env[FINDINGS_FILE_ENV];
    if (!file) {
        sideChannel = null;
        return undefined;
    }
    const write = (r: SideChannelRecord) => fs.appendFileSync(file, `${JSON.stringify(r)}\n`);
    const seen = new Set<string>();
    return (sideChannel = {
        finding: (f) => write({ kind: "finding", ...f }),
        model: (resource, model) => {
            if (seen.has(resource.urn)) return;
            seen.add(resource.urn);
            write({ kind: "openings", urn: resource.urn, name: resource.name, type: resource.type, openings: openingsOf(model, registry) });
        },
    });
}

/**
 * Advisory notes from a mandatory policy need a level of their own: @pulumi/policy accepts a
 * violation object with `enforcementLevel` (and `urn`) at run time, though its type names only the
 * string form. The description comes first, as @pulumi/policy does for string violations.
 */
function reportTo(report: ReportViolation, description: string, channel: SideChannel | undefined): Emit {
    const asObject = report as unknown as (v: { message: string; enforcementLevel?: EnforcementLevel; urn?: string }) => void;
    return (f) => {
        if (!f.advisory) report(f.message, f.urn);
        else asObject({ message: `${description}\n${f.message}`, enforcementLevel: "advisory", urn: f.urn });
        channel?.finding(f);
    };
}

export function toPulumiPolicy<C>(def: PolicyDefinition<C>, registry: Registry): ResourceValidationPolicy | StackValidationPolicy {
    const { meta } = def;
    const channel = sideChannelFor(registry);
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
                const stack = () => stackInputsOf(stackResourcesOf(args));
                runStackCheck(def, registry, stack, args.getConfig(), reportTo(reportViolation, meta.description, channel));
            },
        };
    }
    const options = channel ? { model: channel.model } : {};
    return {
        ...common,
        validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
            runCheck(
                def,
                registry,
                { type: args.type, name: args.name, urn: args.urn, props: args.props },
                args.getConfig(),
                reportTo(reportViolation, meta.description, channel),
                options,
            );
        },
    };
}
