// --emit-sql: the query performs the command's classification. Its portable variant (the Athena
// query with the table DuckDB reads) runs on DuckDB over the same logs, and its findings must be the
// streaming command's, record counts and bytes included. BigQuery and Kusto cannot run here: their
// queries are checked for the registry they must carry.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DuckDBInstance, JS } from "@duckdb/node-api";
import { WHERE_LIMIT } from "../../cli/flowlogs/aggregate";
import { loadRules } from "../../cli/flowlogs/rules";
import { portableSql } from "../../cli/flowlogs/sql";
import { writeAwsLog } from "../../scripts/lib/flowlog-generator";
import { flowLogTable } from "../../scripts/lib/flowlog-duckdb";
import { fixture, flowlogs, REGISTRY, ReportFinding } from "./helpers";

const SHIPPED = path.resolve(__dirname, "..", "..", "..", "ports.yaml");
type Row = ReportFinding;

/** A text column's value (kind, protocol, service and the addresses are text in the query). */
function text(v: JS): string {
    if (typeof v !== "string") assert.fail(`a text column, found ${typeof v}`);
    return v;
}

async function duckdbFindings(registry: string, file: string, header: boolean): Promise<Row[]> {
    const db = await DuckDBInstance.create(":memory:", { threads: "1" });
    const c = await db.connect();
    await c.run(`CREATE VIEW vpc_flow_logs AS SELECT * FROM ${flowLogTable(file, header)}`);
    const reader = await c.runAndReadAll(portableSql(loadRules(registry), "vpc_flow_logs"));
    return reader.getRowObjectsJS().map((r) => ({
        kind: text(r.kind),
        protocol: text(r.protocol),
        port: r.port === null ? null : Number(r.port),
        service: r.service === null ? null : text(r.service),
        source: r.source === null ? null : text(r.source),
        destination: r.destination === null ? null : text(r.destination),
        flows: Number(r.flows),
        bytes: Number(r.bytes),
        where: ((r.where as string[] | null) ?? []).map(String).sort(),
    }));
}

const key = (f: Row) => `${f.kind}|${f.protocol}|${f.port}|${f.service}|${f.source}|${f.destination}`;

async function compare(registry: string, file: string, header: boolean): Promise<number> {
    const r = await flowlogs(file, "--registry", registry, "--format", "json", "--quiet");
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    const ours = new Map((JSON.parse(r.stdout) as { findings: Row[] }).findings.map((f) => [key(f), f]));
    const theirs = new Map((await duckdbFindings(registry, file, header)).map((f) => [key(f), f]));
    assert.deepEqual([...theirs.keys()].sort(), [...ours.keys()].sort(), "the same findings");
    for (const [k, f] of ours) {
        const d = theirs.get(k)!;
        assert.deepEqual([d.flows, d.bytes], [f.flows, f.bytes], k);
        if (f.where.length < WHERE_LIMIT) assert.deepEqual(d.where, [...f.where].sort(), k);
        else
            assert.ok(
                f.where.every((w) => d.where.includes(w)),
                k,
            );
    }
    return ours.size;
}

