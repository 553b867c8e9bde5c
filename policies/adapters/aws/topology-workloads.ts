// AWS (classic provider): the workloads of a VPC and what they run behind. Instances and their
// interfaces, launch templates and auto-scaling groups, RDS instances and clusters with their subnet
// groups, the other managed data services (ElastiCache, Redshift, DocumentDB, Neptune, Amazon MQ,
// OpenSearch), load balancers with listeners and target groups, ECS services and Lambda functions,
// read as topology models for the graph assembler (graph.ts).
import { Input } from "../support/input";
import { Adapter } from "../support/resource-builder";
import { TopologyBuilder } from "../support/topology";
import { ROLE, topology } from "./topology-network";

/** Each element of a list input (nothing for an unknown or malformed list; `linkList` records those). */
function each(list: Input): Input[] {
    const items = list.items();
    return Array.isArray(items) ? items : [];
}

/** Tags written as `[{ key, value, ... }]` (auto-scaling groups), those `keep` accepts; unknown entries are left out. */
function tagList(list: Input, keep: (item: Input) => boolean): Input {
    const map: Record<string, string> = {};
    for (const item of each(list)) {
        const k = item.get("key").string();
        const v = item.get("value").string();
        if (k !== undefined && v !== undefined && keep(item)) map[k] = v;
    }
    return Input.root(map);
}

/** `[{ targetGroupArn }]` and `[{ forward: { targetGroups: [{ arn }] } }]`: the target groups a listener's actions forward to. */
function actionTargets(b: TopologyBuilder, actions: Input): void {
    if (actions.unknown) b.link("targetGroups", actions);
    for (const a of each(actions)) {
        b.link("targetGroups", a.get("targetGroupArn"));
        for (const tg of each(a.get("forward").get("targetGroups"))) b.link("targetGroups", tg.get("arn"));
    }
}

/** The role of a subnet group by its provider module. */
const SUBNET_GROUP_ROLES: Record<string, string> = {
    "aws:elasticache": ROLE.cacheSubnetGroup,
    "aws:redshift": ROLE.redshiftSubnetGroup,
    "aws:docdb": ROLE.docdbSubnetGroup,
    "aws:neptune": ROLE.neptuneSubnetGroup,
};

