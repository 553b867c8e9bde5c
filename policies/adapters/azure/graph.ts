// The Azure graph assembler: each virtual machine of the stack (native `compute.VirtualMachine`,
// classic `LinuxVirtualMachine`/`WindowsVirtualMachine`) is placed by its NICs in their subnets; a
// scale set is a workload it cannot place, reported unverifiable.
// Inbound a packet crosses the subnet's NSG, then the NIC's (outbound the other way round); both are
// stateful and a level without an NSG lets everything through. The internet reaches only a NIC with a
// public IP; a Standard address (the default) admits only what an NSG allows, so without any NSG it is
// closed, while a Basic one is open. What cannot be told (a link outside the stack, a value unknown
// until update) becomes a layer or placement that proves nothing, never an open or closed one.
import { Addresses, InternetPath, Layer, Placement, ResourceName, Workload, intersect, isEmpty, union } from "../../model/graph";
import { cidrSet } from "../../model/addresses";
import { StackResource } from "../../model/stack";
import { isUnknownValue, TopologyValue } from "../../model/topology";
import { AssembleOptions, GraphAssembler, wanted, wantedNodes } from "../support/assembler";
import { AzureIndex, azureIndexOf, hasRole, idTail, isNsg, nicText, topologyOf } from "./graph-index";
import { DatabaseServers } from "./graph-databases";
import { azureFocus } from "./focus";
import { LbWay, LoadBalancers } from "./graph-lb";
import { NsgLayers, Self } from "./graph-layers";
import { Net, Networks, NsgRef, nsgOf, SubnetInfo, UNKNOWN_NET } from "./graph-networks";
import { emptyNote, instancePublicIps, publicIps, SkuDoubt } from "./graph-public-ips";
import { ROLE } from "./topology";

type Rec = Readonly<Record<string, TopologyValue>>;
/** A network interface of a machine that the plan does not show. */
interface Doubt {
    name: string;
    property: string;
    state: string;
    reason: string;
}

const isNic = hasRole(ROLE.nic);
const isPip = hasRole(ROLE.publicIp);
const isAsg = hasRole(ROLE.asg);
const isSubnetOrVnet = hasRole(ROLE.subnet, ROLE.vnet);
const isSubnet = hasRole(ROLE.subnet);

/** Where a NIC's ip configuration puts it: a subnet of the stack, one of several, one outside the stack, or one the plan does not tell. */
type Site =
    | { kind: "subnet"; subnet: SubnetInfo }
    | { kind: "one of"; vnet: StackResource; candidates: SubnetInfo[] }
    | { kind: "outside"; literal: string }
    | { kind: "unknown"; reason: string };

class Assembly {
    private readonly nets: Networks;
    private readonly layers: NsgLayers;
    private readonly lbs?: LoadBalancers;

    constructor(
        private readonly ix: AzureIndex,
        private readonly serviceTag: string,
    ) {
        this.nets = new Networks(ix);
        this.layers = new NsgLayers(ix);
        const lbs = new LoadBalancers(ix);
        if (lbs.any) this.lbs = lbs;
    }

