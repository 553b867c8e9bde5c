// Wording shared by the policies: ports with their registry services, rules with their sources, the
// provider's own words for a fix, and the notes for values that cannot be verified. Values that
// came from secrets are never printed.
import { Data, ItemSpec, listNames, Messages } from "./findings";
import { formatPorts, PortSet, portsKey } from "../model/intervals";
import { BoundedMemo, WeakMemo } from "../base/memo";
import { FirewallModel } from "../model/resources";
import { Direction, NormalisedRule, RulePart, ruleLabel, RuleTerms } from "../model/rules";
import { ConcreteProtocol } from "../model/protocol";
import { Registry } from "../registry";

export { listNames, ruleLabel };

export function portCount(ports: PortSet): number {
    return ports.intervals.reduce((n, [a, b]) => n + (b - a + 1), 0);
}

function anySecret(rules: readonly NormalisedRule[], part: RulePart): boolean {
    return rules.some((r) => r.secret.has(part));
}

/** "tcp 5432 (postgres), 8080-8090 (undocumented)"; "icmp"; redacted when the ports were secret. */
export function describePorts(registry: Registry, protocol: ConcreteProtocol, ports: PortSet, rules: readonly NormalisedRule[]): string {
    if (anySecret(rules, "ports") || anySecret(rules, "protocol")) return `${protocol} [secret ports]`;
    // The policies describe the same ports of a resource again and again (and a registry never changes).
    const memo = descriptions.get(registry);
    const key = portsKey(ports);
    return memo.get(key === undefined ? undefined : `${protocol}|${key}`, () => describeServices(registry, protocol, ports));
}
const descriptions = new WeakMemo<Registry, BoundedMemo<string>>(() => new BoundedMemo(1000));

function describeServices(registry: Registry, protocol: ConcreteProtocol, ports: PortSet): string {
    if (protocol === "icmp") {
        const svc = registry.servicesOverlapping("icmp", ports);
        if (!registry.judges("icmp")) return "icmp";
        return svc.length > 0 ? `icmp (${svc.map((s) => s.name).join(", ")})` : "icmp (undocumented)";
    }
    // Only the parts shown are formatted: 0-65535 against a 500-service registry names five.
    const services = registry.servicesOverlapping(protocol, ports);
    const undocumented = ports.subtract(registry.documented(protocol));
    const total = services.length + (undocumented.isEmpty ? 0 : 1);
    // "and 1 more" would hide what one more part shows.
    const shown = total === SERVICES_SHOWN + 1 ? total : Math.min(total, SERVICES_SHOWN);
    const parts = services.slice(0, shown).map((s) => `${formatPorts(s.ports.intersect(ports), 4)} (${s.name})`);
    if (parts.length < shown) {
        const n = portCount(undocumented);
        parts.push(`${formatPorts(undocumented, 4)} (${n === 1 ? "undocumented" : `${n} undocumented ports`})`);
    }
    return `${protocol} ${parts.join(", ")}${total > shown ? ` and ${total - shown} more` : ""}`;
}
const SERVICES_SHOWN = 5;

/** Azure's 0.0.0.0-0.0.0.0 database firewall rule, in words: a named source, not an address range. */
export const AZURE_SERVICES_TEXT = "Azure services (the 0.0.0.0 rule: any Azure tenant's addresses)";

/** Where a reference stands, within its rule when the rule is an element of a list (`securityGroups[1]` of `ingress[0]`). */
function refPath(origin: string, path: string): string {
    return path.startsWith(`${origin}.`) ? path.slice(origin.length + 1) : path;
}

