// `npm run bench -- --profile`: where this pack's time goes.
//
// 1. Start-up, in fresh processes: the time of each require dist/index.js makes (inclusive, timed
//    with process.hrtime around Module._load), and the registry's phases (ajv compile, YAML parse,
//    the rest of loadRegistry) for the shipped and a 500-service ports.yaml.
// 2. CPU profiles of the pack process itself (V8's profiler started by a module preloaded through
//    NODE_OPTIONS in the env given to PolicyPackProcess.start), one process per workload. Only the samples taken while the
//    workload ran are summarised (V8's profile clock and process.hrtime are both CLOCK_MONOTONIC).
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PolicyPackProcess } from "../driver/analyzer-client";
import {
    Pack,
    REPO_ROOT,
    Running,
    Wire,
    analyzeRequest,
    analyzeStackRequest,
    analyzerResource,
    fmtMs,
    loadWire,
    makeNoopPack,
    makeTempDir,
    median,
    now,
    packEnv,
    startConfigured,
    stopRunning,
} from "./harness";
import { graphRegistryYaml, graphStack } from "./graph-workloads";
import { fullRangeRule, manyCidrRule, networkSecurityGroup, registryYaml, securityGroup, stack, stackResource } from "./workloads";

export interface ProfileOptions {
    rounds: number;
    quick: boolean;
    log: (s: string) => void;
}

// ------------------------------------------------------------------------------------------------
// 1. Start-up: module load times

const LOAD_SCRIPT = String.raw`
const Module = require("module");
const path = require("path");
const hr = () => Number(process.hrtime.bigint()) / 1e6;
const root = process.argv[2];
const registryFile = process.argv[3];
const out = { requires: {}, phases: {} };
// Inclusive time of each module's first load, keyed by the package (or dist file) it belongs to;
// nested loads of the same key are counted once (in the outermost).
const origLoad = Module._load;
const active = new Map();
Module._load = function (request, parent, isMain) {
    let file;
    try { file = Module._resolveFilename(request, parent, isMain); } catch { return origLoad.apply(this, arguments); }
    if (Module._cache[file] || !file.includes("/")) return origLoad.apply(this, arguments);
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file.slice(file.lastIndexOf("node_modules/") >= 0 ? file.lastIndexOf("node_modules/") : 0));
    const key = file.includes("/node_modules/") ? m[1] : path.relative(root, file);
    if (active.get(key)) return origLoad.apply(this, arguments);
    active.set(key, true);
    const t0 = hr();
    try { return origLoad.apply(this, arguments); }
    finally { active.set(key, false); out.requires[key] = (out.requires[key] || 0) + (hr() - t0); }
};
const t = (name, f) => { const t0 = hr(); const v = f(); out.phases[name] = hr() - t0; return v; };
// What run-policy-pack has loaded before it requires the pack (so it is not charged to the pack).
t("@pulumi/pulumi (run-policy-pack loads it first)", () => require(require.resolve("@pulumi/pulumi", { paths: [root] })));
for (const k of Object.keys(out.requires)) delete out.requires[k];
// The pack's own top-level requires, in dist/index.js order, then the pack as a whole.
process.env.INTERNAL_PORTS_REGISTRY = registryFile;
t("dist/index.js (everything below, inclusive)", () => require(path.join(root, "dist", "index.js")));
// Registry phases, measured again on their own (modules are loaded now).
const Ajv = require(require.resolve("ajv", { paths: [root] })).default;
const { registrySchema } = require(path.join(root, "dist/policies/registry/schema.js"));
const yaml = require(require.resolve("yaml", { paths: [root] }));
const { loadRegistry } = require(path.join(root, "dist/policies/registry/index.js"));
const text = require("fs").readFileSync(registryFile, "utf8");
t("ajv: new Ajv().compile(registrySchema)", () => new Ajv({ allErrors: true, strict: true }).compile(registrySchema));
t("yaml: parseDocument (with LineCounter)", () => yaml.parseDocument(text, { lineCounter: new yaml.LineCounter(), uniqueKeys: true }));
t("loadRegistry again (validator cached)", () => loadRegistry(registryFile));
// The pack started a gRPC server when it was required: leave without waiting for it.
process.stdout.write(JSON.stringify(out), () => process.exit(0));
`;

