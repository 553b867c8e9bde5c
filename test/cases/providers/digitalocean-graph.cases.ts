// The DigitalOcean network graph through both stack policies: small stacks as the engine sends them,
// each written as preview sends it (ids unknown, links through property dependencies, a tag's name
// known) and as update sends it (known ids), where the difference matters.
import { PolicyCase as Case, UNKNOWN } from "../../helpers";
import { D, FLOWS_REGISTRY, guarded, Mode, shop, Stack, tcp, WORLD } from "./digitalocean-graph-stacks";

const both = (name: string, make: (mode: Mode) => Omit<Case, "name">): Case[] =>
    (["preview", "update"] as const).map((mode) => ({ name: `${name} (${mode})`, ...make(mode) }));

const registryYaml = FLOWS_REGISTRY();
const egressAll = [tcp("all", { destinationAddresses: WORLD }), { protocol: "udp", portRange: "all", destinationAddresses: WORLD }];

/** `db-1` with Prometheus (9090) open to the world split over two firewalls: one by tag (0.0.0.0/1), one by droplet id (128.0.0.0/1). */
function splitWorld(s = guarded()): Stack {
    return s
        .add(
            D.firewall,
            "db-fw",
            { inboundRules: [tcp("5432", {}), tcp("9090", { sourceAddresses: ["0.0.0.0/1"] })], outboundRules: egressAll },
            { tags: ["db-tag#name"], "inboundRules[0].sourceTags": ["api-tag"] },
        )
        .add(
            D.firewall,
            "ops-fw",
            { inboundRules: [tcp("22", { sourceAddresses: ["10.0.0.0/8"] }), tcp("9090", { sourceAddresses: ["128.0.0.0/1"] })] },
            { dropletIds: ["db-1"] },
        );
}

const SPLIT_PATH =
    "internet → public IPv4 address of droplet `db-1` → Cloud Firewalls `base-fw`, `db-fw` and `ops-fw` " +
    "(`db-fw` inboundRules[1] (tcp 9090 from 0.0.0.0/1) and `ops-fw` inboundRules[1] (tcp 9090 from 128.0.0.0/1)) → `db-1`";

/** A managed PostgreSQL cluster in the VPC, tagged for the registry, with trusted sources `rules` when given. */
function managed(rules?: { type: string; value?: string }[], refs: Record<string, string | string[]> = {}, s = guarded()): Stack {
    s.add(
        D.db,
        "orders-db",
        { engine: "pg", version: "16", size: "db-s-1vcpu-1gb", region: "fra1", nodeCount: 1 },
        { privateNetworkUuid: "shop-vpc", tags: ["svc-dopg#name"] },
    );
    if (rules) s.add(D.dbFirewall, "orders-db-fw", { rules }, { clusterId: "orders-db", ...refs });
    return s;
}

/** A load balancer in the VPC forwarding `entry` → 8080 to the api droplets by tag, with its own `firewall` when given. */
function balanced(entry: number, extra: Record<string, unknown> = {}): Stack {
    return guarded()
        .add(
            D.lb,
            "web-lb",
            {
                region: "fra1",
                forwardingRules: [
                    { entryPort: entry, entryProtocol: entry === 443 ? "https" : "http", targetPort: 8080, targetProtocol: "http" },
                ],
                ...extra,
            },
            { vpcUuid: "shop-vpc", dropletTag: "api-tag#name" },
        )
        .add(
            D.firewall,
            "api-fw",
            { inboundRules: [tcp("8080", {})], outboundRules: egressAll },
            { tags: ["api-tag"], "inboundRules[0].sourceLoadBalancerUids": ["web-lb"] },
        );
}

/** A DOKS cluster in the VPC whose default pool serves the api. */
function doks(s = guarded()): Stack {
    return s.add(
        D.cluster,
        "apps",
        { region: "fra1", version: "1.31.1-do.0", nodePool: { name: "default", size: "s-2vcpu-4gb", nodeCount: 2 } },
        { vpcUuid: "shop-vpc", "nodePool.tags": ["svc-api#name"] },
    );
}

