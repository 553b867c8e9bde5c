// internal-ports flowlogs <file | directory | ->... : flow logs held against ports.yaml.
import * as fs from "fs";
import * as path from "path";
import { CommandResult, failure, readArgs, SingleFlags, unexpectedError } from "../command-result";
import { Findings } from "./aggregate";
import { AwsReader, parseFieldList } from "./aws";
import { AzureReader } from "./azure";
import { ALWAYS, Judge, Window } from "./classify";
import { count } from "./describe";
import { detectFormat, DETECT_BYTES, INPUT_FORMATS, InputFormat } from "./detect";
import { GcpReader } from "./gcp";
import { expandInputs, open, Source } from "./input";
import { Progress } from "./progress";
import { ReadContext, Reader, ReadStats, UnusableInput } from "./record";
import { renderJson } from "./render-json";
import { renderMarkdown } from "./render-markdown";
import { renderText } from "./render-text";
import { buildReport, exitCodeOf, RunFacts } from "./report";
import { FlowRules, loadRules, RegistryError } from "./rules";
import { emitSql, SQL_DIALECTS, SqlDialect } from "./sql";

const FORMATS = ["text", "json", "markdown"] as const;
type Format = (typeof FORMATS)[number];

/** The pack root: dist/cli/flowlogs -> the directory with ports.yaml. */
const PACK_DIR = path.resolve(__dirname, "..", "..", "..");

export const FLOWLOGS_USAGE = `usage: internal-ports flowlogs <file | directory | ->... [options]
       internal-ports flowlogs --emit-sql athena|bigquery|kusto [--registry FILE] [--out FILE]

Reads AWS VPC flow logs (default or custom format), Azure VNet and NSG flow logs (JSON) and GCP VPC
Flow Logs and Firewall Rules Logging entries (JSON lines), gzipped or not, detected per file, and
reports where they part from ports.yaml: undocumented ports in use, the internet reaching internal
ports, rejected packets from allowed clients, and documented services that saw no traffic.

options:
  --registry FILE      port registry to use instead of the pack's ports.yaml
  --input-format FMT   auto (default: detected per file), aws, azure or gcp
  --aws-fields LIST    the fields of AWS records that have no header line (CloudWatch Logs,
                       Firehose), e.g. "version account-id interface-id srcaddr dstaddr srcport ..."
                       or the flow log's format "\${version} \${account-id} ..."
  --format FORMAT      text (default), json or markdown
  --out FILE           write the report to FILE instead of standard output
  --since ISO          judge only records that start at or after this time (e.g. 2026-11-01T00:00Z)
  --until ISO          judge only records that start before this time
  --fail-on unused     exit 1 for unused services too
  --emit-sql DIALECT   print the query that performs the same classification in Athena (the flow
                       log table AWS documents), BigQuery (the log sink's tables) or Azure Log
                       Analytics (NTANetAnalytics), instead of reading logs
  --quiet              no progress on standard error
  --no-color           accepted as check accepts it (flowlogs prints no colour)
  -h, --help           this text

exit status: 0 nothing found (unused services are notes), 1 a finding, 2 unusable input or registry.
`;

const fail = failure("internal-ports flowlogs");

function parseTime(text: string | undefined, flag: string): number | string | undefined {
    if (text === undefined) return undefined;
    const t = Date.parse(text);
    if (!Number.isFinite(t))
        return `${flag} must be an ISO 8601 time such as 2026-11-01 or 2026-11-01T12:00:00Z, not ${JSON.stringify(text)}`;
    return t / 1000;
}

