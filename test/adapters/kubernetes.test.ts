import { FirewallModel } from "../../policies/model/resources";
import { strict as assert } from "assert";
import { coversWorld } from "../../policies/model/addresses";
import { evaluate } from "../../policies/analysis/evaluate";
import { Input } from "../../policies/adapters/support/input";
import { adapterFor } from "../../policies/adapters";
import { AdapterCase, adapterCases, normaliseOrFail, UNKNOWN } from "../helpers";

const SVC = "kubernetes:core/v1:Service";
const NP = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const NP_BETA = "kubernetes:extensions/v1beta1:NetworkPolicy";

const lb = (spec: Record<string, unknown>, annotations?: Record<string, unknown>) => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "db", ...(annotations ? { annotations } : {}) },
    spec: { type: "LoadBalancer", ...spec },
});
const policy = (spec: Record<string, unknown>) => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "p" },
    spec: { podSelector: {}, ...spec },
});

const WORLD_LB = "anywhere: no loadBalancerSourceRanges";

const serviceCases: AdapterCase[] = [
    {
        name: "LoadBalancer without source ranges: the world on port, node ports from the node firewall; labels as tags",
        props: {
            metadata: { labels: { app: "db", tier: UNKNOWN, n: 1 } },
            spec: {
                type: "LoadBalancer",
                ports: [
                    { port: 5432, targetPort: "pg" },
                    { name: "dns", port: "53", protocol: "UDP", nodePort: "30053" },
                ],
            },
        },
        rules: [
            `spec.ports[0]: inbound allow tcp 5432 from ${WORLD_LB}`,
            "spec.ports[0].nodePort: inbound allow tcp 30000-32767 from node-firewall",
            `spec.ports[1]: inbound allow udp 53 from ${WORLD_LB}`,
            "spec.ports[1].nodePort: inbound allow udp 30053 from node-firewall",
        ],
        tags: { app: "db" },
    },
    {
        name: "an empty source range list is the world too; the type in any case",
        props: lb({ type: "loadbalancer", loadBalancerSourceRanges: [], allocateLoadBalancerNodePorts: false, ports: [{ port: 443 }] }),
        rules: [`spec.ports[0]: inbound allow tcp 443 from ${WORLD_LB}`],
    },
    {
        name: "source ranges, and a requested node port even without allocation",
        props: lb({
            loadBalancerSourceRanges: ["10.0.0.0/8", "2001:db8::/32"],
            allocateLoadBalancerNodePorts: "false",
            ports: [{ port: 5432, nodePort: 31432 }],
        }),
        rules: [
            "spec.ports[0]: inbound allow tcp 5432 from 10.0.0.0/8 2001:db8::/32",
            "spec.ports[0].nodePort: inbound allow tcp 31432 from node-firewall",
        ],
    },
    {
        name: "source ranges from the annotation when the field is empty; the field wins otherwise",
        props: {
            metadata: { annotations: { "service.beta.kubernetes.io/load-balancer-source-ranges": "198.51.100.0/24, 203.0.113.7/32," } },
            spec: { type: "LoadBalancer", allocateLoadBalancerNodePorts: false, ports: [{ port: 22 }] },
        },
        rules: ["spec.ports[0]: inbound allow tcp 22 from 198.51.100.0/24 203.0.113.7/32"],
    },
    {
        name: "the field wins over the annotation",
        props: lb(
            { loadBalancerSourceRanges: ["10.0.0.0/8"], allocateLoadBalancerNodePorts: false, ports: [{ port: 22 }] },
            { "service.beta.kubernetes.io/load-balancer-source-ranges": "0.0.0.0/0" },
        ),
        rules: ["spec.ports[0]: inbound allow tcp 22 from 10.0.0.0/8"],
    },
    ...(
        [
            ["AWS scheme", { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" }],
            ["AWS legacy boolean", { "service.beta.kubernetes.io/aws-load-balancer-internal": "true" }],
            ["AWS legacy boolean in capitals", { "service.beta.kubernetes.io/aws-load-balancer-internal": "TRUE" }],
            ["AWS legacy 0.0.0.0/0 from old docs", { "service.beta.kubernetes.io/aws-load-balancer-internal": "0.0.0.0/0" }],
            ["Azure", { "service.beta.kubernetes.io/azure-load-balancer-internal": "true" }],
            ["GKE", { "networking.gke.io/load-balancer-type": "Internal" }],
            ["GKE legacy annotation", { "cloud.google.com/load-balancer-type": "Internal" }],
            ["GKE deprecated lowercase", { "networking.gke.io/load-balancer-type": "internal" }],
        ] as const
    ).map(([name, annotations]): AdapterCase => ({
        name: `internal load balancer: ${name}`,
        props: lb({ allocateLoadBalancerNodePorts: false, ports: [{ port: 5432 }] }, annotations),
        rules: ["spec.ports[0]: inbound allow tcp 5432 from internal-load-balancer"],
    })),
    {
        name: "internal load balancer: GKE loadBalancerClass",
        props: lb({
            loadBalancerClass: "networking.gke.io/l4-regional-internal",
            allocateLoadBalancerNodePorts: false,
            ports: [{ port: 5432 }],
        }),
        rules: ["spec.ports[0]: inbound allow tcp 5432 from internal-load-balancer"],
    },
    ...(
        [
            [
                "AWS scheme internet-facing beats the legacy boolean",
                {
                    "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
                    "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
                },
            ],
            ["AWS legacy false", { "service.beta.kubernetes.io/aws-load-balancer-internal": "false" }],
            ['Azure reads exactly "true"', { "service.beta.kubernetes.io/azure-load-balancer-internal": "True" }],
            ["Azure false", { "service.beta.kubernetes.io/azure-load-balancer-internal": "false" }],
            ["GKE External", { "networking.gke.io/load-balancer-type": "External" }],
            [
                "GKE: the first annotation present decides",
                { "networking.gke.io/load-balancer-type": "External", "cloud.google.com/load-balancer-type": "Internal" },
            ],
            ["an annotation value of the wrong type", { "service.beta.kubernetes.io/azure-load-balancer-internal": true }],
        ] as const
    ).map(([name, annotations]): AdapterCase => ({
        name: `still public: ${name}`,
        props: lb({ allocateLoadBalancerNodePorts: false, ports: [{ port: 5432 }] }, annotations),
        rules: [`spec.ports[0]: inbound allow tcp 5432 from ${WORLD_LB}`],
    })),
    {
        name: "an unknown annotation leaves the sources unknown, neither world nor internal",
        props: lb(
            { allocateLoadBalancerNodePorts: false, ports: [{ port: 5432 }] },
            { "service.beta.kubernetes.io/azure-load-balancer-internal": UNKNOWN },
        ),
        rules: [
            "spec.ports[0]: inbound allow tcp 5432 from ? unknown(metadata.annotations.service.beta.kubernetes.io/azure-load-balancer-internal)",
        ],
    },
    {
        name: "unknown annotations, unknown source ranges",
        props: {
            metadata: { annotations: UNKNOWN },
            spec: { type: "LoadBalancer", allocateLoadBalancerNodePorts: false, ports: [{ port: 5432 }] },
        },
        rules: ["spec.ports[0]: inbound allow tcp 5432 from ? unknown(metadata.annotations)"],
    },
    {
        name: "unknown source ranges",
        props: lb({ loadBalancerSourceRanges: UNKNOWN, allocateLoadBalancerNodePorts: false, ports: [{ port: 5432 }] }),
        rules: ["spec.ports[0]: inbound allow tcp 5432 from ? unknown(spec.loadBalancerSourceRanges)"],
    },
    {
        name: "externalTrafficPolicy Local adds the health check node port",
        props: lb(
            { externalTrafficPolicy: "Local", healthCheckNodePort: 32000, ports: [{ port: 443, nodePort: 30443 }] },
            { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" },
        ),
        rules: [
            "spec.ports[0]: inbound allow tcp 443 from internal-load-balancer",
            "spec.ports[0].nodePort: inbound allow tcp 30443 from node-firewall",
            "spec.healthCheckNodePort: inbound allow tcp 32000 from node-firewall",
        ],
    },
    {
        name: "NodePort: node ports only; SCTP is not a port rule the pack judges",
        props: {
            spec: {
                type: "NodePort",
                ports: [
                    { port: 80, nodePort: 30080 },
                    { port: 9999, protocol: "SCTP" },
                ],
            },
        },
        rules: [
            "spec.ports[0].nodePort: inbound allow tcp 30080 from node-firewall",
            "spec.ports[1].nodePort: inbound allow proto-132 from node-firewall",
        ],
    },
    {
        name: "ClusterIP (default type) and ExternalName open nothing",
        props: { spec: { ports: [{ port: 5432 }] } },
        rules: [],
    },
    {
        name: "ExternalName ignores externalIPs",
        props: { spec: { type: "ExternalName", externalName: "db.example.com", externalIPs: ["203.0.113.10"], ports: [{ port: 5432 }] } },
        rules: [],
    },
    {
        name: "externalIPs: the port from the external IPs (a ClusterIP Service too)",
        props: { spec: { externalIPs: ["203.0.113.10"], ports: [{ port: 8080 }] } },
        rules: ["spec.ports[0]: inbound allow tcp 8080 from external-ips"],
    },
    {
        name: "externalIPs on a LoadBalancer add to its sources",
        props: lb({
            externalIPs: UNKNOWN,
            loadBalancerSourceRanges: ["10.0.0.0/8"],
            allocateLoadBalancerNodePorts: false,
            ports: [{ port: 8080 }],
        }),
        rules: ["spec.ports[0]: inbound allow tcp 8080 from 10.0.0.0/8 external-ips"],
    },
    {
        name: "unknown ports and node ports",
        props: lb({ loadBalancerSourceRanges: ["10.0.0.0/8"], ports: [{ port: UNKNOWN, nodePort: UNKNOWN }] }),
        rules: [
            "spec.ports[0]: inbound allow tcp no ports from 10.0.0.0/8 unknown(spec.ports[0].port)",
            "spec.ports[0].nodePort: inbound allow tcp 30000-32767 from node-firewall unknown(spec.ports[0].nodePort)",
        ],
    },
    {
        name: "an unknown port list",
        props: lb({ ports: UNKNOWN }),
        rules: [],
        unknown: ["spec.ports"],
    },
    {
        name: "an unknown type",
        props: { spec: { type: UNKNOWN, ports: [{ port: 22 }] } },
        rules: [],
        unknown: ["spec.type"],
    },
    {
        name: "an unknown spec",
        props: { spec: UNKNOWN },
        rules: [],
        unknown: ["spec"],
    },
    {
        name: "wrong types are problems, never a crash",
        props: lb({
            loadBalancerSourceRanges: "10.0.0.0/8",
            ports: [null, "80", { port: "http", protocol: 6, nodePort: 99999 }, { protocol: "tcp" }],
        }),
        rules: [
            "spec.ports[2]: inbound allow tcp no ports from 10.0.0.0/8 invalid(spec.ports[2].port)",
            "spec.ports[2].nodePort: inbound allow tcp no ports from node-firewall invalid(spec.ports[2].nodePort)",
            "spec.ports[3]: inbound allow tcp 0-65535 (all ports) from 10.0.0.0/8 invalid(spec.ports[3].port)",
            "spec.ports[3].nodePort: inbound allow tcp 30000-32767 from node-firewall",
        ],
        problems: ["spec.ports[0] is not a rule object", "spec.ports[1] is not a rule object"],
    },
    {
        name: "a type that is not a Service type, a spec that is not an object",
        props: { spec: { type: "Public", ports: [{ port: 22 }] } },
        rules: [],
        problems: ["spec.type is not ClusterIP, NodePort, LoadBalancer or ExternalName"],
    },
    {
        name: "a spec that is not an object",
        props: { spec: "LoadBalancer" },
        rules: [],
        problems: ["spec is not an object"],
    },
];

const policyCases: AdapterCase[] = [
    {
        name: "ingress from an ipBlock on numbered ports; protocol default TCP; labels as tags",
        props: {
            metadata: { labels: { app: "db" } },
            spec: {
                podSelector: { matchLabels: { app: "db" } },
                policyTypes: ["Ingress"],
                ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/8" } }], ports: [{ port: 5432 }, { protocol: "UDP", port: "53" }] }],
            },
        },
        rules: [
            "spec.ingress[0].ports[0]: inbound allow tcp 5432 from 10.0.0.0/8",
            "spec.ingress[0].ports[1]: inbound allow udp 53 from 10.0.0.0/8",
        ],
        tags: { app: "db" },
    },
    {
        name: "no from is everybody, no ports is every port; an empty rule both",
        props: policy({ ingress: [{ ports: [{ port: 6379 }] }, { from: [], ports: [] }, {}] }),
        rules: [
            "spec.ingress[0].ports[0]: inbound allow tcp 6379 from anywhere: no from",
            "spec.ingress[1]: inbound allow all 0-65535 (all ports) from anywhere: no from",
            "spec.ingress[2]: inbound allow all 0-65535 (all ports) from anywhere: no from",
        ],
    },
    {
        name: "ipBlock except is subtracted from the block",
        props: policy({
            ingress: [
                {
                    from: [
                        { ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "192.168.0.0/16"] } },
                        { ipBlock: { cidr: "10.0.0.0/8", except: ["10.1.0.0/16"] } },
                    ],
                    ports: [{ port: 22 }],
                },
            ],
        }),
        rules: [
            "spec.ingress[0].ports[0]: inbound allow tcp 22 from 0.0.0.0/0 except 10.0.0.0/8 and 192.168.0.0/16 10.0.0.0/8 except 10.1.0.0/16",
        ],
    },
    {
        name: "pod and namespace selectors are named sources, empty or not",
        props: policy({
            ingress: [
                {
                    from: [
                        { podSelector: {} },
                        { namespaceSelector: { matchLabels: { team: "a" } } },
                        { namespaceSelector: {}, podSelector: { matchLabels: { app: "x" } } },
                        { podSelector: UNKNOWN },
                        // Named by plain matchLabels only: an expression says more than a name can.
                        { podSelector: { matchLabels: { "app.kubernetes.io/name": "api" } } },
                        {
                            podSelector: {
                                matchLabels: { app: "web" },
                                matchExpressions: [{ key: "tier", operator: "In", values: ["a"] }],
                            },
                        },
                    ],
                    ports: [{ port: 8080 }],
                },
            ],
        }),
        rules: [
            "spec.ingress[0].ports[0]: inbound allow tcp 8080 from pod-selector namespace-selector:team=a namespace-selector pod-selector " +
                "pod-selector:app.kubernetes.io/name=api pod-selector",
        ],
    },
    {
        name: "port ranges with endPort; port 0 is a port; a protocol without a port is every port",
        props: policy({
            ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 32000, endPort: 32768 }, { port: 0 }, { protocol: "udp" }] }],
        }),
        rules: [
            "spec.ingress[0].ports[0]: inbound allow tcp 32000-32768 from pod-selector",
            "spec.ingress[0].ports[1]: inbound allow tcp 0 from pod-selector",
            "spec.ingress[0].ports[2]: inbound allow udp 0-65535 (all ports) from pod-selector",
        ],
    },
    {
        name: "named ports cannot be verified here; the other entries are judged",
        props: policy({ ingress: [{ ports: [{ port: "postgres" }, { port: 5432 }, { port: "http", endPort: 90 }] }] }),
        rules: [
            "spec.ingress[0].ports[0]: inbound allow tcp 0-65535 (all ports) from anywhere: no from unverifiable(spec.ingress[0].ports[0].port)",
            "spec.ingress[0].ports[1]: inbound allow tcp 5432 from anywhere: no from",
            "spec.ingress[0].ports[2]: inbound allow tcp 0-65535 (all ports) from anywhere: no from unverifiable(spec.ingress[0].ports[2].port) invalid(spec.ingress[0].ports[2].endPort)",
        ],
    },
    {
        name: "not a port name: capitals, a range string, too long",
        props: policy({
            ingress: [{ from: [{ podSelector: {} }], ports: [{ port: "HTTP" }, { port: "80-90" }, { port: "a-very-long-port-name" }] }],
        }),
        rules: [
            "spec.ingress[0].ports[0]: inbound allow tcp 0-65535 (all ports) from pod-selector invalid(spec.ingress[0].ports[0].port)",
            "spec.ingress[0].ports[1]: inbound allow tcp 0-65535 (all ports) from pod-selector invalid(spec.ingress[0].ports[1].port)",
            "spec.ingress[0].ports[2]: inbound allow tcp 0-65535 (all ports) from pod-selector invalid(spec.ingress[0].ports[2].port)",
        ],
    },
    {
        name: "bad ranges: end before start, endPort without port, -1",
        props: policy({
            ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 90, endPort: 80 }, { endPort: 80 }, { port: -1, endPort: -1 }] }],
        }),
        rules: [
            "spec.ingress[0].ports[0]: inbound allow tcp 0-65535 (all ports) from pod-selector invalid(spec.ingress[0].ports[0].port)",
            "spec.ingress[0].ports[1]: inbound allow tcp 0-65535 (all ports) from pod-selector invalid(spec.ingress[0].ports[1].endPort)",
            "spec.ingress[0].ports[2]: inbound allow tcp 0-65535 (all ports) from pod-selector invalid(spec.ingress[0].ports[2].port)",
        ],
    },
    {
        name: "egress rules are outbound, by destination",
        props: policy({
            policyTypes: ["Ingress", "Egress"],
            egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 443 }] }, {}],
        }),
        rules: [
            "spec.egress[0].ports[0]: outbound allow tcp 443 from 0.0.0.0/0",
            "spec.egress[1]: outbound allow all 0-65535 (all ports) from anywhere: no to",
        ],
    },
    {
        name: "policyTypes decides which side applies, in any case",
        props: policy({ policyTypes: ["egress"], ingress: [{}], egress: [{ ports: [{ port: 53, protocol: "UDP" }] }] }),
        rules: ["spec.egress[0].ports[0]: outbound allow udp 53 from anywhere: no to"],
    },
    {
        name: "without policyTypes: ingress always, egress when present",
        props: policy({ ingress: [{ ports: [{ port: 443 }] }], egress: [{ ports: [{ port: 443 }] }] }),
        rules: [
            "spec.ingress[0].ports[0]: inbound allow tcp 443 from anywhere: no from",
            "spec.egress[0].ports[0]: outbound allow tcp 443 from anywhere: no to",
        ],
    },
    {
        name: "unknown policyTypes judges both sides",
        props: policy({ policyTypes: UNKNOWN, ingress: [{}], egress: [{}] }),
        rules: [
            "spec.ingress[0]: inbound allow all 0-65535 (all ports) from anywhere: no from",
            "spec.egress[0]: outbound allow all 0-65535 (all ports) from anywhere: no to",
        ],
    },
    {
        name: "unknown values are recorded per part",
        props: policy({
            ingress: [
                { from: [{ ipBlock: { cidr: UNKNOWN } }], ports: [{ port: UNKNOWN }] },
                { from: UNKNOWN, ports: UNKNOWN },
                { from: [{ ipBlock: { cidr: "0.0.0.0/0", except: [UNKNOWN] } }], ports: [UNKNOWN] },
            ],
        }),
        rules: [
            "spec.ingress[0].ports[0]: inbound allow tcp 0-65535 (all ports) from ? unknown(spec.ingress[0].from[0].ipBlock.cidr) unknown(spec.ingress[0].ports[0].port)",
            "spec.ingress[1]: inbound allow all 0-65535 (all ports) from ? unknown(spec.ingress[1].from) unknown(spec.ingress[1].ports)",
            "spec.ingress[2].ports[0]: inbound allow all 0-65535 (all ports) from 0.0.0.0/0 ? unknown(spec.ingress[2].from[0].ipBlock.except[0]) unknown(spec.ingress[2].ports[0]) unknown(spec.ingress[2].ports[0])",
        ],
    },
    {
        name: "an unknown ingress list",
        props: policy({ ingress: UNKNOWN }),
        rules: [],
        unknown: ["spec.ingress"],
    },
    {
        name: "wrong types are invalid values or problems, never a crash",
        props: policy({
            ingress: [
                7,
                {
                    from: [
                        {},
                        "pods",
                        { ipBlock: "10.0.0.0/8" },
                        { ipBlock: { cidr: "10.0.0.0/33" } },
                        { ipBlock: { cidr: "10.0.0.0/8", except: ["192.168.0.0/16", "::/0", 5] } },
                    ],
                    ports: [3, { port: [] }],
                },
                { from: "everyone", ports: "all" },
            ],
            egress: { to: [] },
        }),
        rules: [
            "spec.ingress[1].ports[0]: inbound allow all 0-65535 (all ports) from 10.0.0.0/8 invalid(spec.ingress[1].from[0]) invalid(spec.ingress[1].from[1]) invalid(spec.ingress[1].from[2].ipBlock) " +
                "invalid(spec.ingress[1].from[3].ipBlock.cidr) invalid(spec.ingress[1].from[4].ipBlock.except[0]) invalid(spec.ingress[1].from[4].ipBlock.except[1]) invalid(spec.ingress[1].from[4].ipBlock.except[2]) invalid(spec.ingress[1].ports[0])",
            "spec.ingress[1].ports[1]: inbound allow tcp no ports from 10.0.0.0/8 invalid(spec.ingress[1].from[0]) invalid(spec.ingress[1].from[1]) invalid(spec.ingress[1].from[2].ipBlock) " +
                "invalid(spec.ingress[1].from[3].ipBlock.cidr) invalid(spec.ingress[1].from[4].ipBlock.except[0]) invalid(spec.ingress[1].from[4].ipBlock.except[1]) invalid(spec.ingress[1].from[4].ipBlock.except[2]) invalid(spec.ingress[1].ports[1].port)",
            "spec.ingress[2]: inbound allow all 0-65535 (all ports) from - invalid(spec.ingress[2].from) invalid(spec.ingress[2].ports)",
        ],
        problems: ["spec.ingress[0] is not a rule object", "spec.egress is not a list of rules"],
    },
    {
        name: "the deprecated extensions/v1beta1 NetworkPolicy reads the same shape",
        type: NP_BETA,
        props: policy({ ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 22 }] }] }),
        rules: ["spec.ingress[0].ports[0]: inbound allow tcp 22 from 0.0.0.0/0"],
    },
];

