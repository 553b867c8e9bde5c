// Azure stacks for the two network-graph policies, as the engine sends them to AnalyzeStack: outputs
// with ids unknown in preview (links only through property dependencies) and known in update. A
// machine's NIC sits in a subnet; inbound a packet crosses the subnet NSG, then the NIC NSG, and
// Azure's default rules follow every NSG's own; a Standard public IP admits only what an NSG allows.
import { PolicyCase, StackCase, TEST_REGISTRY_YAML, UNKNOWN, urnOf } from "../../helpers";
import { CaseTable } from "../index";

export const AZ = {
    vm: "azure-native:compute:VirtualMachine",
    nic: "azure-native:network:NetworkInterface",
    subnet: "azure-native:network:Subnet",
    vnet: "azure-native:network:VirtualNetwork",
    pip: "azure-native:network:PublicIPAddress",
    nsg: "azure-native:network:NetworkSecurityGroup",
    rule: "azure-native:network:SecurityRule",
    asg: "azure-native:network:ApplicationSecurityGroup",
    peering: "azure-native:network:VirtualNetworkPeering",
    routeTable: "azure-native:network:RouteTable",
} as const;

export const CLASSIC = {
    vm: "azure:compute/linuxVirtualMachine:LinuxVirtualMachine",
    nic: "azure:network/networkInterface:NetworkInterface",
    subnet: "azure:network/subnet:Subnet",
    vnet: "azure:network/virtualNetwork:VirtualNetwork",
    pip: "azure:network/publicIp:PublicIp",
    nsg: "azure:network/networkSecurityGroup:NetworkSecurityGroup",
    nicNsg: "azure:network/networkInterfaceSecurityGroupAssociation:NetworkInterfaceSecurityGroupAssociation",
    subnetNsg: "azure:network/subnetNetworkSecurityGroupAssociation:SubnetNetworkSecurityGroupAssociation",
} as const;

const POSTGRES = "{ name: postgres, ports: [5432], protocol: tcp, allowedSources: [10.20.0.0/16] }";
/** Postgres documents its clients: the machines tagged service=app. */
export const GRAPH_REGISTRY = TEST_REGISTRY_YAML.replace(POSTGRES, POSTGRES.replace(" }", ", clients: [{ service: app }] }"));
/** ... and the operations VPN, a range outside the stack. */
export const VPN_REGISTRY = TEST_REGISTRY_YAML.replace(
    POSTGRES,
    POSTGRES.replace(" }", ", clients: [{ service: app }, { cidr: 10.50.0.0/16 }] }"),
);

type Mode = "preview" | "update";
const KIND: Record<string, string> = {
    [AZ.vm]: "virtualMachines",
    [AZ.nic]: "networkInterfaces",
    [AZ.subnet]: "subnets",
    [AZ.vnet]: "virtualNetworks",
    [AZ.pip]: "publicIPAddresses",
    [AZ.nsg]: "networkSecurityGroups",
    [AZ.asg]: "applicationSecurityGroups",
    [AZ.peering]: "virtualNetworkPeerings",
    [AZ.routeTable]: "routeTables",
};
export const idOf = (type: string, name: string) =>
    `/subscriptions/0000/resourceGroups/rg/providers/Microsoft.${type === AZ.vm ? "Compute" : "Network"}/${KIND[type]}/${name}`;

type Rule = Record<string, unknown>;
/**
 * An inbound NSG rule, unnamed (messages then name it by its index alone; a named rule has its own case):
 * `source` a prefix, a tag or `asg:<name>`; `to` a destination ASG (`asg:<name>`) or prefix.
 */
export function inbound(priority: number, access: "Allow" | "Deny", port: string, source: string, to = "*"): Rule {
    return {
        priority,
        direction: "Inbound",
        access,
        protocol: "Tcp",
        sourcePortRange: "*",
        destinationPortRange: port,
        ...side("source", source),
        ...side("destination", to),
    };
}
export function outbound(priority: number, access: "Allow" | "Deny", port: string, destination: string): Rule {
    return {
        priority,
        direction: "Outbound",
        access,
        protocol: "Tcp",
        sourcePortRange: "*",
        destinationPortRange: port,
        sourceAddressPrefix: "*",
        ...side("destination", destination),
    };
}
function side(which: "source" | "destination", value: string): Rule {
    return value.startsWith("asg:")
        ? { [`${which}ApplicationSecurityGroups`]: [{ id: `@asg:${value.slice(4)}` }] }
        : { [`${which}AddressPrefix`]: value };
}

interface VmSpec {
    name: string;
    subnet: string;
    service?: string;
    nsg?: string;
    pip?: string;
    asgs?: string[];
    ip?: string;
}
export interface Spec {
    vnets: { name: string; space: string[] }[];
    /** One-way peerings: `from` peers with `to`. */
    peerings?: { name: string; from: string; to: string }[];
    subnets: { name: string; vnet: string; prefix: string; nsg?: string }[];
    nsgs: { name: string; rules: Rule[] }[];
    pips?: { name: string; sku?: string; version?: string }[];
    asgs?: string[];
    vms: VmSpec[];
}

/**
 * The stack as the engine sends it: every reference is `{ id }` with the target's id in update and the
 * unknown sentinel in preview, and property dependencies name the target's URN either way. Rules name
 * application security groups as `@asg:<name>`, resolved here.
 */
export function azure(mode: Mode, spec: Spec): StackCase[] {
    const out: StackCase[] = [];
    const ref = (type: string, name: string) => (mode === "update" ? idOf(type, name) : UNKNOWN);
    const add = (type: string, name: string, props: Record<string, unknown>, pd: Record<string, string[]> = {}) => {
        out.push({ type, name, props: mode === "update" ? { id: idOf(type, name), name, ...props } : props, propertyDependencies: pd });
    };
    const dep = (pd: Record<string, string[]>, property: string, type: string, name: string) =>
        (pd[property] ??= []).push(urnOf(type, name));
    for (const a of spec.asgs ?? []) add(AZ.asg, a, {});
    for (const n of spec.nsgs) {
        const pd: Record<string, string[]> = {};
        const rules: unknown = JSON.parse(JSON.stringify(n.rules), (_k, v: unknown) => {
            if (typeof v === "string" && v.startsWith("@asg:")) {
                dep(pd, "securityRules", AZ.asg, v.slice(5));
                return ref(AZ.asg, v.slice(5));
            }
            return v;
        });
        add(AZ.nsg, n.name, { securityRules: rules }, pd);
    }
    for (const v of spec.vnets) add(AZ.vnet, v.name, { resourceGroupName: "rg", addressSpace: { addressPrefixes: v.space } });
    for (const p of spec.peerings ?? []) {
        const pd: Record<string, string[]> = {};
        dep(pd, "virtualNetworkName", AZ.vnet, p.from);
        dep(pd, "remoteVirtualNetwork", AZ.vnet, p.to);
        add(
            AZ.peering,
            p.name,
            {
                resourceGroupName: "rg",
                virtualNetworkName: mode === "update" ? p.from : UNKNOWN,
                remoteVirtualNetwork: { id: ref(AZ.vnet, p.to) },
                allowVirtualNetworkAccess: true,
            },
            pd,
        );
    }
    for (const s of spec.subnets) {
        const pd: Record<string, string[]> = {};
        dep(pd, "virtualNetworkName", AZ.vnet, s.vnet);
        if (s.nsg) dep(pd, "networkSecurityGroup", AZ.nsg, s.nsg);
        add(
            AZ.subnet,
            s.name,
            {
                resourceGroupName: "rg",
                virtualNetworkName: mode === "update" ? s.vnet : UNKNOWN,
                addressPrefix: s.prefix,
                ...(s.nsg ? { networkSecurityGroup: { id: ref(AZ.nsg, s.nsg) } } : {}),
            },
            pd,
        );
    }
    for (const p of spec.pips ?? [])
        add(AZ.pip, p.name, {
            publicIPAllocationMethod: "Static",
            ...(p.sku ? { sku: { name: p.sku } } : {}),
            ...(p.version ? { publicIPAddressVersion: p.version } : {}),
        });
    for (const vm of spec.vms) {
        const nic = `${vm.name}-nic`;
        const pd: Record<string, string[]> = {};
        dep(pd, "ipConfigurations", AZ.subnet, vm.subnet);
        if (vm.pip) dep(pd, "ipConfigurations", AZ.pip, vm.pip);
        for (const a of vm.asgs ?? []) dep(pd, "ipConfigurations", AZ.asg, a);
        if (vm.nsg) dep(pd, "networkSecurityGroup", AZ.nsg, vm.nsg);
        add(
            AZ.nic,
            nic,
            {
                resourceGroupName: "rg",
                ...(vm.nsg ? { networkSecurityGroup: { id: ref(AZ.nsg, vm.nsg) } } : {}),
                ipConfigurations: [
                    {
                        name: "ipconfig",
                        subnet: { id: ref(AZ.subnet, vm.subnet) },
                        ...(vm.pip ? { publicIPAddress: { id: ref(AZ.pip, vm.pip) } } : {}),
                        ...(vm.asgs ? { applicationSecurityGroups: vm.asgs.map((a) => ({ id: ref(AZ.asg, a) })) } : {}),
                        ...(vm.ip ? { privateIPAllocationMethod: "Static", privateIPAddress: vm.ip } : {}),
                    },
                ],
            },
            pd,
        );
        const vmPd: Record<string, string[]> = {};
        dep(vmPd, "networkProfile", AZ.nic, nic);
        add(
            AZ.vm,
            vm.name,
            {
                resourceGroupName: "rg",
                tags: vm.service ? { service: vm.service } : {},
                networkProfile: { networkInterfaces: [{ id: ref(AZ.nic, nic) }] },
            },
            vmPd,
        );
    }
    return out;
}

