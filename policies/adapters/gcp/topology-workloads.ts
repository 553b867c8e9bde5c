// Google Cloud (classic provider): the workloads of a VPC network and what they run behind.
// Instances and their network interfaces, instance templates with the managed instance groups that
// run them, Cloud SQL instances, forwarding rules with the backend services, target pools, target
// instances and proxies they send traffic to, read as topology models for the graph assembler (graph.ts).
import { Input } from "../support/input";
import { Adapter } from "../support/resource-builder";
import { TopologyBuilder } from "../support/topology";
import { canonical, each, gcpIdentity, lastSegment, link, linkList, ROLE, topology } from "./topology-network";

/**
 * The network interfaces of an instance or template: per interface `i`, links `nic[i].network`,
 * `nic[i].subnetwork`, `nic[i].natIp` and values `nic[i].accessConfigs` (how many: an external IPv4
 * address each), `nic[i].ipv6AccessConfigs`, `nic[i].networkIp`. An unknown list is `nics` unknown.
 */
function interfaces(b: TopologyBuilder, list: Input): void {
    const items = list.items();
    if (items === "unknown") {
        b.value("nics", list);
        return;
    }
    if (items === "invalid") return;
    b.value("nics", Input.root(items.length));
    items.forEach((nic, i) => {
        link(b, `nic[${i}].network`, nic.get("network"));
        link(b, `nic[${i}].subnetwork`, nic.get("subnetwork"));
        for (const config of each(nic.get("accessConfigs"))) link(b, `nic[${i}].natIp`, config.get("natIp"));
        for (const key of ["accessConfigs", "ipv6AccessConfigs"]) {
            const configs = nic.get(key);
            const n = configs.items();
            b.value(`nic[${i}].${key}`, n === "unknown" ? configs : Input.root(Array.isArray(n) ? n.length : 0));
        }
        b.value(`nic[${i}].networkIp`, nic.get("networkIp")).value(`nic[${i}].stackType`, nic.get("stackType"));
    });
}

/** What an instance and a template share: interfaces, network tags, service account, secure tags. */
function instanceLike(b: TopologyBuilder, props: Input, secureTags: Input): void {
    interfaces(b, props.get("networkInterfaces"));
    b.value("tags", props.get("tags"));
    const sa = props.get("serviceAccount");
    if (sa.unknown) link(b, "serviceAccount", sa);
    else if (!sa.missing) {
        link(b, "serviceAccount", sa.get("email"));
        // A service account block without an email runs as the project's default compute service account.
        if (sa.get("email").missing) b.value("defaultServiceAccount", Input.root(true));
    }
    const tags = secureTags.value;
    if (secureTags.unknown) link(b, "secureTags", secureTags);
    else if (tags !== null && typeof tags === "object" && !Array.isArray(tags))
        for (const k of Object.keys(tags)) link(b, "secureTags", secureTags.get(k));
}

/** `zone` or `region`, and the region a zone is in (`us-central1-a` is in `us-central1`). */
function location(b: TopologyBuilder, props: Input): void {
    b.value("zone", props.get("zone")).value("region", props.get("region"));
}

/** A GKE node pool's nodes as GCE instances: `nodeConfig.tags` (network tags) and `nodeConfig.serviceAccount` (else the default compute one). */
function nodeConfig(b: TopologyBuilder, config: Input): void {
    if (config.unknown) {
        b.value("tags", config);
        link(b, "serviceAccount", config);
        return;
    }
    b.value("tags", config.get("tags"));
    const sa = config.get("serviceAccount");
    if (sa.missing) b.value("defaultServiceAccount", Input.root(true));
    else link(b, "serviceAccount", sa);
}

const ENGINES = "`POSTGRES_*` 5432, `MYSQL_*` 3306, `SQLSERVER_*` 1433";

