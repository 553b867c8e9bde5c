// Azure virtual machines behind a load balancer, for the two network-graph policies: a machine
// without a public IP of its own whose NIC is in a public load balancer's backend pool (or behind an
// inbound NAT rule) is reached from the internet through its NSGs, on the backend ports the rules
// forward to; an internal frontend is no way in; what preview does not tell is advised, never passed.
import { PolicyCase, StackCase, UNKNOWN, urnOf } from "../../helpers";
import { CaseTable } from "../index";
import { AZ, azure, CLASSIC, GRAPH_REGISTRY, inbound } from "./azure-graph.cases";

type Mode = "preview" | "update";
type Rule = Record<string, unknown>;

export const LB = "azure-native:network:LoadBalancer";
const RG = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network";
export const lbId = (name: string) => `${RG}/loadBalancers/${name}`;

export interface LbSpec {
    sku?: string;
    /** The frontend: public through `lb-pip` (default), or internal in the subnet. */
    internal?: boolean;
    pools?: string[];
    rules?: { protocol?: string; frontendPort: number; backendPort: number; pool?: string; name?: string; floating?: boolean }[];
    natRules?: { protocol?: string; frontendPort: number; backendPort: number; name?: string }[];
    /** Members of the first pool listed by IP address (`loadBalancerBackendAddresses`); `fromNic`: the NIC's own address, unknown in preview. */
    listed?: ({ ip: string } | { fromNic: true })[];
}

/**
 * `web-vm` (no public IP) in `web-subnet` behind `web-nsg` (subnet) and `web-nic-nsg` (NIC) when their
 * rules are given; load balancer `web-lb` with `lb-pip`; the NIC in `member.pool` and behind `member.nat`.
 */
