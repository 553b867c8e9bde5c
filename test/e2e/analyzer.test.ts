// The compiled pack, started exactly as the Pulumi CLI starts it, driven over the Analyzer gRPC
// protocol: every policy table case, plus the protocol-only concerns (metadata, Configure, unknown
// sentinels, secrets, a broken registry).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Diagnostic, PolicyPackProcess, PolicyPackStartError, secret, UNKNOWN } from "../../driver/analyzer-client";
import { FindingsChannel } from "../../driver/findings-channel";
import { policies } from "../../policies";
import { casesFor } from "../cases";
import { configSchemaOf } from "../../policies/kit/config";
import { isStackPolicy } from "../../policies/kit/definition";
import { PackageJson } from "../documents";
import { assertFindings, Findings, PolicyCase, T, TEST_REGISTRY_YAML, urnOf, nsgInbound } from "../helpers";

const packDir = path.resolve(__dirname, "..", "..", "..");
const pkg = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8")) as PackageJson;

function tempRegistry(text: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "internal-ports-"));
    const file = path.join(dir, "ports.yaml");
    fs.writeFileSync(file, text);
    return file;
}

/**
 * The structured findings behind one policy's diagnostics, split by the level on the wire. Every
 * diagnostic must come from one record of the side channel with the very same message.
 */
function records(ds: Diagnostic[], written: ReturnType<FindingsChannel["read"]>["findings"], policy: string): Findings {
    const of = ds.filter((d) => d.policyName === policy);
    const matched = FindingsChannel.match(
        of,
        written.filter((r) => r.policy === policy),
    );
    matched.forEach((r, i) => assert.ok(r, `no structured record for the diagnostic ${JSON.stringify(of[i])}`));
    return {
        mandatory: matched.filter((r, i) => r && of[i].enforcementLevel === "mandatory") as Findings["mandatory"],
        advisory: matched.filter((r, i) => r && of[i].enforcementLevel === "advisory") as Findings["advisory"],
    };
}

/** Diagnostics of one policy, split by level, with the description line @pulumi/policy puts first removed. */
function findings(ds: Diagnostic[], policy: string) {
    const strip = (d: Diagnostic) => (d.message.startsWith(`${d.description}\n`) ? d.message.slice(d.description.length + 1) : d.message);
    const of = ds.filter((d) => d.policyName === policy);
    return {
        mandatory: of.filter((d) => d.enforcementLevel === "mandatory").map(strip),
        advisory: of.filter((d) => d.enforcementLevel === "advisory").map(strip),
    };
}

