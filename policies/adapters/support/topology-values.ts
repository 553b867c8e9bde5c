// Reading a topology model's values in an assembler: the same small readers for every provider.
import { ResourceName } from "../../model/graph";
import { isUnknownValue, TopologyModel, TopologyValue } from "../../model/topology";
import { StackResource } from "../../model/stack";

/** A resource as messages name it. */
export const resourceName = (r: StackResource): ResourceName => ({ urn: r.urn, name: r.name });

/** A name in backticks, as messages quote Pulumi names. */
export const code = (s: string): string => `\`${s}\``;

/** A scalar or list of scalars; undefined for a list of records (read those with their own reader). */
export function scalar(m: TopologyModel | undefined, key: string): TopologyValue | undefined {
    const v = m?.values[key];
    return Array.isArray(v) && v.length > 0 && typeof v[0] === "object" ? undefined : (v as TopologyValue | undefined);
}

/** A boolean value: true/false (also as text), "unknown", or undefined when unset or not a boolean. */
export function flag(m: TopologyModel | undefined, key: string): boolean | "unknown" | undefined {
    const v = scalar(m, key);
    if (v === undefined) return undefined;
    if (isUnknownValue(v)) return "unknown";
    if (typeof v === "boolean") return v;
    if (typeof v === "string" && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === "true";
    return undefined;
}

/** A whole number (also as text), "unknown", or undefined when unset or not a number. */
export function count(m: TopologyModel | undefined, key: string): number | "unknown" | undefined {
    const v = scalar(m, key);
    if (v !== undefined && isUnknownValue(v)) return "unknown";
    return typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v.trim()) ? Number(v) : undefined;
}