/** The same stack as preview and as update sends it: two rows. */
function both(
    name: string,
    spec: Spec,
    expect: Omit<PolicyCase, "name" | "resources">,
    tweak: (rows: StackCase[], mode: Mode) => StackCase[] = (r) => r,
): PolicyCase[] {
    return (["preview", "update"] as const).map((mode) => ({
        name: `${name} (${mode})`,
        registryYaml: GRAPH_REGISTRY,
        resources: tweak(azure(mode, spec), mode),
        ...expect,
    }));
}
function one(
    name: string,
    mode: Mode,
    spec: Spec,
    expect: Omit<PolicyCase, "name" | "resources">,
    tweak: (rows: StackCase[]) => StackCase[] = (r) => r,
): PolicyCase {
    return { name, registryYaml: GRAPH_REGISTRY, resources: tweak(azure(mode, spec)), ...expect };
}

/** Replace one resource's props (and dependencies). */
function patch(rows: StackCase[], name: string, f: (r: StackCase) => StackCase): StackCase[] {
    return rows.map((r) => (r.name === name ? f(r) : r));
}

// ---------------------------------------------------------------------------------------------
// Stacks

const VNET = { name: "main-vnet", space: ["10.0.0.0/16"] };
const SSH_FROM_INTERNET = inbound(100, "Allow", "22", "Internet");
const PG_FROM_APP = inbound(100, "Allow", "5432", "10.0.1.0/24");

/** A web machine with a public IP in a subnet; `subnetRules`/`nicRules` are its two NSGs (undefined: none). */
function web(subnetRules: Rule[] | undefined, nicRules: Rule[] | undefined, pip: { sku?: string; version?: string } = {}): Spec {
    return {
        vnets: [VNET],
        nsgs: [
            ...(subnetRules ? [{ name: "web-nsg", rules: subnetRules }] : []),
            ...(nicRules ? [{ name: "web-nic-nsg", rules: nicRules }] : []),
        ],
        subnets: [{ name: "web-subnet", vnet: "main-vnet", prefix: "10.0.1.0/24", ...(subnetRules ? { nsg: "web-nsg" } : {}) }],
        pips: [{ name: "web-pip", ...pip }],
        vms: [{ name: "web-vm", subnet: "web-subnet", pip: "web-pip", ...(nicRules ? { nsg: "web-nic-nsg" } : {}) }],
    };
}

/** An app machine (the documented client) and a database machine (postgres) in their subnets, each with a subnet NSG and a NIC NSG. */
function tiers(
    o: {
        appSubnet?: Rule[];
        appNic?: Rule[];
        dbSubnet?: Rule[];
        dbNic?: Rule[];
        dbService?: string;
        sameSubnet?: boolean;
        asgs?: boolean;
    } = {},
): Spec {
    const db = o.sameSubnet ? "app-subnet" : "db-subnet";
    return {
        vnets: [VNET],
        asgs: o.asgs ? ["app-asg", "db-asg"] : [],
        nsgs: [
            { name: "app-nsg", rules: o.appSubnet ?? [] },
            { name: "app-nic-nsg", rules: o.appNic ?? [] },
            { name: "db-nsg", rules: o.dbSubnet ?? [PG_FROM_APP] },
            { name: "db-nic-nsg", rules: o.dbNic ?? [PG_FROM_APP] },
        ],
        subnets: [
            { name: "app-subnet", vnet: "main-vnet", prefix: "10.0.1.0/24", nsg: "app-nsg" },
            ...(o.sameSubnet ? [] : [{ name: "db-subnet", vnet: "main-vnet", prefix: "10.0.2.0/24", nsg: "db-nsg" }]),
        ],
        vms: [
            { name: "app-vm", subnet: "app-subnet", service: "app", nsg: "app-nic-nsg", ...(o.asgs ? { asgs: ["app-asg"] } : {}) },
            { name: "db-vm", subnet: db, service: o.dbService ?? "postgres", nsg: "db-nic-nsg", ...(o.asgs ? { asgs: ["db-asg"] } : {}) },
        ],
    };
}

/** A web and a db subnet written inline in the virtual network, each with its NSG; the web machine's NIC names its subnet as `subnetRef` says. */
function inlineStack(mode: Mode, subnetRef: "id" | "object" | "name"): StackCase[] {
    const ref = (type: string, name: string) => (mode === "update" ? idOf(type, name) : UNKNOWN);
    const subnetId = (name: string) => (mode === "update" ? `${idOf(AZ.vnet, "main-vnet")}/subnets/${name}` : UNKNOWN);
    const withId = (type: string, name: string, props: Record<string, unknown>) =>
        mode === "update" ? { id: idOf(type, name), name, ...props } : props;
    const subnet =
        subnetRef === "id"
            ? { id: subnetId("web") }
            : subnetRef === "name"
              ? { id: subnetId("web"), name: "web", addressPrefix: "10.0.1.0/24" }
              : { name: "web", addressPrefix: "10.0.1.0/24" };
    return [
        { type: AZ.nsg, name: "web-nsg", props: withId(AZ.nsg, "web-nsg", { securityRules: [SSH_FROM_INTERNET] }) },
        { type: AZ.nsg, name: "db-nsg", props: withId(AZ.nsg, "db-nsg", { securityRules: [PG_FROM_APP] }) },
        {
            type: AZ.vnet,
            name: "main-vnet",
            props: withId(AZ.vnet, "main-vnet", {
                resourceGroupName: "rg",
                addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
                subnets: [
                    {
                        name: "web",
                        addressPrefix: "10.0.1.0/24",
                        networkSecurityGroup: { id: ref(AZ.nsg, "web-nsg") },
                        ...(mode === "update" ? { id: subnetId("web") } : {}),
                    },
                    {
                        name: "db",
                        addressPrefix: "10.0.2.0/24",
                        networkSecurityGroup: { id: ref(AZ.nsg, "db-nsg") },
                        ...(mode === "update" ? { id: subnetId("db") } : {}),
                    },
                ],
            }),
            propertyDependencies: { subnets: [urnOf(AZ.nsg, "web-nsg"), urnOf(AZ.nsg, "db-nsg")] },
        },
        { type: AZ.pip, name: "web-pip", props: withId(AZ.pip, "web-pip", { sku: { name: "Standard" } }) },
        {
            type: AZ.nic,
            name: "web-vm-nic",
            props: withId(AZ.nic, "web-vm-nic", {
                ipConfigurations: [{ name: "ipconfig", subnet, publicIPAddress: { id: ref(AZ.pip, "web-pip") } }],
            }),
            propertyDependencies: { ipConfigurations: [urnOf(AZ.vnet, "main-vnet"), urnOf(AZ.pip, "web-pip")] },
        },
        {
            type: AZ.vm,
            name: "web-vm",
            props: withId(AZ.vm, "web-vm", { networkProfile: { networkInterfaces: [{ id: ref(AZ.nic, "web-vm-nic") }] } }),
            propertyDependencies: { networkProfile: [urnOf(AZ.nic, "web-vm-nic")] },
        },
    ];
}

