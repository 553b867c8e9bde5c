// The generated ports.yaml validator (policies/registry/validator.ts): up to date with the
// schema, giving exactly the errors ajv gives when it compiles the schema (registry.ts builds its
// messages from them), and all the pack runs: ajv's compiler is not loaded at start-up.
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import Ajv, { ValidateFunction } from "ajv";
import * as fc from "fast-check";
import { parse } from "yaml";
import generatedValidator from "../policies/registry/validator";
import { registrySchema } from "../policies/registry/schema";
import { REGISTRY_AJV_OPTIONS, VALIDATOR_FILE, validatorSource } from "../scripts/registry-validator";
import { check } from "./property/common";

const root = path.join(__dirname, "..", "..");
const shippedFile = path.join(root, "ports.yaml");
const shipped = parse(fs.readFileSync(shippedFile, "utf8")) as Record<string, unknown>;
const generated = generatedValidator as unknown as ValidateFunction;
const compiled = new Ajv(REGISTRY_AJV_OPTIONS).compile(registrySchema);

/** Verdict and errors of both validators on the same value; they must be deep-equal. */
function both(data: unknown) {
    const run = (v: ValidateFunction) => ({ valid: v(data), errors: v.errors ?? null });
    return { generated: run(generated), compiled: run(compiled) };
}

function assertSame(data: unknown): void {
    const r = both(data);
    assert.deepStrictEqual(r.generated, r.compiled, JSON.stringify(data));
}

const svc = (extra: Record<string, unknown>) => ({ services: [{ name: "web", ports: [80], protocol: "tcp", ...extra }], knownCidrs: [] });

const documents: [string, unknown][] = [
    ["the shipped ports.yaml", shipped],
    ["null", null],
    ["a list", [{ name: "web" }]],
    ["a string", "services"],
    ["an empty mapping", {}],
    ["services and knownCidrs of the wrong type", { services: { web: 80 }, knownCidrs: "10.0.0.0/8" }],
    ["an unknown top-level key", { services: [], knownCidrs: [], tenant: [] }],
    ["a service that is not a mapping", { services: ["web"], knownCidrs: [] }],
    ["an invalid name", svc({ name: "Orders DB" })],
    ["a numeric name", svc({ name: 5432 })],
    ["a 64-character name", svc({ name: "a".repeat(64) })],
    ["a 63-character name of astral characters", svc({ name: "a" + "\u{1F600}".repeat(62) })],
    ["empty ports", svc({ ports: [] })],
    ["ports as a scalar", svc({ ports: 8080 })],
    ["bad port entries", svc({ ports: [70000, -1, 1.5, "abc", "22-", " 1-2", null, [80], { from: 1 }] })],
    ["an unknown protocol", svc({ protocol: "tcpp" })],
    ["an empty protocol list", svc({ protocol: [] })],
    ["a protocol list with an unknown entry", svc({ protocol: ["tcp", "sctp", 6] })],
    ["a numeric protocol", svc({ protocol: 6 })],
    ["a tcp service without ports", { services: [{ name: "web", protocol: "tcp" }], knownCidrs: [] }],
    ["an icmp service without ports", { services: [{ name: "ping", protocol: ["icmp"] }], knownCidrs: [] }],
    ["an icmp service with ports", svc({ protocol: "icmp" })],
    ["missing name and protocol", { services: [{ ports: [80] }], knownCidrs: [] }],
    ["an unknown service key", svc({ prot: "udp" })],
    [
        "wrong types of owner, description, public, allowedSources",
        svc({ owner: 5, description: [], public: "yes", allowedSources: "10.0.0.0/8" }),
    ],
    ["allowedSources with a number", svc({ allowedSources: ["10.0.0.0/8", 10] })],
    ["knownCidrs with a number", { services: [], knownCidrs: ["10.0.0.0/8", 10] }],
    ["an empty tenantTag", { services: [], knownCidrs: [], tenantTag: "" }],
    [
        "bad tenants",
        {
            services: [],
            knownCidrs: [],
            tenants: [{ name: "", cidrs: [] }, { cidrs: [1] }, "t", { name: "a", cidrs: ["10.0.0.0/8"], x: 1 }],
        },
    ],
    ["tenants not a list", { services: [], knownCidrs: [], tenants: { a: 1 } }],
    [
        "bad exemptions",
        {
            services: [],
            knownCidrs: [],
            exemptions: [
                { policy: "", resource: "x", reason: "r", expires: 20270331 },
                { policy: "p" },
                { policy: "p", resource: "r", reason: "r", expires: "2027-01-01", note: 1 },
            ],
        },
    ],
    ["bad ephemeralPorts", { services: [], knownCidrs: [], ephemeralPorts: [] }],
    ["ephemeralPorts entries", { services: [], knownCidrs: [], ephemeralPorts: ["65535-1024", "x", 70000] }],
];

