// Fuzzing through the real protocol: the compiled pack, started as the Pulumi CLI starts it, gets
// many random and mutated resources of every supported type (firewallTypes, so new adapters are
// covered without touching this file), one Analyze each and an AnalyzeStack per batch.
//
// Inputs start from the realistic `props` of the policy case tables (test/cases/**), grouped by
// type, and are mutated: wrong types, nulls, strings for numbers, 10,000-element arrays, 5,000-
// character strings, the unknown sentinel and secret wrappers anywhere, junk nested 50 deep, random
// keys. Every call must:
//   - succeed (no gRPC error) and take less than FUZZ_CALL_MS (default 2000 ms) beyond the time the
//     same input takes to move through the protocol (see `timed`); in-process, every policy must
//     finish within FUZZ_CALL_MS on its own;
//   - never print a value that was inserted as a secret: distinctive texts (S3CRET-<n>), CIDRs
//     (203.0.113.<n>/32) and port numbers (4xxxx), searched for in every diagnostic;
//   - never contain "could not check this", the policy kit's catch-all for an internal error.
// The same inputs are also normalised in-process, and every rule must fit the model (directions,
// actions, protocols, orders and port/address sets that are what the types say).
//
// Reproducible: FUZZ_SEED=<n> FUZZ_RUNS=<n> (npm run fuzz runs a long one). A failure prints the
// seed, the run and the input.
import { FindingRecord } from "../policies/kit/findings";
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { defaultUrn, Diagnostic, PolicyPackProcess, ResourceInput } from "../driver/analyzer-client";
import { policies } from "../policies";
import { normaliseFirewall, firewallTypes } from "../policies/adapters";
import { PORT_MAX } from "../policies/model/intervals";
import { isStackPolicy } from "../policies/kit/definition";
import { runCheck, runStackCheck } from "../policies/kit/run";
import { fromWire } from "../policies/wire/secrets";
import { dependencies, FuzzInputs, Json, loadCorpus, Rng } from "./fuzz-input";
import { TEST_REGISTRY_YAML, testRegistry } from "./helpers";

const packDir = path.resolve(__dirname, "..", "..");
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
/** Fixed seeds in `npm test`; FUZZ_SEED=<n> replays one, FUZZ_SEED=random picks (and prints) a new one. */
const SEEDS = !process.env.FUZZ_SEED
    ? [1, 2, 3]
    : process.env.FUZZ_SEED === "random"
      ? [Date.now() % 1_000_000_007]
      : process.env.FUZZ_SEED.split(",").map(Number);
const CALL_MS = Number(process.env.FUZZ_CALL_MS ?? 2000);
/**
 * Moving a big input costs time whatever the pack does with it: google-protobuf encodes and decodes
 * the Struct (more per KB the deeper it nests), and @pulumi/policy deserializes it again for every
 * policy. So a call over CALL_MS is judged against the same input sent as a type no policy reads (an
 * S3 bucket): it may take CALL_MS more than 1.25 times that, plus the time to move its diagnostics
 * back (measured once, per KB). The pack's own work is bounded separately and strictly: every
 * policy also runs in-process on each input and must finish within CALL_MS.
 */
let outMsPerKb = 1;
const BASELINE_TYPE = "aws:s3/bucket:Bucket";
const kbOf = (v: unknown) => JSON.stringify(v).length / 1024;
const diagnosticsKb = (ds: Diagnostic[]) => ds.reduce((n, d) => n + d.message.length + d.description.length + d.urn.length + 100, 0) / 1024;

interface Timed {
    ds: Diagnostic[];
    ms: number;
    bound: number;
    baselineMs?: number;
}

/** Runs a call; over the bound, times the baseline and the call once more (the faster counts: timing on a shared machine is noisy). */
async function timed(call: () => Promise<Diagnostic[]>, baseline: () => Promise<unknown>): Promise<Timed> {
    let t = Date.now();
    let ds = await call();
    let ms = Date.now() - t;
    let bound = CALL_MS + Math.round(diagnosticsKb(ds) * outMsPerKb);
    if (ms < bound) return { ds, ms, bound };
    t = Date.now();
    await baseline();
    const baselineMs = Date.now() - t;
    bound += Math.round(1.25 * baselineMs);
    if (ms >= bound) {
        t = Date.now();
        ds = await call();
        ms = Math.min(ms, Date.now() - t);
    }
    return { ds, ms, bound, baselineMs };
}
const STACK_BATCH = 20;

