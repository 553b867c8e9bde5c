// The AWS assembler on stacks as the engine sends them: the graph it builds (shared layers, the
// placements of a subnet group, the default group and ACL) and the hop-by-hop wording of both policies.
import { strict as assert } from "assert";
import { awsGraphAssembler, enginePort } from "../../policies/adapters/aws/graph";
import { documentedFlowsReachable } from "../../policies/rules/documented-flows-reachable";
import { noInternetPathToInternalPorts } from "../../policies/rules/no-internet-path-to-internal-ports";
import { explain } from "../../policies/analysis/explain";
import { Workload } from "../../policies/model/graph";
import { portRange } from "../../policies/model/intervals";
import { checkCase, explainTcp, StackCase, stackIndexOf, UNKNOWN } from "../helpers";
import { A, FLOWS_REGISTRY, Mode, Stack, all, entry, tcp, vpc } from "../cases/providers/aws-graph-stacks";

function graph(resources: StackCase[]) {
    const stack = stackIndexOf(resources);
    return awsGraphAssembler.assemble(stack, { serviceTag: "service" });
}

function twoApps(mode: Mode) {
    return vpc()
        .add(
            A.sg,
            "app-sg",
            { ingress: [tcp(8080, 8080, { cidrBlocks: ["10.0.0.0/16"] })], egress: [all({ cidrBlocks: ["0.0.0.0/0"] })] },
            { vpcId: "main-vpc" },
        )
        .add(A.instance, "app-1", {}, { subnetId: "app-a", vpcSecurityGroupIds: ["app-sg"] })
        .add(A.instance, "app-2", {}, { subnetId: "app-a", vpcSecurityGroupIds: ["app-sg"] })
        .add(A.instance, "bare", {}, { subnetId: "app-a" })
        .add(A.dbSubnets, "db-subnets", {}, { subnetIds: ["db-a", "db-b"] })
        .add(A.rds, "orders-db", { engine: "aurora-mysql" }, { dbSubnetGroupName: "db-subnets" })
        .build(mode);
}

describe("AWS graph assembler", () => {
    for (const mode of ["preview", "update"] as const) {
        it(`${mode}: workloads behind the same groups and ACL share one Layer object`, () => {
            const ws = graph(twoApps(mode));
            const [a, b] = ["app-1", "app-2"].map((n) => ws.find((w) => w.name === n)!);
            assert.equal(a.placements[0].layers.length, 2);
            assert.equal(a.placements[0].layers[0], b.placements[0].layers[0], "the subnet's ACL");
            assert.equal(a.placements[0].layers[1], b.placements[0].layers[1], "the groups");
            assert.equal(a.placements[0].label, "app-a");
            assert.deepEqual(a.placements[0].unverifiable, []);
            assert.equal(a.placements[0].internet, undefined, "a NAT gateway gives no way in");
        });

        it(`${mode}: a workload without groups gets AWS's default group of its VPC; a database runs in each subnet of its group`, () => {
            const ws = graph(twoApps(mode));
            const bare = ws.find((w) => w.name === "bare")!;
            assert.deepEqual(
                bare.placements[0].layers.map((l) => `${l.kind}: ${l.resources.map((r) => r.name).join(",")}`),
                ["network ACL: default", "security groups: default"],
            );
            const db = ws.find((w) => w.name === "orders-db")!;
            assert.deepEqual(
                db.placements.map((p) => p.label),
                ["db-a", "db-b"],
            );
            assert.deepEqual(
                [...db.listens!.entries()].map(([p, ports]) => `${p} ${[...ports.intervals].join()}`),
                ["tcp 3306,3306"],
                "aurora-mysql's default port",
            );
            assert.ok([...db.memberships].some((m) => m.startsWith("aws-default-security-group:")));
        });
    }

    it("engines' default ports", () => {
        assert.deepEqual(
            ["postgres", "aurora-postgresql", "mysql", "mariadb", "aurora", "oracle-ee", "sqlserver-se", "db2-se", "neptune"].map(
                enginePort,
            ),
            [5432, 5432, 3306, 3306, 3306, 1521, 1433, 50000, undefined],
        );
    });
});