    workload(vm: StackResource): Workload {
        const m = topologyOf(vm)!;
        const service = m.tags[this.serviceTag];
        const base = { urn: vm.urn, name: vm.name, type: vm.type, ...(service !== undefined ? { service } : {}) };
        const unverifiable = (reason: string): Workload => ({ ...base, placements: [], memberships: new Set(), unverifiable: reason });
        const aks = m.role === ROLE.aksPool;
        const scaleSet = m.role === ROLE.scaleSet || aks;
        if (m.empty) return unverifiable(emptyNote(aks ? "node pool" : scaleSet ? "scale set" : "virtual machine", vm));
        const nics = new Map<string, StackResource>();
        const doubts: Doubt[] = [];
        if (scaleSet) {
            // Its instances' NIC is its own NIC configuration: the scale set stands for it.
            // Node pools the graph cannot tell apart place nothing: their NodePort ways in stay outside this stack (assemble).
            if (aks && aksDoubt(m.values.nicConfigs)) return { ...base, placements: [], memberships: new Set() };
            const why = aks ? undefined : scaleSetDoubt(m.values.nicConfigs);
            if (why) return unverifiable(why);
            nics.set(vm.urn, vm);
        }
        for (const f of scaleSet ? [] : this.ix.follow(vm, "nics", isNic)) {
            if (f.resolved.state === "found") for (const t of f.resolved.targets) nics.set(t.urn, t);
            else if (f.resolved.state === "outside")
                doubts.push({
                    name: idTail(f.resolved.literal),
                    property: "networkProfile",
                    state: "outside this stack",
                    reason: `its network interface \`${idTail(f.resolved.literal)}\` is outside this stack`,
                });
            else
                doubts.push({
                    name: vm.name,
                    property: f.link.property,
                    state: "unknown until update",
                    reason: "a network interface of it is unknown until update",
                });
        }
        const created = m.values.nicConfigurations;
        if (created === true || isUnknownValue(created))
            doubts.push({
                name: vm.name,
                property: "networkInterfaceConfigurations",
                state: "not read",
                reason: "the NICs it creates from `networkProfile.networkInterfaceConfigurations` are not read",
            });
        if (nics.size === 0) return unverifiable(doubts[0]?.reason ?? "it names no network interface");
        const empty = [...nics.values()].find((n) => topologyOf(n)!.empty);
        if (empty) return unverifiable(emptyNote("network interface", empty));

        const memberships = new Set<string>();
        const asgDoubts: string[] = [];
        for (const nic of nics.values()) {
            const asgs = this.asgsOf(nic);
            asgs.keys.forEach((k) => memberships.add(k));
            if (asgs.unknown) asgDoubts.push(`the application security groups of ${nicText(nic)} are unknown until update`);
        }
        const placements: Placement[] = [];
        const empties: string[] = [];
        let behindLb = false;
        for (const nic of nics.values()) {
            const ways = this.lbs?.waysOf(nic, empties) ?? [];
            const made = this.placementsOf(vm, nic, memberships, asgDoubts, empties, ways);
            behindLb ||= made.behindLb;
            placements.push(...made.placements);
        }
        if (empties.length > 0) return unverifiable(empties[0]);
        for (const d of doubts) placements.push(this.unknownPlacement(vm, d));
        const close = aks ? CLOSE_AKS : scaleSet ? CLOSE_SCALE_SET : behindLb ? CLOSE_BEHIND_LB : undefined;
        return { ...base, placements, memberships, ...(close ? { closeInternet: close } : {}) };
    }

    /**
     * The virtual networks each NSG of the stack filters traffic in: those of the subnets it is the
     * NSG of, and of the subnets of the NICs it is the NSG of (by URN, and by id where known).
     */
    flowLogScopes(): Map<string, string[]> {
        const out = new Map<string, Set<string>>();
        const add = (ref: NsgRef, nets: readonly Net[]) => {
            if (ref.state !== "found") return;
            let keys = out.get(ref.nsg.urn);
            if (!keys) out.set(ref.nsg.urn, (keys = new Set()));
            for (const net of nets) for (const k of netKeys(this.ix, net)) keys.add(k);
        };
        for (const s of this.ix.of(ROLE.subnet)) {
            const info = this.nets.subnet(s);
            add(info.nsg, [info.net]);
        }
        for (const v of this.ix.of(ROLE.vnet)) for (const info of this.nets.inlineSubnets(v)) add(info.nsg, [info.net]);
        // NICs, and scale sets read as one NIC (their NIC configuration's NSG).
        const placedSets = this.ix.of(ROLE.scaleSet).filter((s) => topologyOf(s)!.values.nicConfigs === "one");
        for (const nic of [...this.ix.of(ROLE.nic), ...placedSets]) {
            const nm = topologyOf(nic)!;
            const configs = Array.isArray(nm.values.ipConfigurations) ? (nm.values.ipConfigurations as readonly Rec[]) : [];
            const nicNsg = this.nicNsg(nic);
            if (nicNsg.state !== "found") continue;
            const nets = this.sitesOf(nic, configs, []).flatMap((site) =>
                site.kind === "subnet" ? [site.subnet.net] : site.kind === "one of" ? [this.nets.net(site.vnet)] : [],
            );
            add(nicNsg, nets);
        }
        return new Map([...out].map(([k, v]) => [k, [...v]]));
    }

