// Load balancers as ways in from the internet to the NICs of their backend pools and NAT rules.
// An Azure load balancer passes the packet through with the client's own address, so the NIC's
// subnet NSG and NIC NSG see the internet, as behind a public IP of its own: each load-balancing
// rule of a public frontend forwards its `frontendPort` to `backendPort` on every NIC of its pool,
// each inbound NAT rule its port to one NIC. An internal frontend is no way in. What the plan does
// not tell (a pool outside the stack, a link or port unknown until update) is a way in that proves
// nothing: never a pass, never a definite exposure.
import { Addresses, Hop, InternetPath, ResourceName, overlaps } from "../../model/graph";
import { cidrSet } from "../../model/addresses";
import { ALL_PORTS, formatPorts, PortSet, portRange } from "../../model/intervals";
import { ConcreteProtocol } from "../../model/protocol";
import { Resolved, StackResource } from "../../model/stack";
import { isUnknownValue, TopologyLink, TopologyValue } from "../../model/topology";
import { AzureIndex, Found, hasRole, idTail, nicText, topologyOf } from "./graph-index";
import { emptyNote, publicIps, SkuDoubt } from "./graph-public-ips";
import { ROLE } from "./topology";

type Rec = Readonly<Record<string, TopologyValue>>;

const isLb = hasRole(ROLE.loadBalancer);
const isPool = hasRole(ROLE.lbPool);
const isNatRule = hasRole(ROLE.lbNatRule);
const isPip = hasRole(ROLE.publicIp);
const isLbOrPool = hasRole(ROLE.loadBalancer, ROLE.lbPool);
const isLbOrNatRule = hasRole(ROLE.loadBalancer, ROLE.lbNatRule);
const isLbOrNatPool = hasRole(ROLE.loadBalancer, ROLE.lbNatPool);
const isNic = hasRole(ROLE.nic);

/** A pool member listed by IP address: the address when known, else the NICs it was taken from (property dependencies). */
interface AddressEntry {
    ip?: string;
    /** The URNs of the NICs the address depends on, when it is unknown until update. */
    nics?: readonly string[];
}

interface Pool {
    key: string;
    lb: StackResource;
    name?: string;
    id?: string;
    /** Members listed by IP address; `unknown`: the list itself is unknown until update. */
    addresses?: readonly AddressEntry[] | "unknown";
}

/** A load-balancing rule or an inbound NAT rule: what it forwards, and to which pools. */
interface Forward {
    lb: StackResource;
    /** How messages name it: `rule loadBalancingRules[0] "http"`, ``rule `http-rule` ``. */
    text: string;
    /** For the placement's label: `rule loadBalancingRules[0]`, `NAT rule ssh`. */
    short: string;
    /** The rule's own resource, for a standalone one. */
    urn?: string;
    values: Rec;
    /** The pools it forwards to (a NAT rule only with a port range): their keys, or why they cannot be told. */
    pools: { keys: string[] } | { unknown: string };
}

interface LbInfo {
    fronts: readonly Rec[] | { unknown: string };
    pools: Pool[];
    rules: Forward[];
    natRules: Forward[];
    /** Inbound NAT pools: a frontend port range to one backend port on each instance of the scale sets that name them. */
    natPools: Forward[];
    /** Why the rules of the balancer cannot all be read (a list unknown until update). */
    unknownRules?: string;
    empty?: string;
}

/** A NIC's place behind a pool or a NAT rule: the ones it may be in (several: which is unknown), or why none can be told. */
type Member<T> = { of: T[]; maybe?: string } | { doubt: string; text: string };

/** One way in through a load balancer: the placement's internet path, and what its label adds. */
export interface LbWay {
    lb?: ResourceName;
    label: string;
    path: InternetPath;
    skuUnknown?: SkuDoubt;
}

const q = (s: string) => `\`${s}\``;
const lower = (v: TopologyValue | undefined) => (typeof v === "string" ? v.toLowerCase() : undefined);
const records = (v: unknown): readonly Rec[] | undefined =>
    Array.isArray(v) && v.every((x) => typeof x === "object" && x !== null && !Array.isArray(x)) ? (v as Rec[]) : undefined;
const named = (name: TopologyValue | undefined) => (typeof name === "string" ? ` "${name}"` : "");

