// What `internal-ports explain` leaves unmodelled on a GCP stack (GraphAssembler.focus): the firewall
// rules, routes, subnetworks and instances of networks other than the asked instances' (and their
// peers'), unless something could tie them in. explain-focus.test.ts holds the answers to the whole
// graph's; this holds what is left out.
import { gcpFocus } from "../../policies/adapters/gcp/focus";
import { SentResource } from "../../policies/adapters/support/assembler";
import { PLACEHOLDER_PREFIX, SECRET_SIG, SECRET_SIG_KEY, UNKNOWN } from "../../policies/wire/engine";
import { FocusCase, focusTableTests } from "./focus-rows";

const T = {
    network: "gcp:compute/network:Network",
    subnet: "gcp:compute/subnetwork:Subnetwork",
    firewall: "gcp:compute/firewall:Firewall",
    route: "gcp:compute/route:Route",
    instance: "gcp:compute/instance:Instance",
    peering: "gcp:compute/networkPeering:NetworkPeering",
    sql: "gcp:sql/databaseInstance:DatabaseInstance",
    cluster: "gcp:container/cluster:Cluster",
    pool: "gcp:compute/targetPool:TargetPool",
};
const urn = (type: string, name: string) => `urn:pulumi:dev::p::${type}::${name}`;
const self = (net: string) => `https://www.googleapis.com/compute/v1/projects/p/global/networks/${net}`;

function res(type: string, name: string, props: Record<string, unknown>, dependencies?: Record<string, string[]>): SentResource {
    return { type, urn: urn(type, name), props: { name, ...props }, ...(dependencies ? { dependencies } : {}) };
}
const vm = (name: string, nic: Record<string, unknown>, deps?: string[]) =>
    res(T.instance, name, { networkInterfaces: [nic] }, deps ? { networkInterfaces: deps } : undefined);

const api = vm("api", { network: self("blue") });
/** The other network's resources every case has, by literal references. */
const red = [
    res(T.network, "red", {}),
    res(T.subnet, "red-sub", { network: self("red") }),
    res(T.firewall, "red-fw", { network: "red" }),
    res(T.route, "red-route", { network: `projects/p/global/networks/red` }),
    vm("red-vm", { network: self("red") }),
];
const redNames = ["red-sub", "red-fw", "red-route", "red-vm"];
const blue = [
    res(T.network, "blue", {}),
    res(T.subnet, "blue-sub", { network: self("blue") }),
    res(T.firewall, "blue-fw", { network: self("blue") }),
];

type Case = FocusCase;

const cases: Case[] = [
    {
        name: "another network's firewalls, routes, subnetworks and instances are left out",
        rows: [...blue, api],
        wanted: [api],
        out: redNames,
    },
    {
        name: "in preview, networks told by their dependencies (names unknown until update)",
        rows: [
            res(T.network, "blue", { name: UNKNOWN }),
            res(T.network, "red", { name: UNKNOWN }),
            res(T.firewall, "red-dep-fw", { network: UNKNOWN }, { network: [urn(T.network, "red")] }),
            res(T.firewall, "blue-dep-fw", { network: UNKNOWN }, { network: [urn(T.network, "blue")] }),
            vm("api-dep", { network: UNKNOWN }, [urn(T.network, "blue")]),
        ],
        wanted: [vm("api-dep", { network: UNKNOWN }, [urn(T.network, "blue")])],
        out: [...redNames, "red-dep-fw"],
    },
    {
        name: "an instance on a subnetwork alone is on that subnetwork's network",
        rows: [...blue, vm("api-sub", { subnetwork: "blue-sub" })],
        wanted: [vm("api-sub", { subnetwork: "blue-sub" })],
        out: redNames,
    },
    {
        name: "a firewall rule without a network is on the project's `default` network",
        rows: [res(T.firewall, "no-net", {}), vm("on-default", { network: "default" })],
        wanted: [vm("on-default", { network: "default" })],
        out: redNames,
    },
    {
        name: "…and left out for an instance on another network",
        rows: [...blue, api, res(T.firewall, "no-net", {})],
        wanted: [api],
        out: [...redNames, "no-net"],
    },
    {
        name: "a network not told (unknown without dependencies, a secret, an id, config the stack does not set, another resource's output) is kept",
        rows: [
            ...blue,
            api,
            res(T.firewall, "unknown-net", { network: UNKNOWN }),
            res(T.firewall, "secret-net", { network: { [SECRET_SIG_KEY]: SECRET_SIG, value: "red" } }),
            res(T.firewall, "by-id", { network: "projects/p/global/networks/1234567890" }),
            res(T.firewall, "unset-config", { network: `${PLACEHOLDER_PREFIX}network` }),
            res(T.firewall, "via-other", { network: UNKNOWN }, { network: [urn(T.firewall, "red-fw")] }),
            res(T.route, "junk-deps", { network: UNKNOWN }, { network: "red" as unknown as string[] }),
        ],
        wanted: [api],
        out: redNames,
    },
    {
        name: "a network peered with the asked instance's is kept, with its own peers",
        rows: [
            ...blue,
            api,
            res(T.network, "green", {}),
            res(T.firewall, "green-fw", { network: "green" }),
            res(T.peering, "blue-green", { network: self("blue"), peerNetwork: self("green") }),
            res(T.peering, "green-red", { network: "green", peerNetwork: "red" }),
        ],
        wanted: [api],
        out: [],
    },
    {
        name: "a peering whose networks cannot be told: nothing is left out",
        rows: [...blue, api, res(T.peering, "unknown", { network: UNKNOWN, peerNetwork: self("red") })],
        wanted: [api],
        out: "all",
    },
    {
        name: "an asked workload that is not a plain instance: nothing is left out",
        rows: [...blue, res(T.sql, "db", {})],
        wanted: [res(T.sql, "db", {})],
        out: "all",
    },
    {
        name: "an asked instance whose network cannot be told: nothing is left out",
        rows: [vm("lost", { network: UNKNOWN })],
        wanted: [vm("lost", { network: UNKNOWN })],
        out: "all",
    },
    { name: "a stack with GKE: nothing is left out", rows: [...blue, api, res(T.cluster, "gke", {})], wanted: [api], out: "all" },
    {
        name: "a stack that balances load keeps every instance (a backend lists them)",
        rows: [...blue, api, res(T.pool, "pool", {})],
        wanted: [api],
        out: ["red-sub", "red-fw", "red-route"],
    },
];

describe("gcp focus: what explain need not model", () => {
    focusTableTests(gcpFocus, cases, red);
});
