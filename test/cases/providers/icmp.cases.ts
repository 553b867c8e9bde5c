// ICMP is not a port, on every provider: a ping rule from the world is judged only when ports.yaml
// declares ICMP (a service with protocol icmp or all), and then against that entry. Other portless
// protocols (GRE, ESP, AH) are never port rules.
import { INTERNAL_ICMP_REGISTRY, NO_ICMP_REGISTRY, PolicyCase, T, nsgInbound } from "../../helpers";
import { CaseTable } from "../index";

const GCP = "gcp:compute/firewall:Firewall";
const DO = "digitalocean:index/firewall:Firewall";
const AZ_CLASSIC = "azure:network/networkSecurityGroup:NetworkSecurityGroup";
const AWS_NATIVE = "aws-native:ec2:SecurityGroup";
const WORLD = "0.0.0.0/0";

/** A ping from the whole internet, as each provider writes it, with the rule's origin and how the pack names its sources. */
const pings: { name: string; type: string; props: Record<string, unknown>; origin: string; rules: string }[] = [
    {
        name: "AWS security group protocol icmp",
        type: T.sg,
        props: { ingress: [{ protocol: "icmp", fromPort: -1, toPort: -1, cidrBlocks: [WORLD] }] },
        origin: "ingress[0]",
        rules: "ingress[0] (from 0.0.0.0/0)",
    },
    {
        name: "AWS security group ICMPv6 from ::/0",
        type: T.sg,
        props: { ingress: [{ protocol: "58", fromPort: -1, toPort: -1, ipv6CidrBlocks: ["::/0"] }] },
        origin: "ingress[0]",
        rules: "ingress[0] (from ::/0)",
    },
    {
        name: "AWS network ACL protocol 1",
        type: T.nacl,
        props: {
            ingress: [{ ruleNo: 100, action: "allow", protocol: "1", fromPort: 0, toPort: 0, icmpType: 8, icmpCode: 0, cidrBlock: WORLD }],
        },
        origin: "ingress[0]",
        rules: "ingress[0] (rule 100, from 0.0.0.0/0)",
    },
    {
        name: "AWS native ipProtocol icmp",
        type: AWS_NATIVE,
        props: { securityGroupIngress: [{ ipProtocol: "icmp", fromPort: 8, toPort: -1, cidrIp: WORLD }] },
        origin: "securityGroupIngress[0]",
        rules: "securityGroupIngress[0] (from 0.0.0.0/0)",
    },
    {
        name: "Azure native NSG Icmp from *",
        type: T.nsg,
        props: {
            securityRules: [
                {
                    name: "ping",
                    direction: "Inbound",
                    access: "Allow",
                    priority: 100,
                    protocol: "Icmp",
                    destinationPortRange: "*",
                    sourceAddressPrefix: "*",
                },
            ],
        },
        origin: "securityRules[0]",
        rules: 'securityRules[0] "ping" (priority 100, from *)',
    },
    {
        name: "Azure classic NSG Icmp from Internet",
        type: AZ_CLASSIC,
        props: {
            securityRules: [
                {
                    name: "ping",
                    direction: "Inbound",
                    access: "Allow",
                    priority: 100,
                    protocol: "Icmp",
                    sourcePortRange: "*",
                    destinationPortRange: "*",
                    sourceAddressPrefix: "Internet",
                    destinationAddressPrefix: "*",
                },
            ],
        },
        origin: "securityRules[0]",
        rules: 'securityRules[0] "ping" (priority 100, from Internet)',
    },
    {
        name: "GCP allows icmp without a source (GCP's default 0.0.0.0/0)",
        type: GCP,
        props: { network: "default", allows: [{ protocol: "icmp" }] },
        origin: "allows[0]",
        rules: "allows[0] (priority 1000, from 0.0.0.0/0, GCP's default when no source is set)",
    },
    {
        name: "DigitalOcean icmp from 0.0.0.0/0 and ::/0",
        type: DO,
        props: { name: "fw", inboundRules: [{ protocol: "icmp", sourceAddresses: [WORLD, "::/0"] }] },
        origin: "inboundRules[0]",
        rules: "inboundRules[0] (from 0.0.0.0/0 and ::/0)",
    },
];

