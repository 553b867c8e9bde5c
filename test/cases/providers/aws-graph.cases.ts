// The AWS network graph through both stack policies: small stacks as the engine sends them, each
// written as preview sends it (ids unknown, links through property dependencies) and as update
// sends it (known ids), where the difference matters.
import { PolicyCase as Case, UNKNOWN, urnOf } from "../../helpers";
import { A, FLOWS_REGISTRY, Mode, Stack, all, defaultSecurityGroupId, entry, openEntries, tcp, vpc } from "./aws-graph-stacks";

const both = (name: string, make: (mode: Mode) => Omit<Case, "name">): Case[] =>
    (["preview", "update"] as const).map((mode) => ({ name: `${name} (${mode})`, ...make(mode) }));

const egressAll = [all({ cidrBlocks: ["0.0.0.0/0"] })];

/** `orders-db` in `subnet`, with the world split over `db-sg` (0.0.0.0/1) and `ops-sg` (128.0.0.0/1). */
function splitWorld(subnet: string, extra: Record<string, unknown> = {}, s = vpc()): Stack {
    return s
        .add(A.sg, "db-sg", { ingress: [tcp(5432, 5432, { cidrBlocks: ["0.0.0.0/1"] })], egress: egressAll }, { vpcId: "main-vpc" })
        .add(
            A.sg,
            "ops-sg",
            {
                ingress: [
                    tcp(22, 22, { cidrBlocks: ["10.0.0.0/8"] }),
                    tcp(443, 443, { cidrBlocks: ["0.0.0.0/0"] }),
                    tcp(5432, 5432, { cidrBlocks: ["128.0.0.0/1"] }),
                ],
            },
            { vpcId: "main-vpc" },
        )
        .add(
            A.instance,
            "orders-db",
            { tags: { service: "postgres" }, ...extra },
            { subnetId: subnet, vpcSecurityGroupIds: ["db-sg", "ops-sg"] },
        );
}

const SPLIT_PATH =
    "internet → internet gateway `main-igw` → route table `public-rt` (0.0.0.0/0 → igw) → subnet `public-a` (public IP: `mapPublicIpOnLaunch`) → " +
    "network ACL `main-vpc`'s default (rule 100 (allows all)) → security groups `db-sg` and `ops-sg` (`db-sg` ingress[0] (tcp 5432 from 0.0.0.0/1) and " +
    "`ops-sg` ingress[2] (tcp 5432 from 128.0.0.0/1)) → `orders-db`";

const worldPg = { ingress: [tcp(5432, 5432, { cidrBlocks: ["0.0.0.0/0"] })], egress: egressAll };

/** An RDS instance in a subnet group of `subnets`, its group open to the world on 5432. */
function rds(subnets: string[], props: Record<string, unknown>, s = vpc()): Stack {
    return s
        .add(A.sg, "db-sg", worldPg, { vpcId: "main-vpc" })
        .add(A.dbSubnets, "db-subnets", {}, { subnetIds: subnets })
        .add(
            A.rds,
            "orders-db",
            { engine: "postgres", tags: { service: "postgres" }, ...props },
            { dbSubnetGroupName: "db-subnets", vpcSecurityGroupIds: ["db-sg"] },
        );
}

/**
 * `new aws.ec2.DefaultVpc("default-vpc", {})` (every input optional) with a subnet of its own on the VPC's main route
 * table and an RDS instance there behind a world-open group: the shape of pulumi/examples' aws-ts-pulumi-miniflux.
 */
function inDefaultVpc(props: Record<string, unknown>): Stack {
    return new Stack()
        .add(A.defaultVpc, "default-vpc", {})
        .add(A.subnet, "default-a", { cidrBlock: "172.31.96.0/20", mapPublicIpOnLaunch: true }, { vpcId: "default-vpc" })
        .add(A.sg, "db-sg", worldPg, { vpcId: "default-vpc" })
        .add(A.dbSubnets, "db-subnets", {}, { subnetIds: ["default-a"] })
        .add(
            A.rds,
            "orders-db",
            { engine: "postgres", tags: { service: "postgres" }, ...props },
            { dbSubnetGroupName: "db-subnets", vpcSecurityGroupIds: ["db-sg"] },
        );
}

