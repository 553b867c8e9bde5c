// @pulumi/policy unwraps secrets before a policy sees the inputs, so a policy cannot tell which
// values were secret. To keep secret values out of messages the pack records, for each deserialised
// property bag, the paths that arrived wrapped as secrets (see kit/requests.ts, which hooks the
// deserialiser through wire/policy-hook.ts).
import { joinPath } from "../base/paths";
import { SECRET_SIG, SECRET_SIG_KEY } from "./engine";
import { proxyTarget } from "./policy-hook";

/** Paths (as `a[0].b`) whose values were secrets. */
export type SecretPaths = ReadonlySet<string>;
/** The paths of a bag without secrets, shared (read-only). */
export const NO_SECRETS: SecretPaths = new Set<string>();

const secretPathsByProps = new WeakMap<object, ReadonlySet<string>>();

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

/** Remembers which paths of a deserialised property bag were secrets, from its wire form. */
export function recordSecretPaths(wire: unknown, deserialised: unknown): void {
    if (deserialised === null || typeof deserialised !== "object") return;
    const paths = new Set<string>();
    collect(wire, paths);
    if (paths.size > 0) secretPathsByProps.set(deserialised, paths);
}

/** The raw inputs behind @pulumi/policy's unknown-checking proxy, and the paths that were secrets. */
export function unwrapProps(props: unknown): { raw: Record<string, unknown>; secrets: SecretPaths } {
    const raw = proxyTarget(props) as Record<string, unknown> | null | undefined;
    const secrets = (raw && typeof raw === "object" && secretPathsByProps.get(raw)) || NO_SECRETS;
    return { raw: raw ?? {}, secrets };
}
