// The AWS topology adapters: what each resource that places workloads in a VPC is read as (role,
// identity, links with their input property and value, deciding values, tags), and the links the
// network ACL adapter adds for the graph.
import { strict as assert } from "assert";
import { normalise } from "../../policies/adapters";
import { FirewallModel } from "../../policies/model/resources";
import { T, UNKNOWN } from "../helpers";
import { junkInputTest, linkTexts, TopologyRow, topologyRowTests } from "./topology-rows";

/** "subnet: subnetId=subnet-1", "securityGroups: vpcSecurityGroupIds?" (unknown until update). */

const rows: TopologyRow[] = [
    {
        name: "a VPC is known by its id and the ids of its default route table, ACL and group",
        type: "aws:ec2/vpc:Vpc",
        props: {
            id: "vpc-1",
            cidrBlock: "10.0.0.0/16",
            defaultNetworkAclId: "acl-d",
            defaultRouteTableId: "rtb-d",
            mainRouteTableId: "rtb-d",
            defaultSecurityGroupId: "sg-d",
            tags: { Name: "main" },
        },
        role: "aws:vpc",
        identity: ["vpc-1", "rtb-d", "rtb-d", "acl-d", "sg-d"],
        values: { cidrBlock: "10.0.0.0/16" },
        tags: { Name: "main" },
    },
    {
        name: "a subnet in preview: the VPC link is unknown, the CIDR and mapPublicIpOnLaunch are known inputs",
        type: "aws:ec2/subnet:Subnet",
        props: { id: UNKNOWN, vpcId: UNKNOWN, cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: true },
        role: "aws:subnet",
        identity: [],
        links: ["vpc: vpcId?"],
        values: { cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: true },
    },
    {
        name: "a default subnet maps public addresses unless it says otherwise",
        type: "aws:ec2/defaultSubnet:DefaultSubnet",
        props: { id: "subnet-d", availabilityZone: "us-east-1a" },
        role: "aws:subnet",
        identity: ["subnet-d"],
        values: { defaultSubnet: true },
    },
    {
        name: "a route table's inline routes and their targets, by route",
        type: "aws:ec2/routeTable:RouteTable",
        props: {
            vpcId: "vpc-1",
            routes: [
                { cidrBlock: "0.0.0.0/0", gatewayId: "igw-1" },
                { ipv6CidrBlock: "::/0", egressOnlyGatewayId: UNKNOWN },
            ],
        },
        role: "aws:route-table",
        links: ["vpc: vpcId=vpc-1", "routes[0].gatewayId: routes=igw-1", "routes[1].egressOnlyGatewayId: routes?"],
        values: {
            routes: [
                { cidrBlock: "0.0.0.0/0", gatewayId: "igw-1" },
                { ipv6CidrBlock: "::/0", egressOnlyGatewayId: { unknown: "routes[1].egressOnlyGatewayId" } },
            ],
        },
    },
    {
        name: "the default route table is the main table of the VPC it names",
        type: "aws:ec2/defaultRouteTable:DefaultRouteTable",
        props: { defaultRouteTableId: UNKNOWN, routes: [] },
        role: "aws:route-table",
        links: ["defaultFor: defaultRouteTableId?"],
        values: { routes: [] },
    },
    {
        name: "a standalone route",
        type: "aws:ec2/route:Route",
        props: { routeTableId: "rtb-1", destinationCidrBlock: "0.0.0.0/0", natGatewayId: UNKNOWN },
        role: "aws:route",
        links: ["routeTable: routeTableId=rtb-1", "natGatewayId: natGatewayId?"],
        values: { cidrBlock: "0.0.0.0/0" },
    },
    {
        name: "route table and network ACL associations",
        type: "aws:ec2/routeTableAssociation:RouteTableAssociation",
        props: { subnetId: UNKNOWN, routeTableId: "rtb-1" },
        role: "aws:route-table-association",
        links: ["subnet: subnetId?", "routeTable: routeTableId=rtb-1"],
    },
    {
        name: "an Elastic IP names the instance or interface it is for",
        type: "aws:ec2/eip:Eip",
        props: { id: "eipalloc-1", allocationId: "eipalloc-1", publicIp: "203.0.113.7", instance: "i-1" },
        role: "aws:eip",
        identity: ["eipalloc-1", "eipalloc-1", "203.0.113.7"],
        links: ["instance: instance=i-1"],
    },
    {
        name: "an instance: subnet, group ids and names, interfaces, launch template, public address",
        type: "aws:ec2/instance:Instance",
        props: {
            subnetId: "subnet-1",
            vpcSecurityGroupIds: ["sg-1", UNKNOWN],
            securityGroups: ["web"],
            associatePublicIpAddress: false,
            primaryNetworkInterface: { networkInterfaceId: "eni-1" },
            networkInterfaces: [{ networkInterfaceId: "eni-2", deviceIndex: 1 }],
            launchTemplate: { id: "lt-1" },
            tags: { service: "api" },
            tagsAll: { service: "api", team: "core" },
        },
        role: "aws:instance",
        links: [
            "subnet: subnetId=subnet-1",
            "securityGroups: vpcSecurityGroupIds=sg-1",
            "securityGroups: vpcSecurityGroupIds?",
            "securityGroupNames: securityGroups=web",
            "networkInterfaces: primaryNetworkInterface=eni-1",
            "networkInterfaces: networkInterfaces=eni-2",
            "launchTemplate: launchTemplate=lt-1",
        ],
        values: { associatePublicIpAddress: false },
        tags: { service: "api", team: "core" },
    },
    {
        name: "an RDS instance: subnet group by name, groups, port, engine",
        type: "aws:rds/instance:Instance",
        props: { dbSubnetGroupName: "db-subnets", vpcSecurityGroupIds: UNKNOWN, engine: "postgres", publiclyAccessible: UNKNOWN },
        role: "aws:rds-instance",
        links: ["subnetGroup: dbSubnetGroupName=db-subnets", "securityGroups: vpcSecurityGroupIds?"],
        values: { engine: "postgres", publiclyAccessible: { unknown: "publiclyAccessible" } },
    },
    {
        name: "a load balancer's subnets from `subnets` and `subnetMappings`",
        type: "aws:lb/loadBalancer:LoadBalancer",
        props: {
            arn: "arn:lb",
            loadBalancerType: "network",
            subnets: ["subnet-1"],
            subnetMappings: [{ subnetId: "subnet-2", allocationId: "eipalloc-1" }],
        },
        role: "aws:load-balancer",
        identity: ["arn:lb"],
        links: ["subnets: subnets=subnet-1", "subnets: subnetMappings=subnet-2"],
        values: { loadBalancerType: "network" },
    },
    {
        name: "a listener forwards to target groups by `targetGroupArn` and `forward.targetGroups`",
        type: "aws:lb/listener:Listener",
        props: {
            loadBalancerArn: "arn:lb",
            port: 443,
            protocol: "TLS",
            defaultActions: [
                { type: "forward", targetGroupArn: "arn:tg1" },
                { type: "forward", forward: { targetGroups: [{ arn: "arn:tg2" }] } },
            ],
        },
        role: "aws:listener",
        links: ["loadBalancer: loadBalancerArn=arn:lb", "targetGroups: defaultActions=arn:tg1", "targetGroups: defaultActions=arn:tg2"],
        values: { port: 443, protocol: "TLS" },
    },
    {
        name: "an ECS service in preview: `networkConfiguration` unknown as a whole",
        type: "aws:ecs/service:Service",
        props: { networkConfiguration: UNKNOWN, loadBalancers: [{ targetGroupArn: UNKNOWN, containerPort: 8080 }] },
        role: "aws:ecs-service",
        links: ["subnets: networkConfiguration?", "securityGroups: networkConfiguration?", "targetGroups: loadBalancers?"],
        values: { networkConfiguration: true },
    },
    {
        name: "a Lambda function without `vpcConfig` is not in a VPC",
        type: "aws:lambda/function:Function",
        props: { runtime: "nodejs20.x" },
        role: "aws:lambda",
        values: { vpcConfig: false },
    },
    {
        name: "a launch template: its first interface's groups, subnet and public address; the tags its instances get",
        type: "aws:ec2/launchTemplate:LaunchTemplate",
        props: {
            id: "lt-1",
            name: "web",
            networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true", securityGroups: ["sg-1"] }],
            tagSpecifications: [
                { resourceType: "volume", tags: { a: "b" } },
                { resourceType: "instance", tags: { service: "web" } },
            ],
            tags: { owner: "x" },
        },
        role: "aws:launch-template",
        identity: ["lt-1", "web"],
        links: ["interfaceSecurityGroups: networkInterfaces=sg-1"],
        values: { associatePublicIpAddress: "true", interface: true },
        tags: { service: "web" },
    },
    {
        name: "an auto-scaling group: subnets, launch template, target groups, propagated tags only",
        type: "aws:autoscaling/group:Group",
        props: {
            vpcZoneIdentifiers: ["subnet-1", "subnet-2"],
            launchTemplate: { id: UNKNOWN, version: "$Latest" },
            targetGroupArns: ["arn:tg"],
            tags: [
                { key: "service", value: "web", propagateAtLaunch: true },
                { key: "cost", value: "x", propagateAtLaunch: false },
            ],
        },
        role: "aws:asg",
        links: [
            "subnets: vpcZoneIdentifiers=subnet-1",
            "subnets: vpcZoneIdentifiers=subnet-2",
            "targetGroups: targetGroupArns=arn:tg",
            "launchTemplate: launchTemplate?",
        ],
        tags: { service: "web" },
    },
    {
        name: "empty outputs: the provider's configuration was unknown in preview",
        type: "aws:ec2/subnet:Subnet",
        props: {},
        role: "aws:subnet",
        identity: [],
        empty: true,
    },
    {
        name: "an ElastiCache cluster in a replication group: the group by id, no subnet group or port of its own",
        type: "aws:elasticache/cluster:Cluster",
        props: { clusterId: "cache-2", replicationGroupId: UNKNOWN, tags: { service: "redis" } },
        role: "aws:elasticache-cluster",
        identity: ["cache-2"],
        links: ["replicationGroup: replicationGroupId?"],
        tags: { service: "redis" },
    },
    {
        name: "an ElastiCache replication group: subnet group by name, groups by id and name, port, engine",
        type: "aws:elasticache/replicationGroup:ReplicationGroup",
        props: {
            id: "cache",
            subnetGroupName: "cache-subnets",
            securityGroupIds: ["sg-1"],
            securityGroupNames: ["cache-sg"],
            port: 6380,
            engine: "valkey",
        },
        role: "aws:elasticache-replication-group",
        identity: ["cache"],
        links: [
            "subnetGroup: subnetGroupName=cache-subnets",
            "securityGroups: securityGroupIds=sg-1",
            "securityGroupNames: securityGroupNames=cache-sg",
        ],
        values: { port: 6380, engine: "valkey" },
    },
    {
        name: "a Redshift cluster: `clusterSubnetGroupName`, `vpcSecurityGroupIds`, `publiclyAccessible`",
        type: "aws:redshift/cluster:Cluster",
        props: { clusterIdentifier: "wh", clusterSubnetGroupName: UNKNOWN, vpcSecurityGroupIds: ["sg-1"], publiclyAccessible: true },
        role: "aws:redshift-cluster",
        identity: ["wh"],
        links: ["subnetGroup: clusterSubnetGroupName?", "securityGroups: vpcSecurityGroupIds=sg-1"],
        values: { publiclyAccessible: true },
    },
    {
        name: "a Neptune cluster instance: its cluster, its own subnet group, port and `publiclyAccessible`",
        type: "aws:neptune/clusterInstance:ClusterInstance",
        props: { clusterIdentifier: "graph", neptuneSubnetGroupName: "graph-subnets", port: 8182, publiclyAccessible: UNKNOWN },
        role: "aws:neptune-cluster-instance",
        links: ["cluster: clusterIdentifier=graph", "subnetGroup: neptuneSubnetGroupName=graph-subnets"],
        values: { port: 8182, publiclyAccessible: { unknown: "publiclyAccessible" } },
    },
    {
        name: "a DocumentDB cluster instance names only its cluster (`publiclyAccessible` is an output it cannot ask for)",
        type: "aws:docdb/clusterInstance:ClusterInstance",
        props: { clusterIdentifier: UNKNOWN, publiclyAccessible: false },
        role: "aws:docdb-cluster-instance",
        links: ["cluster: clusterIdentifier?"],
    },
    {
        name: "a DocumentDB cluster: `dbSubnetGroupName`, groups, port",
        type: "aws:docdb/cluster:Cluster",
        props: { id: "docs", clusterIdentifier: "docs", dbSubnetGroupName: "docs-subnets", vpcSecurityGroupIds: UNKNOWN, port: 27018 },
        role: "aws:docdb-cluster",
        identity: ["docs", "docs"],
        links: ["subnetGroup: dbSubnetGroupName=docs-subnets", "securityGroups: vpcSecurityGroupIds?"],
        values: { port: 27018 },
    },
    {
        name: "subnet groups of each service have a role of their own, known by name",
        type: "aws:redshift/subnetGroup:SubnetGroup",
        props: { id: "wh-subnets", name: "wh-subnets", subnetIds: ["subnet-1", UNKNOWN] },
        role: "aws:redshift-subnet-group",
        identity: ["wh-subnets", "wh-subnets"],
        links: ["subnets: subnetIds=subnet-1", "subnets: subnetIds?"],
    },
    {
        name: "an Amazon MQ broker: its subnets, groups, engine and `publiclyAccessible`",
        type: "aws:mq/broker:Broker",
        props: {
            brokerName: "events",
            subnetIds: ["subnet-1"],
            securityGroups: ["sg-1"],
            engineType: "RabbitMQ",
            publiclyAccessible: false,
        },
        role: "aws:mq-broker",
        identity: ["events"],
        links: ["subnets: subnetIds=subnet-1", "securityGroups: securityGroups=sg-1"],
        values: { engineType: "RabbitMQ", publiclyAccessible: false },
    },
    {
        name: "an OpenSearch domain in preview: `vpcOptions` unknown as a whole",
        type: "aws:opensearch/domain:Domain",
        props: { domainName: "logs", vpcOptions: UNKNOWN },
        role: "aws:search-domain",
        identity: ["logs"],
        links: ["subnets: vpcOptions?", "securityGroups: vpcOptions?"],
        values: { vpcOptions: true },
    },
    {
        name: "an Elasticsearch domain without `vpcOptions` is outside any VPC",
        type: "aws:elasticsearch/domain:Domain",
        props: { domainName: "legacy" },
        role: "aws:search-domain",
        identity: ["legacy"],
        values: { vpcOptions: false },
    },
];

