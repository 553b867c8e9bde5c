import { strict as assert } from "assert";
import { FindingRecord } from "../../policies/kit/findings";
import { noWorldOpenInternalPorts } from "../../policies/rules/no-world-open-internal-ports";
import { runCheck } from "../../policies/kit/run";
import { exemptionActive, exemptionMatches, parseRegistry, RegistryError } from "../../policies/registry";
import { T } from "../helpers";

const registry = parseRegistry(
    `services:
  - { name: ssh, ports: [22], protocol: tcp }
knownCidrs: []
exemptions:
  - { policy: no-world-open-internal-ports, resource: "bastion-*", reason: SOC watches it, expires: "2026-12-01" }
`,
    "ports.yaml",
);

function findings(now: string, name: string) {
    const out: FindingRecord[] = [];
    runCheck(
        noWorldOpenInternalPorts,
        registry,
        {
            type: T.sg,
            name,
            urn: `urn:pulumi:s::p::${T.sg}::${name}`,
            props: { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] },
        },
        {},
        (f) => out.push(f),
        { now: () => new Date(now) },
    );
    return out;
}

describe("exemptions", () => {
    it("apply through the last day of their expiry (UTC), judged by the injected clock", () => {
        assert.deepEqual(findings("2026-12-01T23:59:59Z", "bastion-1"), []);
        const after = findings("2026-12-02T00:00:00Z", "bastion-1");
        assert.equal(after.length, 1);
        assert.equal(after[0].advisory, false);
        assert.match(after[0].message, /\nThe exemption for bastion-1 on ports\.yaml:5 expired on 2026-12-01\.$/);
        assert.deepEqual(after[0].exemption, { line: 5, expires: "2026-12-01", state: "expired" });
    });
    it("only cover matching resources", () => {
        assert.equal(findings("2026-11-27T00:00:00Z", "web").length, 1);
        assert.doesNotMatch(findings("2026-11-27T00:00:00Z", "web")[0].message, /exemption/);
    });
    const e = registry.exemptions[0];
    const matches: [string, string, boolean][] = [
        ["bastion-eu", "urn:x", true],
        ["bastion-", "urn:x", true],
        ["bastion", "urn:x", false],
        ["web", "urn:pulumi:s::p::t::bastion-1", false],
        ["xbastion-1", "urn:x", false],
    ];
    for (const [name, urn, want] of matches)
        it(`glob bastion-* ${want ? "matches" : "does not match"} ${name} / ${urn}`, () =>
            assert.equal(exemptionMatches(e, name, urn), want));
    it("a glob over the URN", () =>
        assert.equal(exemptionMatches({ ...e, resource: "*::bastion-*" }, "web", "urn:pulumi:s::p::t::bastion-1"), true));
    it("treats regex characters in patterns literally", () => {
        assert.equal(exemptionMatches({ ...e, resource: "a.b" }, "axb", ""), false);
        assert.equal(exemptionMatches({ ...e, resource: "a.b*" }, "a.bc", ""), true);
    });
    it("activity is by day", () => {
        assert.equal(exemptionActive(e, new Date("2026-12-01T12:00:00Z")), true);
        assert.equal(exemptionActive(e, new Date("2026-12-02T00:00:01Z")), false);
    });
    const broken: [string, string, RegExp][] = [
        [
            "an expiry that is not a date",
            `expires: "next year"`,
            /ports\.yaml:7: exemptions\[0\]\.expires: expires must be a date written YYYY-MM-DD/,
        ],
        [
            "an impossible date",
            `expires: "2027-02-30"`,
            /ports\.yaml:7: exemptions\[0\]\.expires: expires "2027-02-30" has day 30, but 2027-02 has 28 days/,
        ],
        [
            "a month that does not exist (day and month swapped)",
            `expires: "2027-31-03"`,
            /ports\.yaml:7: exemptions\[0\]\.expires: expires "2027-31-03" has month 31, which does not exist \(write YYYY-MM-DD\); did you mean 2027-03-31\?/,
        ],
        ["a day that does not exist", `expires: "2027-12-32"`, /expires "2027-12-32" has day 32, but 2027-12 has 31 days/],
        ["month 00", `expires: "2027-00-10"`, /has month 00, which does not exist/],
        ["a missing expiry", ``, /missing required key "expires"/],
        ["an unknown policy", `expires: "2027-01-01"\n    policy2: x`, /unknown key "policy2"/],
    ];
    for (const [name, extra, pattern] of broken) {
        it(`rejects ${name}`, () => {
            const text =
                `services: []\nknownCidrs: []\nexemptions:\n  - policy: no-world-open-internal-ports\n    resource: x\n    reason: y\n    ${extra}\n`.replace(
                    "    resource: x\n    reason: y\n    expires",
                    "    resource: x\n    reason: y\n    expires",
                );
            assert.throws(
                () => parseRegistry(text.replace(/\n {4}\n/, "\n"), "ports.yaml"),
                (err: unknown) => err instanceof RegistryError && pattern.test(err.message),
            );
        });
    }
    it("rejects an exemption for a policy the pack does not have", () => {
        const text = `services: []\nknownCidrs: []\nexemptions:\n  - { policy: no-world-open-internal-port, resource: x, reason: y, expires: "2027-01-01" }\n`;
        assert.throws(
            () => parseRegistry(text, "ports.yaml", { policyNames: ["no-world-open-internal-ports"] }),
            /ports\.yaml:4: exemptions\[0\]\.policy: "no-world-open-internal-port" is not a policy of this pack \(no-world-open-internal-ports\); did you mean "no-world-open-internal-ports"\?/,
        );
    });
});
