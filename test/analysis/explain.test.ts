// `explain` over hand-built graphs: every hop of a route with its outcome, the verdict per route and
// overall, and agreement with the judgements the graph policies make (checkFlow, internetReach).
import { strict as assert } from "assert";
import { explain, ExplainQuery, Source } from "../../policies/analysis/explain";
import { checkFlow, internetReach, peerOf } from "../../policies/analysis/paths";
import { describeStep } from "../../policies/kit/paths-wording";
import { cidrSet } from "../../policies/model/addresses";
import { ALL_PORTS, portRange } from "../../policies/model/intervals";
import { Layer, Workload } from "../../policies/model/graph";
import { UNKNOWN } from "../helpers";
import {
    acl,
    api,
    appAcl,
    appSg,
    dbAclFull,
    dbAclPartial,
    dbAclUnknown,
    dbSg,
    entry,
    EPHEMERAL,
    openAcl,
    placement,
    sg,
    tcp,
    workload,
} from "./graph-fixtures";

const PG = portRange(5432, 5432);
const query = (from: Source, to: Workload, ports = PG): ExplainQuery => ({ from, to, protocol: "tcp", ports, ephemeral: EPHEMERAL });
const lines = (q: ExplainQuery, peer: string) => {
    const e = explain(q);
    return e.routes[0].steps.map((s) => {
        const d = describeStep(s, "tcp", peer, q.from.kind === "internet");
        return `${d.where}: ${d.outcome}`;
    });
};

