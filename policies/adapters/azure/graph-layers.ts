// NSGs as layers of the network graph: a subnet NSG or a NIC NSG with its own rules, the standalone
// rules that belong to it and Azure's default rules after them (AllowVnetInBound 65000, ...,
// DenyAllInBound 65500), each rule's named peers resolved against the stack: `VirtualNetwork` is the
// network's ranges, `Internet` the world outside them, application security groups the machines
// whose NICs carry them. A rule applies only to the machines its own side names (its destinations
// inbound, its sources outbound). One Layer object serves every machine it is the same for.
import { cidrSet, ParsedCidr, PeerSet, PeerSetBuilder, SymbolicPeer, v4Domain, v6Domain } from "../../model/addresses";
import { Addresses, Layer, LayerRule, PeerView, ResourceName, isEmpty, minus, overlaps, union, within } from "../../model/graph";
import { ALL_PORTS, IntervalSet } from "../../model/intervals";
import { Action, Direction, NormalisedRule, ruleLabel } from "../../model/rules";
import { StackResource } from "../../model/stack";
import { WeakMemo } from "../../base/memo";
import { ALL_ADDRESSES, NO_ADDRESSES } from "../support/layers";
import { AzureIndex, hasRole, nsgModel } from "./graph-index";
import { Net } from "./graph-networks";
import { NSG_TERMS } from "./native";
import { ROLE } from "./topology";

export type NsgKind = "subnet NSG" | "NIC NSG";

/** The machine a layer is built for: its addresses in the placement and the keys rules can name it by. */
export interface Self {
    name: string;
    addresses?: Addresses;
    memberships: ReadonlySet<string>;
}

