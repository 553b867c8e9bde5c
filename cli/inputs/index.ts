// The inputs of the `check` command: a Pulumi program directory, a `pulumi stack export` file or a
// `pulumi preview --json` file, each turned into the resources the engine sends to a policy pack.
import * as fs from "fs";
import * as path from "path";
import { isPlainObject } from "../../policies/base/values";
import { InputError, LoadedStack } from "../types";
import { loadPreviewJson } from "./preview-json";
import { findProjectFile, loadProgram } from "./program";
import { loadStackExport } from "./stack-export";

export { loadPreviewJson } from "./preview-json";
export { DEFAULT_PROGRAM_TIMEOUT_MS, INVOKE_PLACEHOLDERS, loadProgram } from "./program";
export { loadStackExport } from "./stack-export";

export interface LoadInputOptions {
    /** Stack name for programs (default "dev"); JSON inputs carry their own. */
    stack?: string;
    /** Progress messages for long runs (every 500 resources of a program). */
    onProgress?: (msg: string) => void;
    /** Give up on a program after this long (default 120 000 ms). */
    timeoutMs?: number;
    /** Run programs with placeholders for required config the stack does not set, instead of failing. */
    allowMissingConfig?: boolean;
}

const EXPECTED =
    "expected a Pulumi project directory (with Pulumi.yaml), a `pulumi stack export` JSON file " + "or a `pulumi preview --json` JSON file";

/** Text of a JSON file, also when a shell wrote it as UTF-16 (PowerShell redirection) or with a BOM. */
function decodeText(buf: Buffer): string {
    if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) {
        return buf.subarray(2).toString("utf16le");
    }
    if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
        const swapped = Buffer.from(buf.subarray(2));
        swapped.swap16();
        return swapped.toString("utf16le");
    }
    const text = buf.toString("utf8");
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Each resource's source is the first line of the file that names its URN (`"urn": "..."`). */
function withUrnLines(stack: LoadedStack, text: string, file: string): LoadedStack {
    const lines = new Map<string, number>();
    text.split("\n").forEach((line, i) => {
        for (const m of line.matchAll(/"urn"\s*:\s*"((?:[^"\\]|\\.)*)"/g)) {
            let urn: string;
            try {
                urn = JSON.parse(`"${m[1]}"`) as string;
            } catch {
                continue;
            }
            if (!lines.has(urn)) lines.set(urn, i + 1);
        }
    });
    for (const r of stack.resources) {
        const line = lines.get(r.urn);
        if (line !== undefined) r.source = { file, line };
    }
    return stack;
}

/**
 * Loads what the user gave: a directory (or its Pulumi.yaml, or a Pulumi.<stack>.yaml) runs the
 * program; a JSON file with `deployment` is a stack export; a JSON file with `steps` is a preview.
 * Unusable input throws InputError with a message naming the path and what was expected.
 */
export async function loadInput(input: string, opts: LoadInputOptions = {}): Promise<LoadedStack> {
    if (typeof input !== "string" || input.trim() === "") {
        throw new InputError(`no input given; ${EXPECTED}`);
    }
    let stat: fs.Stats;
    try {
        stat = fs.statSync(input);
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "ENOENT" || code === "ENOTDIR") {
            throw new InputError(`${input}: no such file or directory; ${EXPECTED}`);
        }
        throw new InputError(`${input}: cannot access it (${code ?? (e as Error).message}); ${EXPECTED}`);
    }
    const programOpts = {
        stack: opts.stack,
        onProgress: opts.onProgress,
        timeoutMs: opts.timeoutMs,
        allowMissingConfig: opts.allowMissingConfig,
    };

    if (stat.isDirectory()) {
        if (!findProjectFile(input)) {
            throw new InputError(`${input}: a directory without Pulumi.yaml; ${EXPECTED}`);
        }
        return loadProgram(input, programOpts, input);
    }
    const base = path.basename(input);
    if (/^Pulumi\.ya?ml$/.test(base)) {
        return loadProgram(path.dirname(input), programOpts, input);
    }
    const stackFile = /^Pulumi\.(.+)\.ya?ml$/.exec(base);
    if (stackFile && findProjectFile(path.dirname(input))) {
        // A stack's settings file: run the project for that stack.
        return loadProgram(path.dirname(input), { ...programOpts, stack: opts.stack ?? stackFile[1] }, input);
    }
    if (!stat.isFile()) {
        throw new InputError(`${input}: not a regular file or directory; ${EXPECTED}`);
    }

    let text: string;
    try {
        text = decodeText(fs.readFileSync(input));
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new InputError(`${input}: cannot read the file (${code ?? (e as Error).message}); ${EXPECTED}`);
    }
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        const hint = text.trim() === "" ? "the file is empty" : (e as Error).message.replace(/\s+/g, " ").trim();
        const dir = path.dirname(input);
        const program = /\.[cm]?[jt]s$/.test(base) && findProjectFile(dir) ? ` (to run the program, give its directory ${dir})` : "";
        throw new InputError(`${input}: not valid JSON (${hint}); ${EXPECTED}${program}`);
    }
    if (isPlainObject(doc) && "deployment" in doc) {
        return withUrnLines(loadStackExport(doc, input, input), text, input);
    }
    if (isPlainObject(doc) && "steps" in doc) {
        return withUrnLines(loadPreviewJson(doc, input, input), text, input);
    }
    let found: string;
    if (isPlainObject(doc)) {
        const keys = Object.keys(doc);
        found =
            keys.length === 0
                ? "an empty object"
                : `an object with ${keys
                      .slice(0, 6)
                      .map((k) => JSON.stringify(k))
                      .join(", ")}${keys.length > 6 ? ", ..." : ""}`;
    } else {
        found = Array.isArray(doc) ? "an array" : `${doc === null ? "null" : typeof doc}`;
    }
    throw new InputError(
        `${input}: JSON with neither \`deployment\` (a \`pulumi stack export\` file) nor \`steps\` ` +
            `(a \`pulumi preview --json\` file): found ${found}`,
    );
}
