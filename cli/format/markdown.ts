// A port map for a pull request: a summary table, then for each stack every inbound rule (one row
// per rule: what it opens, the services, who can reach it, the verdict and the policy behind it),
// blocked rows first, a Mermaid diagram of sources to services, and the findings. It fits a GitHub
// comment when asked to: past the limit the blocked rows and blocking findings come first and a note
// says where the full map is.
import { graphOf } from "../graph";
import { portMap, PortMapRow, Verdict } from "../portmap";
import { documentedFlowCharts } from "./flowcharts";
import { CheckedStack, Finding, locationOf, Report, subjectOf, summarise, summaryLine, verdictOf } from "../report";

/** GitHub refuses a comment longer than this (characters). */
export const COMMENT_LIMIT = 65_536;

export interface MarkdownOptions {
    /** At most this many characters (a GitHub comment); unlimited when absent. */
    limit?: number;
    /** Where the full map is, named in the note when the report is cut to fit `limit`. */
    fullMapFile?: string;
}

const ICON: Record<Verdict, string> = { blocked: "❌ blocked", advisory: "⚠️ advisory", allowed: "✅ allowed" };
const RANK: Record<Verdict, number> = { blocked: 0, advisory: 1, allowed: 2 };
const MAX_EDGES = 60;
/** A rule covering more services than this is one node of the diagram, and its cell lists this many. */
const MAX_SERVICES = 8;
const ROW_HEADER = ["| verdict | resource | rule | opens | services | reachable from | policy |", "|---|---|---|---|---|---|---|"];

function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function code(text: string): string {
    return `\`${cell(text).replace(/`/g, "'")}\``;
}

function mermaidLabel(text: string): string {
    return `"${text.replace(/"/g, "#quot;")}"`;
}

function stackTitle(s: { project?: string; stack?: string; input: string }): string {
    return `${s.project ?? s.input}${s.stack ? ` / ${s.stack}` : ""}`;
}

function rowLine(r: PortMapRow): string {
    const named =
        r.services.length > MAX_SERVICES + 1
            ? [...r.services.slice(0, MAX_SERVICES), `… and ${r.services.length - MAX_SERVICES} more`]
            : r.services;
    const services = [...named, ...(r.undocumented ? ["(undocumented ports)"] : [])];
    const reading = r.reading === "return-traffic" ? " · return traffic" : r.reading === "pass-through" ? " · passes every port" : "";
    return (
        `| ${ICON[r.verdict]} | ${code(r.resource.name)} (${code(r.resource.type)}) | ${cell(r.rule.origin)}${reading} | ${cell(r.ports.join(", "))} | ` +
        `${cell(services.join(", ") || "-")} | ${cell(r.world ? `🌐 ${r.sources}` : r.sources)} | ${cell(r.policies.join(", ") || "-")} |`
    );
}

function findingLine(f: Finding): string {
    const where = locationOf(f);
    const message = f.message.split(/\r?\n/).map(cell).join("<br>");
    return `- **[${f.level}] ${f.policy}** ${code(subjectOf(f, " "))}${where ? ` at ${code(`${where.file}:${where.line}`)}` : ""}: ${message}`;
}

function diagram(rows: readonly PortMapRow[]): string[] {
    const ids = new Map<string, string>();
    const node = (prefix: string, label: string) => {
        const key = `${prefix}:${label}`;
        if (!ids.has(key)) ids.set(key, `${prefix}${ids.size}`);
        return ids.get(key)!;
    };
    const edges = new Map<string, { from: string; to: string; verdict: Verdict }>();
    for (const r of rows) {
        const from = node("src", r.world ? `${r.sources} (internet)` : r.sources);
        const targets =
            r.services.length > MAX_SERVICES
                ? [`${r.ports.join(", ")}: ${r.services.length} services`]
                : [...r.services, ...(r.undocumented || r.services.length === 0 ? [`undocumented ${r.ports.join(", ")}`] : [])];
        for (const t of targets) {
            const to = node("svc", t);
            const key = `${from}->${to}`;
            const prev = edges.get(key);
            if (!prev || RANK[r.verdict] < RANK[prev.verdict]) edges.set(key, { from, to, verdict: r.verdict });
        }
    }
    const lines = ["```mermaid", "flowchart LR"];
    for (const [key, id] of ids) lines.push(`    ${id}[${mermaidLabel(key.slice(key.indexOf(":") + 1))}]`);
    const shown = [...edges.values()].sort((a, b) => RANK[a.verdict] - RANK[b.verdict]).slice(0, MAX_EDGES);
    shown.forEach((e) => lines.push(`    ${e.from} -->|${e.verdict}| ${e.to}`));
    shown.forEach((e, i) => {
        if (e.verdict !== "allowed")
            lines.push(`    linkStyle ${i} stroke:${e.verdict === "blocked" ? "#d73a49" : "#dbab09"},stroke-width:2px`);
    });
    lines.push("```");
    if (edges.size > MAX_EDGES) lines.push(`_${edges.size - MAX_EDGES} more connections are in the table only._`);
    return lines;
}
function summaryTable(report: Report): string[] {
    const lines = [
        "| stack | verdict | resources | blocked resources | mandatory / advisory findings | inbound rules (from the internet) |",
        "|---|---|---|---|---|---|",
    ];
    for (const s of report.stacks) {
        const sum = summarise([s]);
        const rows = portMap(s);
        const verdict = sum.mandatory > 0 ? "❌ would block" : sum.advisory > 0 ? "⚠️ advisory notes" : "✅ clean";
        const blocked = s.resources.filter((r) => verdictOf(s, r.urn) === "mandatory").length;
        lines.push(
            `| ${cell(stackTitle(s))} | ${verdict} | ${sum.resources} | ${blocked} | ${sum.mandatory} / ${sum.advisory} | ${rows.length} (${rows.filter((r) => r.world).length}) |`,
        );
    }
    for (const f of report.failures) lines.push(`| ${cell(stackTitle(f))} | ❗ not checked | - | - | - | - |`);
    return lines;
}

