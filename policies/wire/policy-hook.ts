// The one place the pack reaches into @pulumi/policy's internals, guarded by its version: the
// deserialiser every policy's inputs go through (hooked to see which values were secrets, and to
// deserialise a request once for all policies), the proxy that hides the raw inputs (one per bag,
// shared by all policies too), the typed unknown sentinels, and (for stack-list.ts, through
// patchExport) its server's `serve`. test/lib/policy-kit.test.ts, test/lib/stack-list.test.ts and
// the end-to-end tests fail when an upgrade moves any of them.
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
 * Replaces a function a module of @pulumi/policy exports with what `wrap` makes of it, in the
 * module's own exports object (where @pulumi/policy's server looks it up at each call). Returns
 * false (and changes nothing) when the version or the export is not what this pack knows.
 */
export function patchExport<F>(module: string, name: string, wrap: (original: F) => F): boolean {
    try {
        if (!SUPPORTED_POLICY_VERSIONS.test(policyVersion())) return false;
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- an internal module, loaded only after the version check
        const mod = require(module) as Record<string, unknown>;
        const original = mod[name];
        if (typeof original !== "function") return false;
        mod[name] = wrap(original as F);
        return true;
    } catch {
        return false;
    }
}

/** Wraps @pulumi/policy's deserializeProperties: `wrap` gets the original and each call's arguments. */
export function hookDeserialize(
    wrap: (original: Deserialize, struct: { toJavaScript(): unknown }, proxySecrets: boolean) => unknown,
): boolean {
    return patchExport<Deserialize>(
        "@pulumi/policy/deserialize",
        "deserializeProperties",
        (original) => (struct, proxySecrets) => wrap(original, struct, proxySecrets),
    );
}

/**
 * Makes @pulumi/policy's unknownCheckingProxy return one proxy per property bag, so that every
 * policy of a request gets the same proxy (it holds no state), and a request is known by its proxies.
 */
export function hookProxy(): boolean {
    const proxies = new WeakMap<object, unknown>();
    return patchExport<(target: unknown) => unknown>("@pulumi/policy/proxy", "unknownCheckingProxy", (original) => (target) => {
        if (target === null || typeof target !== "object") return original(target);
        let proxy = proxies.get(target);
        if (proxy === undefined) {
            proxy = original(target);
            proxies.set(target, proxy);
        }
        return proxy;
    });
}

/** The raw inputs behind @pulumi/policy's unknown-checking proxy (the proxy throws on unknowns; the pack reads them itself). */
export function proxyTarget(props: unknown): unknown {
    if (props === null || typeof props !== "object") return props;
    const target = (props as Record<string, unknown>)[PROXY_TARGET];
    return target !== null && typeof target === "object" ? target : props;
}
