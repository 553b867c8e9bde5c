// The Google Cloud topology adapters: what each resource tells the graph assembler, as the engine
// sends it in update (names, ids and self links known) and in preview (unknown values), and the
// targets the firewall models carry for the graph.
import { strict as assert } from "assert";
import { normalise } from "../../policies/adapters";
import { GcpFirewallModel } from "../../policies/adapters/gcp/firewalls";
import { GcpSubnetworkModel } from "../../policies/adapters/gcp/flow-logs";
import { UNKNOWN } from "../helpers";
import { junkInputTest, linkLiterals, TopologyRow, topologyRowTests } from "./topology-rows";

const API = "https://www.googleapis.com/compute/v1/";

const rows: TopologyRow[] = [
    {
        name: "instance in update: self links read as ids, an access config with a static address, tags, service account, labels",
        type: "gcp:compute/instance:Instance",
        props: {
            id: "projects/p/zones/europe-west1-b/instances/web-1",
            selfLink: `${API}projects/p/zones/europe-west1-b/instances/web-1`,
            name: "web-1",
            labels: { service: "web" },
            tags: ["web", "ssh"],
            serviceAccount: { email: "web@p.iam.gserviceaccount.com", scopes: [] },
            networkInterfaces: [
                {
                    network: `${API}projects/p/global/networks/vpc`,
                    subnetwork: "projects/p/regions/europe-west1/subnetworks/web",
                    accessConfigs: [{ natIp: "203.0.113.9" }],
                    networkIp: "10.10.0.5",
                },
            ],
        },
        role: "gcp:instance",
        links: [
            "nic[0].network: projects/p/global/networks/vpc",
            "nic[0].subnetwork: projects/p/regions/europe-west1/subnetworks/web",
            "nic[0].natIp: 203.0.113.9",
            "serviceAccount: web@p.iam.gserviceaccount.com",
        ],
        values: {
            nics: 1,
            "nic[0].accessConfigs": 1,
            "nic[0].ipv6AccessConfigs": 0,
            "nic[0].networkIp": "10.10.0.5",
            tags: ["web", "ssh"],
        },
        identity: ["projects/p/zones/europe-west1-b/instances/web-1", "zones/europe-west1-b/instances/web-1", "web-1"],
        tags: { service: "web" },
    },
    {
        name: "instance in preview: unknown subnetwork, access configs, service account and tags",
        type: "gcp:compute/instance:Instance",
        props: { networkInterfaces: [{ subnetwork: UNKNOWN, accessConfigs: UNKNOWN }], serviceAccount: UNKNOWN, tags: UNKNOWN },
        role: "gcp:instance",
        links: ["nic[0].subnetwork: ?networkInterfaces", "serviceAccount: ?serviceAccount"],
        values: { nics: 1, "nic[0].accessConfigs": { unknown: "networkInterfaces[0].accessConfigs" }, tags: { unknown: "tags" } },
    },
    {
        name: "instance template: a service account block without an email runs as the default compute account",
        type: "gcp:compute/instanceTemplate:InstanceTemplate",
        props: {
            selfLinkUnique: "x?uniqueId=1",
            tags: ["db"],
            labels: { service: "postgres" },
            networkInterfaces: [{ subnetwork: "db-subnet" }],
            serviceAccount: { scopes: ["cloud-platform"] },
        },
        role: "gcp:instance-template",
        links: ["nic[0].subnetwork: db-subnet"],
        values: { nics: 1, "nic[0].accessConfigs": 0, tags: ["db"], defaultServiceAccount: true },
        identity: ["x?uniqueId=1"],
        tags: { service: "postgres" },
    },
    {
        name: "regional managed instance group: its template unknown in preview, its target pools",
        type: "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
        props: {
            region: "europe-west1",
            versions: [{ instanceTemplate: UNKNOWN }],
            targetPools: ["projects/p/regions/europe-west1/targetPools/pool"],
        },
        role: "gcp:instance-group-manager",
        links: ["templates: ?versions", "targetPools: projects/p/regions/europe-west1/targetPools/pool"],
        values: { region: "europe-west1" },
    },
    {
        name: "Cloud SQL: public IP, private network, authorized networks, user labels",
        type: "gcp:sql/databaseInstance:DatabaseInstance",
        props: {
            databaseVersion: "POSTGRES_15",
            settings: {
                userLabels: { service: "postgres" },
                ipConfiguration: {
                    ipv4Enabled: true,
                    privateNetwork: "projects/p/global/networks/vpc",
                    authorizedNetworks: [{ value: "198.51.100.0/24" }],
                },
            },
        },
        role: "gcp:sql-instance",
        links: ["privateNetwork: projects/p/global/networks/vpc"],
        values: { databaseVersion: "POSTGRES_15", ipv4Enabled: true, authorizedNetworks: [{ value: "198.51.100.0/24" }] },
        tags: { service: "postgres" },
    },
    {
        name: "Cloud SQL whose settings are unknown until update",
        type: "gcp:sql/databaseInstance:DatabaseInstance",
        props: { databaseVersion: "MYSQL_8_0", settings: UNKNOWN },
        role: "gcp:sql-instance",
        values: { databaseVersion: "MYSQL_8_0", ipConfiguration: { unknown: "settings" }, authorizedNetworks: [] },
    },
    {
        name: "regional forwarding rule to a target pool",
        type: "gcp:compute/forwardingRule:ForwardingRule",
        props: { loadBalancingScheme: "EXTERNAL", ipProtocol: "TCP", portRange: "80-81", target: "projects/p/regions/r/targetPools/pool" },
        role: "gcp:forwarding-rule",
        links: ["target: projects/p/regions/r/targetPools/pool"],
        values: { global: false, loadBalancingScheme: "EXTERNAL", ipProtocol: "TCP", portRange: "80-81" },
    },
    {
        name: "global forwarding rule whose target proxy is unknown in preview",
        type: "gcp:compute/globalForwardingRule:GlobalForwardingRule",
        props: { loadBalancingScheme: "EXTERNAL_MANAGED", portRange: "443", target: UNKNOWN },
        role: "gcp:forwarding-rule",
        links: ["target: ?target"],
        values: { global: true, loadBalancingScheme: "EXTERNAL_MANAGED", portRange: "443" },
    },
    {
        name: "internal backend service and its instance groups",
        type: "gcp:compute/regionBackendService:RegionBackendService",
        props: { loadBalancingScheme: "INTERNAL", backends: [{ group: "projects/p/zones/z/instanceGroups/g" }] },
        role: "gcp:backend-service",
        links: ["groups: projects/p/zones/z/instanceGroups/g"],
        values: { loadBalancingScheme: "INTERNAL" },
    },
    {
        name: "custom-mode network without its default routes",
        type: "gcp:compute/network:Network",
        props: { id: "projects/p/global/networks/vpc", name: "vpc", autoCreateSubnetworks: false, deleteDefaultRoutesOnCreate: true },
        role: "gcp:network",
        values: { autoCreateSubnetworks: false, deleteDefaultRoutesOnCreate: true },
        identity: ["projects/p/global/networks/vpc", "global/networks/vpc", "vpc"],
    },
    { name: "a network with empty outputs", type: "gcp:compute/network:Network", props: {}, role: "gcp:network", empty: true },
    {
        name: "route to the default internet gateway for tagged instances",
        type: "gcp:compute/route:Route",
        props: { network: "vpc", destRange: "0.0.0.0/0", nextHopGateway: "default-internet-gateway", tags: ["egress"] },
        role: "gcp:route",
        links: ["network: vpc"],
        values: { destRange: "0.0.0.0/0", tags: ["egress"], nextHopGateway: "default-internet-gateway" },
    },
    {
        name: "network peering whose peer is unknown in preview",
        type: "gcp:compute/networkPeering:NetworkPeering",
        props: { network: "projects/p/global/networks/a", peerNetwork: UNKNOWN },
        role: "gcp:network-peering",
        links: ["network: projects/p/global/networks/a", "peerNetwork: ?peerNetwork"],
    },
    {
        name: "service account: known by its email and name",
        type: "gcp:serviceaccount/account:Account",
        props: {
            email: "api@p.iam.gserviceaccount.com",
            name: "projects/p/serviceAccounts/api@p.iam.gserviceaccount.com",
            accountId: "api",
        },
        role: "gcp:service-account",
        identity: [
            "api@p.iam.gserviceaccount.com",
            "projects/p/serviceAccounts/api@p.iam.gserviceaccount.com",
            "serviceAccounts/api@p.iam.gserviceaccount.com",
        ],
    },
    {
        name: "network firewall policy association",
        type: "gcp:compute/networkFirewallPolicyAssociation:NetworkFirewallPolicyAssociation",
        props: { firewallPolicy: "pol", attachmentTarget: "projects/p/global/networks/vpc" },
        role: "gcp:network-firewall-policy-association",
        links: ["policy: pol", "network: projects/p/global/networks/vpc"],
    },
    {
        name: "hierarchical firewall policy association with a folder",
        type: "gcp:compute/firewallPolicyAssociation:FirewallPolicyAssociation",
        props: { firewallPolicy: "locations/global/firewallPolicies/123", attachmentTarget: "folders/42" },
        role: "gcp:firewall-policy-association",
        links: ["policy: locations/global/firewallPolicies/123", "target: folders/42"],
    },
    {
        name: "private services access range",
        type: "gcp:compute/globalAddress:GlobalAddress",
        props: { purpose: "VPC_PEERING", address: "10.60.0.0", prefixLength: 16, network: "projects/p/global/networks/vpc" },
        role: "gcp:global-address",
        links: ["network: projects/p/global/networks/vpc"],
        values: { purpose: "VPC_PEERING", address: "10.60.0.0", prefixLength: 16 },
    },
];

