// A finding rule by rule, in the policy's own words: the items the pack recorded, grouped by the
// rule they are about, each group's sentences rendered from the policy's message templates with the
// item's data, and the fixes those items asked for. Reports that show one rule at a time (SARIF, the
// port map) use this instead of splitting the finding's message.
import { policies } from "../policies";
import { Fix, Item, Messages, render, RuleRef } from "../policies/kit/findings";
import { messagesOf } from "../policies/kit/run";
import { Finding } from "./report";

const MESSAGES = new Map<string, Messages>(policies.map((p) => [p.meta.name, messagesOf(p.meta)]));

export interface RuleGroup {
    /** The rule the items are about; undefined for items about the resource as a whole (or ports.yaml). */
    rule?: RuleRef;
    items: Item[];
    /** The sentences, then the fixes, one a line. */
    text: string;
}

function fixesFor(items: readonly Item[], fixes: readonly Fix[]): Fix[] {
    const wanted = new Set(items.map((i) => i.fix).filter((id): id is string => id !== undefined));
    return fixes.filter((f) => wanted.has(f.messageId));
}

function exemptionNote(f: Finding): string[] {
    const e = f.exemption;
    if (!e) return [];
    return [
        e.state === "expired"
            ? `The exemption on ports.yaml:${e.line} expired on ${e.expires}.`
            : `Exempted by ports.yaml:${e.line} until ${e.expires}.`,
    ];
}

/**
 * The finding's items grouped by rule, in the order the pack listed them. A finding the pack wrote no
 * record for, or one whose messages this version of the check cannot render, is one group with the
 * finding's message.
 */
export function ruleGroups(f: Finding): RuleGroup[] {
    const messages = MESSAGES.get(f.policy);
    if (f.items.length === 0 || !messages) return [{ items: f.items, text: f.message }];
    const groups = new Map<string, { rule?: RuleRef; items: Item[] }>();
    for (const item of f.items) {
        const key = item.rule?.origin ?? "";
        const g = groups.get(key) ?? { rule: item.rule, items: [] };
        g.items.push(item);
        groups.set(key, g);
    }
    try {
        return [...groups.values()].map((g) => ({
            ...g,
            text: [
                ...g.items.map((i) => render(messages, i.messageId, i.data)),
                ...fixesFor(g.items, f.fixes).map((x) => render(messages, x.messageId, x.data)),
                ...exemptionNote(f),
            ].join("\n"),
        }));
    } catch {
        return [{ items: f.items, text: f.message }];
    }
}
