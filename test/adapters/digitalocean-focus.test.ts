// What `internal-ports explain` leaves unmodelled on a DigitalOcean stack (GraphAssembler.focus): the
// VPCs, Tags, firewalls, droplets and clusters nothing of the asked workloads' names or may name.
// explain-focus.test.ts holds the answers to the whole graph's; this holds what is left out.
import { digitaloceanFocus } from "../../policies/adapters/digitalocean/focus";
import { SentResource } from "../../policies/adapters/support/assembler";
import { SECRET_SIG, SECRET_SIG_KEY, UNKNOWN } from "../../policies/wire/engine";
import { FocusCase, focusTableTests } from "./focus-rows";
import { D as T } from "../cases/providers/digitalocean-graph-stacks";

const urn = (type: string, name: string) => `urn:pulumi:dev::p::${type}::${name}`;
const secret = (value: unknown) => ({ [SECRET_SIG_KEY]: SECRET_SIG, value });

function res(type: string, name: string, props: unknown, dependencies?: Record<string, SentResource[]>): SentResource {
    return {
        type,
        urn: urn(type, name),
        props,
        ...(dependencies
            ? { dependencies: Object.fromEntries(Object.entries(dependencies).map(([k, rs]) => [k, rs.map((r) => r.urn)])) }
            : {}),
    };
}

const vpcA = res(T.vpc, "vpc-a", { id: "vpc-a-id", ipRange: "10.1.0.0/16" });
const webTag = res(T.tag, "web", { id: "web", name: "web" });
const api = res(T.droplet, "api", { id: "101", vpcUuid: "vpc-a-id", tags: ["web"] });
const webFw = res(T.firewall, "web-fw", { tags: ["web"], inboundRules: [] });
const apiFw = res(T.firewall, "api-fw", { dropletIds: [101], inboundRules: [] });
const vpcB = res(T.vpc, "vpc-b", { id: "vpc-b-id" });
const otherTag = res(T.tag, "other-tag", { id: "other", name: "other" });
const farDb = res(T.db, "far-db", { id: "far-db-id", privateNetworkUuid: "vpc-b-id" });
const db = res(T.db, "db", { id: "db-id", privateNetworkUuid: "vpc-a-id", tags: ["web"] });
/** What every case has besides its own rows: the asked resources' VPC and tag, and an unrelated VPC's resources. */
const others = [
    vpcA,
    webTag,
    vpcB,
    otherTag,
    res(T.droplet, "far", { id: "202", vpcUuid: "vpc-b-id", tags: ["other"] }),
    res(T.firewall, "far-fw", { tags: ["other"], inboundRules: [] }),
    res(T.firewall, "far-ids", { dropletIds: [202], inboundRules: [] }),
    farDb,
    res(T.dbFirewall, "far-dbfw", { clusterId: "far-db-id", rules: [] }),
    res(T.lb, "far-lb", { id: "lb-id", vpcUuid: "vpc-b-id", dropletTag: "other" }),
    res(T.pool, "far-pool", { clusterId: "c-id", tags: ["other"] }),
];
const FAR = ["vpc-b", "other-tag", "far", "far-fw", "far-ids", "far-db", "far-dbfw", "far-lb", "far-pool"];
const without = (...names: string[]) => FAR.filter((n) => !names.includes(n));

type Case = FocusCase;

