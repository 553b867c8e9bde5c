// How resources of one stack refer to each other: through property dependencies (the URNs an input
// was computed from) or, when the value is known, by a literal id or name.
import { StackResourceView } from "../kit/policy-kit";
import { isUnknownValue } from "../adapters/support/input";

export interface Reference {
    urns: string[];
    literal?: string;
}

export function referenceOf(view: StackResourceView, property: string): Reference {
    const value = view.props[property];
    const literal = typeof value === "string" && value !== "" && !isUnknownValue(value) ? value : undefined;
    return { urns: view.propertyDependencies[property] ?? [], literal };
}

/** The values a literal reference to the resource may hold: its identifying properties (default `id`). */
function identityValues(target: StackResourceView): string[] {
    const out: string[] = [];
    for (const k of target.model?.identityKeys ?? ["id"]) {
        const v = target.props[k];
        if (typeof v === "string") out.push(v);
    }
    return out;
}

/**
 * Where the groups of one stack are, by URN and by identifying value, so that finding the group of
 * each of 10,000 standalone rules is a lookup rather than a scan of the stack (which made the stack
 * policies quadratic).
 */
interface GroupIndex {
    byUrn: Map<string, number>;
    byValue: Map<string, number>;
}
const groupIndexes = new WeakMap<readonly StackResourceView[], GroupIndex>();

function groupIndex(all: readonly StackResourceView[]): GroupIndex {
    let index = groupIndexes.get(all);
    if (index) return index;
    index = { byUrn: new Map(), byValue: new Map() };
    all.forEach((g, i) => {
        if (!g.model || g.model.attachedTo) return;
        if (!index!.byUrn.has(g.urn)) index!.byUrn.set(g.urn, i);
        for (const v of identityValues(g)) if (!index!.byValue.has(v)) index!.byValue.set(v, i);
    });
    groupIndexes.set(all, index);
    return index;
}

/** The group or ACL a standalone rule belongs to, found through the stack: the first that it points at. */
export function attachedGroup(view: StackResourceView, all: readonly StackResourceView[]): StackResourceView | undefined {
    const key = view.model?.attachedTo;
    if (!key) return undefined;
    const ref = referenceOf(view, key);
    const { byUrn, byValue } = groupIndex(all);
    let first = Infinity;
    for (const u of ref.urns) first = Math.min(first, byUrn.get(u) ?? Infinity);
    if (ref.literal !== undefined) first = Math.min(first, byValue.get(ref.literal) ?? Infinity);
    return first === Infinity ? undefined : all[first];
}

/** What a set of references points at, for asking "does any of them point at this?" in constant time. */
export class ReferenceIndex {
    private readonly urns = new Set<string>();
    private readonly literals = new Set<string>();

    add(ref: Reference): void {
        for (const u of ref.urns) this.urns.add(u);
        if (ref.literal !== undefined) this.literals.add(ref.literal);
    }

    /** Whether some reference added shares a dependency URN or the literal value with `ref` (the same network, say). */
    hasSameTarget(ref: Reference): boolean {
        return ref.urns.some((u) => this.urns.has(u)) || (ref.literal !== undefined && this.literals.has(ref.literal));
    }

    /** Whether some reference added points at the resource itself: its URN, or one of its identifying values. */
    pointsAt(target: StackResourceView): boolean {
        return this.urns.has(target.urn) || identityValues(target).some((v) => this.literals.has(v));
    }
}
