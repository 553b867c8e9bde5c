// The GCP assembler on stacks as the engine sends them: what the routes of an instance with several
// network interfaces are called, in update (each interface in its own subnetwork) and in preview
// (one `networkInterfaces` input depends on every subnetwork: each interface is a candidate in each).
import { strict as assert } from "assert";
import { gcpGraphAssembler } from "../../policies/adapters/gcp/graph";
import { explain } from "../../policies/analysis/explain";
import { cidrSet } from "../../policies/model/addresses";
import { Workload } from "../../policies/model/graph";
import { portRange } from "../../policies/model/intervals";
import { explainTcp, stackIndexOf, UNKNOWN } from "../helpers";
import { G, network, Stack, tcp, vm } from "../cases/providers/gcp-graph-stacks";

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

/** `explain` from the internet on a TCP port. */
const fromInternet = (to: Workload, port: number) =>
    explain({ from: { kind: "internet" }, to, protocol: "tcp", ports: portRange(port, port), ephemeral: portRange(1024, 65535) });
const assembled = (s: Stack, mode: "update" | "preview") =>
    gcpGraphAssembler.assemble(stackIndexOf(s.build(mode)), { serviceTag: "service" });

describe("GCP graph: an instance whose network is a firewall rule's output (`network: fw.network`)", () => {
    // pulumi/pulumi-gcp's examples/webserver: in preview the value is unknown and its dependency names the rule.
    const stack = (mode: "update" | "preview", fwNetwork = "net#selfLink") =>
        new Stack()
            .add(G.network, "net", { autoCreateSubnetworks: true })
            .add(G.firewall, "fw", { allows: [tcp(22, 5432)], sourceRanges: ["0.0.0.0/0"] }, { network: fwNetwork })
            .add(
                G.instance,
                "vm",
                { machineType: "e2-micro", zone: "us-central1-a", networkInterfaces: [{ accessConfigs: [{}] }] },
                { "networkInterfaces[0].network": mode === "preview" ? "fw" : fwNetwork },
            );

    for (const mode of ["update", "preview"] as const) {
        it(`${mode}: is on the rule's network, so the rule's way in is known`, () => {
            const vm = assembled(stack(mode), mode).find((w) => w.name === "vm")!;
            assert.deepEqual(
                vm.placements.map((p) => p.label),
                ["network net"],
            );
            const e = fromInternet(vm, 5432);
            assert.equal(e.status, "pass");
            assert.deepEqual(e.routes[0].notes, []);
        });

        it(`${mode}: a rule on a network outside the stack leaves the instance there, unverifiable, said once`, () => {
            const vm = assembled(stack(mode, "out:projects/shared/global/networks/shared"), mode).find((w) => w.name === "vm")!;
            const e = fromInternet(vm, 5432);
            assert.equal(e.status, "unknown");
            assert.deepEqual(e.routes[0].notes, ["network `shared` is outside this stack: its routes are not in the plan"]);
        });
    }

    it("preview: a rule whose own network is unknown leaves the instance's network unknown, noted once", () => {
        // The rule's `network` is unknown until update with no dependency: the hop leads nowhere.
        const s = new Stack()
            .add(G.firewall, "fw", { allows: [tcp(22)], sourceRanges: ["0.0.0.0/0"], network: UNKNOWN })
            .add(
                G.instance,
                "vm",
                { machineType: "e2-micro", zone: "us-central1-a", networkInterfaces: [{ accessConfigs: [{}] }] },
                { "networkInterfaces[0].network": "fw" },
            );
        const vm = assembled(s, "preview").find((w) => w.name === "vm")!;
        assert.deepEqual(
            vm.placements.map((p) => p.label),
            ["an unknown network"],
        );
        const e = fromInternet(vm, 22);
        assert.equal(e.status, "unknown");
        assert.deepEqual(e.routes[0].notes, ["the network of `vm` is unknown until update: its routes are not in the plan"]);
    });
});

