// The Azure resources of one stack, indexed once for the graph assembler: topology models by role,
// NSGs with the standalone rules that belong to them, and the classic provider's association
// resources by what they attach to. Every later lookup is a map read, never a scan of the stack.
import { FirewallModel, Link } from "../../model/resources";
import { Resolved, Stack, StackResource } from "../../model/stack";
import { TopologyLink, TopologyModel } from "../../model/topology";
import { WeakMemo } from "../../base/memo";
import { isDatabaseRule } from "./databases";
import { ROLE } from "./topology";

/** The model providers of the two Azure providers' resources. */
export const AZURE_PROVIDERS = ["azure-native", "azure"];
const AZURE = new Set(AZURE_PROVIDERS);

export type Role = (typeof ROLE)[keyof typeof ROLE];

export function topologyOf(r: StackResource): TopologyModel | undefined {
    return r.model?.kind === "topology" && AZURE.has(r.model.provider) ? r.model : undefined;
}

export const hasRole =
    (...roles: Role[]) =>
    (r: StackResource): boolean => {
        const m = topologyOf(r);
        return m !== undefined && (roles as string[]).includes(m.role);
    };

export function isNsg(r: StackResource): boolean {
    return r.model?.kind === "firewall" && AZURE.has(r.model.provider) && !r.model.attachedTo && !isDatabaseRule(r.model);
}

export function nsgModel(r: StackResource): FirewallModel {
    return r.model as FirewallModel;
}

/** What a link names among the resources `accept` takes. */
export interface Found {
    resolved: Resolved;
    link: TopologyLink | Link;
}

export class AzureIndex {
    readonly byRole = new Map<string, StackResource[]>();
    /** Standalone NSG rules by the URN of the NSG they belong to. */
    readonly rulesOf = new Map<string, StackResource[]>();
    /** NSGs a standalone rule may belong to when its reference names several: their layers cannot be proved. */
    readonly doubtful = new Map<string, string>();
    /** Classic associations, by the URN of the NIC or subnet they attach to. */
    readonly nicNsgs = new Map<string, StackResource[]>();
    readonly subnetNsgs = new Map<string, StackResource[]>();
    readonly nicAsgs = new Map<string, StackResource[]>();
    readonly subnetRouteTables = new Map<string, StackResource[]>();
    /** Standalone routes by the URN of their route table. */
    readonly routesOf = new Map<string, StackResource[]>();
    /** Classic associations of NICs with backend pools and NAT rules, by the NIC's URN. */
    readonly nicPools = new Map<string, StackResource[]>();
    readonly nicNatRules = new Map<string, StackResource[]>();
    /** Standalone pools, load-balancing rules and NAT rules by the URN of their load balancer. */
    readonly lbPools = new Map<string, StackResource[]>();
    readonly lbRules = new Map<string, StackResource[]>();
    readonly lbNatRules = new Map<string, StackResource[]>();
    /** Standalone inbound NAT pools by the URN of their load balancer. */
    readonly lbNatPools = new Map<string, StackResource[]>();
    /** Classic pool members listed by IP address, by the URN of their pool. */
    readonly poolAddresses = new Map<string, StackResource[]>();