describe("AWS graph: the messages, hop by hop", () => {
    it("no-internet-path-to-internal-ports names each hop by its Pulumi name and the rule that admits the packet", () => {
        const resources = vpc()
            .add(A.sg, "db-sg", { ingress: [tcp(5432, 5432, { cidrBlocks: ["0.0.0.0/1"] })] }, { vpcId: "main-vpc" })
            .add(A.sg, "ops-sg", { ingress: [tcp(5432, 5432, { cidrBlocks: ["128.0.0.0/1"] })] }, { vpcId: "main-vpc" })
            .add(A.instance, "orders-db", {}, { subnetId: "public-a", vpcSecurityGroupIds: ["db-sg", "ops-sg"] })
            .build("preview");
        const found = checkCase(noInternetPathToInternalPorts, { name: "", resources });
        assert.equal(found.mandatory.length, 1);
        assert.equal(
            found.mandatory[0].message.split("\n")[0],
            "The internet reaches tcp 5432 (postgres) on `orders-db`: internet → internet gateway `main-igw` → route table `public-rt` (0.0.0.0/0 → igw) → " +
                "subnet `public-a` (public IP: `mapPublicIpOnLaunch`) → network ACL `main-vpc`'s default (rule 100 (allows all)) → " +
                "security groups `db-sg` and `ops-sg` (`db-sg` ingress[0] (tcp 5432 from 0.0.0.0/1) and `ops-sg` ingress[0] (tcp 5432 from 128.0.0.0/1)) → `orders-db`.",
        );
    });

    it("documented-flows-reachable names the client, the blocking ACL, the leg and the ports the reply dies on, and how to fix it", () => {
        const resources = vpc()
            .add(A.sg, "api-sg", { egress: [tcp(5432, 5432, { cidrBlocks: ["10.0.2.0/24"] })] }, { vpcId: "main-vpc" })
            .add(A.sg, "db-sg", { ingress: [tcp(5432, 5432, { cidrBlocks: ["10.0.1.0/24"] })] }, { vpcId: "main-vpc" })
            .add(A.instance, "api-1", { tags: { service: "api" } }, { subnetId: "app-a", vpcSecurityGroupIds: ["api-sg"] })
            .add(A.instance, "orders-db", { tags: { service: "postgres" } }, { subnetId: "db-a", vpcSecurityGroupIds: ["db-sg"] })
            .add(
                A.acl,
                "acl-db",
                { ingress: [entry(100, "allow", 5432, 5432, "10.0.1.0/24")], egress: [entry(100, "allow", 32768, 65535, "10.0.1.0/24")] },
                { vpcId: "main-vpc", subnetIds: ["db-a"] },
            )
            .build("update");
        const found = checkCase(documentedFlowsReachable, { name: "", resources, registryYaml: FLOWS_REGISTRY() });
        assert.equal(found.mandatory.length, 1);
        assert.equal(
            found.mandatory[0].message,
            "`api-1` → `orders-db` tcp 5432: the reply dies at network ACL `acl-db` outbound: no network ACL entry allows tcp 1024-32767 to 10.0.1.0/24.\n" +
                "Fix: widen the return-traffic entry of network ACL `acl-db` to the ephemeral ports, or narrow `ephemeralPorts` in ports.yaml to the ports the clients use.",
        );
    });
});

