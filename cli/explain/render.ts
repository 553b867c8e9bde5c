// The answer of `internal-ports explain`, hop by hop, as text for a person and JSON for a script.
import { Explanation, ExplainRoute, ExplainStep, Status } from "../../policies/analysis/explain";
import { describeStep } from "../../policies/kit/paths-wording";
import { listNames } from "../../policies/kit/wording";
import { rangeText } from "../../policies/model/addresses";
import { Addresses } from "../../policies/model/graph";
import { ConcreteProtocol } from "../../policies/model/protocol";

export interface ExplainReport {
    input: string;
    project?: string;
    stack?: string;
    from: string;
    to: string;
    port: string;
    protocol: ConcreteProtocol;
    explanation: Explanation;
    /** How long modelling the stack and answering took, once the input was loaded. */
    queryMs: number;
}

const VERDICT: Record<Status, string> = { pass: "gets through", block: "does not get through", unknown: "cannot be verified" };

function addressText(a: Addresses | undefined, named?: string): string {
    if (!a) return named ?? "the other end's (unknown) addresses";
    const texts = [
        ...a.v4.intervals.map(([lo, hi]) => rangeText("v4", lo, hi)),
        ...a.v6.intervals.map(([lo, hi]) => rangeText("v6", lo, hi)),
    ];
    return texts.length > 0 ? listNames(texts, 4) : "the other end";
}

/** The other end as the step's layer sees it: the server for the client's layers, the client for the server's. */
function peerText(report: ExplainReport, route: ExplainRoute, step: ExplainStep): string {
    if (report.from === "internet") return "the internet";
    if (step.side === "client") return addressText(route.server.placement.addresses, `\`${route.server.workload.name}\``);
    return route.client?.placement
        ? addressText(route.client.placement.addresses, route.client.workload ? `\`${route.client.workload.name}\`` : undefined)
        : (route.client?.label ?? report.from);
}

function routeTitle(route: ExplainRoute): string {
    return `${route.client?.label ?? "?"} → ${route.server.workload.name} (${route.server.placement.label})`;
}

export function renderExplainText(report: ExplainReport): string {
    const e = report.explanation;
    const lines = [`${report.from} → ${report.to} ${report.port}: ${VERDICT[e.status]}`];
    if (e.routes.length === 0) lines.push("  (the workload has no placement the graph knows: nothing to follow)");
    for (const route of e.routes) {
        lines.push("", `${routeTitle(route)}: ${VERDICT[route.status]}`);
        const steps = route.steps;
        steps.forEach((s, i) => {
            const { where, outcome } = describeStep(s, report.protocol, peerText(report, route, s), report.from === "internet");
            lines.push(`  ${String(i + 1).padStart(2)}. ${where}: ${outcome}`);
        });
        for (const n of route.notes) lines.push(`  note: ${n}`);
    }
    lines.push("", `answered in ${report.queryMs.toFixed(1)} ms once the input was loaded`);
    return lines.join("\n") + "\n";
}

/** Stable shape (schemaVersion 1): record changes in the changelog. */
export function renderExplainJson(report: ExplainReport): string {
    const e = report.explanation;
    return (
        JSON.stringify(
            {
                schemaVersion: 1,
                input: report.input,
                ...(report.project ? { project: report.project } : {}),
                ...(report.stack ? { stack: report.stack } : {}),
                query: { from: report.from, to: report.to, port: report.port, protocol: report.protocol },
                verdict: e.status === "pass" ? "reaches" : e.status === "block" ? "blocked" : "unverifiable",
                routes: e.routes.map((route) => ({
                    from: route.client?.workload
                        ? { name: route.client.workload.name, urn: route.client.workload.urn, placement: route.client.placement?.label }
                        : { name: route.client?.label },
                    to: { name: route.server.workload.name, urn: route.server.workload.urn, placement: route.server.placement.label },
                    verdict: route.status === "pass" ? "reaches" : route.status === "block" ? "blocked" : "unverifiable",
                    hops: route.steps.map((s) => {
                        const { where, outcome } = describeStep(s, report.protocol, peerText(report, route, s), report.from === "internet");
                        return {
                            leg: s.leg,
                            direction: s.direction,
                            status: s.status,
                            resources: s.layer ? s.layer.resources.map((r) => r.name) : s.hop?.resource ? [s.hop.resource.name] : [],
                            ...(s.layer ? { layer: s.layer.kind } : {}),
                            text: `${where}: ${outcome}`,
                        };
                    }),
                    notes: route.notes,
                })),
                queryMs: Math.round(report.queryMs * 1000) / 1000,
            },
            null,
            2,
        ) + "\n"
    );
}
