// SARIF 2.1.0 for GitHub code scanning: one rule per policy, one result per diagnostic, the URN as a
// logical location, and a physical location (program source, or the input file's line of the URN)
// because code scanning needs one to show a result.
import * as fs from "fs";
import * as path from "path";
import { Finding, Report } from "../report";

const SECURITY_SEVERITY: Record<string, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

function urnLines(file: string): Map<string, number> {
    const out = new Map<string, number>();
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        return out;
    }
    text.split("\n").forEach((line, i) => {
        const m = /"urn"\s*:\s*"([^"]+)"/.exec(line);
        if (m && !out.has(m[1])) out.set(m[1], i + 1);
    });
    return out;
}

function uri(file: string): string {
    return path.relative(process.cwd(), path.resolve(file)).split(path.sep).join("/");
}

export function renderSarif(report: Report): string {
    const rules = report.policies.map((p) => ({
        id: p.name,
        name: p.name.split("-").map((w) => w[0].toUpperCase() + w.slice(1)).join(""),
        shortDescription: { text: p.description },
        fullDescription: { text: p.description },
        help: { text: `${p.description}\n\n${p.remediationSteps ?? ""}`.trim(), markdown: `${p.description}\n\n**Fix:** ${p.remediationSteps ?? ""}\n\n[Documentation](${p.url})` },
        helpUri: p.url,
        defaultConfiguration: { level: p.enforcementLevel === "mandatory" ? "error" : "warning" },
        properties: { tags: ["security", "network"], ...(p.severity && SECURITY_SEVERITY[p.severity] ? { "security-severity": SECURITY_SEVERITY[p.severity] } : {}) },
    }));
    const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
    const results = report.stacks.flatMap((stack) => {
        const lines = stack.kind === "program" ? new Map<string, number>() : urnLines(stack.input);
        return stack.findings.map((f: Finding) => {
            const source = f.resource?.source;
            const physical = source
                ? { artifactLocation: { uri: uri(source.file) }, region: { startLine: source.line, ...(source.column ? { startColumn: source.column } : {}) } }
                : { artifactLocation: { uri: uri(stack.kind === "program" ? path.join(stack.input, "Pulumi.yaml") : stack.input) }, region: { startLine: lines.get(f.urn) ?? 1 } };
            return {
                ruleId: f.policy,
                ...(ruleIndex.has(f.policy) ? { ruleIndex: ruleIndex.get(f.policy) } : {}),
                level: f.level === "mandatory" ? "error" : "warning",
                message: { text: `${f.type} ${f.name}: ${f.message}` },
                locations: [{
                    physicalLocation: physical,
                    logicalLocations: [{ fullyQualifiedName: f.urn, name: f.name, kind: "resource" }],
                }],
                properties: { enforcementLevel: f.level, resourceType: f.type },
            };
        });
    });
    const sarif = {
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [{
            tool: { driver: { name: report.pack.name, version: report.pack.version, semanticVersion: report.pack.version, informationUri: rules[0]?.helpUri?.replace(/\/blob\/.*$/, ""), rules } },
            results,
        }],
    };
    return JSON.stringify(sarif, null, 2) + "\n";
}
