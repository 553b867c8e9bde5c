// `pulumi stack export` files: the checkpoint of a deployed stack, turned into the resources the
// engine would send to the pack's Analyze calls.
//
// Also home of the small helpers the other loaders share (URN parsing, which resources are skipped,
// the wire-value walk).
import { specialOutputValueSig, specialResourceSig } from "@pulumi/pulumi/runtime/rpc";
import { secret } from "../../driver/wire";
import { isPlainObject } from "../../policies/base/values";
import { PROVIDER_TYPES } from "../../policies/adapters/kubernetes/providers";
import { SECRET_SIG, SECRET_SIG_KEY, UNKNOWN } from "../../policies/wire/engine";
import { InputError, LoadedStack, StackResource } from "../types";

/** Signature of a resource reference (kept as is). */
export const RESOURCE_REF_SIG: string = specialResourceSig;
/** Signature of an output value (deployment schema v4, `outputDependencies`). */
export const OUTPUT_VALUE_SIG: string = specialOutputValueSig;
export const STACK_TYPE = "pulumi:pulumi:Stack";

/** Deployment schema versions read here: all share the resource shape used below (ResourceV1..V3). */
export const SUPPORTED_DEPLOYMENT_VERSIONS: readonly number[] = [1, 2, 3, 4];

/** True for the resources the loaders leave out of the stack's resources: the root stack and provider resources. */
export function isSkippedType(type: string): boolean {
    return type === STACK_TYPE || type.startsWith("pulumi:providers:");
}

/** The provider resources the loaders keep apart for AnalyzeStack (LoadedStack.providers): those the pack reads. */
export function isReadProvider(type: string): boolean {
    return PROVIDER_TYPES.includes(type);
}

export interface ParsedUrn {
    stack: string;
    project: string;
    qualifiedType: string;
    type: string;
    name: string;
}

/** Parses `urn:pulumi:<stack>::<project>::<qualified type>::<name>`; undefined when it is not a URN. */
export function parseUrn(urn: string): ParsedUrn | undefined {
    if (!urn.startsWith("urn:pulumi:")) {
        return undefined;
    }
    const parts = urn.slice("urn:pulumi:".length).split("::");
    if (parts.length < 4 || parts[0] === "" || parts[2] === "") {
        return undefined;
    }
    const qualifiedType = parts[2];
    return {
        stack: parts[0],
        project: parts[1],
        qualifiedType,
        type: qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1),
        // A name may itself contain "::": everything after the type is the name.
        name: parts.slice(3).join("::"),
    };
}

/**
 * A resource reference as the engine sends it to a policy pack, which it marshals without keeping
 * references (plugin.MarshalOptions.KeepResources is false for Analyze): a custom resource's ID
 * (unknown while the ID is), a component's URN. @pulumi/policy rejects the reference form.
 */
export function engineResourceRef(ref: Record<string, unknown>): unknown {
    if ("id" in ref) return typeof ref.id === "string" && ref.id !== "" ? ref.id : UNKNOWN;
    return typeof ref.urn === "string" ? ref.urn : UNKNOWN;
}

/** Every resource reference in a wire value, in the engine's form (engineResourceRef). */
export function engineResourceRefs(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(engineResourceRefs);
    if (!isPlainObject(v)) return v;
    if (v[SECRET_SIG_KEY] === RESOURCE_REF_SIG) return engineResourceRef(v);
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v)) out[k] = engineResourceRefs(e);
    return out;
}

/** Counts what the value walk replaced, for the warnings. */
export interface WalkStats {
    /** Encrypted secrets (ciphertext) replaced with the unknown sentinel. */
    encryptedSecrets: number;
    /** Secrets shown as "[secret]" (preview JSON) replaced with the unknown sentinel. */
    maskedSecrets: number;
}

export function newWalkStats(): WalkStats {
    return { encryptedSecrets: 0, maskedSecrets: 0 };
}

/**
 * Turns a property value as stored in a checkpoint or preview file into its engine wire form:
 * secrets become secret wrappers ({sig, value}) around the plain value, or the unknown sentinel
 * when the value is not available (encrypted, or masked as "[secret]" when `maskedSecret` is set);
 * resource references, assets and archives stay as they are.
 */
