// Small Google Cloud stacks as the engine sends them to AnalyzeStack, for the graph's case tables:
// each resource's outputs, and its links either as preview sends them (ids unknown, links only
// through property dependencies keyed by the top-level input) or as update sends them (known ids,
// self links, emails and names in the outputs and in the referencing inputs).
import { UNKNOWN } from "../../helpers";
import { LinkedEntry, LinkedStack, Mode, Ref, nameHash, POSTGRES_FOR_API, WEB_AND_API } from "./graph-stack";

export type { Mode };

export const G = {
    network: "gcp:compute/network:Network",
    subnet: "gcp:compute/subnetwork:Subnetwork",
    route: "gcp:compute/route:Route",
    peering: "gcp:compute/networkPeering:NetworkPeering",
    firewall: "gcp:compute/firewall:Firewall",
    instance: "gcp:compute/instance:Instance",
    template: "gcp:compute/instanceTemplate:InstanceTemplate",
    igm: "gcp:compute/instanceGroupManager:InstanceGroupManager",
    rigm: "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
    account: "gcp:serviceaccount/account:Account",
    sql: "gcp:sql/databaseInstance:DatabaseInstance",
    address: "gcp:compute/address:Address",
    globalAddress: "gcp:compute/globalAddress:GlobalAddress",
    connection: "gcp:servicenetworking/connection:Connection",
    fr: "gcp:compute/forwardingRule:ForwardingRule",
    gfr: "gcp:compute/globalForwardingRule:GlobalForwardingRule",
    backend: "gcp:compute/regionBackendService:RegionBackendService",
    pool: "gcp:compute/targetPool:TargetPool",
    proxy: "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
    policy: "gcp:compute/networkFirewallPolicy:NetworkFirewallPolicy",
    policyRule: "gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule",
    policyAssoc: "gcp:compute/networkFirewallPolicyAssociation:NetworkFirewallPolicyAssociation",
    policyWithRules: "gcp:compute/networkFirewallPolicyWithRules:NetworkFirewallPolicyWithRules",
    hierPolicy: "gcp:compute/firewallPolicy:FirewallPolicy",
    hierRule: "gcp:compute/firewallPolicyRule:FirewallPolicyRule",
    hierAssoc: "gcp:compute/firewallPolicyAssociation:FirewallPolicyAssociation",
    tagValue: "gcp:tags/tagValue:TagValue",
    tagBinding: "gcp:tags/locationTagBinding:LocationTagBinding",
} as const;

export const PROJECT = "acme-prod";
const API = "https://www.googleapis.com/compute/v1/";

const hash = (s: string) => String(nameHash(s));

/** The output a reference to each type uses in update (default `id`). */
const REF_FIELD: Record<string, string> = {
    [G.account]: "email",
    [G.template]: "selfLinkUnique",
    [G.igm]: "instanceGroup",
    [G.rigm]: "instanceGroup",
    [G.pool]: "selfLink",
    [G.instance]: "selfLink",
    [G.address]: "address",
    [G.globalAddress]: "name",
    [G.tagValue]: "name",
    [G.policy]: "name",
    [G.hierPolicy]: "name",
};

export class Stack extends LinkedStack {
    /** `name`, or `name#output` for another output of it. */
    protected valueOf(ref: Ref): unknown {
        const [n, output] = ref.split("#");
        const e = this.entry(n);
        return this.outputs(e, "update")[output ?? REF_FIELD[e.type] ?? "id"];
    }

