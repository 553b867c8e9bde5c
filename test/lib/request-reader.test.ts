// Analyze and AnalyzeStack requests read from their bytes (policies/wire/request-reader.ts) must
// give every getter @pulumi/policy reads the answer google-protobuf gives, and whatever the reader
// does not expect must go to google-protobuf.
import { strict as assert } from "assert";
import { Writer } from "protobufjs/minimal";
import type * as analyzerPbT from "@pulumi/pulumi/proto/analyzer_pb";
import { installRequestSharing } from "../../policies/kit/requests";
import { proxyTarget } from "../../policies/wire/policy-hook";
import { HandlerFactory, ListedResource, StackHandler } from "../../policies/wire/stack-list";
import {
    gettersOf,
    MAX_NESTING,
    readAnalyzeRequest,
    readStackRequest,
    viewsMatch,
    withRequestReaders,
} from "../../policies/wire/request-reader";
import { loadCorpus, Rng } from "../fuzz-input";
import { probeRegistration } from "./pack-server";

/* eslint-disable @typescript-eslint/no-require-imports -- the modules @pulumi/policy's server itself uses */
const pb = require("@pulumi/pulumi/proto/analyzer_pb") as typeof analyzerPbT & Record<string, unknown>;
const grpcPb = require("@pulumi/pulumi/proto/analyzer_grpc_pb") as {
    AnalyzerService: Record<string, { requestDeserialize: (b: Buffer) => { toObject(): unknown } }>;
};
const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as typeof import("google-protobuf/google/protobuf/struct_pb");
const server = require("@pulumi/policy/server") as {
    makeAnalyzeStackRpcFun: (...a: unknown[]) => StackHandler;
    makeAnalyzeRpcFun: (...a: unknown[]) => StackHandler;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "hunter2" };

type Getters = Record<string, unknown>;

/**
 * Every get and has method of the generated class, on a message and on its view, read into plain
 * values: messages by their own getters, Structs by toJavaScript, maps by their entries in order.
 */
