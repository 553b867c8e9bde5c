// What every policy of one request shares. @pulumi/policy deserialises a request's properties once
// per policy; the pack converts them from protobuf once, records their secret paths once, and hands
// every policy the same read-only result (so the rule model is built once too, see run.ts).
import { hookDeserialize, hookProxy } from "../wire/policy-hook";
import { recordSecretPaths } from "../wire/secrets";
import { WeakMemo } from "../base/memo";

let installed: boolean | undefined;

/** Installs the shared deserialisation once; returns whether secret tracking is active. */
export function installRequestSharing(): boolean {
    if (installed !== undefined) return installed;
    const memo = new WeakMemo<object, Map<boolean, unknown>>(() => new Map());
    installed = hookDeserialize((original, struct, proxySecrets) => {
        const byMode = memo.get(struct);
        if (byMode.has(proxySecrets)) return byMode.get(proxySecrets);
        const wire = struct.toJavaScript();
        const result = original({ toJavaScript: () => wire }, proxySecrets);
        recordSecretPaths(wire, result);
        byMode.set(proxySecrets, result);
        return result;
    });
    if (installed) hookProxy();
    return installed;
}