const cases: Case[] = [
    {
        name: "another VPC's resources, Tags and firewalls are left out; the asked droplet's VPC, tag and firewalls are kept",
        rows: [api, webFw, apiFw],
        wanted: [api],
        out: FAR,
    },
    {
        name: "a firewall naming a tag by the id of a Tag whose name the droplet carries is kept, with that Tag",
        rows: [api, res(T.tag, "legacy", { id: "legacy", name: "web" }), res(T.firewall, "legacy-fw", { tags: ["legacy"] })],
        wanted: [api],
        out: FAR,
    },
    {
        name: "a firewall whose targets cannot be told, a secret one, an empty one, or one through the asked tag's dependencies is kept",
        rows: [
            api,
            res(T.firewall, "unknown-ids", { dropletIds: UNKNOWN }),
            res(T.firewall, "outside-ids", { dropletIds: [UNKNOWN] }, { dropletIds: [res(T.droplet, "elsewhere", {})] }),
            res(T.firewall, "unknown-tags", { tags: [UNKNOWN] }),
            res(T.firewall, "dep-web", { tags: [UNKNOWN] }, { tags: [webTag] }),
            res(T.firewall, "secret-tags", { tags: secret(["other"]) }),
            res(T.firewall, "secret-id", { dropletIds: [secret(202)] }),
            res(T.firewall, "empty", {}),
            res(T.firewall, "unknown-props", UNKNOWN),
        ],
        wanted: [api],
        // Rules that cannot be read may name any droplet, load balancer or cluster as a peer.
        out: without("far", "far-lb", "far-pool"),
    },
    {
        name: "the droplets, tags and load balancers a kept firewall's rules name as peers are kept (its rules are worded by their names)",
        rows: [
            api,
            res(T.firewall, "api-in", {
                dropletIds: [101],
                inboundRules: [{ protocol: "tcp", portRange: "22", sourceDropletIds: [202] }],
                outboundRules: [{ protocol: "tcp", portRange: "443", destinationLoadBalancerUids: ["lb-id"] }],
            }),
        ],
        wanted: [api],
        out: without("far", "far-lb"),
    },
    {
        name: "…by tag too: the droplets carrying it, its Tag, and node pools (they carry tags of their own)",
        rows: [api, res(T.firewall, "api-in", { dropletIds: [101], inboundRules: [{ protocol: "tcp", sourceTags: ["other"] }] })],
        wanted: [api],
        out: without("far", "other-tag", "far-pool"),
    },
    {
        name: "…and a database firewall's droplet and tag rules",
        rows: [
            db,
            res(T.dbFirewall, "db-fw", {
                clusterId: "db-id",
                rules: [
                    { type: "droplet", value: "202" },
                    { type: "ip_addr", value: "10.0.0.1" },
                ],
            }),
        ],
        wanted: [db],
        out: without("far"),
    },
    {
        name: "…and every droplet when a kept rule's peers cannot be read",
        rows: [api, res(T.firewall, "api-in", { dropletIds: [101], inboundRules: [{ protocol: "tcp", sourceDropletIds: UNKNOWN }] })],
        wanted: [api],
        out: without("far"),
    },
    {
        name: "a firewall through another tag's or droplet's dependencies is left out",
        rows: [
            api,
            res(T.firewall, "dep-other", { tags: [UNKNOWN] }, { tags: [otherTag] }),
            res(T.firewall, "dep-far", { dropletIds: UNKNOWN }, { dropletIds: [others[4]] }),
        ],
        wanted: [api],
        out: [...FAR, "dep-other", "dep-far"],
    },
    {
        name: "an asked droplet with a tag that cannot be told: every firewall attached by tags is kept",
        rows: [res(T.droplet, "api", { id: "101", vpcUuid: "vpc-a-id", tags: [UNKNOWN] })],
        wanted: [res(T.droplet, "api", {})],
        out: [...without("far-fw"), "web"],
    },
    {
        name: "the asked droplet's VPC and tags through its dependencies are kept, unknown or not",
        rows: [res(T.droplet, "api", { vpcUuid: UNKNOWN, tags: UNKNOWN }, { vpcUuid: [vpcB], tags: [otherTag] })],
        wanted: [res(T.droplet, "api", {})],
        out: ["far", "far-ids", "far-db", "far-dbfw", "far-lb", "far-pool", "web", "vpc-a"],
    },
    {
        name: "a VPC whose id is a secret is kept: it may be the one named",
        rows: [api, res(T.vpc, "hidden", { id: secret("vpc-c-id") })],
        wanted: [api],
        out: FAR,
    },
    {
        name: "a database asked: its database firewalls (by id, by dependency, or naming no cluster) are kept, Cloud Firewalls are not",
        rows: [
            db,
            webFw,
            res(T.dbFirewall, "db-fw", { clusterId: "db-id" }),
            res(T.dbFirewall, "dep-fw", { clusterId: UNKNOWN }, { clusterId: [db] }),
            res(T.dbFirewall, "no-cluster", { rules: [] }),
            res(T.dbFirewall, "outside", { clusterId: UNKNOWN }, { clusterId: [res(T.db, "elsewhere", {})] }),
            res(T.dbFirewall, "secret-cluster", { clusterId: secret("db-id") }),
            res(T.dbFirewall, "dep-far", { clusterId: UNKNOWN }, { clusterId: [farDb] }),
        ],
        wanted: [db],
        out: [...FAR, "web-fw", "dep-far"],
    },
    {
        name: "a load balancer asked: the droplets of its `dropletIds` and those carrying its `dropletTag` are kept, with that Tag",
        rows: [
            res(T.lb, "lb", { vpcUuid: "vpc-a-id", dropletTag: "other", dropletIds: [303] }),
            res(T.droplet, "by-id", { id: "303", tags: [] }),
            res(T.droplet, "secret-tags", { id: "404", tags: secret(["x"]) }),
            webFw,
        ],
        wanted: [res(T.lb, "lb", {})],
        out: ["vpc-b", "web", "far-fw", "far-ids", "far-db", "far-dbfw", "far-lb", "far-pool", "web-fw"],
    },
    {
        name: "a droplet and a database asked together: what either needs is kept",
        rows: [api, db, webFw, res(T.dbFirewall, "db-fw", { clusterId: "db-id" })],
        wanted: [api, db],
        out: FAR,
    },
    {
        name: "resources of types the focus does not judge (clusters, others) are kept",
        rows: [api, res(T.cluster, "c", { id: "c-id" }), res("digitalocean:index/project:Project", "proj", {})],
        wanted: [api],
        out: FAR,
    },
    ...(
        [
            ["a secret tag list", res(T.droplet, "api", { id: "101", tags: secret(["web"]) })],
            ["a secret VPC", res(T.droplet, "api", { id: "101", vpcUuid: secret("vpc-a-id") })],
            ["a secret id", res(T.droplet, "api", { id: secret("101") })],
            ["secret inputs", res(T.droplet, "api", secret({ id: "101" }))],
            ["a load balancer's secret dropletTag", res(T.lb, "api", { dropletTag: secret("web") })],
        ] as const
    ).map(([what, row]): Case => ({
        name: `an asked workload with ${what}: nothing is left out`,
        rows: [row],
        wanted: [row],
        out: "all",
    })),
    {
        name: "a Tag whose name is a secret: nothing is left out (any tag may be it)",
        rows: [api, res(T.tag, "hidden", { name: secret("web") })],
        wanted: [api],
        out: "all",
    },
    {
        name: "a node pool, a cluster or a workload outside the stack asked: nothing is left out",
        rows: [api, res(T.cluster, "c", { id: "c-id" })],
        wanted: [api, res(T.cluster, "c", {}), res(T.pool, "far-pool", {}), res("aws:ec2/instance:Instance", "elsewhere", {})],
        out: "all",
    },
];

describe("digitalocean focus: what explain need not model", () => {
    focusTableTests(digitaloceanFocus, cases, others);
});
