// AWS (classic provider): what places workloads in a VPC. VPCs and subnets, route tables and their
// routes and associations, internet, NAT and other gateways, network ACL associations and Elastic
// IPs, read as topology models for the graph assembler (graph.ts).
import { TopologyModel } from "../../model/topology";
import { Input } from "../support/input";
import { Adapter } from "../support/resource-builder";
import { TopologyBuilder } from "../support/topology";

export const ROLE = {
    vpc: "aws:vpc",
    subnet: "aws:subnet",
    routeTable: "aws:route-table",
    route: "aws:route",
    routeTableAssociation: "aws:route-table-association",
    mainRouteTableAssociation: "aws:main-route-table-association",
    internetGateway: "aws:internet-gateway",
    internetGatewayAttachment: "aws:internet-gateway-attachment",
    natGateway: "aws:nat-gateway",
    otherGateway: "aws:other-gateway",
    aclAssociation: "aws:network-acl-association",
    eip: "aws:eip",
    eipAssociation: "aws:eip-association",
    instance: "aws:instance",
    eni: "aws:eni",
    eniAttachment: "aws:eni-attachment",
    eniSgAttachment: "aws:eni-sg-attachment",
    launchTemplate: "aws:launch-template",
    /** An EKS cluster: what its managed node groups name, and the cluster security group EKS gives their nodes. */
    eksCluster: "aws:eks-cluster",
    /** An EKS managed node group: nodes of its cluster, for the Kubernetes NodePort Services that run on them. */
    eksNodeGroup: "aws:eks-node-group",
    asg: "aws:asg",
    asgAttachment: "aws:asg-attachment",
    rds: "aws:rds-instance",
    rdsClusterInstance: "aws:rds-cluster-instance",
    rdsCluster: "aws:rds-cluster",
    dbSubnetGroup: "aws:db-subnet-group",
    cacheCluster: "aws:elasticache-cluster",
    cacheReplicationGroup: "aws:elasticache-replication-group",
    cacheSubnetGroup: "aws:elasticache-subnet-group",
    redshift: "aws:redshift-cluster",
    redshiftSubnetGroup: "aws:redshift-subnet-group",
    docdbCluster: "aws:docdb-cluster",
    docdbClusterInstance: "aws:docdb-cluster-instance",
    docdbSubnetGroup: "aws:docdb-subnet-group",
    neptuneCluster: "aws:neptune-cluster",
    neptuneClusterInstance: "aws:neptune-cluster-instance",
    neptuneSubnetGroup: "aws:neptune-subnet-group",
    mqBroker: "aws:mq-broker",
    searchDomain: "aws:search-domain",
    loadBalancer: "aws:load-balancer",
    listener: "aws:listener",
    listenerRule: "aws:listener-rule",
    targetGroup: "aws:target-group",
    targetGroupAttachment: "aws:target-group-attachment",
    ecsService: "aws:ecs-service",
    lambda: "aws:lambda",
} as const;

/** The fields of a route that name where it sends traffic; `gatewayId` is an internet or a virtual private gateway. */
export const ROUTE_TARGETS = [
    "gatewayId",
    "natGatewayId",
    "transitGatewayId",
    "vpcPeeringConnectionId",
    "networkInterfaceId",
    "vpcEndpointId",
    "egressOnlyGatewayId",
    "carrierGatewayId",
    "localGatewayId",
    "coreNetworkArn",
] as const;
const ROUTE_FIELDS = ["cidrBlock", "ipv6CidrBlock", "destinationPrefixListId", ...ROUTE_TARGETS];

/** A topology model of `role` from a resource's inputs: tags (`tagsAll`, then `tags`), then what `read` adds. */
export function topology(role: string, props: Input, read: (b: TopologyBuilder) => void, identity?: string[]): TopologyModel {
    const b = new TopologyBuilder("aws", role, props);
    if (identity) b.identityKeys = identity;
    b.readTags(props.get("tagsAll")).readTags(props.get("tags"));
    read(b);
    return b.build();
}

function routeTable(props: Input, b: TopologyBuilder): void {
    b.link("vpc", props.get("vpcId")).records("routes", props.get("routes"), ROUTE_FIELDS);
    // Route targets inside inline routes: links by field, for the property dependencies of `routes`.
    const items = props.get("routes").items();
    if (Array.isArray(items))
        for (const [i, item] of items.entries()) for (const f of ROUTE_TARGETS) b.link(`routes[${i}].${f}`, item.get(f));
}

