// Hand-built network graphs for the analysis tests: layers from AWS resources' inputs (security-group
// references resolve to memberships by id), placements and workloads.
import { normaliseFirewall } from "../../policies/adapters";
import { cidrSet } from "../../policies/model/addresses";
import { portRange } from "../../policies/model/intervals";
import { Layer, LayerRule, Placement, Workload } from "../../policies/model/graph";
import { T } from "../helpers";

export const EPHEMERAL = portRange(1024, 65535);

/** A layer from an AWS resource's inputs; security-group references resolve to `members[id]`. */
export function layer(
    kind: string,
    type: string,
    props: unknown,
    opts: { ordered: boolean; stateful: boolean; scope: "segment" | "workload" },
): Layer {
    const model = normaliseFirewall(type, props)!;
    const lr = (rule: (typeof model.rules)[number]): LayerRule => ({
        rule,
        resource: { urn: `urn:${kind}`, name: kind },
        addresses: { v4: rule.peers.v4, v6: rule.peers.v6 },
        members: new Set(rule.peers.symbols.filter((s) => s.kind === "security-group").map((s) => s.ref?.literal ?? "?")),
        unknown: rule.peers.unknown,
    });
    return {
        kind,
        resources: [{ urn: `urn:${kind}`, name: kind }],
        ...opts,
        inbound: model.rules.filter((r) => r.direction === "inbound").map(lr),
        outbound: model.rules.filter((r) => r.direction === "outbound").map(lr),
    };
}
export const acl = (name: string, ingress: unknown[], egress: unknown[]) =>
    layer(name, T.nacl, { ingress, egress }, { ordered: true, stateful: false, scope: "segment" });
export const sg = (name: string, ingress: unknown[], egress: unknown[] = []) =>
    layer(name, T.sg, { ingress, egress }, { ordered: false, stateful: true, scope: "workload" });
export const entry = (ruleNo: number, action: string, from: number, to: number, cidrBlock: string) => ({
    ruleNo,
    action,
    protocol: "tcp",
    fromPort: from,
    toPort: to,
    cidrBlock,
});
export const tcp = (port: number, extra: Record<string, unknown>) => ({ protocol: "tcp", fromPort: port, toPort: port, ...extra });

export function placement(label: string, cidr: string, layers: Layer[], internet = false): Placement {
    return {
        label,
        network: "vpc",
        segment: label,
        addresses: cidrSet([cidr]),
        layers,
        unverifiable: [],
        ...(internet ? { internet: { hops: [{ text: "internet gateway igw" }], families: ["v4" as const] } } : {}),
    };
}
export function workload(name: string, memberships: string[], placements: Placement[]): Workload {
    return { urn: `urn:${name}`, name, type: "t", placements, memberships: new Set(memberships) };
}
