// Every port the checked stacks open inbound, by registry service, with who can reach it and the
// pack's verdict on the rule. Reads the same rule model the policies use; judges nothing itself.
import { normaliseFirewall } from "../policies/adapters";
import { coversWorld } from "../policies/model/addresses";
import { evaluate } from "../policies/analysis/evaluate";
import { formatPorts, PortSet } from "../policies/model/intervals";
import { describePeers } from "../policies/kit/wording";
import { NormalisedRule } from "../policies/model/rules";
import { ConcreteProtocol } from "../policies/model/protocol";
import { Registry } from "../policies/registry";
import { fromWire } from "../policies/wire/secrets";
import { CheckedStack } from "./report";
import { StackResource } from "./types";

export type Verdict = "blocked" | "advisory" | "allowed";

export interface PortMapEntry {
    service: string;
    protocol: ConcreteProtocol;
    ports: string;
    sources: string;
    world: boolean;
    resource: StackResource;
    rule: string;
    verdict: Verdict;
    policies: string[];
}

function ruleVerdict(stack: CheckedStack, resource: StackResource, rule: NormalisedRule): { verdict: Verdict; policies: string[] } {
    const mine = stack.findings.filter((f) => f.urn === resource.urn && f.message.includes(`${rule.origin} (`));
    const blocking = mine.filter((f) => f.level === "mandatory");
    const shown = blocking.length > 0 ? blocking : mine;
    return { verdict: blocking.length > 0 ? "blocked" : mine.length > 0 ? "advisory" : "allowed", policies: [...new Set(shown.map((f) => f.policy))] };
}

export function portMap(stack: CheckedStack, registry: Registry): PortMapEntry[] {
    const out: PortMapEntry[] = [];
    for (const resource of stack.resources) {
        const { plain, secrets } = fromWire(resource.properties);
        const model = normaliseFirewall(resource.type, plain, secrets);
        if (!model) continue;
        for (const [rule, byProtocol] of evaluate(model.rules, "inbound").opened) {
            const base = {
                sources: describePeers(rule),
                world: coversWorld(rule.peers),
                resource,
                rule: rule.origin,
                ...ruleVerdict(stack, resource, rule),
            };
            const secretPorts = rule.secret.has("ports");
            for (const [protocol, ports] of byProtocol) {
                const row = (service: string, p: PortSet) =>
                    out.push({ ...base, service, protocol, ports: secretPorts ? "[secret]" : protocol === "icmp" ? "all types" : formatPorts(p, 4) });
                for (const s of registry.servicesOverlapping(protocol, ports)) row(s.name, s.ports.intersect(ports));
                const undocumented = ports.subtract(registry.documented(protocol));
                if (!undocumented.isEmpty) row("(undocumented)", undocumented);
            }
        }
    }
    return out.sort((a, b) => a.service.localeCompare(b.service) || a.protocol.localeCompare(b.protocol) || a.resource.name.localeCompare(b.resource.name));
}
