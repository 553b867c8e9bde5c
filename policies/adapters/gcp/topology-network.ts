// Google Cloud (classic provider): what places workloads in a VPC network. Networks and their routes
// and peerings, service accounts and secure tag bindings (what firewall rules target), firewall
// policies and their associations, static addresses and private services access, read as topology
// models for the graph assembler (graph.ts). Subnetworks are read with their flow logs (flow-logs.ts).
//
// GCP references a resource by its name, its id (`projects/p/global/networks/n`) or its self link
// (the id behind `https://www.googleapis.com/compute/v1/`), sometimes without the project: links and
// identities are read in the id form, and identities also without the project, so that any of them meets.
import { TopologyModel } from "../../model/topology";
import { Input } from "../support/input";
import { Adapter } from "../support/resource-builder";
import { TopologyBuilder } from "../support/topology";

export const ROLE = {
    network: "gcp:network",
    subnetwork: "gcp:subnetwork",
    route: "gcp:route",
    peering: "gcp:network-peering",
    serviceAccount: "gcp:service-account",
    tagValue: "gcp:tag-value",
    tagBinding: "gcp:tag-binding",
    hierarchicalPolicy: "gcp:firewall-policy",
    networkPolicy: "gcp:network-firewall-policy",
    regionPolicy: "gcp:region-network-firewall-policy",
    hierarchicalAssociation: "gcp:firewall-policy-association",
    networkAssociation: "gcp:network-firewall-policy-association",
    regionAssociation: "gcp:region-network-firewall-policy-association",
    address: "gcp:address",
    globalAddress: "gcp:global-address",
    privateConnection: "gcp:private-services-connection",
    instance: "gcp:instance",
    instanceTemplate: "gcp:instance-template",
    instanceGroupManager: "gcp:instance-group-manager",
    instanceGroup: "gcp:instance-group",
    sql: "gcp:sql-instance",
    forwardingRule: "gcp:forwarding-rule",
    backendService: "gcp:backend-service",
    targetPool: "gcp:target-pool",
    targetInstance: "gcp:target-instance",
    targetProxy: "gcp:target-proxy",
    /** A URL map: the backend services an HTTP(S) proxy sends its requests to. */
    urlMap: "gcp:url-map",
    securityPolicy: "gcp:security-policy",
    gkeCluster: "gcp:gke-cluster",
    gkeNodePool: "gcp:gke-node-pool",
} as const;

/** The API hosts a self link starts with; what follows is the resource's id (`projects/p/...`). */
const HOST = /^(?:https?:)?\/\/(?:www\.|compute\.)?googleapis\.com\/(?:compute\/(?:v1|beta|alpha)\/)?/i;
const CAIS = /^\/\/[a-z.]+\.googleapis\.com\//i;

/** A reference in its id form: self links lose their host, surrounding spaces and a trailing slash. */
export function canonical(ref: string): string {
    // Most references are ids or names already: no host, no space or slash at either end (a large stack has tens of thousands).
    const first = ref.charCodeAt(0);
    const last = ref.charCodeAt(ref.length - 1);
    const plain = (c: number) => c > 32 && c < 127 && c !== 47;
    if (plain(first) && plain(last) && first !== 104 && first !== 72) return ref;
    return ref.trim().replace(HOST, "").replace(CAIS, "").replace(/\/$/, "");
}

/** The last path segment of a reference: the name of what it names. */
export function lastSegment(ref: string): string {
    const c = canonical(ref);
    return c.slice(c.lastIndexOf("/") + 1);
}

/** An input with its string value in the id form (links compare against identities in that form). */
export function canonicalInput(input: Input): Input {
    return typeof input.value === "string" && !input.unknown ? new Input(canonical(input.value), input.path, input.secrets) : input;
}

/** The known values of `keys` in id form, each also without its `projects/<p>/` prefix. */
export function gcpIdentity(props: Input, keys: readonly string[]): string[] {
    // A few values per resource on every resource of a large stack: a list and indexOf, not a Set and a regex.
    const out: string[] = [];
    const add = (x: string) => {
        if (!out.includes(x)) out.push(x);
    };
    for (const k of keys) {
        const v = props.get(k).string();
        if (v === undefined || v.trim() === "") continue;
        const c = canonical(v);
        add(c);
        if (c.startsWith("projects/")) {
            const slash = c.indexOf("/", 9);
            if (slash > 9 && slash < c.length - 1) add(c.slice(slash + 1));
        }
    }
    return out;
}

