// Adapter round trips: random normalised rules are written back in each provider's input shape by a
// small writer here (with the spelling variations providers and users produce: case, numbers as
// strings, host bits in CIDRs, single vs list fields), normalised by the pack's adapter, and must come
// back equal: direction, action, order, protocol, ports and the peers' CIDR sets and named kinds.
// Every type in firewallTypes must have a writer; a type without one shows up as a pending test.
import { strict as assert } from "assert";
import * as fc from "fast-check";
import { adapterFor, normaliseFirewall, firewallTypes } from "../../policies/adapters";
import { AddrSet, v4Domain, v6Domain } from "../../policies/model/addresses";
import { ALL_PORTS, formatPorts, IntervalSet, PortSet, portDomain, portRange } from "../../policies/model/intervals";
import { Action, Direction, NormalisedRule } from "../../policies/model/rules";
import { Protocol } from "../../policies/model/protocol";
import { check } from "./common";

// ---- building blocks ---------------------------------------------------------------------------

interface Block {
    fam: "v4" | "v6";
    addr: bigint;
    prefix: number;
    style: number;
}

function blockRange(b: Block): [bigint, bigint] {
    const host = BigInt((b.fam === "v4" ? 32 : 128) - b.prefix);
    const lo = (b.addr >> host) << host;
    return [lo, lo + (1n << host) - 1n];
}

function blockText(b: Block): string {
    if (b.fam === "v4") {
        const addr = [24n, 16n, 8n, 0n].map((s) => ((b.addr >> s) & 255n).toString()).join(".");
        return b.prefix === 32 && b.style % 3 === 0 ? addr : `${addr}/${b.prefix}`;
    }
    const groups: string[] = [];
    for (let s = 112n; s >= 0n; s -= 16n) groups.push(((b.addr >> s) & 0xffffn).toString(16));
    const addr = b.style % 2 === 0 ? groups.join(":").toUpperCase() : groups.join(":");
    return b.prefix === 128 && b.style % 3 === 0 ? addr : `${addr}/${b.prefix}`;
}

const prefix = (max: number) =>
    fc.oneof(
        { weight: 1, arbitrary: fc.constant(0) },
        { weight: 1, arbitrary: fc.constant(1) },
        { weight: 6, arbitrary: fc.integer({ min: 0, max }) },
    );
const v4Block: fc.Arbitrary<Block> = fc
    .record({ addr: fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }), prefix: prefix(32), style: fc.nat() })
    .map((b) => ({ ...b, fam: "v4" as const }));
const v6Block: fc.Arbitrary<Block> = fc
    .record({ addr: fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), prefix: prefix(128), style: fc.nat() })
    .map((b) => ({ ...b, fam: "v6" as const }));

const port = fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.constantFrom(0, 22, 80, 443, 5432, 65535));
const range: fc.Arbitrary<[number, number]> = fc.tuple(port, port).map(([a, b]) => [Math.min(a, b), Math.max(a, b)]);
const style = fc.nat();
const pick = <T>(xs: readonly T[], s: number): T => xs[s % xs.length];
const numOrString = (n: number, s: number): number | string => (s % 2 === 0 ? n : ` ${n}`.slice(s % 4 === 1 ? 1 : 0));
const rangeSpec = ([a, b]: [number, number], s: number): string | number => (a === b ? (s % 2 === 0 ? a : `${a}`) : `${a}-${b}`);

interface Expected extends Pick<NormalisedRule, "origin" | "direction" | "action" | "order" | "protocol" | "protocolNumber" | "ports"> {
    v4: AddrSet;
    v6: AddrSet;
    /** Named peer kinds, sorted. */
    symbols: string[];
    stateless?: boolean;
}

function addrs(blocks: Block[], world = false): { v4: AddrSet; v6: AddrSet } {
    if (world) return { v4: IntervalSet.full(v4Domain), v6: IntervalSet.full(v6Domain) };
    return {
        v4: IntervalSet.of(v4Domain, blocks.filter((b) => b.fam === "v4").map(blockRange)),
        v6: IntervalSet.of(v6Domain, blocks.filter((b) => b.fam === "v6").map(blockRange)),
    };
}

const portSet = (ranges: [number, number][]) => IntervalSet.of(portDomain, ranges);
const showSet = (s: AddrSet) => s.intervals.map(([a, b]) => `${a}-${b}`).join(",") || "none";

function describeRule(r: NormalisedRule | Expected): string {
    const u = "unresolved" in r ? ` unresolved=${JSON.stringify(r.unresolved)}` : "";
    const symbols = "symbols" in r ? r.symbols : r.peers.symbols.map((s) => s.kind).sort();
    const v4 = "v4" in r ? r.v4 : r.peers.v4;
    const v6 = "v6" in r ? r.v6 : r.peers.v6;
    return `${r.origin}: ${r.direction} ${r.action} #${r.order} ${r.protocol}/${r.protocolNumber} ports ${formatPorts(r.ports)} v4 ${showSet(v4)} v6 ${showSet(v6)} [${symbols.join(",")}]${u}`;
}

/** Normalises and compares with the rules the writer meant. */
function roundTrip(type: string, props: unknown, expected: Expected[]): void {
    const res = normaliseFirewall(type, props);
    assert.ok(res, `no adapter for ${type}`);
    const ctx =
        `${type}\ninput: ${JSON.stringify(props, (_, v: unknown) => (typeof v === "bigint" ? String(v) : v))}\n` +
        `got:      ${res.rules.map(describeRule).join("\n          ")}\nexpected: ${expected.map(describeRule).join("\n          ")}`;
    assert.deepEqual(res.problems, [], ctx);
    assert.deepEqual(res.unknown, [], ctx);
    assert.deepEqual(res.rules.map((r) => r.origin).sort(), expected.map((e) => e.origin).sort(), ctx);
    for (const e of expected) {
        const r: NormalisedRule = res.rules.find((x: NormalisedRule) => x.origin === e.origin)!;
        const where = `${e.origin} in ${ctx}`;
        assert.deepEqual(r.unresolved, [], where);
        assert.equal(r.direction, e.direction, `direction of ${where}`);
        assert.equal(r.action, e.action, `action of ${where}`);
        assert.equal(r.order, e.order, `order of ${where}`);
        assert.equal(r.protocol, e.protocol, `protocol of ${where}`);
        if (e.protocol === "other") assert.equal(r.protocolNumber, e.protocolNumber, `protocol number of ${where}`);
        assert.ok(r.ports.equals(e.ports), `ports of ${where}`);
        assert.ok(r.peers.v4.equals(e.v4), `IPv4 peers of ${where}`);
        assert.ok(r.peers.v6.equals(e.v6), `IPv6 peers of ${where}`);
        assert.deepEqual(r.peers.symbols.map((x) => x.kind as string).sort(), e.symbols, `named peers of ${where}`);
        assert.equal(r.peers.unknown, false, where);
        if (e.stateless !== undefined) assert.equal(r.stateless, e.stateless, `statelessness of ${where}`);
    }
}

