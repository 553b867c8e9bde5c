// Kubernetes provider resources as the cluster they deploy to: what the adapter keeps of a provider
// (digests, never the kubeconfig), and secret kubeconfigs, which decide like known ones and appear
// in no message, no model and no explanation.
import { strict as assert } from "assert";
import { normalise } from "../../policies/adapters";
import { kubernetesGraphAssembler } from "../../policies/adapters/kubernetes/graph";
import { stackResources } from "../../policies/kit/run";
import { StackIndex } from "../../policies/analysis/stack-index";
import { TopologyModel } from "../../policies/model/topology";
import { documentedFlowsReachable } from "../../policies/rules/documented-flows-reachable";
import { noInternetPathToInternalPorts } from "../../policies/rules/no-internet-path-to-internal-ports";
import { fromWire, recordSecretPaths, unwrapProps } from "../../policies/wire/secrets";
import { kubeconfig } from "../cases/providers/kubernetes-clusters.cases";
import { K, KStack, service, workload } from "../cases/providers/kubernetes-graph-stacks";
import { checkCase, secret, StackCase, UNKNOWN, urnOf } from "../helpers";

const PROVIDER = "pulumi:providers:kubernetes";
const model = (props: Record<string, unknown>) => normalise(PROVIDER, props) as TopologyModel;

/** Props as @pulumi/policy hands them over: secrets unwrapped, their paths remembered. */
function fromEngine(wire: Record<string, unknown>): Record<string, unknown> {
    const { plain } = fromWire(wire);
    recordSecretPaths(wire, plain);
    return plain as Record<string, unknown>;
}

const TOKEN = "s3cr3t-t0ken-4f9a";
const HOST = "secret-api-7c1d.internal.example";
const secretConfig = (server: string) => secret(kubeconfig(server, { token: TOKEN }));

/** `web` through provider `a`, its LoadBalancer through `b`, the providers with these wire inputs. */
function stack(a: Record<string, unknown>, b: Record<string, unknown>): StackCase[] {
    const rows = new KStack()
        .add(K.deployment, "web", workload({ labels: { app: "web" }, ports: [{ containerPort: 5432 }] }))
        .add(K.service, "web-lb", service({ app: "web" }, { type: "LoadBalancer", ports: [{ port: 5432 }] }))
        .build("preview");
    return [
        { type: PROVIDER, name: "a", props: fromEngine(a) },
        { type: PROVIDER, name: "b", props: fromEngine(b) },
        ...rows.map((r) => ({ ...r, provider: urnOf(PROVIDER, r.name === "web" ? "a" : "b") })),
    ];
}

function assertNoSecret(what: string, text: string): void {
    assert.ok(!text.includes(TOKEN) && !text.includes(HOST), `${what} holds the secret kubeconfig: ${text.slice(0, 400)}`);
}