interface LoadRun {
    requires: Record<string, number>;
    phases: Record<string, number>;
}

function loadTimes(
    dir: string,
    registryFile: string,
    rounds: number,
): { requires: Record<string, number>; phases: Record<string, number> } {
    const script = path.join(dir, "load-times.js");
    fs.writeFileSync(script, LOAD_SCRIPT);
    const runs: LoadRun[] = [];
    for (let i = 0; i < rounds + 1; i++) {
        const res = spawnSync(process.execPath, [script, REPO_ROOT, registryFile], {
            cwd: REPO_ROOT,
            env: packEnv(),
            encoding: "utf8",
            timeout: 120_000,
        });
        if (res.status !== 0) throw new Error(`load-times script failed: ${res.stderr}`);
        if (i > 0) runs.push(JSON.parse(res.stdout) as LoadRun); // the first run warms the page cache
    }
    const med = (pick: (r: LoadRun) => Record<string, number>) => {
        const keys = new Set(runs.flatMap((r) => Object.keys(pick(r))));
        const out: Record<string, number> = {};
        for (const k of keys) out[k] = median(runs.map((r) => pick(r)[k] ?? 0));
        return out;
    };
    return { requires: med((r) => r.requires), phases: med((r) => r.phases) };
}

// ------------------------------------------------------------------------------------------------
// 2. CPU profiles

interface CpuNode {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    hitCount?: number;
    children?: number[];
}

interface CpuProfile {
    nodes: CpuNode[];
    startTime: number;
    endTime: number;
    samples: number[];
    timeDeltas: number[];
}

export interface ProfileSummary {
    windowMs: number;
    /** Self time by category, ms. */
    categories: [string, number][];
    /** Top functions by self time. */
    top: [string, number][];
    /** Inclusive time of named functions (each counted once per sample). */
    inclusive: [string, number][];
}

