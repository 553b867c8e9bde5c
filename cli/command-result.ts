// What a command (check, explain, flowlogs, policies) hands back to main, how it reads its flags
// and how it fails: one shape and one wording for every command.
import { parseArgs, ParseArgsConfig } from "util";

/** The exit status and the report for standard output. */
export interface CommandResult {
    code: number;
    stdout: string;
}

/** Bad input or flags: `<name>: <message>` on standard error, exit status 2, nothing on standard output. */
export function failure(name: string): (stderr: (s: string) => void, message: string) => CommandResult {
    return (stderr, message) => {
        stderr(`${name}: ${message}\n`);
        return { code: 2, stdout: "" };
    };
}

/** A bug's message: the error's stack, or what was thrown when it is not an Error. */
export function unexpectedError(e: unknown): string {
    return `unexpected error: ${(e as Error | undefined)?.stack ?? String(e)}`;
}

export type Flags = Record<string, string | boolean | string[] | undefined>;
/** The flags of a command without `multiple` options. */
export type SingleFlags = Record<string, string | boolean | undefined>;

/**
 * A command's flags and inputs, as node's parseArgs reads them (with `--help`, `-h`). What it cannot
 * read answers instead: the reason and the usage, exit status 2; `--help` answers the usage, exit 0.
 */
export function readArgs<V extends Flags = Flags>(
    argv: string[],
    options: NonNullable<ParseArgsConfig["options"]>,
    usage: string,
    fail: ReturnType<typeof failure>,
    stderr: (s: string) => void,
): { values: V; inputs: string[] } | CommandResult {
    try {
        const { values, positionals } = parseArgs({
            args: argv,
            allowPositionals: true,
            options: { ...options, help: { type: "boolean", short: "h" } },
        });
        if (values.help) return { code: 0, stdout: usage };
        // The options decide the values' types: a command without `multiple` options reads no lists.
        return { values: values as V, inputs: positionals };
    } catch (e) {
        return fail(stderr, `${(e as Error).message}\n\n${usage}`);
    }
}
