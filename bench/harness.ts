// Shared by bench.ts and profile.ts: the no-op pack, the pack's own protobuf/gRPC modules, prebuilt
// requests and a raw client that sends them, and a little statistics.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type * as analyzerPbT from "@pulumi/pulumi/proto/analyzer_pb";
import type * as analyzerGrpcPbT from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as structPbT from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerInfo, PolicyPackProcess, ResourceInput, defaultUrn } from "../driver/analyzer-client";
import { loadRuntime, Runtime } from "../driver/runtime";

/** The repository root: dist/bench/harness.js -> ../.. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** A row of a results table: this pack (or command) against its baseline. */
export interface Row {
    what: string;
    ours: string;
    noop: string;
    ratio: string;
    target: string;
    /** undefined: no target (reported only). */
    pass?: boolean;
}

// ------------------------------------------------------------------------------------------------
// The no-op pack

/**
 * The no-op pack's index.js: one resource policy and `stackPolicies` stack policies that read every
 * resource's properties. `reader`: the pack first installs this checkout's request readers
 * (policies/wire/request-reader.ts, through stack-list.ts), so that it reads requests as this pack
 * does and the comparison is of the checks alone.
 */
export function noopIndexJs(stackPolicies = 1, reader = false): string {
    const stack = Array.from(
        { length: stackPolicies },
        (_, i) => `        {
            name: "noop-stack${i === 0 ? "" : `-${i + 1}`}",
            description: "noop",
            enforcementLevel: "advisory",
            validateStack: (args) => { for (const r of args.resources) void r.props; },
        },
`,
    ).join("");
    return `// No-op policy pack: the baseline of the internal-ports benchmark.
${reader ? `require(${JSON.stringify(path.join(REPO_ROOT, "dist", "policies", "wire", "stack-list.js"))}).installStackListSharing();\n` : ""}const { PolicyPack } = require("@pulumi/policy");
new PolicyPack("noop", {
    policies: [
        { name: "noop", description: "noop", enforcementLevel: "advisory", validateResource: () => {} },
${stack}    ],
});
`;
}

