// Every inbound rule the checked stacks open, one row per rule: the ports it opens, the registry
// services they belong to, who can reach them, and the pack's verdict on that rule. Built from the
// pack's side-channel records (what each firewall opens, and the findings with the rules their
// items are about); judges nothing itself and reads no message text.
import type { OpeningsRecord } from "../driver/findings-channel";
import type { Opening } from "../policies/kit/openings";
import type { RuleRef } from "../policies/kit/findings";
import { CheckedStack, Finding, Level } from "./report";

export type Verdict = "blocked" | "advisory" | "allowed";

export interface PortMapRow {
    resource: { urn: string; name: string; type: string };
    rule: RuleRef;
    /** The rule's place among the resource's rules. */
    position: number;
    /** What the rule opens, a protocol at a time: "tcp/5432", "udp/53", "icmp/all types". */
    ports: string[];
    /** The registry services those ports belong to, in port order. */
    services: string[];
    /** Some of the ports belong to no service. */
    undocumented: boolean;
    sources: string;
    world: boolean;
    /** How a stateless rule is read, when it is not a service opening: return traffic or a pass-through. */
    reading?: Opening["reading"];
    verdict: Verdict;
    /** The policies behind the verdict (those at its level that name this rule). */
    policies: string[];
}

const RANK: Record<Verdict, number> = { blocked: 0, advisory: 1, allowed: 2 };

function verdictOf(findings: readonly Finding[], origin: string): { verdict: Verdict; policies: string[] } {
    const about = findings.filter((f) => f.items.some((i) => i.rule?.origin === origin));
    const at = (level: Level) => [...new Set(about.filter((f) => f.level === level).map((f) => f.policy))];
    const blocking = at("mandatory");
    if (blocking.length > 0) return { verdict: "blocked", policies: blocking };
    const notes = at("advisory");
    return notes.length > 0 ? { verdict: "advisory", policies: notes } : { verdict: "allowed", policies: [] };
}

function rowsOf(record: OpeningsRecord, findings: readonly Finding[]): PortMapRow[] {
    const mine = findings.filter((f) => f.urn === record.urn);
    const byRule = new Map<string, Opening[]>();
    for (const o of record.openings) byRule.set(o.rule.origin, [...(byRule.get(o.rule.origin) ?? []), o]);
    return [...byRule.values()].map((os) => {
        const reading = os.every((o) => o.reading === os[0].reading) ? os[0].reading : "service";
        return {
            resource: { urn: record.urn, name: record.name, type: record.type },
            rule: os[0].rule,
            position: os[0].position,
            ports: os.map((o) => `${o.protocol}/${o.ports}`),
            services: [...new Set(os.flatMap((o) => o.services))],
            undocumented: os.some((o) => o.undocumented),
            sources: [...new Set(os.map((o) => o.sources))].join("; "),
            world: os.some((o) => o.world),
            ...(reading !== "service" ? { reading } : {}),
            ...verdictOf(mine, os[0].rule.origin),
        };
    });
}

/**
 * The stack's rows: blocked first, then advisory, then allowed; by resource in stack order, then in
 * the order the provider evaluates the rules (rule number or priority, then their place).
 */
export function portMap(stack: CheckedStack): PortMapRow[] {
    const rows = stack.openings.flatMap((o) => rowsOf(o, stack.findings));
    const order = new Map(stack.openings.map((o, i) => [o.urn, i]));
    return rows.sort(
        (a, b) =>
            RANK[a.verdict] - RANK[b.verdict] ||
            order.get(a.resource.urn)! - order.get(b.resource.urn)! ||
            (a.rule.order ?? Infinity) - (b.rule.order ?? Infinity) ||
            a.position - b.position,
    );
}
