// `npm run bench`: this pack against a no-op pack, both started exactly as the Pulumi CLI starts
// them (PolicyPackProcess), in the same run on the same machine. Prints a table of medians, ratios
// and the targets of issue 6, and writes the same to bench/results.md. Not a test: nothing fails.
//
//   npm run bench                        # full run (7 rounds; several minutes on 2 cores)
//   npm run bench -- --quick             # 3 rounds, smaller stacks, one install round
//   npm run bench -- --rounds 5 --only cold,analyze --no-write
//   npm run bench -- --profile           # where this pack's time goes (CPU profiles, module loads)
//   npm run bench -- --sections flowlogs # internal-ports flowlogs alone (vs DuckDB and the bytes alone)
//
// Environment equivalents: BENCH_ROUNDS, BENCH_QUICK=1, BENCH_ONLY, BENCH_STACK_SIZES, BENCH_BUDGET,
// BENCH_INSTALL_ROUNDS, BENCH_OUT, BENCH_NO_WRITE=1.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AnalyzerInfo, PolicyPackProcess, ResourceInput } from "../driver/analyzer-client";
import {
    Pack,
    REPO_ROOT,
    Row,
    Running,
    Wire,
    analyzeRequest,
    analyzeStackRequest,
    analyzerResource,
    fmtMs,
    loadWire,
    makeNoopPack,
    handlerTimes,
    makeTempDir,
    median,
    now,
    packEnv,
    startConfigured,
    stopRunning,
    withHandlerTimer,
} from "./harness";
import { InstallResult, measureInstall } from "./install";
import { flowlogSection, FlowlogResult } from "./flowlogs";
import { runProfile } from "./profile";
import { fullRangeRule, manyCidrRule, networkSecurityGroup, registryYaml, securityGroup, stack, stackResource } from "./workloads";
import { Cloud, GRAPH_CLOUDS, graphRegistryYaml, graphStack, middleUnit } from "./graph-workloads";
import { explain, Source } from "../policies/analysis/explain";
import { focusedGraphOf, graphOf } from "../cli/graph";
import { StackResource } from "../cli/types";
import { cidrSet } from "../policies/model/addresses";
import { loadRegistry, parseRegistry, Registry } from "../policies/registry";
import { policies } from "../policies";

/** This pack's stack policies: the no-op baseline with as many shows what @pulumi/policy charges per stack policy. */
const STACK_POLICIES = policies.filter((p) => "checkStack" in p).length;

// ------------------------------------------------------------------------------------------------
// Options

const SECTIONS = ["cold", "analyze", "stack", "graph", "install", "flowlogs"] as const;
type Section = (typeof SECTIONS)[number];

interface Options {
    rounds: number;
    quick: boolean;
    only: Set<Section>;
    stackSizes: [number, number];
    installRounds: number;
    /** Target duration of one timed batch of Analyze calls, ms. */
    batchMs: number;
    /** Minimum warm-up per pack and measurement, ms. */
    warmMs: number;
    /** Time budget of one measurement (both packs, all rounds), ms; rounds stop early past it. */
    budgetMs: number;
    out?: string;
    profile: boolean;
    /** Records of the generated flow log. */
    flowlogRecords: number;
    /** The larger RSS input: the flow log this many times; 0 or 1 skips it. */
    flowlogLarge: number;
    /** A built checkout of an earlier version: measured instead of the no-op pack (before and after). */
    against?: { dir: string; label: string };
}

const USAGE = `usage: npm run bench -- [--rounds N] [--quick] [--only|--sections cold,analyze,stack,graph,install,flowlogs] [--skip-install] [--against DIR]
                       [--stack-sizes 1000,10000] [--budget SECONDS] [--install-rounds N]
                       [--flowlog-records N] [--flowlog-large TIMES] [--out FILE | --no-write] [--profile]`;

function parseOptions(argv: string[]): Options {
    const env = process.env;
    const flag = (name: string) => argv.includes(name);
    const value = (name: string): string | undefined => {
        const i = argv.indexOf(name);
        if (i >= 0) {
            if (i + 1 >= argv.length) throw new Error(`${name} needs a value\n${USAGE}`);
            return argv[i + 1];
        }
        const eq = argv.find((a) => a.startsWith(`${name}=`));
        return eq?.slice(name.length + 1);
    };
    const known = new Set([
        "--budget",
        "--rounds",
        "--quick",
        "--only",
        "--sections",
        "--skip-install",
        "--stack-sizes",
        "--install-rounds",
        "--out",
        "--no-write",
        "--profile",
        "--flowlog-records",
        "--flowlog-large",
        "--against",
        "--help",
        "-h",
    ]);
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i].split("=")[0];
        if (!known.has(a)) throw new Error(`unknown option ${argv[i]}\n${USAGE}`);
        if (
            !argv[i].includes("=") &&
            [
                "--budget",
                "--rounds",
                "--only",
                "--sections",
                "--stack-sizes",
                "--install-rounds",
                "--out",
                "--flowlog-records",
                "--flowlog-large",
                "--against",
            ].includes(a)
        )
            i++;
    }
    if (flag("--help") || flag("-h")) {
        console.log(USAGE);
        process.exit(0);
    }
    const quick = flag("--quick") || env.BENCH_QUICK === "1";
    const posInt = (s: string | undefined, what: string, dflt: number): number => {
        if (s === undefined || s === "") return dflt;
        const n = Number(s);
        if (!Number.isInteger(n) || n < 1) throw new Error(`${what} must be a positive integer, got ${JSON.stringify(s)}`);
        return n;
    };
    const onlyText = value("--only") ?? value("--sections") ?? env.BENCH_ONLY;
    const only = new Set<Section>(SECTIONS);
    if (onlyText) {
        only.clear();
        for (const s of onlyText
            .split(",")
            .map((x) => x.trim())
            .filter(Boolean)) {
            if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`--only: unknown section ${s} (${SECTIONS.join(", ")})`);
            only.add(s as Section);
        }
    }
    if (flag("--skip-install")) only.delete("install");
    const sizesText = value("--stack-sizes") ?? env.BENCH_STACK_SIZES;
    let stackSizes: [number, number] = quick ? [200, 2000] : [1000, 10000];
    if (sizesText) {
        const parts = sizesText.split(",").map((x) => posInt(x.trim(), "--stack-sizes", 0));
        if (parts.length !== 2 || parts[0] >= parts[1]) throw new Error("--stack-sizes takes two increasing sizes, e.g. 1000,10000");
        stackSizes = [parts[0], parts[1]];
    }
    const noWrite = flag("--no-write") || env.BENCH_NO_WRITE === "1";
    const againstDir = value("--against");
    let against: Options["against"];
    if (againstDir !== undefined) {
        const dir = path.resolve(againstDir);
        if (!fs.existsSync(path.join(dir, "dist", "index.js")) || !fs.existsSync(path.join(dir, "PulumiPolicy.yaml"))) {
            throw new Error(`--against ${againstDir}: expected a built checkout of this pack (PulumiPolicy.yaml and dist/index.js)`);
        }
        // Installs and flow logs are measured against their own baselines.
        for (const s of ["install", "flowlogs"] as const) only.delete(s);
        against = { dir, label: commitOf(dir) };
    }
    return {
        rounds: posInt(value("--rounds") ?? env.BENCH_ROUNDS, "--rounds", quick ? 3 : 7),
        quick,
        only,
        stackSizes,
        installRounds: posInt(value("--install-rounds") ?? env.BENCH_INSTALL_ROUNDS, "--install-rounds", quick ? 1 : 2),
        batchMs: quick ? 120 : 300,
        warmMs: quick ? 150 : 400,
        budgetMs: 1000 * posInt(value("--budget") ?? env.BENCH_BUDGET, "--budget", quick ? 40 : 150),
        out: noWrite ? undefined : path.resolve(value("--out") ?? env.BENCH_OUT ?? path.join(REPO_ROOT, "bench", "results.md")),
        profile: flag("--profile"),
        flowlogRecords: posInt(
            value("--flowlog-records") ?? env.BENCH_FLOWLOG_RECORDS,
            "--flowlog-records",
            quick ? 2_000_000 : 10_000_000,
        ),
        flowlogLarge:
            value("--flowlog-large") === "0"
                ? 0
                : posInt(value("--flowlog-large") ?? env.BENCH_FLOWLOG_LARGE, "--flowlog-large", quick ? 1 : 3),
        ...(against ? { against } : {}),
    };
}

