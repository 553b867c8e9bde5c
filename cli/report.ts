// The result of checking one or more stacks, shared by every output format: the pack's diagnostics
// joined to the structured records it wrote beside them (the side channel), so that no format has
// to read message text.
import type { OpeningsRecord } from "../driver/findings-channel";
import { Diagnostic, PolicyInfo } from "../driver/types";
import type { Fix, FindingRecord, Item } from "../policies/kit/findings";
import type { Exemption, Registry } from "../policies/registry";
import { InputKind, SourceLocation, StackResource } from "./types";

export type Level = "mandatory" | "advisory";

/** A ports.yaml entry a finding is about (an unused exemption), at its line. */
export interface RegistryEntry {
    location: SourceLocation;
    exemption?: Pick<Exemption, "policy" | "resource" | "reason" | "expires">;
}

export interface Finding {
    policy: string;
    level: Level;
    severity?: string;
    /** "" for a finding about the stack or ports.yaml rather than one resource. */
    urn: string;
    type: string;
    name: string;
    /** The policy's own words about this resource, without the description line. */
    message: string;
    description: string;
    /** What the policy said, item by item (message id, data, the rule it is about); empty for a diagnostic the pack wrote no record for. */
    items: Item[];
    fixes: Fix[];
    /** The ports.yaml exemption that applied to the finding (expired, or active with exemptionNotes). */
    exemption?: FindingRecord["exemption"];
    /** For a finding about ports.yaml itself. */
    registryEntry?: RegistryEntry;
    resource?: StackResource;
}

export interface CheckedStack {
    input: string;
    kind: InputKind;
    project?: string;
    stack?: string;
    /** The ports.yaml the stack was checked against: --registry, else the project's own, else the pack's. */
    registryFile: string;
    /** That registry, read (for the reports that follow documented flows). */
    registry?: Registry;
    resources: StackResource[];
    /** The provider resources the pack read (LoadedStack.providers). */
    providers?: StackResource[];
    findings: Finding[];
    /** What each firewall of the stack opens inbound, as the pack read it. */
    openings: OpeningsRecord[];
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
    /** The ports.yaml given with --registry, else the pack's (a project with its own ports.yaml is checked against that: CheckedStack.registryFile). */
    registryFile: string;
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

/** What a finding is about, in a few words: the resource, the ports.yaml entry, or the stack. */
export function subjectOf(f: Finding, separator = ": "): string {
    const entry = f.registryEntry;
    if (entry)
        return entry.exemption
            ? `ports.yaml exemption ${entry.exemption.policy} for "${entry.exemption.resource}"`
            : `ports.yaml:${entry.location.line}`;
    return f.urn ? `${f.type}${separator}${f.name}` : "the stack";
}

/** Where a finding is: the resource's line (its call site for a program), or the ports.yaml entry's. */
export function locationOf(f: Finding): SourceLocation | undefined {
    return f.registryEntry?.location ?? f.resource?.source;
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
    const verdict =
        s.mandatory > 0
            ? `would block the update: ${plural(s.blockedResources, "resource")} with mandatory violations`
            : "would not block the update";
    const failed = s.failed > 0 ? ` ${plural(s.failed, "input")} could not be checked, so the check fails.` : "";
    return `${plural(s.resources, "resource")} checked: ${plural(s.mandatory, "mandatory violation")}, ${plural(s.advisory, "advisory note")}; ${verdict}.${failed}`;
}

/**
 * Maps the pack's diagnostics onto the stack's resources, each with the record the pack wrote for it
 * (`records[i]` belongs to `diagnostics[i]`), and a ports.yaml finding onto its registry entry.
 */
export function toFindings(
    diagnostics: readonly Diagnostic[],
    records: readonly (FindingRecord | undefined)[],
    byUrn: Map<string, StackResource>,
    registryEntry: (line: number) => RegistryEntry,
): Finding[] {
    const out: Finding[] = [];
    diagnostics.forEach((d, i) => {
        if (d.enforcementLevel !== "mandatory" && d.enforcementLevel !== "advisory" && d.enforcementLevel !== "remediate") return;
        const record = records[i];
        const resource = byUrn.get(d.urn);
        const parts = d.urn.split("::");
        out.push({
            policy: d.policyName,
            level: d.enforcementLevel === "advisory" ? "advisory" : "mandatory",
            severity: d.severity,
            urn: d.urn,
            type: resource?.type ?? parts[2]?.split("$").pop() ?? "",
            name: resource?.name ?? parts[3] ?? "",
            message: d.message.startsWith(`${d.description}\n`) ? d.message.slice(d.description.length + 1) : d.message,
            description: d.description,
            items: record?.items ?? [],
            fixes: record?.fixes ?? [],
            ...(record?.exemption ? { exemption: record.exemption } : {}),
            ...(record?.registryLine !== undefined ? { registryEntry: registryEntry(record.registryLine) } : {}),
            resource,
        });
    });
    return out;
}
