// Tests for the `check` command's input loaders (cli/inputs): Pulumi programs run under the SDK's
// mock runtime, `pulumi stack export` files and `pulumi preview --json` files. Fixtures are written
// to a temporary directory at test time; programs get a node_modules link to this repo's.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { secret } from "../driver/wire";
import { SECRET_SIG, SECRET_SIG_KEY, UNKNOWN } from "../policies/wire/engine";
import { loadInput } from "../cli/inputs";
import { programFailed } from "../cli/inputs/failures";
import { requireFile } from "../cli/inputs/load";
import { Recorder } from "../cli/inputs/recorder";
import { installMockRuntime, Sdk } from "../cli/inputs/sdk";
import { isUserFile } from "../cli/inputs/user-files";
import { Warnings } from "../cli/inputs/warnings";
import { OUTPUT_VALUE_SIG, RESOURCE_REF_SIG } from "../cli/inputs/stack-export";
import { InputError, LoadedStack, StackResource } from "../cli/types";

// test/ compiles to dist/test/, so the project's node_modules is two levels up.
const NODE_MODULES = path.resolve(__dirname, "..", "..", "node_modules");

let tmp: string;

before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "inputs-test-")));
});

after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
});

function writeFiles(dir: string, files: Record<string, string>): void {
    for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
    }
}

/** A program directory: Pulumi.yaml, the given files and a node_modules link. */
function writeProgram(name: string, files: Record<string, string>): string {
    const dir = path.join(tmp, name);
    writeFiles(dir, { "Pulumi.yaml": `name: ${name}\nruntime: nodejs\n`, ...files });
    fs.symlinkSync(NODE_MODULES, path.join(dir, "node_modules"), "dir");
    return dir;
}

/** The object (or list) at `path` in a JSON document, for a case to edit; the test fails when there is none. */
function at(doc: unknown, ...path: (string | number)[]): Record<string | number, unknown> {
    const v = path.reduce<unknown>((o, k) => at(o)[k], doc);
    assert.ok(v !== null && typeof v === "object", `no object at ${path.join(".") || "the top"}`);
    return v as Record<string | number, unknown>;
}

function writeJson(name: string, doc: unknown): string {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, typeof doc === "string" ? doc : JSON.stringify(doc, null, 2));
    return file;
}

function byName(stack: LoadedStack, name: string): StackResource {
    const r = stack.resources.find((x) => x.name === name);
    assert.ok(r, `no resource named ${name} in ${stack.resources.map((x) => x.name).join(", ")}`);
    return r;
}

/** 1-based line of the first line containing `marker`, and the column of `token` in it. */
function position(src: string, marker: string, token = "new "): { line: number; column: number } {
    const lines = src.split("\n");
    const i = lines.findIndex((l) => l.includes(marker));
    assert.ok(i >= 0, `marker ${marker} not in fixture`);
    return { line: i + 1, column: lines[i].indexOf(token) + 1 };
}

async function rejectsWithInputError(p: Promise<unknown>, ...patterns: RegExp[]): Promise<InputError> {
    try {
        await p;
    } catch (e) {
        assert.ok(e instanceof InputError, `expected an InputError, got ${(e as Error | undefined)?.stack ?? String(e)}`);
        for (const re of patterns) assert.match(e.message, re);
        assert.doesNotMatch(e.message, /\n\s+at /, "no stack trace in the message");
        return e;
    }
    assert.fail("expected the load to fail");
}

const STACK_URN = "urn:pulumi:dev::web-ts::pulumi:pulumi:Stack::web-ts-dev";

// ------------------------------------------------------------------------------------------------
// Programs
// ------------------------------------------------------------------------------------------------

const WEB_TS = `import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const officeCidr = config.require("officeCidr");
const adminPort = config.requireNumber("adminPort"); // missing: placeholder
const dbPassword = config.requireSecret("dbPassword"); // secure: placeholder
const region = new pulumi.Config("aws").require("region");

interface Rule { port: number; cidr: string }

class WebTier extends pulumi.ComponentResource {
    constructor(name: string, vpcId: pulumi.Input<string>, opts?: pulumi.ComponentResourceOptions) {
        super("examples:web:WebTier", name, {}, opts);
        new pulumi.CustomResource("aws:ec2/securityGroup:SecurityGroup", \`\${name}-sg\`, { // @child
            vpcId,
            ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }],
        }, { parent: this });
        const rules = new pulumi.ComponentResource("examples:web:Rules", \`\${name}-rules\`, {}, { parent: this });
        new pulumi.CustomResource("aws:ec2/securityGroupRule:SecurityGroupRule", \`\${name}-rule\`, { fromPort: 80 }, { parent: rules });
        this.registerOutputs({});
    }
}

const vpc = new pulumi.CustomResource("aws:ec2/vpc:Vpc", "main", { cidrBlock: "10.0.0.0/16", arn: undefined }); // @vpc
const azs = pulumi.output(pulumi.runtime.invoke("aws:index/getAvailabilityZones:getAvailabilityZones", {}));
const rules: Rule[] = [{ port: 22, cidr: officeCidr }, { port: adminPort, cidr: "10.0.0.0/8" }];
const web = new pulumi.CustomResource("aws:ec2/securityGroup:SecurityGroup", "web", { // @web
    vpcId: vpc.id,
    description: pulumi.interpolate\`web tier of \${vpc.arn}\`,
    ingress: rules.map(r => ({ protocol: "tcp", fromPort: r.port, toPort: r.port, cidrBlocks: [r.cidr] })),
    tags: { region, az: azs.apply(z => z.names[0]), password: pulumi.secret("hunter2") },
}, { dependsOn: [vpc] });
new pulumi.CustomResource("aws:rds/instance:Instance", "db", { password: dbPassword, vpcRef: vpc }, { dependsOn: [web] });
const tier = new WebTier("tier", vpc.id); // @tier
// Read, not managed (what \`aws.ec2.Vpc.get\` does): the engine sends no read resource to a pack.
new pulumi.CustomResource("aws:ec2/vpc:Vpc", "shared", {}, { id: "vpc-0shared" });

export const webId = web.id;
export const tierUrn = tier.urn;
`;

