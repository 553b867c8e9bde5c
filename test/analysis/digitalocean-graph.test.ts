// The DigitalOcean assembler on stacks as the engine sends them: the graph it builds (one shared
// layer per set of Cloud Firewalls, deny rules first, tags met by name or by the Tag resource, DOKS
// nodes' tags) and the hop-by-hop wording of both policies and of explain.
import { strict as assert } from "assert";
import { digitaloceanGraphAssembler } from "../../policies/adapters/digitalocean/graph";
import { documentedFlowsReachable } from "../../policies/rules/documented-flows-reachable";
import { noInternetPathToInternalPorts } from "../../policies/rules/no-internet-path-to-internal-ports";
import { checkCase, explainTcp, StackCase, stackIndexOf, urnOf } from "../helpers";
import { D, FLOWS_REGISTRY, Mode, shop, tcp, WORLD } from "../cases/providers/digitalocean-graph-stacks";

function graph(resources: StackCase[]) {
    const stack = stackIndexOf(resources);
    return digitaloceanGraphAssembler.assemble(stack, { serviceTag: "service" });
}

/** Two web droplets behind the same two firewalls (one by tag, one by id list), a db droplet behind one. */
function tiers(mode: Mode) {
    return shop()
        .add(
            D.droplet,
            "web-1",
            { image: "ubuntu-24-04-x64", region: "fra1", size: "s-1vcpu-1gb" },
            { vpcUuid: "shop-vpc", tags: ["web-tag"] },
        )
        .add(
            D.droplet,
            "web-2",
            { image: "ubuntu-24-04-x64", region: "fra1", size: "s-1vcpu-1gb" },
            { vpcUuid: "shop-vpc", tags: ["web-tag#name"] },
        )
        .add(D.firewall, "web-fw", { inboundRules: [tcp("443", { sourceAddresses: WORLD })] }, { tags: ["web-tag"] })
        .add(
            D.firewall,
            "ops-fw",
            {
                inboundRules: [tcp("22", { sourceAddresses: ["10.110.0.0/20"] })],
                outboundRules: [tcp("all", { destinationAddresses: WORLD })],
            },
            { dropletIds: ["web-1", "web-2"] },
        )
        .add(
            D.firewall,
            "db-fw",
            { inboundRules: [tcp("5432", {}), tcp("5432", { sourceAddresses: ["192.0.2.0/24"], action: "deny" })] },
            { tags: ["db-tag#name"], "inboundRules[0].sourceTags": ["api-tag"] },
        )
        .build(mode);
}

