// The check command end to end: every input kind, every format, exit codes, bad input and config.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as url from "url";
import { policies } from "../policies";
import { SECRET_SIG, SECRET_SIG_KEY, UNKNOWN } from "../policies/wire/engine";
import { cli, CliRun } from "./cli-helpers";
import { JsonReport, SarifLog } from "./documents";
import { stackExport, urnsOf } from "./stack-exports";
import { BASTION_EXEMPTION, nsgInbound } from "./helpers";

const root = path.resolve(__dirname, "..", "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "internal-ports-cli-"));

const urn = urnsOf("dev", "shop");
const SG = "aws:ec2/securityGroup:SecurityGroup";
const NSG = "azure-native:network:NetworkSecurityGroup";
const openSsh = { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] };
const okNsg = {
    securityRules: [nsgInbound({ destinationPortRange: "443", sourceAddressPrefix: "VirtualNetwork" })],
};
const hiddenSg = {
    ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: { [SECRET_SIG_KEY]: SECRET_SIG, ciphertext: "v1:abc" } }],
};

function write(name: string, content: unknown): string {
    const file = path.join(tmp, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content, null, 2));
    return file;
}

/** An export of shop/dev: its aws provider, then the resources, children of the stack. */
function exportOf(resources: { type: string; name: string; inputs: unknown }[]) {
    return stackExport("dev", "shop", [
        { urn: urn("pulumi:providers:aws", "default"), custom: true, id: "p1", type: "pulumi:providers:aws", inputs: {} },
        ...resources.map((r) => ({
            urn: urn(r.type, r.name),
            custom: true,
            id: `${r.name}-id`,
            type: r.type,
            inputs: r.inputs,
            outputs: r.inputs,
            parent: urn("pulumi:pulumi:Stack", "shop-dev"),
        })),
    ]);
}

const mixedExport = write(
    "mixed.json",
    exportOf([
        { type: SG, name: "open-ssh", inputs: openSsh },
        { type: NSG, name: "web-nsg", inputs: okNsg },
        { type: SG, name: "hidden", inputs: hiddenSg },
    ]),
);
const cleanExport = write("clean.json", exportOf([{ type: NSG, name: "web-nsg", inputs: okNsg }]));
const preview = write("preview.json", {
    steps: [
        {
            op: "create",
            urn: urn(SG, "open-ssh"),
            newState: {
                urn: urn(SG, "open-ssh"),
                custom: true,
                type: SG,
                inputs: {
                    ingress: [
                        { protocol: "tcp", fromPort: 6379, toPort: 6379, cidrBlocks: ["0.0.0.0/0"] },
                        { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: [UNKNOWN] },
                    ],
                },
            },
        },
        { op: "same", urn: urn(NSG, "web-nsg"), newState: { urn: urn(NSG, "web-nsg"), custom: true, type: NSG, inputs: okNsg } },
        { op: "delete", urn: urn(SG, "old"), oldState: { urn: urn(SG, "old"), type: SG, inputs: openSsh } },
    ],
});
const program = path.join(tmp, "prog");
write("prog/Pulumi.yaml", "name: shop\nruntime: nodejs\n");
write(
    "prog/index.js",
    [
        `const pulumi = require("@pulumi/pulumi");`,
        `const vpc = new pulumi.CustomResource("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" });`,
        `new pulumi.CustomResource("${SG}", "db", { vpcId: vpc.id, ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/0"] }] });`,
        `new pulumi.CustomResource("${SG}", "secret-db", { ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: pulumi.secret(["198.51.100.0/24", "0.0.0.0/0"]) }] });`,
        `new pulumi.CustomResource("${SG}", "app", { ingress: [{ protocol: "tcp", fromPort: 8080, toPort: 8080, cidrBlocks: ["10.0.0.0/8"] }] });`,
    ].join("\n"),
);
fs.symlinkSync(path.join(root, "node_modules"), path.join(program, "node_modules"), "dir");

function lineOfUrn(file: string, u: string): number {
    return (
        fs
            .readFileSync(file, "utf8")
            .split("\n")
            .findIndex((l) => l.includes(`"urn": "${u}"`)) + 1
    );
}

function run(...args: string[]): Promise<CliRun> {
    return Promise.resolve(cli(["check", ...args, "--quiet"], { env: { NO_COLOR: "1" } }));
}

