// The Kubernetes assembler on stacks as the engine sends them, explained from the internet: a
// LoadBalancer with several ports is crossed on the port that forwards to the one asked about, an
// Ingress is a way in that cannot be verified, and namespaces are named as Kubernetes names them.
import { strict as assert } from "assert";
import { kubernetesGraphAssembler } from "../../policies/adapters/kubernetes/graph";
import { explain } from "../../policies/analysis/explain";
import { internetReach } from "../../policies/analysis/paths";
import { describeStep } from "../../policies/kit/paths-wording";
import { Workload } from "../../policies/model/graph";
import { formatPorts, portRange } from "../../policies/model/intervals";
import { stackIndexOf } from "../helpers";
import { K, KStack, match, Mode, policy, service, tcp, workload } from "../cases/providers/kubernetes-graph-stacks";

const EPHEMERAL = portRange(1024, 65535);
const assembled = (s: KStack, mode: Mode, name: string): Workload =>
    kubernetesGraphAssembler.assemble(stackIndexOf(s.build(mode)), { serviceTag: "service" }).find((w) => w.name === name)!;

/** `explain --from internet` on a TCP port: the overall status and each step of the first route, as the CLI words them. */
function fromInternet(w: Workload, port: number): { status: string; label: string; steps: string[]; notes: string[] } {
    const e = explain({ from: { kind: "internet" }, to: w, protocol: "tcp", ports: portRange(port, port), ephemeral: EPHEMERAL });
    const r = e.routes[0];
    return {
        status: e.status,
        label: r.server.placement.label,
        steps: r.steps.map((s) => {
            const d = describeStep(s, "tcp", "the internet", true);
            return `${d.where}: ${d.outcome}`;
        }),
        notes: r.notes,
    };
}

// pulumi/examples kubernetes-ts-jenkins: ports 80 → "http" (8080) and 443 → "https" (8443).
const jenkins = () =>
    new KStack()
        .add(
            K.deployment,
            "jenkins",
            workload({
                labels: { app: "jenkins" },
                ports: [
                    { name: "http", containerPort: 8080 },
                    { name: "https", containerPort: 8443 },
                ],
            }),
        )
        .add(
            K.service,
            "dev-service",
            service(
                { app: "jenkins" },
                {
                    type: "LoadBalancer",
                    ports: [
                        { name: "http", port: 80, targetPort: "http" },
                        { name: "https", port: 443, targetPort: "https" },
                    ],
                },
            ),
        );

for (const mode of ["preview", "update"] as const) {
    describe(`Kubernetes graph (${mode}): a LoadBalancer Service with two ports`, () => {
        it("the load balancer is crossed on the one Service port that forwards to the port asked about", () => {
            const w = assembled(jenkins(), mode, "jenkins");
            const https = fromInternet(w, 8443);
            assert.equal(https.status, "pass");
            assert.deepEqual(https.steps, [
                // The hop says what the Service forwards; its sources are the next step's to say.
                "LoadBalancer Service `dev-service` (tcp 80 → 8080, tcp 443 → 8443): passes",
                "request in through load balancer `dev-service`: allowed by spec.ports[1] (tcp 443 from anywhere: no loadBalancerSourceRanges)",
            ]);
            assert.deepEqual(fromInternet(w, 8080).steps.slice(1), [
                "request in through load balancer `dev-service`: allowed by spec.ports[0] (tcp 80 from anywhere: no loadBalancerSourceRanges)",
            ]);
        });

        it("asked about the Service's own port (443), not the pods': blocked, with a note naming the port it forwards to", () => {
            const w = assembled(jenkins(), mode, "jenkins");
            const r = fromInternet(w, 443);
            assert.equal(r.status, "block");
            assert.match(r.steps[0], /: blocked: it carries only tcp 8080, 8443$/);
            assert.deepEqual(r.notes, [
                "tcp 443 is a port the way in listens on: it forwards to tcp 8443 of `jenkins`, the port to ask about",
            ]);
            assert.deepEqual(fromInternet(w, 8443).notes, []);
        });

        it("a front that admits one of its ports carries only the target port that port forwards to", () => {
            // The load balancer's layer with only spec.ports[1] (443 → 8443) left: 8080 is not reached through it.
            const w = assembled(jenkins(), mode, "jenkins");
            const p = w.placements[0];
            const front = p.internet!.front!;
            const only443 = { ...front.layers[0], inbound: front.layers[0].inbound.filter((r) => r.rule.origin === "spec.ports[1]") };
            const narrowed = { ...w, placements: [{ ...p, internet: { ...p.internet!, front: { ...front, layers: [only443] } } }] };
            const reach = internetReach(narrowed.placements[0], EPHEMERAL).filter((x) => x.protocol === "tcp" && x.family === "v4");
            assert.deepEqual(
                reach.map((x) => formatPorts(x.ports, 4)),
                ["8443"],
            );
            assert.equal(fromInternet(narrowed, 8443).status, "pass");
            const http = fromInternet(narrowed, 8080);
            assert.equal(http.status, "block");
            assert.match(http.steps[1], /^request in through load balancer `dev-service`: blocked: /);
        });

        it("the path text in the check's message keeps the sources", () => {
            const w = assembled(jenkins(), mode, "jenkins");
            assert.equal(
                w.placements[0].internet!.hops[0].text,
                "LoadBalancer Service `dev-service` (tcp 80 → 8080, tcp 443 → 8443, from anywhere: no loadBalancerSourceRanges)",
            );
        });
    });
}

