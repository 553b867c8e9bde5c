// A program that failed, said in one line: its message and the first frame in the user's own code.
import { firstLine } from "../text";
import { InputError } from "../types";
import { LocatedError } from "./transpile";
import { displayPath, fileOfFrame, isUserFile } from "./user-files";

export interface Failure {
    err: unknown;
    stack?: string;
}

export function stackOf(err: unknown): string | undefined {
    try {
        const s = (err as { stack?: unknown })?.stack;
        return typeof s === "string" ? s : undefined;
    } catch {
        return undefined;
    }
}

/** The first frame of a formatted stack that is the user's code, as "file:line:column". */
function userFrame(err: unknown, stack: string | undefined, cwd: string): string | undefined {
    if (err instanceof LocatedError) {
        const l = err.location;
        return `${displayPath(l.file, cwd)}:${l.line}:${l.column}`;
    }
    if (!stack) return undefined;
    const lines = stack.split("\n");
    // Node's syntax errors start with "file:line" and the offending source line.
    const head = /^(\/.*|[A-Za-z]:\\.*|file:\/\/.*):(\d+)$/.exec(lines[0] ?? "");
    if (head && err instanceof SyntaxError) {
        const file = fileOfFrame(head[1]);
        if (file) return `${displayPath(file, cwd)}:${head[2]}`;
    }
    for (const l of lines) {
        const m = /^\s*at (?:.* \()?(.+?):(\d+):(\d+)\)?$/.exec(l);
        if (!m) continue;
        const file = fileOfFrame(m[1]);
        if (isUserFile(file)) return `${displayPath(file, cwd)}:${m[2]}:${m[3]}`;
    }
    return undefined;
}

export function programFailed(dirShown: string, f: Failure, cwd: string): InputError {
    const err = f.err;
    let message: string;
    if (err instanceof Error) {
        message = firstLine(err.message || err.name || "error");
    } else {
        try {
            message = firstLine(typeof err === "string" ? err : (JSON.stringify(err) ?? String(err)));
        } catch {
            message = String(err);
        }
    }
    let where = userFrame(err, f.stack, cwd);
    // A transpile error from the module hooks' thread carries its place in the message.
    const located = err instanceof SyntaxError ? /^(TS\d+: .*) \(at (.+):(\d+):(\d+)\)$/.exec(message) : null;
    if (located) {
        message = located[1];
        where = `${displayPath(located[2], cwd)}:${located[3]}:${located[4]}`;
    }
    let text = `the program ${dirShown} failed: ${message}`;
    if (where && !message.includes(where)) text += ` (at ${where})`;
    const code = (err as { code?: unknown })?.code;
    const missing = /Cannot find (?:module|package) '([^']+)'/.exec(message)?.[1];
    if ((code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND") && missing && !/^(\.|\/|[A-Za-z]:\\|file:)/.test(missing)) {
        text += `; are its dependencies installed? (run npm install in ${dirShown})`;
    }
    return new InputError(text);
}

/** The program called process.exit(): under `pulumi` that ends the program, here it must not end the check. */
export class ProgramExit extends Error {
    constructor(code: unknown) {
        super(`the program called process.exit(${code === undefined ? "" : JSON.stringify(code)}) before it finished`);
        this.name = "ProgramExit";
    }
}
