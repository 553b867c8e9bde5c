// The note for a bug in the pack: a finding that says nothing was verified, names the error's class
// and where in the pack it was thrown, and carries no input value.
import * as fs from "fs";
import * as path from "path";
import { FindingRecord, render } from "./findings";
import { COMMON_MESSAGES } from "./wording";

const PACK_ROOT = path.resolve(__dirname, "..", "..", "..");

/**
 * The note for an unexpected exception. Its message may quote an input value (a secret, even), so
 * the note names only the error's class and the first stack frame in the pack's own files: enough
 * to find the bug, and nothing a value can reach. No hash of the message either: a hash of a short
 * value (a port, a token) can be guessed back.
 */
export function internalError(policy: string, what: string, e: unknown, urn?: string): FindingRecord {
    let described: string;
    try {
        described = `${errorClass(e)}${errorSite(e)}`;
    } catch {
        described = "an error that could not be described"; // a throwing stack or toString must not escape the catch-all
    }
    const data = { policy, what, described };
    return {
        policy,
        ...(urn !== undefined ? { urn } : {}),
        advisory: true,
        message: render(COMMON_MESSAGES, "internalError", data),
        items: [{ messageId: "internalError", data }],
        fixes: [],
    };
}

function errorClass(e: unknown): string {
    if (!(e instanceof Error)) return `a thrown ${e === null ? "null" : typeof e}`;
    const name = e.constructor?.name;
    return typeof name === "string" && /^[A-Za-z_$][\w$]{0,60}$/.test(name) ? name : "Error";
}

/** " at dist/policies/analysis/evaluate.js:42", from the frames only: the stack's header repeats the message. */
function errorSite(e: unknown): string {
    if (!(e instanceof Error) || typeof e.stack !== "string") return "";
    const header = String(e);
    // A message changed after the throw no longer matches the header; then where it ends is unclear.
    if (!e.stack.startsWith(`${header}\n`)) return "";
    for (const line of e.stack.slice(header.length + 1).split("\n")) {
        const m = /^\s+at (?:.*\()?(.+?):(\d+):\d+\)?$/.exec(line);
        if (!m) continue;
        const file = m[1].startsWith("file://") ? m[1].slice(7) : m[1];
        if (!path.isAbsolute(file)) continue;
        const rel = path.relative(PACK_ROOT, file).split(path.sep).join("/");
        // Only a file that exists: a frame-like line cannot smuggle text into the note.
        if (rel.startsWith("..") || rel.split("/").includes("node_modules") || !/^[\w./-]+$/.test(rel) || !fs.existsSync(file)) continue;
        return ` at ${rel}:${m[2]}`;
    }
    return "";
}