// ---- in-process model invariants -------------------------------------------------------------------

function checkModel(type: string, props: Json): void {
    const { plain, secrets } = fromWire(props);
    const res = normaliseFirewall(type, plain, secrets);
    if (!res) return;
    for (const r of res.rules) {
        const where = `${r.origin} of ${type}`;
        assert.ok(r.direction === "inbound" || r.direction === "outbound", `${where}: direction ${String(r.direction)}`);
        assert.ok(r.action === "allow" || r.action === "deny", `${where}: action ${String(r.action)}`);
        assert.ok(["tcp", "udp", "icmp", "all", "other"].includes(r.protocol), `${where}: protocol ${String(r.protocol)}`);
        assert.ok(r.order === undefined || Number.isInteger(r.order), `${where}: order ${String(r.order)}`);
        r.ports.intervals.forEach(([lo, hi], i) => {
            assert.ok(Number.isInteger(lo) && 0 <= lo && lo <= hi && hi <= PORT_MAX, `${where}: ports ${lo}-${hi}`);
            if (i > 0) assert.ok(r.ports.intervals[i - 1][1] + 1 < lo, `${where}: ports not canonical`);
        });
        for (const fam of [r.peers.v4, r.peers.v6]) {
            fam.intervals.forEach(([lo, hi], i) => {
                assert.ok(fam.domain.min <= lo && lo <= hi && hi <= fam.domain.max, `${where}: addresses ${lo}-${hi}`);
                if (i > 0) assert.ok(fam.intervals[i - 1][1] + 1n < lo, `${where}: addresses not canonical`);
            });
        }
        for (const u of r.unresolved)
            assert.ok(
                typeof u.path === "string" && ["unknown", "invalid", "unverifiable"].includes(u.reason),
                `${where}: ${JSON.stringify(u)}`,
            );
    }
}

/**
 * The pack's own work, without the transport: every resource policy on one resource, or every
 * stack policy on a batch, in-process. Returns the slowest policy's time (@pulumi/policy runs each
 * policy on its own copy of the inputs, and each reads them afresh) and any internal-error message.
 */
function runInProcess(
    resources: { type: string; name: string; props: Json; propertyDependencies?: Record<string, string[]> }[],
    config: Record<string, unknown>,
    stack: boolean,
): { ms: number; slowest: string; internal: string[] } {
    const internal: string[] = [];
    const emit = (f: FindingRecord) => {
        if (f.items.some((i) => i.messageId === "internalError")) internal.push(f.message);
    };
    const configOf = (name: string) => {
        const c = config[name];
        if (c === null || typeof c !== "object") return {};
        const { enforcementLevel: _, ...rest } = c as Record<string, unknown>;
        return rest;
    };
    // As @pulumi/policy passes them: dependencies only on resources of the stack.
    const urns = new Set(resources.map((r) => defaultUrn(r.type, r.name)));
    const views = resources.map((r) => ({
        type: r.type,
        name: r.name,
        urn: defaultUrn(r.type, r.name),
        props: fromWire(r.props).plain,
        propertyDependencies: Object.fromEntries(
            Object.entries(r.propertyDependencies ?? {}).map(([k, v]) => [k, v.filter((u) => urns.has(u))]),
        ),
    }));
    let ms = 0;
    let slowest = "";
    for (const def of policies) {
        const t = Date.now();
        if (isStackPolicy(def)) {
            if (stack) runStackCheck(def, testRegistry, views, configOf(def.meta.name), emit);
        } else if (!stack) {
            for (const v of views) runCheck(def, testRegistry, v, configOf(def.meta.name), emit);
        }
        if (Date.now() - t > ms) {
            ms = Date.now() - t;
            slowest = def.meta.name;
        }
    }
    return { ms, slowest, internal };
}

