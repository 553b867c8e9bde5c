// The markdown report (a pull-request comment, a wiki page): the findings as a table and a Mermaid
// chart of clients to services, rejected edges dashed and red.
import { bytesText, count, fixOf, HEADLINES, portText, serviceText, summaryLines } from "./describe";
import { Finding, FlowReport, RunFacts } from "./report";
import { KIND_NAMES } from "./aggregate";

/** Rows of the table and edges of the chart; the JSON report lists every finding. */
export const TABLE_LIMIT = 200;
export const CHART_LIMIT = 40;

const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderMarkdown(report: FlowReport, facts: RunFacts): string {
    const out = ["# Flow logs against ports.yaml", "", ...summaryLines(report, facts).map((l) => `- ${l}`), ""];
    if (report.findings.length === 0) {
        out.push("No findings: every record fits ports.yaml and every documented service saw traffic.", "");
        return out.join("\n");
    }
    out.push(
        "| kind | protocol | port | service | source | destination | flows | bytes | where |",
        "|---|---|---|---|---|---|---|---|---|",
    );
    for (const f of report.findings.slice(0, TABLE_LIMIT)) {
        out.push(
            `| ${f.kind} | ${f.protocol} | ${f.port ?? ""} | ${cell(f.service ?? "")} | ${f.source ?? ""} | ${f.destination ?? ""} | ` +
                `${f.flows} | ${f.kind === "unused-service" ? "" : bytesText(f.bytes)} | ${cell(f.where.join(", "))} |`,
        );
    }
    if (report.findings.length > TABLE_LIMIT)
        out.push("", `… and ${report.findings.length - TABLE_LIMIT} more findings (\`--format json\` lists every one).`);
    out.push("", "## Clients to services", "", ...chart(report.findings), "");
    out.push("## What each kind means and how to fix it", "");
    for (const kind of KIND_NAMES) {
        const i = report.findings.findIndex((f) => f.kind === kind);
        if (i < 0) continue;
        out.push(`- **${kind}**: ${HEADLINES[kind]}. ${fixOf(report.findings[i], facts.providers[i])}`);
    }
    out.push("");
    return out.join("\n");
}

/** flowchart LR: client blocks on the left, services (or undocumented ports) on the right. */
function chart(findings: Finding[]): string[] {
    const edges = new Map<string, { from: string; to: string; kind: Finding["kind"]; flows: number }>();
    for (const f of findings) {
        if (f.kind === "unused-service" || f.source === null) continue;
        const to = `${serviceText(f)}<br/>${portText(f)}`;
        const key = `${f.source}|${to}|${f.kind}`;
        const e = edges.get(key) ?? { from: f.source, to, kind: f.kind, flows: 0 };
        e.flows += f.flows;
        edges.set(key, e);
    }
    const shown = [...edges.values()].sort((a, b) => b.flows - a.flows).slice(0, CHART_LIMIT);
    const ids = new Map<string, string>();
    const id = (label: string, prefix: string) => {
        const key = `${prefix}${label}`;
        if (!ids.has(key)) ids.set(key, `${prefix}${ids.size}`);
        return ids.get(key)!;
    };
    const lines = ["```mermaid", "flowchart LR"];
    const declared = new Set<string>();
    const node = (label: string, prefix: string, shape: [string, string]) => {
        const n = id(label, prefix);
        if (!declared.has(n)) {
            declared.add(n);
            lines.push(`    ${n}${shape[0]}"${label.replace(/"/g, "#quot;")}"${shape[1]}`);
        }
        return n;
    };
    const rejected: number[] = [];
    shown.forEach((e, k) => {
        const from = node(e.from, "c", ["[", "]"]);
        const to = node(e.to, "s", ["([", "])"]);
        const label = `${e.kind === "rejected-documented-flow" ? "rejected" : e.kind === "internet-to-internal" ? "internet" : "undocumented"}: ${count(e.flows, "flow")}`;
        lines.push(
            `    ${from} ${e.kind === "rejected-documented-flow" ? "-.->" : e.kind === "internet-to-internal" ? "==>" : "-->"}|"${label}"| ${to}`,
        );
        if (e.kind === "rejected-documented-flow") rejected.push(k);
    });
    if (rejected.length) lines.push(`    linkStyle ${rejected.join(",")} stroke:#d33,stroke-width:2px,stroke-dasharray:5 5`);
    lines.push("```");
    if (edges.size > shown.length) lines.push("", `The chart shows the ${shown.length} busiest of ${edges.size} edges.`);
    return lines;
}