/** The classic provider's shapes: a Linux machine, its NIC, a subnet, NSG associations, a public IP. */
function classicStack(mode: Mode, nicRules: Rule[]): StackCase[] {
    const id = (kind: string, name: string) => `/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/${kind}/${name}`;
    const ref = (kind: string, name: string) => (mode === "update" ? id(kind, name) : UNKNOWN);
    const withId = (kind: string, name: string, props: Record<string, unknown>) => ({
        ...(mode === "update" ? { id: id(kind, name) } : {}),
        name,
        ...props,
    });
    const dep = (type: string, name: string) => [urnOf(type, name)];
    return [
        {
            type: CLASSIC.vnet,
            name: "main-vnet",
            props: withId("virtualNetworks", "main-vnet", { resourceGroupName: "rg", addressSpaces: ["10.0.0.0/16"] }),
        },
        {
            type: CLASSIC.subnet,
            name: "web-subnet",
            props: withId("virtualNetworks/main-vnet/subnets", "web-subnet", {
                resourceGroupName: "rg",
                virtualNetworkName: "main-vnet",
                addressPrefixes: ["10.0.1.0/24"],
            }),
            propertyDependencies: { virtualNetworkName: dep(CLASSIC.vnet, "main-vnet") },
        },
        { type: CLASSIC.nsg, name: "web-nsg", props: withId("networkSecurityGroups", "web-nsg", { securityRules: [SSH_FROM_INTERNET] }) },
        { type: CLASSIC.nsg, name: "web-nic-nsg", props: withId("networkSecurityGroups", "web-nic-nsg", { securityRules: nicRules }) },
        {
            type: CLASSIC.subnetNsg,
            name: "web-subnet-nsg",
            props: {
                subnetId: ref("virtualNetworks/main-vnet/subnets", "web-subnet"),
                networkSecurityGroupId: ref("networkSecurityGroups", "web-nsg"),
            },
            propertyDependencies: { subnetId: dep(CLASSIC.subnet, "web-subnet"), networkSecurityGroupId: dep(CLASSIC.nsg, "web-nsg") },
        },
        {
            type: CLASSIC.pip,
            name: "web-pip",
            props: withId("publicIPAddresses", "web-pip", { resourceGroupName: "rg", allocationMethod: "Static", sku: "Standard" }),
        },
        {
            type: CLASSIC.nic,
            name: "web-nic",
            props: withId("networkInterfaces", "web-nic", {
                resourceGroupName: "rg",
                ipConfigurations: [
                    {
                        name: "internal",
                        subnetId: ref("virtualNetworks/main-vnet/subnets", "web-subnet"),
                        publicIpAddressId: ref("publicIPAddresses", "web-pip"),
                        privateIpAddressAllocation: "Dynamic",
                    },
                ],
            }),
            propertyDependencies: { ipConfigurations: [urnOf(CLASSIC.subnet, "web-subnet"), urnOf(CLASSIC.pip, "web-pip")] },
        },
        {
            type: CLASSIC.nicNsg,
            name: "web-nic-nsg-link",
            props: {
                networkInterfaceId: ref("networkInterfaces", "web-nic"),
                networkSecurityGroupId: ref("networkSecurityGroups", "web-nic-nsg"),
            },
            propertyDependencies: {
                networkInterfaceId: dep(CLASSIC.nic, "web-nic"),
                networkSecurityGroupId: dep(CLASSIC.nsg, "web-nic-nsg"),
            },
        },
        {
            type: CLASSIC.vm,
            name: "web-vm",
            props: withId("virtualMachines", "web-vm", {
                resourceGroupName: "rg",
                size: "Standard_B1s",
                networkInterfaceIds: [ref("networkInterfaces", "web-nic")],
            }),
            propertyDependencies: { networkInterfaceIds: dep(CLASSIC.nic, "web-nic") },
        },
    ];
}

/** The same token (or URN) of a versioned API: `azure-native:network/v20230901:NetworkInterface`. */
const versioned = (t: string) => t.replace(/azure-native:(network|compute):/, "azure-native:$1/v20230901:");

const EXPOSED_SSH = (path: RegExp): PolicyCase["errors"] => [
    ["exposed", null, { workload: "`web-vm`", placement: "`web-subnet`", ports: "tcp 22 (ssh)", path }, "fixPath"],
];

