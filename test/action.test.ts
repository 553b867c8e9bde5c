// action.yml, run the way GitHub runs a composite action: its `run` steps as bash scripts in order,
// with GITHUB_ACTION_PATH a fresh copy of this repository (no node_modules, no dist/), the job's
// workspace a git repository holding a Pulumi program, and GITHUB_OUTPUT read between steps. The
// `uses` step (upload-sarif) cannot run here; its inputs are checked. The install step needs the npm
// registry or a warm npm cache.
import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ROOT } from "./cli-helpers";
import { copyProgram, copyRepository, tempDir } from "./program-fixtures";
import { SarifLog } from "./documents";
import { sarifErrors } from "./sarif-schema";

interface Step {
    name: string;
    id?: string;
    if?: string;
    shell?: string;
    run?: string;
    uses?: string;
    with?: Record<string, string>;
    env?: Record<string, string>;
}
interface Action {
    inputs: Record<string, { default?: string; required?: boolean }>;
    runs: { using: string; steps: Step[] };
}
interface Workflow {
    jobs: Record<string, { permissions: Record<string, string>; steps: Step[] }>;
}

const action = parse(fs.readFileSync(path.join(ROOT, "action.yml"), "utf8")) as Action;

/** Replaces the ${{ ... }} expressions this action uses. */
function expand(text: string, inputs: Record<string, string>, outputs: Record<string, Record<string, string>>, actionPath: string): string {
    return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
        let m = /^inputs\.([\w-]+)$/.exec(expr);
        if (m) return inputs[m[1]] ?? "";
        m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr);
        if (m) return outputs[m[1]]?.[m[2]] ?? "";
        if (expr === "github.action_path") return actionPath;
        throw new Error(`expression not understood by this test: ${expr}`);
    });
}

function readOutputs(file: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const line of fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n") : []) {
        const i = line.indexOf("=");
        if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
    }
    return out;
}

interface StepRun {
    step: Step;
    code: number | null;
    stdout: string;
    stderr: string;
    outputs: Record<string, string>;
}

/** Runs the action's steps; returns each step's result (a `uses` step is recorded with code null). */
function runAction(actionPath: string, workspace: string, given: Record<string, string>, skipInstall = false): StepRun[] {
    const inputs: Record<string, string> = {};
    for (const [k, v] of Object.entries(action.inputs)) inputs[k] = v.default ?? "";
    Object.assign(inputs, given);
    const outputs: Record<string, Record<string, string>> = {};
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith("npm_") || k.startsWith("GITHUB_")) delete env[k];
    const runs: StepRun[] = [];
    for (const [i, step] of action.runs.steps.entries()) {
        if (step.uses) {
            runs.push({ step, code: null, stdout: "", stderr: "", outputs: {} });
            continue;
        }
        if (skipInstall && step.id === "install") continue;
        const outputFile = path.join(workspace, "..", `output-${i}`);
        fs.writeFileSync(outputFile, "");
        const stepEnv: NodeJS.ProcessEnv = {
            ...env,
            GITHUB_ACTION_PATH: actionPath,
            GITHUB_WORKSPACE: workspace,
            GITHUB_OUTPUT: outputFile,
        };
        for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = expand(v, inputs, outputs, actionPath);
        assert.equal(step.shell, "bash", `${step.name}: a composite run step needs shell: bash`);
        // GitHub runs `bash --noprofile --norc -eo pipefail {0}`.
        const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", expand(step.run!, inputs, outputs, actionPath)], {
            cwd: workspace,
            env: stepEnv,
            encoding: "utf8",
            timeout: 600000,
        });
        runs.push({ step, code: r.status, stdout: r.stdout, stderr: r.stderr, outputs: readOutputs(outputFile) });
        if (step.id) outputs[step.id] = readOutputs(outputFile);
        if (r.status !== 0) break;
    }
    return runs;
}

