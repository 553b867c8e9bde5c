// Paths through a hand-built network graph: what the internet reaches across layers, and whether a
// client's request and its replies get through, layer by layer.
import { strict as assert } from "assert";
import { checkFlow, checkLayer, internetReach, peerOf } from "../../policies/analysis/paths";
import { cidrSet } from "../../policies/model/addresses";
import { formatPorts, portRange } from "../../policies/model/intervals";
import { Layer, Placement, Workload } from "../../policies/model/graph";
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

describe("paths: the whole internet across layers", () => {
    it("the world split over two security groups of one workload is the world", () => {
        const p = placement(
            "public-a",
            "10.0.0.0/24",
            [openAcl, sg("db-sg+ops-sg", [tcp(5432, { cidrBlocks: ["0.0.0.0/1"] }), tcp(5432, { cidrBlocks: ["128.0.0.0/1"] })])],
            true,
        );
        const reach = internetReach(p, EPHEMERAL);
        assert.deepEqual(
            reach.map((r) => [r.protocol, formatPorts(r.ports), r.family, r.unproven]),
            [["tcp", "5432", "v4", false]],
        );
    });

    it("halves admitted by different layers are not the world", () => {
        const half = acl("half-acl", [entry(100, "allow", 0, 65535, "0.0.0.0/1")], [entry(100, "allow", 0, 65535, "0.0.0.0/0")]);
        const p = placement("public-a", "10.0.0.0/24", [half, sg("sg", [tcp(5432, { cidrBlocks: ["128.0.0.0/1"] })])], true);
        assert.deepEqual(internetReach(p, EPHEMERAL), []);
    });

    it("no reply through a stateless layer means no connection", () => {
        const noReply = acl("in-only", [entry(100, "allow", 0, 65535, "0.0.0.0/0")], [entry(100, "allow", 443, 443, "0.0.0.0/0")]);
        const p = placement("public-a", "10.0.0.0/24", [noReply, sg("sg", [tcp(5432, { cidrBlocks: ["0.0.0.0/0"] })])], true);
        assert.deepEqual(internetReach(p, EPHEMERAL), []);
    });

    it("a placement without a way in from the internet is not reached", () => {
        const p = placement("private-a", "10.0.1.0/24", [openAcl, sg("sg", [tcp(5432, { cidrBlocks: ["0.0.0.0/0"] })])], false);
        assert.deepEqual(internetReach(p, EPHEMERAL), []);
    });
});

