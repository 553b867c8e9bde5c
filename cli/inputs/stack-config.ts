// A program's config: project values from Pulumi.yaml and stack values from Pulumi.<stack>.yaml, and
// placeholders (`internal-ports-placeholder:<key>`) for what the check cannot know: encrypted values,
// and, with --allow-missing-config, required keys the stack does not set.
import * as fs from "fs";
import * as path from "path";
import { isPlainObject } from "../../policies/base/values";
import { PLACEHOLDER_PREFIX } from "../../policies/wire/engine";
import { InputError } from "../types";
import { Patches } from "./patches";
import { readYamlFile, Project } from "./project";
import { ConfigMethod, Sdk } from "./sdk";
import { displayPath } from "./user-files";
import { Warnings } from "./warnings";

export function placeholderFor(fullKey: string): string {
    return `${PLACEHOLDER_PREFIX}${fullKey}`;
}

export interface StackConfig {
    values: Record<string, string>;
    secretKeys: string[];
    /** Keys whose encrypted values got placeholders. */
    secureKeys: string[];
    /** The stack config file, existing or not (named in warnings). */
    file: string;
}

function fullConfigKey(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

/** Replaces `{secure: ...}` values (also nested ones) with the key's placeholder; reports whether any was. */
function replaceSecure(v: unknown, key: string): { value: unknown; secure: boolean } {
    if (isPlainObject(v)) {
        if (Object.keys(v).length === 1 && typeof v.secure === "string") {
            return { value: placeholderFor(key), secure: true };
        }
        let secure = false;
        const out: Record<string, unknown> = {};
        for (const [k, e] of Object.entries(v)) {
            const r = replaceSecure(e, key);
            out[k] = r.value;
            secure ||= r.secure;
        }
        return { value: out, secure };
    }
    if (Array.isArray(v)) {
        let secure = false;
        const out = v.map((e) => {
            const r = replaceSecure(e, key);
            secure ||= r.secure;
            return r.value;
        });
        return { value: out, secure };
    }
    return { value: v, secure: false };
}

/** Config values go to the runtime as strings; structured values as JSON text. */
function configString(v: unknown): string | undefined {
    if (v === null || v === undefined) return undefined;
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    return JSON.stringify(v);
}

export function readConfig(dir: string, project: Project, stack: string, warnings: Warnings): StackConfig {
    const values: Record<string, string> = {};
    const secretKeys = new Set<string>();
    const secure: string[] = [];
    const set = (key: string, raw: unknown) => {
        const r = replaceSecure(raw, key);
        const s = configString(r.value);
        if (s === undefined) return;
        values[key] = s;
        if (r.secure) {
            secretKeys.add(key);
            secure.push(key);
        }
    };
    // Project-level config (Pulumi.yaml `config:`): declarations with a default or value, or values.
    for (const [k, decl] of Object.entries(project.config)) {
        const key = fullConfigKey(project.name, k);
        if (isPlainObject(decl) && ("type" in decl || "default" in decl || "value" in decl || "description" in decl)) {
            if ("value" in decl) set(key, decl.value);
            else if ("default" in decl) set(key, decl.default);
        } else {
            set(key, decl);
        }
    }
    const file =
        ["yaml", "yml"].map((ext) => path.join(dir, `Pulumi.${stack}.${ext}`)).find((f) => fs.existsSync(f)) ??
        path.join(dir, `Pulumi.${stack}.yaml`);
    if (fs.existsSync(file)) {
        const doc = readYamlFile(file);
        if (doc !== null && doc !== undefined && !isPlainObject(doc)) {
            throw new InputError(`${file}: expected a stack settings file (a mapping with \`config:\`)`);
        }
        const cfg = isPlainObject(doc) ? doc.config : undefined;
        if (cfg !== undefined && cfg !== null && !isPlainObject(cfg)) {
            throw new InputError(`${file}: \`config\` must be a mapping of config keys to values`);
        }
        for (const [k, v] of Object.entries(cfg ?? {})) {
            set(fullConfigKey(project.name, k), v);
        }
        if (isPlainObject(doc) && doc.environment !== undefined && doc.environment !== null) {
            warnings.add(`${file} imports Pulumi ESC environments; their values are not available here`);
        }
    } else {
        const others = fs.readdirSync(dir).filter((f) => /^Pulumi\.[^.]+\.ya?ml$/.test(f));
        if (others.length > 0) {
            warnings.add(
                `no ${path.basename(file)} for stack "${stack}" (stack files here: ${others.join(", ")}); running without stack config`,
            );
        }
    }
    if (secure.length > 0) {
        warnings.add(
            `encrypted config value(s) ${secure.join(", ")} cannot be decrypted here; the program got placeholders ` +
                `(${PLACEHOLDER_PREFIX}<key>), and rules built from them are reported as not checked`,
        );
    }
    return { values, secretKeys: [...secretKeys], secureKeys: secure, file };
}

const REQUIRE_METHODS: ReadonlyArray<{ method: string; secret: boolean; kind: "string" | "number" | "boolean" | "object" }> = [
    { method: "require", secret: false, kind: "string" },
    { method: "requireNumber", secret: false, kind: "number" },
    { method: "requireBoolean", secret: false, kind: "boolean" },
    { method: "requireObject", secret: false, kind: "object" },
    { method: "requireSecret", secret: true, kind: "string" },
    { method: "requireSecretNumber", secret: true, kind: "number" },
    { method: "requireSecretBoolean", secret: true, kind: "boolean" },
    { method: "requireSecretObject", secret: true, kind: "object" },
];

function isMissingConfigError(e: unknown): e is Error & { key?: string } {
    return (
        e instanceof Error && (e.constructor?.name === "ConfigMissingError" || /^Missing required configuration variable/.test(e.message))
    );
}

/** Required config the stack does not set, by full key, with the method that asked for it. */
export type MissingConfig = Map<string, string>;

/** Reads of required config the stack does not set get placeholders; the keys are collected in `missing`. */
export function patchConfig(sdk: Sdk, patches: Patches, missing: MissingConfig, placeholders: Placeholders): void {
    const proto = sdk.Config?.prototype;
    if (!proto) return;
    for (const { method, secret, kind } of REQUIRE_METHODS) {
        const original = proto[method];
        if (typeof original !== "function") continue;
        patches.set(proto, method, function (this: ThisParameterType<ConfigMethod>, ...args: Parameters<ConfigMethod>) {
            const [key] = args;
            try {
                return original.apply(this, args);
            } catch (e) {
                if (!isMissingConfigError(e)) throw e;
                const fullKey = e.key ?? (typeof this?.fullKey === "function" ? this.fullKey(key) : key);
                if (!missing.has(fullKey)) missing.set(fullKey, method);
                placeholders.set(placeholderFor(fullKey), fullKey);
                const value = kind === "object" ? {} : placeholderFor(fullKey);
                return secret ? sdk.pulumi.secret(value) : value;
            }
        });
    }
}

/** Placeholders handed to the program: placeholder string -> full config key. */
export type Placeholders = Map<string, string>;

/**
 * The config keys whose placeholders the inputs hold (also inside a longer string: `${cidr}/24`).
 * The inputs reach the pack as they are: it reports a rule built from a placeholder as not checked,
 * naming the key, and never blames it.
 */
export function placeholderKeysIn(v: unknown, placeholders: Placeholders, found: Set<string>): void {
    if (typeof v === "string") {
        // Where one key's placeholder starts another's (app:db, app:dbPort), the longer one is the key.
        const known = [...placeholders].sort(([a], [b]) => b.length - a.length);
        for (let at = v.indexOf(PLACEHOLDER_PREFIX); at >= 0; at = v.indexOf(PLACEHOLDER_PREFIX, at + 1)) {
            const hit = known.find(([p]) => v.startsWith(p, at));
            if (hit) found.add(hit[1]);
        }
    } else if (Array.isArray(v)) {
        for (const e of v) placeholderKeysIn(e, placeholders, found);
    } else if (isPlainObject(v)) {
        for (const e of Object.values(v)) placeholderKeysIn(e, placeholders, found);
    }
}

export function missingConfigError(dirShown: string, missing: MissingConfig, stackFile: string, stack: string, cwd: string): InputError {
    const file = displayPath(stackFile, cwd);
    const where = fs.existsSync(stackFile) ? file : `${file}, which does not exist`;
    const keys = [...missing].map(([k, method]) => `${k} (${method})`);
    const first = [...missing.keys()][0];
    return new InputError(
        `the program ${dirShown} requires config that stack "${stack}" does not set (looked in ${where}): ${keys.join(", ")}. ` +
            `Set ${missing.size === 1 ? "it" : "each"} (pulumi config set ${first} <value> --stack ${stack}), ` +
            "or pass --allow-missing-config to check with placeholders",
    );
}
