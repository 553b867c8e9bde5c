// The bundled examples checked once per test run (`check examples --format json`, what `npm start`
// runs), shared by the test of all examples and the tests of one example's messages.
import * as fs from "fs";
import * as path from "path";
import { main } from "../cli/main";
import { ROOT } from "./cli-helpers";

export interface ExampleDiagnostic {
    level: string;
    policy: string;
    name: string;
    message: string;
    source?: { file: string };
}

export interface ExampleStack {
    input: string;
    registry: string;
    resources: number;
    diagnostics: ExampleDiagnostic[];
}

export interface ExampleReport {
    code: number;
    stacks: ExampleStack[];
}

/** What an example's expected.json pins: how many resources it has, and `<level> <policy> <name>` per finding. */
export interface Expected {
    resources: number;
    findings: string[];
}

let report: Promise<ExampleReport> | undefined;

export function exampleReport(): Promise<ExampleReport> {
    report ??= (async () => {
        const cwd = process.cwd();
        process.chdir(ROOT);
        try {
            const r = await main(["check", "examples", "--format", "json", "--quiet"], () => undefined);
            return { code: r.code, stacks: (JSON.parse(r.stdout) as { stacks: ExampleStack[] }).stacks };
        } finally {
            process.chdir(cwd);
        }
    })();
    return report;
}

/** One example's stack in the shared report. */
export async function exampleStack(name: string): Promise<ExampleStack> {
    const stack = (await exampleReport()).stacks.find((s) => path.basename(s.input) === name);
    if (!stack) throw new Error(`examples/${name} is not in the report of \`check examples\``);
    return stack;
}

export function expectedOf(name: string): Expected {
    return JSON.parse(fs.readFileSync(path.join(ROOT, "examples", name, "expected.json"), "utf8")) as Expected;
}
