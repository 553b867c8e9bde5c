// Kubernetes label selectors and label sets, as the API server matches them: read from inputs into
// model values (rows of requirements) by the adapters, and matched by the graph assembler. A value
// unknown until update makes a match "maybe", never a yes or a no.
import { isUnknownValue, TopologyValue } from "../../model/topology";
import { Input } from "../support/input";

export type Row = Readonly<Record<string, TopologyValue>>;
/** A selector's requirements (every one must hold; none: everything), or unknown until update. */
export type SelectorValue = readonly Row[] | { unknown: string };

export type Match = "yes" | "no" | "maybe";

const OPERATORS = new Set(["In", "NotIn", "Exists", "DoesNotExist"]);

function isMap(input: Input): boolean {
    return input.value !== null && typeof input.value === "object" && !Array.isArray(input.value);
}

/** `matchLabels` or a Service's `spec.selector`: each key equal to its value. */
function labelRows(map: Input, rows: Row[]): boolean {
    if (map.missing) return true;
    if (map.unknown || !isMap(map)) return false;
    for (const key of Object.keys(map.value as object)) {
        const v = map.get(key);
        rows.push({
            key,
            operator: "In",
            values: v.unknown ? { unknown: v.path } : typeof v.value === "string" ? [v.value] : { unknown: v.path },
        });
    }
    return true;
}

/** A LabelSelector (`matchLabels` and `matchExpressions`); a missing one selects everything. */
export function readLabelSelector(sel: Input): SelectorValue {
    if (sel.missing) return [];
    if (sel.unknown || !isMap(sel)) return { unknown: sel.path };
    const rows: Row[] = [];
    if (!labelRows(sel.get("matchLabels"), rows)) return { unknown: sel.get("matchLabels").path };
    const exprs = sel.get("matchExpressions");
    const items = exprs.items();
    if (items === "unknown" || items === "invalid") return { unknown: exprs.path };
    for (const e of items) {
        if (e.unknown || e.get("key").unknown || e.get("operator").unknown) {
            rows.push({ key: { unknown: e.path } });
            continue;
        }
        const key = e.get("key").string();
        const op = e.get("operator").string();
        const values = e.get("values");
        const list = values.items();
        const texts = Array.isArray(list) ? list.map((v) => (v.unknown || typeof v.value !== "string" ? undefined : v.value)) : [undefined];
        const known = texts.every((t) => t !== undefined);
        // An expression the API server would reject: the object is rejected with it, so it selects nothing.
        if (key === undefined || op === undefined || !OPERATORS.has(op)) rows.push({ unreadable: e.path });
        else rows.push({ key, operator: op, values: known ? texts : values.missing ? [] : { unknown: values.path } });
    }
    return rows;
}

/** A Service's `spec.selector` (a plain label map); undefined when it has none (its endpoints are managed by hand). */
export function readSelectorMap(map: Input): SelectorValue | undefined {
    if (map.missing) return undefined;
    const rows: Row[] = [];
    return labelRows(map, rows) ? rows : { unknown: map.path };
}

export function isSelector(v: unknown): v is SelectorValue {
    return Array.isArray(v) || isUnknownValue(v);
}

/** Labels as far as the stack tells them: known values, keys whose value is unknown, and whether other keys may exist too. */
export interface LabelSet {
    known: Readonly<Record<string, string>>;
    unknownKeys: ReadonlySet<string>;
    /** The whole map is unknown until update, or the object is outside the stack (a namespace by name only). */
    othersUnknown: boolean;
}

export function and(a: Match, b: Match): Match {
    if (a === "no" || b === "no") return "no";
    return a === "maybe" || b === "maybe" ? "maybe" : "yes";
}

function requirement(r: Row, labels: LabelSet): Match {
    const key = r.key;
    const op = r.operator;
    if (typeof key !== "string" || typeof op !== "string") return "maybe";
    const present: Match = key in labels.known ? "yes" : labels.unknownKeys.has(key) || labels.othersUnknown ? "maybe" : "no";
    if (op === "Exists") return present;
    if (op === "DoesNotExist") return present === "yes" ? "no" : present === "no" ? "yes" : "maybe";
    const values = r.values;
    const value = labels.known[key];
    const inSet: Match =
        present === "no" ? "no" : !Array.isArray(values) || value === undefined ? "maybe" : values.includes(value) ? "yes" : "no";
    if (op === "In") return inSet;
    // NotIn also holds where the key is absent.
    return inSet === "yes" ? "no" : inSet === "no" ? "yes" : "maybe";
}

/** Whether a selector selects an object with these labels. */
export function matches(sel: SelectorValue, labels: LabelSet): Match {
    if (!Array.isArray(sel)) return "maybe";
    let m: Match = "yes";
    for (const r of sel as readonly Row[]) {
        if ("unreadable" in r) return "no";
        m = and(m, requirement(r, labels));
        if (m === "no") return m;
    }
    return m;
}

/** A selector that selects everything (`{}`). */
export function selectsAll(sel: SelectorValue): boolean {
    return Array.isArray(sel) && sel.length === 0;
}
