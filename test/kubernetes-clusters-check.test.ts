// The local check on programs and files that deploy Kubernetes resources through several providers:
// the loaders keep the Kubernetes provider resources apart (never checked, never counted), the pack
// gets them in AnalyzeStack as the engine sends them, and `check` and `explain` agree on which
// providers are one cluster (test/fixtures/programs/shape-k8s-multicloud, in the shape of
// pulumi/examples kubernetes-ts-multicloud).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { loadInput, loadPreviewJson, loadStackExport } from "../cli/inputs";
import { cli } from "./cli-helpers";
import { kubeconfig } from "./cases/providers/kubernetes-clusters.cases";
import { SECRET_SIG, SECRET_SIG_KEY } from "../policies/wire/engine";
import { copyProgram, tempDir } from "./program-fixtures";

interface Diagnostic {
    policy: string;
    level: string;
    name: string;
    message: string;
    items: { messageId: string; data: Record<string, string> }[];
}
interface Report {
    stacks: { resources: number; diagnostics: Diagnostic[] }[];
}

/** `check --format json`, with no ambient kubeconfig (what the `local` provider reads). */
function check(input: string): { code: number | null; stderr: string; report: Report } {
    const r = cli(["check", input, "--format", "json", "--quiet"], { env: { KUBECONFIG: undefined } });
    try {
        return { code: r.code, stderr: r.stderr, report: JSON.parse(r.stdout) as Report };
    } catch {
        assert.fail(`no JSON report (exit ${r.code}):\n${r.stderr}\n${r.stdout.slice(0, 2000)}`);
    }
}

/** Per workload and level, the reasons or paths of its no-internet-path items. */
function byWorkload(report: Report): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const d of report.stacks[0].diagnostics.filter((x) => x.policy === "no-internet-path-to-internal-ports")) {
        for (const i of d.items) (out[`${d.name} ${d.level}`] ??= []).push(`${i.messageId}: ${i.data.reason ?? i.data.path}`);
    }
    return out;
}

const K8S = "pulumi:providers:kubernetes";
const urn = (type: string, name: string) => `urn:pulumi:dev::shop::${type}::${name}`;
const secretText = (text: string) => ({ [SECRET_SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(text) });

/** A stack export: `web` through provider `a`, its LoadBalancer through `b`, with these provider inputs. */
function exportOf(a: Record<string, unknown>, b: Record<string, unknown>) {
    const pod = { metadata: { name: "web", namespace: "default", labels: { app: "web" } } };
    const spec = {
        selector: { matchLabels: { app: "web" } },
        template: { ...pod, spec: { containers: [{ name: "web", ports: [{ containerPort: 8080 }] }] } },
    };
    return {
        version: 3,
        deployment: {
            resources: [
                { urn: urn("pulumi:pulumi:Stack", "shop-dev"), custom: false, type: "pulumi:pulumi:Stack" },
                { urn: urn("pulumi:providers:aws", "default_7_0_0"), custom: true, type: "pulumi:providers:aws", inputs: {} },
                { urn: urn(K8S, "a"), custom: true, id: "1", type: K8S, inputs: a, outputs: a },
                { urn: urn(K8S, "b"), custom: true, id: "2", type: K8S, inputs: b, outputs: b },
                {
                    urn: urn("kubernetes:apps/v1:Deployment", "web"),
                    custom: true,
                    type: "kubernetes:apps/v1:Deployment",
                    inputs: { metadata: pod.metadata, spec },
                    provider: `${urn(K8S, "a")}::1`,
                },
                {
                    urn: urn("kubernetes:core/v1:Service", "web-lb"),
                    custom: true,
                    type: "kubernetes:core/v1:Service",
                    inputs: {
                        metadata: { name: "web-lb", namespace: "default" },
                        spec: { type: "LoadBalancer", selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }] },
                    },
                    provider: `${urn(K8S, "b")}::2`,
                },
            ],
        },
    };
}