/** "3c00d87 (2026-11-30)": the checkout's commit, for naming the before. */
function commitOf(dir: string): string {
    const r = spawnSync("git", ["-C", dir, "log", "-1", "--format=%h (%cs)"], { encoding: "utf8" });
    return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : path.basename(dir);
}

// ------------------------------------------------------------------------------------------------
// Results

interface Series {
    ours: number[];
    noop: number[];
}

interface Detail {
    what: string;
    unit: string;
    series: Series;
    note?: string;
}

const rows: Row[] = [];
const details: Detail[] = [];
const notes: string[] = [];

function spread(xs: number[]): string {
    if (xs.length === 0) return "n/a";
    return `${fmtMs(Math.min(...xs))} / ${fmtMs(median(xs))} / ${fmtMs(Math.max(...xs))}`;
}

/** In a before-and-after run every row is judged as a regression check: within 10% of the before. */
let againstMode = false;

function addRatioRow(what: string, s: Series, limitVsNoop: number, targetVsNoop: string, note?: string): void {
    const o = median(s.ours);
    const n = median(s.noop);
    const ratio = o / n;
    const [limit, targetText] = againstMode ? [1.1, "≤ 1.10x of before"] : [limitVsNoop, targetVsNoop];
    rows.push({ what, ours: fmtMs(o), noop: fmtMs(n), ratio: `${ratio.toFixed(2)}x`, target: targetText, pass: ratio <= limit });
    details.push({ what, unit: "ms", series: s, note });
}

/** A ratio row without a target, for comparisons that explain another row; `detail` names its series. */
function addReportedRow(what: string, s: Series, detail = what): void {
    const o = median(s.ours);
    const n = median(s.noop);
    rows.push({ what, ours: fmtMs(o), noop: fmtMs(n), ratio: `${(o / n).toFixed(2)}x`, target: "reported only" });
    details.push({ what: detail, unit: "ms", series: s });
}

// ------------------------------------------------------------------------------------------------
// Measurements

const log = (s: string) => process.stderr.write(`${s}\n`);

async function coldStart(opts: Options, packs: { ours: Pack; ours500: Pack; noop: Pack; noop500: Pack }): Promise<void> {
    log(`cold start: spawn -> port printed, ${opts.rounds} rounds (+1 warm-up), packs interleaved`);
    const list = [...new Set([packs.ours, packs.ours500, packs.noop, packs.noop500])];
    const times = new Map<Pack, number[]>(list.map((p) => [p, []]));
    for (let round = -1; round < opts.rounds; round++) {
        // Rotate the order so no pack always follows the same one.
        const order = list.map((_, i) => list[(i + Math.max(round, 0)) % list.length]);
        const line: string[] = [];
        for (const p of order) {
            const t0 = now();
            const proc = await PolicyPackProcess.start(p.dir, { env: p.env });
            const t = now() - t0;
            await proc.stop();
            if (round >= 0) times.get(p)!.push(t);
            line.push(`${p.label} ${fmtMs(t)}`);
        }
        log(`  ${round < 0 ? "warm-up" : `round ${round + 1}/${opts.rounds}`}: ${line.join(", ")}`);
    }
    const noop = times.get(packs.noop)!;
    addRatioRow("Cold start: spawn to port printed (shipped ports.yaml)", { ours: times.get(packs.ours)!, noop }, 1.15, "≤ 1.15x");
    addRatioRow(
        "Cold start with a 500-service ports.yaml",
        { ours: times.get(packs.ours500)!, noop: times.get(packs.noop500)! },
        1.15,
        "≤ 1.15x",
    );
}

/** Calls `f` sequentially `iters` times; ms per call. */
async function batch(f: () => Promise<unknown>, iters: number): Promise<number> {
    const t0 = now();
    for (let i = 0; i < iters; i++) await f();
    return (now() - t0) / iters;
}

/**
 * Warm-up, then how many calls make a batch of about `targetMs`. A call that takes a second or more
 * is its own warm-up and batch (AnalyzeStack over thousands of resources, whole sweeps).
 */
async function calibrate(f: () => Promise<unknown>, targetMs: number, warmMs: number): Promise<number> {
    const first = await batch(f, 1);
    if (first >= 1000) return 1;
    let n = 0;
    let spent = 0;
    while (n < 5 || spent < warmMs) {
        spent += await batch(f, 1);
        n++;
    }
    return Math.max(1, Math.min(2000, Math.ceil(targetMs / Math.max(spent / n, 0.001))));
}

interface Pair {
    ours: Running;
    noop: Running;
}

/**
 * Rounds of interleaved batches against two running packs; the same request objects for both.
 * Stops early (after at least one round) once the measurement has used its time budget.
 */
async function compare(
    opts: Options,
    what: string,
    pair: Pair,
    oursCall: () => Promise<unknown>,
    noopCall: () => Promise<unknown>,
    targetMs = opts.batchMs,
): Promise<Series> {
    const t0 = now();
    const iters = await calibrate(oursCall, targetMs, opts.warmMs);
    await calibrate(noopCall, 0, opts.warmMs); // warm-up of the baseline too
    const s: Series = { ours: [], noop: [] };
    for (let round = 0; round < opts.rounds; round++) {
        if (round % 2 === 0) {
            s.ours.push(await batch(oursCall, iters));
            s.noop.push(await batch(noopCall, iters));
        } else {
            s.noop.push(await batch(noopCall, iters));
            s.ours.push(await batch(oursCall, iters));
        }
        if (now() - t0 > opts.budgetMs && round + 1 < opts.rounds) {
            log(`  ${what}: time budget of ${opts.budgetMs / 1000} s used after ${round + 1} of ${opts.rounds} rounds`);
            break;
        }
    }
    log(
        `  ${what}: ${s.ours.length} rounds x ${iters} call(s); median ${fmtMs(median(s.ours))} (${pair.ours.pack.label}) vs ${fmtMs(median(s.noop))} (${pair.noop.pack.label})`,
    );
    return s;
}

