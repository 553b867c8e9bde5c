import { networkGraph, workloadsOf } from "../analysis/graph";
import { checkFlow, FlowEnd, FlowResult, Peer, peerOf } from "../analysis/paths";
import { StackPolicyDefinition } from "../kit/definition";
import { FixSpec } from "../kit/findings";
import { describeBlock, describeLayer, ruleKind } from "../kit/paths-wording";
import { listNames } from "../kit/wording";
import { cidrSet, rangeText } from "../model/addresses";
import { formatPorts } from "../model/intervals";
import { Addresses, NetworkGraph } from "../model/graph";
import { Service } from "../registry";

export type Config = Record<string, never>;

/** "10.0.1.0/24": the addresses a peer may have, for "no rule allows ... to <addresses>"; by name when they are not known (a pod). */
function addressText(a: Addresses | undefined, named?: string): string {
    if (!a) return named ?? "the other end's (unknown) addresses";
    const texts = [...a.v4.intervals, ...a.v6.intervals].length === 0 ? [] : cidrTexts(a);
    return texts.length > 0 ? listNames(texts, 4) : "the other end";
}

function cidrTexts(a: Addresses): string[] {
    return [...a.v4.intervals.map(([lo, hi]) => rangeText("v4", lo, hi)), ...a.v6.intervals.map(([lo, hi]) => rangeText("v6", lo, hi))];
}

interface Client {
    label: string;
    ends: FlowEnd[];
}

function clientsOf(s: Service, graph: NetworkGraph): Client[] {
    const out: Client[] = [];
    for (const c of s.clients ?? []) {
        if (c.service !== undefined) {
            for (const w of workloadsOf(graph, c.service)) {
                out.push({ label: `\`${w.name}\``, ends: w.placements.map((p) => ({ peer: peerOf(w, p), placement: p })) });
            }
        } else if (c.cidr) {
            const peer: Peer = {
                addresses: cidrSet([c.cidr.text]),
                memberships: new Set(),
                key: `cidr|${c.cidr.text}`,
                label: c.cidr.text,
            };
            out.push({ label: c.cidr.text, ends: [{ peer }] });
        }
    }
    return out;
}

export const documentedFlowsReachable: StackPolicyDefinition<Config> = {
    meta: {
        name: "documented-flows-reachable",
        description:
            "Every documented client (`clients` in ports.yaml) must reach every workload of its service through every layer, and get the replies back.",
        rationale:
            "\"The firewalls were open, but the packet never landed\": a subnet's network ACL, a NIC's NSG or a missing return-traffic entry " +
            "drops what every security group allows. For each service with clients, this policy walks the request out through the client's layers " +
            "and in through the server's, and the replies back on every ephemeral port, and names the hop where the packet dies.",
        severity: "medium",
        defaultLevel: "advisory",
        remediationSteps:
            "Add the rule the message names to the blocking resource (in the provider's terms), or, for replies through a network ACL, " +
            "widen the return-traffic entry or narrow `ephemeralPorts` in ports.yaml to the ports the clients use.",
        messages: {
            blocked: "{{client}} → {{server}} {{flow}}: {{why}}.",
            "blocked.header": "Documented clients that do not get through to this workload:",
            "blocked.line": "{{client}} → {{server}} {{flow}}: {{why}}",
            unverifiable: "{{client}} → {{server}} {{flow}} cannot be verified yet: {{reasons}}.",
            "unverifiable.header": "Documented flows to this workload that cannot be verified yet:",
            "unverifiable.line": "{{client}} → {{server}} {{flow}}: {{reasons}}",
            fixAdd: "Fix: add a {{ruleKind}} to {{resource}} that allows the flow.",
            fixDeny:
                "Fix: narrow or remove the rule of {{resource}} that denies the flow, or add a {{ruleKind}} that allows it ahead of that rule.",
            fixReply:
                "Fix: widen the return-traffic entry of {{resource}} to the ephemeral ports, or narrow `ephemeralPorts` in ports.yaml to the ports the clients use.",
        },
    },
    checkStack({ stack, registry, report, advise }) {
        const graph = networkGraph(stack, registry.serviceTag);
        for (const s of registry.services) {
            if (!s.clients?.length) continue;
            const servers = workloadsOf(graph, s.name);
            if (servers.length === 0) continue;
            const clients = clientsOf(s, graph);
            for (const server of servers) {
                const resource = stack.resourceByUrn(server.urn);
                if (!resource) continue;
                if (server.unverifiable) {
                    // Fail closed: a workload whose paths cannot be told is said so, not passed.
                    const flow = s.protocols
                        .filter((p) => p !== "icmp")
                        .map((p) => `${p} ${formatPorts(s.ports, 4)}`)
                        .join(", ");
                    advise(resource, "unverifiable", {
                        client: "its documented clients",
                        server: `\`${server.name}\``,
                        flow,
                        reasons: server.unverifiable,
                    });
                    continue;
                }
                const serverEnds = server.placements.map((sp) => ({ peer: peerOf(server, sp), placement: sp }));
                const itself = `${server.urn}|`;
                for (const protocol of s.protocols) {
                    if (protocol === "icmp") continue;
                    const flow = `${protocol} ${formatPorts(s.ports, 4)}`;
                    for (const client of clients) {
                        let blocked: { result: FlowResult; end: FlowEnd; serverPeer: Peer } | undefined;
                        let passed = false;
                        const unknown: string[] = [];
                        for (const serverEnd of serverEnds) {
                            for (const end of client.ends) {
                                if (end.peer.key.startsWith(itself)) continue; // a workload is not its own client
                                const r = checkFlow(end, serverEnd, protocol, s.ports, registry.ephemeralPorts);
                                if (r.status === "block") blocked ??= { result: r, end, serverPeer: serverEnd.peer };
                                else if (r.status === "unknown") unknown.push(...r.unverifiable);
                                else passed = true;
                            }
                        }
                        // One interface of a multi-homed workload that the client reaches is enough; one that may be reached leaves it open.
                        if (server.interfaces && passed) continue;
                        if (server.interfaces && unknown.length > 0) blocked = undefined;
                        const data = { client: client.label, server: `\`${server.name}\``, flow };
                        if (blocked) {
                            const step = blocked.result.blocked!;
                            const other = step.side === "client" ? blocked.serverPeer : blocked.end.peer;
                            const layerName = describeLayer(step.layer, step.direction);
                            const fix: FixSpec =
                                step.leg === "reply" && !step.check.rule
                                    ? { messageId: "fixReply", data: { resource: layerName } }
                                    : {
                                          // A union of allows (a security group, a NetworkPolicy) has no rule that denies, and a provider default cannot be removed: only an allow is missing.
                                          messageId: step.check.rule && step.check.rule.implied === undefined ? "fixDeny" : "fixAdd",
                                          data: { ruleKind: ruleKind(step.layer), resource: layerName },
                                      };
                            const named = step.side === "client" ? `\`${server.name}\`` : client.label;
                            report(
                                resource,
                                "blocked",
                                { ...data, why: describeBlock(step, protocol, addressText(other.addresses, named)) },
                                { fix },
                            );
                        } else if (unknown.length > 0) {
                            advise(resource, "unverifiable", { ...data, reasons: listNames([...new Set(unknown)], 3) });
                        }
                    }
                }
            }
        }
    },
};