// pulumi-kubernetes tests/sdk/nodejs/examples/ingress: a Deployment behind ClusterIP Service `hello`, an Ingress to hello:8080.
const hello = (type: string = K.ingress) =>
    new KStack()
        .add(K.deployment, "hello-app", workload({ labels: { app: "hello" }, ports: [{ containerPort: 8080 }] }))
        .add(K.service, "hello", { metadata: { name: "hello" }, spec: { selector: { app: "hello" }, ports: [{ port: 8080 }] } })
        .ingress("hello-ingress", [{ service: "hello", port: 8080 }], undefined, type);

for (const mode of ["preview", "update"] as const) {
    describe(`Kubernetes graph (${mode}): an Ingress to a Service that selects the pods`, () => {
        it("is a way in that cannot be verified, not a definitive no", () => {
            const r = fromInternet(assembled(hello(), mode, "hello-app"), 8080);
            assert.equal(r.status, "unknown");
            assert.deepEqual(r.steps, ["Ingress `hello-ingress` to Service `hello` (tcp 8080 → 8080): passes"]);
            assert.deepEqual(r.notes, [
                "Ingress `hello-ingress` routes to Service `hello`, and the ingress controller in front of it is not read",
            ]);
        });

        it("an Ingress naming another Service leaves the pods without a way in", () => {
            const s = hello().add(K.service, "other", {
                metadata: { name: "other" },
                spec: { selector: { app: "other" }, ports: [{ port: 80 }] },
            });
            const r = fromInternet(assembled(s.ingress("hello-ingress", [{ service: "other", port: 80 }]), mode, "hello-app"), 8080);
            assert.equal(r.status, "block");
            assert.match(r.notes[0], /no Ingress routes to a Service that does/);
        });
    });
}

describe("Kubernetes graph: an extensions/v1beta1 Ingress naming a Service port by name", () => {
    it("carries only the target port of that Service port", () => {
        const s = new KStack()
            .add(
                K.deployment,
                "hello-app",
                workload({ labels: { app: "hello" }, ports: [{ containerPort: 8080 }, { containerPort: 9090 }] }),
            )
            .add(
                K.service,
                "hello",
                service(
                    { app: "hello" },
                    {
                        ports: [
                            { name: "http", port: 80, targetPort: 8080 },
                            { name: "metrics", port: 9090 },
                        ],
                    },
                ),
            )
            .ingress("hello-ingress", [{ service: "hello", port: "http" }], undefined, K.ingressBeta);
        const w = assembled(s, "update", "hello-app");
        assert.deepEqual(fromInternet(w, 8080).steps, ["Ingress `hello-ingress` to Service `hello` (tcp 80 → 8080): passes"]);
        assert.equal(fromInternet(w, 9090).status, "block");
    });
});

describe("Kubernetes graph: namespaces are named by their metadata.name", () => {
    const stack = () =>
        new KStack()
            .add(K.ns, "microservices-ns", { metadata: { name: "microservices-dev" } })
            .add(K.ns, "test", {})
            .add(K.deployment, "web", workload({ labels: { app: "web" } }), "microservices-ns")
            .add(K.deployment, "web2", workload({ labels: { app: "web" } }), "test");
    for (const mode of ["preview", "update"] as const)
        it(`${mode}: by metadata.name where it is known, by the Pulumi name while it is not`, () => {
            assert.equal(assembled(stack(), mode, "web").placements[0].label, "microservices-dev");
            assert.equal(assembled(stack(), mode, "web2").placements[0].label, mode === "preview" ? "test" : "test-5f3a2b1c");
        });
});

// pulumi/pulumi-eks examples/network-policies: a peer with a pod selector and a namespace selector
// admits the selected pods of the selected namespaces; the graph resolves it to those pods, which the
// path names as pods (the workload `caller`), never as a namespace called `caller`.
describe("Kubernetes graph: a NetworkPolicy peer is named by what the graph resolved it to", () => {
    const stack = (peer: Record<string, unknown>) =>
        new KStack()
            .add(K.ns, "jobs", { metadata: { name: "jobs", labels: { team: "jobs" } } })
            .add(K.ns, "web", { metadata: { name: "web" } })
            .add(K.job, "caller", workload({ labels: { app: "caller" } }, K.job), "jobs")
            .add(K.deployment, "nginx", workload({ labels: { app: "nginx" }, ports: [{ containerPort: 80 }] }), "web")
            .add(K.policy, "nginx-ingress", policy(match({ app: "nginx" }), { ingress: [{ from: [peer], ports: [tcp(80)] }] }), "web");
    const inbound = (s: KStack, mode: Mode): string => {
        const all = kubernetesGraphAssembler.assemble(stackIndexOf(s.build(mode)), { serviceTag: "service" });
        const from = all.find((w) => w.name === "caller")!;
        const to = all.find((w) => w.name === "nginx")!;
        const e = explain({
            from: { kind: "workload", workload: from },
            to,
            protocol: "tcp",
            ports: portRange(80, 80),
            ephemeral: EPHEMERAL,
        });
        assert.equal(e.status, "pass");
        const step = e.routes[0].steps.find((x) => x.direction === "inbound" && x.leg === "request")!;
        return describeStep(step, "tcp", "caller (jobs)", false).outcome;
    };
    for (const mode of ["preview", "update"] as const) {
        it(`${mode}: pods of selected namespaces (both selectors in one peer) read as the pods, by their workload`, () => {
            const text = inbound(stack({ podSelector: match({ app: "caller" }), namespaceSelector: match({ team: "jobs" }) }), mode);
            assert.match(text, /from pod selector `caller`\)/);
            assert.doesNotMatch(text, /namespace selector `caller`/);
        });
        it(`${mode}: a namespace selector alone still reads as the namespace it selects`, () => {
            assert.match(inbound(stack({ namespaceSelector: match({ team: "jobs" }) }), mode), /from namespace selector `jobs`\)/);
        });
    }
});
