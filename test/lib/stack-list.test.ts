// The stack policies of a request share one resource list (policies/wire/stack-list.ts): every
// policy must see what @pulumi/policy's own handler would have given it, and the engine must get
// the very same answer.
import { strict as assert } from "assert";
import type * as analyzerPbT from "@pulumi/pulumi/proto/analyzer_pb";
import { installRequestSharing } from "../../policies/kit/requests";
import { proxyTarget } from "../../policies/wire/policy-hook";
import { HandlerFactory, ListedResource, sharingHandler, StackHandler, stackResourcesOf } from "../../policies/wire/stack-list";
import { probeRegistration } from "./pack-server";

/* eslint-disable @typescript-eslint/no-require-imports -- the modules @pulumi/policy's server itself uses */
const pb = require("@pulumi/pulumi/proto/analyzer_pb") as typeof analyzerPbT;
const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as typeof import("google-protobuf/google/protobuf/struct_pb");
const server = require("@pulumi/policy/server") as { makeAnalyzeStackRpcFun: (...a: unknown[]) => StackHandler };
/* eslint-enable @typescript-eslint/no-require-imports */

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const urn = (type: string, name: string) => `urn:pulumi:dev::app::${type}::${name}`;

interface Spec {
    type: string;
    name: string;
    props: Record<string, unknown>;
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    provider?: { type: string; name: string; props: Record<string, unknown> };
    protect?: boolean;
    deleteBeforeReplace?: boolean;
}

function resourceMessage(s: Spec): analyzerPbT.AnalyzerResource {
    const m = new pb.AnalyzerResource();
    m.setType(s.type);
    m.setName(s.name);
    m.setUrn(urn(s.type, s.name));
    m.setProperties(Struct.fromJavaScript(s.props as never));
    const o = new pb.AnalyzerResourceOptions();
    o.setProtect(s.protect ?? false);
    o.setIgnorechangesList(s.protect ? ["tags"] : []);
    o.setAliasesList([]);
    o.setAdditionalsecretoutputsList([]);
    if (s.deleteBeforeReplace !== undefined) {
        o.setDeletebeforereplacedefined(true);
        o.setDeletebeforereplace(s.deleteBeforeReplace);
    }
    const t = new pb.AnalyzerResourceOptions.CustomTimeouts();
    t.setCreate(s.protect ? 60 : 0);
    o.setCustomtimeouts(t);
    if (s.parent) o.setParent(s.parent);
    m.setOptions(o);
    m.setParent(s.parent ?? "");
    m.setDependenciesList(s.dependencies ?? []);
    for (const [k, urns] of Object.entries(s.propertyDependencies ?? {})) {
        const d = new pb.AnalyzerPropertyDependencies();
        d.setUrnsList(urns);
        m.getPropertydependenciesMap().set(k, d);
    }
    if (s.provider) {
        const p = new pb.AnalyzerProviderResource();
        p.setType(s.provider.type);
        p.setName(s.provider.name);
        p.setUrn(urn(s.provider.type, s.provider.name));
        p.setProperties(Struct.fromJavaScript(s.provider.props as never));
        m.setProvider(p);
    }
    return m;
}

function request(specs: Spec[]): analyzerPbT.AnalyzeStackRequest {
    const r = new pb.AnalyzeStackRequest();
    r.setResourcesList(specs.map(resourceMessage));
    return r;
}

