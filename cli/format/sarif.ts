// SARIF 2.1.0 for GitHub code scanning: one run per checked stack (its own automationDetails.id, so
// GitHub keeps each stack's alerts apart), one rule per policy, and one result per firewall rule a
// finding is about (each offending rule its own alert, with a fingerprint of URN, policy and rule
// that survives line moves), at the resource's line in the user's program (or its URN's line in an
// export or preview file, or the exemption's line in ports.yaml), paths relative to the repository
// root (%SRCROOT%), and the line inside a component as a related location. Inputs that could not be
// checked go in a run of their own as error notifications: in their stack's run, an empty result
// list would close that stack's open alerts.
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as url from "url";
import { PolicyInfo } from "../../driver/types";
import { ruleGroups } from "../items";
import { CheckedStack, Finding, locationOf, Report, subjectOf } from "../report";
import { SourceLocation } from "../types";

const SECURITY_SEVERITY: Record<string, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };
const SRCROOT = "%SRCROOT%";
/** The partialFingerprints key: bump its version when what is hashed changes meaning. */
export const FINGERPRINT_KEY = "internalPortsFinding/v1";

export interface SarifOptions {
    /** The repository root: artifact URIs are relative to it. Without one, they are absolute file URIs. */
    root?: string;
}

function rulesOf(policies: PolicyInfo[]) {
    return policies.map((p) => ({
        id: p.name,
        name: p.name
            .split("-")
            .map((w) => w[0].toUpperCase() + w.slice(1))
            .join(""),
        shortDescription: { text: p.description },
        fullDescription: { text: p.description },
        help: {
            text: `${p.description}\n\n${p.remediationSteps ?? ""}`.trim(),
            markdown: `${p.description}\n\n**Fix:** ${p.remediationSteps ?? ""}${p.url ? `\n\n[Documentation](${p.url})` : ""}`,
        },
        ...(p.url ? { helpUri: p.url } : {}),
        defaultConfiguration: { level: p.enforcementLevel === "mandatory" ? "error" : "warning" },
        properties: {
            tags: ["security", "network"],
            ...(p.severity && SECURITY_SEVERITY[p.severity] ? { "security-severity": SECURITY_SEVERITY[p.severity] } : {}),
        },
    }));
}

/** A program directory is shown at its Pulumi.yaml. */
function projectFile(input: string): string {
    const file = path.join(input, "Pulumi.yaml");
    return fs.existsSync(file) ? file : input;
}

