// Production install footprint: `npm ci --omit=dev --ignore-scripts` of this package's locked
// dependencies against a package that depends on @pulumi/policy alone (same version, same lock
// entries), in temp dirs with a private npm cache. Nothing is installed in the repository.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { buildPublishDir } from "../scripts/package";
import { REPO_ROOT, makeTempDir, median, now } from "./harness";

export interface InstallResult {
    oursMiB: number;
    baseMiB: number;
    oursPackages: number;
    basePackages: number;
    oursMs: number[];
    baseMs: number[];
    /** What ours adds over the baseline, by package (MiB), largest first. */
    added: [string, number][];
    /** Installed packages that are only optional (or devOptional) in the lock, and their size, per install. */
    optionalOurs: [string, number][];
    optionalBase: [string, number][];
    /** The pack's own files, as `pulumi policy publish` uploads them (npm pack of the publish directory). */
    ownUnpackedMiB?: number;
    ownFiles?: number;
    policyVersion: string;
    notes: string[];
}

function npmEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
        if (k.startsWith("npm_") || k === "NODE_OPTIONS") continue;
        env[k] = v;
    }
    return env;
}

function npm(cwd: string, args: string[], what: string): void {
    const res = spawnSync("npm", args, { cwd, env: npmEnv(), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (res.status !== 0) {
        throw new Error(
            `${what} failed in ${cwd} (npm ${args.join(" ")}, exit ${res.status}):\n${(res.stderr || res.stdout || String(res.error)).slice(-3000)}`,
        );
    }
}

function duMiB(dir: string): number {
    const res = spawnSync("du", ["-sk", dir], { encoding: "utf8" });
    if (res.status !== 0) throw new Error(`du failed: ${res.stderr}`);
    return Number(res.stdout.split(/\s+/)[0]) / 1024;
}

/** Size of every installed package directory (top level and scoped), KiB. */
function packageSizes(dir: string): Map<string, number> {
    const nm = path.join(dir, "node_modules");
    const names: string[] = [];
    for (const e of fs.readdirSync(nm)) {
        if (e.startsWith(".")) continue;
        if (e.startsWith("@")) for (const s of fs.readdirSync(path.join(nm, e))) names.push(`${e}/${s}`);
        else names.push(e);
    }
    const out = new Map<string, number>();
    if (names.length === 0) return out;
    const res = spawnSync("du", ["-sk", ...names], { cwd: nm, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
    for (const line of res.stdout.split("\n")) {
        const m = /^(\d+)\s+(.+)$/.exec(line);
        if (m) out.set(m[2], Number(m[1]));
    }
    return out;
}

/** Installed packages whose lock entry is optional or devOptional (npm ci --omit=dev keeps them). */
function optionalInstalled(dir: string): [string, number][] {
    const lock = JSON.parse(fs.readFileSync(path.join(dir, "package-lock.json"), "utf8")) as {
        packages: Record<string, { optional?: boolean; devOptional?: boolean; dev?: boolean }>;
    };
    const out: [string, number][] = [];
    for (const [k, v] of Object.entries(lock.packages)) {
        if (!k.startsWith("node_modules/") || v.dev || !(v.optional || v.devOptional)) continue;
        if (!fs.existsSync(path.join(dir, k))) continue;
        out.push([`${k.slice("node_modules/".length)}${v.devOptional ? " (devOptional)" : " (optional)"}`, duMiB(path.join(dir, k))]);
    }
    return out.sort((a, b) => b[1] - a[1]);
}

function installedPackages(dir: string): number {
    const lock = JSON.parse(fs.readFileSync(path.join(dir, "node_modules", ".package-lock.json"), "utf8")) as {
        packages: Record<string, unknown>;
    };
    return Object.keys(lock.packages).filter((k) => k.startsWith("node_modules/")).length;
}

function lockedVersion(dir: string, name: string): string | undefined {
    const lock = JSON.parse(fs.readFileSync(path.join(dir, "package-lock.json"), "utf8")) as {
        packages: Record<string, { version?: string }>;
    };
    return lock.packages[`node_modules/${name}`]?.version;
}

export function measureInstall(base: string, rounds: number, log: (s: string) => void): InstallResult {
    const notes: string[] = [];
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
        dependencies: Record<string, string>;
    };
    const policySpec = pkg.dependencies["@pulumi/policy"];
    const cache = path.join(base, "npm-cache");
    const ours = path.join(base, "install-ours");
    const baseline = path.join(base, "install-policy-only");
    fs.mkdirSync(ours, { recursive: true });
    fs.mkdirSync(baseline, { recursive: true });

    // Ours: the package's manifest and lock, exactly as committed to the working tree.
    fs.copyFileSync(path.join(REPO_ROOT, "package.json"), path.join(ours, "package.json"));
    fs.copyFileSync(path.join(REPO_ROOT, "package-lock.json"), path.join(ours, "package-lock.json"));

    // Baseline: @pulumi/policy alone, locked from our lock (same versions of everything it shares).
    fs.writeFileSync(
        path.join(baseline, "package.json"),
        JSON.stringify(
            {
                name: "policy-only",
                version: "1.0.0",
                private: true,
                license: "UNLICENSED",
                dependencies: { "@pulumi/policy": policySpec },
            },
            null,
            2,
        ) + "\n",
    );
    fs.copyFileSync(path.join(REPO_ROOT, "package-lock.json"), path.join(baseline, "package-lock.json"));
    const common = ["--ignore-scripts", "--no-audit", "--no-fund", "--cache", cache, "--loglevel", "error"];
    log("  locking the @pulumi/policy-only package from our package-lock.json ...");
    npm(baseline, ["install", "--package-lock-only", ...common], "locking the baseline");
    const policyVersion = lockedVersion(ours, "@pulumi/policy") ?? "?";
    const basePolicy = lockedVersion(baseline, "@pulumi/policy");
    if (basePolicy !== policyVersion) notes.push(`baseline locked @pulumi/policy ${basePolicy}, ours ${policyVersion}`);
    for (const shared of ["@pulumi/pulumi", "@grpc/grpc-js", "google-protobuf"]) {
        const a = lockedVersion(ours, shared);
        const b = lockedVersion(baseline, shared);
        if (a !== b) notes.push(`${shared}: ours ${a}, baseline ${b}`);
    }

    const ci = ["ci", "--omit=dev", "--prefer-offline", ...common];
    const install = (dir: string): number => {
        fs.rmSync(path.join(dir, "node_modules"), { recursive: true, force: true });
        const t0 = now();
        npm(dir, ci, "npm ci");
        return now() - t0;
    };
    // Warm-up: fills the private cache (ours is a superset of the baseline; downloads are not what we compare).
    log("  warm-up install (filling a private npm cache) ...");
    install(ours);
    const oursMs: number[] = [];
    const baseMs: number[] = [];
    for (let i = 0; i < rounds; i++) {
        const first = i % 2 === 0;
        if (first) oursMs.push(install(ours));
        baseMs.push(install(baseline));
        if (!first) oursMs.push(install(ours));
        log(
            `  install round ${i + 1}/${rounds}: ours ${(oursMs[oursMs.length - 1] / 1000).toFixed(2)} s, @pulumi/policy only ${(baseMs[baseMs.length - 1] / 1000).toFixed(2)} s`,
        );
    }
    const sizesOurs = packageSizes(ours);
    const sizesBase = packageSizes(baseline);
    const added: [string, number][] = [];
    for (const [k, v] of sizesOurs) {
        const d = v - (sizesBase.get(k) ?? 0);
        if (Math.abs(d) >= 16) added.push([sizesBase.has(k) ? `${k} (larger)` : k, d / 1024]);
    }
    added.sort((a, b) => b[1] - a[1]);
    const result: InstallResult = {
        added,
        optionalOurs: optionalInstalled(ours),
        optionalBase: optionalInstalled(baseline),
        oursMiB: duMiB(path.join(ours, "node_modules")),
        baseMiB: duMiB(path.join(baseline, "node_modules")),
        oursPackages: installedPackages(ours),
        basePackages: installedPackages(baseline),
        oursMs,
        baseMs,
        policyVersion,
        notes,
    };
    // The pack's own files as `pulumi policy publish` uploads them: npm pack in the publish directory (npm run package).
    const publishDir = path.join(makeTempDir("internal-ports-bench-publish-"), "pack");
    buildPublishDir(publishDir);
    const pack = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
        cwd: publishDir,
        env: npmEnv(),
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    });
    if (pack.status === 0) {
        try {
            const info = (JSON.parse(pack.stdout) as { unpackedSize: number; entryCount: number }[])[0];
            result.ownUnpackedMiB = info.unpackedSize / 1024 / 1024;
            result.ownFiles = info.entryCount;
        } catch {
            notes.push("npm pack --dry-run output not understood");
        }
    }
    log(
        `  node_modules: ours ${result.oursMiB.toFixed(1)} MiB (${result.oursPackages} packages), @pulumi/policy only ${result.baseMiB.toFixed(1)} MiB (${result.basePackages}); median npm ci ${(median(oursMs) / 1000).toFixed(2)} s vs ${(median(baseMs) / 1000).toFixed(2)} s`,
    );
    return result;
}
