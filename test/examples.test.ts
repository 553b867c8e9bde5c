// The bundled examples are the main job's input: each examples/<name>/expected.json pins exactly
// which of its resources are reported, so an example cannot drift into showing nothing (or all).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ExampleReport, exampleReport, Expected } from "./example-report";

const root = path.resolve(__dirname, "..", "..");
const examplesDir = path.join(root, "examples");
const examples = fs
    .readdirSync(examplesDir)
    .filter((d) => fs.existsSync(path.join(examplesDir, d, "Pulumi.yaml")))
    .sort();

describe("bundled examples (npm start)", function () {
    this.timeout(300000);
    let report: ExampleReport;
    let code: number;

    before(async () => {
        report = await exampleReport();
        code = report.code;
    });

    it("checks every example and exits 1 because they contain mistakes", () => {
        assert.equal(code, 1);
        assert.deepEqual(
            report.stacks.map((s) => path.basename(s.input)),
            examples,
        );
    });

    it("checks an example with its own ports.yaml (documented clients) against it, the others against the pack's", () => {
        for (const s of report.stacks) {
            const own = fs.existsSync(path.join(examplesDir, path.basename(s.input), "ports.yaml"));
            assert.equal(s.registry, own ? `examples/${path.basename(s.input)}/ports.yaml` : "ports.yaml", s.input);
        }
        assert.ok(
            report.stacks.some((s) => s.registry !== "ports.yaml"),
            "at least one example has its own ports.yaml",
        );
    });

    for (const name of examples) {
        it(`${name}: reports exactly what its expected.json (and README) lists`, () => {
            const file = path.join(examplesDir, name, "expected.json");
            assert.ok(fs.existsSync(file), `examples/${name} has no expected.json`);
            const want = JSON.parse(fs.readFileSync(file, "utf8")) as Expected;
            const stack = report.stacks.find((s) => path.basename(s.input) === name)!;
            assert.equal(stack.resources, want.resources);
            assert.deepEqual(stack.diagnostics.map((d) => `${d.level} ${d.policy} ${d.name}`).sort(), [...want.findings].sort());
            assert.ok(
                want.findings.some((f) => f.startsWith("mandatory")),
                "an example shows at least one blocked resource",
            );
            for (const d of stack.diagnostics) assert.match(d.source?.file ?? "", new RegExp(`examples/${name}/index\\.ts$`));
        });
    }
});
