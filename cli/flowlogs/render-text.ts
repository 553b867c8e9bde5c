// The text report: a summary, then each kind with its findings (the busiest first) and a fix.
import { KIND_NAMES } from "./aggregate";
import { bytesText, count, fixOf, HEADLINES, portText, serviceText, summaryLines } from "./describe";
import { FlowReport, RunFacts } from "./report";

/** Findings shown per kind; --format json lists every one. */
export const TEXT_LIMIT = 25;

export function renderText(report: FlowReport, facts: RunFacts): string {
    const out = [`internal-ports flowlogs: ${summaryLines(report, facts).join("\n")}`];
    const byKind = KIND_NAMES.map((k) => report.findings.map((f, i) => ({ f, i })).filter(({ f }) => f.kind === k));
    const counted = byKind.map((list, k) => (list.length ? `${list.length} ${KIND_NAMES[k]}` : "")).filter(Boolean);
    out.push(
        counted.length
            ? `Findings: ${counted.join(", ")}`
            : "No findings: every record fits ports.yaml and every documented service saw traffic.",
    );
    byKind.forEach((list, k) => {
        if (list.length === 0) return;
        const kind = KIND_NAMES[k];
        out.push("", `${kind} (${list.length}): ${HEADLINES[kind]}`);
        if (kind === "unused-service") {
            const names = list.map(
                ({ f }) =>
                    `${f.service} (${f.protocol}${facts.ports.get(`${f.service}|${f.protocol}`) ? ` ${facts.ports.get(`${f.service}|${f.protocol}`)}` : ""})`,
            );
            out.push(...wrap(names, 100).map((l) => `  ${l}`), `  ${fixOf(list[0].f, 0)}`);
            return;
        }
        for (const { f, i } of list.slice(0, TEXT_LIMIT)) {
            const where = f.where.length ? `; rejected by ${f.where.join(", ")}` : "";
            out.push(
                `  ${portText(f)} (${serviceText(f)})  ${f.source} -> ${f.destination}  ${count(f.flows, "flow")}, ${bytesText(f.bytes)}${where}`,
            );
            out.push(`    fix: ${fixOf(f, facts.providers[i])}`);
        }
        if (list.length > TEXT_LIMIT) out.push(`  … and ${list.length - TEXT_LIMIT} more (--format json lists every finding)`);
    });
    return `${out.join("\n")}\n`;
}

/** Comma-separated items in lines of at most `width` characters. */
function wrap(items: string[], width: number): string[] {
    const lines: string[] = [];
    let line = "";
    for (const item of items) {
        const next = line ? `${line}, ${item}` : item;
        if (next.length > width && line) {
            lines.push(`${line},`);
            line = item;
        } else {
            line = next;
        }
    }
    if (line) lines.push(line);
    return lines;
}