export function lbStack(
    mode: Mode,
    o: {
        subnetRules?: Rule[];
        nicRules?: Rule[];
        lb?: LbSpec;
        pipSku?: string;
        member?: { pools?: (string | { id: string })[]; nat?: string[] };
        /** The NIC's static private IP. */
        vmIp?: string;
    },
): StackCase[] {
    const lb = o.lb ?? {};
    const id = lbId("web-lb");
    const ref = (v: string) => (mode === "update" ? v : UNKNOWN);
    const rows = azure(mode, {
        vnets: [{ name: "main-vnet", space: ["10.0.0.0/16"] }],
        nsgs: [
            ...(o.subnetRules ? [{ name: "web-nsg", rules: o.subnetRules }] : []),
            ...(o.nicRules ? [{ name: "web-nic-nsg", rules: o.nicRules }] : []),
        ],
        subnets: [{ name: "web-subnet", vnet: "main-vnet", prefix: "10.0.1.0/24", ...(o.subnetRules ? { nsg: "web-nsg" } : {}) }],
        pips: [{ name: "lb-pip", sku: o.pipSku ?? "Standard" }],
        vms: [
            {
                name: "web-vm",
                subnet: "web-subnet",
                service: "app",
                ...(o.nicRules ? { nsg: "web-nic-nsg" } : {}),
                ...(o.vmIp ? { ip: o.vmIp } : {}),
            },
        ],
    });
    const pools = lb.pools ?? ["pool"];
    const front = { id: ref(`${id}/frontendIPConfigurations/front`) };
    const lbRow: StackCase = {
        type: LB,
        name: "web-lb",
        props: {
            ...(mode === "update" ? { id, name: "web-lb" } : {}),
            resourceGroupName: "rg",
            sku: { name: lb.sku ?? "Standard" },
            frontendIPConfigurations: [
                lb.internal
                    ? {
                          name: "front",
                          subnet: { id: ref(`${RG}/virtualNetworks/main-vnet/subnets/web-subnet`) },
                          privateIPAddress: "10.0.1.100",
                      }
                    : { name: "front", publicIPAddress: { id: ref(`${RG}/publicIPAddresses/lb-pip`) } },
            ],
            backendAddressPools: pools.map((p, i) => ({
                name: p,
                ...(mode === "update" ? { id: `${id}/backendAddressPools/${p}` } : {}),
                ...(i === 0 && lb.listed
                    ? {
                          loadBalancerBackendAddresses: lb.listed.map((a, k) => ({
                              name: `member${k}`,
                              ipAddress: "ip" in a ? a.ip : mode === "update" ? (o.vmIp ?? "10.0.1.4") : UNKNOWN,
                              virtualNetwork: { id: ref(`${RG}/virtualNetworks/main-vnet`) },
                          })),
                      }
                    : {}),
            })),
            loadBalancingRules: (lb.rules ?? []).map((r, i) => ({
                name: r.name ?? `rule${i}`,
                protocol: r.protocol ?? "Tcp",
                frontendPort: r.frontendPort,
                backendPort: r.backendPort,
                frontendIPConfiguration: front,
                backendAddressPool: { id: ref(`${id}/backendAddressPools/${r.pool ?? pools[0]}`) },
                ...(r.floating !== undefined ? { enableFloatingIP: r.floating } : {}),
            })),
            inboundNatRules: (lb.natRules ?? []).map((r, i) => ({
                name: r.name ?? `nat${i}`,
                protocol: r.protocol ?? "Tcp",
                frontendPort: r.frontendPort,
                backendPort: r.backendPort,
                frontendIPConfiguration: front,
                ...(mode === "update" ? { id: `${id}/inboundNatRules/${r.name ?? `nat${i}`}` } : {}),
            })),
        },
        propertyDependencies: {
            frontendIPConfigurations: lb.internal ? [urnOf(AZ.subnet, "web-subnet")] : [urnOf(AZ.pip, "lb-pip")],
            ...(lb.listed
                ? {
                      backendAddressPools: [
                          urnOf(AZ.vnet, "main-vnet"),
                          ...(lb.listed.some((a) => "fromNic" in a) ? [urnOf(AZ.nic, "web-vm-nic")] : []),
                      ],
                  }
                : {}),
        },
    };
    const member = o.member ?? { pools: ["pool"] };
    const out = rows.map((r): StackCase => {
        if (r.name !== "web-vm-nic") return r;
        const props = r.props as { ipConfigurations: Record<string, unknown>[] };
        const config = {
            ...props.ipConfigurations[0],
            ...(member.pools
                ? {
                      loadBalancerBackendAddressPools: member.pools.map((p) =>
                          typeof p === "string" ? { id: ref(`${id}/backendAddressPools/${p}`) } : p,
                      ),
                  }
                : {}),
            ...(member.nat ? { loadBalancerInboundNatRules: member.nat.map((n) => ({ id: ref(`${id}/inboundNatRules/${n}`) })) } : {}),
        };
        const deps = member.pools?.some((p) => typeof p === "string") || member.nat ? [urnOf(LB, "web-lb")] : [];
        return {
            ...r,
            props: { ...r.props, ipConfigurations: [config] },
            propertyDependencies: {
                ...r.propertyDependencies,
                ipConfigurations: [...(r.propertyDependencies?.ipConfigurations ?? []), ...deps],
            },
        };
    });
    // The load balancer before the NIC that names it, as the engine registers them.
    const at = out.findIndex((r) => r.name === "web-vm-nic");
    return [...out.slice(0, at), lbRow, ...out.slice(at)];
}