const WEB_JS = `"use strict";
const pulumi = require("@pulumi/pulumi");

const vpc = new pulumi.CustomResource("aws:ec2/vpc:Vpc", "main", { cidrBlock: "10.1.0.0/16", arn: undefined });
const db = new pulumi.CustomResource("aws:ec2/securityGroup:SecurityGroup", "db", { // @db
    vpcId: vpc.id,
    ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: [vpc.cidrBlock] }],
});
// What preview mode does to outputs, seen from inside the program.
new pulumi.CustomResource("test:index:Probe", "probe", {
    idKnown: vpc.id.isKnown,
    arnKnown: vpc.arn.isKnown,
    cidrKnown: vpc.cidrBlock.isKnown,
    urnKnown: vpc.urn.isKnown,
    fromApply: vpc.id.apply(id => "id is " + id),
    fromKnownApply: vpc.cidrBlock.apply(c => "cidr is " + c),
});

// An exported function is called and awaited, like the language host does.
module.exports = async () => {
    await new Promise(resolve => setTimeout(resolve, 1));
    new pulumi.CustomResource("aws:ec2/securityGroupRule:SecurityGroupRule", "late", {
        type: "ingress", securityGroupId: db.id, protocol: "tcp", fromPort: 6379, toPort: 6379, cidrBlocks: ["0.0.0.0/0"],
    });
    return { dbId: db.id };
};
`;

