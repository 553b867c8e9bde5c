// The join of NodePort ways in and the nodes of their cluster (analysis/nodes.ts), on hand-built
// workloads, and what the two graph policies and explain make of the joined way in on a GKE stack:
// the node pool's hops, its firewall on the node port, the Service, then the pods' own layers.
import { strict as assert } from "assert";
import { explain } from "../../policies/analysis/explain";
import { assemblersFor, focusedGraph, networkGraph } from "../../policies/analysis/graph";
import { joinNodes } from "../../policies/analysis/nodes";
import { checkFlow, internetReach } from "../../policies/analysis/paths";
import { describeStep } from "../../policies/kit/paths-wording";
import { cidrSet } from "../../policies/model/addresses";
import { formatPorts, PortSet, portRange } from "../../policies/model/intervals";
import { NodeWay, Placement, Workload } from "../../policies/model/graph";
import { stackIndexOf } from "../helpers";
import { gkeStack, Mode } from "../cases/providers/nodeports-graph-stacks";
import { EPHEMERAL, placement, sg, tcp, workload } from "./graph-fixtures";

const tcpPorts = (p: PortSet) => new Map([["tcp" as const, p]]);

/** A pod workload `web` whose one way in is the node ports of a Service of cluster `cluster` (30080 → 8080). */
function pods(cluster: string, annotations: string[] = []): Workload {
    const nodes: NodeWay = {
        cluster,
        hop: { resource: { urn: "urn:svc", name: "web-svc" }, text: "NodePort Service `web-svc` (tcp 30080 → 8080)" },
        ports: tcpPorts(portRange(30080, 30080)),
        forwards: new Map([["tcp", [{ ports: portRange(30080, 30080), targets: portRange(8080, 8080) }]]]),
        annotations,
    };
    const p: Placement = {
        label: "default",
        network: "kubernetes cluster",
        layers: [],
        unverifiable: [],
        internet: {
            hops: [{ text: "node ports of NodePort Service `web-svc` on every node (tcp 30080 → 8080)" }],
            families: ["v4"],
            ports: tcpPorts(portRange(8080, 8080)),
            unverifiable: "outside this stack",
            nodes,
        },
    };
    return workload("web", [], [p]);
}

const nodeFw = (cidr: string) => sg("allow-nodeports", [tcp(30080, { cidrBlocks: [cidr] })]);

/** Nodes of `cluster`: one placement with a way in from the internet through `layer`'s rules. */
function nodes(cluster: string, cidr = "0.0.0.0/0", internet = true): Workload {
    const w = workload("pool-a", [], [placement("nodes-subnet", "10.20.0.0/20", [nodeFw(cidr)], internet)]);
    if (!internet) w.placements[0].noInternet = "they are private";
    return { ...w, nodesOf: { cluster, label: "node pool `pool-a`" } };
}

describe("the join of NodePort ways in and their cluster's nodes", () => {
    it("leaves a way in whose cluster has no nodes in the stack as the Kubernetes assembler wrote it", () => {
        const w = pods("urn:gke");
        const before = w.placements[0];
        joinNodes([w, nodes("urn:other")]);
        assert.equal(w.placements.length, 1);
        assert.equal(w.placements[0], before);
        assert.equal(w.placements[0].internet?.unverifiable, "outside this stack");
    });

    it("follows it through the nodes: their hops, then the Service; their layers as the front on the node ports", () => {
        const w = pods("urn:gke");
        const n = nodes("urn:gke");
        joinNodes([w, n]);
        const p = w.placements[0];
        assert.equal(p.label, "default on pool-a");
        assert.deepEqual(
            p.internet?.hops.map((h) => h.text),
            // The nodes by their name, where their own hops do not name them.
            ["internet gateway igw", "node pool `pool-a`", "NodePort Service `web-svc` (tcp 30080 → 8080)"],
        );
        assert.equal(p.internet?.front?.at, 2);
        assert.equal(p.internet?.front?.clients, true);
        assert.equal(p.internet?.front?.layers[0], n.placements[0].layers[0]);
        assert.equal(formatPorts(p.internet.front.ports.get("tcp")!), "30080");
        assert.equal(p.internet?.unverifiable, undefined);
        assert.equal(p.internet?.nodes, undefined);
        // The world reaches the target port through the node port's firewall.
        const reach = internetReach(p, EPHEMERAL);
        assert.deepEqual(
            reach.map((e) => `${e.protocol} ${formatPorts(e.ports)} ${e.unproven}`),
            ["tcp 8080 false"],
        );
    });

    it("is closed where the node firewall admits no one from the internet, and blocks a documented client it does not admit", () => {
        const w = pods("urn:gke");
        joinNodes([w, nodes("urn:gke", "10.0.0.0/8")]);
        const p = w.placements[0];
        assert.deepEqual(internetReach(p, EPHEMERAL), []);
        const client = { peer: { addresses: cidrSet(["198.51.100.0/24"]), memberships: new Set<string>(), key: "c", label: "c" } };
        const server = { peer: { memberships: w.memberships, key: "s", label: "s" }, placement: p };
        const r = checkFlow(client, server, "tcp", portRange(8080, 8080), EPHEMERAL);
        assert.equal(r.status, "block");
        assert.equal(r.blocked?.layer.kind, "allow-nodeports");
        assert.equal(formatPorts(r.blocked.check.ports!), "30080");
        const inside = { peer: { addresses: cidrSet(["10.1.0.0/24"]), memberships: new Set<string>(), key: "i", label: "i" } };
        assert.equal(checkFlow(inside, server, "tcp", portRange(8080, 8080), EPHEMERAL).status, "pass");
    });

    it("has no way in from the internet through nodes that have none, and says why", () => {
        const w = pods("urn:gke");
        joinNodes([w, nodes("urn:gke", "0.0.0.0/0", false)]);
        const p = w.placements[0];
        assert.equal(p.internet, undefined);
        assert.equal(p.noInternet, "the NodePort way in reaches the pods through the nodes of node pool `pool-a`, and they are private");
    });

    it("crosses a cloud's own node port filter unless the Service carries its opt-out annotation", () => {
        const open = sg("managed", [tcp(30080, { cidrBlocks: ["0.0.0.0/0"] })]);
        const n = nodes("urn:doks", "10.0.0.0/8");
        n.placements[0].nodePorts = { layers: [open], optOut: "managed=false" };
        const managed = pods("urn:doks");
        const optedOut = pods("urn:doks", ["managed=false"]);
        joinNodes([managed, optedOut, n]);
        assert.equal(managed.placements[0].internet?.front?.layers[0], open);
        assert.equal(internetReach(managed.placements[0], EPHEMERAL).length, 1);
        assert.equal(optedOut.placements[0].internet?.front?.layers[0], n.placements[0].layers[0]);
        assert.deepEqual(internetReach(optedOut.placements[0], EPHEMERAL), []);
    });

    it("leaves the way in outside the stack where the nodes' own network is not in it", () => {
        const w = pods("urn:gke");
        const before = w.placements[0];
        const n = nodes("urn:gke");
        joinNodes([w, { ...n, nodesOf: { ...n.nodesOf!, outside: "network `default` is outside this stack" } }]);
        assert.equal(w.placements[0], before);
    });

    it("gives one way in per node placement: each node pool of the cluster is one", () => {
        const w = pods("urn:gke");
        const b = { ...nodes("urn:gke"), urn: "urn:pool-b", name: "pool-b" };
        joinNodes([w, nodes("urn:gke"), b]);
        assert.deepEqual(
            w.placements.map((p) => p.label),
            ["default on pool-a", "default on pool-b"],
        );
    });
});