describe("internal-ports check", function () {
    this.timeout(120000);

    describe("text (default)", () => {
        it("prints the Policies block pulumi preview prints, a summary, and exits 1 on a mandatory violation", async () => {
            const r = await run(mixedExport);
            assert.equal(r.code, 1, r.stderr);
            assert.match(r.stdout, /^Policies:$/m);
            assert.match(r.stdout, /^ {4}❌ internal-ports@v\d+\.\d+\.\d+ \(local: .+\)$/m);
            assert.match(
                r.stdout,
                /^ {8}- \[mandatory\] {2}no-world-open-internal-ports {2}\(aws:ec2\/securityGroup:SecurityGroup: open-ssh\)$/m,
            );
            assert.match(r.stdout, /^ {10}ingress\[0\] \(from 0\.0\.0\.0\/0\) lets the whole internet reach tcp 22 \(ssh\)/m);
            assert.match(
                r.stdout,
                /^ {8}- \[advisory\] {2}no-world-open-internal-ports {2}\(aws:ec2\/securityGroup:SecurityGroup: hidden\)$/m,
                "ciphertext secrets are unknown, not a crash",
            );
            assert.doesNotMatch(r.stdout, /web-nsg/);
            assert.match(
                r.stdout,
                /^3 resources checked: 1 mandatory violation, 1 advisory note; would block the update: 1 resource with mandatory violations\.$/m,
            );
        });

        it("exits 0 when nothing mandatory is found", async () => {
            const r = await run(cleanExport);
            assert.equal(r.code, 0, r.stderr);
            assert.match(r.stdout, /✅ internal-ports@v/);
            assert.match(r.stdout, /1 resource checked: 0 mandatory violations, 0 advisory notes; would not block the update\./);
        });

        it("--exit-zero reports but does not fail", async () => {
            const r = await run(mixedExport, "--exit-zero");
            assert.equal(r.code, 0);
            assert.match(r.stdout, /\[mandatory\]/);
        });
    });

    describe("inputs", () => {
        it("a preview file: checks each step's newState, skips deletes, keeps unknowns unknown", async () => {
            const r = await run(preview, "--format", "json");
            const json = JSON.parse(r.stdout) as JsonReport;
            assert.equal(json.stacks[0].kind, "preview");
            assert.equal(json.stacks[0].resources, 2);
            const ds = json.stacks[0].diagnostics;
            const items = (level: string) =>
                ds.filter((d) => d.level === level && d.policy === "no-world-open-internal-ports").flatMap((d) => d.items);
            assert.deepEqual(
                items("mandatory").map((i) => [i.messageId, i.rule?.origin, i.data.ports]),
                [["worldOpen", "ingress[0]", "tcp 6379 (redis)"]],
            );
            assert.deepEqual(
                items("advisory").map((i) => [i.messageId, i.rule?.origin]),
                [["ruleUnknown", "ingress[1]"]],
                "the unknown source cannot be verified until update",
            );
            assert.ok(!ds.some((d) => d.name === "old"));
        });

        it("a program: runs it under mocks, blocks its world-open database, never prints its secret", async () => {
            const r = await run(program, "--format", "json");
            assert.equal(r.code, 1, r.stderr);
            const json = JSON.parse(r.stdout) as JsonReport;
            assert.equal(json.stacks[0].kind, "program");
            const ds = json.stacks[0].diagnostics;
            const blocked = [...new Set(ds.filter((d) => d.level === "mandatory").map((d) => d.name))].sort();
            assert.deepEqual(blocked, ["db", "secret-db"]);
            assert.ok(!r.stdout.includes("198.51.100"), "secret source printed");
            assert.ok(ds.some((d) => d.name === "secret-db" && /\[secret source\]/.test(d.message)));
        });

        it("several inputs in one run, each its own stack", async () => {
            const r = await run(cleanExport, mixedExport, "--format", "json");
            const json = JSON.parse(r.stdout) as JsonReport;
            assert.deepEqual(
                json.stacks.map((s: { input: string }) => path.basename(s.input)),
                ["clean.json", "mixed.json"],
            );
            assert.equal(json.summary.resources, 4);
            assert.equal(r.code, 1);
        });
    });

    describe("formats", () => {
        it("json: every diagnostic with policy, level, severity, URN, type, name, message", async () => {
            const json = JSON.parse((await run(mixedExport, "--format", "json")).stdout) as JsonReport;
            assert.deepEqual(json.summary, { resources: 3, mandatory: 1, advisory: 1, blockedResources: 1, failed: 0 });
            const d = json.stacks[0].diagnostics.find((x) => x.policy === "no-world-open-internal-ports" && x.name === "open-ssh")!;
            assert.deepEqual(Object.keys(d).sort(), [
                "fixes",
                "items",
                "level",
                "message",
                "name",
                "policy",
                "severity",
                "source",
                "type",
                "urn",
            ]);
            assert.deepEqual(d.source, { file: mixedExport, line: lineOfUrn(mixedExport, d.urn) }, "the resource's line in the export");
            assert.equal(d.severity, "critical");
            assert.equal(d.urn, urn(SG, "open-ssh"));
            assert.equal(d.type, SG);
        });

        it("json: each finding carries its items (message id, data, the rule) and fixes, as the pack recorded them", async () => {
            const json = JSON.parse((await run(mixedExport, "--format", "json")).stdout) as JsonReport;
            const ds = json.stacks[0].diagnostics;
            const open = ds.find((x) => x.policy === "no-world-open-internal-ports" && x.name === "open-ssh")!;
            assert.deepEqual(open.items, [
                {
                    messageId: "worldOpen",
                    data: { rules: "ingress[0] (from 0.0.0.0/0)", ports: "tcp 22 (ssh)" },
                    rule: { origin: "ingress[0]" },
                    fix: "fixSources",
                },
            ]);
            assert.deepEqual(
                open.fixes.map((f) => [f.messageId, f.data.ruleKind, f.data.peers]),
                [["fixSources", "security group rule", "`cidrBlocks`/`ipv6CidrBlocks`"]],
            );
            const hidden = ds.find((x) => x.name === "hidden")!;
            assert.equal(hidden.level, "advisory");
            assert.deepEqual(
                hidden.items.map((i) => i.messageId),
                ["ruleUnknown"],
                "a ciphertext source cannot be verified",
            );
            assert.deepEqual(hidden.fixes, []);
        });

        it("a finding about ports.yaml (an unused exemption) points at its line there and names the exemption, in text and JSON", async () => {
            const registry = write(
                "with-exemption.yaml",
                ["services:", "  - { name: ssh, ports: [22], protocol: tcp }", "knownCidrs: [10.0.0.0/8]", ...BASTION_EXEMPTION, ""].join(
                    "\n",
                ),
            );
            const json = JSON.parse((await run(cleanExport, "--registry", registry, "--format", "json")).stdout) as JsonReport;
            const d = json.stacks[0].diagnostics.find((x) => x.policy === "unused-exemptions")!;
            assert.deepEqual(d.source, { file: registry, line: 5 });
            assert.deepEqual(d.registryEntry, { exemption: { policy: "no-world-open-internal-ports", resource: "bastion" } });
            assert.deepEqual(d.items, [
                {
                    messageId: "unused",
                    data: {
                        file: "with-exemption.yaml",
                        line: 5,
                        policy: "no-world-open-internal-ports",
                        resource: "bastion",
                        state: "active until 2099-03-31",
                    },
                },
            ]);
            assert.equal(d.urn, "");
            const text = (await run(cleanExport, "--registry", registry)).stdout;
            assert.match(
                text,
                /^ {8}- \[advisory\] {2}unused-exemptions {2}\(ports\.yaml exemption no-world-open-internal-ports for "bastion"\)\n {10}.*with-exemption\.yaml:5$/m,
            );
            assert.doesNotMatch(text, /\(: \)/);
        });

        it("an expired exemption stays on its finding: JSON `exemption`, and the SARIF result says so", async () => {
            const registry = write(
                "expired.yaml",
                [
                    "services:",
                    "  - { name: ssh, ports: [22], protocol: tcp }",
                    "knownCidrs: [10.0.0.0/8]",
                    "exemptions:",
                    "  - policy: no-world-open-internal-ports",
                    "    resource: open-ssh",
                    "    reason: temporary",
                    '    expires: "2020-01-31"',
                    "",
                ].join("\n"),
            );
            const json = JSON.parse((await run(mixedExport, "--registry", registry, "--format", "json")).stdout) as JsonReport;
            const d = json.stacks[0].diagnostics.find((x) => x.policy === "no-world-open-internal-ports" && x.name === "open-ssh")!;
            assert.equal(d.level, "mandatory");
            assert.deepEqual(d.exemption, { line: 5, expires: "2020-01-31", state: "expired" });
            const sarif = JSON.parse((await run(mixedExport, "--registry", registry, "--format", "sarif")).stdout) as SarifLog;
            const res = sarif.runs[0].results.find(
                (r) => r.ruleId === "no-world-open-internal-ports" && r.locations[0].logicalLocations?.[0].name === "open-ssh",
            )!;
            assert.match(res.message.text, /\nThe exemption on ports\.yaml:5 expired on 2020-01-31\.$/);
        });

        it("sarif: 2.1.0, one rule per policy, error for mandatory, warning for advisory, URN as logical location", async () => {
            const sarif = JSON.parse((await run(mixedExport, "--format", "sarif")).stdout) as SarifLog;
            assert.equal(sarif.version, "2.1.0");
            const run0 = sarif.runs[0];
            assert.equal(run0.tool.driver.name, "internal-ports");
            const ruleIds = run0.tool.driver.rules.map((r) => r.id).sort();
            assert.deepEqual(ruleIds, policies.map((p) => p.meta.name).sort());
            for (const rule of run0.tool.driver.rules) {
                assert.match(rule.helpUri, /\/docs\/policies\/.+\.md$/);
                assert.ok(rule.help.text.length > 20);
            }
            assert.equal(run0.results.length, 2);
            for (const res of run0.results) {
                assert.equal(run0.tool.driver.rules[res.ruleIndex!].id, res.ruleId);
                assert.match(res.locations[0].logicalLocations![0].fullyQualifiedName, /^urn:pulumi:dev::shop::/);
                // Outside a git repository and without --sarif-root: an absolute file URI.
                assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, url.pathToFileURL(mixedExport).href);
            }
            const levels = run0.results.map((r) => `${r.locations[0].logicalLocations![0].name}:${r.ruleId}:${r.level}`).sort();
            assert.deepEqual(levels, ["hidden:no-world-open-internal-ports:warning", "open-ssh:no-world-open-internal-ports:error"]);
            // The physical line is the resource's URN line in the export.
            const lines = fs.readFileSync(mixedExport, "utf8").split("\n");
            const res = run0.results.find((r) => r.locations[0].logicalLocations![0].name === "open-ssh")!;
            assert.match(lines[res.locations[0].physicalLocation.region.startLine - 1], /"urn": ".*::open-ssh"/);
        });

        it("sarif for a program points at the source line that created the resource", async () => {
            const sarif = JSON.parse((await run(program, "--format", "sarif")).stdout) as SarifLog;
            const res = sarif.runs[0].results.find((r) => r.locations[0].logicalLocations![0].name === "db")!;
            const loc = res.locations[0].physicalLocation;
            assert.match(loc.artifactLocation.uri, /prog\/index\.js$/);
            assert.equal(loc.region.startLine, 3);
        });

        it("markdown: a port map, a row per rule with its services, sources and verdict, and a Mermaid diagram", async () => {
            const md = (await run(program, "--format", "markdown")).stdout;
            assert.match(md, /^## Port map \(internal-ports@v/m);
            assert.match(
                md,
                /^\| ❌ blocked \| `db` \(`aws:ec2\/securityGroup:SecurityGroup`\) \| ingress\[0\] \| tcp\/5432 \| postgres \| 🌐 0\.0\.0\.0\/0 \| no-world-open-internal-ports \|$/m,
            );
            assert.match(
                md,
                /^\| ❌ blocked \| `secret-db` \(`aws:ec2\/securityGroup:SecurityGroup`\) \| ingress\[0\] \| tcp\/5432 \| postgres \| 🌐 \[secret source\] \| no-world-open-internal-ports \|$/m,
            );
            assert.match(
                md,
                /^\| ✅ allowed \| `app` \(`aws:ec2\/securityGroup:SecurityGroup`\) \| ingress\[0\] \| tcp\/8080 \| app-http \| 10\.0\.0\.0\/8 \| - \|$/m,
            );
            assert.match(md, /```mermaid\nflowchart LR\n/);
            assert.match(md, /-->\|blocked\|/);
            assert.ok(!md.includes("198.51.100"));
        });

        it("--out writes the report to a file and nothing to stdout", async () => {
            const out = path.join(tmp, "report.sarif");
            const r = await run(mixedExport, "--format", "sarif", "--out", out);
            assert.equal(r.stdout, "");
            assert.equal((JSON.parse(fs.readFileSync(out, "utf8")) as SarifLog).version, "2.1.0");
        });
    });

    describe("config", () => {
        it("applies a policy-pack config with the all key", async () => {
            const config = write("all-advisory.json", { all: "advisory" });
            const r = await run(mixedExport, "--config", config, "--format", "json");
            assert.equal(r.code, 0);
            assert.ok((JSON.parse(r.stdout) as JsonReport).stacks[0].diagnostics.every((d) => d.level === "advisory"));
        });
        it("uses another registry with --registry", async () => {
            const registry = write(
                "public-ssh.yaml",
                "services:\n  - { name: ssh, ports: [22], protocol: tcp, public: true }\nknownCidrs: []\n",
            );
            const json = JSON.parse((await run(mixedExport, "--registry", registry, "--format", "json")).stdout) as JsonReport;
            assert.ok(
                !json.stacks[0].diagnostics.some(
                    (d: { policy: string; name: string }) => d.policy === "no-world-open-internal-ports" && d.name === "open-ssh",
                ),
            );
        });
    });

    describe("unusable options, config or registry exit 2 with a clear message and no report", () => {
        const cases: [string, () => string[], RegExp][] = [
            [
                "a config that fails its schema",
                () => [
                    cleanExport,
                    "--config",
                    write("bad-config.json", { "no-world-open-internal-ports": { naclReturnTraffic: "sometimes" } }),
                ],
                /naclReturnTraffic/,
            ],
            ["a config that is not JSON", () => [cleanExport, "--config", write("bad-config.txt", "nope")], /not valid JSON/],
            [
                "a broken registry",
                () => [
                    cleanExport,
                    "--registry",
                    write("broken.yaml", "services:\n  - name: db\n    ports: [70000]\n    protocol: tcp\nknownCidrs: []\n"),
                ],
                /broken\.yaml:3:/,
            ],
            [
                "an exemption for a policy the pack does not have, reported with the registry's other problems",
                () => [
                    cleanExport,
                    "--registry",
                    write(
                        "typo-exemption.yaml",
                        [
                            "services:",
                            "  - name: db",
                            "    ports: [70000]",
                            "    protocol: tcp",
                            "knownCidrs: []",
                            "exemptions:",
                            "  - policy: no-world-open-internal-port",
                            "    resource: bastion",
                            "    reason: SSH bastion",
                            '    expires: "2099-03-31"',
                            "",
                        ].join("\n"),
                    ),
                ],
                /typo-exemption\.yaml:3:[\s\S]*typo-exemption\.yaml:7:.*"no-world-open-internal-port" is not a policy of this pack .*did you mean "no-world-open-internal-ports"\?/,
            ],
            ["an unknown format", () => [cleanExport, "--format", "xml"], /--format must be one of/],
        ];
        for (const [name, args, pattern] of cases) {
            it(name, async () => {
                const r = await run(...args());
                assert.equal(r.code, 2, r.stderr);
                assert.equal(r.stdout, "");
                assert.match(r.stderr, pattern);
                assert.doesNotMatch(r.stderr, /\n\s+at .*\(.*\.js:\d+:\d+\)/, "no stack trace");
                assert.doesNotMatch(r.stderr, /the policy pack did not start/, "found before the pack starts");
            });
        }
    });

    describe("an input that cannot be checked exits 2, says why on stderr and in the report", () => {
        const cases: [string, () => string[], RegExp][] = [
            ["a missing input", () => [path.join(tmp, "nope.json")], /nope\.json/],
            [
                "a malformed export",
                () => [write("bad-export.json", { version: 3, deployment: { resources: [{ type: SG }] } })],
                /deployment\.resources\[0\]\.urn/,
            ],
            ["a file that is not JSON", () => [write("junk.json", "{ not json")], /junk\.json/],
            ["a program that throws", () => [path.join(tmp, "throws")], /boom: cannot build/],
        ];
        before(() => {
            write("throws/Pulumi.yaml", "name: throws\nruntime: nodejs\n");
            write("throws/index.js", "throw new Error('boom: cannot build');");
            fs.symlinkSync(path.join(root, "node_modules"), path.join(tmp, "throws", "node_modules"), "dir");
        });
        for (const [name, args, pattern] of cases) {
            it(name, async () => {
                const r = await run(...args());
                assert.equal(r.code, 2, r.stderr);
                assert.match(r.stderr, pattern);
                assert.match(r.stdout, /❗ could not be checked: /);
                assert.match(r.stdout, pattern);
                assert.match(r.stdout, /1 input could not be checked, so the check fails\.$/m);
                assert.doesNotMatch(r.stderr, /\n\s+at .*\(.*\.js:\d+:\d+\)/, "no stack trace");
            });
        }
    });

    it("shows progress on stderr unless --quiet", async () => {
        const r = cli(["check", cleanExport]);
        assert.match(r.stderr, /loading .*clean\.json/);
        assert.match(r.stderr, /policy pack started \(pid \d+\)/);
        assert.doesNotMatch((await run(cleanExport)).stderr, /loading|policy pack started/);
    });
});