describe("Kubernetes adapters", () => {
    for (const [group, type, table] of [
        ["Service", SVC, serviceCases],
        ["NetworkPolicy", NP, policyCases],
    ] as const) {
        describe(group, () => {
            adapterCases(table, { type, provider: "kubernetes", problemsBy: "message", tags: true });
        });
    }

    describe("ipBlock except and the whole-internet question", () => {
        const peersOf = (from: unknown[]) => normaliseOrFail(NP, policy({ ingress: [{ from, ports: [{ port: 5432 }] }] })).rules[0].peers;
        it("subtracts the exceptions from the addresses (interval sets, not strings)", () => {
            const p = peersOf([{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }]);
            assert.equal(p.v4.isFull, false);
            assert.deepEqual(p.v4.intervals, [
                [0n, 0x09ffffffn],
                [0x0b000000n, 0xffffffffn],
            ]);
        });
        it("0.0.0.0/0 except a private range is still the internet, as a partial deny before an allow is", () => {
            assert.equal(coversWorld(peersOf([{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12"] } }])), true);
            const world = evaluate(
                normaliseOrFail(
                    NP,
                    policy({ ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }], ports: [{ port: 5432 }] }] }),
                ).rules,
            ).world;
            assert.equal(world.length, 1);
            assert.equal(world[0].single, true);
        });
        it("blocks that add up to a family are the internet even with exceptions", () => {
            assert.equal(
                coversWorld(peersOf([{ ipBlock: { cidr: "0.0.0.0/1", except: ["10.0.0.0/8"] } }, { ipBlock: { cidr: "128.0.0.0/1" } }])),
                true,
            );
        });
        it("exceptions that cover the whole family close it", () => {
            assert.equal(coversWorld(peersOf([{ ipBlock: { cidr: "0.0.0.0/0", except: ["0.0.0.0/1", "128.0.0.0/1"] } }])), false);
        });
        it("a block that is not the internet stays what remains of it for per-source checks", () => {
            const p = peersOf([{ ipBlock: { cidr: "10.0.0.0/8", except: ["10.2.0.0/16"] } }]);
            assert.equal(coversWorld(p), false);
            assert.deepEqual(
                p.blocks.map((b) => [b.range, b.text]),
                [
                    [[0x0a000000n, 0x0a01ffffn], "10.0.0.0/8 except 10.2.0.0/16"],
                    [[0x0a030000n, 0x0affffffn], "10.0.0.0/8 except 10.2.0.0/16"],
                ],
            );
        });
        it("the internet minus a range stays one whole-family block", () => {
            const p = peersOf([{ ipBlock: { cidr: "::/0", except: ["fd00::/8"] } }]);
            assert.deepEqual(
                p.blocks.map((b) => [b.family, b.text]),
                [["v6", "::/0 except fd00::/8"]],
            );
        });
    });

    it("secret values are marked, and named ports are not echoed when secret", () => {
        const adapter = adapterFor(NP)!;
        const r = adapter.normalise(
            Input.root(
                policy({ ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: "pg" }] }] }),
                new Set(["spec.ingress[0].from[0].ipBlock.cidr", "spec.ingress[0].ports[0].port"]),
            ),
            NP,
        ) as FirewallModel;
        assert.ok(r.rules[0].secret.has("peers"));
        assert.ok(r.rules[0].secret.has("ports"));
        assert.ok(!r.rules[0].unresolved[0].detail!.includes("pg"));
    });

    it("a selector whose label value is secret is not named by its labels", () => {
        const adapter = adapterFor(NP)!;
        const props = policy({
            ingress: [{ from: [{ podSelector: { matchLabels: { app: "web", team: "hush" } } }], ports: [{ port: 80 }] }],
        });
        const named = (secrets: Set<string>) =>
            (adapter.normalise(Input.root(props, secrets), NP) as FirewallModel).rules[0].peers.symbols.map((s) => s.id);
        assert.deepEqual(named(new Set()), ["app=web,team=hush"]);
        assert.deepEqual(named(new Set(["spec.ingress[0].from[0].podSelector.matchLabels.team"])), [undefined]);
    });
});
