// A project directory with its own ports.yaml beside Pulumi.yaml is checked against it (by `check`,
// `npm start` and `explain`); --registry overrides it for every input; a project's ports.yaml that
// does not load is that input's failure, named with its file and line, and the others are checked.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cli } from "./cli-helpers";
import { copyProgram } from "./program-fixtures";

const OWN = [
    "knownCidrs: [10.0.0.0/8]",
    "services:",
    "  - { name: shared-cache, ports: [6379], protocol: tcp, public: true, owner: cache, description: the shared cache served to the world on purpose }",
    "",
].join("\n");

interface Json {
    stacks: { input: string; registry: string; diagnostics: { policy: string; level: string; name: string }[] }[];
    failures: { input: string; message: string }[];
}

describe("per-project ports.yaml", function () {
    this.timeout(240000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "internal-ports-project-registry-"));
    const plain = copyProgram("js-cjs-exports", tmp, { as: "plain" });
    const own = copyProgram("js-cjs-exports", tmp, { as: "own", files: { "ports.yaml": OWN } });
    const broken = copyProgram("js-cjs-exports", tmp, {
        as: "broken",
        files: { "ports.yaml": "knownCidrs: [10.0.0.0/8]\nservices:\n  - { name: redis, ports: [70000], protocol: tcp }\n" },
    });
    const run = (...args: string[]) => {
        const r = cli(["check", ...args, "--format", "json", "--quiet"]);
        return { code: r.code, json: JSON.parse(r.stdout) as Json, stderr: r.stderr };
    };
    const worldOpen = (s: Json["stacks"][number]) =>
        s.diagnostics.some((d) => d.policy === "no-world-open-internal-ports" && d.level === "mandatory" && d.name === "cache");

    it("judges each project by its own ports.yaml, and the others by the pack's", () => {
        const r = run(plain, own);
        const [p, o] = r.json.stacks;
        assert.equal(p.registry, "ports.yaml");
        assert.ok(worldOpen(p), "6379 is internal in the pack's ports.yaml");
        assert.equal(path.resolve(o.registry), path.join(own, "ports.yaml"));
        assert.ok(!worldOpen(o), "the project's ports.yaml declares the port public");
    });

    it("--registry overrides a project's own ports.yaml", () => {
        const r = run(own, "--registry", path.resolve(__dirname, "..", "..", "ports.yaml"));
        assert.ok(worldOpen(r.json.stacks[0]));
    });

    it("a project's ports.yaml that does not load fails that input (exit 2) with its file and line; the others are checked", () => {
        const r = run(broken, plain);
        assert.equal(r.code, 2);
        assert.deepEqual(
            r.json.stacks.map((s) => path.basename(s.input)),
            ["plain"],
        );
        assert.equal(r.json.failures.length, 1);
        assert.equal(path.basename(r.json.failures[0].input), "broken");
        assert.match(r.json.failures[0].message, /broken\/ports\.yaml:3: services\[0\]/);
    });

    it("explain reads the project's ports.yaml too (its services as --port names)", () => {
        const r = cli(["explain", own, "--from", "internet", "--to", "cache", "--port", "shared-cache", "--quiet"]);
        assert.equal(r.code, 2, "a security group is not a workload; the port name resolved first");
        assert.match(r.stderr, /--to cache: aws:ec2\/securityGroup:SecurityGroup is not a workload/);
        const bad = cli(["explain", plain, "--from", "internet", "--to", "cache", "--port", "shared-cache", "--quiet"]);
        assert.match(bad.stderr, /--port shared-cache: expected a port/, "the pack's ports.yaml has no such service");
    });
});
