// `internal-ports check` as a CI job runs it (a spawned process: exit status, stdout, stderr,
// files): it fails closed, speaks GitHub code scanning, and writes reports people read.
import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as url from "url";
import { cli, cliProcess, ROOT } from "./cli-helpers";
import { BASTION_EXEMPTION } from "./helpers";
import { copyProgram, lineOf, linkNodeModules, tempDir } from "./program-fixtures";
import { sarifErrors } from "./sarif-schema";
import { JsonReport, SarifLog } from "./documents";
import { stackExport, urnsOf } from "./stack-exports";
import { policies } from "../policies";

const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const SG = "aws:ec2/securityGroup:SecurityGroup";
const NO_COLOR = { NO_COLOR: "1", FORCE_COLOR: undefined };

function writeProgram(dir: string, files: Record<string, string>): string {
    for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
    }
    linkNodeModules(dir);
    return dir;
}

/** An export of shop/prod whose resources are security groups. */
function exportFile(file: string, resources: { name: string; inputs: unknown }[]): string {
    const urn = urnsOf("prod", "shop");
    const groups = resources.map((r) => ({ urn: urn(SG, r.name), custom: true, id: `${r.name}-id`, type: SG, inputs: r.inputs }));
    fs.writeFileSync(file, JSON.stringify(stackExport("prod", "shop", groups), null, 2));
    return file;
}

