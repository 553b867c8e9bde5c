import { strict as assert } from "assert";
import { adapterFor } from "../../policies/adapters";
import { PeerSet } from "../../policies/model/addresses";
import { AdapterCase, adapterCases, normaliseOrFail, T, UNKNOWN } from "../helpers";
import { NSG_RULE_CASES, rule } from "./azure-nsg-rules";

const cases: AdapterCase[] = [
    {
        name: "protocol * with a port keeps the port for tcp and udp",
        props: { securityRules: [rule({ protocol: "*", destinationPortRange: "53", sourceAddressPrefix: "VirtualNetwork" })] },
        rules: ["securityRules[0]: inbound allow all 53 from service-tag:VirtualNetwork #100"],
    },
    {
        name: "service tags, application security groups, Esp",
        props: {
            securityRules: [
                rule({
                    protocol: "Esp",
                    destinationPortRange: "*",
                    sourceAddressPrefix: "AzureLoadBalancer",
                    sourceApplicationSecurityGroups: [
                        { id: "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/applicationSecurityGroups/web" },
                    ],
                }),
            ],
        },
        rules: [
            "securityRules[0]: inbound allow proto-50 from service-tag:AzureLoadBalancer application-security-group:/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/applicationSecurityGroups/web #100",
        ],
    },
    {
        name: "unknown priority and source, missing ports",
        props: {
            securityRules: [
                rule({ priority: UNKNOWN, destinationPortRange: "22", sourceAddressPrefix: UNKNOWN }),
                rule({ sourceAddressPrefix: "*" }),
            ],
        },
        rules: [
            "securityRules[0]: inbound allow tcp 22 from ? unknown(securityRules[0].priority) unknown(securityRules[0].sourceAddressPrefix)",
            "securityRules[1]: inbound allow tcp no ports from * #100 invalid(securityRules[1].destinationPortRange)",
        ],
    },
    {
        name: "standalone security rule",
        type: T.nsgRule,
        props: rule({
            destinationPortRange: "3389",
            sourceAddressPrefix: "Internet",
            networkSecurityGroupName: "nsg",
            resourceGroupName: "rg",
        }),
        rules: ["this rule: inbound allow tcp 3389 from Internet #100"],
    },
];

/** "10.0.1.0/24 application-security-group ?": a rule's own side (targets) as the graph reads it. */
function targetsOf(t: PeerSet | undefined): string {
    if (!t) return "every machine";
    return [
        ...t.cidrs,
        ...t.symbols.map((s) => (s.ref?.literal !== undefined ? `${s.kind}:${s.ref.literal}` : s.kind)),
        ...(t.unknown ? ["?"] : []),
    ].join(" ");
}

describe("Azure native adapters", () => {
    adapterCases([...NSG_RULE_CASES, ...cases], { type: T.nsg, provider: "azure-native" });
    it("reads each rule's own side (destinations inbound, sources outbound) as its targets, leaving its verdict alone", () => {
        const asg = { id: "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/applicationSecurityGroups/db" };
        const m = normaliseOrFail(T.nsg, {
            securityRules: [
                rule({ destinationPortRange: "5432", sourceAddressPrefix: "10.0.0.0/8", destinationAddressPrefix: "10.0.1.0/24" }),
                rule({
                    priority: 110,
                    destinationPortRange: "5432",
                    sourceAddressPrefix: "*",
                    destinationAddressPrefix: undefined,
                    destinationApplicationSecurityGroups: [asg],
                }),
                rule({
                    priority: 120,
                    direction: "Outbound",
                    destinationPortRange: "443",
                    destinationAddressPrefix: "Internet",
                    sourceAddressPrefixes: ["VirtualNetwork", UNKNOWN],
                }),
                rule({ priority: 130, destinationPortRange: "22", sourceAddressPrefix: "*" }),
                rule({ priority: 140, destinationPortRange: "22", sourceAddressPrefix: "*", destinationAddressPrefix: undefined }),
            ],
        });
        assert.deepEqual(
            m.rules.map((r) => targetsOf(r.targets)),
            ["10.0.1.0/24", `application-security-group:${asg.id}`, "service-tag ?", "*", "every machine"],
        );
        assert.deepEqual(m.rules[2].peers.cidrs, ["Internet"], "an outbound rule is still judged by its destination");
        assert.deepEqual(m.rules[2].unresolved, [], "an unknown target does not make the rule unverifiable");
    });
    it("matches versioned type tokens", () => {
        assert.ok(adapterFor("azure-native:network/v20230901:NetworkSecurityGroup"));
        assert.ok(adapterFor("azure-native:network/v20240101:SecurityRule"));
        assert.equal(adapterFor("azure-native:network:VirtualNetwork")?.kind, "topology", "a network places machines; it holds no rules");
        assert.equal(
            adapterFor("azure-native:network/v20230901:LoadBalancer")?.kind,
            "topology",
            "a load balancer forwards; it holds no rules",
        );
        assert.equal(adapterFor("azure-native:network:ApplicationGateway"), undefined);
    });
});