/** A load balancer in `public-a` with one listener forwarding to a target group of instance `app-1` in `app-a`. */
function balanced(type: "application" | "network", listenerPort: number, targetPort: number, appIngress: unknown[]): Stack {
    return vpc()
        .add(
            A.sg,
            "lb-sg",
            {
                ingress: [tcp(listenerPort, listenerPort, { cidrBlocks: ["0.0.0.0/0"] })],
                egress: [tcp(targetPort, targetPort, { cidrBlocks: ["10.0.1.0/24"] })],
            },
            { vpcId: "main-vpc" },
        )
        .add(A.sg, "app-sg", { ingress: appIngress, egress: egressAll }, { vpcId: "main-vpc" })
        .add(
            A.lb,
            "web-lb",
            { loadBalancerType: type, internal: false },
            { subnets: ["public-a"], ...(type === "application" ? { securityGroups: ["lb-sg"] } : {}) },
        )
        .add(
            A.tg,
            "app-tg",
            { port: targetPort, protocol: type === "network" ? "TCP" : "HTTP", targetType: "instance" },
            { vpcId: "main-vpc" },
        )
        .add(
            A.listener,
            "web-listener",
            { port: listenerPort, protocol: type === "network" ? "TCP" : "HTTPS", defaultActions: [{ type: "forward" }] },
            { loadBalancerArn: "web-lb", "defaultActions[0].targetGroupArn": "app-tg" },
        )
        .add(A.instance, "app-1", { tags: { service: "api" } }, { subnetId: "app-a", vpcSecurityGroupIds: ["app-sg"] })
        .add(A.tgAttach, "app-1-attach", { port: targetPort }, { targetGroupArn: "app-tg", targetId: "app-1" });
}

// ---------------------------------------------------------------------------------------------
// Documented flows: `api-1` (service api, in app-a) → `orders-db` (RDS postgres in db-a and db-b).

interface FlowOptions {
    apiEgress?: unknown[];
    dbIngress?: unknown[];
    /** ACL entries of app-a and of the db subnets; undefined: AWS's default ACL. */
    appAcl?: { ingress: unknown[]; egress: unknown[] };
    dbAcl?: { ingress: unknown[]; egress: unknown[] };
    /** The subnets of the DB subnet group whose ACL is dbAcl (default both). */
    dbAclSubnets?: string[];
    dbSubnets?: string[];
    apiSubnet?: string;
}

const APP_ACL = { ingress: [entry(100, "allow", 1024, 65535, "10.0.2.0/23")], egress: [entry(100, "allow", 5432, 5432, "10.0.2.0/23")] };
const DB_ACL = { ingress: [entry(100, "allow", 5432, 5432, "10.0.1.0/24")], egress: [entry(100, "allow", 1024, 65535, "10.0.1.0/24")] };

function flows(o: FlowOptions = {}): Stack {
    const s = vpc()
        .add(
            A.sg,
            "api-sg",
            { ingress: [], egress: o.apiEgress ?? [tcp(5432, 5432, { cidrBlocks: ["10.0.2.0/23"] })] },
            { vpcId: "main-vpc" },
        )
        .add(
            A.sg,
            "db-sg",
            { ingress: o.dbIngress ?? [tcp(5432)], egress: [] },
            { vpcId: "main-vpc", ...(o.dbIngress ? {} : { "ingress[0].securityGroups": ["api-sg"] }) },
        )
        .add(A.instance, "api-1", { tags: { service: "api" } }, { subnetId: o.apiSubnet ?? "app-a", vpcSecurityGroupIds: ["api-sg"] })
        .add(A.dbSubnets, "db-subnets", {}, { subnetIds: o.dbSubnets ?? ["db-a", "db-b"] })
        .add(
            A.rds,
            "orders-db",
            { engine: "postgres", tags: { service: "postgres" } },
            { dbSubnetGroupName: "db-subnets", vpcSecurityGroupIds: ["db-sg"] },
        );
    if (o.appAcl) s.add(A.acl, "acl-app", o.appAcl, { vpcId: "main-vpc", subnetIds: ["app-a"] });
    if (o.dbAcl) s.add(A.acl, "acl-db", o.dbAcl, { vpcId: "main-vpc", subnetIds: o.dbAclSubnets ?? ["db-a", "db-b"] });
    return s;
}