// ---- the run ---------------------------------------------------------------------------------------

function tempRegistry(text: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "internal-ports-fuzz-"));
    const file = path.join(dir, "ports.yaml");
    fs.writeFileSync(file, text);
    return file;
}

function show(input: unknown, max = 3000): string {
    const text = JSON.stringify(input, (_, v: unknown) =>
        Array.isArray(v) && v.length > 20
            ? [...(v as unknown[]).slice(0, 3), `... ${v.length} elements`]
            : typeof v === "string" && v.length > 80
              ? `${v.slice(0, 40)}... (${v.length} chars)`
              : v,
    );
    return text.length > max ? `${text.slice(0, max)}...` : text;
}

const CONFIGS: Record<string, unknown>[] = [
    {},
    { "no-world-open-internal-ports": { naclReturnTraffic: "mandatory" }, "documented-ports-only": { reportUnverifiable: false } },
    { all: "advisory" },
    { "no-world-open-internal-ports": { exemptionNotes: true, reportUnverifiable: true } },
];

describe("fuzz: random and mutated resources through the Analyzer protocol", function () {
    this.timeout(0);
    let pack: PolicyPackProcess;
    const corpus = loadCorpus();

    before(async () => {
        pack = await PolicyPackProcess.start(packDir, {
            env: { ...process.env, INTERNAL_PORTS_REGISTRY: tempRegistry(TEST_REGISTRY_YAML) },
        });
        // Calibrate the cost of moving diagnostics back: a flat input of a type no policy reads, per KB,
        // after a warm-up (moving flat data costs about the same per KB either way).
        await pack.configure({});
        const bucket = (name: string, properties: Record<string, unknown>) => ({ type: BASELINE_TYPE, name, properties });
        const flat = { tags: Array.from({ length: 8000 }, (_, i) => `a diagnostic-like line of text, number ${i}`) };
        for (let i = 0; i < 3; i++) await pack.analyze(bucket("warm", flat));
        const t = Date.now();
        await pack.analyze(bucket("flat", flat));
        outMsPerKb = Math.max(1, (1.5 * (Date.now() - t)) / kbOf(flat));
        console.log(`      (allowance for moving diagnostics: ${outMsPerKb.toFixed(2)} ms/KB)`);
    });
    after(async () => pack?.stop());

    it("has seed inputs for the supported types", () => {
        const byType = new FuzzInputs(0, corpus).byType;
        const missing = firewallTypes.filter((t) => !byType.has(t));
        if (missing.length > 0) console.log(`      (no case table seeds for ${missing.join(", ")}: starting from other types' inputs)`);
        assert.ok(byType.size > 0);
    });

    for (const seed of SEEDS) {
        it(`seed ${seed}: ${RUNS} resources, no gRPC error, no slow call, no leaked secret, no internal error`, async () => {
            const inputs = new FuzzInputs(seed, corpus);
            // A stream of its own, so that run n's input does not depend on the batches before it.
            const depRng = new Rng(seed ^ 0x5eed);
            const config = CONFIGS[seed % CONFIGS.length];
            await pack.configure(config as never);
            const batch: ResourceInput[] = [];
            const batchSecrets: { needle: RegExp; what: string }[] = [];
            let slowest = { ms: 0, what: "" };
            const t0 = Date.now();

            const judge = (r: Timed, input: unknown, secrets: { needle: RegExp; what: string }[], what: string) => {
                const replay = `\n  replay: FUZZ_SEED=${seed} FUZZ_RUNS=${RUNS} npm run fuzz  (${what})\n  config: ${JSON.stringify(config)}\n  input: ${show(input)}`;
                const size =
                    `${Math.round(kbOf(input))} KB in, ${Math.round(diagnosticsKb(r.ds))} KB of diagnostics out` +
                    (r.baselineMs !== undefined ? `, ${r.baselineMs} ms as a type no policy reads` : "");
                assert.ok(r.ms < r.bound, `took ${r.ms} ms (bound ${r.bound} ms: ${size})${replay}`);
                for (const d of r.ds) {
                    assert.doesNotMatch(d.message, /could not check this/, `internal error in ${d.policyName}: ${d.message}${replay}`);
                    for (const s of secrets)
                        assert.doesNotMatch(d.message, s.needle, `${d.policyName} printed the ${s.what}: ${d.message}${replay}`);
                }
                if (r.ms > slowest.ms) slowest = { ms: r.ms, what: `${what}, ${size}` };
            };

            for (let run = 0; run < RUNS; run++) {
                const { type, name, props, secrets } = inputs.next();
                const what = `run ${run}, ${type}`;

                try {
                    checkModel(type, props);
                    // Timing on a shared machine is noisy: a call over the bound is timed once more, and the faster counts.
                    let own = runInProcess([{ type, name, props }], config, false);
                    if (own.ms >= CALL_MS) own = runInProcess([{ type, name, props }], config, false);
                    assert.deepEqual(own.internal, [], "internal error in-process");
                    assert.ok(own.ms < CALL_MS, `${own.slowest} took ${own.ms} ms in-process, twice (bound ${CALL_MS} ms)`);
                } catch (e) {
                    throw new Error(
                        `${(e as Error).message}\n  replay: FUZZ_SEED=${seed} FUZZ_RUNS=${RUNS} npm run fuzz (${what})\n  input: ${show(props)}`,
                    );
                }

                const resource: ResourceInput = { type, name: `${name}-${run}`, properties: props };
                let r: Timed;
                try {
                    r = await timed(
                        () => pack.analyze(resource),
                        () => pack.analyze({ ...resource, type: BASELINE_TYPE }),
                    );
                } catch (e) {
                    throw new Error(
                        `Analyze failed: ${(e as Error).message}\n  replay: FUZZ_SEED=${seed} FUZZ_RUNS=${RUNS} npm run fuzz (${what})\n  input: ${show(props)}`,
                    );
                }
                judge(r, props, secrets, what);

                batch.push({ ...resource, name: name === "r" ? `r-${run}` : name });
                batchSecrets.push(...secrets);
                if (batch.length === STACK_BATCH || run === RUNS - 1) {
                    const urns = batch.map((b) => defaultUrn(b.type, b.name));
                    batch.forEach((b, i) => (b.propertyDependencies = dependencies(depRng, urns, urns[i])));
                    const stackInputs = batch.map((b) => ({
                        type: b.type,
                        name: b.name,
                        props: b.properties as Json,
                        propertyDependencies: b.propertyDependencies,
                    }));
                    let own = runInProcess(stackInputs, config, true);
                    if (own.ms >= CALL_MS) own = runInProcess(stackInputs, config, true);
                    const where = `\n  replay: FUZZ_SEED=${seed} FUZZ_RUNS=${RUNS} npm run fuzz (stack ending at ${what})`;
                    assert.deepEqual(own.internal, [], `internal error in-process${where}`);
                    assert.ok(own.ms < CALL_MS, `${own.slowest} took ${own.ms} ms in-process, twice (bound ${CALL_MS} ms)${where}`);
                    const stackInput = batch.map((b) => ({ type: b.type, props: b.properties }));
                    let sr: Timed;
                    try {
                        sr = await timed(
                            () => pack.analyzeStack(batch),
                            () => pack.analyzeStack(batch.map((b) => ({ ...b, type: BASELINE_TYPE }))),
                        );
                    } catch (e) {
                        throw new Error(
                            `AnalyzeStack failed: ${(e as Error).message}\n  replay: FUZZ_SEED=${seed} FUZZ_RUNS=${RUNS} npm run fuzz (stack ending at ${what})\n  resources: ${show(stackInput)}`,
                        );
                    }
                    judge(sr, stackInput, batchSecrets, `AnalyzeStack ending at ${what}`);
                    batch.length = 0;
                    batchSecrets.length = 0;
                }
            }
            console.log(`      (seed ${seed}: ${RUNS} resources in ${Date.now() - t0} ms; slowest call ${slowest.ms} ms: ${slowest.what})`);
        });
    }
});
