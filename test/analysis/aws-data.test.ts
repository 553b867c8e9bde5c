// The AWS assembler on the managed data services: where each runs (a placement in every subnet of
// its subnet group), the ports it answers on (its `port`, else its engine's), the service its tags
// name, and why the internet has no way in, in the service's own setting.
import { strict as assert } from "assert";
import { awsGraphAssembler } from "../../policies/adapters/aws/graph";
import { explain } from "../../policies/analysis/explain";
import { Workload } from "../../policies/model/graph";
import { formatPorts, portRange } from "../../policies/model/intervals";
import { StackCase, UNKNOWN, explainTcp, stackIndexOf } from "../helpers";
import { A, Mode, tcp, vpc } from "../cases/providers/aws-graph-stacks";
import { Kind, SERVES, data, flows, worldOpen } from "../cases/providers/aws-data.cases";

function graph(resources: StackCase[]): Workload[] {
    return awsGraphAssembler.assemble(stackIndexOf(resources), { serviceTag: "service" });
}
const find = (ws: Workload[], n: string) =>
    ws.find((w) => w.name === n) ?? assert.fail(`no workload ${n}: ${ws.map((w) => w.name).join(", ")}`);
const ports = (w: Workload) => [...(w.listens?.entries() ?? [])].map(([p, set]) => `${p} ${formatPorts(set)}`);
const fromInternet = (to: Workload, port: number) =>
    explain({ from: { kind: "internet" }, to, protocol: "tcp", ports: portRange(port, port), ephemeral: portRange(1024, 65535) });

