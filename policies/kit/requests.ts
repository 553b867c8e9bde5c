// What every policy of one request shares. @pulumi/policy deserialises a request's properties once
// per policy; the pack converts them from protobuf once, records their secret paths once, and hands
// every policy the same read-only result (so the rule model is built once too, see run.ts); the
// stack policies share one resource list as well (wire/stack-list.ts).
import { hookDeserialize, hookProxy } from "../wire/policy-hook";
import { recordSecretPaths } from "../wire/secrets";
import { installStackListSharing } from "../wire/stack-list";

let installed: boolean | undefined;

/** Installs the shared deserialisation once; returns whether secret tracking is active. */
export function installRequestSharing(): boolean {
    if (installed !== undefined) return installed;
    // One weak map per mode, not a map per request struct: on a stack of 10,000 resources those would be 10,000 more objects to keep.
    const byMode = { plain: new WeakMap<object, unknown>(), proxied: new WeakMap<object, unknown>() };
    installed = hookDeserialize((original, struct, proxySecrets) => {
        const memo = proxySecrets ? byMode.proxied : byMode.plain;
        const seen = memo.get(struct);
        if (seen !== undefined || memo.has(struct)) return seen;
        const wire = struct.toJavaScript();
        const result = original({ toJavaScript: () => wire }, proxySecrets);
        recordSecretPaths(wire, result);
        memo.set(struct, result);
        return result;
    });
    if (installed) {
        hookProxy();
        installStackListSharing();
    }
    return installed;
}