export const awsWorkloadTopologyAdapters: Adapter[] = [
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:ec2/instance:Instance"],
        summary:
            "`subnetId`, `vpcSecurityGroupIds`, `securityGroups` (names), `associatePublicIpAddress` (default: the subnet's `mapPublicIpOnLaunch`), " +
            "`primaryNetworkInterface`, the deprecated `networkInterfaces`, `launchTemplate`, `ipv6AddressCount`/`ipv6Addresses`.",
        normalise: (props) =>
            topology(ROLE.instance, props, (b) => {
                b.link("subnet", props.get("subnetId"))
                    .linkList("securityGroups", props.get("vpcSecurityGroupIds"))
                    .linkList("securityGroupNames", props.get("securityGroups"))
                    .link("networkInterfaces", props.get("primaryNetworkInterface").get("networkInterfaceId"))
                    .link("launchTemplate", props.get("launchTemplate").get("id"))
                    .link("launchTemplate", props.get("launchTemplate").get("name"))
                    .value("associatePublicIpAddress", props.get("associatePublicIpAddress"))
                    .value("ipv6AddressCount", props.get("ipv6AddressCount"))
                    .value("ipv6Addresses", props.get("ipv6Addresses"));
                for (const ni of each(props.get("networkInterfaces"))) b.link("networkInterfaces", ni.get("networkInterfaceId"));
            }),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:ec2/networkInterface:NetworkInterface"],
        summary:
            "`subnetId`, `securityGroups`, `attachments[].instance`, `ipv6Addresses`/`ipv6AddressCount`; one not attached to an instance of the stack is a workload of its own.",
        normalise: (props) =>
            topology(ROLE.eni, props, (b) => {
                b.link("subnet", props.get("subnetId"))
                    .linkList("securityGroups", props.get("securityGroups"))
                    .value("ipv6AddressCount", props.get("ipv6AddressCount"))
                    .value("ipv6Addresses", props.get("ipv6Addresses"));
                for (const a of each(props.get("attachments"))) b.link("instance", a.get("instance"));
            }),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:ec2/networkInterfaceAttachment:NetworkInterfaceAttachment"],
        summary: "`networkInterfaceId` attached to `instanceId`.",
        normalise: (props) =>
            topology(ROLE.eniAttachment, props, (b) =>
                b.link("instance", props.get("instanceId")).link("networkInterface", props.get("networkInterfaceId")),
            ),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:ec2/networkInterfaceSecurityGroupAttachment:NetworkInterfaceSecurityGroupAttachment"],
        summary: "`securityGroupId` added to `networkInterfaceId`.",
        normalise: (props) =>
            topology(ROLE.eniSgAttachment, props, (b) =>
                b.link("securityGroup", props.get("securityGroupId")).link("networkInterface", props.get("networkInterfaceId")),
            ),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:ec2/launchTemplate:LaunchTemplate", "aws:ec2/launchConfiguration:LaunchConfiguration"],
        summary:
            "what an auto-scaling group's instances get: `vpcSecurityGroupIds`/`securityGroupNames` (launch configuration: `securityGroups`), " +
            "`networkInterfaces[0]` (`securityGroups`, `subnetId`, `associatePublicIpAddress`), and the `instance` tags of `tagSpecifications`.",
        normalise: (props, type) => {
            const config = type.endsWith("LaunchConfiguration");
            const b = new TopologyBuilder("aws", ROLE.launchTemplate, props);
            b.identityKeys = ["id", "name", "arn"];
            for (const spec of each(props.get("tagSpecifications")))
                if (spec.get("resourceType").string() === "instance") b.readTags(spec.get("tags"));
            if (config)
                b.linkList("securityGroups", props.get("securityGroups")).value(
                    "associatePublicIpAddress",
                    props.get("associatePublicIpAddress"),
                );
            else
                b.linkList("securityGroups", props.get("vpcSecurityGroupIds")).linkList(
                    "securityGroupNames",
                    props.get("securityGroupNames"),
                );
            const nis = each(props.get("networkInterfaces"));
            const primary = nis.find((n) => Number(n.get("deviceIndex").value ?? 0) === 0) ?? nis[0];
            if (primary) {
                b.linkList("interfaceSecurityGroups", primary.get("securityGroups"))
                    .link("subnet", primary.get("subnetId"))
                    .value("associatePublicIpAddress", primary.get("associatePublicIpAddress"))
                    .value("interface", Input.root(true));
            }
            return b.build();
        },
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:eks/cluster:Cluster"],
        summary:
            "the cluster its managed node groups name (`name`), and `vpcConfig.clusterSecurityGroupId`: the cluster security group EKS makes and gives the nodes " +
            "(it admits its own members and lets everything out), with the standalone rules of the stack added to it",
        normalise: (props) => {
            const b = new TopologyBuilder("aws", ROLE.eksCluster, props);
            b.identityKeys = ["id", "name", "arn"];
            b.readTags(props.get("tags"));
            const cfg = props.get("vpcConfig");
            const first = Array.isArray(cfg.value) ? (cfg.items() as Input[])[0] : cfg;
            if (first) b.value("clusterSecurityGroupId", first.get("clusterSecurityGroupId"));
            return b.build();
        },
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:eks/nodeGroup:NodeGroup"],
        summary:
            "nodes of its cluster (`clusterName`) in each of `subnetIds`, for the Kubernetes NodePort Services of that cluster: a launch template's security groups " +
            "(`launchTemplate`), else the cluster security group; `remoteAccess` with `ec2SshKey` opens ssh to the nodes (from `sourceSecurityGroupIds`, else from everywhere, as EKS does); tags",
        normalise: (props) => {
            const b = new TopologyBuilder("aws", ROLE.eksNodeGroup, props);
            b.identityKeys = ["id", "arn"];
            b.readTags(props.get("tags"));
            const lt = props.get("launchTemplate");
            const ra = props.get("remoteAccess");
            b.link("cluster", props.get("clusterName"))
                .linkList("subnets", props.get("subnetIds"))
                .link("launchTemplate", lt.get("id"))
                .link("launchTemplate", lt.get("name"))
                .linkList("remoteAccessGroups", ra.get("sourceSecurityGroupIds"));
            if (!ra.missing) b.value("remoteAccessKey", ra.unknown ? ra : ra.get("ec2SshKey"));
            return b.build();
        },
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:autoscaling/group:Group"],
        summary:
            "`vpcZoneIdentifiers` (a placement in each subnet), `launchTemplate`, `mixedInstancesPolicy`'s launch template or `launchConfiguration`, " +
            "`targetGroupArns`, `tags` with `propagateAtLaunch`.",
        normalise: (props) => {
            const b = new TopologyBuilder("aws", ROLE.asg, props);
            b.identityKeys = ["id", "name", "arn"];
            b.readTags(tagList(props.get("tags"), (t) => t.get("propagateAtLaunch").bool() !== false));
            const lt = props.get("launchTemplate");
            const mixed = props.get("mixedInstancesPolicy").get("launchTemplate").get("launchTemplateSpecification");
            b.linkList("subnets", props.get("vpcZoneIdentifiers"))
                .linkList("targetGroups", props.get("targetGroupArns"))
                .link("launchTemplate", lt.get("id"))
                .link("launchTemplate", lt.get("name"))
                .link("launchTemplate", mixed.get("launchTemplateId"))
                .link("launchTemplate", mixed.get("launchTemplateName"))
                .link("launchTemplate", props.get("launchConfiguration"));
            return b.build();
        },
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:autoscaling/attachment:Attachment"],
        summary: "`lbTargetGroupArn` in front of `autoscalingGroupName`.",
        normalise: (props) =>
            topology(ROLE.asgAttachment, props, (b) =>
                b.link("targetGroup", props.get("lbTargetGroupArn")).link("asg", props.get("autoscalingGroupName")),
            ),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:rds/instance:Instance"],
        summary:
            "`dbSubnetGroupName` (a placement in each subnet of the group), `vpcSecurityGroupIds`, `publiclyAccessible` (default false), " +
            "`port` (default: the engine's, 5432 PostgreSQL, 3306 MySQL/MariaDB, 1521 Oracle, 1433 SQL Server, 50000 Db2).",
        normalise: (props) =>
            topology(ROLE.rds, props, (b) =>
                b
                    .link("subnetGroup", props.get("dbSubnetGroupName"))
                    .linkList("securityGroups", props.get("vpcSecurityGroupIds"))
                    .value("publiclyAccessible", props.get("publiclyAccessible"))
                    .value("port", props.get("port"))
                    .value("engine", props.get("engine"))
                    .link("replicateSourceDb", props.get("replicateSourceDb")),
            ),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:rds/clusterInstance:ClusterInstance"],
        summary:
            "`clusterIdentifier` (its cluster's subnet group, groups and port), `dbSubnetGroupName`, `publiclyAccessible` (default false), `engine`.",
        normalise: (props) =>
            topology(ROLE.rdsClusterInstance, props, (b) =>
                b
                    .link("cluster", props.get("clusterIdentifier"))
                    .link("subnetGroup", props.get("dbSubnetGroupName"))
                    .value("publiclyAccessible", props.get("publiclyAccessible"))
                    .value("engine", props.get("engine")),
            ),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:rds/cluster:Cluster"],
        summary:
            "`dbSubnetGroupName`, `vpcSecurityGroupIds`, `port` (default: the engine's), `engine`: what its cluster instances run with.",
        normalise: (props) =>
            topology(
                ROLE.rdsCluster,
                props,
                (b) =>
                    b
                        .link("subnetGroup", props.get("dbSubnetGroupName"))
                        .linkList("securityGroups", props.get("vpcSecurityGroupIds"))
                        .value("port", props.get("port"))
                        .value("engine", props.get("engine")),
                ["id", "clusterIdentifier", "arn"],
            ),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:rds/subnetGroup:SubnetGroup"],
        summary: "`subnetIds`: where a database of the group may run.",
        normalise: (props) =>
            topology(ROLE.dbSubnetGroup, props, (b) => b.linkList("subnets", props.get("subnetIds")), ["id", "name", "arn"]),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:elasticache/cluster:Cluster"],
        summary:
            "`subnetGroupName` (a placement in each subnet of the group), `securityGroupIds`, `port` (default: the engine's, 6379 Redis, 11211 Memcached), " +
            "`engine`; a member of `replicationGroupId` runs where its group does. ElastiCache has no public endpoint.",
        normalise: (props) =>
            topology(
                ROLE.cacheCluster,
                props,
                (b) =>
                    b
                        .link("subnetGroup", props.get("subnetGroupName"))
                        .linkList("securityGroups", props.get("securityGroupIds"))
                        .link("replicationGroup", props.get("replicationGroupId"))
                        .value("port", props.get("port"))
                        .value("engine", props.get("engine")),
                ["id", "clusterId", "arn"],
            ),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:elasticache/replicationGroup:ReplicationGroup"],
        summary:
            "`subnetGroupName`, `securityGroupIds`/`securityGroupNames`, `port` (default: the engine's, 6379 Redis and Valkey, 11211 Memcached), `engine` (default redis).",
        normalise: (props) =>
            topology(
                ROLE.cacheReplicationGroup,
                props,
                (b) =>
                    b
                        .link("subnetGroup", props.get("subnetGroupName"))
                        .linkList("securityGroups", props.get("securityGroupIds"))
                        .linkList("securityGroupNames", props.get("securityGroupNames"))
                        .value("port", props.get("port"))
                        .value("engine", props.get("engine")),
                ["id", "replicationGroupId", "arn"],
            ),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:redshift/cluster:Cluster"],
        summary:
            "`clusterSubnetGroupName` (a placement in each subnet of the group), `vpcSecurityGroupIds`, `publiclyAccessible` (default false), `port` (default 5439).",
        normalise: (props) =>
            topology(
                ROLE.redshift,
                props,
                (b) =>
                    b
                        .link("subnetGroup", props.get("clusterSubnetGroupName"))
                        .linkList("securityGroups", props.get("vpcSecurityGroupIds"))
                        .value("publiclyAccessible", props.get("publiclyAccessible"))
                        .value("port", props.get("port")),
                ["id", "clusterIdentifier", "arn"],
            ),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:docdb/cluster:Cluster", "aws:neptune/cluster:Cluster"],
        summary:
            "`dbSubnetGroupName` (DocumentDB) or `neptuneSubnetGroupName` (Neptune), `vpcSecurityGroupIds`, `port` (default 27017 DocumentDB, 8182 Neptune): what its cluster instances run with.",
        normalise: (props, type) => {
            const docdb = type.startsWith("aws:docdb/");
            return topology(
                docdb ? ROLE.docdbCluster : ROLE.neptuneCluster,
                props,
                (b) =>
                    b
                        .link("subnetGroup", props.get(docdb ? "dbSubnetGroupName" : "neptuneSubnetGroupName"))
                        .linkList("securityGroups", props.get("vpcSecurityGroupIds"))
                        .value("port", props.get("port")),
                ["id", "clusterIdentifier", "arn"],
            );
        },
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:docdb/clusterInstance:ClusterInstance", "aws:neptune/clusterInstance:ClusterInstance"],
        summary:
            "`clusterIdentifier` (its cluster's subnet group, groups and port); Neptune's `neptuneSubnetGroupName`, `port` and `publiclyAccessible` (default false). DocumentDB has no public endpoint.",
        normalise: (props, type) => {
            const docdb = type.startsWith("aws:docdb/");
            return topology(docdb ? ROLE.docdbClusterInstance : ROLE.neptuneClusterInstance, props, (b) => {
                b.link("cluster", props.get("clusterIdentifier"));
                // DocumentDB reports `publiclyAccessible` as an output only: it cannot be asked for.
                if (!docdb)
                    b.link("subnetGroup", props.get("neptuneSubnetGroupName"))
                        .value("port", props.get("port"))
                        .value("publiclyAccessible", props.get("publiclyAccessible"));
            });
        },
    },
    {
        provider: "aws",
        kind: "topology",
        types: [
            "aws:elasticache/subnetGroup:SubnetGroup",
            "aws:redshift/subnetGroup:SubnetGroup",
            "aws:docdb/subnetGroup:SubnetGroup",
            "aws:neptune/subnetGroup:SubnetGroup",
        ],
        summary: "`subnetIds`: where a cache, cluster or instance of the group may run.",
        normalise: (props, type) =>
            topology(SUBNET_GROUP_ROLES[type.split("/")[0]], props, (b) => b.linkList("subnets", props.get("subnetIds")), [
                "id",
                "name",
                "arn",
            ]),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:mq/broker:Broker"],
        summary:
            "`subnetIds` (a placement in each), `securityGroups`, `engineType` (its ports: ActiveMQ 61617, 5671, 61614, 8883, 61619 and 8162; RabbitMQ 5671, 443 and 15671), " +
            "`publiclyAccessible` (default false; a public RabbitMQ broker is reached on an endpoint outside the VPC, without security groups).",
        normalise: (props) =>
            topology(
                ROLE.mqBroker,
                props,
                (b) =>
                    b
                        .linkList("subnets", props.get("subnetIds"))
                        .linkList("securityGroups", props.get("securityGroups"))
                        .value("engineType", props.get("engineType"))
                        .value("publiclyAccessible", props.get("publiclyAccessible")),
                ["id", "arn", "brokerName"],
            ),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"],
        summary:
            "`vpcOptions` (`subnetIds`, `securityGroupIds`; default: the VPC's default group) on 443. Without `vpcOptions` its endpoint is public and " +
            "filtered only by its access policy, which is not read: unverifiable.",
        normalise: (props) =>
            topology(
                ROLE.searchDomain,
                props,
                (b) => {
                    const vo = props.get("vpcOptions");
                    if (vo.unknown) b.link("subnets", vo).link("securityGroups", vo);
                    b.value("vpcOptions", Input.root(!vo.missing))
                        .linkList("subnets", vo.get("subnetIds"))
                        .linkList("securityGroups", vo.get("securityGroupIds"));
                },
                ["id", "arn", "domainName"],
            ),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"],
        summary:
            "`loadBalancerType` (default application), `internal` (default false: internet-facing), `subnets`/`subnetMappings`, `securityGroups` " +
            "(an ALB without groups gets the VPC's default group; an NLB without groups has no group layer).",
        normalise: (props) =>
            topology(
                ROLE.loadBalancer,
                props,
                (b) => {
                    b.value("loadBalancerType", props.get("loadBalancerType"))
                        .value("internal", props.get("internal"))
                        .linkList("subnets", props.get("subnets"))
                        .linkList("securityGroups", props.get("securityGroups"));
                    for (const m of each(props.get("subnetMappings"))) b.link("subnets", m.get("subnetId"));
                },
                ["id", "arn", "name"],
            ),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:lb/listener:Listener", "aws:alb/listener:Listener"],
        summary: "`loadBalancerArn`, `port`, `protocol`, and the target groups its `defaultActions` forward to.",
        normalise: (props) =>
            topology(
                ROLE.listener,
                props,
                (b) => {
                    b.link("loadBalancer", props.get("loadBalancerArn"))
                        .value("port", props.get("port"))
                        .value("protocol", props.get("protocol"));
                    actionTargets(b, props.get("defaultActions"));
                },
                ["id", "arn"],
            ),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule"],
        summary: "`listenerArn` and the target groups its `actions` forward to.",
        normalise: (props) =>
            topology(ROLE.listenerRule, props, (b) => {
                b.link("listener", props.get("listenerArn"));
                actionTargets(b, props.get("actions"));
            }),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup"],
        summary:
            "`port`, `protocol`, `targetType` (default instance), `preserveClientIp` (an NLB's default: on for instance targets and UDP, off for TCP/TLS ip targets).",
        normalise: (props) =>
            topology(
                ROLE.targetGroup,
                props,
                (b) =>
                    b
                        .link("vpc", props.get("vpcId"))
                        .value("port", props.get("port"))
                        .value("protocol", props.get("protocol"))
                        .value("targetType", props.get("targetType"))
                        .value("preserveClientIp", props.get("preserveClientIp")),
                ["id", "arn", "name"],
            ),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:lb/targetGroupAttachment:TargetGroupAttachment", "aws:alb/targetGroupAttachment:TargetGroupAttachment"],
        summary: "`targetGroupArn` in front of `targetId` (an instance, or a Lambda function), on `port`.",
        normalise: (props) =>
            topology(ROLE.targetGroupAttachment, props, (b) =>
                b.link("targetGroup", props.get("targetGroupArn")).link("target", props.get("targetId")).value("port", props.get("port")),
            ),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:ecs/service:Service"],
        summary:
            "`networkConfiguration` (`subnets`, `securityGroups`, `assignPublicIp`, default false) for awsvpc tasks, `loadBalancers[].targetGroupArn` and `containerPort`. " +
            "Without `networkConfiguration` its tasks use their container instances' network and the service is not a workload of its own.",
        normalise: (props) =>
            topology(
                ROLE.ecsService,
                props,
                (b) => {
                    const nc = props.get("networkConfiguration");
                    if (nc.unknown) b.link("subnets", nc).link("securityGroups", nc);
                    b.value("networkConfiguration", Input.root(!nc.missing))
                        .linkList("subnets", nc.get("subnets"))
                        .linkList("securityGroups", nc.get("securityGroups"))
                        .value("assignPublicIp", nc.get("assignPublicIp"));
                    for (const lb of each(props.get("loadBalancers"))) b.link("targetGroups", lb.get("targetGroupArn"));
                },
                ["id", "arn", "name"],
            ),
    },
    {
        provider: "aws",
        kind: "topology",
        types: ["aws:lambda/function:Function"],
        summary: "`vpcConfig` (`subnetIds`, `securityGroupIds`): a client in the VPC; it answers on no port.",
        normalise: (props) =>
            topology(
                ROLE.lambda,
                props,
                (b) => {
                    const vc = props.get("vpcConfig");
                    if (vc.unknown) b.link("subnets", vc).link("securityGroups", vc);
                    b.value("vpcConfig", Input.root(!vc.missing))
                        .linkList("subnets", vc.get("subnetIds"))
                        .linkList("securityGroups", vc.get("securityGroupIds"));
                },
                ["id", "arn", "name", "invokeArn"],
            ),
    },
];
