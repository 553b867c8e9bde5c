// What `internal-ports explain` leaves unmodelled on a Kubernetes stack (GraphAssembler.focus): the
// resources of namespaces other than the asked workloads', unless something could tie them in.
// explain-focus.test.ts holds the answers to the whole graph's; this holds what is left out.
import { kubernetesFocus } from "../../policies/adapters/kubernetes/focus";
import { SentResource } from "../../policies/adapters/support/assembler";
import { SECRET_SIG, SECRET_SIG_KEY, UNKNOWN } from "../../policies/wire/engine";
import { FocusCase, focusTableTests } from "./focus-rows";

const T = {
    deployment: "kubernetes:apps/v1:Deployment",
    service: "kubernetes:core/v1:Service",
    policy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
    namespace: "kubernetes:core/v1:Namespace",
    provider: "pulumi:providers:kubernetes",
};

function res(type: string, name: string, namespace: unknown, spec: unknown = {}): SentResource {
    const metadata = namespace === undefined ? { name } : { name, namespace };
    return { type, urn: `urn:pulumi:dev::p::${type}::${name}`, props: { metadata, spec } };
}

const api = res(T.deployment, "api", "shop");
const db = res(T.deployment, "db", "data");
/** What every case has besides its own rows: the asked api (namespace shop) and an unrelated namespace's resources. */
const others = [
    res(T.deployment, "other-app", "other"),
    res(T.service, "other-svc", "other"),
    res(T.policy, "other-deny", "other", { podSelector: {}, policyTypes: ["Ingress"] }),
    res(T.ingress, "other-ing", "other"),
];
const podSelectorOnly = { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: "web" } } }] }] };

type Case = FocusCase;

const cases: Case[] = [
    {
        name: "another namespace's workloads, services, policies and ingresses are left out",
        rows: [api, res(T.service, "api-svc", "shop"), res(T.policy, "api-in", "shop", podSelectorOnly)],
        wanted: [api],
        out: ["other-app", "other-svc", "other-deny", "other-ing"],
    },
    {
        name: "both asked workloads' namespaces are kept",
        rows: [api, db, res(T.service, "db-svc", "data")],
        wanted: [api, db],
        out: ["other-app", "other-svc", "other-deny", "other-ing"],
    },
    {
        name: "Namespaces, providers and resources of other kinds are kept",
        rows: [
            api,
            res(T.namespace, "other", undefined),
            { type: T.provider, urn: "urn:pulumi:dev::p::pulumi:providers:kubernetes::k", props: {} },
        ],
        wanted: [api],
        out: ["other-app", "other-svc", "other-deny", "other-ing"],
    },
    {
        name: "a namespace in other letters or with spaces is the same namespace",
        rows: [api, res(T.service, "loud", " SHOP ")],
        wanted: [api],
        out: ["other-app", "other-svc", "other-deny", "other-ing"],
    },
    {
        name: "what names no namespace (the provider's default), an unknown one or a secret one is kept",
        rows: [
            api,
            res(T.service, "unset", undefined),
            res(T.service, "empty", ""),
            res(T.service, "unknown", UNKNOWN),
            res(T.service, "secret", { [SECRET_SIG_KEY]: SECRET_SIG, value: "other" }),
        ],
        wanted: [api],
        out: ["other-app", "other-svc", "other-deny", "other-ing"],
    },
    {
        name: "an asked workload whose namespace is not known: nothing is left out",
        rows: [res(T.deployment, "api", UNKNOWN)],
        wanted: [res(T.deployment, "api", UNKNOWN)],
        out: "all",
    },
    {
        name: "an asked workload without a namespace (the provider's default): nothing is left out",
        rows: [res(T.deployment, "api", undefined)],
        wanted: [res(T.deployment, "api", undefined)],
        out: "all",
    },
    {
        name: "a kept policy with a namespace selector: every namespace's pods are kept (its rules name them)",
        rows: [api, res(T.policy, "api-in", "shop", { ingress: [{ from: [{ namespaceSelector: {} }] }] })],
        wanted: [api],
        out: ["other-svc", "other-deny", "other-ing"],
    },
    {
        name: "a namespace selector that names its namespaces by `kubernetes.io/metadata.name` keeps their pods only",
        rows: [
            api,
            res(T.deployment, "third-app", "third"),
            res(T.policy, "api-in", "shop", {
                ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "Other", team: "x" } } }] }],
            }),
        ],
        wanted: [api],
        out: ["other-svc", "other-deny", "other-ing", "third-app"],
    },
    {
        name: "…or in an `In` expression",
        rows: [
            api,
            res(T.deployment, "third-app", "third"),
            res(T.policy, "api-out", "shop", {
                egress: [
                    {
                        to: [
                            {
                                namespaceSelector: {
                                    matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["third"] }],
                                },
                                podSelector: {},
                            },
                        ],
                    },
                ],
            }),
        ],
        wanted: [api],
        out: ["other-app", "other-svc", "other-deny", "other-ing"],
    },
    {
        name: "a namespace selector whose name is unknown, or that selects by other labels or operators, keeps every namespace's pods",
        rows: [
            api,
            res(T.deployment, "third-app", "third"),
            res(T.policy, "a", "shop", {
                ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": UNKNOWN } } }] }],
            }),
            res(T.policy, "b", "shop", { ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "x" } } }] }] }),
            res(T.policy, "c", "shop", {
                ingress: [
                    {
                        from: [
                            {
                                namespaceSelector: {
                                    matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["x"] }],
                                },
                            },
                        ],
                    },
                ],
            }),
        ],
        wanted: [api],
        out: ["other-svc", "other-deny", "other-ing"],
    },
    {
        name: "a kept policy with an egress rule to everybody: every pod's named ports number it",
        rows: [api, res(T.policy, "api-out", "shop", { egress: [{ ports: [{ port: "pg" }] }] })],
        wanted: [api],
        out: ["other-svc", "other-deny", "other-ing"],
    },
    {
        name: "a kept policy with an unknown or a secret peer list: every namespace's pods are kept",
        rows: [
            api,
            res(T.policy, "unknown-peers", "shop", { ingress: [{ from: UNKNOWN }] }),
            res(T.policy, "secret-spec", "shop", { [SECRET_SIG_KEY]: SECRET_SIG, value: {} }),
        ],
        wanted: [api],
        out: ["other-svc", "other-deny", "other-ing"],
    },
    {
        name: "a namespace selector in a policy of a namespace left out ties nothing in",
        rows: [api, res(T.policy, "far", "other", { ingress: [{ from: [{ namespaceSelector: {} }] }] })],
        wanted: [api],
        out: ["other-app", "other-svc", "other-deny", "other-ing", "far"],
    },
];

describe("kubernetes focus: what explain need not model", () => {
    focusTableTests(kubernetesFocus, cases, others);
});