/** Ports a rule ends up with: its ranges for tcp/udp (and `all` where the provider restricts it), else every port. */
function expectedPorts(protocol: Protocol, ranges: [number, number][] | "all", allRestricts: boolean): PortSet {
    if (ranges === "all") return ALL_PORTS;
    if (protocol === "tcp" || protocol === "udp" || (protocol === "all" && allRestricts)) return portSet(ranges);
    return ALL_PORTS;
}

const written = new Set<string>();
/** Declares the types a writer covers, for the coverage check at the end. */
function covers(...types: string[]): string[] {
    for (const t of types) written.add(t);
    return types;
}

// ---- protocols -----------------------------------------------------------------------------------

type ProtoSpec = { protocol: Protocol; number?: number };
const awsProto: fc.Arbitrary<ProtoSpec> = fc.oneof(
    { weight: 4, arbitrary: fc.constant<ProtoSpec>({ protocol: "tcp" }) },
    { weight: 2, arbitrary: fc.constant<ProtoSpec>({ protocol: "udp" }) },
    { weight: 1, arbitrary: fc.constant<ProtoSpec>({ protocol: "icmp" }) },
    { weight: 2, arbitrary: fc.constant<ProtoSpec>({ protocol: "all" }) },
    { weight: 1, arbitrary: fc.constantFrom(47, 50, 51, 132, 4, 200).map((n): ProtoSpec => ({ protocol: "other", number: n })) },
);
function awsProtoText(p: ProtoSpec, s: number): string | number {
    switch (p.protocol) {
        case "tcp":
            return pick(["tcp", "TCP", "6", 6, " tcp "], s);
        case "udp":
            return pick(["udp", "17", 17, "Udp"], s);
        case "icmp":
            return pick(["icmp", "1", 1], s);
        case "all":
            return pick(["-1", -1, "all"], s);
        default:
            return s % 2 === 0 ? p.number! : String(p.number);
    }
}

// ---- AWS -------------------------------------------------------------------------------------------

interface AwsRule {
    direction: Direction;
    proto: ProtoSpec;
    range: [number, number];
    blocks: Block[];
    groups: number;
    prefixLists: number;
    self: boolean;
    s: number;
}
const awsSgRule: fc.Arbitrary<AwsRule> = fc.record({
    direction: fc.constantFrom<Direction>("inbound", "outbound"),
    proto: awsProto,
    range,
    blocks: fc.array(fc.oneof(v4Block, v6Block), { maxLength: 4 }),
    groups: fc.nat({ max: 2 }),
    prefixLists: fc.nat({ max: 1 }),
    self: fc.boolean(),
    s: style,
});

function awsPorts(r: AwsRule): { fromPort: unknown; toPort: unknown } {
    if (r.proto.protocol === "tcp" || r.proto.protocol === "udp")
        return { fromPort: numOrString(r.range[0], r.s), toPort: numOrString(r.range[1], r.s >> 1) };
    return r.proto.protocol === "icmp" ? { fromPort: -1, toPort: -1 } : { fromPort: 0, toPort: 0 };
}

function awsExpected(origin: string, r: AwsRule, extra: Partial<Expected> = {}): Expected {
    const symbols = [
        ...Array<string>(r.groups).fill("security-group"),
        ...Array<string>(r.prefixLists).fill("prefix-list"),
        ...(r.self ? ["self"] : []),
    ].sort();
    return {
        origin,
        direction: r.direction,
        action: "allow",
        protocol: r.proto.protocol,
        protocolNumber: r.proto.number,
        ports: expectedPorts(r.proto.protocol, [r.range], false),
        ...addrs(r.blocks),
        symbols,
        ...extra,
    };
}

const sgId = (i: number) => `sg-0${(0xabc + i).toString(16)}`;
const plId = (i: number) => `pl-0${(0xdef + i).toString(16)}`;

// ---- Azure ----------------------------------------------------------------------------------------

type AzPeer = { kind: "block"; block: Block } | { kind: "world"; word: string } | { kind: "tag"; tag: string };
interface AzRule {
    direction: Direction;
    action: Action;
    priority: number;
    proto: ProtoSpec;
    ranges: [number, number][] | "all";
    peers: AzPeer[];
    asgs: number;
    s: number;
}
const azPeer: fc.Arbitrary<AzPeer> = fc.oneof(
    { weight: 6, arbitrary: fc.oneof(v4Block, v6Block).map((block): AzPeer => ({ kind: "block", block })) },
    { weight: 1, arbitrary: fc.constantFrom("*", "Internet", "INTERNET", "Any", "any").map((word): AzPeer => ({ kind: "world", word })) },
    {
        weight: 1,
        arbitrary: fc
            .constantFrom("VirtualNetwork", "AzureLoadBalancer", "Storage.WestEurope", "Sql")
            .map((tag): AzPeer => ({ kind: "tag", tag })),
    },
);
const azRule: fc.Arbitrary<AzRule> = fc.record({
    direction: fc.constantFrom<Direction>("inbound", "outbound"),
    action: fc.constantFrom<Action>("allow", "deny"),
    priority: fc.integer({ min: 100, max: 4096 }),
    proto: fc.oneof(
        { weight: 4, arbitrary: fc.constant<ProtoSpec>({ protocol: "tcp" }) },
        { weight: 2, arbitrary: fc.constant<ProtoSpec>({ protocol: "udp" }) },
        { weight: 1, arbitrary: fc.constant<ProtoSpec>({ protocol: "icmp" }) },
        { weight: 2, arbitrary: fc.constant<ProtoSpec>({ protocol: "all" }) },
        { weight: 1, arbitrary: fc.constantFrom<ProtoSpec>({ protocol: "other", number: 50 }, { protocol: "other", number: 51 }) },
    ),
    ranges: fc.oneof(
        { weight: 1, arbitrary: fc.constant<"all">("all") },
        { weight: 5, arbitrary: fc.array(range, { minLength: 1, maxLength: 4 }) },
    ),
    peers: fc.array(azPeer, { minLength: 0, maxLength: 4 }),
    asgs: fc.nat({ max: 2 }),
    s: style,
});