    protected outputs(e: LinkedEntry, mode: Mode): Record<string, unknown> {
        if (mode === "preview") return { id: UNKNOWN };
        const n = e.name;
        const region = typeof e.props.region === "string" ? e.props.region : "europe-west1";
        const zone = typeof e.props.zone === "string" ? e.props.zone : `${region}-b`;
        const path = (() => {
            switch (e.type) {
                case G.network:
                    return `projects/${PROJECT}/global/networks/${n}`;
                case G.subnet:
                    return `projects/${PROJECT}/regions/${region}/subnetworks/${n}`;
                case G.firewall:
                    return `projects/${PROJECT}/global/firewalls/${n}`;
                case G.route:
                    return `projects/${PROJECT}/global/routes/${n}`;
                case G.instance:
                    return `projects/${PROJECT}/zones/${zone}/instances/${n}`;
                case G.template:
                    return `projects/${PROJECT}/global/instanceTemplates/${n}`;
                case G.igm:
                    return `projects/${PROJECT}/zones/${zone}/instanceGroupManagers/${n}`;
                case G.rigm:
                    return `projects/${PROJECT}/regions/${region}/instanceGroupManagers/${n}`;
                case G.backend:
                    return `projects/${PROJECT}/regions/${region}/backendServices/${n}`;
                case G.pool:
                    return `projects/${PROJECT}/regions/${region}/targetPools/${n}`;
                case G.fr:
                    return `projects/${PROJECT}/regions/${region}/forwardingRules/${n}`;
                case G.gfr:
                    return `projects/${PROJECT}/global/forwardingRules/${n}`;
                case G.proxy:
                    return `projects/${PROJECT}/global/targetHttpsProxies/${n}`;
                case G.address:
                    return `projects/${PROJECT}/regions/${region}/addresses/${n}`;
                case G.globalAddress:
                    return `projects/${PROJECT}/global/addresses/${n}`;
                case G.policy:
                    return `projects/${PROJECT}/global/firewallPolicies/${n}`;
                default:
                    return `projects/${PROJECT}/${n}`;
            }
        })();
        const out: Record<string, unknown> = { id: path, selfLink: `${API}${path}`, name: n };
        if (e.type === G.account) {
            const email = `${n}@${PROJECT}.iam.gserviceaccount.com`;
            Object.assign(out, {
                email,
                id: `projects/${PROJECT}/serviceAccounts/${email}`,
                name: `projects/${PROJECT}/serviceAccounts/${email}`,
                member: `serviceAccount:${email}`,
                selfLink: undefined,
            });
        }
        if (e.type === G.instance) Object.assign(out, { instanceId: hash(n), zone });
        if (e.type === G.template) out.selfLinkUnique = `${API}${path}?uniqueId=${hash(n)}`;
        if (e.type === G.igm || e.type === G.rigm)
            out.instanceGroup = `${API}projects/${PROJECT}/${e.type === G.igm ? `zones/${zone}` : `regions/${region}`}/instanceGroups/${n}`;
        if (e.type === G.address) out.address = `203.0.113.${Number(hash(n)) % 250}`;
        if (e.type === G.tagValue) Object.assign(out, { name: `tagValues/${hash(n)}`, id: `tagValues/${hash(n)}` });
        if (e.type === G.sql) Object.assign(out, { id: n, connectionName: `${PROJECT}:${region}:${n}`, selfLink: undefined });
        return out;
    }
}

/** A VPC firewall rule's `allows`/`denies` entry. */
export const tcp = (...ports: (number | string)[]) => ({ protocol: "tcp", ...(ports.length > 0 ? { ports: ports.map(String) } : {}) });
export const all = () => ({ protocol: "all" });

/**
 * A custom-mode network `vpc` (with its default internet route), subnetworks `web-subnet`
 * (10.10.0.0/24), `app-subnet` (10.10.1.0/24) and `db-subnet` (10.10.2.0/24) in europe-west1, and
 * the service accounts `web-sa`, `api-sa` and `db-sa`. No firewall rule: GCP's implied rules deny
 * all ingress and allow all egress.
 */
export function network(): Stack {
    return new Stack()
        .add(G.network, "vpc", { autoCreateSubnetworks: false })
        .add(G.subnet, "web-subnet", { ipCidrRange: "10.10.0.0/24", region: "europe-west1" }, { network: "vpc" })
        .add(G.subnet, "app-subnet", { ipCidrRange: "10.10.1.0/24", region: "europe-west1" }, { network: "vpc" })
        .add(G.subnet, "db-subnet", { ipCidrRange: "10.10.2.0/24", region: "europe-west1" }, { network: "vpc" })
        .add(G.account, "web-sa", { accountId: "web" })
        .add(G.account, "api-sa", { accountId: "api" })
        .add(G.account, "db-sa", { accountId: "db" });
}

/** An instance in `subnet` with network `tags`, optionally an external IP and a service account. */
export function vm(
    s: Stack,
    vmName: string,
    subnet: string,
    o: { tags?: string[]; external?: boolean; account?: string; labels?: Record<string, string>; zone?: string } = {},
): Stack {
    return s.add(
        G.instance,
        vmName,
        {
            machineType: "e2-small",
            zone: o.zone ?? "europe-west1-b",
            ...(o.tags ? { tags: o.tags } : {}),
            ...(o.labels ? { labels: o.labels } : {}),
            networkInterfaces: [{ ...(o.external ? { accessConfigs: [{}] } : {}) }],
            ...(o.account ? { serviceAccount: { scopes: ["cloud-platform"] } } : {}),
        },
        { "networkInterfaces[0].subnetwork": subnet, ...(o.account ? { "serviceAccount.email": o.account } : {}) },
    );
}

export const FLOWS_REGISTRY = (extra = "") => `
services:
  - { name: ssh, ports: [22], protocol: tcp }
${WEB_AND_API}
  - { name: redis, ports: [6379], protocol: tcp }
${POSTGRES_FOR_API}
${extra}knownCidrs: [10.0.0.0/8]
`;
