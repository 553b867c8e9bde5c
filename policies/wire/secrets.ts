// @pulumi/policy unwraps secrets before a policy sees the inputs, so a policy cannot tell which
// values were secret. To keep secret values out of messages we record, for each deserialised
// property bag, the paths that arrived wrapped as secrets. This hooks an internal module of
// @pulumi/policy (its `deserializeProperties`); the end-to-end test fails if the hook stops working.
import { joinPath, SecretPaths } from "../adapters/support/input";

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const PROXY_TARGET = "__getSpecialProxyTarget";

const secretPathsByProps = new WeakMap<object, Set<string>>();
let installed: boolean | undefined;

/**
 * How deep the secret walk goes. Firewall inputs nest a few levels; anything below this is junk
 * (or an attack on the stack: 100,000 nested lists). Below the limit nothing is walked: the subtree
 * counts as secret, so no message can ever print from it (a secret wrapper could hide inside), and
 * paths stay short however deep the input.
 */
export const MAX_SECRET_DEPTH = 100;

/**
 * Records the paths of secret wrappers. The path of the node being visited is kept as segments and
 * joined only for a secret: joining it at every node cost a string per input value.
 */
function collect(value: unknown, out: Set<string>, segs: (string | number)[] = []): void {
    if (value === null || typeof value !== "object") return;
    if (segs.length >= MAX_SECRET_DEPTH) {
        out.add(pathOf(segs));
        return;
    }
    if (Array.isArray(value)) {
        value.forEach((v, i) => {
            if (v === null || typeof v !== "object") return;
            segs.push(i);
            collect(v, out, segs);
            segs.pop();
        });
        return;
    }
    const obj = value as Record<string, unknown>;
    if (obj[SECRET_SIG_KEY] === SECRET_SIG) {
        out.add(pathOf(segs));
        return;
    }
    for (const k of Object.keys(obj)) {
        const v = obj[k];
        if (v === null || typeof v !== "object") continue;
        segs.push(k);
        collect(v, out, segs);
        segs.pop();
    }
}

function pathOf(segs: readonly (string | number)[]): string {
    let path = "";
    for (const s of segs) path = joinPath(path, s);
    return path;
}

/** Engine wire form to plain values: secret wrappers replaced by their values, their paths recorded. */
export function fromWire(value: unknown): { plain: unknown; secrets: Set<string> } {
    const secrets = new Set<string>();
    collect(value, secrets);
    return { plain: unwrapSecrets(value), secrets };
}

/** Below MAX_SECRET_DEPTH the subtree stays as it arrived: collect() has marked it secret, and no policy reads that deep. */
function unwrapSecrets(value: unknown, depth = 0): unknown {
    if (value === null || typeof value !== "object" || depth >= MAX_SECRET_DEPTH) return value;
    if (Array.isArray(value)) return value.map((v) => unwrapSecrets(v, depth + 1));
    const obj = value as Record<string, unknown>;
    if (obj[SECRET_SIG_KEY] === SECRET_SIG) return unwrapSecrets(obj.value, depth + 1);
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, unwrapSecrets(v, depth + 1)]));
}

/** Installs the hook once; returns whether secret tracking is active. */
export function installSecretTracking(): boolean {
    if (installed !== undefined) return installed;
    try {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const mod = require("@pulumi/policy/deserialize");
        const original = mod.deserializeProperties;
        if (typeof original !== "function") return (installed = false);
        // @pulumi/policy deserialises a request's properties once per policy; every policy gets the
        // same (read-only) result, converted from protobuf once, so the rule model is built once too.
        const cache = new WeakMap<object, Map<boolean, unknown>>();
        mod.deserializeProperties = function (struct: { toJavaScript(): unknown }, proxySecrets: boolean) {
            const byMode = cache.get(struct) ?? new Map<boolean, unknown>();
            if (byMode.has(proxySecrets)) return byMode.get(proxySecrets);
            const js = struct.toJavaScript();
            const result = original({ toJavaScript: () => js }, proxySecrets);
            const paths = new Set<string>();
            collect(js, paths);
            if (paths.size > 0 && result && typeof result === "object") secretPathsByProps.set(result, paths);
            byMode.set(proxySecrets, result);
            cache.set(struct, byMode);
            return result;
        };
        installed = true;
    } catch {
        installed = false;
    }
    return installed;
}

/** The raw inputs behind @pulumi/policy's unknown-checking proxy, and the paths that were secrets. */
export function unwrapProps(props: unknown): { raw: Record<string, unknown>; secrets: SecretPaths } {
    let raw = props as Record<string, unknown>;
    if (raw && typeof raw === "object") {
        const target = (raw as Record<string, unknown>)[PROXY_TARGET];
        if (target && typeof target === "object") raw = target as Record<string, unknown>;
    }
    const secrets = (raw && typeof raw === "object" && secretPathsByProps.get(raw)) || new Set<string>();
    return { raw: raw ?? {}, secrets };
}
