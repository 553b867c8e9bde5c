// The network graph of one stack, the same for every cloud: workloads, where each may run
// (placements), the filters a packet crosses to reach it (layers, from the outside in) and the way
// in from the internet. Provider assemblers build it from the model; analysis/paths.ts judges
// exposure and documented flows over it. Every hop carries the Pulumi resource name it came from.
import { AddrSet } from "./addresses";
import { NO_PORTS, PortSet } from "./intervals";
import { ConcreteProtocol } from "./protocol";
import { NormalisedRule } from "./rules";

/** A resource of the stack as messages name it. */
export interface ResourceName {
    urn: string;
    name: string;
    /** How messages name what is no resource of the stack (a VPC's default network ACL: "`main-vpc`'s default"). */
    display?: string;
}

/** A resource as messages name it: its Pulumi name in backticks, or its `display`. */
export function resourceText(r: ResourceName): string {
    return r.display ?? `\`${r.name}\``;
}

/** Addresses of one or both families. */
export interface Addresses {
    v4: AddrSet;
    v6: AddrSet;
}

// Set operations on both families at once.
export function union(a: Addresses, b: Addresses): Addresses {
    return { v4: a.v4.union(b.v4), v6: a.v6.union(b.v6) };
}
export function minus(a: Addresses, b: Addresses): Addresses {
    return { v4: a.v4.subtract(b.v4), v6: a.v6.subtract(b.v6) };
}
export function intersect(a: Addresses, b: Addresses): Addresses {
    return { v4: a.v4.intersect(b.v4), v6: a.v6.intersect(b.v6) };
}
export function isEmpty(a: Addresses): boolean {
    return a.v4.isEmpty && a.v6.isEmpty;
}
/** Whether every address of `a` is in `b`. */
export function within(a: Addresses, b: Addresses): boolean {
    return b.v4.containsSet(a.v4) && b.v6.containsSet(a.v6);
}
export function overlaps(a: Addresses, b: Addresses): boolean {
    return a.v4.overlaps(b.v4) || a.v6.overlaps(b.v6);
}

/**
 * A rule of a layer with its peers resolved against the stack: named sources (a security group, an
 * application security group, a service tag) become the workloads that carry them (`members`) or
 * address ranges (`addresses`); what cannot be resolved is `unknown`, never assumed open or closed.
 */
export interface LayerRule {
    rule: NormalisedRule;
    /** The firewall resource it belongs to. */
    resource: ResourceName;
    addresses: Addresses;
    /** Membership keys a peer must carry for the rule to match it (see Workload.memberships). */
    members: ReadonlySet<string>;
    /** Some peer of the rule names something the stack does not tell (an id outside the stack, an unknown value). */
    unknown: boolean;
    /**
     * With `unknown`: the rule's unresolved references each name one of these keys, the stack cannot
     * tell which (in preview, several resources of one kind behind one input's dependencies). A peer
     * carrying none of them is not matched by them; one carrying one may be.
     */
    candidates?: ReadonlySet<string>;
    /** The rule is the provider's own, not the user's (Azure's default rules, AWS's default ACL entries). */
    implied?: string;
    /**
     * How the rule meets peers of the stack where that differs from `addresses`, which is what the
     * whole-internet question reads: Azure's `Internet` tag is the world to the internet but never the
     * VNet's own ranges, and a tag may stand for ranges the plan does not show (what gateways and user
     * routes add to `VirtualNetwork`).
     */
    peerView?: PeerView;
}

export interface PeerView {
    /** The addresses the rule matches among the stack's peers. */
    addresses: Addresses;
    /** A peer with addresses here, or carrying one of `members`, may match or not: the plan does not tell, for `reason`. */
    maybe?: { addresses?: Addresses; members?: ReadonlySet<string>; reason: string };
}

export interface Layer {
    /** "network ACL", "security groups", "subnet NSG", "NIC NSG": for messages. */
    kind: string;
    /** The provider's word for one rule of the layer ("network ACL entry"), for "no ... allows" when the layer has none. */
    rule?: string;
    /** What the provider does with a packet no rule matches, in its own terms, per direction ("the implied deny ingress rule (priority 65535)"). */
    unmatched?: Partial<Record<"inbound" | "outbound", string>>;
    /** The resources whose rules make the layer. */
    resources: ResourceName[];
    /**
     * The resources whose rules apply in one direction, where fewer than `resources` do (a Kubernetes
     * NetworkPolicy that isolates pods for ingress only): what a message about that direction names.
     */
    resourcesByDirection?: Partial<Record<"inbound" | "outbound", ResourceName[]>>;
    /** Replies pass on their own (security groups, NSGs); stateless layers (network ACLs) must admit them too. */
    stateful: boolean;
    /**
     * "segment": crossed only by traffic entering or leaving the placement's segment (an AWS network
     * ACL sits at the subnet boundary); "workload": crossed by every packet to or from the workload.
     */
    scope: "segment" | "workload";
    /** Rules in evaluation order (order numbers set where the provider orders them). */
    inbound: LayerRule[];
    outbound: LayerRule[];
    /** Ordered first-match (ACLs, NSGs) or a union of allows (security groups). */
    ordered: boolean;
    /** What the layer cannot tell yet (its rules arrive unknown): the layer can never be proved. */
    unverifiable?: string;
}

