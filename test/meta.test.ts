// Every policy has its metadata-generated doc (up to date), a table of valid and invalid cases that
// runs in unit and end-to-end tests, and a place in the pack.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { policies } from "../policies";
import { placeholders } from "../policies/kit/findings";
import { COMMON_MESSAGES } from "../policies/kit/wording";
import { docUrl } from "../policies/kit/definition";
import { generated } from "../scripts/docs";
import { casesFor } from "./cases";
import { loadRegistry } from "../policies/registry";
import { check } from "./helpers";

const root = path.join(__dirname, "..", "..");
const shipped = loadRegistry(path.join(root, "ports.yaml"));

describe("every policy is complete", () => {
    for (const def of policies) {
        const name = def.meta.name;
        describe(name, () => {
            it("has a stable kebab-case name and its own source file", () => {
                assert.match(name, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
                assert.ok(fs.existsSync(path.join(root, "policies", "rules", `${name}.ts`)));
            });
            it("has a table of valid and invalid cases", () => {
                const cases = casesFor(name);
                assert.ok(cases.valid.length > 0 && cases.invalid.length > 0);
            });
            for (const ex of def.meta.examples ?? []) {
                it(`doc example ${ex.verdict === "flagged" ? "❌" : "✅"} ${ex.cloud}: ${ex.title} is ${ex.verdict} with the shipped ports.yaml`, () => {
                    const found = check(def, ex.type, ex.props, {}, shipped);
                    assert.equal(found.mandatory.length > 0, ex.verdict === "flagged", JSON.stringify(found));
                });
            }
            it("declares its messages: every id has text, list forms come in pairs, placeholders are names", () => {
                const ids = Object.keys(def.meta.messages);
                assert.ok(ids.length > 0);
                for (const id of ids) {
                    assert.match(id, /^[a-z][A-Za-z]*(\.(header|line))?$/, id);
                    assert.ok(def.meta.messages[id].trim().length > 0, id);
                    assert.ok(!(id in COMMON_MESSAGES), `${id} shadows a shared message`);
                    for (const name of placeholders(def.meta.messages[id])) assert.match(name, /^[a-z][A-Za-z]*$/, `${id}: {{${name}}}`);
                    const [base, form] = id.split(".");
                    if (form) {
                        assert.ok(ids.includes(base), `${id} without ${base}`);
                        assert.ok(ids.includes(`${base}.${form === "header" ? "line" : "header"}`), `${id} without its pair`);
                    }
                }
            });
            it("has metadata for the pack: severity, remediation, doc url", () => {
                assert.ok(def.meta.description.length > 20 && def.meta.rationale.length > 20 && def.meta.remediationSteps.length > 20);
                assert.match(docUrl(name), new RegExp(`/docs/policies/${name}\\.md$`));
            });
        });
    }
    it("docs and the README table are generated and up to date (npm run docs)", () => {
        for (const [file, content] of generated()) {
            assert.ok(fs.existsSync(file), `${path.relative(root, file)} is missing: run npm run docs`);
            assert.equal(fs.readFileSync(file, "utf8"), content, `${path.relative(root, file)} is out of date: run npm run docs`);
        }
    });
    it("policy names are unique", () => {
        assert.equal(new Set(policies.map((p) => p.meta.name)).size, policies.length);
    });
});
