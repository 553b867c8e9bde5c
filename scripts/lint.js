#!/usr/bin/env node
// npm run lint: ESLint (type-checked, zero warnings) and Prettier's check over the repository's
// TypeScript and JavaScript. npm run format: the same with fixes written.
//
// Both run from lint/'s own install (see lint/package.json for why it is apart), installed here on
// first use from its lock file.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const lint = path.join(root, "lint");
const bin = (name) => path.join(lint, "node_modules", ".bin", name);
const fix = process.argv.includes("--fix");

function run(command, args, what) {
    const r = spawnSync(command, args, { cwd: root, stdio: "inherit" });
    if (r.error) throw r.error;
    if (r.status !== 0) {
        process.stderr.write(`internal-ports lint: ${what} failed${fix ? "" : " (npm run format fixes what Prettier and ESLint can)"}\n`);
        process.exit(r.status ?? 1);
    }
}

if (!fs.existsSync(bin("eslint")) || !fs.existsSync(bin("prettier"))) {
    process.stderr.write("internal-ports lint: installing the linter and formatter (npm ci --prefix lint)\n");
    run("npm", ["ci", "--prefix", lint, "--no-audit", "--no-fund", "--loglevel=warn"], "installing lint/");
}
const files = ["**/*.ts", "**/*.js", "**/*.mjs"];
run(bin("prettier"), [fix ? "--write" : "--check", "--log-level", "warn", ...files], "Prettier");
run(bin("eslint"), ["--config", path.join(lint, "eslint.config.mjs"), "--max-warnings", "0", ...(fix ? ["--fix"] : []), "."], "ESLint");
