// Real program shapes through the command as a user runs it (`internal-ports check <dir>`, a
// spawned process): every tsconfig target and module setting, ES module and JavaScript programs,
// circular imports, tsconfig mistakes, and small programs written in the shapes public Pulumi
// programs have (test/fixtures/programs/shape-*).
import { strict as assert } from "assert";
import * as path from "path";
import { loadInput } from "../cli/inputs";
import { cli as runCheck } from "./cli-helpers";
import { copyProgram, lineOf, tempDir } from "./program-fixtures";

interface Item {
    messageId: string;
    data: Record<string, string | number>;
    rule?: { origin: string };
}
interface Diagnostic {
    policy: string;
    level: string;
    name: string;
    message: string;
    items: Item[];
    source?: { file: string; line: number };
    definedAt?: { file: string; line: number };
}
interface Stack {
    input: string;
    project: string;
    stack: string;
    resources: number;
    diagnostics: Diagnostic[];
}

function checkJson(args: string[], opts: { cwd?: string } = {}): { code: number | null; stderr: string; stacks: Map<string, Stack> } {
    const r = runCheck(["check", ...args, "--format", "json", "--quiet"], opts);
    let report: { stacks: Stack[] };
    try {
        report = JSON.parse(r.stdout) as typeof report;
    } catch {
        assert.fail(`no JSON report (exit ${r.code}):\n${r.stderr}\n${r.stdout.slice(0, 2000)}`);
    }
    return { code: r.code, stderr: r.stderr, stacks: new Map(report.stacks.map((s) => [path.basename(s.input), s])) };
}

function finding(stack: Stack | undefined, policy: string, name: string): Diagnostic {
    assert.ok(stack, "no such stack in the report");
    const d = stack.diagnostics.find((x) => x.policy === policy && x.name === name);
    assert.ok(d, `no ${policy} finding for ${name}; found: ${stack.diagnostics.map((x) => `${x.policy}:${x.name}`).join(", ")}`);
    return d;
}

/** The finding's items as [message id, rule, ports], for the world-open and undocumented findings these programs have. */
function opened(d: Diagnostic): [string, string | undefined, string | number | undefined][] {
    return d.items.map((i) => [i.messageId, i.rule?.origin, i.data.ports]);
}

function at(loc: { file: string; line: number } | undefined): string {
    assert.ok(loc, "no location");
    return `${path.basename(loc.file)}:${loc.line}`;
}

const TARGETS = ["ES5", "ES2015", "ES2016", "ES2017", "ES2018", "ES2019", "ES2020", "ES2021", "ES2022", "ES2023", "ES2024", "ESNext"];

