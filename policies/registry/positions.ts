// Where things are in ports.yaml: the YAML tree with positions kept, so that every problem names its
// line (falling back to the nearest key or ancestor that has one).
import type { Document, LineCounter } from "yaml";
import { RegistryProblem } from "./problems";

export type Seg = string | number;

/**
 * The YAML parser, loaded on first use: a pack starting from its build-time snapshot of an unchanged
 * ports.yaml (registry-snapshot.ts) never needs it, and loading it is a third of the start-up cost.
 */
let yamlModule: typeof import("yaml") | undefined;
export function yaml(): typeof import("yaml") {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (see above), which an import cannot be
    return (yamlModule ??= require("yaml") as typeof import("yaml"));
}

export interface Ctx {
    doc: Document;
    lc: LineCounter;
    problems: RegistryProblem[];
    /** Where each problem is, for listing them in file order. */
    offsets: Map<RegistryProblem, number>;
}

export function offsetOf(node: unknown): number | undefined {
    return (node as { range?: [number, number, number] } | null)?.range?.[0];
}

/** Offset of the node at a path; falls back to its key, then to the nearest ancestor with a position. */
export function offsetAt(ctx: Ctx, segs: readonly Seg[]): number | undefined {
    for (let n = segs.length; n >= 0; n--) {
        const prefix = segs.slice(0, n);
        const node = prefix.length === 0 ? ctx.doc.contents : ctx.doc.getIn(prefix, true);
        const offset = offsetOf(node) ?? (n === segs.length ? offsetOf(keyNodeAt(ctx, prefix)) : undefined);
        if (offset !== undefined) return offset;
    }
    return undefined;
}

export function lineAt(ctx: Ctx, segs: readonly Seg[]): number | undefined {
    const offset = offsetAt(ctx, segs);
    return offset === undefined ? undefined : ctx.lc.linePos(offset).line;
}

/** The key node of the last segment of a path into a mapping, e.g. the `prot` of an unknown key. */
export function keyNodeAt(ctx: Ctx, segs: readonly Seg[]): unknown {
    if (segs.length === 0) return undefined;
    const parentPath = segs.slice(0, -1);
    let parent = parentPath.length === 0 ? ctx.doc.contents : ctx.doc.getIn(parentPath, true);
    const { isAlias, isMap, isPair, isScalar } = yaml();
    if (isAlias(parent)) parent = parent.resolve(ctx.doc);
    if (!isMap(parent)) return undefined;
    const last = String(segs[segs.length - 1]);
    const pair = parent.items.find((it) => isPair(it) && String(isScalar(it.key) ? it.key.value : it.key) === last);
    return pair?.key;
}

export function formatPath(segs: readonly Seg[]): string {
    if (segs.length === 0) return "(top level)";
    let out = "";
    for (const s of segs) {
        if (typeof s === "number") out += `[${s}]`;
        else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out ? `.${s}` : s;
        else out += `[${JSON.stringify(s)}]`;
    }
    return out;
}

export function problemAt(ctx: Ctx, segs: readonly Seg[], message: string, offset = offsetAt(ctx, segs)): void {
    addProblem(ctx, { path: formatPath(segs), message }, offset);
}

export function addProblem(ctx: Ctx, problem: { path: string; message: string }, offset: number | undefined): void {
    const p: RegistryProblem = offset === undefined ? problem : { line: ctx.lc.linePos(offset).line, ...problem };
    ctx.problems.push(p);
    ctx.offsets.set(p, offset ?? -1);
}