/** Median of the later half: the handler times include the calibration calls, before the JIT settles. */
function lateMedian(xs: number[]): number | undefined {
    return xs.length === 0 ? undefined : median(xs.slice(Math.floor(xs.length / 2)));
}

/** Handler time inside each pack next to the round trip, for the notes. */
function insideNote(inside: { what: string; s: Series; ours?: number; noop?: number }[]): void {
    const known = inside.filter((x) => x.ours !== undefined && x.noop !== undefined);
    if (known.length === 0) return;
    notes.push(
        "Inside the packs (the handler from the decoded request to the answer handed to gRPC, timed by a preloaded " +
            "wrapper; medians of the later half of the calls): " +
            known
                .map(
                    (x) =>
                        `${x.what.replace(/^Analyze: /, "")}: this pack ${fmtMs(x.ours!)} of its ${fmtMs(median(x.s.ours))} round trip, ` +
                        `no-op ${fmtMs(x.noop!)} of ${fmtMs(median(x.s.noop))}`,
                )
                .join("; ") +
            ". The rest of a round trip is transport, request decoding and the client: the same for both packs, except " +
            "that this pack reads Analyze and AnalyzeStack requests from their bytes (policies/wire/request-reader.ts) where the " +
            "no-op pack has google-protobuf decode them (the graph rows against a no-op pack that reads them as this pack does " +
            "leave that out).",
    );
}

async function analyzeSection(
    opts: Options,
    w: Wire,
    running: { ours: Running; ours500: Running; noop: Running; noop500: Running },
): Promise<void> {
    const inside: { what: string; s: Series; ours?: number; noop?: number }[] = [];
    log(`Analyze: prebuilt requests over a second gRPC channel, ${opts.rounds} rounds, interleaved`);
    const pair: Pair = { ours: running.ours, noop: running.noop };
    const pair500: Pair = { ours: running.ours500, noop: running.noop500 };
    // A preview sends each resource once, so a repeated request would flatter the pack (its CIDR parse
    // cache would answer). Seeded cases cycle through VARIANTS different resources of the same shape;
    // both packs get the same sequence.
    const VARIANTS = 24;
    const variants = (make: (seed: number) => ResourceInput) => Array.from({ length: VARIANTS }, (_, k) => make(k + 1));
    const cases = [
        { what: "Analyze: aws SecurityGroup, 50 ingress rules", inputs: variants((k) => securityGroup("sg-50", 50, 50 * k)), pair },
        {
            what: "Analyze: azure-native NetworkSecurityGroup, 200 securityRules",
            inputs: variants((k) => networkSecurityGroup("nsg-200", 200, 200 * k)),
            pair,
        },
        { what: "Analyze: one rule whose sources are 5,000 CIDRs", inputs: variants((k) => manyCidrRule(5000, 5000 * k)), pair },
        { what: "Analyze: tcp 0-65535 from 0.0.0.0/0 against a 500-service registry", inputs: [fullRangeRule()], pair: pair500 },
    ];
    for (const c of cases) {
        const reqs = c.inputs.map((input) => analyzeRequest(w, input));
        // Sanity: the pack judges the resource (diagnostics), the no-op pack does not.
        const dOurs = await c.pair.ours.raw.analyze(reqs[0]);
        const dNoop = await c.pair.noop.raw.analyze(reqs[0]);
        const bytes = reqs[0].serializeBinary().length;
        const cycle = (r: Running) => {
            let i = 1; // the sanity call above already sent the first
            return () => r.raw.analyze(reqs[i++ % reqs.length]);
        };
        await handlerTimes(c.pair.ours);
        await handlerTimes(c.pair.noop);
        const s = await compare(opts, c.what, c.pair, cycle(c.pair.ours), cycle(c.pair.noop));
        inside.push({
            what: c.what,
            s,
            ours: lateMedian(await handlerTimes(c.pair.ours)),
            noop: lateMedian(await handlerTimes(c.pair.noop)),
        });
        const shape = reqs.length > 1 ? `${reqs.length} seeded variants in turn, ` : "";
        addRatioRow(
            c.what,
            s,
            1.3,
            "≤ 1.3x",
            `${shape}request ${(bytes / 1024).toFixed(1)} KiB; diagnostics: this pack ${dOurs}, no-op ${dNoop}`,
        );
    }

    // What `pulumi preview` does: one Analyze per resource.
    const n = opts.stackSizes[0];
    const reqs = Array.from({ length: n }, (_, i) => analyzeRequest(w, stackResource(i)));
    let dOurs = 0;
    for (const r of reqs) dOurs += await pair.ours.raw.analyze(r);
    const sweep = (rc: Running) => async () => {
        for (const r of reqs) await rc.raw.analyze(r);
    };
    await handlerTimes(pair.ours);
    await handlerTimes(pair.noop);
    const s = await compare(opts, `Analyze sweep over ${n} firewall resources`, pair, sweep(pair.ours), sweep(pair.noop), 0);
    const perResource: Series = { ours: s.ours.map((x) => x / n), noop: s.noop.map((x) => x / n) };
    inside.push({
        what: "sweep, per resource",
        s: perResource,
        ours: lateMedian(await handlerTimes(pair.ours)),
        noop: lateMedian(await handlerTimes(pair.noop)),
    });
    insideNote(inside);
    addRatioRow(
        `Analyze, one call per resource (as preview does) over ${n.toLocaleString("en")} firewall resources, per resource`,
        perResource,
        1.3,
        "≤ 1.3x",
        `${dOurs} diagnostics over the ${n} resources from this pack`,
    );
}

async function stackSection(opts: Options, w: Wire, pair: Pair): Promise<void> {
    const [small, large] = opts.stackSizes;
    log(`AnalyzeStack: ${small} and ${large} firewall resources, ${opts.rounds} rounds, interleaved`);
    const t0 = now();
    const resources = stack(large).map((r) => analyzerResource(w, r));
    const reqSmall = analyzeStackRequest(w, resources.slice(0, small));
    const reqLarge = analyzeStackRequest(w, resources);
    const mib = (req: { serializeBinary(): Uint8Array }) => (req.serializeBinary().length / 1024 / 1024).toFixed(1);
    log(`  requests built in ${fmtMs(now() - t0)} (${mib(reqSmall)} MiB and ${mib(reqLarge)} MiB)`);
    const perRes: Record<number, Series> = {};
    for (const [n, req] of [
        [small, reqSmall],
        [large, reqLarge],
    ] as const) {
        const what = `AnalyzeStack over ${n.toLocaleString("en")} firewall resources`;
        const s = await compare(
            opts,
            what,
            pair,
            () => pair.ours.raw.analyzeStack(req),
            () => pair.noop.raw.analyzeStack(req),
            n >= large ? 0 : opts.batchMs,
        );
        addRatioRow(what, s, 1.5, "≤ 1.5x", `request ${mib(req)} MiB`);
        perRes[n] = { ours: s.ours.map((x) => x / n), noop: s.noop.map((x) => x / n) };
    }
    const growth = (k: "ours" | "noop") => median(perRes[large][k]) / median(perRes[small][k]);
    const g = growth("ours");
    rows.push({
        what: `AnalyzeStack growth ${small.toLocaleString("en")} → ${large.toLocaleString("en")}: per-resource cost ratio (1.00 = linear)`,
        ours: `${g.toFixed(2)} (${fmtMs(median(perRes[small].ours))} → ${fmtMs(median(perRes[large].ours))}/res)`,
        noop: `${growth("noop").toFixed(2)} (${fmtMs(median(perRes[small].noop))} → ${fmtMs(median(perRes[large].noop))}/res)`,
        ratio: "—",
        target: "~linear: ≤ 1.25",
        pass: g <= 1.25,
    });
}

