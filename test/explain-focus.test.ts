// `internal-ports explain` models only the providers of the two workloads it is asked about and
// places only them (cli/graph.ts focusedGraphOf). That must be the answer the whole graph gives:
// for every stack of the graph policies' case tables and every bundled example, every workload
// placed alone equals the one the whole graph places, and explain renders the same text and JSON
// for every pair of them, from the internet and from an address block.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { endpoints } from "../cli/explain/command";
import { findWorkload, parseSource, QueryError } from "../cli/explain/query";
import { focusedGraphOf, graphOf } from "../cli/graph";
import { loadInput } from "../cli/inputs";
import { renderExplainJson, renderExplainText } from "../cli/explain/render";
import { StackResource } from "../cli/types";
import { adapterFor } from "../policies/adapters";
import { explain, Source } from "../policies/analysis/explain";
import { LayerRule } from "../policies/model/graph";
import { stackResources } from "../policies/kit/run";
import { cidrSet } from "../policies/model/addresses";
import { ALL_PORTS, formatPorts, PortSet } from "../policies/model/intervals";
import { ConcreteProtocol } from "../policies/model/protocol";
import { loadRegistry, Registry } from "../policies/registry";
import { casesFor } from "./cases";
import { registryFor, StackCase, testRegistry, UNKNOWN, urnOf } from "./helpers";

interface Stack {
    name: string;
    resources: StackResource[];
    /** The provider resources, kept apart as the loaders keep them (LoadedStack.providers). */
    providers?: StackResource[];
    registry: Registry;
}

/** The ports asked: each documented service's, and every TCP port. */
function questions(registry: Registry): { protocol: ConcreteProtocol; ports: PortSet }[] {
    const out: { protocol: ConcreteProtocol; ports: PortSet }[] = [{ protocol: "tcp", ports: ALL_PORTS }];
    for (const s of registry.services) for (const p of s.protocols) if (p !== "icmp") out.push({ protocol: p, ports: s.ports });
    return out;
}

/** A layer's rule that matches none of the asked workloads (by `memberships`) and no address. */
function matchesNothing(v: unknown, memberships: ReadonlySet<string>): boolean {
    if (v === null || typeof v !== "object" || !("rule" in v) || !("members" in v)) return false;
    const r = v as LayerRule;
    return (
        ![...r.members].some((m) => memberships.has(m)) &&
        !r.unknown &&
        r.peerView === undefined &&
        r.addresses.v4.isEmpty &&
        r.addresses.v6.isEmpty
    );
}

/**
 * A workload as a question about it sees it: the peers its rules name (`members`, `candidates`) only
 * as far as the asked workloads carry them, and no rule that then matches nothing. The focused graph
 * leaves out what cannot bear on those two (another namespace's pods): a rule of it names fewer
 * peers, and a rule made for a peer left out (an egress rule numbered by a pod of another namespace)
 * is not there at all.
 */
function seenBy<T>(value: T, memberships: ReadonlySet<string>): T {
    const walk = (v: unknown, key?: string): unknown => {
        if (v instanceof Set)
            return key === "members" || key === "candidates" ? new Set([...v].filter((m) => memberships.has(m as string))) : v;
        if (Array.isArray(v)) return v.filter((x) => !matchesNothing(x, memberships)).map((x) => walk(x));
        if (v === null || typeof v !== "object" || v instanceof Map) return v;
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) out[k] = walk(x, k);
        return out;
    };
    return walk(value) as T;
}

function sameAnswers(stack: Stack): number {
    const tag = stack.registry.serviceTag;
    const whole = graphOf(stack.resources, tag, stack.providers);
    let compared = 0;
    for (const to of whole.workloads) {
        const sources: (Source | typeof to)[] = [
            { kind: "internet" },
            { kind: "cidr", text: "10.0.0.0/8", addresses: cidrSet(["10.0.0.0/8"]) },
        ];
        sources.push(...whole.workloads.filter((w) => w !== to));
        for (const from of sources) {
            const client = "urn" in from ? from : undefined;
            const focused = focusedGraphOf(stack.resources, tag, new Set([to.urn, ...(client ? [client.urn] : [])]), stack.providers);
            const to2 = focused.workloads.find((w) => w.urn === to.urn);
            const asked = new Set([...to.memberships, ...(client?.memberships ?? [])]);
            assert.ok(to2, `${stack.name}: ${to.name} not placed alone`);
            assert.deepStrictEqual(seenBy(to2, asked), seenBy(to, asked), `${stack.name}: ${to.name} placed alone`);
            const from2 = client ? focused.workloads.find((w) => w.urn === client.urn) : undefined;
            if (client) assert.deepStrictEqual(seenBy(from2, asked), seenBy(client, asked), `${stack.name}: ${client.name} placed alone`);
            const src = (w: typeof to | undefined, s: Source | typeof to): Source =>
                w ? { kind: "workload", workload: w } : (s as Source);
            for (const q of questions(stack.registry)) {
                const report = (source: Source, target: typeof to) => ({
                    input: stack.name,
                    from: source.kind === "workload" ? source.workload.name : source.kind === "cidr" ? source.text : "internet",
                    to: target.name,
                    port: `${formatPorts(q.ports)}/${q.protocol}`,
                    protocol: q.protocol,
                    explanation: explain({ from: source, to: target, ...q, ephemeral: stack.registry.ephemeralPorts }),
                    queryMs: 0,
                });
                const a = report(src(client, from), to);
                const b = report(src(from2, from), to2);
                const what = `${stack.name}: ${a.from} → ${to.name} ${a.port}`;
                assert.equal(renderExplainText(b), renderExplainText(a), what);
                assert.equal(renderExplainJson(b), renderExplainJson(a), what);
                compared++;
            }
        }
    }
    return compared;
}