describe("end to end through the Analyzer protocol", function () {
    this.timeout(120000);
    let pack: PolicyPackProcess;
    let startMs = 0;
    const channel = FindingsChannel.create();

    before(async () => {
        const t0 = Date.now();
        pack = await PolicyPackProcess.start(packDir, {
            env: channel.env({ ...process.env, INTERNAL_PORTS_REGISTRY: tempRegistry(TEST_REGISTRY_YAML) }),
        });
        startMs = Date.now() - t0;
    });
    after(async () => {
        await pack?.stop();
        for (const p of otherPacks.values()) await (await p).stop();
        channel.close();
    });

    /** Cases with their own registry get a pack started on it (once per registry). */
    const otherPacks = new Map<string, Promise<PolicyPackProcess>>();
    function packFor(c: PolicyCase): Promise<PolicyPackProcess> {
        if (!c.registryYaml) return Promise.resolve(pack);
        if (!otherPacks.has(c.registryYaml)) {
            otherPacks.set(
                c.registryYaml,
                PolicyPackProcess.start(packDir, {
                    env: channel.env({ ...process.env, INTERNAL_PORTS_REGISTRY: tempRegistry(c.registryYaml) }),
                }),
            );
        }
        return otherPacks.get(c.registryYaml)!;
    }

    it("starts from the compiled entry and describes every policy", async () => {
        console.log(`      (pack started in ${startMs} ms)`);
        const info = await pack.getAnalyzerInfo();
        assert.equal(info.name, "internal-ports");
        assert.equal(info.version, pkg.version);
        assert.deepEqual(info.policies.map((p) => p.name).sort(), policies.map((p) => p.meta.name).sort());
        for (const def of policies) {
            const p = info.policies.find((x) => x.name === def.meta.name)!;
            assert.equal(p.enforcementLevel, def.meta.defaultLevel);
            assert.equal(p.severity, def.meta.severity);
            assert.equal(p.remediationSteps, def.meta.remediationSteps);
            assert.match(p.url ?? "", new RegExp(`/docs/policies/${def.meta.name}\\.md$`));
            assert.deepEqual(Object.keys(p.configSchema?.properties ?? {}).sort(), Object.keys(configSchemaOf(def.meta)).sort());
        }
    });

    for (const def of policies) {
        const policy = def.meta.name;
        const table = casesFor(policy);
        describe(policy, () => {
            for (const c of [...table.valid, ...table.invalid] as PolicyCase[]) {
                it(c.name, async () => {
                    const p = await packFor(c);
                    // Run every policy as mandatory so its report() and advise() findings stay apart on the wire.
                    await p.configure({ [policy]: { enforcementLevel: "mandatory", ...(c.config ?? {}) } });
                    const ds = isStackPolicy(def)
                        ? await p.analyzeStack((c.resources ?? []).map((r) => ({ ...r, urn: urnOf(r.type, r.name), properties: r.props })))
                        : await p.analyze({
                              type: c.type!,
                              name: c.resourceName ?? "r",
                              urn: urnOf(c.type!, c.resourceName ?? "r"),
                              properties: c.props as Record<string, unknown>,
                          });
                    assertFindings(records(ds, channel.read().findings, policy), c);
                });
            }
        });
    }

    describe("protocol concerns", () => {
        beforeEach(() => pack.configure({}));

        it("reports the known violation as mandatory and the unknown rule as advisory in one resource", async () => {
            const ds = await pack.analyze({
                type: T.sg,
                name: "web",
                properties: {
                    ingress: [
                        { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] },
                        { protocol: "tcp", fromPort: UNKNOWN, toPort: UNKNOWN, cidrBlocks: [UNKNOWN] },
                    ],
                    egress: UNKNOWN,
                },
            });
            const w = findings(ds, "no-world-open-internal-ports");
            assert.equal(w.mandatory.length, 1);
            assert.match(w.mandatory[0], /^ingress\[0\] \(from 0\.0\.0\.0\/0\).*tcp 22 \(ssh\)/);
            assert.equal(w.advisory.length, 1);
            assert.match(w.advisory[0], /^ingress\[1\] cannot be verified until update/);
            assert.ok(
                ds.every((d) => d.urn.endsWith("::web")),
                "diagnostics carry the resource's URN",
            );
        });

        it("writes what each firewall opens to the side channel, once per resource, with secrets redacted", async () => {
            channel.read();
            await pack.analyze({
                type: T.sg,
                name: "openings",
                properties: {
                    ingress: [
                        { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] },
                        { protocol: "tcp", fromPort: 5432, toPort: 5433, securityGroups: ["sg-0abc"] },
                        { protocol: "tcp", fromPort: secret(7000), toPort: secret(7000), cidrBlocks: ["10.0.0.0/8"] },
                    ],
                },
            });
            const { openings } = channel.read();
            assert.equal(openings.length, 1, "one record, however many policies ran");
            assert.equal(openings[0].urn, urnOf(T.sg, "openings"));
            assert.deepEqual(openings[0].openings, [
                {
                    rule: { origin: "ingress[0]" },
                    position: 0,
                    protocol: "tcp",
                    ports: "22",
                    services: ["ssh"],
                    undocumented: false,
                    sources: "0.0.0.0/0",
                    world: true,
                    reading: "service",
                },
                {
                    rule: { origin: "ingress[1]" },
                    position: 1,
                    protocol: "tcp",
                    ports: "5432-5433",
                    services: ["postgres"],
                    undocumented: true,
                    sources: "security-group sg-0abc",
                    world: false,
                    reading: "service",
                },
                {
                    rule: { origin: "ingress[2]" },
                    position: 2,
                    protocol: "tcp",
                    ports: "[secret]",
                    services: [],
                    undocumented: true,
                    sources: "10.0.0.0/8",
                    world: false,
                    reading: "service",
                },
            ]);
        });

        it("never prints a secret source, yet still blocks it", async () => {
            const ds = await pack.analyze({
                type: T.nsg,
                name: "nsg",
                properties: {
                    securityRules: [
                        nsgInbound({
                            destinationPortRange: "5432",
                            sourceAddressPrefix: secret("203.0.113.0/24"),
                            sourceAddressPrefixes: secret(["0.0.0.0/1", "128.0.0.0/1"]),
                        }),
                    ],
                },
            });
            const w = findings(ds, "no-world-open-internal-ports");
            assert.equal(w.mandatory.length, 1);
            assert.match(w.mandatory[0], /\[secret source\].*tcp 5432 \(postgres\)/);
            for (const d of ds) assert.doesNotMatch(d.message, /203\.0\.113|0\.0\.0\.0\/1|128\.0\.0\.0\/1/);
        });

        it("never prints secret ports", async () => {
            const ds = await pack.analyze({
                type: T.sg,
                name: "sg",
                properties: { ingress: [{ protocol: "tcp", fromPort: secret(7777), toPort: secret(7777), cidrBlocks: ["0.0.0.0/0"] }] },
            });
            assert.equal(findings(ds, "no-world-open-internal-ports").mandatory.length, 1);
            assert.equal(findings(ds, "documented-ports-only").mandatory.length, 1);
            for (const d of ds) {
                assert.doesNotMatch(d.message, /7777/);
                assert.match(d.message, /\[secret ports\]/);
            }
        });

        it("applies Configure: levels per policy, the all key and policy options", async () => {
            const props = {
                ingress: [
                    { ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 9000, toPort: 9000, cidrBlock: "10.0.0.0/8" },
                    { ruleNo: 110, action: "allow", protocol: "tcp", fromPort: 1024, toPort: 65535, cidrBlock: "0.0.0.0/0" },
                ],
            };
            const before = await pack.analyze({ type: T.nacl, name: "acl", properties: props });
            assert.ok(findings(before, "documented-ports-only").mandatory.length === 1);
            assert.ok(findings(before, "no-world-open-internal-ports").advisory.some((m) => /return traffic/.test(m)));

            await pack.configure({
                "documented-ports-only": "advisory",
                "no-world-open-internal-ports": { naclReturnTraffic: "mandatory" },
            });
            const after = await pack.analyze({ type: T.nacl, name: "acl", properties: props });
            assert.equal(findings(after, "documented-ports-only").mandatory.length, 0);
            assert.equal(findings(after, "documented-ports-only").advisory.length, 1);
            assert.ok(findings(after, "no-world-open-internal-ports").mandatory.some((m) => /return traffic/.test(m)));

            await pack.configure({ all: "disabled" });
            assert.deepEqual(await pack.analyze({ type: T.nacl, name: "acl", properties: props }), []);
        });

        it("rejects a policy config that fails its schema, as the CLI does before Configure", async () => {
            await assert.rejects(
                pack.configure({ "no-world-open-internal-ports": { naclReturnTraffic: "sometimes" } }),
                /naclReturnTraffic/,
            );
        });

        it("survives hostile input without a gRPC error", async () => {
            const junk: unknown[] = [
                null,
                42,
                "x".repeat(5000),
                [[[]]],
                { ingress: [{ protocol: ["tcp"], fromPort: { a: 1 }, cidrBlocks: [null, 1, true, {}] }] },
                {
                    ingress: Array.from({ length: 2000 }, (_, i) => ({
                        protocol: "tcp",
                        fromPort: i,
                        toPort: i,
                        cidrBlocks: [`10.${i >> 8}.${i & 255}.0/24`],
                    })),
                },
                { securityRules: [{ priority: "high", access: 1, direction: null, protocol: UNKNOWN, destinationPortRanges: "22" }] },
            ];
            for (const type of [T.sg, T.nsg, T.nacl, T.sgRule, T.nsgRule, T.vpcIngress, T.naclRule]) {
                for (const j of junk) {
                    const properties = (
                        j !== null && typeof j === "object" && !Array.isArray(j) ? j : { ingress: j, securityRules: j, protocol: j }
                    ) as Record<string, unknown>;
                    const ds = await pack.analyze({ type, name: "junk", properties });
                    for (const d of ds) assert.doesNotMatch(d.message, /could not check this/, d.message);
                }
            }
        });
    });

    describe("a broken registry", () => {
        it("stops the pack with the file, the line and the problem", async () => {
            const file = tempRegistry("services:\n  - name: db\n    ports: [70000]\n    protocol: tcp\n");
            await assert.rejects(
                PolicyPackProcess.start(packDir, { env: { ...process.env, INTERNAL_PORTS_REGISTRY: file } }),
                (e: unknown) => {
                    assert.ok(e instanceof PolicyPackStartError);
                    assert.match(e.stderr, /ports\.yaml:3: .*70000/);
                    assert.doesNotMatch(e.stderr, /at .*\.js:\d+/, "no stack trace");
                    return true;
                },
            );
        });
    });
});
