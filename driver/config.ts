// The config the Pulumi CLI sends a pack (pkg/resource/analyzer/config.go): the user's
// --policy-pack-config reconciled with each policy's declared level, its schema defaults and the
// pack's initial config, and validated against the schemas, as the CLI refuses invalid config.
import Ajv from "ajv";
import { PolicyPackConfigError } from "./errors";
import { AnalyzerInfo, EnforcementLevel, PolicyPackConfig, WirePolicyConfig } from "./types";

const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function isEnforcementLevel(x: unknown): x is EnforcementLevel {
    return typeof x === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(x);
}

interface ParsedPolicyConfig {
    enforcementLevel?: EnforcementLevel;
    properties?: Record<string, unknown>;
}

/** Parses user config like the CLI's --policy-pack-config file parser. */
function parsePolicyPackConfig(config: PolicyPackConfig | undefined): Record<string, ParsedPolicyConfig> {
    const result: Record<string, ParsedPolicyConfig> = {};
    for (const [k, v] of Object.entries(config ?? {})) {
        let enforcementLevel: EnforcementLevel | undefined;
        let properties: Record<string, unknown> | undefined;
        if (typeof v === "string") {
            if (!isEnforcementLevel(v)) {
                throw new PolicyPackConfigError([
                    `parsing enforcement level for "${k}": "${v}" is not a valid enforcement level (use advisory, mandatory, remediate or disabled)`,
                ]);
            }
            enforcementLevel = v;
        } else if (v !== null && typeof v === "object" && !Array.isArray(v)) {
            const { enforcementLevel: el, ...rest } = v;
            if (el !== undefined) {
                if (!isEnforcementLevel(el)) {
                    throw new PolicyPackConfigError([
                        `parsing enforcement level for "${k}": ${JSON.stringify(el)} is not a valid enforcement level (use advisory, mandatory, remediate or disabled)`,
                    ]);
                }
                enforcementLevel = el;
            }
            if (Object.keys(rest).length > 0) {
                properties = rest;
            }
        } else {
            throw new PolicyPackConfigError([`parsing "${k}": ${JSON.stringify(v)} is not a valid value; must be a string or object`]);
        }
        if (enforcementLevel === undefined && properties === undefined) {
            continue;
        }
        result[k] = { enforcementLevel, properties };
    }
    return result;
}

function applyConfig(result: Record<string, ParsedPolicyConfig>, toApply: Record<string, ParsedPolicyConfig>): void {
    const all = toApply["all"];
    if (all?.enforcementLevel) {
        for (const k of Object.keys(result)) {
            result[k] = { enforcementLevel: all.enforcementLevel, properties: result[k].properties };
        }
    }
    for (const [policy, given] of Object.entries(toApply)) {
        const existing = result[policy];
        const enforcementLevel = given.enforcementLevel ?? existing?.enforcementLevel;
        let properties = existing?.properties;
        if (given.properties && Object.keys(given.properties).length > 0) {
            properties = { ...(properties ?? {}), ...given.properties };
        }
        result[policy] = { enforcementLevel, properties };
    }
}

/**
 * Computes the config the CLI would send for `config` (as given with --policy-pack-config): every
 * policy gets its declared level and schema defaults, then the pack's initialConfig and `config` are
 * overlaid (a key "all" sets every policy's level), and the result is validated against each
 * policy's config schema. Throws PolicyPackConfigError as the CLI would refuse to run.
 */
export function reconcilePolicyPackConfig(info: AnalyzerInfo, config?: PolicyPackConfig): Record<string, WirePolicyConfig> {
    const result: Record<string, ParsedPolicyConfig> = {};
    for (const p of info.policies) {
        let props: Record<string, unknown> | undefined;
        for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
            if (schema && typeof schema === "object" && "default" in schema) {
                (props ??= {})[k] = schema.default;
            }
        }
        result[p.name] = {
            enforcementLevel: isEnforcementLevel(p.enforcementLevel) ? p.enforcementLevel : undefined,
            properties: props,
        };
    }
    applyConfig(result, parsePolicyPackConfig(info.initialConfig as PolicyPackConfig));
    applyConfig(result, parsePolicyPackConfig(config));

    const errors: string[] = [];
    const ajv = new Ajv({ allErrors: true, strict: false });
    for (const p of info.policies) {
        if (!p.configSchema) {
            continue;
        }
        const schema: Record<string, unknown> = { type: "object", properties: p.configSchema.properties };
        if (p.configSchema.required?.length) {
            schema.required = p.configSchema.required;
        }
        try {
            const validate = ajv.compile(schema);
            if (!validate(result[p.name]?.properties ?? {})) {
                for (const err of validate.errors ?? []) {
                    const where = err.instancePath ? `${err.instancePath.replace(/^\//, "").replace(/\//g, ".")} ` : "";
                    const allowed =
                        err.keyword === "enum"
                            ? ` (${(err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")})`
                            : "";
                    errors.push(`${p.name}: ${where}${err.message ?? "is invalid"}${allowed}`);
                }
            }
        } catch (e) {
            errors.push(`${p.name}: invalid config schema: ${(e as Error).message}`);
        }
    }
    for (const [k, v] of Object.entries(result)) {
        if (!v.enforcementLevel) {
            errors.push(`${k}: invalid enforcement level "" (config for a policy the pack does not define needs an enforcementLevel)`);
        }
    }
    if (errors.length > 0) {
        throw new PolicyPackConfigError(errors);
    }
    const wire: Record<string, WirePolicyConfig> = {};
    for (const [k, v] of Object.entries(result)) {
        wire[k] = { enforcementLevel: v.enforcementLevel as EnforcementLevel, properties: v.properties ?? {} };
    }
    return wire;
}

/**
 * Exactly the given entries, with no reconciliation (configureRaw): an entry without a level is
 * advisory, as the protocol's default reads.
 */
export function rawPolicyPackConfig(config: PolicyPackConfig): Record<string, WirePolicyConfig> {
    const wire: Record<string, WirePolicyConfig> = {};
    for (const [k, v] of Object.entries(config)) {
        if (typeof v === "string") {
            if (!isEnforcementLevel(v)) {
                throw new PolicyPackConfigError([
                    `${k}: "${v}" is not a valid enforcement level (use advisory, mandatory, remediate or disabled)`,
                ]);
            }
            wire[k] = { enforcementLevel: v, properties: {} };
        } else {
            const { enforcementLevel, ...properties } = v;
            if (enforcementLevel !== undefined && !isEnforcementLevel(enforcementLevel)) {
                throw new PolicyPackConfigError([
                    `${k}: ${JSON.stringify(enforcementLevel)} is not a valid enforcement level (use advisory, mandatory, remediate or disabled)`,
                ]);
            }
            wire[k] = { enforcementLevel: enforcementLevel ?? "advisory", properties };
        }
    }
    return wire;
}
