// Where an Azure NIC sits: its subnet (standalone, or inline in a virtual network) with the subnet's
// NSG and route table, and the subnet's virtual network: the ranges Azure's `VirtualNetwork` tag
// stands for (the address space and the networks peered both ways in the stack) and what may add to
// them beyond the plan (a gateway, user routes, a peering to a network outside the stack).
import { cidrSet } from "../../model/addresses";
import { Addresses, union } from "../../model/graph";
import { StackResource } from "../../model/stack";
import { isUnknownValue, TopologyValue } from "../../model/topology";
import { NO_ADDRESSES } from "../support/layers";
import { AzureIndex, hasRole, idTail, isNsg, topologyOf } from "./graph-index";
import { ROLE } from "./topology";

export interface Net {
    /** URN of the virtual network, `outside:<id or name>` for one outside the stack; undefined when not known. */
    key?: string;
    label: string;
    /** Ranges surely inside `VirtualNetwork`. */
    known: Addresses;
    /** Why `VirtualNetwork` may hold more than `known` (undefined: it holds exactly that). */
    partial?: string;
    /** Networks peered with this one both ways in the stack, by key. */
    peers: string[];
}

/** The NSG of a subnet or NIC: none, one of the stack's, or a reason it cannot be told. */
export type NsgRef = { state: "none" } | { state: "found"; nsg: StackResource } | { state: "doubt"; reason: string; short: string };

export interface SubnetInfo {
    key: string;
    /** The subnet's Pulumi name, or `<network>/<subnet>` for one inline in a virtual network. */
    label: string;
    /** The Azure subnet name and id, when known (for matching a NIC's reference to an inline subnet). */
    name?: string;
    id?: string;
    net: Net;
    addresses?: Addresses;
    nsg: NsgRef;
    /** Why flows through the subnet cannot be verified (user routes, a route table outside the stack). */
    unverifiable: string[];
    /** Why replies from the subnet to the internet may take a hop the plan does not show (a forced tunnel). */
    internetReplies: string[];
    /** The resource arrived with empty outputs. */
    empty?: string;
}

type Rec = Readonly<Record<string, TopologyValue>>;

export const UNKNOWN_NET: Net = { label: "an unknown network", known: NO_ADDRESSES, partial: "the network is not known", peers: [] };

function strings(v: TopologyValue | readonly Rec[] | undefined): string[] | undefined {
    if (typeof v === "string") return [v];
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v;
    return undefined;
}

function addressesOf(v: TopologyValue | readonly Rec[] | undefined): Addresses | undefined {
    const list = strings(v);
    return list ? cidrSet(list) : undefined;
}

function records(v: TopologyValue | readonly Rec[] | undefined): readonly Rec[] | undefined {
    return Array.isArray(v) && v.every((x) => typeof x === "object" && x !== null && !Array.isArray(x)) ? (v as readonly Rec[]) : undefined;
}

const lower = (v: TopologyValue | undefined) => (typeof v === "string" ? v.toLowerCase() : undefined);

interface Edge {
    name: string;
    from: string;
    to: { state: "found"; urn: string } | { state: "outside" } | { state: "unknown" };
    allowAccess: TopologyValue | undefined;
    gateways: boolean | "unknown";
}

export class Networks {
    private readonly nets = new Map<string, Net>();
    private readonly standalone = new Map<string, SubnetInfo>();
    private readonly inline = new Map<string, SubnetInfo[]>();
    /** Standalone subnets by the URN of their virtual network, and each subnet's network. */
    private readonly subnetsOf = new Map<string, StackResource[]>();
    private readonly vnetOf = new Map<
        string,
        { state: "found"; vnet: StackResource } | { state: "outside"; literal: string } | { state: "unknown" }
    >();
    private readonly edges = new Map<string, Edge[]>();
    /** Peerings into a network, by its URN. */
    private readonly incoming = new Map<string, Edge[]>();