describe("generated ports.yaml validator", () => {
    it("is up to date with policies/registry/schema.ts (npm run registry-validator)", () => {
        const rel = path.relative(root, VALIDATOR_FILE);
        assert.ok(fs.existsSync(VALIDATOR_FILE), `${rel} is missing: run npm run registry-validator`);
        assert.equal(fs.readFileSync(VALIDATOR_FILE, "utf8"), validatorSource(), `${rel} is out of date: run npm run registry-validator`);
    });

    describe("gives the verdict and the errors of ajv compiling the schema", () => {
        for (const [title, data] of documents) it(title, () => assertSame(data));
        it("accepts the shipped ports.yaml", () => assert.equal(generated(shipped), true));
    });

    it("property: agrees with ajv on generated, mostly registry-shaped documents", () => {
        const anything = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, "", "x", 0, -1, 1.5, 65536, true, [], {}));
        const port = fc.oneof(
            fc.integer({ min: -2, max: 70000 }),
            fc.constantFrom("80", "2379-2380", "22-", "abc", "1 - 2", "0"),
            anything,
        );
        const protocol = fc.oneof(fc.constantFrom("tcp", "udp", "icmp", "all", "TCP", "sctp"), anything);
        const cidr = fc.oneof(fc.constantFrom("10.0.0.0/8", "fd00::/8", "banana"), anything);
        const text = fc.oneof(fc.string({ maxLength: 70 }), fc.constantFrom("web", "Orders DB", "a".repeat(64), ""), anything);
        const service = fc.record(
            {
                name: text,
                ports: fc.oneof(fc.array(port, { maxLength: 3 }), port),
                protocol: fc.oneof(protocol, fc.array(protocol, { maxLength: 3 })),
                owner: text,
                description: text,
                public: fc.oneof(fc.boolean(), anything),
                allowedSources: fc.oneof(fc.array(cidr, { maxLength: 2 }), anything),
                prot: anything,
            },
            { requiredKeys: [] },
        );
        const tenant = fc.record(
            { name: text, cidrs: fc.oneof(fc.array(cidr, { maxLength: 2 }), anything), description: text, extra: anything },
            { requiredKeys: [] },
        );
        const exemption = fc.record(
            {
                policy: text,
                resource: text,
                reason: text,
                expires: fc.oneof(fc.constant("2027-03-31"), anything),
                owner: text,
                note: anything,
            },
            { requiredKeys: [] },
        );
        const doc = fc.oneof(
            {
                weight: 8,
                arbitrary: fc.record(
                    {
                        services: fc.oneof(
                            { weight: 5, arbitrary: fc.array(fc.oneof({ weight: 5, arbitrary: service }, anything), { maxLength: 4 }) },
                            anything,
                        ),
                        knownCidrs: fc.oneof(fc.array(cidr, { maxLength: 3 }), anything),
                        tenantTag: text,
                        tenants: fc.oneof(fc.array(fc.oneof(tenant, anything), { maxLength: 2 }), anything),
                        exemptions: fc.oneof(fc.array(fc.oneof(exemption, anything), { maxLength: 2 }), anything),
                        ephemeralPorts: fc.oneof(fc.array(port, { maxLength: 2 }), anything),
                        tenant: anything,
                    },
                    { requiredKeys: [] },
                ),
            },
            { weight: 1, arbitrary: anything },
        );
        check(
            fc.property(doc, (d) => assertSame(d)),
            1000,
        );
    });

    it("is what the pack runs: loading ports.yaml does not load ajv's compiler, only its runtime helpers", () => {
        const registryJs = path.join(root, "dist", "policies", "registry", "index.js");
        const script = [
            `const reg = require(${JSON.stringify(registryJs)});`,
            `reg.loadRegistry(${JSON.stringify(shippedFile)});`,
            // An invalid file too: the error path must not bring the compiler back.
            `try { reg.parseRegistry("services: [{name: Web, ports: 80, protocol: tcpp}]\\nknownCidrs: []\\n", "ports.yaml"); throw new Error("accepted"); }`,
            "catch (e) { if (e.name !== 'RegistryError') throw e; }",
            "process.stdout.write(JSON.stringify(Object.keys(require.cache)));",
        ].join("\n");
        const loaded = JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" })) as string[];
        const ajvFiles = loaded
            .map((f) => f.split(path.sep).join("/"))
            .filter((f) => f.includes("/node_modules/ajv/"))
            .map((f) => f.split("/node_modules/ajv/")[1]);
        assert.deepEqual(
            ajvFiles.filter((f) => /^dist\/(ajv|core)\.js$|^dist\/compile\//.test(f)),
            [],
            "ajv's compiler was loaded",
        );
        assert.deepEqual(
            ajvFiles.filter((f) => !f.startsWith("dist/runtime/")),
            [],
            "only ajv's runtime helpers may be loaded",
        );
        assert.ok(ajvFiles.length > 0, "the generated validator's runtime helper (ucs2length) is loaded: validation ran");
    });
});