/**
 * The network graph: AnalyzeStack over whole networks (per unit a VPC or VNet with subnets, ACLs or
 * NSGs, routes, groups and tagged workloads), this pack with a registry of documented clients
 * against the no-op pack; and `explain` on the larger stack, in this process.
 */
async function graphSection(
    opts: Options,
    w: Wire,
    pair: Pair,
    registryFile: string,
    noopAlike?: Running,
    noopReader?: Running,
): Promise<void> {
    const [small, large] = opts.stackSizes;
    log(
        `graph: AnalyzeStack over ${small} and ${large} network resources (${GRAPH_CLOUDS.join(", ")}), ${opts.rounds} rounds, interleaved`,
    );
    const inputs = graphStack(large);
    const resources = inputs.map((r) => analyzerResource(w, r));
    const reqs = { [small]: analyzeStackRequest(w, resources.slice(0, small)), [large]: analyzeStackRequest(w, resources) };
    const perRes: Record<number, Series> = {};
    const inside: { what: string; s: Series; ours?: number; noop?: number }[] = [];
    for (const n of [small, large]) {
        const what = `AnalyzeStack with the network graph over ${n.toLocaleString("en")} resources (${GRAPH_CLOUDS.join(", ")})`;
        const diagnostics = await pair.ours.raw.analyzeStack(reqs[n]);
        await handlerTimes(pair.ours);
        await handlerTimes(pair.noop);
        const s = await compare(
            opts,
            what,
            pair,
            () => pair.ours.raw.analyzeStack(reqs[n]),
            () => pair.noop.raw.analyzeStack(reqs[n]),
            n >= large ? 0 : opts.batchMs,
        );
        inside.push({
            what: `graph, ${n.toLocaleString("en")} resources`,
            s,
            ours: lateMedian(await handlerTimes(pair.ours)),
            noop: lateMedian(await handlerTimes(pair.noop)),
        });
        addRatioRow(
            what,
            s,
            1.5,
            "≤ 1.5x",
            `request ${(reqs[n].serializeBinary().length / 1024 / 1024).toFixed(1)} MiB; ${diagnostics} diagnostics from this pack`,
        );
        perRes[n] = { ours: s.ours.map((x) => x / n), noop: s.noop.map((x) => x / n) };
    }
    insideNote(inside);
    if (noopReader) {
        // The no-op pack decodes requests with google-protobuf; this one reads them from their bytes (wire/request-reader.ts).
        // Against a no-op pack that reads it the same way, what is left is the cost of this pack's checks.
        for (const n of [small, large]) {
            const what = `… the same ${n.toLocaleString("en")} resources against a no-op pack that reads the request as this pack does (the checks alone)`;
            const s = await compare(
                opts,
                what,
                { ours: pair.ours, noop: noopReader },
                () => pair.ours.raw.analyzeStack(reqs[n]),
                () => noopReader.raw.analyzeStack(reqs[n]),
                n >= large ? 0 : opts.batchMs,
            );
            addReportedRow(what, s);
        }
    }
    if (noopAlike) {
        // @pulumi/policy builds every stack policy its own resource list (protobuf reads, proxies, dependencies), the
        // no-op pack's five as well; this pack builds one (policies/wire/stack-list.ts).
        const what = `… the same 10,000 against a no-op pack with ${STACK_POLICIES} stack policies, as many as this pack has`;
        const s = await compare(
            opts,
            what,
            { ours: pair.ours, noop: noopAlike },
            () => pair.ours.raw.analyzeStack(reqs[large]),
            () => noopAlike.raw.analyzeStack(reqs[large]),
            0,
        );
        addReportedRow(what.replace("10,000", `${large.toLocaleString("en")} resources`), s, what);
    }
    const growth = (k: "ours" | "noop") => median(perRes[large][k]) / median(perRes[small][k]);
    rows.push({
        what: `Graph growth ${small.toLocaleString("en")} → ${large.toLocaleString("en")}: per-resource cost ratio (1.00 = linear)`,
        ours: `${growth("ours").toFixed(2)} (${fmtMs(median(perRes[small].ours))} → ${fmtMs(median(perRes[large].ours))}/res)`,
        noop: `${growth("noop").toFixed(2)} (${fmtMs(median(perRes[small].noop))} → ${fmtMs(median(perRes[large].noop))}/res)`,
        ratio: "—",
        target: "~linear: ≤ 1.25",
        pass: growth("ours") <= 1.25,
    });

    // explain, as the command runs it once the input is loaded: the two workloads' providers modelled and they placed, then the path.
    const registry = loadRegistry(registryFile);
    const mixed = explainRounds(opts, inputs, registry, "aws");
    const workloads = graphOf(fresh(inputs), registry.serviceTag).workloads.length;
    rows.push({
        what: `explain on ${large.toLocaleString("en")} resources (${GRAPH_CLOUDS.join(", ")}): modelling and placing the two workloads, then the path`,
        ours: `${fmtMs(median(mixed.place))} + ${fmtMs(median(mixed.path))}`,
        noop: "—",
        ratio: "—",
        target: "< 100 ms",
        pass: median(mixed.place) + median(mixed.path) < 100,
    });
    details.push({ what: "explain (mixed stack): modelling and placing", unit: "ms", series: { ours: mixed.place, noop: [] } });
    details.push({ what: "explain (mixed stack): the path alone", unit: "ms", series: { ours: mixed.path, noop: [] } });
    // One cloud alone: every resource is of the two workloads' provider, so all of it is modelled.
    const single: string[] = [];
    for (const cloud of GRAPH_CLOUDS) {
        const only = graphStack(large, [cloud]);
        const r = explainRounds(opts, only, parseRegistry(graphRegistryYaml(large, [cloud]), "ports.yaml"), cloud, [cloud]);
        rows.push({
            what: `explain on ${large.toLocaleString("en")} ${cloud} resources: modelling and placing the two workloads, then the path`,
            ours: `${fmtMs(median(r.place))} + ${fmtMs(median(r.path))}`,
            noop: "—",
            ratio: "—",
            target: "< 100 ms",
            pass: median(r.place) + median(r.path) < 100,
        });
        details.push({ what: `explain (${cloud} alone): modelling and placing`, unit: "ms", series: { ours: r.place, noop: [] } });
        single.push(`${cloud} ${r.verdict}`);
    }
    notes.push(
        `Graph: the ${large.toLocaleString("en")}-resource stack has ${workloads.toLocaleString("en")} workloads; each unit carries a documented flow ` +
            `that dies (AWS: the replies at a network ACL; DigitalOcean: the web droplets' firewall lets the database's port out to no one), so every AWS and DigitalOcean unit gives one documented-flows-reachable finding. ` +
            `explain answered ${mixed.verdict} on the mixed stack; on each cloud alone: ${single.join("; ")}. ` +
            "explain's time is measured in this process from the loaded resources (what `internal-ports explain` does after running the program or reading the file), each round from new copies of them, so no model built in an earlier round is reused. " +
            "It models only the resources of the two workloads' providers that their clouds' focus (policies/adapters/<cloud>/focus.ts) says can bear on them (a unit of this stack: its namespace, network or what references join to it), and places those two workloads only; test/explain-focus.test.ts holds that to the whole graph's answers.",
    );
}

