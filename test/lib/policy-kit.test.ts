// The policy kit's protection: an exception inside a policy becomes one advisory note that carries no
// input value, and malformed stack input (property dependencies) is read inside that protection.
import { strict as assert } from "assert";
import { ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { PolicyMeta, ResourcePolicyDefinition, StackPolicyDefinition } from "../../policies/kit/definition";
import { toPulumiPolicy } from "../../policies/kit/pulumi";
import { runCheck, runStackCheck } from "../../policies/kit/run";
import { installRequestSharing } from "../../policies/kit/requests";
import { tenantIsolation } from "../../policies/rules/tenant-isolation";
import { proxyTarget } from "../../policies/wire/policy-hook";
import { UNKNOWN } from "../../policies/wire/engine";
import { T, testRegistry, urnOf } from "../helpers";

const SECRET = "hunter2-S3CRET-0451";
const meta = (name: string): PolicyMeta => ({
    name,
    description: "test policy",
    rationale: "test",
    severity: "low",
    defaultLevel: "mandatory",
    remediationSteps: "none",
    messages: {},
});
const sgProps = { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] }] };

function runThrowing(thrower: () => never): { message: string; advisory: boolean }[] {
    const def: ResourcePolicyDefinition<object> = { meta: meta("throws-on-check"), check: thrower };
    const out: { message: string; advisory: boolean }[] = [];
    runCheck(def, testRegistry, { type: T.sg, name: "r", urn: urnOf(T.sg, "r"), props: sgProps }, {}, ({ message, advisory }) =>
        out.push({ message, advisory }),
    );
    return out;
}

describe("policy kit: internal errors", () => {
    it("never quote the error's message; they name the policy, the resource type, the class and where in the pack", () => {
        const out = runThrowing(() => {
            throw new Error(`unexpected source ${SECRET} in ingress[0]`);
        });
        assert.equal(out.length, 1);
        assert.equal(out[0].advisory, true);
        const note = out[0].message;
        assert.match(
            note,
            /^throws-on-check could not check this aws:ec2\/securityGroup:SecurityGroup resource \(internal error: Error at dist\/test\/lib\/policy-kit\.test\.js:\d+\)\. Nothing was verified/,
        );
        assert.ok(!note.includes(SECRET), note);
        assert.ok(!note.includes("unexpected source"), note);
    });

    it("name a runtime TypeError by its class", () => {
        const out = runThrowing(() => {
            const rules = JSON.parse("null") as { [k: string]: unknown };
            return rules[SECRET] as never;
        });
        assert.equal(out.length, 1);
        assert.match(out[0].message, /\(internal error: TypeError at dist\/test\/lib\/policy-kit\.test\.js:\d+\)/);
        assert.ok(!out[0].message.includes(SECRET), out[0].message);
    });

    it("say only the type of a thrown non-Error", () => {
        const out = runThrowing(() => {
            // eslint-disable-next-line @typescript-eslint/only-throw-error -- the case under test: a policy that throws a string
            throw SECRET;
        });
        assert.match(out[0].message, /\(internal error: a thrown string\)/);
        assert.ok(!out[0].message.includes(SECRET), out[0].message);
    });

    it("do not trust an error's name, nor a message changed after the stack was taken", () => {
        const renamed = runThrowing(() => {
            const e = new Error("x");
            e.name = SECRET;
            throw e;
        });
        assert.match(renamed[0].message, /\(internal error: Error at dist\/test\/lib\/policy-kit\.test\.js:\d+\)/);
        assert.ok(!renamed[0].message.includes(SECRET), renamed[0].message);
        // The stack's header then holds the old message: where it ends is unknown, so no location.
        const changed = runThrowing(() => {
            const e = new Error(`x\n    at ${__filename}:1:1`);
            void e.stack;
            e.message = SECRET;
            throw e;
        });
        assert.match(changed[0].message, /\(internal error: Error\)\./);
        assert.ok(!changed[0].message.includes(SECRET), changed[0].message);
        const hostile = runThrowing(() => {
            const e = new Error(SECRET);
            Object.defineProperty(e, "stack", {
                get: () => {
                    throw new Error(SECRET);
                },
            });
            throw e;
        });
        assert.match(hostile[0].message, /\(internal error: an error that could not be described\)\./);
    });

    it("in a stack policy name the stack, not the message", () => {
        const def: StackPolicyDefinition<object> = {
            meta: meta("throws-on-stack"),
            checkStack() {
                throw new RangeError(`bad ${SECRET}`);
            },
        };
        const out: string[] = [];
        runStackCheck(def, testRegistry, [{ type: T.sg, name: "r", urn: urnOf(T.sg, "r"), props: sgProps }], {}, (f) =>
            out.push(f.message),
        );
        assert.equal(out.length, 1);
        assert.match(
            out[0],
            /^throws-on-stack could not check this stack \(internal error: RangeError at dist\/test\/lib\/policy-kit\.test\.js:\d+\)/,
        );
        assert.ok(!out[0].includes(SECRET), out[0]);
    });
});