describe("action.yml (the composite action, its steps run as GitHub runs them)", function () {
    this.timeout(900000);
    let actionPath: string;
    let workspace: string;
    let first: StepRun[];

    before(() => {
        const base = tempDir("action-");
        actionPath = path.join(base, "action");
        copyRepository(actionPath);
        workspace = path.join(base, "workspace");
        fs.mkdirSync(workspace);
        execFileSync("git", ["init", "-q", workspace]);
        // The job installed its program's dependencies (here: links to this checkout's).
        copyProgram("shape-vpc-component", path.join(workspace, "infra"), { as: "network" });
        copyProgram("js-cjs-exports", path.join(workspace, "infra"), {
            as: "clean",
            files: {
                "rules.js": `"use strict";\nexports.rule = (port) => ({ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/8"] });\n`,
            },
        });
        first = runAction(actionPath, workspace, { paths: "infra/network" });
    });

    it("installs the check the slim way: no provider SDKs, no devDependencies, no TypeScript in the pack's node_modules", () => {
        const install = first[0];
        assert.equal(install.step.id, "install");
        assert.equal(install.code, 0, install.stderr + install.stdout);
        assert.ok(fs.existsSync(path.join(actionPath, "dist", "cli", "main.js")), "dist/ compiled by prepare with check/'s compiler");
        assert.ok(fs.existsSync(path.join(actionPath, "check", "node_modules", "typescript-5", "lib", "typescript.js")));
        for (const absent of ["@pulumi/aws", "@pulumi/kubernetes", "typescript", "typescript-5", "mocha", "fast-check"]) {
            assert.ok(!fs.existsSync(path.join(actionPath, "node_modules", absent)), `${absent} is not installed`);
        }
        assert.ok(fs.existsSync(path.join(actionPath, "node_modules", "@pulumi", "policy")));
    });

    it("runs the check once, writes SARIF with paths from the repository root, and records the exit status", () => {
        const check = first.find((s) => s.step.id === "check")!;
        assert.equal(check.code, 0, "the step itself does not fail: the last step decides");
        assert.match(check.stdout, /\[mandatory\] {2}no-world-open-internal-ports/, "the text report is in the log");
        const sarif = JSON.parse(fs.readFileSync(path.join(workspace, "internal-ports.sarif"), "utf8")) as SarifLog;
        assert.deepEqual(sarifErrors(sarif), []);
        const uris = new Set(sarif.runs.flatMap((r) => r.results.map((res) => res.locations[0].physicalLocation.artifactLocation.uri)));
        assert.deepEqual([...uris], ["infra/network/index.ts"]);
        assert.equal(check.outputs["exit-code"], "1");
    });

    it("uploads the SARIF file with github/codeql-action/upload-sarif when there is one", () => {
        const upload = action.runs.steps.find((s) => s.uses)!;
        assert.match(upload.uses!, /^github\/codeql-action\/upload-sarif@v\d+$/);
        assert.equal(upload.with?.sarif_file, "${{ inputs.sarif-file }}");
        assert.equal(upload.if, "${{ inputs.upload-sarif == 'true' && steps.check.outputs.sarif == 'true' }}");
        assert.equal(first.find((s) => s.step.id === "check")!.outputs.sarif, "true");
        assert.ok(
            first.some((s) => s.step === upload),
            "the upload step comes after the check",
        );
    });

    it("fails the job on a mandatory finding", () => {
        const last = first[first.length - 1];
        assert.equal(last.step.name, "Fail on findings");
        assert.equal(last.code, 1);
        assert.match(last.stdout, /^::error title=internal-ports::findings at the mandatory level or above/m);
    });

    it("passes the job when nothing is at the fail-on level, and fails it (2) when an input could not be checked", () => {
        const clean = runAction(actionPath, workspace, { paths: "infra/clean" }, true);
        assert.equal(clean[clean.length - 1].code, 0, clean.map((s) => s.stdout + s.stderr).join("\n"));
        const missing = runAction(actionPath, workspace, { paths: "infra/clean infra/nope" }, true);
        const last = missing[missing.length - 1];
        assert.equal(last.code, 2);
        assert.match(last.stdout, /::error title=internal-ports::the check could not check everything it was given/);
        const sarif = JSON.parse(fs.readFileSync(path.join(workspace, "internal-ports.sarif"), "utf8")) as SarifLog;
        assert.ok(
            sarif.runs.some((r) => r.invocations[0].executionSuccessful === false),
            "the failure is in the uploaded SARIF",
        );
    });

    it("is the workflow the README documents: the action, security-events: write, and the program's own npm ci", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const block = /### GitHub Actions[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme);
        assert.ok(block, "a yaml workflow under '### GitHub Actions'");
        const workflow = parse(block[1]) as Workflow;
        const job = Object.values(workflow.jobs)[0];
        assert.equal(job.permissions["security-events"], "write");
        const uses = job.steps.map((s) => s.uses).filter((u): u is string => Boolean(u));
        const at = job.steps.findIndex((s) => /internal-ports-policy-pack@/.test(s.uses ?? ""));
        assert.ok(
            job.steps.slice(0, at).some((s) => /^npm ci\b/.test(s.run ?? "")),
            "the program's dependencies are installed before the check",
        );
        assert.ok(
            uses.some((u) => /^internal-ports\/internal-ports-policy-pack@/.test(u)),
            uses.join(", "),
        );
        const step = job.steps.find((s) => /internal-ports-policy-pack@/.test(s.uses ?? ""));
        for (const k of Object.keys(step?.with ?? {})) assert.ok(k in action.inputs, `README passes an input the action has: ${k}`);
    });
});