describe("Kubernetes providers through the local check", function () {
    this.timeout(240000);
    let dir: string;
    before(() => {
        dir = tempDir("k8s-clusters-");
        copyProgram("shape-k8s-multicloud", dir);
    });

    it("a program's Kubernetes provider resources are kept apart, with the clusters their kubeconfig is built from", async () => {
        const saved = process.env.KUBECONFIG;
        delete process.env.KUBECONFIG;
        try {
            const s = await loadInput(path.join(dir, "shape-k8s-multicloud"));
            assert.ok(!s.resources.some((r) => r.type.startsWith("pulumi:providers:")), "no provider among the checked resources");
            const providers = new Map((s.providers ?? []).map((p) => [p.name, p]));
            assert.deepEqual([...providers.keys()].sort(), ["eks", "eks-team", "gke", "local"]);
            const eksCluster = s.resources.find((r) => r.type === "aws:eks/cluster:Cluster")!.urn;
            assert.deepEqual(providers.get("eks")!.propertyDependencies?.kubeconfig, [eksCluster]);
            assert.deepEqual(providers.get("eks-team")!.propertyDependencies?.kubeconfig, [eksCluster]);
            assert.equal(providers.get("local")!.properties.kubeconfig, undefined, "the ambient configuration");
        } finally {
            if (saved !== undefined) process.env.KUBECONFIG = saved;
        }
    });

    it("check: each cluster's LoadBalancer exposes its own pods only; the two providers of one cluster match as one; the ambient one stays in doubt", () => {
        const r = check(path.join(dir, "shape-k8s-multicloud"));
        assert.equal(r.code, 1, r.stderr);
        assert.equal(r.report.stacks[0].resources, 13, "providers are not counted");
        const lb = (svc: string, pod: string) =>
            `exposed: internet → LoadBalancer Service \`${svc}\` (tcp 80 → 8080, from anywhere: no loadBalancerSourceRanges) → \`${pod}\``;
        const doubt = (svc: string, pod: string, a: string, b: string) =>
            `unproven: \`${svc}\` and \`${pod}\` are deployed through different Kubernetes providers (provider \`${a}\`, provider \`${b}\`), which may or may not be one cluster`;
        assert.deepEqual(byWorkload(r.report), {
            "eks-demo-app mandatory": [lb("eks-demo-app", "eks-demo-app")],
            "eks-demo-app advisory": [doubt("local-demo-app", "eks-demo-app", "local", "eks-team")],
            "gke-demo-app mandatory": [lb("gke-demo-app", "gke-demo-app")],
            "gke-demo-app advisory": [doubt("local-demo-app", "gke-demo-app", "local", "gke")],
            "local-demo-app mandatory": [lb("local-demo-app", "local-demo-app")],
            "local-demo-app advisory": [
                doubt("eks-demo-app", "local-demo-app", "eks", "local"),
                doubt("gke-demo-app", "local-demo-app", "gke", "local"),
            ],
        });
    });

    it("explain agrees: through the provider of the same cluster it gets through, no route from the other cluster's LoadBalancer", () => {
        const program = path.join(dir, "shape-k8s-multicloud");
        const r = cli(["explain", program, "--from", "internet", "--to", "eks-demo-app", "--port", "8080", "--format", "json", "--quiet"], {
            env: { KUBECONFIG: undefined },
        });
        assert.equal(r.code, 0, r.stderr);
        const out = JSON.parse(r.stdout) as { verdict: string; routes: { verdict: string; to: { placement: string } }[] };
        assert.equal(out.verdict, "reaches");
        assert.deepEqual(
            out.routes.map((x) => [x.to.placement, x.verdict]),
            [
                ["the default namespace", "unverifiable"],
                ["the default namespace through eks-demo-app", "reaches"],
            ],
        );
    });

    it("a stack export: known kubeconfigs of different API servers are different clusters, secret ones too; the same one is one cluster", () => {
        const write = (doc: unknown) => {
            const file = path.join(dir, `export-${Math.random().toString(36).slice(2)}.json`);
            fs.writeFileSync(file, JSON.stringify(doc));
            return file;
        };
        const apart = write(exportOf({ kubeconfig: kubeconfig("https://a.example") }, { kubeconfig: kubeconfig("https://b.example") }));
        const loaded = loadStackExport(JSON.parse(fs.readFileSync(apart, "utf8")), apart);
        assert.deepEqual(
            loaded.providers?.map((p) => p.name),
            ["a", "b"],
            "the Kubernetes providers, not the AWS one",
        );
        assert.deepEqual(byWorkload(check(apart).report), {});
        const secrets = exportOf(
            { kubeconfig: secretText(kubeconfig("https://a.example", { token: "T0P-s3cret" })) },
            { kubeconfig: secretText(kubeconfig("https://b.example", { token: "T0P-s3cret" })) },
        );
        assert.deepEqual(byWorkload(check(write(secrets)).report), {});
        const same = check(
            write(
                exportOf(
                    { kubeconfig: secretText(kubeconfig("https://a.example", { token: "T0P-s3cret" })) },
                    { kubeconfig: secretText(kubeconfig("https://a.example", { token: "T0P-s3cret" })) },
                ),
            ),
        );
        assert.deepEqual(Object.keys(byWorkload(same.report)), ["web mandatory"]);
        assert.doesNotMatch(JSON.stringify(same.report), /T0P-s3cret|a\.example/);
        // Encrypted (not exported with --show-secrets): not known, so not proven either way.
        const encrypted = { [SECRET_SIG_KEY]: SECRET_SIG, ciphertext: "v1:Zm9vYmFy" };
        assert.deepEqual(Object.keys(byWorkload(check(write(exportOf({ kubeconfig: encrypted }, { kubeconfig: encrypted }))).report)), [
            "web advisory",
        ]);
    });

    it("a preview file keeps the Kubernetes provider resources apart too", () => {
        const doc = exportOf({ kubeconfig: "x" }, { kubeconfig: "y" });
        const steps = doc.deployment.resources.map((r) => ({ op: "create", urn: r.urn, newState: r }));
        const s = loadPreviewJson({ steps }, "preview.json");
        assert.deepEqual(
            s.providers?.map((p) => p.name),
            ["a", "b"],
        );
        assert.deepEqual(
            s.resources.map((r) => r.name),
            ["web", "web-lb"],
        );
    });
});