describe("programs of every shape (internal-ports check <dir>)", function () {
    this.timeout(240000);

    it("runs a component program for every tsconfig target from ES5 to ESNext, with the compiler the check ships", () => {
        const dir = tempDir("targets-");
        for (const target of TARGETS) {
            copyProgram("ts-component", dir, {
                as: `target-${target.toLowerCase()}`,
                files: {
                    "tsconfig.json": JSON.stringify({ compilerOptions: { target, module: "commonjs", strict: true } }),
                    // A compiler of the program's own, which must not be used (as Pulumi's vendored 3.8 was, which cannot read ES2022).
                    "node_modules/typescript/package.json": JSON.stringify({ name: "typescript", version: "3.8.3", main: "index.js" }),
                    "node_modules/typescript/index.js": 'throw new Error("the program\'s own typescript was loaded");\n',
                },
            });
        }
        const r = checkJson([dir]);
        assert.equal(r.code, 1, r.stderr);
        assert.deepEqual([...r.stacks.keys()].sort(), TARGETS.map((t) => `target-${t.toLowerCase()}`).sort());
        for (const target of TARGETS) {
            const name = `target-${target.toLowerCase()}`;
            const stack = r.stacks.get(name)!;
            assert.equal(stack.resources, 2, `${target}: the component and its security group`);
            const d = finding(stack, "no-world-open-internal-ports", "app-db");
            assert.equal(d.level, "mandatory");
            assert.deepEqual(opened(d), [["worldOpen", "ingress[0]", "tcp 5432 (postgres)"]], target);
            const index = path.join(dir, name, "index.ts");
            assert.equal(at(d.source), `index.ts:${lineOf(index, "@outer")}`, `${target}: the component's call site`);
            assert.equal(
                at(d.definedAt),
                `network.ts:${lineOf(path.join(dir, name, "network.ts"), "@inner")}`,
                `${target}: the line inside the component`,
            );
        }
    });

    it("honours the declared target's class field semantics (useDefineForClassFields from ES2022 on), as tsc does", async () => {
        const dir = tempDir("fields-");
        const description = async (target: string) => {
            const p = copyProgram("ts-component", dir, {
                as: target,
                files: { "tsconfig.json": JSON.stringify({ compilerOptions: { target } }) },
            });
            const s = await loadInput(p);
            return s.resources.find((r) => r.name === "app-db")?.properties.description;
        };
        assert.equal(await description("ES2021"), "office 198.51.100.0/24");
        assert.equal(await description("ES2022"), "office undefined", "the redeclared field is defined (as undefined) after super()");
        assert.equal(await description("ESNext"), "office undefined");
    });

    it("runs module CommonJS, Node16 and NodeNext programs, and NodeNext ES module programs", () => {
        const dir = tempDir("modules-");
        const variants: Record<string, Record<string, string>> = {
            commonjs: {
                "tsconfig.json": JSON.stringify({ compilerOptions: { target: "ES2020", module: "commonjs", moduleResolution: "node" } }),
            },
            node16: {
                "tsconfig.json": JSON.stringify({ compilerOptions: { target: "ES2022", module: "node16", moduleResolution: "node16" } }),
            },
            nodenext: { "tsconfig.json": JSON.stringify({ compilerOptions: { target: "ES2022", module: "nodenext" } }) },
            "nodenext-esm": {
                "tsconfig.json": JSON.stringify({ compilerOptions: { target: "ES2022", module: "nodenext", verbatimModuleSyntax: true } }),
                "package.json": JSON.stringify({ name: "nodenext-esm", type: "module" }),
            },
        };
        for (const [name, files] of Object.entries(variants)) copyProgram("ts-component", dir, { as: name, files });
        const r = checkJson([dir]);
        assert.equal(r.code, 1, r.stderr);
        for (const name of Object.keys(variants)) {
            const d = finding(r.stacks.get(name), "no-world-open-internal-ports", "app-db");
            assert.equal(at(d.source), `index.ts:${lineOf(path.join(dir, name, "index.ts"), "@outer")}`, name);
            assert.equal(at(d.definedAt), `network.ts:${lineOf(path.join(dir, name, "network.ts"), "@inner")}`, name);
        }
    });

    it("runs .mts entry points with top-level await, JavaScript programs (CommonJS exports.x, ES modules) and circular imports", () => {
        const dir = tempDir("shapes-");
        for (const name of ["esm-mts", "js-cjs-exports", "js-esm", "circular"]) copyProgram(name, dir);
        copyProgram("circular", dir, {
            as: "circular-esm",
            files: { "package.json": JSON.stringify({ name: "circular-esm", type: "module" }) },
        });
        const r = checkJson([dir]);
        assert.equal(r.code, 1, r.stderr);
        const mts = finding(r.stacks.get("esm-mts"), "no-world-open-internal-ports", "web-use1-az1");
        assert.equal(at(mts.source), `index.mts:${lineOf(path.join(dir, "esm-mts", "index.mts"), "@call")}`);
        assert.equal(at(mts.definedAt), `firewall.mts:${lineOf(path.join(dir, "esm-mts", "firewall.mts"), "@make")}`);
        assert.deepEqual(opened(finding(r.stacks.get("js-cjs-exports"), "no-world-open-internal-ports", "cache")), [
            ["worldOpen", "ingress[0]", "tcp 6379 (redis)"],
        ]);
        assert.deepEqual(opened(finding(r.stacks.get("js-esm"), "no-world-open-internal-ports", "rdp")), [
            ["worldOpen", "ingress[0]", "tcp 3389 (rdp)"],
        ]);
        for (const name of ["circular", "circular-esm"]) {
            const stack = r.stacks.get(name)!;
            assert.equal(stack.resources, 2, name);
            assert.deepEqual(
                stack.diagnostics.filter((d) => d.level === "mandatory").map((d) => d.name),
                ["sg-b"],
                `${name}: only the world-open group`,
            );
        }
    });

    it("locates a resource made at the top level of an imported module at its own line, not at the entry's import, as CommonJS and as ES modules", () => {
        const dir = tempDir("module-top-");
        copyProgram("module-resources", dir);
        copyProgram("module-resources", dir, {
            as: "module-resources-esm",
            files: { "package.json": JSON.stringify({ name: "module-resources-esm", type: "module" }) },
        });
        const r = checkJson([dir]);
        assert.equal(r.code, 1, r.stderr);
        for (const name of ["module-resources", "module-resources-esm"]) {
            const p = path.join(dir, name);
            const db = finding(r.stacks.get(name), "no-world-open-internal-ports", "db");
            assert.equal(at(db.source), `network.ts:${lineOf(path.join(p, "network.ts"), "@db")}`, name);
            assert.equal(db.definedAt, undefined, `${name}: made at the top level of its module, one location`);
            const cache = finding(r.stacks.get(name), "no-world-open-internal-ports", "cache");
            assert.equal(at(cache.source), `web.ts:${lineOf(path.join(p, "web.ts"), "@call")}`, name);
            assert.equal(at(cache.definedAt), `groups.ts:${lineOf(path.join(p, "groups.ts"), "@inner")}`, name);
        }
    });

    it("reports a tsconfig option the compiler cannot read, with the file and line, instead of dropping it", () => {
        const dir = tempDir("tsconfig-");
        const cases: Record<string, { files: Record<string, string>; expect: RegExp }> = {
            "bad-target": {
                files: { "tsconfig.json": `{\n  "compilerOptions": {\n    "strict": true,\n    "target": "ES2099"\n  }\n}\n` },
                expect: /tsconfig\.json:4:15: Argument for '--target' option must be: 'es5', .*'esnext'\. \(TS6046\)/,
            },
            "unknown-option": {
                files: { "tsconfig.json": `{ "compilerOptions": { "targt": "ES2022" } }` },
                expect: /tsconfig\.json:1:24: Unknown compiler option 'targt'\. Did you mean 'target'\? \(TS5025\)/,
            },
            "bad-extends": {
                files: {
                    "tsconfig.json": `{ "extends": "./tsconfig.base.json", "compilerOptions": { "strict": true } }`,
                    "tsconfig.base.json": `{\n  "compilerOptions": { "module": "amd2" }\n}\n`,
                },
                expect: /tsconfig\.base\.json:2:34: Argument for '--module' option must be: .* \(TS6046\)/,
            },
            "missing-extends": {
                files: { "tsconfig.json": `{ "extends": "@tsconfig/node99/tsconfig.json" }` },
                expect: /tsconfig\.json:1:14: File '@tsconfig\/node99\/tsconfig\.json' not found\. \(TS6053\)/,
            },
            "missing-runtime-tsconfig": {
                files: {
                    "Pulumi.yaml":
                        "name: missing-runtime-tsconfig\nruntime:\n  name: nodejs\n  options:\n    tsconfig: tsconfig.pulumi.json\n",
                },
                expect: /tsconfig\.pulumi\.json: no such file; Pulumi\.yaml names it in runtime\.options\.tsconfig/,
            },
        };
        for (const [name, c] of Object.entries(cases)) {
            const p = copyProgram("ts-component", dir, { as: name, files: c.files });
            const r = runCheck(["check", p, "--quiet"]);
            assert.equal(r.code, 2, `${name}: ${r.stderr}`);
            assert.match(r.stderr, c.expect, name);
            assert.doesNotMatch(r.stderr, /\n\s+at .*:\d+:\d+\)?\n/, `${name}: no stack trace`);
        }
    });

    it("reads tsconfig `extends` (the base's target applies) and Pulumi.yaml runtime.options.tsconfig", async () => {
        const dir = tempDir("extends-");
        const extended = copyProgram("ts-component", dir, {
            as: "extended",
            files: {
                "tsconfig.json": `{ "extends": "./base/tsconfig.json" }`,
                "base/tsconfig.json": `{ "compilerOptions": { "target": "ES2022" } }`,
            },
        });
        const named = copyProgram("ts-component", dir, {
            as: "named",
            files: {
                "Pulumi.yaml": "name: named\nruntime:\n  name: nodejs\n  options:\n    tsconfig: tsconfig.pulumi.json\n",
                "tsconfig.json": `{ "compilerOptions": { "target": "ES2099" } }`,
                "tsconfig.pulumi.json": `{ "compilerOptions": { "target": "ES2022" } }`,
            },
        });
        for (const p of [extended, named]) {
            const s = await loadInput(p);
            assert.equal(s.resources.find((r) => r.name === "app-db")?.properties.description, "office undefined", p);
        }
    });

    it("reports a syntax error in an ES module file at its TypeScript line", () => {
        const dir = tempDir("esm-syntax-");
        const p = copyProgram("esm-mts", dir, { files: { "firewall.mts": "export const x: number = ;\n" } });
        const r = runCheck(["check", p, "--quiet"]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /the program .*esm-mts failed: TS1109: Expression expected\. \(at .*esm-mts[\\/]firewall\.mts:1:26\)/);
    });

    describe("programs in the shapes public Pulumi programs are written in", () => {
        let dir: string;
        let r: ReturnType<typeof checkJson>;
        before(() => {
            dir = tempDir("public-shapes-");
            for (const name of [
                "shape-vpc-component",
                "shape-guestbook",
                "shape-stack-secrets",
                "shape-gcp-multi-nic",
                "shape-k8s-yaml",
                "shape-helm-v3",
            ])
                copyProgram(name, dir);
            copyProgram("shape-esm-awsx", dir, { packages: ["@pulumi/awsx"] });
            r = checkJson([dir, "--stack", "staging"]);
        });

        it("checks every one of them and fails on their world-open internal ports", () => {
            assert.equal(r.code, 1, r.stderr);
            assert.deepEqual([...r.stacks.keys()].sort(), [
                "shape-esm-awsx",
                "shape-gcp-multi-nic",
                "shape-guestbook",
                "shape-helm-v3",
                "shape-k8s-yaml",
                "shape-stack-secrets",
                "shape-vpc-component",
            ]);
        });

        it("multi-file component (ES2022, module nodenext, no typescript of its own): each use of the component is its own location", () => {
            const stack = r.stacks.get("shape-vpc-component")!;
            assert.equal(stack.resources, 10, "2 components, 2 VPCs, 4 subnets (invoke results indexed per zone), 2 security groups");
            const index = path.join(dir, "shape-vpc-component", "index.ts");
            const db = finding(stack, "no-world-open-internal-ports", "shop-db-db-sg");
            const cache = finding(stack, "no-world-open-internal-ports", "shop-cache-db-sg");
            assert.deepEqual(
                opened(db).map(([id, , ports]) => [id, ports]),
                [["worldOpen", "tcp 3306 (mysql)"]],
            );
            assert.deepEqual(
                opened(cache).map(([id, , ports]) => [id, ports]),
                [["worldOpen", "tcp 6379 (redis)"]],
            );
            assert.equal(at(db.source), `index.ts:${lineOf(index, "@use-db")}`);
            assert.equal(at(cache.source), `index.ts:${lineOf(index, "@use-cache")}`);
            const inner = `network.ts:${lineOf(path.join(dir, "shape-vpc-component", "network.ts"), "@db-sg")}`;
            assert.equal(at(db.definedAt), inner);
            assert.equal(at(cache.definedAt), inner);
        });

        it("ES module program with awsx components: says their children are not checked, checks the rest", () => {
            const stack = r.stacks.get("shape-esm-awsx")!;
            const d = finding(stack, "no-world-open-internal-ports", "bastion-use1-az1");
            assert.equal(at(d.source), `index.ts:${lineOf(path.join(dir, "shape-esm-awsx", "src", "index.ts"), "@bastion")}`);
            assert.match(
                r.stderr,
                /awsx:ec2:Vpc is a multi-language component: the resources inside it are created by its provider plugin/,
            );
            assert.match(r.stderr, /awsx:lb:ApplicationLoadBalancer is a multi-language component/);
        });

        it("Kubernetes component classes: a LoadBalancer Service opening redis to the world", () => {
            const stack = r.stacks.get("shape-guestbook")!;
            const d = finding(stack, "no-world-open-internal-ports", "redis-leader");
            assert.deepEqual(opened(d), [["worldOpen", "spec.ports[0]", "tcp 6379 (redis)"]]);
            // The wording, once: the Service's own control is named.
            assert.match(
                d.message,
                /^spec\.ports\[0\] \(from anywhere: no loadBalancerSourceRanges\) lets the whole internet reach tcp 6379 \(redis\)\.\nFix: .*`spec\.loadBalancerSourceRanges`/,
            );
            assert.equal(at(d.source), `index.ts:${lineOf(path.join(dir, "shape-guestbook", "index.ts"), "@redis")}`);
            assert.equal(at(d.definedAt), `k8sjs.ts:${lineOf(path.join(dir, "shape-guestbook", "k8sjs.ts"), "@service")}`);
            assert.ok(
                !stack.diagnostics.some((x) => x.name === "redis-replica" && x.level === "mandatory"),
                "a ClusterIP service opens nothing",
            );
        });

        it("k8s.yaml.ConfigFile and ConfigGroup (v1): the manifests' objects are checked, public load balancers to internal ports found", () => {
            const stack = r.stacks.get("shape-k8s-yaml")!;
            assert.equal(stack.resources, 7, "ConfigFile, ConfigGroup and its file's ConfigFile, 2 Deployments, 2 Services");
            const metrics = finding(stack, "no-internet-path-to-internal-ports", "metrics");
            assert.equal(metrics.level, "mandatory");
            assert.match(
                metrics.message,
                /internet → LoadBalancer Service `metrics` \(tcp 80 → 9090, from anywhere: no loadBalancerSourceRanges\) → `metrics`/,
            );
            // The Deployment from the group's file, the Service from its YAML string.
            const cache = finding(stack, "no-internet-path-to-internal-ports", "cache");
            assert.match(cache.message, /internet → LoadBalancer Service `cache-public` \(tcp 443 → 6379, /);
            assert.doesNotMatch(r.stderr, /kubernetes:yaml:decode/, "decoded, not answered with a placeholder");
        });

        it("k8s.helm.v3.Release and Chart: a warning for each, as the chart's resources are rendered out of the check's sight", () => {
            const stack = r.stacks.get("shape-helm-v3")!;
            assert.equal(stack.resources, 3, "the Namespace, the Release and the Chart component");
            assert.match(
                r.stderr,
                /shape-helm-v3: kubernetes:helm\.sh\/v3:Release redis: Helm renders and installs the chart in the cluster, so its resources are not checked, .*k8s\.helm\.v4\.Chart/,
            );
            assert.match(
                r.stderr,
                /shape-helm-v3: kubernetes:helm\.sh\/v3:Chart ingress: the Kubernetes provider renders its resources \(the invoke kubernetes:helm:template, answered here with a placeholder\), so they are not checked; check a `pulumi preview --json` file/,
            );
        });

        it("stack name in resource names, a secret and structured values from stack config", () => {
            const stack = r.stacks.get("shape-stack-secrets")!;
            assert.equal(stack.stack, "staging");
            const d = finding(stack, "known-source-cidrs", "db-staging");
            assert.deepEqual(
                d.items.map((i) => [i.messageId, i.rule?.origin, i.data.sources]),
                [["outside", "ingress[0]", "198.51.100.0/24 and 203.0.113.0/24"]],
                "the sources come from stack config",
            );
            assert.match(String(d.items[0].data.where), /^tcp 5432 \(postgres\), outside knownCidrs/);
            assert.match(r.stderr, /encrypted config value\(s\) shape-stack-secrets:dbPassword cannot be decrypted here/);
            assert.ok(!JSON.stringify([...r.stacks.values()]).includes("AAABAKd1"), "no ciphertext in the report");
        });

        it("ES module component classes in components/ (GCP firewalls)", () => {
            const stack = r.stacks.get("shape-gcp-multi-nic")!;
            const d = finding(stack, "no-world-open-internal-ports", "vpc-1-allow-ssh");
            assert.equal(at(d.source), `index.ts:${lineOf(path.join(dir, "shape-gcp-multi-nic", "index.ts"), "@vpc-1")}`);
            assert.equal(
                at(d.definedAt),
                `vpcNetwork.ts:${lineOf(path.join(dir, "shape-gcp-multi-nic", "components", "vpcNetwork.ts"), "@ssh")}`,
            );
            assert.ok(
                !stack.diagnostics.some((x) => x.name === "vpc-2-allow-ssh" && x.level === "mandatory"),
                "SSH from the other subnet is not the world",
            );
        });
    });
});