/** New property bags, as a run of the command reads them: no model is remembered from a round before. */
function fresh(inputs: readonly ResourceInput[]): StackResource[] {
    return inputs.map((r) => ({ ...structuredClone(r), urn: r.urn!, custom: true }));
}

/**
 * `explain` from a client to the workloads of a documented service of the unit in the middle of the
 * stack (the unit's first service with clients), timed as the command runs it.
 */
function explainRounds(
    opts: Options,
    inputs: readonly ResourceInput[],
    registry: Registry,
    cloud: Cloud,
    clouds?: readonly Cloud[],
): { place: number[]; path: number[]; verdict: string } {
    const unit = middleUnit(inputs.length, cloud, clouds);
    const graph = graphOf(fresh(inputs), registry.serviceTag);
    const service = registry.services.find((x) => x.name.endsWith(`-${unit}`) && x.clients?.length);
    const to = service && graph.workloads.find((x) => x.service === service.name);
    const client = service?.clients?.[0];
    const from: Source | undefined = client?.cidr
        ? { kind: "cidr", text: client.cidr.text, addresses: cidrSet([client.cidr.text]) }
        : client?.service
          ? ((w) => (w ? { kind: "workload" as const, workload: w } : undefined))(graph.workloads.find((x) => x.service === client.service))
          : undefined;
    if (!service || !to || !from)
        throw new Error(`graph bench: unit ${unit} of the ${cloud} stack has no documented pair (${graph.workloads.length} workloads)`);
    const wanted = new Set([to.urn, ...(from.kind === "workload" ? [from.workload.urn] : [])]);
    const place: number[] = [];
    const path: number[] = [];
    let verdict = "";
    for (let round = 0; round < opts.rounds; round++) {
        const loaded = fresh(inputs);
        const t0 = now();
        const g = focusedGraphOf(loaded, registry.serviceTag, wanted);
        const dest = g.workloads.find((x) => x.urn === to.urn);
        const src: Source | undefined =
            from.kind === "workload"
                ? ((w) => w && { kind: "workload" as const, workload: w })(g.workloads.find((x) => x.urn === from.workload.urn))
                : from;
        if (!dest || !src) throw new Error(`graph bench: the focused graph did not place ${to.name}`);
        const t1 = now();
        const e = explain({ from: src, to: dest, protocol: "tcp", ports: service.ports, ephemeral: registry.ephemeralPorts });
        const t2 = now();
        place.push(t1 - t0);
        path.push(t2 - t1);
        verdict = `${from.kind === "workload" ? from.workload.name : from.text} → ${to.name}: ${e.status}`;
    }
    return { place, path, verdict };
}

function installRows(r: InstallResult): void {
    const added = r.oursMiB - r.baseMiB;
    rows.push({
        what: `Production install (npm ci --omit=dev): node_modules size vs @pulumi/policy ${r.policyVersion} alone`,
        ours: `${r.oursMiB.toFixed(1)} MiB (${r.oursPackages} pkgs)`,
        noop: `${r.baseMiB.toFixed(1)} MiB (${r.basePackages} pkgs)`,
        ratio: `+${added.toFixed(1)} MiB`,
        target: "< 10 MB added",
        pass: added * 1.048576 < 10,
    });
    const optOurs = r.optionalOurs.reduce((a, [, v]) => a + v, 0);
    const optBase = r.optionalBase.reduce((a, [, v]) => a + v, 0);
    if (r.optionalOurs.length > 0) {
        const addedNoOpt = r.oursMiB - optOurs - (r.baseMiB - optBase);
        rows.push({
            what: "… the same without optional/devOptional packages (what npm ci --omit=dev --omit=optional leaves)",
            ours: `${(r.oursMiB - optOurs).toFixed(1)} MiB`,
            noop: `${(r.baseMiB - optBase).toFixed(1)} MiB`,
            ratio: `+${addedNoOpt.toFixed(1)} MiB`,
            target: "< 10 MB added",
            pass: addedNoOpt * 1.048576 < 10,
        });
    }
    notes.push(
        "Install: what this package adds over @pulumi/policy alone, by package: " +
            r.added.map(([k, v]) => `${k} ${v >= 0 ? "+" : ""}${v.toFixed(1)} MiB`).join(", ") +
            ".",
    );
    if (r.optionalOurs.length > 0) {
        notes.push(
            "Install: `npm ci --omit=dev` keeps packages the lock marks optional or devOptional: in this package " +
                r.optionalOurs.map(([k, v]) => `${k} ${v.toFixed(1)} MiB`).join(", ") +
                (r.optionalBase.length
                    ? `; in the baseline ${r.optionalBase.map(([k, v]) => `${k} ${v.toFixed(1)} MiB`).join(", ")}`
                    : "; none in the baseline") +
                (r.optionalOurs.some(([k]) => k.startsWith("typescript "))
                    ? ". typescript is kept because a devDependency named `typescript` satisfies " +
                      "@pulumi/pulumi's optional peer dependency (npm marks it devOptional); the compiler belongs under another name (see package.json)"
                    : "") +
                ".",
        );
    }
    const o = median(r.oursMs);
    const b = median(r.baseMs);
    rows.push({
        what: "Production install time (npm ci --omit=dev --ignore-scripts, warm private cache)",
        ours: fmtMs(o),
        noop: fmtMs(b),
        ratio: `${(o / b).toFixed(2)}x`,
        target: "reported only",
    });
    details.push({ what: "npm ci --omit=dev --ignore-scripts", unit: "ms", series: { ours: r.oursMs, noop: r.baseMs } });
    if (r.ownUnpackedMiB !== undefined) {
        notes.push(
            `The pack's own files, as \`pulumi policy publish\` uploads them (\`npm run package\`, then npm pack), add ${r.ownUnpackedMiB.toFixed(1)} MiB unpacked in ${r.ownFiles} files ` +
                "(not in the node_modules figure above, which is the dependencies only).",
        );
    }
    for (const n of r.notes) notes.push(`Install: ${n}`);
}