/** The peers of a rule as written: CIDRs and named sources, or "[secret source]". */
export function describePeers(rule: NormalisedRule): string {
    if (rule.secret.has("peers")) return rule.direction === "outbound" ? "[secret destination]" : "[secret source]";
    const names = [...rule.peers.cidrs];
    // Unnamed (an id unknown until update): where the reference stands says which group it is.
    for (const s of rule.peers.symbols)
        names.push(
            s.kind === "azure-services"
                ? AZURE_SERVICES_TEXT
                : s.id
                  ? `${s.kind} ${s.id}`
                  : s.ref
                    ? `${s.kind} in \`${refPath(rule.origin, s.ref.path ?? s.ref.property)}\``
                    : s.kind,
        );
    if (rule.peers.unknown) {
        // A placeholder for config the stack does not set is not "unknown until update": name the key.
        const peers = rule.unresolved.filter((u) => u.part === "peers");
        const unset = peers.filter((u) => u.reason === "unset-config");
        names.push(...new Set(unset.map((u) => (u.detail ? `unset config \`${u.detail}\`` : "unset config"))));
        if (unset.length === 0 || unset.length < peers.length) names.push("values unknown until update");
    }
    return names.length > 0 ? listNames(names) : rule.direction === "outbound" ? "no destination" : "no source";
}

/** "ingress[0]", with the provider's order where it decides: "ingress[0] (rule 100)", `securityRules[2] "SSH" (priority 200)`. */
export function ruleName(rule: NormalisedRule): string {
    const order = orderText(rule);
    return order ? `${ruleLabel(rule)} (${order})` : ruleLabel(rule);
}

/** "rule 100", "priority 200"; nothing where the provider does not order rules, or the order was secret. */
export function orderText(rule: NormalisedRule): string | undefined {
    if (rule.order === undefined || !rule.terms.order || rule.secret.has("order")) return undefined;
    return `${rule.terms.order} ${rule.order}`;
}

/** "ingress[0] (rule 100, from 0.0.0.0/0)": the rule, its order where it decides, and its peers. */
export function describeRule(rule: NormalisedRule): string {
    const side = rule.direction === "outbound" ? "to" : "from";
    const order = orderText(rule);
    return `${ruleLabel(rule)} (${order ? `${order}, ` : ""}${side} ${describePeers(rule)})`;
}

export function describeRules(rules: readonly NormalisedRule[]): string {
    return listNames(rules.map(describeRule), 4);
}

/** Where sources must lie, for a fix: "known ranges (knownCidrs: 10.0.0.0/8 and fd00::/8)". */
export function knownRanges(registry: Registry): string {
    return registry.knownCidrs.texts.length > 0
        ? `known ranges (knownCidrs: ${listNames(registry.knownCidrs.texts)})`
        : "known ranges (list your networks under knownCidrs)";
}

/** The data every fix that narrows a rule's peers takes, in the provider's words. */
export function peerFixData(terms: RuleTerms, registry: Registry): Data {
    return { ruleKind: terms.rule, peers: terms.peers, known: knownRanges(registry), named: terms.named ? ` or use ${terms.named}` : "" };
}

/** How to stop opening undocumented ports, in the provider's words: change the ports, or let the platform pick them. */
export function portsFixText(terms: RuleTerms): string {
    return terms.unsetPorts ?? `change the ${terms.rule}'s ${terms.ports} to documented ports`;
}

/** Above this many undocumented ports the fix is a narrower rule, not a registry entry. */
export const WIDE_PORT_COUNT = 100;

/** A ready-to-paste ports.yaml entry for undocumented ports; empty when there are none or too many to document. */
export function registryEntryHint(
    protocol: ConcreteProtocol,
    ports: PortSet,
    publicPort: boolean,
    rules: readonly NormalisedRule[],
): string {
    if (ports.isEmpty || (protocol !== "icmp" && portCount(ports) > WIDE_PORT_COUNT)) return "";
    const list = anySecret(rules, "ports")
        ? "<port>"
        : ports.intervals
              .slice(0, 4)
              .map(([a, b]) => (a === b ? `${a}` : `"${a}-${b}"`))
              .join(", ");
    const portList = protocol === "icmp" ? "" : ` ports: [${list}],`;
    return `{ name: <service>,${portList} protocol: ${protocol},${publicPort ? " public: true," : ""} owner: <team> }`;
}

