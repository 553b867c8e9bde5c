// How resources of one stack refer to each other: through property dependencies (the URNs an input
// was computed from) or, when the value is known, by a literal id or name.
import { StackResourceView } from "./policy-kit";
import { isUnknownValue } from "./values";

export interface Reference {
    urns: string[];
    literal?: string;
}

export function referenceOf(view: StackResourceView, property: string): Reference {
    const value = view.props[property];
    const literal = typeof value === "string" && value !== "" && !isUnknownValue(value) ? value : undefined;
    return { urns: view.propertyDependencies[property] ?? [], literal };
}

export function sameTarget(a: Reference, b: Reference): boolean {
    return a.urns.some((u) => b.urns.includes(u)) || (a.literal !== undefined && a.literal === b.literal);
}

/** Whether a reference points at the resource itself (its URN, or one of its identifying values). */
export function pointsAt(ref: Reference, target: StackResourceView): boolean {
    if (ref.urns.includes(target.urn)) return true;
    if (ref.literal === undefined) return false;
    return (target.model?.identityKeys ?? ["id"]).some((k) => target.props[k] === ref.literal);
}

/** The group or ACL a standalone rule belongs to, found through the stack. */
export function attachedGroup(view: StackResourceView, all: StackResourceView[]): StackResourceView | undefined {
    const key = view.model?.attachedTo;
    if (!key) return undefined;
    const ref = referenceOf(view, key);
    return all.find((g) => g !== view && g.model && !g.model.attachedTo && pointsAt(ref, g));
}