// ------------------------------------------------------------------------------------------------
// Reporting

function machine(): { lines: string[] } {
    const cpuinfo = fs.existsSync("/proc/cpuinfo") ? fs.readFileSync("/proc/cpuinfo", "utf8") : "";
    const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? "unknown";
    const mhz = /^cpu MHz\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim();
    const memGiB = os.totalmem() / 1024 ** 3;
    let npmVersion = "?";
    try {
        npmVersion = execFileSync("npm", ["--version"], { encoding: "utf8" }).trim();
    } catch {
        // ignore
    }
    let commit = "?";
    try {
        commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO_ROOT, encoding: "utf8" }).trim();
        const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: REPO_ROOT, encoding: "utf8" }).trim();
        if (dirty) commit += " (with uncommitted changes)";
    } catch {
        // not a git checkout
    }
    return {
        lines: [
            `- CPU: ${model}${mhz ? ` (${Number(mhz).toFixed(0)} MHz)` : ""}, ${os.cpus().length} cores`,
            `- Memory: ${memGiB.toFixed(1)} GiB`,
            `- OS: ${os.type()} ${os.release()} (${os.arch()})`,
            `- Node ${process.version}, npm ${npmVersion}`,
            `- Date: ${new Date().toISOString()}`,
            `- Commit: ${commit}`,
        ],
    };
}

function table(): string[] {
    const head = ["measurement", "this pack", "no-op pack / baseline", "ratio", "target", "result"];
    const body = rows.map((r) => [r.what, r.ours, r.noop, r.ratio, r.target, r.pass === undefined ? "—" : r.pass ? "PASS" : "MISS"]);
    return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...body.map((c) => `| ${c.join(" | ")} |`)];
}

function printTable(list: Row[] = rows): void {
    const head = ["measurement", "this pack", "no-op/baseline", "ratio", "target", "result"];
    const body = list.map((r) => [r.what, r.ours, r.noop, r.ratio, r.target, r.pass === undefined ? "—" : r.pass ? "PASS" : "MISS"]);
    const widths = head.map((h, i) => Math.min(i === 0 ? 70 : 40, Math.max(h.length, ...body.map((b) => b[i].length))));
    const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));
    const line = (cells: string[]) => cells.map((c, i) => cut(c, widths[i])).join("  ");
    console.log("");
    console.log(line(head));
    console.log(widths.map((n) => "-".repeat(n)).join("  "));
    for (const b of body) console.log(line(b));
    console.log("");
}

const FINDINGS_BEGIN = "<!-- findings:begin (kept by npm run bench; edit by hand) -->";
const FINDINGS_END = "<!-- findings:end -->";
const FLOWLOGS_BEGIN = "<!-- flowlogs:begin (written by npm run bench when the flowlogs section runs; kept otherwise) -->";
const FLOWLOGS_END = "<!-- flowlogs:end -->";

function block(text: string, begin: string, end: string): string | undefined {
    const a = text.indexOf(begin);
    const b = text.indexOf(end);
    return a >= 0 && b > a ? text.slice(a, b + end.length) : undefined;
}

/** The flow-log section of results.md: its own table, so a run of that section alone keeps the rest. */
function flowlogBlock(r: FlowlogResult, opts: Options, m: { lines: string[] }): string {
    const head = ["measurement", "this command", "baseline", "ratio", "target", "result"];
    return [
        FLOWLOGS_BEGIN,
        "## Flow logs: `internal-ports flowlogs` vs DuckDB and the bytes alone",
        "",
        "Measured by `npm run bench -- --sections flowlogs` (bench/flowlogs.ts), or a full run. Each measurement runs",
        "in its own process (bench/flowlogs-child.ts); rounds are interleaved; figures are medians.",
        "",
        ...m.lines,
        `- Run: ${Math.min(opts.rounds, 3)} rounds, ${opts.flowlogRecords.toLocaleString("en")} records${opts.flowlogLarge > 1 ? `, RSS also on ${opts.flowlogLarge}x the log` : ""}`,
        "",
        `| ${head.join(" | ")} |`,
        `|${head.map(() => "---").join("|")}|`,
        ...r.rows.map(
            (x) =>
                `| ${x.what} | ${x.ours} | ${x.noop} | ${x.ratio} | ${x.target} | ${x.pass === undefined ? "—" : x.pass ? "PASS" : "MISS"} |`,
        ),
        "",
        ...r.notes.map((n) => `- ${n}`),
        "",
        "| per round (ms) | this command | baseline |",
        "|---|---|---|",
        ...r.details.map(
            (d) => `| ${d.what} | ${d.ours.map((x) => x.toFixed(0)).join(", ")} | ${d.base.map((x) => x.toFixed(0)).join(", ")} |`,
        ),
        FLOWLOGS_END,
    ].join("\n");
}

const BEFORE_BEGIN = "<!-- before-after:begin (written by npm run bench -- --against DIR; kept otherwise) -->";
const BEFORE_END = "<!-- before-after:end -->";

/** `--against`: this checkout against an earlier one, in its own block of results.md; the rest of the file stays. */
function writeBeforeAfter(file: string, opts: Options, m: { lines: string[] }, elapsedMs: number): void {
    const text = [
        BEFORE_BEGIN,
        `## Before and after: this checkout against ${opts.against!.label}`,
        "",
        `Measured by \`npm run bench -- --against <built checkout of ${opts.against!.label.split(" ")[0]}>\`: the earlier pack takes the`,
        "no-op pack's place, interleaved round by round with this one; the ratio is after / before. A regression check:",
        "MISS past 1.10x.",
        "",
        ...m.lines,
        `- Run: ${opts.rounds} rounds per measurement; sections: ${[...opts.only].join(", ")}; stack sizes ${opts.stackSizes.join(" and ")}; took ${(elapsedMs / 1000).toFixed(0)} s`,
        "",
        ...table().map((l, i) => (i === 0 ? l.replace("no-op pack / baseline", "before") : l)),
        "",
        ...notes.filter((n) => !n.startsWith("This pack (") && !n.startsWith("Cold start is")).map((n) => `- ${n}`),
        "",
        "| measurement | rounds | after | before |",
        "|---|---|---|---|",
        ...details.map((d) => `| ${d.what} | ${d.series.ours.length} | ${spread(d.series.ours)} | ${spread(d.series.noop)} |`),
        BEFORE_END,
    ].join("\n");
    const old = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    const previous = block(old, BEFORE_BEGIN, BEFORE_END);
    const anchor = old.indexOf("## How to rerun");
    const next = previous
        ? old.replace(previous, text)
        : anchor >= 0
          ? `${old.slice(0, anchor)}${text}\n\n${old.slice(anchor)}`
          : `${old}\n${text}\n`;
    fs.writeFileSync(file, next);
    log(`wrote the before-and-after section of ${path.relative(process.cwd(), file) || file}`);
}

