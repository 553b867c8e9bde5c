// Broken configuration: a policy-pack config that fails a policy's schema, a port registry that fails
// validation, and a registry that cannot be read must each stop with one clear message that names
// the file, the line or JSON path, and the fix, with no stack trace: through the check command
// (exit 2) and through the pack itself as the Pulumi CLI starts it (exit 32, stderr).
//
// Gaps found while writing these were kept as pending tests and have since been closed;
// they are in cli/check.ts and driver/analyzer-client.ts.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../cli/main";
import { PolicyPackProcess, PolicyPackStartError } from "../driver/analyzer-client";

const packDir = path.resolve(__dirname, "..", "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "internal-ports-config-"));
const STACK_TRACE = /\n\s+at .*(\(.*:\d+:\d+\)|:\d+:\d+)/;

function write(name: string, content: string | Buffer): string {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, content);
    return file;
}

const emptyExport = write(
    "empty.json",
    JSON.stringify({ version: 3, deployment: { manifest: { time: "x", magic: "x", version: "v3" }, resources: [] } }),
);
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

async function check(...args: string[]) {
    let stderr = "";
    const r = await main(["check", emptyExport, ...args, "--quiet"], (s) => (stderr += s));
    return { ...r, stderr };
}

/** Exit 2, nothing on stdout, every pattern on stderr, no stack trace. */
async function assertUnusable(args: string[], ...patterns: RegExp[]): Promise<string> {
    const r = await check(...args);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, "");
    for (const p of patterns) assert.match(r.stderr, p);
    assert.doesNotMatch(r.stderr, STACK_TRACE, "no stack trace");
    assert.equal(r.stderr.trim().split("\n")[0].startsWith("internal-ports: "), true, r.stderr);
    return r.stderr;
}

