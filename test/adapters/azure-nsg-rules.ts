// NSG security rules as both Azure providers write them (azure-native `securityRules` and the classic
// provider's), and the cases both adapters must read alike.
import { AdapterCase, nsgInbound, UNKNOWN } from "../helpers";

/** One security rule: inbound, allow, priority 100, Tcp from any source port to any destination, with `over` on top. */
export const rule = (over: Record<string, unknown>) =>
    nsgInbound({ name: "r", sourcePortRange: "*", destinationAddressPrefix: "*", ...over });

export const NSG_RULE_CASES: readonly AdapterCase[] = [
    {
        name: "inline rules: priority, access and direction in any case",
        props: {
            securityRules: [
                rule({ destinationPortRange: "5432", sourceAddressPrefix: "10.0.0.0/8" }),
                rule({
                    direction: "OUTBOUND",
                    access: "deny",
                    priority: "4096",
                    protocol: "*",
                    destinationPortRange: "*",
                    destinationAddressPrefix: "Internet",
                }),
            ],
        },
        rules: [
            "securityRules[0]: inbound allow tcp 5432 from 10.0.0.0/8 #100",
            "securityRules[1]: outbound deny all 0-65535 (all ports) from Internet #4096",
        ],
    },
    {
        name: "every world spelling of the source",
        props: {
            securityRules: ["*", "Internet", "ANY", "any", "0.0.0.0/0", "::/0"].map((s, i) =>
                rule({ priority: 100 + i, destinationPortRange: "3389", sourceAddressPrefix: s }),
            ),
        },
        rules: [
            "securityRules[0]: inbound allow tcp 3389 from * #100",
            "securityRules[1]: inbound allow tcp 3389 from Internet #101",
            "securityRules[2]: inbound allow tcp 3389 from ANY #102",
            "securityRules[3]: inbound allow tcp 3389 from any #103",
            "securityRules[4]: inbound allow tcp 3389 from 0.0.0.0/0 #104",
            "securityRules[5]: inbound allow tcp 3389 from ::/0 #105",
        ],
    },
    {
        name: "port lists, ranges, address prefix lists",
        props: {
            securityRules: [
                rule({ destinationPortRanges: ["2379-2380", "5432", 6379], sourceAddressPrefixes: ["10.0.0.0/8", "2001:db8::/32"] }),
            ],
        },
        rules: ["securityRules[0]: inbound allow tcp 2379-2380, 5432, 6379 from 10.0.0.0/8 2001:db8::/32 #100"],
    },
    {
        name: "an unknown rule list",
        props: { securityRules: UNKNOWN },
        rules: [],
        unknown: ["securityRules"],
    },
];
