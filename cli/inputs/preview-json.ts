// `pulumi preview --json` files: each step's new state, turned into the resources the engine sent
// to the pack's Analyze calls during that preview.
import { isPlainObject } from "../../policies/base/values";
import { LoadedStack, StackResource } from "../types";
import { isReadProvider, isSkippedType, malformed, newWalkStats, parseUrn, readResourceFields, toStackResource } from "./stack-export";

/**
 * Reads a parsed `pulumi preview --json` document. `file` names the file in error messages; `input`
 * is the path the user gave.
 */
export function loadPreviewJson(doc: unknown, file: string, input: string = file): LoadedStack {
    if (!isPlainObject(doc)) {
        throw malformed(file, "(top level)", "a `pulumi preview --json` object with `steps`", doc);
    }
    const steps = doc.steps;
    if (!Array.isArray(steps)) {
        throw malformed(file, "steps", "a list of steps", steps);
    }
    const stats = newWalkStats();
    const resources: StackResource[] = [];
    const providers: StackResource[] = [];
    const seen = new Set<string>();
    const withoutNewState = new Map<string, number>();
    let project: string | undefined;
    let stack: string | undefined;
    steps.forEach((step: unknown, i: number) => {
        const at = `steps[${i}]`;
        if (!isPlainObject(step)) {
            throw malformed(file, at, "a step object", step);
        }
        if (step.op !== undefined && typeof step.op !== "string") {
            throw malformed(file, `${at}.op`, "the step's operation (a string such as create, same, update, delete)", step.op);
        }
        if (step.urn !== undefined && (typeof step.urn !== "string" || !parseUrn(step.urn))) {
            throw malformed(file, `${at}.urn`, "the step's resource URN (a string)", step.urn);
        }
        const op = typeof step.op === "string" ? step.op : "(no op)";
        const ns = step.newState;
        if (ns === undefined || ns === null) {
            withoutNewState.set(op, (withoutNewState.get(op) ?? 0) + 1);
            return;
        }
        if (!isPlainObject(ns)) {
            throw malformed(file, `${at}.newState`, "the resource's new state (an object)", ns);
        }
        // The step's URN stands in for a new state without one; the type follows from the URN.
        const filled: Record<string, unknown> = { ...ns };
        if (filled.urn === undefined && typeof step.urn === "string") filled.urn = step.urn;
        if (filled.type === undefined && typeof filled.urn === "string") filled.type = parseUrn(filled.urn)?.type;
        const f = readResourceFields(file, `${at}.newState`, filled, stats, true);
        if (project === undefined) {
            const u = parseUrn(f.urn)!;
            project = u.project;
            stack = u.stack;
        }
        if (ns.external === true || op === "read" || op === "read-replacement") {
            // Read with `.get()`: the engine sends none of these to a policy pack.
            return;
        }
        if ((isSkippedType(f.type) && !isReadProvider(f.type)) || seen.has(f.urn)) {
            // A replacement shows the same new state in several steps (create-replacement, replace).
            return;
        }
        seen.add(f.urn);
        (isSkippedType(f.type) ? providers : resources).push(toStackResource(f));
    });

    const warnings: string[] = [];
    const skipped = [...withoutNewState.values()].reduce((a, b) => a + b, 0);
    if (skipped > 0) {
        const byOp = [...withoutNewState.entries()].map(([op, n]) => `${op}: ${n}`).join(", ");
        warnings.push(`${skipped} step(s) without a new state were skipped (${byOp}); a deleted resource is not checked`);
    }
    if (stats.maskedSecrets + stats.encryptedSecrets > 0) {
        warnings.push(
            `${stats.maskedSecrets + stats.encryptedSecrets} secret value(s) are hidden in the preview file ("[secret]") ` +
                "and were treated as unknown; check the program itself to see them",
        );
    }
    const diagnostics = Array.isArray(doc.diagnostics) ? doc.diagnostics : [];
    const errors = diagnostics.filter((d) => isPlainObject(d) && d.severity === "error").length;
    if (errors > 0) {
        warnings.push(`the preview reported ${errors} error(s); its steps may not list every resource`);
    }
    if (steps.length === 0) {
        warnings.push("the preview has no steps");
    }
    return { kind: "preview", input, project, stack, resources, ...(providers.length > 0 ? { providers } : {}), warnings };
}