/** A case's resources as the command loads a stack. */
function loaded(rows: readonly StackCase[]): StackResource[] {
    return rows.map((r) => ({
        type: r.type,
        name: r.name,
        urn: urnOf(r.type, r.name),
        custom: true,
        properties: r.props,
        ...(r.propertyDependencies ? { propertyDependencies: r.propertyDependencies } : {}),
        ...(r.provider ? { provider: r.provider } : {}),
    }));
}

const row = (type: string, name: string, props: Record<string, unknown>, propertyDependencies?: Record<string, string[]>): StackCase => ({
    type,
    name,
    props,
    ...(propertyDependencies ? { propertyDependencies } : {}),
});

/** A case's rows with `suffix` on every name, their dependencies and providers following. */
function renamed(rows: readonly StackCase[], suffix: string): StackCase[] {
    const urns = new Map(rows.map((r) => [urnOf(r.type, r.name), urnOf(r.type, `${r.name}${suffix}`)]));
    const moved = (u: string) => urns.get(u) ?? u;
    return rows.map((r) => ({
        ...r,
        name: `${r.name}${suffix}`,
        ...(r.propertyDependencies
            ? { propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.map(moved)])) }
            : {}),
        ...(r.provider ? { provider: moved(r.provider) } : {}),
    }));
}

/** A case's rows as a loaded stack: its provider resources apart, as the loaders keep them. */
function loadedStack(rows: readonly StackCase[]): Pick<Stack, "resources" | "providers"> {
    const all = loaded(rows);
    return {
        resources: all.filter((r) => !r.type.startsWith("pulumi:providers:")),
        providers: all.filter((r) => r.type.startsWith("pulumi:providers:")),
    };
}

