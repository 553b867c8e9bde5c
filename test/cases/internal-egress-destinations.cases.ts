import { PolicyCase as Case, T } from "../helpers";

const egress = (...rules: Record<string, unknown>[]) => ({ egress: rules });
const out = (protocol: string, from: number, to: number, cidrBlocks: string[]) => ({ protocol, fromPort: from, toPort: to, cidrBlocks });
const nsgOut = (port: string, dest: string) => ({
    securityRules: [
        {
            direction: "Outbound",
            access: "Allow",
            priority: 100,
            protocol: "Tcp",
            destinationPortRange: port,
            destinationAddressPrefix: dest,
        },
    ],
});

export const valid: Case[] = [
    { name: "AWS: HTTPS to the internet (a public port)", type: T.sg, props: egress(out("tcp", 443, 443, ["0.0.0.0/0"])) },
    { name: "AWS: postgres to a known range", type: T.sg, props: egress(out("tcp", 5432, 5432, ["10.20.0.0/16"])) },
    {
        name: "AWS: the default egress rule when configured to ignore it",
        type: T.sg,
        props: egress(out("-1", 0, 0, ["0.0.0.0/0"])),
        config: { defaultEgress: "ignore" },
    },
    { name: "inbound rules are not egress", type: T.sg, props: { ingress: [out("tcp", 22, 22, ["0.0.0.0/0"])] } },
    { name: "Azure: SQL to the virtual network", type: T.nsg, props: nsgOut("1433", "VirtualNetwork") },
];

export const invalid: Case[] = [
    {
        name: "AWS: the default egress rule, once per resource",
        type: T.sg,
        props: egress(out("-1", 0, 0, ["0.0.0.0/0"]), { protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }),
        errors: [["defaultEgress", "egress[0]", { rules: "egress[0] (to 0.0.0.0/0) and egress[1] (to ::/0)" }, "fixDefaultEgress"]],
    },
    {
        name: "AWS: SSH to the internet",
        type: T.sg,
        props: egress(out("tcp", 22, 22, ["0.0.0.0/0"])),
        errors: [["outside", "egress[0]", { rule: "egress[0]", ports: "tcp 22 (ssh)", destinations: "0.0.0.0/0" }, "fixDestinations"]],
    },
    {
        name: "AWS: a database port to a public block",
        type: T.vpcEgress,
        props: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "203.0.113.0/24" },
        errors: [
            [
                "outside",
                "this rule",
                { rule: "this rule", ports: "tcp 5432 (postgres)", destinations: "203.0.113.0/24" },
                "fixDestinations",
            ],
        ],
    },
    {
        name: "Azure: SMB-like undocumented port to Internet",
        type: T.nsg,
        props: nsgOut("445", "Internet"),
        errors: [
            [
                "outside",
                "securityRules[0]",
                { rule: "securityRules[0] (priority 100)", ports: "tcp 445 (undocumented)", destinations: "Internet" },
                "fixDestinations",
            ],
        ],
    },
];