describe("GCP topology adapters", () => {
    topologyRowTests(rows, { provider: () => "gcp", values: "listed", links: linkLiterals });

    it("a subnetwork is read with its flow logs and carries where it puts instances", () => {
        const m = normalise("gcp:compute/subnetwork:Subnetwork", {
            id: "projects/p/regions/europe-west1/subnetworks/web",
            network: `${API}projects/p/global/networks/vpc`,
            ipCidrRange: "10.10.0.0/24",
            region: "europe-west1",
        }) as GcpSubnetworkModel;
        assert.equal(m.kind, "flow-log");
        assert.equal(m.topology.role, "gcp:subnetwork");
        assert.deepEqual(linkLiterals(m.topology.links), ["network: projects/p/global/networks/vpc"]);
        assert.deepEqual(m.topology.values, { ipCidrRange: "10.10.0.0/24", region: "europe-west1" });
        assert.deepEqual(m.topology.identity, ["projects/p/regions/europe-west1/subnetworks/web", "regions/europe-west1/subnetworks/web"]);
    });

    it("VPC firewall rules and policy rules carry their targets; goto_next rules are kept apart", () => {
        const fw = normalise("gcp:compute/firewall:Firewall", {
            network: "vpc",
            allows: [{ protocol: "tcp", ports: ["22"] }],
            sourceRanges: ["0.0.0.0/0"],
            targetTags: ["web"],
            targetServiceAccounts: [UNKNOWN],
        }) as GcpFirewallModel;
        assert.deepEqual(
            Object.fromEntries(Object.entries(fw.links ?? {}).map(([k, ls]) => [k, ls.map((l) => l.literal ?? `?${l.property}`)])),
            { targetTags: ["web"], targetServiceAccounts: ["?targetServiceAccounts"] },
        );
        const rule = normalise("gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule", {
            firewallPolicy: "pol",
            priority: 10,
            direction: "INGRESS",
            action: "goto_next",
            match: { srcIpRanges: ["0.0.0.0/0"], layer4Configs: [{ ipProtocol: "tcp", ports: ["22"] }] },
            targetSecureTags: [{ name: "tagValues/1" }],
        }) as GcpFirewallModel;
        assert.equal(rule.rules.length, 0, "goto_next decides nothing on its own");
        assert.equal(rule.passOn?.length, 1);
        assert.deepEqual(
            rule.links?.targetSecureTags?.map((l) => l.literal),
            ["tagValues/1"],
        );
    });

    junkInputTest(rows);
});