    /** A NIC's own NSG: inline, or the classic association's. */
    private nicNsg(nic: StackResource): NsgRef {
        return nsgOf(
            [
                ...this.ix.follow(nic, "nsg", isNsg),
                ...(this.ix.nicNsgs.get(nic.urn) ?? []).flatMap((a) => this.ix.follow(a, "nsg", isNsg)),
            ].map((f) => f.resolved),
            nicText(nic),
        );
    }

    /** The keys rules name a NIC by: its application security groups (inline, or classic associations). */
    private asgsOf(nic: StackResource): { keys: string[]; unknown: boolean } {
        const keys: string[] = [];
        let unknown = false;
        const found = [
            ...this.ix.follow(nic, "asgs", isAsg),
            ...(this.ix.nicAsgs.get(nic.urn) ?? []).flatMap((a) => this.ix.follow(a, "asg", isAsg)),
        ];
        for (const f of found) {
            if (f.resolved.state === "found") keys.push(...f.resolved.targets.map((t) => t.urn));
            else if (f.resolved.state === "unknown") unknown = true;
            if (f.link.literal !== undefined) keys.push(f.link.literal);
        }
        return { keys, unknown };
    }

    private placementsOf(
        vm: StackResource,
        nic: StackResource,
        memberships: ReadonlySet<string>,
        doubts: readonly string[],
        empties: string[],
        ways: readonly LbWay[],
    ): { placements: Placement[]; behindLb: boolean } {
        const nm = topologyOf(nic)!;
        const configs = Array.isArray(nm.values.ipConfigurations) ? (nm.values.ipConfigurations as readonly Rec[]) : [];
        const ips = cidrSet(configs.map((c) => c.privateIp).filter((ip): ip is string => typeof ip === "string"));
        const nicNsg = this.nicNsg(nic);
        const internet = this.internetOf(nic, empties);
        const sites = this.sitesOf(nic, configs, empties);
        const known = configs.map((c) => c.privateIp).filter((ip): ip is string => typeof ip === "string");
        let behindLb = ways.length > 0;
        const placements = sites.flatMap((site) => {
            const { label, net, segment, subnetAddresses, subnetLayer, notes } = this.where(site, nic);
            const addresses = ownAddresses(ips, subnetAddresses);
            const self: Self = { name: vm.name, ...(addresses ? { addresses } : {}), memberships };
            const own: Layer[] = [];
            const sl = subnetLayer(self);
            if (sl) own.push(sl);
            const nl = this.nsgLayer(nicNsg, "NIC NSG", { urn: nic.urn, name: nic.name }, net, self);
            if (nl) own.push(nl);
            if (topologyOf(nic)!.role === ROLE.aksPool)
                own.push(
                    this.layers.marker(
                        "the NSG AKS manages for the nodes of",
                        { urn: nic.urn, name: nic.name },
                        "networkSecurityGroup",
                        "outside this stack",
                        `AKS manages the NSG of the nodes of \`${nic.name}\` in its node resource group, outside this stack`,
                    ),
                );
            // A forced tunnel sends the replies to the internet through a hop the plan does not show: the path proves nothing.
            const tunnel =
                site.kind === "subnet"
                    ? site.subnet.internetReplies[0]
                    : site.kind === "one of"
                      ? site.candidates.flatMap((c) => c.internetReplies)[0]
                      : undefined;
            const layersFor = (way: { skuUnknown?: SkuDoubt } | undefined): Layer[] => {
                const layers = [...own];
                if (way && tunnel)
                    layers.push(
                        this.layers.marker("user routes of", { urn: nic.urn, name: label }, "routeTable", "not in the plan", tunnel),
                    );
                const sku = way?.skuUnknown;
                if (sku && layers.length === 0) layers.push(this.layers.marker(sku.kind, sku.holder, "sku", sku.state, sku.reason));
                return layers;
            };
            if (site.kind === "subnet" && site.subnet.empty) empties.push(site.subnet.empty);
            const place = (where: string, way: { path: InternetPath; skuUnknown?: SkuDoubt } | undefined): Placement => ({
                label: where,
                ...(net.key !== undefined ? { network: net.key } : {}),
                ...(segment ? { segment } : {}),
                ...(addresses ? { addresses } : {}),
                ...(way ? { internet: way.path } : { noInternet: `${nicText(nic)} has no public IP address` }),
                layers: layersFor(way),
                unverifiable: [...notes, ...doubts],
                ...(net.peers.length > 0 ? { peers: net.peers } : {}),
            });
            // Each rule of a load balancer that forwards to the NIC is a way in of its own, through the same NSGs.
            const listed = this.lbs?.addressWays(nic, known, subnetAddresses, empties) ?? [];
            behindLb ||= listed.length > 0;
            return [place(label, internet), ...[...ways, ...listed].map((w) => place(`${label} through ${w.label}`, w))];
        });
        return { placements, behindLb };
    }