function num(v: TopologyValue | undefined): number | "unknown" | undefined {
    if (v === undefined) return undefined;
    if (isUnknownValue(v)) return "unknown";
    if (typeof v === "number") return v;
    return typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** The name an Azure child id ends in (`.../backendAddressPools/web` → web), for the given kind. */
function childName(id: string, kind: string): string | undefined {
    return new RegExp(`/${kind}/([^/]+)$`, "i").exec(id)?.[1];
}

/** Whether an id or name reference names a child of the balancer (a pool, a frontend). */
function names(ref: string, child: { id?: TopologyValue; name?: TopologyValue }, kind: string): boolean {
    const l = ref.toLowerCase();
    if (typeof child.id === "string" && child.id.toLowerCase() === l) return true;
    const tail = ref.includes("/") ? childName(ref, kind) : ref;
    return tail !== undefined && lower(child.name) === tail.toLowerCase();
}

export class LoadBalancers {
    private readonly infos = new Map<string, LbInfo>();
    private readonly byName = new Map<string, StackResource[]>();
    /** The rules waysOf found for a NIC through its own references: addressWays does not give them twice. */
    private readonly used = new Map<string, Set<Forward>>();
    private addressPools?: Pool[];

    constructor(private readonly ix: AzureIndex) {
        for (const lb of ix.of(ROLE.loadBalancer)) {
            const n = lower(topologyOf(lb)!.values.name as TopologyValue | undefined);
            if (n !== undefined) (this.byName.get(n) ?? this.byName.set(n, []).get(n)!).push(lb);
        }
    }

    /** Whether the stack has anything that puts a NIC behind a load balancer: else no NIC is looked at. */
    get any(): boolean {
        return (
            this.ix.of(ROLE.loadBalancer).length > 0 ||
            this.ix.of(ROLE.lbPool).length > 0 ||
            this.ix.of(ROLE.lbNatRule).length > 0 ||
            this.ix.of(ROLE.lbNatPool).length > 0 ||
            this.ix.nicPools.size > 0 ||
            this.ix.nicNatRules.size > 0
        );
    }

    /** The ways in through load balancers to one NIC. */
    waysOf(nic: StackResource, empties: string[]): LbWay[] {
        const m = topologyOf(nic)!;
        const poolLinks = m.links.lbPools ?? [];
        const natLinks = m.links.lbNatRules ?? [];
        const natPoolLinks = m.links.lbNatPools ?? [];
        const assocPools = this.ix.nicPools.get(nic.urn) ?? [];
        const assocNat = this.ix.nicNatRules.get(nic.urn) ?? [];
        if (poolLinks.length + natLinks.length + natPoolLinks.length + assocPools.length + assocNat.length === 0) return [];
        const ways: LbWay[] = [];
        // A rule reached through several pools (or candidates) is one way in: the first, with its doubts.
        const seen = new Set<Forward>();
        this.used.set(nic.urn, seen);
        const pools = [
            ...this.ix.follow(nic, "lbPools", isLbOrPool).map((f) => this.poolMember(nic, f)),
            ...assocPools.flatMap((a) => this.ix.follow(a, "pool", isPool).map((f) => this.poolMember(nic, f))),
        ];
        for (const member of pools) {
            if ("doubt" in member) ways.push(doubtWay(member.text, member.doubt));
            else for (const pool of member.of) ways.push(...this.throughPool(pool, seen, empties, [member.maybe]));
        }
        const nats = [
            ...this.ix.follow(nic, "lbNatRules", isLbOrNatRule).map((f) => this.natMember(nic, f)),
            ...assocNat.flatMap((a) => this.ix.follow(a, "natRule", isNatRule).map((f) => this.natMember(nic, f))),
            ...this.ix.follow(nic, "lbNatPools", isLbOrNatPool).map((f) => this.natPoolMember(nic, f)),
        ];
        for (const member of nats) {
            if ("doubt" in member) {
                ways.push(doubtWay(member.text, member.doubt));
                continue;
            }
            for (const r of member.of) {
                if (seen.has(r)) continue;
                seen.add(r);
                const info = this.info(r.lb);
                if (info.empty) empties.push(info.empty);
                else {
                    const w = this.way(r, info, empties, [member.maybe]);
                    if (w) ways.push(w);
                }
            }
        }
        return ways;
    }

    /** The ways in through the rules that forward to one pool the NIC is (or may be) in, but for those already in `seen`. */
    private throughPool(pool: Pool, seen: Set<Forward>, empties: string[], doubts: (string | undefined)[]): LbWay[] {
        const info = this.info(pool.lb);
        if (info.empty) {
            empties.push(info.empty);
            return [];
        }
        const ways: LbWay[] = [];
        if (info.unknownRules) ways.push(doubtWay(`load balancer ${q(pool.lb.name)}`, info.unknownRules, pool.lb));
        for (const r of [...info.rules, ...info.natRules]) {
            if (seen.has(r)) continue;
            const hit = "keys" in r.pools ? r.pools.keys.includes(pool.key) : info.pools.length <= 1 ? true : "maybe";
            if (hit === false) continue;
            const maybe =
                hit === "maybe" ? `which backend pool of ${q(pool.lb.name)} ${r.text} forwards to is unknown until update` : undefined;
            seen.add(r);
            const w = this.way(r, info, empties, [...doubts, maybe]);
            if (w) ways.push(w);
        }
        return ways;
    }

    /**
     * The ways in through pools that list their members by IP address, to a NIC with these private
     * IPs in a subnet of these addresses: a listed address the NIC has puts it in the pool; an
     * address unknown until update, or a NIC whose own address is not known yet but whose subnet
     * holds a listed one, may or may not (a doubt, never a pass).
     */
    addressWays(nic: StackResource, ips: readonly string[], subnet: Addresses | undefined, empties: string[]): LbWay[] {
        this.addressPools ??= this.ix.of(ROLE.loadBalancer).flatMap((lb) => this.info(lb).pools.filter((p) => p.addresses));
        if (this.addressPools.length === 0) return [];
        const seen = this.used.get(nic.urn) ?? new Set<Forward>();
        this.used.set(nic.urn, seen);
        const ways: LbWay[] = [];
        for (const pool of this.addressPools) {
            const what = `backend pool ${pool.name !== undefined ? q(pool.name) : "(unnamed)"} of load balancer ${q(pool.lb.name)}`;
            const doubt = this.addressDoubt(nic, pool, what, ips, subnet);
            if (doubt === false) continue;
            ways.push(...this.throughPool(pool, seen, empties, [doubt === true ? undefined : doubt]));
        }
        return ways;
    }

    /** Whether the NIC is in a pool listed by address: true, false, or why that is unknown. */
    private addressDoubt(
        nic: StackResource,
        pool: Pool,
        what: string,
        ips: readonly string[],
        subnet: Addresses | undefined,
    ): boolean | string {
        const maybe = `whether ${nicText(nic)} is in ${what}, which lists its members by IP address, is unknown until update`;
        if (pool.addresses === "unknown") return maybe;
        let doubt = false;
        for (const a of pool.addresses ?? []) {
            if (a.ip !== undefined) {
                if (ips.includes(a.ip)) return true;
                if (ips.length === 0 && (subnet === undefined || overlaps(cidrSet([a.ip]), subnet))) doubt = true;
            } else if (a.nics && a.nics.length > 0) {
                if (a.nics.includes(nic.urn)) return a.nics.length === 1 ? true : maybe;
            } else doubt = true;
        }
        return doubt ? maybe : false;
    }

    /** The pools a NIC's reference (or a classic association's) names. */
    private poolMember(nic: StackResource, f: Found): Member<Pool> {
        return this.member(
            nic,
            f,
            "backendAddressPools",
            "backend pool",
            (lb) => this.info(lb).pools,
            (p) => this.standalonePool(p),
        );
    }

    private natMember(nic: StackResource, f: Found): Member<Forward> {
        return this.member(
            nic,
            f,
            "inboundNatRules",
            "inbound NAT rule",
            (lb) => this.info(lb).natRules,
            (r) => this.standaloneNat(r),
        );
    }

    private natPoolMember(nic: StackResource, f: Found): Member<Forward> {
        return this.member(
            nic,
            f,
            "inboundNatPools",
            "inbound NAT pool",
            (lb) => this.info(lb).natPools,
            (r) => {
                const lb = this.lbOf(r, "inbound NAT pool");
                if ("doubt" in lb) return lb;
                return this.info(lb.lb).natPools.find((x) => x.urn === r.urn) ?? { of: [] };
            },
        );
    }

    private member<T extends { lb: StackResource; values?: Rec; name?: string; id?: string }>(
        nic: StackResource,
        f: Found,
        kind: string,
        what: string,
        children: (lb: StackResource) => T[],
        standalone: (r: StackResource) => T | Member<T>,
    ): Member<T> {
        let resolved: Resolved = f.resolved;
        const literal = f.link.literal;
        if (resolved.state === "outside") {
            const lb = this.lbByChildId(resolved.literal, kind);
            if (lb) resolved = { state: "found", targets: [lb] };
        }
        if (resolved.state === "outside")
            return {
                doubt: `${what} \`${idTail(resolved.literal)}\` of ${nicText(nic)} is outside this stack`,
                text: `${what} \`${idTail(resolved.literal)}\` (outside this stack)`,
            };
        if (resolved.state === "unknown")
            return {
                doubt: `a load balancer ${what} of ${nicText(nic)} is unknown until update`,
                text: `a load balancer ${what} of ${nicText(nic)} (unknown until update)`,
            };
        const out: T[] = [];
        for (const t of new Set(resolved.targets)) {
            if (!isLb(t)) {
                const s = standalone(t);
                if ("doubt" in s) return s;
                if ("of" in s) out.push(...s.of);
                else out.push(s);
                continue;
            }
            const all = children(t);
            const picked =
                literal !== undefined
                    ? all.filter((c) => names(literal, { id: c.id ?? c.values?.id, name: c.name ?? c.values?.name }, kind))
                    : all;
            if (literal !== undefined && picked.length === 0)
                return {
                    doubt: `${nicText(nic)} names a ${what} of \`${t.name}\` (\`${idTail(literal)}\`) that the stack does not show`,
                    text: `${what} \`${idTail(literal)}\` of load balancer \`${t.name}\``,
                };
            out.push(...picked);
        }
        const of = [...new Set(out)];
        return {
            of,
            ...(of.length > 1 ? { maybe: `which ${what} ${nicText(nic)} is in is unknown until update` } : {}),
        };
    }

    /** A load balancer of the stack an id names by its name and resource group (one built by hand before the balancer exists). */
    private lbByChildId(id: string, kind: string): StackResource | undefined {
        const m = new RegExp(`/resourceGroups/([^/]+)/providers/Microsoft\\.Network/loadBalancers/([^/]+)/${kind}/[^/]+$`, "i").exec(id);
        if (!m) return undefined;
        const candidates = (this.byName.get(m[2].toLowerCase()) ?? []).filter((lb) => {
            const rg = topologyOf(lb)!.values.resourceGroupName;
            return typeof rg !== "string" || rg.toLowerCase() === m[1].toLowerCase();
        });
        return candidates.length === 1 ? candidates[0] : undefined;
    }

    private standalonePool(p: StackResource): Pool | Member<Pool> {
        const lb = this.lbOf(p, "backend pool");
        if ("doubt" in lb) return lb;
        return this.info(lb.lb).pools.find((x) => x.key === p.urn) ?? { of: [] };
    }

    private standaloneNat(r: StackResource): Forward | Member<Forward> {
        const lb = this.lbOf(r, "inbound NAT rule");
        if ("doubt" in lb) return lb;
        return this.info(lb.lb).natRules.find((x) => x.urn === r.urn) ?? { of: [] };
    }

    private lbOf(r: StackResource, what: string): { lb: StackResource } | { doubt: string; text: string } {
        const [f] = this.ix.follow(r, "lb", isLb);
        if (f?.resolved.state === "found" && f.resolved.targets.length === 1) return { lb: f.resolved.targets[0] };
        const state = f?.resolved.state === "outside" ? "outside this stack" : "unknown until update";
        return {
            doubt: `the load balancer of ${what} \`${r.name}\` is ${state}`,
            text: `the load balancer of ${what} \`${r.name}\` (${state})`,
        };
    }

    /** A balancer's frontends, pools and rules, inline and standalone, read once. */
    private info(lb: StackResource): LbInfo {
        let info = this.infos.get(lb.urn);
        if (info) return info;
        const m = topologyOf(lb)!;
        const v = m.values;
        const inlinePools = records(v.pools) ?? [];
        const pools: Pool[] = [
            ...inlinePools.map((p, i) => {
                const addresses = this.addressesOf(lb, "backendAddressPools", p.addresses, []);
                return {
                    key: `${lb.urn}#pool:${typeof p.name === "string" ? p.name : i}`,
                    lb,
                    ...(typeof p.name === "string" ? { name: p.name } : {}),
                    ...(typeof p.id === "string" ? { id: p.id } : {}),
                    ...(addresses ? { addresses } : {}),
                };
            }),
            ...(this.ix.lbPools.get(lb.urn) ?? []).map((p) => {
                const pm = topologyOf(p)!;
                const addresses = this.addressesOf(
                    p,
                    "loadBalancerBackendAddresses",
                    pm.values.addresses,
                    this.ix.poolAddresses.get(p.urn) ?? [],
                );
                return {
                    key: p.urn,
                    lb,
                    ...(typeof pm.values.name === "string" ? { name: pm.values.name } : {}),
                    ...(pm.identity[0] ? { id: pm.identity[0] } : {}),
                    ...(addresses ? { addresses } : {}),
                };
            }),
        ];
        const keysOf = (ids: TopologyValue | undefined, prop: string): Forward["pools"] => {
            if (ids === undefined) return { keys: [] };
            if (isUnknownValue(ids)) return { unknown: prop };
            const list = typeof ids === "string" ? [ids] : Array.isArray(ids) ? (ids as string[]) : [];
            return { keys: pools.filter((p) => list.some((id) => names(id, p, "backendAddressPools"))).map((p) => p.key) };
        };
        const rules: Forward[] = (records(v.rules) ?? []).map((r, i) => ({
            lb,
            text: `rule loadBalancingRules[${i}]${named(r.name)}`,
            short: `rule loadBalancingRules[${i}]`,
            values: r,
            pools: keysOf(r.pools, "loadBalancingRules"),
        }));
        for (const r of this.ix.lbRules.get(lb.urn) ?? []) {
            const found = this.ix.follow(r, "pools", isPool);
            const unknown = found.some((f) => f.resolved.state === "unknown");
            const keys = found.flatMap((f) => (f.resolved.state === "found" ? f.resolved.targets.map((t) => t.urn) : []));
            rules.push({
                lb,
                text: `rule \`${r.name}\``,
                short: `rule ${r.name}`,
                values: topologyOf(r)!.values as Rec,
                pools: unknown ? { unknown: "backendAddressPoolIds" } : { keys },
            });
        }
        const natRules: Forward[] = (records(v.natRules) ?? []).map((r, i) => ({
            lb,
            text: `inbound NAT rule inboundNatRules[${i}]${named(r.name)}`,
            short: `NAT rule inboundNatRules[${i}]`,
            values: r,
            pools: keysOf(r.pool, "inboundNatRules"),
        }));
        for (const r of this.ix.lbNatRules.get(lb.urn) ?? []) {
            const link = topologyOf(r)!.links.pool?.[0];
            let pools: Forward["pools"] = { keys: [] };
            if (link) {
                const res = this.ix.resolve(r, link, isPool);
                pools =
                    res.state === "found"
                        ? { keys: res.targets.map((t) => t.urn) }
                        : link.literal !== undefined
                          ? keysOf(link.literal, "backendAddressPool")
                          : { unknown: "backendAddressPool" };
            }
            natRules.push({
                lb,
                text: `inbound NAT rule \`${r.name}\``,
                short: `NAT rule ${r.name}`,
                urn: r.urn,
                values: topologyOf(r)!.values as Rec,
                pools,
            });
        }
        const natPools: Forward[] = (records(v.natPools) ?? []).map((r, i) => ({
            lb,
            text: `inbound NAT pool inboundNatPools[${i}]${named(r.name)}`,
            short: `NAT pool inboundNatPools[${i}]`,
            values: r,
            pools: { keys: [] },
        }));
        for (const r of this.ix.lbNatPools.get(lb.urn) ?? [])
            natPools.push({
                lb,
                text: `inbound NAT pool \`${r.name}\``,
                short: `NAT pool ${r.name}`,
                urn: r.urn,
                values: topologyOf(r)!.values as Rec,
                pools: { keys: [] },
            });
        const unknownList = (["rules", "natRules", "natPools"] as const).find((k) => isUnknownValue(v[k]));
        info = {
            fronts: isUnknownValue(v.frontends) ? v.frontends : (records(v.frontends) ?? []),
            pools,
            rules,
            natRules,
            natPools,
            ...(unknownList
                ? {
                      unknownRules: `the ${unknownList === "rules" ? "load-balancing rules" : unknownList === "natRules" ? "inbound NAT rules" : "inbound NAT pools"} of load balancer \`${lb.name}\` are unknown until update`,
                  }
                : {}),
            ...(m.empty ? { empty: emptyNote("load balancer", lb) } : {}),
        };
        this.infos.set(lb.urn, info);
        return info;
    }

    /**
     * A pool's members listed by address: inline ones (`list`, read from `holder`'s `property`, whose
     * property dependencies name the NICs an unknown address came from) and classic member resources.
     */
    private addressesOf(
        holder: StackResource,
        property: string,
        list: unknown,
        members: readonly StackResource[],
    ): Pool["addresses"] | undefined {
        if (isUnknownValue(list)) return "unknown";
        const nicsOf = (r: StackResource, prop: string): string[] => {
            const res = this.ix.stack.resolve(r, { property: prop }, isNic);
            return res.state === "found" ? res.targets.map((t) => t.urn) : [];
        };
        const out: AddressEntry[] = [];
        for (const a of records(list) ?? []) {
            if (typeof a.ip === "string") out.push({ ip: a.ip });
            else if (a.ip !== undefined || isUnknownValue(a)) out.push({ nics: nicsOf(holder, property) });
        }
        for (const m of members) {
            const ip = topologyOf(m)!.values.ip;
            if (typeof ip === "string") out.push({ ip });
            else if (ip !== undefined) out.push({ nics: nicsOf(m, "ipAddress") });
        }
        return out.length > 0 ? out : undefined;
    }

    /** The way in one rule makes from its frontend's public IPs to the NIC; undefined for an internal frontend. */
    private way(r: Forward, info: LbInfo, empties: string[], doubts: (string | undefined)[]): LbWay | undefined {
        const lb = r.lb;
        const reasons = doubts.filter((d): d is string => d !== undefined);
        if (isUnknownValue(info.fronts))
            return doubtWay(
                `load balancer ${q(lb.name)} ${r.text}`,
                `the frontend IP configurations of load balancer ${q(lb.name)} are unknown until update`,
                lb,
            );
        const fronts = info.fronts;
        const ref = r.values.frontend ?? r.values.frontendName;
        const chosen = typeof ref === "string" ? fronts.filter((f) => names(ref, f, "frontendIPConfigurations")) : [];
        const candidates = chosen.length > 0 ? chosen : fronts;
        const publics = candidates.filter((f) => f.publicIp !== undefined);
        if (publics.length === 0) return undefined;
        if (publics.length < candidates.length)
            reasons.push(
                `which frontend of load balancer ${q(lb.name)} ${r.text} uses (a public or an internal one) is unknown until update`,
            );
        const property = topologyOf(lb)!.provider === "azure" ? "frontendIpConfigurations" : "frontendIPConfigurations";
        const seen = new Set<string>();
        const resolved: Resolved[] = [];
        for (const f of publics) {
            const link: TopologyLink = typeof f.publicIp === "string" ? { property, literal: f.publicIp } : { property };
            const key = link.literal ?? "?";
            if (seen.has(key)) continue;
            seen.add(key);
            resolved.push(this.ix.resolve(lb, link, isPip));
        }
        const ips = publicIps(resolved, { urn: lb.urn, name: lb.name, kind: "load balancer" }, empties);
        const sku = topologyOf(lb)!.values.sku;
        const basic = lower(sku as TopologyValue | undefined) === "basic";
        let skuUnknown = ips.skuUnknown;
        if (isUnknownValue(sku))
            skuUnknown ??= {
                kind: "the SKU of load balancer",
                holder: { urn: lb.urn, name: lb.name },
                state: "unknown until update",
                reason: `the SKU of load balancer ${q(lb.name)} is unknown until update, and without an NSG a Basic load balancer is open`,
            };
        const forwarded = forwarding(r, lb, property === "frontendIpConfigurations" ? "floatingIpEnabled" : "enableFloatingIP");
        reasons.push(...forwarded.reasons);
        const skuText = basic ? " (Basic SKU: open where no NSG filters)" : isUnknownValue(sku) ? " (SKU unknown until update)" : "";
        const hop: Hop = {
            resource: { urn: lb.urn, name: lb.name },
            text: `load balancer ${q(lb.name)}${skuText} ${r.text} (${forwarded.text})`,
        };
        const path: InternetPath = {
            hops: [...ips.hops, hop],
            families: [...ips.families].sort(),
            ...(ips.allStandard && !basic && !isUnknownValue(sku) ? { closedWithoutFilters: true } : {}),
            ...(forwarded.map
                ? {
                      ports: forwarded.map.targets,
                      front: { layers: [], ports: forwarded.map.fronts, forwards: forwarded.map.forwards },
                  }
                : {}),
            ...(reasons.length > 0 ? { unverifiable: [...new Set(reasons)].join("; ") } : {}),
            ...(forwarded.floating ? { unverifiableIfFiltered: forwarded.floating } : {}),
        };
        return { lb: { urn: lb.urn, name: lb.name }, label: `${lb.name} ${r.short}`, path, ...(skuUnknown ? { skuUnknown } : {}) };
    }
}

/** A way in whose load balancer or pool the plan does not tell: every port, from anywhere, proving nothing. */
function doubtWay(text: string, reason: string, lb?: StackResource): LbWay {
    return {
        ...(lb ? { lb: { urn: lb.urn, name: lb.name } } : {}),
        label: lb ? lb.name : "a load balancer not in the plan",
        path: {
            hops: [{ ...(lb ? { resource: { urn: lb.urn, name: lb.name } } : {}), text }],
            families: ["v4", "v6"],
            unverifiable: reason,
        },
    };
}

interface Mapping {
    targets: Map<ConcreteProtocol, PortSet>;
    fronts: Map<ConcreteProtocol, PortSet>;
    forwards: Map<ConcreteProtocol, { ports: PortSet; targets: PortSet }[]>;
}

/**
 * What a rule forwards: its front ports to its backend port, per protocol (`All` is tcp and udp; port
 * 0 is every port, to the same port). `floating`: why floating IP leaves the NSGs unread, a doubt
 * only where an NSG filters (`floatingProperty`: the provider's name for it).
 */
function forwarding(
    r: Forward,
    lb: StackResource,
    floatingProperty: string,
): { map?: Mapping; text: string; reasons: string[]; floating?: string } {
    const v = r.values;
    const of = `${r.text} of load balancer ${q(lb.name)}`;
    const reasons: string[] = [];
    const proto = lower(v.protocol);
    const protocols: ConcreteProtocol[] = proto === "tcp" ? ["tcp"] : proto === "udp" ? ["udp"] : proto === "all" ? ["tcp", "udp"] : [];
    if (protocols.length === 0)
        reasons.push(`the protocol of ${of} is ${isUnknownValue(v.protocol) ? "unknown until update" : "not read"}`);
    const start = num(v.rangeStart);
    const end = num(v.rangeEnd);
    const fp = num(v.frontendPort);
    const bp = num(v.backendPort);
    let fronts: PortSet | undefined;
    if (typeof start === "number" && typeof end === "number" && end >= start) fronts = portRange(start, end);
    else if (typeof fp === "number") fronts = fp === 0 ? ALL_PORTS : portRange(fp, fp);
    let targets: PortSet | undefined;
    let same = false;
    if (typeof bp === "number") {
        same = bp === 0;
        targets = bp === 0 ? fronts : portRange(bp, bp);
    }
    if (fronts === undefined || targets === undefined)
        reasons.push(
            `the ports of ${of} are ${[start, end, fp, bp].some((x) => x === "unknown") ? "unknown until update" : "not all given"}`,
        );
    const uses = v.floating === true || isUnknownValue(v.floating);
    const floating = uses
        ? `${of} ${v.floating === true ? "uses" : "may use"} floating IP (\`${floatingProperty}\`): the packet arrives addressed to the frontend's own address, which the NSG rules are not read against`
        : undefined;
    const protoText = protocols.length === 2 ? "tcp and udp" : (protocols[0] ?? "?");
    if (protocols.length === 0 || fronts === undefined || targets === undefined)
        return { text: `${protoText} ports unknown`, reasons, ...(floating ? { floating } : {}) };
    const text = same
        ? `${protoText} ${fronts.isFull ? "every port (HA ports)" : formatPorts(fronts, 4)}, to the same port`
        : `${protoText} ${formatPorts(fronts, 4)} → ${formatPorts(targets, 4)}`;
    const map: Mapping = { targets: new Map(), fronts: new Map(), forwards: new Map() };
    for (const p of protocols) {
        map.targets.set(p, targets);
        map.fronts.set(p, fronts);
        map.forwards.set(p, [{ ports: fronts, targets }]);
    }
    return { map, text, reasons, ...(floating ? { floating } : {}) };
}
