// Policy config: each policy's own keys and the ones every policy takes, as the pack declares them
// to the engine and resolves what the engine hands back.
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { WeakMemo } from "../base/memo";
import { PolicyMeta } from "./definition";

/** Config every policy takes, besides its own. */
export const COMMON_CONFIG: Record<string, PolicyConfigJSONSchema> = {
    exemptionNotes: {
        type: "boolean",
        default: false,
        description:
            "Show a finding covered by an active exemption in ports.yaml as an advisory note naming the exemption and its expiry, instead of nothing.",
    },
};

export interface CommonConfig {
    exemptionNotes: boolean;
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
const configShapes = new WeakMemo((meta: PolicyMeta) => ({ schemas: configSchemaOf(meta), defaults: configDefaults(meta) }));

/** Config as given, over the schema's defaults; values of the wrong type fall back to the default. */
export function resolveConfig<C>(meta: PolicyMeta, given: Record<string, unknown>): C & CommonConfig {
    const shape = configShapes.get(meta);
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
        case "boolean":
            return typeof v === "boolean";
        case "string":
            return typeof v === "string";
        case "number":
        case "integer":
            return typeof v === "number";
        case "array":
            return Array.isArray(v);
        case "object":
            return v !== null && typeof v === "object" && !Array.isArray(v);
        default:
            return true;
    }
}