function azProtoText(p: ProtoSpec, s: number): string {
    switch (p.protocol) {
        case "tcp":
            return pick(["Tcp", "TCP", "tcp"], s);
        case "udp":
            return pick(["Udp", "UDP"], s);
        case "icmp":
            return pick(["Icmp", "ICMP"], s);
        case "all":
            return "*";
        default:
            return p.number === 50 ? pick(["Esp", "ESP"], s) : pick(["Ah", "AH"], s);
    }
}

function azWrite(r: AzRule, classic: boolean): Record<string, unknown> {
    const side = r.direction === "outbound" ? "destination" : "source";
    const out: Record<string, unknown> = {
        name: `rule-${r.priority}`,
        direction: pick(r.direction === "inbound" ? ["Inbound", "INBOUND", "inbound"] : ["Outbound", "OUTBOUND"], r.s),
        access: pick(r.action === "allow" ? ["Allow", "ALLOW", "allow"] : ["Deny", "DENY"], r.s >> 1),
        priority: numOrString(r.priority, r.s >> 2),
        protocol: azProtoText(r.proto, r.s >> 3),
    };
    if (r.ranges === "all") out.destinationPortRange = "*";
    else if (r.ranges.length === 1 && r.s % 2 === 0) out.destinationPortRange = rangeSpec(r.ranges[0], r.s >> 4);
    else out.destinationPortRanges = r.ranges.map((x, i) => rangeSpec(x, (r.s >> 4) + i));
    const texts = r.peers.map((p) => (p.kind === "block" ? blockText(p.block) : p.kind === "world" ? p.word : p.tag));
    if (texts.length === 1 && r.s % 3 !== 0) out[`${side}AddressPrefix`] = texts[0];
    else if (texts.length > 0) {
        if (r.s % 5 === 0) {
            out[`${side}AddressPrefix`] = texts[0];
            out[`${side}AddressPrefixes`] = texts.slice(1);
        } else out[`${side}AddressPrefixes`] = texts;
    }
    if (r.asgs > 0) {
        const ids = Array.from(
            { length: r.asgs },
            (_, i) => `/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups/asg${i}`,
        );
        if (classic) out[`${side}ApplicationSecurityGroupIds`] = ids;
        else out[`${side}ApplicationSecurityGroups`] = ids.map((id) => ({ id }));
    }
    return out;
}

function azExpected(origin: string, r: AzRule): Expected {
    const world = r.peers.some((p) => p.kind === "world");
    const blocks = r.peers.flatMap((p) => (p.kind === "block" ? [p.block] : []));
    const symbols = [
        ...r.peers.filter((p) => p.kind === "tag").map(() => "service-tag"),
        ...Array<string>(r.asgs).fill("application-security-group"),
    ].sort();
    return {
        origin,
        direction: r.direction,
        action: r.action,
        order: r.priority,
        protocol: r.proto.protocol,
        protocolNumber: r.proto.number,
        ports: expectedPorts(r.proto.protocol, r.ranges, true),
        ...addrs(blocks, world),
        symbols,
    };
}

// ---- GCP ------------------------------------------------------------------------------------------

interface GcpEntry {
    proto: ProtoSpec;
    ranges: [number, number][] | "all";
    s: number;
}
const gcpProto: fc.Arbitrary<ProtoSpec> = fc.oneof(
    { weight: 4, arbitrary: fc.constant<ProtoSpec>({ protocol: "tcp" }) },
    { weight: 2, arbitrary: fc.constant<ProtoSpec>({ protocol: "udp" }) },
    { weight: 1, arbitrary: fc.constant<ProtoSpec>({ protocol: "icmp" }) },
    { weight: 1, arbitrary: fc.constant<ProtoSpec>({ protocol: "all" }) },
    {
        weight: 1,
        arbitrary: fc.constantFrom<ProtoSpec>(
            { protocol: "other", number: 50 },
            { protocol: "other", number: 47 },
            { protocol: "other", number: 132 },
        ),
    },
);
function gcpProtoText(p: ProtoSpec, s: number): string {
    switch (p.protocol) {
        case "tcp":
            return pick(["tcp", "6"], s);
        case "udp":
            return pick(["udp", "17"], s);
        case "icmp":
            return pick(["icmp", "1"], s);
        case "all":
            return "all";
        default:
            return s % 2 === 0 ? String(p.number) : ({ 50: "esp", 47: "gre", 132: "sctp" } as Record<number, string>)[p.number!];
    }
}
const gcpEntry: fc.Arbitrary<GcpEntry> = fc.record({
    proto: gcpProto,
    ranges: fc.oneof(
        { weight: 1, arbitrary: fc.constant<"all">("all") },
        { weight: 4, arbitrary: fc.array(range, { minLength: 1, maxLength: 3 }) },
    ),
    s: style,
});
function gcpPorts(e: GcpEntry): unknown {
    if (e.ranges === "all" || !(e.proto.protocol === "tcp" || e.proto.protocol === "udp" || e.proto.protocol === "all")) return undefined;
    return e.ranges.map((r, i) => String(rangeSpec(r, e.s + i)));
}
/** GCP `all` with ports is rejected by the API; ports only go on tcp/udp (and sctp) entries. */
function gcpEntryFixed(e: GcpEntry): GcpEntry {
    return e.proto.protocol === "all" ? { ...e, ranges: "all" } : e;
}

