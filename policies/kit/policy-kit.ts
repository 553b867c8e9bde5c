// Turns a policy's metadata and check into a @pulumi/policy policy. Metadata lives once, in the
// policy's own file; the pack, the docs and the tests read it from there. Exemptions from ports.yaml
// apply here, to every policy alike.
import {
    EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, Severity,
    StackValidationArgs, StackValidationPolicy,
} from "@pulumi/policy";
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import * as fs from "fs";
import * as path from "path";
import { normalise } from "../adapters";
import { Data, FindingCollector, FindingRecord, ItemSpec, Messages, render } from "./findings";
import { COMMON_MESSAGES } from "./wording";
import { NormalisedResource } from "../model/rules";
import { exemptionActive, exemptionMatches, Registry } from "../lib/registry";
import { unwrapProps } from "../wire/secrets";
import { SecretPaths } from "../adapters/support/input";

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

/** Config every policy takes, besides its own. */
export const COMMON_CONFIG: Record<string, PolicyConfigJSONSchema> = {
    exemptionNotes: {
        type: "boolean",
        default: false,
        description: "Show a finding covered by an active exemption in ports.yaml as an advisory note naming the exemption and its expiry, instead of nothing.",
    },
};

export interface CommonConfig {
    exemptionNotes: boolean;
}

interface Reporting {
    /** Reports a violation at the policy's enforcement level: one line of the resource's finding. */
    report(messageId: string, data?: Data, spec?: ItemSpec): void;
    /** Reports an advisory note (cannot be verified in preview, return traffic, ...): one line of the resource's note. */
    advise(messageId: string, data?: Data, spec?: ItemSpec): void;
}

export interface CheckContext<C> extends Reporting {
    resource: NormalisedResource;
    registry: Registry;
    config: C;
}

/** One resource of the stack as a stack policy sees it. */
export interface StackResourceView {
    urn: string;
    name: string;
    type: string;
    /** Plain values (secrets unwrapped); unknown values are the engine's sentinel strings. */
    props: Record<string, unknown>;
    secrets: SecretPaths;
    /** The rule model, for firewall resources the pack understands. */
    model?: NormalisedResource;
    /** Input property name to the URNs its value depends on. */
    propertyDependencies: Record<string, string[]>;
}

export interface StackCheckContext<C> {
    resources: StackResourceView[];
    registry: Registry;
    config: C;
    /** Reports a violation about one resource (or the stack) at the policy's level. */
    report(resource: StackResourceView | undefined, messageId: string, data?: Data, spec?: ItemSpec): void;
    advise(resource: StackResourceView | undefined, messageId: string, data?: Data, spec?: ItemSpec): void;
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

/** The policy's own config keys and the common ones: what the pack declares and the docs show. */
export function configSchemaOf(meta: PolicyMeta): Record<string, PolicyConfigJSONSchema> {
    return { ...(meta.configSchema ?? {}), ...COMMON_CONFIG };
}

export function configDefaults(meta: PolicyMeta): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, schema] of Object.entries(configSchemaOf(meta))) {
        if (schema.default !== undefined) out[k] = schema.default;
    }
    return out;
}

/** Schemas and defaults per policy, worked out once: resolveConfig runs for every policy on every resource. */
const configShapes = new WeakMap<PolicyMeta, { schemas: Record<string, PolicyConfigJSONSchema>; defaults: Record<string, unknown> }>();