describe("explain: a documented client's route, hop by hop", () => {
    it("names every layer in travel order, the blocking one with its reason, and what the packet never reaches", () => {
        const db = workload("orders-db", ["sg-db"], [placement("db-a", "10.0.1.0/24", [dbAclPartial, dbSg])]);
        const q = query({ kind: "workload", workload: api }, db);
        const e = explain(q);
        assert.equal(e.status, "block");
        assert.deepEqual(
            e.routes[0].steps.map((s) => `${s.leg} ${s.layer?.kind} ${s.direction} ${s.status}`),
            [
                "request app-sg outbound pass",
                "request acl-app outbound pass",
                "request acl-db inbound pass",
                "request db-sg inbound pass",
                "reply acl-db outbound block",
                "reply acl-app inbound not-reached",
            ],
        );
        const text = lines(q, "10.0.0.0/24");
        assert.equal(text[0], "request out through app-sg `app-sg`: allowed by egress[0] (tcp 5432 to 10.0.1.0/24)");
        assert.equal(text[4], "reply out through acl-db `acl-db`: blocked: no network ACL entry allows tcp 1024-32767 to 10.0.0.0/24");
        assert.equal(text[5], "reply in through acl-app `acl-app`: not reached");
    });

    it("names an all-traffic rule as written, not as the asked protocol's every port (pulumi/examples aws-ts-langserve)", () => {
        const everything = { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] };
        const client = workload("lb-1", ["sg-lb"], [placement("app-a", "10.0.0.0/24", [sg("lb-sg", [], [everything])])]);
        const db = workload("orders-db", ["sg-db"], [placement("app-a", "10.0.0.0/24", [sg("db-sg", [everything])])]);
        assert.deepEqual(lines(query({ kind: "workload", workload: client }, db), "10.0.0.0/24"), [
            "request out through lb-sg `lb-sg`: allowed by egress[0] (all traffic to 0.0.0.0/0)",
            "request in through db-sg `db-sg`: allowed by ingress[0] (all traffic from 0.0.0.0/0)",
        ]);
    });

    it("agrees with checkFlow, the documented-flows-reachable judgement, on every layer combination", () => {
        const serverLayers: Layer[][] = [
            [dbAclFull, dbSg],
            [dbAclPartial, dbSg],
            [dbAclFull, sg("db-sg", [])],
            [dbAclFull, sg("db-sg", [tcp(5432, { cidrBlocks: ["10.0.0.0/16"] })])],
        ];
        const clients: Workload[] = [
            api,
            workload("api-2", ["sg-app"], [placement("app-a", "10.0.0.0/24", [appAcl, sg("app-sg", [], [])])]),
        ];
        for (const layers of serverLayers) {
            for (const c of clients) {
                const db = workload("orders-db", ["sg-db"], [placement("db-a", "10.0.1.0/24", layers)]);
                const flow = checkFlow(
                    { peer: peerOf(c, c.placements[0]), placement: c.placements[0] },
                    { peer: peerOf(db, db.placements[0]), placement: db.placements[0] },
                    "tcp",
                    PG,
                    EPHEMERAL,
                );
                assert.equal(
                    explain(query({ kind: "workload", workload: c }, db)).status,
                    flow.status,
                    `${c.name} → ${layers.map((l) => l.kind).join("+")}`,
                );
            }
        }
    });

    it("a client that may run in two subnets gets through only if it does from both", () => {
        const db = workload("orders-db", ["sg-db"], [placement("db-a", "10.0.1.0/24", [dbAclFull, dbSg])]);
        const outsider = acl("acl-other", [entry(100, "allow", 1024, 65535, "0.0.0.0/0")], [entry(100, "allow", 5432, 5432, "0.0.0.0/0")]);
        const twice = workload("api-x", ["sg-app"], [api.placements[0], placement("app-b", "10.0.9.0/24", [outsider, appSg])]);
        const e = explain(query({ kind: "workload", workload: twice }, db));
        assert.deepEqual(
            e.routes.map((r) => [r.client?.label, r.status]),
            [
                ["api-x (app-a)", "pass"],
                ["api-x (app-b)", "block"],
            ],
        );
        assert.equal(e.status, "block");
    });

    it("a CIDR outside the stack crosses only the server's layers", () => {
        const db = workload(
            "orders-db",
            ["sg-db"],
            [placement("db-a", "10.0.1.0/24", [dbAclFull, sg("db-sg", [tcp(5432, { cidrBlocks: ["10.0.0.0/24"] })])])],
        );
        const e = explain(query({ kind: "cidr", text: "10.0.0.0/25", addresses: cidrSet(["10.0.0.0/25"]) }, db));
        assert.equal(e.status, "pass");
        assert.deepEqual(
            e.routes[0].steps.map((s) => `${s.leg} ${s.layer?.kind}`),
            ["request acl-db", "request db-sg", "reply acl-db"],
        );
        assert.equal(explain(query({ kind: "cidr", text: "10.9.0.0/16", addresses: cidrSet(["10.9.0.0/16"]) }, db)).status, "block");
    });

    it("a route with no filter on it says so, and a network that is not known is named by its end", () => {
        const bare = workload("cache", [], [{ ...placement("pods", "10.0.9.0/24", []), network: undefined }]);
        const e = explain(query({ kind: "cidr", text: "10.1.2.3", addresses: cidrSet(["10.1.2.3"]) }, bare));
        assert.equal(e.status, "pass");
        assert.deepEqual(e.routes[0].steps, []);
        assert.deepEqual(e.routes[0].notes, ["no filter of this stack lies on this route"]);
        // api-1's network is known ("vpc"), the cache's is not.
        const fromApi = explain(query({ kind: "workload", workload: api }, bare));
        assert.ok(fromApi.routes[0].notes.includes("the network of the server is not known"), fromApi.routes[0].notes.join("; "));
    });

    it("a server any network reaches over the internet needs no network joining the client's to it", () => {
        const sql = (anyNetwork: boolean) =>
            workload("orders-db", [], [{ label: "public IP", layers: [], unverifiable: [], ...(anyNetwork ? { anyNetwork } : {}) }]);
        const out = sg("app-out", [], [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }]);
        const way = { internet: { hops: [], families: ["v4" as const] } };
        const app = workload("app", [], [{ ...placement("app-a", "10.0.0.0/24", [out]), network: "other-vpc", ...way }]);
        const e = explain(query({ kind: "workload", workload: app }, sql(true)));
        assert.equal(e.status, "pass", e.routes[0].notes.join("; "));
        // The client's own way out still decides.
        assert.deepEqual(
            e.routes[0].steps.map((s) => `${s.leg} ${s.side} ${s.layer?.kind} ${s.status}`),
            ["request client app-out pass"],
        );
        const closed = workload(
            "app",
            [],
            [{ ...placement("app-a", "10.0.0.0/24", [sg("app-out", [], [])]), network: "other-vpc", ...way }],
        );
        assert.equal(explain(query({ kind: "workload", workload: closed }, sql(true))).status, "block");
        // Without a public address of its own the client may have no way out at all.
        const inside = workload("app", [], [{ ...placement("app-a", "10.0.0.0/24", [out]), network: "other-vpc" }]);
        const noWay = explain(query({ kind: "workload", workload: inside }, sql(true)));
        assert.equal(noWay.status, "unknown");
        assert.match(noWay.routes[0].notes.join("; "), /^whether the client reaches the internet/);
        const other = explain(query({ kind: "workload", workload: app }, sql(false)));
        assert.equal(other.status, "unknown");
        assert.deepEqual(other.routes[0].notes, ["the network of the server is not known"]);
    });

    it("a workload that does not listen on the port: the packet arrives and nothing takes it", () => {
        const open = acl("acl-open", [entry(100, "allow", 0, 65535, "0.0.0.0/0")], [entry(100, "allow", 0, 65535, "0.0.0.0/0")]);
        const db = {
            ...workload(
                "orders-db",
                ["sg-db"],
                [placement("db-a", "10.0.1.0/24", [open, sg("db-sg", [tcp(22, { cidrBlocks: ["10.0.0.0/24"] })])])],
            ),
            listens: new Map([["tcp" as const, PG]]),
        };
        const e = explain(query({ kind: "cidr", text: "10.0.0.0/24", addresses: cidrSet(["10.0.0.0/24"]) }, db, portRange(22, 22)));
        assert.equal(e.status, "block");
        assert.deepEqual(e.routes[0].notes, ["`orders-db` does not listen on tcp 22"]);
    });

    it("an unknown entry on the way makes the route unverifiable, never passing", () => {
        const db = workload("orders-db", ["sg-db"], [placement("db-a", "10.0.1.0/24", [dbAclUnknown, dbSg])]);
        const e = explain(query({ kind: "workload", workload: api }, db));
        assert.equal(e.status, "unknown");
        const unknown = e.routes[0].steps.filter((s) => s.status === "unknown");
        assert.ok(
            unknown.length > 0 && unknown.every((s) => s.check?.reason?.includes("unknown until update")),
            lines(query({ kind: "workload", workload: api }, db), "api-1").join("; "),
        );
        // The step says why; the notes under the route do not say it again.
        assert.deepEqual(e.routes[0].notes, []);
    });
});

