// The bundled examples are the main job's input: pin exactly which of their resources are blocked,
// so an example cannot drift into showing nothing (or everything).
import { strict as assert } from "assert";
import * as path from "path";
import { main } from "../cli/main";

const root = path.resolve(__dirname, "..", "..");

const expected: Record<string, { resources: number; findings: string[] }> = {
    "aws-web-stack": {
        resources: 23,
        findings: [
            "mandatory no-world-open-internal-ports bastion-sg",
            "mandatory no-world-open-internal-ports debug-redis",
            "mandatory no-world-open-internal-ports metrics-sg",
            "mandatory documented-ports-only legacy-sg",
            "mandatory documented-ports-only metrics-sg",
            "mandatory documented-ports-only metrics-sg",
            "advisory no-world-open-internal-ports public-nacl",
        ],
    },
    "azure-native-stack": {
        resources: 8,
        findings: [
            "mandatory no-world-open-internal-ports mgmt-nsg",
            "mandatory no-world-open-internal-ports allow-ssh-any",
            "mandatory no-world-open-internal-ports cache-nsg",
            "mandatory documented-ports-only app-nsg",
        ],
    },
};

describe("bundled examples (npm start)", function () {
    this.timeout(180000);
    let report: { stacks: { input: string; resources: number; diagnostics: { level: string; policy: string; name: string; source?: { file: string } }[] }[] };
    let code: number;

    before(async () => {
        const cwd = process.cwd();
        process.chdir(root);
        try {
            const r = await main(["check", "examples", "--format", "json", "--quiet"], () => undefined);
            code = r.code;
            report = JSON.parse(r.stdout);
        } finally {
            process.chdir(cwd);
        }
    });

    it("checks every example and exits 1 because they contain mistakes", () => {
        assert.equal(code, 1);
        assert.deepEqual(report.stacks.map((s) => path.basename(s.input)), Object.keys(expected));
    });

    for (const [name, want] of Object.entries(expected)) {
        it(`${name}: blocks exactly the resources its README lists`, () => {
            const stack = report.stacks.find((s) => path.basename(s.input) === name)!;
            assert.equal(stack.resources, want.resources);
            const got = stack.diagnostics.map((d) => `${d.level} ${d.policy} ${d.name}`).sort();
            assert.deepEqual(got, [...want.findings].sort());
            for (const d of stack.diagnostics) assert.match(d.source?.file ?? "", new RegExp(`examples/${name}/index\\.ts$`));
        });
    }
});
