// A build-time snapshot of the validated ports.yaml. Every preview starts the pack, and reading the
// registry (loading the YAML parser, parsing with positions, validating, checking) was most of what
// the pack added to a start. `npm run build` writes the snapshot of the ports.yaml it finds; at
// start-up the pack uses it only when ports.yaml is byte for byte the file it was made from (and the
// pack's policy names are the same), and otherwise reads ports.yaml as always. Nothing is written at
// run time.
import { createHash } from "crypto";
import * as fs from "fs";
import { ParsedCidr, PeerSetBuilder, parseCidr } from "../model/addresses";
import { IntervalSet, portDomain } from "../model/intervals";
import { ConcreteProtocol } from "../model/protocol";
import { Exemption, KnownCidrs, Registry, Service } from "./registry";

/** Changes whenever the shape below does, so an old snapshot is never misread. */
const FORMAT = 2;

interface SnapshotCidrs {
    texts: string[];
}

interface SnapshotService {
    name: string;
    ports: [number, number][];
    protocols: ConcreteProtocol[];
    owner?: string;
    description?: string;
    public: boolean;
    allowedSources?: SnapshotCidrs;
    clients?: { service?: string; cidr?: string }[];
    line: number;
}

export interface RegistrySnapshot {
    format: number;
    /** sha256 of the ports.yaml text and the policy names the exemptions were checked against. */
    key: string;
    services: SnapshotService[];
    knownCidrs: SnapshotCidrs;
    ephemeralPorts: [number, number][];
    tenantTag: string;
    serviceTag: string;
    tenants: { name: string; cidrs: SnapshotCidrs; line: number }[];
    exemptions: Exemption[];
}

export function snapshotKey(text: string, policyNames: readonly string[] = []): string {
    return createHash("sha256").update(text).update("\0").update(policyNames.join(",")).digest("hex");
}

export function snapshotOf(registry: Registry, key: string): RegistrySnapshot {
    const cidrs = (c: KnownCidrs): SnapshotCidrs => ({ texts: [...c.texts] });
    return {
        format: FORMAT,
        key,
        services: registry.services.map((s) => ({
            name: s.name,
            ports: s.ports.intervals.map(([a, b]) => [a, b]),
            protocols: [...s.protocols],
            ...(s.owner !== undefined ? { owner: s.owner } : {}),
            ...(s.description !== undefined ? { description: s.description } : {}),
            public: s.public,
            ...(s.allowedSources ? { allowedSources: cidrs(s.allowedSources) } : {}),
            ...(s.clients ? { clients: s.clients.map((c) => (c.cidr ? { cidr: c.cidr.text } : { service: c.service })) } : {}),
            line: s.line,
        })),
        knownCidrs: cidrs(registry.knownCidrs),
        ephemeralPorts: registry.ephemeralPorts.intervals.map(([a, b]) => [a, b]),
        tenantTag: registry.tenantTag,
        serviceTag: registry.serviceTag,
        tenants: registry.tenants.map((t) => ({ name: t.name, cidrs: cidrs(t.cidrs), line: t.line })),
        exemptions: registry.exemptions.map((e) => ({ ...e })),
    };
}

function cidrOf(text: string): ParsedCidr {
    const parsed = parseCidr(text);
    if (!parsed) throw new Error(`snapshot CIDR ${JSON.stringify(text)} does not parse`);
    return parsed;
}

/** The texts were canonical CIDRs when the snapshot was made; read back, they give the same sets. */
function knownCidrs(s: SnapshotCidrs): KnownCidrs {
    const builder = new PeerSetBuilder();
    for (const text of s.texts) builder.addCidr(cidrOf(text));
    const { v4, v6, cidrs } = builder.build();
    return { v4, v6, texts: cidrs };
}

export function registryFromSnapshot(s: RegistrySnapshot, file: string): Registry {
    const services: Service[] = s.services.map((x) =>
        Object.freeze({
            name: x.name,
            ports: IntervalSet.of(portDomain, x.ports),
            protocols: Object.freeze([...x.protocols]) as ConcreteProtocol[],
            ...(x.owner !== undefined ? { owner: x.owner } : {}),
            ...(x.description !== undefined ? { description: x.description } : {}),
            public: x.public,
            ...(x.allowedSources ? { allowedSources: knownCidrs(x.allowedSources) } : {}),
            ...(x.clients
                ? { clients: x.clients.map((c) => (c.cidr !== undefined ? { cidr: cidrOf(c.cidr) } : { service: c.service })) }
                : {}),
            line: x.line,
        }),
    );
    return new Registry({
        file,
        services,
        knownCidrs: knownCidrs(s.knownCidrs),
        ephemeralPorts: IntervalSet.of(portDomain, s.ephemeralPorts),
        tenantTag: s.tenantTag,
        serviceTag: s.serviceTag,
        tenants: s.tenants.map((t) => ({ name: t.name, cidrs: knownCidrs(t.cidrs), line: t.line })),
        exemptions: s.exemptions.map((e) => ({ ...e })),
    });
}

/**
 * The registry from the snapshot file when it was made from exactly this text and these policy
 * names; undefined otherwise (no snapshot, another file, an edited file, an unreadable snapshot), and
 * the caller reads the file.
 */
export function registryFromSnapshotFile(
    snapshotFile: string,
    text: string,
    file: string,
    policyNames?: readonly string[],
): Registry | undefined {
    try {
        const s = JSON.parse(fs.readFileSync(snapshotFile, "utf8")) as RegistrySnapshot;
        if (s.format !== FORMAT || s.key !== snapshotKey(text, policyNames)) return undefined;
        return registryFromSnapshot(s, file);
    } catch {
        return undefined;
    }
}
