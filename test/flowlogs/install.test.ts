// DuckDB is for the tests and the bench: the enforced pack's production install must not carry it
// (its binary is about 70 MB), and nothing the pack or the command runs may load it.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { PackageJson, PackageLock } from "../documents";

const root = path.resolve(__dirname, "..", "..", "..");

function files(dir: string): string[] {
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe("flowlogs and DuckDB", () => {
    it("@duckdb/node-api is a devDependency, and every @duckdb package in the lock is dev-only", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as PackageJson;
        assert.ok(pkg.devDependencies?.["@duckdb/node-api"]);
        assert.equal(pkg.dependencies?.["@duckdb/node-api"], undefined);
        const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8")) as PackageLock;
        const duck = Object.entries(lock.packages).filter(([k]) => k.includes("node_modules/@duckdb/"));
        assert.ok(duck.length >= 2, "the lock holds the DuckDB packages");
        assert.deepEqual(
            duck.filter(([, v]) => v.dev !== true).map(([k]) => k),
            [],
        );
    });

    it("no compiled file of the pack or the command loads it", () => {
        const shipped = [
            path.join(root, "dist", "index.js"),
            ...files(path.join(root, "dist", "cli")),
            ...files(path.join(root, "dist", "policies")),
        ].filter((f) => f.endsWith(".js"));
        assert.ok(shipped.some((f) => f.endsWith(path.join("cli", "flowlogs", "command.js"))));
        assert.deepEqual(
            shipped.filter((f) => fs.readFileSync(f, "utf8").includes("@duckdb")),
            [],
        );
    });
});
