// What a firewall opens inbound, rule by rule, for the local check's port map: the ports each allow
// really opens after earlier denies, the registry services they belong to, who may reach them and
// how the rule is read. The pack computes it from its own model, so the check never rebuilds one.
import { coversWorld } from "../model/addresses";
import { evaluate } from "../analysis/evaluate";
import { Reading, readingOf } from "../analysis/readings";
import { formatPorts } from "../model/intervals";
import { FirewallModel } from "../model/resources";
import { ConcreteProtocol } from "../model/protocol";
import { Registry } from "../registry";
import { RuleRef } from "./findings";
import { describePeers } from "./wording";

export interface Opening {
    rule: RuleRef;
    /** The rule's place among the resource's rules, for listing openings in rule order. */
    position: number;
    protocol: ConcreteProtocol;
    /** The ports opened ("5432", "all types" for ICMP), or "[secret]". */
    ports: string;
    /** The registry services those ports belong to, in port order. */
    services: string[];
    /** Some of the ports belong to no service. */
    undocumented: boolean;
    /** Who may reach them, as written ("0.0.0.0/0 and ::/0", "security-group sg-1"), secrets redacted. */
    sources: string;
    /** The sources cover a whole address family. */
    world: boolean;
    /** How a stateless rule is read: a service opening, return traffic, or a pass-through. */
    reading: Reading;
}

export function openingsOf(model: FirewallModel, registry: Registry): Opening[] {
    const out: Opening[] = [];
    for (const [rule, byProtocol] of evaluate(model.rules, "inbound").opened) {
        const ref: RuleRef = { origin: rule.origin, ...(rule.order !== undefined ? { order: rule.order } : {}) };
        for (const [protocol, ports] of byProtocol) {
            const secret = rule.secret.has("ports") || rule.secret.has("protocol");
            out.push({
                rule: ref,
                position: model.rules.indexOf(rule),
                protocol,
                ports: secret ? "[secret]" : protocol === "icmp" ? "all types" : formatPorts(ports, 8),
                services: registry.servicesOverlapping(protocol, ports).map((s) => s.name),
                undocumented: registry.judges(protocol) && !ports.subtract(registry.documented(protocol)).isEmpty,
                sources: describePeers(rule),
                world: coversWorld(rule.peers),
                reading: readingOf(rule, protocol, registry.ephemeralPorts),
            });
        }
    }
    return out;
}
