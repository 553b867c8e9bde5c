// The repository a SARIF file's paths are relative to: GitHub code scanning places a result by its
// path from the repository root, whatever directory the check ran in.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** The git top level of the directory holding `input`; undefined outside a work tree or without git. */
export function gitTopLevel(input: string): string | undefined {
    let dir = path.resolve(input);
    try {
        if (!fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
    } catch {
        dir = path.dirname(dir);
    }
    const r = spawnSync("git", ["rev-parse", "--show-toplevel"], { cwd: dir, encoding: "utf8" });
    if (r.status !== 0 || !r.stdout.trim()) return undefined;
    return fs.realpathSync(r.stdout.trim());
}