describe("broken configuration gives one clear message", function () {
    this.timeout(120000);

    describe("a policy-pack config", () => {
        it("failing a policy's schema: names the file, the policy and the key", async () => {
            const file = write("bad-enum.json", JSON.stringify({ "no-world-open-internal-ports": { naclReturnTraffic: "sometimes" } }));
            await assertUnusable(
                ["--config", file],
                /bad-enum\.json/,
                /no-world-open-internal-ports: naclReturnTraffic must be equal to one of the allowed values/,
            );
        });

        it("with a value of the wrong type: names the key and the type it needs", async () => {
            const file = write(
                "bad-type.json",
                JSON.stringify({ all: "mandatory", "documented-ports-only": { reportUnverifiable: "no" } }),
            );
            await assertUnusable(["--config", file], /bad-type\.json/, /documented-ports-only: reportUnverifiable must be boolean/);
        });

        it("with an unknown enforcement level: names the policy and the value", async () => {
            const file = write("bad-level.json", JSON.stringify({ "documented-ports-only": { enforcementLevel: "warn" } }));
            await assertUnusable(["--config", file], /bad-level\.json/, /"documented-ports-only": "warn" is not a valid enforcement level/);
        });

        it("with options for a policy the pack does not have: names the key", async () => {
            const file = write("not-a-policy.json", JSON.stringify({ "no-world-open-internal-port": { naclReturnTraffic: "ignore" } }));
            await assertUnusable(
                ["--config", file],
                /not-a-policy\.json/,
                /no-world-open-internal-port: .*a policy the pack does not define/,
            );
        });

        it("that is not a JSON object, not JSON, or a directory: names the file", async () => {
            await assertUnusable(["--config", write("list.json", "[1, 2]")], /list\.json must be a JSON object keyed by policy name/);
            await assertUnusable(["--config", write("junk.json", "{ all: ")], /junk\.json is not valid JSON/);
            const dir = path.join(tmp, "dir-config.json");
            fs.mkdirSync(dir);
            await assertUnusable(["--config", dir], /cannot read the policy-pack config .*dir-config\.json: EISDIR/);
        });

        it("a schema failure also says how to fix it (the allowed values)", async () => {
            const file = write("bad-enum-fix.json", JSON.stringify({ "no-world-open-internal-ports": { naclReturnTraffic: "sometimes" } }));
            await assertUnusable(["--config", file], /advisory, ignore, mandatory|"advisory", "ignore", "mandatory"/);
        });

        it("an unknown enforcement level lists the valid ones", async () => {
            const file = write("bad-level-fix.json", JSON.stringify({ "documented-ports-only": "warn" }));
            await assertUnusable(["--config", file], /advisory.*mandatory.*disabled/);
        });

        it("a level for a policy the pack does not have is reported, with the closest policy name", async () => {
            // Today: accepted silently (the Pulumi CLI accepts it too), so a typo leaves the real policy mandatory.
            const file = write("typo-level.json", JSON.stringify({ "no-world-open-internal-port": "advisory" }));
            const r = await check("--config", file);
            assert.match(r.stderr, /no-world-open-internal-port.*(not a policy|does not define).*no-world-open-internal-ports/);
        });

        it("an option a policy does not declare is reported (a typo keeps the default)", async () => {
            const file = write("typo-key.json", JSON.stringify({ "no-world-open-internal-ports": { naclReturnTrafic: "ignore" } }));
            const r = await check("--config", file);
            assert.match(r.stderr, /naclReturnTrafic.*naclReturnTraffic/);
        });

        it("a config saved with a byte order mark is read (Windows editors write one)", async () => {
            const file = write("bom-config.json", Buffer.concat([BOM, Buffer.from(JSON.stringify({ all: "advisory" }))]));
            const r = await check("--config", file);
            assert.equal(r.code, 0, r.stderr);
        });
    });

    describe("a port registry (check command)", () => {
        it("failing validation: the file, the line, the path and the fix", async () => {
            const file = write("broken.yaml", "services:\n  - name: db\n    ports: [70000]\n    protocol: tcp\nknownCidrs: []\n");
            await assertUnusable(
                ["--registry", file],
                /^internal-ports: (\S*\/)?broken\.yaml is invalid \(1 problem\)/,
                /broken\.yaml:3: services\[0\]\.ports\[0\]: port 70000 is outside 0-65535; a port is a number from 0 to 65535/,
            );
        });

        it("that is a directory: the path, the reason and the fix", async () => {
            const dir = path.join(tmp, "ports-dir.yaml");
            fs.mkdirSync(dir);
            await assertUnusable(
                ["--registry", dir],
                /ports-dir\.yaml cannot be read/,
                /illegal operation on a directory \(EISDIR\)/,
                /fix its path/,
            );
        });

        it("that does not exist: the path, the reason and the fix", async () => {
            await assertUnusable(
                ["--registry", path.join(tmp, "nope.yaml")],
                /nope\.yaml cannot be read/,
                /no such file or directory \(ENOENT\)/,
                /create the file .* or fix its path/,
            );
        });

        it("that is empty, or not a mapping: says what the file must hold", async () => {
            await assertUnusable(
                ["--registry", write("empty.yaml", "")],
                /empty\.yaml:1: \(top level\): the file is empty; it must be a mapping with a `services:` list/,
            );
            await assertUnusable(
                ["--registry", write("list.yaml", "- a\n- b\n")],
                /list\.yaml:1: \(top level\): the top level must be a mapping/,
            );
        });

        it("with a YAML syntax error: the line and what to check", async () => {
            await assertUnusable(
                ["--registry", write("syntax.yaml", "services: [\n")],
                /syntax\.yaml:\d+: YAML syntax error: .*check the indentation, colons and quoting/,
            );
        });

        it("saved with a byte order mark or CRLF line ends: read, and lines still counted right", async () => {
            const good = Buffer.concat([
                BOM,
                Buffer.from("services:\n  - { name: ssh, ports: [22], protocol: tcp }\nknownCidrs: [10.0.0.0/8]\n"),
            ]);
            const r = await check("--registry", write("bom.yaml", good));
            assert.equal(r.code, 0, r.stderr);
            const bad = Buffer.concat([
                BOM,
                Buffer.from("services:\n  - { name: ssh, ports: [99999], protocol: tcp }\nknownCidrs: [10.0.0.0/8]\n"),
            ]);
            await assertUnusable(
                ["--registry", write("bom-broken.yaml", bad)],
                /bom-broken\.yaml:2: services\[0\]\.ports\[0\]: port 99999/,
            );
            const crlf =
                "services:\r\n  - { name: ssh, ports: [22], protocol: tcp }\r\n  - { name: db, ports: [70000], protocol: tcp }\r\nknownCidrs: [10.0.0.0/8]\r\n";
            await assertUnusable(["--registry", write("crlf.yaml", crlf)], /crlf\.yaml:3: services\[1\]\.ports\[0\]: port 70000/);
        });
    });

    describe("a port registry (the pack started as the Pulumi CLI starts it)", () => {
        const cases: [string, () => string, RegExp[]][] = [
            [
                "failing validation",
                () => write("pack-broken.yaml", "services:\n  - name: db\n    ports: [70000]\n    protocol: tcp\nknownCidrs: []\n"),
                [/pack-broken\.yaml:3: .*70000.*a port is a number from 0 to 65535/],
            ],
            [
                "that is a directory",
                () => {
                    const dir = path.join(tmp, "pack-dir.yaml");
                    fs.mkdirSync(dir, { recursive: true });
                    return dir;
                },
                [/pack-dir\.yaml cannot be read/, /EISDIR/, /fix its path/],
            ],
            [
                "that does not exist",
                () => path.join(tmp, "pack-nope.yaml"),
                [/pack-nope\.yaml cannot be read/, /ENOENT/, /create the file/],
            ],
        ];
        for (const [name, file, patterns] of cases) {
            it(`${name}: exit 32 (already reported) and the message on stderr, no stack trace`, async () => {
                await assert.rejects(
                    PolicyPackProcess.start(packDir, { env: { ...process.env, INTERNAL_PORTS_REGISTRY: file() } }),
                    (e: unknown) => {
                        assert.ok(e instanceof PolicyPackStartError);
                        assert.equal(e.exitCode, 32, e.stderr);
                        for (const p of patterns) assert.match(e.stderr, p);
                        assert.doesNotMatch(e.stderr, STACK_TRACE, "no stack trace");
                        return true;
                    },
                );
            });
        }
    });
});
