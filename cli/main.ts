#!/usr/bin/env node
// internal-ports check <input>... : the pack's verdict on a program, stack export or preview file,
// without cloud credentials, a state backend or the Pulumi CLI.
import * as fs from "fs";
import { parseArgs } from "util";
import { loadRegistry } from "../policies/lib/registry";
import { check, PACK_DIR } from "./check";
import { renderJson } from "./format/json";
import { renderMarkdown } from "./format/markdown";
import { renderSarif } from "./format/sarif";
import { renderText } from "./format/text";
import { Report, summarise } from "./report";
import { InputError } from "./types";

const FORMATS = ["text", "json", "sarif", "markdown"] as const;
type Format = (typeof FORMATS)[number];

export const USAGE = `usage: internal-ports check <input>... [options]
       internal-ports flowlogs <file | directory | ->... [options]  (flow logs against ports.yaml; see flowlogs --help)

<input> is a Pulumi TypeScript/JavaScript program directory (run under the SDK's mock runtime in
preview mode), a \`pulumi stack export\` file, or a \`pulumi preview --json\` file. A directory
without Pulumi.yaml stands for the Pulumi projects directly inside it.

options:
  --config FILE      policy-pack config (as for pulumi --policy-pack-config)
  --registry FILE    port registry to use instead of the pack's ports.yaml
  --format FORMAT    text (default), json, sarif or markdown
  --out FILE         write the report to FILE instead of standard output
  --stack NAME       stack whose Pulumi.<stack>.yaml config a program reads (default: dev)
  --exit-zero        exit 0 even when a mandatory violation is found
  --quiet            no progress on standard error
  -h, --help         this text

exit status: 0 nothing mandatory found, 1 a mandatory violation found, 2 unusable input or config.
`;

export interface CliResult {
    code: number;
    stdout: string;
}

function render(report: Report, format: Format, registryFile: string | undefined): string {
    switch (format) {
        case "json": return renderJson(report);
        case "sarif": return renderSarif(report);
        case "markdown": return renderMarkdown(report, loadRegistry(registryFile ?? `${PACK_DIR}/ports.yaml`));
        default: return renderText(report);
    }
}

/** Runs the command; never throws. Errors for the user go to `stderr`. */
export async function main(argv: string[], stderr: (s: string) => void = (s) => process.stderr.write(s)): Promise<CliResult> {
    if (argv[0] === "flowlogs") return (await import("./flowlogs/command")).flowlogs(argv.slice(1), stderr);
    let values: Record<string, string | boolean | undefined>;
    let positionals: string[];
    try {
        ({ values, positionals } = parseArgs({
            args: argv,
            allowPositionals: true,
            options: {
                config: { type: "string" }, registry: { type: "string" }, format: { type: "string", default: "text" },
                out: { type: "string" }, stack: { type: "string" }, "exit-zero": { type: "boolean" }, quiet: { type: "boolean" },
                help: { type: "boolean", short: "h" },
            },
        }));
    } catch (e) {
        stderr(`internal-ports: ${(e as Error).message}\n\n${USAGE}`);
        return { code: 2, stdout: "" };
    }
    if (values.help) return { code: 0, stdout: USAGE };
    const [command, ...inputs] = positionals;
    if (command !== "check" || inputs.length === 0) {
        stderr(`internal-ports: ${command && command !== "check" ? `unknown command "${command}"` : "nothing to check"}\n\n${USAGE}`);
        return { code: 2, stdout: "" };
    }
    const format = values.format as Format;
    if (!FORMATS.includes(format)) {
        stderr(`internal-ports: --format must be one of ${FORMATS.join(", ")}, not "${format}"\n`);
        return { code: 2, stdout: "" };
    }
    try {
        const report = await check({
            inputs,
            configFile: values.config as string | undefined,
            registryFile: values.registry as string | undefined,
            stack: values.stack as string | undefined,
            progress: values.quiet ? undefined : (m) => stderr(`${m}\n`),
            warn: (m) => stderr(`${m}\n`),
        });
        const output = render(report, format, values.registry as string | undefined);
        if (values.out) fs.writeFileSync(values.out as string, output);
        const failed = summarise(report.stacks).mandatory > 0 && !values["exit-zero"];
        return { code: failed ? 1 : 0, stdout: values.out ? "" : output };
    } catch (e) {
        if (e instanceof InputError) {
            stderr(`internal-ports: ${e.message}\n`);
        } else {
            stderr(`internal-ports: unexpected error: ${(e as Error)?.stack ?? e}\n`);
        }
        return { code: 2, stdout: "" };
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(({ code, stdout }) => {
        process.stdout.write(stdout, () => process.exit(code));
    });
}
