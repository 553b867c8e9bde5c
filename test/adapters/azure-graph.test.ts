// The Azure graph assembler on its own: the graph it builds (layers in order, one Layer object per
// NSG, machine and network shape, Azure's default rules after the NSG's own, peered networks) and the
// prose of the two policies' messages on Azure stacks, hop by hop, in Azure's terms.
import { strict as assert } from "assert";
import * as fc from "fast-check";
import { assemblers } from "../../policies/adapters";
import { networkGraph } from "../../policies/analysis/graph";
import { cidrSet } from "../../policies/model/addresses";
import { Workload } from "../../policies/model/graph";
import { policies } from "../../policies";
import { AZ, azure, CLASSIC, GRAPH_REGISTRY, inbound, outbound, Spec, VPN_REGISTRY } from "../cases/providers/azure-graph.cases";
import { checkCase, explainTcp, StackCase, stackIndexOf, UNKNOWN, urnOf } from "../helpers";

function graph(rows: StackCase[]): Workload[] {
    return networkGraph(stackIndexOf(rows), "service").workloads;
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
            assert.deepEqual(
                p.layers.map((l) => `${l.kind} ${l.resources.map((r) => r.name).join(",")} ${l.scope} ${l.stateful} ${l.ordered}`),
                ["subnet NSG web-nsg workload true true", "NIC NSG web-nic-nsg workload true true"],
            );
            assert.deepEqual(
                p.internet?.hops.map((h) => h.text),
                ["public IP `web-pip` (Standard SKU, the default)"],
            );
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
        assert.deepEqual(
            layer.inbound.map((r) => `${r.rule.origin} ${r.rule.order} ${r.rule.action}${r.implied ? " (default)" : ""}`),
            [
                "securityRules[0] 100 allow",
                "AllowVnetInBound 65000 allow (default)",
                "AllowAzureLoadBalancerInBound 65001 allow (default)",
                "DenyAllInBound 65500 deny (default)",
            ],
        );
        assert.deepEqual(
            layer.outbound.map((r) => r.rule.origin),
            ["AllowVnetOutBound", "AllowInternetOutBound", "DenyAllOutBound"],
        );
        const vnet = layer.inbound[1];
        assert.deepEqual(vnet.addresses.v4.intervals, [[0x0a000000n, 0x0a00ffffn]], "VirtualNetwork is the network's address space");
    });

    it("peered networks (both ways) route to each other; a one-way peering does not", () => {
        const two: Spec = {
            ...SPEC,
            vnets: [VNET, { name: "data-vnet", space: ["10.1.0.0/16"] }],
            subnets: [SPEC.subnets[0], { name: "db-subnet", vnet: "data-vnet", prefix: "10.1.2.0/24", nsg: "db-nsg" }],
        };
        const both = graph(
            azure("preview", {
                ...two,
                peerings: [
                    { name: "a", from: "main-vnet", to: "data-vnet" },
                    { name: "b", from: "data-vnet", to: "main-vnet" },
                ],
            }),
        );
        assert.deepEqual(both[0].placements[0].peers, [urnOf(AZ.vnet, "data-vnet")]);
        assert.deepEqual(
            both[2].placements[0].layers[0].inbound[1].addresses.v4.intervals,
            [[0x0a000000n, 0x0a01ffffn]],
            "VirtualNetwork holds the peer's space",
        );
        const oneWay = graph(azure("preview", { ...two, peerings: [{ name: "a", from: "main-vnet", to: "data-vnet" }] }));
        assert.equal(oneWay[0].placements[0].peers, undefined);
    });

    it("a machine whose network arrived with empty outputs is unverifiable, whichever resource it is", () => {
        for (const name of ["main-vnet", "web-subnet", "web-pip", "web-1-nic", "web-1"]) {
            const rows = azure("preview", SPEC).map((r) => (r.name === name ? { ...r, props: {} } : r));
            const web1 = graph(rows).find((w) => w.name === "web-1")!;
            assert.match(web1.unverifiable ?? "", /arrived with empty outputs/, name);
            assert.deepEqual(web1.placements, []);
        }
    });

    it("never fails on what arrives: any value in any input, links to anything or nothing", () => {
        const types = [...Object.values(AZ), ...Object.values(CLASSIC)];
        const names = ["a", "b", "c", "d"];
        const junk = fc.oneof(
            fc.constantFrom<unknown>(
                null,
                UNKNOWN,
                "",
                "*",
                "Internet",
                "10.0.0.0/16",
                "Basic",
                "GatewaySubnet",
                7,
                true,
                [],
                {},
                [UNKNOWN],
                [{ id: UNKNOWN }],
            ),
            fc.constantFrom(...names).map((n) => `/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/x/${n}`),
        );
        const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
            v: fc.oneof(
                { depthSize: "small" },
                junk,
                fc.array(tie("v"), { maxLength: 3 }),
                fc.dictionary(
                    fc.constantFrom(
                        "id",
                        "name",
                        "subnet",
                        "subnets",
                        "addressPrefix",
                        "networkSecurityGroup",
                        "publicIPAddress",
                        "sku",
                        "securityRules",
                        "applicationSecurityGroups",
                        "remoteVirtualNetwork",
                        "routes",
                    ),
                    tie("v"),
                    { maxKeys: 4 },
                ),
            ),
        })).v;
        const keys = [
            "networkProfile",
            "networkInterfaceIds",
            "ipConfigurations",
            "networkSecurityGroup",
            "subnets",
            "addressSpace",
            "addressSpaces",
            "addressPrefix",
            "addressPrefixes",
            "virtualNetworkName",
            "remoteVirtualNetwork",
            "remoteVirtualNetworkId",
            "securityRules",
            "sku",
            "publicIPAllocationMethod",
            "subnetId",
            "networkInterfaceId",
            "networkSecurityGroupId",
            "routeTable",
            "routes",
            "tags",
            "id",
            "name",
        ];
        const resource = fc.record({
            type: fc.constantFrom(...types),
            name: fc.constantFrom(...names),
            props: fc.dictionary<string, unknown>(fc.constantFrom(...keys), value, { maxKeys: 6 }),
            deps: fc.dictionary(
                fc.constantFrom(...keys),
                fc.array(fc.tuple(fc.constantFrom(...types), fc.constantFrom(...names)), { maxLength: 3 }),
                { maxKeys: 3 },
            ),
        });
        const machine = fc.record({
            type: fc.constantFrom(AZ.vm, CLASSIC.vm),
            name: fc.constant("vm"),
            props: fc.record({ networkProfile: value, networkInterfaceIds: value, tags: fc.constant({ service: "postgres" }) }),
            deps: fc.record({
                networkProfile: fc.array(fc.tuple(fc.constantFrom(AZ.nic, CLASSIC.nic), fc.constantFrom(...names)), { maxLength: 2 }),
                networkInterfaceIds: fc.array(fc.tuple(fc.constantFrom(AZ.nic, CLASSIC.nic), fc.constantFrom(...names)), { maxLength: 2 }),
            }),
        });
        let found = 0;
        fc.assert(
            fc.property(machine, fc.array(resource, { maxLength: 12 }), (vm, others) => {
                const rs = [vm, ...others];
                const rows: StackCase[] = rs.map((r) => ({
                    type: r.type,
                    name: r.name,
                    props: r.props,
                    propertyDependencies: Object.fromEntries(Object.entries(r.deps).map(([k, ts]) => [k, ts.map(([t, n]) => urnOf(t, n))])),
                }));
                for (const name of ["no-internet-path-to-internal-ports", "documented-flows-reachable"]) {
                    const f = checkCase(policy(name), { name: "", resources: rows, registryYaml: VPN_REGISTRY });
                    for (const x of [...f.mandatory, ...f.advisory])
                        assert.ok(!x.items.some((i) => i.messageId === "internalError"), x.message);
                    found += f.mandatory.length + f.advisory.length;
                }
            }),
            { numRuns: 300, seed: 15 },
        );
        assert.ok(found > 200, `the random stacks reach the assembler's findings (${found})`);
    });

    describe("messages, hop by hop", () => {
        it("exposure: each hop by its Pulumi name and the rule that admits the packet", () => {
            assert.deepEqual(messages("no-internet-path-to-internal-ports", azure("update", SPEC)), [
                "The internet reaches tcp 22 (ssh) on `web-1`: internet → public IP `web-pip` (Standard SKU, the default) → " +
                    "subnet NSG `web-nsg` (securityRules[0] (priority 100) (tcp 22 from Internet)) → " +
                    "NIC NSG `web-nic-nsg` (securityRules[0] (priority 200) (tcp 22 from 0.0.0.0/0)) → `web-1`.\n" +
                    "Fix: close the path at one layer (narrow the NSG rules that admit the internet (subnet or NIC NSG), add an NSG where none filters, or remove the public IP from the NIC's `ipConfigurations`); if a port must be public, mark its service `public: true` in ports.yaml.",
            ]);
        });

        it("a documented flow: the client, the blocking NSG by its Pulumi name, the rule, the direction", () => {
            assert.deepEqual(messages("documented-flows-reachable", azure("preview", SPEC)), [
                "Documented clients that do not get through to this workload:\n" +
                    "- `web-1` → `orders-db` tcp 5432: the request dies at NIC NSG `db-nic-nsg` inbound: securityRules[0] (priority 100) (from 10.0.0.0/16) denies it\n" +
                    "- `web-2` → `orders-db` tcp 5432: the request dies at NIC NSG `db-nic-nsg` inbound: securityRules[0] (priority 100) (from 10.0.0.0/16) denies it\n" +
                    "Fix: narrow or remove the rule of NIC NSG `db-nic-nsg` that denies the flow, or add a NSG rule that allows it ahead of that rule.",
            ]);
        });

        it("a client outside the network meets the default DenyAllInBound, named as Azure names it", () => {
            const spec = { ...SPEC, nsgs: SPEC.nsgs.map((n) => (n.name === "db-nic-nsg" ? { ...n, rules: [] } : n)) };
            assert.deepEqual(messages("documented-flows-reachable", azure("update", spec), VPN_REGISTRY), [
                "10.50.0.0/16 → `orders-db` tcp 5432: the request dies at subnet NSG `db-nsg` inbound: DenyAllInBound (priority 65500) (Azure's default rule: deny all inbound) denies it.\n" +
                    "Fix: add a NSG rule to subnet NSG `db-nsg` that allows the flow.",
            ]);
        });

        it("outbound, the client's NIC NSG first", () => {
            const spec = {
                ...SPEC,
                nsgs: SPEC.nsgs.map((n) =>
                    n.name === "web-nic-nsg"
                        ? { ...n, rules: [outbound(100, "Deny", "*", "Internet"), outbound(110, "Deny", "5432", "10.0.2.0/24")] }
                        : n.name === "db-nic-nsg"
                          ? { ...n, rules: [] }
                          : n,
                ),
            };
            const [m] = messages("documented-flows-reachable", azure("update", spec));
            assert.match(
                m,
                /^- `web-1` → `orders-db` tcp 5432: the request dies at NIC NSG `web-nic-nsg` outbound: securityRules\[1\] \(priority 110\) \(to 10\.0\.2\.0\/24\) denies it$/m,
                "a deny of Internet outbound does not stop traffic to the network's own ranges; the next deny does",
            );
        });
    });
});