/** Per documented service (clients in ports.yaml), its flows through every layer: built from the stack's graph. */
function flowCharts(s: CheckedStack): string[] {
    if (!s.registry || !s.registry.services.some((x) => x.clients?.length)) return [];
    return documentedFlowCharts(graphOf(s.resources, s.registry.serviceTag, s.providers), s.registry);
}

function stackSection(s: CheckedStack, rows: readonly PortMapRow[]): string[] {
    const lines = [`### ${cell(stackTitle(s))}`, ""];
    if (rows.length === 0) lines.push("No inbound firewall rule opens a port in this stack.", "");
    else lines.push(...ROW_HEADER, ...rows.map(rowLine), "", ...diagram(rows), "");
    lines.push(...flowCharts(s));
    if (s.findings.length > 0) lines.push("<details><summary>Findings</summary>", "", ...s.findings.map(findingLine), "", "</details>", "");
    return lines;
}

function head(report: Report): string[] {
    const lines = [
        `## Port map (${report.pack.name}@v${report.pack.version})`,
        "",
        summaryLine(summarise(report.stacks, report.failures)),
        "",
        ...summaryTable(report),
        "",
    ];
    for (const f of report.failures) lines.push(`> ❗ **Could not be checked:** \`${cell(f.input)}\`: ${cell(f.message)}`, "");
    return lines;
}

/**
 * Past the limit: each stack's blocked rows and blocking findings, as many as fit, then a note. The
 * rows and findings left out are counted in the note.
 */
function cut(report: Report, limit: number, fullMapFile: string | undefined): string {
    const maps = report.stacks.map((s) => ({ s, rows: portMap(s) }));
    const totalRows = maps.reduce((n, m) => n + m.rows.length, 0);
    const totalFindings = report.stacks.reduce((n, s) => n + s.findings.length, 0);
    const where =
        fullMapFile !== undefined
            ? `The full map is in \`${cell(fullMapFile)}\`.`
            : "Write it to a file (`--out FILE` or `--write markdown=FILE`) to see all of it.";
    const note = (rows: number, findings: number) =>
        `> ✂️ This port map is longer than a GitHub comment allows: it shows the blocked rules and blocking findings first ` +
        `(${rows} of ${totalRows} rules, ${findings} of ${totalFindings} findings). ${where}`;
    const reserve = note(totalRows, totalFindings).length + 2;
    const out = head(report);
    let size = out.join("\n").length;
    const add = (lines: string[]): boolean => {
        const n = lines.join("\n").length + 1;
        if (size + n > limit - reserve) return false;
        out.push(...lines);
        size += n;
        return true;
    };
    let shownRows = 0;
    let shownFindings = 0;
    for (const { s, rows } of maps) {
        const blocked = rows.filter((r) => r.verdict === "blocked");
        const blocking = s.findings.filter((f) => f.level === "mandatory");
        if (blocked.length === 0 && blocking.length === 0) continue;
        if (!add([`### ${cell(stackTitle(s))}`, ""])) break;
        if (blocked.length > 0 && add(ROW_HEADER)) {
            for (const r of blocked) {
                if (!add([rowLine(r)])) break;
                shownRows++;
            }
            add([""]);
        }
        if (blocking.length > 0 && add(["**Blocking findings**", ""])) {
            for (const f of blocking) {
                if (!add([findingLine(f)])) break;
                shownFindings++;
            }
            add([""]);
        }
    }
    out.push(note(shownRows, shownFindings), "");
    return out.join("\n");
}

export function renderMarkdown(report: Report, opts: MarkdownOptions = {}): string {
    const full = [...head(report), ...report.stacks.flatMap((s) => stackSection(s, portMap(s)))].join("\n");
    if (opts.limit === undefined || full.length <= opts.limit) return full;
    return cut(report, opts.limit, opts.fullMapFile);
}