describe("paths: documented flows", () => {
    const flow = (db: Workload) =>
        checkFlow(
            { peer: peerOf(api, api.placements[0]), placement: api.placements[0] },
            { peer: peerOf(db, db.placements[0]), placement: db.placements[0] },
            "tcp",
            portRange(5432, 5432),
            EPHEMERAL,
        );

    it("gets through when every layer admits the request and every reply port", () => {
        const db = workload("orders-db", ["sg-db"], [placement("db-a", "10.0.1.0/24", [dbAclFull, dbSg])]);
        const r = flow(db);
        assert.equal(r.status, "pass", JSON.stringify(r.blocked?.check));
        assert.deepEqual(
            r.steps.map((s) => `${s.leg} ${s.side} ${s.layer.kind} ${s.direction} ${s.check.status}`),
            [
                "request client app-sg outbound pass",
                "request client acl-app outbound pass",
                "request server acl-db inbound pass",
                "request server db-sg inbound pass",
                "reply server acl-db outbound pass",
                "reply client acl-app inbound pass",
            ],
        );
    });

    it("a return-traffic entry for 32768-65535 while ephemeralPorts is 1024-65535: the reply dies for 1024-32767", () => {
        const db = workload("orders-db", ["sg-db"], [placement("db-a", "10.0.1.0/24", [dbAclPartial, dbSg])]);
        const r = flow(db);
        assert.equal(r.status, "block");
        assert.equal(r.blocked?.leg, "reply");
        assert.equal(r.blocked?.layer.kind, "acl-db");
        assert.equal(r.blocked?.direction, "outbound");
        assert.equal(formatPorts(r.blocked.check.ports!), "1024-32767");
        assert.equal(r.blocked?.check.rule, undefined, "no entry allows it");
    });

    it("a security group that does not reference the client's group blocks the request, naming no rule", () => {
        const db = workload(
            "orders-db",
            ["sg-db"],
            [placement("db-a", "10.0.1.0/24", [dbAclFull, sg("db-sg", [tcp(5432, { securityGroups: ["sg-other"] })])])],
        );
        const r = flow(db);
        assert.equal(r.status, "block");
        assert.equal(r.blocked?.leg, "request");
        assert.equal(r.blocked?.layer.kind, "db-sg");
    });

    it("a client group without egress reaches nothing", () => {
        const silent = workload("api-2", ["sg-app"], [placement("app-a", "10.0.0.0/24", [appAcl, sg("app-sg", [], [])])]);
        const db = workload("orders-db", ["sg-db"], [placement("db-a", "10.0.1.0/24", [dbAclFull, dbSg])]);
        const r = checkFlow(
            { peer: peerOf(silent, silent.placements[0]), placement: silent.placements[0] },
            { peer: peerOf(db, db.placements[0]), placement: db.placements[0] },
            "tcp",
            portRange(5432, 5432),
            EPHEMERAL,
        );
        assert.equal(r.blocked?.layer.kind, "app-sg");
        assert.equal(r.blocked?.direction, "outbound");
    });

    it("an earlier deny in an ordered layer blocks, naming the deny", () => {
        const denying = acl(
            "acl-db",
            [entry(90, "deny", 5432, 5432, "10.0.0.0/16"), entry(100, "allow", 5432, 5432, "10.0.0.0/24")],
            [entry(100, "allow", 1024, 65535, "0.0.0.0/0")],
        );
        const db = workload("orders-db", ["sg-db"], [placement("db-a", "10.0.1.0/24", [denying, dbSg])]);
        const r = flow(db);
        assert.equal(r.blocked?.check.rule?.rule.origin, "ingress[0]");
    });

    it("traffic inside one subnet crosses no ACL", () => {
        const blockAll = acl("acl-shared", [], []);
        const same = (name: string, m: string, s: Layer) =>
            workload(name, [m], [{ ...placement("shared", "10.0.2.0/24", [blockAll, s]), segment: "shared" }]);
        const a = same("api-3", "sg-app", appSg);
        const d = same("orders-db-2", "sg-db", dbSg);
        const r = checkFlow(
            { peer: peerOf(a, a.placements[0]), placement: a.placements[0] },
            { peer: peerOf(d, d.placements[0]), placement: d.placements[0] },
            "tcp",
            portRange(5432, 5432),
            EPHEMERAL,
        );
        assert.equal(r.status, "block", "app-sg only allows egress to 10.0.1.0/24");
        assert.equal(r.blocked?.layer.kind, "app-sg");
        assert.ok(r.steps.every((s) => s.layer.kind !== "acl-shared"));
    });

    it("an unknown entry in an ordered layer leaves the flow unverifiable, a known block stays a block", () => {
        const db = workload("orders-db", ["sg-db"], [placement("db-a", "10.0.1.0/24", [dbAclUnknown, dbSg])]);
        assert.equal(flow(db).status, "unknown");
        const blockedToo = workload("orders-db", ["sg-db"], [placement("db-a", "10.0.1.0/24", [dbAclUnknown, sg("db-sg", [])])]);
        assert.equal(flow(blockedToo).status, "block");
    });

    it("checkLayer: a union of allows is proved by a known allow, though another rule cannot tell whether it matches the peer", () => {
        // The peer's addresses are not known (a pod): the CIDR rule may or may not match it, the group reference does.
        const both = sg("both", [tcp(5432, { cidrBlocks: ["10.0.0.0/8"] }), tcp(5432, { securityGroups: ["sg-app"] })]);
        const peer = { memberships: new Set(["sg-app"]), key: "k", label: "l" };
        assert.equal(checkLayer(both, "inbound", "tcp", portRange(5432, 5432), peer).status, "pass");
        const cidrOnly = sg("cidr-only", [tcp(5432, { cidrBlocks: ["10.0.0.0/8"] })]);
        const c = checkLayer(cidrOnly, "inbound", "tcp", portRange(5432, 5432), peer);
        assert.equal(c.status, "unknown", "only the unknown match: never a block");
        assert.equal(
            c.status === "unknown" && c.reason,
            "whether the addresses of l are in the ranges of `cidr-only` ingress[0] is not known",
        );
        const denyFirst = acl("ordered", [entry(90, "deny", 5432, 5432, UNKNOWN), entry(100, "allow", 5432, 5432, "0.0.0.0/0")], []);
        assert.equal(
            checkLayer(denyFirst, "inbound", "tcp", portRange(5432, 5432), { ...peer, addresses: cidrSet(["10.0.0.0/24"]) }).status,
            "unknown",
            "an ordered layer's unknown entry still decides",
        );
    });

    it("checkLayer: an allow whose ports are unknown until update proves nothing, though its peers match", () => {
        const peer = { addresses: cidrSet(["10.0.0.0/24"]), memberships: new Set<string>(), key: "k", label: "l" };
        const unknownPorts = sg("unknown-ports", [{ protocol: "tcp", fromPort: UNKNOWN, toPort: 5432, cidrBlocks: ["10.0.0.0/8"] }]);
        assert.equal(checkLayer(unknownPorts, "inbound", "tcp", portRange(5432, 5432), peer).status, "unknown");
        const plusKnown = sg("plus-known", [
            { protocol: "tcp", fromPort: UNKNOWN, toPort: 5432, cidrBlocks: ["10.0.0.0/8"] },
            tcp(5432, { cidrBlocks: ["10.0.0.0/16"] }),
        ]);
        assert.equal(checkLayer(plusKnown, "inbound", "tcp", portRange(5432, 5432), peer).status, "pass");
        assert.equal(
            checkLayer(unknownPorts, "inbound", "udp", portRange(5432, 5432), peer).status,
            "block",
            "a tcp rule never matches udp, whatever its ports",
        );
    });

    it("checkLayer: in a union of allows a known allow proves the layer, whatever else is unknown; without one it stays unknown", () => {
        const unknownCidr = tcp(5432, { cidrBlocks: [UNKNOWN] });
        const peer = { addresses: cidrSet(["10.0.0.0/24"]), memberships: new Set<string>(), key: "k", label: "l" };
        for (const rules of [
            [tcp(5432, { cidrBlocks: ["10.0.0.0/24"] }), unknownCidr],
            [unknownCidr, tcp(5432, { cidrBlocks: ["10.0.0.0/16"] })],
        ]) {
            assert.equal(checkLayer(sg("db-sg", rules), "inbound", "tcp", portRange(5432, 5432), peer).status, "pass");
        }
        assert.equal(
            checkLayer(
                sg("db-sg", [unknownCidr, tcp(5432, { cidrBlocks: ["10.9.0.0/16"] })]),
                "inbound",
                "tcp",
                portRange(5432, 5432),
                peer,
            ).status,
            "unknown",
        );
        // An ordered layer is not proved by an allow after an unknown entry: the entry may deny first.
        const ordered = acl("acl", [entry(90, "deny", 5432, 5432, UNKNOWN), entry(100, "allow", 5432, 5432, "10.0.0.0/24")], []);
        assert.equal(checkLayer(ordered, "inbound", "tcp", portRange(5432, 5432), peer).status, "unknown");
    });

    it("checkLayer: a reference that names one of several candidates does not match a peer carrying none of them", () => {
        const base = sg("db-sg", [tcp(5432, { cidrBlocks: [UNKNOWN] })]);
        const ambiguous: Layer = {
            ...base,
            inbound: base.inbound.map((r) => ({
                ...r,
                addresses: cidrSet([]),
                rule: { ...r.rule, peers: { ...r.rule.peers, unknown: false } },
                unknown: true,
                candidates: new Set(["tag-web", "tag-bastion"]),
            })),
        };
        const peer = (m: string) => ({ addresses: cidrSet(["10.0.0.0/24"]), memberships: new Set([m]), key: m, label: m });
        assert.equal(checkLayer(ambiguous, "inbound", "tcp", portRange(5432, 5432), peer("tag-api")).status, "block");
        assert.equal(checkLayer(ambiguous, "inbound", "tcp", portRange(5432, 5432), peer("tag-web")).status, "unknown");
    });

    it("checkLayer: a rule matching part of the peer's addresses lets the rest fall through to the next", () => {
        const split = acl("split", [entry(100, "allow", 22, 22, "10.0.0.0/25"), entry(110, "deny", 22, 22, "0.0.0.0/0")], []);
        const c = checkLayer(split, "inbound", "tcp", portRange(22, 22), {
            addresses: cidrSet(["10.0.0.0/24"]),
            memberships: new Set(),
            key: "k",
            label: "l",
        });
        assert.equal(c.status, "block");
        assert.equal(c.rule?.rule.origin, "ingress[1]");
    });
});

