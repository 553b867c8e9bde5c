// The one place the pack reaches into @pulumi/policy's internals, guarded by its version: the
// deserialiser every policy's inputs go through (hooked to see which values were secrets, and to
// deserialise a request once for all policies), the proxy that hides the raw inputs (one per bag,
// shared by all policies too), and the typed unknown sentinels. test/wire.test.ts fails loudly when
// an upgrade moves any of them.
import * as fs from "fs";
import * as path from "path";

/** The @pulumi/policy versions whose internals this file was checked against. */
export const SUPPORTED_POLICY_VERSIONS = /^v?1\.(2[0-9])\.\d+$/;

/** The property of @pulumi/policy's unknown-checking proxy that returns its target. */
const PROXY_TARGET = "__getSpecialProxyTarget";

type Deserialize = (struct: { toJavaScript(): unknown }, proxySecrets: boolean) => unknown;

export function policyVersion(): string {
    const file = path.join(path.dirname(require.resolve("@pulumi/policy/package.json")), "package.json");
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

/** The typed unknown sentinels of @pulumi/policy/proxy (the engine itself sends the string one for every kind). */
export function typedUnknownSentinels(): string[] {
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- an internal module that a later version may not have: loaded inside the try
        const proxy = require("@pulumi/policy/proxy") as Record<string, unknown>;
        return Object.entries(proxy)
            .filter(([k, v]) => /^unknown[A-Z]\w*Value$/.test(k) && typeof v === "string")
            .map(([, v]) => v as string);
    } catch {
        return [];
    }
}

/**
 * Wraps @pulumi/policy's deserializeProperties: `wrap` gets the original and each call's arguments.
 * Returns false (and changes nothing) when the internals are not what this pack knows.
 */
export function hookDeserialize(
    wrap: (original: Deserialize, struct: { toJavaScript(): unknown }, proxySecrets: boolean) => unknown,
): boolean {
    try {
        if (!SUPPORTED_POLICY_VERSIONS.test(policyVersion())) return false;
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module's own exports object, patched in place, loaded only after the version check
        const mod = require("@pulumi/policy/deserialize") as { deserializeProperties?: Deserialize };
        const original = mod.deserializeProperties;
        if (typeof original !== "function") return false;
        mod.deserializeProperties = (struct, proxySecrets) => wrap(original, struct, proxySecrets);
        return true;
    } catch {
        return false;
    }
}

/**
 * Makes @pulumi/policy's unknownCheckingProxy return one proxy per property bag, so that every
 * policy of a request gets the same proxy (it holds no state), and a request is known by its proxies.
 * Returns false (and changes nothing) when the internals are not what this pack knows.
 */
export function hookProxy(): boolean {
    try {
        if (!SUPPORTED_POLICY_VERSIONS.test(policyVersion())) return false;
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module's own exports object, patched in place, loaded only after the version check
        const mod = require("@pulumi/policy/proxy") as { unknownCheckingProxy?: (target: unknown) => unknown };
        const original = mod.unknownCheckingProxy;
        if (typeof original !== "function") return false;
        const proxies = new WeakMap<object, unknown>();
        mod.unknownCheckingProxy = (target) => {
            if (target === null || typeof target !== "object") return original(target);
            let proxy = proxies.get(target);
            if (proxy === undefined) {
                proxy = original(target);
                proxies.set(target, proxy);
            }
            return proxy;
        };
        return true;
    } catch {
        return false;
    }
}

/** The raw inputs behind @pulumi/policy's unknown-checking proxy (the proxy throws on unknowns; the pack reads them itself). */
export function proxyTarget(props: unknown): unknown {
    if (props === null || typeof props !== "object") return props;
    const target = (props as Record<string, unknown>)[PROXY_TARGET];
    return target !== null && typeof target === "object" ? target : props;
}
