// For the markdown report: per documented service (a ports.yaml service with `clients`), a Mermaid
// flowchart from its clients through every layer to its workloads, with the hop where a request or
// its reply dies marked. The routes are the ones `explain` follows, judged as
// documented-flows-reachable judges them.
import { explain, ExplainRoute, ExplainStep, Source } from "../../policies/analysis/explain";
import { workloadsOf } from "../../policies/analysis/graph";
import { Layer, NetworkGraph } from "../../policies/model/graph";
import { formatPorts } from "../../policies/model/intervals";
import { cidrSet } from "../../policies/model/addresses";
import { Registry, Service } from "../../policies/registry";

/** Past this many routes a chart stops being readable: the rest are counted below it. */
export const MAX_ROUTES = 24;

function label(text: string): string {
    return `"${text.replace(/`/g, "").replace(/"/g, "#quot;")}"`;
}

interface Chart {
    nodes: Map<string, { id: string; text: string; cls?: "blocked" | "unknown" | "client" | "server" }>;
    edges: Map<string, { from: string; to: string; style: "request" | "reply" }>;
    layers: Map<Layer, number>;
}

function node(c: Chart, key: string, text: string, cls?: "blocked" | "unknown" | "client" | "server"): string {
    let n = c.nodes.get(key);
    if (!n) {
        n = { id: `n${c.nodes.size}`, text, ...(cls ? { cls } : {}) };
        c.nodes.set(key, n);
    }
    return n.id;
}

function edge(c: Chart, from: string, to: string, style: "request" | "reply"): void {
    const key = `${from}>${to}`;
    if (!c.edges.has(key)) c.edges.set(key, { from, to, style });
}

/** A layer in one direction is one node; where it stops a packet it is a node of its own, so a layer that blocks one client and passes another reads right. */
function stepNode(c: Chart, s: ExplainStep, protocol: string): string {
    const layer = s.layer!;
    if (!c.layers.has(layer)) c.layers.set(layer, c.layers.size);
    const text = `${layer.kind} ${layer.resources.map((r) => r.name).join(", ")} (${s.leg === "reply" ? "reply " : ""}${s.direction})`;
    const key = `layer:${c.layers.get(layer)}:${s.direction}:${s.leg}`;
    if (s.status === "block") {
        const ports = s.check?.ports && protocol !== "icmp" ? ` ${protocol} ${formatPorts(s.check.ports, 3)}` : "";
        return node(c, `${key}:block:${ports}`, `✗ ${text}${ports}`, "blocked");
    }
    return s.status === "unknown" ? node(c, `${key}:unknown`, `? ${text}`, "unknown") : node(c, key, text);
}

/** One route onto the chart: client → request layers → workload → the replies' layers → client, ending where the packet dies. */
function addRoute(c: Chart, route: ExplainRoute, protocol: string): void {
    const client = node(c, `client:${route.client?.label}`, route.client?.label ?? "?", "client");
    const server = node(
        c,
        `server:${route.server.workload.urn}:${route.server.placement.label}`,
        `${route.server.workload.name} (${route.server.placement.label})`,
        "server",
    );
    let prev = client;
    const walk = (leg: "request" | "reply"): boolean => {
        for (const s of route.steps.filter((x) => x.leg === leg && x.layer)) {
            const id = stepNode(c, s, protocol);
            edge(c, prev, id, leg);
            prev = id;
            if (s.status === "block") return false;
        }
        return true;
    };
    if (!walk("request")) return;
    edge(c, prev, server, "request");
    prev = server;
    if (walk("reply") && prev !== server) edge(c, prev, client, "reply");
}

function clientSources(s: Service, graph: NetworkGraph): Source[] {
    const out: Source[] = [];
    for (const c of s.clients ?? []) {
        if (c.service !== undefined) for (const w of workloadsOf(graph, c.service)) out.push({ kind: "workload", workload: w });
        else if (c.cidr) out.push({ kind: "cidr", text: c.cidr.text, addresses: cidrSet([c.cidr.text]) });
    }
    return out;
}

/** The charts of one stack, as markdown lines; nothing when no documented service has both clients and workloads. */
export function documentedFlowCharts(graph: NetworkGraph, registry: Registry): string[] {
    const lines: string[] = [];
    for (const s of registry.services) {
        if (!s.clients?.length) continue;
        const servers = workloadsOf(graph, s.name);
        const protocol = s.protocols.find((p) => p !== "icmp");
        if (servers.length === 0 || !protocol) continue;
        const routes: ExplainRoute[] = [];
        for (const to of servers) {
            for (const from of clientSources(s, graph)) {
                if (from.kind === "workload" && from.workload === to) continue;
                routes.push(...explain({ from, to, protocol, ports: s.ports, ephemeral: registry.ephemeralPorts }).routes);
            }
        }
        if (routes.length === 0) continue;
        const shown = routes.slice(0, MAX_ROUTES);
        const c: Chart = { nodes: new Map(), edges: new Map(), layers: new Map() };
        for (const r of shown) addRoute(c, r, protocol);
        const count = (st: string) => routes.filter((r) => r.status === st).length;
        const summary = [
            `${count("pass")} through`,
            count("block") ? `${count("block")} blocked` : "",
            count("unknown") ? `${count("unknown")} unverifiable` : "",
        ]
            .filter(Boolean)
            .join(", ");
        lines.push(
            `#### ${s.name} (${protocol} ${formatPorts(s.ports, 4)}): documented flows, ${summary}`,
            "",
            "```mermaid",
            "flowchart LR",
        );
        for (const n of c.nodes.values()) lines.push(`    ${n.id}[${label(n.text)}]`);
        const edges = [...c.edges.values()];
        for (const e of edges) lines.push(`    ${e.from} ${e.style === "request" ? "-->" : "-.->|reply|"} ${e.to}`);
        lines.push(
            "    classDef blocked fill:#ffdce0,stroke:#d73a49,stroke-width:2px",
            "    classDef unknown fill:#fff5b1,stroke:#dbab09",
            "    classDef client fill:#f1f8ff,stroke:#0366d6",
            "    classDef server fill:#f1f8ff,stroke:#0366d6",
        );
        for (const cls of ["blocked", "unknown", "client", "server"]) {
            const ids = [...c.nodes.values()].filter((n) => n.cls === cls).map((n) => n.id);
            if (ids.length > 0) lines.push(`    class ${ids.join(",")} ${cls}`);
        }
        lines.push("```");
        if (routes.length > MAX_ROUTES)
            lines.push(`_${routes.length - MAX_ROUTES} more routes are not drawn; \`internal-ports explain\` follows any one of them._`);
        lines.push("");
    }
    return lines;
}
