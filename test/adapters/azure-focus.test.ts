// What `internal-ports explain` leaves unmodelled on an Azure stack (GraphAssembler.focus): what shares
// no chain of references with the asked workloads (another virtual network's subnets, NSGs, NICs and
// machines), unless the stack relates resources otherwise. explain-focus.test.ts holds the answers to
// the whole graph's; this holds what is left out.
import { azureFocus } from "../../policies/adapters/azure/focus";
import { SentResource } from "../../policies/adapters/support/assembler";
import { SECRET_SIG, SECRET_SIG_KEY, UNKNOWN } from "../../policies/wire/engine";
import { FocusCase, focusTableTests } from "./focus-rows";

const T = {
    vnet: "azure-native:network:VirtualNetwork",
    subnet: "azure-native:network:Subnet",
    nsg: "azure-native:network:NetworkSecurityGroup",
    rule: "azure-native:network:SecurityRule",
    pip: "azure-native:network:PublicIPAddress",
    nic: "azure-native:network:NetworkInterface",
    vm: "azure-native:compute:VirtualMachine",
    peering: "azure-native:network:VirtualNetworkPeering",
    lb: "azure-native:network:LoadBalancer",
    aks: "azure-native:containerservice:ManagedCluster",
    server: "azure-native:dbforpostgresql:Server",
    dbRule: "azure-native:dbforpostgresql:FirewallRule",
    cVnet: "azure:network/virtualNetwork:VirtualNetwork",
    cSubnet: "azure:network/subnet:Subnet",
    cNsg: "azure:network/networkSecurityGroup:NetworkSecurityGroup",
    cRule: "azure:network/networkSecurityRule:NetworkSecurityRule",
    cAssoc: "azure:network/subnetNetworkSecurityGroupAssociation:SubnetNetworkSecurityGroupAssociation",
    cNic: "azure:network/networkInterface:NetworkInterface",
    cVm: "azure:compute/linuxVirtualMachine:LinuxVirtualMachine",
};
const urn = (type: string, name: string) => `urn:pulumi:dev::p::${type}::${name}`;
const rg = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network";
const id = (kind: string, name: string) => `${rg}/${kind}/${name}`;

function res(type: string, name: string, props: Record<string, unknown>, dependencies?: Record<string, string[]>): SentResource {
    return { type, urn: urn(type, name), props: { resourceGroupName: "rg", ...props }, ...(dependencies ? { dependencies } : {}) };
}

/** A virtual network with a subnet behind an NSG, and a machine with a public IP on it, all by literal ids. */
function unit(n: string): SentResource[] {
    const subnetId = `${id("virtualNetworks", n)}/subnets/app`;
    return [
        res(T.vnet, n, { id: id("virtualNetworks", n), name: n, addressSpace: { addressPrefixes: ["10.0.0.0/16"] } }),
        res(T.nsg, `${n}-nsg`, { id: id("networkSecurityGroups", `${n}-nsg`), name: `${n}-nsg` }),
        res(T.subnet, `${n}-sub`, {
            id: subnetId,
            name: "app",
            virtualNetworkName: n,
            networkSecurityGroup: { id: id("networkSecurityGroups", `${n}-nsg`) },
        }),
        res(T.pip, `${n}-pip`, { id: id("publicIPAddresses", `${n}-pip`) }),
        res(T.nic, `${n}-nic`, {
            id: id("networkInterfaces", `${n}-nic`),
            ipConfigurations: [
                { name: "ipconfig1", subnet: { id: subnetId }, publicIPAddress: { id: id("publicIPAddresses", `${n}-pip`) } },
            ],
        }),
        res(T.vm, `${n}-vm`, { networkProfile: { networkInterfaces: [{ id: id("networkInterfaces", `${n}-nic`) }] } }),
    ];
}

const blue = unit("blue");
const api = blue[5];
/** The other network's resources every case has. */
const red = unit("red");
const nameOf = (r: SentResource) => r.urn.slice(r.urn.lastIndexOf("::") + 2);
const redNames = red.map(nameOf);