function read(generated: unknown, view: unknown, where: string): [unknown, unknown] {
    if (generated === undefined || generated === null || typeof generated !== "object") return [generated, view];
    if (Array.isArray(generated)) {
        assert.ok(Array.isArray(view), `${where}: a list`);
        const pairs = generated.map((g, i) => read(g, (view as unknown[])[i], `${where}[${i}]`));
        assert.equal((view as unknown[]).length, generated.length, `${where}: length`);
        return [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
    }
    const g = generated as Getters;
    const v = view as Getters;
    if (typeof g.toJavaScript === "function") return [(g.toJavaScript as () => unknown)(), (v.toJavaScript as () => unknown)()];
    if (typeof g.entries === "function" && typeof g.getLength === "function") {
        const ge = [...(g.entries as () => Iterable<[string, unknown]>)()];
        const ve = [...(v.entries as () => Iterable<[string, unknown]>)()];
        assert.deepEqual(
            ve.map((e) => e[0]),
            ge.map((e) => e[0]),
            `${where}: map keys in order`,
        );
        const pairs = ge.map(([k, x], i) => read(x, ve[i][1], `${where}.${k}`));
        return [pairs.map((p, i) => [ge[i][0], p[0]]), pairs.map((p, i) => [ge[i][0], p[1]])];
    }
    const cls = (Object.getPrototypeOf(g) as { constructor: { prototype: object } }).constructor;
    const a: Record<string, unknown> = {};
    const b: Record<string, unknown> = {};
    for (const name of gettersOf(cls)) {
        assert.equal(typeof v[name], "function", `${where}: the view has ${name}`);
        [a[name], b[name]] = read((g[name] as () => unknown).call(g), (v[name] as () => unknown).call(v), `${where}.${name}`);
    }
    return [a, b];
}

type Kind = "stack" | "analyze";
const READERS = {
    stack: { generated: () => pb.AnalyzeStackRequest, read: readStackRequest },
    analyze: { generated: () => pb.AnalyzeRequest, read: readAnalyzeRequest },
};

function assertSame(bytes: Uint8Array, kind: Kind = "stack"): void {
    const view = READERS[kind].read(Buffer.from(bytes));
    assert.ok(view, "the reader reads the request");
    const [expected, got] = read(READERS[kind].generated().deserializeBinary(bytes), view, "request");
    // deepStrictEqual tells -0 from 0 and NaN from null; JSON also sees the order of keys.
    assert.deepStrictEqual(got, expected);
    assert.equal(JSON.stringify(got), JSON.stringify(expected));
}

interface Spec {
    type: string;
    name: string;
    props?: Record<string, unknown>;
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: [string, string[]][];
    provider?: { type: string; name: string; props?: Record<string, unknown> };
    options?: {
        protect?: boolean;
        ignoreChanges?: string[];
        deleteBeforeReplace?: boolean;
        additionalSecretOutputs?: string[];
        aliases?: string[];
        timeouts?: number[];
        parent?: string;
    };
}

const urn = (type: string, name: string) => `urn:pulumi:dev::app::${type}::${name}`;

function message(s: Spec): analyzerPbT.AnalyzerResource;
function message(s: Spec, analyze: true): analyzerPbT.AnalyzeRequest;
function message(s: Spec, analyze = false): analyzerPbT.AnalyzerResource | analyzerPbT.AnalyzeRequest {
    const m = analyze ? new pb.AnalyzeRequest() : new pb.AnalyzerResource();
    m.setType(s.type);
    m.setName(s.name);
    m.setUrn(urn(s.type, s.name));
    if (s.props) m.setProperties(Struct.fromJavaScript(s.props as never));
    if (s.options) {
        const o = new pb.AnalyzerResourceOptions();
        o.setProtect(s.options.protect ?? false);
        o.setIgnorechangesList(s.options.ignoreChanges ?? []);
        o.setAliasesList(s.options.aliases ?? []);
        o.setAdditionalsecretoutputsList(s.options.additionalSecretOutputs ?? []);
        if (s.options.deleteBeforeReplace !== undefined) {
            o.setDeletebeforereplacedefined(true);
            o.setDeletebeforereplace(s.options.deleteBeforeReplace);
        }
        if (s.options.timeouts) {
            const t = new pb.AnalyzerResourceOptions.CustomTimeouts();
            const [create, update, del, rd] = s.options.timeouts;
            t.setCreate(create ?? 0);
            t.setUpdate(update ?? 0);
            t.setDelete(del ?? 0);
            t.setRead(rd ?? 0);
            o.setCustomtimeouts(t);
        }
        if (s.options.parent) o.setParent(s.options.parent);
        m.setOptions(o);
    }
    if (s.provider) {
        const p = new pb.AnalyzerProviderResource();
        p.setType(s.provider.type);
        p.setName(s.provider.name);
        p.setUrn(urn(s.provider.type, s.provider.name));
        if (s.provider.props) p.setProperties(Struct.fromJavaScript(s.provider.props as never));
        m.setProvider(p);
    }
    if (m instanceof pb.AnalyzeRequest) return m;
    m.setParent(s.parent ?? "");
    m.setDependenciesList(s.dependencies ?? []);
    for (const [k, urns] of s.propertyDependencies ?? []) {
        const d = new pb.AnalyzerPropertyDependencies();
        d.setUrnsList(urns);
        m.getPropertydependenciesMap().set(k, d);
    }
    return m;
}

const analyzeBytes = (s: Spec): Uint8Array => message(s, true).serializeBinary();

function requestBytes(specs: Spec[]): Uint8Array {
    const r = new pb.AnalyzeStackRequest();
    r.setResourcesList(specs.map((x) => message(x)));
    return r.serializeBinary();
}

const SG = "aws:ec2/securityGroup:SecurityGroup";
const FULL: Spec = {
    type: SG,
    name: "db",
    props: {
        vpcId: UNKNOWN,
        name: "db – ünïcode 🚀 \uFFFD",
        ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/0"], description: SECRET }],
        b: { z: 1, a: [null, true, false, -0, 1.5e308, Number.NaN, Number.POSITIVE_INFINITY, -1], "10": "ten", "2": "two" },
        empty: { list: [], struct: {}, text: "" },
    },
    parent: urn("app:index:Tier", "tier"),
    dependencies: [urn("aws:ec2/vpc:Vpc", "main"), urn(SG, "outside")],
    propertyDependencies: [
        ["vpcId", [urn("aws:ec2/vpc:Vpc", "main")]],
        ["ingress", []],
        ["egress", [urn(SG, "a"), urn(SG, "b")]],
    ],
    provider: { type: "pulumi:providers:aws", name: "eu", props: { region: "eu-west-1", secret: SECRET } },
    options: {
        protect: true,
        ignoreChanges: ["tags", "ingress[0]"],
        deleteBeforeReplace: false,
        additionalSecretOutputs: ["password"],
        aliases: ["urn:pulumi:dev::app::old::db"],
        timeouts: [60, 0.5, 3600, 7],
        parent: urn("app:index:Tier", "tier"),
    },
};

// ---- hand-made wire forms ------------------------------------------------------------------------

type Field = (w: Writer) => void;
const str =
    (n: number, s: string): Field =>
    (w) =>
        void w.uint32((n << 3) | 2).string(s);
const msg =
    (n: number, ...fields: Field[]): Field =>
    (w) => {
        w.uint32((n << 3) | 2).fork();
        for (const f of fields) f(w);
        w.ldelim();
    };
const varint =
    (n: number, v: number): Field =>
    (w) =>
        void w.uint32(n << 3).uint32(v);
const dbl =
    (n: number, v: number): Field =>
    (w) =>
        void w.uint32((n << 3) | 1).double(v);
const fixed32 =
    (n: number, v: number): Field =>
    (w) =>
        void w.uint32((n << 3) | 5).fixed32(v);
const bytesOf = (...fields: Field[]): Uint8Array => {
    const w = Writer.create();
    for (const f of fields) f(w);
    return w.finish();
};
/** A Struct's entry (field 1 of a Struct) with a Value made of `value`'s fields. */
const entry = (key: string, ...value: Field[]): Field => msg(1, str(1, key), msg(2, ...value));
/** A request of one resource whose properties are these entries. */
const withProps = (...entries: Field[]): Uint8Array => bytesOf(msg(1, str(1, SG), msg(2, ...entries), str(3, urn(SG, "x")), str(4, "x")));

const vlen = (n: number) => (n < 1 << 7 ? 1 : n < 1 << 14 ? 2 : n < 1 << 21 ? 3 : n < 1 << 28 ? 4 : 5);

/** A Value's content: `depth` lists, each holding the next, around the string "leaf"; built outside in, without copying. */
function nestedLists(depth: number): Uint8Array {
    const leaf = bytesOf(str(3, "leaf"));
    const values = [leaf.length];
    const lists = [0];
    for (let k = 1; k <= depth; k++) {
        lists.push(1 + vlen(values[k - 1]) + values[k - 1]);
        values.push(1 + vlen(lists[k]) + lists[k]);
    }
    const out = Buffer.alloc(values[depth]);
    let pos = 0;
    const put = (n: number) => {
        for (; n >= 128; n >>>= 7) out[pos++] = (n & 127) | 128;
        out[pos++] = n;
    };
    for (let k = depth; k >= 1; k--) {
        out[pos++] = (6 << 3) | 2;
        put(lists[k]);
        out[pos++] = (1 << 3) | 2;
        put(values[k - 1]);
    }
    out.set(leaf, pos);
    return out;
}

/** A Struct entry whose Value is these bytes. */
const rawEntry = (key: string, value: Uint8Array): Field => msg(1, str(1, key), (w) => void w.uint32((2 << 3) | 2).bytes(value));

function fallsBack(bytes: Uint8Array, why: string, kind: Kind = "stack"): void {
    assert.equal(READERS[kind].read(Buffer.from(bytes)), undefined, `${why}: left to google-protobuf`);
    const service = withRequestReaders(grpcPb.AnalyzerService, pb);
    const method = service[kind === "stack" ? "analyzeStack" : "analyze"];
    assert.notEqual(method, grpcPb.AnalyzerService[kind === "stack" ? "analyzeStack" : "analyze"], "the reader is installed");
    const generated = READERS[kind].generated();
    let expected: { toObject(): unknown };
    try {
        expected = generated.deserializeBinary(bytes);
    } catch (e) {
        assert.throws(() => method.requestDeserialize(Buffer.from(bytes)), { message: (e as Error).message });
        return;
    }
    const got = method.requestDeserialize(Buffer.from(bytes));
    assert.ok(got instanceof generated, `${why}: google-protobuf's message`);
    assert.deepEqual(got.toObject(), expected.toObject());
}

// ---- random requests ------------------------------------------------------------------------------

const TEXTS = ["", "a", "tcp", "0.0.0.0/0", "ünï", "🚀🚀", "\uFFFD", "10", "2", "__value", UNKNOWN, "x".repeat(300)];

function randomValue(rng: Rng, depth: number): unknown {
    switch (rng.int(depth > 3 ? 4 : 7)) {
        case 0:
            return null;
        case 1:
            return rng.chance(0.5);
        case 2:
            return rng.pick([0, -0, 1, -1, 22, 65535, 0.1, 1e308, -1e-308, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53 + 1]);
        case 3:
            return rng.pick(TEXTS);
        case 4:
            return Array.from({ length: rng.int(5) }, () => randomValue(rng, depth + 1));
        case 5:
            return rng.chance(0.2) ? { ...SECRET, value: randomValue(rng, depth + 1) } : randomObject(rng, depth + 1);
        default:
            return randomObject(rng, depth + 1);
    }
}

function randomObject(rng: Rng, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let i = rng.int(6); i > 0; i--)
        out[rng.pick(["a", "b", "z", "Ä", "10", "2", "cidrBlocks", "ports", "", "k" + rng.int(50)])] = randomValue(rng, depth);
    return out;
}