/** One step of the way in from the internet: a gateway, a route table and its route, a public address. */
export interface Hop {
    resource?: ResourceName;
    /** "internet gateway main-igw", "route table public-rt (0.0.0.0/0 → igw)". */
    text: string;
    /**
     * The text when the way in's front is shown as steps of its own (explain): without what the
     * front's layers say (a load balancer's sources), so that the next step does not restate it.
     */
    brief?: string;
}

export interface InternetPath {
    /** The hops from the internet to the placement's boundary, in order. */
    hops: Hop[];
    /** The address families the internet reaches it on (a route for 0.0.0.0/0, for ::/0). */
    families: readonly ("v4" | "v6")[];
    /**
     * A public address that admits only what a filter explicitly allows (an Azure Standard public IP):
     * without any layer the path is closed, not open.
     */
    closedWithoutFilters?: boolean;
    /**
     * The only ports the way in carries, per protocol: a load balancer that passes the client's
     * address forwards its listeners to the target's port and nothing else. Undefined: every port.
     */
    ports?: ReadonlyMap<ConcreteProtocol, PortSet>;
    /**
     * Filters the internet crosses before this way in reaches the placement's own layers, on `ports`
     * of their own (a load balancer's subnet ACL and groups, on its listener ports).
     */
    front?: {
        layers: readonly Layer[];
        ports: ReadonlyMap<ConcreteProtocol, PortSet>;
        /**
         * Which of `ports` forward to which of the target's ports, per protocol (a Service's `port`
         * to its `targetPort`): a flow to a target port crosses the front on the ports that forward
         * to it, no other. Undefined: every front port carries every port of the way in.
         */
        forwards?: ReadonlyMap<ConcreteProtocol, readonly { ports: PortSet; targets: PortSet }[]>;
        /**
         * After how many of `hops` the front is crossed, where messages name its layers among the hops
         * (the nodes' firewall between the node pool and the NodePort Service). Undefined: after every
         * hop, and messages leave the front to the hops' own text (a load balancer's sources).
         */
        at?: number;
        /**
         * Clients outside the stack (a documented CIDR) cross the front too on their way in: the node
         * firewall of a node port is crossed by every client that comes through it.
         */
        clients?: boolean;
        /**
         * The front's ports are alternatives, one of which is the port (a node port the cluster
         * allocates from its range): a client blocked on some of them but not all may get through, for this reason.
         */
        oneOf?: string;
    };
    /**
     * A way in through the node ports of a Kubernetes cluster resource of the stack (a NodePort
     * Service): the join (analysis/nodes.ts) follows it through the nodes other assemblers place for
     * that cluster (Workload.nodesOf). Left as it is (with its `unverifiable`) when there are none.
     */
    nodes?: NodeWay;
    /** Why the way in itself cannot be verified (a route whose target is unknown until update): what reaches the placement is then unproven. */
    unverifiable?: string;
    /**
     * Why the way in cannot be verified where a layer of the placement filters it (a load balancer
     * rule with floating IP delivers the packet addressed to the frontend, which the layers are not
     * read against): with no layer at all nothing reads the address, and the path is as open as it is.
     */
    unverifiableIfFiltered?: string;
}

/** The node ports of a Service, for the join to follow through the nodes of its cluster. */
export interface NodeWay {
    /** The URN of the cluster resource of the stack (KubernetesClusters.resourceOf). */
    cluster: string;
    /** The hop the way in ends with ("NodePort Service `web` (tcp 30080 → 8080)"). */
    hop: Hop;
    /** The node ports per protocol: what the nodes' filters must admit. */
    ports: ReadonlyMap<ConcreteProtocol, PortSet>;
    /** Each node port with the target port it forwards to. */
    forwards: ReadonlyMap<ConcreteProtocol, readonly { ports: PortSet; targets: PortSet }[]>;
    /** Node ports the cluster allocates itself (`nodePort` unset): one of these, which the plan does not tell. */
    allocated?: ReadonlyMap<ConcreteProtocol, PortSet>;
    /** Why the way in cannot be verified whatever the nodes say (whether the Service selects the pods is unknown until update). */
    unverifiable?: string;
    /** The Service's annotations as `key=value`: a cloud's node filter may follow one (Placement.nodePorts.optOut). */
    annotations: readonly string[];
}

/** What nodes of a Kubernetes cluster resource are to its NodePort Services. */
export interface NodesOf {
    /** The URN of the cluster resource whose nodes the workload is (a node pool, a cluster's default pool). */
    cluster: string;
    /** "node pool `pool-a`": how the hops name them. */
    label: string;
    /** How to close a NodePort way in through these nodes, in the cloud's terms (the fix of its exposure). */
    close?: string;
    /**
     * Why what filters the nodes is not in the stack (their network is the project's `default`,
     * outside it): a NodePort way in through them stays outside this stack, as without the nodes.
     */
    outside?: string;
}

