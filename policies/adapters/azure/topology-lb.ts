// Azure load balancers, both providers: the frontends (a public IP, or a private address in a
// subnet), backend pools, load-balancing rules and inbound NAT rules, inline or as resources of
// their own, and the classic associations that put a NIC in a pool or behind a NAT rule. The
// graph assembler (graph-lb.ts) turns them into ways in from the internet to the pools' NICs.
import { TopologyValue } from "../../model/topology";
import { Input } from "../support/input";
import { Adapter } from "../support/resource-builder";
import { AzureModel, native, only, read, recordList, ROLE, skuName, subResourceId } from "./topology";
import { association } from "./topology-classic";

type Record_ = Record<string, TopologyValue>;

/** A rule's backend pools (`backendAddressPool` and `backendAddressPools`): their ids, unknown when any is. */
function poolIds(rule: Input): TopologyValue | undefined {
    const out: string[] = [];
    const single = subResourceId(rule.get("backendAddressPool"));
    if (single !== undefined && typeof single !== "string") return single;
    if (typeof single === "string") out.push(single);
    const list = rule.get("backendAddressPools");
    const items = list.items();
    if (items === "unknown") return { unknown: list.path };
    if (items !== "invalid")
        for (const item of items) {
            const id = subResourceId(item);
            if (id === undefined) continue;
            if (typeof id !== "string") return id;
            out.push(id);
        }
    return single === undefined && (items === "invalid" || items.length === 0) ? undefined : out;
}

/** A native pool's members listed by IP address (`loadBalancerBackendAddresses[]`: `ipAddress`, `virtualNetwork`). */
function poolAddresses(list: Input): TopologyValue | undefined {
    const v = recordList(list, (a) => only({ ip: read(a.get("ipAddress")), vnet: subResourceId(a.get("virtualNetwork")) }));
    return Array.isArray(v) && v.length === 0 ? undefined : (v as TopologyValue | undefined);
}

/** The ports and protocol of a load-balancing or NAT rule, as both providers spell them. */
function ports(r: Input, rangeStart: string, rangeEnd: string, floating: TopologyValue | undefined): Record_ {
    return only({
        name: read(r.get("name")),
        protocol: read(r.get("protocol")),
        frontendPort: read(r.get("frontendPort")),
        backendPort: read(r.get("backendPort")),
        rangeStart: read(r.get(rangeStart)),
        rangeEnd: read(r.get(rangeEnd)),
        floating,
    });
}

const nativeRule = (r: Input): Record_ => ({
    ...ports(r, "frontendPortRangeStart", "frontendPortRangeEnd", read(r.get("enableFloatingIP"))),
    ...only({ frontend: subResourceId(r.get("frontendIPConfiguration")), pools: poolIds(r) }),
});

const nativeNatRule = (r: Input): Record_ => ({
    ...ports(r, "frontendPortRangeStart", "frontendPortRangeEnd", read(r.get("enableFloatingIP"))),
    ...only({
        id: read(r.get("id")),
        frontend: subResourceId(r.get("frontendIPConfiguration")),
        pool: subResourceId(r.get("backendAddressPool")),
    }),
});

const nativeNatPool = (r: Input): Record_ => ({
    ...ports(r, "frontendPortRangeStart", "frontendPortRangeEnd", read(r.get("enableFloatingIP"))),
    ...only({ id: read(r.get("id")), frontend: subResourceId(r.get("frontendIPConfiguration")) }),
});

/** Ids of a load balancer's inline children (pools, NAT rules): as written, and `<id>/<kind>/<name>` when the balancer's id is known. */
function childIds(lbId: TopologyValue | undefined, kind: string, list: unknown): string[] {
    if (!Array.isArray(list)) return [];
    const out: string[] = [];
    for (const c of list as Record_[]) {
        if (typeof c.id === "string" && c.id !== "") out.push(c.id);
        if (typeof lbId === "string" && lbId !== "" && typeof c.name === "string") out.push(`${lbId}/${kind}/${c.name}`);
    }
    return [...new Set(out)];
}

const N = "azure-native";
const C = "azure";

/** A classic rule, NAT rule or NAT pool's ports, protocol, floating IP and frontend, as values of `m`. */
function classicForward(m: AzureModel, props: Input): AzureModel {
    const floating = read(props.first("floatingIpEnabled", "enableFloatingIp"));
    for (const [k, v] of Object.entries(ports(props, "frontendPortStart", "frontendPortEnd", floating))) m.value(k, v);
    return m.value("frontendName", read(props.get("frontendIpConfigurationName")));
}

