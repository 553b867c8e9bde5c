// The build-time snapshot of ports.yaml (policies/registry/snapshot.ts): read back it is the
// registry the file gives, and it is used only for the very file and policy names it was made from.
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { policyNames } from "../policies";
import { CONCRETE_PROTOCOLS } from "../policies/model/protocol";
import { loadRegistry, parseRegistry, Registry } from "../policies/registry";
import { registryFromSnapshot, registryFromSnapshotFile, RegistrySnapshot, snapshotKey, snapshotOf } from "../policies/registry/snapshot";
import { writeSnapshot } from "../scripts/registry-snapshot";
import { TEST_REGISTRY_YAML } from "./helpers";

const root = path.resolve(__dirname, "..", "..");
const SHIPPED = path.join(root, "ports.yaml");

/** Everything a policy can ask a registry, as plain data. */
function view(r: Registry): unknown {
    const sets = (c: { v4: { intervals: readonly unknown[] }; v6: { intervals: readonly unknown[] }; texts: string[] }) => ({
        v4: c.v4.intervals.map(String),
        v6: c.v6.intervals.map(String),
        texts: c.texts,
    });
    return {
        services: r.services.map((s) => ({
            ...s,
            ports: s.ports.intervals,
            allowedSources: s.allowedSources && sets(s.allowedSources),
            clients: s.clients?.map((c) => ({ ...c, cidr: c.cidr && { ...c.cidr, range: c.cidr.range.map(String) } })),
        })),
        knownCidrs: sets(r.knownCidrs),
        ephemeralPorts: r.ephemeralPorts.intervals,
        tenantTag: r.tenantTag,
        serviceTag: r.serviceTag,
        tenants: r.tenants.map((t) => ({ ...t, cidrs: sets(t.cidrs) })),
        exemptions: r.exemptions,
        byProtocol: CONCRETE_PROTOCOLS.map((p) => ({
            documented: r.documented(p).intervals,
            internal: r.internal(p).intervals,
            public: r.publicPorts(p).intervals,
            all: r.servicesOverlapping(p, r.documented(p)).map((s) => s.name),
        })),
    };
}

describe("registry snapshot", () => {
    const cases: [string, string][] = [
        ["the shipped ports.yaml", fs.readFileSync(SHIPPED, "utf8")],
        [
            "a registry with allowedSources, tenants, exemptions and IPv6",
            TEST_REGISTRY_YAML.replace(
                "knownCidrs: [10.0.0.0/8]",
                'knownCidrs: [10.0.0.0/8, "fd00::/8"]\nephemeralPorts: ["32768-60999"]\ntenantTag: team',
            ),
        ],
        [
            "a registry with clients and a serviceTag",
            TEST_REGISTRY_YAML.replace(
                "allowedSources: [10.20.0.0/16] }",
                'allowedSources: [10.20.0.0/16], clients: [{ service: app }, { cidr: 10.30.0.0/16 }, { cidr: "fd00:1::/48" }] }',
            ) + "serviceTag: workload\n",
        ],
    ];
    for (const [name, text] of cases) {
        it(`read back through JSON, is the registry itself: ${name}`, () => {
            const parsed = parseRegistry(text, "ports.yaml", { policyNames });
            const back = registryFromSnapshot(JSON.parse(JSON.stringify(snapshotOf(parsed, "k"))) as RegistrySnapshot, "ports.yaml");
            assert.deepEqual(view(back), view(parsed));
        });
    }

    describe("is used only for the file it was made from", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "internal-ports-snapshot-"));
        const file = path.join(dir, "ports.yaml");
        const snap = path.join(dir, "ports.snapshot.json");
        const text = fs.readFileSync(SHIPPED, "utf8");
        before(() => {
            fs.writeFileSync(file, text);
            assert.equal(writeSnapshot(file, snap), true);
        });

        it("the same text and policy names: used", () => {
            const r = registryFromSnapshotFile(snap, text, file, policyNames);
            assert.ok(r);
            assert.deepEqual(view(r), view(loadRegistry(file, { policyNames })));
        });
        const misses: [string, () => Registry | undefined][] = [
            ["a byte changed", () => registryFromSnapshotFile(snap, text.replace("5432", "5433"), file, policyNames)],
            ["a trailing newline added", () => registryFromSnapshotFile(snap, `${text}\n`, file, policyNames)],
            ["other policy names", () => registryFromSnapshotFile(snap, text, file, [...policyNames, "another-policy"])],
            ["no snapshot file", () => registryFromSnapshotFile(path.join(dir, "missing.json"), text, file, policyNames)],
        ];
        for (const [what, load] of misses) it(`${what}: not used`, () => assert.equal(load(), undefined));

        it("a corrupt or older snapshot: not used", () => {
            const bad = path.join(dir, "bad.json");
            fs.writeFileSync(bad, "{ not json");
            assert.equal(registryFromSnapshotFile(bad, text, file, policyNames), undefined);
            const old = { ...(JSON.parse(fs.readFileSync(snap, "utf8")) as RegistrySnapshot), format: 0 };
            fs.writeFileSync(bad, JSON.stringify(old));
            assert.equal(registryFromSnapshotFile(bad, text, file, policyNames), undefined);
        });

        it("an invalid ports.yaml gets no snapshot (and an old one is removed)", () => {
            const broken = path.join(dir, "broken.yaml");
            fs.writeFileSync(broken, text.replace("knownCidrs:", "knownCidrs: [banana]\nx:"));
            const out = path.join(dir, "broken.snapshot.json");
            fs.writeFileSync(out, "stale");
            const errors: string[] = [];
            const log = console.error;
            console.error = (m: string) => errors.push(m);
            try {
                assert.equal(writeSnapshot(broken, out), false);
            } finally {
                console.error = log;
            }
            assert.equal(fs.existsSync(out), false);
            assert.match(errors.join("\n"), /No start-up snapshot/);
        });
    });

    it("npm run build wrote the snapshot of the shipped ports.yaml", () => {
        const s = JSON.parse(fs.readFileSync(path.join(root, "dist", "ports.snapshot.json"), "utf8")) as RegistrySnapshot;
        assert.equal(s.key, snapshotKey(fs.readFileSync(SHIPPED, "utf8"), policyNames));
    });

    it("the pack starts from it without loading the YAML parser; an edited file is read as always", () => {
        // Loading the entry reads ports.yaml and starts serving; the probe reports and exits right after.
        const probe = (env: NodeJS.ProcessEnv) => {
            const out = execFileSync(
                process.execPath,
                [
                    "-e",
                    `
                require(${JSON.stringify(path.join(root, "dist", "index.js"))});
                const loaded = Object.keys(require.cache);
                console.log("PROBE " + JSON.stringify({ yaml: loaded.some((k) => k.includes("/node_modules/yaml/")) }));
                process.exit(0);
            `,
                ],
                { cwd: root, env: { ...process.env, ...env }, encoding: "utf8", timeout: 60000 },
            );
            return JSON.parse(
                out
                    .split("\n")
                    .find((l) => l.startsWith("PROBE "))!
                    .slice(6),
            ) as { yaml: boolean };
        };
        assert.deepEqual(probe({ INTERNAL_PORTS_REGISTRY: "" }), { yaml: false });
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "internal-ports-edited-"));
        const edited = path.join(dir, "ports.yaml");
        fs.writeFileSync(edited, `${fs.readFileSync(SHIPPED, "utf8")}\n# edited\n`);
        assert.deepEqual(probe({ INTERNAL_PORTS_REGISTRY: edited }), { yaml: true });
    });
});
