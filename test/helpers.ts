// Shared by the tests: compact rule summaries, engine wire values, a small registry.
import { strict as assert } from "assert";
import { normalise } from "../policies/adapters";
import { formatPorts } from "../policies/lib/intervals";
import { NormalisedResource, NormalisedRule } from "../policies/lib/model";
import { isStackPolicy, PolicyDefinition, runCheck, runStackCheck } from "../policies/lib/policy-kit";
import { parseRegistry } from "../policies/lib/registry";

export { secret, UNKNOWN } from "../driver/analyzer-client";

/** "inbound allow tcp 22 from 0.0.0.0/0 #100 stateless" */
export function summarise(rule: NormalisedRule): string {
    const ports = rule.protocol === "icmp" || rule.protocol === "other" ? "" : ` ${formatPorts(rule.ports)}`;
    const proto = rule.protocol === "other" ? `proto-${rule.protocolNumber}` : rule.protocol;
    const peers = [...rule.peers.cidrs, ...rule.peers.symbols.map((s) => (s.id ? `${s.kind}:${s.id}` : s.kind))];
    if (rule.peers.unknown) peers.push("?");
    let out = `${rule.origin}: ${rule.direction} ${rule.action} ${proto}${ports} from ${peers.join(" ") || "-"}`;
    if (rule.order !== undefined) out += ` #${rule.order}`;
    if (rule.stateless) out += " stateless";
    for (const u of rule.unresolved) out += ` ${u.reason}(${u.path})`;
    return out;
}

export function normaliseOrFail(type: string, props: unknown): NormalisedResource {
    const r = normalise(type, props);
    if (!r) throw new Error(`no adapter for ${type}`);
    return r;
}

export const TEST_REGISTRY_YAML = `
services:
  - { name: ssh, ports: [22], protocol: tcp }
  - { name: dns, ports: [53], protocol: [tcp, udp] }
  - { name: http, ports: [80], protocol: tcp, public: true }
  - { name: https, ports: [443], protocol: tcp, public: true }
  - { name: icmp, protocol: icmp, public: true }
  - { name: etcd, ports: ["2379-2380"], protocol: tcp }
  - { name: postgres, ports: [5432], protocol: tcp, allowedSources: [10.20.0.0/16] }
  - { name: redis, ports: [6379], protocol: tcp }
  - { name: app, ports: [8080], protocol: tcp }
knownCidrs: [10.0.0.0/8]
tenants:
  - { name: acme, cidrs: [10.1.0.0/16] }
  - { name: globex, cidrs: [10.2.0.0/16] }
exemptions:
  - { policy: no-world-open-internal-ports, resource: bastion, reason: SSH bastion watched by the SOC, expires: "2099-12-31" }
  - { policy: no-world-open-internal-ports, resource: "legacy-*", reason: migration window, expires: "2020-01-31" }
`;
export const testRegistry = parseRegistry(TEST_REGISTRY_YAML, "ports.yaml");

/** A table row for a policy: shown through runCheck in unit tests and through the protocol end to end. */
export interface PolicyCase {
    name: string;
    type?: string;
    props?: unknown;
    config?: Record<string, unknown>;
    /** Each expected violation (mandatory) must match all of its patterns, in report order. */
    errors?: RegExp[][];
    advisories?: RegExp[][];
    /** Resource name for exemption matching; default "r". */
    resourceName?: string;
    /** Stack policies: the stack's resources (type/props above are then unused). */
    resources?: StackCase[];
    /** The registry the case runs against; default TEST_REGISTRY_YAML. */
    registryYaml?: string;
}

export interface StackCase {
    type: string;
    name: string;
    props: Record<string, unknown>;
    propertyDependencies?: Record<string, string[]>;
}

export const urnOf = (type: string, name: string) => `urn:pulumi:stack::project::${type}::${name}`;

export interface Findings {
    mandatory: string[];
    advisory: string[];
}

/** The clock unit tests judge exemptions by. */
export const TEST_NOW = new Date("2026-11-27T12:00:00Z");

