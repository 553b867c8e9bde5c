// DigitalOcean rows for every policy's table: Cloud Firewalls in the shape `@pulumi/digitalocean` sends.
import { UNKNOWN } from "../../helpers";
import { CaseTable } from "../index";

const FW = "digitalocean:index/firewall:Firewall";
const WORLD = ["0.0.0.0/0", "::/0"];

const fw = (...inboundRules: Record<string, unknown>[]) => ({ name: "fw", dropletIds: [101], inboundRules });
const tcp = (portRange: string, over: Record<string, unknown>) => ({ protocol: "tcp", portRange, ...over });

const noWorld: CaseTable = {
    valid: [
        {
            name: "the provider's own example: SSH from a private range, HTTP/HTTPS and ICMP from anywhere",
            type: FW,
            props: fw(
                tcp("22", { sourceAddresses: ["192.168.1.0/24", "2002:1:2::/48"] }),
                tcp("80", { sourceAddresses: WORLD }),
                tcp("443", { sourceAddresses: WORLD }),
                { protocol: "icmp", sourceAddresses: WORLD },
            ),
        },
        {
            name: "droplets, tags, load balancers and Kubernetes clusters are never the world",
            type: FW,
            props: fw(
                tcp("all", {
                    sourceDropletIds: [123],
                    sourceTags: ["app"],
                    sourceLoadBalancerUids: ["4de7ac8b-495b-4884-9a69-1050c6793cd6"],
                    sourceKubernetesIds: ["bd5f5959-5e1e-4205-a714-a914373942af"],
                }),
            ),
        },
        {
            name: "outbound to the world is not inbound",
            type: FW,
            props: {
                name: "fw",
                outboundRules: [
                    tcp("all", { destinationAddresses: WORLD }),
                    { protocol: "udp", portRange: "1-65535", destinationAddresses: WORLD },
                ],
            },
        },
        {
            name: "a deny rule beats an allow rule, wherever it is in the list",
            type: FW,
            props: fw(tcp("22", { sourceAddresses: WORLD }), tcp("22", { sourceAddresses: WORLD, action: "deny" })),
        },
        { name: "a firewall without rules", type: FW, props: { name: "fw", tags: ["web"] } },
    ],
    invalid: [
        {
            name: "SSH from 0.0.0.0/0 and ::/0",
            type: FW,
            props: fw(tcp("22", { sourceAddresses: WORLD })),
            errors: [
                [
                    "worldOpen",
                    "inboundRules[0]",
                    { rules: "inboundRules[0] (from 0.0.0.0/0 and ::/0)", ports: "tcp 22 (ssh)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "port range all opens every internal port",
            type: FW,
            props: fw(tcp("all", { sourceAddresses: ["0.0.0.0/0"] })),
            errors: [
                [
                    "worldOpen",
                    "inboundRules[0]",
                    {
                        rules: "inboundRules[0] (from 0.0.0.0/0)",
                        ports: "tcp 22 (ssh), 53 (dns), 2379-2380 (etcd), 5432 (postgres), 6379 (redis) and 2 more",
                    },
                    "fixWide",
                ],
            ],
        },
        {
            name: "1-65535 from ::/0",
            type: FW,
            props: fw({ protocol: "udp", portRange: "1-65535", sourceAddresses: ["::/0"] }),
            errors: [
                [
                    "worldOpen",
                    "inboundRules[0]",
                    { rules: "inboundRules[0] (from ::/0)", ports: "udp 53 (dns), 1-52, 54-65535 (65534 undocumented ports)" },
                    "fixWide",
                ],
            ],
        },
        {
            name: "the API's 0 means every port",
            type: FW,
            props: fw(tcp("0", { sourceAddresses: ["0.0.0.0/0"] })),
            errors: [
                [
                    "worldOpen",
                    "inboundRules[0]",
                    {
                        rules: "inboundRules[0] (from 0.0.0.0/0)",
                        ports: "tcp 22 (ssh), 53 (dns), 2379-2380 (etcd), 5432 (postgres), 6379 (redis) and 2 more",
                    },
                    "fixWide",
                ],
            ],
        },
        {
            name: "the second rule is named",
            type: FW,
            props: fw(tcp("443", { sourceAddresses: WORLD }), tcp("5432", { sourceAddresses: ["0.0.0.0/0"] })),
            errors: [
                ["worldOpen", "inboundRules[1]", { rules: "inboundRules[1] (from 0.0.0.0/0)", ports: "tcp 5432 (postgres)" }, "fixSources"],
            ],
        },
        {
            name: "a range that contains an internal port",
            type: FW,
            props: fw(tcp("6000-6500", { sourceAddresses: WORLD })),
            errors: [
                [
                    "worldOpen",
                    "inboundRules[0]",
                    {
                        rules: "inboundRules[0] (from 0.0.0.0/0 and ::/0)",
                        ports: "tcp 6379 (redis), 6000-6378, 6380-6500 (500 undocumented ports)",
                    },
                    "fixWide",
                ],
            ],
        },
        {
            name: "a deny for other ports does not close SSH",
            type: FW,
            props: fw(tcp("23", { sourceAddresses: WORLD, action: "deny" }), tcp("22", { sourceAddresses: WORLD })),
            errors: [
                [
                    "worldOpen",
                    "inboundRules[1]",
                    { rules: "inboundRules[1] (from 0.0.0.0/0 and ::/0)", ports: "tcp 22 (ssh)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "a droplet tag next to 0.0.0.0/0 does not narrow it",
            type: FW,
            props: fw(tcp("6379", { sourceTags: ["web"], sourceAddresses: ["0.0.0.0/0"] })),
            errors: [
                [
                    "worldOpen",
                    "inboundRules[0]",
                    { rules: "inboundRules[0] (from 0.0.0.0/0 and droplet-tag web)", ports: "tcp 6379 (redis)" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "a known violation is reported even when another rule is unknown",
            type: FW,
            props: fw(tcp("22", { sourceAddresses: WORLD }), tcp("5432", { sourceAddresses: [UNKNOWN] })),
            errors: [
                [
                    "worldOpen",
                    "inboundRules[0]",
                    { rules: "inboundRules[0] (from 0.0.0.0/0 and ::/0)", ports: "tcp 22 (ssh)" },
                    "fixSources",
                ],
            ],
            advisories: [
                ["ruleUnknown", "inboundRules[1]", { rule: "inboundRules[1]", paths: "inboundRules[1].sourceAddresses[0]" }, null],
            ],
        },
        {
            name: "ten world-open rules: one finding, one item per rule in rule order",
            type: FW,
            props: fw(
                ...["22", "5432", "6379", "2379-2380", "8080", "9000", "9001", "9002", "9003", "9004"].map((p) =>
                    tcp(p, { sourceAddresses: WORLD }),
                ),
            ),
            errors: [
                ["worldOpen", "inboundRules[0]", { ports: "tcp 22 (ssh)" }, "fixSourcesNew"],
                ["worldOpen", "inboundRules[1]", { ports: "tcp 5432 (postgres)" }, "fixSourcesNew"],
                ["worldOpen", "inboundRules[2]", { ports: "tcp 6379 (redis)" }, "fixSourcesNew"],
                ["worldOpen", "inboundRules[3]", { ports: "tcp 2379-2380 (etcd)" }, "fixSourcesNew"],
                ["worldOpen", "inboundRules[4]", { ports: "tcp 8080 (app)" }, "fixSourcesNew"],
                ...[9000, 9001, 9002, 9003, 9004].map(
                    (p, i) => ["worldOpen", `inboundRules[${5 + i}]`, { ports: `tcp ${p} (undocumented)` }, "fixSourcesNew"] as const,
                ),
            ],
        },
        {
            name: "an unknown action is advisory",
            type: FW,
            props: fw(tcp("22", { sourceAddresses: WORLD, action: UNKNOWN })),
            advisories: [["ruleUnknown", "inboundRules[0]", { rule: "inboundRules[0]", paths: "inboundRules[0].action" }, null]],
        },
        {
            name: "a whole unknown list is advisory",
            type: FW,
            props: { name: "fw", inboundRules: UNKNOWN },
            advisories: [["listUnknown", "inboundRules", { path: "inboundRules" }, null]],
        },
        {
            name: "a malformed rule is advisory, never a crash",
            type: FW,
            props: { name: "fw", inboundRules: [null, { protocol: ["tcp"], portRange: {}, sourceAddresses: "0.0.0.0/0" }] },
            advisories: [
                ["listUnreadable", "inboundRules[0]", { problem: "inboundRules[0] is not a rule object" }, null],
                [
                    "ruleUnreadable",
                    "inboundRules[1]",
                    {
                        rule: "inboundRules[1]",
                        problems:
                            "inboundRules[1].protocol is not a protocol name or number and inboundRules[1].portRange is not a port or a from-to port range",
                    },
                    null,
                ],
            ],
        },
    ],
};

const documented: CaseTable = {
    valid: [
        {
            name: "documented ports from droplet tags",
            type: FW,
            props: fw(tcp("5432", { sourceTags: ["app"] }), tcp("6379", { sourceTags: ["app"] })),
        },
        {
            name: "documented icmp without a port range",
            type: FW,
            props: fw({ protocol: "icmp", portRange: "", sourceAddresses: ["10.0.0.0/8"] }),
        },
        { name: "deny rules open nothing", type: FW, props: fw(tcp("all", { sourceAddresses: WORLD, action: "deny" })) },
        {
            name: "an allow fully shadowed by a deny opens nothing",
            type: FW,
            props: fw(tcp("9999", { sourceAddresses: ["10.0.0.0/8"] }), tcp("9999", { sourceAddresses: ["0.0.0.0/0"], action: "deny" })),
        },
        {
            name: "outbound rules are not inbound",
            type: FW,
            props: { name: "fw", outboundRules: [tcp("all", { destinationAddresses: WORLD })] },
        },
    ],
    invalid: [
        {
            name: "port range all from a droplet",
            type: FW,
            props: fw(tcp("all", { sourceDropletIds: [123] })),
            errors: [
                [
                    "undocumented",
                    "inboundRules[0]",
                    {
                        rule: "inboundRules[0] (from droplet 123)",
                        ports: "tcp 0-21, 23-52, 54-79, 81-442 and 5 more ranges (65527 undocumented ports)",
                    },
                    "fixNarrow",
                ],
            ],
        },
        {
            name: "an undocumented range from a load balancer",
            type: FW,
            props: fw(tcp("8000-8010", { sourceLoadBalancerUids: ["4de7ac8b-495b-4884-9a69-1050c6793cd6"] })),
            errors: [
                [
                    "undocumented",
                    "inboundRules[0]",
                    {
                        rule: "inboundRules[0] (from load-balancer 4de7ac8b-495b-4884-9a69-1050c6793cd6)",
                        ports: "tcp 8000-8010 (11 undocumented ports)",
                    },
                    "fixDocument",
                ],
            ],
        },
        {
            name: "udp 1-65535 from a Kubernetes cluster",
            type: FW,
            props: fw({ protocol: "udp", portRange: "1-65535", sourceKubernetesIds: ["bd5f5959-5e1e-4205-a714-a914373942af"] }),
            errors: [
                [
                    "undocumented",
                    "inboundRules[0]",
                    {
                        rule: "inboundRules[0] (from kubernetes-cluster bd5f5959-5e1e-4205-a714-a914373942af)",
                        ports: "udp 1-52, 54-65535 (65534 undocumented ports)",
                    },
                    "fixNarrow",
                ],
            ],
        },
        {
            name: "a port documented for tcp only, opened for udp",
            type: FW,
            props: fw({ protocol: "udp", portRange: "5432", sourceTags: ["app"] }),
            errors: [
                [
                    "undocumented",
                    "inboundRules[0]",
                    { rule: "inboundRules[0] (from droplet-tag app)", ports: "udp 5432 (undocumented)" },
                    "fixDocument",
                ],
            ],
        },
        {
            name: "a tcp rule without a port range is advisory",
            type: FW,
            props: fw({ protocol: "tcp", sourceTags: ["app"] }),
            advisories: [
                [
                    "ruleUnreadable",
                    "inboundRules[0]",
                    {
                        rule: "inboundRules[0]",
                        problems: 'inboundRules[0].portRange is missing (required for tcp and udp; "all" opens every port)',
                    },
                    null,
                ],
            ],
        },
        {
            name: "unknown ports are advisory",
            type: FW,
            props: fw(tcp(UNKNOWN, { sourceTags: ["app"] })),
            advisories: [["ruleUnknown", "inboundRules[0]", { rule: "inboundRules[0]", paths: "inboundRules[0].portRange" }, null]],
        },
    ],
};

// DigitalOcean cannot write "all protocols": its everyday "all outbound" is tcp all, udp all and icmp.
const allOutbound = [
    { protocol: "tcp", portRange: "1-65535", destinationAddresses: WORLD },
    { protocol: "udp", portRange: "all", destinationAddresses: WORLD },
    { protocol: "icmp", destinationAddresses: WORLD },
];
const egress: CaseTable = {
    valid: [
        {
            name: "all outbound (tcp, udp and icmp) when defaultEgress is ignore",
            type: FW,
            props: { name: "fw", outboundRules: allOutbound },
            config: { defaultEgress: "ignore" },
        },
        { name: "HTTPS out to anywhere", type: FW, props: { name: "fw", outboundRules: [tcp("443", { destinationAddresses: WORLD })] } },
    ],
    invalid: [
        {
            name: "all outbound (tcp, udp and icmp) is the default egress, one item naming the three rules",
            type: FW,
            props: { name: "fw", outboundRules: allOutbound },
            errors: [
                [
                    "defaultEgress",
                    "outboundRules[0]",
                    {
                        rules: "outboundRules[0] (to 0.0.0.0/0 and ::/0), outboundRules[1] (to 0.0.0.0/0 and ::/0) and outboundRules[2] (to 0.0.0.0/0 and ::/0)",
                    },
                    "fixDefaultEgress",
                ],
            ],
        },
        {
            name: "PostgreSQL out to anywhere",
            type: FW,
            props: { name: "fw", outboundRules: [tcp("5432", { destinationAddresses: WORLD })] },
            errors: [
                [
                    "outside",
                    "outboundRules[0]",
                    { rule: "outboundRules[0]", ports: "tcp 5432 (postgres)", destinations: "0.0.0.0/0 and ::/0" },
                    "fixDestinations",
                ],
            ],
        },
    ],
};

export const cases: Record<string, CaseTable> = {
    "internal-egress-destinations": egress,
    "no-world-open-internal-ports": noWorld,
    "documented-ports-only": documented,
};