function randomSpec(rng: Rng, i: number, corpus: ReturnType<typeof loadCorpus>): Spec {
    const seed = rng.pick(corpus);
    const pick = (n: number) => Array.from({ length: rng.int(n) }, () => rng.pick(TEXTS));
    return {
        type: seed.type,
        name: `r${i}`,
        props: rng.chance(0.9) ? (rng.chance(0.5) ? (seed.props as Record<string, unknown>) : randomObject(rng, 0)) : undefined,
        parent: rng.chance(0.5) ? urn("app:index:Tier", `t${rng.int(3)}`) : undefined,
        dependencies: pick(3),
        propertyDependencies: Array.from(
            { length: rng.int(4) },
            () => [rng.pick(["vpcId", "ingress", "a", "b"]), pick(3)] as [string, string[]],
        ),
        provider: rng.chance(0.3)
            ? { type: "pulumi:providers:aws", name: `p${rng.int(3)}`, props: rng.chance(0.8) ? randomObject(rng, 1) : undefined }
            : undefined,
        options: rng.chance(0.9)
            ? {
                  protect: rng.chance(0.5),
                  ignoreChanges: pick(3),
                  deleteBeforeReplace: rng.chance(0.5) ? rng.chance(0.5) : undefined,
                  additionalSecretOutputs: pick(2),
                  aliases: pick(2),
                  timeouts: rng.chance(0.5) ? [rng.int(100), rng.next(), 0, rng.int(5)] : undefined,
                  parent: rng.chance(0.5) ? rng.pick(TEXTS) : undefined,
              }
            : undefined,
    };
}