    constructor(private readonly ix: AzureIndex) {
        const isVnet = hasRole(ROLE.vnet);
        for (const s of ix.of(ROLE.subnet)) {
            const [f] = ix.follow(s, "vnet", isVnet);
            let v: { state: "found"; vnet: StackResource } | { state: "outside"; literal: string } | { state: "unknown" } = {
                state: "unknown",
            };
            if (f?.resolved.state === "found") {
                const rg = topologyOf(s)?.values.resourceGroupName;
                const targets =
                    f.resolved.targets.length > 1 && typeof rg === "string"
                        ? f.resolved.targets.filter((t) => topologyOf(t)?.values.resourceGroupName === rg)
                        : f.resolved.targets;
                if (targets.length === 1) v = { state: "found", vnet: targets[0] };
            } else if (f?.resolved.state === "outside") {
                v = { state: "outside", literal: f.resolved.literal };
            }
            this.vnetOf.set(s.urn, v);
            if (v.state === "found") (this.subnetsOf.get(v.vnet.urn) ?? this.subnetsOf.set(v.vnet.urn, []).get(v.vnet.urn)!).push(s);
        }
        for (const p of ix.of(ROLE.peering)) {
            const m = topologyOf(p)!;
            const [from] = ix.follow(p, "vnet", isVnet);
            if (from?.resolved.state !== "found" || from.resolved.targets.length !== 1) continue;
            const [to] = ix.follow(p, "remote", isVnet);
            this.edge(from.resolved.targets[0].urn, {
                name: `\`${p.name}\``,
                to:
                    to?.resolved.state === "found" && to.resolved.targets.length === 1
                        ? { state: "found", urn: to.resolved.targets[0].urn }
                        : to?.resolved.state === "outside"
                          ? { state: "outside" }
                          : { state: "unknown" },
                allowAccess: m.values.allowVirtualNetworkAccess as TopologyValue | undefined,
                gateways: gatewayTransit(m.values as Record<string, TopologyValue>),
            });
        }
        for (const v of ix.of(ROLE.vnet)) this.inlineEdges(v);
        for (const list of [...this.edges.values()]) {
            for (const e of list)
                if (e.to.state === "found") (this.incoming.get(e.to.urn) ?? this.incoming.set(e.to.urn, []).get(e.to.urn)!).push(e);
        }
    }

    private edge(from: string, e: Omit<Edge, "from">): void {
        (this.edges.get(from) ?? this.edges.set(from, []).get(from)!).push({ ...e, from });
    }

    /** Inline `virtualNetworkPeerings`: an unknown remote is one of the networks `virtualNetworkPeerings` depends on. */
    private inlineEdges(v: StackResource): void {
        const list = records(topologyOf(v)!.values.peerings);
        if (!list) return;
        const others = (r: StackResource) => hasRole(ROLE.vnet)(r) && r.urn !== v.urn;
        const candidates = this.ix.resolve(v, { property: "virtualNetworkPeerings" }, others);
        const pool = candidates.state === "found" ? candidates.targets.map((t) => t.urn) : [];
        const unknown = list.filter((p) => typeof p.remote !== "string");
        list.forEach((p, i) => {
            const name = `\`${v.name}\` virtualNetworkPeerings[${i}]`;
            const base = { name, allowAccess: p.allowVirtualNetworkAccess, gateways: gatewayTransit(p) };
            if (typeof p.remote === "string") {
                const r = this.ix.resolve(v, { property: "virtualNetworkPeerings", literal: p.remote }, others);
                this.edge(v.urn, {
                    ...base,
                    to:
                        r.state === "found" && r.targets.length === 1
                            ? { state: "found", urn: r.targets[0].urn }
                            : r.state === "outside"
                              ? { state: "outside" }
                              : { state: "unknown" },
                });
            } else if (unknown.length === pool.length) {
                // As many unknown remotes as networks depended on: each peering names one of them (Azure allows one peering per pair).
                this.edge(v.urn, { ...base, to: { state: "found", urn: pool[unknown.indexOf(p)] } });
            } else {
                this.edge(v.urn, { ...base, to: { state: "unknown" } });
            }
        });
    }

