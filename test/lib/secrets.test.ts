// The secret path walk: wire values to plain ones, secret paths recorded, bounded in depth so that a
// pathologically deep input cannot overflow the stack before a policy runs.
import { strict as assert } from "assert";
import { fromWire, MAX_SECRET_DEPTH } from "../../policies/wire/secrets";
import { noWorldOpenInternalPorts } from "../../policies/rules/no-world-open-internal-ports";
import { normalise } from "../../policies/adapters";
import { assertFindings, check, secret, T } from "../helpers";

function nested(depth: number, leaf: unknown, wrap: (v: unknown) => unknown): unknown {
    let v = leaf;
    for (let i = 0; i < depth; i++) v = wrap(v);
    return v;
}

const ssh = { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] };

describe("secrets: fromWire", () => {
    it("unwraps secrets and records their paths", () => {
        const { plain, secrets } = fromWire({ ingress: [{ ...ssh, cidrBlocks: secret(["203.0.113.7/32"]) }], tags: { a: secret("x") } });
        assert.deepEqual(plain, { ingress: [{ ...ssh, cidrBlocks: ["203.0.113.7/32"] }], tags: { a: "x" } });
        assert.deepEqual([...secrets].sort(), ["ingress[0].cidrBlocks", "tags.a"]);
    });

    it("walks 100,000 nested lists without overflowing; the part below the depth limit counts as secret", () => {
        const deep = nested(100_000, secret("S3CRET-deep"), (v) => [v]);
        const { plain, secrets } = fromWire({ ingress: [ssh, deep] });
        // ingress, [1], then [0]s down to the limit.
        const cut = `ingress[1]${"[0]".repeat(MAX_SECRET_DEPTH - 2)}`;
        assert.deepEqual([...secrets], [cut]);
        assert.deepEqual((plain as { ingress: unknown[] }).ingress[0], ssh);
        // The policies still run on it: the readable rule is judged, the deep junk is one note.
        const found = check(noWorldOpenInternalPorts, T.sg, plain);
        assertFindings(found, {
            errors: [["worldOpen", "ingress[0]", { rules: "ingress[0] (from 0.0.0.0/0)", ports: "tcp 22 (ssh)" }]],
            advisories: [["listUnreadable", "ingress[1]", { problem: "ingress[1] is not a rule object" }]],
        });
        for (const f of [...found.mandatory, ...found.advisory]) assert.ok(!JSON.stringify(f).includes("S3CRET"), f.message);
    });

    it("walks 100,000 nested objects, and secrets nested in secrets", () => {
        const deepObjects = fromWire({ tags: nested(100_000, "leaf", (v) => ({ k: v })) });
        assert.deepEqual([...deepObjects.secrets], [`tags${".k".repeat(MAX_SECRET_DEPTH - 1)}`]);
        const wrapped = fromWire({ tags: nested(100_000, "leaf", (v) => secret(v)) });
        assert.deepEqual([...wrapped.secrets], ["tags"]);
    });

    it("ends at the depth limit on a cycle (in-process callers)", () => {
        const loop: Record<string, unknown> = { name: "x" };
        loop.self = loop;
        const { secrets } = fromWire(loop);
        assert.deepEqual([...secrets], [`self${".self".repeat(MAX_SECRET_DEPTH - 1)}`]);
    });

    it("leaves inputs within the limit whole", () => {
        const input = { spec: nested(MAX_SECRET_DEPTH - 2, { port: 5432 }, (v) => ({ n: v })) };
        const { plain, secrets } = fromWire(input);
        assert.deepEqual(plain, input);
        assert.equal(secrets.size, 0);
        assert.ok(normalise(T.sg, plain, secrets));
    });
});