// ---- through @pulumi/policy's handler ------------------------------------------------------------

const handlerOver: HandlerFactory = (ps) => server.makeAnalyzeStackRpcFun("test-pack", "1.0.0", "advisory", ps);

/** What one stack policy is given by @pulumi/policy's own handler for this request, and the handler's answer. */
function throughHandler(request: unknown): Promise<{ list: unknown; response: string }> {
    let list: readonly ListedResource[] = [];
    const policy = {
        name: "keeps",
        description: "keeps the list",
        enforcementLevel: "mandatory",
        validateStack: (args: { resources: readonly ListedResource[] }, report: (m: string, u?: string) => void) => {
            list = args.resources;
            for (const r of args.resources) if (r.type === SG) report(`${r.name} seen`, r.urn);
        },
    };
    return new Promise((resolve) => {
        void handlerOver([policy as never])({ request: request as never }, (error, response) => {
            const urnOf = (x: unknown) => (x as { urn: string } | undefined)?.urn;
            resolve({
                // The message without its stack, which names this file's lines.
                response: error
                    ? `error: ${(error as Error).message.split("\n    at ")[0]}`
                    : Buffer.from((response as analyzerPbT.AnalyzeResponse).serializeBinary()).toString("base64"),
                list: JSON.stringify(
                    list.map((r) => {
                        const x = r as unknown as Record<string, unknown>;
                        return {
                            ...x,
                            props: proxyTarget(r.props),
                            provider: r.provider && {
                                ...r.provider,
                                props: proxyTarget((r.provider as unknown as { props: unknown }).props),
                            },
                            parent: urnOf(x.parent),
                            dependencies: (x.dependencies as unknown[]).map(urnOf),
                            propertyDependencies: Object.fromEntries(
                                Object.entries(r.propertyDependencies).map(([k, v]) => [k, (v as unknown[]).map(urnOf)]),
                            ),
                        };
                    }),
                ),
            });
        });
    });
}