const noInternetPath: CaseTable = {
    valid: [
        ...both("a Standard public IP without any NSG admits nothing", web(undefined, undefined, { sku: "Standard" }), {}),
        ...both("a public IP without a SKU is Standard (Basic is retired): closed without an NSG", web(undefined, undefined), {}),
        ...both(
            "the default DenyAllInBound: an NSG with no rule for the internet closes the path",
            web([inbound(100, "Allow", "22", "10.50.0.0/16")], undefined),
            {},
        ),
        ...both(
            "the subnet NSG allows ssh from the internet, the NIC NSG does not",
            web([SSH_FROM_INTERNET], [inbound(100, "Allow", "443", "Internet")]),
            {},
        ),
        ...both(
            "the NIC NSG allows ssh from the internet, the subnet NSG does not",
            web([inbound(100, "Allow", "443", "Internet")], [SSH_FROM_INTERNET]),
            {},
        ),
        ...both(
            "an earlier deny of Internet closes a later allow from *",
            web([inbound(100, "Deny", "22", "Internet"), inbound(110, "Allow", "22", "*")], undefined),
            {},
        ),
        ...both(
            "a rule for another machine's application security group does not open this one",
            { ...web([inbound(100, "Allow", "22", "Internet", "asg:bastion-asg")], undefined), asgs: ["bastion-asg"] },
            {},
        ),
        ...both(
            "a rule for another destination prefix does not open this machine",
            web([inbound(100, "Allow", "22", "Internet", "10.0.9.0/24")], undefined),
            {},
        ),
        ...both("https from the internet is public in ports.yaml", web([inbound(100, "Allow", "443", "Internet")], undefined), {}),
        ...both(
            "a world-open NSG on a machine without a public IP: no way in (no-world-open-internal-ports' concern)",
            {
                ...web([SSH_FROM_INTERNET], [SSH_FROM_INTERNET]),
                pips: [],
                vms: [{ name: "web-vm", subnet: "web-subnet", nsg: "web-nic-nsg" }],
            },
            {},
        ),
        ...(["preview", "update"] as const).map((mode): PolicyCase => ({
            name: `classic provider: the NIC NSG association closes what the subnet NSG opens (${mode})`,
            registryYaml: GRAPH_REGISTRY,
            resources: classicStack(mode, [inbound(100, "Allow", "443", "Internet")]),
        })),
        {
            name: "a stack with NSGs and subnets but no machine has no paths",
            registryYaml: GRAPH_REGISTRY,
            resources: azure("update", { ...web([SSH_FROM_INTERNET], undefined), vms: [] }),
        },
    ],
    invalid: [
        ...both(
            "both NSGs allow ssh from the internet: the path, hop by hop",
            web([SSH_FROM_INTERNET], [inbound(120, "Allow", "22", "*")]),
            {
                errors: EXPOSED_SSH(
                    /^internet → public IP `web-pip` \(Standard SKU, the default\) → subnet NSG `web-nsg` \(securityRules\[0\] \(priority 100\) \(tcp 22 from Internet\)\) → NIC NSG `web-nic-nsg` \(securityRules\[0\] \(priority 120\) \(tcp 22 from \*\)\) → `web-vm`$/,
                ),
            },
        ),
        ...both("a Basic public IP without any NSG is open on every internal port", web(undefined, undefined, { sku: "Basic" }), {
            errors: [
                [
                    "exposed",
                    null,
                    {
                        workload: "`web-vm`",
                        ports: "tcp 22 (ssh), 53 (dns), 2379-2380 (etcd), 5432 (postgres), 6379 (redis) and 2 more",
                        path: "internet → public IP `web-pip` (Basic SKU: open where no NSG filters) → `web-vm`",
                    },
                    "fixPath",
                ],
                ["exposed", null, { workload: "`web-vm`", ports: "udp 53 (dns), 0-52, 54-65535 (65535 undocumented ports)" }, "fixPath"],
            ],
        }),
        ...both(
            "a dynamic public IP without a SKU is a Basic one (Standard addresses are static): open without an NSG",
            web(undefined, undefined),
            {
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            ports: /^tcp 22 \(ssh\)/,
                            path: "internet → public IP `web-pip` (read as Basic, the only SKU a Dynamic address can have, though Azure no longer creates Basic addresses: open where no NSG filters) → `web-vm`",
                        },
                        "fixPath",
                    ],
                    ["exposed", null, { ports: /^udp 53 \(dns\)/ }, "fixPath"],
                ],
            },
            (rows) => patch(rows, "web-pip", (r) => ({ ...r, props: { ...r.props, publicIPAllocationMethod: "Dynamic" } })),
        ),
        ...both(
            "the world split over two rules of the subnet NSG, and a level without an NSG",
            web([inbound(100, "Allow", "5432", "0.0.0.0/1"), inbound(110, "Allow", "5432", "128.0.0.0/1")], undefined),
            {
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            ports: "tcp 5432 (postgres)",
                            path: /→ subnet NSG `web-nsg` \(securityRules\[0\] \(priority 100\) \(tcp 5432 from 0\.0\.0\.0\/1\) and securityRules\[1\] \(priority 110\) \(tcp 5432 from 128\.0\.0\.0\/1\)\) → `web-vm`$/,
                        },
                        "fixPath",
                    ],
                ],
            },
        ),
        ...both(
            "named rules written out of priority order: the path names each by index and name, in priority order (as Azure evaluates them)",
            web(
                [
                    { ...inbound(300, "Allow", "25565", "128.0.0.0/1"), name: "Port_25565" },
                    { ...inbound(100, "Allow", "25565", "0.0.0.0/1"), name: "Minecraft-low" },
                ],
                undefined,
            ),
            {
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            ports: "tcp 25565 (undocumented)",
                            path: 'internet → public IP `web-pip` (Standard SKU, the default) → subnet NSG `web-nsg` (securityRules[1] "Minecraft-low" (priority 100) (tcp 25565 from 0.0.0.0/1) and securityRules[0] "Port_25565" (priority 300) (tcp 25565 from 128.0.0.0/1)) → `web-vm`',
                        },
                        "fixPath",
                    ],
                ],
            },
        ),
        ...both(
            "the world split over an inline rule and a standalone SecurityRule of one NSG (no single resource opens it); the path names the two halves, not the office range beside them",
            web([inbound(100, "Allow", "22", "203.0.113.0/24"), inbound(110, "Allow", "22", "0.0.0.0/1")], undefined),
            {
                errors: EXPOSED_SSH(
                    /→ subnet NSG `web-nsg` \(securityRules\[1\] \(priority 110\) \(tcp 22 from 0\.0\.0\.0\/1\) and `vendor-more` \(priority 120, tcp 22 from 128\.0\.0\.0\/1\)\) → `web-vm`$/,
                ),
            },
            (rows, mode) => [
                ...rows,
                {
                    type: AZ.rule,
                    name: "vendor-more",
                    props: {
                        ...inbound(120, "Allow", "22", "128.0.0.0/1"),
                        resourceGroupName: "rg",
                        networkSecurityGroupName: mode === "update" ? "web-nsg" : UNKNOWN,
                    },
                    propertyDependencies: { networkSecurityGroupName: [urnOf(AZ.nsg, "web-nsg")] },
                },
            ],
        ),
        ...both("an IPv6 public IP and a rule from ::/0", web([inbound(100, "Allow", "6379", "::/0")], undefined, { version: "IPv6" }), {
            errors: [["exposed", null, { ports: "tcp 6379 (redis)" }, "fixPath"]],
        }),
        ...both(
            "a rule for this machine's application security group opens it",
            {
                ...web([inbound(100, "Allow", "22", "Internet", "asg:web-asg")], undefined),
                asgs: ["web-asg"],
                vms: [{ name: "web-vm", subnet: "web-subnet", pip: "web-pip", asgs: ["web-asg"] }],
            },
            {
                errors: EXPOSED_SSH(/securityRules\[0\] \(priority 100\) \(tcp 22 from Internet\)/),
            },
        ),
        ...both(
            "a standalone SecurityRule of the NIC NSG opens the port",
            web(undefined, [inbound(100, "Allow", "443", "Internet")]),
            {
                errors: EXPOSED_SSH(/NIC NSG `web-nic-nsg` \(`open-ssh` \(priority 200, tcp 22 from Internet\)\)/),
            },
            (rows, mode) => [
                ...rows,
                {
                    type: AZ.rule,
                    name: "open-ssh",
                    props: {
                        ...inbound(200, "Allow", "22", "Internet"),
                        resourceGroupName: "rg",
                        networkSecurityGroupName: mode === "update" ? "web-nic-nsg" : UNKNOWN,
                    },
                    propertyDependencies: { networkSecurityGroupName: [urnOf(AZ.nsg, "web-nic-nsg")] },
                },
            ],
        ),
        one(
            "the NIC NSG is outside this stack: the path may be open, and cannot be proved",
            "update",
            web([SSH_FROM_INTERNET], undefined),
            {
                advisories: [
                    [
                        "unproven",
                        null,
                        {
                            workload: "`web-vm`",
                            ports: /^tcp 22 \(ssh\)/,
                            path: /→ NIC NSG of `web-vm-nic` \(networkSecurityGroup \(outside this stack\)\) → `web-vm`$/,
                            reason: "the NSG of NIC `web-vm-nic` (`shared-nsg`) is outside this stack",
                        },
                    ],
                ],
            },
            (rows) =>
                patch(rows, "web-vm-nic", (r) => ({
                    ...r,
                    props: { ...r.props, networkSecurityGroup: { id: idOf(AZ.nsg, "shared-nsg") } },
                })),
        ),
        one(
            "a definite exposure through one NIC stays a violation when another NIC of the machine is outside this stack",
            "update",
            web([SSH_FROM_INTERNET], undefined),
            {
                errors: EXPOSED_SSH(/^internet → public IP `web-pip`/),
                advisories: [
                    [
                        "unproven",
                        null,
                        {
                            workload: "`web-vm`",
                            ports: /^tcp 22 \(ssh\)/,
                            placement: "`NIC legacy-nic (outside this stack)`",
                            path: /^internet → whatever public address NIC `legacy-nic` has → NSGs of NIC `legacy-nic` \(networkProfile \(outside this stack\)\) → `web-vm`$/,
                        },
                    ],
                    ["unproven", null, { workload: "`web-vm`", ports: /^udp 53 \(dns\)/ }],
                ],
            },
            (rows) =>
                patch(rows, "web-vm", (r) => ({
                    ...r,
                    props: {
                        ...r.props,
                        networkProfile: { networkInterfaces: [{ id: idOf(AZ.nic, "web-vm-nic") }, { id: idOf(AZ.nic, "legacy-nic") }] },
                    },
                })),
        ),
        {
            name: "inline subnets in update: the NIC's subnet id names the inline `web` subnet and its NSG",
            registryYaml: GRAPH_REGISTRY,
            resources: inlineStack("update", "id"),
            errors: [
                [
                    "exposed",
                    null,
                    {
                        workload: "`web-vm`",
                        placement: "`main-vnet/web`",
                        ports: "tcp 22 (ssh)",
                        path: /subnet NSG `web-nsg` \(securityRules\[0\] \(priority 100\) \(tcp 22 from Internet\)\) → `web-vm`$/,
                    },
                    "fixPath",
                ],
            ],
        },
        {
            name: "inline subnets in preview: which subnet, and which NSG each has, is unknown until update: the path may be open",
            registryYaml: GRAPH_REGISTRY,
            resources: inlineStack("preview", "id"),
            advisories: [
                [
                    "unproven",
                    null,
                    {
                        workload: "`web-vm`",
                        placement: "`main-vnet/{web,db}`",
                        reason: "which subnet of `main-vnet` NIC `web-vm-nic` is in is unknown until update, and its subnets have different NSGs",
                    },
                ],
                ["unproven", null, { ports: /^udp/ }],
            ],
        },
        {
            name: "inline subnets in preview, the NIC naming its subnet by name: the subnet is known, its NSG still is not",
            registryYaml: GRAPH_REGISTRY,
            resources: inlineStack("preview", "object"),
            advisories: [
                [
                    "unproven",
                    null,
                    {
                        placement: "`main-vnet/web`",
                        path: /subnet NSG of `main-vnet\/web` \(networkSecurityGroup \(one of several, unknown until update\)\)/,
                        reason: "which of `web-nsg`, `db-nsg` is the NSG of subnet `main-vnet/web` is unknown until update",
                    },
                ],
                ["unproven", null, { ports: /^udp/ }],
            ],
        },
        {
            name: "a virtual network with one inline subnet: a NIC whose subnet reference has no id yet is in it",
            registryYaml: GRAPH_REGISTRY,
            resources: patch(
                inlineStack("preview", "object").map((r) =>
                    r.name === "main-vnet"
                        ? {
                              ...r,
                              props: { ...r.props, subnets: [(r.props.subnets as unknown[])[0]] },
                              propertyDependencies: { subnets: [urnOf(AZ.nsg, "web-nsg")] },
                          }
                        : r,
                ),
                "web-vm-nic",
                (r) => ({ ...r, props: { ipConfigurations: [{ name: "ipconfig", publicIPAddress: { id: UNKNOWN } }] } }),
            ),
            errors: [
                [
                    "exposed",
                    null,
                    {
                        placement: "`main-vnet/web`",
                        ports: "tcp 22 (ssh)",
                        path: /→ subnet NSG `web-nsg` \(securityRules\[0\] \(priority 100\) \(tcp 22 from Internet\)\) → `web-vm`$/,
                    },
                    "fixPath",
                ],
            ],
        },
        ...(["preview", "update"] as const).map((mode): PolicyCase => ({
            name: `classic provider: subnet and NIC NSG associations, a public IP (${mode})`,
            registryYaml: GRAPH_REGISTRY,
            resources: classicStack(mode, [inbound(100, "Allow", "22", "*")]),
            errors: [
                [
                    "exposed",
                    null,
                    {
                        workload: "`web-vm`",
                        placement: "`web-subnet`",
                        ports: "tcp 22 (ssh)",
                        path: "internet → public IP `web-pip` (Standard SKU) → subnet NSG `web-nsg` (securityRules[0] (priority 100) (tcp 22 from Internet)) → NIC NSG `web-nic-nsg` (securityRules[0] (priority 100) (tcp 22 from *)) → `web-vm`",
                    },
                    "fixPath",
                ],
            ],
        })),
        ...both(
            "versioned azure-native tokens",
            web([SSH_FROM_INTERNET], undefined),
            { errors: EXPOSED_SSH(/^internet → public IP `web-pip`/) },
            (rows) =>
                rows.map((r) => ({
                    ...r,
                    type: versioned(r.type),
                    propertyDependencies: Object.fromEntries(
                        Object.entries(r.propertyDependencies ?? {}).map(([k, urns]) => [k, urns.map(versioned)]),
                    ),
                })),
        ),
        ...both(
            "a forced tunnel (0.0.0.0/0 to a firewall appliance): the replies to the internet take a hop the plan does not show, so the path may be open, never proved",
            web([SSH_FROM_INTERNET], undefined),
            {
                advisories: [
                    [
                        "unproven",
                        null,
                        {
                            workload: "`web-vm`",
                            ports: "tcp 22 (ssh)",
                            path: /→ subnet NSG `web-nsg` .* → user routes of `web-subnet` \(routeTable \(not in the plan\)\) → `web-vm`$/,
                            reason: "route table `forced-tunnel` sends replies to the internet to VirtualAppliance, and what that next hop does is not in the plan",
                        },
                    ],
                ],
            },
            (rows, mode) =>
                patch(
                    [
                        ...rows,
                        {
                            type: AZ.routeTable,
                            name: "forced-tunnel",
                            props: {
                                ...(mode === "update" ? { id: idOf(AZ.routeTable, "forced-tunnel") } : {}),
                                routes: [
                                    {
                                        name: "all",
                                        addressPrefix: "0.0.0.0/0",
                                        nextHopType: "VirtualAppliance",
                                        nextHopIpAddress: "10.0.9.4",
                                    },
                                ],
                            },
                        },
                    ],
                    "web-subnet",
                    (r) => ({
                        ...r,
                        props: { ...r.props, routeTable: { id: mode === "update" ? idOf(AZ.routeTable, "forced-tunnel") : UNKNOWN } },
                        propertyDependencies: { ...r.propertyDependencies, routeTable: [urnOf(AZ.routeTable, "forced-tunnel")] },
                    }),
                ),
        ),
        ...both(
            "empty outputs (the provider's configuration is unknown in preview): unverifiable, not clean",
            web([SSH_FROM_INTERNET], undefined),
            {
                advisories: [
                    ["unverifiable", null, { workload: "`web-vm`", reason: /^network interface `web-vm-nic` arrived with empty outputs/ }],
                ],
            },
            (rows) => patch(rows, "web-vm-nic", (r) => ({ ...r, props: {}, propertyDependencies: {} })),
        ),
        one(
            "a public IP whose SKU is unknown until update and no NSG: may be open",
            "preview",
            web(undefined, undefined),
            {
                advisories: [
                    [
                        "unproven",
                        null,
                        {
                            workload: "`web-vm`",
                            path: /public IP `web-pip` \(SKU unknown until update\) → the SKU of public IP `web-pip` \(sku \(unknown until update\)\) → `web-vm`$/,
                        },
                    ],
                    ["unproven", null, { ports: /^udp 53/ }],
                ],
            },
            (rows) => patch(rows, "web-pip", (r) => ({ ...r, props: { ...r.props, sku: { name: UNKNOWN } } })),
        ),
    ],
};

