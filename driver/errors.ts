// What can go wrong driving a pack: it does not start, an RPC fails, or the config is one the
// Pulumi CLI would refuse.

export class PolicyPackStartError extends Error {
    readonly stderr: string;
    readonly exitCode: number | null;
    /** Extension: the signal that ended the process, if any. */
    readonly signal: NodeJS.Signals | null;

    constructor(message: string, stderr: string, exitCode: number | null, signal: NodeJS.Signals | null = null) {
        super(stderr.trim() ? `${message}\n--- policy pack stderr ---\n${stderr.trimEnd()}` : message);
        this.name = "PolicyPackStartError";
        this.stderr = stderr;
        this.exitCode = exitCode;
        this.signal = signal;
    }
}

/** An RPC to the pack failed (e.g. a policy threw). `details` carries the pack's error text. */
export class PolicyPackRpcError extends Error {
    readonly method: string;
    readonly code: number | undefined;
    readonly details: string;
    readonly stderr: string;

    constructor(method: string, code: number | undefined, details: string, stderr: string) {
        super(`${method} failed${code !== undefined ? ` (gRPC code ${code})` : ""}: ${details}`);
        this.name = "PolicyPackRpcError";
        this.method = method;
        this.code = code;
        this.details = details;
        this.stderr = stderr;
    }
}

/** The config is invalid, as the CLI would reject it before analyzing anything. */
export class PolicyPackConfigError extends Error {
    readonly errors: string[];

    constructor(errors: string[]) {
        super(`invalid policy pack config:\n  ${errors.join("\n  ")}`);
        this.name = "PolicyPackConfigError";
        this.errors = errors;
    }
}