/** A topology model of `role`: labels (`effectiveLabels`, then `labels`), then what `read` adds; identity in id form. */
export function topology(
    role: string,
    props: Input,
    read: (b: TopologyBuilder) => void,
    identity: readonly string[] = ["id", "name", "selfLink"],
): TopologyModel {
    const b = new TopologyBuilder("gcp", role, props);
    b.readTags(props.get("effectiveLabels")).readTags(props.get("labels"));
    read(b);
    return { ...b.build(), identity: gcpIdentity(props, identity) };
}

/** A link whose literal is read in id form. */
export function link(b: TopologyBuilder, name: string, input: Input): TopologyBuilder {
    return b.link(name, canonicalInput(input));
}

/** Links to each element of a list, literals in id form (an unknown list is one unknown link). */
export function linkList(b: TopologyBuilder, name: string, input: Input): TopologyBuilder {
    const items = input.items();
    if (!Array.isArray(items)) return b.linkList(name, input);
    for (const item of items) link(b, name, item);
    return b;
}

/** Each element of a list input (nothing for an unknown or malformed list). */
export function each(list: Input): Input[] {
    const items = list.items();
    return Array.isArray(items) ? items : [];
}

const POLICY_TYPES = {
    hierarchical: ["gcp:compute/firewallPolicy:FirewallPolicy"],
    network: ["gcp:compute/networkFirewallPolicy:NetworkFirewallPolicy"],
    region: ["gcp:compute/regionNetworkFirewallPolicy:RegionNetworkFirewallPolicy"],
};

