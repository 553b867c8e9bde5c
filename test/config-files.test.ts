// The ready-made policy-pack configs under config/ must pass the policies' schemas the way the
// Pulumi CLI validates them before Configure, and must mean what their names say.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { reconcilePolicyPackConfig } from "../driver/config";
import { AnalyzerInfo, PolicyPackConfig } from "../driver/types";
import { policies } from "../policies";
import { configSchemaOf } from "../policies/kit/config";
import { docUrl } from "../policies/kit/definition";

const root = path.resolve(__dirname, "..", "..");
const files = fs
    .readdirSync(path.join(root, "config"))
    .filter((f) => f.endsWith(".json"))
    .sort();

/** What GetAnalyzerInfo returns for this pack, built from the same metadata. */
const info: AnalyzerInfo = {
    name: "internal-ports",
    displayName: "internal-ports",
    version: "0.0.0",
    supportsConfig: true,
    initialConfig: {},
    policies: policies.map((p) => ({
        name: p.meta.name,
        displayName: p.meta.name,
        description: p.meta.description,
        enforcementLevel: p.meta.defaultLevel,
        configSchema: { properties: configSchemaOf(p.meta) },
        severity: p.meta.severity,
        url: docUrl(p.meta.name),
    })),
};

describe("ready-made configs (config/)", () => {
    it("include the staged-rollout set", () => {
        for (const f of ["advisory.json", "strict.json", "recommended.json"]) assert.ok(files.includes(f), `config/${f} is missing`);
    });
    for (const file of files) {
        it(`${file} passes every policy's schema`, () => {
            const config = JSON.parse(fs.readFileSync(path.join(root, "config", file), "utf8")) as PolicyPackConfig;
            for (const key of Object.keys(config))
                assert.ok(key === "all" || policies.some((p) => p.meta.name === key), `${file}: ${key} is not a policy`);
            reconcilePolicyPackConfig(info, config);
        });
    }
    it("advisory.json blocks nothing", () => {
        const wire = reconcilePolicyPackConfig(
            info,
            JSON.parse(fs.readFileSync(path.join(root, "config", "advisory.json"), "utf8")) as PolicyPackConfig,
        );
        assert.deepEqual([...new Set(Object.values(wire).map((w) => w.enforcementLevel))], ["advisory"]);
    });
    it("strict.json makes every blocking policy mandatory", () => {
        const wire = reconcilePolicyPackConfig(
            info,
            JSON.parse(fs.readFileSync(path.join(root, "config", "strict.json"), "utf8")) as PolicyPackConfig,
        );
        for (const p of policies.filter((x) => x.meta.name !== "unused-exemptions"))
            assert.equal(wire[p.meta.name].enforcementLevel, "mandatory", p.meta.name);
    });
    it("a wrong option value is rejected as the CLI would", () => {
        assert.throws(
            () => reconcilePolicyPackConfig(info, { "internal-egress-destinations": { defaultEgress: "sometimes" } }),
            /defaultEgress/,
        );
    });
});