    /** The network of a virtual network resource of the stack. */
    net(v: StackResource): Net {
        let n = this.nets.get(v.urn);
        if (n) return n;
        const m = topologyOf(v)!;
        const own = this.ownSpace(v);
        let known = own.addresses;
        const partial: string[] = [];
        if (m.empty) partial.push(`\`${v.name}\` arrived with empty outputs`);
        else if (!own.complete) partial.push(`the address space of \`${v.name}\` is unknown until update`);
        const peers: string[] = [];
        for (const e of this.edges.get(v.urn) ?? []) {
            if (e.gateways !== false) partial.push(`peering ${e.name} ${e.gateways === true ? "uses" : "may use"} gateway transit`);
            if (e.to.state === "outside") partial.push(`peering ${e.name} joins \`${v.name}\` to a network outside this stack`);
            else if (e.to.state === "unknown") partial.push(`the network peering ${e.name} joins is unknown until update`);
            else {
                const remote = this.ix.stack.resourceByUrn(e.to.urn)!;
                const back = (this.edges.get(e.to.urn) ?? []).some((b) => b.to.state === "found" && b.to.urn === v.urn);
                if (!back) {
                    partial.push(`peering ${e.name} has no peering back from \`${remote.name}\` in this stack`);
                    continue;
                }
                peers.push(e.to.urn);
                if (e.allowAccess === false) continue;
                if (isUnknownValue(e.allowAccess))
                    partial.push(`\`allowVirtualNetworkAccess\` of peering ${e.name} is unknown until update`);
                known = union(known, this.ownSpace(remote).addresses);
            }
        }
        for (const e of this.incoming.get(v.urn) ?? []) {
            const back = (this.edges.get(v.urn) ?? []).some((b) => b.to.state === "found" && b.to.urn === e.from);
            if (!back)
                partial.push(
                    `peering ${e.name} from \`${this.ix.stack.resourceByUrn(e.from)?.name}\` has no peering back from \`${v.name}\` in this stack`,
                );
        }
        const subnetNames = [
            ...(records(m.values.subnets) ?? []).map((r) => r.name),
            ...(this.subnetsOf.get(v.urn) ?? []).map((s) => topologyOf(s)!.values.name as TopologyValue),
        ];
        if (subnetNames.some((n) => lower(n) === "gatewaysubnet")) partial.push(`\`${v.name}\` has a GatewaySubnet`);
        partial.push(...this.routeTableNotes(v));
        n = { key: v.urn, label: v.name, known, peers, ...(partial.length > 0 ? { partial: partial[0] } : {}) };
        this.nets.set(v.urn, n);
        return n;
    }

    /** A network outside the stack, named by the link that points at it. */
    outside(literal: string, known: Addresses): Net {
        return {
            key: `outside:${literal.toLowerCase()}`,
            label: idTail(literal),
            known,
            partial: `virtual network \`${idTail(literal)}\` is outside this stack`,
            peers: [],
        };
    }

    /** The address space of a network and the prefixes of its subnets; `complete` when the address space is known. */
    private ownSpace(v: StackResource): { addresses: Addresses; complete: boolean } {
        const m = topologyOf(v)!;
        const space = addressesOf(m.values.addressPrefixes);
        let addresses = space ?? NO_ADDRESSES;
        for (const r of records(m.values.subnets) ?? []) addresses = union(addresses, addressesOf(r.addressPrefixes) ?? NO_ADDRESSES);
        for (const s of this.subnetsOf.get(v.urn) ?? [])
            addresses = union(addresses, addressesOf(topologyOf(s)!.values.addressPrefixes) ?? NO_ADDRESSES);
        return { addresses, complete: space !== undefined };
    }

    /** Route tables on the network's subnets: their routes' prefixes join `VirtualNetwork`. */
    private routeTableNotes(v: StackResource): string[] {
        const notes: string[] = [];
        const subnets = [...(this.subnetsOf.get(v.urn) ?? [])];
        const m = topologyOf(v)!;
        const inlineTables = (records(m.values.subnets) ?? []).filter((r) => r.routeTable !== undefined).length;
        if (
            inlineTables > 0 ||
            subnets.some((s) => this.routeTableRefs(s).length > 0) ||
            (this.ix.subnetRouteTables.get(v.urn) ?? []).length > 0
        ) {
            notes.push(`a route table on a subnet of \`${v.name}\` adds its routes' prefixes`);
        }
        return notes;
    }

    private routeTableRefs(s: StackResource): { from: StackResource; link: string }[] {
        return [
            ...(topologyOf(s)!.links.routeTable ?? []).map(() => ({ from: s, link: "routeTable" })),
            ...(this.ix.subnetRouteTables.get(s.urn) ?? []).map((a) => ({ from: a, link: "routeTable" })),
        ];
    }

    /** A standalone subnet resource. */
    subnet(s: StackResource): SubnetInfo {
        let info = this.standalone.get(s.urn);
        if (info) return info;
        const m = topologyOf(s)!;
        const where = this.vnetOf.get(s.urn) ?? { state: "unknown" as const };
        const addresses = addressesOf(m.values.addressPrefixes);
        const net =
            where.state === "found"
                ? this.net(where.vnet)
                : where.state === "outside"
                  ? this.outside(where.literal, addresses ?? NO_ADDRESSES)
                  : UNKNOWN_NET;
        const nsgRefs = [
            ...this.ix.follow(s, "nsg", isNsg),
            ...(this.ix.subnetNsgs.get(s.urn) ?? []).flatMap((a) => this.ix.follow(a, "nsg", isNsg)),
        ];
        const routes = this.routes(this.routeTableRefs(s), s.name, net);
        info = {
            key: s.urn,
            label: s.name,
            net,
            ...(typeof m.values.name === "string" ? { name: m.values.name } : {}),
            ...(m.identity[0] ? { id: m.identity[0] } : {}),
            ...(addresses ? { addresses } : {}),
            nsg: nsgOf(
                nsgRefs.map((f) => f.resolved),
                `subnet \`${s.name}\``,
            ),
            unverifiable: [
                ...(where.state === "unknown" ? [`the virtual network of subnet \`${s.name}\` is not known`] : []),
                ...routes.flows,
            ],
            internetReplies: routes.internet,
            ...(m.empty
                ? { empty: `subnet \`${s.name}\` arrived with empty outputs (its provider's configuration is unknown in preview)` }
                : where.state === "found" && topologyOf(where.vnet)!.empty
                  ? {
                        empty: `virtual network \`${where.vnet.name}\` arrived with empty outputs (its provider's configuration is unknown in preview)`,
                    }
                  : {}),
        };
        this.standalone.set(s.urn, info);
        return info;
    }