const openRedis = { ingress: [{ protocol: "tcp", fromPort: 6379, toPort: 6379, cidrBlocks: ["0.0.0.0/0"] }] };
const fromOutside = { ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["198.51.100.0/24"] }] };
const internalHttps = { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/8"] }] };

const NEEDS_CONFIG = `const pulumi = require("@pulumi/pulumi");
const config = new pulumi.Config();
const office = config.require("officeCidr");
const sshPort = config.requireNumber("sshPort");
const token = config.requireSecret("token");
new pulumi.CustomResource("${SG}", "bastion", { ingress: [
    { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: [office] },
    { protocol: "tcp", fromPort: sshPort, toPort: sshPort, cidrBlocks: ["0.0.0.0/0"] },
    { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/0", \`\${office}\`] },
], tags: { token } });
`;

describe("internal-ports check in CI", function () {
    this.timeout(240000);
    let tmp: string;
    before(() => (tmp = tempDir("check-command-")));

    describe("fails closed", () => {
        it("exits 2 when a program requires config its stack does not set, naming each key and the stack file", () => {
            const dir = writeProgram(path.join(tmp, "needs-config"), {
                "Pulumi.yaml": "name: needs-config\nruntime: nodejs\n",
                "index.js": NEEDS_CONFIG,
            });
            const r = cli(["check", dir, "--quiet"], { env: NO_COLOR });
            assert.equal(r.code, 2, r.stderr);
            assert.match(
                r.stderr,
                /requires config that stack "dev" does not set \(looked in .*needs-config[\\/]Pulumi\.dev\.yaml, which does not exist\): needs-config:officeCidr \(require\), needs-config:sshPort \(requireNumber\), needs-config:token \(requireSecret\)/,
            );
            assert.match(r.stderr, /--allow-missing-config/);
            assert.match(r.stdout, /❗ could not be checked: .*needs-config:officeCidr/);

            fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  needs-config:officeCidr: 198.51.100.0/24\n");
            const some = cli(["check", dir, "--quiet"], { env: NO_COLOR });
            assert.equal(some.code, 2);
            assert.match(
                some.stderr,
                /\(looked in .*Pulumi\.dev\.yaml\): needs-config:sshPort \(requireNumber\), needs-config:token \(requireSecret\)\./,
            );
            fs.rmSync(path.join(dir, "Pulumi.dev.yaml"));
        });

        it("a program that also throws at load for want of that config still gets its report, not an unexpected error (pulumi/examples aws-ts-ec2-provisioners' shape)", () => {
            const dir = writeProgram(path.join(tmp, "throws-without-config"), {
                "Pulumi.yaml": "name: throws-without-config\nruntime: nodejs\n",
                "index.js": `const pulumi = require("@pulumi/pulumi");
const config = new pulumi.Config();
const privateKey = config.requireSecret("privateKey");
new pulumi.CustomResource("${SG}", "secgrp", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] });
if (!config.get("keyName") && !config.get("publicKey")) throw new Error("must provide one of keyName or publicKey");
`,
            });
            const r = cli(["check", dir], { env: NO_COLOR });
            assert.equal(r.code, 2, r.stderr);
            assert.doesNotMatch(r.stderr, /unexpected error/);
            assert.match(r.stdout, /❗ could not be checked: .*requires config .*throws-without-config:privateKey \(requireSecret\)/);
            assert.match(r.stdout, /1 input could not be checked, so the check fails/);
            // With placeholders the program's own error is the reason, at its line.
            const placeholders = cli(["check", dir, "--allow-missing-config"], { env: NO_COLOR });
            assert.equal(placeholders.code, 2, placeholders.stderr);
            assert.doesNotMatch(placeholders.stderr, /unexpected error/);
            assert.match(placeholders.stdout, /failed: must provide one of keyName or publicKey \(at .*index\.js:5:\d+\)/);
        });

        it("--allow-missing-config: placeholders, a warning per key even with --quiet, no finding that blames a placeholder, and notes that name the key", () => {
            const dir = path.join(tmp, "needs-config");
            const r = cli(["check", dir, "--quiet", "--allow-missing-config", "--format", "json"]);
            assert.equal(r.code, 1, r.stderr);
            for (const key of ["officeCidr", "sshPort", "token"]) {
                assert.match(
                    r.stderr,
                    new RegExp(
                        `warning: .*missing required config needs-config:${key} \\(require\\w*\\): ran with the placeholder "internal-ports-placeholder:needs-config:${key}"; it is in the inputs of ${SG} bastion`,
                    ),
                );
            }
            const report = JSON.parse(r.stdout) as JsonReport;
            const ds = report.stacks[0].diagnostics;
            assert.ok(!JSON.stringify(ds).includes("internal-ports-placeholder"), "no finding quotes a placeholder");
            // Only the real world-open rule blocks; the rules built from placeholders are notes naming their keys.
            const blocking = ds.filter((d) => d.level === "mandatory").flatMap((d) => d.items);
            assert.deepEqual(
                blocking.map((i) => [i.messageId, i.rule?.origin, i.data.ports]),
                [["worldOpen", "ingress[2]", "tcp 5432 (postgres)"]],
            );
            // A placeholder among the sources is unset config, named, not "unknown until update".
            assert.match(JSON.stringify(blocking[0].data), /0\.0\.0\.0\/0 and unset config `needs-config:officeCidr`/);
            assert.ok(!JSON.stringify(blocking).includes("unknown until update"));
            const unset = ds
                .filter((d) => d.level === "advisory" && d.policy === "no-world-open-internal-ports")
                .flatMap((d) => d.items)
                .filter((i) => i.messageId === "ruleUnset");
            assert.deepEqual(
                unset.map((i) => [i.rule?.origin, i.data.keys]),
                [
                    ["ingress[0]", "needs-config:officeCidr"],
                    ["ingress[1]", "needs-config:sshPort"],
                    ["ingress[2]", "needs-config:officeCidr"],
                ],
            );
            assert.match(
                ds.find((d) => d.items.some((i) => i.messageId === "ruleUnset"))!.message,
                /ingress\[1\]: needs-config:sshPort/,
                "the note names the key",
            );
            assert.equal(report.stacks[0].warnings.filter((w) => w.startsWith("missing required config")).length, 3);
        });

        it("--quiet hides progress, not warnings", () => {
            const dir = writeProgram(path.join(tmp, "warns"), {
                "Pulumi.yaml": "name: warns\nruntime: nodejs\n",
                "Pulumi.prod.yaml": "config: {}\n",
                "index.js": `const pulumi = require("@pulumi/pulumi");\npulumi.runtime.invoke("aws:ec2/getVpc:getVpc", {});\n`,
            });
            const quiet = cli(["check", dir, "--quiet"]);
            assert.equal(quiet.code, 0, quiet.stderr);
            assert.match(quiet.stderr, /warning: .*no Pulumi\.dev\.yaml for stack "dev" \(stack files here: Pulumi\.prod\.yaml\)/);
            assert.match(quiet.stderr, /warning: .*invoke aws:ec2\/getVpc:getVpc answered with a placeholder/);
            assert.doesNotMatch(quiet.stderr, /loading|policy pack started/);
            assert.match(cli(["check", dir]).stderr, /policy pack started \(pid \d+\)\nloading .*warns/);
        });

        it("a directory of projects with one failing: the others are checked, the failure is in every format, exit 2", () => {
            const dir = path.join(tmp, "projects");
            copyProgram("js-cjs-exports", dir, { as: "good" });
            writeProgram(path.join(dir, "broken"), {
                "Pulumi.yaml": "name: broken\nruntime: nodejs\n",
                "index.js": "throw new Error('no VPC for this region');\n",
            });
            const out = (f: string) => path.join(tmp, `projects.${f}`);
            const r = cli(
                [
                    "check",
                    dir,
                    "--quiet",
                    "--write",
                    `json=${out("json")}`,
                    "--write",
                    `sarif=${out("sarif")}`,
                    "--write",
                    `markdown=${out("md")}`,
                ],
                { env: NO_COLOR },
            );
            assert.equal(r.code, 2, r.stderr);
            assert.match(r.stderr, /the program .*broken failed: no VPC for this region/);
            // text
            assert.match(
                r.stdout,
                /good \(stack dev\):\nPolicies:[\s\S]*\[mandatory\] {2}no-world-open-internal-ports {2}\(aws:ec2\/securityGroup:SecurityGroup: cache\)/,
            );
            assert.match(r.stdout, /broken:\n {4}❗ could not be checked: the program .*broken failed: no VPC for this region/);
            assert.match(r.stdout, /1 input could not be checked, so the check fails\.$/m);
            // json
            const json = JSON.parse(fs.readFileSync(out("json"), "utf8")) as JsonReport;
            assert.deepEqual(
                json.stacks.map((s) => s.project),
                ["js-cjs-exports"],
            );
            assert.equal(json.failures.length, 1);
            assert.match(json.failures[0].input, /broken$/);
            assert.match(json.failures[0].message, /no VPC for this region/);
            assert.equal(json.summary.failed, 1);
            // sarif
            const sarif = JSON.parse(fs.readFileSync(out("sarif"), "utf8")) as SarifLog;
            assert.deepEqual(sarifErrors(sarif), []);
            const failedRun = sarif.runs.find((run) => run.automationDetails.id === "internal-ports/could-not-check/");
            assert.ok(failedRun, "a run of its own for what could not be checked");
            assert.equal(failedRun.invocations[0].executionSuccessful, false);
            assert.equal(failedRun.invocations[0].toolExecutionNotifications[0].level, "error");
            assert.match(
                failedRun.invocations[0].toolExecutionNotifications[0].message.text,
                /could not be checked: the program .*broken failed: no VPC for this region/,
            );
            const goodRun = sarif.runs.find((run) => run.automationDetails.id === "internal-ports/js-cjs-exports/dev/");
            assert.equal(goodRun?.results.length, 1);
            // markdown
            assert.match(
                fs.readFileSync(out("md"), "utf8"),
                /^> ❗ \*\*Could not be checked:\*\* `.*broken`: the program .*broken failed: no VPC for this region \(at .*index\.js:1:7\)$/m,
            );
        });

        it("a monorepo: projects at any depth under the directory are checked, none inside node_modules, hidden directories or another project", () => {
            const repo = path.join(tmp, "monorepo");
            copyProgram("js-cjs-exports", path.join(repo, "stacks", "payments"), { as: "app" });
            copyProgram("js-cjs-exports", repo, { as: "edge" });
            // Each of these would fail the check if it were run.
            const failing = { "Pulumi.yaml": "name: not-a-stack\nruntime: nodejs\n", "index.js": "throw new Error('must not run');\n" };
            for (const hidden of ["node_modules/some-package", ".cache/old", "edge/tests/fixture"])
                writeProgram(path.join(repo, hidden), failing);
            const r = cli(["check", repo, "--quiet", "--format", "json"], { env: NO_COLOR });
            assert.equal(r.code, 1, r.stderr);
            assert.doesNotMatch(r.stderr, /must not run/);
            const report = JSON.parse(r.stdout) as JsonReport;
            assert.deepEqual(
                report.stacks.map((s) => path.relative(repo, s.input)),
                ["edge", path.join("stacks", "payments", "app")],
            );
            assert.equal(report.summary.failed, 0);
        });

        it("--out (or --write) to a path that cannot be written: a clear error before any work", () => {
            const missing = path.join(tmp, "no-such-dir", "report.sarif");
            const r = cli(["check", path.join(ROOT, "examples", "gcp-stack"), "--format", "sarif", "--out", missing]);
            assert.equal(r.code, 2);
            assert.match(
                r.stderr,
                /^internal-ports: --out .*no-such-dir[\\/]report\.sarif: the directory .*no-such-dir does not exist; nothing was checked$/m,
            );
            assert.doesNotMatch(r.stderr, /loading|policy pack started/, "before any work");
            const isDir = cli(["check", path.join(ROOT, "examples", "gcp-stack"), "--write", `json=${tmp}`]);
            assert.equal(isDir.code, 2);
            assert.match(isDir.stderr, /--write .* is a directory; nothing was checked/);
        });

        for (const [signal, code] of [
            ["SIGTERM", 143],
            ["SIGINT", 130],
        ] as const) {
            it(`${signal} ends the check and the policy pack process it started`, async () => {
                const dir = writeProgram(path.join(tmp, `hangs-${signal}`), {
                    "Pulumi.yaml": "name: hangs\nruntime: nodejs\n",
                    "index.js": "module.exports = () => new Promise(() => undefined);\n",
                });
                const child = cliProcess(["check", dir]);
                let stderr = "";
                const pid = await new Promise<number>((resolve, reject) => {
                    const timer = setTimeout(() => reject(new Error(`no pack pid and loading line in: ${stderr}`)), 60000);
                    child.stderr.on("data", (d) => {
                        stderr += d;
                        const m = /policy pack started \(pid (\d+)\)[\s\S]*loading /.exec(stderr);
                        if (m) {
                            clearTimeout(timer);
                            resolve(Number(m[1]));
                        }
                    });
                });
                assert.doesNotThrow(() => process.kill(pid, 0), "the pack runs");
                const exited = new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
                child.kill(signal);
                assert.equal(await exited, code);
                assert.match(stderr, new RegExp(`interrupted \\(${signal}\\)`));
                let alive = true;
                for (let i = 0; i < 50 && alive; i++) {
                    try {
                        process.kill(pid, 0);
                        await new Promise((r) => setTimeout(r, 100));
                    } catch {
                        alive = false;
                    }
                }
                assert.equal(alive, false, `policy pack process ${pid} outlived the check`);
            });
        }

        it("exits 2 with a did-you-mean for an unknown policy name or option in --config, unless --allow-unknown-config", () => {
            const clean = exportFile(path.join(tmp, "clean.json"), [{ name: "https", inputs: internalHttps }]);
            const config = path.join(tmp, "typos.json");
            fs.writeFileSync(
                config,
                JSON.stringify({ "no-world-open-internal-port": "advisory", "documented-ports-only": { reportUnverifable: false } }),
            );
            const r = cli(["check", clean, "--config", config, "--quiet"]);
            assert.equal(r.code, 2, r.stderr);
            assert.equal(r.stdout, "");
            assert.match(
                r.stderr,
                /"no-world-open-internal-port" is not a policy of this pack \(did you mean "no-world-open-internal-ports"\?\)/,
            );
            assert.match(r.stderr, /documented-ports-only has no option "reportUnverifable" \(did you mean "reportUnverifiable"\?\)/);
            assert.match(r.stderr, /--allow-unknown-config/);
            const allowed = cli(["check", clean, "--config", config, "--quiet", "--allow-unknown-config"]);
            assert.equal(allowed.code, 0, allowed.stderr);
            assert.match(
                allowed.stderr,
                /warning: .*typos\.json: "no-world-open-internal-port" is not a policy of this pack .*; it is ignored/,
            );
        });
    });

    describe("GitHub code scanning (SARIF)", () => {
        let repo: string;
        let sarif: SarifLog;
        let stderr: string;
        before(() => {
            repo = tempDir("repo-");
            execFileSync("git", ["init", "-q", repo]);
            copyProgram("shape-vpc-component", path.join(repo, "infra"), { as: "app" });
            exportFile(path.join(repo, "infra", "prod.json"), [
                { name: "cache", inputs: openRedis },
                { name: "db", inputs: fromOutside },
            ]);
            // Run from elsewhere: the paths must not depend on the working directory.
            const r = cli(["check", path.join(repo, "infra"), path.join(repo, "infra", "prod.json"), "--format", "sarif", "--quiet"], {
                cwd: os.tmpdir(),
            });
            assert.equal(r.code, 1, r.stderr);
            sarif = JSON.parse(r.stdout) as SarifLog;
            stderr = r.stderr;
        });

        it("is valid SARIF 2.1.0 (the schema Microsoft publishes, formats included)", () => {
            assert.deepEqual(sarifErrors(sarif), []);
            assert.doesNotMatch(stderr, /not in a git repository/);
        });

        it("gives paths relative to the repository root (%SRCROOT%), whatever the working directory", () => {
            const uris = sarif.runs.flatMap((run) => run.results.map((res) => res.locations[0].physicalLocation.artifactLocation));
            assert.ok(uris.length > 0);
            for (const a of uris) assert.equal(a.uriBaseId, "%SRCROOT%");
            assert.deepEqual([...new Set(uris.map((a) => a.uri))].sort(), ["infra/app/index.ts", "infra/prod.json"]);
            for (const run of sarif.runs)
                assert.deepEqual(run.originalUriBaseIds, { "%SRCROOT%": { uri: `${url.pathToFileURL(repo).href}/` } });
        });

        it("one run per stack, each with its own automationDetails.id, and the tool's version", () => {
            assert.deepEqual(sarif.runs.map((run) => run.automationDetails.id).sort(), [
                "internal-ports/shape-vpc-component/dev/",
                "internal-ports/shop/prod/",
            ]);
            for (const run of sarif.runs) {
                assert.equal(run.tool.driver.name, "internal-ports");
                assert.equal(run.tool.driver.version, VERSION);
            }
        });

        it("rules with help, a helpUri that resolves to the policy's doc in this repository, and a security-severity", () => {
            for (const rule of sarif.runs[0].tool.driver.rules) {
                assert.ok(rule.help.text.length > 40 && rule.help.markdown.includes("**Fix:**"), rule.id);
                const m = /^https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/main\/(docs\/policies\/[a-z-]+\.md)$/.exec(rule.helpUri);
                assert.ok(m, `${rule.id}: ${rule.helpUri}`);
                assert.ok(fs.existsSync(path.join(ROOT, m[1])), `${m[1]} exists`);
                assert.match(rule.properties["security-severity"] ?? "", /^\d+\.\d$/);
            }
        });

        it("a resource made inside a component points at the component's call site, with the line inside it as a related location", () => {
            const run = sarif.runs.find((r) => r.automationDetails.id.includes("shape-vpc-component"))!;
            const index = path.join(repo, "infra", "app", "index.ts");
            const network = path.join(repo, "infra", "app", "network.ts");
            const blocking = run.results.filter((res) => res.level === "error");
            assert.deepEqual(
                blocking.map((res) => res.locations[0].physicalLocation.region.startLine).sort(),
                [lineOf(index, "@use-db"), lineOf(index, "@use-cache")].sort(),
            );
            for (const res of blocking) {
                assert.equal(res.relatedLocations![0].physicalLocation.artifactLocation.uri, "infra/app/network.ts");
                assert.equal(res.relatedLocations![0].physicalLocation.region.startLine, lineOf(network, "@db-sg"));
                assert.match(
                    res.message.text,
                    new RegExp(`created inside a component, at \\[network\\.ts:${lineOf(network, "@db-sg")}\\]\\(1\\)\\.$`),
                );
            }
        });

        it("one result per offending rule, each with that rule's sentence and fix, and a fingerprint of URN, policy and rule that survives line moves", () => {
            const twoOpen = {
                ingress: [openRedis.ingress[0], internalHttps.ingress[0], { ...openRedis.ingress[0], fromPort: 22, toPort: 22 }],
            };
            const file = path.join(repo, "infra", "moves.json");
            const results = () => {
                const r = cli(["check", file, "--format", "sarif", "--quiet"]);
                const doc = JSON.parse(r.stdout) as SarifLog;
                assert.deepEqual(sarifErrors(doc), []);
                return doc.runs[0].results;
            };
            exportFile(file, [{ name: "cache", inputs: twoOpen }]);
            const before = results().filter((res) => res.ruleId === "no-world-open-internal-ports");
            assert.deepEqual(
                before.map((res) => res.properties.rule),
                ["ingress[0]", "ingress[2]"],
                "each offending rule its own alert",
            );
            assert.match(
                before[0].message.text,
                /^aws:ec2\/securityGroup:SecurityGroup cache: ingress\[0\] \(from 0\.0\.0\.0\/0\) lets the whole internet reach tcp 6379 \(redis\)\.\nFix: narrow the security group rule's `cidrBlocks`/,
            );
            assert.doesNotMatch(before[0].message.text, /ingress\[2\]|tcp 22/, "only its own rule");
            assert.match(
                before[1].message.text,
                /ingress\[2\] \(from 0\.0\.0\.0\/0\) lets the whole internet reach tcp 22 \(ssh\)\.\nFix:/,
            );
            const prints = before.map((res) => res.partialFingerprints["internalPortsFinding/v1"]);
            for (const p of prints) assert.match(p, /^[0-9a-f]{32}$/);
            assert.notEqual(prints[0], prints[1]);
            // The resource moves down the file (another resource before it): same alerts, new line.
            exportFile(file, [
                { name: "https", inputs: internalHttps },
                { name: "cache", inputs: twoOpen },
            ]);
            const after = results().filter((res) => res.ruleId === "no-world-open-internal-ports");
            assert.notEqual(
                after[0].locations[0].physicalLocation.region.startLine,
                before[0].locations[0].physicalLocation.region.startLine,
            );
            assert.deepEqual(
                after.map((res) => res.partialFingerprints["internalPortsFinding/v1"]),
                prints,
            );
            // Another resource with the same rules: other alerts.
            exportFile(file, [{ name: "cache2", inputs: twoOpen }]);
            assert.ok(!results().some((res) => prints.includes(res.partialFingerprints["internalPortsFinding/v1"])));
        });

        it("a finding about ports.yaml points at its line there, relative to the repository root, and names the exemption; its fingerprint survives the line moving", () => {
            const registry = path.join(repo, "infra", "ports.yaml");
            const exemption = [...BASTION_EXEMPTION, ""];
            const run = (services: string[]) => {
                fs.writeFileSync(registry, [...services, "knownCidrs: [10.0.0.0/8]", ...exemption].join("\n"));
                const r = cli(["check", path.join(repo, "infra", "prod.json"), "--registry", registry, "--format", "sarif", "--quiet"], {
                    cwd: os.tmpdir(),
                });
                const doc = JSON.parse(r.stdout) as SarifLog;
                assert.deepEqual(sarifErrors(doc), []);
                return doc.runs[0].results.find((res) => res.ruleId === "unused-exemptions")!;
            };
            const res = run(["services:", "  - { name: redis, ports: [6379], protocol: tcp }"]);
            assert.deepEqual(res.locations[0].physicalLocation, {
                artifactLocation: { uri: "infra/ports.yaml", uriBaseId: "%SRCROOT%" },
                region: { startLine: 5 },
            });
            assert.equal(res.locations[0].logicalLocations, undefined, "not a resource");
            assert.match(
                res.message.text,
                /^The exemption on ports\.yaml:5 \(no-world-open-internal-ports for "bastion", active until 2099-03-31\) matches no resource/,
            );
            const moved = run([
                "services:",
                "  - { name: redis, ports: [6379], protocol: tcp }",
                "  - { name: postgres, ports: [5432], protocol: tcp }",
            ]);
            assert.equal(moved.locations[0].physicalLocation.region.startLine, 6);
            assert.equal(moved.partialFingerprints["internalPortsFinding/v1"], res.partialFingerprints["internalPortsFinding/v1"]);
            fs.rmSync(registry);
        });

        it("--sarif-root chooses the root; outside a repository without it, absolute URIs and a warning", () => {
            const r = cli([
                "check",
                path.join(repo, "infra", "prod.json"),
                "--format",
                "sarif",
                "--quiet",
                "--sarif-root",
                path.join(repo, "infra"),
            ]);
            const res = (JSON.parse(r.stdout) as SarifLog).runs[0].results[0];
            assert.deepEqual(res.locations[0].physicalLocation.artifactLocation, { uri: "prod.json", uriBaseId: "%SRCROOT%" });
            const outside = exportFile(path.join(tmp, "outside.json"), [{ name: "cache", inputs: openRedis }]);
            const o = cli(["check", outside, "--format", "sarif", "--quiet"]);
            assert.equal(
                (JSON.parse(o.stdout) as SarifLog).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri,
                url.pathToFileURL(outside).href,
            );
            assert.match(o.stderr, /not in a git repository and no --sarif-root was given/);
            assert.equal(cli(["check", outside, "--sarif-root", path.join(tmp, "nope")]).code, 2);
        });
    });

    describe("reports", () => {
        const rowsOf = (md: string) => md.split("\n").filter((l) => /^\| (❌|⚠️|✅) /.test(l));

        it("markdown: a summary table first, one row per rule with the services it covers and the resource type, blocked rows first, the policy behind each row", () => {
            const file = exportFile(path.join(tmp, "portmap.json"), [
                { name: "wide", inputs: { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["10.0.0.0/8"] }] } },
                { name: "cache", inputs: { ingress: [internalHttps.ingress[0], openRedis.ingress[0]] } },
                { name: "db", inputs: fromOutside },
            ]);
            const r = cli(["check", file, "--format", "markdown", "--quiet"]);
            assert.equal(r.code, 1, r.stderr);
            const md = r.stdout;
            const table = md.indexOf(
                "| stack | verdict | resources | blocked resources | mandatory / advisory findings | inbound rules (from the internet) |",
            );
            assert.ok(table > 0 && table < md.indexOf("\n### "), "the summary table comes before the stacks");
            assert.match(md, /^\| shop \/ prod \| ❌ would block \| 3 \| 2 \| 2 \/ 1 \| 4 \(1\) \|$/m);
            const rows = rowsOf(md);
            assert.equal(rows.length, 4, "one row per rule, however many services or sources it covers");
            assert.deepEqual(
                rows.map((l) => l.split(" | ")[0].slice(2)),
                ["❌ blocked", "❌ blocked", "⚠️ advisory", "✅ allowed"],
            );
            const wide = rows.find((l) => l.includes("`wide`"))!;
            assert.match(
                wide,
                /^\| ❌ blocked \| `wide` \(`aws:ec2\/securityGroup:SecurityGroup`\) \| ingress\[0\] \| tcp\/0-65535 \(all ports\), udp\/0-65535 \(all ports\), icmp\/all types \| ssh, dns, http, .*… and \d+ more, \(undocumented ports\) \| 10\.0\.0\.0\/8 \| documented-ports-only \|$/,
            );
            // cache has a blocked rule and an allowed one: each row names the policy for its own rule.
            assert.match(
                rows.find((l) => l.includes("`cache`") && l.includes("ingress[1]"))!,
                /\| tcp\/6379 \| redis \| 🌐 0\.0\.0\.0\/0 \| no-world-open-internal-ports \|$/,
            );
            assert.match(
                rows.find((l) => l.includes("`cache`") && l.includes("ingress[0]"))!,
                /^\| ✅ allowed .*\| tcp\/443 \| https \| 10\.0\.0\.0\/8 \| - \|$/,
            );
            assert.match(
                rows.find((l) => l.includes("`db`"))!,
                /^\| ⚠️ advisory .*\| 198\.51\.100\.0\/24 \| known-source-cidrs \|$/,
            );
            assert.match(md, /```mermaid\nflowchart LR\n[\s\S]*src\d+\["0\.0\.0\.0\/0 \(internet\)"\][\s\S]*-->\|blocked\| svc/);
        });

        it("markdown fits a GitHub comment: past 65,536 characters the blocked rules and blocking findings come first, with a note naming the file that has the full map", () => {
            const many = Array.from({ length: 300 }, (_, i) => ({
                name: `app-${String(i).padStart(3, "0")}`,
                inputs: {
                    ingress: [
                        openRedis.ingress[0],
                        internalHttps.ingress[0],
                        { ...internalHttps.ingress[0], fromPort: 8080, toPort: 8080 },
                    ],
                },
            }));
            const file = exportFile(path.join(tmp, "many.json"), many);
            const full = path.join(tmp, "many.md");
            const r = cli(["check", file, "--format", "markdown", "--write", `markdown=${full}`, "--quiet"]);
            assert.equal(r.code, 1, r.stderr);
            assert.ok(r.stdout.length <= 65_536, `${r.stdout.length} characters`);
            assert.match(
                r.stdout,
                /^\| shop \/ prod \| ❌ would block \| 300 \| 300 \| 300 \/ 0 \| 900 \(300\) \|$/m,
                "the summary table is whole",
            );
            const shown = rowsOf(r.stdout);
            assert.ok(shown.length > 50 && shown.every((l) => l.startsWith("| ❌ blocked")), "only blocked rows, as many as fit");
            assert.match(r.stdout, /\*\*Blocking findings\*\*|> ✂️/);
            const note = new RegExp(
                `^> ✂️ This port map is longer than a GitHub comment allows: it shows the blocked rules and blocking findings first \\(${shown.length} of 900 rules, \\d+ of 300 findings\\)\\. The full map is in \`${full.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\`\\.$`,
                "m",
            );
            assert.match(r.stdout, note);
            const whole = fs.readFileSync(full, "utf8");
            assert.ok(whole.length > 65_536);
            assert.equal(rowsOf(whole).length, 900, "the file has every row");
            assert.doesNotMatch(whole, /✂️/);
            // Without a markdown file, the note says how to get one.
            assert.match(
                cli(["check", file, "--format", "markdown", "--quiet"]).stdout,
                /Write it to a file \(`--out FILE` or `--write markdown=FILE`\) to see all of it\.$/m,
            );
        });

        it("two inputs with one URN: each stack's map shows its own rules (the pack is restarted when the inputs differ)", () => {
            const a = exportFile(path.join(tmp, "same-a.json"), [{ name: "cache", inputs: openRedis }]);
            const b = exportFile(path.join(tmp, "same-b.json"), [{ name: "cache", inputs: internalHttps }]);
            const r = cli(["check", a, a, b, "--format", "markdown"]);
            assert.equal(r.code, 1, r.stderr);
            const sections = r.stdout.split("\n### ").slice(1).map(rowsOf);
            assert.equal(sections.length, 3);
            assert.match(sections[0].join("\n"), /tcp\/6379 \| redis/);
            assert.deepEqual(sections[1], sections[0], "the same input again: the same map");
            assert.equal(sections[2].length, 1);
            assert.match(sections[2][0], /^\| ✅ allowed .*\| tcp\/443 \| https \|/);
            assert.equal(r.stderr.match(/restarting the policy pack/g)?.length, 1, r.stderr);
        });

        it("json: schemaVersion, every checked resource with its verdict and source location, the findings", () => {
            const file = exportFile(path.join(tmp, "verdicts.json"), [
                { name: "cache", inputs: openRedis },
                { name: "db", inputs: fromOutside },
                { name: "https", inputs: internalHttps },
            ]);
            const r = cli(["check", file, "--format", "json", "--quiet"]);
            const json = JSON.parse(r.stdout) as JsonReport;
            assert.equal(json.schemaVersion, 1);
            const lines = fs.readFileSync(file, "utf8").split("\n");
            const verdicts = json.stacks[0].checkedResources.map((c) => {
                assert.match(lines[c.source!.line - 1], new RegExp(`"urn": "${c.urn.replace(/[$]/g, "\\$")}"`));
                assert.equal(c.source!.file, file);
                return `${c.name}:${c.verdict}`;
            });
            assert.deepEqual(verdicts, ["cache:mandatory", "db:advisory", "https:clean"]);
            assert.ok(json.stacks[0].diagnostics.length >= 2);
            assert.deepEqual(json.failures, []);
        });

        it("text: each finding's file:line; colour on a terminal, never with NO_COLOR or --no-color", () => {
            const dir = copyProgram("js-cjs-exports", tmp, { as: "colours" });
            const plain = cli(["check", dir, "--quiet"], { env: { NO_COLOR: undefined, FORCE_COLOR: undefined } });
            assert.match(
                plain.stdout,
                new RegExp(`^ {10}.*colours[\\\\/]index\\.js:${lineOf(path.join(dir, "index.js"), "cache")}:\\d+$`, "m"),
            );
            assert.ok(!plain.stdout.includes("\x1b["), "no colour when stdout is not a terminal");
            const forced = cli(["check", dir, "--quiet"], { env: { FORCE_COLOR: "1", NO_COLOR: undefined } });
            assert.ok(forced.stdout.includes("\x1b[1m\x1b[31m[mandatory]\x1b[0m"), forced.stdout);
            assert.ok(!cli(["check", dir, "--quiet"], { env: { FORCE_COLOR: "1", NO_COLOR: "1" } }).stdout.includes("\x1b["));
            assert.ok(
                !cli(["check", dir, "--quiet", "--no-color"], { env: { FORCE_COLOR: "1", NO_COLOR: undefined } }).stdout.includes("\x1b["),
            );
            // A real terminal (script(1) gives the command a pty).
            const env = { ...process.env };
            delete env.NO_COLOR;
            delete env.FORCE_COLOR;
            const tty = spawnSync(
                "script",
                ["-qec", `${process.execPath} ${path.join(ROOT, "dist", "cli", "main.js")} check ${dir} --quiet`, "/dev/null"],
                { encoding: "utf8", env },
            );
            assert.ok(tty.stdout.includes("\x1b[31m"), `colour on a terminal: ${tty.stdout.slice(0, 300)}`);
            const ttyNoColor = spawnSync(
                "script",
                ["-qec", `${process.execPath} ${path.join(ROOT, "dist", "cli", "main.js")} check ${dir} --quiet --no-color`, "/dev/null"],
                { encoding: "utf8", env },
            );
            assert.ok(ttyNoColor.stdout.includes("[mandatory]") && !ttyNoColor.stdout.includes("\x1b["));
        });

        it("--fail-on advisory fails on advisory notes; mandatory (the default) does not", () => {
            const file = exportFile(path.join(tmp, "advisory-only.json"), [{ name: "db", inputs: fromOutside }]);
            assert.equal(cli(["check", file, "--quiet"]).code, 0);
            assert.equal(cli(["check", file, "--quiet", "--fail-on", "mandatory"]).code, 0);
            assert.equal(cli(["check", file, "--quiet", "--fail-on", "advisory"]).code, 1);
            const bad = cli(["check", file, "--quiet", "--fail-on", "low"]);
            assert.equal(bad.code, 2);
            assert.match(bad.stderr, /--fail-on must be mandatory or advisory, not "low"/);
        });

        it("--version, --help and `policies`", () => {
            const v = cli(["--version"]);
            assert.equal(v.code, 0);
            assert.equal(v.stdout, `internal-ports ${VERSION}\n`);
            const h = cli(["--help"]);
            assert.equal(h.code, 0);
            for (const flag of [
                "--fail-on",
                "--allow-missing-config",
                "--allow-unknown-config",
                "--sarif-root",
                "--no-color",
                "--write",
                "--version",
            ])
                assert.ok(h.stdout.includes(flag), flag);
            const p = cli(["policies"]);
            assert.equal(p.code, 0);
            const rows = p.stdout.trimEnd().split("\n");
            assert.equal(rows.length, policies.length);
            assert.match(
                rows[0],
                /^no-world-open-internal-ports +mandatory +critical +Inbound rules must not let the whole internet reach/,
            );
            assert.match(p.stdout, /^unused-exemptions +advisory +low +Exemptions in ports\.yaml/m);
            const j = JSON.parse(cli(["policies", "--format", "json"]).stdout) as object[];
            assert.deepEqual(Object.keys(j[0]).sort(), ["defaultLevel", "description", "name", "severity", "url"]);
        });
    });

    describe("npm run check", () => {
        const npmCheck = (args: string[]) => {
            // As a user runs it: not inside this test run's own npm (whose npm_* variables npm would take over).
            const env = { ...process.env };
            for (const k of Object.keys(env)) if (k.startsWith("npm_")) delete env[k];
            return spawnSync("npm", ["run", "check", "--", ...args], { cwd: ROOT, encoding: "utf8", env });
        };

        it("prints nothing but the report on stdout, and does not rebuild when dist/ is current", () => {
            const stamp = path.join(ROOT, "dist", ".build-stamp");
            const before = fs.statSync(stamp).mtimeMs;
            const r = npmCheck([path.join(ROOT, "examples", "gcp-stack"), "--format", "json", "--quiet"]);
            assert.equal(r.status, 1, r.stderr);
            assert.equal((JSON.parse(r.stdout) as JsonReport).schemaVersion, 1, "stdout is the JSON report alone");
            assert.equal(fs.statSync(stamp).mtimeMs, before, "no rebuild");
        });

        it("rebuilds first when a source is newer than dist/", () => {
            const stamp = path.join(ROOT, "dist", ".build-stamp");
            const hourAgo = new Date(Date.now() - 3600_000);
            fs.utimesSync(stamp, hourAgo, hourAgo);
            const r = npmCheck([path.join(ROOT, "examples", "gcp-stack"), "--format", "json", "--quiet"]);
            assert.equal(r.status, 1, r.stderr);
            assert.equal((JSON.parse(r.stdout) as JsonReport).schemaVersion, 1, "the compiler's output is not on stdout either");
            assert.ok(fs.statSync(stamp).mtimeMs > hourAgo.getTime() + 60_000, "dist/ was rebuilt and stamped");
        });
    });
});