/** What one resource policy is given by @pulumi/policy's own Analyze handler for this request, and the handler's answer. */
function throughAnalyze(request: unknown): Promise<{ args: string; response: string }> {
    let seen: Record<string, unknown> = {};
    const policy = {
        name: "keeps",
        description: "keeps the args",
        enforcementLevel: "mandatory",
        validateResource: (args: Record<string, unknown>, report: (m: string) => void) => {
            seen = args;
            report(`${String(args.name)} seen`);
        },
    };
    return new Promise((resolve) => {
        void server.makeAnalyzeRpcFun("test-pack", "1.0.0", "advisory", [policy])({ request: request as never }, (error, response) => {
            const provider = seen.provider as { props: unknown } | undefined;
            resolve({
                response: error
                    ? `error: ${(error as Error).message.split("\n    at ")[0]}`
                    : Buffer.from((response as analyzerPbT.AnalyzeResponse).serializeBinary()).toString("base64"),
                args: JSON.stringify({
                    ...seen,
                    props: proxyTarget(seen.props),
                    provider: provider && { ...provider, props: proxyTarget(provider.props) },
                }),
            });
        });
    });
}

describe("Analyze and AnalyzeStack requests read from their bytes (wire/request-reader.ts)", () => {
    before(() => assert.equal(installRequestSharing(), true));

    it("offers exactly the getters of the installed generated classes", () => {
        assert.equal(viewsMatch(pb), true);
    });

    it("every getter answers as google-protobuf's: every field set, keys out of order, secrets, unknowns, odd numbers and text", () => {
        assertSame(
            requestBytes([
                FULL,
                { type: "app:index:Tier", name: "tier" },
                { ...FULL, name: "db2", options: {}, provider: { type: "p", name: "q" } },
            ]),
        );
        assertSame(requestBytes([]));
    });

    it("every getter answers as google-protobuf's on 600 random resources (the policy cases' inputs and random values)", () => {
        const corpus = loadCorpus();
        for (const seed of [1, 2, 3]) {
            const rng = new Rng(seed);
            assertSame(requestBytes(Array.from({ length: 200 }, (_, i) => randomSpec(rng, i, corpus))));
        }
    });

    it("@pulumi/policy's handler gives a stack policy the same list, and answers the same, on the view as on google-protobuf's message", async () => {
        const corpus = loadCorpus();
        const rng = new Rng(7);
        // The engine always sends properties and options (@pulumi/policy stops without them).
        const withOptions = (s: Spec): Spec => ({ ...s, props: s.props ?? {}, options: s.options ?? {} });
        for (const specs of [[FULL], Array.from({ length: 150 }, (_, i) => withOptions(randomSpec(rng, i, corpus)))]) {
            const bytes = requestBytes(specs);
            const expected = await throughHandler(pb.AnalyzeStackRequest.deserializeBinary(bytes));
            const got = await throughHandler(readStackRequest(Buffer.from(bytes)));
            assert.equal(got.list, expected.list);
            assert.equal(got.response, expected.response);
        }
    });

    it("Analyze: every getter answers as google-protobuf's, on every field set and 300 random resources", () => {
        assertSame(analyzeBytes(FULL), "analyze");
        assertSame(analyzeBytes({ type: SG, name: "bare" }), "analyze");
        const corpus = loadCorpus();
        const rng = new Rng(11);
        for (let i = 0; i < 300; i++) assertSame(analyzeBytes(randomSpec(rng, i, corpus)), "analyze");
    });

    it("Analyze: @pulumi/policy's handler gives a resource policy the same arguments, and answers the same, on the view", async () => {
        const corpus = loadCorpus();
        const rng = new Rng(13);
        const specs = [FULL, ...Array.from({ length: 60 }, (_, i) => randomSpec(rng, i, corpus))].map((x) => ({
            ...x,
            props: x.props ?? {},
            options: x.options ?? {},
        }));
        for (const spec of specs) {
            const bytes = analyzeBytes(spec);
            const expected = await throughAnalyze(pb.AnalyzeRequest.deserializeBinary(bytes));
            assert.deepEqual(await throughAnalyze(readAnalyzeRequest(Buffer.from(bytes))), expected, spec.name);
        }
    });

    it("Analyze: the fields only a stack's resource has (7-9) are unknown to an AnalyzeRequest, skipped whatever their wire type", () => {
        assertSame(bytesOf(str(1, SG), varint(7, 1), str(8, "d"), varint(9, 2), msg(2, entry("k", str(3, "v"))), str(4, "n")), "analyze");
        fallsBack(bytesOf(str(1, SG), msg(2, entry("k"))), "a Value without a kind", "analyze");
        fallsBack(bytesOf(varint(4, 1)), "a string field sent as a varint", "analyze");
        fallsBack(bytesOf(msg(5, str(1, "not a bool"))), "an option sent with another wire type", "analyze");
    });

    it("gives a view only where google-protobuf gives the same answer, on 20,000 mutated requests", () => {
        const corpus = loadCorpus();
        const rng = new Rng(17);
        const small = (i: number) => {
            const x = randomSpec(rng, i, corpus);
            return { ...x, props: randomObject(rng, 1) };
        };
        const seeds: [Kind, Uint8Array][] = [
            ["stack", requestBytes([FULL])],
            ["analyze", analyzeBytes(FULL)],
            ...Array.from({ length: 6 }, (_, i): [Kind, Uint8Array] => ["stack", requestBytes([small(i), small(i + 10)])]),
            ...Array.from({ length: 6 }, (_, i): [Kind, Uint8Array] => ["analyze", analyzeBytes(small(i + 20))]),
        ];
        let views = 0;
        for (let i = 0; i < 20000; i++) {
            const [kind, seed] = rng.pick(seeds);
            const bytes = [...seed];
            for (let m = 1 + rng.int(3); m > 0; m--) {
                const at = rng.int(bytes.length);
                switch (rng.int(5)) {
                    case 0:
                        bytes[at] = rng.int(256);
                        break;
                    case 1:
                        bytes.splice(at, 0, rng.pick([0x00, 0x01, 0x08, 0x0a, 0x12, 0x80, 0xff, rng.int(256)]));
                        break;
                    case 2:
                        bytes.splice(at, 1 + rng.int(3));
                        break;
                    case 3:
                        bytes.splice(at, 0, ...bytes.slice(rng.int(bytes.length), rng.int(bytes.length)));
                        break;
                    default:
                        bytes.length = at;
                }
            }
            const buf = Buffer.from(bytes);
            const view = READERS[kind].read(buf);
            if (view === undefined) continue;
            views++;
            const where = `${kind} request ${buf.toString("hex")}`;
            let expected: unknown;
            let got: unknown;
            try {
                [expected, got] = read(READERS[kind].generated().deserializeBinary(buf), view, where);
            } catch (e) {
                if (e instanceof assert.AssertionError) throw e;
                assert.fail(`google-protobuf fails (${(e as Error).message}) where the reader gives a view: ${where}`);
            }
            assert.deepStrictEqual(got, expected, where);
            assert.equal(JSON.stringify(got), JSON.stringify(expected), where);
        }
        assert.ok(views > 1000, `mutations the reader still reads: ${views}`);
    });

    it("answers as google-protobuf, or leaves to it, the inputs a differential fuzz against it found", () => {
        const hex = (h: string) => Buffer.from(h, "hex");
        // A NullValue in a six-byte varint, which protobufjs's Reader read by skipping five bytes.
        fallsBack(hex("12120a100a0178120b0880808080800120012001"), "a six-byte varint", "analyze");
        // A property dependency entry with its value twice: google-protobuf merges the lists.
        assertSame(hex("0a0f4a0d0a016b12030a016112030a0162"));
        // A custom timeout of -0, which google-protobuf's proto3 setter reads as 0.
        assertSame(hex("2a0b3a09090000000000000080"), "analyze");
        // Map entries with a third field, whose payload google-protobuf reads as tags.
        fallsBack(hex("120e0a0c0a01611d0a01620012022001"), "a Struct entry with a fixed32 field", "analyze");
        fallsBack(hex("0a0f4a0d0a016b1d0a016a0012030a0161"), "a dependency entry with a fixed32 field");
        fallsBack(hex("12100a0e81017b3bc7f1f212978812023200"), "a Struct entry with a field 16", "analyze");
    });

    it("reads wire forms google-protobuf accepts as google-protobuf does: repeated keys, unsorted maps, a repeated oneof, unknown fields", () => {
        assertSame(
            bytesOf(
                varint(7, 3), // an unknown field of the request
                msg(
                    1,
                    str(4, "first"),
                    str(1, SG),
                    msg(
                        2,
                        entry("b", str(3, "1")),
                        entry("a", str(3, "2")),
                        entry("b", str(3, "3")),
                        entry("", varint(4, 1)),
                        fixed32(9, 5),
                    ),
                    // The last message field wins, as google-protobuf's generated code sets it.
                    msg(2, entry("z", str(3, "s"), dbl(2, 5)), entry("a", msg(6, msg(1, varint(1, 0)), msg(1, msg(5))), varint(15, 1))),
                    str(4, "second"),
                    msg(9, str(1, "vpcId"), msg(2, str(1, "u1"))),
                    msg(9, str(1, "ingress")),
                    msg(9, str(1, "egress"), msg(2, str(1, "u2"), str(1, "u3"))),
                    msg(9, str(1, "vpcId"), msg(2, str(1, "u4"))),
                    msg(9, msg(2, str(1, "no key"))),
                    msg(5, varint(1, 1), msg(7, dbl(2, 9)), varint(20, 4), str(8, "p")),
                    msg(6, str(1, "pulumi:providers:aws"), str(9, "unknown"), msg(2, entry("region", str(3, "eu")))),
                    str(8, "d1"),
                    str(8, "d2"),
                    dbl(12, 1.5),
                ),
                msg(1),
            ),
        );
    });

    it("leaves to google-protobuf what it does not expect, and the deserialiser then answers as google-protobuf's", () => {
        const cases: [string, Uint8Array][] = [
            ["a Value without a kind", withProps(entry("k"))],
            ["a Value with only an unknown field", withProps(entry("k", varint(9, 1)))],
            ["a map entry without a value", withProps(msg(1, str(1, "k")))],
            [
                "a `__proto__` key, which google-protobuf's map loses",
                withProps(entry("__proto__", msg(5, entry("inherited", str(3, "yes")))), entry("own", str(3, "o"))),
            ],
            ["a `__proto__` property dependency", bytesOf(msg(1, str(1, SG), msg(9, str(1, "__proto__"), msg(2, str(1, "u")))))],
            ["a string field sent as a varint", bytesOf(msg(1, varint(1, 5)))],
            ["a number sent as fixed32", withProps(entry("k", fixed32(2, 1)))],
            ["a bool over one byte", withProps(entry("k", varint(4, 300)))],
            ["field number 0", bytesOf(varint(0, 1))],
            ["a group", bytesOf((w) => void w.uint32((3 << 3) | 3).uint32((3 << 3) | 4))],
            // protobufjs's Reader would skip five bytes of these unread; google-protobuf reads them otherwise.
            ["a length in a six-byte varint", Buffer.from([0x22, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00, 0x41])],
            ["a tag whose fifth byte has bits past 32", Buffer.from([0x8a, 0x80, 0x80, 0x80, 0x10, 0x00])],
            ["a null value in two bytes", withProps(entry("k", (w) => void w.uint32(8).uint32(128)))],
            ["a map entry with a field besides its key and value", withProps(msg(1, str(1, "k"), msg(2, str(3, "v")), varint(3, 1)))],
            ["a property dependency entry with a field besides its key and value", bytesOf(msg(1, msg(9, str(1, "k"), str(3, "x"))))],
            ["an unknown varint of eleven bytes", Buffer.from([15 << 3, ...Array<number>(10).fill(0xff), 0x01])],
            ["invalid UTF-8", Buffer.concat([Buffer.from(withProps(entry("k", str(3, "ab")))).subarray(0, -2), Buffer.from([0xc3, 0x28])])],
        ];
        const whole = Buffer.from(requestBytes([FULL]));
        cases.push(
            ["the request cut short", whole.subarray(0, whole.length - 3)],
            ["a length past the end", Buffer.concat([Buffer.from([10, 200, 1]), whole])],
        );
        for (const [why, bytes] of cases) fallsBack(bytes, why);
    });

    it("reads text with U+FFFD in it and nesting up to MAX_NESTING; deeper nesting goes to google-protobuf", () => {
        assertSame(withProps(entry("k", str(3, "a\uFFFDb"))));
        // A repeated value in one map entry merges into the first, as google-protobuf reads it: the later kind wins,
        // dependency lists join; a proto3 double of -0 reads as 0 (google-protobuf's setter clears the default).
        assertSame(withProps(msg(1, str(1, "k"), msg(2, str(3, "a")), msg(2, dbl(2, 5)))));
        assertSame(bytesOf(msg(1, msg(9, str(1, "vpcId"), msg(2, str(1, "u1")), msg(2, str(1, "u2"), str(1, "u3"))))));
        assertSame(bytesOf(msg(1, str(1, SG), msg(5, msg(7, dbl(1, -0), dbl(4, -0), dbl(2, Number.NaN))))));
        // Varints of up to five bytes with zeros to spare read as the same number in both.
        assertSame(Buffer.from([0x8a, 0x80, 0x00, 0x04, 0x0a, 0x81, 0x00, 0x74]));
        assertSame(
            Buffer.concat([
                Buffer.from([0xf8, 0x80, 0x80, 0x80, 0x00]),
                Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
            ]),
        );
        assertSame(withProps(rawEntry("deep", nestedLists(MAX_NESTING - 1))));
        // Deeper, google-protobuf decides (it runs out of stack past a thousand or so levels; the reader would not).
        fallsBack(withProps(rawEntry("deep", nestedLists(MAX_NESTING + 1))), `${MAX_NESTING + 1} nested lists`);
        fallsBack(withProps(rawEntry("deep", nestedLists(100000))), "100,000 nested lists");
    });

    it("is not used when the generated classes have getters the views lack, or the service is made with other classes", () => {
        class Newer extends pb.AnalyzerResource {
            getNewfield(): string {
                return "";
            }
        }
        assert.equal(viewsMatch({ ...pb, AnalyzerResource: Newer }), false);
        assert.equal(viewsMatch({ ...pb, AnalyzerPropertyDependencies: undefined }), false);
        assert.equal(withRequestReaders(grpcPb.AnalyzerService, { ...pb, AnalyzerResource: Newer }), grpcPb.AnalyzerService);
        assert.equal(withRequestReaders(grpcPb.AnalyzerService, { ...pb, AnalyzeStackRequest: class {} }), grpcPb.AnalyzerService);
        const other = { analyze: {} };
        assert.equal(withRequestReaders(other, pb), other, "a service without AnalyzeStack as it came");
        const service = withRequestReaders(grpcPb.AnalyzerService, pb);
        assert.equal(service.remediate, grpcPb.AnalyzerService.remediate, "the other methods as they were");
        assert.notEqual(service.analyzeStack, grpcPb.AnalyzerService.analyzeStack);
        assert.notEqual(service.analyze, grpcPb.AnalyzerService.analyze);
        assert.equal(viewsMatch({ ...pb, AnalyzeRequest: Newer }), false);
    });

    it("is what the pack's server registers for Analyze and AnalyzeStack, on the installed @pulumi/pulumi", () => {
        const stderr = probeRegistration(`
            if (s.analyzeStack) {
                const req = new pb.AnalyzeStackRequest();
                const r = new pb.AnalyzerResource();
                r.setType("t");
                req.setResourcesList([r]);
                const got = s.analyzeStack.requestDeserialize(Buffer.from(req.serializeBinary()));
                process.stderr.write("request:" + got.constructor.name + ":" + got.getResourcesList()[0].getType() + "\\n");
                const one = new pb.AnalyzeRequest();
                one.setType("u");
                const single = s.analyze.requestDeserialize(Buffer.from(one.serializeBinary()));
                process.stderr.write("request:" + single.constructor.name + ":" + single.getType() + "\\n");
            }`);
        assert.match(stderr, /request:StackRequestView:t/);
        assert.match(stderr, /request:AnalyzeRequestView:u/);
    });
});
