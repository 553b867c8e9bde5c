// The program fixtures under test/fixtures/programs, copied to a temporary directory for a test and
// given a node_modules made of links to this checkout's (plus fixture packages, such as the awsx
// shape), the way a user's `npm install` would leave them.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "..", "..");
export const FIXTURES = path.join(ROOT, "test", "fixtures");
const NODE_MODULES = path.join(ROOT, "node_modules");

/** Fixture packages (test/fixtures/packages/<dir>) by the name they are installed under. */
const PACKAGES: Record<string, string> = { "@pulumi/awsx": "awsx" };

export function tempDir(prefix: string): string {
    return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/**
 * node_modules in `dir`: a link to this checkout's, or, with fixture packages or packages the
 * program brings itself (already in dir/node_modules), a directory of links per package.
 */
export function linkNodeModules(dir: string, packages: string[] = []): void {
    const nm = path.join(dir, "node_modules");
    if (packages.length === 0 && !fs.existsSync(nm)) {
        fs.symlinkSync(NODE_MODULES, nm, "dir");
        return;
    }
    fs.mkdirSync(nm, { recursive: true });
    const link = (rel: string) => {
        if (!fs.existsSync(path.join(nm, rel))) fs.symlinkSync(path.join(NODE_MODULES, rel), path.join(nm, rel));
    };
    for (const entry of fs.readdirSync(NODE_MODULES)) {
        if (!entry.startsWith("@")) {
            link(entry);
            continue;
        }
        fs.mkdirSync(path.join(nm, entry), { recursive: true });
        for (const sub of fs.readdirSync(path.join(NODE_MODULES, entry))) link(path.join(entry, sub));
    }
    for (const name of packages) {
        const target = path.join(nm, name);
        fs.rmSync(target, { force: true, recursive: true });
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.symlinkSync(path.join(FIXTURES, "packages", PACKAGES[name] ?? name), target, "dir");
    }
}

/** Copies test/fixtures/programs/<name> to `into/<as>` with node_modules; extra files override or add. */
export function copyProgram(
    name: string,
    into: string,
    opts: { as?: string; files?: Record<string, string>; packages?: string[] } = {},
): string {
    const dir = path.join(into, opts.as ?? name);
    fs.cpSync(path.join(FIXTURES, "programs", name), dir, { recursive: true });
    for (const [file, text] of Object.entries(opts.files ?? {})) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), text);
    }
    linkNodeModules(dir, opts.packages);
    return dir;
}

/** 1-based line of the first line of `file` that contains `marker`. */
export function lineOf(file: string, marker: string): number {
    const i = fs
        .readFileSync(file, "utf8")
        .split("\n")
        .findIndex((l) => l.includes(marker));
    if (i < 0) throw new Error(`marker ${marker} not in ${file}`);
    return i + 1;
}

/** This repository as `actions/checkout` leaves it: tracked files and new ones not ignored. */
export function copyRepository(to: string): void {
    const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" })
        .split("\0")
        .filter(Boolean);
    for (const f of files) {
        if (!fs.existsSync(path.join(ROOT, f))) continue; // deleted in the work tree
        fs.mkdirSync(path.dirname(path.join(to, f)), { recursive: true });
        fs.copyFileSync(path.join(ROOT, f), path.join(to, f));
    }
}
