// Azure native provider (`azure-native:network`, `azure-native:compute`): the resources that place a
// virtual machine in the network, read into topology models for the Azure graph assembler (graph.ts):
// machines and their network interfaces, subnets (standalone and inline in a virtual network),
// virtual networks and their peerings, public IPs, application security groups and route tables.
// The classic provider's resources give the same roles (topology-classic.ts).
import { TopologyLink, TopologyModel, TopologyValue } from "../../model/topology";
import { Input } from "../support/input";
import { Adapter } from "../support/resource-builder";
import { linkOf, TopologyBuilder } from "../support/topology";

/** What each resource is to the assembler; the same for both Azure providers. */
export const ROLE = {
    vm: "azure:vm",
    /** A virtual machine scale set: a workload the graph does not place (its instances' NICs, load balancer rules and public IPs are not read). */
    scaleSet: "azure:scale-set",
    nic: "azure:nic",
    subnet: "azure:subnet",
    vnet: "azure:vnet",
    publicIp: "azure:public-ip",
    asg: "azure:asg",
    peering: "azure:peering",
    routeTable: "azure:route-table",
    route: "azure:route",
    nicNsg: "azure:nic-nsg",
    subnetNsg: "azure:subnet-nsg",
    nicAsg: "azure:nic-asg",
    subnetRouteTable: "azure:subnet-route-table",
    loadBalancer: "azure:load-balancer",
    /** A standalone backend pool of a load balancer (native `LoadBalancerBackendAddressPool`, classic `lb.BackendAddressPool`). */
    lbPool: "azure:lb-pool",
    /** A standalone load-balancing rule (classic `lb.Rule`; native rules are inline). */
    lbRule: "azure:lb-rule",
    /** A standalone inbound NAT rule (native `InboundNatRule`, classic `lb.NatRule`). */
    lbNatRule: "azure:lb-nat-rule",
    /** An AKS node pool: a managed cluster's inline pool (the cluster itself) or a standalone one, placed like a scale set's NIC. */
    aksPool: "azure:aks-pool",
    /** A standalone inbound NAT pool (classic `lb.NatPool`; native pools are inline): a port range to one backend port of each scale set instance. */
    lbNatPool: "azure:lb-nat-pool",
    /** A backend pool member given by its IP address (classic `lb.BackendAddressPoolAddress`; native ones are inline in the pool). */
    lbPoolAddress: "azure:lb-pool-address",
    /** Classic associations of a NIC with a backend pool and with an inbound NAT rule. */
    nicPool: "azure:nic-pool",
    nicNatRule: "azure:nic-nat-rule",
    /** A managed database server (PostgreSQL, MySQL, SQL Server): its public endpoint, filtered by its server firewall rules (topology-databases.ts). */
    database: "azure:database",
} as const;

type Record_ = Record<string, TopologyValue>;
type Value = TopologyValue | readonly Record_[];

/**
 * A topology model under construction: TopologyBuilder's tags, identity and emptiness, with links
 * and values read here, since Azure nests its references in `{ id }` sub-resources.
 */
export class AzureModel {
    readonly builder: TopologyBuilder;
    private readonly links: Record<string, TopologyLink[]> = {};
    private readonly values: Record<string, Value> = {};
    private readonly extraIdentity: string[] = [];

    constructor(
        provider: string,
        role: string,
        readonly props: Input,
    ) {
        this.builder = new TopologyBuilder(provider, role, props);
    }

    identity(...keys: string[]): this {
        this.builder.identityKeys = keys;
        return this;
    }

    tags(input: Input): this {
        this.builder.readTags(input);
        return this;
    }

    /** A reference held as a plain id or name string (`virtualNetworkName`, `subnetId`); a secret one links only through dependencies. */
    link(name: string, input: Input): this {
        const l = linkOf(input);
        if (l) (this.links[name] ??= []).push(l.literal !== undefined && input.secret ? { property: l.property, unknown: true } : l);
        return this;
    }

    /** A `{ id }` sub-resource (or a plain id): a sub-resource without a known id is an unknown link of its top-level property. */
    subResource(name: string, input: Input): this {
        if (input.missing) return this;
        if (input.unknown || typeof input.value === "string") return this.link(name, input);
        const id = input.get("id");
        if (id.missing || id.unknown) (this.links[name] ??= []).push({ property: topProperty(input.path), unknown: true });
        else this.link(name, id);
        return this;
    }

    /** A link that the inputs do not spell out (a required reference left out): it names what `input`'s property depends on. */
    unknownLink(name: string, input: Input): this {
        (this.links[name] ??= []).push({ property: topProperty(input.path), unknown: true });
        return this;
    }

