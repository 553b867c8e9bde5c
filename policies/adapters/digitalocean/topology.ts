// DigitalOcean: what places workloads in a VPC and what filters them besides Cloud Firewalls. VPCs,
// tags, droplets, load balancers (forwarding rules, their own `firewall` block), managed database
// clusters and their trusted sources (`DatabaseFirewall`), Kubernetes clusters and node pools, read
// as topology models for the graph assembler (graph.ts).
import { TopologyLink, TopologyModel } from "../../model/topology";
import { Input } from "../support/input";
import { Adapter } from "../support/resource-builder";
import { linkOf, TopologyBuilder } from "../support/topology";

export const ROLE = {
    vpc: "digitalocean:vpc",
    tag: "digitalocean:tag",
    droplet: "digitalocean:droplet",
    loadBalancer: "digitalocean:load-balancer",
    database: "digitalocean:database-cluster",
    databaseFirewall: "digitalocean:database-firewall",
    kubernetesCluster: "digitalocean:kubernetes-cluster",
    nodePool: "digitalocean:node-pool",
} as const;

/** Droplet ids are numbers in some inputs (`dropletIds`) and strings in others (`id`): links compare them as text. */
export function asText(input: Input): Input {
    const v = input.value;
    if (typeof v === "number") return new Input(String(v), input.path, input.secrets);
    if (Array.isArray(v))
        return new Input(
            (v as unknown[]).map((x): unknown => (typeof x === "number" ? String(x) : x)),
            input.path,
            input.secrets,
        );
    return input;
}

