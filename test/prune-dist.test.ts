// A clean build: outputs whose source was deleted are removed from dist/, so a deleted test cannot
// keep running and a deleted module cannot still be imported.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain JavaScript that runs before dist/ exists
const { pruneDist } = require("../../scripts/prune-dist.js") as { pruneDist: (root: string) => string[] };

describe("build: stale outputs", () => {
    it("removes outputs without a source, keeps the rest and what the compiler did not write", () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "prune-"));
        const files: Record<string, string> = {
            "test/kept.test.ts": "",
            "policies/a.ts": "",
            "dist/test/kept.test.js": "",
            "dist/test/kept.test.js.map": "",
            "dist/test/deleted.test.js": "",
            "dist/test/deleted.test.js.map": "",
            "dist/policies/a.js": "",
            "dist/policies/a.d.ts": "",
            "dist/policies/gone/b.js": "",
            "dist/policies/gone/b.d.ts": "",
            "dist/policies/gone/b.d.ts.map": "",
            "dist/ports.snapshot.json": "{}",
            "dist/.build-stamp": "",
        };
        for (const [f, text] of Object.entries(files)) {
            fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
            fs.writeFileSync(path.join(root, f), text);
        }
        const removed = pruneDist(root).sort();
        assert.deepEqual(removed, [
            "dist/policies/gone/b.d.ts",
            "dist/policies/gone/b.d.ts.map",
            "dist/policies/gone/b.js",
            "dist/test/deleted.test.js",
            "dist/test/deleted.test.js.map",
        ]);
        assert.ok(!fs.existsSync(path.join(root, "dist/policies/gone")), "an emptied directory goes too");
        for (const kept of [
            "dist/test/kept.test.js",
            "dist/policies/a.js",
            "dist/policies/a.d.ts",
            "dist/ports.snapshot.json",
            "dist/.build-stamp",
        ])
            assert.ok(fs.existsSync(path.join(root, kept)), kept);
        fs.rmSync(root, { recursive: true });
    });
});