/** Messages every policy can report: notes for what cannot be verified, and the kit's own internal error. */
export const COMMON_MESSAGES: Messages = {
    listUnknown: "{{path}} is unknown until update: the rules in it cannot be verified yet.",
    "listUnknown.header": "These inputs are unknown until update, so the rules in them cannot be verified yet:",
    "listUnknown.line": "{{path}}",
    listUnreadable: "{{problem}}: the rules in it cannot be verified.",
    "listUnreadable.header": "These inputs cannot be read, so the rules in them cannot be verified:",
    "listUnreadable.line": "{{problem}}",
    ruleUnknown: "{{rule}} cannot be verified until update: preview does not know {{paths}}.",
    "ruleUnknown.header": "These rules cannot be verified until update, since preview does not know the values named:",
    "ruleUnknown.line": "{{rule}}: {{paths}}",
    ruleUnset:
        "{{rule}} cannot be checked, since the stack does not set the config {{keys}} it is built from; set it to have the rule checked.",
    "ruleUnset.header":
        "These rules cannot be checked, since the stack does not set the config they are built from (set it to have them checked):",
    "ruleUnset.line": "{{rule}}: {{keys}}",
    ruleUnreadable: "{{rule}} could not be fully read: {{problems}}. Fix the value; the provider will reject it too.",
    "ruleUnreadable.header": "These rules could not be fully read (fix the values; the provider will reject them too):",
    "ruleUnreadable.line": "{{rule}}: {{problems}}",
    ruleElsewhere:
        "{{rule}} cannot be verified from this resource alone: {{problems}}. Write the value itself (a port number) to have it checked.",
    "ruleElsewhere.header":
        "These rules cannot be verified from this resource alone (write the values themselves, port numbers, to have them checked):",
    "ruleElsewhere.line": "{{rule}}: {{problems}}",
    internalError:
        "{{policy}} could not check {{what}} (internal error: {{described}}). Nothing was verified; please report this with the resource's shape (not its values).",
};

type Advise = (messageId: string, data: Data, spec?: ItemSpec) => void;

/** Advisory notes for values that are unknown in preview or could not be read, one per list or rule. */
export function adviseUnresolved(
    advise: Advise,
    resource: FirewallModel,
    rules: readonly NormalisedRule[],
    direction: Direction = "inbound",
): void {
    for (const issue of resource.unknown) {
        if (!issue.direction || issue.direction === direction) advise("listUnknown", { path: issue.path }, { ref: { origin: issue.path } });
    }
    for (const issue of resource.problems) {
        if (!issue.direction || issue.direction === direction)
            advise("listUnreadable", { problem: issue.message }, { ref: { origin: issue.path } });
    }
    for (const rule of rules) {
        const unknown = rule.unresolved.filter((u) => u.reason === "unknown").map((u) => u.path);
        const unset = [...new Set(rule.unresolved.filter((u) => u.reason === "unset-config").map((u) => u.detail ?? ""))];
        const invalid = rule.unresolved.filter((u) => u.reason === "invalid").map((u) => `${u.path} ${u.detail}`);
        const elsewhere = rule.unresolved.filter((u) => u.reason === "unverifiable").map((u) => `${u.path} ${u.detail}`);
        const name = ruleName(rule);
        if (unknown.length > 0) advise("ruleUnknown", { rule: name, paths: listNames(unknown) }, { rule });
        if (unset.length > 0) advise("ruleUnset", { rule: name, keys: listNames(unset) }, { rule });
        if (invalid.length > 0) advise("ruleUnreadable", { rule: name, problems: listNames(invalid) }, { rule });
        if (elsewhere.length > 0) advise("ruleElsewhere", { rule: name, problems: listNames(elsewhere) }, { rule });
    }
}