    private nsgLayer(ref: NsgRef, kind: "subnet NSG" | "NIC NSG", at: ResourceName, net: Net, self: Self): Layer | undefined {
        if (ref.state === "none") return undefined;
        if (ref.state === "doubt") return this.layers.marker(`${kind} of`, at, "networkSecurityGroup", ref.short, ref.reason);
        return this.layers.layer(ref.nsg, kind, net, self);
    }

    /** The subnets a NIC's ip configurations name. */
    private sitesOf(nic: StackResource, configs: readonly Rec[], empties: string[]): Site[] {
        const sites: Site[] = [];
        const seen = new Set<string>();
        const add = (s: Site, key: string) => {
            if (!seen.has(key)) sites.push(s);
            seen.add(key);
        };
        for (const f of this.ix.follow(nic, "subnet", isSubnetOrVnet)) {
            if (f.resolved.state === "outside") add({ kind: "outside", literal: f.resolved.literal }, `outside:${f.resolved.literal}`);
            else if (f.resolved.state === "unknown")
                add({ kind: "unknown", reason: `the subnet of ${nicText(nic)} is unknown until update` }, "unknown");
            else {
                const standalone = f.resolved.targets.filter(isSubnet);
                if (standalone.length > 0) {
                    // Property dependencies of `ipConfigurations` name only the NIC's own subnets: each is one of its places.
                    for (const s of standalone) add({ kind: "subnet", subnet: this.nets.subnet(s) }, s.urn);
                    continue;
                }
                for (const v of f.resolved.targets) {
                    if (topologyOf(v)!.empty) {
                        empties.push(emptyNote("virtual network", v));
                        continue;
                    }
                    const inline = this.nets.inlineSubnets(v);
                    const picked = pickInline(inline, f.link.literal, configs);
                    if (picked.length === 1) add({ kind: "subnet", subnet: picked[0] }, picked[0].key);
                    else if (picked.length > 1) add({ kind: "one of", vnet: v, candidates: picked }, `${v.urn}#?`);
                    else
                        add(
                            { kind: "unknown", reason: `${nicText(nic)} names a subnet of \`${v.name}\` that the stack does not show` },
                            `${v.urn}#none`,
                        );
                }
            }
        }
        if (sites.length === 0) sites.push({ kind: "unknown", reason: `${nicText(nic)} names no subnet` });
        return sites;
    }