/** The health probes' source, 168.63.129.16 (Azure's documented virtual IP of the host). */
const AZURE_LOAD_BALANCER = cidrSet(["168.63.129.16/32"]);
/** Ranges no Azure service tag of public Microsoft ranges holds. */
const PRIVATE = cidrSet(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7", "fe80::/10"]);

function peers(add: (b: PeerSetBuilder) => void): PeerSet {
    const b = new PeerSetBuilder();
    add(b);
    return b.build();
}
const tag = (id: string): SymbolicPeer => ({ kind: "service-tag", id });

function fixedRule(origin: string, direction: Direction, action: Action, order: number | undefined, p: PeerSet): NormalisedRule {
    return {
        origin,
        direction,
        action,
        order,
        protocol: "all",
        ports: ALL_PORTS,
        peers: p,
        stateless: false,
        unresolved: [],
        secret: new Set(),
        terms: NSG_TERMS[direction],
        allocated: false,
    };
}

/** Azure's default rules, evaluated after every rule of the NSG. */
const DEFAULTS: { rule: NormalisedRule; implied: string }[] = [
    {
        rule: fixedRule(
            "AllowVnetInBound",
            "inbound",
            "allow",
            65000,
            peers((b) => b.addSymbol(tag("VirtualNetwork"))),
        ),
        implied: "Azure's default rule: allow from VirtualNetwork",
    },
    {
        rule: fixedRule(
            "AllowAzureLoadBalancerInBound",
            "inbound",
            "allow",
            65001,
            peers((b) => b.addSymbol(tag("AzureLoadBalancer"))),
        ),
        implied: "Azure's default rule: allow from AzureLoadBalancer",
    },
    {
        rule: fixedRule(
            "DenyAllInBound",
            "inbound",
            "deny",
            65500,
            peers((b) => b.addWorld("*")),
        ),
        implied: "Azure's default rule: deny all inbound",
    },
    {
        rule: fixedRule(
            "AllowVnetOutBound",
            "outbound",
            "allow",
            65000,
            peers((b) => b.addSymbol(tag("VirtualNetwork"))),
        ),
        implied: "Azure's default rule: allow to VirtualNetwork",
    },
    {
        rule: fixedRule(
            "AllowInternetOutBound",
            "outbound",
            "allow",
            65001,
            peers((b) => b.addWorld("Internet")),
        ),
        implied: "Azure's default rule: allow to Internet",
    },
    {
        rule: fixedRule(
            "DenyAllOutBound",
            "outbound",
            "deny",
            65500,
            peers((b) => b.addWorld("*")),
        ),
        implied: "Azure's default rule: deny all outbound",
    },
];

const ALLOW_ALL = (["inbound", "outbound"] as const).map((d) =>
    fixedRule(
        "?",
        d,
        "allow",
        undefined,
        peers((b) => b.addWorld("*")),
    ),
);

type Applies = "y" | "n" | "m";

/** The addresses outside a network's known ranges, once per network. */
const outside = new WeakMemo<Net, Addresses>((net) => minus(ALL_ADDRESSES, net.known));

/** What an application security group reference names: definite keys, candidates (one of them), or nothing the stack can tell. */
type AsgRef = { keys: string[] } | { candidates: string[] } | { unknown: true };

export class NsgLayers {
    private readonly layers = new Map<string, Layer>();
    private readonly markers = new Map<string, Layer>();
    private readonly asgRefs = new Map<StackResource, Map<string, AsgRef>>();
    private readonly defaultRules = new Map<Net, LayerRule[]>();

    constructor(private readonly ix: AzureIndex) {}

    /**
     * A layer the plan cannot tell (an NSG outside the stack, a link unknown until update): it may admit
     * anything and proves nothing. Named "<kind> `<holder>`", its one rule "`<holder>` <property> (<state>)".
     */
    marker(kind: string, holder: ResourceName, property: string, state: string, reason: string): Layer {
        const key = `${kind}|${holder.urn}|${holder.name}|${property}|${reason}`;
        let l = this.markers.get(key);
        if (!l) {
            const lr = (rule: NormalisedRule): LayerRule => ({
                rule: { ...rule, origin: property },
                resource: holder,
                addresses: ALL_ADDRESSES,
                members: new Set(),
                unknown: false,
                implied: state,
            });
            l = {
                kind,
                resources: [holder],
                stateful: true,
                scope: "workload",
                ordered: true,
                inbound: [lr(ALLOW_ALL[0])],
                outbound: [lr(ALLOW_ALL[1])],
                unverifiable: reason,
            };
            this.markers.set(key, l);
        }
        return l;
    }

    /** The layer an NSG of the stack is for one machine in one network. */
    layer(nsg: StackResource, kind: NsgKind, net: Net, self: Self): Layer {
        const model = nsgModel(nsg);
        const standalone = this.ix.rulesOf.get(nsg.urn) ?? [];
        const issue = [model, ...standalone.map((r) => nsgModel(r))].flatMap((m) => [...m.unknown, ...m.problems])[0];
        if (issue)
            return this.marker(
                kind,
                { urn: nsg.urn, name: nsg.name },
                issue.path || "securityRules",
                /unknown/.test(issue.message) ? "unknown until update" : "unreadable",
                `NSG \`${nsg.name}\`: ${issue.message}`,
            );
        const own = [
            ...model.rules.map((rule) => ({ rule, from: nsg })),
            ...standalone.flatMap((r) => nsgModel(r).rules.map((rule) => ({ rule, from: r }))),
        ];
        const decisions = own.map((o) => this.applies(o.rule, o.from, self));
        const key = `${nsg.urn}|${kind}|${net.key}|${decisions.join("")}`;
        let l = this.layers.get(key);
        if (l) return l;
        const rules: LayerRule[] = [];
        own.forEach((o, i) => {
            if (decisions[i] === "n") return;
            const lr = this.layerRule(o.rule, o.from, net);
            if (decisions[i] === "m") {
                rules.push({
                    ...lr,
                    unknown: true,
                    peerView: {
                        addresses: NO_ADDRESSES,
                        maybe: {
                            addresses: ALL_ADDRESSES,
                            reason: `${ruleLabel(o.rule)} of \`${o.from.name}\` applies only to some machines behind the NSG, and whether \`${self.name}\` is one of them is unknown until update`,
                        },
                    },
                });
            } else rules.push(lr);
        });
        rules.push(...this.defaults(nsg, net));
        const doubt = this.ix.doubtful.get(nsg.urn);
        l = {
            kind,
            rule: "NSG rule",
            resources: [{ urn: nsg.urn, name: nsg.name }],
            stateful: true,
            scope: "workload",
            ordered: true,
            inbound: rules.filter((r) => r.rule.direction === "inbound"),
            outbound: rules.filter((r) => r.rule.direction === "outbound"),
            ...(doubt ? { unverifiable: doubt } : {}),
        };
        this.layers.set(key, l);
        return l;
    }

    /** Azure's default rules of an NSG: their peers resolve in the network alike for every NSG, so once per network. */
    private defaults(nsg: StackResource, net: Net): LayerRule[] {
        let rules = this.defaultRules.get(net);
        if (!rules)
            this.defaultRules.set(net, (rules = DEFAULTS.map((d) => ({ ...this.layerRule(d.rule, nsg, net), implied: d.implied }))));
        const resource = { urn: nsg.urn, name: nsg.name };
        return rules.map((lr) => ({ ...lr, resource }));
    }

    /** A rule with its peers resolved in `net`: the whole-internet view in `addresses`, the stack's peers' in `peerView`. */
    private layerRule(rule: NormalisedRule, from: StackResource, net: Net): LayerRule {
        let addresses: Addresses = { v4: rule.peers.v4, v6: rule.peers.v6 };
        let certain: Addresses = NO_ADDRESSES;
        let maybe: Addresses = NO_ADDRESSES;
        const maybeMembers = new Set<string>();
        const members = new Set<string>();
        const reasons: string[] = [];
        let unknown = rule.peers.unknown;
        let internet = false;
        for (const b of rule.peers.blocks) {
            if (b.text.toLowerCase() === "internet") internet = true;
            else certain = union(certain, blockAddresses(b));
        }
        const outsideNet = outside.get(net);
        const beyond = `\`VirtualNetwork\` may hold more than the ranges of \`${net.label}\` (${net.partial})`;
        let namesNetwork = internet;
        if (internet) {
            if (net.partial === undefined) certain = union(certain, outsideNet);
            else maybe = union(maybe, outsideNet);
        }
        for (const s of rule.peers.symbols) {
            if (s.kind === "service-tag") {
                const id = (s.id ?? "").toLowerCase();
                if (id === "virtualnetwork") {
                    namesNetwork = true;
                    addresses = union(addresses, net.known);
                    certain = union(certain, net.known);
                    if (net.partial !== undefined) maybe = union(maybe, outsideNet);
                } else if (id === "azureloadbalancer") {
                    addresses = union(addresses, AZURE_LOAD_BALANCER);
                    certain = union(certain, AZURE_LOAD_BALANCER);
                } else {
                    maybe = union(maybe, minus(ALL_ADDRESSES, union(net.known, PRIVATE)));
                    reasons.push(`service tag \`${s.id}\` stands for Azure's own address ranges, which the plan does not list`);
                }
            } else if (s.kind === "application-security-group") {
                const ref = this.asg(from, s);
                if ("keys" in ref) for (const k of ref.keys) members.add(k);
                else if ("candidates" in ref) {
                    for (const k of ref.candidates) maybeMembers.add(k);
                    reasons.push(`which application security group ${ruleLabel(rule)} of \`${from.name}\` names is unknown until update`);
                } else unknown = true;
            } else {
                unknown = true;
            }
        }
        if (namesNetwork && net.partial !== undefined) reasons.unshift(beyond);
        maybe = minus(maybe, certain);
        const needsView = internet || !isEmpty(maybe) || maybeMembers.size > 0;
        const peerView: PeerView | undefined = needsView
            ? {
                  addresses: certain,
                  ...(!isEmpty(maybe) || maybeMembers.size > 0
                      ? {
                            maybe: {
                                ...(!isEmpty(maybe) ? { addresses: maybe } : {}),
                                ...(maybeMembers.size > 0 ? { members: maybeMembers } : {}),
                                reason: reasons[0] ?? beyond,
                            },
                        }
                      : {}),
              }
            : undefined;
        return { rule, resource: { urn: from.urn, name: from.name }, addresses, members, unknown, ...(peerView ? { peerView } : {}) };
    }

    /** Whether a rule applies to the machine, by the rule's own side (NormalisedRule.targets). */
    private applies(rule: NormalisedRule, from: StackResource, self: Self): Applies {
        const t = rule.targets;
        if (!t) return "y";
        let result: Applies = t.unknown ? "m" : "n";
        let named: Addresses = NO_ADDRESSES;
        for (const b of t.blocks) {
            if (b.text.toLowerCase() === "internet") continue; // a machine's own address is never Internet
            named = union(named, blockAddresses(b));
        }
        for (const s of t.symbols) {
            if (s.kind === "service-tag" && (s.id ?? "").toLowerCase() === "virtualnetwork") return "y"; // the machine is in its own network
            if (s.kind === "application-security-group") {
                const ref = this.asg(from, s);
                if ("keys" in ref && ref.keys.some((k) => self.memberships.has(k))) return "y";
                if ("candidates" in ref && ref.candidates.some((k) => self.memberships.has(k))) result = "m";
                if ("unknown" in ref) result = "m";
            }
        }
        if (!isEmpty(named)) {
            if (self.addresses && !isEmpty(self.addresses) && within(self.addresses, named)) return "y";
            if (!self.addresses || overlaps(self.addresses, named)) result = "m";
        }
        return result;
    }

    /** What an application security group reference of a rule names (memoised per resource and reference). */
    private asg(from: StackResource, s: SymbolicPeer): AsgRef {
        const ref = s.ref ?? { property: "" };
        const key = `${ref.property}|${ref.literal ?? ""}`;
        let byRef = this.asgRefs.get(from);
        if (!byRef) this.asgRefs.set(from, (byRef = new Map<string, AsgRef>()));
        let r = byRef.get(key);
        if (r) return r;
        const res = this.ix.resolve(from, ref, hasRole(ROLE.asg));
        if (res.state === "outside") r = { keys: [res.literal] };
        else if (res.state === "unknown") r = { unknown: true };
        else if (ref.literal !== undefined) r = { keys: [...res.targets.map((t) => t.urn), ref.literal] };
        else r = res.targets.length === 1 ? { keys: [res.targets[0].urn] } : { candidates: res.targets.map((t) => t.urn) };
        byRef.set(key, r);
        return r;
    }
}

/** One address block of a peer set as addresses. */
function blockAddresses(b: ParsedCidr): Addresses {
    return b.family === "v4"
        ? { v4: IntervalSet.of(v4Domain, [b.range]), v6: NO_ADDRESSES.v6 }
        : { v4: NO_ADDRESSES.v4, v6: IntervalSet.of(v6Domain, [b.range]) };
}
