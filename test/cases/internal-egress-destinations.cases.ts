import { PolicyCase as Case, T } from "../helpers";

const egress = (...rules: Record<string, unknown>[]) => ({ egress: rules });
const out = (protocol: string, from: number, to: number, cidrBlocks: string[]) => ({ protocol, fromPort: from, toPort: to, cidrBlocks });
const nsgOut = (port: string, dest: string) => ({
    securityRules: [{ direction: "Outbound", access: "Allow", priority: 100, protocol: "Tcp", destinationPortRange: port, destinationAddressPrefix: dest }],
});

export const valid: Case[] = [
    { name: "AWS: HTTPS to the internet (a public port)", type: T.sg, props: egress(out("tcp", 443, 443, ["0.0.0.0/0"])) },
    { name: "AWS: postgres to a known range", type: T.sg, props: egress(out("tcp", 5432, 5432, ["10.20.0.0/16"])) },
    { name: "AWS: the default egress rule when configured to ignore it", type: T.sg, props: egress(out("-1", 0, 0, ["0.0.0.0/0"])), config: { defaultEgress: "ignore" } },
    { name: "inbound rules are not egress", type: T.sg, props: { ingress: [out("tcp", 22, 22, ["0.0.0.0/0"])] } },
    { name: "Azure: SQL to the virtual network", type: T.nsg, props: nsgOut("1433", "VirtualNetwork") },
];

export const invalid: Case[] = [
    { name: "AWS: the default egress rule, once per resource", type: T.sg, props: egress(out("-1", 0, 0, ["0.0.0.0/0"]), { protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }), errors: [[/^egress\[0\] \(to 0\.0\.0\.0\/0\), egress\[1\] \(to ::\/0\) allow all outbound traffic to the whole internet/, /defaultEgress: "ignore"/]] },
    { name: "AWS: SSH to the internet", type: T.sg, props: egress(out("tcp", 22, 22, ["0.0.0.0/0"])), errors: [[/^egress\[0\] allows outbound tcp 22 \(ssh\) to 0\.0\.0\.0\/0, outside the known ranges/]] },
    { name: "AWS: a database port to a public block", type: T.vpcEgress, props: { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "203.0.113.0/24" }, errors: [[/^this rule allows outbound tcp 5432 \(postgres\) to 203\.0\.113\.0\/24/]] },
    { name: "Azure: SMB-like undocumented port to Internet", type: T.nsg, props: nsgOut("445", "Internet"), errors: [[/securityRules\[0\] allows outbound tcp 445 \(undocumented\) to Internet/]] },
];