    constructor(readonly stack: Stack) {
        const azure = stack.ofProviders(...AZURE_PROVIDERS);
        for (const r of azure) {
            const m = topologyOf(r);
            if (m) push(this.byRole, m.role, r);
        }
        for (const r of azure) {
            const m = r.model;
            if (m?.kind === "firewall" && m.attachedTo) {
                const res = this.resolve(r, m.attachedTo, isNsg);
                if (res.state !== "found") continue; // an NSG outside this stack, or one the stack cannot name
                if (res.targets.length === 1) push(this.rulesOf, res.targets[0].urn, r);
                else
                    for (const t of res.targets)
                        this.doubtful.set(
                            t.urn,
                            `NSG rule \`${r.name}\` may belong to it (its \`networkSecurityGroupName\` names several NSGs)`,
                        );
            }
        }
        this.attach(ROLE.nicNsg, "nic", hasRole(ROLE.nic), this.nicNsgs);
        this.attach(ROLE.nicAsg, "nic", hasRole(ROLE.nic), this.nicAsgs);
        this.attach(ROLE.subnetNsg, "subnet", hasRole(ROLE.subnet, ROLE.vnet), this.subnetNsgs);
        this.attach(ROLE.subnetRouteTable, "subnet", hasRole(ROLE.subnet, ROLE.vnet), this.subnetRouteTables);
        this.attach(ROLE.route, "routeTable", hasRole(ROLE.routeTable), this.routesOf);
        if (this.of(ROLE.loadBalancer).length > 0 || this.of(ROLE.nicPool).length > 0 || this.of(ROLE.nicNatRule).length > 0) {
            const isLb = hasRole(ROLE.loadBalancer);
            this.attach(ROLE.nicPool, "nic", hasRole(ROLE.nic), this.nicPools);
            this.attach(ROLE.nicNatRule, "nic", hasRole(ROLE.nic), this.nicNatRules);
            this.attach(ROLE.lbPool, "lb", isLb, this.lbPools);
            this.attach(ROLE.lbRule, "lb", isLb, this.lbRules);
            this.attach(ROLE.lbNatRule, "lb", isLb, this.lbNatRules);
            this.attach(ROLE.lbPoolAddress, "pool", hasRole(ROLE.lbPool), this.poolAddresses);
            this.attach(ROLE.lbNatPool, "lb", isLb, this.lbNatPools);
        }
    }

    of(role: Role): readonly StackResource[] {
        return this.byRole.get(role) ?? [];
    }

    /** Each link named `name` of `r`, resolved among the resources `accept` takes. */
    follow(r: StackResource, name: string, accept: (t: StackResource) => boolean): Found[] {
        return (topologyOf(r)?.links[name] ?? []).map((link) => ({ link, resolved: this.resolve(r, link, accept) }));
    }

    /**
     * As Stack.resolve, with Azure's ids compared as Azure does, without case; and a known id that
     * names none of the resources its property depends on, whose own ids are known and different, is
     * outside the stack (a second NIC looked up with `.get()` beside one of the stack's).
     */
    resolve(r: StackResource, link: TopologyLink | Link, accept: (t: StackResource) => boolean): Resolved {
        const res = this.stack.resolve(r, link, accept);
        const literal = link.literal?.toLowerCase();
        if (res.state !== "found" || literal === undefined) return res;
        const named = res.targets.filter((t) => (t.model?.identity ?? []).some((v) => v.toLowerCase() === literal));
        if (named.length > 0) return named.length === res.targets.length ? res : { state: "found", targets: named };
        if (!literal.startsWith("/subscriptions/")) return res;
        const idUnknown = res.targets.filter((t) => !(t.model?.identity ?? []).some((v) => v.toLowerCase().startsWith("/subscriptions/")));
        return idUnknown.length > 0 ? { state: "found", targets: idUnknown } : { state: "outside", literal: link.literal! };
    }

    /** Index resources of `role` by what their `link` names (one entry per target found). */
    private attach(role: Role, link: string, accept: (t: StackResource) => boolean, into: Map<string, StackResource[]>): void {
        for (const r of this.of(role)) {
            for (const f of this.follow(r, link, accept)) {
                if (f.resolved.state === "found") for (const t of f.resolved.targets) push(into, t.urn, r);
            }
        }
    }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
}

/** The index of a stack, built once for the graph and the flow-log scopes that both read it. */
const indexes = new WeakMemo<Stack, AzureIndex>((stack) => new AzureIndex(stack));
export function azureIndexOf(stack: Stack): AzureIndex {
    return indexes.get(stack);
}

/** How messages name a NIC: by its resource, or a scale set's instances' NIC by the scale set. */
export function nicText(nic: StackResource): string {
    const role = topologyOf(nic)?.role;
    if (role === ROLE.aksPool) return `the nodes of node pool \`${nic.name}\``;
    return role === ROLE.scaleSet ? `the NIC of scale set \`${nic.name}\`'s instances` : `NIC \`${nic.name}\``;
}

/** The last segment of an Azure id (`.../subnets/web` → web), for naming what lies outside the stack; never a secret. */
export function idTail(id: string): string {
    const parts = id.split("/").filter((p) => p !== "");
    return parts[parts.length - 1] ?? id;
}