export const gcpWorkloadTopologyAdapters: Adapter[] = [
    {
        provider: "gcp",
        kind: "topology",
        types: ["gcp:compute/instance:Instance", "gcp:compute/instanceFromTemplate:InstanceFromTemplate"],
        summary:
            "each `networkInterfaces[i]` (`network`, `subnetwork`, `networkIp`; `accessConfigs` an external IPv4 address, `natIp` a static one; `ipv6AccessConfigs` an external IPv6 address) " +
            "is a placement; `tags` (network tags), `serviceAccount.email`, `params.resourceManagerTags` (secure tags), `labels`, `zone`; `sourceInstanceTemplate` for what the instance leaves out.",
        normalise: (props) => {
            const m = topology(
                ROLE.instance,
                props,
                (b) => {
                    instanceLike(b, props, props.get("params").get("resourceManagerTags"));
                    location(b, props);
                    link(b, "template", props.get("sourceInstanceTemplate"));
                },
                ["id", "selfLink", "name"],
            );
            // Target pools name instances `zone/name`; tag bindings name them by their numeric `instanceId`.
            const [zone, name, numeric, project] = ["zone", "name", "instanceId", "project"].map((k) => props.get(k).string());
            const more: string[] = [];
            if (zone && name) more.push(`${lastSegment(zone)}/${name}`);
            if (zone && numeric) {
                more.push(`zones/${lastSegment(zone)}/instances/${numeric}`);
                if (project) more.push(`projects/${project}/zones/${lastSegment(zone)}/instances/${numeric}`);
            }
            return { ...m, identity: [...new Set([...m.identity, ...more])] };
        },
    },
    {
        provider: "gcp",
        kind: "topology",
        types: ["gcp:compute/instanceTemplate:InstanceTemplate", "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate"],
        summary:
            "what a managed instance group's instances get: `networkInterfaces`, `tags`, `serviceAccount`, `resourceManagerTags`, `labels`; a template alone runs nothing.",
        normalise: (props) =>
            topology(
                ROLE.instanceTemplate,
                props,
                (b) => {
                    instanceLike(b, props, props.get("resourceManagerTags"));
                    location(b, props);
                },
                ["id", "selfLink", "selfLinkUnique", "name"],
            ),
    },
    {
        provider: "gcp",
        kind: "topology",
        types: [
            "gcp:compute/instanceGroupManager:InstanceGroupManager",
            "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
        ],
        summary:
            "`versions[].instanceTemplate` (its instances' interfaces, tags and service account), `zone`/`region`, `targetPools`; known to backend services by `instanceGroup`.",
        normalise: (props) =>
            topology(
                ROLE.instanceGroupManager,
                props,
                (b) => {
                    const versions = props.get("versions");
                    if (versions.unknown) link(b, "templates", versions);
                    for (const v of each(versions)) link(b, "templates", v.get("instanceTemplate"));
                    link(b, "templates", props.get("instanceTemplate"));
                    linkList(b, "targetPools", props.get("targetPools"));
                    location(b, props);
                },
                ["id", "selfLink", "name", "instanceGroup"],
            ),
    },
    {
        provider: "gcp",
        kind: "topology",
        types: ["gcp:compute/instanceGroup:InstanceGroup"],
        summary: "an unmanaged instance group: the `instances` a backend service sends its traffic to.",
        normalise: (props) =>
            topology(
                ROLE.instanceGroup,
                props,
                (b) => {
                    linkList(b, "instances", props.get("instances"));
                },
                ["id", "selfLink", "name"],
            ),
    },
    {
        provider: "gcp",
        kind: "topology",
        types: ["gcp:container/cluster:Cluster"],
        summary:
            "a GKE cluster's default node pool (unless `removeDefaultNodePool`): GCE instances in `network`/`subnetwork` with the network tags `nodeConfig.tags` " +
            "(and one GKE chooses, `gke-<cluster>-<hash>-node`, that the plan cannot tell), `nodeConfig.serviceAccount`, and external IPs unless " +
            "`privateClusterConfig.enablePrivateNodes`: the nodes a NodePort Service of the cluster is reached through.",
        normalise: (props) =>
            topology(
                ROLE.gkeCluster,
                props,
                (b) => {
                    link(b, "network", props.get("network"));
                    link(b, "subnetwork", props.get("subnetwork"));
                    nodeConfig(b, props.get("nodeConfig"));
                    const priv = props.get("privateClusterConfig");
                    b.value("privateNodes", priv.unknown ? priv : priv.get("enablePrivateNodes"))
                        .value("removeDefaultNodePool", props.get("removeDefaultNodePool"))
                        .value("autopilot", props.get("enableAutopilot"))
                        .value("clusterName", props.get("name"));
                    location(b, props);
                    b.value("location", props.get("location"));
                },
                ["id", "name", "selfLink"],
            ),
    },
    {
        provider: "gcp",
        kind: "topology",
        types: ["gcp:container/nodePool:NodePool"],
        summary:
            "a GKE node pool of `cluster`: its nodes are GCE instances in the cluster's network with the network tags `nodeConfig.tags` (and GKE's own), " +
            "`nodeConfig.serviceAccount`, and external IPs unless `networkConfig.enablePrivateNodes` (else the cluster's `privateClusterConfig`) says otherwise.",
        normalise: (props) =>
            topology(ROLE.gkeNodePool, props, (b) => {
                link(b, "cluster", props.get("cluster"));
                nodeConfig(b, props.get("nodeConfig"));
                const net = props.get("networkConfig");
                b.value("privateNodes", net.unknown ? net : net.get("enablePrivateNodes"));
            }),
    },
    {
        provider: "gcp",
        kind: "topology",
        types: ["gcp:sql/databaseInstance:DatabaseInstance"],
        summary:
            "`settings.ipConfiguration`: `ipv4Enabled` (default true: a public IP that admits only `authorizedNetworks`), `privateNetwork` (a private IP in that network, " +
            `which no firewall rule filters), \`allocatedIpRange\`; \`databaseVersion\` gives the port (${ENGINES}); \`settings.userLabels\`.`,
        normalise: (props) => {
            const ip = props.get("settings").get("ipConfiguration");
            const b = new TopologyBuilder("gcp", ROLE.sql, props);
            b.readTags(props.get("settings").get("userLabels"));
            b.value("databaseVersion", props.get("databaseVersion"))
                .value("ipv4Enabled", ip.get("ipv4Enabled"))
                .value("region", props.get("region"));
            if (props.get("settings").unknown || ip.unknown) b.value("ipConfiguration", ip.unknown ? ip : props.get("settings"));
            link(b, "privateNetwork", ip.get("privateNetwork"));
            link(b, "allocatedIpRange", ip.get("allocatedIpRange"));
            const nets = ip.get("authorizedNetworks");
            b.records("authorizedNetworks", nets, ["value"]);
            return { ...b.build(), identity: gcpIdentity(props, ["id", "name", "selfLink", "connectionName"]) };
        },
    },
    {
        provider: "gcp",
        kind: "topology",
        types: ["gcp:compute/forwardingRule:ForwardingRule", "gcp:compute/globalForwardingRule:GlobalForwardingRule"],
        summary:
            "`loadBalancingScheme` (default EXTERNAL), `ipProtocol`, `ports`/`portRange`/`allPorts`, `ipVersion`, `sourceIpRanges`, `backendService` or `target`: " +
            "an external passthrough rule lets the internet through to its backends on those ports (client address kept); a proxy answers on them itself.",
        normalise: (props, type) =>
            topology(ROLE.forwardingRule, props, (b) => {
                b.value("global", Input.root(type.endsWith("GlobalForwardingRule")))
                    .value("loadBalancingScheme", props.get("loadBalancingScheme"))
                    .value("ipProtocol", props.get("ipProtocol"))
                    .value("ports", props.get("ports"))
                    .value("portRange", props.get("portRange"))
                    .value("allPorts", props.get("allPorts"))
                    .value("ipVersion", props.get("ipVersion"))
                    .value("sourceIpRanges", props.get("sourceIpRanges"));
                link(b, "backendService", props.get("backendService"));
                link(b, "target", props.get("target"));
                link(b, "network", props.get("network"));
            }),
    },
    {
        provider: "gcp",
        kind: "topology",
        types: ["gcp:compute/regionBackendService:RegionBackendService", "gcp:compute/backendService:BackendService"],
        summary:
            "`backends[].group` (instance groups) and `loadBalancingScheme`; `securityPolicy` (Cloud Armor) is not read, so a way in through it cannot be verified.",
        normalise: (props) =>
            topology(ROLE.backendService, props, (b) => {
                const backends = props.get("backends");
                if (backends.unknown) link(b, "groups", backends);
                for (const be of each(backends)) link(b, "groups", be.get("group"));
                b.value("loadBalancingScheme", props.get("loadBalancingScheme")).value("securityPolicy", props.get("securityPolicy"));
            }),
    },
    {
        provider: "gcp",
        kind: "topology",
        types: ["gcp:compute/targetPool:TargetPool"],
        summary: "`instances` (and the managed instance groups whose `targetPools` name it) behind a legacy passthrough load balancer.",
        normalise: (props) =>
            topology(ROLE.targetPool, props, (b) => {
                linkList(b, "instances", props.get("instances"));
                b.value("securityPolicy", props.get("securityPolicy"));
            }),
    },
    {
        provider: "gcp",
        kind: "topology",
        types: ["gcp:compute/targetInstance:TargetInstance"],
        summary: "the `instance` a forwarding rule sends its traffic to (protocol forwarding).",
        normalise: (props) =>
            topology(ROLE.targetInstance, props, (b) => {
                link(b, "instance", props.get("instance"));
                b.value("securityPolicy", props.get("securityPolicy"));
            }),
    },
    {
        provider: "gcp",
        kind: "topology",
        types: [
            "gcp:compute/targetHttpProxy:TargetHttpProxy",
            "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
            "gcp:compute/targetTcpProxy:TargetTcpProxy",
            "gcp:compute/targetSslProxy:TargetSslProxy",
            "gcp:compute/targetGrpcProxy:TargetGrpcProxy",
            "gcp:compute/regionTargetHttpProxy:RegionTargetHttpProxy",
            "gcp:compute/regionTargetHttpsProxy:RegionTargetHttpsProxy",
            "gcp:compute/regionTargetTcpProxy:RegionTargetTcpProxy",
        ],
        summary:
            "a proxy: a forwarding rule that targets it answers on its own ports, and connects to the backends of its `urlMap` (HTTP and HTTPS) or its `backendService` (TCP and SSL) from Google's front ends.",
        normalise: (props) =>
            topology(ROLE.targetProxy, props, (b) => {
                link(b, "urlMap", props.get("urlMap"));
                link(b, "services", props.get("backendService"));
            }),
    },
    {
        provider: "gcp",
        kind: "topology",
        types: ["gcp:compute/uRLMap:URLMap", "gcp:compute/regionUrlMap:RegionUrlMap"],
        summary:
            "the backend services a proxy sends requests to: `defaultService`, and each `pathMatchers[]`'s `defaultService`, `pathRules[].service` and `routeRules[].service`.",
        normalise: (props) =>
            topology(ROLE.urlMap, props, (b) => {
                link(b, "services", props.get("defaultService"));
                for (const pm of each(props.get("pathMatchers"))) {
                    link(b, "services", pm.get("defaultService"));
                    for (const r of each(pm.get("pathRules"))) link(b, "services", r.get("service"));
                    for (const r of each(pm.get("routeRules"))) link(b, "services", r.get("service"));
                }
            }),
    },
    {
        provider: "gcp",
        kind: "topology",
        types: ["gcp:compute/securityPolicy:SecurityPolicy", "gcp:compute/regionSecurityPolicy:RegionSecurityPolicy"],
        summary: "a Cloud Armor policy: its rules are not read, so proxy load balancers in a stack that has one cannot be verified.",
        normalise: (props) => topology(ROLE.securityPolicy, props, () => undefined),
    },
];

/** The region of a zone (`us-central1-a` → `us-central1`), or the value itself when it is a region. */
export function regionOf(zoneOrRegion: string): string {
    const c = canonical(zoneOrRegion).replace(/^.*\/(zones|regions)\//, "");
    return /-[a-z]$/.test(c) ? c.slice(0, -2) : c;
}