/** Config as given, over the schema's defaults; values of the wrong type fall back to the default. */
export function resolveConfig<C>(meta: PolicyMeta, given: Record<string, unknown>): C & CommonConfig {
    let shape = configShapes.get(meta);
    if (!shape) configShapes.set(meta, (shape = { schemas: configSchemaOf(meta), defaults: configDefaults(meta) }));
    const { schemas } = shape;
    const out = { ...shape.defaults };
    for (const [k, v] of Object.entries(given ?? {})) {
        const schema = schemas[k];
        if (!schema) continue;
        if (schema.enum && !schema.enum.includes(v as never)) continue;
        if (schema.type && typeof schema.type === "string" && !matchesType(schema.type, v)) continue;
        out[k] = v;
    }
    return out as C & CommonConfig;
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

/** Where findings go: one record per resource (or stack finding) and level. */
export type Emit = (finding: FindingRecord) => void;

export interface RunOptions {
    /** The clock exemptions are judged by; injectable for tests. */
    now?: () => Date;
}

/**
 * Applies ports.yaml exemptions to one finding: an active exemption drops it (or, with
 * exemptionNotes, turns it into an advisory note); an expired one keeps it and says so.
 */
function exempting(policy: string, registry: Registry, config: CommonConfig, now: Date, emit: Emit) {
    return (name: string | undefined, f: FindingRecord) => {
        if (name === undefined || f.urn === undefined) return emit(f);
        const urn = f.urn;
        const matching = registry.exemptions.filter((e) => e.policy === policy && exemptionMatches(e, name, urn));
        const active = matching.find((e) => exemptionActive(e, now));
        if (active) {
            if (config.exemptionNotes) {
                emit({
                    ...f, advisory: true,
                    message: `Exempted by ports.yaml:${active.line} ("${active.reason}") until ${active.expires}:\n${f.message}`,
                    exemption: { line: active.line, expires: active.expires, state: "active" },
                });
            }
            return;
        }
        const expired = [...matching].sort((a, b) => a.expires.localeCompare(b.expires)).pop();
        if (!expired) return emit(f);
        emit({
            ...f,
            message: `${f.message}\nThe exemption for ${name} on ports.yaml:${expired.line} expired on ${expired.expires}.`,
            exemption: { line: expired.line, expires: expired.expires, state: "expired" },
        });
    };
}

const PACK_ROOT = path.resolve(__dirname, "..", "..", "..");

/**
 * The note for an unexpected exception. Its message may quote an input value (a secret, even), so
 * the note names only the error's class and the first stack frame in the pack's own files: enough
 * to find the bug, and nothing a value can reach. No hash of the message either: a hash of a short
 * value (a port, a token) can be guessed back.
 */
function internalError(policy: string, what: string, e: unknown, urn?: string): FindingRecord {
    let described: string;
    try {
        described = `${errorClass(e)}${errorSite(e)}`;
    } catch {
        described = "an error that could not be described"; // a throwing stack or toString must not escape the catch-all
    }
    const data = { policy, what, described };
    return {
        policy, ...(urn !== undefined ? { urn } : {}), advisory: true, message: render(COMMON_MESSAGES, "internalError", data),
        items: [{ messageId: "internalError", data }], fixes: [],
    };
}

/** A policy's messages with the ones every policy shares (notes for unknowns, the internal error). */
const allMessages = new WeakMap<PolicyMeta, Messages>();
export function messagesOf(meta: PolicyMeta): Messages {
    let m = allMessages.get(meta);
    if (!m) allMessages.set(meta, (m = { ...COMMON_MESSAGES, ...meta.messages }));
    return m;
}

function errorClass(e: unknown): string {
    if (!(e instanceof Error)) return `a thrown ${e === null ? "null" : typeof e}`;
    const name = e.constructor?.name;
    return typeof name === "string" && /^[A-Za-z_$][\w$]{0,60}$/.test(name) ? name : "Error";
}

/** " at dist/policies/lib/evaluate.js:42", from the frames only: the stack's header repeats the message. */
function errorSite(e: unknown): string {
    if (!(e instanceof Error) || typeof e.stack !== "string") return "";
    const header = String(e);
    // A message changed after the throw no longer matches the header; then where it ends is unclear.
    if (!e.stack.startsWith(`${header}\n`)) return "";
    for (const line of e.stack.slice(header.length + 1).split("\n")) {
        const m = /^\s+at (?:.*\()?(.+?):(\d+):\d+\)?$/.exec(line);
        if (!m) continue;
        const file = m[1].startsWith("file://") ? m[1].slice(7) : m[1];
        if (!path.isAbsolute(file)) continue;
        const rel = path.relative(PACK_ROOT, file).split(path.sep).join("/");
        // Only a file that exists: a frame-like line cannot smuggle text into the note.
        if (rel.startsWith("..") || rel.split("/").includes("node_modules") || !/^[\w./-]+$/.test(rel) || !fs.existsSync(file)) continue;
        return ` at ${rel}:${m[2]}`;
    }
    return "";
}

/** The rule model of one property bag, built once however many policies read it. */
const models = new WeakMap<object, Map<string, NormalisedResource | undefined>>();
function modelOf(type: string, raw: Record<string, unknown>, secrets: SecretPaths): NormalisedResource | undefined {
    const byType = models.get(raw) ?? new Map<string, NormalisedResource | undefined>();
    if (byType.has(type)) return byType.get(type);
    const model = normalise(type, raw, secrets);
    byType.set(type, model);
    models.set(raw, byType);
    return model;
}

/** Runs a resource check on raw inputs. Never throws: a bug becomes an advisory note instead of a failed preview. */
export function runCheck<C>(
    def: ResourcePolicyDefinition<C>,
    registry: Registry,
    resource: { type: string; name: string; urn: string; props: unknown },
    givenConfig: Record<string, unknown>,
    emit: Emit,
    options: RunOptions = {},
): void {
    try {
        const { raw, secrets } = unwrapProps(resource.props);
        const model = modelOf(resource.type, raw, secrets);
        if (!model) return;
        const config = resolveConfig<C>(def.meta, givenConfig);
        const out = exempting(def.meta.name, registry, config, (options.now ?? (() => new Date()))(), emit);
        const collector = new FindingCollector(def.meta.name, messagesOf(def.meta));
        const position = (spec?: ItemSpec) => (spec?.rule ? model.rules.indexOf(spec.rule) : -1);
        def.check({
            resource: model,
            registry,
            config,
            report: (id, data = {}, spec = {}) => collector.add(resource.urn, false, id, data, spec, position(spec)),
            advise: (id, data = {}, spec = {}) => collector.add(resource.urn, true, id, data, spec, position(spec)),
        });
        for (const f of collector.findings()) out(resource.name, f);
    } catch (e) {
        emit(internalError(def.meta.name, `this ${resource.type} resource`, e, resource.urn));
    }
}

export interface StackInput {
    type: string;
    name: string;
    urn: string;
    props: unknown;
    /** Input property name to the URNs (or resources with a `urn`) its value depends on; read leniently. */
    propertyDependencies?: unknown;
}

/** Entries that are not a URN or a resource with one are dropped: a dependency the pack cannot name links nothing. */
function dependencyUrns(raw: unknown): Record<string, string[]> {
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return {};
    const urnOf = (d: unknown) => (typeof d === "string" ? d : d !== null && typeof d === "object" ? (d as { urn?: unknown }).urn : undefined);
    return Object.fromEntries(Object.entries(raw)
        .filter(([, deps]) => Array.isArray(deps))
        .map(([k, deps]) => [k, (deps as unknown[]).map(urnOf).filter((u): u is string => typeof u === "string")]));
}

/** Runs a stack check. Never throws. */
export function runStackCheck<C>(
    def: StackPolicyDefinition<C>,
    registry: Registry,
    stack: StackInput[] | (() => StackInput[]),
    givenConfig: Record<string, unknown>,
    emit: Emit,
    options: RunOptions = {},
): void {
    try {
        const config = resolveConfig<C>(def.meta, givenConfig);
        const out = exempting(def.meta.name, registry, config, (options.now ?? (() => new Date()))(), emit);
        const resources = (typeof stack === "function" ? stack() : stack).map((r): StackResourceView => {
            const { raw, secrets } = unwrapProps(r.props);
            let model: NormalisedResource | undefined;
            try {
                model = modelOf(r.type, raw, secrets);
            } catch {
                model = undefined; // reported by the resource policies
            }
            return { urn: r.urn, name: r.name, type: r.type, props: raw, secrets, model, propertyDependencies: dependencyUrns(r.propertyDependencies) };
        });
        const collector = new FindingCollector(def.meta.name, messagesOf(def.meta));
        const names = new Map<string, string>();
        const add = (advisory: boolean) => (r: StackResourceView | undefined, id: string, data: Data = {}, spec: ItemSpec = {}) => {
            if (r) names.set(r.urn, r.name);
            collector.add(r?.urn, advisory, id, data, spec, spec.rule && r?.model ? r.model.rules.indexOf(spec.rule) : -1);
        };
        def.checkStack({ resources, registry, config, report: add(false), advise: add(true) });
        for (const f of collector.findings()) out(f.urn !== undefined ? names.get(f.urn) : undefined, f);
    } catch (e) {
        emit(internalError(def.meta.name, "this stack", e));
    }
}

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