describe("explain's focused graph: the same answers as the whole stack's graph", function () {
    this.timeout(300_000);

    for (const policy of ["no-internet-path-to-internal-ports", "documented-flows-reachable"]) {
        it(`for every stack of ${policy}'s cases`, () => {
            const { valid, invalid } = casesFor(policy);
            let compared = 0;
            let stacks = 0;
            for (const c of [...valid, ...invalid]) {
                if (!c.resources || c.resources.length === 0) continue;
                compared += sameAnswers({ name: c.name, ...loadedStack(c.resources), registry: registryFor(c) });
                stacks++;
            }
            assert.ok(stacks > 40 && compared > 1000, `only ${stacks} stacks and ${compared} questions compared`);
        });
    }

    // A focus leaves out what is another namespace's or network's: here the other case's.
    for (const policy of ["no-internet-path-to-internal-ports", "documented-flows-reachable"]) {
        it(`for stacks of two of ${policy}'s cases side by side`, () => {
            const { valid, invalid } = casesFor(policy);
            const all = [...valid, ...invalid].filter((c) => (c.resources?.length ?? 0) > 0);
            let compared = 0;
            for (let i = 0; i + 1 < all.length; i += 2) {
                const [a, b] = [all[i], all[i + 1]];
                compared += sameAnswers({
                    name: `${a.name} + ${b.name}`,
                    ...loadedStack([...a.resources!, ...renamed(b.resources!, "-b")]),
                    registry: registryFor(a),
                });
            }
            assert.ok(compared > 1000, `only ${compared} questions compared`);
        });
    }

    // A rule is worded by the Pulumi names of the peers it resolves to: a focus keeps the peers of what it keeps.
    for (const phase of ["update", "preview"] as const)
        it(`a firewall rule naming the client and a droplet nothing else ties in names both (${phase})`, () => {
            const unknown = phase === "preview" ? UNKNOWN : undefined;
            const droplet = (name: string, id: string, tags: string[] = []) =>
                row("digitalocean:index/droplet:Droplet", name, {
                    id: unknown ?? id,
                    name,
                    region: "ams3",
                    size: "s-1vcpu-1gb",
                    image: "ubuntu",
                    tags,
                });
            const rows = [
                droplet("web-1", "101"),
                droplet("web-2", "102"),
                droplet("db", "103", ["db"]),
                row(
                    "digitalocean:index/firewall:Firewall",
                    "db-fw",
                    { tags: ["db"], inboundRules: [{ protocol: "tcp", portRange: "5432", sourceDropletIds: unknown ?? [101, 102] }] },
                    unknown ? { inboundRules: ["web-1", "web-2"].map((n) => urnOf("digitalocean:index/droplet:Droplet", n)) } : undefined,
                ),
            ];
            assert.ok(sameAnswers({ name: `droplet peers (${phase})`, resources: loaded(rows), registry: testRegistry }) > 10);
        });

    it("rests on every model's provider being its adapter's (what an assembler's `providers` name)", () => {
        let seen = 0;
        for (const policy of ["no-internet-path-to-internal-ports", "documented-flows-reachable"]) {
            const { valid, invalid } = casesFor(policy);
            for (const c of [...valid, ...invalid])
                for (const r of stackResources(loaded(c.resources ?? []).map((x) => ({ ...x, props: x.properties })))) {
                    if (!r.model) continue;
                    assert.equal(r.model.provider, adapterFor(r.type)?.provider, `${c.name}: ${r.type}`);
                    seen++;
                }
        }
        assert.ok(seen > 1000, `only ${seen} models`);
    });

    it("reads --from and --to as the whole graph does: URNs, names, names several resources share, and what is no workload", () => {
        const c = casesFor("documented-flows-reachable").invalid.find((x) => (x.resources?.length ?? 0) > 4)!;
        const resources = loaded(c.resources!);
        const whole = graphOf(resources, "service").workloads;
        assert.ok(whole.length >= 2, c.name);
        // A component named like a workload (what pulumi/examples programs do), a resource of another provider named like a
        // second one, and a copy of the last one inside a component: two workloads of one name.
        const named = (type: string, name: string, custom: boolean): StackResource => ({
            type,
            name,
            urn: `urn:pulumi:stack::project::${type}::${name}`,
            custom,
            properties: {},
        });
        resources.push(named("pkg:index:Component", whole[0].name, false), named("random:index/randomId:RandomId", whole[1].name, true));
        const last = resources.find((r) => r.urn === whole[whole.length - 1].urn)!;
        resources.push({ ...last, urn: named(`pkg:index:Component$${last.type}`, last.name, true).urn });
        const all = graphOf(resources, "service").workloads;
        assert.equal(all.filter((w) => w.name === last.name).length, 2);
        const texts = [...all.flatMap((w) => [w.name, w.urn]), resources[0].name, "nosuch", "internet", "10.0.0.0/8"];
        let answered = 0;
        for (const to of texts)
            for (const from of texts) {
                const expect = () => ({ from: parseSource(from, all, resources), to: findWorkload(to, "--to", all, resources) });
                let wanted: ReturnType<typeof expect> | string;
                try {
                    wanted = expect();
                } catch (e) {
                    assert.ok(e instanceof QueryError);
                    wanted = e.message;
                }
                let got: ReturnType<typeof expect> | string;
                try {
                    got = endpoints(resources, "service", from, to);
                } catch (e) {
                    assert.ok(e instanceof QueryError);
                    got = e.message;
                }
                assert.deepStrictEqual(got, wanted, `--from ${from} --to ${to}`);
                if (typeof got !== "string") answered++;
            }
        assert.ok(answered > 10, `only ${answered} pairs answered`);
    });

    it("for every bundled example", async () => {
        const root = path.join(__dirname, "..", "..", "examples");
        let compared = 0;
        const names = fs.readdirSync(root).filter((d) => fs.existsSync(path.join(root, d, "Pulumi.yaml")));
        for (const name of names) {
            const loaded = await loadInput(path.join(root, name), { allowMissingConfig: true });
            const own = path.join(root, name, "ports.yaml");
            const registry = loadRegistry(fs.existsSync(own) ? own : path.join(root, "..", "ports.yaml"));
            compared += sameAnswers({ name: `examples/${name}`, resources: loaded.resources, registry });
        }
        assert.ok(names.length >= 10 && compared > 500, `only ${names.length} examples and ${compared} questions compared`);
    });
});