describe("explain: from the internet, through a load balancer that proxies to the workload", () => {
    const db = workload(
        "db",
        ["sg-db"],
        [placement("db-a", "10.0.1.0/24", [sg("db-sg", [tcp(5432, { cidrBlocks: ["10.0.0.0/16"] })])], true)],
    );
    const lbSg = sg("lb-sg", [tcp(443, { cidrBlocks: ["0.0.0.0/0"] })]);
    const lb = (over: Partial<Workload> = {}, layers = [lbSg], internet = true): Workload => ({
        ...workload("lb", ["sg-lb"], [placement("lb-a", "10.0.0.0/24", layers, internet)]),
        listens: new Map([["tcp", portRange(443, 443)]]),
        fronts: [{ targets: [db.urn], port: 5432, passesClientAddress: false }],
        ...over,
    });
    const notes = (fronts: Workload[]) => {
        const e = explain({ ...query({ kind: "internet" }, db), fronts });
        return { status: e.status, notes: e.routes.flatMap((r) => r.notes) };
    };

    it("the internet does not reach `db` itself, but the load balancer it reaches connects to it on the port: a note says so", () => {
        const r = notes([lb()]);
        assert.equal(r.status, "block");
        assert.deepEqual(
            r.notes.filter((n) => n.includes("load balancer")),
            [
                "the internet reaches load balancer `lb` (on tcp 443), which connects to `db` on tcp 5432 from its own addresses (explain --to lb for its path)",
            ],
        );
    });

    it("no note for a load balancer the internet does not reach, one that passes the client's address, one for another port, or a workload the internet reaches", () => {
        const none = (fronts: Workload[]) =>
            assert.deepEqual(
                notes(fronts).notes.filter((n) => n.includes("load balancer")),
                [],
            );
        none([lb({}, [lbSg], false)]);
        none([lb({}, [sg("lb-sg", [tcp(443, { cidrBlocks: ["10.0.0.0/8"] })])])]);
        none([lb({ fronts: [{ targets: [db.urn], port: 5432, passesClientAddress: true }] })]);
        none([lb({ fronts: [{ targets: [db.urn], port: 6379, passesClientAddress: false }] })]);
        none([lb({ fronts: [{ targets: ["urn:other"], port: 5432, passesClientAddress: false }] })]);
        const open = workload(
            "db",
            ["sg-db"],
            [placement("db-a", "10.0.1.0/24", [sg("db-sg", [tcp(5432, { cidrBlocks: ["0.0.0.0/0"] })])], true)],
        );
        const e = explain({
            ...query({ kind: "internet" }, open),
            fronts: [lb({ fronts: [{ targets: [open.urn], port: 5432, passesClientAddress: false }] })],
        });
        assert.equal(e.status, "pass");
        assert.deepEqual(
            e.routes.flatMap((r) => r.notes).filter((n) => n.includes("load balancer")),
            [],
        );
    });
});