/** The blue unit as a preview shows it: ids unknown until update, every tie a property dependency. */
const preview = [
    res(T.vnet, "pv", { id: UNKNOWN, name: UNKNOWN }),
    res(T.nsg, "pv-nsg", { id: UNKNOWN }),
    res(
        T.subnet,
        "pv-sub",
        { id: UNKNOWN, virtualNetworkName: UNKNOWN, networkSecurityGroup: { id: UNKNOWN } },
        {
            virtualNetworkName: [urn(T.vnet, "pv")],
            networkSecurityGroup: [urn(T.nsg, "pv-nsg")],
        },
    ),
    res(T.nic, "pv-nic", { id: UNKNOWN, ipConfigurations: [{ subnet: { id: UNKNOWN } }] }, { ipConfigurations: [urn(T.subnet, "pv-sub")] }),
    res(T.vm, "pv-vm", { networkProfile: { networkInterfaces: [{ id: UNKNOWN }] } }, { networkProfile: [urn(T.nic, "pv-nic")] }),
];

const classic = [
    res(T.cVnet, "cblue", { id: id("virtualNetworks", "cblue"), name: "cblue" }),
    res(T.cSubnet, "cblue-sub", { id: `${id("virtualNetworks", "cblue")}/subnets/app`, name: "app", virtualNetworkName: "cblue" }),
    res(T.cNsg, "cblue-nsg", { id: id("networkSecurityGroups", "cblue-nsg"), name: "cblue-nsg" }),
    res(T.cRule, "cblue-rule", { name: "ssh", networkSecurityGroupName: "cblue-nsg", priority: 100 }),
    res(T.cAssoc, "cblue-assoc", {
        subnetId: `${id("virtualNetworks", "cblue")}/subnets/app`,
        networkSecurityGroupId: id("networkSecurityGroups", "cblue-nsg"),
    }),
    res(T.cNic, "cblue-nic", {
        id: id("networkInterfaces", "cblue-nic"),
        ipConfigurations: [{ subnetId: `${id("virtualNetworks", "cblue")}/subnets/app` }],
    }),
    res(T.cVm, "cblue-vm", { networkInterfaceIds: [id("networkInterfaces", "cblue-nic")] }),
];
const cVm = classic[6];
const inlineVm = res(T.vm, "inline-vm", { networkProfile: { networkInterfaces: [{ id: id("networkInterfaces", "inline-nic") }] } });

type Case = FocusCase;

