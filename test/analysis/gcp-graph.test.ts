// The GCP assembler on stacks as the engine sends them: what the routes of an instance with several
// network interfaces are called, in update (each interface in its own subnetwork) and in preview
// (one `networkInterfaces` input depends on every subnetwork: each interface is a candidate in each).
import { strict as assert } from "assert";
import { gcpGraphAssembler } from "../../policies/adapters/gcp/graph";
import { cidrSet } from "../../policies/model/addresses";
import { explainTcp, stackIndexOf } from "../helpers";
import { G, network, Stack, tcp } from "../cases/providers/gcp-graph-stacks";

function twoNicVm() {
    return network()
        .add(G.network, "data", { autoCreateSubnetworks: false })
        .add(G.subnet, "data-subnet", { ipCidrRange: "10.30.0.0/24", region: "europe-west1" }, { network: "data" })
        .add(
            G.instance,
            "db-1",
            { machineType: "e2-small", zone: "europe-west1-b", networkInterfaces: [{ accessConfigs: [{}] }, {}] },
            { "networkInterfaces[0].subnetwork": "db-subnet", "networkInterfaces[1].subnetwork": "data-subnet" },
        );
}

const labels = (mode: "update" | "preview") =>
    gcpGraphAssembler
        .assemble(stackIndexOf(twoNicVm().build(mode)), { serviceTag: "service" })
        .find((w) => w.name === "db-1")!
        .placements.map((p) => p.label);

describe("GCP graph: an instance with several network interfaces", () => {
    it("update: each route names its interface and the subnetwork it is in", () => {
        assert.deepEqual(labels("update"), ["nic0 in db-subnet", "nic1 in data-subnet"]);
    });

    it("preview: each interface in each subnetwork it may be in, named apart", () => {
        assert.deepEqual(labels("preview"), ["nic0 in db-subnet", "nic0 in data-subnet", "nic1 in db-subnet", "nic1 in data-subnet"]);
    });

    it("one interface: the route is named by its subnetwork alone", () => {
        const one = network().add(
            G.instance,
            "web-1",
            { machineType: "e2-small", zone: "europe-west1-b", networkInterfaces: [{}] },
            { "networkInterfaces[0].subnetwork": "web-subnet" },
        );
        const w = gcpGraphAssembler.assemble(stackIndexOf(one.build("update")), { serviceTag: "service" }).find((x) => x.name === "web-1")!;
        assert.deepEqual(
            w.placements.map((p) => p.label),
            ["web-subnet"],
        );
    });
});

describe("GCP graph: an instance in an auto-mode network of the stack", () => {
    // As pulumi/pulumi-gcp's load balancer example writes it: an auto-mode network, instances that name no subnetwork.
    const stack = (mode: "update" | "preview") =>
        new Stack()
            .add(G.network, "default-network", {})
            .add(
                G.firewall,
                "internal-only",
                { allows: [tcp(80)], sourceRanges: ["130.211.0.0/22", "35.191.0.0/16"] },
                { network: "default-network" },
            )
            .add(
                G.instance,
                "www",
                { machineType: "e2-small", zone: "europe-west1-b", networkInterfaces: [{}] },
                { "networkInterfaces[0].network": "default-network" },
            )
            .add(
                G.instance,
                "video",
                { machineType: "e2-small", zone: "europe-west1-b", networkInterfaces: [{}] },
                { "networkInterfaces[0].network": "default-network" },
            )
            .build(mode);

    for (const mode of ["update", "preview"] as const)
        it(`${mode}: is in 10.128.0.0/9, so a rule for the load balancers' ranges does not admit the other instance`, () => {
            const ws = gcpGraphAssembler.assemble(stackIndexOf(stack(mode)), { serviceTag: "service" });
            const [www, video] = ["www", "video"].map((n) => ws.find((w) => w.name === n)!);
            assert.deepEqual(www.placements[0].addresses, cidrSet(["10.128.0.0/9"]));
            const e = explainTcp(www, video, 80);
            assert.equal(e.status, "block");
        });
});
