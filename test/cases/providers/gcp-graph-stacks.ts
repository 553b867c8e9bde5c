// Small Google Cloud stacks as the engine sends them to AnalyzeStack, for the graph's case tables:
// each resource's outputs, and its links either as preview sends them (ids unknown, links only
// through property dependencies keyed by the top-level input) or as update sends them (known ids,
// self links, emails and names in the outputs and in the referencing inputs).
import { StackCase, UNKNOWN, urnOf } from "../../helpers";
import { setPath } from "./set-path";

export type Mode = "preview" | "update";

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

function hash(s: string): string {
    let h = 0;
    for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0;
    return String(h);
}

/** A reference to another resource of the stack by name; `out:<literal>` is a value outside the stack. */
export type Ref = string;

interface Entry {
    type: string;
    name: string;
    props: Record<string, unknown>;
    refs: Record<string, Ref | Ref[]>;
}

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

export class Stack {
    private readonly entries: Entry[] = [];
    private readonly byName = new Map<string, Entry>();

    add(type: string, name: string, props: Record<string, unknown> = {}, refs: Record<string, Ref | Ref[]> = {}): this {
        const e = { type, name, props, refs };
        // A name already in the stack is replaced in place (a case changing the base network).
        const at = this.entries.findIndex((x) => x.name === name);
        if (at >= 0) this.entries[at] = e;
        else this.entries.push(e);
        this.byName.set(name, e);
        return this;
    }

    /** The resources as the engine sends them in `mode`; `empty` names resources that arrive with empty outputs. */
    build(mode: Mode, empty: string[] = []): StackCase[] {
        return this.entries.map((e) => {
            if (empty.includes(e.name)) return { type: e.type, name: e.name, props: {} };
            const props = structuredClone(e.props);
            const deps: Record<string, string[]> = {};
            for (const [path, ref] of Object.entries(e.refs)) {
                const refs = Array.isArray(ref) ? ref : [ref];
                const values = refs.map((r) => (r.startsWith("out:") ? r.slice(4) : mode === "preview" ? UNKNOWN : this.refValue(r)));
                setPath(props, path, Array.isArray(ref) ? values : values[0]);
                const top = /^[^.[]+/.exec(path)![0];
                const urns = refs
                    .filter((r) => !r.startsWith("out:"))
                    .map((r) => r.split("#")[0])
                    .map((r) => urnOf(this.byName.get(r)!.type, r));
                if (urns.length > 0) deps[top] = [...new Set([...(deps[top] ?? []), ...urns])];
            }
            const own = mode === "update" ? this.outputs(e) : { id: UNKNOWN };
            return {
                type: e.type,
                name: e.name,
                props: { ...own, ...props },
                ...(Object.keys(deps).length > 0 ? { propertyDependencies: deps } : {}),
            };
        });
    }

    /** `name`, or `name#output` for another output of it. */
    private refValue(ref: string): string {
        const [n, output] = ref.split("#");
        const e = this.byName.get(n);
        if (!e) throw new Error(`no resource ${n} in the stack`);
        return this.outputs(e)[output ?? REF_FIELD[e.type] ?? "id"] as string;
    }

    outputs(e: Entry): Record<string, unknown> {
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
  - { name: http, ports: [80], protocol: tcp, public: true }
  - { name: https, ports: [443], protocol: tcp, public: true }
  - { name: api, ports: [8080], protocol: tcp }
  - { name: redis, ports: [6379], protocol: tcp }
  - name: postgres
    ports: [5432]
    protocol: tcp
    clients:
      - service: api
${extra}knownCidrs: [10.0.0.0/8]
`;