const undeclared = (p: (typeof pings)[number]): PolicyCase => ({
    name: `${p.name}: not judged when ports.yaml declares no ICMP`,
    type: p.type,
    props: p.props,
    registryYaml: NO_ICMP_REGISTRY,
});

const noWorld: CaseTable = {
    valid: [
        ...pings.map(undeclared),
        ...pings.map((p): PolicyCase => ({ name: `${p.name}: passes when ICMP is declared public`, type: p.type, props: p.props })),
        {
            name: "GRE from the world is no port rule",
            type: T.nsg,
            registryYaml: NO_ICMP_REGISTRY,
            props: {
                securityRules: [nsgInbound({ protocol: "47", destinationPortRange: "*", sourceAddressPrefix: "*" })],
            },
        },
        {
            name: "ESP and AH from the world are no port rules",
            type: T.nsg,
            props: {
                securityRules: [
                    nsgInbound({ protocol: "Esp", destinationPortRange: "*", sourceAddressPrefix: "*" }),
                    {
                        direction: "Inbound",
                        access: "Allow",
                        priority: 110,
                        protocol: "Ah",
                        destinationPortRange: "*",
                        sourceAddressPrefix: "*",
                    },
                ],
            },
        },
    ],
    invalid: [
        ...pings.map((p): PolicyCase => ({
            name: `${p.name}: judged against a declared, non-public ICMP entry`,
            type: p.type,
            props: p.props,
            registryYaml: INTERNAL_ICMP_REGISTRY,
            errors: [["worldOpen", p.origin, { rules: p.rules, ports: "icmp (ping)" }, "fixSources"]],
        })),
        {
            name: "protocol all from the world without declared ICMP: the ports are judged, ICMP is not mentioned",
            type: T.sg,
            registryYaml: NO_ICMP_REGISTRY,
            props: { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: [WORLD] }] },
            errors: [
                [
                    "worldOpen",
                    "ingress[0]",
                    { rules: "ingress[0] (from 0.0.0.0/0)", ports: /^tcp 22 \(ssh\).*; udp 53 \(dns\), [^;]*$/ },
                    "fixWide",
                ],
            ],
        },
    ],
};

const documented: CaseTable = {
    valid: [
        ...pings.map(undeclared),
        ...pings.map((p): PolicyCase => ({
            name: `${p.name}: documented by a non-public ICMP entry`,
            type: p.type,
            props: p.props,
            registryYaml: INTERNAL_ICMP_REGISTRY,
        })),
    ],
    invalid: [
        {
            name: "protocol all without declared ICMP asks only for its ports",
            type: T.sg,
            registryYaml: NO_ICMP_REGISTRY,
            props: { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["10.0.0.0/8"] }] },
            errors: [
                ["undocumented", "ingress[0]", { rule: "ingress[0] (from 10.0.0.0/8)", ports: /^tcp [^;]*; udp [^;]*$/ }, "fixNarrow"],
            ],
        },
    ],
};

const knownSources: CaseTable = {
    valid: [
        {
            name: "a ping from a public block is not judged when ICMP is undeclared",
            type: T.sg,
            registryYaml: NO_ICMP_REGISTRY,
            props: { ingress: [{ protocol: "icmp", fromPort: -1, toPort: -1, cidrBlocks: ["203.0.113.0/24"] }] },
        },
    ],
    invalid: [
        {
            name: "a ping from a public block is judged when ICMP is declared internal",
            type: T.sg,
            registryYaml: INTERNAL_ICMP_REGISTRY,
            props: { ingress: [{ protocol: "icmp", fromPort: -1, toPort: -1, cidrBlocks: ["203.0.113.0/24"] }] },
            errors: [
                [
                    "outside",
                    "ingress[0]",
                    { rule: "ingress[0]", sources: "203.0.113.0/24", where: "icmp (ping), outside knownCidrs: 10.0.0.0/8" },
                    "fixSources",
                ],
            ],
        },
    ],
};

export const cases: Record<string, CaseTable> = {
    "no-world-open-internal-ports": noWorld,
    "documented-ports-only": documented,
    "known-source-cidrs": knownSources,
};