const cases: Case[] = [
    {
        name: "another virtual network's subnets, NSGs, public IPs, NICs and machines are left out (a name both subnets have, `app`, ties neither)",
        rows: blue,
        wanted: [api],
        out: redNames,
    },
    {
        name: "both asked machines' networks are kept",
        rows: blue,
        wanted: [api, red[5]],
        out: [],
    },
    {
        name: "in preview, ties told by property dependencies (ids unknown until update)",
        rows: [
            ...preview,
            res(T.rule, "pv-rule", { networkSecurityGroupName: UNKNOWN }, { networkSecurityGroupName: [urn(T.nsg, "pv-nsg")] }),
            res(T.rule, "red-dep-rule", { networkSecurityGroupName: UNKNOWN }, { networkSecurityGroupName: [urn(T.nsg, "red-nsg")] }),
        ],
        wanted: [preview[4]],
        out: [...redNames, "red-dep-rule"],
    },
    {
        name: "classic resources tied by names and ids: a subnet by its network's name, a rule by its NSG's, an association by ids",
        rows: [...classic, res(T.cRule, "red-named-rule", { networkSecurityGroupName: "red-nsg" })],
        wanted: [cVm],
        out: [...redNames, "red-named-rule"],
    },
    {
        name: "a resource naming a name two resources share ties both in (a rule that may belong to either NSG of one name)",
        rows: [
            ...blue.map((r) =>
                r.type === T.nsg ? res(T.nsg, "blue-nsg", { id: id("networkSecurityGroups", "blue-nsg"), name: "shared" }) : r,
            ),
            res(T.nsg, "red-shared", { id: id("networkSecurityGroups", "red-shared"), name: "shared" }),
            res(T.rule, "either", { networkSecurityGroupName: "shared" }),
        ],
        wanted: [api],
        out: redNames,
    },
    {
        name: "a subnet written inline in its virtual network is known by its id (the network's id unknown until update)",
        rows: [
            res(T.vnet, "inline", { id: UNKNOWN, subnets: [{ name: "web", id: `${id("virtualNetworks", "inline")}/subnets/web` }] }),
            res(T.nic, "inline-nic", {
                id: id("networkInterfaces", "inline-nic"),
                ipConfigurations: [{ subnet: { id: `${id("virtualNetworks", "inline")}/subnets/web` } }],
            }),
            inlineVm,
        ],
        wanted: [inlineVm],
        out: redNames,
    },
    {
        name: "a network peered with the asked machine's is kept, with what is on it",
        rows: [
            ...blue,
            res(T.peering, "blue-red", { virtualNetworkName: "blue", remoteVirtualNetwork: { id: id("virtualNetworks", "red") } }),
        ],
        wanted: [api],
        out: [],
    },
    {
        name: "tags, resource groups, locations, rule addresses, ports, protocols and verdicts that spell a name tie nothing",
        rows: [
            ...blue,
            res(T.nsg, "spelt", {
                resourceGroupName: "blue",
                location: "blue",
                tags: { service: "blue" },
                securityRules: [
                    {
                        sourceAddressPrefix: "blue",
                        destinationAddressPrefixes: ["blue"],
                        destinationPortRange: "blue",
                        sourcePortRanges: ["blue"],
                        protocol: "blue",
                        access: "blue",
                        direction: "blue",
                        priority: "blue",
                    },
                ],
            }),
        ],
        wanted: [api],
        out: [...redNames, "spelt"],
    },
    {
        name: "a secret reference still ties what it names; an unknown one without dependencies, or none, ties nothing",
        rows: [
            ...blue,
            res(T.nic, "secret-nic", {
                ipConfigurations: [
                    { subnet: { id: { [SECRET_SIG_KEY]: SECRET_SIG, value: `${id("virtualNetworks", "blue")}/subnets/app` } } },
                ],
            }),
            res(T.nic, "unknown-nic", { ipConfigurations: [{ subnet: { id: UNKNOWN } }] }),
            res(T.nic, "bare-nic", {}),
            { type: T.nic, urn: urn(T.nic, "junk-nic"), props: "junk", dependencies: { ipConfigurations: "x" as unknown as string[] } },
        ],
        wanted: [api],
        out: [...redNames, "unknown-nic", "bare-nic", "junk-nic"],
    },
    {
        name: "a database server's firewall rules are tied to it by its name; another server's are left out",
        rows: [
            ...blue,
            res(T.server, "db", { id: id("servers", "db"), name: "db" }),
            res(T.dbRule, "db-rule", { serverName: "db" }),
            res(T.server, "red-db", { id: id("servers", "red-db"), name: "red-db" }),
            res(T.dbRule, "red-db-rule", { serverName: "red-db" }),
        ],
        wanted: [res(T.server, "db", {})],
        out: [...redNames, ...blue.map(nameOf), "red-db", "red-db-rule"],
    },
    {
        name: "a database firewall rule whose server is unknown (it counts for every server): nothing is left out",
        rows: [...blue, res(T.dbRule, "any-rule", { serverName: UNKNOWN })],
        wanted: [api],
        out: "all",
    },
    {
        name: "a database firewall rule whose server is a secret: nothing is left out",
        rows: [...blue, res(T.dbRule, "secret-rule", { serverName: { [SECRET_SIG_KEY]: SECRET_SIG, value: "db" } })],
        wanted: [api],
        out: "all",
    },
    {
        name: "a database firewall rule that names no server: nothing is left out",
        rows: [...blue, res(T.dbRule, "bare-rule", {})],
        wanted: [api],
        out: "all",
    },
    { name: "a load balancer in the stack: nothing is left out", rows: [...blue, res(T.lb, "lb", {})], wanted: [api], out: "all" },
    { name: "AKS in the stack: nothing is left out", rows: [...blue, res(T.aks, "aks", {})], wanted: [api], out: "all" },
    {
        name: "a property bag nested past what is read: nothing is left out",
        rows: [...blue, res(T.nic, "deep", { x: Array.from({ length: 80 }).reduce<unknown>((v) => ({ v }), "end") })],
        wanted: [api],
        out: "all",
    },
    { name: "no asked workload among the resources: nothing is told", rows: blue, wanted: [res(T.vm, "elsewhere", {})], out: "all" },
];

describe("azure focus: what explain need not model", () => {
    focusTableTests(azureFocus, cases, red, nameOf);
});
