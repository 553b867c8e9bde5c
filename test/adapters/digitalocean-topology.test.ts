// The DigitalOcean topology adapters: what each resource that places workloads in a VPC or filters
// them besides Cloud Firewalls is read as (role, identity, links with their input property and value,
// deciding values), and the links the Cloud Firewall adapter adds for the graph.
import { strict as assert } from "assert";
import { normalise } from "../../policies/adapters";
import { databasePort } from "../../policies/adapters/digitalocean/graph";
import { FirewallModel } from "../../policies/model/resources";
import { UNKNOWN } from "../helpers";
import { junkInputTest, linkTexts, TopologyRow, topologyRowTests } from "./topology-rows";

/** "vpc: vpcUuid=vpc-1", "tags: tags?" (unknown until update). */

const VPC_ID = "c140286f-e6ce-4131-8b7b-df4590ce8d6a";

const rows: TopologyRow[] = [
    {
        name: "a VPC: its range and region",
        type: "digitalocean:index/vpc:Vpc",
        props: { id: VPC_ID, region: "fra1", ipRange: "10.110.0.0/20" },
        role: "digitalocean:vpc",
        identity: [VPC_ID],
        values: { ipRange: "10.110.0.0/20", region: "fra1" },
    },
    {
        name: "a tag in preview: its id unknown, its name known (the id is the name)",
        type: "digitalocean:index/tag:Tag",
        props: { id: UNKNOWN, name: "service:api" },
        role: "digitalocean:tag",
        identity: ["service:api"],
        values: { name: "service:api" },
    },
    {
        name: "a droplet in preview: the VPC and one tag unknown, another tag by name, public networking and IPv6 as written",
        type: "digitalocean:index/droplet:Droplet",
        props: {
            id: UNKNOWN,
            vpcUuid: UNKNOWN,
            region: "fra1",
            tags: [UNKNOWN, "shop-web"],
            publicNetworking: false,
            ipv6: true,
            ipv4AddressPrivate: UNKNOWN,
        },
        role: "digitalocean:droplet",
        identity: [],
        links: ["vpc: vpcUuid?", "tags: tags?", "tags: tags=shop-web"],
        values: { region: "fra1", publicNetworking: false, ipv6: true, privateAddress: { unknown: "ipv4AddressPrivate" } },
    },
    {
        name: "a droplet after update: known by its id, its private address known",
        type: "digitalocean:index/droplet:Droplet",
        props: { id: "301234567", vpcUuid: VPC_ID, tags: ["shop-web"], ipv4AddressPrivate: "10.110.0.5" },
        role: "digitalocean:droplet",
        identity: ["301234567"],
        links: [`vpc: vpcUuid=${VPC_ID}`, "tags: tags=shop-web"],
        values: { privateAddress: "10.110.0.5" },
    },
    {
        name: "a load balancer: forwarding rules, droplets by id (numbers) and by tag, its own firewall",
        type: "digitalocean:index/loadBalancer:LoadBalancer",
        props: {
            vpcUuid: VPC_ID,
            dropletIds: [301234567, UNKNOWN],
            dropletTag: "shop-web",
            network: "EXTERNAL",
            forwardingRules: [{ entryPort: 443, entryProtocol: "https", targetPort: 8080, targetProtocol: "http" }],
            firewall: { allows: ["cidr:198.51.100.0/24"], denies: ["ip:192.0.2.7"] },
        },
        role: "digitalocean:load-balancer",
        links: [`vpc: vpcUuid=${VPC_ID}`, "dropletTag: dropletTag=shop-web", "droplets: dropletIds=301234567", "droplets: dropletIds?"],
        values: {
            network: "EXTERNAL",
            forwardingRules: [{ entryPort: 443, entryProtocol: "https", targetPort: 8080, targetProtocol: "http" }],
            firewall: true,
            firewallAllows: ["cidr:198.51.100.0/24"],
            firewallDenies: ["ip:192.0.2.7"],
        },
    },
    {
        name: "a load balancer without a firewall block",
        type: "digitalocean:index/loadBalancer:LoadBalancer",
        props: { region: "nyc3", forwardingRules: UNKNOWN },
        role: "digitalocean:load-balancer",
        values: { region: "nyc3", forwardingRules: { unknown: "forwardingRules" }, firewall: false },
    },
    {
        name: "a database cluster: engine, port once known, its VPC, its tags",
        type: "digitalocean:index/databaseCluster:DatabaseCluster",
        props: { id: UNKNOWN, engine: "pg", port: UNKNOWN, privateNetworkUuid: UNKNOWN, tags: ["service:do-postgres"] },
        role: "digitalocean:database-cluster",
        links: ["vpc: privateNetworkUuid?", "tags: tags=service:do-postgres"],
        values: { engine: "pg", port: { unknown: "port" } },
    },
    {
        name: "a database firewall: its cluster and each trusted source, values that name resources as links",
        type: "digitalocean:index/databaseFirewall:DatabaseFirewall",
        props: {
            clusterId: UNKNOWN,
            rules: [
                { type: "ip_addr", value: "192.0.2.0/24" },
                { type: "droplet", value: UNKNOWN },
            ],
        },
        role: "digitalocean:database-firewall",
        links: ["cluster: clusterId?", "rules[0]: rules=192.0.2.0/24", "rules[1]: rules?"],
        values: {
            rules: [
                { type: "ip_addr", value: "192.0.2.0/24" },
                { type: "droplet", value: { unknown: "rules[1].value" } },
            ],
        },
    },
    {
        name: "a Kubernetes cluster: its default node pool's tags, its VPC",
        type: "digitalocean:index/kubernetesCluster:KubernetesCluster",
        props: { id: UNKNOWN, region: "fra1", vpcUuid: VPC_ID, nodePool: { name: "default", tags: ["service:api", UNKNOWN] } },
        role: "digitalocean:kubernetes-cluster",
        links: [`vpc: vpcUuid=${VPC_ID}`, "poolTags: nodePool=service:api", "poolTags: nodePool?"],
        values: { region: "fra1", poolName: "default", pool: true },
    },
    {
        name: "a node pool: its cluster and tags",
        type: "digitalocean:index/kubernetesNodePool:KubernetesNodePool",
        props: { clusterId: UNKNOWN, name: "workers", tags: ["service:worker"] },
        role: "digitalocean:node-pool",
        links: ["cluster: clusterId?", "poolTags: tags=service:worker"],
        values: { name: "workers" },
    },
    {
        name: "empty outputs: the provider's configuration was unknown in preview",
        type: "digitalocean:index/droplet:Droplet",
        props: {},
        role: "digitalocean:droplet",
        identity: [],
        values: {},
        empty: true,
    },
];