describe("policy kit: stack input", () => {
    const validate = (resources: unknown[]) => {
        const policy = toPulumiPolicy(tenantIsolation, testRegistry) as StackValidationPolicy;
        const mandatory: string[] = [];
        const advisory: string[] = [];
        const report = ((v: string | { message: string }) =>
            typeof v === "string" ? mandatory.push(v) : advisory.push(v.message)) as ReportViolation;
        const args = {
            resources,
            getConfig: () => ({}),
            stackTags: new Map(),
            notApplicable: () => {
                throw new Error("not applicable");
            },
        };
        // The kit's validateStack returns nothing (it reports as it goes).
        void policy.validateStack(args as unknown as StackValidationArgs, report);
        return { mandatory, advisory };
    };
    const group = {
        type: T.sg,
        name: "acme-db",
        urn: urnOf(T.sg, "acme-db"),
        propertyDependencies: {},
        props: { tags: { tenant: "acme" }, ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.1.0.0/24"] }] },
    };
    const rule = (propertyDependencies: unknown) => ({
        type: T.sgRule,
        name: "extra",
        urn: urnOf(T.sgRule, "extra"),
        propertyDependencies,
        props: { type: "ingress", protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.2.0.0/24"], securityGroupId: "sg-0123" },
    });

    it("skips dependency entries that name no resource, and still links the rest", () => {
        const found = validate([group, rule({ securityGroupId: [null, 42, { urn: 7 }, "", group], vpcId: "not a list", tags: null })]);
        assert.deepEqual(found.advisory, []);
        assert.equal(found.mandatory.length, 1);
        assert.match(found.mandatory[0], /^this rule, on a resource of tenant acme inherited from acme-db, admits 10\.2\.0\.0\/24/);
    });

    for (const [what, deps] of [
        ["null", null],
        ["a string", "x"],
        ["a list", [group]],
        ["missing", undefined],
    ] as const) {
        it(`reads propertyDependencies that are ${what} as none, without failing the check`, () => {
            const found = validate([
                group,
                rule(deps),
                {
                    ...group,
                    name: "globex-db",
                    urn: urnOf(T.sg, "globex-db"),
                    props: {
                        tags: { tenant: "globex" },
                        ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.1.0.0/24"] }],
                    },
                },
            ]);
            assert.deepEqual(found.advisory, []);
            assert.equal(found.mandatory.length, 1, "the other resources are still checked");
            assert.match(found.mandatory[0], /tenant globex, admits 10\.1\.0\.0\/24/);
        });
    }

    it("turns a resource list it cannot read into a note, not a failed preview", () => {
        const found = validate([group, null]);
        assert.deepEqual(found.mandatory, []);
        assert.equal(found.advisory.length, 1);
        assert.match(
            found.advisory[0],
            /tenant-isolation could not check this stack \(internal error: TypeError at dist\/policies\/kit\/[a-z-]+\.js:\d+\)/,
        );
    });
});

describe("policy kit: one model of the stack per request", () => {
    // What @pulumi/policy's AnalyzeStack does: per stack policy, a new unknown-checking proxy over
    // the property bag the shared deserialisation returned (the same bag for every policy).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as { unknownCheckingProxy: (o: object) => object };
    const bags = [sgProps, { tags: { tenant: "acme" }, ingress: [] }];
    const argsFor = () => ({
        resources: bags.map((props, i) => ({
            type: T.sg,
            name: `sg-${i}`,
            urn: urnOf(T.sg, `sg-${i}`),
            props: unknownCheckingProxy(props),
            propertyDependencies: {},
        })),
        getConfig: () => ({}),
        stackTags: new Map(),
        notApplicable: () => {
            throw new Error("not applicable");
        },
    });
    const seenBy = (name: string, seen: object[]): StackValidationPolicy =>
        toPulumiPolicy<object>(
            {
                meta: meta(name),
                checkStack: ({ stack, resources }) => {
                    seen.push(stack, resources);
                },
            },
            testRegistry,
        ) as StackValidationPolicy;

    it("shares the index and models among the stack policies, though each gets its own proxies", () => {
        const seen: object[] = [];
        const report = (() => undefined) as ReportViolation;
        for (const name of ["first", "second"]) void seenBy(name, seen).validateStack(argsFor() as unknown as StackValidationArgs, report);
        assert.equal(seen.length, 4);
        assert.equal(seen[2], seen[0], "the second policy reads the first one's stack index");
        assert.equal(seen[3], seen[1], "and its resources");
    });

    it("builds a new one for another request", () => {
        const seen: object[] = [];
        const report = (() => undefined) as ReportViolation;
        const policy = seenBy("first", seen);
        void policy.validateStack(argsFor() as unknown as StackValidationArgs, report);
        bags[1] = { ...bags[1] };
        void policy.validateStack(argsFor() as unknown as StackValidationArgs, report);
        assert.notEqual(seen[2], seen[0]);
    });
});

describe("policy kit: the proxy @pulumi/policy puts over a property bag", () => {
    it("is one per bag once the request sharing is installed, and still stops a read of an unknown", () => {
        assert.equal(installRequestSharing(), true);
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- read after the hook, as @pulumi/policy's server reads it
        const proxy = require("@pulumi/policy/proxy") as { unknownCheckingProxy: (o: object) => Record<string, unknown> };
        const bag = { name: "db", port: UNKNOWN };
        const first = proxy.unknownCheckingProxy(bag);
        assert.equal(proxy.unknownCheckingProxy(bag), first, "the second policy gets the first one's proxy");
        assert.notEqual(proxy.unknownCheckingProxy({ ...bag }), first, "another bag gets its own");
        assert.equal(proxyTarget(first), bag);
        assert.equal(first.name, "db");
        assert.throws(() => first.port, /can.t be known during preview/);
    });
});