describe("Azure graph: a NIC whose inline subnet preview does not tell", () => {
    // As nave-aki/pulumi-azure-ts-examples' bastion example writes it: a VNet with inline subnets, NICs
    // whose subnet id is unknown in preview, an NSG on the NICs that admits RDP from the VNet.
    const stack = (subnets: { name: string; addressPrefix: string }[]): StackCase[] => [
        {
            type: AZ.nsg,
            name: "nic-nsg",
            props: { securityRules: [inbound(100, "Allow", "3389", "VirtualNetwork")] },
        },
        { type: AZ.vnet, name: "vnet", props: { resourceGroupName: "rg", addressSpace: { addressPrefixes: ["10.0.0.0/16"] }, subnets } },
        ...["a", "b"].flatMap((n): StackCase[] => [
            {
                type: AZ.nic,
                name: `${n}-nic`,
                props: { ipConfigurations: [{ name: "ip", subnet: { id: UNKNOWN } }], networkSecurityGroup: { id: UNKNOWN } },
                propertyDependencies: { ipConfigurations: [urnOf(AZ.vnet, "vnet")], networkSecurityGroup: [urnOf(AZ.nsg, "nic-nsg")] },
            },
            {
                type: AZ.vm,
                name: `${n}-vm`,
                props: { networkProfile: { networkInterfaces: [{ id: UNKNOWN }] } },
                propertyDependencies: { networkProfile: [urnOf(AZ.nic, `${n}-nic`)] },
            },
        ]),
    ];
    const rdp = (rows: StackCase[]) => {
        const ws = graph(rows);
        const [a, b] = ["a-vm", "b-vm"].map((n) => ws.find((w) => w.name === n)!);
        return {
            b,
            e: explainTcp(a, b, 3389),
        };
    };

    it("a subnet Azure keeps for its own services (AzureBastionSubnet) is not one the machine may be in", () => {
        const { b, e } = rdp(
            stack([
                { name: "default", addressPrefix: "10.0.1.0/24" },
                { name: "AzureBastionSubnet", addressPrefix: "10.0.2.0/24" },
            ]),
        );
        assert.deepEqual(
            b.placements.map((p) => p.label),
            ["vnet/default"],
        );
        assert.equal(e.status, "pass");
    });

    it("two subnets it may be in: its addresses are in both ranges, so a rule for the VNet admits it; which one stays unverifiable", () => {
        const { b, e } = rdp(
            stack([
                { name: "front", addressPrefix: "10.0.1.0/24" },
                { name: "back", addressPrefix: "10.0.2.0/24" },
            ]),
        );
        assert.deepEqual(b.placements[0].addresses, cidrSet(["10.0.1.0/24", "10.0.2.0/24"]));
        assert.deepEqual(
            e.routes[0].steps.map((s) => s.status),
            ["pass", "pass"],
        );
        assert.equal(e.status, "unknown");
    });
});