export function renderSarif(report: Report, opts: SarifOptions = {}): string {
    const root = opts.root ? path.resolve(opts.root) : undefined;
    const artifact = (file: string) => {
        const abs = path.resolve(file);
        const rel = root ? path.relative(root, abs) : undefined;
        if (rel !== undefined && rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel)) {
            return { uri: rel.split(path.sep).map(encodeURIComponent).join("/"), uriBaseId: SRCROOT };
        }
        return { uri: url.pathToFileURL(abs).href };
    };
    const physical = (loc: SourceLocation) => ({
        artifactLocation: artifact(loc.file),
        region: { startLine: loc.line, ...(loc.column ? { startColumn: loc.column } : {}) },
    });
    /** The file a finding without a source location is shown at: the project file, or the input file. */
    const inputFile = (s: { input: string; kind?: string }) => (s.kind === "program" ? path.join(s.input, "Pulumi.yaml") : s.input);
    const category = (project: string | undefined, stack: string | undefined, input: string) =>
        `internal-ports/${project ?? artifact(input).uri}/${stack ?? "-"}/`;

    const rules = rulesOf(report.policies);
    const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
    const tool = {
        driver: {
            name: report.pack.name,
            version: report.pack.version,
            semanticVersion: report.pack.version,
            ...(rules[0]?.helpUri ? { informationUri: rules[0].helpUri.replace(/\/blob\/.*$/, "") } : {}),
            rules,
        },
    };
    const base = root ? { originalUriBaseIds: { [SRCROOT]: { uri: url.pathToFileURL(root).href.replace(/\/?$/, "/") } } } : {};

    /**
     * What identifies an alert across runs: the resource's URN (or the ports.yaml exemption's policy
     * and resource pattern), the policy, the rule and the level; never a line number.
     */
    const identity = (f: Finding, rule: string | undefined): string[] => {
        const e = f.registryEntry;
        const subject = e
            ? ["ports.yaml", e.exemption ? `${e.exemption.policy}\0${e.exemption.resource}` : `line ${e.location.line}`]
            : ["resource", f.urn];
        return [...subject, f.policy, rule ?? "", f.level];
    };

    const results = (stack: CheckedStack) => {
        const seen = new Map<string, number>();
        return stack.findings.flatMap((f) => {
            const source = locationOf(f);
            const inner = f.registryEntry ? undefined : f.resource?.definedAt;
            // A ports.yaml finding names its exemption itself.
            const subject = f.urn ? `${subjectOf(f, " ")}: ` : "";
            return ruleGroups(f).map((g) => {
                const key = identity(f, g.rule?.origin).join("\0");
                // Two results of a run never share a fingerprint (two exemptions alike, say): the later ones are counted.
                const n = (seen.get(key) ?? 0) + 1;
                seen.set(key, n);
                const fingerprint = createHash("sha256")
                    .update(n === 1 ? key : `${key}\0${n}`)
                    .digest("hex")
                    .slice(0, 32);
                return {
                    ruleId: f.policy,
                    ...(ruleIndex.has(f.policy) ? { ruleIndex: ruleIndex.get(f.policy) } : {}),
                    level: f.level === "mandatory" ? "error" : "warning",
                    message: {
                        text: `${subject}${g.text}${inner ? ` It is created inside a component, at [${path.basename(inner.file)}:${inner.line}](1).` : ""}`,
                    },
                    locations: [
                        {
                            physicalLocation: source
                                ? physical(source)
                                : { artifactLocation: artifact(inputFile(stack)), region: { startLine: 1 } },
                            ...(f.urn ? { logicalLocations: [{ fullyQualifiedName: f.urn, name: f.name, kind: "resource" }] } : {}),
                        },
                    ],
                    ...(inner
                        ? {
                              relatedLocations: [
                                  {
                                      id: 1,
                                      physicalLocation: physical(inner),
                                      message: { text: "where the component creates the resource" },
                                  },
                              ],
                          }
                        : {}),
                    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
                    properties: {
                        enforcementLevel: f.level,
                        ...(f.urn ? { resourceType: f.type } : {}),
                        ...(g.rule ? { rule: g.rule.origin } : {}),
                        ...(g.items.length > 0 ? { messageIds: [...new Set(g.items.map((i) => i.messageId))] } : {}),
                    },
                };
            });
        });
    };

    const runs: unknown[] = report.stacks.map((stack) => ({
        tool,
        automationDetails: { id: category(stack.project, stack.stack, inputFile(stack)) },
        ...base,
        columnKind: "utf16CodeUnits",
        invocations: [
            {
                executionSuccessful: true,
                toolExecutionNotifications: stack.warnings.map((w) => ({ level: "warning", message: { text: w } })),
            },
        ],
        results: results(stack),
    }));
    if (report.failures.length > 0) {
        runs.push({
            tool,
            automationDetails: { id: "internal-ports/could-not-check/" },
            ...base,
            invocations: [
                {
                    executionSuccessful: false,
                    toolExecutionNotifications: report.failures.map((f) => ({
                        level: "error",
                        message: { text: `could not be checked: ${f.message}` },
                        locations: [{ physicalLocation: { artifactLocation: artifact(projectFile(f.input)) } }],
                    })),
                },
            ],
            results: [],
        });
    }
    return JSON.stringify({ $schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0", runs }, null, 2) + "\n";
}
