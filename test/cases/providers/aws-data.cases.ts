// The AWS managed data services in the network graph (ElastiCache, Redshift, DocumentDB, Neptune,
// Amazon MQ, OpenSearch) through both stack policies: each placed like RDS, in every subnet of its
// subnet group behind its groups, written as preview sends it (ids unknown, links through property
// dependencies) and as update sends it (known ids).
import { PolicyCase as Case, UNKNOWN } from "../../helpers";
import { A, Mode, Stack, all, tcp, vpc } from "./aws-graph-stacks";

const both = (name: string, make: (mode: Mode) => Omit<Case, "name">): Case[] =>
    (["preview", "update"] as const).map((mode) => ({ name: `${name} (${mode})`, ...make(mode) }));

export type Kind = "redis" | "memcached" | "member" | "redshift" | "docdb" | "neptune" | "rabbitmq" | "activemq" | "opensearch";

/** What each kind serves, on which port, and the workload that serves it. */
export const SERVES: Record<Kind, { service: string; port: number; workload: string }> = {
    redis: { service: "redis", port: 6379, workload: "cache" },
    memcached: { service: "memcached", port: 11211, workload: "sessions" },
    member: { service: "redis", port: 6379, workload: "cache-replica" },
    redshift: { service: "warehouse", port: 5439, workload: "warehouse" },
    docdb: { service: "documents", port: 27017, workload: "docs-1" },
    neptune: { service: "graph", port: 8182, workload: "graph-1" },
    rabbitmq: { service: "amqp", port: 5671, workload: "events" },
    activemq: { service: "openwire", port: 61617, workload: "events" },
    opensearch: { service: "search", port: 443, workload: "logs" },
};

/** Every service of SERVES documented with `api` as its client (443 is not the public https here). */
const registryYaml = `
services:
  - { name: ssh, ports: [22], protocol: tcp }
  - { name: api, ports: [8080], protocol: tcp }
${[...new Map(Object.values(SERVES).map((s) => [s.service, s.port])).entries()]
    .map(([name, port]) => `  - name: ${name}\n    ports: [${port}]\n    protocol: tcp\n    clients:\n      - service: api`)
    .join("\n")}
knownCidrs: [10.0.0.0/8]
`;

/**
 * The data service of `kind` behind `data-sg` in `subnets` (a subnet group, or a broker's or domain's
 * own subnets), with `props` on the resource that decides its placement.
 */
export function data(s: Stack, kind: Kind, subnets: string[], props: Record<string, unknown> = {}): Stack {
    const groups = ["data-sg"];
    const { service } = SERVES[kind];
    switch (kind) {
        case "redis":
        case "member":
            s.add(A.cacheSubnets, "cache-subnets", {}, { subnetIds: subnets }).add(
                A.cacheGroup,
                "cache",
                { description: "cache", tags: { service }, ...(kind === "redis" ? props : {}) },
                { subnetGroupName: "cache-subnets", securityGroupIds: groups },
            );
            if (kind === "member") s.add(A.cache, "cache-replica", { ...props }, { replicationGroupId: "cache" });
            return s;
        case "memcached":
            return s
                .add(A.cacheSubnets, "cache-subnets", {}, { subnetIds: subnets })
                .add(
                    A.cache,
                    "sessions",
                    { engine: "memcached", numCacheNodes: 2, tags: { service }, ...props },
                    { subnetGroupName: "cache-subnets", securityGroupIds: groups },
                );
        case "redshift":
            return s
                .add(A.redshiftSubnets, "warehouse-subnets", {}, { subnetIds: subnets })
                .add(
                    A.redshift,
                    "warehouse",
                    { nodeType: "ra3.xlplus", tags: { service }, ...props },
                    { clusterSubnetGroupName: "warehouse-subnets", vpcSecurityGroupIds: groups },
                );
        case "docdb":
            return s
                .add(A.docdbSubnets, "docs-subnets", {}, { subnetIds: subnets })
                .add(A.docdb, "docs", { tags: { service } }, { dbSubnetGroupName: "docs-subnets", vpcSecurityGroupIds: groups })
                .add(A.docdbInstance, "docs-1", { instanceClass: "db.r6g.large", ...props }, { clusterIdentifier: "docs" });
        case "neptune":
            return s
                .add(A.neptuneSubnets, "graph-subnets", {}, { subnetIds: subnets })
                .add(A.neptune, "graph", {}, { neptuneSubnetGroupName: "graph-subnets", vpcSecurityGroupIds: groups })
                .add(
                    A.neptuneInstance,
                    "graph-1",
                    { instanceClass: "db.r6g.large", tags: { service }, ...props },
                    { clusterIdentifier: "graph" },
                );
        case "rabbitmq":
        case "activemq":
            return s.add(
                A.broker,
                "events",
                { engineType: kind === "rabbitmq" ? "RabbitMQ" : "ActiveMQ", hostInstanceType: "mq.m5.large", tags: { service }, ...props },
                { subnetIds: subnets, securityGroups: groups },
            );
        case "opensearch":
            return s.add(
                A.search,
                "logs",
                { vpcOptions: {}, tags: { service }, ...props },
                { "vpcOptions.subnetIds": subnets, "vpcOptions.securityGroupIds": groups },
            );
    }
}