describe("DigitalOcean graph assembler", () => {
    for (const mode of ["preview", "update"] as const) {
        it(`${mode}: droplets behind the same Cloud Firewalls share one layer, a union of allows; a deny rule makes it ordered, denies first`, () => {
            const ws = graph(tiers(mode));
            const [a, b] = ["web-1", "web-2"].map((n) => ws.find((w) => w.name === n)!);
            assert.equal(a.placements[0].layers.length, 1);
            assert.equal(a.placements[0].layers[0], b.placements[0].layers[0], "one Layer object for both web droplets");
            const web = a.placements[0].layers[0];
            assert.deepEqual(
                [web.kind, web.resources.map((r) => r.name), web.ordered, web.stateful],
                ["Cloud Firewalls", ["web-fw", "ops-fw"], false, true],
            );
            assert.equal(a.placements[0].label, "shop-vpc");
            assert.equal(a.placements[0].network, urnOf(D.vpc, "shop-vpc"));
            assert.deepEqual(
                a.placements[0].internet?.hops.map((h) => h.text),
                ["public IPv4 address of droplet `web-1`"],
            );
            const db = ws.find((w) => w.name === "db-1")!;
            const dbLayer = db.placements[0].layers[0];
            assert.equal(dbLayer.ordered, true);
            assert.deepEqual(
                dbLayer.inbound.map((r) => `${r.rule.origin} ${r.rule.action} ${r.rule.order ?? "-"}`),
                ["inboundRules[0] allow -", "inboundRules[1] deny 0"],
            );
            assert.ok(
                [...dbLayer.inbound[0].members].includes(urnOf(D.tag, "api-tag")),
                "the source tag resolves to the Tag resource, so messages can name it",
            );
            assert.equal(db.service, "postgres", "the droplet tag `service:postgres`, read from the Tag resource's name");
        });
    }

    it("every layer says its rule word; a placement without a way in from the internet says why", () => {
        const resources = shop({}, { publicNetworking: false })
            .add(D.firewall, "db-fw", { inboundRules: [tcp("5432", {})] }, { tags: ["db-tag"], "inboundRules[0].sourceTags": ["api-tag"] })
            .add(
                D.db,
                "orders-db",
                { engine: "pg", version: "16", size: "db-s-1vcpu-1gb", region: "fra1", nodeCount: 1 },
                { privateNetworkUuid: "shop-vpc" },
            )
            .add(D.dbFirewall, "orders-db-fw", { rules: [{ type: "tag" }] }, { clusterId: "orders-db", "rules[0].value": "api-tag#name" })
            .add(
                D.lb,
                "int-lb",
                {
                    region: "fra1",
                    network: "INTERNAL",
                    firewall: { allows: ["cidr:10.110.0.0/20"] },
                    forwardingRules: [{ entryPort: 8080, entryProtocol: "http", targetPort: 8080, targetProtocol: "http" }],
                },
                { vpcUuid: "shop-vpc" },
            )
            .build("preview");
        const ws = graph(resources);
        const at = (n: string) => ws.find((w) => w.name === n)!.placements[0];
        assert.deepEqual(
            ["db-1", "orders-db", "int-lb"].map((n) => at(n).layers.map((l) => `${l.kind}: ${l.rule}`)),
            [
                ["Cloud Firewalls: firewall rule"],
                ["database firewall: trusted source rule"],
                ["load balancer firewall: load balancer firewall rule"],
            ],
        );
        assert.equal(at("db-1").internet, undefined);
        assert.equal(at("db-1").noInternet, "`db-1` has `publicNetworking: false`: no public address");
        assert.equal(at("int-lb").noInternet, "`int-lb` is an internal load balancer (`network: INTERNAL`)");
        assert.equal(at("orders-db").noInternet, undefined, "a managed cluster's public hostname is a way in");
    });

    for (const mode of ["preview", "update"] as const) {
        it(`${mode}: a load balancer with several forwarding rules fronts its droplets on every rule's target port and protocol`, () => {
            const resources = shop()
                .add(
                    D.lb,
                    "web-lb",
                    {
                        region: "fra1",
                        forwardingRules: [
                            { entryPort: 80, entryProtocol: "http", targetPort: 80, targetProtocol: "http" },
                            { entryPort: 443, entryProtocol: "https", targetPort: 443, targetProtocol: "https" },
                            { entryPort: 53, entryProtocol: "udp", targetPort: 5353, targetProtocol: "udp" },
                            // A second rule onto a target port already carried adds nothing.
                            { entryPort: 8080, entryProtocol: "http", targetPort: 80, targetProtocol: "http" },
                        ],
                    },
                    { vpcUuid: "shop-vpc", dropletTag: "api-tag#name" },
                )
                .build(mode);
            const lb = graph(resources).find((w) => w.name === "web-lb")!;
            assert.deepEqual(
                lb.fronts?.map((f) => `${f.targets.join()} ${f.protocol} ${f.port} ${f.passesClientAddress}`),
                [
                    `${urnOf(D.droplet, "api-1")} tcp 80 false`,
                    `${urnOf(D.droplet, "api-1")} tcp 443 false`,
                    `${urnOf(D.droplet, "api-1")} udp 5353 false`,
                ],
            );
            assert.deepEqual(
                [...lb.listens!.entries()].map(([p, ports]) => `${p} ${[...ports.intervals].join()}`),
                ["tcp 80,80,443,443,8080,8080", "udp 53,53"],
            );
        });
    }

    it("DOKS nodes carry `k8s`, `k8s-worker`, `k8s:<cluster id>` and their pool's tags; a pool of its own is a workload too", () => {
        const resources = shop()
            .add(
                D.cluster,
                "apps",
                {
                    region: "fra1",
                    version: "1.31.1-do.0",
                    nodePool: { name: "default", size: "s-2vcpu-4gb", nodeCount: 2, tags: ["service:api"] },
                },
                { vpcUuid: "shop-vpc" },
            )
            .add(D.pool, "workers", { name: "workers", size: "s-2vcpu-4gb", nodeCount: 3, tags: ["batch"] }, { clusterId: "apps" })
            .build("update");
        const ws = graph(resources);
        const apps = ws.find((w) => w.name === "apps")!;
        const workers = ws.find((w) => w.name === "workers")!;
        assert.equal(apps.service, "api");
        for (const key of [
            "digitalocean-tag:k8s",
            "digitalocean-tag:k8s-worker",
            `digitalocean-tag:k8s:${String(resources.find((r) => r.name === "apps")!.props.id)}`,
        ]) {
            assert.ok(workers.memberships.has(key), key);
        }
        assert.ok(workers.memberships.has("digitalocean-tag:batch"));
        assert.equal(workers.placements[0].label, "shop-vpc");
        assert.deepEqual(
            workers.placements[0].layers[0].resources.map((r) => r.name),
            ["DOKS-managed"],
        );
    });
});

