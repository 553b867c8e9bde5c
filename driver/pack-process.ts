// The pack's process, started the way the Pulumi CLI starts it (pkg/resource/plugin/analyzer_plugin.go):
// PulumiPolicy.yaml read first (the CLI refuses a pack without one), then
// `node run-policy-pack <engine> <packDir> [-<runtimeOption>=<value>...]` with cwd = packDir, and
// the gRPC port read from the first line of its stdout. Never left running when this process exits.
import { spawn, ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { PolicyPackStartError } from "./errors";

/** Reads PulumiPolicy.yaml like the CLI and returns the extra `-key=value` args from runtime.options. */
export function readPolicyProject(packDir: string): string[] {
    const file = path.join(packDir, "PulumiPolicy.yaml");
    let doc: unknown;
    try {
        doc = parseYaml(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new PolicyPackStartError(
            `failed to load Pulumi policy project located at ${JSON.stringify(packDir)}: ${(e as Error).message}`,
            "",
            null,
        );
    }
    const runtime = (doc as { runtime?: unknown } | null)?.runtime;
    let name: unknown = runtime;
    let options: Record<string, unknown> = {};
    if (runtime && typeof runtime === "object") {
        name = (runtime as { name?: unknown }).name;
        options = ((runtime as { options?: unknown }).options as Record<string, unknown>) ?? {};
    }
    if (typeof name !== "string" || name === "") {
        throw new PolicyPackStartError(`${file}: a runtime is required`, "", null);
    }
    if (name.toLowerCase() !== "nodejs") {
        throw new PolicyPackStartError(`${file}: runtime ${JSON.stringify(name)} is not supported (nodejs only)`, "", null);
    }
    const args: string[] = [];
    for (const [k, v] of Object.entries(options)) {
        // String()'s own text, as the CLI has always passed an option (a mapping or list included).
        // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the conversion is the behaviour kept
        const s = v === null || v === undefined ? "" : String(v);
        if (s !== "") {
            args.push(`-${k}=${s}`);
        }
    }
    return args;
}

// A pack's gRPC server keeps it alive forever: never leave one behind when this process exits.
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function trackChild(child: ChildProcess): void {
    liveChildren.add(child);
    if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.once("exit", () => {
            for (const c of liveChildren) {
                try {
                    c.kill("SIGKILL");
                } catch {
                    // ignore
                }
            }
        });
    }
}

export interface SpawnOptions {
    env: NodeJS.ProcessEnv;
    /** Time allowed until the port is printed. */
    timeoutMs: number;
}

/** A running pack: its port, what it wrote, how it ended. */
export class PackProcess {
    readonly pid: number | undefined;
    private readonly exited: Promise<void>;
    private readonly closed: Promise<void>;
    private _port = 0;
    private _stderr = "";
    private _stdout = "";
    private _exitCode: number | null = null;
    private _signal: NodeJS.Signals | null = null;
    private _hasExited = false;
    private stopping: Promise<void> | undefined;

    private constructor(private readonly child: ChildProcess) {
        this.pid = child.pid;
        child.stderr!.setEncoding("utf8");
        child.stderr!.on("data", (s: string) => (this._stderr += s));
        this.exited = new Promise<void>((resolve) => {
            child.once("exit", (code, signal) => {
                this._hasExited = true;
                this._exitCode = code;
                this._signal = signal;
                liveChildren.delete(child);
                resolve();
            });
            child.once("error", () => {
                // Spawn failure: no "exit" may follow.
                if (child.pid === undefined) {
                    this._hasExited = true;
                    liveChildren.delete(child);
                    resolve();
                }
            });
        });
        // "close" fires after "exit" once stdout/stderr are drained.
        this.closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
        trackChild(child);
    }

    get port(): number {
        return this._port;
    }

    get stderr(): string {
        return this._stderr;
    }

    /** Everything written to stdout after the port line. */
    get stdout(): string {
        return this._stdout;
    }

    /** Null while running or when killed by a signal. */
    get exitCode(): number | null {
        return this._exitCode;
    }

    get hasExited(): boolean {
        return this._hasExited;
    }

    /** How the process ended, for an RPC error once it has: " [policy pack process exited: code 1]"; "" while it runs. */
    exitNote(): string {
        return this._hasExited
            ? ` [policy pack process exited: ${this._signal ? `signal ${this._signal}` : `code ${this._exitCode}`}]`
            : "";
    }

    /**
     * Runs `node <args>` in `dir` and resolves once it printed its port. Rejects with
     * PolicyPackStartError if it exits (or prints something other than a port) before that, or the
     * timeout passes.
     */
    static start(dir: string, args: string[], opts: SpawnOptions): Promise<PackProcess> {
        const child = spawn(process.execPath, args, {
            cwd: dir,
            env: opts.env,
            stdio: ["ignore", "pipe", "pipe"],
        });
        const proc = new PackProcess(child);
        const timeoutMs = opts.timeoutMs;
        return new Promise<PackProcess>((resolve, reject) => {
            let settled = false;
            let firstLine = "";
            let portRead = false;

            const fail = (err: Error) => {
                if (settled) {
                    return;
                }
                settled = true;
                clearTimeout(timer);
                reject(err);
            };
            const killAndFail = (message: string) => {
                if (settled) {
                    return;
                }
                settled = true;
                clearTimeout(timer);
                child.kill("SIGKILL");
                // Report once the process is gone and its stderr fully read.
                void proc.closed.then(() => reject(new PolicyPackStartError(message, proc._stderr, null, proc._signal)));
            };

            const timer = setTimeout(() => killAndFail(`policy pack at ${dir} did not print its port within ${timeoutMs} ms`), timeoutMs);

            child.stdout.setEncoding("utf8");
            child.stdout.on("data", (s: string) => {
                if (portRead) {
                    proc._stdout += s;
                    return;
                }
                firstLine += s;
                const nl = firstLine.indexOf("\n");
                if (nl < 0) {
                    return;
                }
                portRead = true;
                const line = firstLine.slice(0, nl).trim();
                proc._stdout += firstLine.slice(nl + 1);
                if (!/^\d+$/.test(line) || Number(line) <= 0 || Number(line) > 65535) {
                    killAndFail(
                        `policy pack at ${dir} printed ${JSON.stringify(line)} instead of its port as the first ` +
                            "line of stdout (the CLI fails the same way; do not write to stdout at load time)",
                    );
                    return;
                }
                if (settled) {
                    return;
                }
                settled = true;
                clearTimeout(timer);
                proc._port = Number(line);
                resolve(proc);
            });

            child.once("error", (err) =>
                fail(new PolicyPackStartError(`failed to spawn policy pack at ${dir}: ${err.message}`, proc._stderr, null)),
            );
            // "close" fires after exit once stdout/stderr are drained, so stderr is complete.
            child.once("close", (code: number | null, signal: NodeJS.Signals | null) =>
                fail(
                    new PolicyPackStartError(
                        `policy pack at ${dir} exited (${signal ? `signal ${signal}` : `code ${code}`}) before printing its port`,
                        proc._stderr,
                        code,
                        signal,
                    ),
                ),
            );
        });
    }

    /** Kills the process (SIGTERM, then SIGKILL after 2 s) and waits for it to exit. Idempotent. */
    stop(): Promise<void> {
        if (!this.stopping) {
            this.stopping = (async () => {
                if (!this._hasExited) {
                    this.child.kill("SIGTERM");
                    const escalate = setTimeout(() => {
                        if (!this._hasExited) {
                            this.child.kill("SIGKILL");
                        }
                    }, 2000);
                    await this.exited;
                    clearTimeout(escalate);
                }
            })();
        }
        return this.stopping;
    }
}
