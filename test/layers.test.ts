// The layers import only downward (docs/architecture.md): base → wire → model → adapters →
// analysis → registry → kit → rules → the pack entry; the driver and the local check sit on top.
// Read from the sources' import statements, so a new file cannot slip an upward import in.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";

const root = path.resolve(__dirname, "..", "..");

/** Layers from the bottom; a file belongs to the first whose prefix matches. */
export const LAYERS: readonly { name: string; prefix: string }[] = [
    { name: "base", prefix: "policies/base/" },
    { name: "wire", prefix: "policies/wire/" },
    { name: "model", prefix: "policies/model/" },
    { name: "adapters", prefix: "policies/adapters/" },
    { name: "analysis", prefix: "policies/analysis/" },
    { name: "registry", prefix: "policies/registry/" },
    { name: "kit", prefix: "policies/kit/" },
    { name: "rules", prefix: "policies/rules/" },
    { name: "policies", prefix: "policies/index.ts" },
    { name: "pack", prefix: "index.ts" },
    { name: "driver", prefix: "driver/" },
    { name: "cli", prefix: "cli/" },
];

function layerOf(file: string): number {
    return LAYERS.findIndex((l) => file === l.prefix || file.startsWith(l.prefix));
}

function sources(dir: string): string[] {
    const out: string[] = [];
    const walk = (d: string) => {
        for (const e of fs.readdirSync(path.join(root, d), { withFileTypes: true })) {
            const rel = path.posix.join(d, e.name);
            if (e.isDirectory()) walk(rel);
            else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(rel);
        }
    };
    walk(dir);
    return out;
}

/** Relative imports of a file, resolved to repository paths (with .ts or /index.ts). */
function importsOf(file: string): string[] {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    const specs = [...text.matchAll(/(?:from|import|require)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]);
    return specs.map((s) => {
        const p = path.posix.normalize(path.posix.join(path.posix.dirname(file), s));
        for (const c of [`${p}.ts`, `${p}/index.ts`, p]) if (fs.existsSync(path.join(root, c))) return c;
        return p;
    });
}

describe("layers import only downward", () => {
    const files = ["index.ts", ...sources("policies"), ...sources("driver"), ...sources("cli")];

    it("every source file belongs to a layer", () => {
        assert.deepEqual(
            files.filter((f) => layerOf(f) < 0),
            [],
        );
    });

    it("no import runs upward, and the pack's layers never import the driver, the check, tests, scripts or benchmarks", () => {
        const upward: string[] = [];
        for (const f of files) {
            const mine = layerOf(f);
            for (const target of importsOf(f)) {
                const theirs = layerOf(target);
                if (theirs < 0 && !target.endsWith(".json")) upward.push(`${f} imports ${target} (outside the layers)`);
                else if (theirs > mine) upward.push(`${f} (${LAYERS[mine].name}) imports ${target} (${LAYERS[theirs].name})`);
            }
        }
        assert.deepEqual(upward, []);
    });

    it("a rule imports no other rule", () => {
        const cross = sources("policies/rules").flatMap((f) =>
            importsOf(f)
                .filter((t) => t.startsWith("policies/rules/"))
                .map((t) => `${f} imports ${t}`),
        );
        assert.deepEqual(cross, []);
    });

    it("benchmarks and scripts do not import tests", () => {
        const fromTests = [...sources("bench"), ...sources("scripts")].flatMap((f) =>
            importsOf(f)
                .filter((t) => t.startsWith("test/"))
                .map((t) => `${f} imports ${t}`),
        );
        assert.deepEqual(fromTests, []);
    });
});