describe("flowlogs --emit-sql", function () {
    this.timeout(60000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "internal-ports-sql-"));

    it("on DuckDB, gives the command's findings for 40,000 generated records against the shipped ports.yaml", async () => {
        const file = path.join(tmp, "gen.log");
        writeAwsLog(file, 40_000, { seed: 7 });
        const n = await compare(SHIPPED, file, true);
        assert.ok(n > 1000, `${n} findings: the comparison covers every kind at volume`);
    });

    it("on DuckDB, gives the command's findings for the AWS fixture (clients, allowedSources, replies, icmp, GRE, NODATA)", async () => {
        const n = await compare(REGISTRY, fixture("aws-default.log"), true);
        assert.equal(n, 12);
    });

    it("prints the Athena query with the registry compiled in, and takes no inputs", async () => {
        const r = await flowlogs("--emit-sql", "athena", "--registry", REGISTRY);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /^-- internal-ports flowlogs --emit-sql: Amazon Athena/);
        assert.match(r.stdout, /FROM vpc_flow_logs\n/);
        assert.match(r.stdout, /WHEN proto = 'tcp' AND port IN \(5432\) THEN 'postgres'/);
        assert.match(
            r.stdout,
            /WHEN service = 'postgres' AND proto = 'tcp' THEN \(CASE WHEN strpos\(client, ':'\) > 0 THEN FALSE ELSE client LIKE '10\.20\.%' END\)/,
        );
        assert.match(r.stdout, /contains\('fd00::\/8', CAST\(client AS IPADDRESS\)\)/);
        const inputs = await flowlogs("--emit-sql", "athena", fixture("aws-default.log"), "--registry", REGISTRY);
        assert.equal(inputs.code, 2);
        assert.match(inputs.stderr, /--emit-sql prints a query and reads no logs/);
        const bad = await flowlogs("--emit-sql", "mysql", "--registry", REGISTRY);
        assert.match(bad.stderr, /--emit-sql must be one of athena, bigquery, kusto/);
    });

    it("every dialect narrows to --since/--until", async () => {
        const window = ["--since", "2026-11-01T00:00:00Z", "--until", "2026-11-02T00:00:00Z"];
        const athena = await flowlogs("--emit-sql", "athena", "--registry", REGISTRY, ...window);
        assert.match(athena.stdout, /AND start >= 1793491200\n {4}AND start < 1793577600\n/);
        const bigquery = await flowlogs("--emit-sql", "bigquery", "--registry", REGISTRY, ...window);
        assert.match(
            bigquery.stdout,
            /compute_googleapis_com_vpc_flows`\n {2}WHERE COALESCE\(SAFE_CAST\(jsonPayload\.start_time AS TIMESTAMP\), timestamp\) >= TIMESTAMP_SECONDS\(1793491200\)\n {4}AND .* < TIMESTAMP_SECONDS\(1793577600\)/,
        );
        assert.match(bigquery.stdout, /compute_googleapis_com_firewall`\n {2}WHERE timestamp >= TIMESTAMP_SECONDS\(1793491200\)/);
        const kusto = await flowlogs("--emit-sql", "kusto", "--registry", REGISTRY, ...window);
        assert.match(
            kusto.stdout,
            /\| where FlowStartTime >= unixtime_seconds_todatetime\(1793491200\)\n\| where FlowStartTime < unixtime_seconds_todatetime\(1793577600\)/,
        );
    });

    it("BigQuery: both sink tables, every service and protocol, the registry's blocks", async () => {
        const r = await flowlogs("--emit-sql", "bigquery", "--registry", REGISTRY);
        assert.equal(r.code, 0);
        assert.match(r.stdout, /compute_googleapis_com_vpc_flows/);
        assert.match(r.stdout, /compute_googleapis_com_firewall/);
        assert.match(r.stdout, /IF\(jsonPayload\.disposition = 'DENIED', 'REJECT', 'ACCEPT'\)/);
        for (const s of ["ssh", "dns", "https", "ping", "rdp", "postgres", "api", "elasticsearch", "ntp"])
            assert.ok(r.stdout.includes(`'${s}'`), s);
        assert.match(r.stdout, /SAFE\.NET\.IP_TRUNC\(client_ip, 16\) = NET\.SAFE_IP_FROM_STRING\('10\.20\.0\.0'\)/);
        assert.match(r.stdout, /STRUCT\('dns' AS service, 'udp' AS protocol\)/);
    });

    it("Kusto: NTANetAnalytics by destination port, the rules' blocks, the unused services", async () => {
        const r = await flowlogs("--emit-sql", "kusto", "--registry", REGISTRY);
        assert.equal(r.code, 0);
        assert.match(r.stdout, /^let Judged = NTANetAnalytics$/m);
        assert.match(r.stdout, /Proto == 'tcp' and Port in \(5432\), 'postgres'/);
        assert.match(r.stdout, /ipv4_is_in_range\(Client, '10\.30\.0\.0\/16'\)/);
        assert.match(r.stdout, /ipv6_is_in_range\(Client, 'fd00::\/8'\)/);
        assert.match(r.stdout, /datatable\(service: string, protocol: string\) \['ssh', 'tcp', 'dns', 'tcp', 'dns', 'udp'/);
    });
});