/** `api-1` (service api, in app-a) and the data service of `kind` in db-a and db-b; `data-sg` admits `admit` (default: api-sg on the port). */
export function flows(kind: Kind, admit?: unknown[]): Stack {
    const port = SERVES[kind].port;
    const s = vpc()
        .add(A.sg, "api-sg", { ingress: [], egress: [all({ cidrBlocks: ["10.0.0.0/16"] })] }, { vpcId: "main-vpc" })
        .add(
            A.sg,
            "data-sg",
            { ingress: admit ?? [tcp(port)], egress: [] },
            { vpcId: "main-vpc", ...(admit ? {} : { "ingress[0].securityGroups": ["api-sg"] }) },
        )
        .add(A.instance, "api-1", { tags: { service: "api" } }, { subnetId: "app-a", vpcSecurityGroupIds: ["api-sg"] });
    return data(s, kind, kind === "rabbitmq" || kind === "activemq" ? ["db-a"] : ["db-a", "db-b"]);
}

/** The data service of `kind` in `public-a`, its group open to the world on its port. */
export function worldOpen(kind: Kind, props: Record<string, unknown> = {}): Stack {
    const port = SERVES[kind].port;
    const s = vpc().add(
        A.sg,
        "data-sg",
        { ingress: [tcp(port, port, { cidrBlocks: ["0.0.0.0/0"] })], egress: [all({ cidrBlocks: ["0.0.0.0/0"] })] },
        { vpcId: "main-vpc" },
    );
    return data(s, kind, ["public-a"], props);
}

const KINDS: Kind[] = ["redis", "memcached", "member", "redshift", "docdb", "neptune", "rabbitmq", "activemq", "opensearch"];

const publicPath = (port: number, workload: string) =>
    "internet → internet gateway `main-igw` → route table `public-rt` (0.0.0.0/0 → igw) → subnet `public-a` (public endpoint: `publiclyAccessible`) → " +
    `network ACL \`main-vpc\`'s default (rule 100 (allows all)) → security groups \`data-sg\` (ingress[0] (tcp ${port} from 0.0.0.0/0)) → \`${workload}\``;