export function check(def: PolicyDefinition<any>, type: string, props: unknown, config: Record<string, unknown> = {}, registry = testRegistry, name = "r"): Findings {
    return checkCase(def, { name: "", type, props, config, resourceName: name }, registry);
}

const registries = new Map<string, ReturnType<typeof parseRegistry>>();
export function registryFor(c: PolicyCase): ReturnType<typeof parseRegistry> {
    if (!c.registryYaml) return testRegistry;
    if (!registries.has(c.registryYaml)) registries.set(c.registryYaml, parseRegistry(c.registryYaml, "ports.yaml"));
    return registries.get(c.registryYaml)!;
}

/** Runs a case the way the pack does: runCheck for resource policies, runStackCheck for stack policies. */
export function checkCase(def: PolicyDefinition<any>, c: PolicyCase, registry = registryFor(c)): Findings {
    const out: Findings = { mandatory: [], advisory: [] };
    const emit = (m: string, advisory: boolean) => (advisory ? out.advisory : out.mandatory).push(m);
    const options = { now: () => TEST_NOW };
    if (isStackPolicy(def)) {
        const stack = (c.resources ?? []).map((r) => ({ ...r, urn: urnOf(r.type, r.name) }));
        runStackCheck(def, registry, stack, c.config ?? {}, emit, options);
    } else {
        const name = c.resourceName ?? "r";
        runCheck(def, registry, { type: c.type ?? "", name, urn: urnOf(c.type ?? "", name), props: c.props }, c.config ?? {}, emit, options);
    }
    return out;
}

/** Each expected message must match all of its patterns, in report order; nothing else may be reported. */
export function assertFindings(found: Findings, errors: RegExp[][] = [], advisories: RegExp[][] = []): void {
    for (const [actual, expected, what] of [[found.mandatory, errors, "violations"], [found.advisory, advisories, "advisories"]] as const) {
        assert.equal(actual.length, expected.length, `${what}: ${JSON.stringify(actual, null, 1)}`);
        expected.forEach((patterns, i) => patterns.forEach((p) => assert.match(actual[i], p)));
    }
}

export const T = {
    sg: "aws:ec2/securityGroup:SecurityGroup",
    defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    vpcIngress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    vpcEgress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    nacl: "aws:ec2/networkAcl:NetworkAcl",
    naclRule: "aws:ec2/networkAclRule:NetworkAclRule",
    defaultNacl: "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl",
    nsg: "azure-native:network:NetworkSecurityGroup",
    nsgRule: "azure-native:network:SecurityRule",
} as const;

/** One row of an adapter's table: a resource's inputs and the rule model it must give. */
export interface AdapterCase {
    name: string;
    type?: string;
    props: unknown;
    /** summarise() of each rule, in order. */
    rules: string[];
    /** Paths recorded as unknown until update. */
    unknown?: string[];
    /** Paths or messages (see AdapterTable.problemsBy) recorded as unreadable. */
    problems?: string[];
    tags?: Record<string, string>;
}

export interface AdapterTable {
    /** The type of rows that name none. */
    type: string;
    provider: string;
    /** What `problems` lists; left out, problems are not compared. */
    problemsBy?: "path" | "message";
    /** Compare the model's tags with the row's (default: none). */
    tags?: boolean;
}

/** The table-driven test every adapter file runs: one `it` per row. */
export function adapterCases(cases: readonly AdapterCase[], table: AdapterTable): void {
    for (const c of cases) {
        it(c.name, () => {
            const r = normaliseOrFail(c.type ?? table.type, c.props);
            assert.deepEqual(r.rules.map(summarise), c.rules);
            assert.deepEqual(r.unknown.map((u) => u.path), c.unknown ?? []);
            if (table.problemsBy) assert.deepEqual(r.problems.map((u) => u[table.problemsBy!]), c.problems ?? []);
            if (table.tags) assert.deepEqual(r.tags, c.tags ?? {});
            assert.equal(r.provider, table.provider);
        });
    }
}
