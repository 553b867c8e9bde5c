// The readers every adapter shares (protocol names, port specs, CIDRs, enumerations) on arbitrary
// input: they never throw, and what they return is always one of the values the model allows.
import { strict as assert } from "assert";
import * as fc from "fast-check";
import { normaliseFirewall } from "../../policies/adapters";
import { canonical, gcpIdentity } from "../../policies/adapters/gcp/topology-network";
import { Input } from "../../policies/adapters/support/input";
import { parseCidr } from "../../policies/model/addresses";
import { PORT_MAX } from "../../policies/model/intervals";
import { parsePortNumber, parsePortSpec } from "../../policies/model/ports";
import { parseProtocol } from "../../policies/model/protocol";
import { check } from "./common";
import { nsgInbound } from "../helpers";

/** Names of Object.prototype members, in the case the readers lower-case to. */
const PROTOTYPE_WORDS = [
    "constructor",
    "__proto__",
    "toString",
    "tostring",
    "valueOf",
    "hasOwnProperty",
    "isPrototypeOf",
    "__defineGetter__",
    "prototype",
];
const words = fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_WORDS) },
    {
        weight: 2,
        arbitrary: fc.constantFrom(
            "tcp",
            "TCP",
            " udp ",
            "-1",
            "6",
            "17",
            "58",
            "256",
            "-2",
            "1.5",
            "all",
            "*",
            "any",
            "esp",
            "Icmp",
            "icmpv6",
            "1e3",
            "0x6",
            "",
        ),
    },
    { weight: 1, arbitrary: fc.integer({ min: -1000, max: 1000 }).map(String) },
);
const anything = fc.oneof(
    words,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(fc.integer(), { maxLength: 2 }),
    fc.object({ maxDepth: 1 }),
);

describe("property: shared readers on arbitrary input", () => {
    it("parseProtocol returns one of the model's protocols, or undefined", () => {
        check(
            fc.property(anything, (v) => {
                const p = parseProtocol(v);
                if (p === undefined) return;
                assert.ok(["tcp", "udp", "icmp", "all", "other"].includes(p.protocol), `${JSON.stringify(v)} -> ${String(p.protocol)}`);
                if (p.protocol === "other")
                    assert.ok(Number.isInteger(p.number) && p.number! >= 0 && p.number! <= 255, `${JSON.stringify(v)} -> ${p.number}`);
            }),
            3000,
        );
    });

    it("prototype member names are not protocols, directions or actions", () => {
        for (const w of PROTOTYPE_WORDS) {
            assert.equal(parseProtocol(w), undefined, w);
            const res = normaliseFirewall("azure-native:network:NetworkSecurityGroup", {
                securityRules: [
                    { direction: w, access: w, priority: 100, protocol: w, destinationPortRange: "22", sourceAddressPrefix: "*" },
                ],
            })!;
            const r = res.rules[0];
            assert.ok(r.direction === "inbound" || r.direction === "outbound", `${w}: direction ${String(r.direction)}`);
            assert.ok(r.action === "allow" || r.action === "deny", `${w}: action ${String(r.action)}`);
            assert.deepEqual(
                r.unresolved.map((u) => `${u.part}:${u.reason}`).sort(),
                ["action:invalid", "direction:invalid", "protocol:invalid"],
                w,
            );
        }
    });

    it("values that are objects or lists in an enumerated field are invalid, never a crash", () => {
        // Found by the fuzz test: { "toString": 1 } is plain JSON, and String() of it throws, which
        // turned a whole resource into "could not check this" (hiding a world-open rule next to it).
        const odd: unknown[] = [{ toString: 1 }, { valueOf: "x", toString: null }, ["inbound"], [true], {}, { __proto__: null }];
        for (const v of odd) {
            const res = normaliseFirewall("azure-native:network:NetworkSecurityGroup", {
                securityRules: [
                    { direction: v, access: v, priority: 100, protocol: "Tcp", destinationPortRange: "22", sourceAddressPrefix: "*" },
                    {
                        direction: "Inbound",
                        access: "Allow",
                        priority: 200,
                        protocol: "Tcp",
                        destinationPortRange: "22",
                        sourceAddressPrefix: "*",
                    },
                ],
            })!;
            const [bad, good] = res.rules;
            assert.deepEqual(
                bad.unresolved.map((u) => `${u.part}:${u.reason}`).sort(),
                ["action:invalid", "direction:invalid"],
                JSON.stringify(v),
            );
            assert.deepEqual(good.unresolved, []);
            const acl = normaliseFirewall("aws:ec2/networkAclRule:NetworkAclRule", {
                egress: v,
                ruleAction: v,
                ruleNumber: 1,
                protocol: "tcp",
                fromPort: 22,
                toPort: 22,
                cidrBlock: "0.0.0.0/0",
            })!;
            assert.ok(
                acl.rules[0].unresolved.some((u) => u.part === "direction" && u.reason === "invalid"),
                JSON.stringify(v),
            );
        }
    });

    it("no unresolved-value detail quotes a value that was secret", () => {
        // Found by the fuzz test: "ingress[0].fromPort is after the end of the range (46045)" printed a
        // secret toPort; a secret "9-5" came back as "start 9 is after its end 5".
        const n = fc.integer({ min: 40000, max: 49999 });
        check(
            fc.property(n, n, fc.boolean(), fc.boolean(), (a, b, secretFrom, secretTo) => {
                const secrets = new Set<string>();
                if (secretFrom) secrets.add("ingress[0].fromPort");
                if (secretTo) secrets.add("ingress[0].toPort");
                const aws = normaliseFirewall(
                    "aws:ec2/securityGroup:SecurityGroup",
                    { ingress: [{ protocol: "tcp", fromPort: a, toPort: b, cidrBlocks: ["0.0.0.0/0"] }] },
                    secrets,
                )!;
                const details = aws.rules.flatMap((r) => r.unresolved.map((u) => `${u.path} ${u.detail ?? ""}`)).join("\n");
                if (secretFrom) assert.doesNotMatch(details, new RegExp(`\\b${a}\\b`), details);
                if (secretTo) assert.doesNotMatch(details, new RegExp(`\\b${b}\\b`), details);
                const az = normaliseFirewall(
                    "azure-native:network:NetworkSecurityGroup",
                    {
                        securityRules: [nsgInbound({ destinationPortRange: `${a}-${b}`, sourceAddressPrefix: "*" })],
                    },
                    new Set(["securityRules[0].destinationPortRange"]),
                )!;
                const azDetails = az.rules.flatMap((r) => r.unresolved.map((u) => u.detail ?? "")).join("\n");
                assert.doesNotMatch(azDetails, new RegExp(`\\b(${a}|${b})\\b`), azDetails);
            }),
            300,
        );
    });

    it("parsePortSpec and parsePortNumber give ports inside 0-65535 or a reason", () => {
        check(
            fc.property(
                fc.oneof(
                    anything,
                    fc.tuple(fc.integer({ min: -5, max: 70000 }), fc.integer({ min: -5, max: 70000 })).map(([a, b]) => `${a}-${b}`),
                ),
                (v) => {
                    const n = parsePortNumber(v);
                    if (n !== undefined) assert.ok(Number.isInteger(n));
                    const r = parsePortSpec(v);
                    if ("error" in r) {
                        assert.equal(typeof r.error, "string");
                        return;
                    }
                    for (const [lo, hi] of r.ports.intervals)
                        assert.ok(Number.isInteger(lo) && 0 <= lo && lo <= hi && hi <= PORT_MAX, `${JSON.stringify(v)} -> ${lo}-${hi}`);
                },
            ),
            3000,
        );
    });

    it("parseCidr never throws and returns a range inside its family", () => {
        const cidrish = fc.oneof(
            fc.string({ maxLength: 20 }),
            fc
                .tuple(
                    fc.nat({ max: 300 }),
                    fc.nat({ max: 300 }),
                    fc.nat({ max: 300 }),
                    fc.nat({ max: 300 }),
                    fc.integer({ min: -1, max: 40 }),
                )
                .map(([a, b, c, d, p]) => `${a}.${b}.${c}.${d}/${p}`),
            fc.ipV4().map((ip) => ip),
            fc.ipV6(),
            fc.ipV6().map((ip) => `${ip}/${ip.length % 130}`),
            fc.tuple(fc.ipV4(), fc.ipV4()).map(([a, b]) => `${a}-${b}`),
            fc.constantFrom("0.0.0.0/0", "::/0", "1.2.3.4/0", "::ffff:1.2.3.4/96", "10.0.0.0/8 ", "10.0.0.0/ 8", "/8", "-", "1.2.3.4-"),
        );
        check(
            fc.property(cidrish, (t) => {
                const c = parseCidr(t);
                if (!c) return;
                const max = c.family === "v4" ? (1n << 32n) - 1n : (1n << 128n) - 1n;
                assert.ok(0n <= c.range[0] && c.range[0] <= c.range[1] && c.range[1] <= max, `${t} -> ${c.range.join(",")}`);
                assert.equal(
                    parseCidr(c.text)?.range.join(),
                    c.range.join(),
                    `${t}: its canonical text ${c.text} parses to the same range`,
                );
            }),
            3000,
        );
    });
});