describe("inputs: programs", function () {
    this.timeout(30000);

    let webTsDir: string;
    let webTs: LoadedStack;
    let webJsDir: string;
    let webJs: LoadedStack;
    const progress: string[] = [];

    before(async () => {
        webTsDir = writeProgram("web-ts", {
            "index.ts": WEB_TS,
            "tsconfig.json": `{ // comments are allowed\n "compilerOptions": { "strict": true, "target": "es2020" } }\n`,
            "Pulumi.dev.yaml": [
                "config:",
                "  aws:region: eu-west-1",
                "  officeCidr: 198.51.100.0/24",
                "  web-ts:dbPassword:",
                "    secure: v1:AAAABBBBCCCC",
                "",
            ].join("\n"),
        });
        webTs = await loadInput(webTsDir, { onProgress: (m) => progress.push(m), allowMissingConfig: true });
        webJsDir = writeProgram("web-js", { "index.js": WEB_JS });
        webJs = await loadInput(path.join(webJsDir, "Pulumi.yaml"));
    });

    it("records every registered resource with the engine's URNs, skipping the root stack and resources read with .get()", () => {
        assert.equal(webTs.kind, "program");
        assert.equal(webTs.project, "web-ts");
        assert.equal(webTs.stack, "dev");
        assert.deepEqual(webTs.resources.map((r) => r.urn).sort(), [
            "urn:pulumi:dev::web-ts::aws:ec2/securityGroup:SecurityGroup::web",
            "urn:pulumi:dev::web-ts::aws:ec2/vpc:Vpc::main",
            "urn:pulumi:dev::web-ts::aws:rds/instance:Instance::db",
            "urn:pulumi:dev::web-ts::examples:web:WebTier$aws:ec2/securityGroup:SecurityGroup::tier-sg",
            "urn:pulumi:dev::web-ts::examples:web:WebTier$examples:web:Rules$aws:ec2/securityGroupRule:SecurityGroupRule::tier-rule",
            "urn:pulumi:dev::web-ts::examples:web:WebTier$examples:web:Rules::tier-rules",
            "urn:pulumi:dev::web-ts::examples:web:WebTier::tier",
        ]);
        assert.ok(webTs.resources.every((r) => r.type !== "pulumi:pulumi:Stack"));
        assert.equal(progress.length, 0, "no progress below 500 resources");
    });

    it("records parents, custom, dependencies and property dependencies", () => {
        const vpcUrn = byName(webTs, "main").urn;
        const tier = byName(webTs, "tier");
        const child = byName(webTs, "tier-sg");
        const web = byName(webTs, "web");
        assert.equal(tier.custom, false);
        assert.equal(tier.parent, STACK_URN);
        assert.equal(child.custom, true);
        assert.equal(child.parent, tier.urn);
        assert.equal(web.parent, STACK_URN);
        assert.deepEqual(web.dependencies, [vpcUrn]);
        assert.deepEqual(web.propertyDependencies?.vpcId, [vpcUrn]);
        assert.deepEqual(web.propertyDependencies?.description, [vpcUrn]);
        assert.deepEqual(web.propertyDependencies?.ingress, []);
        assert.equal(web.provider, undefined, "default providers are not named in the request");
        const db = byName(webTs, "db");
        assert.deepEqual([...(db.dependencies ?? [])].sort(), [vpcUrn, web.urn].sort(), "dependsOn and resource references");
        assert.deepEqual(db.propertyDependencies?.vpcRef, [vpcUrn]);
        assert.equal(byName(webTs, "tier-rule").parent, byName(webTs, "tier-rules").urn);
    });

    it("keeps inputs in wire form: unknown sentinels, secret wrappers, resource references", () => {
        const web = byName(webTs, "web");
        assert.equal(web.properties.vpcId, UNKNOWN, "an input built from an ID is unknown in preview");
        assert.equal(web.properties.description, UNKNOWN, "an interpolation of an unknown output is unknown");
        assert.deepEqual(
            web.properties.ingress,
            [
                { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["198.51.100.0/24"] },
                {
                    protocol: "tcp",
                    fromPort: "internal-ports-placeholder:web-ts:adminPort",
                    toPort: "internal-ports-placeholder:web-ts:adminPort",
                    cidrBlocks: ["10.0.0.0/8"],
                },
            ],
            "the placeholder of the missing adminPort reaches the pack as it is, so that the pack names the key",
        );
        assert.deepEqual(web.properties.tags, { region: "eu-west-1", az: "us-east-1a", password: secret("hunter2") });
        const db = byName(webTs, "db");
        assert.deepEqual(
            db.properties.password,
            { [SECRET_SIG_KEY]: SECRET_SIG, value: "internal-ports-placeholder:web-ts:dbPassword" },
            "an encrypted value is its placeholder, as a secret",
        );
        // The engine sends a resource reference to a pack as the resource's ID (unknown in preview).
        assert.equal(db.properties.vpcRef, UNKNOWN);
    });

    it("reads Pulumi.<stack>.yaml config and warns about placeholders, secure values and invokes", () => {
        const w = webTs.warnings.join("\n");
        assert.match(
            w,
            /missing required config web-ts:adminPort \(requireNumber\): ran with the placeholder "internal-ports-placeholder:web-ts:adminPort"; it is in the inputs of aws:ec2\/securityGroup:SecurityGroup web, and a rule built from it is reported as not checked; set it in .*Pulumi\.dev\.yaml/,
        );
        assert.match(w, /encrypted config value\(s\) web-ts:dbPassword cannot be decrypted here; the program got placeholders/);
        assert.match(w, /invoke aws:index\/getAvailabilityZones:getAvailabilityZones answered with a placeholder/);
        assert.equal(webTs.warnings.filter((x) => x.includes("getAvailabilityZones")).length, 1);
    });

    it("points source locations at the TypeScript lines that created each resource", () => {
        const expect = (name: string, marker: string) => {
            const src = byName(webTs, name).source;
            assert.ok(src, `no source for ${name}`);
            assert.equal(path.resolve(src.file), path.join(webTsDir, "index.ts"));
            assert.deepEqual({ line: src.line, column: src.column }, position(WEB_TS, marker), name);
        };
        expect("main", "@vpc");
        expect("web", "@web");
        expect("tier-sg", "@tier"); // created inside the component: the call site of the component
        expect("tier", "@tier");
        const inner = byName(webTs, "tier-sg").definedAt;
        assert.ok(inner, "the line inside the component is kept");
        assert.deepEqual({ line: inner.line, column: inner.column }, position(WEB_TS, "@child"));
        assert.equal(byName(webTs, "web").definedAt, undefined, "created at the top level: one location");
    });

    it("locates resources made after an await in an async main at their own line, for targets that downlevel async (ES5, ES2016) too", async () => {
        // Below ES2017 the compiler emits __awaiter at the top of the file, and after an await the
        // program resumes from it: its frame is outermost, at a JavaScript position no TypeScript line has.
        const src = `import * as pulumi from "@pulumi/pulumi";
import { Tier } from "./tier";

async function main() {
    const zones = await pulumi.runtime.invoke("aws:index/getAvailabilityZones:getAvailabilityZones", {});
    new pulumi.CustomResource("aws:ec2/securityGroup:SecurityGroup", "web", { description: String(zones) }); // @web
    await new Promise((resolve) => setTimeout(resolve, 1));
    new Tier("tier"); // @tier
    return {};
}

module.exports = main();
`;
        const tier = `import * as pulumi from "@pulumi/pulumi";
export class Tier extends pulumi.ComponentResource {
    constructor(name: string) {
        super("examples:web:Tier", name, {});
        new pulumi.CustomResource("aws:ec2/securityGroup:SecurityGroup", name + "-sg", {}, { parent: this }); // @child
    }
}
`;
        for (const target of ["es5", "es2016", "es2022"]) {
            const dir = writeProgram(`async-main-${target}`, {
                "index.ts": src,
                "tier.ts": tier,
                "tsconfig.json": JSON.stringify({ compilerOptions: { target, module: "commonjs", lib: ["es2020"], strict: true } }),
            });
            const stack = await loadInput(dir);
            const where = (name: string, key: "source" | "definedAt" = "source") => {
                const loc = byName(stack, name)[key];
                return loc && `${path.basename(loc.file)}:${loc.line}:${loc.column}`;
            };
            const at = (text: string, file: string, marker: string) => {
                const p = position(text, marker);
                return `${file}:${p.line}:${p.column}`;
            };
            assert.equal(where("web"), at(src, "index.ts", "@web"), target);
            assert.equal(where("tier"), at(src, "index.ts", "@tier"), target);
            assert.equal(where("tier-sg"), at(src, "index.ts", "@tier"), target);
            assert.equal(where("tier-sg", "definedAt"), at(tier, "tier.ts", "@child"), target);
        }
    });

    it("shows what preview mode does: IDs and outputs not in the state are unknown, inputs are known", () => {
        const probe = byName(webJs, "probe");
        assert.deepEqual(probe.properties, {
            idKnown: false,
            arnKnown: false,
            cidrKnown: true,
            urnKnown: true,
            fromApply: UNKNOWN, // apply callbacks on unknown values do not run
            fromKnownApply: "cidr is 10.1.0.0/16",
        });
        const db = byName(webJs, "db");
        assert.equal(db.properties.vpcId, UNKNOWN);
        assert.deepEqual(db.properties.ingress, [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.1.0.0/16"] }]);
    });

    it("runs JavaScript programs, calling and awaiting an exported function", () => {
        assert.equal(webJs.project, "web-js");
        assert.deepEqual(webJs.resources.map((r) => r.name).sort(), ["db", "late", "main", "probe"]);
        assert.equal(byName(webJs, "late").properties.securityGroupId, UNKNOWN);
        const src = byName(webJs, "db").source;
        assert.ok(src);
        assert.equal(path.resolve(src.file), path.join(webJsDir, "index.js"));
        assert.equal(src.line, position(WEB_JS, "@db").line);
    });

    it("gives the same result when a program is loaded again, and restores what it patched", async () => {
        // The hooks as values, compared by identity.
        const errorHooks: { prepareStackTrace?: unknown } = Error;
        const saved = {
            ts: (require.extensions as unknown as Record<string, unknown>)[".ts"],
            prepare: errorHooks.prepareStackTrace,
            rejection: process.listenerCount("unhandledRejection"),
            exception: process.listenerCount("uncaughtException"),
            cwd: process.cwd(),
            config: process.env.PULUMI_CONFIG,
            log: console.log,
        };
        const again = await loadInput(webJsDir);
        assert.deepEqual(again.resources, webJs.resources);
        assert.equal((require.extensions as unknown as Record<string, unknown>)[".ts"], saved.ts);
        assert.equal(errorHooks.prepareStackTrace, saved.prepare);
        assert.equal(process.listenerCount("unhandledRejection"), saved.rejection);
        assert.equal(process.listenerCount("uncaughtException"), saved.exception);
        assert.equal(process.cwd(), saved.cwd);
        assert.equal(process.env.PULUMI_CONFIG, saved.config);
        assert.equal(console.log, saved.log);
        const pulumi = requireFile<{ Config: { prototype: { require: () => unknown } } }>(
            require.resolve("@pulumi/pulumi", { paths: [webJsDir] }),
        );
        assert.equal(pulumi.Config.prototype.require.name, "require", "Config methods are the SDK's again");
    });

    it("answers AWS's public AMI parameters (aws.ssm.getParameter) with an AMI ID, or the JSON of a recommended AMI, and others with {}", async () => {
        // The shape of awsx.classic's ECS cluster instances, which JSON.parse the recommended ECS AMI's document.
        const dir = writeProgram("ssm-ami", {
            "index.js": `const pulumi = require("@pulumi/pulumi");
const param = (name) => pulumi.runtime.invoke("aws:ssm/getParameter:getParameter", { name });
module.exports = async () => {
    const ecs = await param("/aws/service/ecs/optimized-ami/amazon-linux-2/recommended");
    const al = await param("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
    const own = await param("/team/office-cidr");
    new pulumi.CustomResource("aws:ec2/launchConfiguration:LaunchConfiguration", "ecs", { imageId: JSON.parse(ecs.value).image_id });
    new pulumi.CustomResource("aws:ec2/instance:Instance", "al", { ami: al.value, officeCidr: own.value === undefined ? "none" : own.value });
};
`,
        });
        const stack = await loadInput(dir);
        assert.equal(byName(stack, "ecs").properties.imageId, "ami-0123456789abcdef0");
        assert.deepEqual(byName(stack, "al").properties, { ami: "ami-0123456789abcdef0", officeCidr: "none" });
        const w = stack.warnings.join("\n");
        assert.match(w, /invoke aws:ssm\/getParameter:getParameter answered with a placeholder$/m);
        assert.match(
            w,
            /invoke aws:ssm\/getParameter:getParameter answered with a placeholder \(\{\}\): its real result needs the provider/,
        );
    });

    it("answers the GCP lookups GKE programs make (engine versions, zones, project, client config) with placeholders of their shape", async () => {
        // The shape of pulumi/examples gcp-ts-gke: the cluster pins its versions to the latest the location offers.
        const dir = writeProgram("gke-versions", {
            "index.js": `const pulumi = require("@pulumi/pulumi");
const invoke = (token, args) => pulumi.runtime.invoke(token, args);
module.exports = async () => {
    const versions = await invoke("gcp:container/getEngineVersions:getEngineVersions", { location: "us-west1-a" });
    const zones = await invoke("gcp:compute/getZones:getZones", { region: "europe-west1" });
    const project = await invoke("gcp:organizations/getProject:getProject", {});
    const client = await invoke("gcp:organizations/getClientConfig:getClientConfig", {});
    new pulumi.CustomResource("gcp:container/cluster:Cluster", "gke", {
        minMasterVersion: versions.latestMasterVersion,
        nodeVersion: versions.latestNodeVersion,
        location: zones.names[0],
        project: project.projectId,
        network: "projects/" + client.project + "/global/networks/default",
    });
};
`,
        });
        const stack = await loadInput(dir);
        const props = byName(stack, "gke").properties;
        assert.match(String(props.minMasterVersion), /^\d+\.\d+\.\d+-gke\.\d+$/);
        assert.equal(props.nodeVersion, props.minMasterVersion);
        assert.equal(props.location, "europe-west1-a");
        assert.equal(props.project, "placeholder-project");
        assert.equal(props.network, "projects/placeholder-project/global/networks/default");
        const w = stack.warnings.join("\n");
        assert.doesNotMatch(w, /answered with a placeholder \(\{\}\)/);
        assert.match(w, /invoke gcp:container\/getEngineVersions:getEngineVersions answered with a placeholder$/m);
    });

    it("takes the stack from a Pulumi.<stack>.yaml path and reads that stack's config", async () => {
        const dir = writeProgram("stacks", {
            "index.js": `const pulumi = require("@pulumi/pulumi");
const c = new pulumi.Config();
new pulumi.CustomResource("aws:ec2/securityGroup:SecurityGroup", "sg", { cidr: c.require("cidr"), stack: pulumi.getStack() });
`,
            "Pulumi.prod.yaml": "config:\n  stacks:cidr: 10.9.0.0/16\n",
        });
        const prod = await loadInput(path.join(dir, "Pulumi.prod.yaml"));
        assert.equal(prod.stack, "prod");
        assert.deepEqual(byName(prod, "sg").properties, { cidr: "10.9.0.0/16", stack: "prod" });
        assert.equal(byName(prod, "sg").urn, "urn:pulumi:prod::stacks::aws:ec2/securityGroup:SecurityGroup::sg");
        const dev = await loadInput(dir, { stack: "acme/stacks/dev", allowMissingConfig: true });
        assert.equal(dev.stack, "dev");
        assert.deepEqual(byName(dev, "sg").properties, { cidr: "internal-ports-placeholder:stacks:cidr", stack: "dev" });
        assert.match(dev.warnings.join("\n"), /no Pulumi\.dev\.yaml for stack "dev" \(stack files here: Pulumi\.prod\.yaml\)/);
    });

    it("reports progress every 500 resources", async () => {
        const dir = writeProgram("many", {
            "index.js": `const pulumi = require("@pulumi/pulumi");
for (let i = 0; i < 500; i++) new pulumi.CustomResource("aws:ec2/securityGroup:SecurityGroup", "sg" + i, {});
`,
        });
        const seen: string[] = [];
        const many = await loadInput(dir, { onProgress: (m) => seen.push(m) });
        assert.equal(many.resources.length, 500);
        assert.deepEqual(seen, ["500 resources registered so far"]);
    });

    it("puts the check's protobuf classes back after a program that loads its own google-protobuf copy (as @pulumi/pulumi 2.x brings one)", async () => {
        // Generated protobuf code finds its classes in the global `proto` namespace when it runs; an
        // older copy's classes there break the check's own Analyze requests ("c.g is not a function").
        const ns = () => (globalThis as unknown as { proto: { google: { protobuf: Record<string, unknown> } } }).proto.google.protobuf;
        const dir = writeProgram("own-protobuf", {
            "index.js": `const pulumi = require("@pulumi/pulumi");
const copies = Object.keys(require.cache).filter((k) => /[\\\\/]google-protobuf[\\\\/]/.test(k));
const cached = copies.map((k) => [k, require.cache[k]]);
for (const k of copies) delete require.cache[k];
require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [require.resolve("@pulumi/pulumi")] }));
for (const [k, m] of cached) require.cache[k] = m;
new pulumi.CustomResource("aws:ec2/securityGroup:SecurityGroup", "web", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] });
`,
        });
        await loadInput(dir); // the SDK and its protobuf modules are loaded once
        const before = { struct: ns().Struct, value: ns().Value, list: ns().ListValue };
        const stack = await loadInput(dir);
        assert.deepEqual(
            stack.resources.map((r) => [r.name, r.properties]),
            [["web", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] }]],
        );
        assert.equal(ns().Struct, before.struct);
        assert.equal(ns().Value, before.value);
        assert.equal(ns().ListValue, before.list);
    });

    it("answers @pulumi/pulumi 2.x mocks, which pass their arguments one by one", async () => {
        let mocks: Record<string, (...args: unknown[]) => unknown> = {};
        const monitor = { registerResource: () => undefined };
        const sdk = {
            version: "2.25.2",
            pulumi: { runtime: { setMocks: (m: typeof mocks) => void (mocks = m) } },
            settings: { getMonitor: () => monitor },
        } as unknown as Sdk;
        const warnings = new Warnings();
        const recorder = new Recorder("p", "dev", tmp, warnings, new Map());
        await installMockRuntime(sdk, {
            project: "p",
            stack: "dev",
            dir: tmp,
            config: { values: {}, secretKeys: [] },
            store: undefined,
            recorder,
            warnings,
        });
        const inputs = { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22 }] };
        assert.deepEqual(mocks.newResource("aws:ec2/securityGroup:SecurityGroup", "web", inputs, "", undefined, true), {
            id: undefined,
            state: inputs,
        });
        assert.deepEqual(mocks.newResource({ type: "aws:ec2/securityGroup:SecurityGroup", name: "web", inputs }), {
            id: undefined,
            state: inputs,
        });
        const zones = (tok: unknown) => (tok as { names?: unknown }).names;
        const v2 = mocks.call("aws:index/getAvailabilityZones:getAvailabilityZones", {}, "");
        const v3 = mocks.call({ token: "aws:index/getAvailabilityZones:getAvailabilityZones", inputs: {} });
        assert.ok(Array.isArray(zones(v2)), `2.x invoke answered with ${JSON.stringify(v2)}`);
        assert.deepEqual(v2, v3);
    });

    it("never names the check's own sources as the program's line, when a source map maps its frames to them", () => {
        const root = path.resolve(__dirname, "..", "..");
        assert.equal(isUserFile(path.join(root, "cli", "inputs", "sdk.ts")), false);
        assert.equal(isUserFile(path.join(root, "examples", "aws-web-stack", "index.ts")), true);
        const err = new Error("failed to register new resource p-dev [pulumi:pulumi:Stack]: boom");
        const stack = [
            `Error: ${err.message}`,
            `    at Object.registerResource (${tmp}/p/node_modules/@pulumi/pulumi/runtime/resource.js:218:27)`,
            `    at Object.wrapped [as registerResource] (${path.join(root, "cli", "inputs", "sdk.ts")}:225:29)`,
            `    at new Stack (${tmp}/p/node_modules/@pulumi/pulumi/runtime/stack.js:62:9)`,
            `    at ${path.join(root, "cli", "inputs", "program.ts")}:195:38`,
        ].join("\n");
        assert.equal(programFailed("p", { err, stack }, tmp).message, `the program p failed: ${err.message}`);
    });

    const failures: Array<{ name: string; what: string; files: Record<string, string>; expect: RegExp[]; timeoutMs?: number }> = [
        {
            name: "throws",
            what: "throws while it runs",
            files: {
                "index.ts": `import * as pulumi from "@pulumi/pulumi";
new pulumi.CustomResource("aws:ec2/vpc:Vpc", "main", {});
function check(): void {
    throw new Error("no CIDR for the office\\nsecond line"); // @throw
}
check();
`,
            },
            expect: [/^the program .*throws failed: no CIDR for the office \(at .*throws[\\/]index\.ts:4:11\)$/],
        },
        {
            name: "rejects",
            what: "rejects asynchronously",
            files: {
                "index.js": `module.exports = async () => {
    await new Promise(resolve => setTimeout(resolve, 2));
    throw new Error("lookup failed after a while");
};
`,
            },
            expect: [/failed: lookup failed after a while \(at .*rejects[\\/]index\.js:3:11\)/],
        },
        {
            name: "unhandled",
            what: "leaves a rejection unhandled",
            files: { "index.js": `Promise.reject(new Error("nobody waits for this"));\n` },
            expect: [/failed: nobody waits for this \(at .*unhandled[\\/]index\.js:1:16\)/],
        },
        {
            name: "syntax",
            what: "has a TypeScript syntax error",
            files: { "index.ts": `const x: number = ;\n` },
            expect: [/failed: TS1109: Expression expected\. \(at .*syntax[\\/]index\.ts:1:19\)/],
        },
        {
            name: "empty-invoke",
            what: "fails on what an invoke answered with an empty placeholder (a Helm chart rendered by the provider)",
            files: {
                "index.js": `const pulumi = require("@pulumi/pulumi");
module.exports = async () => {
    const chart = await pulumi.runtime.invoke("kubernetes:helm:template", { chart: "wordpress" });
    return chart.result.status;
};
`,
            },
            expect: [
                /failed: Cannot read properties of undefined \(reading 'status'\) \(at .*empty-invoke[\\/]index\.js:4:\d+\); the program read the invoke kubernetes:helm:template, answered here with an empty placeholder \(\{\}\) because its real result needs the provider$/,
            ],
        },
        {
            name: "yaml-syntax",
            what: "deploys a manifest that is not valid YAML with k8s.yaml.ConfigFile",
            files: {
                "index.ts": `import * as k8s from "@pulumi/kubernetes";\nnew k8s.yaml.ConfigFile("app", { file: "k8s/app.yaml" });\n`,
                "k8s/app.yaml":
                    "apiVersion: v1\nkind: Service\nmetadata:\n  name: app\n---\napiVersion: v1\nkind: Service\nspec:\n  type: LoadBalancer\n   ports: [\n",
            },
            expect: [
                /^the program .*yaml-syntax failed: the invoke kubernetes:yaml:decode \(k8s\.yaml\.ConfigFile or ConfigGroup\) could not decode the manifest k8s[\\/]app\.yaml: .* at line 9, column \d+$/,
            ],
        },
        {
            name: "yaml-not-object",
            what: "gives k8s.yaml.ConfigGroup YAML text whose document is not a Kubernetes object",
            files: {
                "index.js": `const k8s = require("@pulumi/kubernetes");\nnew k8s.yaml.ConfigGroup("app", { yaml: "apiVersion: v1\\nkind: Namespace\\n---\\n- kind: Service\\n" });\n`,
            },
            expect: [
                /failed: the invoke kubernetes:yaml:decode \(k8s\.yaml\.ConfigFile or ConfigGroup\) could not decode its YAML text: document 2 is not a mapping \(a Kubernetes object\)$/,
            ],
        },
        {
            name: "missing-module",
            what: "imports a package that is not installed",
            files: { "index.ts": `import * as gcp from "@pulumi/not-installed-here";\nconsole.log(gcp);\n` },
            expect: [/failed: Cannot find module '@pulumi\/not-installed-here'/, /run npm install/],
        },
        {
            name: "exits",
            what: "calls process.exit (which must not end the check with the program's code)",
            files: {
                "index.js": `const pulumi = require("@pulumi/pulumi");\nnew pulumi.CustomResource("aws:ec2/vpc:Vpc", "main", {});\nprocess.exit(0);\n`,
            },
            expect: [
                /the program .*exits failed: the program called process\.exit\(0\) before it finished \(at .*exits[\\/]index\.js:3:9\)/,
            ],
        },
        {
            name: "hangs",
            what: "does not finish in time",
            files: { "index.js": `module.exports = () => new Promise(() => undefined);\n` },
            timeoutMs: 300,
            expect: [/the program .*hangs did not finish within 300 ms/],
        },
        {
            name: "python",
            what: "is not a Node.js program",
            files: { "Pulumi.yaml": "name: python\nruntime: python\n" },
            expect: [/runtime is "python"; only Node\.js programs/],
        },
    ];
    for (const f of failures) {
        it(`fails with an InputError when the program ${f.what}`, async () => {
            const dir = writeProgram(f.name, f.files);
            await rejectsWithInputError(loadInput(dir, { timeoutMs: f.timeoutMs }), ...f.expect);
        });
    }
});