describe("paths: ways in that carry some ports only", () => {
    const targetSg = sg("app-sg", [tcp(8080, { cidrBlocks: ["0.0.0.0/0"] }), tcp(22, { cidrBlocks: ["0.0.0.0/0"] })]);
    const via = (frontLayers: Layer[], extra: Partial<Placement["internet"]> = {}): Placement => ({
        ...placement("app-a", "10.0.1.0/24", [openAcl, targetSg]),
        internet: {
            hops: [{ text: "network load balancer nlb" }],
            families: ["v4"],
            ports: new Map([["tcp", portRange(8080, 8080)]]),
            front: { layers: frontLayers, ports: new Map([["tcp", portRange(443, 443)]]) },
            ...extra,
        },
    });

    it("a load balancer that forwards 443 to 8080 carries 8080 only, though the target's group also admits 22", () => {
        const reach = internetReach(via([openAcl]), EPHEMERAL);
        assert.deepEqual(
            reach.map((r) => [r.protocol, formatPorts(r.ports), r.unproven]),
            [["tcp", "8080", false]],
        );
    });

    it("the front's own layers must let the world in on its listener port", () => {
        const closed = acl("lb-acl", [entry(100, "allow", 80, 80, "0.0.0.0/0")], [entry(100, "allow", 0, 65535, "0.0.0.0/0")]);
        assert.deepEqual(internetReach(via([closed]), EPHEMERAL), []);
    });

    it("a way in that cannot be told yet makes what it reaches unproven, never clean", () => {
        const p: Placement = {
            ...placement("public-a", "10.0.0.0/24", [openAcl, targetSg]),
            internet: { hops: [], families: ["v4"], unverifiable: "the route's target is unknown until update" },
        };
        assert.deepEqual(
            internetReach(p, EPHEMERAL).map((r) => [formatPorts(r.ports), r.unproven]),
            [["22, 8080", true]],
        );
    });
});