    /** The subnets written inline in a virtual network, without those the stack also has as Subnet resources. */
    inlineSubnets(v: StackResource): SubnetInfo[] {
        let list = this.inline.get(v.urn);
        if (list) return list;
        const m = topologyOf(v)!;
        const resources = (this.subnetsOf.get(v.urn) ?? []).map((s) => topologyOf(s)!);
        const ids = new Set(resources.flatMap((r) => r.identity.map((i) => i.toLowerCase())));
        const names = new Set(resources.map((r) => lower(r.values.name as TopologyValue)).filter((n) => n !== undefined));
        const recs = records(m.values.subnets) ?? [];
        // Classic associations that name one of these subnets by id; one whose subnet is unknown leaves them all in doubt.
        const associations = (this.ix.subnetNsgs.get(v.urn) ?? []).map((a) => ({ a, literal: topologyOf(a)!.links.subnet?.[0]?.literal }));
        const pending = associations.filter((x) => x.literal === undefined);
        list = [];
        recs.forEach((r, i) => {
            const name = typeof r.name === "string" ? r.name : undefined;
            const id = typeof r.id === "string" ? r.id : undefined;
            if ((id && ids.has(id.toLowerCase())) || (name && names.has(name.toLowerCase()))) return;
            const label = `${v.name}/${name ?? `subnets[${i}]`}`;
            const net = this.net(v);
            let nsg = inlineNsg(this.ix, v, r.nsg, `subnet \`${label}\``);
            const assoc = associations.filter(
                (x) => x.literal !== undefined && id !== undefined && x.literal.toLowerCase() === id.toLowerCase(),
            );
            if (assoc.length > 0)
                nsg = nsgOf(
                    assoc.flatMap((x) => this.ix.follow(x.a, "nsg", isNsg).map((f) => f.resolved)),
                    `subnet \`${label}\``,
                );
            if (pending.length > 0)
                nsg = {
                    state: "doubt",
                    short: "unknown until update",
                    reason: `NSG association \`${pending[0].a.name}\` names a subnet of \`${v.name}\` that is unknown until update`,
                };
            const addresses = addressesOf(r.addressPrefixes);
            const routes = r.routeTable === undefined ? { flows: [], internet: [] } : this.inlineRoutes(v, r.routeTable, label, net);
            list.push({
                key: `${v.urn}#${name ?? i}`,
                label,
                net,
                nsg,
                ...(name ? { name } : {}),
                ...(id ? { id } : {}),
                ...(addresses ? { addresses } : {}),
                unverifiable: routes.flows,
                internetReplies: routes.internet,
            });
        });
        this.inline.set(v.urn, list);
        return list;
    }

    private inlineRoutes(v: StackResource, routeTable: TopologyValue, label: string, net: Net): Effects {
        const link = typeof routeTable === "string" ? { property: "subnets", literal: routeTable } : { property: "subnets" };
        const r = this.ix.resolve(v, link, hasRole(ROLE.routeTable));
        if (r.state === "found" && r.targets.length === 1) return this.tableRoutes(r.targets[0], net);
        return both(
            r.state === "outside"
                ? `route table \`${idTail(r.literal)}\` of subnet \`${label}\` is outside this stack`
                : `which route table subnet \`${label}\` has is unknown until update`,
        );
    }

    /** What user routes make unverifiable in a subnet: flows inside the network, and replies to the internet. */
    private routes(refs: { from: StackResource; link: string }[], label: string, net: Net): Effects {
        const out: Effects = { flows: [], internet: [] };
        for (const ref of refs) {
            for (const f of this.ix.follow(ref.from, ref.link, hasRole(ROLE.routeTable))) {
                const e =
                    f.resolved.state === "found" && f.resolved.targets.length === 1
                        ? this.tableRoutes(f.resolved.targets[0], net)
                        : both(
                              f.resolved.state === "outside"
                                  ? `route table \`${idTail(f.resolved.literal)}\` of subnet \`${label}\` is outside this stack`
                                  : `which route table subnet \`${label}\` has is unknown until update`,
                          );
                out.flows.push(...e.flows);
                out.internet.push(...e.internet);
            }
        }
        return out;
    }