const VPC = "aws:ec2/vpc:Vpc";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const COMPONENT = "app:index:Tier";
const PROVIDER = { type: "pulumi:providers:aws", name: "default", props: { region: "eu-west-1" } };
const tier: Spec = { type: COMPONENT, name: "tier", props: {} };
const vpc: Spec = { type: VPC, name: "main", props: { cidrBlock: "10.0.0.0/16" }, parent: urn(COMPONENT, "tier"), provider: PROVIDER };
const sg: Spec = {
    type: SG,
    name: "db",
    props: { vpcId: UNKNOWN, ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/0"] }] },
    parent: urn(COMPONENT, "tier"),
    dependencies: [urn(VPC, "main"), urn(SG, "outside")],
    propertyDependencies: { vpcId: [urn(VPC, "main"), urn(SG, "outside")] },
    provider: PROVIDER,
    protect: true,
    deleteBeforeReplace: false,
};
const REQUESTS: Record<string, Spec[]> = {
    "a stack with parents, dependencies (one outside the request), a provider and options": [tier, vpc, sg],
    "an empty stack": [],
    "a stack without unknowns": [tier, vpc],
};

/** What a policy saw of its list, with the links between its resources written as URNs. */
function view(list: readonly unknown[]): unknown {
    class Vpc {
        static __pulumiType = VPC;
    }
    return (list as (ListedResource & Record<string, unknown>)[]).map((r) => {
        const urnOf = (x: unknown) => (x as { urn: string } | undefined)?.urn;
        const asVpc = (r as unknown as { asType: (c: unknown) => unknown }).asType(Vpc);
        return {
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: proxyTarget(r.props),
            opts: r.opts,
            provider: r.provider && { ...r.provider, props: proxyTarget((r.provider as unknown as { props: unknown }).props) },
            parent: urnOf(r.parent),
            dependencies: (r.dependencies as unknown[]).map(urnOf),
            propertyDependencies: Object.fromEntries(
                Object.entries(r.propertyDependencies).map(([k, v]) => [k, (v as unknown[]).map(urnOf)]),
            ),
            isVpc: (r as unknown as { isType: (c: unknown) => boolean }).isType(Vpc),
            asVpc: asVpc === undefined ? undefined : proxyTarget(asVpc),
        };
    });
}

interface Seen {
    policy: string;
    list: readonly unknown[];
}

/** Stack policies of every kind @pulumi/policy's handler treats differently; each records the list it reads. */
function policies(seen: Seen[]) {
    const reading = (policy: string) => (args: { resources: readonly unknown[] }) => {
        const list = stackResourcesOf(args);
        seen.push({ policy, list });
        return list;
    };
    return [
        { name: "resource-only", description: "r", enforcementLevel: "mandatory", validateResource: () => undefined },
        {
            name: "reports",
            description: "reports a string violation",
            enforcementLevel: "mandatory",
            validateStack: (args: { resources: readonly unknown[] }, report: (m: unknown, u?: string) => void) => {
                for (const r of reading("reports")(args)) if (r.type === SG) report(`${r.name} is open`, r.urn);
            },
        },
        {
            name: "reads-unknowns",
            description: "reads every property, unknowns too",
            enforcementLevel: "advisory",
            severity: "high",
            validateStack: (args: { resources: readonly unknown[] }, report: (m: unknown) => void) => {
                for (const r of reading("reads-unknowns")(args)) {
                    const props = r.props as Record<string, unknown>;
                    for (const k of Object.keys(proxyTarget(props) as object)) void props[k];
                    report({ message: `read ${r.name}`, urn: r.urn, enforcementLevel: "mandatory" });
                }
            },
        },
        {
            name: "not-applicable",
            description: "does not apply to stacks without security groups",
            enforcementLevel: "advisory",
            validateStack: (args: { resources: readonly unknown[]; notApplicable: (reason: string) => void }) => {
                if (!reading("not-applicable")(args).some((r) => r.type === SG)) args.notApplicable("no security groups");
            },
        },
        { name: "disabled", description: "off", enforcementLevel: "disabled", validateStack: reading("disabled") },
        {
            name: "remediate",
            description: "a stack policy at remediate is mandatory",
            enforcementLevel: "remediate",
            validateStack: (args: { resources: readonly unknown[] }, report: (m: string) => void) => {
                report(`${reading("remediate")(args).length} resources`);
            },
        },
        {
            name: "throws",
            description: "fails on a stack of one resource",
            enforcementLevel: "mandatory",
            validateStack: (args: { resources: readonly unknown[] }) => {
                if (reading("throws")(args).length === 1) throw new Error("boom");
            },
        },
    ];
}

/** @pulumi/policy's own AnalyzeStack handler over these policies. */
const handlerOver: HandlerFactory = (ps) => server.makeAnalyzeStackRpcFun("test-pack", "1.0.0", "advisory", ps);
const shareOver = (ps: unknown[]) => sharingHandler(handlerOver(ps as never), handlerOver);

function call(handler: StackHandler, req: analyzerPbT.AnalyzeStackRequest): Promise<{ error?: string; response?: string }> {
    return new Promise((resolve) => {
        void handler({ request: req }, (error, response) =>
            resolve(
                error
                    ? { error: String((error as Error).message) }
                    : { response: Buffer.from((response as analyzerPbT.AnalyzeResponse).serializeBinary()).toString("base64") },
            ),
        );
    });
}

describe("stack policies share one resource list (wire/stack-list.ts)", () => {
    before(() => assert.equal(installRequestSharing(), true));

    for (const [what, specs] of Object.entries(REQUESTS)) {
        it(`${what}: every policy sees what @pulumi/policy gives it, and the answer is the same`, async () => {
            const alone: Seen[] = [];
            const shared: Seen[] = [];
            const original = handlerOver(policies(alone) as never);
            const expected = await call(original, request(specs));
            const got = await call(shareOver(policies(shared)), request(specs));
            assert.deepEqual(got, expected);
            assert.deepEqual(
                shared.map((s) => s.policy),
                alone.map((s) => s.policy),
            );
            assert.ok(!alone.some((s) => s.policy === "disabled"), "a disabled policy does not run");
            for (let i = 0; i < alone.length; i++) assert.deepEqual(view(shared[i].list), view(alone[i].list), shared[i].policy);
            if (specs.length > 0) {
                assert.ok(alone.length > 1 && alone[0].list !== alone[1].list, "@pulumi/policy builds each policy its own list");
                assert.ok(
                    shared.every((s) => s.list === shared[0].list),
                    "shared: one list",
                );
            }
        });
    }

    it("reports an unknown read as @pulumi/policy does (the request with unknowns)", async () => {
        const got = await call(shareOver(policies([])), request([tier, vpc, sg]));
        const res = pb.AnalyzeResponse.deserializeBinary(Buffer.from(got.response!, "base64"));
        const messages = res.getDiagnosticsList().map((d) => d.getMessage());
        assert.ok(
            messages.some((m) => /can't run policy 'reads-unknowns'.*during preview/.test(m)),
            messages.join("\n"),
        );
    });

    it("runs @pulumi/policy's handler on the request as it came when the list cannot be kept", async () => {
        const seen: Seen[] = [];
        const ps = policies(seen);
        const expected = await call(handlerOver(policies([]) as never), request([tier, vpc, sg]));
        const failing: HandlerFactory = () => {
            throw new Error("not this version");
        };
        assert.deepEqual(await call(sharingHandler(handlerOver(ps as never), failing), request([tier, vpc, sg])), expected);
        assert.ok(seen.length > 1 && seen[0].list !== seen[1].list, "each policy got @pulumi/policy's own list");
        const silent: HandlerFactory = () => (_call, callback) => callback(null, new pb.AnalyzeResponse());
        assert.deepEqual(await call(sharingHandler(handlerOver(ps as never), silent), request([tier, vpc, sg])), expected);
    });

    it("is what the pack's server registers, on the installed @pulumi/policy", () => {
        // Upgrading @pulumi/policy past the checked versions fails here.
        const stderr = probeRegistration(
            `if (impl && impl.analyzeStack) process.stderr.write("handler:" + impl.analyzeStack.name + "\\n");`,
        );
        assert.match(stderr, /handler:sharedAnalyzeStack/);
    });
});