export function toWireValue(v: unknown, stats: WalkStats, maskedSecret = false): unknown {
    if (Array.isArray(v)) {
        return v.map((e) => toWireValue(e, stats, maskedSecret));
    }
    if (!isPlainObject(v)) {
        if (maskedSecret && v === "[secret]") {
            stats.maskedSecrets++;
            return UNKNOWN;
        }
        return v;
    }
    const sig = v[SECRET_SIG_KEY];
    if (sig === SECRET_SIG) {
        if ("ciphertext" in v) {
            stats.encryptedSecrets++;
            return UNKNOWN;
        }
        if ("plaintext" in v) {
            const text = v.plaintext;
            if (typeof text !== "string") {
                return secret(toWireValue(text, stats, maskedSecret));
            }
            let parsed: unknown;
            try {
                parsed = JSON.parse(text);
            } catch {
                return secret(text);
            }
            return secret(toWireValue(parsed, stats, maskedSecret));
        }
        if ("value" in v) {
            return secret(toWireValue(v.value, stats, maskedSecret));
        }
        stats.encryptedSecrets++;
        return UNKNOWN;
    }
    if (sig === OUTPUT_VALUE_SIG) {
        // What the engine marshals for an output value when output values are not kept: its value,
        // unknown when it has none, wrapped when it is secret.
        const inner = "value" in v ? toWireValue(v.value, stats, maskedSecret) : UNKNOWN;
        return v.secret === true && inner !== UNKNOWN ? secret(inner) : inner;
    }
    if (sig === RESOURCE_REF_SIG) return engineResourceRef(v);
    if (typeof sig === "string") {
        // Assets and archives: the engine sends them with their signature.
        return JSON.parse(JSON.stringify(v));
    }
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v)) {
        out[k] = toWireValue(e, stats, maskedSecret);
    }
    return out;
}

function describe(x: unknown): string {
    if (x === null) return "null";
    if (Array.isArray(x)) return "an array";
    if (typeof x === "object") return "an object";
    if (typeof x === "string") return `the string ${JSON.stringify(x.length > 40 ? x.slice(0, 40) + "..." : x)}`;
    if (typeof x === "number" || typeof x === "boolean" || x === undefined) return `${typeof x} ${String(x)}`;
    return typeof x;
}

/** Builds the InputError for one malformed value: `<file>: <path>: expected ..., got ...`. */
export function malformed(file: string, jsonPath: string, expected: string, got: unknown): InputError {
    return new InputError(`${file}: ${jsonPath}: expected ${expected}, got ${describe(got)}`);
}

/** The shape checked for one resource (same keys in checkpoints and in preview `newState`). */
export interface RawResourceFields {
    urn: string;
    type: string;
    custom: boolean;
    properties: Record<string, unknown>;
    parent?: string;
    provider?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    /** The resource's outputs, when the file has them (what the engine sends to AnalyzeStack). */
    outputs?: Record<string, unknown>;
}

/**
 * Validates one checkpoint-shaped resource object (`at` is its JSON path, for messages) and returns
 * its fields; the properties are its inputs, or its outputs when it has no inputs.
 */
export function readResourceFields(file: string, at: string, r: unknown, stats: WalkStats, maskedSecret: boolean): RawResourceFields {
    if (!isPlainObject(r)) {
        throw malformed(file, at, "a resource object", r);
    }
    if (typeof r.urn !== "string" || r.urn === "") {
        throw malformed(file, `${at}.urn`, "the resource's URN (a string)", r.urn);
    }
    if (!parseUrn(r.urn)) {
        throw malformed(file, `${at}.urn`, "a URN of the form urn:pulumi:<stack>::<project>::<type>::<name>", r.urn);
    }
    if (typeof r.type !== "string" || r.type === "") {
        throw malformed(file, `${at}.type`, "the resource's type token (a string)", r.type);
    }
    for (const key of ["inputs", "outputs"]) {
        if (r[key] !== undefined && r[key] !== null && !isPlainObject(r[key])) {
            throw malformed(file, `${at}.${key}`, "an object of properties", r[key]);
        }
    }
    for (const key of ["parent", "provider"]) {
        if (r[key] !== undefined && r[key] !== null && typeof r[key] !== "string") {
            throw malformed(file, `${at}.${key}`, key === "parent" ? "a parent URN (a string)" : "a provider reference (a string)", r[key]);
        }
    }
    let dependencies: string[] | undefined;
    if (r.dependencies !== undefined && r.dependencies !== null) {
        if (!Array.isArray(r.dependencies)) {
            throw malformed(file, `${at}.dependencies`, "a list of URNs", r.dependencies);
        }
        r.dependencies.forEach((d, i) => {
            if (typeof d !== "string") {
                throw malformed(file, `${at}.dependencies[${i}]`, "a URN (a string)", d);
            }
        });
        dependencies = [...(r.dependencies as string[])];
    }
    let propertyDependencies: Record<string, string[]> | undefined;
    if (r.propertyDependencies !== undefined && r.propertyDependencies !== null) {
        if (!isPlainObject(r.propertyDependencies)) {
            throw malformed(
                file,
                `${at}.propertyDependencies`,
                "an object mapping property names to lists of URNs",
                r.propertyDependencies,
            );
        }
        propertyDependencies = {};
        for (const [k, urns] of Object.entries(r.propertyDependencies)) {
            if (urns === null) {
                propertyDependencies[k] = [];
                continue;
            }
            if (!Array.isArray(urns) || urns.some((u) => typeof u !== "string")) {
                throw malformed(file, `${at}.propertyDependencies.${k}`, "a list of URNs", urns);
            }
            propertyDependencies[k] = [...(urns as string[])];
        }
    }
    const raw = isPlainObject(r.inputs) ? r.inputs : isPlainObject(r.outputs) ? r.outputs : {};
    const outputs = isPlainObject(r.outputs) && Object.keys(r.outputs).length > 0 && r.outputs !== raw ? r.outputs : undefined;
    return {
        urn: r.urn,
        type: r.type,
        custom: r.custom === true,
        properties: toWireValue(raw, stats, maskedSecret) as Record<string, unknown>,
        ...(outputs
            ? { outputs: toWireValue(outputs, { encryptedSecrets: 0, maskedSecrets: 0 }, maskedSecret) as Record<string, unknown> }
            : {}),
        parent: typeof r.parent === "string" && r.parent !== "" ? r.parent : undefined,
        provider: typeof r.provider === "string" && r.provider !== "" ? r.provider : undefined,
        dependencies,
        propertyDependencies,
    };
}

