// The flow-log section of `npm run bench`: `internal-ports flowlogs` over a generated AWS v2 log
// (seeded, 10 million records by default, cached in the temp directory and never committed),
// beside DuckDB running the same classification (the portable --emit-sql query) on the same file
// and beside reading the bytes alone, each in a process of its own, rounds interleaved. Then the
// command's peak RSS on that file and on a larger input streamed through standard input.
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { writeAwsLog } from "../scripts/lib/flowlog-generator";
import { fmtMs, median, REPO_ROOT, Row } from "./harness";

export interface FlowlogOptions {
    rounds: number;
    records: number;
    /** The larger RSS input is the log this many times over standard input; 0 skips it. */
    largeTimes: number;
    log: (s: string) => void;
}

export interface FlowlogResult {
    rows: Row[];
    notes: string[];
    details: { what: string; ours: number[]; base: number[]; unit: string }[];
}

interface Run {
    ms: number;
    records: number;
    findings: number;
    maxRssMiB: number;
}

const CHILD = path.join(REPO_ROOT, "dist", "bench", "flowlogs-child.js");
/** Bump when the generator changes, so a cached log is never one of another shape. */
const GENERATOR_VERSION = 1;

function child(args: string[], stdinFile?: { file: string; times: number }): Promise<Run> {
    return new Promise((resolve, reject) => {
        const p = spawn(process.execPath, [CHILD, ...args], { stdio: [stdinFile ? "pipe" : "ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        p.stdout!.on("data", (d) => (out += d));
        p.stderr!.on("data", (d) => (err += d));
        p.on("error", reject);
        p.on("close", (code) =>
            code === 0
                ? resolve(JSON.parse(out.trim().split("\n").pop()!) as Run)
                : reject(new Error(`flowlogs-child ${args.join(" ")} exited ${code}: ${err}`)),
        );
        if (stdinFile) void feed(p.stdin!, stdinFile.file, stdinFile.times).catch(reject);
    });
}

/** The file `times` times over (the header line only once), with backpressure. */
async function feed(stdin: NodeJS.WritableStream, file: string, times: number): Promise<void> {
    const head = Buffer.alloc(64 * 1024);
    const fd = fs.openSync(file, "r");
    const n = fs.readSync(fd, head, 0, head.length, 0);
    fs.closeSync(fd);
    const headerEnd = head.subarray(0, n).indexOf(10) + 1;
    for (let k = 0; k < times; k++) {
        for await (const chunk of fs.createReadStream(file, { start: k === 0 ? 0 : headerEnd, highWaterMark: 1 << 20 })) {
            if (!stdin.write(chunk as Buffer)) await new Promise((r) => stdin.once("drain", r));
        }
    }
    stdin.end();
}

function cachedLog(records: number, log: (s: string) => void): string {
    const file = path.join(os.tmpdir(), `internal-ports-bench-flowlogs-${records}-v${GENERATOR_VERSION}.log`);
    if (fs.existsSync(file)) {
        log(`  using the cached log ${file} (${(fs.statSync(file).size / 2 ** 30).toFixed(2)} GiB)`);
        return file;
    }
    log(`  generating ${records.toLocaleString("en")} AWS v2 records into ${file} (seeded; kept for the next run)`);
    const t0 = Date.now();
    const partial = `${file}.partial`;
    writeAwsLog(partial, records, { seed: 17 });
    fs.renameSync(partial, file);
    log(`  generated ${(fs.statSync(file).size / 2 ** 30).toFixed(2)} GiB in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    return file;
}

function duckdbVersion(): string {
    const r = spawnSync(process.execPath, ["-e", "process.stdout.write(require('@duckdb/node-api/package.json').version)"], {
        cwd: REPO_ROOT,
        encoding: "utf8",
    });
    return r.status === 0 ? r.stdout : "?";
}

const perSecond = (records: number, ms: number) => (records / ms) * 1000;
const fmtRate = (r: number) => (r >= 1e6 ? `${(r / 1e6).toFixed(2)}M records/s` : `${Math.round(r).toLocaleString("en")} records/s`);

export async function flowlogSection(o: FlowlogOptions): Promise<FlowlogResult> {
    o.log(
        `flow logs: ${o.records.toLocaleString("en")} generated AWS v2 records, ${o.rounds} rounds (this command, DuckDB on 2 threads and on 1, the bytes alone, DuckDB reading alone), interleaved`,
    );
    const file = cachedLog(o.records, o.log);
    const size = fs.statSync(file).size;
    const runs: Record<"ours" | "duck2" | "duck1" | "bytes" | "scan", Run[]> = { ours: [], duck2: [], duck1: [], bytes: [], scan: [] };
    const order: (keyof typeof runs)[] = ["ours", "duck2", "bytes", "duck1", "scan"];
    for (let round = 0; round < o.rounds; round++) {
        const line: string[] = [];
        for (let k = 0; k < order.length; k++) {
            const which = order[(k + round) % order.length];
            const args =
                which === "ours"
                    ? ["ours", file]
                    : which === "bytes"
                      ? ["bytes", file]
                      : which === "scan"
                        ? ["duckdb-scan", file, "2"]
                        : ["duckdb", file, which === "duck2" ? "2" : "1"];
            const r = await child(args);
            runs[which].push(r);
            line.push(`${which} ${fmtMs(r.ms)}`);
        }
        o.log(`  round ${round + 1}/${o.rounds}: ${line.join(", ")}`);
    }
    const ours = median(runs.ours.map((r) => r.ms));
    const duck2 = median(runs.duck2.map((r) => r.ms));
    const duck1 = median(runs.duck1.map((r) => r.ms));
    const bytes = median(runs.bytes.map((r) => r.ms));
    const scan = median(runs.scan.map((r) => r.ms));
    const records = runs.ours[0].records;
    const findings = runs.ours[0].findings;
    if (runs.duck2.some((r) => r.findings !== findings) || runs.duck1.some((r) => r.findings !== findings)) {
        throw new Error(`DuckDB found ${runs.duck2[0].findings} findings, the command ${findings}: the queries disagree`);
    }
    const rate = perSecond(records, ours);
    const rows: Row[] = [
        {
            what: `flowlogs: ${records.toLocaleString("en")} AWS v2 records (${(size / 2 ** 30).toFixed(2)} GiB), one process, records per second`,
            ours: fmtRate(rate),
            noop: "—",
            ratio: "—",
            target: "≥ 1,000,000 records/s",
            pass: rate >= 1e6,
        },
        {
            what: "flowlogs vs DuckDB (same classification, same file, 2 threads): time",
            ours: fmtMs(ours),
            noop: fmtMs(duck2),
            ratio: `${(ours / duck2).toFixed(2)}x`,
            target: "≤ 2x",
            pass: ours / duck2 <= 2,
        },
        {
            what: "flowlogs vs DuckDB on 1 thread: time",
            ours: fmtMs(ours),
            noop: fmtMs(duck1),
            ratio: `${(ours / duck1).toFixed(2)}x`,
            target: "reported only",
        },
        {
            what: "flowlogs vs reading the bytes alone (same stream, no parsing): time",
            ours: fmtMs(ours),
            noop: fmtMs(bytes),
            ratio: `${(ours / bytes).toFixed(2)}x`,
            target: "reported only",
        },
        {
            what: "flowlogs vs DuckDB reading the file alone (count(*) over read_csv, 2 threads): time",
            ours: fmtMs(ours),
            noop: fmtMs(scan),
            ratio: `${(ours / scan).toFixed(2)}x`,
            target: "reported only",
        },
    ];
    const notes = [
        `Flow logs: the log is ${records.toLocaleString("en")} records (seed 17, test/flowlogs/generate.ts) against the shipped ports.yaml; ` +
            `the command and DuckDB ${duckdbVersion()} each found ${findings.toLocaleString("en")} findings (checked equal in count here, in content by test/flowlogs/sql.test.ts). ` +
            `Times are the work inside each process (the command: registry, reading, judging, the JSON report; DuckDB: the query, reading the file with read_csv). ` +
            `Medians: this command ${fmtRate(rate)}, DuckDB ${fmtRate(perSecond(records, duck2))} on 2 threads and ${fmtRate(perSecond(records, duck1))} on 1, ` +
            `the bytes alone ${(size / 2 ** 20 / (bytes / 1000)).toFixed(0)} MiB/s, DuckDB reading the file without the classification ${fmtRate(perSecond(records, scan))} ` +
            "(the floor of any DuckDB query over this file: most of DuckDB's time goes to the classification's string expressions, the address tests above all).",
    ];
    const details = [
        { what: "flowlogs vs DuckDB (2 threads)", ours: runs.ours.map((r) => r.ms), base: runs.duck2.map((r) => r.ms), unit: "ms" },
        { what: "flowlogs vs DuckDB (1 thread)", ours: runs.ours.map((r) => r.ms), base: runs.duck1.map((r) => r.ms), unit: "ms" },
        { what: "flowlogs vs the bytes alone", ours: runs.ours.map((r) => r.ms), base: runs.bytes.map((r) => r.ms), unit: "ms" },
        { what: "flowlogs vs DuckDB reading alone", ours: runs.ours.map((r) => r.ms), base: runs.scan.map((r) => r.ms), unit: "ms" },
    ];

    const rss1 = median(runs.ours.map((r) => r.maxRssMiB));
    const rssBytes = median(runs.bytes.map((r) => r.maxRssMiB));
    if (o.largeTimes > 1) {
        o.log(`  peak RSS on ${o.largeTimes} x the log through standard input (${((size * o.largeTimes) / 2 ** 30).toFixed(1)} GiB)`);
        const big = await child(["ours", "-"], { file, times: o.largeTimes });
        o.log(`  ${big.records.toLocaleString("en")} records in ${fmtMs(big.ms)}, peak RSS ${big.maxRssMiB.toFixed(0)} MiB`);
        rows.push({
            what: `flowlogs peak RSS: ${(size / 2 ** 30).toFixed(1)} GiB file → ${((size * o.largeTimes) / 2 ** 30).toFixed(1)} GiB on standard input`,
            ours: `${rss1.toFixed(0)} MiB → ${big.maxRssMiB.toFixed(0)} MiB`,
            noop: `${rssBytes.toFixed(0)} MiB (bytes alone)`,
            ratio: `${(big.maxRssMiB / rss1).toFixed(2)}x`,
            target: "flat: ≤ 1.25x",
            pass: big.maxRssMiB / rss1 <= 1.25,
        });
        notes.push(
            `Flow logs, memory: the larger input is the same log ${o.largeTimes} times over standard input (the header once), ${big.records.toLocaleString("en")} records ` +
                `read at ${fmtRate(perSecond(big.records, big.ms))}; it holds the same distinct findings, so what grows is the input only, and the peak RSS ` +
                `shows the command keeps none of it (the generator's distinct findings level off after a few million records, so the file alone shows the same).`,
        );
    } else {
        rows.push({
            what: `flowlogs peak RSS on the ${(size / 2 ** 30).toFixed(1)} GiB file`,
            ours: `${rss1.toFixed(0)} MiB`,
            noop: `${rssBytes.toFixed(0)} MiB (bytes alone)`,
            ratio: "—",
            target: "reported only",
        });
    }
    return { rows, notes, details };
}
