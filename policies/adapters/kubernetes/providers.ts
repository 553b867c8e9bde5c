// Kubernetes provider resources (`pulumi:providers:kubernetes`): which cluster the resources deployed
// through one go to, as far as its inputs tell, for clusters.ts. Never a workload or a firewall.
//
// The kubeconfig is often a secret, and the API server it names comes from it: the model keeps
// digests of them (and of `context`, `cluster` and the context's namespace), which compare like the
// values and can never be printed. `namespace` (the default namespace of what names none) is kept as
// is, unless it is a secret.
import { createHash } from "crypto";
import { isPlainObject } from "../../base/values";
import { TopologyModel, TopologyValue } from "../../model/topology";
import { Input } from "../support/input";
import { Adapter } from "../support/resource-builder";
import { TopologyBuilder } from "../support/topology";

export const PROVIDER_TYPES: readonly string[] = ["pulumi:providers:kubernetes"];
export const PROVIDER_ROLE = "kubernetes:provider";

/** The YAML parser, loaded on first use: the pack starts without it (see registry/positions.ts). */
let yamlModule: typeof import("yaml") | undefined;
function parseKubeconfig(text: string): unknown {
    const t = text.trim();
    // A path to a kubeconfig, or one as JSON (what @pulumi/eks hands over): no YAML parser needed.
    if (!t.includes("\n") && !t.startsWith("{")) return t;
    if (t.startsWith("{")) {
        try {
            return JSON.parse(t);
        } catch {
            // YAML's flow style
        }
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (see above), which an import cannot be
    yamlModule ??= require("yaml") as typeof import("yaml");
    return yamlModule.parse(t, { logLevel: "error" });
}

const digest = (text: string) => `sha256:${createHash("sha256").update(text).digest("hex").slice(0, 32)}`;

/** A string input as a digest; unknown names its input; absent stays absent (the ambient configuration). */
function digestOf(input: Input): TopologyValue | undefined {
    if (input.missing) return undefined;
    if (input.unknown) return { unknown: input.path };
    const v = input.value;
    if (typeof v === "string") return digest(v);
    // A kubeconfig handed over as an object (a JSON kubeconfig not encoded): compared by its JSON.
    return isPlainObject(v) ? digest(JSON.stringify(v)) : { unknown: input.path };
}

function named(list: unknown, name: unknown): Record<string, unknown> | undefined {
    if (!Array.isArray(list) || typeof name !== "string") return undefined;
    const hit = (list as unknown[]).find((e) => isPlainObject(e) && e.name === name);
    return isPlainObject(hit) ? hit : undefined;
}

/** `https://API.example:443/` and `https://api.example` are one server. */
function normalServer(server: string): string {
    try {
        const u = new URL(server.trim());
        return `${u.protocol}//${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, "")}`;
    } catch {
        return server.trim();
    }
}

/**
 * What a kubeconfig says for the provider: the API server of its `context` (else `current-context`)
 * and of that context's cluster (else the provider's `cluster`), as kubectl resolves them, and the
 * context's namespace ("" for none: `default`). Undefined when the text is no kubeconfig (a path
 * to one) or the context is not in it.
 */
function selected(kubeconfig: Input, context: Input, cluster: Input): { server?: string; namespace: string } | undefined {
    if (context.unknown || cluster.unknown) return undefined;
    const v = kubeconfig.value;
    let doc: unknown = v;
    if (typeof v === "string") {
        try {
            doc = parseKubeconfig(v);
        } catch {
            return undefined;
        }
    }
    if (!isPlainObject(doc)) return undefined;
    const ctx = named(doc.contexts, context.string() ?? doc["current-context"])?.context;
    if (!isPlainObject(ctx)) return undefined;
    const entry = named(doc.clusters, cluster.string() ?? ctx.cluster)?.cluster;
    const server = isPlainObject(entry) ? entry.server : undefined;
    return {
        ...(typeof server === "string" && server.trim() !== "" ? { server: normalServer(server) } : {}),
        namespace: typeof ctx.namespace === "string" ? ctx.namespace : "",
    };
}

function provider(props: Input): TopologyModel {
    const b = new TopologyBuilder("kubernetes", PROVIDER_ROLE, props);
    b.identityKeys = [];
    const kubeconfig = props.get("kubeconfig");
    const context = props.get("context");
    const cluster = props.get("cluster");
    const values: Record<string, TopologyValue> = {};
    for (const [k, input] of [
        ["kubeconfig", kubeconfig],
        ["context", context],
        ["cluster", cluster],
    ] as const) {
        const d = digestOf(input);
        if (d !== undefined) values[k] = d;
    }
    const sel = kubeconfig.missing || kubeconfig.unknown ? undefined : selected(kubeconfig, context, cluster);
    if (sel?.server !== undefined) values.server = digest(sel.server);
    if (sel) values.contextNamespace = digest(sel.namespace);
    // A secret namespace would be printed as the namespace's name: it is compared as a digest instead.
    const namespace = props.get("namespace");
    const secretNamespace = namespace.secret ? namespace.string() : undefined;
    if (!namespace.secret) b.value("namespace", namespace);
    else if (secretNamespace !== undefined) values.secretNamespace = digest(secretNamespace);
    const m = b.build();
    return { ...m, values: { ...m.values, ...values } };
}

export const kubernetesProviderAdapters: Adapter[] = [
    {
        provider: "kubernetes",
        kind: "topology",
        types: PROVIDER_TYPES,
        summary:
            "the cluster a provider deploys to: the property dependencies of `kubeconfig` (the cluster resources it is built from), the API server " +
            "the kubeconfig names for its `context` and `cluster`, and `namespace`; the kubeconfig is compared, never printed.",
        normalise: (props) => provider(props),
    },
];