describe("GCP graph: a Cloud SQL instance without a private IP, to a client of the stack", () => {
    const stack = (authorized: string[], egress?: Record<string, unknown>, external = true) => {
        const s = network()
            .add(
                G.instance,
                "api-1",
                { machineType: "e2-small", zone: "europe-west1-b", networkInterfaces: [external ? { accessConfigs: [{}] } : {}] },
                { "networkInterfaces[0].subnetwork": "app-subnet" },
            )
            .add(G.sql, "web-db", {
                databaseVersion: "POSTGRES_15",
                region: "europe-west1",
                settings: { tier: "db-f1-micro", ipConfiguration: { authorizedNetworks: authorized.map((value) => ({ value })) } },
            });
        if (egress) s.add(G.firewall, "egress", egress, { network: "vpc" });
        return s;
    };
    const explainFrom = (s: Stack, mode: "update" | "preview") => {
        const ws = assembled(s, mode);
        return explainTcp(
            ws.find((w) => w.name === "api-1")!,
            ws.find((w) => w.name === "web-db")!,
            5432,
        );
    };

    for (const mode of ["update", "preview"] as const) {
        it(`${mode}: authorized networks of every IPv4 address admit its external or Cloud NAT address, whatever it is`, () => {
            const e = explainFrom(stack(["0.0.0.0/0"]), mode);
            assert.equal(e.status, "pass", e.routes[0].notes.join("; "));
            assert.deepEqual(e.routes[0].notes, []);
        });

        it(`${mode}: a client without an external IP may have no way out (a Cloud NAT is not read)`, () => {
            const e = explainFrom(stack(["0.0.0.0/0"], undefined, false), mode);
            assert.equal(e.status, "unknown");
            assert.match(e.routes[0].notes.join("; "), /whether the client reaches the internet \(it has no public address here/);
        });

        it(`${mode}: authorized networks of some addresses: which one the client leaves from is not in the plan`, () => {
            const e = explainFrom(stack(["198.51.100.0/24"]), mode);
            assert.equal(e.status, "unknown");
            assert.match(e.routes[0].notes[0], /^`web-db` has no private IP/);
        });

        it(`${mode}: the client's own egress still decides`, () => {
            const e = explainFrom(
                stack(["0.0.0.0/0"], { direction: "EGRESS", denies: [{ protocol: "all" }], destinationRanges: ["0.0.0.0/0", "::/0"] }),
                mode,
            );
            assert.equal(e.status, "block");
        });
    }
});

describe("GCP graph: a proxy load balancer connects to the backends of its URL map", () => {
    /** global forwarding rule `default-rule` → HTTP proxy → URL map → backend service → unmanaged group → `www` (no external IP). */
    const proxied = (o: { urlMap?: boolean } = {}) => {
        const s = network();
        vm(s, "www", "web-subnet");
        return s
            .add("gcp:compute/instanceGroup:InstanceGroup", "www-group", { zone: "europe-west1-b" }, { instances: ["www"] })
            .add("gcp:compute/backendService:BackendService", "www-backend", { portName: "http" }, { "backends[0].group": "www-group" })
            .add(
                "gcp:compute/uRLMap:URLMap",
                "www-map",
                { pathMatchers: [{ name: "all" }] },
                o.urlMap === false ? {} : { "pathMatchers[0].defaultService": "www-backend" },
            )
            .add("gcp:compute/targetHttpProxy:TargetHttpProxy", "www-proxy", {}, { urlMap: "www-map" })
            .add(G.gfr, "default-rule", { portRange: "80", loadBalancingScheme: "EXTERNAL" }, { target: "www-proxy" });
    };
    for (const mode of ["update", "preview"] as const) {
        it(`${mode}: the proxy's workload fronts the instance, and explain from the internet names it`, () => {
            const workloads = gcpGraphAssembler.assemble(stackIndexOf(proxied().build(mode)), { serviceTag: "service" });
            const www = workloads.find((w) => w.name === "www")!;
            const lb = workloads.find((w) => w.name === "default-rule")!;
            assert.deepEqual(lb.fronts, [{ targets: [www.urn], passesClientAddress: false }]);
            const e = explain({
                from: { kind: "internet" },
                to: www,
                protocol: "tcp",
                ports: portRange(80, 80),
                ephemeral: portRange(1024, 65535),
                fronts: [lb],
            });
            assert.equal(e.status, "block");
            assert.ok(
                e.routes.some((r) => r.notes.some((n) => n.includes("load balancer `default-rule`") && n.includes("connects to `www`"))),
                JSON.stringify(e.routes.map((r) => r.notes)),
            );
        });
    }
    it("a URL map that names no backend service of the stack fronts nothing", () => {
        const workloads = gcpGraphAssembler.assemble(stackIndexOf(proxied({ urlMap: false }).build("update")), { serviceTag: "service" });
        assert.equal(workloads.find((w) => w.name === "default-rule")!.fronts, undefined);
    });
});
