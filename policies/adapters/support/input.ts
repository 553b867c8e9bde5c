// Reading raw resource inputs the way they arrive from the engine: numbers as strings, nulls,
// missing keys, unknown sentinels during preview, values that were secrets. Adapters read through
// `Input`, so none of them re-implements this.
import { joinPath } from "../../base/paths";
import { isUnknownValue, placeholderKey } from "../../wire/engine";
import { NO_SECRETS, type SecretPaths } from "../../wire/secrets";

export type { SecretPaths };

function isUnderSecret(path: string, secrets: SecretPaths): boolean {
    if (secrets.has(path)) return true;
    for (let i = path.length - 1; i > 0; i--) {
        const c = path[i];
        if ((c === "." || c === "[") && secrets.has(path.slice(0, i))) return true;
    }
    return false;
}

/** A value in the inputs with its path (spelt out only when asked: most reads never need it). */
export class Input {
    private text: string | undefined;
    private parent: Input | undefined = undefined;
    private key: string | number = "";

    constructor(
        readonly value: unknown,
        path: string,
        readonly secrets: SecretPaths,
    ) {
        this.text = path;
    }

    static root(props: unknown, secrets: SecretPaths = NO_SECRETS): Input {
        return new Input(props, "", secrets);
    }

    private static child(value: unknown, parent: Input, key: string | number): Input {
        const input = new Input(value, "", parent.secrets);
        input.text = undefined;
        input.parent = parent;
        input.key = key;
        return input;
    }

    get path(): string {
        return (this.text ??= joinPath(this.parent!.path, this.key));
    }

    get(key: string): Input {
        const v = this.value;
        const child = v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;
        return Input.child(child, this, key);
    }

    /** Not known here: unknown until update, or a placeholder the local check put in for unset config. */
    get unknown(): boolean {
        return isUnknownValue(this.value) || this.placeholder !== undefined;
    }

    /** The config key a placeholder value stands for (the stack does not set it). */
    get placeholder(): string | undefined {
        return placeholderKey(this.value);
    }

    get missing(): boolean {
        return this.value === undefined || this.value === null;
    }

    get secret(): boolean {
        return this.secrets.size > 0 && isUnderSecret(this.path, this.secrets);
    }

    /** The first of several spellings that is present (providers renamed some keys across versions). */
    first(...keys: string[]): Input {
        for (const k of keys) {
            const i = this.get(k);
            if (!i.missing) return i;
        }
        return this.get(keys[0]);
    }

    /** Elements of a list; a single scalar counts as a one-element list, missing as empty. */
    items(): Input[] | "unknown" | "invalid" {
        if (this.unknown) return "unknown";
        if (this.missing) return [];
        if (Array.isArray(this.value)) return this.value.map((v: unknown, i) => Input.child(v, this, i));
        if (typeof this.value === "string" || typeof this.value === "number") return [this];
        return "invalid";
    }

    string(): string | undefined {
        return typeof this.value === "string" && !this.unknown ? this.value : undefined;
    }

    bool(): boolean | undefined {
        if (typeof this.value === "boolean") return this.value;
        if (typeof this.value === "string" && /^(true|false)$/i.test(this.value.trim())) return this.value.trim().toLowerCase() === "true";
        return undefined;
    }
}