/** The classic provider: load balancer, pool, rule, NAT rule and the NIC's associations, as resources of their own. */
export function classicLbStack(mode: Mode, nsgRules: Rule[]): StackCase[] {
    const ref = (v: string) => (mode === "update" ? v : UNKNOWN);
    const withId = (v: string, props: Record<string, unknown>) => (mode === "update" ? { id: v, ...props } : props);
    const id = lbId("example-lb");
    const T = {
        lb: "azure:lb/loadBalancer:LoadBalancer",
        pool: "azure:lb/backendAddressPool:BackendAddressPool",
        rule: "azure:lb/rule:Rule",
        nat: "azure:lb/natRule:NatRule",
        nicPool: "azure:network/networkInterfaceBackendAddressPoolAssociation:NetworkInterfaceBackendAddressPoolAssociation",
        nicNat: "azure:network/networkInterfaceNatRuleAssociation:NetworkInterfaceNatRuleAssociation",
    };
    const subnetId = `${RG}/virtualNetworks/main-vnet/subnets/web-subnet`;
    const nicId = `${RG}/networkInterfaces/web-nic`;
    return [
        {
            type: CLASSIC.vnet,
            name: "main-vnet",
            props: withId(`${RG}/virtualNetworks/main-vnet`, {
                name: "main-vnet",
                resourceGroupName: "rg",
                addressSpaces: ["10.0.0.0/16"],
            }),
        },
        {
            type: CLASSIC.subnet,
            name: "web-subnet",
            props: withId(subnetId, {
                name: "web-subnet",
                resourceGroupName: "rg",
                virtualNetworkName: "main-vnet",
                addressPrefixes: ["10.0.2.0/24"],
            }),
            propertyDependencies: { virtualNetworkName: [urnOf(CLASSIC.vnet, "main-vnet")] },
        },
        {
            type: CLASSIC.nsg,
            name: "web-nsg",
            props: withId(`${RG}/networkSecurityGroups/web-nsg`, { name: "web-nsg", securityRules: nsgRules }),
        },
        {
            type: CLASSIC.subnetNsg,
            name: "web-subnet-nsg",
            props: { subnetId: ref(subnetId), networkSecurityGroupId: ref(`${RG}/networkSecurityGroups/web-nsg`) },
            propertyDependencies: {
                subnetId: [urnOf(CLASSIC.subnet, "web-subnet")],
                networkSecurityGroupId: [urnOf(CLASSIC.nsg, "web-nsg")],
            },
        },
        {
            type: CLASSIC.pip,
            name: "lb-pip",
            props: withId(`${RG}/publicIPAddresses/lb-pip`, { name: "lb-pip", resourceGroupName: "rg", allocationMethod: "Static" }),
        },
        {
            type: T.lb,
            name: "example-lb",
            props: withId(id, {
                name: "example-lb",
                resourceGroupName: "rg",
                frontendIpConfigurations: [{ name: "primary", publicIpAddressId: ref(`${RG}/publicIPAddresses/lb-pip`) }],
            }),
            propertyDependencies: { frontendIpConfigurations: [urnOf(CLASSIC.pip, "lb-pip")] },
        },
        {
            type: T.pool,
            name: "web-pool",
            props: withId(`${id}/backendAddressPools/acctestpool`, { name: "acctestpool", loadbalancerId: ref(id) }),
            propertyDependencies: { loadbalancerId: [urnOf(T.lb, "example-lb")] },
        },
        {
            type: T.rule,
            name: "http-rule",
            props: {
                name: "LBRule",
                loadbalancerId: ref(id),
                protocol: "Tcp",
                frontendPort: 80,
                backendPort: 8080,
                frontendIpConfigurationName: "primary",
                backendAddressPoolIds: [ref(`${id}/backendAddressPools/acctestpool`)],
            },
            propertyDependencies: { loadbalancerId: [urnOf(T.lb, "example-lb")], backendAddressPoolIds: [urnOf(T.pool, "web-pool")] },
        },
        {
            type: T.nat,
            name: "ssh-nat",
            props: withId(`${id}/inboundNatRules/SSHAccess`, {
                name: "SSHAccess",
                resourceGroupName: "rg",
                loadbalancerId: ref(id),
                protocol: "Tcp",
                frontendPort: 2222,
                backendPort: 22,
                frontendIpConfigurationName: "primary",
            }),
            propertyDependencies: { loadbalancerId: [urnOf(T.lb, "example-lb")] },
        },
        {
            type: CLASSIC.nic,
            name: "web-nic",
            props: withId(nicId, {
                name: "web-nic",
                resourceGroupName: "rg",
                ipConfigurations: [{ name: "internal", subnetId: ref(subnetId), privateIpAddressAllocation: "Dynamic" }],
            }),
            propertyDependencies: { ipConfigurations: [urnOf(CLASSIC.subnet, "web-subnet")] },
        },
        {
            type: T.nicPool,
            name: "web-nic-pool",
            props: {
                networkInterfaceId: ref(nicId),
                ipConfigurationName: "internal",
                backendAddressPoolId: ref(`${id}/backendAddressPools/acctestpool`),
            },
            propertyDependencies: {
                networkInterfaceId: [urnOf(CLASSIC.nic, "web-nic")],
                backendAddressPoolId: [urnOf(T.pool, "web-pool")],
            },
        },
        {
            type: T.nicNat,
            name: "web-nic-ssh",
            props: { networkInterfaceId: ref(nicId), ipConfigurationName: "internal", natRuleId: ref(`${id}/inboundNatRules/SSHAccess`) },
            propertyDependencies: { networkInterfaceId: [urnOf(CLASSIC.nic, "web-nic")], natRuleId: [urnOf(T.nat, "ssh-nat")] },
        },
        {
            type: CLASSIC.vm,
            name: "web-vm",
            props: withId(`${RG.replace("Network", "Compute")}/virtualMachines/web-vm`, {
                name: "web-vm",
                resourceGroupName: "rg",
                size: "Standard_B1s",
                tags: { service: "app" },
                networkInterfaceIds: [ref(nicId)],
            }),
            propertyDependencies: { networkInterfaceIds: [urnOf(CLASSIC.nic, "web-nic")] },
        },
    ];
}