describe("explain: from the internet", () => {
    const split = sg("db-sg+ops-sg", [tcp(5432, { cidrBlocks: ["0.0.0.0/1"] }), tcp(5432, { cidrBlocks: ["128.0.0.0/1"] })]);

    it("the world split over two rules gets through, every admitting rule named", () => {
        const db = workload("orders-db", [], [placement("public-a", "10.0.0.0/24", [openAcl, split], true)]);
        const q = query({ kind: "internet" }, db);
        assert.equal(explain(q).status, "pass");
        assert.deepEqual(lines(q, "the internet"), [
            "internet gateway igw: passes",
            "request in through public-acl `public-acl`: allowed by ingress[0] (rule 100) (tcp 5432 from 0.0.0.0/0)",
            "request in through db-sg+ops-sg `db-sg+ops-sg`: allowed by ingress[0] (tcp 5432 from 0.0.0.0/1) and ingress[1] (tcp 5432 from 128.0.0.0/1)",
            "reply out through public-acl `public-acl`: allowed by egress[0] (rule 100) (tcp 1024-65535 to 0.0.0.0/0)",
        ]);
    });

    it("a way in that forwards tcp 80 carries no other port and no other protocol: it blocks, saying so", () => {
        // A LoadBalancer Service on tcp 80 in front of pods that nothing isolates.
        const base = placement("the default namespace", "10.0.0.0/24", []);
        const web = workload(
            "web",
            [],
            [
                {
                    ...base,
                    internet: {
                        hops: [{ text: "LoadBalancer Service `web` (tcp 80 → 80)" }],
                        families: ["v4"],
                        ports: new Map([["tcp", portRange(80, 80)]]),
                    },
                },
            ],
        );
        const asked = (protocol: "tcp" | "udp" | "icmp", ports = portRange(80, 80)) => {
            const q: ExplainQuery = { from: { kind: "internet" }, to: web, protocol, ports, ephemeral: EPHEMERAL };
            const e = explain(q);
            return {
                status: e.status,
                lines: e.routes[0].steps.map((s) => describeStep(s, protocol, "the internet", true)),
                notes: e.routes[0].notes,
            };
        };
        assert.equal(asked("tcp").status, "pass");
        assert.deepEqual(asked("tcp", portRange(22, 22)), {
            status: "block",
            lines: [{ where: "LoadBalancer Service `web` (tcp 80 → 80)", outcome: "blocked: it carries only tcp 80" }],
            notes: [],
        });
        for (const p of ["udp", "icmp"] as const)
            assert.deepEqual(asked(p, p === "icmp" ? ALL_PORTS : portRange(53, 53)), {
                status: "block",
                lines: [{ where: "LoadBalancer Service `web` (tcp 80 → 80)", outcome: `blocked: it carries no ${p}` }],
                notes: [],
            });
    });

    it("part of the internet is not the internet: blocked, naming the rule that admits only part", () => {
        const db = workload(
            "orders-db",
            [],
            [placement("public-a", "10.0.0.0/24", [openAcl, sg("db-sg", [tcp(5432, { cidrBlocks: ["203.0.113.0/24"] })])], true)],
        );
        const q = query({ kind: "internet" }, db);
        assert.equal(explain(q).status, "block");
        assert.match(lines(q, "the internet")[2], /blocked: no security group rule admits the whole internet on tcp 5432/);
    });

    it("a union with an allow it cannot read is not a block: the allow might admit the internet", () => {
        const unread = sg("db-sg", [tcp(5432, { cidrBlocks: ["203.0.113.0/24"] }), tcp(5432, { cidrBlocks: [UNKNOWN] })]);
        const db = workload("orders-db", [], [placement("public-a", "10.0.0.0/24", [openAcl, unread], true)]);
        const q = query({ kind: "internet" }, db);
        assert.equal(explain(q).status, "unknown");
        assert.match(lines(q, "the internet")[2], /^request in through db-sg `db-sg`: .*unknown until update/);
    });

    it("no way in: blocked before any layer, saying why", () => {
        const db = workload(
            "orders-db",
            [],
            [
                {
                    ...placement("private-a", "10.0.1.0/24", [openAcl, split]),
                    noInternet: "`private-a` routes 0.0.0.0/0 to NAT gateway `nat`",
                },
            ],
        );
        const e = explain(query({ kind: "internet" }, db));
        assert.equal(e.status, "block");
        assert.deepEqual(e.routes[0].notes, ["`private-a` routes 0.0.0.0/0 to NAT gateway `nat`"]);
    });

    it("a reason that reaches a route twice is noted once (a subnet outside the stack is also a way in nobody can tell)", () => {
        const why = "`web` names no subnet: AWS puts it in the default VPC, outside this stack";
        const base = placement("a subnet outside this stack", "10.0.0.0/24", [split], true);
        const web = workload("web", [], [{ ...base, unverifiable: [why], internet: { ...base.internet!, unverifiable: why } }]);
        const e = explain(query({ kind: "internet" }, web));
        assert.deepEqual(e.routes[0].notes, [why]);
        assert.equal(e.status, "unknown");
    });

    it("a reason noted alone and again with what follows from it is noted once, in full", () => {
        const why = "the network of `vm` is unknown until update";
        const base = placement("an unknown network", "10.0.0.0/24", [split], true);
        const vm = workload(
            "vm",
            [],
            [{ ...base, unverifiable: [why], internet: { ...base.internet!, unverifiable: `${why}: its routes are not in the plan` } }],
        );
        const e = explain(query({ kind: "internet" }, vm));
        assert.deepEqual(e.routes[0].notes, [`${why}: its routes are not in the plan`]);
    });

    it("exposure through any one placement is exposure", () => {
        const db = workload(
            "orders-db",
            [],
            [placement("private-a", "10.0.1.0/24", [openAcl, split]), placement("public-a", "10.0.0.0/24", [openAcl, split], true)],
        );
        const e = explain(query({ kind: "internet" }, db));
        assert.deepEqual(
            e.routes.map((r) => r.status),
            ["block", "pass"],
        );
        assert.equal(e.status, "pass");
    });

    it("agrees with internetReach, the no-internet-path-to-internal-ports judgement, on every layer combination", () => {
        const acls: Layer[] = [
            openAcl,
            acl("half", [entry(100, "allow", 0, 65535, "0.0.0.0/1")], [entry(100, "allow", 0, 65535, "0.0.0.0/0")]),
            acl("in-only", [entry(100, "allow", 0, 65535, "0.0.0.0/0")], [entry(100, "allow", 443, 443, "0.0.0.0/0")]),
            acl(
                "deny-few",
                [entry(90, "deny", 0, 65535, "198.51.100.0/24"), entry(100, "allow", 0, 65535, "0.0.0.0/0")],
                [entry(100, "allow", 1024, 65535, "0.0.0.0/0")],
            ),
            acl(
                "unknown",
                [
                    {
                        ruleNo: 90,
                        action: "deny",
                        protocol: "tcp",
                        fromPort: 5432,
                        toPort: 5432,
                        cidrBlock: UNKNOWN,
                    },
                    entry(100, "allow", 0, 65535, "0.0.0.0/0"),
                ],
                [entry(100, "allow", 0, 65535, "0.0.0.0/0")],
            ),
        ];
        const groups: Layer[] = [
            split,
            sg("world", [tcp(5432, { cidrBlocks: ["0.0.0.0/0"] })]),
            sg("upper", [tcp(5432, { cidrBlocks: ["128.0.0.0/1"] })]),
            sg("ssh", [tcp(22, { cidrBlocks: ["0.0.0.0/0"] })]),
        ];
        let seen = 0;
        for (const a of acls) {
            for (const g of groups) {
                const p = placement("public-a", "10.0.0.0/24", [a, g], true);
                const reach = internetReach(p, EPHEMERAL).filter((r) => r.protocol === "tcp" && r.ports.containsSet(PG));
                const expected = reach.length === 0 ? "block" : reach.some((r) => !r.unproven) ? "pass" : "unknown";
                assert.equal(explain(query({ kind: "internet" }, workload("db", [], [p]))).status, expected, `${a.kind} + ${g.kind}`);
                seen++;
            }
        }
        assert.equal(seen, 20);
    });
});
