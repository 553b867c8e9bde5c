// A port map for a pull request: every opened port by service, who can reach it, the verdict, and a
// Mermaid diagram of sources to services.
import { Registry } from "../../policies/registry";
import { portMap, PortMapEntry, Verdict } from "../portmap";
import { Report, summarise, summaryLine } from "../report";

const ICON: Record<Verdict, string> = { blocked: "❌ blocked", advisory: "⚠️ advisory", allowed: "✅ allowed" };
const MAX_EDGES = 60;

function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function mermaidLabel(text: string): string {
    return `"${text.replace(/"/g, "#quot;")}"`;
}

function diagram(entries: PortMapEntry[]): string[] {
    const ids = new Map<string, string>();
    const node = (prefix: string, label: string) => {
        const key = `${prefix}:${label}`;
        if (!ids.has(key)) ids.set(key, `${prefix}${ids.size}`);
        return ids.get(key)!;
    };
    const edges = new Map<string, { from: string; to: string; verdict: Verdict }>();
    for (const e of entries) {
        const from = node("src", e.world ? `${e.sources} (internet)` : e.sources);
        const to = node("svc", `${e.service} ${e.protocol}/${e.ports}`);
        const key = `${from}->${to}`;
        const prev = edges.get(key);
        const rank = { blocked: 2, advisory: 1, allowed: 0 };
        if (!prev || rank[e.verdict] > rank[prev.verdict]) edges.set(key, { from, to, verdict: e.verdict });
    }
    const lines = ["```mermaid", "flowchart LR"];
    for (const [key, id] of ids) lines.push(`    ${id}[${mermaidLabel(key.slice(key.indexOf(":") + 1))}]`);
    const shown = [...edges.values()].slice(0, MAX_EDGES);
    shown.forEach((e) => lines.push(`    ${e.from} -->|${e.verdict}| ${e.to}`));
    shown.forEach((e, i) => {
        if (e.verdict !== "allowed") lines.push(`    linkStyle ${i} stroke:${e.verdict === "blocked" ? "#d73a49" : "#dbab09"},stroke-width:2px`);
    });
    lines.push("```");
    if (edges.size > MAX_EDGES) lines.push(`_${edges.size - MAX_EDGES} more connections are in the table only._`);
    return lines;
}

export function renderMarkdown(report: Report, registry: Registry): string {
    const lines = [`## Port map (${report.pack.name}@v${report.pack.version})`, "", summaryLine(summarise(report.stacks, report.failures)), ""];
    for (const f of report.failures) lines.push(`> ❗ **Could not be checked:** \`${cell(f.input)}\`: ${cell(f.message)}`, "");
    for (const stack of report.stacks) {
        const entries = portMap(stack, registry);
        lines.push(`### ${stack.project ?? stack.input}${stack.stack ? ` / ${stack.stack}` : ""}`, "");
        if (entries.length === 0) {
            lines.push("No inbound firewall rule opens a port in this stack.", "");
        } else {
            lines.push("| service | port | reachable from | resource · rule | verdict |", "|---|---|---|---|---|");
            for (const e of entries) {
                const verdict = e.policies.length > 0 ? `${ICON[e.verdict]} (${e.policies.join(", ")})` : ICON[e.verdict];
                lines.push(`| ${cell(e.service)} | ${e.protocol}/${cell(e.ports)} | ${cell(e.world ? `🌐 ${e.sources}` : e.sources)} | \`${cell(e.resource.name)}\` · ${cell(e.rule)} | ${verdict} |`);
            }
            lines.push("", ...diagram(entries), "");
        }
        if (stack.findings.length > 0) {
            lines.push("<details><summary>Findings</summary>", "");
            for (const f of stack.findings) lines.push(`- **[${f.level}] ${f.policy}** \`${f.type}\` \`${f.name}\`: ${cell(f.message)}`);
            lines.push("", "</details>", "");
        }
    }
    return lines.join("\n");
}