/** Turns validated fields into a StackResource (name from the URN). */
export function toStackResource(f: RawResourceFields): StackResource {
    const res: StackResource = {
        type: f.type,
        name: parseUrn(f.urn)!.name,
        urn: f.urn,
        custom: f.custom,
        properties: f.properties,
    };
    if (f.parent !== undefined) res.parent = f.parent;
    if (f.provider !== undefined) res.provider = f.provider;
    if (f.dependencies !== undefined) res.dependencies = f.dependencies;
    if (f.propertyDependencies !== undefined) res.propertyDependencies = f.propertyDependencies;
    if (f.outputs !== undefined) res.outputs = f.outputs;
    return res;
}

/**
 * Reads a parsed `pulumi stack export` document. `file` names the file in error messages; `input`
 * is the path the user gave.
 */
export function loadStackExport(doc: unknown, file: string, input: string = file): LoadedStack {
    if (!isPlainObject(doc)) {
        throw malformed(file, "(top level)", "a `pulumi stack export` object with `version` and `deployment`", doc);
    }
    const version = doc.version;
    if (version !== undefined && !(typeof version === "number" && SUPPORTED_DEPLOYMENT_VERSIONS.includes(version))) {
        throw new InputError(
            `${file}: unsupported deployment version ${JSON.stringify(version)}; this command reads ` +
                `\`pulumi stack export\` files with version ${SUPPORTED_DEPLOYMENT_VERSIONS.join(", ")}` +
                (typeof version === "number" && version > 4 ? " (the file was written by a newer Pulumi CLI)" : ""),
        );
    }
    const deployment = doc.deployment;
    if (!isPlainObject(deployment)) {
        throw malformed(file, "deployment", "an object (the deployment of a `pulumi stack export` file)", deployment);
    }
    const list = deployment.resources;
    const warnings: string[] = [];
    if (list !== undefined && list !== null && !Array.isArray(list)) {
        throw malformed(file, "deployment.resources", "a list of resources", list);
    }
    const stats = newWalkStats();
    const resources: StackResource[] = [];
    const providers: StackResource[] = [];
    let project: string | undefined;
    let stack: string | undefined;
    let pendingDelete = 0;
    (list ?? []).forEach((r: unknown, i: number) => {
        const f = readResourceFields(file, `deployment.resources[${i}]`, r, stats, false);
        if (project === undefined) {
            const u = parseUrn(f.urn)!;
            project = u.project;
            stack = u.stack;
        }
        if (isSkippedType(f.type) && !isReadProvider(f.type)) {
            return;
        }
        if ((r as Record<string, unknown>).external === true) {
            // Read with `.get()`: the engine sends none of these to a policy pack.
            return;
        }
        if ((r as Record<string, unknown>).delete === true) {
            // An old copy pending deletion after a replacement: not part of the stack's desired state.
            if (!isSkippedType(f.type)) pendingDelete++;
            return;
        }
        (isSkippedType(f.type) ? providers : resources).push(toStackResource(f));
    });
    if ((list ?? []).length === 0) {
        warnings.push("the export has no resources (the stack was never deployed, or is empty)");
    }
    if (pendingDelete > 0) {
        warnings.push(`${pendingDelete} resource(s) marked for deletion (old copies of replaced resources) were skipped`);
    }
    if (stats.encryptedSecrets > 0) {
        warnings.push(
            `${stats.encryptedSecrets} secret value(s) are encrypted in the export and were treated as unknown; ` +
                "export with `pulumi stack export --show-secrets` to check them",
        );
    }
    return { kind: "stack-export", input, project, stack, resources, ...(providers.length > 0 ? { providers } : {}), warnings };
}
