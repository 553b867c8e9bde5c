// The resources that place workloads in a network: subnets, route tables and routes, gateways,
// public addresses, interfaces, load balancers and the workloads themselves. Each is a role with
// its links to other resources and the few values that decide reachability, read by the provider's
// own adapter; the provider's graph assembler (adapters/<cloud>/graph.ts) turns them, with the
// firewalls, into the provider-neutral network graph (graph.ts). Policies never read these.

/** A value as the adapter read it; `{ unknown }` names the input that was unknown (or from unset config). */
export type TopologyValue = string | number | boolean | readonly string[] | { unknown: string };

/** A reference to another resource: as Link in resources.ts, and `unknown` when the value is unknown until update. */
export interface TopologyLink {
    /** The top-level input property (property dependencies are keyed by it). */
    property: string;
    /** The value when known: an id, an ARN, a name. */
    literal?: string;
    /** The value is unknown until update (then only property dependencies can say what it names). */
    unknown?: boolean;
}

export interface TopologyModel {
    kind: "topology";
    provider: string;
    /** What the resource is to the assembler: "aws:subnet", "aws:instance", "azure:nic", ... */
    role: string;
    tags: Record<string, string>;
    /** Known values that identify the resource to links from others (its id, ARN, name). */
    identity: string[];
    /** Links by name: `subnet`, `securityGroups`, `routeTable`; a list link has one entry per element. */
    links: Readonly<Record<string, readonly TopologyLink[]>>;
    /** The values that decide reachability: `cidrBlock`, `mapPublicIpOnLaunch`, `port`, routes. */
    values: Readonly<Record<string, TopologyValue | readonly Readonly<Record<string, TopologyValue>>[]>>;
    /** The resource arrived with no inputs or outputs at all (its provider's configuration was unknown in preview). */
    empty: boolean;
}

export function isUnknownValue(v: unknown): v is { unknown: string } {
    return v !== null && typeof v === "object" && !Array.isArray(v) && "unknown" in v;
}
