// Findings as data. A policy reports items by message id with data (as typescript-eslint rules do);
// the items of one resource and level become one finding, whose message lists each item on its own
// line in rule order, capped, with each distinct fix once at the end. The same record goes to the
// local check through a side channel, so nothing downstream reads message text.
import { NormalisedRule } from "../model/rules";

export type Data = Readonly<Record<string, string | number>>;

/**
 * Message templates by id: text with `{{name}}` placeholders filled from the item's data. An id may
 * also have a list form, `<id>.header` and `<id>.line`: two or more items that share a header are
 * listed under it, one line each, instead of repeating the sentence.
 */
export type Messages = Readonly<Record<string, string>>;

export interface RuleRef {
    /** Where the rule came from: `ingress[1]`, `securityRules[0]`, `this rule`. */
    origin: string;
    /** Evaluation order (NACL rule number, NSG priority) when the provider orders rules. */
    order?: number;
}

export interface Item {
    messageId: string;
    data: Data;
    rule?: RuleRef;
    /** The id of the fix this item asked for. */
    fix?: string;
}

export interface Fix {
    messageId: string;
    data: Data;
}

export interface FixSpec {
    messageId: string;
    data?: Data;
    /**
     * Fixes with the same key are one fix, given once with the first one's data (its example entry);
     * by default the rendered text is the key.
     */
    key?: string;
}

/** What a policy says about one thing: a message id, its data, the rule it is about and the fix. */
export interface ItemSpec {
    rule?: NormalisedRule;
    /** Where the item is when it is about no rule of the model (an unreadable element `ingress[5]`). */
    ref?: RuleRef;
    fix?: FixSpec;
    /** For stack findings about ports.yaml itself (an unused exemption): the line in ports.yaml. */
    registryLine?: number;
}

export interface FindingRecord {
    policy: string;
    /** Absent for findings about the stack or ports.yaml rather than one resource. */
    urn?: string;
    /** Reported with advise(): advisory whatever the policy's level. */
    advisory: boolean;
    /** The message as sent to the engine. */
    message: string;
    /** Every item, also those the message leaves out past the cap. */
    items: Item[];
    fixes: Fix[];
    registryLine?: number;
    exemption?: { line: number; expires: string; state: "active" | "expired" };
}

/** Lines a finding's message lists before "… and N more": enough to act on, few enough to read. */
export const MAX_LISTED_ITEMS = 10;

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/** Fills a template; a placeholder without data is a bug in the policy, and says so. */
export function render(messages: Messages, messageId: string, data: Data): string {
    const template = Object.prototype.hasOwnProperty.call(messages, messageId) ? messages[messageId] : undefined;
    if (template === undefined) throw new Error(`unknown message id ${messageId}`);
    return template.replace(PLACEHOLDER, (_, name: string) => {
        if (!Object.prototype.hasOwnProperty.call(data, name)) throw new Error(`message ${messageId} needs {{${name}}}`);
        return String(data[name]);
    });
}

