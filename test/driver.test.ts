// Tests for driver/analyzer-client.ts against tiny fixture packs created at test time.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";

import {
    PolicyPackConfigError,
    PolicyPackProcess,
    PolicyPackRpcError,
    PolicyPackStartError,
    SECRET_SIG_KEY,
    UNKNOWN,
    defaultUrn,
    reconcilePolicyPackConfig,
    secret,
} from "../driver/analyzer-client";

// test/ compiles to dist/test/, so the project's node_modules is two levels up.
const NODE_MODULES = path.resolve(__dirname, "..", "..", "node_modules");

const FIXTURE_INDEX = `
const { PolicyPack } = require("@pulumi/policy");
new PolicyPack("fixture", {
    policies: [
        {
            name: "always-warn",
            description: "d",
            enforcementLevel: "advisory",
            configSchema: { properties: { limit: { type: "number", default: 3 } } },
            validateResource: (args, report) => report("saw " + args.type + " limit=" + args.getConfig().limit),
        },
        {
            name: "stack-count",
            description: "s",
            enforcementLevel: "mandatory",
            validateStack: (args, report) => report("count=" + args.resources.length),
        },
    ],
});
`;

const tmpDirs: string[] = [];

function makePack(indexJs: string, opts: { nodeModules?: boolean } = {}): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "driver-fixture-"));
    tmpDirs.push(dir);
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "fixture", version: "1.2.3", main: "index.js" }, null, 2));
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    fs.writeFileSync(path.join(dir, "index.js"), indexJs);
    if (opts.nodeModules !== false) {
        fs.symlinkSync(NODE_MODULES, path.join(dir, "node_modules"), "dir");
    }
    return dir;
}