export const cases: Record<string, { valid: Case[]; invalid: Case[] }> = {
    "no-internet-path-to-internal-ports": {
        valid: [
            ...(["redis", "memcached", "member", "docdb", "opensearch"] as const).flatMap((kind) =>
                both(`${kind}: no public endpoint, even in a public subnet behind a world-open group`, (mode) => ({
                    resources: worldOpen(kind).build(mode),
                })),
            ),
            ...both("a Redshift cluster with `publiclyAccessible: false` in a public subnet behind a world-open group", (mode) => ({
                resources: worldOpen("redshift", { publiclyAccessible: false }).build(mode),
            })),
            ...both("a Redshift cluster that leaves `publiclyAccessible` unset (the provider's default, false)", (mode) => ({
                resources: worldOpen("redshift").build(mode),
            })),
            ...both("an OpenSearch domain without `vpcOptions` answers on 443 only, a public port", (mode) => ({
                resources: vpc().add(A.search, "logs", { domainName: "logs" }).build(mode),
            })),
            ...both("a Neptune instance and an ActiveMQ broker without `publiclyAccessible`", (mode) => ({
                resources: data(worldOpen("neptune"), "activemq", ["public-a"]).build(mode),
            })),
        ],
        invalid: [
            ...both("`publiclyAccessible` true: a Redshift cluster in a public subnet behind a world-open group", (mode) => ({
                resources: worldOpen("redshift", { publiclyAccessible: true }).build(mode),
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            workload: "`warehouse`",
                            placement: "`public-a`",
                            ports: "tcp 5439 (undocumented)",
                            path: publicPath(5439, "warehouse"),
                        },
                        "fixPath",
                    ],
                ],
            })),
            ...both("`publiclyAccessible` true: a Neptune instance", (mode) => ({
                resources: worldOpen("neptune", { publiclyAccessible: true }).build(mode),
                errors: [["exposed", null, { workload: "`graph-1`", ports: "tcp 8182 (undocumented)", path: publicPath(8182, "graph-1") }]],
            })),
            ...both("`publiclyAccessible` true: an ActiveMQ broker in a public subnet", (mode) => ({
                resources: worldOpen("activemq", { publiclyAccessible: true }).build(mode),
                errors: [["exposed", null, { workload: "`events`", ports: "tcp 61617 (undocumented)", path: publicPath(61617, "events") }]],
            })),
            ...both("a public RabbitMQ broker: reached outside the VPC, whatever its subnets and groups say", (mode) => ({
                resources: flows("rabbitmq")
                    .build(mode)
                    .map((r) => (r.name === "events" ? { ...r, props: { ...r.props, publiclyAccessible: true } } : r)),
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            workload: "`events`",
                            placement: "`public endpoint`",
                            ports: "tcp 5671, 15671 (2 undocumented ports)",
                            path: "internet → public endpoint of RabbitMQ broker `events` (`publiclyAccessible`: outside the VPC, no security groups) → `events`",
                        },
                    ],
                ],
            })),
            ...both(
                "an OpenSearch domain without `vpcOptions`, 443 internal: a public endpoint only its access policy filters (advisory)",
                (mode) => ({
                    registryYaml,
                    resources: vpc().add(A.search, "logs", { domainName: "logs" }).build(mode),
                    advisories: [
                        [
                            "unproven",
                            null,
                            {
                                workload: "`logs`",
                                ports: "tcp 443 (search)",
                                path: "internet → public endpoint of `logs` (no `vpcOptions`) → `logs`",
                                reason: "`logs` has no `vpcOptions`: its endpoint is public and only its access policy (`accessPolicies`, not read) filters it",
                            },
                        ],
                    ],
                }),
            ),
            ...both("`publiclyAccessible` unknown until update: unproven (advisory), never exposed", (mode) => ({
                resources: worldOpen("redshift", { publiclyAccessible: UNKNOWN }).build(mode),
                advisories: [
                    ["unproven", null, { workload: "`warehouse`", reason: /whether `it` gets a public address is unknown until update/ }],
                ],
            })),
            ...both("a port unknown until update: unverifiable (advisory), not every port its group admits", (mode) => ({
                resources: worldOpen("redshift", { publiclyAccessible: true, port: UNKNOWN }).build(mode),
                advisories: [
                    ["unverifiable", null, { workload: "`warehouse`", reason: /the `port` of `warehouse` is unknown until update/ }],
                ],
            })),
        ],
    },
    "documented-flows-reachable": {
        valid: KINDS.flatMap((kind) =>
            both(`api → ${SERVES[kind].service} (${kind}) through default ACLs and a group reference`, (mode) => ({
                registryYaml,
                resources: flows(kind).build(mode),
            })),
        ),
        invalid: [
            ...KINDS.flatMap((kind) =>
                both(`api → ${SERVES[kind].service} (${kind}): the server's group admits another range only`, (mode) => ({
                    registryYaml,
                    resources: flows(kind, [tcp(SERVES[kind].port, SERVES[kind].port, { cidrBlocks: ["10.9.0.0/16"] })]).build(mode),
                    // A cache cluster of a replication group is a node of its own: each is blocked.
                    errors: (kind === "member" ? ["cache-replica", "cache"] : [SERVES[kind].workload]).map((server) => [
                        "blocked",
                        null,
                        {
                            client: "`api-1`",
                            server: `\`${server}\``,
                            flow: `tcp ${SERVES[kind].port}`,
                            why: `the request dies at security groups \`data-sg\` inbound: no security group rule allows tcp ${SERVES[kind].port} from 10.0.1.0/24`,
                        },
                        "fixAdd",
                    ]),
                })),
            ),
            ...both("api → a public OpenSearch domain: only its access policy filters it, which is not read (advisory)", (mode) => ({
                registryYaml,
                resources: flows("opensearch")
                    .build(mode)
                    .map((r) =>
                        r.name === "logs" ? { type: r.type, name: r.name, props: { domainName: "logs", tags: { service: "search" } } } : r,
                    ),
                advisories: [["unverifiable", null, { client: "`api-1`", server: "`logs`", reasons: /only its access policy/ }]],
            })),
            ...both("a subnet group outside the stack: unverifiable (advisory), never a pass", (mode) => ({
                registryYaml,
                resources: data(flows("docdb"), "docdb", ["out:subnet-0abc1234"]).build(mode),
                advisories: [["unverifiable", null, { client: "`api-1`", server: "`docs-1`", reasons: /subnet is outside this stack/ }]],
            })),
        ],
    },
};
