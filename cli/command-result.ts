// What a command (check, explain, flowlogs, policies) hands back to main, and how it fails: one
// shape and one wording for every command.

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