    /** What a site contributes to a placement: its label, network, segment, addresses, subnet layer and notes. */
    private where(
        site: Site,
        nic: StackResource,
    ): {
        label: string;
        net: Net;
        segment?: string;
        subnetAddresses?: Addresses;
        subnetLayer: (self: Self) => Layer | undefined;
        notes: string[];
    } {
        const at = { urn: nic.urn, name: nic.name };
        if (site.kind === "subnet") {
            const s = site.subnet;
            const subnetAt = { urn: s.key, name: s.label };
            return {
                label: s.label,
                net: s.net,
                segment: s.key,
                ...(s.addresses ? { subnetAddresses: s.addresses } : {}),
                notes: [...s.unverifiable],
                subnetLayer: (self) => this.nsgLayer(s.nsg, "subnet NSG", subnetAt, s.net, self),
            };
        }
        if (site.kind === "one of") {
            const net = this.nets.net(site.vnet);
            const names = site.candidates.map((c) => c.name ?? c.label.slice(site.vnet.name.length + 1));
            const label = `${site.vnet.name}/{${names.join(",")}}`;
            const reason = `which subnet of \`${site.vnet.name}\` ${nicText(nic)} is in is unknown until update`;
            const nsgs = new Set(
                site.candidates.map((c) => (c.nsg.state === "found" ? c.nsg.nsg.urn : c.nsg.state === "none" ? "none" : "?")),
            );
            const only = nsgs.size === 1 && !nsgs.has("?") ? site.candidates[0].nsg : undefined;
            const notes = [reason, ...site.candidates.flatMap((c) => c.unverifiable)];
            // The machine's address is in one of the candidates: in all of their ranges together.
            const ranges = site.candidates.every((c) => c.addresses) ? site.candidates.map((c) => c.addresses!).reduce(union) : undefined;
            return {
                label,
                net,
                notes,
                ...(ranges ? { subnetAddresses: ranges } : {}),
                subnetLayer: (self) =>
                    only
                        ? this.nsgLayer(only, "subnet NSG", { urn: site.vnet.urn, name: label }, net, self)
                        : this.layers.marker(
                              "subnet NSG of",
                              { urn: site.vnet.urn, name: label },
                              "subnets",
                              "one of several, unknown until update",
                              `${reason}, and its subnets have different NSGs`,
                          ),
            };
        }
        if (site.kind === "outside") {
            const vnetId = /^(.*)\/subnets\/[^/]+$/i.exec(site.literal)?.[1];
            const reason = `subnet \`${idTail(site.literal)}\` is outside this stack, so its NSG is not in the plan`;
            const subnet = { urn: nic.urn, name: idTail(site.literal) };
            return {
                label: idTail(site.literal),
                net: vnetId ? this.nets.outside(vnetId, cidrSet([])) : UNKNOWN_NET,
                notes: [reason],
                subnetLayer: () => this.layers.marker("subnet NSG of", subnet, "networkSecurityGroup", "outside this stack", reason),
            };
        }
        return {
            label: "an unknown subnet",
            net: UNKNOWN_NET,
            notes: [site.reason],
            subnetLayer: () => this.layers.marker("subnet NSG of", at, "ipConfigurations", "unknown until update", site.reason),
        };
    }

    /** The way in from the internet: the NIC's public IPs. */
    private internetOf(nic: StackResource, empties: string[]): { path: InternetPath; skuUnknown?: SkuDoubt } | undefined {
        const perInstance = topologyOf(nic)!.values.instanceIps;
        const found = this.ix.follow(nic, "publicIp", isPip).map((f) => f.resolved);
        if (found.length === 0 && !Array.isArray(perInstance)) return undefined;
        const aks = topologyOf(nic)!.role === ROLE.aksPool;
        const ips = Array.isArray(perInstance)
            ? instancePublicIps(
                  perInstance as readonly Rec[],
                  { urn: nic.urn, name: nic.name },
                  aks ? "node pool" : "scale set",
                  aks ? "node" : "instance",
              )
            : publicIps(found, { urn: nic.urn, name: nic.name, kind: "NIC" }, empties);
        if (ips.hops.length === 0) return undefined;
        return {
            path: { hops: ips.hops, families: [...ips.families].sort(), ...(ips.allStandard ? { closedWithoutFilters: true } : {}) },
            ...(ips.skuUnknown ? { skuUnknown: ips.skuUnknown } : {}),
        };
    }

    /** A place of the machine that nothing can be told about (a NIC outside the stack): it may be reached, and proves nothing. */
    private unknownPlacement(vm: StackResource, d: Doubt): Placement {
        const holder = { urn: vm.urn, name: d.name };
        return {
            label: `NIC ${d.name} (${d.state})`,
            layers: [this.layers.marker("NSGs of NIC", holder, d.property, d.state, d.reason)],
            unverifiable: [d.reason],
            internet: { hops: [{ text: `whatever public address NIC \`${d.name}\` has` }], families: ["v4", "v6"] },
        };
    }
}