function writeResults(file: string, opts: Options, m: { lines: string[] }, elapsedMs: number, flow?: FlowlogResult): void {
    let findings = `${FINDINGS_BEGIN}\n## Where the time goes\n\n(run \`npm run bench -- --profile\` and write the findings here)\n${FINDINGS_END}`;
    let flowlogs = flow
        ? flowlogBlock(flow, opts, m)
        : `${FLOWLOGS_BEGIN}\n## Flow logs\n\n(run \`npm run bench -- --sections flowlogs\`)\n${FLOWLOGS_END}`;
    const old = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    const beforeAfter = old !== undefined ? block(old, BEFORE_BEGIN, BEFORE_END) : undefined;
    if (old !== undefined) {
        findings = block(old, FINDINGS_BEGIN, FINDINGS_END) ?? findings;
        if (!flow) flowlogs = block(old, FLOWLOGS_BEGIN, FLOWLOGS_END) ?? flowlogs;
        if (flow && opts.only.size === 1) {
            // Only the flow-log section ran: the rest of the file is another run's and stays.
            const previous = block(old, FLOWLOGS_BEGIN, FLOWLOGS_END);
            const text = previous ? old.replace(previous, flowlogs) : old.replace(findings, `${flowlogs}\n\n${findings}`);
            fs.writeFileSync(file, text);
            log(`wrote the flow-log section of ${path.relative(process.cwd(), file) || file}`);
            return;
        }
    }
    const sections = [...opts.only].join(", ");
    const out = [
        "# Benchmark: internal-ports vs a no-op policy pack",
        "",
        "Generated by `npm run bench` (bench/bench.ts). Both packs are started exactly as the Pulumi CLI",
        "starts them (`PolicyPackProcess` from driver/analyzer-client.ts: `run-policy-pack`, port on stdout,",
        "GetAnalyzerInfo, Configure with the defaults) in the same run, on the same machine, interleaved",
        "round by round. Figures are medians; the ratio is this pack / no-op pack. Not a test: nothing",
        "fails on a MISS.",
        "",
        "## Machine",
        "",
        ...m.lines,
        `- Run: ${opts.rounds} rounds per measurement${opts.quick ? " (--quick)" : ""}; sections: ${sections}; stack sizes ${opts.stackSizes.join(" and ")}; ` +
            `${opts.installRounds} timed install round(s); took ${(elapsedMs / 1000).toFixed(0)} s`,
        "",
        "## Results",
        "",
        ...table(),
        "",
        "## Notes",
        "",
        ...notes.map((n) => `- ${n}`),
        "",
        "## Per-round figures (min / median / max)",
        "",
        "| measurement | rounds | this pack | no-op pack / baseline | notes |",
        "|---|---|---|---|---|",
        ...details.map(
            (d) => `| ${d.what} | ${d.series.ours.length} | ${spread(d.series.ours)} | ${spread(d.series.noop)} | ${d.note ?? ""} |`,
        ),
        "",
        ...(beforeAfter ? [beforeAfter, ""] : []),
        "## How to rerun",
        "",
        "```sh",
        "npm run bench                                   # builds first; full run, 7 rounds (several minutes on 2 cores)",
        "npm run bench -- --quick                        # 3 rounds, stacks of 200 and 2,000, one install round",
        "npm run bench -- --rounds 5 --only cold,analyze # any of: cold, analyze, stack, graph, install, flowlogs",
        "npm run bench -- --sections flowlogs            # the flow-log section alone (writes only its part of this file)",
        "npm run bench -- --skip-install --no-write      # offline; do not touch bench/results.md",
        "npm run bench -- --stack-sizes 1000,10000 --budget 150 --install-rounds 2 --out /tmp/results.md",
        "npm run bench -- --profile                      # CPU profiles and module load times of this pack",
        "npm run bench -- --against /tmp/old --sections analyze,stack  # against a built earlier checkout (writes only its part)",
        "npm run bench -- --against /tmp/old --sections graph --rounds 15 --no-write  # the graph rows, both packs on the graph registry",
        "```",
        "",
        "`--budget` caps one measurement (both packs, all rounds, in seconds; default 150): past it, rounds stop",
        "early and the table says how many ran. Environment equivalents: `BENCH_ROUNDS`, `BENCH_QUICK=1`,",
        "`BENCH_ONLY`, `BENCH_STACK_SIZES`, `BENCH_BUDGET`, `BENCH_INSTALL_ROUNDS`, `BENCH_OUT`,",
        "`BENCH_NO_WRITE=1`. The no-op pack, the 500-service registry",
        "and the install directories are created in a temp dir and removed afterwards; the install section",
        "needs the npm registry (it uses a private cache, so the first, untimed install downloads).",
        "",
        flowlogs,
        "",
        findings,
        "",
    ];
    fs.writeFileSync(file, out.join("\n"));
    log(`wrote ${path.relative(process.cwd(), file) || file}`);
}