/** The placeholders a template uses, for the meta-test. */
export function placeholders(template: string): string[] {
    return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

interface Pending {
    urn?: string;
    advisory: boolean;
    items: { item: Item; position: number; seq: number }[];
    /** Distinct fixes in order, with their keys (a finding has one or two). */
    fixes: { key?: string; fix: Fix }[];
    registryLine?: number;
}

function sameFix(a: { key?: string; fix: Fix }, key: string | undefined, fix: Fix): boolean {
    if (a.key !== undefined || key !== undefined) return a.key === key;
    if (a.fix.messageId !== fix.messageId) return false;
    const ka = Object.keys(a.fix.data);
    return ka.length === Object.keys(fix.data).length && ka.every((k) => a.fix.data[k] === fix.data[k]);
}

/**
 * Collects the items a policy reports during one check and turns them into one finding per resource
 * and level. Items are ordered as the provider evaluates the rules: by rule number or priority, then
 * by their place in the resource (`position`), items about no rule first.
 */
export class FindingCollector {
    private readonly pending = new Map<string, Pending>();
    private seq = 0;

    constructor(
        private readonly policy: string,
        private readonly messages: Messages,
    ) {}

    add(urn: string | undefined, advisory: boolean, messageId: string, data: Data, spec: ItemSpec, position: number): void {
        // Stack findings about ports.yaml stand alone: each points at its own line.
        const key = spec.registryLine !== undefined ? `line:${spec.registryLine}:${advisory}` : `${urn ?? ""}|${advisory}`;
        let p = this.pending.get(key);
        if (!p) this.pending.set(key, (p = { urn, advisory, items: [], fixes: [], registryLine: spec.registryLine }));
        const rule = spec.rule
            ? { origin: spec.rule.origin, ...(spec.rule.order !== undefined ? { order: spec.rule.order } : {}) }
            : spec.ref;
        p.items.push({
            item: { messageId, data, ...(rule ? { rule } : {}), ...(spec.fix ? { fix: spec.fix.messageId } : {}) },
            position,
            seq: this.seq++,
        });
        if (spec.fix) {
            const fix = { messageId: spec.fix.messageId, data: spec.fix.data ?? {} };
            const fixKey = spec.fix.key;
            if (!p.fixes.some((f) => sameFix(f, fixKey, fix))) p.fixes.push({ key: fixKey, fix });
        }
    }

    /** The findings, in the order their first item was reported. */
    findings(): FindingRecord[] {
        return [...this.pending.values()].map((p) => {
            const sorted = [...p.items].sort(byRuleOrder).map((x) => x.item);
            const fixes = p.fixes.map((f) => f.fix);
            return {
                policy: this.policy,
                ...(p.urn !== undefined ? { urn: p.urn } : {}),
                advisory: p.advisory,
                message: formatFinding(this.messages, sorted, fixes),
                items: sorted,
                fixes,
                ...(p.registryLine !== undefined ? { registryLine: p.registryLine } : {}),
            };
        });
    }
}

/**
 * A finding's message: each item on its own line (items that share a list header under it), the
 * first MAX_LISTED_ITEMS of them, "… and N more", then each fix.
 */
export function formatFinding(messages: Messages, items: readonly Item[], fixes: readonly Fix[]): string {
    const has = (id: string) => Object.prototype.hasOwnProperty.call(messages, id);
    const shown = items.slice(0, MAX_LISTED_ITEMS);
    // Items that share a list header are listed under it, where the first of them stands.
    const blocks: { header?: string; items: Item[] }[] = [];
    const byHeader = new Map<string, { header?: string; items: Item[] }>();
    for (const item of shown) {
        const header =
            has(`${item.messageId}.header`) && has(`${item.messageId}.line`)
                ? render(messages, `${item.messageId}.header`, item.data)
                : undefined;
        const block = header !== undefined ? byHeader.get(header) : undefined;
        if (block) block.items.push(item);
        else {
            const b = { header, items: [item] };
            blocks.push(b);
            if (header !== undefined) byHeader.set(header, b);
        }
    }
    const lines: string[] = [];
    for (const b of blocks) {
        if (b.items.length === 1 || b.header === undefined) lines.push(...b.items.map((i) => render(messages, i.messageId, i.data)));
        else lines.push(b.header, ...b.items.map((i) => `- ${render(messages, `${i.messageId}.line`, i.data)}`));
    }
    const rest = items.slice(MAX_LISTED_ITEMS);
    if (rest.length > 0) {
        const origins = [...new Set(rest.map((i) => i.rule?.origin).filter((o): o is string => o !== undefined))];
        const allRules = rest.every((i) => i.rule !== undefined) && origins.length === rest.length;
        const what = allRules ? (rest.length === 1 ? "rule" : "rules") : rest.length === 1 ? "finding" : "findings";
        lines.push(`… and ${rest.length} more ${what}${origins.length > 0 ? `: ${listNames(origins, 6)}` : ""}.`);
    }
    for (const f of fixes) lines.push(render(messages, f.messageId, f.data));
    return lines.join("\n");
}

function byRuleOrder(a: { item: Item; position: number; seq: number }, b: { item: Item; position: number; seq: number }): number {
    const ra = a.item.rule;
    const rb = b.item.rule;
    if (!ra || !rb) return (ra ? 1 : 0) - (rb ? 1 : 0) || a.seq - b.seq;
    return (ra.order ?? Infinity) - (rb.order ?? Infinity) || a.position - b.position || a.seq - b.seq;
}

/**
 * "a, b and c"; past `max` names, "a, b, … and N more" with N at least 2: a list that would end in
 * "and 1 more" names that one instead.
 */
export function listNames(items: readonly string[], max = 5): string {
    if (items.length <= max + 1) {
        return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
    }
    return `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}