const ASG_TIERS = tiers({
    asgs: true,
    dbSubnet: [inbound(100, "Allow", "5432", "asg:app-asg"), inbound(200, "Deny", "*", "*")],
    dbNic: [inbound(100, "Allow", "5432", "asg:app-asg", "asg:db-asg"), inbound(200, "Deny", "*", "*")],
});
/** The NIC NSG's rule for the app's group as a standalone SecurityRule of `db-nic-nsg` (whose inline rules then only deny the rest). */
function asgRule(mode: Mode): StackCase {
    const ref = (n: string) => (mode === "update" ? idOf(AZ.asg, n) : UNKNOWN);
    return {
        type: AZ.rule,
        name: "db-from-app",
        props: {
            ...inbound(100, "Allow", "5432", "*"),
            sourceAddressPrefix: undefined,
            destinationAddressPrefix: undefined,
            sourceApplicationSecurityGroups: [{ id: ref("app-asg") }],
            destinationApplicationSecurityGroups: [{ id: ref("db-asg") }],
            resourceGroupName: "rg",
            networkSecurityGroupName: mode === "update" ? "db-nic-nsg" : UNKNOWN,
        },
        propertyDependencies: {
            sourceApplicationSecurityGroups: [urnOf(AZ.asg, "app-asg")],
            destinationApplicationSecurityGroups: [urnOf(AZ.asg, "db-asg")],
            networkSecurityGroupName: [urnOf(AZ.nsg, "db-nic-nsg")],
        },
    };
}