export const gcpNetworkTopologyAdapters: Adapter[] = [
    {
        provider: "gcp",
        kind: "topology",
        types: ["gcp:compute/network:Network"],
        summary:
            "`autoCreateSubnetworks` (default true: a subnetwork in every region of 10.128.0.0/9), `deleteDefaultRoutesOnCreate` (default false: the network routes " +
            "0.0.0.0/0 to the default internet gateway), `networkFirewallPolicyEnforcementOrder` (default AFTER_CLASSIC_FIREWALL).",
        normalise: (props) =>
            topology(ROLE.network, props, (b) =>
                b
                    .value("autoCreateSubnetworks", props.get("autoCreateSubnetworks"))
                    .value("deleteDefaultRoutesOnCreate", props.get("deleteDefaultRoutesOnCreate"))
                    .value("enforcementOrder", props.get("networkFirewallPolicyEnforcementOrder")),
            ),
    },
    {
        provider: "gcp",
        kind: "topology",
        types: ["gcp:compute/route:Route"],
        summary:
            "`network`, `destRange`, `priority` (default 1000), `tags` (only instances with one of them use it), `nextHopGateway` (the default internet gateway is the way to the internet; " +
            "`nextHopIp`, `nextHopInstance`, `nextHopIlb`, `nextHopVpnTunnel` are not).",
        normalise: (props) =>
            topology(ROLE.route, props, (b) => {
                link(b, "network", props.get("network"));
                b.value("destRange", props.get("destRange"))
                    .value("priority", props.get("priority"))
                    .value("tags", props.get("tags"))
                    .value("nextHopGateway", props.get("nextHopGateway"));
                for (const hop of ["nextHopIp", "nextHopInstance", "nextHopIlb", "nextHopVpnTunnel"]) b.value(hop, props.get(hop));
            }),
    },
    {
        provider: "gcp",
        kind: "topology",
        types: ["gcp:compute/networkPeering:NetworkPeering"],
        summary: "`network` peered with `peerNetwork`: active when both networks' peerings are in the stack.",
        normalise: (props) =>
            topology(ROLE.peering, props, (b) => {
                link(b, "network", props.get("network"));
                link(b, "peerNetwork", props.get("peerNetwork"));
            }),
    },
    {
        provider: "gcp",
        kind: "topology",
        types: ["gcp:serviceaccount/account:Account"],
        summary:
            "known by its `email` (and `name`, `member`): what `serviceAccount.email`, `sourceServiceAccounts` and `targetServiceAccounts` name.",
        normalise: (props) => topology(ROLE.serviceAccount, props, () => undefined, ["email", "name", "id", "uniqueId", "member"]),
    },
    {
        provider: "gcp",
        kind: "topology",
        types: ["gcp:tags/tagValue:TagValue"],
        summary: "a secure tag value (`tagValues/<id>`), what `targetSecureTags` and `srcSecureTags` name.",
        normalise: (props) => topology(ROLE.tagValue, props, () => undefined, ["name", "id", "namespacedName"]),
    },
    {
        provider: "gcp",
        kind: "topology",
        types: ["gcp:tags/locationTagBinding:LocationTagBinding", "gcp:tags/tagBinding:TagBinding"],
        summary: "`tagValue` bound to the instance `parent` names: a secure tag of that instance.",
        normalise: (props) =>
            topology(ROLE.tagBinding, props, (b) => {
                link(b, "parent", props.get("parent"));
                link(b, "tagValue", props.get("tagValue"));
            }),
    },
    {
        provider: "gcp",
        kind: "topology",
        types: POLICY_TYPES.hierarchical,
        summary: "a hierarchical firewall policy: its standalone rules (`gcp.compute.FirewallPolicyRule`) and associations name it.",
        normalise: (props) => topology(ROLE.hierarchicalPolicy, props, () => undefined, ["id", "name", "selfLink", "firewallPolicyId"]),
    },
    {
        provider: "gcp",
        kind: "topology",
        types: POLICY_TYPES.network,
        summary: "a global network firewall policy: its standalone rules and associations name it.",
        normalise: (props) => topology(ROLE.networkPolicy, props, () => undefined),
    },
    {
        provider: "gcp",
        kind: "topology",
        types: POLICY_TYPES.region,
        summary: "a regional network firewall policy (`region`): its standalone rules and associations name it.",
        normalise: (props) => topology(ROLE.regionPolicy, props, (b) => b.value("region", props.get("region"))),
    },
    {
        provider: "gcp",
        kind: "topology",
        types: ["gcp:compute/firewallPolicyAssociation:FirewallPolicyAssociation"],
        summary:
            "`firewallPolicy` associated with the organization or folder `attachmentTarget`: its rules come first, for the projects under it.",
        normalise: (props) =>
            topology(ROLE.hierarchicalAssociation, props, (b) => {
                link(b, "policy", props.get("firewallPolicy"));
                link(b, "target", props.get("attachmentTarget"));
            }),
    },
    {
        provider: "gcp",
        kind: "topology",
        types: ["gcp:compute/networkFirewallPolicyAssociation:NetworkFirewallPolicyAssociation"],
        summary: "`firewallPolicy` associated with the network `attachmentTarget`.",
        normalise: (props) =>
            topology(ROLE.networkAssociation, props, (b) => {
                link(b, "policy", props.get("firewallPolicy"));
                link(b, "network", props.get("attachmentTarget"));
            }),
    },
    {
        provider: "gcp",
        kind: "topology",
        types: ["gcp:compute/regionNetworkFirewallPolicyAssociation:RegionNetworkFirewallPolicyAssociation"],
        summary: "`firewallPolicy` associated with the network `attachmentTarget` in `region`.",
        normalise: (props) =>
            topology(ROLE.regionAssociation, props, (b) => {
                link(b, "policy", props.get("firewallPolicy"));
                link(b, "network", props.get("attachmentTarget"));
                b.value("region", props.get("region"));
            }),
    },
    {
        provider: "gcp",
        kind: "topology",
        types: ["gcp:compute/address:Address"],
        summary: "a static address: an external one named by an access config's `natIp`.",
        normalise: (props) =>
            topology(ROLE.address, props, (b) => b.value("addressType", props.get("addressType")), ["id", "name", "selfLink", "address"]),
    },
    {
        provider: "gcp",
        kind: "topology",
        types: ["gcp:compute/globalAddress:GlobalAddress"],
        summary:
            "`purpose: VPC_PEERING` with `address`/`prefixLength` on `network`: the range private services access (Cloud SQL private IP) allocates from.",
        normalise: (props) =>
            topology(
                ROLE.globalAddress,
                props,
                (b) => {
                    link(b, "network", props.get("network"));
                    b.value("purpose", props.get("purpose"))
                        .value("address", props.get("address"))
                        .value("prefixLength", props.get("prefixLength"));
                },
                ["id", "name", "selfLink"],
            ),
    },
    {
        provider: "gcp",
        kind: "topology",
        types: ["gcp:servicenetworking/connection:Connection"],
        summary: "private services access on `network` from the ranges `reservedPeeringRanges` names.",
        normalise: (props) =>
            topology(ROLE.privateConnection, props, (b) => {
                link(b, "network", props.get("network"));
                linkList(b, "ranges", props.get("reservedPeeringRanges"));
            }),
    },
];
