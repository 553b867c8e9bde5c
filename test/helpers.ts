// Shared by the tests: compact rule summaries, engine wire values, a small registry.
import { strict as assert } from "assert";
import { normalise } from "../policies/adapters";
import { formatPorts } from "../policies/lib/intervals";
import { NormalisedResource, NormalisedRule } from "../policies/lib/model";
import { PolicyDefinition, runCheck } from "../policies/lib/policy-kit";
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
  - { name: postgres, ports: [5432], protocol: tcp }
  - { name: redis, ports: [6379], protocol: tcp }
  - { name: app, ports: [8080], protocol: tcp }
knownCidrs: [10.0.0.0/8]
`;
export const testRegistry = parseRegistry(TEST_REGISTRY_YAML, "ports.yaml");

/** A table row for a policy: shown through runCheck in unit tests and through the protocol end to end. */
export interface PolicyCase {
    name: string;
    type: string;
    props: unknown;
    config?: Record<string, unknown>;
    /** Each expected violation (mandatory) must match all of its patterns, in report order. */
    errors?: RegExp[][];
    advisories?: RegExp[][];
}

export interface Findings {
    mandatory: string[];
    advisory: string[];
}

export function check(def: PolicyDefinition<any>, type: string, props: unknown, config: Record<string, unknown> = {}, registry = testRegistry): Findings {
    const out: Findings = { mandatory: [], advisory: [] };
    runCheck(def, registry, type, props, config, (m, advisory) => (advisory ? out.advisory : out.mandatory).push(m));
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
