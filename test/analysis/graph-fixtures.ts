// Hand-built network graphs for the analysis tests: layers from AWS resources' inputs (security-group
// references resolve to memberships by id), placements and workloads.
import { normaliseFirewall } from "../../policies/adapters";
import { cidrSet } from "../../policies/model/addresses";
import { portRange } from "../../policies/model/intervals";
import { Layer, LayerRule, Placement, Workload } from "../../policies/model/graph";
import { naclEntry, T, UNKNOWN } from "../helpers";

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
export const entry = naclEntry;
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

// A documented flow both the path and the explain tests follow: `api-1` (10.0.0.0/24, ACL `acl-app`,
// group `app-sg`) to a database in 10.0.1.0/24 behind `acl-db` and `db-sg`.
export const appAcl = acl("acl-app", [entry(100, "allow", 1024, 65535, "10.0.1.0/24")], [entry(100, "allow", 5432, 5432, "10.0.1.0/24")]);
/** Returns replies only to 32768-65535: they die for client ports 1024-32767. */
export const dbAclPartial = acl(
    "acl-db",
    [entry(100, "allow", 5432, 5432, "10.0.0.0/24")],
    [entry(100, "allow", 32768, 65535, "10.0.0.0/24")],
);
export const dbAclFull = acl("acl-db", [entry(100, "allow", 5432, 5432, "10.0.0.0/24")], [entry(100, "allow", 1024, 65535, "10.0.0.0/24")]);
/** `dbAclFull` with a deny before the allow whose source is unknown until update. */
export const dbAclUnknown = acl(
    "acl-db",
    [entry(90, "deny", 5432, 5432, UNKNOWN), entry(100, "allow", 5432, 5432, "10.0.0.0/24")],
    [entry(100, "allow", 1024, 65535, "10.0.0.0/24")],
);
export const appSg = sg("app-sg", [], [tcp(5432, { cidrBlocks: ["10.0.1.0/24"] })]);
export const dbSg = sg("db-sg", [tcp(5432, { securityGroups: ["sg-app"] })]);
export const api = workload("api-1", ["sg-app"], [placement("app-a", "10.0.0.0/24", [appAcl, appSg])]);
/** An ACL that lets everything in and out. */
export const openAcl = acl("public-acl", [entry(100, "allow", 0, 65535, "0.0.0.0/0")], [entry(100, "allow", 0, 65535, "0.0.0.0/0")]);
