// The Azure graph assembler with load balancers: each rule that forwards to a NIC is a way in of its
// own through the NIC's NSGs (the load balancer passes the client's address), carrying only the
// backend ports its front ports map to; `explain --from internet` shows the load balancer as a hop.
import { strict as assert } from "assert";
import { explain } from "../../policies/analysis/explain";
import { networkGraph } from "../../policies/analysis/graph";
import { formatPorts, portRange } from "../../policies/model/intervals";
import { Workload } from "../../policies/model/graph";
import { inbound } from "../cases/providers/azure-graph.cases";
import { classicLbStack, lbStack } from "../cases/providers/azure-lb.cases";
import { StackCase, stackIndexOf } from "../helpers";

function vm(rows: StackCase[]): Workload {
    return networkGraph(stackIndexOf(rows), "service").workloads.find((w) => w.name === "web-vm")!;
}

const fromInternet = (w: Workload, port: number) =>
    explain({ from: { kind: "internet" }, to: w, protocol: "tcp", ports: portRange(port, port), ephemeral: portRange(1024, 65535) });

const HTTP = { frontendPort: 80, backendPort: 8080, name: "http" };

describe("Azure graph: load balancers", () => {
    for (const mode of ["preview", "update"] as const) {
        it(`a rule of a public frontend is a way in through the NIC's NSGs, on its backend port only (${mode})`, () => {
            const w = vm(lbStack(mode, { subnetRules: [inbound(100, "Allow", "*", "Internet")], lb: { rules: [HTTP] } }));
            assert.deepEqual(
                w.placements.map((p) => p.label),
                ["web-subnet", "web-subnet through web-lb rule loadBalancingRules[0]"],
            );
            const [own, lb] = w.placements;
            assert.equal(own.internet, undefined, "no public IP of its own");
            assert.equal(lb.layers[0], own.layers[0], "the same NSG layer object: the load balancer passes the client's address");
            assert.deepEqual(
                lb.layers.map((l) => l.kind),
                ["subnet NSG"],
            );
            const path = lb.internet!;
            assert.deepEqual(
                path.hops.map((h) => h.resource?.name),
                ["lb-pip", "web-lb"],
            );
            assert.equal(path.closedWithoutFilters, true, "a Standard load balancer admits only what an NSG allows");
            assert.equal(formatPorts(path.ports!.get("tcp")!), "8080");
            assert.equal(path.ports!.get("udp"), undefined);
            assert.equal(formatPorts(path.front!.ports.get("tcp")!), "80");
            assert.deepEqual(path.front!.layers, []);
            assert.equal(path.unverifiable, undefined);
            assert.match(w.closeInternet ?? "", /backend pool or inbound NAT rule/);
        });
    }

    it("an internal frontend, or a rule of another pool, makes no way in", () => {
        const internal = vm(
            lbStack("update", { subnetRules: [inbound(100, "Allow", "*", "Internet")], lb: { internal: true, rules: [HTTP] } }),
        );
        assert.deepEqual(
            internal.placements.map((p) => p.label),
            ["web-subnet"],
        );
        assert.doesNotMatch(internal.closeInternet ?? "", /backend pool/);
        const other = vm(lbStack("update", { lb: { pools: ["pool", "admin"], rules: [{ ...HTTP, pool: "admin" }] } }));
        assert.equal(other.placements.length, 1);
    });

    it("protocol All forwards tcp and udp", () => {
        const w = vm(
            lbStack("update", {
                lb: { rules: [{ protocol: "All", frontendPort: 53, backendPort: 5353, name: "dns" }] },
            }),
        );
        const path = w.placements[1].internet!;
        assert.deepEqual([...path.ports!.keys()], ["tcp", "udp"]);
        assert.match(path.hops[1].text, /\(tcp and udp 53 → 5353\)$/);
    });

    it("explain --from internet: the load balancer's rule is a hop, the port it listens on is noted, and the NSGs are steps", () => {
        const w = vm(lbStack("update", { subnetRules: [inbound(100, "Allow", "8080", "Internet")], lb: { rules: [HTTP] } }));
        const e = fromInternet(w, 8080);
        assert.equal(e.status, "pass");
        const route = e.routes.find((r) => r.server.placement.label.includes("through"))!;
        assert.deepEqual(
            route.steps.map((s) => (s.hop ? s.hop.text : `${s.leg} ${s.layer!.kind}`) + ` ${s.status}`),
            [
                "public IP `lb-pip` (Standard SKU) pass",
                'load balancer `web-lb` rule loadBalancingRules[0] "http" (tcp 80 → 8080) pass',
                "request subnet NSG pass",
            ],
        );
        const own = e.routes.find((r) => r.server.placement.label === "web-subnet")!;
        assert.equal(own.status, "block");
        // Asked about the front port: the way in carries only the backend port it forwards to.
        const front = fromInternet(w, 80).routes.find((r) => r.server.placement.label.includes("through"))!;
        assert.equal(front.status, "block");
        assert.ok(
            front.notes.some(
                (n) => n === "tcp 80 is a port the way in listens on: it forwards to tcp 8080 of `web-vm`, the port to ask about",
            ),
            front.notes.join("\n"),
        );
    });

    it("an NSG that denies the backend port to the internet: the route through the load balancer dies there", () => {
        const w = vm(
            lbStack("update", {
                subnetRules: [inbound(100, "Deny", "8080", "Internet"), inbound(200, "Allow", "*", "*")],
                lb: { rules: [HTTP] },
            }),
        );
        const route = fromInternet(w, 8080).routes.find((r) => r.server.placement.label.includes("through"))!;
        assert.equal(route.status, "block");
        assert.deepEqual(
            route.steps.map((s) => s.status),
            ["pass", "pass", "block"],
        );
    });

    it("explain --from internet: a floating-IP rule is a doubt only where an NSG filters", () => {
        const ssh = { frontendPort: 22, backendPort: 22, floating: true };
        const through = (w: Workload) => fromInternet(w, 22).routes.find((r) => r.server.placement.label.includes("through"))!;
        const open = through(vm(lbStack("update", { pipSku: "Basic", lb: { sku: "Basic", rules: [ssh] } })));
        assert.equal(open.status, "pass", "no NSG reads the packet's address");
        assert.deepEqual(open.notes, []);
        const filtered = through(vm(lbStack("update", { subnetRules: [inbound(100, "Allow", "22", "Internet")], lb: { rules: [ssh] } })));
        assert.equal(filtered.status, "unknown");
        assert.match(filtered.notes.join("\n"), /uses floating IP \(`enableFloatingIP`\)/);
    });

    it("classic provider: pool and NAT rule associations put the NIC behind the rule and the NAT rule", () => {
        for (const mode of ["preview", "update"] as const) {
            const w = vm(classicLbStack(mode, []));
            assert.deepEqual(
                w.placements.map((p) => p.label),
                ["web-subnet", "web-subnet through example-lb rule http-rule", "web-subnet through example-lb NAT rule ssh-nat"],
                mode,
            );
            assert.equal(formatPorts(w.placements[2].internet!.ports!.get("tcp")!), "22");
        }
    });
});