/** The inline subnets a NIC's reference may name: by its id, else by the name or prefix its ip configuration carries. */
function pickInline(inline: readonly SubnetInfo[], literal: string | undefined, configs: readonly Rec[]): SubnetInfo[] {
    if (inline.length <= 1) return [...inline];
    if (literal !== undefined) {
        const byId = inline.filter((s) => s.id !== undefined && s.id.toLowerCase() === literal.toLowerCase());
        if (byId.length > 0) return byId;
        const name = /\/subnets\/([^/]+)$/i.exec(literal)?.[1];
        const byName = name ? inline.filter((s) => s.name?.toLowerCase() === name.toLowerCase()) : [];
        if (byName.length > 0) return byName;
    }
    const names = new Set(
        configs
            .map((c) => c.subnetName)
            .filter((n): n is string => typeof n === "string")
            .map((n) => n.toLowerCase()),
    );
    const byHint = inline.filter((s) => s.name !== undefined && names.has(s.name.toLowerCase()));
    if (byHint.length > 0) return byHint;
    const prefixes = configs.flatMap((c) => (Array.isArray(c.subnetPrefixes) ? (c.subnetPrefixes as string[]) : []));
    if (prefixes.length > 0) {
        const hinted = cidrSet(prefixes);
        const byPrefix = inline.filter((s) => s.addresses && s.addresses.v4.equals(hinted.v4) && s.addresses.v6.equals(hinted.v6));
        if (byPrefix.length > 0) return byPrefix;
    }
    // Azure keeps these subnets for its own services: a machine's NIC is never in one.
    const open = inline.filter((s) => !RESERVED_SUBNETS.has(s.name?.toLowerCase() ?? ""));
    return open.length > 0 ? open : [...inline];
}

/** Subnets Azure reserves for its gateways, Bastion, Firewall and Route Server. */
const RESERVED_SUBNETS = new Set([
    "gatewaysubnet",
    "azurebastionsubnet",
    "azurefirewallsubnet",
    "azurefirewallmanagementsubnet",
    "routeserversubnet",
]);

/** The machine's addresses in a subnet: its known private addresses there, else the subnet's ranges. */
function ownAddresses(ips: Addresses, subnet: Addresses | undefined): Addresses | undefined {
    if (isEmpty(ips)) return subnet;
    if (!subnet) return ips;
    const inside = intersect(ips, subnet);
    return isEmpty(inside) ? subnet : inside;
}

/**
 * A scale set is a workload the graph does not place: its instances' NICs come from its own profile, and
 * the internet reaches them through load balancer rules, NAT rules or per-instance public IPs, none of
 * which is read. Fail closed: it is reported as unverifiable, never passed.
 */
function scaleSetWorkload(s: StackResource, serviceTag: string): Workload {
    const service = topologyOf(s)!.tags[serviceTag];
    return {
        urn: s.urn,
        name: s.name,
        type: s.type,
        ...(service !== undefined ? { service } : {}),
        placements: [],
        memberships: new Set(),
        unverifiable:
            "it is a virtual machine scale set, which the network graph does not read (its instances' NICs and NSGs, the load balancer rules and NAT rules that forward to it, public IPs per instance)",
    };
}

/** The AKS cluster an AKS node pool belongs to: itself for a cluster's inline pool, else the cluster its `cluster` link names. */
function aksClusterOf(ix: AzureIndex, p: StackResource): StackResource | undefined {
    const m = topologyOf(p)!;
    if (m.values.cluster === true) return p;
    const [f] = ix.follow(p, "cluster", (t) => topologyOf(t)?.role === ROLE.aksPool && topologyOf(t)!.values.cluster === true);
    return f?.resolved.state === "found" && f.resolved.targets.length === 1 ? f.resolved.targets[0] : undefined;
}

/** Why a scale set's instances cannot be placed from its NIC configurations, if they cannot. */
function scaleSetDoubt(configs: unknown): string | undefined {
    if (configs === "one") return undefined;
    if (isUnknownValue(configs)) return "the NIC configurations of its instances are unknown until update";
    return configs === "several"
        ? "it is a virtual machine scale set with several NIC configurations, which the network graph does not place (their subnets, NSGs and load balancers are not told apart)"
        : "it is a virtual machine scale set with no NIC configuration the network graph can read";
}

/** Why an AKS node pool cannot be placed, if it cannot. */
function aksDoubt(configs: unknown): string | undefined {
    if (configs === "one") return undefined;
    if (isUnknownValue(configs)) return "its node pools are unknown until update";
    return configs === "several"
        ? "it is an AKS cluster with several inline node pools (`agentPoolProfiles`), which the network graph does not tell apart"
        : "it is an AKS cluster with no node pool the network graph can read";
}