const LB_SUMMARY =
    "`sku`, each frontend IP configuration (a public IP makes it public; a subnet or private address, internal), inline backend pools, load-balancing rules and inbound NAT rules (`protocol`, `frontendPort`, `backendPort`, the frontend and pool they name); a Standard load balancer admits only what an NSG allows, like a Standard public IP";

export const azureLoadBalancerTopologyAdapters: Adapter[] = [
    {
        provider: N,
        kind: "topology",
        types: ["azure-native:network:LoadBalancer"],
        typePattern: native("network", "LoadBalancer"),
        summary: `${LB_SUMMARY} (\`sku.name\`, \`frontendIPConfigurations[].publicIPAddress\`/\`subnet\`/\`privateIPAddress\`, \`backendAddressPools\` with members listed by IP in \`loadBalancerBackendAddresses\`, \`loadBalancingRules\`, \`inboundNatRules\`)`,
        normalise(props) {
            const id = read(props.get("id"));
            const pools = recordList(props.get("backendAddressPools"), (p) =>
                only({ name: read(p.get("name")), id: read(p.get("id")), addresses: poolAddresses(p.get("loadBalancerBackendAddresses")) }),
            );
            const natRules = recordList(props.get("inboundNatRules"), nativeNatRule);
            const natPools = recordList(props.get("inboundNatPools"), nativeNatPool);
            return new AzureModel(N, ROLE.loadBalancer, props)
                .identity("id", "name", "loadBalancerName")
                .tags(props.get("tags"))
                .knownAs([
                    ...childIds(id, "backendAddressPools", pools),
                    ...childIds(id, "inboundNatRules", natRules),
                    ...childIds(id, "inboundNatPools", natPools),
                ])
                .value("name", read(props.first("loadBalancerName", "name")))
                .value("resourceGroupName", read(props.get("resourceGroupName")))
                .value("sku", skuName(props.get("sku")))
                .value(
                    "frontends",
                    recordList(props.get("frontendIPConfigurations"), (f) =>
                        only({
                            name: read(f.get("name")),
                            id: read(f.get("id")),
                            publicIp: subResourceId(f.get("publicIPAddress")),
                            internal: !f.get("subnet").missing || !f.get("privateIPAddress").missing ? true : undefined,
                        }),
                    ),
                )
                .value("pools", pools)
                .value("rules", recordList(props.get("loadBalancingRules"), nativeRule))
                .value("natRules", natRules)
                .value("natPools", natPools)
                .build();
        },
    },
    {
        provider: N,
        kind: "topology",
        types: ["azure-native:network:LoadBalancerBackendAddressPool"],
        typePattern: native("network", "LoadBalancerBackendAddressPool"),
        summary:
            "`loadBalancerName` and its name (`backendAddressPoolName`), for the load-balancing rules and NICs that name it; members listed by IP (`loadBalancerBackendAddresses[]`: `ipAddress`, `virtualNetwork`), matched to the private IPs of the stack's NICs",
        normalise(props) {
            return new AzureModel(N, ROLE.lbPool, props)
                .identity("id", "name", "backendAddressPoolName")
                .link("lb", props.get("loadBalancerName"))
                .value("name", read(props.first("backendAddressPoolName", "name")))
                .value("addresses", poolAddresses(props.get("loadBalancerBackendAddresses")))
                .build();
        },
    },
    {
        provider: N,
        kind: "topology",
        types: ["azure-native:network:InboundNatRule"],
        typePattern: native("network", "InboundNatRule"),
        summary:
            "`loadBalancerName`, `frontendIPConfiguration`, `protocol`, `frontendPort` to `backendPort` (or `frontendPortRangeStart`-`frontendPortRangeEnd` to a `backendAddressPool`), for the NICs that name it",
        normalise(props) {
            const m = new AzureModel(N, ROLE.lbNatRule, props)
                .identity("id", "name", "inboundNatRuleName")
                .link("lb", props.get("loadBalancerName"))
                .subResource("pool", props.get("backendAddressPool"));
            for (const [k, v] of Object.entries(nativeNatRule(props))) m.value(k, v);
            return m.value("name", read(props.first("inboundNatRuleName", "name"))).build();
        },
    },
    {
        provider: C,
        kind: "topology",
        types: ["azure:lb/loadBalancer:LoadBalancer"],
        summary: `${LB_SUMMARY} (\`sku\`, Standard when not given; \`frontendIpConfigurations[].publicIpAddressId\`/\`subnetId\`/\`privateIpAddress\`; pools and rules are resources of their own)`,
        normalise(props) {
            return new AzureModel(C, ROLE.loadBalancer, props)
                .identity("id", "name")
                .tags(props.get("tags"))
                .value("name", read(props.get("name")))
                .value("resourceGroupName", read(props.get("resourceGroupName")))
                .value("sku", read(props.get("sku")) ?? "Standard")
                .value(
                    "frontends",
                    recordList(props.get("frontendIpConfigurations"), (f) =>
                        only({
                            name: read(f.get("name")),
                            id: read(f.get("id")),
                            publicIp: read(f.get("publicIpAddressId")),
                            internal: !f.get("subnetId").missing || !f.get("privateIpAddress").missing ? true : undefined,
                        }),
                    ),
                )
                .build();
        },
    },
    {
        provider: C,
        kind: "topology",
        types: ["azure:lb/backendAddressPool:BackendAddressPool"],
        summary: "`loadbalancerId` and its name, for the rules and NIC associations that name it",
        normalise(props) {
            return new AzureModel(C, ROLE.lbPool, props)
                .identity("id", "name")
                .link("lb", props.get("loadbalancerId"))
                .value("name", read(props.get("name")))
                .build();
        },
    },
    {
        provider: C,
        kind: "topology",
        types: ["azure:lb/rule:Rule"],
        summary:
            "`loadbalancerId`, `frontendIpConfigurationName`, `protocol`, `frontendPort` to `backendPort`, `backendAddressPoolIds`, `floatingIpEnabled`",
        normalise(props) {
            const m = new AzureModel(C, ROLE.lbRule, props).link("lb", props.get("loadbalancerId"));
            m.eachOf(props.get("backendAddressPoolIds"), ["pools"], (p) => m.link("pools", p));
            return classicForward(m, props).build();
        },
    },
    {
        provider: C,
        kind: "topology",
        types: ["azure:lb/natRule:NatRule"],
        summary:
            "`loadbalancerId`, `frontendIpConfigurationName`, `protocol`, `frontendPort` to `backendPort` (or `frontendPortStart`-`frontendPortEnd` to a `backendAddressPoolId`), for the NIC associations that name it",
        normalise(props) {
            const m = new AzureModel(C, ROLE.lbNatRule, props)
                .identity("id", "name")
                .link("lb", props.get("loadbalancerId"))
                .link("pool", props.get("backendAddressPoolId"));
            return classicForward(m, props).build();
        },
    },
    {
        provider: C,
        kind: "topology",
        types: ["azure:lb/natPool:NatPool"],
        summary:
            "`loadbalancerId`, `frontendIpConfigurationName`, `protocol`, `frontendPortStart`-`frontendPortEnd` to `backendPort`, `floatingIpEnabled`: for the scale sets whose `loadBalancerInboundNatRulesIds` name it",
        normalise(props) {
            const m = new AzureModel(C, ROLE.lbNatPool, props).identity("id", "name").link("lb", props.get("loadbalancerId"));
            return classicForward(m, props).build();
        },
    },
    {
        provider: C,
        kind: "topology",
        types: ["azure:lb/backendAddressPoolAddress:BackendAddressPoolAddress"],
        summary:
            "`backendAddressPoolId`, `ipAddress` and `virtualNetworkId`: a member of the pool by IP address, matched to the private IPs of the stack's NICs (an `ipAddress` taken from a NIC names that NIC)",
        normalise(props) {
            return new AzureModel(C, ROLE.lbPoolAddress, props)
                .link("pool", props.get("backendAddressPoolId"))
                .value("ip", read(props.get("ipAddress")))
                .value("vnet", read(props.get("virtualNetworkId")))
                .build();
        },
    },
    association(
        "azure:network/networkInterfaceBackendAddressPoolAssociation:NetworkInterfaceBackendAddressPoolAssociation",
        ROLE.nicPool,
        "`networkInterfaceId` and `backendAddressPoolId`: the NIC is in the load balancer's backend pool",
        { nic: "networkInterfaceId", pool: "backendAddressPoolId" },
    ),
    association(
        "azure:network/networkInterfaceNatRuleAssociation:NetworkInterfaceNatRuleAssociation",
        ROLE.nicNatRule,
        "`networkInterfaceId` and `natRuleId`: the inbound NAT rule forwards to the NIC",
        { nic: "networkInterfaceId", natRule: "natRuleId" },
    ),
];