const PG = (why: RegExp, client = "`app-vm`"): NonNullable<PolicyCase["errors"]>[number] => [
    "blocked",
    null,
    { client, server: "`db-vm`", flow: "tcp 5432", why },
];

const flows: CaseTable = {
    valid: [
        ...both("the app machine reaches the database through all four NSGs", tiers({ appSubnet: [], appNic: [] }), {}),
        one("application security groups as sources and destinations: the database admits the app's group", "update", ASG_TIERS, {}),
        one(
            "application security groups in preview through standalone SecurityRules: their own dependencies tell the groups apart",
            "preview",
            {
                ...ASG_TIERS,
                nsgs: ASG_TIERS.nsgs.map((n) => (n.name === "db-nic-nsg" ? { ...n, rules: [inbound(200, "Deny", "*", "*")] } : n)),
            },
            {},
            (rows) => [...rows, asgRule("preview")],
        ),
        one(
            "the same standalone SecurityRule in update",
            "update",
            {
                ...ASG_TIERS,
                nsgs: ASG_TIERS.nsgs.map((n) => (n.name === "db-nic-nsg" ? { ...n, rules: [inbound(200, "Deny", "*", "*")] } : n)),
            },
            {},
            (rows) => [...rows, asgRule("update")],
        ),
        ...both(
            "peered networks (both ways): the default AllowVnetInBound covers the peer",
            {
                ...tiers({ dbSubnet: [inbound(100, "Allow", "5432", "VirtualNetwork"), inbound(200, "Deny", "*", "*")], dbNic: [] }),
                vnets: [VNET, { name: "data-vnet", space: ["10.1.0.0/16"] }],
                peerings: [
                    { name: "main-to-data", from: "main-vnet", to: "data-vnet" },
                    { name: "data-to-main", from: "data-vnet", to: "main-vnet" },
                ],
                subnets: [
                    { name: "app-subnet", vnet: "main-vnet", prefix: "10.0.1.0/24", nsg: "app-nsg" },
                    { name: "db-subnet", vnet: "data-vnet", prefix: "10.1.2.0/24", nsg: "db-nsg" },
                ],
            },
            {},
        ),
        ...both(
            "the VPN range is allowed explicitly",
            tiers({
                dbSubnet: [PG_FROM_APP, inbound(110, "Allow", "5432", "10.50.0.0/16")],
                dbNic: [PG_FROM_APP, inbound(110, "Allow", "5432", "10.50.0.0/16")],
            }),
            { registryYaml: VPN_REGISTRY },
        ),
        ...both(
            "a deny of Internet does not stop a client inside the network",
            tiers({
                dbSubnet: [inbound(100, "Deny", "5432", "Internet"), PG_FROM_APP, inbound(110, "Allow", "5432", "10.50.0.0/16")],
                dbNic: [],
            }),
            {},
        ),
        ...both("empty outputs of the client: nothing to check, and no block", tiers(), {}, (rows) =>
            patch(rows, "app-vm", (r) => ({ ...r, props: {}, propertyDependencies: {} })),
        ),
    ],
    invalid: [
        ...both(
            "the subnet NSG allows, the NIC NSG denies: the request dies at the NIC NSG inbound",
            tiers({ dbNic: [inbound(100, "Deny", "5432", "10.0.0.0/16")] }),
            {
                errors: [
                    PG(
                        /^the request dies at NIC NSG `db-nic-nsg` inbound: securityRules\[0\] \(priority 100\) \(from 10\.0\.0\.0\/16\) denies it$/,
                    ),
                ],
            },
        ),
        ...both(
            "the NIC NSG allows, the subnet NSG denies: the request dies at the subnet NSG inbound",
            tiers({ dbSubnet: [inbound(100, "Deny", "*", "VirtualNetwork")], dbNic: [inbound(100, "Allow", "5432", "*")] }),
            {
                registryYaml: VPN_REGISTRY,
                errors: [
                    PG(
                        /^the request dies at subnet NSG `db-nsg` inbound: securityRules\[0\] \(priority 100\) \(from service-tag VirtualNetwork\) denies it$/,
                    ),
                    PG(
                        /^the request dies at subnet NSG `db-nsg` inbound: DenyAllInBound \(priority 65500\) \(Azure's default rule: deny all inbound\) denies it$/,
                        "10.50.0.0/16",
                    ),
                ],
            },
        ),
        ...both(
            "the client's NIC NSG denies the request outbound",
            tiers({
                appNic: [outbound(100, "Deny", "5432", "VirtualNetwork")],
                dbSubnet: [PG_FROM_APP, inbound(110, "Allow", "5432", "10.50.0.0/16")],
                dbNic: [],
            }),
            {
                errors: [
                    PG(
                        /^the request dies at NIC NSG `app-nic-nsg` outbound: securityRules\[0\] \(priority 100\) \(to service-tag VirtualNetwork\) denies it$/,
                    ),
                ],
            },
        ),
        ...both(
            "the client's subnet NSG denies the request outbound",
            tiers({
                appSubnet: [outbound(100, "Deny", "5432", "10.0.2.0/24")],
                dbSubnet: [PG_FROM_APP, inbound(110, "Allow", "5432", "10.50.0.0/16")],
                dbNic: [],
            }),
            {
                errors: [
                    PG(
                        /^the request dies at subnet NSG `app-nsg` outbound: securityRules\[0\] \(priority 100\) \(to 10\.0\.2\.0\/24\) denies it$/,
                    ),
                ],
            },
        ),
        ...both("the default DenyAllInBound stops a client outside the network that no rule admits", tiers({ dbNic: [] }), {
            registryYaml: VPN_REGISTRY,
            errors: [
                PG(
                    /^the request dies at subnet NSG `db-nsg` inbound: DenyAllInBound \(priority 65500\) \(Azure's default rule: deny all inbound\) denies it$/,
                    "10.50.0.0/16",
                ),
            ],
        }),
        ...both(
            "a subnet NSG filters traffic inside its own subnet too",
            tiers({
                sameSubnet: true,
                appSubnet: [inbound(100, "Deny", "5432", "VirtualNetwork"), inbound(110, "Allow", "5432", "10.50.0.0/16")],
                dbNic: [],
            }),
            {
                errors: [
                    PG(
                        /^the request dies at subnet NSG `app-nsg` inbound: securityRules\[0\] \(priority 100\) \(from service-tag VirtualNetwork\) denies it$/,
                    ),
                ],
            },
        ),
        ...both(
            "application security groups as sources: a rule for another group does not admit the client",
            tiers({
                asgs: true,
                dbSubnet: [
                    inbound(100, "Allow", "5432", "asg:db-asg"),
                    inbound(110, "Allow", "5432", "10.50.0.0/16"),
                    inbound(200, "Deny", "*", "VirtualNetwork"),
                ],
                dbNic: [],
            }),
            {
                errors: [PG(/^the request dies at subnet NSG `db-nsg` inbound: securityRules\[2\] \(priority 200\) .* denies it$/)],
            },
        ),
        one(
            "an inline rule naming two application security groups in preview: which is its source and which its destination is unknown until update",
            "preview",
            ASG_TIERS,
            {
                advisories: [
                    [
                        "unverifiable",
                        null,
                        {
                            client: "`app-vm`",
                            reasons:
                                /securityRules\[0\] of `db-nic-nsg` applies only to some machines behind the NSG, and whether `db-vm` is one of them is unknown until update/,
                        },
                    ],
                ],
            },
        ),
        ...both(
            "networks peered one way only: cannot be verified",
            {
                ...tiers({
                    dbSubnet: [inbound(100, "Allow", "5432", "VirtualNetwork"), inbound(110, "Allow", "5432", "10.50.0.0/16")],
                    dbNic: [],
                }),
                vnets: [VNET, { name: "data-vnet", space: ["10.1.0.0/16"] }],
                peerings: [{ name: "main-to-data", from: "main-vnet", to: "data-vnet" }],
                subnets: [
                    { name: "app-subnet", vnet: "main-vnet", prefix: "10.0.1.0/24", nsg: "app-nsg" },
                    { name: "db-subnet", vnet: "data-vnet", prefix: "10.1.2.0/24", nsg: "db-nsg" },
                ],
            },
            {
                advisories: [
                    [
                        "unverifiable",
                        null,
                        {
                            client: "`app-vm`",
                            server: "`db-vm`",
                            reasons: /different networks; what joins them \(a peering, a gateway, a VPN\) is outside this stack/,
                        },
                    ],
                ],
            },
        ),
        one(
            "the database's NIC NSG is outside this stack: cannot be verified",
            "update",
            tiers(),
            {
                advisories: [
                    [
                        "unverifiable",
                        null,
                        { client: "`app-vm`", reasons: /the NSG of NIC `db-vm-nic` \(`shared-nsg`\) is outside this stack/ },
                    ],
                ],
            },
            (rows) =>
                patch(rows, "db-vm-nic", (r) => ({
                    ...r,
                    props: { ...r.props, networkSecurityGroup: { id: idOf(AZ.nsg, "shared-nsg") } },
                    propertyDependencies: { ipConfigurations: [urnOf(AZ.subnet, "db-subnet")] },
                })),
        ),
        one(
            "a definite block inside the stack is a violation even when another hop is outside",
            "update",
            tiers({ dbSubnet: [inbound(100, "Deny", "5432", "*")] }),
            {
                registryYaml: VPN_REGISTRY,
                errors: [
                    PG(/^the request dies at subnet NSG `db-nsg` inbound: securityRules\[0\]/),
                    PG(/^the request dies at subnet NSG `db-nsg` inbound/, "10.50.0.0/16"),
                ],
            },
            (rows) =>
                patch(rows, "db-vm-nic", (r) => ({
                    ...r,
                    props: { ...r.props, networkSecurityGroup: { id: idOf(AZ.nsg, "shared-nsg") } },
                    propertyDependencies: { ipConfigurations: [urnOf(AZ.subnet, "db-subnet")] },
                })),
        ),
        ...both(
            "a GatewaySubnet in the network: whether VirtualNetwork holds the VPN range is not in the plan",
            tiers({ dbNic: [] }),
            {
                registryYaml: VPN_REGISTRY,
                advisories: [
                    [
                        "unverifiable",
                        null,
                        {
                            client: "10.50.0.0/16",
                            reasons: /`VirtualNetwork` may hold more than the ranges of `main-vnet` \(`main-vnet` has a GatewaySubnet\)/,
                        },
                    ],
                ],
            },
            (rows, mode) => [
                ...rows,
                {
                    type: AZ.subnet,
                    name: "gateway-subnet",
                    props: {
                        subnetName: "GatewaySubnet",
                        resourceGroupName: "rg",
                        virtualNetworkName: mode === "update" ? "main-vnet" : UNKNOWN,
                        addressPrefix: "10.0.255.0/27",
                    },
                    propertyDependencies: { virtualNetworkName: [urnOf(AZ.vnet, "main-vnet")] },
                },
            ],
        ),
        ...both(
            "a user route to a firewall appliance inside the network: what the appliance does is not in the plan",
            tiers({ dbNic: [] }),
            {
                registryYaml: VPN_REGISTRY,
                advisories: [
                    [
                        "unverifiable",
                        null,
                        { client: "`app-vm`", reasons: /route table `to-firewall` sends 10\.0\.0\.0\/16 to VirtualAppliance/ },
                    ],
                    ["unverifiable", null, { client: "10.50.0.0/16" }],
                ],
            },
            (rows, mode) =>
                patch(
                    [
                        ...rows,
                        {
                            type: AZ.routeTable,
                            name: "to-firewall",
                            props: {
                                ...(mode === "update" ? { id: idOf(AZ.routeTable, "to-firewall") } : {}),
                                routes: [
                                    {
                                        name: "vnet",
                                        addressPrefix: "10.0.0.0/16",
                                        nextHopType: "VirtualAppliance",
                                        nextHopIpAddress: "10.0.9.4",
                                    },
                                ],
                            },
                        },
                    ],
                    "db-subnet",
                    (r) => ({
                        ...r,
                        props: { ...r.props, routeTable: { id: mode === "update" ? idOf(AZ.routeTable, "to-firewall") : UNKNOWN } },
                        propertyDependencies: { ...r.propertyDependencies, routeTable: [urnOf(AZ.routeTable, "to-firewall")] },
                    }),
                ),
        ),
    ],
};

/**
 * A classic Linux scale set behind a load balancer whose rule forwards port 22 from a public IP, and a
 * native scale set with a public IP per instance, in `web-subnet` behind `web-nsg` with `rules`; the
 * native one with `o.natPool` behind an inbound NAT pool of a native load balancer instead, with
 * `o.nicConfigs` NIC configurations.
 */
function scaleSetStack(mode: Mode, rules: Rule[], o: { natPool?: boolean; nicConfigs?: number } = {}): StackCase[] {
    const lbId = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/vmss-lb";
    const nativeLbId = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/nat-lb";
    const pipId = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/lb-ip";
    const id = (v: string) => (mode === "update" ? v : UNKNOWN);
    const withId = (v: string, props: Record<string, unknown>) => (mode === "update" ? { id: v, ...props } : props);
    const subnetId = idOf(AZ.subnet, "web-subnet");
    const ipConfig = o.natPool
        ? { name: "ip", subnet: { id: id(subnetId) }, loadBalancerInboundNatPools: [{ id: id(`${nativeLbId}/inboundNatPools/ssh-pool`) }] }
        : { name: "ip", subnet: { id: id(subnetId) }, publicIPAddressConfiguration: { name: "pip" } };
    return [
        ...azure(mode, { ...web(rules, undefined), pips: [], vms: [] }),
        ...(o.natPool
            ? [
                  {
                      type: AZ.pip,
                      name: "nat-ip",
                      props: withId(`${pipId}-nat`, { resourceGroupName: "rg", sku: { name: "Standard" } }),
                  },
                  {
                      type: "azure-native:network:LoadBalancer",
                      name: "nat-lb",
                      props: withId(nativeLbId, {
                          resourceGroupName: "rg",
                          sku: { name: "Standard" },
                          frontendIPConfigurations: [{ name: "front", publicIPAddress: { id: id(`${pipId}-nat`) } }],
                          inboundNatPools: [
                              {
                                  name: "ssh-pool",
                                  protocol: "Tcp",
                                  frontendPortRangeStart: 50000,
                                  frontendPortRangeEnd: 50119,
                                  backendPort: 22,
                                  frontendIPConfiguration: { id: id(`${nativeLbId}/frontendIPConfigurations/front`) },
                                  ...(mode === "update" ? { id: `${nativeLbId}/inboundNatPools/ssh-pool` } : {}),
                              },
                          ],
                      }),
                      propertyDependencies: { frontendIPConfigurations: [urnOf(AZ.pip, "nat-ip")] },
                  },
              ]
            : []),
        {
            type: CLASSIC.pip,
            name: "lb-ip",
            props: withId(pipId, {
                resourceGroupName: "rg",
                allocationMethod: "Static",
                sku: "Standard",
            }),
        },
        {
            type: "azure:lb/loadBalancer:LoadBalancer",
            name: "vmss-lb",
            props: withId(lbId, {
                resourceGroupName: "rg",
                sku: "Standard",
                frontendIpConfigurations: [{ name: "public", publicIpAddressId: id(pipId) }],
            }),
            propertyDependencies: { frontendIpConfigurations: [urnOf(CLASSIC.pip, "lb-ip")] },
        },
        {
            type: "azure:lb/backendAddressPool:BackendAddressPool",
            name: "vmss-pool",
            props: withId(`${lbId}/backendAddressPools/vmss-pool`, { loadbalancerId: id(lbId) }),
            propertyDependencies: { loadbalancerId: [urnOf("azure:lb/loadBalancer:LoadBalancer", "vmss-lb")] },
        },
        {
            type: "azure:lb/rule:Rule",
            name: "ssh",
            props: {
                loadbalancerId: id(lbId),
                protocol: "Tcp",
                frontendPort: 22,
                backendPort: 22,
                frontendIpConfigurationName: "public",
                backendAddressPoolIds: [id(`${lbId}/backendAddressPools/vmss-pool`)],
            },
            propertyDependencies: {
                loadbalancerId: [urnOf("azure:lb/loadBalancer:LoadBalancer", "vmss-lb")],
                backendAddressPoolIds: [urnOf("azure:lb/backendAddressPool:BackendAddressPool", "vmss-pool")],
            },
        },
        {
            type: "azure:compute/linuxVirtualMachineScaleSet:LinuxVirtualMachineScaleSet",
            name: "vmss",
            props: {
                resourceGroupName: "rg",
                sku: "Standard_B1s",
                instances: 2,
                tags: { service: "app" },
                networkInterfaces: [
                    {
                        name: "nic",
                        primary: true,
                        ipConfigurations: [
                            {
                                name: "internal",
                                primary: true,
                                subnetId: id(subnetId),
                                loadBalancerBackendAddressPoolIds: [id(`${lbId}/backendAddressPools/vmss-pool`)],
                            },
                        ],
                    },
                ],
            },
            propertyDependencies: {
                networkInterfaces: [urnOf(AZ.subnet, "web-subnet"), urnOf("azure:lb/backendAddressPool:BackendAddressPool", "vmss-pool")],
            },
        },
        {
            type: "azure-native:compute:VirtualMachineScaleSet",
            name: "native-vmss",
            props: {
                resourceGroupName: "rg",
                sku: { name: "Standard_B1s", capacity: 2 },
                tags: { service: "app" },
                virtualMachineProfile: {
                    networkProfile: {
                        networkInterfaceConfigurations: Array.from({ length: o.nicConfigs ?? 1 }, (_, k) => ({
                            name: `nic${k}`,
                            primary: k === 0,
                            ipConfigurations: [ipConfig],
                        })),
                    },
                },
            },
            propertyDependencies: {
                virtualMachineProfile: [
                    urnOf(AZ.subnet, "web-subnet"),
                    ...(o.natPool ? [urnOf("azure-native:network:LoadBalancer", "nat-lb")] : []),
                ],
            },
        },
    ];
}

noInternetPath.valid.push(
    ...(["preview", "update"] as const).map((mode): PolicyCase => ({
        name: `scale sets behind a load balancer rule and with public IPs per instance, their subnet NSG admitting ssh from a VPN only (${mode})`,
        registryYaml: GRAPH_REGISTRY,
        resources: scaleSetStack(mode, [inbound(100, "Allow", "22", "10.50.0.0/16")]),
    })),
);
noInternetPath.invalid.push(
    ...(["preview", "update"] as const).map((mode): PolicyCase => ({
        name: `scale sets placed by their NIC configuration: ssh through a load balancer rule and through a public IP per instance (${mode})`,
        registryYaml: GRAPH_REGISTRY,
        resources: scaleSetStack(mode, [inbound(100, "Allow", "22", "Internet")]),
        errors: [
            [
                "exposed",
                null,
                {
                    workload: "`vmss`",
                    ports: "tcp 22 (ssh)",
                    path: "internet → public IP `lb-ip` (Standard SKU) → load balancer `vmss-lb` rule `ssh` (tcp 22 → 22) → subnet NSG `web-nsg` (securityRules[0] (priority 100) (tcp 22 from Internet)) → `vmss`",
                },
                "fixPath",
            ],
            [
                "exposed",
                null,
                {
                    workload: "`native-vmss`",
                    ports: "tcp 22 (ssh)",
                    path: "internet → a public IP per instance of scale set `native-vmss` (Standard SKU, the default) → subnet NSG `web-nsg` (securityRules[0] (priority 100) (tcp 22 from Internet)) → `native-vmss`",
                },
                "fixPath",
            ],
        ],
    })),
    ...(["preview", "update"] as const).map((mode): PolicyCase => ({
        name: `a scale set behind an inbound NAT pool: a port range to ssh on each instance (${mode})`,
        registryYaml: GRAPH_REGISTRY,
        resources: scaleSetStack(mode, [inbound(100, "Allow", "22", "Internet")], { natPool: true }),
        errors: [
            ["exposed", null, { workload: "`vmss`", ports: "tcp 22 (ssh)" }, "fixPath"],
            [
                "exposed",
                null,
                {
                    workload: "`native-vmss`",
                    ports: "tcp 22 (ssh)",
                    path: 'internet → public IP `nat-ip` (Standard SKU) → load balancer `nat-lb` inbound NAT pool inboundNatPools[0] "ssh-pool" (tcp 50000-50119 → 22) → subnet NSG `web-nsg` (securityRules[0] (priority 100) (tcp 22 from Internet)) → `native-vmss`',
                },
                "fixPath",
            ],
        ],
    })),
    ...(["preview", "update"] as const).map((mode): PolicyCase => {
        const lbId = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/vmss-lb";
        const poolId = `${lbId}/inboundNatPools/ssh-pool`;
        const LB_URN = urnOf("azure:lb/loadBalancer:LoadBalancer", "vmss-lb");
        const NAT_POOL = "azure:lb/natPool:NatPool";
        return {
            name: `classic provider: a scale set behind an lb.NatPool that its loadBalancerInboundNatRulesIds name (${mode})`,
            registryYaml: GRAPH_REGISTRY,
            resources: scaleSetStack(mode, [inbound(100, "Allow", "22", "Internet")])
                .filter((r) => r.name !== "ssh" && r.name !== "native-vmss")
                .flatMap((r): StackCase[] => {
                    if (r.name !== "vmss") return [r];
                    const pool: StackCase = {
                        type: NAT_POOL,
                        name: "ssh-pool",
                        props: {
                            ...(mode === "update" ? { id: poolId } : {}),
                            name: "ssh-pool",
                            resourceGroupName: "rg",
                            loadbalancerId: mode === "update" ? lbId : UNKNOWN,
                            protocol: "Tcp",
                            frontendPortStart: 50000,
                            frontendPortEnd: 50119,
                            backendPort: 22,
                            frontendIpConfigurationName: "public",
                        },
                        propertyDependencies: { loadbalancerId: [LB_URN] },
                    };
                    const props = r.props as { networkInterfaces: { ipConfigurations: Record<string, unknown>[] }[] };
                    const nic = props.networkInterfaces[0];
                    const config = { ...nic.ipConfigurations[0], loadBalancerInboundNatRulesIds: [mode === "update" ? poolId : UNKNOWN] };
                    delete (config as Record<string, unknown>).loadBalancerBackendAddressPoolIds;
                    return [
                        pool,
                        {
                            ...r,
                            props: { ...r.props, networkInterfaces: [{ ...nic, ipConfigurations: [config] }] },
                            propertyDependencies: { networkInterfaces: [urnOf(AZ.subnet, "web-subnet"), urnOf(NAT_POOL, "ssh-pool")] },
                        },
                    ];
                }),
            errors: [
                [
                    "exposed",
                    null,
                    {
                        workload: "`vmss`",
                        ports: "tcp 22 (ssh)",
                        path: "internet → public IP `lb-ip` (Standard SKU) → load balancer `vmss-lb` inbound NAT pool `ssh-pool` (tcp 50000-50119 → 22) → subnet NSG `web-nsg` (securityRules[0] (priority 100) (tcp 22 from Internet)) → `vmss`",
                    },
                    "fixPath",
                ],
            ],
        };
    }),
    ...(["preview", "update"] as const).map((mode): PolicyCase => ({
        name: `a scale set with two NIC configurations is not placed: advised, never passed (${mode})`,
        registryYaml: GRAPH_REGISTRY,
        resources: scaleSetStack(mode, [inbound(100, "Allow", "22", "10.50.0.0/16")], { nicConfigs: 2 }),
        advisories: [
            [
                "unverifiable",
                null,
                {
                    workload: "`native-vmss`",
                    reason: "it is a virtual machine scale set with several NIC configurations, which the network graph does not place (their subnets, NSGs and load balancers are not told apart)",
                },
            ],
        ],
    })),
);

export const cases: Record<string, CaseTable> = {
    "no-internet-path-to-internal-ports": noInternetPath,
    "documented-flows-reachable": flows,
};