    /**
     * Routes of a route table that take traffic inside the network's ranges away from the network
     * itself (flows), and routes that send every reply to the internet somewhere else than the
     * internet (a forced tunnel to a firewall appliance: the reply to an internet client takes a hop the plan does not show).
     */
    private tableRoutes(rt: StackResource, net: Net): Effects {
        const m = topologyOf(rt)!;
        if (m.empty) return both(`route table \`${rt.name}\` arrived with empty outputs`);
        const inline = m.values.routes;
        if (isUnknownValue(inline)) return both(`the routes of route table \`${rt.name}\` are unknown until update`);
        const all = [
            ...(records(inline) ?? []).map((r) => ({ prefix: r.addressPrefix, hop: r.nextHopType })),
            ...(this.ix.routesOf.get(rt.urn) ?? []).map((r) => ({
                prefix: topologyOf(r)!.values.addressPrefix as TopologyValue,
                hop: topologyOf(r)!.values.nextHopType as TopologyValue,
            })),
        ];
        const out: Effects = { flows: [], internet: [] };
        let away: Addresses = NO_ADDRESSES;
        const hops = new Set<string>();
        for (const { prefix, hop } of all) {
            if (typeof prefix !== "string" || typeof hop !== "string") {
                const e = `a route of route table \`${rt.name}\` is unknown until update`;
                out.flows.push(e);
                out.internet.push(e);
                continue;
            }
            const range = cidrSet([prefix]);
            if (hop.toLowerCase() !== "internet") {
                away = union(away, range);
                hops.add(hop);
            }
            if (hop.toLowerCase() === "vnetlocal") continue;
            const inside =
                (!range.v4.isEmpty && net.known.v4.containsSet(range.v4)) || (!range.v6.isEmpty && net.known.v6.containsSet(range.v6));
            if (inside)
                out.flows.push(`route table \`${rt.name}\` sends ${prefix} to ${hop}, and what that next hop does is not in the plan`);
        }
        if (away.v4.isFull || away.v6.isFull)
            out.internet.push(
                `route table \`${rt.name}\` sends replies to the internet to ${[...hops].join(" or ")}, and what that next hop does is not in the plan`,
            );
        return out;
    }
}

/** What user routes leave unverifiable: flows through the subnet, and its way back to the internet. */
interface Effects {
    flows: string[];
    internet: string[];
}

const both = (reason: string): Effects => ({ flows: [reason], internet: [reason] });

function gatewayTransit(values: Readonly<Record<string, TopologyValue | undefined>>): boolean | "unknown" {
    const flags = [values.useRemoteGateways, values.allowGatewayTransit];
    if (flags.some((f) => f === true)) return true;
    return flags.some((f) => isUnknownValue(f)) ? "unknown" : false;
}

/** The NSG one or several references name, or why it cannot be told. */
export function nsgOf(refs: ReturnType<AzureIndex["follow"]>[number]["resolved"][], what: string): NsgRef {
    if (refs.length === 0) return { state: "none" };
    const found = new Map<string, StackResource>();
    for (const r of refs) {
        if (r.state === "outside")
            return {
                state: "doubt",
                short: "outside this stack",
                reason: `the NSG of ${what} (\`${idTail(r.literal)}\`) is outside this stack`,
            };
        if (r.state === "unknown")
            return { state: "doubt", short: "unknown until update", reason: `the NSG of ${what} is unknown until update` };
        for (const t of r.targets) found.set(t.urn, t);
    }
    if (found.size === 1) return { state: "found", nsg: [...found.values()][0] };
    return {
        state: "doubt",
        short: "one of several, unknown until update",
        reason: `which of ${[...found.values()].map((n) => `\`${n.name}\``).join(", ")} is the NSG of ${what} is unknown until update`,
    };
}

/** The NSG of a subnet inline in a virtual network: by its id, else the one NSG `subnets` depends on. */
function inlineNsg(ix: AzureIndex, v: StackResource, nsg: TopologyValue | undefined, what: string): NsgRef {
    if (nsg === undefined) return { state: "none" };
    const link = typeof nsg === "string" ? { property: "subnets", literal: nsg } : { property: "subnets" };
    return nsgOf([ix.resolve(v, link, isNsg)], what);
}
