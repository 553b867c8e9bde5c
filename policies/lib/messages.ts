// Wording shared by the policies: ports with their registry services, sources, unresolved values.
// Values that came from secrets are never printed.
import { formatPorts, PortSet, portsKey } from "./intervals";
import { BoundedMemo } from "./memo";
import { Direction, NormalisedResource, NormalisedRule, RulePart } from "./model";
import { ConcreteProtocol } from "./protocol";
import { Registry } from "./registry";

const MAX_LISTED = 3;

export function listed(items: string[], max = MAX_LISTED): string {
    if (items.length <= max) return items.join(", ");
    return `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}

export function portCount(ports: PortSet): number {
    return ports.intervals.reduce((n, [a, b]) => n + (b - a + 1), 0);
}

function anySecret(rules: NormalisedRule[], part: RulePart): boolean {
    return rules.some((r) => r.secret.has(part));
}

/** "tcp 5432 (postgres), 8080-8090 (undocumented)"; "icmp"; redacted when the ports were secret. */
export function describePorts(registry: Registry, protocol: ConcreteProtocol, ports: PortSet, rules: NormalisedRule[]): string {
    if (anySecret(rules, "ports") || anySecret(rules, "protocol")) return `${protocol} [secret ports]`;
    // The policies describe the same ports of a resource again and again (and a registry never changes).
    let memo = descriptions.get(registry);
    if (!memo) descriptions.set(registry, (memo = new BoundedMemo(1000)));
    const key = portsKey(ports);
    return memo.get(key === undefined ? undefined : `${protocol}|${key}`, () => describeServices(registry, protocol, ports));
}
const descriptions = new WeakMap<Registry, BoundedMemo<string>>();

function describeServices(registry: Registry, protocol: ConcreteProtocol, ports: PortSet): string {
    if (protocol === "icmp") {
        const svc = registry.servicesOverlapping("icmp", ports);
        return svc.length > 0 ? `icmp (${svc.map((s) => s.name).join(", ")})` : "icmp (undocumented)";
    }
    // Only the parts shown are formatted: 0-65535 against a 500-service registry names five.
    const services = registry.servicesOverlapping(protocol, ports);
    const undocumented = ports.subtract(registry.documented(protocol));
    const total = services.length + (undocumented.isEmpty ? 0 : 1);
    const shown = Math.min(total, SERVICES_SHOWN);
    const parts = services.slice(0, shown).map((s) => `${formatPorts(s.ports.intersect(ports), 4)} (${s.name})`);
    if (parts.length < shown) {
        const n = portCount(undocumented);
        parts.push(`${formatPorts(undocumented, 4)} (${n === 1 ? "undocumented" : `${n} undocumented ports`})`);
    }
    return `${protocol} ${parts.join(", ")}${total > shown ? ` and ${total - shown} more` : ""}`;
}
const SERVICES_SHOWN = 5;

/** The peers of a rule as written: CIDRs and named sources, or "[secret source]". */
export function describePeers(rule: NormalisedRule): string {
    if (rule.secret.has("peers")) return "[secret source]";
    const names = [...rule.peers.cidrs];
    for (const s of rule.peers.symbols) names.push(s.id ? `${s.kind} ${s.id}` : s.kind);
    if (rule.peers.unknown) names.push("values unknown until update");
    return names.length > 0 ? listed(names) : "no source";
}

export function describeRules(rules: NormalisedRule[]): string {
    if (rules.length === 1) return `${rules[0].origin} (from ${describePeers(rules[0])})`;
    return `${listed(rules.map((r) => `${r.origin} (from ${describePeers(r)})`), 4)} together`;
}

export function knownCidrsHint(registry: Registry): string {
    return registry.knownCidrs.texts.length > 0
        ? `a known range from knownCidrs in ports.yaml (${listed(registry.knownCidrs.texts)})`
        : "a known CIDR block (list your networks under knownCidrs in ports.yaml)";
}

/** Above this many undocumented ports the fix is a narrower rule, not a registry entry. */
export const WIDE_PORT_COUNT = 100;

/** A ready-to-paste ports.yaml entry for undocumented ports; empty when there are none or too many to document. */
export function registryEntryHint(protocol: ConcreteProtocol, ports: PortSet, publicPort: boolean, rules: NormalisedRule[]): string {
    if (ports.isEmpty || portCount(ports) > WIDE_PORT_COUNT) return "";
    const list = anySecret(rules, "ports") ? "<port>" : ports.intervals.slice(0, 4).map(([a, b]) => (a === b ? `${a}` : `"${a}-${b}"`)).join(", ");
    const portList = protocol === "icmp" ? "" : ` ports: [${list}],`;
    return `{ name: <service>,${portList} protocol: ${protocol},${publicPort ? " public: true," : ""} owner: <team> }`;
}

/**
 * Unresolved rules (or lists) each get their own notes up to this many; the rest share one note, so
 * 5,000 unreadable rules do not bury a preview.
 */
export const MAX_UNRESOLVED_RULES = 5;

/** Advisory notes for values that are unknown in preview or could not be read. */
export function unresolvedNotes(resource: NormalisedResource, rules: NormalisedRule[], policy: string, direction: Direction = "inbound"): string[] {
    const notes: string[] = [];
    const more: string[] = [];
    let noted = 0;
    for (const issue of [...resource.unknown, ...resource.problems]) {
        if (issue.direction && issue.direction !== direction) continue;
        if (noted++ < MAX_UNRESOLVED_RULES) notes.push(`${issue.message}; ${policy} cannot verify the rules in it yet.`);
        else more.push(issue.path);
    }
    for (const rule of rules) {
        if (rule.unresolved.length === 0) continue;
        if (noted++ < MAX_UNRESOLVED_RULES) notes.push(...ruleNotes(rule, policy));
        else more.push(rule.origin);
    }
    if (more.length > 0) {
        notes.push(`… and ${more.length} more ${more.length === 1 ? "rule" : "rules"} of this resource cannot be verified (${listed(more)}); ` +
            `${policy} notes only the first ${MAX_UNRESOLVED_RULES} one by one.`);
    }
    return notes;
}

function ruleNotes(rule: NormalisedRule, policy: string): string[] {
    const notes: string[] = [];
    const unknown = rule.unresolved.filter((u) => u.reason === "unknown").map((u) => u.path);
    const invalid = rule.unresolved.filter((u) => u.reason === "invalid").map((u) => `${u.path} ${u.detail}`);
    if (unknown.length > 0) {
        notes.push(`${rule.origin} cannot be verified until update: ${listed(unknown)} ${unknown.length === 1 ? "is" : "are"} unknown during preview. ${policy} checks it again when the values are known.`);
    }
    if (invalid.length > 0) {
        notes.push(`${rule.origin} could not be fully read: ${listed(invalid)}. Fix the value; the provider will reject it too.`);
    }
    const elsewhere = rule.unresolved.filter((u) => u.reason === "unverifiable").map((u) => `${u.path} ${u.detail}`);
    if (elsewhere.length > 0) {
        notes.push(`${rule.origin} cannot be verified from this resource alone: ${listed(elsewhere)}. ${policy} cannot judge what it opens; write the value itself (a port number) to have it checked.`);
    }
    return notes;
}
