// Findings as data: one finding per resource and level, items in rule order, lists under a header,
// a cap, each fix once; templates filled from data.
import { strict as assert } from "assert";
import { FindingCollector, formatFinding, listNames, MAX_LISTED_ITEMS, placeholders, render } from "../../policies/kit/findings";
import { NormalisedRule } from "../../policies/model/rules";

const messages = {
    open: "{{rule}} opens {{ports}}.",
    "open.header": "These rules open ports:",
    "open.line": "{{rule}}: {{ports}}",
    note: "{{what}} is unknown.",
    fix: "Fix: narrow {{field}}.",
};
const rule = (origin: string, order?: number) => ({ origin, order }) as unknown as NormalisedRule;

describe("findings", () => {
    it("render fills placeholders and refuses a missing one or an unknown id", () => {
        assert.equal(render(messages, "open", { rule: "ingress[0]", ports: "tcp 22" }), "ingress[0] opens tcp 22.");
        assert.throws(() => render(messages, "open", { rule: "ingress[0]" }), /message open needs \{\{ports\}\}/);
        assert.throws(() => render(messages, "constructor", {}), /unknown message id constructor/);
        assert.deepEqual(placeholders(messages["open.line"]), ["rule", "ports"]);
    });

    it("one item is one sentence; the fix follows once", () => {
        const c = new FindingCollector("p", messages);
        c.add(
            "urn:a",
            false,
            "open",
            { rule: "ingress[0]", ports: "tcp 22" },
            { rule: rule("ingress[0]"), fix: { messageId: "fix", data: { field: "cidrBlocks" } } },
            0,
        );
        const [f] = c.findings();
        assert.equal(f.message, "ingress[0] opens tcp 22.\nFix: narrow cidrBlocks.");
        assert.deepEqual(f.items, [
            { messageId: "open", data: { rule: "ingress[0]", ports: "tcp 22" }, rule: { origin: "ingress[0]" }, fix: "fix" },
        ]);
        assert.deepEqual(f.fixes, [{ messageId: "fix", data: { field: "cidrBlocks" } }]);
    });

    it("items of one resource and level make one finding, listed under their header in rule order", () => {
        const c = new FindingCollector("p", messages);
        const fix = { messageId: "fix", data: { field: "cidrBlocks" } };
        c.add("urn:a", false, "open", { rule: "r300", ports: "tcp 22" }, { rule: rule("r300", 300), fix }, 0);
        c.add("urn:a", true, "note", { what: "ports" }, {}, -1);
        c.add("urn:a", false, "open", { rule: "r100", ports: "tcp 5432" }, { rule: rule("r100", 100), fix }, 1);
        c.add("urn:b", false, "open", { rule: "r1", ports: "tcp 80" }, { rule: rule("r1") }, 0);
        const [a, note, b] = c.findings();
        assert.equal(a.message, "These rules open ports:\n- r100: tcp 5432\n- r300: tcp 22\nFix: narrow cidrBlocks.");
        assert.deepEqual(
            a.items.map((i) => i.rule?.origin),
            ["r100", "r300"],
        );
        assert.equal(a.fixes.length, 1, "the same fix is given once");
        assert.equal(note.advisory, true);
        assert.equal(note.message, "ports is unknown.");
        assert.equal(b.urn, "urn:b");
    });

    it(`lists at most ${MAX_LISTED_ITEMS} items, then counts the rest and names their rules`, () => {
        const c = new FindingCollector("p", messages);
        for (let i = 0; i < 25; i++)
            c.add("urn:a", false, "open", { rule: `ingress[${i}]`, ports: `tcp ${9000 + i}` }, { rule: rule(`ingress[${i}]`) }, i);
        const [f] = c.findings();
        const lines = f.message.split("\n");
        assert.equal(lines.length, 1 + MAX_LISTED_ITEMS + 1);
        assert.equal(lines[MAX_LISTED_ITEMS], "- ingress[9]: tcp 9009");
        assert.equal(
            lines[MAX_LISTED_ITEMS + 1],
            "… and 15 more rules: ingress[10], ingress[11], ingress[12], ingress[13], ingress[14], ingress[15] and 9 more.",
        );
        assert.equal(f.items.length, 25, "the record keeps every item");
    });

    it("a placeholder without data fails when the finding is formed, which runCheck does inside the policy's protection", () => {
        const c = new FindingCollector("p", messages);
        c.add("urn:a", false, "open", { rule: "x" }, {}, 0);
        assert.throws(() => c.findings(), /needs \{\{ports\}\}/);
    });

    it("formatFinding renders items without the collector", () => {
        assert.equal(formatFinding(messages, [{ messageId: "note", data: { what: "x" } }], []), "x is unknown.");
    });

    it('listNames never ends in "and 1 more"', () => {
        assert.equal(listNames(["a"]), "a");
        assert.equal(listNames(["a", "b"]), "a and b");
        assert.equal(listNames(["a", "b", "c", "d", "e", "f"]), "a, b, c, d, e and f");
        assert.equal(listNames(["a", "b", "c", "d", "e", "f", "g"]), "a, b, c, d, e and 2 more");
        assert.equal(listNames(["fd00::/8"], 0), "fd00::/8");
    });
});