export const awsNetworkTopologyAdapters: Adapter[] = [
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:ec2/vpc:Vpc", "aws:ec2/defaultVpc:DefaultVpc"],
        summary: "`cidrBlock` and `ipv6CidrBlock`: the local route; its default route table, network ACL and security group by their ids.",
        normalise: (props) =>
            topology(
                ROLE.vpc,
                props,
                (b) =>
                    b
                        .value("cidrBlock", props.get("cidrBlock"))
                        .value("ipv6CidrBlock", props.get("ipv6CidrBlock"))
                        .value("assignGeneratedIpv6CidrBlock", props.get("assignGeneratedIpv6CidrBlock")),
                ["id", "defaultRouteTableId", "mainRouteTableId", "defaultNetworkAclId", "defaultSecurityGroupId"],
            ),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:ec2/subnet:Subnet", "aws:ec2/defaultSubnet:DefaultSubnet"],
        summary:
            "`vpcId`, `cidrBlock`, `ipv6CidrBlock`, `mapPublicIpOnLaunch` (default false; true for a default subnet), `assignIpv6AddressOnCreation`.",
        normalise: (props, type) =>
            topology(ROLE.subnet, props, (b) => {
                b.link("vpc", props.get("vpcId"))
                    .value("cidrBlock", props.get("cidrBlock"))
                    .value("ipv6CidrBlock", props.get("ipv6CidrBlock"))
                    .value("mapPublicIpOnLaunch", props.get("mapPublicIpOnLaunch"))
                    .value("assignIpv6AddressOnCreation", props.get("assignIpv6AddressOnCreation"));
                if (type.endsWith("DefaultSubnet")) b.value("defaultSubnet", Input.root(true));
            }),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:ec2/routeTable:RouteTable"],
        summary: "`vpcId` and inline `routes` (`cidrBlock`/`ipv6CidrBlock` to `gatewayId`, `natGatewayId`, ...).",
        normalise: (props) => topology(ROLE.routeTable, props, (b) => routeTable(props, b)),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:ec2/defaultRouteTable:DefaultRouteTable"],
        summary: "the VPC's main route table (`defaultRouteTableId`) and its inline `routes`.",
        normalise: (props) =>
            topology(ROLE.routeTable, props, (b) => {
                routeTable(props, b);
                b.link("defaultFor", props.get("defaultRouteTableId"));
            }),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:ec2/route:Route"],
        summary:
            "`routeTableId`, `destinationCidrBlock`/`destinationIpv6CidrBlock` to `gatewayId`, `natGatewayId`, `transitGatewayId`, ...",
        normalise: (props) =>
            topology(ROLE.route, props, (b) => {
                b.link("routeTable", props.get("routeTableId"))
                    .value("cidrBlock", props.get("destinationCidrBlock"))
                    .value("ipv6CidrBlock", props.get("destinationIpv6CidrBlock"))
                    .value("destinationPrefixListId", props.get("destinationPrefixListId"));
                for (const f of ROUTE_TARGETS) b.link(f, props.get(f));
            }),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:ec2/routeTableAssociation:RouteTableAssociation"],
        summary: "`subnetId` to `routeTableId` (an association with `gatewayId` is an edge association, not read).",
        normalise: (props) =>
            topology(ROLE.routeTableAssociation, props, (b) =>
                b
                    .link("subnet", props.get("subnetId"))
                    .link("routeTable", props.get("routeTableId"))
                    .link("gateway", props.get("gatewayId")),
            ),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation"],
        summary: "`vpcId`'s main route table becomes `routeTableId`.",
        normalise: (props) =>
            topology(ROLE.mainRouteTableAssociation, props, (b) =>
                b.link("vpc", props.get("vpcId")).link("routeTable", props.get("routeTableId")),
            ),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:ec2/internetGateway:InternetGateway"],
        summary: "`vpcId`: a route to it is the way in from the internet.",
        normalise: (props) => topology(ROLE.internetGateway, props, (b) => b.link("vpc", props.get("vpcId"))),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:ec2/internetGatewayAttachment:InternetGatewayAttachment"],
        summary: "`internetGatewayId` attached to `vpcId`.",
        normalise: (props) =>
            topology(ROLE.internetGatewayAttachment, props, (b) =>
                b.link("gateway", props.get("internetGatewayId")).link("vpc", props.get("vpcId")),
            ),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:ec2/natGateway:NatGateway"],
        summary: "`subnetId`: outbound only, never a way in.",
        normalise: (props) => topology(ROLE.natGateway, props, (b) => b.link("subnet", props.get("subnetId"))),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway", "aws:ec2/vpnGateway:VpnGateway"],
        summary: "a route target that is not a way in from the internet.",
        normalise: (props) => topology(ROLE.otherGateway, props, (b) => b.link("vpc", props.get("vpcId"))),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:ec2/networkAclAssociation:NetworkAclAssociation"],
        summary: "`subnetId` filtered by `networkAclId`.",
        normalise: (props) =>
            topology(ROLE.aclAssociation, props, (b) => b.link("subnet", props.get("subnetId")).link("acl", props.get("networkAclId"))),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:ec2/eip:Eip"],
        summary: "`instance` or `networkInterface`: a public address for it.",
        normalise: (props) =>
            topology(
                ROLE.eip,
                props,
                (b) => b.link("instance", props.get("instance")).link("networkInterface", props.get("networkInterface")),
                ["id", "allocationId", "publicIp"],
            ),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:ec2/eipAssociation:EipAssociation"],
        summary: "`allocationId` or `publicIp` to `instanceId` or `networkInterfaceId`.",
        normalise: (props) =>
            topology(ROLE.eipAssociation, props, (b) =>
                b
                    .link("eip", props.get("allocationId"))
                    .link("eip", props.get("publicIp"))
                    .link("instance", props.get("instanceId"))
                    .link("networkInterface", props.get("networkInterfaceId")),
            ),
    },
];