/** Writes the no-op pack (with `stackPolicies` stack policies) into a new directory under `base`; node_modules is a symlink to ours. */
export function makeNoopPack(base: string, stackPolicies = 1, reader = false): string {
    const dir = path.join(base, `${stackPolicies === 1 ? "noop-pack" : `noop-pack-${stackPolicies}`}${reader ? "-reader" : ""}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ name: "noop-policy-pack", version: "0.1.0", main: "index.js" }, null, 2) + "\n",
    );
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\ndescription: no-op baseline pack\n");
    fs.writeFileSync(path.join(dir, "index.js"), noopIndexJs(stackPolicies, reader));
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

export function makeTempDir(prefix: string): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// ------------------------------------------------------------------------------------------------
// The pack's own @pulumi/pulumi protobuf and gRPC modules (the same copies the driver loads, so
// google-protobuf `instanceof` checks hold).

export type Wire = Pick<Runtime, "pb" | "rpc" | "struct" | "grpc">;

export function loadWire(packDir: string = REPO_ROOT): Wire {
    return loadRuntime(packDir);
}

function toStruct(w: Wire, value: Record<string, unknown>): structPbT.Struct {
    // JSON semantics, as the driver and the engine: undefined members are dropped.
    return w.struct.Struct.fromJavaScript(JSON.parse(JSON.stringify(value)) as Record<string, structPbT.JavaScriptValue>);
}

/** The fields an AnalyzeRequest and an AnalyzerResource share, filled the way the driver fills them. */
function withResource<M extends analyzerPbT.AnalyzeRequest | analyzerPbT.AnalyzerResource>(w: Wire, msg: M, r: ResourceInput): M {
    msg.setType(r.type);
    msg.setName(r.name);
    msg.setUrn(r.urn ?? defaultUrn(r.type, r.name));
    msg.setProperties(toStruct(w, r.properties));
    msg.setOptions(resourceOptions(w));
    return msg;
}

/** An AnalyzerResource message, filled the way the driver fills it (default options, no provider). */
export function analyzerResource(w: Wire, r: ResourceInput): analyzerPbT.AnalyzerResource {
    const ar = withResource(w, new w.pb.AnalyzerResource(), r);
    ar.setParent("");
    ar.setDependenciesList([]);
    const deps = ar.getPropertydependenciesMap();
    for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
        if (urns.length === 0) continue; // the engine skips properties without dependencies
        const pd = new w.pb.AnalyzerPropertyDependencies();
        pd.setUrnsList(urns);
        deps.set(k, pd);
    }
    return ar;
}

function resourceOptions(w: Wire): analyzerPbT.AnalyzerResourceOptions {
    const opts = new w.pb.AnalyzerResourceOptions();
    opts.setProtect(false);
    opts.setIgnorechangesList([]);
    opts.setAdditionalsecretoutputsList([]);
    opts.setAliasesList([]);
    const ct = new w.pb.AnalyzerResourceOptions.CustomTimeouts();
    ct.setCreate(0);
    ct.setUpdate(0);
    ct.setDelete(0);
    opts.setCustomtimeouts(ct);
    opts.setParent("");
    return opts;
}

export function analyzeRequest(w: Wire, r: ResourceInput): analyzerPbT.AnalyzeRequest {
    return withResource(w, new w.pb.AnalyzeRequest(), r);
}

export function analyzeStackRequest(w: Wire, resources: analyzerPbT.AnalyzerResource[]): analyzerPbT.AnalyzeStackRequest {
    const req = new w.pb.AnalyzeStackRequest();
    req.setResourcesList(resources);
    return req;
}

/** A second gRPC channel to a started pack, for prebuilt requests (client-side marshalling excluded). */
export class RawClient {
    private readonly client: analyzerGrpcPbT.AnalyzerClient;

    constructor(
        private readonly w: Wire,
        port: number,
    ) {
        this.client = new w.rpc.AnalyzerClient(`127.0.0.1:${port}`, w.grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": 400 * 1024 * 1024,
            "grpc.max_send_message_length": 400 * 1024 * 1024,
        });
    }

    private call(
        invoke: (cb: (err: Error | null, res: analyzerPbT.AnalyzeResponse) => void) => unknown,
    ): Promise<analyzerPbT.AnalyzeResponse> {
        return new Promise((resolve, reject) => {
            invoke((err, res) => (err ? reject(err) : resolve(res)));
        });
    }

    /** Returns the number of diagnostics. */
    async analyze(req: analyzerPbT.AnalyzeRequest): Promise<number> {
        return (await this.call((cb) => this.client.analyze(req, new this.w.grpc.Metadata(), {}, cb))).getDiagnosticsList().length;
    }

    async analyzeStack(req: analyzerPbT.AnalyzeStackRequest): Promise<number> {
        return (await this.call((cb) => this.client.analyzeStack(req, new this.w.grpc.Metadata(), {}, cb))).getDiagnosticsList().length;
    }

    close(): void {
        this.client.close();
    }
}

// ------------------------------------------------------------------------------------------------
// Packs under test

export interface Pack {
    label: string;
    dir: string;
    env: NodeJS.ProcessEnv;
}

export interface Running {
    pack: Pack;
    proc: PolicyPackProcess;
    info: AnalyzerInfo;
    raw: RawClient;
}

/** Starts a pack as the CLI does, configures it as the CLI does (defaults), opens a raw channel. */
export async function startConfigured(w: Wire, pack: Pack): Promise<Running> {
    const proc = await PolicyPackProcess.start(pack.dir, { env: pack.env });
    const info = await proc.getAnalyzerInfo();
    await proc.configure({});
    return { pack, proc, info, raw: new RawClient(w, proc.port) };
}

export async function stopRunning(r: Running): Promise<void> {
    r.raw.close();
    await r.proc.stop();
}

/**
 * Preloaded (NODE_OPTIONS=--require) into the packs the Analyze and AnalyzeStack rows talk to: times
 * each Analyze and AnalyzeStack handler inside the pack, from the decoded request to the answer
 * handed back to gRPC, which splits a round trip into the pack's own work and what every pack pays
 * (transport, request decoding). On SIGUSR2 it writes the times gathered since the last signal to
 * BENCH_HANDLER_OUT. It wraps the handlers @pulumi/policy registers with @grpc/grpc-js.
 */
const HANDLER_TIMER = String.raw`
const fs = require("fs");
const path = require("path");
const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json", { paths: [process.cwd()] }));
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [policyDir] }));
let times = [];
const addService = grpc.Server.prototype.addService;
grpc.Server.prototype.addService = function (service, impl) {
    for (const m of ["analyze", "analyzeStack"]) {
        const f = impl && impl[m];
        if (typeof f !== "function") continue;
        impl[m] = function (call, callback) {
            const t = process.hrtime.bigint();
            return f.call(this, call, (err, res) => {
                times.push(Number(process.hrtime.bigint() - t) / 1e6);
                callback(err, res);
            });
        };
    }
    return addService.call(this, service, impl);
};
process.on("SIGUSR2", () => {
    fs.writeFileSync(process.env.BENCH_HANDLER_OUT + ".tmp", JSON.stringify(times));
    fs.renameSync(process.env.BENCH_HANDLER_OUT + ".tmp", process.env.BENCH_HANDLER_OUT);
    times = [];
});
`;

/** The pack with the handler timer preloaded; `handlerTimes` reads what it measured since the last read. */
export function withHandlerTimer(base: string, pack: Pack): Pack & { handlerOut: string } {
    const hook = path.join(base, "handler-timer.js");
    if (!fs.existsSync(hook)) fs.writeFileSync(hook, HANDLER_TIMER);
    const handlerOut = path.join(base, `handler-${pack.label.replace(/[^a-z0-9]+/gi, "-")}.json`);
    return { ...pack, env: { ...pack.env, NODE_OPTIONS: `--require ${hook}`, BENCH_HANDLER_OUT: handlerOut }, handlerOut };
}

/** Handler times (ms) the pack measured since the last call; [] when the pack does not answer in 5 s. */
export async function handlerTimes(r: Running): Promise<number[]> {
    const out = (r.pack as Pack & { handlerOut?: string }).handlerOut;
    if (!out || r.proc.pid === undefined) return [];
    fs.rmSync(out, { force: true });
    process.kill(r.proc.pid, "SIGUSR2");
    for (let waited = 0; waited < 5000; waited += 20) {
        if (fs.existsSync(out)) return JSON.parse(fs.readFileSync(out, "utf8")) as number[];
        await sleep(20);
    }
    return [];
}

/** The environment of a pack process: ours, without npm's variables and without NODE_OPTIONS. */
export function packEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
        if (k.startsWith("npm_") || k === "NODE_OPTIONS" || k === "INTERNAL_PORTS_REGISTRY") continue;
        env[k] = v;
    }
    return { ...env, ...extra };
}

// ------------------------------------------------------------------------------------------------
// Timing and statistics

export function now(): number {
    return Number(process.hrtime.bigint()) / 1e6;
}

export async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
    const t0 = now();
    const v = await f();
    return [now() - t0, v];
}

export function median(xs: readonly number[]): number {
    if (xs.length === 0) return NaN;
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function fmtMs(ms: number): string {
    if (!Number.isFinite(ms)) return "n/a";
    if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
    if (ms >= 100) return `${ms.toFixed(0)} ms`;
    if (ms >= 10) return `${ms.toFixed(1)} ms`;
    if (ms >= 1) return `${ms.toFixed(2)} ms`;
    return `${(ms * 1000).toFixed(0)} µs`;
}

export function sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
}