// ------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
    const opts = parseOptions(process.argv.slice(2));
    if (!fs.existsSync(path.join(REPO_ROOT, "dist", "index.js"))) throw new Error("dist/index.js is missing: run npm run build first");
    if (opts.profile) {
        await runProfile({ rounds: opts.rounds, quick: opts.quick, log });
        return;
    }
    const started = now();
    const m = machine();
    const load0 = os.loadavg();
    log("internal-ports benchmark");
    for (const l of m.lines) log(`  ${l.slice(2)}`);

    const base = makeTempDir("internal-ports-bench-");
    let flow: FlowlogResult | undefined;
    try {
        const registryFile = path.join(base, "ports-500.yaml");
        fs.writeFileSync(registryFile, registryYaml(500));
        const graphRegistry = path.join(base, "ports-graph.yaml");
        fs.writeFileSync(graphRegistry, graphRegistryYaml(opts.stackSizes[1]));
        againstMode = opts.against !== undefined;
        const noop = opts.against
            ? { label: `before (${opts.against.label})`, dir: opts.against.dir, env: packEnv() }
            : { label: "no-op", dir: makeNoopPack(base), env: packEnv() };
        const packs = {
            ours: { label: "internal-ports", dir: REPO_ROOT, env: packEnv() },
            ours500: { label: "internal-ports (500 services)", dir: REPO_ROOT, env: packEnv({ INTERNAL_PORTS_REGISTRY: registryFile }) },
            noop,
            // The 500-service rows compare like with like: the before with the same registry; the no-op pack reads none.
            noop500: opts.against
                ? { ...noop, label: `${noop.label} (500 services)`, env: packEnv({ INTERNAL_PORTS_REGISTRY: registryFile }) }
                : noop,
        };
        const w = loadWire();

        if (opts.only.has("cold")) await coldStart(opts, packs);

        let packInfo: AnalyzerInfo | undefined;
        if (opts.only.has("analyze") || opts.only.has("stack") || opts.only.has("graph")) {
            const noopRunning = await startConfigured(w, withHandlerTimer(base, packs.noop));
            const running = {
                ours: await startConfigured(w, withHandlerTimer(base, packs.ours)),
                ours500: await startConfigured(w, withHandlerTimer(base, packs.ours500)),
                noop: noopRunning,
                noop500: packs.noop500 === packs.noop ? noopRunning : await startConfigured(w, withHandlerTimer(base, packs.noop500)),
                oursGraph: opts.only.has("graph")
                    ? await startConfigured(
                          w,
                          withHandlerTimer(base, {
                              label: "internal-ports (graph registry)",
                              dir: REPO_ROOT,
                              env: packEnv({ INTERNAL_PORTS_REGISTRY: graphRegistry }),
                          }),
                      )
                    : undefined,
                // The before reads the same graph registry: the graph rows compare the two packs' own work.
                beforeGraph:
                    opts.only.has("graph") && opts.against
                        ? await startConfigured(
                              w,
                              withHandlerTimer(base, {
                                  ...packs.noop,
                                  label: `${packs.noop.label} (graph registry)`,
                                  env: packEnv({ INTERNAL_PORTS_REGISTRY: graphRegistry }),
                              }),
                          )
                        : undefined,
                noopAlike:
                    opts.only.has("graph") && !opts.against
                        ? await startConfigured(w, {
                              label: `no-op (${STACK_POLICIES} stack policies)`,
                              dir: makeNoopPack(base, STACK_POLICIES),
                              env: packEnv(),
                          })
                        : undefined,
                noopReader:
                    opts.only.has("graph") && !opts.against
                        ? await startConfigured(w, {
                              label: "no-op (this pack's request reader)",
                              dir: makeNoopPack(base, 1, true),
                              env: packEnv(),
                          })
                        : undefined,
            };
            packInfo = running.ours.info;
            try {
                if (opts.only.has("analyze")) await analyzeSection(opts, w, running);
                if (opts.only.has("stack")) await stackSection(opts, w, { ours: running.ours, noop: running.noop });
                if (running.oursGraph)
                    await graphSection(
                        opts,
                        w,
                        { ours: running.oursGraph, noop: running.beforeGraph ?? running.noop },
                        graphRegistry,
                        running.noopAlike,
                        running.noopReader,
                    );
            } finally {
                await Promise.all([...new Set(Object.values(running))].filter((r): r is Running => r !== undefined).map(stopRunning));
            }
            notes.push(
                "Analyze and AnalyzeStack are timed as gRPC round trips of prebuilt requests over a second channel to the " +
                    "started pack: the engine's marshalling (done in Go by the CLI) is not counted, the pack's deserialisation is. " +
                    "Both packs get the very same request objects.",
            );
        }
        if (packInfo) {
            const resourcePolicies = packInfo.policies.filter((p) => p.policyType !== "stack").map((p) => p.name);
            const stackPolicies = packInfo.policies.filter((p) => p.policyType === "stack").map((p) => p.name);
            notes.push(
                `This pack (${packInfo.name} ${packInfo.version}) has ${resourcePolicies.length} resource ` +
                    `polic${resourcePolicies.length === 1 ? "y" : "ies"} (${resourcePolicies.join(", ")}) and ${stackPolicies.length} stack ` +
                    `polic${stackPolicies.length === 1 ? "y" : "ies"}${stackPolicies.length ? ` (${stackPolicies.join(", ")})` : ""}. ` +
                    "@pulumi/policy asks for a resource's properties once per resource policy in Analyze, and once per stack " +
                    "policy for every resource in AnalyzeStack, and builds each stack policy its own resource list; this pack " +
                    "converts the properties, builds the rule model and the stack's resource list once per request and shares them " +
                    "(policies/kit/requests.ts, kit/run.ts, wire/stack-list.ts). The no-op pack has one policy of each kind; " +
                    "the no-op pack with as many stack policies has that many that each read every resource's properties, so it pays " +
                    "@pulumi/policy's per-policy resource list and deserialisation that many times (this pack pays each once).",
            );
            notes.push(
                "Analyze rows with seeded workloads send 24 different resources of the shape in turn (a preview sends " +
                    "each resource once, so a repeated request would be answered partly from this pack's CIDR parse cache).",
            );
            if (opts.only.has("stack") && stackPolicies.length === 0) {
                notes.push(
                    "**AnalyzeStack**: this pack has no stack policy (every policy is a resource policy, judged in Analyze), so " +
                        "@pulumi/policy does not even deserialise the resources: the AnalyzeStack figures measure the gRPC/protobuf " +
                        "decoding baseline. The no-op pack's stack policy deserialises every resource and reads its props, so the ratio " +
                        "is below 1. The per-resource work this pack does in a preview is the Analyze sweep row.",
                );
            }
        }
        if (opts.only.has("cold")) {
            notes.push(
                "Cold start is `PolicyPackProcess.start` until the port line is read. @pulumi/pulumi's run-policy-pack " +
                    "registers ts-node for every pack and loads the `typescript` it can resolve (with none installed under that " +
                    "name, as here and in a production install, its vendored 3.8.3), so both packs pay for it. Both packs share one " +
                    "node_modules (the no-op pack's is a symlink to this checkout's).",
            );
        }
        if (opts.only.has("install")) {
            log(`install footprint: ${opts.installRounds} timed round(s) per package`);
            try {
                installRows(measureInstall(base, opts.installRounds, log));
            } catch (e) {
                log(`  install section failed: ${(e as Error).message}`);
                notes.push(`Install section failed: ${(e as Error).message.split("\n")[0]}`);
            }
        }
        if (opts.only.has("flowlogs")) {
            // At most 3 rounds: one round is half a minute of 10 million records for each contender.
            flow = await flowlogSection({
                rounds: Math.min(opts.rounds, 3),
                records: opts.flowlogRecords,
                largeTimes: opts.flowlogLarge,
                log,
            });
        }
    } finally {
        fs.rmSync(base, { recursive: true, force: true });
    }

    const load1 = os.loadavg();
    const cores = os.cpus().length;
    m.lines.push(`- Load average (1 min) at start ${load0[0].toFixed(2)}, at end ${load1[0].toFixed(2)} on ${cores} cores`);
    if (Math.max(load0[0], load1[0]) > cores * 0.75) {
        const busy =
            `**The machine was busy** (load average up to ${Math.max(load0[0], load1[0]).toFixed(1)} on ${cores} cores): ` +
            "other processes competed for the CPU, so absolute figures are inflated and noisier. Both packs were measured " +
            "interleaved, so the ratios are less affected than the times; rerun on an idle machine for reference figures.";
        if (rows.length) notes.unshift(busy);
        flow?.notes.unshift(busy.replace("Both packs were", "Every contender was"));
    }
    if (rows.length) printTable();
    for (const n of notes) console.log(`- ${n.replace(/\*\*/g, "")}`);
    if (flow) {
        printTable(flow.rows);
        for (const n of flow.notes) console.log(`- ${n.replace(/\*\*/g, "")}`);
    }
    if (opts.out && opts.against) writeBeforeAfter(opts.out, opts, m, now() - started);
    else if (opts.out) writeResults(opts.out, opts, m, now() - started, flow);
}

main().catch((e) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
});