export interface Placement {
    /** Names where it is: the subnet's Pulumi name. */
    label: string;
    /** The network (VPC, VNet) it is in: local routes join placements of one network. */
    network?: string;
    /** Placements of one segment (an AWS subnet) do not cross each other's segment layers. */
    segment?: string;
    /** The addresses the workload may have here (its subnet's ranges); undefined when not known. */
    addresses?: Addresses;
    /** Undefined: no way in from the internet (no public address, no route to an internet gateway). */
    internet?: InternetPath;
    /** Why there is no way in from the internet, when the assembler knows ("`private-a` routes 0.0.0.0/0 to NAT gateway `nat`"). */
    noInternet?: string;
    /** Filters from the outside in: inbound traffic crosses them in this order, outbound in reverse. */
    layers: Layer[];
    /** Why paths through this placement cannot be verified (a link outside the stack, an unknown route table). */
    unverifiable: string[];
    /** Networks this placement's network routes to locally (VNet peering in the stack), by key. */
    peers?: readonly string[];
    /**
     * Clients of any network reach it, over the internet: a public address whose filter admits every
     * address (a Cloud SQL public IP authorizing 0.0.0.0/0), so the client's network, and the public
     * address it leaves from, do not matter; only the client's own way out does.
     */
    anyNetwork?: boolean;
    /**
     * For nodes (Workload.nodesOf): the layers a NodePort way in crosses here where they are not
     * `layers`: a cloud that opens every NodePort Service's node ports on the nodes itself (DOKS's
     * managed firewall), unless the Service carries the annotation `optOut` (`key=value`).
     */
    nodePorts?: { layers: Layer[]; optOut?: string };
}

export interface Workload extends ResourceName {
    type: string;
    /** The value of the registry's `serviceTag` tag or label, when set. */
    service?: string;
    /** Ports it answers on, when the resource says (an RDS instance's port, listener ports); undefined: whatever the layers admit. */
    listens?: ReadonlyMap<ConcreteProtocol, PortSet>;
    /** Each place it may run; exposure through any one is exposure, a flow must get through in each. */
    placements: Placement[];
    /**
     * The placements are network interfaces the workload has at once (a VM with one NIC in each of
     * several networks), not places it may run: a client reaches it when it gets through to one of them.
     */
    interfaces?: boolean;
    /** Keys rules can name it by: its security groups' URNs and ids, its application security groups. */
    memberships: ReadonlySet<string>;
    /**
     * Where the workload sends its own outbound traffic from, when it is not its own placements: a
     * load balancer answers the internet on its listeners and reaches its targets from its own groups.
     */
    fronts?: readonly {
        targets: readonly string[];
        /** The port it connects to the targets on (one entry per port: a forwarding rule, a target group); undefined when not known. */
        port?: number;
        /** The protocol it connects to the targets with, when the provider says (a forwarding rule's `targetProtocol`). */
        protocol?: ConcreteProtocol;
        passesClientAddress: boolean;
    }[];
    /** Why none of its paths can be verified (it arrived with empty outputs). */
    unverifiable?: string;
    /** How to close a way in from the internet, in the provider's own terms (set from the assembler's `closeInternet`). */
    closeInternet?: string;
    /** The workload is nodes of a Kubernetes cluster of the stack: NodePort Services of that cluster come in through them. */
    nodesOf?: NodesOf;
}

export interface NetworkGraph {
    workloads: Workload[];
}

/** Addresses of a network (VPC, VNet) by key, for "VirtualNetwork"-like tags and local routing. */
export type Families = "v4" | "v6";

/** The ports of a way in's front that carry a flow to `targets` (all of them when the front does not say which forward where). */
export function frontPortsFor(front: NonNullable<InternetPath["front"]>, protocol: ConcreteProtocol, targets: PortSet): PortSet {
    const all = front.ports.get(protocol);
    const forwards = front.forwards?.get(protocol);
    if (!all || !forwards) return all ?? NO_PORTS;
    let out = NO_PORTS;
    for (const f of forwards) if (f.targets.overlaps(targets)) out = out.union(f.ports);
    return out.intersect(all);
}

/** The target ports a front carries when it admits `admitted` of its own ports; undefined when it does not say (every port of the way in). */
export function targetsThrough(
    front: NonNullable<InternetPath["front"]>,
    protocol: ConcreteProtocol,
    admitted: PortSet,
): PortSet | undefined {
    const forwards = front.forwards?.get(protocol);
    if (!forwards) return undefined;
    let out: PortSet | undefined;
    for (const f of forwards) if (f.ports.overlaps(admitted)) out = out ? out.union(f.targets) : f.targets;
    return out ?? NO_PORTS;
}
