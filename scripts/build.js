#!/usr/bin/env node
// Builds dist/ (plain JavaScript: it has to run before there is a dist/).
//
//   node scripts/build.js              compile, write dist/ports.snapshot.json, stamp dist/
//   node scripts/build.js --if-needed  the same, only when a source is newer than the stamp (npm run check, npm start)
//   node scripts/build.js --prepare    npm's prepare: without a compiler (npm ci --omit=dev) say so and skip
//
// The compiler is the typescript-5 package: a development install builds the sources' project
// (tsconfig.json, node's types only) and the tests' (test/tsconfig.json, mocha's types too); the
// slim install (npm ci --prefix check) compiles what ships (tsconfig.check.json) without type
// checking, which the development build and CI do. Outputs whose source is gone are removed.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const stamp = path.join(root, "dist", ".build-stamp");
const SOURCES = ["index.ts", "policies", "driver", "cli", "scripts", "test", "tsconfig.json", "tsconfig.check.json", "package.json"];
const { pruneDist } = require("./prune-dist");
const REGISTRY = "ports.yaml";

function compiler() {
    for (const [dir, args] of [
        [root, ["-b", "tsconfig.json", "test/tsconfig.json"]],
        [path.join(root, "check"), ["-p", "tsconfig.check.json"]],
    ]) {
        try {
            const pkg = require.resolve("typescript-5/package.json", { paths: [dir] });
            return { tsc: path.join(path.dirname(pkg), "bin", "tsc"), args };
        } catch {
            // next
        }
    }
    return undefined;
}

function newestSource(sources = SOURCES) {
    let newest = 0;
    const walk = (p) => {
        let st;
        try {
            st = fs.statSync(p);
        } catch {
            return;
        }
        if (st.isDirectory()) {
            if (path.basename(p) === "node_modules" || path.basename(p) === "fixtures") return;
            for (const e of fs.readdirSync(p)) walk(path.join(p, e));
        } else if (st.mtimeMs > newest) {
            newest = st.mtimeMs;
        }
    };
    for (const s of sources) walk(path.join(root, s));
    return newest;
}

/** "current", "registry" (only ports.yaml changed: the start-up snapshot is stale) or "stale". */
function state() {
    let built;
    try {
        built = fs.statSync(stamp).mtimeMs;
    } catch {
        return "stale";
    }
    if (!fs.existsSync(path.join(root, "dist", "cli", "main.js")) || newestSource() > built) return "stale";
    return newestSource([REGISTRY]) > built ? "registry" : "current";
}

function run(args) {
    // Compiler output goes to stderr: stdout of `npm run check` is the report.
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: ["ignore", 2, 2] });
    if (r.status !== 0) process.exit(r.status ?? 1);
}

const flags = new Set(process.argv.slice(2));
if (flags.has("--if-needed")) {
    const now = state();
    if (now === "current") process.exit(0);
    if (now === "registry") {
        run([path.join(root, "dist", "scripts", "registry-snapshot.js")]);
        fs.writeFileSync(stamp, fs.readFileSync(stamp));
        process.exit(0);
    }
}
const found = compiler();
if (!found) {
    const message =
        "dist/ is not built: no TypeScript compiler is installed. For the check, run `npm ci --prefix check` " +
        "and then `npm ci --omit=dev` (or `npm run build`); for development, `npm ci`.";
    if (flags.has("--prepare")) {
        process.stderr.write(`internal-ports: ${message}\n`);
        process.exit(0);
    }
    process.stderr.write(`internal-ports: ${message}\n`);
    process.exit(1);
}
run([found.tsc, ...found.args]);
pruneDist(root);
run([path.join(root, "dist", "scripts", "registry-snapshot.js")]);
fs.writeFileSync(stamp, `${found.args.join(" ")}\n`);