function both(name: string, build: (mode: Mode) => StackCase[], expect: Omit<PolicyCase, "name" | "resources"> = {}): PolicyCase[] {
    return (["preview", "update"] as const).map((mode) => ({
        name: `${name} (${mode})`,
        registryYaml: GRAPH_REGISTRY,
        resources: build(mode),
        ...expect,
    }));
}

const APP_FROM_INTERNET = inbound(100, "Allow", "8080", "Internet");
const SSH_FROM_INTERNET = inbound(100, "Allow", "22", "Internet");
const HTTP_RULE = { frontendPort: 80, backendPort: 8080, name: "http" };
const LB_HOP = 'public IP `lb-pip` (Standard SKU) → load balancer `web-lb` rule loadBalancingRules[0] "http" (tcp 80 → 8080)';

const noInternetPath: CaseTable = {
    valid: [
        ...both("an internal load balancer (a private frontend) is no way in from the internet", (mode) =>
            lbStack(mode, { subnetRules: [SSH_FROM_INTERNET], lb: { internal: true, rules: [{ frontendPort: 22, backendPort: 22 }] } }),
        ),
        ...both("a Standard load balancer before a machine without any NSG admits nothing", (mode) =>
            lbStack(mode, {
                lb: { rules: [HTTP_RULE], natRules: [{ frontendPort: 50022, backendPort: 22 }] },
                member: { pools: ["pool"], nat: ["nat0"] },
            }),
        ),
        ...both("the subnet NSG denies the backend port to the internet: the rule forwards into a closed door", (mode) =>
            lbStack(mode, {
                subnetRules: [inbound(100, "Deny", "8080", "Internet"), inbound(200, "Allow", "*", "*")],
                lb: { rules: [HTTP_RULE] },
            }),
        ),
        ...both("a pool that lists another address than the machine's static IP does not forward to it", (mode) =>
            lbStack(mode, {
                subnetRules: [APP_FROM_INTERNET],
                lb: { rules: [HTTP_RULE], listed: [{ ip: "10.0.1.5" }] },
                member: {},
                vmIp: "10.0.1.4",
            }),
        ),
        ...both("a pool that lists an address outside the subnet of a machine with a dynamic IP: not its pool, no doubt", (mode) =>
            lbStack(mode, { subnetRules: [APP_FROM_INTERNET], lb: { rules: [HTTP_RULE], listed: [{ ip: "10.0.9.4" }] }, member: {} }),
        ),
        {
            name: "the NIC is in another pool of the load balancer than the rule's",
            registryYaml: GRAPH_REGISTRY,
            resources: lbStack("update", {
                subnetRules: [APP_FROM_INTERNET],
                lb: { pools: ["pool", "admin"], rules: [{ ...HTTP_RULE, pool: "admin" }] },
            }),
        },
    ],
    invalid: [
        ...both(
            "a public load balancer rule forwards 80 to 8080 on a machine without a public IP: the path, hop by hop",
            (mode) => lbStack(mode, { subnetRules: [APP_FROM_INTERNET], lb: { rules: [HTTP_RULE] } }),
            {
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            workload: "`web-vm`",
                            placement: "`web-subnet through web-lb rule loadBalancingRules[0]`",
                            ports: "tcp 8080 (app)",
                            path: `internet → ${LB_HOP} → subnet NSG \`web-nsg\` (securityRules[0] (priority 100) (tcp 8080 from Internet)) → \`web-vm\``,
                        },
                        "fixPath",
                    ],
                ],
            },
        ),
        ...both(
            "an inbound NAT rule forwards 50022 to ssh on the NIC",
            (mode) =>
                lbStack(mode, {
                    nicRules: [SSH_FROM_INTERNET],
                    lb: { natRules: [{ frontendPort: 50022, backendPort: 22, name: "ssh" }] },
                    member: { nat: ["ssh"] },
                }),
            {
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            ports: "tcp 22 (ssh)",
                            path: 'internet → public IP `lb-pip` (Standard SKU) → load balancer `web-lb` inbound NAT rule inboundNatRules[0] "ssh" (tcp 50022 → 22) → NIC NSG `web-nic-nsg` (securityRules[0] (priority 100) (tcp 22 from Internet)) → `web-vm`',
                        },
                        "fixPath",
                    ],
                ],
            },
        ),
        ...both(
            "an NSG open to the internet on every port: only the backend ports the rules forward to are reached",
            (mode) =>
                lbStack(mode, {
                    subnetRules: [inbound(100, "Allow", "*", "Internet")],
                    lb: { rules: [HTTP_RULE, { frontendPort: 443, backendPort: 443 }] },
                }),
            {
                errors: [
                    [
                        "exposed",
                        null,
                        { ports: "tcp 8080 (app)", path: new RegExp(`^internet → ${LB_HOP.replace(/[()[\]]/g, "\\$&")} → `) },
                        "fixPath",
                    ],
                ],
            },
        ),
        ...both(
            "a Basic load balancer with a Basic public IP and no NSG is open, on the forwarded port only",
            (mode) =>
                lbStack(mode, { pipSku: "Basic", lb: { sku: "Basic", rules: [{ frontendPort: 6379, backendPort: 6379, name: "redis" }] } }),
            {
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            ports: "tcp 6379 (redis)",
                            path: 'internet → public IP `lb-pip` (Basic SKU: open where no NSG filters) → load balancer `web-lb` (Basic SKU: open where no NSG filters) rule loadBalancingRules[0] "redis" (tcp 6379 → 6379) → `web-vm`',
                        },
                        "fixPath",
                    ],
                ],
            },
        ),
        ...both(
            "a floating-IP rule of a Basic load balancer with no NSG anywhere: nothing reads the packet's address, so it is open",
            (mode) =>
                lbStack(mode, {
                    pipSku: "Basic",
                    lb: { sku: "Basic", rules: [{ frontendPort: 22, backendPort: 22, name: "ssh", floating: true }] },
                }),
            {
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            ports: "tcp 22 (ssh)",
                            path: 'internet → public IP `lb-pip` (Basic SKU: open where no NSG filters) → load balancer `web-lb` (Basic SKU: open where no NSG filters) rule loadBalancingRules[0] "ssh" (tcp 22 → 22) → `web-vm`',
                        },
                        "fixPath",
                    ],
                ],
            },
        ),
        ...both(
            "a floating-IP rule through a subnet NSG: the NSG is not read against the frontend's address, so advised",
            (mode) =>
                lbStack(mode, { subnetRules: [SSH_FROM_INTERNET], lb: { rules: [{ frontendPort: 22, backendPort: 22, floating: true }] } }),
            {
                advisories: [
                    [
                        "unproven",
                        null,
                        {
                            ports: "tcp 22 (ssh)",
                            reason: 'rule loadBalancingRules[0] "rule0" of load balancer `web-lb` uses floating IP (`enableFloatingIP`): the packet arrives addressed to the frontend\'s own address, which the NSG rules are not read against',
                        },
                    ],
                ],
            },
        ),
        ...both(
            "a pool that lists the machine's static private IP by address (loadBalancerBackendAddresses): the rule forwards to it",
            (mode) =>
                lbStack(mode, {
                    subnetRules: [APP_FROM_INTERNET],
                    lb: { rules: [HTTP_RULE], listed: [{ ip: "10.0.1.4" }] },
                    member: {},
                    vmIp: "10.0.1.4",
                }),
            {
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            ports: "tcp 8080 (app)",
                            path: `internet → ${LB_HOP} → subnet NSG \`web-nsg\` (securityRules[0] (priority 100) (tcp 8080 from Internet)) → \`web-vm\``,
                        },
                        "fixPath",
                    ],
                ],
            },
        ),
        ...both(
            "a pool member whose address is taken from the NIC (unknown in preview, linked by its property dependencies)",
            (mode) =>
                lbStack(mode, {
                    subnetRules: [APP_FROM_INTERNET],
                    lb: { rules: [HTTP_RULE], listed: [{ fromNic: true }] },
                    member: {},
                    vmIp: "10.0.1.4",
                }),
            {
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            ports: "tcp 8080 (app)",
                            path: `internet → ${LB_HOP} → subnet NSG \`web-nsg\` (securityRules[0] (priority 100) (tcp 8080 from Internet)) → \`web-vm\``,
                        },
                        "fixPath",
                    ],
                ],
            },
        ),
        ...both(
            "a pool listing an address in the subnet of a machine whose dynamic IP is not known: may be it, so advised",
            (mode) =>
                lbStack(mode, { subnetRules: [APP_FROM_INTERNET], lb: { rules: [HTTP_RULE], listed: [{ ip: "10.0.1.4" }] }, member: {} }),
            {
                advisories: [
                    [
                        "unproven",
                        null,
                        {
                            ports: "tcp 8080 (app)",
                            reason: "whether NIC `web-vm-nic` is in backend pool `pool` of load balancer `web-lb`, which lists its members by IP address, is unknown until update",
                        },
                    ],
                ],
            },
        ),
        ...(["preview", "update"] as const).map((mode): PolicyCase => ({
            name: `classic provider: a rule and a NAT rule forward to the NIC through its pool and NAT rule associations (${mode})`,
            registryYaml: GRAPH_REGISTRY,
            resources: classicLbStack(mode, [SSH_FROM_INTERNET, { ...APP_FROM_INTERNET, priority: 110 }]),
            errors: [
                [
                    "exposed",
                    null,
                    {
                        placement: "`web-subnet through example-lb rule http-rule`",
                        ports: "tcp 8080 (app)",
                        path: "internet → public IP `lb-pip` (Standard SKU, the default) → load balancer `example-lb` rule `http-rule` (tcp 80 → 8080) → subnet NSG `web-nsg` (securityRules[1] (priority 110) (tcp 8080 from Internet)) → `web-vm`",
                    },
                    "fixPath",
                ],
                [
                    "exposed",
                    null,
                    {
                        placement: "`web-subnet through example-lb NAT rule ssh-nat`",
                        ports: "tcp 22 (ssh)",
                        path: "internet → public IP `lb-pip` (Standard SKU, the default) → load balancer `example-lb` inbound NAT rule `ssh-nat` (tcp 2222 → 22) → subnet NSG `web-nsg` (securityRules[0] (priority 100) (tcp 22 from Internet)) → `web-vm`",
                    },
                    "fixPath",
                ],
            ],
        })),
        ...(["preview", "update"] as const).map((mode): PolicyCase => ({
            name: `classic provider: a pool member by IP address (lb.BackendAddressPoolAddress) whose address is the NIC's (${mode})`,
            registryYaml: GRAPH_REGISTRY,
            resources: classicLbStack(mode, [{ ...APP_FROM_INTERNET, priority: 110 }]).flatMap((r): StackCase[] => {
                if (r.name === "web-nic-pool" || r.name === "web-nic-ssh") return [];
                if (r.name === "web-nic" && mode === "update") {
                    const props = r.props as { ipConfigurations: Record<string, unknown>[] };
                    return [
                        { ...r, props: { ...r.props, ipConfigurations: [{ ...props.ipConfigurations[0], privateIpAddress: "10.0.2.4" }] } },
                    ];
                }
                if (r.name !== "web-vm") return [r];
                const pool = `${lbId("example-lb")}/backendAddressPools/acctestpool`;
                return [
                    r,
                    {
                        type: "azure:lb/backendAddressPoolAddress:BackendAddressPoolAddress",
                        name: "web-member",
                        props: {
                            backendAddressPoolId: mode === "update" ? pool : UNKNOWN,
                            ipAddress: mode === "update" ? "10.0.2.4" : UNKNOWN,
                            virtualNetworkId: mode === "update" ? `${RG}/virtualNetworks/main-vnet` : UNKNOWN,
                        },
                        propertyDependencies: {
                            backendAddressPoolId: [urnOf("azure:lb/backendAddressPool:BackendAddressPool", "web-pool")],
                            ipAddress: [urnOf(CLASSIC.nic, "web-nic")],
                            virtualNetworkId: [urnOf(CLASSIC.vnet, "main-vnet")],
                        },
                    },
                ];
            }),
            errors: [
                [
                    "exposed",
                    null,
                    {
                        placement: "`web-subnet through example-lb rule http-rule`",
                        ports: "tcp 8080 (app)",
                        path: "internet → public IP `lb-pip` (Standard SKU, the default) → load balancer `example-lb` rule `http-rule` (tcp 80 → 8080) → subnet NSG `web-nsg` (securityRules[0] (priority 110) (tcp 8080 from Internet)) → `web-vm`",
                    },
                    "fixPath",
                ],
            ],
        })),
        {
            name: "preview: a backend pool of the NIC whose id is unknown and that no property dependency names: advised as unverifiable, never passed",
            registryYaml: GRAPH_REGISTRY,
            resources: lbStack("preview", {
                subnetRules: [SSH_FROM_INTERNET],
                lb: { rules: [HTTP_RULE] },
                member: { pools: [{ id: UNKNOWN }] },
            }),
            advisories: [
                [
                    "unproven",
                    null,
                    {
                        ports: "tcp 22 (ssh)",
                        path: /^internet → a load balancer backend pool of NIC `web-vm-nic` \(unknown until update\) → subnet NSG `web-nsg`/,
                        reason: "a load balancer backend pool of NIC `web-vm-nic` is unknown until update",
                    },
                ],
            ],
        },
        {
            name: "a backend pool of a load balancer outside the stack: never assumed open or closed",
            registryYaml: GRAPH_REGISTRY,
            resources: lbStack("update", {
                subnetRules: [SSH_FROM_INTERNET],
                lb: { rules: [HTTP_RULE] },
                member: { pools: [{ id: `${lbId("shared-lb")}/backendAddressPools/shared` }] },
            }),
            advisories: [
                [
                    "unproven",
                    null,
                    {
                        ports: "tcp 22 (ssh)",
                        path: /^internet → backend pool `shared` \(outside this stack\) → subnet NSG `web-nsg`/,
                        reason: "backend pool `shared` of NIC `web-vm-nic` is outside this stack",
                    },
                ],
            ],
        },
        {
            name: "preview: the load balancer's SKU unknown and no NSG: a Basic one would be open, so advised",
            registryYaml: GRAPH_REGISTRY,
            resources: lbStack("preview", { lb: { rules: [HTTP_RULE] } }).map((r) =>
                r.name === "web-lb" ? { ...r, props: { ...r.props, sku: UNKNOWN } } : r,
            ),
            advisories: [
                [
                    "unproven",
                    null,
                    {
                        ports: "tcp 8080 (app)",
                        reason: "the SKU of load balancer `web-lb` is unknown until update, and without an NSG a Basic load balancer is open",
                    },
                ],
            ],
        },
    ],
};

export const cases: Record<string, CaseTable> = {
    "no-internet-path-to-internal-ports": noInternetPath,
};
