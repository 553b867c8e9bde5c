// Values as the Pulumi engine sends them to a policy pack: the unknown sentinels of preview and the
// secret wrapper, taken from @pulumi/pulumi (which @pulumi/policy itself deserialises with), and the
// placeholder the local check puts in for config a stack does not set.
import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { typedUnknownSentinels } from "./policy-hook";

/** The sentinel the engine sends for every value unknown until update. */
export const UNKNOWN: string = unknownValue;

/** The key and value that mark a secret wrapper: `{ [SECRET_SIG_KEY]: SECRET_SIG, value }`. */
export const SECRET_SIG_KEY: string = specialSigKey;
export const SECRET_SIG: string = specialSecretSig;

/** The engine's sentinel and the typed ones @pulumi/policy's proxy knows (boolean, number, array, ...). */
const UNKNOWN_SENTINELS: ReadonlySet<unknown> = new Set<unknown>([UNKNOWN, ...typedUnknownSentinels()]);

/** Their lengths: most strings are told apart without hashing them (self links and ARNs are long). */
const SENTINEL_LENGTHS: ReadonlySet<number> = new Set([...UNKNOWN_SENTINELS].map((s) => (s as string).length));

export function isUnknownValue(v: unknown): boolean {
    return typeof v === "string" && SENTINEL_LENGTHS.has(v.length) && UNKNOWN_SENTINELS.has(v);
}

/**
 * `internal-ports-placeholder:<config key>`: what the local check gives a program for config the
 * stack does not set (and for encrypted values it cannot decrypt). Any string containing it came
 * from that config: not known here, like an unknown, and never the user's mistake.
 */
export const PLACEHOLDER_PREFIX = "internal-ports-placeholder:";
const PLACEHOLDER = /internal-ports-placeholder:([A-Za-z0-9_.:-]*[A-Za-z0-9_])/;

/** The config key a placeholder stands for, when the value holds one. */
export function placeholderKey(v: unknown): string | undefined {
    if (typeof v !== "string" || !v.includes(PLACEHOLDER_PREFIX)) return undefined;
    return PLACEHOLDER.exec(v)?.[1] ?? "";
}

/**
 * The URN of the provider resource a resource names (a URN, a `<urn>::<id>` reference, or a
 * resource with a `urn`), or undefined for none and for the engine's default providers
 * (`default`, `default_4_28_0`): those all stand for the one configured by the stack.
 */
export function providerUrn(value: unknown): string | undefined {
    const text =
        typeof value === "string" ? value : value !== null && typeof value === "object" ? (value as { urn?: unknown }).urn : undefined;
    if (typeof text !== "string" || !text.startsWith("urn:pulumi:")) return undefined;
    const parts = text.split("::");
    // urn:pulumi:<stack>::<project>::<type>::<name>, then ::<id> in a reference.
    const urn = parts.length > 4 ? parts.slice(0, 4).join("::") : text;
    const name = urn.slice(urn.lastIndexOf("::") + 2);
    return name === "default" || name.startsWith("default_") ? undefined : urn;
}