// ------------------------------------------------------------------------------------------------
// Stack exports
// ------------------------------------------------------------------------------------------------

const EXP_STACK = "urn:pulumi:prod::shop::pulumi:pulumi:Stack::shop-prod";
const EXP_PROVIDER = "urn:pulumi:prod::shop::pulumi:providers:aws::default_6_83_0";
const EXP_VPC = "urn:pulumi:prod::shop::aws:ec2/vpc:Vpc::main";
const EXP_COMPONENT = "urn:pulumi:prod::shop::shop:net:Tier::db";
const EXP_SG = "urn:pulumi:prod::shop::shop:net:Tier$aws:ec2/securityGroup:SecurityGroup::db-sg";

function exportDoc(version: unknown = 3) {
    return {
        version,
        deployment: {
            manifest: { time: "2025-01-01T00:00:00Z", magic: "x", version: "v3.140.0" },
            secrets_providers: { type: "passphrase", state: { salt: "v1:abc" } },
            resources: [
                { urn: EXP_STACK, custom: false, type: "pulumi:pulumi:Stack", outputs: {} },
                {
                    urn: EXP_PROVIDER,
                    custom: true,
                    id: "2c4ab3f0",
                    type: "pulumi:providers:aws",
                    inputs: { region: "eu-west-1" },
                    outputs: { region: "eu-west-1" },
                },
                {
                    urn: EXP_VPC,
                    custom: true,
                    id: "vpc-1",
                    type: "aws:ec2/vpc:Vpc",
                    // Imported or very old resources can lack inputs: the outputs stand in.
                    outputs: { cidrBlock: "10.0.0.0/16", arn: "arn:aws:ec2:eu-west-1:1:vpc/vpc-1" },
                    parent: EXP_STACK,
                    provider: `${EXP_PROVIDER}::2c4ab3f0`,
                },
                { urn: EXP_COMPONENT, custom: false, type: "shop:net:Tier", parent: EXP_STACK },
                {
                    urn: EXP_SG,
                    custom: true,
                    id: "sg-1",
                    type: "aws:ec2/securityGroup:SecurityGroup",
                    inputs: {
                        vpcId: "vpc-1",
                        ingress: [
                            { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/0"] },
                            {
                                protocol: "tcp",
                                fromPort: 22,
                                toPort: 22,
                                cidrBlocks: { [SECRET_SIG_KEY]: SECRET_SIG, ciphertext: "v1:Zm9vYmFy" },
                            },
                        ],
                        description: { [SECRET_SIG_KEY]: SECRET_SIG, plaintext: '"internal db"' },
                        tags: { [SECRET_SIG_KEY]: SECRET_SIG, plaintext: '{"team":"data","cost":7}' },
                        note: { [SECRET_SIG_KEY]: SECRET_SIG, plaintext: "not json" },
                        vpc: { [SECRET_SIG_KEY]: RESOURCE_REF_SIG, urn: EXP_VPC, id: "vpc-1", packageVersion: "6.83.0" },
                    },
                    outputs: { id: "sg-1" },
                    parent: EXP_COMPONENT,
                    provider: `${EXP_PROVIDER}::2c4ab3f0`,
                    dependencies: [EXP_VPC],
                    propertyDependencies: { vpcId: [EXP_VPC], ingress: [] },
                },
                {
                    urn: "urn:pulumi:prod::shop::aws:ec2/vpc:Vpc::shared",
                    custom: true,
                    external: true,
                    id: "vpc-0shared",
                    type: "aws:ec2/vpc:Vpc",
                    inputs: {},
                    outputs: { id: "vpc-0shared", cidrBlock: "10.9.0.0/16" },
                },
                {
                    urn: EXP_SG,
                    custom: true,
                    delete: true,
                    id: "sg-0",
                    type: "aws:ec2/securityGroup:SecurityGroup",
                    inputs: { vpcId: "vpc-1" },
                },
            ],
        },
    };
}

describe("inputs: stack exports", () => {
    it("reads a v3 export: skips the stack, providers and resources read with .get(), keeps components, walks secrets", async () => {
        const file = writeJson("export.json", exportDoc());
        const s = await loadInput(file);
        assert.equal(s.kind, "stack-export");
        assert.equal(s.input, file);
        assert.equal(s.project, "shop");
        assert.equal(s.stack, "prod");
        assert.deepEqual(
            s.resources.map((r) => r.urn),
            [EXP_VPC, EXP_COMPONENT, EXP_SG],
        );
        const vpc = byName(s, "main");
        assert.equal(vpc.custom, true);
        assert.equal(vpc.provider, `${EXP_PROVIDER}::2c4ab3f0`);
        assert.deepEqual(vpc.properties, { cidrBlock: "10.0.0.0/16", arn: "arn:aws:ec2:eu-west-1:1:vpc/vpc-1" });
        const tier = byName(s, "db");
        assert.equal(tier.custom, false);
        assert.equal(tier.type, "shop:net:Tier");
        const sg = byName(s, "db-sg");
        assert.equal(sg.type, "aws:ec2/securityGroup:SecurityGroup");
        assert.equal(sg.parent, EXP_COMPONENT);
        assert.deepEqual(sg.dependencies, [EXP_VPC]);
        assert.deepEqual(sg.propertyDependencies, { vpcId: [EXP_VPC], ingress: [] });
        assert.deepEqual(sg.properties, {
            vpcId: "vpc-1",
            ingress: [
                { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/0"] },
                { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: UNKNOWN },
            ],
            description: secret("internal db"),
            tags: secret({ team: "data", cost: 7 }),
            note: secret("not json"),
            vpc: "vpc-1", // a resource reference reaches a pack as the resource's ID
        });
        const w = s.warnings.join("\n");
        assert.match(w, /1 secret value\(s\) are encrypted in the export and were treated as unknown/);
        assert.match(w, /1 resource\(s\) marked for deletion/);
    });

    it("accepts deployment versions 1 to 4 and unwraps v4 output values", async () => {
        for (const version of [1, 2, 4]) {
            const doc = exportDoc(version);
            const outputs = at(doc, "deployment", "resources", 2, "outputs");
            outputs.cidrBlock = { [SECRET_SIG_KEY]: OUTPUT_VALUE_SIG, value: "10.0.0.0/16", dependencies: [] };
            outputs.arn = { [SECRET_SIG_KEY]: OUTPUT_VALUE_SIG, secret: true, value: "arn" };
            const s = await loadInput(writeJson(`export-v${version}.json`, doc));
            assert.deepEqual(byName(s, "main").properties, { cidrBlock: "10.0.0.0/16", arn: secret("arn") }, `version ${version}`);
        }
    });

    for (const version of [0, 5, "3", null]) {
        it(`rejects deployment version ${JSON.stringify(version)}`, async () => {
            const file = writeJson("export-bad-version.json", exportDoc(version));
            await rejectsWithInputError(loadInput(file), /unsupported deployment version/, new RegExp(path.basename(file)));
        });
    }

    const resource = (d: unknown, i: number) => at(d, "deployment", "resources", i);
    const malformed: Array<[string, (d: unknown) => void, string]> = [
        ["deployment is not an object", (d) => (at(d).deployment = []), "deployment"],
        ["resources is not a list", (d) => (at(d, "deployment").resources = { a: 1 }), "deployment.resources"],
        ["a resource is not an object", (d) => (at(d, "deployment", "resources")[1] = "x"), "deployment.resources[1]"],
        ["a resource has no urn", (d) => delete resource(d, 3).urn, "deployment.resources[3].urn"],
        ["a urn is not a URN", (d) => (resource(d, 2).urn = "main"), "deployment.resources[2].urn"],
        ["a resource has no type", (d) => (resource(d, 4).type = 7), "deployment.resources[4].type"],
        ["inputs is a list", (d) => (resource(d, 4).inputs = []), "deployment.resources[4].inputs"],
        ["a dependency is not a string", (d) => (resource(d, 4).dependencies = [1]), "deployment.resources[4].dependencies[0]"],
        [
            "property dependencies are not lists",
            (d) => (resource(d, 4).propertyDependencies = { vpcId: "x" }),
            "deployment.resources[4].propertyDependencies.vpcId",
        ],
        ["parent is not a string", (d) => (resource(d, 4).parent = {}), "deployment.resources[4].parent"],
    ];
    for (const [what, mutate, at] of malformed) {
        it(`names the JSON path when ${what}`, async () => {
            const doc = exportDoc();
            mutate(doc);
            const file = writeJson("export-malformed.json", doc);
            const e = await rejectsWithInputError(loadInput(file));
            assert.ok(e.message.startsWith(`${file}: ${at}: expected `), e.message);
        });
    }

    it("reads an export without resources (an empty stack) with a warning", async () => {
        const s = await loadInput(writeJson("export-empty.json", { version: 3, deployment: { manifest: {} } }));
        assert.deepEqual(s.resources, []);
        assert.match(s.warnings.join("\n"), /no resources/);
    });
});

// ------------------------------------------------------------------------------------------------
// Preview files
// ------------------------------------------------------------------------------------------------

const PV_STACK = "urn:pulumi:dev::web::pulumi:pulumi:Stack::web-dev";
const PV_PROVIDER = "urn:pulumi:dev::web::pulumi:providers:aws::default_6_83_0";
const PV_VPC = "urn:pulumi:dev::web::aws:ec2/vpc:Vpc::main";
const PV_SG = "urn:pulumi:dev::web::aws:ec2/securityGroup:SecurityGroup::web";
const PV_OLD = "urn:pulumi:dev::web::aws:ec2/securityGroup:SecurityGroup::old";
const PV_DB = "urn:pulumi:dev::web::aws:ec2/securityGroup:SecurityGroup::db";

function previewDoc() {
    return {
        config: { "aws:region": "us-east-1" },
        steps: [
            { op: "same", urn: PV_STACK, newState: { urn: PV_STACK, custom: false, type: "pulumi:pulumi:Stack" } },
            {
                op: "create",
                urn: PV_PROVIDER,
                newState: { urn: PV_PROVIDER, custom: true, type: "pulumi:providers:aws", inputs: { region: "us-east-1" } },
            },
            {
                op: "same",
                urn: PV_VPC,
                provider: `${PV_PROVIDER}::${UNKNOWN}`,
                newState: {
                    urn: PV_VPC,
                    custom: true,
                    type: "aws:ec2/vpc:Vpc",
                    inputs: { cidrBlock: "10.0.0.0/16" },
                    outputs: { cidrBlock: "10.0.0.0/16", id: "vpc-1" },
                    parent: PV_STACK,
                    provider: `${PV_PROVIDER}::${UNKNOWN}`,
                },
            },
            {
                op: "create",
                urn: PV_SG,
                newState: {
                    urn: PV_SG,
                    custom: true,
                    type: "aws:ec2/securityGroup:SecurityGroup",
                    inputs: {
                        vpcId: "vpc-1",
                        name: UNKNOWN,
                        ingress: [
                            { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: "[secret]" },
                            { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
                        ],
                        description: "[secret]",
                    },
                    parent: PV_STACK,
                    dependencies: [PV_VPC],
                    propertyDependencies: { vpcId: [PV_VPC] },
                },
            },
            {
                op: "read",
                urn: "urn:pulumi:dev::web::aws:ec2/vpc:Vpc::shared",
                newState: {
                    urn: "urn:pulumi:dev::web::aws:ec2/vpc:Vpc::shared",
                    custom: true,
                    external: true,
                    id: "vpc-0shared",
                    type: "aws:ec2/vpc:Vpc",
                    inputs: {},
                    outputs: { id: "vpc-0shared" },
                },
            },
            { op: "delete", urn: PV_OLD, oldState: { urn: PV_OLD, custom: true, type: "aws:ec2/securityGroup:SecurityGroup" } },
            {
                op: "create-replacement",
                urn: PV_DB,
                newState: { urn: PV_DB, custom: true, type: "aws:ec2/securityGroup:SecurityGroup", inputs: { vpcId: "vpc-2" } },
            },
            {
                op: "replace",
                urn: PV_DB,
                newState: { urn: PV_DB, custom: true, type: "aws:ec2/securityGroup:SecurityGroup", inputs: { vpcId: "vpc-2" } },
            },
            { op: "delete-replaced", urn: PV_DB, oldState: { urn: PV_DB, type: "aws:ec2/securityGroup:SecurityGroup" } },
        ],
        diagnostics: [{ urn: PV_SG, message: "warning: deprecated", severity: "warning" }],
        changeSummary: { create: 2, same: 2, delete: 1, replace: 1 },
    };
}

describe("inputs: preview files", () => {
    it("reads each step's new state: skips the stack, providers, reads (.get()) and steps without a new state", async () => {
        const file = writeJson("preview.json", previewDoc());
        const s = await loadInput(file);
        assert.equal(s.kind, "preview");
        assert.equal(s.project, "web");
        assert.equal(s.stack, "dev");
        assert.deepEqual(
            s.resources.map((r) => r.urn),
            [PV_VPC, PV_SG, PV_DB],
        );
        const vpc = byName(s, "main");
        assert.deepEqual(vpc.properties, { cidrBlock: "10.0.0.0/16" }, "inputs, not outputs");
        assert.equal(vpc.provider, `${PV_PROVIDER}::${UNKNOWN}`);
        assert.equal(vpc.parent, PV_STACK);
        const sg = byName(s, "web");
        assert.deepEqual(sg.dependencies, [PV_VPC]);
        assert.deepEqual(sg.propertyDependencies, { vpcId: [PV_VPC] });
        assert.deepEqual(sg.properties, {
            vpcId: "vpc-1",
            name: UNKNOWN,
            ingress: [
                { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: UNKNOWN },
                { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
            ],
            description: UNKNOWN,
        });
        assert.equal(s.warnings.length, 2, s.warnings.join("\n"));
        assert.match(s.warnings[0], /^2 step\(s\) without a new state were skipped \(delete: 1, delete-replaced: 1\)/);
        assert.match(s.warnings[1], /^2 secret value\(s\) are hidden in the preview file \("\[secret\]"\)/);
    });

    it("warns when the preview itself failed", async () => {
        const doc = previewDoc();
        const diagnostics: unknown[] = doc.diagnostics;
        diagnostics.push({ message: "error: update failed", severity: "error" });
        const s = await loadInput(writeJson("preview-failed.json", doc));
        assert.match(s.warnings.join("\n"), /the preview reported 1 error\(s\)/);
    });

    const malformed: Array<[string, (d: unknown) => void, string]> = [
        ["steps is not a list", (d) => (at(d).steps = {}), "steps"],
        ["a step is not an object", (d) => (at(d, "steps")[2] = 3), "steps[2]"],
        ["a new state is not an object", (d) => (at(d, "steps", 3).newState = "x"), "steps[3].newState"],
        ["a step's URN is not a URN", (d) => (at(d, "steps", 3).urn = 12), "steps[3].urn"],
        [
            "a new state has no URN",
            (d) => (delete at(d, "steps", 3, "newState").urn, delete at(d, "steps", 3).urn),
            "steps[3].newState.urn",
        ],
        ["inputs are not an object", (d) => (at(d, "steps", 3, "newState").inputs = "x"), "steps[3].newState.inputs"],
    ];
    for (const [what, mutate, at] of malformed) {
        it(`names the JSON path when ${what}`, async () => {
            const doc = previewDoc();
            mutate(doc);
            const file = writeJson("preview-malformed.json", doc);
            const e = await rejectsWithInputError(loadInput(file));
            assert.ok(e.message.startsWith(`${file}: ${at}: expected `), e.message);
        });
    }
});

// ------------------------------------------------------------------------------------------------
// What the input is
// ------------------------------------------------------------------------------------------------

describe("inputs: detection", () => {
    const cases: Array<[string, () => string, RegExp[]]> = [
        [
            "a missing path",
            () => path.join(tmp, "nope.json"),
            [/nope\.json: no such file or directory; expected a Pulumi project directory/],
        ],
        ["invalid JSON", () => writeJson("bad.json", "{ not json"), [/bad\.json: not valid JSON \(/, /pulumi stack export/]],
        ["an empty file", () => writeJson("empty.json", ""), [/empty\.json: not valid JSON \(the file is empty\)/]],
        [
            "JSON of neither shape",
            () => writeJson("other.json", { name: "x", resources: [] }),
            [/other\.json: JSON with neither `deployment`.*nor `steps`.*found an object with "name", "resources"/],
        ],
        ["a JSON array", () => writeJson("array.json", [1, 2]), [/array\.json: JSON with neither .* found an array/]],
        ["a directory without Pulumi.yaml", () => fs.mkdtempSync(path.join(tmp, "plain-")), [/a directory without Pulumi\.yaml/]],
        [
            "a program's source file",
            () => path.join(writeProgram("given-file", { "index.js": "// nothing\n" }), "index.js"),
            [/index\.js: not valid JSON .*\(to run the program, give its directory .*given-file\)$/],
        ],
    ];
    for (const [what, make, patterns] of cases) {
        it(`rejects ${what} with a clear InputError`, async () => {
            await rejectsWithInputError(loadInput(make()), ...patterns);
        });
    }

    it("reads JSON written as UTF-16 with a byte order mark (PowerShell redirection)", async () => {
        const file = path.join(tmp, "utf16.json");
        fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(previewDoc()), "utf16le")]));
        const s = await loadInput(file);
        assert.equal(s.kind, "preview");
        assert.equal(s.resources.length, 3);
    });
});