describe("AWS graph: instances that name no subnet (the default VPC)", () => {
    // Two web servers of one group, as pulumi/examples programs write them: no VPC, no subnet.
    const stack = (mode: Mode, extra: Record<string, unknown> = {}) =>
        new Stack()
            .add(A.sg, "web", {
                ingress: [tcp(80, 80, { cidrBlocks: ["0.0.0.0/0"] })],
                egress: [all({ cidrBlocks: ["0.0.0.0/0"] })],
            })
            .add(A.instance, "web-0", { ...extra }, { vpcSecurityGroupIds: ["web"] })
            .add(A.instance, "web-1", { ...extra }, { vpcSecurityGroupIds: ["web"] })
            .build(mode);
    const route = (resources: StackCase[]) => {
        const ws = graph(resources);
        const [from, to] = ["web-0", "web-1"].map((n) => ws.find((w) => w.name === n)!);
        return {
            to,
            e: explainTcp(from, to, 80),
        };
    };

    for (const mode of ["preview", "update"] as const) {
        it(`${mode}: in 172.31.0.0/16, so a group open to 0.0.0.0/0 admits the other; the VPC itself stays outside the stack`, () => {
            const { to, e } = route(stack(mode));
            assert.equal(to.placements[0].label, "a default subnet of the default VPC");
            assert.deepEqual(
                e.routes[0].steps.map((s) => s.status),
                ["pass", "pass"],
            );
            assert.equal(e.status, "unknown");
        });
    }

    it("an instance with an IPv6 address of its own may be reached on it: its addresses stay unknown", () => {
        const { to, e } = route(stack("update", { ipv6AddressCount: 1 }));
        assert.equal(to.placements[0].label, "a subnet outside this stack");
        assert.equal(to.placements[0].addresses, undefined);
        assert.deepEqual(
            e.routes[0].steps.map((s) => s.status),
            ["unknown", "unknown"],
        );
    });
});