const registryYaml = FLOWS_REGISTRY();

export const cases: Record<string, { valid: Case[]; invalid: Case[] }> = {
    "no-internet-path-to-internal-ports": {
        valid: [
            ...both("a private subnet: the world split over two groups, but no route to an internet gateway", (mode) => ({
                resources: splitWorld("app-a").build(mode),
            })),
            ...both("a NAT-only subnet gives no way in, even with a public address", (mode) => ({
                resources: splitWorld("db-a", { associatePublicIpAddress: true }).build(mode),
            })),
            ...both("a public subnet, but `associatePublicIpAddress: false`", (mode) => ({
                resources: splitWorld("public-a", { associatePublicIpAddress: false }).build(mode),
            })),
            {
                name: "a DefaultVpc written without inputs is the default VPC, not a provider's unknown configuration: `publiclyAccessible` unset, no way in",
                resources: inDefaultVpc({}).build("preview", ["default-vpc"]),
            },
            {
                name: "a DefaultSecurityGroup written without inputs is the default group with every rule removed: a public database behind it is closed, not unverifiable",
                resources: inDefaultVpc({ publiclyAccessible: true })
                    .add(A.defaultSg, "locked-default", {})
                    .build("preview", ["default-vpc", "locked-default"])
                    .map((r) =>
                        r.name === "orders-db"
                            ? {
                                  ...r,
                                  propertyDependencies: {
                                      ...r.propertyDependencies,
                                      vpcSecurityGroupIds: [urnOf(A.defaultSg, "locked-default")],
                                  },
                              }
                            : r,
                    ),
            },
            ...both("`publiclyAccessible` false (the default): an RDS instance in public subnets is not reached", (mode) => ({
                resources: rds(["public-a"], {}).build(mode),
            })),
            ...both("an internet-facing ALB on a public port in front of an internal port", (mode) => ({
                resources: balanced("application", 443, 8080, [tcp(8080, 8080, { securityGroups: ["lb-sg"] })]).build(mode),
            })),
            ...both("the ACL of the public subnet denies the port", (mode) => ({
                resources: splitWorld("public-a")
                    .add(
                        A.acl,
                        "public-acl",
                        { ingress: [entry(90, "deny", 5432, 5432, "0.0.0.0/0"), ...openEntries], egress: openEntries },
                        { vpcId: "main-vpc", subnetIds: ["public-a"] },
                    )
                    .build(mode),
            })),
            ...both("the ACL of the public subnet lets no reply out", (mode) => ({
                resources: splitWorld("public-a")
                    .add(
                        A.acl,
                        "public-acl",
                        { ingress: openEntries, egress: [entry(100, "allow", 443, 443, "0.0.0.0/0")] },
                        { vpcId: "main-vpc", subnetIds: ["public-a"] },
                    )
                    .build(mode),
            })),
            ...both(
                "an entry added to the VPC's default ACL (`defaultNetworkAclId`, no DefaultNetworkAcl resource) denies the port",
                (mode) => ({
                    resources: splitWorld("public-a")
                        .add(
                            A.aclRule,
                            "deny-pg",
                            {
                                ruleNumber: 90,
                                egress: false,
                                ruleAction: "deny",
                                protocol: "tcp",
                                fromPort: 5432,
                                toPort: 5432,
                                cidrBlock: "0.0.0.0/0",
                            },
                            { networkAclId: "main-vpc#defaultNetworkAclId" },
                        )
                        .build(mode),
                }),
            ),
            { name: "a stack of AWS resources without workloads", resources: vpc().build("update") },
        ],
        invalid: [
            ...both("the world split over two groups on an instance in a public subnet", (mode) => ({
                resources: splitWorld("public-a").build(mode),
                errors: [
                    [
                        "exposed",
                        null,
                        { workload: "`orders-db`", placement: "`public-a`", ports: "tcp 5432 (postgres)", path: SPLIT_PATH },
                        "fixPath",
                    ],
                ],
            })),
            ...both("an all-traffic rule is named as written, not as the internal ports it leaves after the public ones", (mode) => ({
                resources: vpc()
                    .add(
                        A.sg,
                        "web-sg",
                        { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }], egress: egressAll },
                        { vpcId: "main-vpc" },
                    )
                    .add(A.instance, "web", {}, { subnetId: "public-a", vpcSecurityGroupIds: ["web-sg"] })
                    .build(mode),
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            workload: "`web`",
                            ports: /^tcp 22 \(ssh\)/,
                            path: /→ security groups `web-sg` \(ingress\[0\] \(all traffic from 0\.0\.0\.0\/0\)\) → `web`$/,
                        },
                        "fixPath",
                    ],
                    ["exposed", null, { ports: /^udp 53 \(dns\)/, path: /\(ingress\[0\] \(all traffic from 0\.0\.0\.0\/0\)\) → `web`$/ }],
                ],
            })),
            ...both("an Elastic IP on an instance in a routed subnet without `mapPublicIpOnLaunch`", (mode) => ({
                resources: splitWorld(
                    "edge-a",
                    {},
                    vpc()
                        .add(A.subnet, "edge-a", { cidrBlock: "10.0.9.0/24" }, { vpcId: "main-vpc" })
                        .add(A.rta, "edge-a-rta", {}, { subnetId: "edge-a", routeTableId: "public-rt" }),
                )
                    .add(A.eip, "db-eip", { domain: "vpc" }, { instance: "orders-db" })
                    .build(mode),
                errors: [["exposed", null, { workload: "`orders-db`", path: /→ subnet `edge-a` \(Elastic IP `db-eip`\) →/ }]],
            })),
            ...both("a DefaultVpc's main route table sends 0.0.0.0/0 to the default VPC's internet gateway, as AWS makes it", (mode) => ({
                resources: inDefaultVpc({ publiclyAccessible: true }).build(mode, mode === "preview" ? ["default-vpc"] : []),
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            workload: "`orders-db`",
                            ports: "tcp 5432 (postgres)",
                            path: /^internet → the main route table of `default-vpc` \(AWS's default route: 0\.0\.0\.0\/0 → igw\) → subnet `default-a` \(public endpoint: `publiclyAccessible`\) → /,
                        },
                    ],
                ],
            })),
            {
                name: "a DefaultVpc and a security group both without inputs: the provider's configuration is unknown, nothing is assumed",
                resources: inDefaultVpc({ publiclyAccessible: true }).build("preview", ["default-vpc", "db-sg"]),
                advisories: [["unverifiable", null, { workload: "`orders-db`", reason: /`default-vpc` arrived with no inputs/ }]],
            },
            {
                name: "an RDS instance whose `port` is unknown until update: unverifiable (advisory), not every port its group admits",
                resources: rds(["public-a"], { publiclyAccessible: true, port: UNKNOWN }).build("preview"),
                advisories: [
                    ["unverifiable", null, { workload: "`orders-db`", reason: /the `port` of `orders-db` is unknown until update/ }],
                ],
            },
            ...both("`publiclyAccessible` true: an RDS instance in a public subnet group behind a world-open group", (mode) => ({
                resources: rds(["public-a"], { publiclyAccessible: true }).build(mode),
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            workload: "`orders-db`",
                            ports: "tcp 5432 (postgres)",
                            path: /subnet `public-a` \(public endpoint: `publiclyAccessible`\) → .* → security groups `db-sg` \(ingress\[0\] \(tcp 5432 from 0\.0\.0\.0\/0\)\) → `orders-db`$/,
                        },
                    ],
                ],
            })),
            ...both("an internet-facing ALB whose listener is an internal port", (mode) => ({
                resources: balanced("application", 8080, 8080, [tcp(8080, 8080, { securityGroups: ["lb-sg"] })]).build(mode),
                errors: [
                    ["exposed", null, { workload: "`web-lb`", ports: "tcp 8080 (app)", path: /public IP|internet-facing load balancer/ }],
                ],
            })),
            ...both("an internet-facing NLB keeps the client's address: its private target's group sees the internet", (mode) => ({
                resources: balanced("network", 443, 8080, [tcp(8080, 8080, { cidrBlocks: ["0.0.0.0/0"] })]).build(mode),
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            workload: "`app-1`",
                            placement: "`app-a through `web-lb``",
                            ports: "tcp 8080 (app)",
                            path: /internet gateway `main-igw` → .* → network load balancer `web-lb` \(listener tcp 443 → 8080, client address kept\) → network ACL `main-vpc`'s default .* security groups `app-sg` \(ingress\[0\] \(tcp 8080 from 0\.0\.0\.0\/0\)\) → `app-1`$/,
                        },
                    ],
                ],
            })),
            ...both(
                "a route to the internet gateway on the VPC's main table (`mainRouteTableId`) for a subnet without an association",
                (mode) => ({
                    resources: splitWorld(
                        "edge-a",
                        {},
                        vpc()
                            .add(A.subnet, "edge-a", { cidrBlock: "10.0.9.0/24", mapPublicIpOnLaunch: true }, { vpcId: "main-vpc" })
                            .add(
                                A.route,
                                "main-default",
                                { destinationCidrBlock: "0.0.0.0/0" },
                                { routeTableId: "main-vpc#mainRouteTableId", gatewayId: "main-igw" },
                            ),
                    ).build(mode),
                    errors: [
                        [
                            "exposed",
                            null,
                            {
                                workload: "`orders-db`",
                                path: /→ the main route table of `main-vpc` \(route `main-default`: 0\.0\.0\.0\/0 → igw\) → subnet `edge-a`/,
                            },
                        ],
                    ],
                }),
            ),
            ...both("a link outside the stack: the subnet is another stack's, so the split world may reach it (advisory)", (mode) => ({
                resources: splitWorld("out:subnet-0abc1234").build(mode),
                advisories: [
                    [
                        "unproven",
                        null,
                        { workload: "`orders-db`", ports: "tcp 5432 (postgres)", path: /a subnet this stack does not hold/ },
                    ],
                ],
            })),
            ...both("subnets of another stack are named by their ids, so each one's path has its own line (advisory)", (mode) => ({
                resources: rds(["out:subnet-0abc1234", "out:subnet-0def5678"], { publiclyAccessible: true }).build(mode),
                advisories: [
                    [
                        "unproven",
                        null,
                        { workload: "`orders-db`", placement: "`subnet-0abc1234`", path: /a subnet this stack does not hold/ },
                    ],
                    [
                        "unproven",
                        null,
                        { workload: "`orders-db`", placement: "`subnet-0def5678`", path: /a subnet this stack does not hold/ },
                    ],
                ],
            })),
            ...both("a route whose target is unknown until update and names no gateway of the stack (advisory)", (mode) => ({
                resources: splitWorld(
                    "edge-a",
                    {},
                    vpc()
                        .add(A.subnet, "edge-a", { cidrBlock: "10.0.9.0/24", mapPublicIpOnLaunch: true }, { vpcId: "main-vpc" })
                        .add(
                            A.rt,
                            "edge-rt",
                            { routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }] },
                            { vpcId: "main-vpc" },
                        )
                        .add(A.rta, "edge-a-rta", {}, { subnetId: "edge-a", routeTableId: "edge-rt" }),
                ).build(mode),
                advisories: [["unproven", null, { workload: "`orders-db`", path: /subnet `edge-a` \(public IP: `mapPublicIpOnLaunch`\)/ }]],
            })),
            {
                name: "empty outputs (the provider's configuration is unknown in preview): unverifiable, not clean",
                resources: splitWorld("public-a").build("preview", ["orders-db"]),
                advisories: [["unverifiable", null, { workload: "`orders-db`", reason: /`orders-db` arrived with no inputs/ }]],
            },
            {
                name: "empty outputs of the subnet: the instance's paths cannot be verified",
                resources: splitWorld("public-a").build("preview", ["public-a"]),
                advisories: [["unverifiable", null, { workload: "`orders-db`", reason: /`public-a` arrived with no inputs/ }]],
            },
            ...both("an RDS cluster instance: its cluster's subnet group, groups and engine port", (mode) => ({
                resources: vpc()
                    .add(A.sg, "db-sg", worldPg, { vpcId: "main-vpc" })
                    .add(A.dbSubnets, "db-subnets", {}, { subnetIds: ["public-a"] })
                    .add(
                        A.cluster,
                        "orders",
                        { engine: "aurora-postgresql" },
                        { dbSubnetGroupName: "db-subnets", vpcSecurityGroupIds: ["db-sg"] },
                    )
                    .add(
                        A.clusterInstance,
                        "orders-1",
                        { engine: "aurora-postgresql", publiclyAccessible: true },
                        { clusterIdentifier: "orders" },
                    )
                    .build(mode),
                errors: [["exposed", null, { workload: "`orders-1`", ports: "tcp 5432 (postgres)" }]],
            })),
            ...both("an ECS service with `assignPublicIp` in a public subnet", (mode) => ({
                resources: vpc()
                    .add(
                        A.sg,
                        "task-sg",
                        { ingress: [tcp(6379, 6379, { cidrBlocks: ["0.0.0.0/0"] })], egress: egressAll },
                        { vpcId: "main-vpc" },
                    )
                    .add(
                        A.ecs,
                        "cache",
                        { networkConfiguration: { assignPublicIp: true } },
                        { "networkConfiguration.subnets": ["public-a"], "networkConfiguration.securityGroups": ["task-sg"] },
                    )
                    .build(mode),
                errors: [["exposed", null, { workload: "`cache`", ports: "tcp 6379 (redis)", path: /public IP: `assignPublicIp`/ }]],
            })),
            ...both("an auto-scaling group whose launch template asks for a public address", (mode) => ({
                resources: vpc()
                    .add(
                        A.sg,
                        "ssh-sg",
                        { ingress: [tcp(22, 22, { cidrBlocks: ["0.0.0.0/0"] })], egress: egressAll },
                        { vpcId: "main-vpc" },
                    )
                    .add(
                        A.lt,
                        "web-lt",
                        { networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true" }] },
                        { "networkInterfaces[0].securityGroups": ["ssh-sg"] },
                    )
                    .add(A.asg, "web-asg", {}, { vpcZoneIdentifiers: ["public-a", "app-a"], "launchTemplate.id": "web-lt" })
                    .build(mode),
                errors: [["exposed", null, { workload: "`web-asg`", placement: "`public-a`", ports: "tcp 22 (ssh)" }]],
            })),
        ],
    },
    "documented-flows-reachable": {
        valid: [
            ...both("api → postgres through default ACLs and a group reference", (mode) => ({
                registryYaml,
                resources: flows().build(mode),
            })),
            ...both("api → postgres through ACLs that admit the request and every reply port", (mode) => ({
                registryYaml,
                resources: flows({ appAcl: APP_ACL, dbAcl: DB_ACL }).build(mode),
            })),
            ...both("same-subnet traffic crosses no ACL", (mode) => ({
                registryYaml,
                resources: flows({
                    apiSubnet: "db-a",
                    dbSubnets: ["db-a"],
                    apiEgress: [tcp(5432, 5432, { cidrBlocks: ["10.0.2.0/24"] })],
                    dbAcl: { ingress: [], egress: [] },
                    dbAclSubnets: ["db-a"],
                }).build(mode),
            })),
            ...both("the VPC's default group: a client without groups, a server admitting the default group by reference", (mode) => ({
                registryYaml,
                resources: flows({ dbIngress: [tcp(5432)] })
                    .build(mode)
                    .map((r) => {
                        if (r.name === "api-1")
                            return {
                                ...r,
                                props: { ...r.props, vpcSecurityGroupIds: undefined },
                                propertyDependencies: { subnetId: r.propertyDependencies!.subnetId },
                            };
                        if (r.name !== "db-sg") return r;
                        const ref = mode === "update" ? defaultSecurityGroupId("main-vpc") : UNKNOWN;
                        return {
                            ...r,
                            props: { ...r.props, ingress: [tcp(5432, 5432, { securityGroups: [ref] })] },
                            propertyDependencies: { ...r.propertyDependencies, ingress: [urnOf(A.vpc, "main-vpc")] },
                        };
                    }),
            })),
            ...both("a Lambda function in the VPC is a client", (mode) => ({
                registryYaml,
                resources: flows()
                    .add(
                        A.lambda,
                        "api-fn",
                        { tags: { service: "api" }, vpcConfig: {} },
                        { "vpcConfig.subnetIds": ["app-a"], "vpcConfig.securityGroupIds": ["api-sg"] },
                    )
                    .build(mode),
            })),
            ...both("a CIDR client is checked on the server's side only", (mode) => ({
                registryYaml: FLOWS_REGISTRY("      - cidr: 10.50.0.0/16\n"),
                resources: flows({ dbIngress: [tcp(5432, 5432, { cidrBlocks: ["10.0.1.0/24", "10.50.0.0/16"] })] }).build(mode),
            })),
        ],
        invalid: [
            ...both("the VPC's default group admits only its own members", (mode) => ({
                registryYaml,
                resources: flows()
                    .build(mode)
                    .map((r) =>
                        r.name === "orders-db"
                            ? {
                                  ...r,
                                  props: { ...r.props, vpcSecurityGroupIds: undefined },
                                  propertyDependencies: { dbSubnetGroupName: r.propertyDependencies!.dbSubnetGroupName },
                              }
                            : r,
                    ),
                errors: [
                    [
                        "blocked",
                        null,
                        {
                            why: "the request dies at security groups `main-vpc`'s default inbound: no security group rule allows tcp 5432 from 10.0.1.0/24",
                        },
                    ],
                ],
            })),
            ...both(
                "an Aurora cluster tagged with the service: its untagged instances serve it, and the flow to them is checked",
                (mode) => ({
                    registryYaml,
                    resources: vpc()
                        .add(
                            A.sg,
                            "api-sg",
                            { ingress: [], egress: [tcp(5432, 5432, { cidrBlocks: ["10.0.2.0/23"] })] },
                            { vpcId: "main-vpc" },
                        )
                        .add(A.sg, "db-sg", { ingress: [], egress: [] }, { vpcId: "main-vpc" })
                        .add(A.instance, "api-1", { tags: { service: "api" } }, { subnetId: "app-a", vpcSecurityGroupIds: ["api-sg"] })
                        .add(A.dbSubnets, "db-subnets", {}, { subnetIds: ["db-a"] })
                        .add(
                            A.cluster,
                            "orders",
                            { engine: "aurora-postgresql", tags: { service: "postgres" } },
                            { dbSubnetGroupName: "db-subnets", vpcSecurityGroupIds: ["db-sg"] },
                        )
                        .add(A.clusterInstance, "orders-1", { engine: "aurora-postgresql" }, { clusterIdentifier: "orders" })
                        .build(mode),
                    errors: [
                        [
                            "blocked",
                            null,
                            {
                                server: "`orders-1`",
                                why: "the request dies at security groups `db-sg` inbound: no security group rule allows tcp 5432 from 10.0.1.0/24",
                            },
                        ],
                    ],
                }),
            ),
            ...both("a CIDR client the server's group does not admit", (mode) => ({
                registryYaml: FLOWS_REGISTRY("      - cidr: 10.50.0.0/16\n"),
                resources: flows().build(mode),
                errors: [
                    [
                        "blocked",
                        null,
                        {
                            client: "10.50.0.0/16",
                            why: "the request dies at security groups `db-sg` inbound: no security group rule allows tcp 5432 from 10.50.0.0/16",
                        },
                    ],
                ],
            })),
            ...both("the server's subnet group is outside the stack: unverifiable (advisory), never a pass", (mode) => ({
                registryYaml,
                resources: flows({ dbSubnets: ["out:subnet-0abc1234"] }).build(mode),
                advisories: [["unverifiable", null, { client: "`api-1`", server: "`orders-db`", reasons: /subnet is outside this stack/ }]],
            })),
            ...both("a partial return-traffic entry: the reply dies for client ports 1024-32767", (mode) => ({
                registryYaml,
                resources: flows({ dbAcl: { ...DB_ACL, egress: [entry(100, "allow", 32768, 65535, "10.0.1.0/24")] } }).build(mode),
                errors: [
                    [
                        "blocked",
                        null,
                        {
                            client: "`api-1`",
                            server: "`orders-db`",
                            flow: "tcp 5432",
                            why: "the reply dies at network ACL `acl-db` outbound: no network ACL entry allows tcp 1024-32767 to 10.0.1.0/24",
                        },
                        "fixReply",
                    ],
                ],
            })),
            ...both("a missing return-traffic entry", (mode) => ({
                registryYaml,
                resources: flows({ dbAcl: { ...DB_ACL, egress: [] } }).build(mode),
                errors: [
                    [
                        "blocked",
                        null,
                        {
                            why: "the reply dies at network ACL `acl-db` outbound: no network ACL entry allows tcp 1024-65535 to 10.0.1.0/24",
                        },
                        "fixReply",
                    ],
                ],
            })),
            ...both("the server's ACL denies the request", (mode) => ({
                registryYaml,
                resources: flows({
                    dbAcl: { ...DB_ACL, ingress: [entry(90, "deny", 5432, 5432, "10.0.0.0/16"), ...DB_ACL.ingress] },
                }).build(mode),
                errors: [
                    [
                        "blocked",
                        null,
                        { why: /^the request dies at network ACL `acl-db` inbound: ingress\[0\] \(rule 90\) .* denies it$/ },
                        "fixDeny",
                    ],
                ],
            })),
            ...both("the client's ACL lets the request out only to another subnet", (mode) => ({
                registryYaml,
                resources: flows({ appAcl: { ...APP_ACL, egress: [entry(100, "allow", 5432, 5432, "10.0.9.0/24")] } }).build(mode),
                errors: [
                    [
                        "blocked",
                        null,
                        { why: "the request dies at network ACL `acl-app` outbound: no network ACL entry allows tcp 5432 to 10.0.2.0/24" },
                    ],
                ],
            })),
            ...both("the client's ACL lets no reply back in", (mode) => ({
                registryYaml,
                resources: flows({ appAcl: { ...APP_ACL, ingress: [] } }).build(mode),
                errors: [
                    [
                        "blocked",
                        null,
                        {
                            why: "the reply dies at network ACL `acl-app` inbound: no network ACL entry allows tcp 1024-65535 from 10.0.2.0/24",
                        },
                    ],
                ],
            })),
            ...both("a client group without egress reaches nothing", (mode) => ({
                registryYaml,
                resources: flows({ apiEgress: [] }).build(mode),
                errors: [
                    [
                        "blocked",
                        null,
                        {
                            why: "the request dies at security groups `api-sg` outbound: no security group rule allows tcp 5432 to 10.0.2.0/24",
                        },
                        "fixAdd",
                    ],
                ],
            })),
            ...both("the server's group admits another range only", (mode) => ({
                registryYaml,
                resources: flows({ dbIngress: [tcp(5432, 5432, { cidrBlocks: ["10.9.0.0/16"] })] }).build(mode),
                errors: [
                    [
                        "blocked",
                        null,
                        {
                            why: "the request dies at security groups `db-sg` inbound: no security group rule allows tcp 5432 from 10.0.1.0/24",
                        },
                    ],
                ],
            })),
            ...both("a subnet group with one blocked subnet: the flow must get through in each", (mode) => ({
                registryYaml,
                resources: flows({ dbAcl: { ingress: [], egress: [] }, dbAclSubnets: ["db-b"] }).build(mode),
                errors: [
                    [
                        "blocked",
                        null,
                        { why: "the request dies at network ACL `acl-db` inbound: no network ACL entry allows tcp 5432 from 10.0.1.0/24" },
                    ],
                ],
            })),
        ],
    },
};