// ---- DigitalOcean / Kubernetes helpers -----------------------------------------------------------

const doProto: fc.Arbitrary<ProtoSpec> = fc.constantFrom<ProtoSpec>(
    { protocol: "tcp" },
    { protocol: "tcp" },
    { protocol: "udp" },
    { protocol: "icmp" },
);

// ---- the tests -------------------------------------------------------------------------------------

describe("property: adapter round trips (normalised rule -> provider input -> normalised rule)", () => {
    describe("aws", () => {
        for (const type of covers("aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")) {
            it(`${type}: inline ingress and egress`, () => {
                check(
                    fc.property(fc.array(awsSgRule, { maxLength: 6 }), (rules) => {
                        const ingress: unknown[] = [];
                        const egress: unknown[] = [];
                        const expected: Expected[] = [];
                        for (const r of rules) {
                            const list = r.direction === "inbound" ? ingress : egress;
                            const origin = `${r.direction === "inbound" ? "ingress" : "egress"}[${list.length}]`;
                            const item: Record<string, unknown> = { protocol: awsProtoText(r.proto, r.s), ...awsPorts(r) };
                            const v4 = r.blocks.filter((b) => b.fam === "v4").map(blockText);
                            const v6 = r.blocks.filter((b) => b.fam === "v6").map(blockText);
                            if (v4.length > 0 || r.s % 2 === 0) item.cidrBlocks = v4;
                            if (v6.length > 0) item.ipv6CidrBlocks = v6;
                            if (r.groups > 0) item.securityGroups = Array.from({ length: r.groups }, (_, i) => sgId(i));
                            if (r.prefixLists > 0) item.prefixListIds = [plId(0)];
                            if (r.self) item.self = r.s % 3 === 0 ? "true" : true;
                            list.push(item);
                            expected.push(awsExpected(origin, r));
                        }
                        roundTrip(type, { name: "sg", ingress, egress }, expected);
                    }),
                    150,
                );
            });
        }

        it(covers("aws:ec2/securityGroupRule:SecurityGroupRule")[0], () => {
            check(
                fc.property(
                    awsSgRule.map((r) => ({ ...r, groups: Math.min(r.groups, 1) })),
                    (r) => {
                        const props: Record<string, unknown> = {
                            type: pick(r.direction === "inbound" ? ["ingress", "Ingress"] : ["egress", "EGRESS"], r.s),
                            protocol: awsProtoText(r.proto, r.s >> 1),
                            ...awsPorts(r),
                            securityGroupId: "sg-0123",
                            cidrBlocks: r.blocks.filter((b) => b.fam === "v4").map(blockText),
                            ipv6CidrBlocks: r.blocks.filter((b) => b.fam === "v6").map(blockText),
                        };
                        if (r.groups > 0) props.sourceSecurityGroupId = sgId(0);
                        if (r.prefixLists > 0) props.prefixListIds = [plId(0)];
                        if (r.self) props.self = true;
                        roundTrip("aws:ec2/securityGroupRule:SecurityGroupRule", props, [awsExpected("this rule", r)]);
                    },
                ),
                150,
            );
        });

        for (const type of covers(
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
        )) {
            it(type, () => {
                const direction: Direction = type.includes("Egress") ? "outbound" : "inbound";
                const one = fc.record({ v4: fc.option(v4Block, { nil: undefined }), v6: fc.option(v6Block, { nil: undefined }) });
                check(
                    fc.property(awsSgRule, one, (base, peers) => {
                        const r: AwsRule = {
                            ...base,
                            direction,
                            blocks: [peers.v4, peers.v6].filter((b): b is Block => !!b),
                            groups: Math.min(base.groups, 1),
                            self: false,
                        };
                        const props: Record<string, unknown> = { securityGroupId: "sg-0123", ipProtocol: awsProtoText(r.proto, r.s) };
                        if (r.proto.protocol !== "all") Object.assign(props, awsPorts(r));
                        if (peers.v4) props.cidrIpv4 = blockText(peers.v4);
                        if (peers.v6) props.cidrIpv6 = blockText(peers.v6);
                        if (r.prefixLists > 0) props.prefixListId = plId(0);
                        if (r.groups > 0) props.referencedSecurityGroupId = sgId(0);
                        roundTrip(type, props, [awsExpected("this rule", r)]);
                    }),
                    150,
                );
            });
        }

        const naclRule = fc
            .record({
                base: awsSgRule,
                action: fc.constantFrom<Action>("allow", "deny"),
                ruleNo: fc.integer({ min: 1, max: 32766 }),
                v4: fc.option(v4Block, { nil: undefined }),
                v6: fc.option(v6Block, { nil: undefined }),
            })
            .map(({ base, action, ruleNo, v4, v6 }) => ({
                r: { ...base, blocks: [v4, v6].filter((b): b is Block => !!b), groups: 0, prefixLists: 0, self: false },
                action,
                ruleNo,
                v4,
                v6,
            }));
        for (const type of covers("aws:ec2/networkAcl:NetworkAcl", "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl")) {
            it(`${type}: ordered allow and deny entries, stateless`, () => {
                check(
                    fc.property(fc.array(naclRule, { maxLength: 6 }), (rules) => {
                        const ingress: unknown[] = [];
                        const egress: unknown[] = [];
                        const expected: Expected[] = [];
                        for (const { r, action, ruleNo, v4, v6 } of rules) {
                            const list = r.direction === "inbound" ? ingress : egress;
                            const origin = `${r.direction === "inbound" ? "ingress" : "egress"}[${list.length}]`;
                            const item: Record<string, unknown> = {
                                ruleNo: numOrString(ruleNo, r.s),
                                action: pick(action === "allow" ? ["allow", "Allow"] : ["deny", "DENY"], r.s >> 1),
                                protocol: awsProtoText(r.proto, r.s >> 2),
                                ...awsPorts(r),
                            };
                            if (v4) item.cidrBlock = blockText(v4);
                            if (v6) item.ipv6CidrBlock = blockText(v6);
                            list.push(item);
                            expected.push(awsExpected(origin, r, { action, order: ruleNo, stateless: true }));
                        }
                        roundTrip(type, { ingress, egress }, expected);
                    }),
                    150,
                );
            });
        }

        it(covers("aws:ec2/networkAclRule:NetworkAclRule")[0], () => {
            check(
                fc.property(naclRule, ({ r, action, ruleNo, v4, v6 }) => {
                    const props: Record<string, unknown> = {
                        networkAclId: "acl-0123",
                        ruleNumber: numOrString(ruleNo, r.s),
                        ruleAction: action,
                        protocol: awsProtoText(r.proto, r.s >> 1),
                        ...awsPorts(r),
                    };
                    if (r.direction === "outbound") props.egress = r.s % 2 === 0 ? true : "true";
                    else if (r.s % 3 === 0) props.egress = false;
                    if (v4) props.cidrBlock = blockText(v4);
                    if (v6) props.ipv6CidrBlock = blockText(v6);
                    roundTrip("aws:ec2/networkAclRule:NetworkAclRule", props, [
                        awsExpected("this rule", r, { action, order: ruleNo, stateless: true }),
                    ]);
                }),
                150,
            );
        });
    });

    describe("aws-native", () => {
        it(covers("aws-native:ec2:SecurityGroup")[0], () => {
            const rule = awsSgRule
                .map((r) => ({ ...r, self: false, prefixLists: Math.min(r.prefixLists, 1), groups: Math.min(r.groups, 1) }))
                .chain((r) =>
                    fc
                        .record({ v4: fc.option(v4Block, { nil: undefined }), v6: fc.option(v6Block, { nil: undefined }) })
                        .map((p) => ({ r: { ...r, blocks: [p.v4, p.v6].filter((b): b is Block => !!b) }, ...p })),
                );
            check(
                fc.property(fc.array(rule, { maxLength: 5 }), (rules) => {
                    const lists: Record<string, unknown[]> = { securityGroupIngress: [], securityGroupEgress: [] };
                    const expected: Expected[] = [];
                    for (const { r, v4, v6 } of rules) {
                        const key = r.direction === "inbound" ? "securityGroupIngress" : "securityGroupEgress";
                        const item: Record<string, unknown> = { ipProtocol: awsProtoText(r.proto, r.s), ...awsPorts(r) };
                        if (v4) item.cidrIp = blockText(v4);
                        if (v6) item.cidrIpv6 = blockText(v6);
                        if (r.prefixLists > 0) item[r.direction === "inbound" ? "sourcePrefixListId" : "destinationPrefixListId"] = plId(0);
                        if (r.groups > 0)
                            item[r.direction === "inbound" ? "sourceSecurityGroupId" : "destinationSecurityGroupId"] = sgId(0);
                        expected.push(awsExpected(`${key}[${lists[key].length}]`, r));
                        lists[key].push(item);
                    }
                    roundTrip(
                        "aws-native:ec2:SecurityGroup",
                        { groupDescription: "x", ...lists, tags: [{ key: "team", value: "a" }] },
                        expected,
                    );
                }),
                150,
            );
        });

        for (const type of covers("aws-native:ec2:SecurityGroupIngress", "aws-native:ec2:SecurityGroupEgress")) {
            it(type, () => {
                const direction: Direction = type.endsWith("Egress") ? "outbound" : "inbound";
                check(
                    fc.property(awsSgRule, fc.option(v4Block, { nil: undefined }), (base, v4) => {
                        const r: AwsRule = {
                            ...base,
                            direction,
                            blocks: v4 ? [v4] : [],
                            groups: Math.min(base.groups, 1),
                            prefixLists: 0,
                            self: false,
                        };
                        const props: Record<string, unknown> = {
                            groupId: "sg-0123",
                            ipProtocol: awsProtoText(r.proto, r.s),
                            ...awsPorts(r),
                        };
                        if (v4) props.cidrIp = blockText(v4);
                        if (r.groups > 0) props[direction === "inbound" ? "sourceSecurityGroupId" : "destinationSecurityGroupId"] = sgId(0);
                        roundTrip(type, props, [awsExpected("this rule", r)]);
                    }),
                    100,
                );
            });
        }
    });

    describe("azure", () => {
        const nsgTypes: [string, boolean][] = [
            ["azure-native:network:NetworkSecurityGroup", false],
            ["azure-native:network/v20230901:NetworkSecurityGroup", false],
            ["azure:network/networkSecurityGroup:NetworkSecurityGroup", true],
        ];
        covers("azure-native:network:NetworkSecurityGroup", "azure:network/networkSecurityGroup:NetworkSecurityGroup");
        for (const [type, classic] of nsgTypes) {
            it(`${type}: securityRules in priority order`, () => {
                check(
                    fc.property(fc.array(azRule, { maxLength: 6 }), (rules) => {
                        roundTrip(
                            type,
                            { securityRules: rules.map((r) => azWrite(r, classic)) },
                            rules.map((r, i) => azExpected(`securityRules[${i}]`, r)),
                        );
                    }),
                    150,
                );
            });
        }
        const ruleTypes: [string, boolean][] = [
            ["azure-native:network:SecurityRule", false],
            ["azure-native:network/v20230901:SecurityRule", false],
            ["azure:network/networkSecurityRule:NetworkSecurityRule", true],
        ];
        covers("azure-native:network:SecurityRule", "azure:network/networkSecurityRule:NetworkSecurityRule");
        for (const [type, classic] of ruleTypes) {
            it(`${type}: a standalone rule`, () => {
                check(
                    fc.property(azRule, (r) => {
                        roundTrip(type, { networkSecurityGroupName: "nsg", ...azWrite(r, classic) }, [azExpected("this rule", r)]);
                    }),
                    150,
                );
            });
        }
    });

    describe("gcp", () => {
        it(`${covers("gcp:compute/firewall:Firewall")[0]}: allows and denies share direction, priority and peers`, () => {
            const firewall = fc.record({
                direction: fc.constantFrom<Direction>("inbound", "outbound"),
                priority: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }),
                blocks: fc.array(fc.oneof(v4Block, v6Block), { maxLength: 3 }),
                tags: fc.nat({ max: 2 }),
                accounts: fc.nat({ max: 1 }),
                allows: fc.array(gcpEntry.map(gcpEntryFixed), { maxLength: 3 }),
                denies: fc.array(gcpEntry.map(gcpEntryFixed), { maxLength: 2 }),
                s: style,
            });
            check(
                fc.property(firewall, (f) => {
                    const props: Record<string, unknown> = { network: "default" };
                    if (f.direction === "outbound" || f.s % 2 === 0)
                        props.direction = f.direction === "inbound" ? "INGRESS" : pick(["EGRESS", "egress"], f.s);
                    if (f.priority !== undefined) props.priority = f.priority;
                    const texts = f.blocks.map(blockText);
                    let symbols: string[] = [];
                    if (f.direction === "inbound") {
                        if (texts.length > 0) props.sourceRanges = texts;
                        if (f.tags > 0) props.sourceTags = Array.from({ length: f.tags }, (_, i) => `web-${i}`);
                        if (f.accounts > 0) props.sourceServiceAccounts = ["app@proj.iam.gserviceaccount.com"];
                        symbols = [
                            ...Array<string>(f.tags).fill("network-tag"),
                            ...Array<string>(f.accounts).fill("service-account"),
                        ].sort();
                    } else if (texts.length > 0) props.destinationRanges = texts;
                    // No source (or destination) at all is GCP's default, 0.0.0.0/0.
                    const peers =
                        symbols.length === 0 && texts.length === 0
                            ? addrs([{ fam: "v4", addr: 0n, prefix: 0, style: 0 }])
                            : addrs(f.blocks);
                    const expected: Expected[] = [];
                    for (const [key, action, entries] of [
                        ["allows", "allow", f.allows],
                        ["denies", "deny", f.denies],
                    ] as const) {
                        if (entries.length === 0) continue;
                        props[key] = entries.map((e) => ({ protocol: gcpProtoText(e.proto, e.s), ports: gcpPorts(e) }));
                        entries.forEach((e, i) =>
                            expected.push({
                                origin: `${key}[${i}]`,
                                direction: f.direction,
                                action,
                                order: f.priority ?? 1000,
                                protocol: e.proto.protocol,
                                protocolNumber: e.proto.number,
                                ports: expectedPorts(e.proto.protocol, e.ranges, true),
                                ...peers,
                                symbols,
                            }),
                        );
                    }
                    roundTrip("gcp:compute/firewall:Firewall", props, expected);
                }),
                150,
            );
        });

        const policyRule = fc.record({
            action: fc.constantFrom<string>("allow", "deny", "apply_security_profile_group", "ALLOW"),
            direction: fc.constantFrom<Direction>("inbound", "outbound"),
            priority: fc.integer({ min: 0, max: 2147483647 }),
            blocks: fc.array(fc.oneof(v4Block, v6Block), { minLength: 1, maxLength: 3 }),
            fqdns: fc.nat({ max: 1 }),
            configs: fc.array(gcpEntry.map(gcpEntryFixed), { minLength: 1, maxLength: 3 }),
            s: style,
        });
        type PolicyRuleSpec = typeof policyRule extends fc.Arbitrary<infer T> ? T : never;
        function writePolicyRule(r: PolicyRuleSpec, origin: string): { rule: Record<string, unknown>; expected: Expected[] } {
            const side = r.direction === "outbound" ? "dest" : "src";
            const match: Record<string, unknown> = {
                layer4Configs: r.configs.map((e) => ({ ipProtocol: gcpProtoText(e.proto, e.s), ports: gcpPorts(e) })),
                [`${side}IpRanges`]: r.blocks.map(blockText),
            };
            if (r.fqdns > 0) match[`${side}Fqdns`] = ["example.com"];
            const rule: Record<string, unknown> = { action: r.action, priority: r.priority, match };
            if (r.direction === "outbound" || r.s % 2 === 0) rule.direction = r.direction === "inbound" ? "INGRESS" : "EGRESS";
            const action: Action = /deny|goto/i.test(r.action) ? "deny" : "allow";
            const expected = r.configs.map((e, i): Expected => ({
                origin: `${origin}match.layer4Configs[${i}]`,
                direction: r.direction,
                action,
                order: r.priority,
                protocol: e.proto.protocol,
                protocolNumber: e.proto.number,
                ports: expectedPorts(e.proto.protocol, e.ranges, true),
                ...addrs(r.blocks),
                symbols: Array<string>(r.fqdns).fill("fqdn"),
            }));
            return { rule, expected };
        }
        for (const type of covers(
            "gcp:compute/firewallPolicyRule:FirewallPolicyRule",
            "gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule",
            "gcp:compute/regionNetworkFirewallPolicyRule:RegionNetworkFirewallPolicyRule",
        )) {
            it(`${type}: one rule per layer-4 config`, () => {
                check(
                    fc.property(policyRule, (r) => {
                        const { rule, expected } = writePolicyRule(r, "");
                        roundTrip(type, { firewallPolicy: "p", ...rule }, expected);
                    }),
                    100,
                );
            });
        }
        for (const type of covers(
            "gcp:compute/firewallPolicyWithRules:FirewallPolicyWithRules",
            "gcp:compute/networkFirewallPolicyWithRules:NetworkFirewallPolicyWithRules",
            "gcp:compute/regionNetworkFirewallPolicyWithRules:RegionNetworkFirewallPolicyWithRules",
        )) {
            it(`${type}: rules of a policy, goto_next read as a deny`, () => {
                const inPolicy = policyRule.chain((r) => fc.constantFrom(r.action, "goto_next").map((action) => ({ ...r, action })));
                check(
                    fc.property(fc.array(inPolicy, { maxLength: 4 }), (rules) => {
                        const written = rules.map((r, j) => writePolicyRule(r, `rules[${j}].`));
                        roundTrip(
                            type,
                            { rules: written.map((w) => w.rule) },
                            written.flatMap((w) => w.expected),
                        );
                    }),
                    100,
                );
            });
        }
    });

    describe("azure databases", () => {
        const engines: [string, number][] = [
            ["azure-native:dbforpostgresql:FirewallRule", 5432],
            ["azure-native:dbformysql:FirewallRule", 3306],
            ["azure-native:sql:FirewallRule", 1433],
            ["azure:postgresql/flexibleServerFirewallRule:FlexibleServerFirewallRule", 5432],
            ["azure:postgresql/firewallRule:FirewallRule", 5432],
            ["azure:mysql/flexibleServerFirewallRule:FlexibleServerFirewallRule", 3306],
            ["azure:mssql/firewallRule:FirewallRule", 1433],
            ["azure-native:synapse:IpFirewallRule", 1433],
            ["azure:synapse/firewallRule:FirewallRule", 1433],
        ];
        const v4 = fc.oneof(
            { weight: 1, arbitrary: fc.constantFrom(0n, (1n << 32n) - 1n) },
            { weight: 6, arbitrary: fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }) },
        );
        const dotted = (n: bigint) => [24n, 16n, 8n, 0n].map((sh) => ((n >> sh) & 255n).toString()).join(".");
        for (const [type, port] of engines) {
            it(covers(type)[0], () => {
                check(
                    fc.property(fc.tuple(v4, v4, style), ([a, b, s]) => {
                        const [lo, hi] = a <= b ? [a, b] : [b, a];
                        const pad = s % 3 === 0 ? " " : "";
                        const props = { serverName: "db", startIpAddress: `${pad}${dotted(lo)}`, endIpAddress: `${dotted(hi)}${pad}` };
                        // 0.0.0.0-0.0.0.0 is "allow Azure services": a named source, no address.
                        const azure = lo === 0n && hi === 0n;
                        roundTrip(type, props, [
                            {
                                origin: "this rule",
                                direction: "inbound",
                                action: "allow",
                                protocol: "tcp",
                                ports: portRange(port, port),
                                v4: azure ? IntervalSet.empty(v4Domain) : IntervalSet.of(v4Domain, [[lo, hi]]),
                                v6: IntervalSet.empty(v6Domain),
                                symbols: azure ? ["azure-services"] : [],
                            },
                        ]);
                    }),
                    50,
                );
            });
        }
    });

    describe("digitalocean", () => {
        it(covers("digitalocean:index/firewall:Firewall")[0], () => {
            const doRule = fc.record({
                direction: fc.constantFrom<Direction>("inbound", "outbound"),
                action: fc.constantFrom<Action | undefined>("allow", "deny", undefined),
                proto: doProto,
                ranges: fc.oneof({ weight: 1, arbitrary: fc.constant<"all">("all") }, { weight: 4, arbitrary: range.map((r) => [r]) }),
                blocks: fc.array(fc.oneof(v4Block, v6Block), { maxLength: 3 }),
                droplets: fc.nat({ max: 1 }),
                tags: fc.nat({ max: 1 }),
                s: style,
            });
            check(
                fc.property(fc.array(doRule, { maxLength: 5 }), (rules) => {
                    const lists: Record<string, unknown[]> = { inboundRules: [], outboundRules: [] };
                    const expected: Expected[] = [];
                    for (const r of rules) {
                        const key = r.direction === "inbound" ? "inboundRules" : "outboundRules";
                        const side = r.direction === "inbound" ? "source" : "destination";
                        // Port 0 alone would read as every port (DigitalOcean's spelling of "all"): write 1 instead.
                        const ranges =
                            r.ranges === "all" ? "all" : r.ranges.map(([a, b]): [number, number] => [Math.max(a, 1), Math.max(b, 1)]);
                        const item: Record<string, unknown> = { protocol: r.proto.protocol };
                        if (r.proto.protocol !== "icmp")
                            item.portRange = ranges === "all" ? pick(["all", "0", "1-65535"], r.s) : String(rangeSpec(ranges[0], r.s));
                        else if (r.s % 2 === 0) item.portRange = "";
                        if (r.action !== undefined) item.action = r.action;
                        if (r.blocks.length > 0) item[`${side}Addresses`] = r.blocks.map(blockText);
                        if (r.droplets > 0) item[`${side}DropletIds`] = [r.s % 2 === 0 ? 12345 : "12345"];
                        if (r.tags > 0) item[`${side}Tags`] = ["web"];
                        const action = r.action ?? "allow";
                        // "1-65535" stays 1-65535 (port 0 cannot be opened anyway); "all" and "0" are every port.
                        const allWord = ranges === "all" ? pick(["all", "0", "1-65535"], r.s) : undefined;
                        const ports =
                            allWord === "1-65535"
                                ? portRange(1, 65535)
                                : ranges === "all"
                                  ? ALL_PORTS
                                  : expectedPorts(r.proto.protocol, ranges, false);
                        expected.push({
                            origin: `${key}[${lists[key].length}]`,
                            direction: r.direction,
                            action,
                            order: action === "deny" ? 0 : undefined,
                            protocol: r.proto.protocol,
                            ports: r.proto.protocol === "icmp" ? ALL_PORTS : ports,
                            ...addrs(r.blocks),
                            symbols: [...Array<string>(r.droplets).fill("droplet"), ...Array<string>(r.tags).fill("droplet-tag")].sort(),
                        });
                        lists[key].push(item);
                    }
                    roundTrip("digitalocean:index/firewall:Firewall", { name: "fw", ...lists }, expected);
                }),
                150,
            );
        });
    });

    describe("kubernetes", () => {
        it(`${covers("kubernetes:networking.k8s.io/v1:NetworkPolicy", "kubernetes:extensions/v1beta1:NetworkPolicy")[0]}: one rule per ports entry`, () => {
            const k8sPort = fc.record({
                proto: fc.constantFrom<ProtoSpec>({ protocol: "tcp" }, { protocol: "udp" }, { protocol: "other", number: 132 }),
                range: fc.option(
                    range.map(([a, b]): [number, number] => [Math.max(a, 1), Math.max(b, 1)]),
                    { nil: undefined },
                ),
                single: fc.boolean(),
                s: style,
            });
            const k8sRule = fc.record({
                blocks: fc.array(fc.oneof(v4Block, v6Block), { maxLength: 3 }),
                pods: fc.nat({ max: 1 }),
                namespaces: fc.nat({ max: 1 }),
                ports: fc.array(k8sPort, { maxLength: 3 }),
            });
            check(
                fc.property(
                    fc.array(k8sRule, { maxLength: 3 }),
                    fc.array(k8sRule, { maxLength: 2 }),
                    fc.boolean(),
                    (ingress, egress, types) => {
                        const expected: Expected[] = [];
                        const write = (side: "ingress" | "egress", rules: typeof ingress) =>
                            rules.map((r, i) => {
                                const direction: Direction = side === "ingress" ? "inbound" : "outbound";
                                const peers: unknown[] = r.blocks.map((b) => ({ ipBlock: { cidr: blockText(b) } }));
                                for (let k = 0; k < r.pods; k++) peers.push({ podSelector: { matchLabels: { app: "web" } } });
                                for (let k = 0; k < r.namespaces; k++) peers.push({ namespaceSelector: {} });
                                const world = peers.length === 0;
                                const symbols = [
                                    ...Array<string>(r.pods).fill("pod-selector"),
                                    ...Array<string>(r.namespaces).fill("namespace-selector"),
                                ].sort();
                                const origin = `spec.${side}[${i}]`;
                                const ports = r.ports.map((p) => {
                                    const out: Record<string, unknown> = {
                                        protocol: pick(
                                            p.proto.protocol === "tcp" ? ["TCP", "tcp"] : p.proto.protocol === "udp" ? ["UDP"] : ["SCTP"],
                                            p.s,
                                        ),
                                    };
                                    if (p.range) {
                                        if (p.single || p.range[0] === p.range[1])
                                            out.port = p.s % 2 === 0 ? p.range[0] : String(p.range[0]);
                                        else {
                                            out.port = p.range[0];
                                            out.endPort = p.range[1];
                                        }
                                    }
                                    return out;
                                });
                                if (r.ports.length === 0) {
                                    expected.push({
                                        origin,
                                        direction,
                                        action: "allow",
                                        protocol: "all",
                                        ports: ALL_PORTS,
                                        ...addrs(r.blocks, world),
                                        symbols,
                                    });
                                }
                                r.ports.forEach((p, k) => {
                                    const rr: [number, number] | undefined = p.range && (p.single ? [p.range[0], p.range[0]] : p.range);
                                    expected.push({
                                        origin: `${origin}.ports[${k}]`,
                                        direction,
                                        action: "allow",
                                        protocol: p.proto.protocol,
                                        protocolNumber: p.proto.number,
                                        // Ports apply to tcp and udp; SCTP is a protocol the pack does not judge by port.
                                        ports: rr && p.proto.protocol !== "other" ? portRange(rr[0], rr[1]) : ALL_PORTS,
                                        ...addrs(r.blocks, world),
                                        symbols,
                                    });
                                });
                                return { [side === "ingress" ? "from" : "to"]: peers, ports };
                            });
                        const spec: Record<string, unknown> = { podSelector: {}, ingress: write("ingress", ingress) };
                        if (egress.length > 0 || types) {
                            spec.egress = write("egress", egress);
                            spec.policyTypes = ["Ingress", "Egress"];
                        }
                        roundTrip("kubernetes:networking.k8s.io/v1:NetworkPolicy", { metadata: { name: "np" }, spec }, expected);
                    },
                ),
                150,
            );
        });

        it(`${covers("kubernetes:core/v1:Service")[0]}: LoadBalancer and NodePort ports`, () => {
            const svcPort = fc.record({
                proto: fc.constantFrom<ProtoSpec>({ protocol: "tcp" }, { protocol: "udp" }),
                port: fc.integer({ min: 1, max: 65535 }),
                nodePort: fc.option(fc.integer({ min: 30000, max: 32767 }), { nil: undefined }),
                s: style,
            });
            check(
                fc.property(
                    fc.constantFrom("LoadBalancer", "NodePort"),
                    fc.array(svcPort, { minLength: 1, maxLength: 3 }),
                    fc.array(fc.oneof(v4Block, v6Block), { maxLength: 3 }),
                    (type, ports, blocks) => {
                        const spec: Record<string, unknown> = {
                            type,
                            ports: ports.map((p) => ({
                                port: p.port,
                                protocol: p.proto.protocol.toUpperCase(),
                                ...(p.nodePort ? { nodePort: p.nodePort } : {}),
                            })),
                        };
                        if (type === "LoadBalancer" && blocks.length > 0) spec.loadBalancerSourceRanges = blocks.map(blockText);
                        const expected: Expected[] = [];
                        ports.forEach((p, i) => {
                            if (type === "LoadBalancer") {
                                expected.push({
                                    origin: `spec.ports[${i}]`,
                                    direction: "inbound",
                                    action: "allow",
                                    protocol: p.proto.protocol,
                                    ports: portRange(p.port, p.port),
                                    ...addrs(blocks, blocks.length === 0),
                                    symbols: [],
                                });
                            }
                            expected.push({
                                origin: `spec.ports[${i}].nodePort`,
                                direction: "inbound",
                                action: "allow",
                                protocol: p.proto.protocol,
                                ports: p.nodePort ? portRange(p.nodePort, p.nodePort) : portRange(30000, 32767),
                                ...addrs([]),
                                symbols: ["node-firewall"],
                            });
                        });
                        roundTrip("kubernetes:core/v1:Service", { metadata: { name: "svc" }, spec }, expected);
                    },
                ),
                100,
            );
        });
    });

    describe("coverage", () => {
        for (const type of firewallTypes) {
            it(`${type} has a round-trip writer`, function () {
                if (!written.has(type)) {
                    // A new adapter: add a writer above. Pending rather than failing, so that adding an
                    // adapter and its writer can land separately.
                    this.skip();
                }
                assert.ok(adapterFor(type));
            });
        }
    });
});