describe("AWS graph: why the internet has no way in, in the workload's own setting", () => {
    const worldOpen = { ingress: [all({ cidrBlocks: ["0.0.0.0/0"] })], egress: [all({ cidrBlocks: ["0.0.0.0/0"] })] };
    /** `public-a` maps public IPs on launch and routes to the internet gateway; `lonely` has no route table of its own. */
    const stack = (mode: Mode) =>
        vpc()
            .add(A.subnet, "lonely", { cidrBlock: "10.0.9.0/24" }, { vpcId: "main-vpc" })
            .add(A.sg, "open-sg", worldOpen, { vpcId: "main-vpc" })
            .add(A.dbSubnets, "public-subnets", {}, { subnetIds: ["public-a"] })
            .add(
                A.rds,
                "closed-db",
                { engine: "mysql", publiclyAccessible: false },
                { dbSubnetGroupName: "public-subnets", vpcSecurityGroupIds: ["open-sg"] },
            )
            .add(A.rds, "default-db", { engine: "mysql" }, { dbSubnetGroupName: "public-subnets", vpcSecurityGroupIds: ["open-sg"] })
            .add(
                A.ecs,
                "tasks",
                { networkConfiguration: {} },
                { "networkConfiguration.subnets": ["public-a"], "networkConfiguration.securityGroups": ["open-sg"] },
            )
            .add(A.lambda, "fn", { vpcConfig: {} }, { "vpcConfig.subnetIds": ["public-a"], "vpcConfig.securityGroupIds": ["open-sg"] })
            .add(
                A.lb,
                "int-lb",
                { loadBalancerType: "application", internal: true },
                { subnets: ["public-a"], securityGroups: ["open-sg"] },
            )
            .add(A.instance, "private-vm", {}, { subnetId: "lonely", vpcSecurityGroupIds: ["open-sg"] })
            .add(A.instance, "public-ip-vm", { associatePublicIpAddress: true }, { subnetId: "lonely", vpcSecurityGroupIds: ["open-sg"] })
            .add(A.instance, "no-ip-vm", { associatePublicIpAddress: false }, { subnetId: "public-a", vpcSecurityGroupIds: ["open-sg"] })
            .build(mode);
    const fromInternet = (to: Workload, port: number) =>
        explain({ from: { kind: "internet" }, to, protocol: "tcp", ports: portRange(port, port), ephemeral: portRange(1024, 65535) });
    const mainRt = "subnet `lonely` is on the main route table of `main-vpc`, which sends no 0.0.0.0/0 to an internet gateway";

    for (const mode of ["preview", "update"] as const) {
        it(`${mode}: each kind names what keeps its public address away, and the route table when it has no way to an internet gateway either`, () => {
            const ws = graph(stack(mode));
            const why = (n: string, port = 3306) => {
                const e = fromInternet(
                    ws.find((w) => w.name === n)!,
                    port,
                );
                assert.equal(e.status, "block", n);
                return e.routes.map((r) => r.notes.join(" | "));
            };
            // RDS: `publiclyAccessible` decides, not the subnet's `mapPublicIpOnLaunch` (which is true here).
            assert.deepEqual(why("closed-db"), ["no public address: `closed-db` has `publiclyAccessible: false`"]);
            assert.deepEqual(why("default-db"), ["no public address: `default-db` leaves `publiclyAccessible` unset (default false)"]);
            assert.deepEqual(why("tasks", 80), [
                "no public address: `tasks` leaves `networkConfiguration.assignPublicIp` unset (default false), so its tasks get none",
            ]);
            assert.deepEqual(why("int-lb", 80), ["no public address: `int-lb` is an internal load balancer (`internal: true`)"]);
            assert.deepEqual(why("no-ip-vm", 22), [
                "no public address: `no-ip-vm` has no Elastic IP and `associatePublicIpAddress: false`",
            ]);
            assert.deepEqual(why("private-vm", 22), [
                "no public address: `private-vm` has no Elastic IP, no `associatePublicIpAddress`, and subnet `lonely` does not set `mapPublicIpOnLaunch`; " +
                    `and ${mainRt}`,
            ]);
            assert.deepEqual(why("public-ip-vm", 22), [mainRt], "a public address without a route to an internet gateway");
            const fn = ws.find((w) => w.name === "fn")!;
            assert.equal(
                fn.placements[0].noInternet,
                "no public address: `fn` is a Lambda function in a VPC (`vpcConfig`), which never gets a public address",
            );
        });
    }

    it("a database whose subnets the plan cannot tell says what keeps its public address away, not that its unnamed subnet has none", () => {
        // pulumi/examples aws-ts-stackreference-architecture: the subnet ids come from another stack.
        const resources = new Stack()
            .add(A.sg, "db-sg", worldOpen)
            .add(A.dbSubnets, "db-subnets", { subnetIds: UNKNOWN })
            .add(A.rds, "orders-db", { engine: "postgres" }, { dbSubnetGroupName: "db-subnets", vpcSecurityGroupIds: ["db-sg"] })
            .build("preview");
        const db = graph(resources).find((w) => w.name === "orders-db")!;
        const e = fromInternet(db, 5432);
        assert.equal(e.status, "block");
        assert.deepEqual(
            e.routes.map((r) => r.notes.join(" | ")),
            ["no public address: `orders-db` leaves `publiclyAccessible` unset (default false)"],
        );
    });

    it("a subnet routed through a NAT gateway names its route table too", () => {
        const resources = vpc()
            .add(A.sg, "open-sg", worldOpen, { vpcId: "main-vpc" })
            .add(A.dbSubnets, "db-subnets", {}, { subnetIds: ["db-a"] })
            .add(A.rds, "orders-db", { engine: "postgres" }, { dbSubnetGroupName: "db-subnets", vpcSecurityGroupIds: ["open-sg"] })
            .build("update");
        const db = graph(resources).find((w) => w.name === "orders-db")!;
        assert.equal(
            db.placements[0].noInternet,
            "no public address: `orders-db` leaves `publiclyAccessible` unset (default false); " +
                "and subnet `db-a` is on route table `private-rt`, which sends no 0.0.0.0/0 to an internet gateway",
        );
    });
});