/** One link per element of a list input (an unknown list is one unknown link), numbers read as text. */
export function linksOf(list: Input): TopologyLink[] {
    const text = asText(list);
    const items = text.items();
    if (items === "unknown") return [{ property: /^[^.[]+/.exec(list.path)?.[0] ?? list.path, unknown: true }];
    if (items === "invalid") return [];
    return items.map(linkOf).filter((l): l is TopologyLink => l !== undefined);
}

function topology(role: string, props: Input, read: (b: TopologyBuilder) => void, identity: string[] = ["id"]): TopologyModel {
    const b = new TopologyBuilder("digitalocean", role, props);
    b.identityKeys = identity;
    read(b);
    return b.build();
}

/** Rule values (a load balancer's `firewall.allows`, a database firewall's `rules`) whose values came from secrets: messages must not print them. */
function secretFlag(b: TopologyBuilder, input: Input): void {
    if (input.secret) b.value("secret", Input.root(true));
}

export const digitaloceanTopologyAdapters: Adapter[] = [
    {
        provider: "digitalocean",
        kind: "topology",
        types: ["digitalocean:index/vpc:Vpc"],
        summary:
            "`ipRange`: the addresses of the droplets, clusters and load balancers placed in it (`vpcUuid`, `privateNetworkUuid`); `region`.",
        normalise: (props) =>
            topology(ROLE.vpc, props, (b) => b.value("ipRange", props.get("ipRange")).value("region", props.get("region"))),
    },
    {
        provider: "digitalocean",
        kind: "topology",
        types: ["digitalocean:index/tag:Tag"],
        summary:
            "`name`: a tag is known by its name (its id is its name), so firewalls, droplets, node pools and database firewalls that name it meet.",
        normalise: (props) => topology(ROLE.tag, props, (b) => b.value("name", props.get("name")), ["id", "name"]),
    },
    {
        provider: "digitalocean",
        kind: "topology",
        types: ["digitalocean:index/droplet:Droplet"],
        summary:
            "`vpcUuid` (none: the region's default VPC), `tags` (firewalls attach by them; `service:<name>` is the registry's `serviceTag`), " +
            "`publicNetworking` (default true: a public IPv4 address), `ipv6` (default false), `ipv4AddressPrivate` once known.",
        normalise: (props) =>
            topology(ROLE.droplet, props, (b) => {
                b.link("vpc", props.get("vpcUuid"))
                    .value("region", props.get("region"))
                    .value("publicNetworking", props.get("publicNetworking"))
                    .value("ipv6", props.get("ipv6"))
                    .value("privateAddress", props.get("ipv4AddressPrivate"));
                b.linkList("tags", props.get("tags"));
            }),
    },
    {
        provider: "digitalocean",
        kind: "topology",
        types: ["digitalocean:index/loadBalancer:LoadBalancer"],
        summary:
            "`forwardingRules` (`entryPort`/`entryProtocol` → `targetPort`/`targetProtocol`), `network` (`EXTERNAL` by default: a public address; `INTERNAL`: none), " +
            "`networkStack` (`DUALSTACK`: IPv6 too), `type`, `vpcUuid`, `dropletIds`/`dropletTag`, and its own `firewall` (`allows`/`denies`, `ip:` and `cidr:` entries).",
        normalise: (props) =>
            topology(ROLE.loadBalancer, props, (b) => {
                const fwb = props.get("firewall");
                b.link("vpc", props.get("vpcUuid"))
                    .link("dropletTag", props.get("dropletTag"))
                    .value("region", props.get("region"))
                    .value("network", props.get("network"))
                    .value("networkStack", props.get("networkStack"))
                    .value("type", props.get("type"))
                    .records("forwardingRules", props.get("forwardingRules"), [
                        "entryPort",
                        "entryProtocol",
                        "targetPort",
                        "targetProtocol",
                    ])
                    .value("firewall", Input.root(!fwb.missing))
                    .value("firewallAllows", fwb.get("allows"))
                    .value("firewallDenies", fwb.get("denies"));
                if (fwb.unknown) b.value("firewallAllows", fwb);
                secretFlag(b, fwb);
                b.linkList("droplets", asText(props.get("dropletIds")));
            }),
    },
    {
        provider: "digitalocean",
        kind: "topology",
        types: ["digitalocean:index/databaseCluster:DatabaseCluster"],
        summary:
            "`engine` and `port` (the engine's port until the cluster reports it: 25060 PostgreSQL and MySQL, 25061 Redis and Valkey, 27017 MongoDB), " +
            "`privateNetworkUuid` (none: the region's default VPC), `tags` (`service:<name>`); a public hostname always, filtered only by its `DatabaseFirewall`.",
        normalise: (props) =>
            topology(ROLE.database, props, (b) => {
                b.link("vpc", props.get("privateNetworkUuid"))
                    .value("engine", props.get("engine"))
                    .value("port", props.get("port"))
                    .value("region", props.get("region"))
                    .linkList("tags", props.get("tags"));
            }),
    },
    {
        provider: "digitalocean",
        kind: "topology",
        types: ["digitalocean:index/databaseFirewall:DatabaseFirewall"],
        summary:
            "`clusterId` and its trusted sources `rules` (`type` `ip_addr`, `droplet`, `tag`, `k8s` or `app`, and `value`): the only filter of the cluster, on every port.",
        normalise: (props) =>
            topology(ROLE.databaseFirewall, props, (b) => {
                b.link("cluster", props.get("clusterId")).records("rules", props.get("rules"), ["type", "value"]);
                const items = props.get("rules").items();
                if (Array.isArray(items)) for (const [i, item] of items.entries()) b.link(`rules[${i}]`, item.get("value"));
                secretFlag(b, props.get("rules"));
            }),
    },
    {
        provider: "digitalocean",
        kind: "topology",
        types: ["digitalocean:index/kubernetesCluster:KubernetesCluster"],
        summary:
            "its default `nodePool` (`tags`; nodes also carry `k8s`, `k8s-worker` and `k8s:<cluster id>`), `vpcUuid`, `region`; " +
            "its nodes have public IPv4 addresses, behind the Cloud Firewalls DOKS manages outside the stack and those of the stack that name their tags.",
        normalise: (props) =>
            topology(ROLE.kubernetesCluster, props, (b) => {
                const pool = props.get("nodePool");
                b.link("vpc", props.get("vpcUuid"))
                    .value("region", props.get("region"))
                    .value("isolatedWorkers", props.get("isolatedWorkers"))
                    .value("poolName", pool.get("name"))
                    .value("pool", Input.root(!pool.missing));
                if (pool.unknown) b.link("poolTags", pool);
                b.linkList("poolTags", pool.get("tags"));
            }),
    },
    {
        provider: "digitalocean",
        kind: "topology",
        types: ["digitalocean:index/kubernetesNodePool:KubernetesNodePool"],
        summary: "`clusterId` (its cluster's VPC) and `tags`, like the cluster's default pool.",
        normalise: (props) =>
            topology(ROLE.nodePool, props, (b) => {
                b.link("cluster", props.get("clusterId")).value("name", props.get("name")).linkList("poolTags", props.get("tags"));
            }),
    },
];
