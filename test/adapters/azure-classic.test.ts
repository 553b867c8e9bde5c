import { FirewallModel } from "../../policies/model/resources";
import { strict as assert } from "assert";
import { adapterFor } from "../../policies/adapters";
import { AdapterCase, adapterCases, normaliseOrFail, UNKNOWN } from "../helpers";
import { Input } from "../../policies/adapters/support/input";
import { NSG_RULE_CASES, rule } from "./azure-nsg-rules";

const NSG = "azure:network/networkSecurityGroup:NetworkSecurityGroup";
const RULE = "azure:network/networkSecurityRule:NetworkSecurityRule";
const ASG = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/applicationSecurityGroups/web";

const cases: AdapterCase[] = [
    {
        name: "tags: string values only",
        props: { tags: { env: "prod", owner: UNKNOWN, cost: 7 }, securityRules: [] },
        rules: [],
        tags: { env: "prod" },
    },
    {
        name: "port 0 is a port; protocol * keeps the port for tcp and udp",
        props: {
            securityRules: [
                rule({ destinationPortRange: "0", sourceAddressPrefix: "VirtualNetwork" }),
                rule({ priority: 110, protocol: "*", destinationPortRange: "53", sourceAddressPrefix: "AzureLoadBalancer" }),
            ],
        },
        rules: [
            "securityRules[0]: inbound allow tcp 0 from service-tag:VirtualNetwork #100",
            "securityRules[1]: inbound allow all 53 from service-tag:AzureLoadBalancer #110",
        ],
    },
    {
        name: "application security groups are plain id strings",
        props: {
            securityRules: [rule({ protocol: "Udp", destinationPortRange: "53", sourceApplicationSecurityGroupIds: [ASG, UNKNOWN] })],
        },
        rules: [`securityRules[0]: inbound allow udp 53 from application-security-group:${ASG} application-security-group #100`],
    },
    {
        name: "outbound rules are read by their destination",
        props: {
            securityRules: [
                rule({
                    direction: "Outbound",
                    destinationPortRange: "443",
                    sourceAddressPrefix: "*",
                    destinationAddressPrefixes: ["0.0.0.0/0"],
                    destinationApplicationSecurityGroupIds: [ASG],
                }),
            ],
        },
        rules: [`securityRules[0]: outbound allow tcp 443 from * 0.0.0.0/0 application-security-group:${ASG} #100`],
    },
    {
        name: "Icmp, Esp and Ah",
        props: {
            securityRules: [
                rule({ protocol: "Icmp", destinationPortRange: "*", sourceAddressPrefix: "*" }),
                rule({ priority: 110, protocol: "Esp", destinationPortRange: "*", sourceAddressPrefix: "*" }),
                rule({ priority: 120, protocol: "ah", destinationPortRange: "*", sourceAddressPrefix: "*" }),
            ],
        },
        rules: [
            "securityRules[0]: inbound allow icmp from * #100",
            "securityRules[1]: inbound allow proto-50 from * #110",
            "securityRules[2]: inbound allow proto-51 from * #120",
        ],
    },
    {
        name: "unknown values per part; missing ports are invalid",
        props: {
            securityRules: [
                rule({ priority: UNKNOWN, destinationPortRange: UNKNOWN, sourceAddressPrefix: "*" }),
                rule({ sourceAddressPrefix: UNKNOWN }),
            ],
        },
        rules: [
            "securityRules[0]: inbound allow tcp no ports from * unknown(securityRules[0].priority) unknown(securityRules[0].destinationPortRange)",
            "securityRules[1]: inbound allow tcp no ports from ? #100 invalid(securityRules[1].destinationPortRange) unknown(securityRules[1].sourceAddressPrefix)",
        ],
    },
    {
        name: "nulls are missing values",
        props: {
            tags: null,
            securityRules: [
                rule({
                    destinationPortRange: null,
                    destinationPortRanges: ["22"],
                    sourceAddressPrefix: null,
                    sourceAddressPrefixes: ["10.0.0.0/8"],
                    sourceApplicationSecurityGroupIds: null,
                }),
            ],
        },
        rules: ["securityRules[0]: inbound allow tcp 22 from 10.0.0.0/8 #100"],
    },
    {
        name: "wrong types are read as problems, never a crash",
        props: {
            securityRules: [
                42,
                null,
                rule({
                    direction: "Sideways",
                    access: 1,
                    priority: 99,
                    protocol: {},
                    destinationPortRange: "70000",
                    sourceAddressPrefix: ["10.0.0.0/33"],
                    sourceApplicationSecurityGroupIds: {},
                }),
            ],
        },
        rules: [
            "securityRules[2]: inbound allow all no ports from - invalid(securityRules[2].direction) invalid(securityRules[2].access) invalid(securityRules[2].priority) " +
                "invalid(securityRules[2].protocol) invalid(securityRules[2].destinationPortRange) invalid(securityRules[2].sourceAddressPrefix[0])",
        ],
        problems: ["securityRules[0] is not a rule object", "securityRules[1] is not a rule object"],
    },
    {
        name: "a rule list that is not a list",
        props: { securityRules: { name: "r" } },
        rules: [],
        problems: ["securityRules is not a list of rules"],
    },
    {
        name: "standalone rule: a single application security group id",
        type: RULE,
        props: rule({
            destinationPortRange: "3389",
            sourceApplicationSecurityGroupIds: ASG,
            networkSecurityGroupName: "nsg",
            resourceGroupName: "rg",
        }),
        rules: [`this rule: inbound allow tcp 3389 from application-security-group:${ASG} #100`],
    },
    {
        name: "standalone rule from Internet",
        type: RULE,
        props: rule({ destinationPortRanges: ["22", "3389"], sourceAddressPrefix: "Internet" }),
        rules: ["this rule: inbound allow tcp 22, 3389 from Internet #100"],
    },
];