function category(url: string, fn: string): string {
    if (!url) {
        if (fn === "(garbage collector)") return "GC";
        if (fn === "(idle)") return "idle";
        if (fn === "(program)") return "V8/native (program)";
        return `native: ${fn || "(anonymous)"}`;
    }
    const nm = url.lastIndexOf("node_modules/");
    if (nm >= 0) {
        const m = /^((?:@[^/]+\/)?[^/]+)/.exec(url.slice(nm + "node_modules/".length));
        return m ? m[1] : url;
    }
    if (url.startsWith("node:")) return "node core";
    const d = url.indexOf("/dist/");
    if (d >= 0) {
        const rel = url.slice(d + 1).replace(/^file:\/\//, "");
        if (rel.includes("/adapters/")) return "this pack: adapters";
        return `this pack: ${rel.replace(/^dist\//, "").replace(/\.js$/, "")}`;
    }
    return url;
}

/** Functions whose inclusive time tells the story of one Analyze call. */
const KEY_FUNCTIONS: { label: string; test: (fn: string, url: string) => boolean }[] = [
    {
        label: "gRPC: AnalyzeRequest deserializeBinary (request decode)",
        test: (f, u) => /deserializeBinary/.test(f) && u.includes("analyzer_pb"),
    },
    { label: "Struct.toJavaScript (all calls)", test: (f, u) => f.includes("toJavaScript") && u.includes("struct_pb") },
    {
        label: "deserializeProperties hook (incl. the original)",
        test: (f, u) => u.includes("wire/policy-hook.js") && /deserializeProperties|wrap/.test(f),
    },
    {
        label: "@pulumi/policy deserializeProperties (original)",
        test: (f, u) => f === "deserializeProperties" && u.includes("@pulumi/policy/deserialize.js"),
    },
    { label: "secrets: collect (second walk)", test: (f, u) => f === "collect" && u.includes("wire/secrets.js") },
    { label: "unknownCheckingProxy traps", test: (f, u) => u.includes("@pulumi/policy/proxy.js") },
    { label: "runCheck (normalise + check, per policy)", test: (f, u) => f === "runCheck" && u.includes("kit/run.js") },
    { label: "runStackCheck (per stack policy)", test: (f, u) => f === "runStackCheck" && u.includes("kit/run.js") },
    { label: "stackResources (the stack's models)", test: (f, u) => f === "stackResources" && u.includes("kit/run.js") },
    { label: "StackIndex (the stack's resource index)", test: (f, u) => f === "StackIndex" && u.includes("analysis/stack-index.js") },
    { label: "networkGraph (assemblers)", test: (f, u) => f === "networkGraph" && u.includes("analysis/graph.js") },
    { label: "paths (layers, explain)", test: (_f, u) => u.includes("analysis/paths.js") || u.includes("analysis/explain.js") },
    { label: "normalise (adapters)", test: (f, u) => f === "normalise" && u.includes("adapters/index.js") },
    { label: "parseCidr / address sets (model/addresses)", test: (_f, u) => u.includes("model/addresses.js") },
    { label: "ipaddr.js", test: (_f, u) => u.includes("ipaddr.js/") },
    { label: "interval sets (model/intervals)", test: (_f, u) => u.includes("model/intervals.js") },
    { label: "evaluate (ordered rules)", test: (_f, u) => u.includes("analysis/evaluate.js") },
    { label: "messages (kit/findings, kit/wording)", test: (_f, u) => u.includes("kit/findings.js") || u.includes("kit/wording.js") },
    { label: "policy checks (policies/rules/*.js check)", test: (f, u) => f === "check" && /dist\/policies\/rules\/[^/]+\.js$/.test(u) },
    { label: "registry frames (lookups; at start-up also loading the module)", test: (_f, u) => u.includes("policies/registry/") },
    {
        label: "AnalyzeResponse serializeBinary (response encode)",
        test: (f, u) => /(^|[^e])serializeBinary/.test(f) && !/deserialize/i.test(f) && u.includes("analyzer_pb"),
    },
    // Start-up
    { label: "start-up: loadRegistry", test: (f, u) => f === "loadRegistry" && u.includes("policies/registry/") },
    { label: "start-up: parseRegistry", test: (f, u) => f === "parseRegistry" && u.includes("policies/registry/") },
    { label: "start-up: ajv compile", test: (f, u) => f === "compile" && u.includes("/ajv/") },
    { label: "start-up: yaml (all)", test: (_f, u) => u.includes("node_modules/yaml/") },
    { label: "start-up: typescript module", test: (_f, u) => u.includes("node_modules/typescript/") },
    { label: "start-up: ts-node", test: (_f, u) => u.includes("node_modules/ts-node/") },
    { label: "start-up: require() (incl. modules' top-level code)", test: (f, u) => u.startsWith("node:internal/modules") },
];

export function summarise(profile: CpuProfile, fromUs = -Infinity, toUs = Infinity, topN = 15): ProfileSummary {
    const byId = new Map<number, CpuNode>();
    const parent = new Map<number, number>();
    for (const n of profile.nodes) byId.set(n.id, n);
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const self = new Map<string, number>();
    const cats = new Map<string, number>();
    const incl = new Map<string, number>();
    let t = profile.startTime;
    let windowUs = 0;
    for (let i = 0; i < profile.samples.length; i++) {
        t += profile.timeDeltas[i];
        const dur = i + 1 < profile.timeDeltas.length ? profile.timeDeltas[i + 1] : 0;
        if (t < fromUs || t > toUs || dur <= 0) continue;
        const node = byId.get(profile.samples[i])!;
        const { functionName, url, lineNumber } = node.callFrame;
        if (functionName === "(idle)") continue;
        windowUs += dur;
        const short = url
            ? url
                  .replace(/^.*node_modules\//, "")
                  .replace(/^.*\/dist\//, "dist/")
                  .replace(/^file:\/\//, "")
            : "";
        const key = `${functionName || "(anonymous)"} ${short ? `${short}:${lineNumber + 1}` : ""}`.trim();
        self.set(key, (self.get(key) ?? 0) + dur);
        const c = category(url, functionName);
        cats.set(c, (cats.get(c) ?? 0) + dur);
        const seen = new Set<string>();
        for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
            const f = byId.get(id)!.callFrame;
            for (const k of KEY_FUNCTIONS) if (!seen.has(k.label) && k.test(f.functionName, f.url)) seen.add(k.label);
        }
        for (const l of seen) incl.set(l, (incl.get(l) ?? 0) + dur);
    }
    const ms = (m: Map<string, number>) => [...m.entries()].map(([k, v]) => [k, v / 1000] as [string, number]).sort((a, b) => b[1] - a[1]);
    return { windowMs: windowUs / 1000, categories: ms(cats), top: ms(self).slice(0, topN), inclusive: ms(incl) };
}

function printSummary(title: string, s: ProfileSummary, perCall: number, log: (s: string) => void): string[] {
    const lines: string[] = [];
    const pct = (v: number) => `${((100 * v) / s.windowMs).toFixed(1)}%`;
    const per = (v: number) => (perCall > 1 ? ` (${fmtMs(v / perCall)}/call)` : "");
    lines.push(`### ${title}`, "", `Sampled CPU in the window: ${fmtMs(s.windowMs)}${per(s.windowMs)}`, "");
    lines.push("Self time by category:", "");
    for (const [k, v] of s.categories.slice(0, 14)) lines.push(`- ${k}: ${fmtMs(v)} ${pct(v)}${per(v)}`);
    lines.push("", "Inclusive time of key functions:", "");
    for (const [k, v] of s.inclusive) lines.push(`- ${k}: ${fmtMs(v)} ${pct(v)}${per(v)}`);
    lines.push("", "Top functions by self time:", "");
    for (const [k, v] of s.top) lines.push(`- ${k}: ${fmtMs(v)} ${pct(v)}`);
    lines.push("");
    for (const l of lines) log(l);
    return lines;
}

// Node 20 does not accept --cpu-prof in NODE_OPTIONS, so the pack process is profiled through a
// preloaded module (NODE_OPTIONS=--require) that starts V8's sampling profiler with the inspector
// module and writes the profile when the driver stops the process (SIGTERM).
const PROFILER_HOOK = String.raw`
const inspector = require("inspector");
const fs = require("fs");
const path = require("path");
const session = new inspector.Session();
session.connect();
session.post("Profiler.enable");
session.post("Profiler.setSamplingInterval", { interval: 250 });
session.post("Profiler.start");
process.on("SIGTERM", () => {
    session.post("Profiler.stop", (err, res) => {
        if (!err) fs.writeFileSync(path.join(process.env.BENCH_PROFILE_DIR, "pack-" + process.pid + ".cpuprofile"), JSON.stringify(res.profile));
        process.exit(0);
    });
});
`;

function profilerEnv(base: string, env: NodeJS.ProcessEnv, dir: string): NodeJS.ProcessEnv {
    const hook = path.join(base, "profiler-hook.js");
    fs.writeFileSync(hook, PROFILER_HOOK);
    return { ...env, NODE_OPTIONS: `--require ${hook}`, BENCH_PROFILE_DIR: dir };
}

async function profiled(
    w: Wire,
    base: string,
    pack: Pack,
    name: string,
    workload: (r: Running) => Promise<number>,
): Promise<{ profile: CpuProfile; fromUs: number; toUs: number; calls: number; startMs: number }> {
    const dir = path.join(base, "profiles", name);
    fs.mkdirSync(dir, { recursive: true });
    const env = profilerEnv(base, pack.env, dir);
    const t0 = now();
    const running = await startConfigured(w, { ...pack, env });
    const startMs = now() - t0;
    const fromUs = Number(process.hrtime.bigint() / 1000n);
    const calls = await workload(running);
    const toUs = Number(process.hrtime.bigint() / 1000n);
    await stopRunning(running);
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
    if (files.length !== 1) throw new Error(`expected one profile in ${dir}, found ${files.length}`);
    const profile = JSON.parse(fs.readFileSync(path.join(dir, files[0]), "utf8")) as CpuProfile;
    return { profile, fromUs, toUs, calls, startMs };
}

export async function runProfile(opts: ProfileOptions): Promise<void> {
    const { log } = opts;
    const base = makeTempDir("internal-ports-profile-");
    const keep = process.env.BENCH_KEEP_PROFILES === "1";
    const report: string[] = ["# internal-ports: profile", ""];
    try {
        const reg500 = path.join(base, "ports-500.yaml");
        fs.writeFileSync(reg500, registryYaml(500));
        const shipped = path.join(REPO_ROOT, "ports.yaml");

        // BENCH_PROFILE_ONLY=<part of a workload's name>: that workload alone, without start-up.
        const only = process.env.BENCH_PROFILE_ONLY?.toLowerCase();

        // 1. Module load times
        for (const [label, file] of only
            ? []
            : ([
                  ["shipped ports.yaml", shipped],
                  ["500-service ports.yaml", reg500],
              ] as const)) {
            log(`start-up load times (${label}), ${opts.rounds} fresh processes, medians:`);
            const lt = loadTimes(base, file, opts.rounds);
            report.push(`## Start-up, ${label} (medians of ${opts.rounds} fresh processes)`, "");
            for (const [k, v] of Object.entries(lt.phases)) report.push(`- ${k}: ${fmtMs(v)}`);
            report.push("", "Inclusive first-load time of what dist/index.js requires (outermost load per package/file):", "");
            for (const [k, v] of Object.entries(lt.requires)
                .sort((a, b) => b[1] - a[1])
                .slice(0, 25))
                report.push(`  - ${k}: ${fmtMs(v)}`);
            report.push("");
            for (const l of report.slice(-(Object.keys(lt.phases).length + Math.min(25, Object.keys(lt.requires).length) + 4)))
                log(`  ${l}`);
        }

        // 2. CPU profiles of the pack process
        const w = loadWire();
        const noopDir = makeNoopPack(base);
        const ours: Pack = { label: "internal-ports", dir: REPO_ROOT, env: packEnv() };
        const ours500: Pack = { label: "internal-ports (500 services)", dir: REPO_ROOT, env: packEnv({ INTERNAL_PORTS_REGISTRY: reg500 }) };
        const noop: Pack = { label: "no-op", dir: noopDir, env: packEnv() };
        const reps = opts.quick ? 0.4 : 1;
        const repeat = (req: ReturnType<typeof analyzeRequest>, n: number) => async (r: Running) => {
            for (let i = 0; i < 10; i++) await r.raw.analyze(req); // warm-up (not excluded: small)
            for (let i = 0; i < n; i++) await r.raw.analyze(req);
            return n + 10;
        };
        const sweepReqs = Array.from({ length: 1000 }, (_, i) => analyzeRequest(w, stackResource(i)));
        const sweep = async (r: Running) => {
            for (let k = 0; k < 3; k++) for (const q of sweepReqs) await r.raw.analyze(q);
            return 3000;
        };
        const stackReq = analyzeStackRequest(
            w,
            stack(10000).map((r) => analyzerResource(w, r)),
        );
        const graphRegistry = path.join(base, "ports-graph.yaml");
        fs.writeFileSync(graphRegistry, graphRegistryYaml(10000));
        const oursGraph: Pack = {
            label: "internal-ports (graph registry)",
            dir: REPO_ROOT,
            env: packEnv({ INTERNAL_PORTS_REGISTRY: graphRegistry }),
        };
        const graphReq = analyzeStackRequest(
            w,
            graphStack(10000).map((r) => analyzerResource(w, r)),
        );
        const workloads: { name: string; pack: Pack; work: (r: Running) => Promise<number>; noopToo: boolean }[] = [
            {
                name: "Analyze: SecurityGroup with 50 ingress rules",
                pack: ours,
                work: repeat(analyzeRequest(w, securityGroup("sg-50", 50, 50)), Math.round(400 * reps)),
                noopToo: true,
            },
            {
                name: "Analyze: NSG with 200 securityRules",
                pack: ours,
                work: repeat(analyzeRequest(w, networkSecurityGroup("nsg-200", 200, 200)), Math.round(150 * reps)),
                noopToo: true,
            },
            {
                name: "Analyze: one rule with 5,000 source CIDRs",
                pack: ours,
                work: repeat(analyzeRequest(w, manyCidrRule(5000, 5000)), Math.round(20 * reps)),
                noopToo: true,
            },
            {
                name: "Analyze: tcp 0-65535 vs a 500-service registry",
                pack: ours500,
                work: repeat(analyzeRequest(w, fullRangeRule()), Math.round(400 * reps)),
                noopToo: false,
            },
            { name: "Analyze sweep: 1,000 firewall resources x 3", pack: ours, work: sweep, noopToo: true },
            {
                name: "AnalyzeStack with the network graph: 10,000 resources of five clouds x 3",
                pack: oursGraph,
                work: async (r) => {
                    for (let i = 0; i < 3; i++) await r.raw.analyzeStack(graphReq);
                    return 3;
                },
                noopToo: true,
            },
            {
                name: "AnalyzeStack: 10,000 firewall resources x 3",
                pack: ours,
                work: async (r) => {
                    for (let i = 0; i < 3; i++) await r.raw.analyzeStack(stackReq);
                    return 3;
                },
                noopToo: true,
            },
        ];
        for (const wl of workloads.filter((x) => !only || x.name.toLowerCase().includes(only))) {
            for (const p of wl.noopToo ? [wl.pack, noop] : [wl.pack]) {
                log(`profiling ${wl.name} on ${p.label} ...`);
                const res = await profiled(w, base, p, `${wl.name.replace(/[^a-z0-9]+/gi, "-")}-${p === noop ? "noop" : "ours"}`, wl.work);
                const s = summarise(res.profile, res.fromUs, res.toUs);
                report.push(...printSummary(`${wl.name} — ${p.label} (${res.calls} calls)`, s, res.calls, log));
            }
        }

        // Cold start, profiled from spawn to the port (the whole profile up to the first RPC).
        for (const p of only ? [] : [ours, ours500, noop]) {
            log(`profiling cold start of ${p.label} ...`);
            const dir = path.join(base, "profiles", `cold-${p.label.replace(/[^a-z0-9]+/gi, "-")}`);
            fs.mkdirSync(dir, { recursive: true });
            const proc = await PolicyPackProcess.start(p.dir, { env: profilerEnv(base, p.env, dir) });
            const portUs = Number(process.hrtime.bigint() / 1000n);
            await proc.stop();
            const file = fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile"))!;
            const profile = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as CpuProfile;
            report.push(
                ...printSummary(`Cold start — ${p.label} (profile start to port read)`, summarise(profile, -Infinity, portUs, 25), 1, log),
            );
        }
        const out = path.join(REPO_ROOT, "dist", "bench", "profile.md");
        fs.writeFileSync(out, report.join("\n") + "\n");
        log(`wrote ${path.relative(process.cwd(), out)}${keep ? `; profiles kept in ${path.join(base, "profiles")}` : ""}`);
    } finally {
        if (!keep) fs.rmSync(base, { recursive: true, force: true });
    }
}