describe("a NodePort Service of a GKE cluster of the stack, explained", () => {
    const graph = (mode: Mode, o: Parameters<typeof gkeStack>[1] = {}) => {
        const stack = stackIndexOf(gkeStack(mode, o));
        return { stack, g: networkGraph(stack, "service") };
    };

    for (const mode of ["preview", "update"] as const) {
        it(`from the internet: the node pool, its firewall on the node port, the Service, then the pods (${mode})`, () => {
            const { g } = graph(mode);
            const web = g.workloads.find((w) => w.name === "web")!;
            const e = explain({ from: { kind: "internet" }, to: web, protocol: "tcp", ports: portRange(8080, 8080), ephemeral: EPHEMERAL });
            assert.equal(e.status, "pass");
            const steps = e.routes[0].steps.map((s) => {
                const d = describeStep(s, "tcp", "the internet", true);
                return `${d.where}: ${d.outcome}`;
            });
            assert.deepEqual(steps, [
                "network `vpc` (default route 0.0.0.0/0 → default internet gateway): passes",
                "node pool `pool-a` (external IPs, subnetwork `web-subnet`): passes",
                "request in through firewall of network `vpc`: allowed by `allow-nodeports` allows[0] (priority 1000) (tcp 30080 from 0.0.0.0/0)",
                "NodePort Service `web-svc` (tcp 30080 → 8080): passes",
            ]);
        });

        it(`from an address block the node firewall does not admit: blocked at the node port (${mode})`, () => {
            const { stack, g } = graph(mode, { firewall: { sources: ["203.0.113.0/24"] } });
            const web = g.workloads.find((w) => w.name === "web")!;
            const q = {
                from: { kind: "cidr" as const, text: "198.51.100.0/24", addresses: cidrSet(["198.51.100.0/24"]) },
                to: web,
                protocol: "tcp" as const,
                ports: portRange(8080, 8080),
                ephemeral: EPHEMERAL,
            };
            const e = explain(q);
            assert.equal(e.status, "block");
            const step = e.routes[0].steps[0];
            assert.equal(describeStep(step, "tcp", "198.51.100.0/24").where, "request in through firewall of network `vpc`");
            assert.match(
                describeStep(step, "tcp", "198.51.100.0/24").outcome,
                /^blocked: no firewall rule allows tcp 30080 from 198\.51\.100\.0\/24/,
            );
            // The focused graph explain builds gives the same answer.
            const focused = focusedGraph(stack, "service", new Set([web.urn]), assemblersFor([web.type])).workloads.find(
                (w) => w.urn === web.urn,
            )!;
            assert.deepStrictEqual(focused.placements, web.placements);
        });
    }

    it("names the nodes that are not reached: private nodes have no external IP", () => {
        const { g } = graph("update", { privateNodes: true });
        const web = g.workloads.find((w) => w.name === "web")!;
        assert.equal(
            web.placements[0].noInternet,
            "the NodePort way in reaches the pods through the nodes of node pool `pool-a`, and the nodes of node pool `pool-a` are private (`enablePrivateNodes`): they have no external IP",
        );
    });
});