// ---------------------------------------------------------------------------------------------
// Documented flows: `api-1` (tags shop-api, service:api) → `db-1` (tags shop-db, service:postgres) on 5432.

function flows(dbRules: unknown[], dbRefs: Record<string, string | string[]> = {}, s = shop()): Stack {
    return s.add(D.firewall, "db-fw", { inboundRules: dbRules, outboundRules: egressAll }, { tags: ["db-tag"], ...dbRefs });
}

/** `db-fw` admits postgres from the droplets tagged `shop-api`. */
const fromApi = () => flows([tcp("5432", {})], { "inboundRules[0].sourceTags": ["api-tag"] });

export const cases: Record<string, { valid: Case[]; invalid: Case[] }> = {
    "no-internet-path-to-internal-ports": {
        valid: [
            ...both("`publicNetworking: false`: no public address, whatever the firewalls admit", (mode) => ({
                registryYaml,
                resources: splitWorld(guarded({}, { publicNetworking: false })).build(mode),
            })),
            ...both("a firewall that admits the world on public ports only", (mode) => ({
                registryYaml,
                resources: guarded()
                    .add(
                        D.firewall,
                        "web-fw",
                        {
                            inboundRules: [
                                tcp("443", { sourceAddresses: WORLD }),
                                tcp("22", { sourceAddresses: ["10.110.0.0/20"] }),
                                { protocol: "icmp", sourceAddresses: WORLD },
                            ],
                        },
                        { tags: ["db-tag"] },
                    )
                    .build(mode),
            })),
            ...both("a deny rule in one firewall closes what another firewall of the droplet opens (deny rules apply first)", (mode) => ({
                registryYaml,
                resources: guarded()
                    .add(D.firewall, "open-fw", { inboundRules: [tcp("5432", { sourceAddresses: WORLD })] }, { tags: ["db-tag"] })
                    .add(
                        D.firewall,
                        "deny-fw",
                        { inboundRules: [tcp("5432", { sourceAddresses: WORLD, action: "deny" })] },
                        { dropletIds: ["db-1"] },
                    )
                    .build(mode),
            })),
            ...both("a firewall with outbound rules only blocks every inbound packet", (mode) => ({
                registryYaml,
                resources: guarded()
                    .add(D.firewall, "egress-fw", { outboundRules: egressAll }, { tags: ["db-tag#name"] })
                    .build(mode),
            })),
            ...both("a managed database whose trusted sources are the api droplets' tag", (mode) => ({
                registryYaml,
                resources: managed([{ type: "tag" }], { "rules[0].value": "api-tag#name" }).build(mode),
            })),
            ...both("a public load balancer on 443 in front of the api's 8080, which admits the load balancer only", (mode) => ({
                registryYaml,
                resources: balanced(443).build(mode),
            })),
            ...both("an internal load balancer (`network: INTERNAL`) on an internal port", (mode) => ({
                registryYaml,
                resources: balanced(8080, { network: "INTERNAL" }).build(mode),
            })),
            ...both("a load balancer on an internal port whose own firewall admits the office only", (mode) => ({
                registryYaml,
                resources: balanced(8080, { firewall: { allows: ["cidr:198.51.100.0/24"] } }).build(mode),
            })),
            ...both("a DOKS node pool behind only the firewalls DOKS manages: nothing the stack opens", (mode) => ({
                registryYaml,
                resources: doks().build(mode),
            })),
        ],
        invalid: [
            ...both("the world split over two firewalls of one droplet (one by tag, one by droplet id)", (mode) => ({
                registryYaml,
                resources: splitWorld().build(mode),
                errors: [
                    [
                        "exposed",
                        null,
                        { workload: "`db-1`", placement: "`shop-vpc`", ports: "tcp 9090 (prometheus)", path: SPLIT_PATH },
                        "fixPath",
                    ],
                ],
            })),
            ...both("a deny of a few ranges in another firewall leaves the internet in", (mode) => ({
                registryYaml,
                resources: guarded()
                    .add(D.firewall, "open-fw", { inboundRules: [tcp("6379", { sourceAddresses: WORLD })] }, { tags: ["db-tag"] })
                    .add(
                        D.firewall,
                        "deny-fw",
                        { inboundRules: [tcp("all", { sourceAddresses: ["192.0.2.0/24"], action: "deny" })] },
                        { tags: ["db-tag"] },
                    )
                    .build(mode),
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            workload: "`db-1`",
                            ports: "tcp 6379 (redis)",
                            path: /^internet → public IPv4 address of droplet `db-1` → Cloud Firewalls `base-fw`, `open-fw` and `deny-fw` \(`open-fw` inboundRules\[0\] \(tcp 6379 from 0\.0\.0\.0\/0 and ::\/0\)\) → `db-1`$/,
                        },
                    ],
                ],
            })),
            ...both("IPv6: a droplet with `ipv6` behind a firewall that admits ::/0", (mode) => ({
                registryYaml,
                resources: guarded({}, { ipv6: true })
                    .add(D.firewall, "v6-fw", { inboundRules: [tcp("5432", { sourceAddresses: ["::/0"] })] }, { tags: ["db-tag"] })
                    .build(mode),
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            workload: "`db-1`",
                            ports: "tcp 5432 (postgres)",
                            path: /public IPv4 and IPv6 addresses of droplet `db-1` → Cloud Firewalls `base-fw` and `v6-fw` \(`v6-fw` inboundRules\[0\] \(tcp 5432 from ::\/0\)\)/,
                        },
                    ],
                ],
            })),
            ...both("a managed database that trusts 0.0.0.0/0: its public hostname on the engine's port", (mode) => ({
                registryYaml,
                resources: managed([{ type: "ip_addr", value: "0.0.0.0/0" }]).build(mode),
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            workload: "`orders-db`",
                            ports: "tcp 25060 (do-postgres)",
                            path: "internet → public hostname of database cluster `orders-db` → database firewall `orders-db-fw` (rules[0] (tcp 25060 from 0.0.0.0/0)) → `orders-db`",
                        },
                    ],
                ],
            })),
            ...both("a public load balancer whose entry port is internal", (mode) => ({
                registryYaml,
                resources: balanced(8080).build(mode),
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            workload: "`web-lb`",
                            ports: "tcp 8080 (api)",
                            path: "internet → load balancer `web-lb` (public IPv4) → `web-lb`",
                        },
                    ],
                ],
            })),
            ...both("a load balancer's firewall that only denies some ranges admits the rest of the internet", (mode) => ({
                registryYaml,
                resources: balanced(8080, { firewall: { denies: ["ip:192.0.2.7"] } }).build(mode),
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            workload: "`web-lb`",
                            ports: "tcp 8080 (api)",
                            path: "internet → load balancer `web-lb` (public IPv4) → load balancer firewall `web-lb` (firewall.allows (empty: every source `firewall.denies` does not name)) → `web-lb`",
                        },
                    ],
                ],
            })),
            ...both("DOKS nodes: a firewall of the stack on the cluster's `k8s:<id>` tag opens the kubelet to the world", (mode) => ({
                registryYaml,
                resources: doks()
                    .add(D.firewall, "nodes-fw", { inboundRules: [tcp("10250", { sourceAddresses: WORLD })] }, { "tags[0]": "apps" })
                    .build(mode)
                    .map((r) => {
                        if (r.name !== "nodes-fw") return r;
                        return {
                            ...r,
                            props: { ...r.props, tags: [mode === "preview" ? UNKNOWN : `k8s:${String((r.props.tags as string[])[0])}`] },
                        };
                    }),
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            workload: "`apps`",
                            ports: "tcp 10250 (kubelet)",
                            path: /^internet → public IPv4 addresses of the nodes of `apps` → Cloud Firewalls `nodes-fw` and `DOKS-managed` \(`nodes-fw` inboundRules\[0\] \(tcp 10250 from 0\.0\.0\.0\/0 and ::\/0\)\) → `apps`$/,
                        },
                    ],
                ],
            })),
            ...both(
                "one firewall by `dropletIds` (an id built with `id.apply(parseInt)`) and by a tag written as a literal: both droplets get it",
                (mode) => ({
                    registryYaml,
                    resources: guarded()
                        .add(
                            D.firewall,
                            "both-fw",
                            { tags: ["shop-db"], inboundRules: [tcp("6379", { sourceAddresses: WORLD })] },
                            { dropletIds: ["api-1"] },
                        )
                        .build(mode),
                    errors: [
                        [
                            "exposed",
                            null,
                            {
                                workload: "`api-1`",
                                ports: "tcp 6379 (redis)",
                                path: /Cloud Firewalls `base-fw` and `both-fw` \(`both-fw` inboundRules\[0\]/,
                            },
                        ],
                        [
                            "exposed",
                            null,
                            {
                                workload: "`db-1`",
                                ports: "tcp 6379 (redis)",
                                path: /Cloud Firewalls `base-fw` and `both-fw` \(`both-fw` inboundRules\[0\]/,
                            },
                        ],
                    ],
                }),
            ),
            ...both(
                "a Tag created without inputs (its name auto-named; preview, as the local check runs it, sends it empty) still links the droplet to the firewall on it",
                (mode) => ({
                    registryYaml,
                    resources: guarded()
                        .add(D.tag, "anon-tag")
                        .add(
                            D.droplet,
                            "cache-1",
                            { image: "ubuntu-24-04-x64", region: "fra1", size: "s-1vcpu-1gb" },
                            { vpcUuid: "shop-vpc", tags: ["anon-tag"] },
                        )
                        .add(D.firewall, "cache-fw", { inboundRules: [tcp("6379", { sourceAddresses: WORLD })] }, { tags: ["anon-tag"] })
                        .build(mode, mode === "preview" ? ["anon-tag"] : []),
                    errors: [
                        [
                            "exposed",
                            null,
                            {
                                workload: "`cache-1`",
                                ports: "tcp 6379 (redis)",
                                path: "internet → public IPv4 address of droplet `cache-1` → Cloud Firewalls `cache-fw` (inboundRules[0] (tcp 6379 from 0.0.0.0/0 and ::/0)) → `cache-1`",
                            },
                        ],
                    ],
                }),
            ),
            ...both("a VPC outside the stack filters nothing: the droplet's public address and firewalls decide", (mode) => ({
                registryYaml,
                resources: guarded()
                    .add(
                        D.droplet,
                        "edge-1",
                        { image: "ubuntu-24-04-x64", region: "fra1", size: "s-1vcpu-1gb" },
                        { vpcUuid: "out:5a4f2c1e-0000-4000-8000-5a4f2c1e0000" },
                    )
                    .add(
                        D.firewall,
                        "edge-fw",
                        { inboundRules: [tcp("6379", { sourceAddresses: ["0.0.0.0/0"] })] },
                        { dropletIds: ["edge-1"] },
                    )
                    .build(mode),
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            workload: "`edge-1`",
                            placement: "`a VPC outside this stack`",
                            ports: "tcp 6379 (redis)",
                            path: "internet → public IPv4 address of droplet `edge-1` → Cloud Firewalls `edge-fw` (inboundRules[0] (tcp 6379 from 0.0.0.0/0)) → `edge-1`",
                        },
                    ],
                ],
            })),
            ...both(
                "a droplet no firewall of the stack names: open by DigitalOcean's rule, but a firewall outside the stack may name it (advisory)",
                (mode) => ({
                    registryYaml,
                    resources: shop()
                        .build(mode)
                        .filter((r) => r.name !== "api-1"),
                    advisories: [
                        [
                            "unproven",
                            null,
                            {
                                workload: "`db-1`",
                                ports: "tcp 22 (ssh), 5432 (postgres), 6379 (redis), 8080 (api), 9090 (prometheus) and 3 more",
                                reason: /^no Cloud Firewall of this stack applies to `db-1` \(by `dropletIds` or a tag it carries\): DigitalOcean leaves it open on every port, unless a firewall outside this stack names it$/,
                            },
                        ],
                        [
                            "unproven",
                            null,
                            {
                                workload: "`db-1`",
                                ports: /^udp 0-65535/,
                                path: "internet → public IPv4 address of droplet `db-1` → `db-1`",
                            },
                        ],
                    ],
                }),
            ),
            ...both("a managed database without a DatabaseFirewall in the stack (advisory)", (mode) => ({
                registryYaml,
                resources: managed().build(mode),
                advisories: [
                    [
                        "unproven",
                        null,
                        {
                            workload: "`orders-db`",
                            ports: "tcp 25060 (do-postgres)",
                            reason: /^no `DatabaseFirewall` of this stack names `orders-db`/,
                        },
                    ],
                ],
            })),
            {
                registryYaml,
                name: "whether the droplet has a public address is unknown until update (advisory)",
                resources: splitWorld(guarded({}, { publicNetworking: UNKNOWN })).build("preview"),
                advisories: [
                    [
                        "unproven",
                        null,
                        {
                            workload: "`db-1`",
                            ports: "tcp 9090 (prometheus)",
                            reason: /whether `db-1` has a public address \(`publicNetworking`\) is unknown until update/,
                        },
                    ],
                ],
            },
            {
                registryYaml,
                name: "a firewall whose `dropletIds` are unknown and name no droplet of the stack may apply to any droplet (advisory)",
                resources: shop()
                    .add(D.firewall, "ssh-fw", { dropletIds: [UNKNOWN], inboundRules: [tcp("22", { sourceAddresses: WORLD })] })
                    .build("preview")
                    .filter((r) => r.name !== "api-1"),
                advisories: [
                    [
                        "unproven",
                        null,
                        { workload: "`db-1`", reason: /^whether Cloud Firewall `ssh-fw` applies to `db-1` is unknown until update$/ },
                    ],
                    ["unproven", null, { workload: "`db-1`", ports: /^udp/ }],
                ],
            },
            {
                registryYaml,
                name: "empty outputs of the droplet (the provider's configuration is unknown in preview): unverifiable, not clean",
                resources: splitWorld().build("preview", ["db-1"]),
                advisories: [["unverifiable", null, { workload: "`db-1`", reason: /`db-1` arrived with no inputs/ }]],
            },
            {
                registryYaml,
                name: "empty outputs of a firewall: no droplet's paths can be verified",
                resources: splitWorld().build("preview", ["ops-fw"]),
                advisories: [
                    ["unverifiable", null, { workload: "`api-1`", reason: /`ops-fw` arrived with no inputs/ }],
                    ["unverifiable", null, { workload: "`db-1`", reason: /`ops-fw` arrived with no inputs/ }],
                ],
            },
        ],
    },
    "documented-flows-reachable": {
        valid: [
            ...both("api → db-1: the server's firewall admits the api tag; the client has no firewall", (mode) => ({
                registryYaml,
                resources: fromApi().build(mode),
            })),
            ...both("api → db-1 through the client's outbound rules and the server's inbound rule by droplet id", (mode) => ({
                registryYaml,
                resources: flows([tcp("5432", {})], { "inboundRules[0].sourceDropletIds": ["api-1"] })
                    .add(
                        D.firewall,
                        "api-fw",
                        {
                            inboundRules: [tcp("8080", { sourceAddresses: ["10.110.0.0/20"] })],
                            outboundRules: [tcp("5432", { destinationAddresses: ["10.110.0.0/20"] })],
                        },
                        { tags: ["api-tag#name"] },
                    )
                    .build(mode),
            })),
            ...both("a known allow proves the firewalls, however many other rules are unknown in preview", (mode) => ({
                registryYaml,
                resources: flows([tcp("5432", {}), tcp("5432", {}), tcp("9090", {})], {
                    "inboundRules[0].sourceTags": ["api-tag#name"],
                    "inboundRules[1].sourceTags": ["web-tag"],
                    "inboundRules[2].sourceTags": ["db-tag"],
                }).build(mode),
            })),
            ...both("api → a managed database whose trusted sources name the api droplet", (mode) => ({
                registryYaml,
                resources: managed([{ type: "droplet" }], { "rules[0].value": "api-1" }, shop()).build(mode),
            })),
            ...both("a CIDR client is checked on the server's side only", (mode) => ({
                registryYaml: FLOWS_REGISTRY("      - cidr: 10.50.0.0/16\n"),
                resources: flows([tcp("5432", { sourceAddresses: ["10.50.0.0/16"] }), tcp("5432", {})], {
                    "inboundRules[1].sourceTags": ["api-tag"],
                }).build(mode),
            })),
            ...both("the deny rule of another firewall names another range", (mode) => ({
                registryYaml,
                resources: fromApi()
                    .add(
                        D.firewall,
                        "deny-fw",
                        { inboundRules: [tcp("all", { sourceAddresses: ["192.0.2.0/24"], action: "deny" })] },
                        { tags: ["db-tag"] },
                    )
                    .build(mode),
            })),
        ],
        invalid: [
            ...both("a firewall with inbound rules only on the client: its outbound traffic is blocked", (mode) => ({
                registryYaml,
                resources: fromApi()
                    .add(
                        D.firewall,
                        "api-fw",
                        { inboundRules: [tcp("8080", { sourceAddresses: ["10.110.0.0/20"] })] },
                        { tags: ["api-tag"] },
                    )
                    .build(mode),
                errors: [
                    [
                        "blocked",
                        null,
                        {
                            client: "`api-1`",
                            server: "`db-1`",
                            flow: "tcp 5432",
                            why: /^the request dies at Cloud Firewalls `api-fw` outbound: no firewall rule allows tcp 5432 to 10\.110\.0\.\d+(\/32)?|^the request dies at Cloud Firewalls `api-fw` outbound: no firewall rule allows tcp 5432 to 10\.110\.0\.0\/20$/,
                        },
                        "fixAdd",
                    ],
                ],
            })),
            ...both("the server's firewall admits another tier's tag", (mode) => ({
                registryYaml,
                resources: flows([tcp("5432", {})], { "inboundRules[0].sourceTags": ["web-tag#name"] }).build(mode),
                errors: [
                    [
                        "blocked",
                        null,
                        { why: /^the request dies at Cloud Firewalls `db-fw` inbound: no firewall rule allows tcp 5432 from 10\.110\.0\./ },
                        "fixAdd",
                    ],
                ],
            })),
            ...both(
                "in preview the server's rules name two tags by unknown ids; the client carries neither, so it is blocked all the same",
                (mode) => ({
                    registryYaml,
                    resources: flows([tcp("5432", {}), tcp("5432", {})], {
                        "inboundRules[0].sourceTags": ["web-tag"],
                        "inboundRules[1].sourceTags": ["db-tag"],
                    }).build(mode),
                    errors: [
                        [
                            "blocked",
                            null,
                            {
                                why: /^the request dies at Cloud Firewalls `db-fw` inbound: no firewall rule allows tcp 5432 from 10\.110\.0\./,
                            },
                        ],
                    ],
                }),
            ),
            ...both("a deny rule in another firewall of the server wins over the allow", (mode) => ({
                registryYaml,
                resources: fromApi()
                    .add(
                        D.firewall,
                        "deny-fw",
                        { inboundRules: [tcp("5432", { sourceAddresses: ["10.110.0.0/20"], action: "deny" })] },
                        { dropletIds: ["db-1"] },
                    )
                    .build(mode),
                errors: [
                    [
                        "blocked",
                        null,
                        {
                            why: "the request dies at Cloud Firewalls `db-fw` and `deny-fw` inbound: `deny-fw` inboundRules[0] (from 10.110.0.0/20) denies it",
                        },
                        "fixDeny",
                    ],
                ],
            })),
            ...both("a managed database whose trusted sources name another tag", (mode) => ({
                registryYaml,
                resources: managed(
                    [{ type: "tag" }, { type: "ip_addr", value: "192.0.2.0/24" }],
                    { "rules[0].value": "web-tag#name" },
                    shop(),
                ).build(mode),
                errors: [
                    [
                        "blocked",
                        null,
                        {
                            server: "`orders-db`",
                            flow: "tcp 25060",
                            why: /^the request dies at database firewall `orders-db-fw` inbound: no trusted source rule allows tcp 25060 from 10\.110\.0\./,
                        },
                        "fixAdd",
                    ],
                ],
            })),
            {
                name: "in preview a rule names one of two tags by unknown ids and the client carries one: unverifiable until update",
                registryYaml,
                resources: flows([tcp("5432", {}), tcp("5432", {})], {
                    "inboundRules[0].sourceTags": ["api-tag"],
                    "inboundRules[1].sourceTags": ["web-tag"],
                }).build("preview"),
                advisories: [
                    [
                        "unverifiable",
                        null,
                        {
                            client: "`api-1`",
                            server: "`db-1`",
                            flow: "tcp 5432",
                            reasons: /Cloud Firewalls db-fw: an entry is unknown until update/,
                        },
                    ],
                ],
            },
            ...both("the client's VPC is outside the stack: what joins the networks is not known (advisory)", (mode) => ({
                registryYaml,
                resources: flows(
                    [tcp("5432", {})],
                    { "inboundRules[0].sourceTags": ["api-tag"] },
                    shop().add(
                        D.droplet,
                        "api-2",
                        { image: "ubuntu-24-04-x64", region: "fra1", size: "s-1vcpu-1gb" },
                        { vpcUuid: "out:5a4f2c1e-0000-4000-8000-5a4f2c1e0000", tags: ["api-tag", "svc-api"] },
                    ),
                ).build(mode),
                advisories: [["unverifiable", null, { client: "`api-2`", server: "`db-1`", reasons: /different networks/ }]],
            })),
            {
                name: "empty outputs of the server's firewall: its flows cannot be verified, never a pass",
                registryYaml,
                resources: fromApi().build("preview", ["db-fw"]),
                advisories: [
                    [
                        "unverifiable",
                        null,
                        { client: "its documented clients", server: "`db-1`", reasons: /`db-fw` arrived with no inputs/ },
                    ],
                ],
            },
            ...both("a DOKS node pool as the client: the firewalls DOKS manages outside the stack may block it (advisory)", (mode) => ({
                registryYaml,
                resources: managed([{ type: "k8s" }], { "rules[0].value": "apps" }, doks(shop())).build(mode),
                errors: [
                    [
                        "blocked",
                        null,
                        {
                            client: "`api-1`",
                            server: "`orders-db`",
                            why: /^the request dies at database firewall `orders-db-fw` inbound: no trusted source rule allows tcp 25060 from 10\.110\.0\./,
                        },
                    ],
                ],
                advisories: [
                    ["unverifiable", null, { client: "`apps`", server: "`db-1`" }],
                    [
                        "unverifiable",
                        null,
                        {
                            client: "`apps`",
                            server: "`orders-db`",
                            reasons:
                                "Cloud Firewalls DOKS-managed: DOKS manages the Cloud Firewalls of `apps`'s nodes outside this stack (the NodePorts of its Services, its VPC rules)",
                        },
                    ],
                ],
            })),
        ],
    },
};
