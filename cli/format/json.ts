// The report as JSON (documented in the README, "JSON report"): every checked resource with its
// verdict and location, every diagnostic with its structured items and fixes, the warnings, and the
// inputs that could not be checked.
import { displayPath } from "../inputs/user-files";
import { Report, summarise, verdictOf } from "../report";

/** Bumped when a field changes meaning or goes away; new fields do not bump it. */
export const JSON_SCHEMA_VERSION = 1;

export function renderJson(report: Report): string {
    return JSON.stringify(jsonReport(report), null, 2) + "\n";
}

/** The JSON report's document (the tests read the written report with its type). */
export type JsonReport = ReturnType<typeof jsonReport>;

function jsonReport(report: Report) {
    return {
        schemaVersion: JSON_SCHEMA_VERSION,
        pack: { name: report.pack.name, version: report.pack.version },
        summary: summarise(report.stacks, report.failures),
        stacks: report.stacks.map((s) => ({
            input: s.input,
            kind: s.kind,
            project: s.project,
            stack: s.stack,
            registry: displayPath(s.registryFile, process.cwd()),
            resources: s.resources.length,
            checkedResources: s.resources.map((r) => ({
                urn: r.urn,
                type: r.type,
                name: r.name,
                verdict: verdictOf(s, r.urn),
                ...(r.source ? { source: r.source } : {}),
                ...(r.definedAt ? { definedAt: r.definedAt } : {}),
            })),
            diagnostics: s.findings.map((f) => ({
                policy: f.policy,
                level: f.level,
                severity: f.severity,
                urn: f.urn,
                type: f.type,
                name: f.name,
                message: f.message,
                items: f.items,
                fixes: f.fixes,
                ...(f.exemption ? { exemption: f.exemption } : {}),
                ...(f.registryEntry
                    ? {
                          source: f.registryEntry.location,
                          ...(f.registryEntry.exemption
                              ? {
                                    registryEntry: {
                                        exemption: {
                                            policy: f.registryEntry.exemption.policy,
                                            resource: f.registryEntry.exemption.resource,
                                        },
                                    },
                                }
                              : {}),
                      }
                    : {}),
                ...(f.resource?.source ? { source: f.resource.source } : {}),
                ...(f.resource?.definedAt ? { definedAt: f.resource.definedAt } : {}),
            })),
            warnings: s.warnings,
        })),
        failures: report.failures.map((f) => ({ input: f.input, project: f.project, stack: f.stack, message: f.message })),
    };
}