describe("driver/analyzer-client", function () {
    let packDir: string;
    let pack: PolicyPackProcess;
    let startMs: number;
    // A fake "engine": counts connections to prove the pack never dials the engine address.
    let engine: net.Server;
    let engineConnections = 0;

    before(async function () {
        engine = net.createServer((sock) => {
            engineConnections++;
            sock.destroy();
        });
        await new Promise<void>((resolve) => engine.listen(0, "127.0.0.1", resolve));
        const engineAddress = `127.0.0.1:${(engine.address() as net.AddressInfo).port}`;

        packDir = makePack(FIXTURE_INDEX);
        const t0 = Date.now();
        pack = await PolicyPackProcess.start(packDir, { engineAddress });
        startMs = Date.now() - t0;
    });

    after(async function () {
        await pack?.stop();
        await new Promise<void>((resolve) => engine.close(() => resolve()));
        for (const d of tmpDirs) {
            fs.rmSync(d, { recursive: true, force: true });
        }
    });

    it("starts the pack and reads its port from stdout", function () {
        assert.ok(Number.isInteger(pack.port) && pack.port > 0 && pack.port < 65536, `port ${pack.port}`);
        assert.equal(pack.hasExited, false);
        // Visible with --reporter spec; useful when tuning timeouts.
        console.log(`      (pack start took ${startMs} ms)`);
    });

    it("getAnalyzerInfo returns the pack name, version, policies, levels and config schema", async function () {
        const info = await pack.getAnalyzerInfo();
        assert.equal(info.name, "fixture");
        assert.equal(info.version, "1.2.3");
        assert.equal(info.supportsConfig, true);
        assert.deepEqual(info.initialConfig, {});
        assert.deepEqual(info.policies, [
            {
                name: "always-warn",
                displayName: "",
                description: "d",
                enforcementLevel: "advisory",
                configSchema: { properties: { limit: { type: "number", default: 3 } } },
                policyType: "resource",
            },
            {
                name: "stack-count",
                displayName: "",
                description: "s",
                enforcementLevel: "mandatory",
                policyType: "stack",
            },
        ]);
    });

    it("analyze returns the advisory diagnostic with the type and the schema default config", async function () {
        const ds = await pack.analyze({ type: "test:index:Thing", name: "t1", properties: { port: 22 } });
        assert.deepEqual(ds, [
            {
                policyName: "always-warn",
                policyPackName: "fixture",
                policyPackVersion: "1.2.3",
                description: "d",
                // The pack prefixes the reported message with the policy description.
                message: "d\nsaw test:index:Thing limit=3",
                urn: defaultUrn("test:index:Thing", "t1"),
                enforcementLevel: "advisory",
            },
        ]);
    });

    it("analyze accepts unknowns, secrets, providers, options and undefined members", async function () {
        const ds = await pack.analyze({
            type: "test:index:Thing",
            name: "t2",
            urn: "urn:pulumi:dev::proj::test:index:Thing::t2",
            properties: { a: UNKNOWN, b: secret("s3cr3t"), c: undefined, d: [1, { e: null }] },
            parent: "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev",
            provider: "urn:pulumi:dev::proj::pulumi:providers:test::default::0123-abcd",
            options: { protect: true, ignoreChanges: ["a"], deleteBeforeReplace: true },
        });
        assert.equal(ds.length, 1);
        assert.equal(ds[0].urn, "urn:pulumi:dev::proj::test:index:Thing::t2");
    });

    it("analyzeStack counts the resources", async function () {
        const r1 = defaultUrn("test:index:Thing", "r1");
        const ds = await pack.analyzeStack([
            { type: "test:index:Thing", name: "r1", properties: { i: 1 } },
            { type: "test:index:Thing", name: "r2", properties: { i: 2 }, parent: r1, dependencies: [r1] },
            { type: "test:index:Thing", name: "r3", properties: { i: 3, s: secret("x"), u: UNKNOWN } },
            {
                type: "test:index:Other",
                name: "o",
                properties: {},
                propertyDependencies: { x: [defaultUrn("test:index:Thing", "r3")], y: [] },
            },
        ]);
        assert.deepEqual(ds, [
            {
                policyName: "stack-count",
                policyPackName: "fixture",
                policyPackVersion: "1.2.3",
                description: "s",
                message: "s\ncount=4",
                urn: "",
                enforcementLevel: "mandatory",
            },
        ]);
    });

    it("configure changes the enforcement level and the config the policy sees", async function () {
        try {
            await pack.configure({ "always-warn": { enforcementLevel: "mandatory", limit: 7 } });
            const ds = await pack.analyze({ type: "test:index:Thing", name: "t1", properties: {} });
            assert.equal(ds.length, 1);
            assert.equal(ds[0].enforcementLevel, "mandatory");
            assert.equal(ds[0].message, "d\nsaw test:index:Thing limit=7");

            // Other policies keep their declared level (the CLI reconciles config per policy).
            const stack = await pack.analyzeStack([{ type: "test:index:Thing", name: "t1", properties: {} }]);
            assert.equal(stack[0].enforcementLevel, "mandatory");

            // Levels only, string form; "all" applies to every policy.
            await pack.configure({ all: "advisory" });
            const stack2 = await pack.analyzeStack([{ type: "test:index:Thing", name: "t1", properties: {} }]);
            assert.equal(stack2[0].enforcementLevel, "advisory");

            await pack.configure({ "always-warn": "disabled" });
            assert.deepEqual(await pack.analyze({ type: "test:index:Thing", name: "t1", properties: {} }), []);
        } finally {
            await pack.configure({});
        }
        const ds = await pack.analyze({ type: "test:index:Thing", name: "t1", properties: {} });
        assert.equal(ds[0].enforcementLevel, "advisory");
        assert.equal(ds[0].message, "d\nsaw test:index:Thing limit=3");
    });

    it("configure rejects config the CLI would reject", async function () {
        await assert.rejects(
            pack.configure({ "always-warn": { limit: "seven" } }),
            (e: unknown) => e instanceof PolicyPackConfigError && /always-warn: limit must be number/.test(e.message),
        );
        await assert.rejects(
            pack.configure({ "always-warn": "strict" }),
            (e: unknown) => e instanceof PolicyPackConfigError && /not a valid enforcement level/.test(e.message),
        );
        // The pack still runs with its previous (default) config.
        const ds = await pack.analyze({ type: "test:index:Thing", name: "t1", properties: {} });
        assert.equal(ds[0].message, "d\nsaw test:index:Thing limit=3");
    });

    it("configureRaw sends entries verbatim (unlisted level arrives as advisory, no defaults)", async function () {
        try {
            await pack.configureRaw({ "stack-count": { note: "x" } });
            const stack = await pack.analyzeStack([{ type: "test:index:Thing", name: "t1", properties: {} }]);
            assert.equal(stack[0].enforcementLevel, "advisory");
            const ds = await pack.analyze({ type: "test:index:Thing", name: "t1", properties: {} });
            assert.equal(ds[0].message, "d\nsaw test:index:Thing limit=undefined");
        } finally {
            await pack.configure({});
        }
    });

    it("reconcilePolicyPackConfig fills every policy with level and schema defaults", async function () {
        const info = await pack.getAnalyzerInfo();
        assert.deepEqual(reconcilePolicyPackConfig(info, {}), {
            "always-warn": { enforcementLevel: "advisory", properties: { limit: 3 } },
            "stack-count": { enforcementLevel: "mandatory", properties: {} },
        });
    });

    it("reports a failure inside the pack as PolicyPackRpcError", async function () {
        // An unrecognized signature makes the pack's deserializer throw while running the policy.
        await assert.rejects(
            pack.analyze({ type: "test:index:Thing", name: "bad", properties: { x: { [SECRET_SIG_KEY]: "bogus" } } }),
            (e: unknown) => {
                assert.ok(e instanceof PolicyPackRpcError, `not a PolicyPackRpcError: ${String(e)}`);
                assert.equal(e.method, "analyze");
                assert.match(e.details, /policy 'always-warn' from policy pack 'fixture@v1\.2\.3'/);
                assert.match(e.details, /Unrecognized signature 'bogus'/);
                return true;
            },
        );
        // Client-side input errors are thrown before anything is sent.
        await assert.rejects(
            pack.analyze({ type: "test:index:Thing", name: "bad", properties: {}, provider: "not-a-urn" }),
            (e: unknown) => e instanceof TypeError && /not a provider URN/.test(e.message),
        );
    });

    it("never connects to the engine address", function () {
        assert.equal(engineConnections, 0);
    });

    it("rejects start with PolicyPackStartError when index.js throws at load", async function () {
        const dir = makePack(`require("@pulumi/policy");\nthrow new Error("fixture exploded at load");\n`);
        await assert.rejects(PolicyPackProcess.start(dir), (e: unknown) => {
            assert.ok(e instanceof PolicyPackStartError, `not a PolicyPackStartError: ${String(e)}`);
            assert.match(e.stderr, /fixture exploded at load/);
            assert.notEqual(e.exitCode, 0);
            assert.notEqual(e.exitCode, null);
            return true;
        });
    });

    it("rejects start when the pack writes to stdout before its port", async function () {
        const dir = makePack(`console.log("hello from the pack");\n${FIXTURE_INDEX}`);
        await assert.rejects(
            PolicyPackProcess.start(dir),
            (e: unknown) => e instanceof PolicyPackStartError && /"hello from the pack" instead of its port/.test(e.message),
        );
    });

    it("rejects start when the pack's dependencies are missing or the timeout passes", async function () {
        const bare = makePack(FIXTURE_INDEX, { nodeModules: false });
        await assert.rejects(
            PolicyPackProcess.start(bare),
            (e: unknown) => e instanceof PolicyPackStartError && /dependencies/.test(e.message),
        );
        await assert.rejects(PolicyPackProcess.start(packDir, { startTimeoutMs: 1 }), (e: unknown) => {
            assert.ok(e instanceof PolicyPackStartError);
            assert.match(e.message, /did not print its port within 1 ms/);
            assert.equal(e.exitCode, null);
            return true;
        });
    });

    it("stop kills the process and is idempotent", async function () {
        await Promise.all([pack.stop(), pack.stop()]);
        await pack.stop();
        assert.equal(pack.hasExited, true);
        await assert.rejects(pack.analyze({ type: "t:i:T", name: "x", properties: {} }), /has been stopped/);
    });
});
