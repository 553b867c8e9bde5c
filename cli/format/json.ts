// Every diagnostic with policy, level, severity, URN, type, name and message.
import { Report, summarise } from "../report";

export function renderJson(report: Report): string {
    return JSON.stringify({
        pack: { name: report.pack.name, version: report.pack.version },
        summary: summarise(report.stacks),
        stacks: report.stacks.map((s) => ({
            input: s.input,
            kind: s.kind,
            project: s.project,
            stack: s.stack,
            resources: s.resources.length,
            diagnostics: s.findings.map((f) => ({
                policy: f.policy,
                level: f.level,
                severity: f.severity,
                urn: f.urn,
                type: f.type,
                name: f.name,
                message: f.message,
                ...(f.resource?.source ? { source: f.resource.source } : {}),
            })),
        })),
    }, null, 2) + "\n";
}