describe("DigitalOcean topology adapters", () => {
    topologyRowTests(rows, { provider: () => "digitalocean", values: "exact", links: linkTexts });
    junkInputTest(rows);

    it("a Cloud Firewall names the droplets and tags it applies to for the graph, numbers as text; its rules are unchanged", () => {
        const props = {
            dropletIds: [301234567, UNKNOWN],
            tags: ["shop-web"],
            inboundRules: [{ protocol: "tcp", portRange: "22", sourceAddresses: ["10.0.0.0/8"] }],
        };
        const m = normalise("digitalocean:index/firewall:Firewall", props) as FirewallModel;
        assert.deepEqual(linkTexts(m.links ?? {}), ["droplets: dropletIds=301234567", "droplets: dropletIds?", "tags: tags=shop-web"]);
        assert.equal(m.rules.length, 1);
        const unknownList = normalise("digitalocean:index/firewall:Firewall", { tags: UNKNOWN }) as FirewallModel;
        assert.deepEqual(linkTexts(unknownList.links ?? {}), ["tags: tags?"]);
    });

    it("managed database engines listen on DigitalOcean's ports, not the engines' usual ones", () => {
        assert.deepEqual(["pg", "postgres", "mysql", "redis", "valkey", "mongodb", "kafka"].map(databasePort), [
            25060,
            25060,
            25060,
            25061,
            25061,
            27017,
            undefined,
        ]);
    });
});
