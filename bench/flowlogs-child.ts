// One measured run of the flow-log bench, in a process of its own so that its peak RSS is its own:
//   node dist/bench/flowlogs-child.js ours <file | ->        the command (JSON report), in process
//   node dist/bench/flowlogs-child.js bytes <file | ->       the same reading of the bytes, nothing else
//   node dist/bench/flowlogs-child.js duckdb <file> <threads> the portable --emit-sql query on DuckDB
//   node dist/bench/flowlogs-child.js duckdb-scan <file> <threads> DuckDB reading the file alone (count(*))
// Prints one JSON line: { ms, records (bytes for `bytes`; -1 for duckdb), findings, maxRssMiB }.
import * as path from "path";
import { flowlogs } from "../cli/flowlogs/command";
import { open } from "../cli/flowlogs/input";
import { FlowReport } from "../cli/flowlogs/report";
import { loadRules } from "../cli/flowlogs/rules";
import { portableSql } from "../cli/flowlogs/sql";
import { flowLogTable } from "../scripts/lib/flowlog-duckdb";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

async function main(): Promise<void> {
    const [mode, file, threads] = process.argv.slice(2);
    const t0 = process.hrtime.bigint();
    let records = 0;
    let findings = 0;
    if (mode === "ours") {
        let stderr = "";
        const r = await flowlogs([file, "--format", "json", "--quiet"], (s) => (stderr += s));
        if (r.code > 1) throw new Error(stderr);
        const report = JSON.parse(r.stdout) as FlowReport;
        records = report.records;
        findings = report.findings.length;
    } else if (mode === "bytes") {
        const { chunks } = open(file === "-" ? { label: "-" } : { label: file, path: file }, () => undefined);
        for await (const chunk of chunks) records += chunk.length;
    } else if (mode === "duckdb" || mode === "duckdb-scan") {
        // Loaded here only: the command never loads DuckDB.
        const { DuckDBInstance } = await import("@duckdb/node-api");
        const db = await DuckDBInstance.create(":memory:", { threads: threads ?? "2" });
        const c = await db.connect();
        await c.run(`CREATE VIEW vpc_flow_logs AS SELECT * FROM ${flowLogTable(file, true)}`);
        if (mode === "duckdb-scan") {
            records = Number((await c.runAndReadAll("SELECT count(*) AS n FROM vpc_flow_logs")).getRowObjectsJS()[0].n);
        } else {
            const rows = (
                await c.runAndReadAll(portableSql(loadRules(path.join(REPO_ROOT, "ports.yaml")), "vpc_flow_logs"))
            ).getRowObjectsJS();
            findings = rows.length;
            records = -1; // not counted: a count would be a second scan
        }
    } else {
        throw new Error(`unknown mode ${mode}`);
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    process.stdout.write(`${JSON.stringify({ ms, records, findings, maxRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`);
}

main().catch((e) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
});