describe("property: GCP references in their id form", () => {
    const SLOW_HOST = /^(?:https?:)?\/\/(?:www\.|compute\.)?googleapis\.com\/(?:compute\/(?:v1|beta|alpha)\/)?/i;
    const SLOW_CAIS = /^\/\/[a-z.]+\.googleapis\.com\//i;
    const slow = (ref: string) => ref.trim().replace(SLOW_HOST, "").replace(SLOW_CAIS, "").replace(/\/$/, "");
    const part = fc.constantFrom(
        "https://www.googleapis.com/compute/v1/",
        "HTTPS://compute.googleapis.com/",
        "//compute.googleapis.com/",
        "projects/p/",
        "global/networks/",
        "n",
        "/",
        " ",
        "\u00a0",
        "\t",
        "h",
        "H",
    );
    it("gives what trimming and stripping the host gives, for names, ids, self links and odd text", () => {
        check(
            fc.property(
                fc.oneof(
                    fc.array(part, { maxLength: 5 }).map((a) => a.join("")),
                    fc.string({ unit: "binary", maxLength: 12 }),
                ),
                (ref) => {
                    assert.equal(canonical(ref), slow(ref));
                },
            ),
            3000,
        );
    });
    it("identifies a resource by each id-form value, and each without its projects/<p>/ prefix, once each", () => {
        const slowIdentity = (values: Record<string, unknown>) => {
            const out = new Set<string>();
            for (const v of Object.values(values)) {
                if (typeof v !== "string" || v.trim() === "") continue;
                const c = slow(v);
                out.add(c);
                const m = /^projects\/[^/]+\/(.+)$/s.exec(c);
                if (m) out.add(m[1]);
            }
            return [...out];
        };
        const ref = fc.oneof(
            fc.array(part, { maxLength: 5 }).map((a) => a.join("")),
            fc.string({ unit: "binary", maxLength: 12 }),
        );
        check(
            fc.property(fc.record({ id: ref, name: ref, selfLink: ref }), (values) => {
                assert.deepEqual(gcpIdentity(Input.root(values), ["id", "name", "selfLink"]), slowIdentity(values));
            }),
            3000,
        );
    });
});
