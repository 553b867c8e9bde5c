// What `pulumi policy publish` uploads (it runs `npm pack` in the publish directory): exactly the
// pack and its documentation, and it starts.
import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PolicyPackProcess } from "../driver/analyzer-client";
import { buildPublishDir } from "../scripts/package";
import { PackageJson, PackageLock } from "./documents";
import { copyRepository, tempDir } from "./program-fixtures";

const root = path.resolve(__dirname, "..", "..");

describe("the published pack (npm run package)", function () {
    this.timeout(120000);
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "internal-ports-publish-")), "pack");
    let files: string[] = [];

    before(() => {
        buildPublishDir(dir);
        const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: dir, encoding: "utf8" });
        files = (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path).sort();
    });

    it("holds the manifest, the compiled entry and its code, ports.yaml, README, licence, changelog and configs", () => {
        for (const f of [
            "PulumiPolicy.yaml",
            "package.json",
            "dist/index.js",
            "dist/ports.snapshot.json",
            "dist/policies/index.js",
            "dist/policies/registry/index.js",
            "dist/cli/main.js",
            "ports.yaml",
            "PORTS.md",
            "README.md",
            "LICENSE",
            "CHANGELOG.md",
            "config/advisory.json",
            "config/strict.json",
            "docs/policies/no-world-open-internal-ports.md",
        ]) {
            assert.ok(files.includes(f), `${f} is missing from the tarball`);
        }
    });

    it("holds no tests, sources, examples, scripts or development files", () => {
        const bad = files.filter(
            (f) =>
                /^(test|examples|bench|scripts|\.ci|driver|cli|policies)\//.test(f) ||
                /^dist\/(test|scripts|bench)\//.test(f) ||
                /\.ts$/.test(f) ||
                /tsconfig|\.mocharc|package-lock|\.tsbuildinfo|\.gitignore/.test(f),
        );
        assert.deepEqual(bad, []);
    });

    it("declares runtime dependencies only, and no install-time build", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as PackageJson;
        assert.equal(pkg.devDependencies, undefined);
        assert.equal(pkg.scripts, undefined);
        assert.ok(pkg.dependencies, "it declares the runtime dependencies");
        assert.ok(!Object.keys(pkg.dependencies).some((d) => /^@pulumi\/(aws|azure|gcp|kubernetes|digitalocean)/.test(d)));
        assert.equal(pkg.version, (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as PackageJson).version);
    });

    it("starts as a policy pack from the published files", async () => {
        fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
        const pack = await PolicyPackProcess.start(dir);
        try {
            const info = await pack.getAnalyzerInfo();
            assert.equal(info.name, "internal-ports");
            assert.ok(info.policies.length >= 2);
        } finally {
            await pack.stop();
        }
    });
});

describe("the production install of this checkout (npm ci --omit=dev)", () => {
    // @pulumi/pulumi declares typescript an optional peer. A devDependency named `typescript` would
    // satisfy it, so npm marks it devOptional and `npm ci --omit=dev` keeps its 23 MB; the compiler is
    // therefore installed under another name (typescript-5), which nothing at run time resolves.
    const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8")) as {
        packages: Record<string, { name?: string; dev?: boolean; optional?: boolean; devOptional?: boolean }>;
    };

    it("keeps no TypeScript compiler: every copy of typescript in the lock is dev-only", () => {
        const kept = Object.entries(lock.packages)
            .filter(([k, v]) => (k.endsWith("node_modules/typescript") || v.name === "typescript") && !v.dev)
            .map(([k, v]) => `${k}${v.devOptional ? " (devOptional)" : v.optional ? " (optional)" : ""}`);
        assert.deepEqual(kept, [], "a production install would carry these");
    });

    it("keeps nothing that is only a devDependency's optional peer", () => {
        const devOptional = Object.entries(lock.packages)
            .filter(([, v]) => v.devOptional)
            .map(([k]) => k);
        assert.deepEqual(devOptional, [], "npm ci --omit=dev keeps devOptional packages");
    });
});

describe("the slim install's compiler (check/)", function () {
    this.timeout(300000);

    it("pins the TypeScript the development install compiles with", () => {
        const check = JSON.parse(fs.readFileSync(path.join(root, "check", "package-lock.json"), "utf8")) as PackageLock;
        const rootLock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8")) as PackageLock;
        assert.equal(check.packages["node_modules/typescript-5"].version, rootLock.packages["node_modules/typescript-5"].version);
        assert.deepEqual(
            Object.keys(check.packages).filter((k) => k !== ""),
            ["node_modules/typescript-5"],
            "one package, no dependencies",
        );
    });

    it("npm ci --omit=dev works in a checkout without it: the pack's dependencies, no build, and a note saying why", () => {
        const dir = path.join(tempDir("omit-dev-"), "checkout");
        copyRepository(dir);
        const env = { ...process.env };
        for (const k of Object.keys(env)) if (k.startsWith("npm_")) delete env[k];
        const r = spawnSync("npm", ["ci", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=warn"], {
            cwd: dir,
            env,
            encoding: "utf8",
        });
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stderr, /dist\/ is not built: no TypeScript compiler is installed\. For the check, run `npm ci --prefix check`/);
        assert.ok(fs.existsSync(path.join(dir, "node_modules", "@pulumi", "policy")));
        assert.ok(
            !fs.existsSync(path.join(dir, "node_modules", "typescript-5")) &&
                !fs.existsSync(path.join(dir, "node_modules", "@pulumi", "aws")),
        );
        assert.ok(!fs.existsSync(path.join(dir, "dist")));
    });
});