describe("Azure classic adapters", () => {
    adapterCases([...NSG_RULE_CASES, ...cases], { type: NSG, provider: "azure", problemsBy: "message", tags: true });
    it("marks secret sources", () => {
        const r = adapterFor(NSG)!.normalise(
            Input.root(
                { securityRules: [rule({ destinationPortRange: "22", sourceAddressPrefix: "0.0.0.0/0" })] },
                new Set(["securityRules[0].sourceAddressPrefix"]),
            ),
            NSG,
        ) as FirewallModel;
        assert.ok(r.rules[0].secret.has("peers"));
    });
    it("keeps an inline rule's name for messages, unless it is secret, unknown or not an Azure name; a standalone rule is named by its resource", () => {
        const names = ["Port_25565", "SSH", UNKNOWN, "has space", "x".repeat(81)];
        const props = {
            securityRules: names.map((name, i) => rule({ name, priority: 100 + i, destinationPortRange: "22", sourceAddressPrefix: "*" })),
        };
        const labels = (secrets: Set<string>) =>
            (adapterFor(NSG)!.normalise(Input.root(props, secrets), NSG) as FirewallModel).rules.map((r) => r.label);
        assert.deepEqual(labels(new Set()), ["Port_25565", "SSH", undefined, undefined, undefined]);
        assert.deepEqual(labels(new Set(["securityRules[1].name"])), ["Port_25565", undefined, undefined, undefined, undefined]);
        assert.deepEqual(labels(new Set(["securityRules"])), [undefined, undefined, undefined, undefined, undefined]);
        assert.equal(
            normaliseOrFail(RULE, rule({ name: "SSH", destinationPortRange: "22", sourceAddressPrefix: "*" })).rules[0].label,
            undefined,
        );
    });
    it("reads destination application security group ids as an inbound rule's targets", () => {
        const r = normaliseOrFail(NSG, {
            securityRules: [
                rule({
                    destinationPortRange: "22",
                    sourceAddressPrefix: "*",
                    destinationAddressPrefix: undefined,
                    destinationApplicationSecurityGroupIds: [ASG],
                }),
            ],
        }).rules[0];
        assert.deepEqual(
            r.targets?.symbols.map((s) => [s.kind, s.ref?.literal]),
            [["application-security-group", ASG]],
        );
    });
    it("knows the standalone rule's group and does not claim other azure types", () => {
        assert.deepEqual(
            normaliseOrFail(RULE, rule({ destinationPortRange: "22", sourceAddressPrefix: "*", networkSecurityGroupName: "nsg" }))
                .attachedTo,
            { property: "networkSecurityGroupName", literal: "nsg" },
        );
        assert.equal(
            adapterFor("azure:network/virtualNetwork:VirtualNetwork")?.kind,
            "topology",
            "a network places machines; it holds no rules",
        );
        assert.equal(adapterFor("azure:network/loadBalancer:LoadBalancer"), undefined);
    });
});