describe("AWS topology adapters", () => {
    topologyRowTests(rows, { provider: () => "aws", values: "exact", links: linkTexts });
    junkInputTest(rows);

    it("a network ACL names its subnets for the graph; the default ACL the VPC whose default it is", () => {
        const acl = normalise(T.nacl, { subnetIds: ["subnet-1", UNKNOWN], ingress: [] }) as FirewallModel;
        assert.deepEqual(linkTexts(acl.links ?? {}), ["subnets: subnetIds=subnet-1", "subnets: subnetIds?"]);
        const unknownList = normalise(T.nacl, { subnetIds: UNKNOWN }) as FirewallModel;
        assert.deepEqual(linkTexts(unknownList.links ?? {}), ["subnets: subnetIds?"]);
        const dflt = normalise(T.defaultNacl, { defaultNetworkAclId: "acl-d" }) as FirewallModel;
        assert.deepEqual(linkTexts(dflt.links ?? {}), ["defaultFor: defaultNetworkAclId=acl-d"]);
    });

    it("a firewall with no inputs at all says so; one with inputs does not", () => {
        assert.equal((normalise(T.sg, {}) as FirewallModel).empty, true);
        assert.equal((normalise(T.sg, { vpcId: "vpc-1" }) as FirewallModel).empty, undefined);
    });
});
