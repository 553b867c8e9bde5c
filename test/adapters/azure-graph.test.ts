// The Azure graph assembler on its own: the graph it builds (layers in order, one Layer object per
// NSG, machine and network shape, Azure's default rules after the NSG's own, peered networks) and the
// prose of the two policies' messages on Azure stacks, hop by hop, in Azure's terms.
import { strict as assert } from "assert";
import { assemblers, normalise } from "../../policies/adapters";
import { networkGraph } from "../../policies/analysis/graph";
import { StackIndex } from "../../policies/analysis/stack-index";
import { Workload } from "../../policies/model/graph";
import { StackResource } from "../../policies/model/stack";
import { policies } from "../../policies";
import { AZ, azure, GRAPH_REGISTRY, inbound, outbound, Spec, VPN_REGISTRY } from "../cases/providers/azure-graph.cases";
import { checkCase, StackCase, urnOf } from "../helpers";

function graph(rows: StackCase[]): Workload[] {
    const resources: StackResource[] = rows.map((r) => ({ urn: urnOf(r.type, r.name), name: r.name, type: r.type, model: normalise(r.type, r.props), dependencies: r.propertyDependencies ?? {} }));
    return networkGraph(new StackIndex(resources), "service").workloads;
}

const policy = (name: string) => policies.find((p) => p.meta.name === name)!;
function messages(name: string, rows: StackCase[], registryYaml = GRAPH_REGISTRY): string[] {
    const f = checkCase(policy(name), { name: "", resources: rows, registryYaml });
    return [...f.mandatory, ...f.advisory].map((x) => x.message);
}

const VNET = { name: "main-vnet", space: ["10.0.0.0/16"] };
const SPEC: Spec = {
    vnets: [VNET],
    nsgs: [
        { name: "web-nsg", rules: [inbound(100, "Allow", "22", "Internet"), inbound(110, "Allow", "443", "Internet")] },
        { name: "web-nic-nsg", rules: [inbound(200, "Allow", "22", "0.0.0.0/0")] },
        { name: "db-nsg", rules: [inbound(100, "Allow", "5432", "10.0.1.0/24")] },
        { name: "db-nic-nsg", rules: [inbound(100, "Deny", "5432", "10.0.0.0/16")] },
    ],
    subnets: [
        { name: "web-subnet", vnet: "main-vnet", prefix: "10.0.1.0/24", nsg: "web-nsg" },
        { name: "db-subnet", vnet: "main-vnet", prefix: "10.0.2.0/24", nsg: "db-nsg" },
    ],
    pips: [{ name: "web-pip" }],
    vms: [
        { name: "web-1", subnet: "web-subnet", service: "app", nsg: "web-nic-nsg", pip: "web-pip" },
        { name: "web-2", subnet: "web-subnet", service: "app", nsg: "web-nic-nsg" },
        { name: "orders-db", subnet: "db-subnet", service: "postgres", nsg: "db-nic-nsg", ip: "10.0.2.10" },
    ],
};

