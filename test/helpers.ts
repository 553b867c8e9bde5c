// Shared by the tests: compact rule summaries, engine wire values, a small registry.
import { strict as assert } from "assert";
import { normalise, normaliseFirewall } from "../policies/adapters";
import { explain, Explanation } from "../policies/analysis/explain";
import { StackIndex } from "../policies/analysis/stack-index";
import { Workload } from "../policies/model/graph";
import { formatPorts, portRange } from "../policies/model/intervals";
import { FindingRecord } from "../policies/kit/findings";
import { FirewallModel } from "../policies/model/resources";
import { NormalisedRule } from "../policies/model/rules";
import { isStackPolicy, PolicyDefinition } from "../policies/kit/definition";
import { runCheck, runStackCheck } from "../policies/kit/run";
import { parseRegistry } from "../policies/registry";

export { secret, UNKNOWN } from "../driver/wire";

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

export function normaliseOrFail(type: string, props: unknown): FirewallModel {
    const r = normaliseFirewall(type, props);
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

/** The test registry without its icmp service: ICMP is then not judged at all. */
export const NO_ICMP_REGISTRY = TEST_REGISTRY_YAML.replace("  - { name: icmp, protocol: icmp, public: true }\n", "");
/** The test registry with ICMP declared but not public. */
export const INTERNAL_ICMP_REGISTRY = TEST_REGISTRY_YAML.replace(
    "{ name: icmp, protocol: icmp, public: true }",
    "{ name: ping, protocol: icmp }",
);
/** The test registry with MySQL (3306) and a service inside Linux's ephemeral range (50000). */
export const NACL_REGISTRY = TEST_REGISTRY_YAML.replace(
    "  - { name: app, ports: [8080], protocol: tcp }\n",
    "  - { name: app, ports: [8080], protocol: tcp }\n  - { name: mysql, ports: [3306], protocol: tcp }\n  - { name: agent, ports: [50000], protocol: tcp }\n",
);

/**
 * One expected item of a finding: its message id, the rule it is about (`null`: none), the data it
 * carries (exact strings, or patterns for long or generated values; keys left out are not compared)
 * and the id of the fix it asks for (`null`: none; left out: not compared).
 */
export type Expect = readonly [
    messageId: string,
    rule?: string | null,
    data?: Readonly<Record<string, string | number | RegExp>>,
    fix?: string | null,
];

/** A table row for a policy: shown through runCheck in unit tests and through the protocol end to end. */
export interface PolicyCase {
    name: string;
    type?: string;
    props?: unknown;
    config?: Record<string, unknown>;
    /** The items of the resource's mandatory finding, in order (see Expect); none when absent. */
    errors?: Expect[];
    /** The items of the resource's advisory finding, in order. */
    advisories?: Expect[];
    /** Every finding was turned into a note by an active exemption, or carries an expired one. */
    exemption?: "active" | "expired";
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
    /** The provider resource's URN, for one created with `{ provider }`; unset: the default provider. */
    provider?: string;
}

/** An inbound Allow NSG security rule at priority 100 for Tcp (azure-native and the classic provider spell it alike), `over` on top. */
export const nsgInbound = (over: Record<string, unknown>) => ({
    direction: "Inbound",
    access: "Allow",
    priority: 100,
    protocol: "Tcp",
    ...over,
});

/** An AWS network ACL entry. */
export const naclEntry = (ruleNo: number, action: string, from: number, to: number, cidrBlock: string, protocol = "tcp") => ({
    ruleNo,
    action,
    protocol,
    fromPort: from,
    toPort: to,
    cidrBlock,
});

/** A ports.yaml exemption of the resource `bastion` from no-world-open-internal-ports until 2099, line by line. */
export const BASTION_EXEMPTION = [
    "exemptions:",
    "  - policy: no-world-open-internal-ports",
    "    resource: bastion",
    "    reason: SSH bastion, monitored",
    '    expires: "2099-03-31"',
];

export const urnOf = (type: string, name: string) => `urn:pulumi:stack::project::${type}::${name}`;

/** The stack's index over rows as the engine sends them, each modelled as the stack policies model it. */
export function stackIndexOf(rows: readonly StackCase[]): StackIndex {
    return new StackIndex(
        rows.map((r) => ({
            urn: urnOf(r.type, r.name),
            name: r.name,
            type: r.type,
            model: normalise(r.type, r.props),
            dependencies: r.propertyDependencies ?? {},
            ...(r.provider ? { provider: r.provider } : {}),
        })),
    );
}

export interface Findings {
    mandatory: FindingRecord[];
    advisory: FindingRecord[];
}

/** The clock unit tests judge exemptions by. */
export const TEST_NOW = new Date("2026-11-27T12:00:00Z");

export function check(
    def: PolicyDefinition<unknown>,
    type: string,
    props: unknown,
    config: Record<string, unknown> = {},
    registry = testRegistry,
    name = "r",
): Findings {
    return checkCase(def, { name: "", type, props, config, resourceName: name }, registry);
}

const registries = new Map<string, ReturnType<typeof parseRegistry>>();
export function registryFor(c: PolicyCase): ReturnType<typeof parseRegistry> {
    if (!c.registryYaml) return testRegistry;
    if (!registries.has(c.registryYaml)) registries.set(c.registryYaml, parseRegistry(c.registryYaml, "ports.yaml"));
    return registries.get(c.registryYaml)!;
}

/** Runs a case the way the pack does: runCheck for resource policies, runStackCheck for stack policies. */
export function checkCase(def: PolicyDefinition<unknown>, c: PolicyCase, registry = registryFor(c)): Findings {
    const out: Findings = { mandatory: [], advisory: [] };
    const emit = (f: FindingRecord) => (f.advisory ? out.advisory : out.mandatory).push(f);
    const options = { now: () => TEST_NOW };
    if (isStackPolicy(def)) {
        const stack = (c.resources ?? []).map((r) => ({ ...r, urn: urnOf(r.type, r.name) }));
        runStackCheck(def, registry, stack, c.config ?? {}, emit, options);
    } else {
        const name = c.resourceName ?? "r";
        runCheck(
            def,
            registry,
            { type: c.type ?? "", name, urn: urnOf(c.type ?? "", name), props: c.props },
            c.config ?? {},
            emit,
            options,
        );
    }
    return out;
}

/**
 * The items of each level's findings must be the expected ones, in order; nothing else may be
 * reported, and a resource gets at most one finding per policy and level (stack findings about
 * ports.yaml stand alone).
 */
export function assertFindings(found: Findings, expected: Pick<PolicyCase, "errors" | "advisories" | "exemption">): void {
    const { errors = [], advisories = [], exemption } = expected;
    for (const f of [...found.mandatory, ...found.advisory]) assert.equal(f.exemption?.state, exemption, `exemption of ${f.message}`);
    for (const [records, expected, what] of [
        [found.mandatory, errors, "violations"],
        [found.advisory, advisories, "advisories"],
    ] as const) {
        // Built only for a failure: a finding can hold 5,000 items.
        const show = () =>
            JSON.stringify(
                records.map((r) => ({ message: r.message, items: r.items.slice(0, 20) })),
                null,
                1,
            );
        const expect = (ok: boolean, what: string) => {
            if (!ok) assert.fail(`${what}: ${show()}`);
        };
        const perResource = records.filter((r) => r.registryLine === undefined).map((r) => `${r.policy}|${r.urn}`);
        expect(new Set(perResource).size === perResource.length, `${what}: one finding per resource and policy`);
        const items = records.flatMap((r) => r.items);
        expect(items.length === expected.length, `${what}: ${items.length} items, expected ${expected.length}`);
        expected.forEach(([id, rule, data, fix], i) => {
            const item = items[i];
            expect(item.messageId === id, `${what}[${i}] message id ${item.messageId}, expected ${id}`);
            if (rule !== undefined)
                expect((item.rule?.origin ?? null) === rule, `${what}[${i}] rule ${item.rule?.origin}, expected ${rule}`);
            for (const [k, v] of Object.entries(data ?? {})) {
                const actual = item.data[k];
                const ok = v instanceof RegExp ? v.test(String(actual)) : actual === v;
                expect(ok, `${what}[${i}].data.${k} is ${JSON.stringify(actual)}, expected ${v instanceof RegExp ? v : JSON.stringify(v)}`);
            }
            if (fix !== undefined) expect((item.fix ?? null) === fix, `${what}[${i}] fix ${item.fix}, expected ${fix}`);
        });
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
            assert.deepEqual(
                r.unknown.map((u) => u.path),
                c.unknown ?? [],
            );
            if (table.problemsBy)
                assert.deepEqual(
                    r.problems.map((u) => u[table.problemsBy!]),
                    c.problems ?? [],
                );
            if (table.tags) assert.deepEqual(r.tags, c.tags ?? {});
            assert.equal(r.provider, table.provider);
        });
    }
}

/** `explain` of one workload reaching another on a TCP port, clients on ephemeral ports 1024-65535. */
export function explainTcp(from: Workload, to: Workload, port: number): Explanation {
    return explain({
        from: { kind: "workload", workload: from },
        to,
        protocol: "tcp",
        ports: portRange(port, port),
        ephemeral: portRange(1024, 65535),
    });
}
