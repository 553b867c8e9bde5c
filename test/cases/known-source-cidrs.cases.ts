import { PolicyCase as Case, T } from "../helpers";

const sg = (port: number, cidrBlocks: string[], extra: Record<string, unknown> = {}) => ({
    ingress: [{ protocol: "tcp", fromPort: port, toPort: port, cidrBlocks, ...extra }],
});
const nsg = (port: string, source: string | string[]) => ({
    securityRules: [
        {
            direction: "Inbound",
            access: "Allow",
            priority: 100,
            protocol: "Tcp",
            destinationPortRange: port,
            ...(Array.isArray(source) ? { sourceAddressPrefixes: source } : { sourceAddressPrefix: source }),
        },
    ],
});

export const valid: Case[] = [
    { name: "AWS: an internal port from inside knownCidrs", type: T.sg, props: sg(22, ["10.9.0.0/16"]) },
    { name: "AWS: a public port from anywhere", type: T.sg, props: sg(443, ["203.0.113.0/24"]) },
    { name: "AWS: postgres from inside its allowedSources", type: T.sg, props: sg(5432, ["10.20.3.0/24"]) },
    {
        name: "AWS: the whole internet is no-world-open-internal-ports' concern, not repeated here",
        type: T.sg,
        props: sg(22, ["0.0.0.0/0"]),
    },
    { name: "AWS: security-group sources", type: T.sg, props: sg(22, [], { securityGroups: ["sg-0abc"] }) },
    { name: "Azure: a service tag source", type: T.nsg, props: nsg("22", "VirtualNetwork") },
    {
        name: "single addresses can be left to review by config",
        type: T.sg,
        props: sg(22, ["198.51.100.7/32"]),
        config: { reportSingleAddresses: false },
    },
];

export const invalid: Case[] = [
    {
        name: "AWS: a public /24 on SSH",
        type: T.sg,
        props: sg(22, ["203.0.113.0/24"]),
        errors: [
            [
                "outside",
                "ingress[0]",
                { rule: "ingress[0]", sources: "203.0.113.0/24", where: "tcp 22 (ssh), outside knownCidrs: 10.0.0.0/8" },
                "fixSources",
            ],
        ],
    },
    {
        name: "AWS: an engineer's home address",
        type: T.sg,
        props: sg(6379, ["198.51.100.7/32", "10.1.0.0/16"]),
        errors: [
            [
                "outside",
                "ingress[0]",
                { rule: "ingress[0]", sources: "198.51.100.7/32", where: "tcp 6379 (redis), outside knownCidrs: 10.0.0.0/8" },
                "fixSources",
            ],
        ],
    },
    {
        name: "AWS: half the internet",
        type: T.sg,
        props: sg(22, ["0.0.0.0/1"]),
        errors: [
            [
                "outside",
                "ingress[0]",
                { rule: "ingress[0]", sources: "0.0.0.0/1", where: "tcp 22 (ssh), outside knownCidrs: 10.0.0.0/8" },
                "fixSources",
            ],
        ],
    },
    {
        name: "AWS: postgres from a known range outside its allowedSources",
        type: T.sg,
        props: sg(5432, ["10.9.0.0/16"]),
        errors: [
            [
                "outside",
                "ingress[0]",
                {
                    rule: "ingress[0]",
                    sources: "10.9.0.0/16",
                    where: "tcp 5432 (postgres), outside postgres's allowedSources: 10.20.0.0/16",
                },
                "fixSources",
            ],
        ],
    },
    {
        name: "Azure: a public block in prefixes",
        type: T.nsg,
        props: nsg("5432", ["10.20.0.0/16", "192.0.2.0/24"]),
        errors: [
            [
                "outside",
                "securityRules[0]",
                {
                    rule: "securityRules[0] (priority 100)",
                    sources: "192.0.2.0/24",
                    where: "tcp 5432 (postgres), outside postgres's allowedSources: 10.20.0.0/16",
                },
                "fixSources",
            ],
        ],
    },
    {
        name: "Azure: an undocumented port from outside",
        type: T.nsg,
        props: nsg("9999", "192.0.2.10"),
        errors: [
            [
                "outside",
                "securityRules[0]",
                {
                    rule: "securityRules[0] (priority 100)",
                    sources: "192.0.2.10/32",
                    where: "tcp 9999 (undocumented), outside knownCidrs: 10.0.0.0/8",
                },
                "fixSources",
            ],
        ],
    },
];