describe("Kubernetes providers: the cluster they deploy to", () => {
    it("keeps digests of the kubeconfig, context, cluster and API server, never their text", () => {
        const m = model({ kubeconfig: kubeconfig(`https://${HOST}`, { token: TOKEN }), context: "the-context" });
        assertNoSecret("the model", JSON.stringify(m));
        assert.equal(m.role, "kubernetes:provider");
        assert.match(m.values.kubeconfig as string, /^sha256:[0-9a-f]{32}$/);
        assert.match(m.values.server as string, /^sha256:[0-9a-f]{32}$/);
        assert.equal(m.values.server, model({ kubeconfig: kubeconfig(`https://${HOST.toUpperCase()}:443/`) }).values.server);
    });

    it("resolves the server through the provider's `context` and `cluster`, as kubectl does", () => {
        const two = kubeconfig("https://one.example").replace(
            "contexts:\n",
            "- name: second\n  cluster:\n    server: https://two.example\ncontexts:\n- name: other\n  context:\n    cluster: second\n    user: admin\n    namespace: jobs\n",
        );
        const server = (props: Record<string, unknown>) => model({ kubeconfig: two, ...props }).values.server;
        const one = model({ kubeconfig: kubeconfig("https://one.example") }).values.server;
        const other = model({ kubeconfig: kubeconfig("https://two.example") }).values.server;
        assert.equal(server({}), one, "current-context");
        assert.equal(server({ context: "other" }), other);
        assert.equal(server({ cluster: "second" }), other, "`cluster` overrides the context's");
        assert.equal(server({ context: UNKNOWN }), undefined, "a context unknown until update selects no server");
        assert.equal(server({ context: "missing" }), undefined);
        const json = {
            apiVersion: "v1",
            clusters: [{ name: "k", cluster: { server: "https://two.example" } }],
            contexts: [{ name: "aws", context: { cluster: "k", user: "aws" } }],
            "current-context": "aws",
        };
        assert.equal(model({ kubeconfig: JSON.stringify(json) }).values.server, other, "a JSON kubeconfig (@pulumi/eks's kubeconfigJson)");
        assert.notEqual(
            model({ kubeconfig: two, context: "other" }).values.contextNamespace,
            model({ kubeconfig: two }).values.contextNamespace,
        );
    });

    it("reads a path, broken YAML and an unknown kubeconfig without a server, and an absent one as absent", () => {
        assert.equal(model({ kubeconfig: "/home/me/.kube/config" }).values.server, undefined);
        assert.equal(model({ kubeconfig: "clusters: [unclosed" }).values.server, undefined);
        assert.deepEqual(model({ kubeconfig: UNKNOWN }).values.kubeconfig, { unknown: "kubeconfig" });
        assert.deepEqual(model({ namespace: "apps" }).values, { namespace: "apps" });
    });

    describe("a secret kubeconfig", () => {
        it("the same secret kubeconfig: one cluster, the exposure is found, and no message holds it", () => {
            const resources = stack({ kubeconfig: secretConfig(`https://${HOST}`) }, { kubeconfig: secretConfig(`https://${HOST}`) });
            const found = checkCase(noInternetPathToInternalPorts, { name: "", resources });
            assert.deepEqual(
                found.mandatory.flatMap((f) => f.items.map((i) => i.messageId)),
                ["exposed"],
            );
            assertNoSecret("the findings", JSON.stringify(found));
            const index = new StackIndex(stackResources(resources.map((r) => ({ ...r, urn: urnOf(r.type, r.name) }))));
            const graph = kubernetesGraphAssembler.assemble(index, { serviceTag: "service" });
            assertNoSecret(
                "the graph",
                JSON.stringify(graph, (_, v: unknown) =>
                    typeof v === "bigint" ? v.toString() : v instanceof Set ? [...(v as Set<unknown>)] : v,
                ),
            );
        });

        it("a secret `namespace` of the provider: compared, never named (the exposure is found, its placement is not the secret)", () => {
            const ns = `team-${TOKEN}`;
            const resources = stack(
                { kubeconfig: secretConfig(`https://${HOST}`), namespace: secret(ns) },
                { kubeconfig: secretConfig(`https://${HOST}`), namespace: secret(ns) },
            );
            const { raw, secrets } = unwrapProps(resources[0].props);
            assertNoSecret("the model", JSON.stringify(normalise(PROVIDER, raw, secrets)));
            const found = checkCase(noInternetPathToInternalPorts, { name: "", resources });
            assert.deepEqual(
                found.mandatory.flatMap((f) => f.items.map((i) => i.messageId)),
                ["exposed"],
            );
            assertNoSecret("the findings", JSON.stringify(found));
        });

        it("secret kubeconfigs of different API servers: different clusters, nothing reported", () => {
            const resources = stack({ kubeconfig: secretConfig(`https://${HOST}`) }, { kubeconfig: secretConfig("https://other.example") });
            const found = checkCase(noInternetPathToInternalPorts, { name: "", resources });
            assert.deepEqual([...found.mandatory, ...found.advisory], []);
        });

        it("secret kubeconfigs that name no server (paths): may or may not be one cluster, and the advisory holds neither", () => {
            const resources = stack({ kubeconfig: secret(`/home/${HOST}/${TOKEN}-a`) }, { kubeconfig: secret(`/home/${HOST}/${TOKEN}-b`) });
            for (const def of [noInternetPathToInternalPorts, documentedFlowsReachable]) {
                const found = checkCase(def, { name: "", resources });
                assertNoSecret(`the findings of ${def.meta.name}`, JSON.stringify(found));
            }
            const advisory = checkCase(noInternetPathToInternalPorts, { name: "", resources }).advisory;
            assert.match(String(advisory[0]?.items[0]?.data.reason), /different Kubernetes providers \(provider `b`, provider `a`\)/);
        });
    });
});
