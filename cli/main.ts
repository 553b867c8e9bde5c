#!/usr/bin/env node
// internal-ports check <input>... : the pack's verdict on a program, stack export or preview file,
// without cloud credentials, a state backend or the Pulumi CLI.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { check, PACK_DIR } from "./check";
import { CommandResult, Flags, failure, readArgs, unexpectedError } from "./command-result";
import { renderJson } from "./format/json";
import { COMMENT_LIMIT, MarkdownOptions, renderMarkdown } from "./format/markdown";
import { renderSarif } from "./format/sarif";
import { renderText } from "./format/text";
import { listPolicies } from "./policies";
import { exitCode, FailOn, Report } from "./report";
import { gitTopLevel } from "./repo-root";
import { InputError } from "./types";

const FORMATS = ["text", "json", "sarif", "markdown"] as const;
type Format = (typeof FORMATS)[number];
const FAIL_ON: readonly FailOn[] = ["mandatory", "advisory"];
const failed = failure("internal-ports");

export const VERSION: string = (JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as { version: string }).version;

export const USAGE = `usage: internal-ports check <input>... [options]
       internal-ports policies [--format text|json]
       internal-ports --version | --help
       internal-ports flowlogs <file | directory | ->... [options]  (flow logs against ports.yaml; see flowlogs --help)
       internal-ports explain <input> --from <name | CIDR | internet> --to <name> --port <port>  (one path, hop by hop; see explain --help)

<input> is a Pulumi TypeScript/JavaScript program directory (run under the SDK's mock runtime in
preview mode), a \`pulumi stack export\` file, or a \`pulumi preview --json\` file. A directory
without Pulumi.yaml stands for the Pulumi projects directly inside it.

check options:
  --config FILE            policy-pack config (as for pulumi --policy-pack-config)
  --registry FILE          port registry for every input (default: a project's own ports.yaml beside
                           its Pulumi.yaml, else the pack's)
  --format FORMAT          text (default), json, sarif or markdown
  --out FILE               write the report to FILE instead of standard output
  --write FORMAT=FILE      also write the report in FORMAT to FILE (repeatable), e.g. --write sarif=x.sarif
  --stack NAME             stack whose Pulumi.<stack>.yaml config a program reads (default: dev)
  --fail-on LEVEL          exit 1 on a finding at LEVEL or above: mandatory (default) or advisory
  --exit-zero              exit 0 even when findings are found (not when an input could not be checked)
  --allow-missing-config   run programs with placeholders for required config their stack does not set
  --allow-unknown-config   unknown policy names and options in --config are warnings, not errors
  --sarif-root DIR         SARIF file paths are relative to DIR (default: the git top level of the input)
  --no-color               no colour in text output (also NO_COLOR=1; FORCE_COLOR=1 colours without a terminal)
  --quiet                  no progress on standard error (warnings and errors are still shown)
  --version                the version of the check and its pack
  -h, --help               this text

exit status: 0 nothing found at the --fail-on level, 1 a finding at that level, 2 an input that
could not be checked (the report says which; the others are still checked), unusable options,
config or registry. 130 / 143 when interrupted (SIGINT / SIGTERM); the policy pack is stopped.
`;

export type CliResult = CommandResult;

export interface CliEnvironment {
    /** Whether standard output is a terminal (colour). Default: process.stdout.isTTY. */
    stdoutIsTTY?: boolean;
    env?: NodeJS.ProcessEnv;
}

interface RenderOptions {
    color: boolean;
    sarifRoot: string | undefined;
    /** Markdown on standard output fits a GitHub comment; this file has the full map, if the run writes one. */
    markdown?: MarkdownOptions;
}

function render(report: Report, format: Format, opts: RenderOptions): string {
    switch (format) {
        case "json":
            return renderJson(report);
        case "sarif":
            return renderSarif(report, { root: opts.sarifRoot });
        case "markdown":
            return renderMarkdown(report, opts.markdown);
        default:
            return renderText(report, { color: opts.color });
    }
}

/** A report file that cannot be written is found before any work, not after minutes of it. */
function writable(file: string): string | undefined {
    const abs = path.resolve(file);
    try {
        if (fs.statSync(abs).isDirectory()) return `${file} is a directory`;
        fs.accessSync(abs, fs.constants.W_OK);
        return undefined;
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") return `${file} cannot be written (${(e as NodeJS.ErrnoException).code})`;
    }
    const dir = path.dirname(abs);
    try {
        if (!fs.statSync(dir).isDirectory()) return `${path.dirname(file)} is not a directory`;
        fs.accessSync(dir, fs.constants.W_OK);
        return undefined;
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        return code === "ENOENT"
            ? `the directory ${path.dirname(file)} does not exist`
            : `${file} cannot be created in ${path.dirname(file)} (${code})`;
    }
}

function colorWanted(values: Flags, io: CliEnvironment): boolean {
    const env = io.env ?? process.env;
    if (values["no-color"] || (env.NO_COLOR !== undefined && env.NO_COLOR !== "")) return false;
    if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "" && env.FORCE_COLOR !== "0") return true;
    return (io.stdoutIsTTY ?? process.stdout.isTTY) === true;
}

