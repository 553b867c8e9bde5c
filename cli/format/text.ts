// The `Policies:` block `pulumi preview` prints, then a one-line summary.
import { Report, summarise, summaryLine } from "../report";

export function renderText(report: Report): string {
    const lines: string[] = [];
    for (const stack of report.stacks) {
        const mandatory = stack.findings.some((f) => f.level === "mandatory");
        const icon = mandatory ? "❌" : stack.findings.length > 0 ? "⚠️" : "✅";
        lines.push(`${stack.input}${stack.stack ? ` (stack ${stack.stack})` : ""}:`);
        lines.push("Policies:");
        lines.push(`    ${icon} ${report.pack.name}@v${report.pack.version} (local: ${report.pack.dir})`);
        for (const f of stack.findings) {
            lines.push(`        - [${f.level}]  ${f.policy}  (${f.type}: ${f.name})`);
            for (const l of [f.description, ...f.message.split("\n")]) lines.push(`          ${l}`);
        }
        lines.push("");
    }
    lines.push(summaryLine(summarise(report.stacks)));
    return lines.join("\n") + "\n";
}