/** Runs the command; never throws. */
export async function flowlogs(argv: string[], stderr: (s: string) => void = (s) => process.stderr.write(s)): Promise<CommandResult> {
    const args = readArgs<SingleFlags>(
        argv,
        {
            registry: { type: "string" },
            "input-format": { type: "string", default: "auto" },
            "aws-fields": { type: "string" },
            format: { type: "string", default: "text" },
            out: { type: "string" },
            since: { type: "string" },
            until: { type: "string" },
            "fail-on": { type: "string" },
            "emit-sql": { type: "string" },
            quiet: { type: "boolean" },
            "no-color": { type: "boolean" },
        },
        FLOWLOGS_USAGE,
        fail,
        stderr,
    );
    if ("code" in args) return args;
    const { values, inputs } = args;
    const format = values.format as Format;
    if (!FORMATS.includes(format)) return fail(stderr, `--format must be one of ${FORMATS.join(", ")}, not "${format}"`);
    const inputFormat = values["input-format"] as string;
    if (!(INPUT_FORMATS as readonly string[]).includes(inputFormat))
        return fail(stderr, `--input-format must be one of ${INPUT_FORMATS.join(", ")}, not "${inputFormat}"`);
    if (values["fail-on"] !== undefined && values["fail-on"] !== "unused")
        return fail(stderr, `--fail-on takes "unused" (exit 1 for unused services too), not "${values["fail-on"]}"`);
    const since = parseTime(values.since as string | undefined, "--since");
    const until = parseTime(values.until as string | undefined, "--until");
    if (typeof since === "string") return fail(stderr, since);
    if (typeof until === "string") return fail(stderr, until);
    if (since !== undefined && until !== undefined && since >= until) return fail(stderr, "--since must be before --until");
    const awsFields = values["aws-fields"] === undefined ? undefined : parseFieldList(values["aws-fields"] as string);
    if (awsFields && awsFields.length === 0)
        return fail(
            stderr,
            '--aws-fields is empty; list the flow log\'s fields in order, e.g. "version account-id interface-id srcaddr dstaddr ..."',
        );

    const registryFile = path.resolve((values.registry as string | undefined) ?? path.join(PACK_DIR, "ports.yaml"));
    let rules: FlowRules;
    try {
        rules = loadRules(registryFile);
    } catch (e) {
        if (e instanceof RegistryError) return fail(stderr, e.message);
        throw e;
    }
    /** The report for stdout, or "" once written to --out; undefined (reported) when --out cannot be written. */
    const deliver = (text: string): string | undefined => {
        if (!values.out) return text;
        try {
            fs.writeFileSync(values.out as string, text);
            return "";
        } catch (e) {
            stderr(`internal-ports flowlogs: cannot write ${values.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
            return undefined;
        }
    };

    if (values["emit-sql"] !== undefined) {
        const dialect = values["emit-sql"] as SqlDialect;
        if (!(SQL_DIALECTS as readonly string[]).includes(dialect))
            return fail(stderr, `--emit-sql must be one of ${SQL_DIALECTS.join(", ")}, not "${dialect}"`);
        if (inputs.length > 0) return fail(stderr, "--emit-sql prints a query and reads no logs; leave out the inputs");
        const stdout = deliver(emitSql(dialect, rules, since, until));
        return stdout === undefined ? { code: 2, stdout: "" } : { code: 0, stdout };
    }
    if (inputs.length === 0)
        return fail(stderr, `nothing to read: name flow log files, directories or - for standard input\n\n${FLOWLOGS_USAGE}`);
    if (inputs.filter((i) => i === "-").length > 1) return fail(stderr, "- (standard input) can be named once");

    const window: Window | undefined =
        since !== undefined || until !== undefined ? { since: since ?? -Infinity, until: until ?? Infinity } : undefined;
    const findings = new Findings();
    const judge = new Judge(rules, findings, window ?? ALWAYS);
    const stats = new ReadStats();
    const warn = (m: string) => stderr(`internal-ports flowlogs: warning: ${m}\n`);
    let sources: Source[];
    try {
        sources = expandInputs(inputs);
        const total = sources.every((s) => s.size !== undefined) ? sources.reduce((a, s) => a + s.size!, 0) : undefined;
        const progress = new Progress(values.quiet ? undefined : (line) => stderr(`${line}\n`), total, () => stats.records);
        for (const source of sources) {
            const ctx: ReadContext = { file: source.label, sink: judge.add, stats, warn };
            const untimed = await readSource(source, ctx, inputFormat as InputFormat | "auto", awsFields, progress.raw);
            if (window && untimed)
                warn(`${source.label}: its records carry no start time, so --since/--until cannot apply to them; they are all judged`);
        }
    } catch (e) {
        if (e instanceof UnusableInput) return fail(stderr, `${e.message}\nNothing was judged (fix or leave out this input).`);
        return fail(stderr, unexpectedError(e));
    }

    if (stats.skipped > 0) {
        stderr(
            `internal-ports flowlogs: ${count(stats.skipped, "record")} could not be read and ${stats.skipped === 1 ? "was" : "were"} skipped; the first ${stats.samples.length === 1 ? "one" : stats.samples.length}:\n` +
                stats.samples.map((s) => `  ${s}\n`).join(""),
        );
    }
    if (stats.records === 0) {
        return fail(
            stderr,
            `no flow records in ${sources.map((s) => s.label).join(", ")}${stats.skipped ? ` (${count(stats.skipped, "unreadable record")})` : ""}: nothing was checked`,
        );
    }
    if (window && judge.judged === 0) {
        return fail(
            stderr,
            `none of the ${count(stats.records, "record")} starts inside the window (--since/--until): nothing was checked`,
        );
    }

    const { report, providers } = buildReport(rules, findings, judge.used, { records: stats.records, skipped: stats.skipped });
    const facts: RunFacts = {
        registry: path.relative(process.cwd(), registryFile) || registryFile,
        files: sources.length,
        judged: judge.judged,
        outside: judge.outside,
        nodata: stats.nodata,
        skipdata: stats.skipdata,
        providers,
        ports: new Map(rules.slots.map((s) => [`${s.service}|${s.protocol}`, s.ports])),
        ...(window ? { window: { since: values.since as string | undefined, until: values.until as string | undefined } } : {}),
    };
    if (stats.skipdata > 0)
        warn(
            `${count(stats.skipdata, "SKIPDATA record")}: AWS could not capture some flows in those intervals, so the findings may be incomplete`,
        );
    const text = format === "json" ? renderJson(report) : format === "markdown" ? renderMarkdown(report, facts) : renderText(report, facts);
    const stdout = deliver(text);
    if (stdout === undefined) return { code: 2, stdout: "" };
    return { code: exitCodeOf(report, values["fail-on"] === "unused"), stdout };
}

/** Reads one input to its end; true when it was AWS without a start field. */
async function readSource(
    source: Source,
    ctx: ReadContext,
    forced: InputFormat | "auto",
    awsFields: readonly string[] | undefined,
    onRaw: (n: number) => void,
): Promise<boolean> {
    const { chunks, truncated } = open(source, onRaw);
    let reader: Reader | undefined;
    let aws: AwsReader | undefined;
    const head: Buffer[] = [];
    let headBytes = 0;
    const start = (complete: boolean): Reader => {
        const buf = Buffer.concat(head);
        let format: InputFormat;
        if (forced !== "auto") format = forced;
        else {
            const found = detectFormat(buf, complete, awsFields);
            if (typeof found !== "string") throw new UnusableInput(`${source.label}: not a flow log: ${found.problem}`);
            format = found;
        }
        const r = format === "aws" ? (aws = new AwsReader(ctx, awsFields)) : format === "azure" ? new AzureReader(ctx) : new GcpReader(ctx);
        r.push(buf);
        return r;
    };
    try {
        for await (const chunk of chunks) {
            if (reader) {
                reader.push(chunk);
                continue;
            }
            head.push(chunk);
            headBytes += chunk.length;
            if (headBytes >= DETECT_BYTES) reader = start(false);
        }
        const cut = truncated();
        if (!reader) {
            if (headBytes === 0) {
                if (cut) throw new UnusableInput(`${source.label}: ${cut} before any data`);
                ctx.warn(`${source.label}: the file is empty`);
                return false;
            }
            reader = start(true);
        }
        if (cut) ctx.warn(`${source.label}: ${cut}; read up to where it stops`);
        reader.end();
    } catch (e) {
        if (e instanceof UnusableInput) throw e;
        const err = e as NodeJS.ErrnoException;
        throw new UnusableInput(`${source.label}: cannot be read (${err.code ?? err.message})`);
    }
    return aws !== undefined && aws.untimed;
}