async function runCheck(inputs: string[], values: Flags, stderr: (s: string) => void, io: CliEnvironment): Promise<CliResult> {
    const fail = (message: string): CliResult => failed(stderr, message);
    const format = values.format as Format;
    if (!FORMATS.includes(format)) return fail(`--format must be one of ${FORMATS.join(", ")}, not "${format}"`);
    const failOn = (values["fail-on"] ?? "mandatory") as FailOn;
    if (!FAIL_ON.includes(failOn)) return fail(`--fail-on must be mandatory or advisory, not "${failOn}"`);
    const outputs: { format: Format; file: string; flag: string }[] = [];
    if (values.out) outputs.push({ format, file: values.out as string, flag: "--out" });
    for (const w of (values.write as string[] | undefined) ?? []) {
        const m = /^([a-z]+)=(.+)$/.exec(w);
        if (!m || !FORMATS.includes(m[1] as Format))
            return fail(`--write takes FORMAT=FILE with FORMAT one of ${FORMATS.join(", ")}, not "${w}"`);
        outputs.push({ format: m[1] as Format, file: m[2], flag: "--write" });
    }
    for (const o of outputs) {
        const problem = writable(o.file);
        if (problem) return fail(`${o.flag} ${o.file}: ${problem}; nothing was checked`);
    }
    const sarifRootFlag = values["sarif-root"] as string | undefined;
    if (sarifRootFlag !== undefined && !(fs.existsSync(sarifRootFlag) && fs.statSync(sarifRootFlag).isDirectory())) {
        return fail(`--sarif-root ${sarifRootFlag} is not a directory`);
    }
    try {
        const report = await check({
            inputs,
            configFile: values.config as string | undefined,
            registryFile: values.registry as string | undefined,
            stack: values.stack as string | undefined,
            allowMissingConfig: values["allow-missing-config"] === true,
            allowUnknownConfig: values["allow-unknown-config"] === true,
            progress: values.quiet ? undefined : (m) => stderr(`${m}\n`),
            warn: (m) => stderr(`${m}\n`),
        });
        const wantsSarif = format === "sarif" || outputs.some((o) => o.format === "sarif");
        const sarifRoot = sarifRootFlag !== undefined ? path.resolve(sarifRootFlag) : wantsSarif ? gitTopLevel(inputs[0]) : undefined;
        if (wantsSarif && sarifRoot === undefined) {
            stderr(
                `warning: ${inputs[0]} is not in a git repository and no --sarif-root was given: SARIF paths are absolute file URIs, which GitHub code scanning cannot place\n`,
            );
        }
        const color = !values.out && colorWanted(values, io);
        // Files get the whole report; markdown on standard output (a pull request comment) fits GitHub's limit.
        for (const o of outputs) fs.writeFileSync(o.file, render(report, o.format, { color: false, sarifRoot }));
        const fullMapFile = outputs.find((o) => o.format === "markdown")?.file;
        const stdout = values.out ? "" : render(report, format, { color, sarifRoot, markdown: { limit: COMMENT_LIMIT, fullMapFile } });
        return { code: exitCode(report, failOn, values["exit-zero"] === true), stdout };
    } catch (e) {
        if (e instanceof InputError) return fail(e.message);
        return fail(unexpectedError(e));
    }
}

/** Runs the command; never throws. Errors for the user go to `stderr`. */
export async function main(
    argv: string[],
    stderr: (s: string) => void = (s) => process.stderr.write(s),
    io: CliEnvironment = {},
): Promise<CliResult> {
    if (argv[0] === "flowlogs") return (await import("./flowlogs/command")).flowlogs(argv.slice(1), stderr);
    if (argv[0] === "explain") return (await import("./explain/command")).explain(argv.slice(1), stderr);
    const args = readArgs(
        argv,
        {
            config: { type: "string" },
            registry: { type: "string" },
            format: { type: "string", default: "text" },
            out: { type: "string" },
            write: { type: "string", multiple: true },
            stack: { type: "string" },
            "fail-on": { type: "string" },
            "exit-zero": { type: "boolean" },
            quiet: { type: "boolean" },
            "allow-missing-config": { type: "boolean" },
            "allow-unknown-config": { type: "boolean" },
            "sarif-root": { type: "string" },
            "no-color": { type: "boolean" },
            version: { type: "boolean" },
        },
        USAGE,
        failed,
        stderr,
    );
    if ("code" in args) return args;
    const { values, inputs: positionals } = args;
    if (values.version) return { code: 0, stdout: `internal-ports ${VERSION}\n` };
    const [command, ...inputs] = positionals;
    if (command === "policies") return listPolicies(values.format as string, stderr);
    if (command !== "check" || inputs.length === 0) {
        return failed(stderr, `${command && command !== "check" ? `unknown command "${command}"` : "nothing to check"}\n\n${USAGE}`);
    }
    return runCheck(inputs, values, stderr, io);
}

if (require.main === module) {
    // Taken before a program run replaces process.exit (a program must not end the check).
    const exit = process.exit.bind(process);
    // Ctrl-C or a CI's SIGTERM: exit now; the driver's exit hook kills the pack process this started.
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.once(signal, () => {
            process.stderr.write(`internal-ports: interrupted (${signal}); nothing was reported\n`);
            exit(128 + os.constants.signals[signal]);
        });
    }
    // A program's late callback must not end the check with Node's exit status 1 ("a violation").
    process.on("uncaughtException", (e) => {
        process.stderr.write(`internal-ports: ${unexpectedError(e)}\n`);
        exit(2);
    });
    // main never rejects; were it to, the rejection reaches the handler above as an uncaught exception.
    void main(process.argv.slice(2)).then(({ code, stdout }) => {
        process.stdout.write(stdout, () => exit(code));
    });
}
