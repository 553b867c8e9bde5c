// The `Policies:` block `pulumi preview` prints, each finding with its file:line, the inputs that
// could not be checked, then a one-line summary. Colour only when asked (a terminal, FORCE_COLOR).
import { SourceLocation } from "../types";
import { locationOf, Report, subjectOf, summarise, summaryLine } from "../report";

// Five SGR codes: not worth a dependency.
const SGR = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, cyan: 36 } as const;
type Style = keyof typeof SGR;

export interface TextOptions {
    color?: boolean;
}

export function where(loc: SourceLocation): string {
    return `${loc.file}:${loc.line}${loc.column ? `:${loc.column}` : ""}`;
}

export function renderText(report: Report, opts: TextOptions = {}): string {
    const paint = (text: string, ...styles: Style[]) =>
        opts.color ? `${styles.map((s) => `\x1b[${SGR[s]}m`).join("")}${text}\x1b[0m` : text;
    const lines: string[] = [];
    for (const stack of report.stacks) {
        const mandatory = stack.findings.some((f) => f.level === "mandatory");
        const icon = mandatory ? "❌" : stack.findings.length > 0 ? "⚠️" : "✅";
        lines.push(`${stack.input}${stack.stack ? ` (stack ${stack.stack})` : ""}:`);
        lines.push("Policies:");
        lines.push(`    ${icon} ${report.pack.name}@v${report.pack.version} (local: ${report.pack.dir})`);
        for (const f of stack.findings) {
            const level = f.level === "mandatory" ? paint("[mandatory]", "bold", "red") : paint("[advisory]", "yellow");
            lines.push(`        - ${level}  ${f.policy}  (${subjectOf(f)})`);
            const source = locationOf(f);
            if (source) {
                const inner = f.resource?.definedAt && !f.registryEntry ? ` (created at ${where(f.resource.definedAt)})` : "";
                lines.push(`          ${paint(where(source), "cyan")}${paint(inner, "dim")}`);
            }
            for (const l of [f.description, ...f.message.split("\n")]) lines.push(`          ${l}`);
        }
        if (stack.warnings.length > 0) {
            lines.push(
                paint(
                    `    ${stack.warnings.length === 1 ? "1 warning" : `${stack.warnings.length} warnings`} about what could not be checked as written (on standard error)`,
                    "dim",
                ),
            );
        }
        lines.push("");
    }
    for (const f of report.failures) {
        lines.push(`${f.input}${f.stack ? ` (stack ${f.stack})` : ""}:`);
        lines.push(`    ${paint("❗ could not be checked", "bold", "red")}: ${f.message}`);
        lines.push("");
    }
    const summary = summaryLine(summarise(report.stacks, report.failures));
    const bad = report.failures.length > 0 || report.stacks.some((s) => s.findings.some((f) => f.level === "mandatory"));
    lines.push(paint(summary, bad ? "red" : "green"));
    return lines.join("\n") + "\n";
}