describe("AWS graph: managed data services", () => {
    for (const mode of ["preview", "update"] as const) {
        it(`${mode}: each runs in every subnet of its subnet group (a broker and a domain in their own), on its engine's port, serving its tag's service`, () => {
            for (const kind of Object.keys(SERVES) as Kind[]) {
                const ws = graph(flows(kind).build(mode));
                const w = find(ws, SERVES[kind].workload);
                assert.equal(w.service, SERVES[kind].service, kind);
                assert.deepEqual(
                    w.placements.map((p) => p.label),
                    kind === "rabbitmq" || kind === "activemq" ? ["db-a"] : ["db-a", "db-b"],
                    kind,
                );
                assert.deepEqual(
                    w.placements[0].layers.map((l) => `${l.kind}: ${l.resources.map((r) => r.name).join(",")}`),
                    ["network ACL: default", "security groups: data-sg"],
                    kind,
                );
                assert.ok(w.listens?.get("tcp")?.has(SERVES[kind].port), kind);
                assert.equal(w.unverifiable, undefined, kind);
            }
        });

        it(`${mode}: a documented flow gets through to each`, () => {
            for (const kind of Object.keys(SERVES) as Kind[]) {
                const ws = graph(flows(kind).build(mode));
                const e = explainTcp(find(ws, "api-1"), find(ws, SERVES[kind].workload), SERVES[kind].port);
                assert.equal(e.status, "pass", kind);
            }
        });
    }

    it("ports: `port` first, else the engine's (Memcached 11211, Redis and Valkey 6379, a replication group's default redis); Amazon MQ's by engine", () => {
        const s = vpc().add(A.sg, "data-sg", {}, { vpcId: "main-vpc" });
        data(s, "redis", ["db-a"], { engine: "valkey" });
        s.add(A.cacheGroup, "plain-group", {}, { subnetGroupName: "cache-subnets" })
            .add(A.cacheGroup, "own-port", { port: 6380 }, { subnetGroupName: "cache-subnets" })
            .add(A.cache, "memcached", { engine: "memcached" }, { subnetGroupName: "cache-subnets" })
            .add(A.cache, "replica", {}, { replicationGroupId: "own-port" });
        data(s, "redshift", ["db-a"]);
        data(s, "docdb", ["db-a"]);
        data(s, "neptune", ["db-a"]);
        data(s, "rabbitmq", ["db-a"]);
        s.add(A.broker, "queue", { engineType: "ActiveMQ" }, { subnetIds: ["db-a"] });
        data(s, "opensearch", ["db-a"]);
        const ws = graph(s.build("update"));
        assert.deepEqual(
            ["cache", "plain-group", "own-port", "memcached", "replica", "warehouse", "docs-1", "graph-1", "events", "queue", "logs"].map(
                (n) => `${n}: ${ports(find(ws, n)).join()}`,
            ),
            [
                "cache: tcp 6379",
                "plain-group: tcp 6379",
                "own-port: tcp 6380",
                "memcached: tcp 11211",
                "replica: tcp 6380",
                "warehouse: tcp 5439",
                "docs-1: tcp 27017",
                "graph-1: tcp 8182",
                "events: tcp 443, 5671, 15671",
                "queue: tcp 5671, 8162, 8883, 61614, 61617, 61619",
                "logs: tcp 443",
            ],
        );
    });

    it("a cache cluster of a replication group runs where its group does, behind its groups, serving its group's service", () => {
        for (const mode of ["preview", "update"] as const) {
            const ws = graph(flows("member").build(mode));
            const replica = find(ws, "cache-replica");
            assert.equal(replica.service, "redis");
            assert.deepEqual(
                replica.placements.map((p) => p.label),
                ["db-a", "db-b"],
            );
            assert.equal(replica.placements[1].layers[1], find(ws, "cache").placements[1].layers[1], "the group's security group layer");
        }
    });

    describe("why the internet has no way in", () => {
        const cases: [string, Kind, Record<string, unknown>, string][] = [
            ["warehouse", "redshift", { publiclyAccessible: false }, "no public address: `warehouse` has `publiclyAccessible: false`"],
            ["warehouse", "redshift", {}, "no public address: `warehouse` leaves `publiclyAccessible` unset (default false)"],
            ["graph-1", "neptune", {}, "no public address: `graph-1` leaves `publiclyAccessible` unset (default false)"],
            ["events", "activemq", { publiclyAccessible: false }, "no public address: `events` has `publiclyAccessible: false`"],
            [
                "cache",
                "redis",
                {},
                "no public address: `cache` is an ElastiCache replication group, and ElastiCache has no public endpoint",
            ],
            [
                "sessions",
                "memcached",
                {},
                "no public address: `sessions` is an ElastiCache cluster, and ElastiCache has no public endpoint",
            ],
            ["docs-1", "docdb", {}, "no public address: `docs-1` is a DocumentDB instance, and DocumentDB has no public endpoint"],
            ["logs", "opensearch", {}, "no public address: `logs` is a domain in a VPC (`vpcOptions`), which has no public endpoint"],
        ];
        for (const mode of ["preview", "update"] as const)
            it(`${mode}: in a public subnet behind a world-open group, each names the setting that keeps the internet out`, () => {
                for (const [n, kind, props, why] of cases) {
                    const w = find(graph(worldOpen(kind, props).build(mode)), n);
                    const e = fromInternet(w, SERVES[kind].port);
                    assert.equal(e.status, "block", n);
                    assert.deepEqual(
                        e.routes.map((r) => r.notes.join(" | ")),
                        [why],
                        n,
                    );
                }
            });
    });

    it("unknown until update: a replication group, a cluster, a port decide nothing; the paths are unverifiable", (): void => {
        const member = (mode: Mode) =>
            graph(
                flows("member")
                    .build(mode)
                    .map((r) =>
                        r.name === "cache-replica" ? { ...r, props: { replicationGroupId: "out:rg-1" }, propertyDependencies: {} } : r,
                    ),
            );
        const replica = find(member("update"), "cache-replica");
        assert.match(replica.unverifiable ?? "", /`cache-replica`'s replication group is outside this stack/);
        assert.equal(replica.placements[0].label, "a subnet outside this stack");
        const port = find(graph(worldOpen("redis", { port: UNKNOWN }).build("preview")), "cache");
        assert.match(port.unverifiable ?? "", /the `port` of `cache` is unknown until update/);
        assert.equal(port.listens, undefined);
        const engine = find(graph(worldOpen("memcached", { engine: UNKNOWN }).build("preview")), "sessions");
        assert.match(engine.unverifiable ?? "", /the `engine` of `sessions`, which decides its port, is unknown until update/);
    });

    it("a public RabbitMQ broker answers the internet outside the VPC; a public OpenSearch domain cannot be told", () => {
        const ws = graph(
            vpc()
                .add(A.sg, "closed-sg", { ingress: [tcp(5671, 5671, { cidrBlocks: ["10.0.0.0/16"] })] }, { vpcId: "main-vpc" })
                .add(
                    A.broker,
                    "events",
                    { engineType: "RabbitMQ", publiclyAccessible: true },
                    { subnetIds: ["db-a"], securityGroups: ["closed-sg"] },
                )
                .add(A.search, "logs", {})
                .build("update"),
        );
        const events = find(ws, "events");
        assert.deepEqual(
            events.placements.map((p) => [p.label, p.layers.length, p.anyNetwork]),
            [["public endpoint", 0, true]],
        );
        assert.equal(fromInternet(events, 5671).status, "pass");
        const logs = find(ws, "logs");
        assert.equal(fromInternet(logs, 443).status, "unknown");
        assert.deepEqual(logs.placements[0].unverifiable, [
            "`logs` has no `vpcOptions`: its endpoint is public and only its access policy (`accessPolicies`, not read) filters it",
        ]);
    });
});