describe("Azure graph assembler", () => {
    it("is registered, and places nothing in a stack without Azure machines", () => {
        assert.ok(assemblers.some((a) => a.provider === "azure"));
        assert.deepEqual(graph(azure("update", { ...SPEC, vms: [] })), []);
    });

    for (const mode of ["preview", "update"] as const) {
        it(`places each machine in its subnet behind the subnet NSG, then the NIC NSG (${mode})`, () => {
            const [web1, web2, db] = graph(azure(mode, SPEC));
            assert.deepEqual([web1.name, web1.service, web1.placements.length], ["web-1", "app", 1]);
            const p = web1.placements[0];
            assert.deepEqual([p.label, p.network, p.segment], ["web-subnet", urnOf(AZ.vnet, "main-vnet"), urnOf(AZ.subnet, "web-subnet")]);
            assert.deepEqual(p.layers.map((l) => `${l.kind} ${l.resources.map((r) => r.name)} ${l.scope} ${l.stateful} ${l.ordered}`),
                ["subnet NSG web-nsg workload true true", "NIC NSG web-nic-nsg workload true true"]);
            assert.deepEqual(p.internet?.hops.map((h) => h.text), ["public IP `web-pip` (Standard SKU, the default)"]);
            assert.equal(p.internet?.closedWithoutFilters, true);
            assert.equal(web2.placements[0].internet, undefined, "no public IP: no way in from the internet");
            // One Layer object for every machine it is the same for: the evaluation memoises per layer.
            assert.equal(web1.placements[0].layers[0], web2.placements[0].layers[0]);
            assert.equal(web1.placements[0].layers[1], web2.placements[0].layers[1]);
            assert.notEqual(db.placements[0].layers[0], web1.placements[0].layers[0]);
            // A static private address is the machine's own; else the subnet's range.
            assert.deepEqual(db.placements[0].addresses?.v4.intervals, [[0x0a00020an, 0x0a00020an]]);
            assert.deepEqual(web2.placements[0].addresses?.v4.intervals, [[0x0a000100n, 0x0a0001ffn]]);
        });
    }

    it("appends Azure's default rules after the NSG's own, in priority order", () => {
        const layer = graph(azure("update", SPEC))[2].placements[0].layers[0];
        assert.deepEqual(layer.inbound.map((r) => `${r.rule.origin} ${r.rule.order} ${r.rule.action}${r.implied ? " (default)" : ""}`),
            ["securityRules[0] 100 allow", "AllowVnetInBound 65000 allow (default)", "AllowAzureLoadBalancerInBound 65001 allow (default)", "DenyAllInBound 65500 deny (default)"]);
        assert.deepEqual(layer.outbound.map((r) => r.rule.origin), ["AllowVnetOutBound", "AllowInternetOutBound", "DenyAllOutBound"]);
        const vnet = layer.inbound[1];
        assert.deepEqual(vnet.addresses.v4.intervals, [[0x0a000000n, 0x0a00ffffn]], "VirtualNetwork is the network's address space");
    });

    it("peered networks (both ways) route to each other; a one-way peering does not", () => {
        const two: Spec = { ...SPEC, vnets: [VNET, { name: "data-vnet", space: ["10.1.0.0/16"] }], subnets: [SPEC.subnets[0], { name: "db-subnet", vnet: "data-vnet", prefix: "10.1.2.0/24", nsg: "db-nsg" }] };
        const both = graph(azure("preview", { ...two, peerings: [{ name: "a", from: "main-vnet", to: "data-vnet" }, { name: "b", from: "data-vnet", to: "main-vnet" }] }));
        assert.deepEqual(both[0].placements[0].peers, [urnOf(AZ.vnet, "data-vnet")]);
        assert.deepEqual(both[2].placements[0].layers[0].inbound[1].addresses.v4.intervals, [[0x0a000000n, 0x0a01ffffn]], "VirtualNetwork holds the peer's space");
        const oneWay = graph(azure("preview", { ...two, peerings: [{ name: "a", from: "main-vnet", to: "data-vnet" }] }));
        assert.equal(oneWay[0].placements[0].peers, undefined);
    });

    describe("messages, hop by hop", () => {
        it("exposure: each hop by its Pulumi name and the rule that admits the packet", () => {
            assert.deepEqual(messages("no-internet-path-to-internal-ports", azure("update", SPEC)), [
                "The internet reaches tcp 22 (ssh) on `web-1`: internet → public IP `web-pip` (Standard SKU, the default) → " +
                "subnet NSG `web-nsg` (`web-nsg` securityRules[0] (priority 100) (tcp 22 from Internet)) → " +
                "NIC NSG `web-nic-nsg` (`web-nic-nsg` securityRules[0] (priority 200) (tcp 22 from 0.0.0.0/0)) → `web-1`.\n" +
                "Fix: close the path at one layer (narrow the rules that admit the internet, drop the public address, or route the subnet through a NAT gateway); if a port must be public, mark its service `public: true` in ports.yaml.",
            ]);
        });

        it("a documented flow: the client, the blocking NSG by its Pulumi name, the rule, the direction", () => {
            assert.deepEqual(messages("documented-flows-reachable", azure("preview", SPEC)), [
                "Documented clients that do not get through to this workload:\n" +
                "- `web-1` → `orders-db` tcp 5432: the request dies at NIC NSG `db-nic-nsg` inbound: `db-nic-nsg` securityRules[0] (priority 100) (from 10.0.0.0/16) denies it\n" +
                "- `web-2` → `orders-db` tcp 5432: the request dies at NIC NSG `db-nic-nsg` inbound: `db-nic-nsg` securityRules[0] (priority 100) (from 10.0.0.0/16) denies it\n" +
                "Fix: add a NSG rule to NIC NSG `db-nic-nsg` that allows the flow, or remove the rule that denies it.",
            ]);
        });

        it("a client outside the network meets the default DenyAllInBound, named as Azure names it", () => {
            const spec = { ...SPEC, nsgs: SPEC.nsgs.map((n) => (n.name === "db-nic-nsg" ? { ...n, rules: [] } : n)) };
            assert.deepEqual(messages("documented-flows-reachable", azure("update", spec), VPN_REGISTRY), [
                "10.50.0.0/16 → `orders-db` tcp 5432: the request dies at subnet NSG `db-nsg` inbound: `db-nsg` DenyAllInBound (priority 65500) (Azure's default rule: deny all inbound) denies it.\n" +
                "Fix: add a NSG rule to subnet NSG `db-nsg` that allows the flow, or remove the rule that denies it.",
            ]);
        });

        it("outbound, the client's NIC NSG first", () => {
            const spec = { ...SPEC, nsgs: SPEC.nsgs.map((n) => (n.name === "web-nic-nsg" ? { ...n, rules: [outbound(100, "Deny", "*", "Internet"), outbound(110, "Deny", "5432", "10.0.2.0/24")] } : n.name === "db-nic-nsg" ? { ...n, rules: [] } : n)) };
            const [m] = messages("documented-flows-reachable", azure("update", spec));
            assert.match(m, /^- `web-1` → `orders-db` tcp 5432: the request dies at NIC NSG `web-nic-nsg` outbound: `web-nic-nsg` securityRules\[1\] \(priority 110\) \(to 10\.0\.2\.0\/24\) denies it$/m,
                "a deny of Internet outbound does not stop traffic to the network's own ranges; the next deny does");
        });
    });
});