describe("DigitalOcean graph: the messages, hop by hop", () => {
    it("no-internet-path-to-internal-ports names the public address, each Cloud Firewall and the rules that together admit the internet", () => {
        const resources = shop()
            .add(D.firewall, "db-fw", { inboundRules: [tcp("5432", { sourceAddresses: ["0.0.0.0/1"] })] }, { tags: ["db-tag"] })
            .add(D.firewall, "ops-fw", { inboundRules: [tcp("5432", { sourceAddresses: ["128.0.0.0/1"] })] }, { dropletIds: ["db-1"] })
            .add(D.firewall, "api-fw", { inboundRules: [tcp("8080", { sourceAddresses: ["10.110.0.0/20"] })] }, { tags: ["api-tag"] })
            .build("preview");
        const found = checkCase(noInternetPathToInternalPorts, { name: "", resources });
        assert.equal(found.mandatory.length, 1);
        assert.equal(
            found.mandatory[0].message.split("\n")[0],
            "The internet reaches tcp 5432 (postgres) on `db-1`: internet → public IPv4 address of droplet `db-1` → Cloud Firewalls `db-fw` and `ops-fw` " +
                "(`db-fw` inboundRules[0] (tcp 5432 from 0.0.0.0/1) and `ops-fw` inboundRules[0] (tcp 5432 from 128.0.0.0/1)) → `db-1`.",
        );
        // The fix is a droplet's: its firewalls and its public networking, no load balancer or database the stack does not have.
        assert.equal(
            found.mandatory[0].message.split("\n")[1],
            "Fix: close the path at one layer (narrow the Cloud Firewall's `inboundRules` `sourceAddresses`, or set `publicNetworking: false` on the droplet); " +
                "if a port must be public, mark its service `public: true` in ports.yaml.",
        );
        assert.deepEqual(found.advisory, []);
    });

    it("documented-flows-reachable names the client, the firewall without outbound rules, the leg and the destination, and how to fix it", () => {
        const resources = shop()
            .add(D.firewall, "db-fw", { inboundRules: [tcp("5432", {})] }, { tags: ["db-tag"], "inboundRules[0].sourceTags": ["api-tag"] })
            .add(D.firewall, "api-fw", { inboundRules: [tcp("8080", { sourceAddresses: ["10.110.0.0/20"] })] }, { tags: ["api-tag"] })
            .build("update");
        const found = checkCase(documentedFlowsReachable, { name: "", resources, registryYaml: FLOWS_REGISTRY() });
        assert.equal(found.mandatory.length, 1);
        assert.match(
            found.mandatory[0].message,
            /^`api-1` → `db-1` tcp 5432: the request dies at Cloud Firewalls `api-fw` outbound: no firewall rule allows tcp 5432 to 10\.110\.0\.\d+\/32\.\n/,
        );
        assert.match(found.mandatory[0].message, /\nFix: add a firewall rule to Cloud Firewalls `api-fw` that allows the flow\.$/);
    });

    it("explain follows the request out through the client's firewalls and in through the server's, naming the Tag resource of the admitting rule", () => {
        const resources = shop()
            .add(D.firewall, "db-fw", { inboundRules: [tcp("5432", {})] }, { tags: ["db-tag"], "inboundRules[0].sourceTags": ["api-tag"] })
            .add(D.firewall, "api-fw", { outboundRules: [tcp("5432", { destinationAddresses: ["10.110.0.0/20"] })] }, { tags: ["api-tag"] })
            .build("preview");
        const ws = graph(resources);
        const [api, db] = ["api-1", "db-1"].map((n) => ws.find((w) => w.name === n)!);
        const e = explainTcp(api, db, 5432);
        assert.equal(e.status, "pass");
        const steps = e.routes[0].steps.map(
            (s) =>
                `${s.leg} ${s.direction} ${s.layer?.resources.map((r) => r.name).join("+")} ${s.status} ${s.check?.admittedBy?.rule.origin ?? ""}`,
        );
        assert.deepEqual(
            steps,
            ["request outbound api-fw pass outboundRules[0]", "request inbound db-fw pass inboundRules[0]"],
            "stateful: no reply steps",
        );
        assert.deepEqual(
            [...e.routes[0].steps[1].check!.admittedBy!.members].filter((m) => m.startsWith("urn:")),
            [urnOf(D.tag, "api-tag")],
        );
    });
});