    /** Each element of a list input through `each`; an unknown list (or element) is one unknown link per name in `unknownAs`. */
    eachOf(list: Input, unknownAs: readonly string[], each: (item: Input) => void): this {
        const items = list.items();
        if (items === "invalid") return this;
        for (const item of items === "unknown" ? [list] : items) {
            if (item.unknown) for (const n of unknownAs) (this.links[n] ??= []).push({ property: topProperty(item.path), unknown: true });
            else each(item);
        }
        return this;
    }

    value(name: string, v: Value | undefined): this {
        if (v !== undefined) this.values[name] = v;
        return this;
    }

    knownAs(values: readonly string[]): this {
        this.extraIdentity.push(...values);
        return this;
    }

    build(): TopologyModel {
        const m = this.builder.build();
        return { ...m, identity: [...m.identity, ...this.extraIdentity], links: this.links, values: this.values };
    }
}

function topProperty(path: string): string {
    const m = /^[^.[]+/.exec(path);
    return m ? m[0] : path;
}

/** A nested value as the model keeps it: a string, number, boolean or list of strings; `{ unknown }` until update. */
export function read(input: Input): TopologyValue | undefined {
    if (input.missing) return undefined;
    // A secret is never printed, so it decides nothing either: it reads as unknown.
    if (input.unknown || input.secret) return { unknown: input.path };
    const v = input.value;
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v;
    return undefined;
}

/** A native `sku: { name }`: a whole `sku` unknown until update leaves its name unknown too, never absent (absent reads as the default). */
export function skuName(sku: Input): TopologyValue | undefined {
    return read(sku.unknown ? sku : sku.get("name"));
}

/** Address prefixes from a single and a list input (`addressPrefix`, `addressPrefixes`): a list, or unknown. */
export function prefixes(...inputs: Input[]): TopologyValue | undefined {
    const out: string[] = [];
    let seen = false;
    for (const input of inputs) {
        const items = input.items();
        if (items === "unknown" || (input.secret && !input.missing)) return { unknown: input.path };
        if (items === "invalid") continue;
        for (const item of items) {
            if (item.unknown || item.secret) return { unknown: item.path };
            const s = item.string();
            if (s !== undefined) out.push(s);
        }
        seen ||= items.length > 0;
    }
    return seen ? out : undefined;
}

/** The id inside a `{ id }` sub-resource (or a plain id string): known, unknown (`{ unknown }`, also for an object without an id), or absent. */
export function subResourceId(input: Input): TopologyValue | undefined {
    if (input.missing) return undefined;
    if (input.unknown || typeof input.value === "string") return read(input);
    const id = input.get("id");
    return id.missing ? { unknown: id.path } : read(id);
}

/** Each element of a list of records (inline subnets, routes, peerings) read by `each`; the whole list unknown as `{ unknown }`. */
export function recordList(input: Input, each: (item: Input) => Record_): Value | undefined {
    const items = input.items();
    if (items === "unknown") return { unknown: input.path };
    if (items === "invalid") return undefined;
    return items.map((item) => (item.unknown ? { unknown: item.path } : each(item)));
}

export function only(record: Record<string, TopologyValue | undefined>): Record_ {
    return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Record_;
}

export const native = (service: "network" | "compute", name: string): RegExp =>
    new RegExp(`^azure-native:${service}(/v[0-9a-z]+)?:${name}$`);

function nativeInlineSubnet(item: Input): Record_ {
    return only({
        name: read(item.get("name")),
        id: read(item.get("id")),
        addressPrefixes: prefixes(item.get("addressPrefix"), item.get("addressPrefixes")),
        nsg: subResourceId(item.get("networkSecurityGroup")),
        routeTable: subResourceId(item.get("routeTable")),
    });
}

export function peeringValues(m: AzureModel, props: Input): AzureModel {
    return m
        .value("allowVirtualNetworkAccess", read(props.get("allowVirtualNetworkAccess")))
        .value("useRemoteGateways", read(props.get("useRemoteGateways")))
        .value("allowGatewayTransit", read(props.get("allowGatewayTransit")));
}

export function routeRecords(list: Input): Value | undefined {
    return recordList(list, (r) => only({ addressPrefix: read(r.get("addressPrefix")), nextHopType: read(r.get("nextHopType")) }));
}

/** Inline subnets' ids, which name their virtual network to a NIC's `subnet.id`. */
export function inlineSubnetIds(subnets: Value | undefined): string[] {
    return Array.isArray(subnets)
        ? (subnets as Record_[]).map((s) => s.id).filter((id): id is string => typeof id === "string" && id !== "")
        : [];
}

const N = "azure-native";

/** What the legacy scale set's topology adapter reads: only enough to say its paths are not checked. */
export const SCALE_SET_SUMMARY =
    "a workload whose paths are not checked: its instances' NICs, the load balancer rules and NAT rules that forward to it and per-instance public IPs are not read, so the network graph reports it unverifiable (advisory); its `service` tag";

/** The spelling of one provider's scale set NIC configuration. */
export interface ScaleSetShape {
    /** Sub-resources `{ id }` (native) or plain id strings (classic). */
    ref: (m: AzureModel, name: string, input: Input) => AzureModel;
    nsg: string;
    subnet: string;
    asgs: string;
    pools: string;
    natPools: string;
    /** The per-instance public IP configuration: a record (native) or a list (classic). */
    publicIp: string;
    /** Its SKU name, as the provider spells the path. */
    publicIpSku: (ip: Input) => Input;
    publicIpVersion: string;
}

/**
 * A scale set's instances are placed like a machine with one NIC, read from its one NIC
 * configuration (subnet, NSG, application security groups, load balancer pools and NAT pools, a
 * public IP per instance). Several configurations, or one unknown until update, are not placed:
 * `nicConfigs` says why.
 */
export function scaleSetNic(m: AzureModel, configs: Input, shape: ScaleSetShape): AzureModel {
    const items = configs.items();
    if (configs.unknown || items === "unknown") return m.value("nicConfigs", { unknown: configs.path });
    if (items === "invalid" || items.length === 0) return m.value("nicConfigs", "none");
    if (items.length > 1) return m.value("nicConfigs", "several");
    const nic = items[0];
    if (nic.unknown) return m.value("nicConfigs", { unknown: nic.path });
    shape.ref(m, "nsg", nic.get(shape.nsg));
    const list = nic.get("ipConfigurations");
    const instanceIps: Record_[] = [];
    m.eachOf(list, ["subnet", "asgs", "lbPools", "lbNatPools"], (c) => {
        if (c.get(shape.subnet).missing) m.unknownLink("subnet", c);
        else shape.ref(m, "subnet", c.get(shape.subnet));
        m.eachOf(c.get(shape.asgs), ["asgs"], (a) => shape.ref(m, "asgs", a));
        m.eachOf(c.get(shape.pools), ["lbPools"], (p) => shape.ref(m, "lbPools", p));
        m.eachOf(c.get(shape.natPools), ["lbNatPools"], (p) => shape.ref(m, "lbNatPools", p));
        const pip = c.get(shape.publicIp);
        const pips = Array.isArray(pip.value) ? pip.items() : pip.missing ? [] : [pip];
        if (pips === "unknown" || pips === "invalid") instanceIps.push({ sku: { unknown: pip.path } });
        else
            for (const ip of pips)
                instanceIps.push(
                    ip.unknown
                        ? { sku: { unknown: ip.path } }
                        : only({ sku: read(shape.publicIpSku(ip)), version: read(ip.get(shape.publicIpVersion)) }),
                );
    });
    return m
        .value("nicConfigs", "one")
        .value("nicName", read(nic.get("name")))
        .value("instanceIps", instanceIps.length > 0 ? instanceIps : undefined)
        .value(
            "ipConfigurations",
            recordList(list, () => ({})),
        );
}

const NATIVE_SCALE_SET: ScaleSetShape = {
    ref: (m, name, input) => m.subResource(name, input),
    nsg: "networkSecurityGroup",
    subnet: "subnet",
    asgs: "applicationSecurityGroups",
    pools: "loadBalancerBackendAddressPools",
    natPools: "loadBalancerInboundNatPools",
    publicIp: "publicIPAddressConfiguration",
    publicIpSku: (ip) => ip.get("sku").get("name"),
    publicIpVersion: "publicIPAddressVersion",
};

/** What a placed scale set's adapter reads (native and classic, in their spellings). */
export const PLACED_SCALE_SET_SUMMARY =
    "a workload placed like a machine with one NIC, from its one NIC configuration: the subnet, the NIC NSG, application security groups, load balancer backend pools and inbound NAT pools, and a public IP per instance (Standard when no SKU is given); several NIC configurations, or one unknown until update, are not placed (unverifiable, advisory); its `service` tag";

export const azureNativeTopologyAdapters: Adapter[] = [
    {
        provider: N,
        kind: "topology",
        types: ["azure-native:compute:VirtualMachine"],
        typePattern: native("compute", "VirtualMachine"),
        summary:
            "`networkProfile.networkInterfaces[].id` (the machine's NICs), tags; NICs the machine creates itself (`networkInterfaceConfigurations`) are not read, which leaves its paths unverifiable",
        normalise(props) {
            const m = new AzureModel(N, ROLE.vm, props).identity("id", "name", "vmName").tags(props.get("tags"));
            const profile = props.get("networkProfile");
            if (profile.unknown) m.link("nics", profile);
            else m.eachOf(profile.get("networkInterfaces"), ["nics"], (nic) => m.subResource("nics", nic));
            const configs = profile.get("networkInterfaceConfigurations").items();
            return m
                .value(
                    "nicConfigurations",
                    configs === "unknown"
                        ? { unknown: "networkProfile.networkInterfaceConfigurations" }
                        : configs !== "invalid" && configs.length > 0
                          ? true
                          : undefined,
                )
                .build();
        },
    },
    {
        provider: N,
        kind: "topology",
        types: ["azure-native:compute:VirtualMachineScaleSet"],
        typePattern: native("compute", "VirtualMachineScaleSet"),
        summary: `${PLACED_SCALE_SET_SUMMARY} (\`virtualMachineProfile.networkProfile.networkInterfaceConfigurations[]\`: \`networkSecurityGroup\`, \`ipConfigurations[]\` \`subnet\`, \`applicationSecurityGroups\`, \`loadBalancerBackendAddressPools\`, \`loadBalancerInboundNatPools\`, \`publicIPAddressConfiguration\` with \`sku.name\`)`,
        normalise(props) {
            const m = new AzureModel(N, ROLE.scaleSet, props).identity("id", "name", "vmScaleSetName").tags(props.get("tags"));
            const profile = props.get("virtualMachineProfile");
            const configs = profile.unknown ? profile : profile.get("networkProfile").get("networkInterfaceConfigurations");
            return scaleSetNic(m, configs, NATIVE_SCALE_SET).build();
        },
    },
    {
        provider: N,
        kind: "topology",
        types: ["azure-native:network:NetworkInterface"],
        typePattern: native("network", "NetworkInterface"),
        summary:
            "`networkSecurityGroup` (the NIC NSG) and each `ipConfigurations[i]`: `subnet` (a standalone subnet or one inline in a virtual network, told apart by its id, else its `name` or `addressPrefix`), `publicIPAddress`, `applicationSecurityGroups`, `privateIPAddress`, `loadBalancerBackendAddressPools` and `loadBalancerInboundNatRules` (the load balancers that forward to it)",
        normalise(props) {
            const m = new AzureModel(N, ROLE.nic, props).identity("id", "name", "networkInterfaceName").tags(props.get("tags"));
            m.subResource("nsg", props.get("networkSecurityGroup"));
            const list = props.get("ipConfigurations");
            m.eachOf(list, ["subnet", "publicIp", "asgs"], (c) => {
                // Azure places every IPv4 configuration in a subnet: one left out is one not known yet.
                if (c.get("subnet").missing) m.unknownLink("subnet", c);
                else m.subResource("subnet", c.get("subnet"));
                m.subResource("publicIp", c.get("publicIPAddress"));
                m.eachOf(c.get("applicationSecurityGroups"), ["asgs"], (a) => m.subResource("asgs", a));
                m.eachOf(c.get("loadBalancerBackendAddressPools"), ["lbPools"], (p) => m.subResource("lbPools", p));
                m.eachOf(c.get("loadBalancerInboundNatRules"), ["lbNatRules"], (r) => m.subResource("lbNatRules", r));
            });
            return m
                .value(
                    "ipConfigurations",
                    recordList(list, (c) =>
                        only({
                            subnetName: read(c.get("subnet").get("name")),
                            subnetPrefixes: prefixes(c.get("subnet").get("addressPrefix"), c.get("subnet").get("addressPrefixes")),
                            privateIp: read(c.get("privateIPAddress")),
                        }),
                    ),
                )
                .build();
        },
    },
    {
        provider: N,
        kind: "topology",
        types: ["azure-native:network:Subnet"],
        typePattern: native("network", "Subnet"),
        summary:
            "`virtualNetworkName`, `addressPrefix(es)`, `networkSecurityGroup` (the subnet NSG), `routeTable`; a subnet named `GatewaySubnet` means a gateway may add ranges to `VirtualNetwork`",
        normalise(props) {
            return new AzureModel(N, ROLE.subnet, props)
                .link("vnet", props.get("virtualNetworkName"))
                .subResource("nsg", props.get("networkSecurityGroup"))
                .subResource("routeTable", props.get("routeTable"))
                .value("name", read(props.first("subnetName", "name")))
                .value("resourceGroupName", read(props.get("resourceGroupName")))
                .value("addressPrefixes", prefixes(props.get("addressPrefix"), props.get("addressPrefixes")))
                .build();
        },
    },
    {
        provider: N,
        kind: "topology",
        types: ["azure-native:network:VirtualNetwork"],
        typePattern: native("network", "VirtualNetwork"),
        summary:
            "`addressSpace.addressPrefixes`, inline `subnets` (name, `addressPrefix(es)`, `networkSecurityGroup`, `routeTable`) and `virtualNetworkPeerings` (`remoteVirtualNetwork`, `allowVirtualNetworkAccess`, `useRemoteGateways`, `allowGatewayTransit`)",
        normalise(props) {
            const subnets = recordList(props.get("subnets"), nativeInlineSubnet);
            const peerings = recordList(props.get("virtualNetworkPeerings"), (p) =>
                only({
                    remote: subResourceId(p.get("remoteVirtualNetwork")),
                    allowVirtualNetworkAccess: read(p.get("allowVirtualNetworkAccess")),
                    useRemoteGateways: read(p.get("useRemoteGateways")),
                    allowGatewayTransit: read(p.get("allowGatewayTransit")),
                }),
            );
            return new AzureModel(N, ROLE.vnet, props)
                .identity("id", "name", "virtualNetworkName")
                .tags(props.get("tags"))
                .knownAs(inlineSubnetIds(subnets))
                .value("addressPrefixes", prefixes(props.get("addressSpace").get("addressPrefixes")))
                .value("resourceGroupName", read(props.get("resourceGroupName")))
                .value("subnets", subnets)
                .value("peerings", peerings)
                .build();
        },
    },
    {
        provider: N,
        kind: "topology",
        types: ["azure-native:network:VirtualNetworkPeering"],
        typePattern: native("network", "VirtualNetworkPeering"),
        summary:
            "`virtualNetworkName` and `remoteVirtualNetwork` (traffic flows once both networks peer each other), `allowVirtualNetworkAccess`, `useRemoteGateways`, `allowGatewayTransit`",
        normalise(props) {
            const m = new AzureModel(N, ROLE.peering, props)
                .link("vnet", props.get("virtualNetworkName"))
                .subResource("remote", props.get("remoteVirtualNetwork"));
            return peeringValues(m, props).build();
        },
    },
    {
        provider: N,
        kind: "topology",
        types: ["azure-native:network:PublicIPAddress"],
        typePattern: native("network", "PublicIPAddress"),
        summary:
            "`sku.name` (when not given: Standard, since Basic is retired, unless `publicIPAllocationMethod` is Dynamic, which only Basic allows; a Standard address admits only what an NSG allows), `publicIPAddressVersion`",
        normalise(props) {
            return new AzureModel(N, ROLE.publicIp, props)
                .identity("id", "name", "publicIpAddressName")
                .tags(props.get("tags"))
                .value("sku", skuName(props.get("sku")))
                .value("version", read(props.get("publicIPAddressVersion")))
                .value("allocation", read(props.get("publicIPAllocationMethod")))
                .build();
        },
    },
    {
        provider: N,
        kind: "topology",
        types: ["azure-native:network:ApplicationSecurityGroup"],
        typePattern: native("network", "ApplicationSecurityGroup"),
        summary: "its identity, for the NSG rules and NICs that name it",
        normalise(props) {
            return new AzureModel(N, ROLE.asg, props).identity("id", "name", "applicationSecurityGroupName").build();
        },
    },
    {
        provider: N,
        kind: "topology",
        types: ["azure-native:network:RouteTable"],
        typePattern: native("network", "RouteTable"),
        summary:
            "inline `routes` (`addressPrefix`, `nextHopType`): a user route inside the network's ranges to anything but `VnetLocal` makes the subnet's flows unverifiable",
        normalise(props) {
            return new AzureModel(N, ROLE.routeTable, props)
                .identity("id", "name", "routeTableName")
                .value("routes", routeRecords(props.get("routes")))
                .build();
        },
    },
    {
        provider: N,
        kind: "topology",
        types: ["azure-native:network:Route"],
        typePattern: native("network", "Route"),
        summary: "`routeTableName`, `addressPrefix`, `nextHopType`, read with its route table",
        normalise(props) {
            return new AzureModel(N, ROLE.route, props)
                .link("routeTable", props.get("routeTableName"))
                .value("addressPrefix", read(props.get("addressPrefix")))
                .value("nextHopType", read(props.get("nextHopType")))
                .build();
        },
    },
];