/** How to close a NodePort way in through AKS nodes. */
const CLOSE_AKS =
    "for AKS nodes, leave `enableNodePublicIP` (classic `nodePublicIpEnabled`) off, or narrow the rules of the subnet NSG that admit the internet";

/** How to close a way in to a scale set's instances. */
const CLOSE_SCALE_SET =
    "narrow the NSG rules that admit the internet (subnet NSG, or the `networkSecurityGroup` of the scale set's NIC configuration), add an NSG where none filters, remove the per-instance public IP (`publicIPAddressConfiguration`, classic `publicIpAddresses`), or take the scale set out of the public load balancer's backend pool or inbound NAT pool";

/** How to close a way in of a machine that a load balancer forwards to, besides its own public IPs. */
const CLOSE_BEHIND_LB =
    "narrow the NSG rules that admit the internet (subnet or NIC NSG), add an NSG where none filters, remove the public IP from the NIC's `ipConfigurations`, or take the NIC out of the public load balancer's backend pool or inbound NAT rule";

/** What a flow log's target may name a virtual network by: its URN, or its id (`outside:<id>` beyond the stack). */
function netKeys(ix: AzureIndex, net: Net): string[] {
    if (net.key === undefined) return [];
    if (net.key.startsWith("outside:")) return [net.key.slice("outside:".length)];
    const v = ix.stack.resourceByUrn(net.key);
    const ids = v ? (topologyOf(v)?.identity ?? []) : [];
    return [net.key, ...ids];
}

export const azureGraphAssembler: GraphAssembler = {
    provider: "azure",
    providers: ["azure-native", "azure"],
    closeInternet:
        "narrow the NSG rules that admit the internet (subnet or NIC NSG), add an NSG where none filters, or remove the public IP from the NIC's `ipConfigurations`",
    assemble(stack, options: AssembleOptions): Workload[] {
        const ix = azureIndexOf(stack);
        const vms = ix.of(ROLE.vm).filter((vm) => wanted(options, vm));
        const scaleSets = ix.of(ROLE.scaleSet).filter((s) => wanted(options, s));
        const placedSets = scaleSets.filter((s) => topologyOf(s)!.values.nicConfigs !== undefined);
        // A cluster whose pools are all resources of their own is no pool itself.
        const aksPools = ix.of(ROLE.aksPool).flatMap((p) => {
            if (topologyOf(p)!.values.nicConfigs === "none") return [];
            const cluster = aksClusterOf(ix, p);
            return wantedNodes(options, p, cluster?.urn) ? [{ p, cluster }] : [];
        });
        const servers = ix.of(ROLE.database).filter((s) => wanted(options, s));
        const dbs = servers.length > 0 ? new DatabaseServers(ix) : undefined;
        const databases = servers.map((s) => dbs!.workload(s, options.serviceTag));
        if (vms.length === 0 && scaleSets.length === 0 && aksPools.length === 0) return databases;
        const a = new Assembly(ix, options.serviceTag);
        return [
            ...vms.map((vm) => a.workload(vm)),
            ...placedSets.map((s) => a.workload(s)),
            ...aksPools.map(({ p, cluster }) => {
                const w = a.workload(p);
                if (!cluster) return w;
                const v = topologyOf(p)!.values;
                const outside =
                    aksDoubt(v.nicConfigs) ??
                    (v.subnetGiven === false
                        ? `the nodes of \`${p.name}\` are in the virtual network AKS makes (no \`vnetSubnetID\`), outside this stack`
                        : undefined);
                return {
                    ...w,
                    nodesOf: { cluster: cluster.urn, label: `node pool \`${p.name}\``, close: CLOSE_AKS, ...(outside ? { outside } : {}) },
                };
            }),
            ...scaleSets.filter((s) => !placedSets.includes(s)).map((s) => scaleSetWorkload(s, options.serviceTag)),
            ...databases,
        ];
    },
    focus: azureFocus,
    flowLogScopes(stack) {
        return new Assembly(azureIndexOf(stack), "").flowLogScopes();
    },
};
