// The result of checking one or more stacks, shared by every output format.
import { Diagnostic, PolicyInfo } from "../driver/analyzer-client";
import { InputKind, StackResource } from "./types";

export interface Finding {
    policy: string;
    level: "mandatory" | "advisory";
    severity?: string;
    urn: string;
    type: string;
    name: string;
    /** The policy's own words about this resource, without the description line. */
    message: string;
    description: string;
    resource?: StackResource;
}

export interface CheckedStack {
    input: string;
    kind: InputKind;
    project?: string;
    stack?: string;
    resources: StackResource[];
    findings: Finding[];
    /** What the user should know about how the input was read (placeholders, unchecked components, ...). */
    warnings: string[];
}

/** An input that could not be checked (the program failed, the file is unusable, the pack failed on it). */
export interface InputFailure {
    input: string;
    project?: string;
    stack?: string;
    message: string;
}

export interface Report {
    pack: { name: string; version: string; dir: string };
    policies: PolicyInfo[];
    stacks: CheckedStack[];
    failures: InputFailure[];
}

export interface Summary {
    resources: number;
    mandatory: number;
    advisory: number;
    blockedResources: number;
    /** Inputs that could not be checked. */
    failed: number;
}

export function summarise(stacks: CheckedStack[], failures: InputFailure[] = []): Summary {
    const findings = stacks.flatMap((s) => s.findings);
    const mandatory = findings.filter((f) => f.level === "mandatory");
    return {
        resources: stacks.reduce((n, s) => n + s.resources.length, 0),
        mandatory: mandatory.length,
        advisory: findings.length - mandatory.length,
        blockedResources: new Set(mandatory.map((f) => f.urn)).size,
        failed: failures.length,
    };
}

export type Verdict = "clean" | "advisory" | "mandatory";

/** A resource's verdict: its worst finding. */
export function verdictOf(stack: CheckedStack, urn: string): Verdict {
    const mine = stack.findings.filter((f) => f.urn === urn);
    return mine.some((f) => f.level === "mandatory") ? "mandatory" : mine.length > 0 ? "advisory" : "clean";
}

export type FailOn = "mandatory" | "advisory";

/** The exit status: 2 when an input could not be checked, 1 for a finding at or above `failOn`, else 0. */
export function exitCode(report: Report, failOn: FailOn, exitZero: boolean): number {
    if (report.failures.length > 0) return 2;
    if (exitZero) return 0;
    const s = summarise(report.stacks);
    return s.mandatory > 0 || (failOn === "advisory" && s.advisory > 0) ? 1 : 0;
}

function plural(n: number, one: string, many = `${one}s`): string {
    return `${n} ${n === 1 ? one : many}`;
}

export function summaryLine(s: Summary): string {
    const verdict = s.mandatory > 0 ? `would block the update: ${plural(s.blockedResources, "resource")} with mandatory violations` : "would not block the update";
    const failed = s.failed > 0 ? ` ${plural(s.failed, "input")} could not be checked, so the check fails.` : "";
    return `${plural(s.resources, "resource")} checked: ${plural(s.mandatory, "mandatory violation")}, ${plural(s.advisory, "advisory note")}; ${verdict}.${failed}`;
}

/** Maps the pack's diagnostics onto the stack's resources. */
export function toFindings(diagnostics: Diagnostic[], byUrn: Map<string, StackResource>): Finding[] {
    return diagnostics
        .filter((d) => d.enforcementLevel === "mandatory" || d.enforcementLevel === "advisory" || d.enforcementLevel === "remediate")
        .map((d) => {
            const resource = byUrn.get(d.urn);
            const parts = d.urn.split("::");
            return {
                policy: d.policyName,
                level: d.enforcementLevel === "advisory" ? "advisory" : "mandatory",
                severity: d.severity,
                urn: d.urn,
                type: resource?.type ?? parts[2]?.split("$").pop() ?? "",
                name: resource?.name ?? parts[3] ?? "",
                message: d.message.startsWith(`${d.description}\n`) ? d.message.slice(d.description.length + 1) : d.message,
                description: d.description,
                resource,
            };
        });
}
