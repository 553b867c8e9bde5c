// The resources of the model, as adapters build them from provider inputs: firewalls with their
// rules, flow logs with what they cover, and the links between resources. Policies read these,
// never provider properties.
import { Direction, NormalisedRule } from "./rules";
import { TopologyLink, TopologyModel } from "./topology";

/**
 * A reference from one resource to another as the adapter read it: the input property that holds
 * it (property dependencies name the resources an input was computed from, which is the only link
 * during preview, when ids are unknown) and its value when known (an id or name).
 */
export interface Link {
    property: string;
    literal?: string;
}

export interface ResourceIssue {
    /** Input path, e.g. `ingress`. */
    path: string;
    /** Set when the list holds rules of one direction only (`ingress`, `egress`). */
    direction?: Direction;
    message: string;
}

interface ModelBase {
    /** Provider family for messages and docs: "aws", "azure-native". */
    provider: string;
    /** The resource's tags or labels (AWS/Azure tags, GCP and Kubernetes labels); string values only. */
    tags: Record<string, string>;
    /** Known values that identify the resource to links from others (its id, name, self link). */
    identity: string[];
}

/** How flow logs can cover a firewall: by covering its network, or the firewall itself; and what to add. */
export interface FlowLogCoverage {
    through: "network" | "self";
    /** The flow-log resource to add, in the provider's SDK. */
    hint: string;
}

export interface FirewallModel extends ModelBase {
    kind: "firewall";
    rules: NormalisedRule[];
    /** Whole lists unknown during preview (`ingress` itself unknown). */
    unknown: ResourceIssue[];
    /** Inputs of the wrong shape that hide rules (`securityRules` is a string). */
    problems: ResourceIssue[];
    /** Standalone rules: the group or ACL they belong to (`securityGroupId`). */
    attachedTo?: Link;
    /** The network the rules live in (`vpcId`, `network`). */
    network?: Link;
    /** The resource arrived with no inputs or outputs at all (its provider's configuration was unknown in preview). */
    empty?: boolean;
    /** What the firewall itself names that it applies to (an AWS network ACL's `subnetIds`), for the graph assemblers. */
    links?: Readonly<Record<string, readonly TopologyLink[]>>;
    /** What decides where its rules apply, read like a topology model's values (a Kubernetes NetworkPolicy's selectors), for the graph assemblers. */
    values?: TopologyModel["values"];
    /** Absent where the provider has no flow logs the pack knows (DigitalOcean, Kubernetes, GCP firewall policies). */
    flowLogs?: FlowLogCoverage;
}

export interface FlowLogModel extends ModelBase {
    kind: "flow-log";
    /** What the log records: networks, subnets and interfaces, or firewalls. */
    targets: Link[];
    /** False for a resource that only logs when configured and is not (a GCP subnetwork without logConfig). */
    enabled: boolean;
}

/** Topology models (model/topology.ts) place workloads in the network graph. */
export type ResourceModel = FirewallModel | FlowLogModel | TopologyModel;
