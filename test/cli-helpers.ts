// The command as a user runs it: `node dist/cli/main.js ...` in a child process.
import { spawn, spawnSync } from "child_process";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "..", "..");
export const MAIN = path.join(ROOT, "dist", "cli", "main.js");

export interface CliRun {
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
}

/** Runs `internal-ports <args>`; the environment is this process's plus `env` (a value of undefined removes a variable). */
export function cli(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): CliRun {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const [k, v] of Object.entries(opts.env ?? {})) {
        if (v === undefined) delete env[k];
        else env[k] = v;
    }
    const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: opts.cwd ?? ROOT, env, encoding: "utf8", timeout: 240000 });
    return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `internal-ports <args>` without waiting, for tests that signal it. */
export function cliProcess(args: string[], opts: { cwd?: string } = {}) {
    return spawn(process.execPath, [MAIN, ...args], { cwd: opts.cwd ?? ROOT, stdio: ["ignore", "pipe", "pipe"] });
}
