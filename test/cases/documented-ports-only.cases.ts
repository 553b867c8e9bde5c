import { PolicyCase as Case, T, UNKNOWN } from "../helpers";

const sg = (...ingress: Record<string, unknown>[]) => ({ ingress });
const rule = (protocol: string | number, from: number | string, to: number | string, extra: Record<string, unknown> = { cidrBlocks: ["10.0.0.0/8"] }) =>
    ({ protocol, fromPort: from, toPort: to, ...extra });
const az = (priority: number, access: string, port: string, source: string, protocol = "Tcp") =>
    ({ name: `r${priority}`, direction: "Inbound", access, priority, protocol, destinationPortRange: port, sourceAddressPrefix: source });

const unknownPorts = (n: number) => sg(...Array.from({ length: n }, () => rule("tcp", UNKNOWN, 22)));
const unverified = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => [new RegExp(`^ingress\\[${from + k}\\] cannot be verified until update: ingress\\[${from + k}\\]\\.fromPort is unknown`)]);

export const valid: Case[] = [
    { name: "a documented tcp port from anywhere", type: T.sg, props: sg(rule("tcp", 5432, 5432, { cidrBlocks: ["0.0.0.0/0"] })) },
    { name: "a documented range", type: T.sg, props: sg(rule("tcp", "2379", "2380")) },
    { name: "dns over udp and tcp", type: T.sg, props: sg(rule("udp", 53, 53), rule(6, 53, 53)) },
    { name: "documented icmp", type: T.sg, props: sg(rule("icmp", -1, -1)) },
    { name: "outbound rules are not inbound", type: T.sg, props: { egress: [rule("-1", 0, 0)] } },
    { name: "deny rules open nothing", type: T.nsg, props: { securityRules: [az(100, "Deny", "*", "*", "*")] } },
    { name: "an allow fully shadowed by an earlier deny opens nothing", type: T.nsg, props: { securityRules: [az(100, "Deny", "9999", "*"), az(200, "Allow", "9999", "10.0.0.0/8")] } },
    { name: "NACL return-traffic range is not a service port", type: T.nacl, props: { ingress: [{ ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 1024, toPort: 65535, cidrBlock: "0.0.0.0/0" }] } },
];

export const invalid: Case[] = [
    { name: "an undocumented port", type: T.sg, props: sg(rule("tcp", 9999, 9999)), errors: [[/^ingress\[0\] \(from 10\.0\.0\.0\/8\) opens tcp 9999 \(undocumented\), which ports.yaml does not document/, /\{ name: <service>, ports: \[9999\], protocol: tcp, owner: <team> \}/]] },
    { name: "a range partly documented lists only the undocumented part", type: T.sg, props: sg(rule("tcp", 5430, 5435)), errors: [[/tcp 5430-5431, 5433-5435 \(5 undocumented ports\)/, /ports: \["5430-5431", "5433-5435"\]/]] },
    { name: "a port documented for tcp only, opened for udp", type: T.sg, props: sg(rule("udp", 5432, 5432)), errors: [[/udp 5432 \(undocumented\)/, /protocol: udp/]] },
    { name: "0-65535 is too wide to document", type: T.sg, props: sg(rule("tcp", 0, 65535, { securityGroups: ["sg-0abc"] })), errors: [[/from security-group sg-0abc/, /65527 undocumented ports/, /narrow the rule/]] },
    { name: "protocol all opens undocumented ports of every protocol", type: T.sg, props: sg(rule("-1", 0, 0, { self: true })), errors: [[/tcp .*undocumented ports.*; udp .*undocumented ports/]] },
    { name: "Azure * port", type: T.nsg, props: { securityRules: [az(100, "Allow", "*", "VirtualNetwork")] }, errors: [[/securityRules\[0\] \(from service-tag VirtualNetwork\) opens tcp/]] },
    { name: "an allow only partly shadowed still opens the port", type: T.nsg, props: { securityRules: [az(100, "Deny", "9999", "10.0.0.0/9"), az(200, "Allow", "9999", "10.0.0.0/8")] }, errors: [[/securityRules\[1\]/]] },
    { name: "NACL ports below the ephemeral range must be documented", type: T.nacl, props: { ingress: [{ ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlock: "10.0.0.0/8" }] }, errors: [[/tcp 0-21, 23-52, 54-79, 81-442 and 1 more ranges \(1020 undocumented ports\)/, /narrow the rule/]] },
    { name: "standalone rule", type: T.vpcIngress, props: { ipProtocol: "udp", fromPort: 500, toPort: 500, cidrIpv4: "10.0.0.0/8" }, errors: [[/^this rule .* opens udp 500/]] },
    { name: "unknown ports are advisory", type: T.sg, props: sg(rule("tcp", UNKNOWN, 22)), advisories: [[/ingress\[0\]\.fromPort is unknown/]] },
    { name: "notes cap: 2 rules with unknown ports, one note each", type: T.sg, props: unknownPorts(2), advisories: unverified(0, 2) },
    { name: "notes cap: 5 rules with unknown ports, one note each and no summary", type: T.sg, props: unknownPorts(5), advisories: unverified(0, 5) },
    {
        name: "notes cap: 7 rules with unknown ports, the last two in a summary",
        type: T.sg, props: unknownPorts(7),
        advisories: [...unverified(0, 5), [/^… and 2 more rules of this resource cannot be verified \(ingress\[5\], ingress\[6\]\); documented-ports-only notes only the first 5 one by one\.$/]],
    },
    {
        name: "notes cap: unreadable elements count like rules; an unknown egress list is not counted for inbound",
        type: T.sg, props: { ingress: [null, null, null, null, rule("tcp", UNKNOWN, 22), null], egress: UNKNOWN },
        advisories: [
            ...[0, 1, 2, 3, 5].map((i) => [new RegExp(`^ingress\\[${i}\\] is not a rule object`)]),
            [/^… and 1 more rule of this resource cannot be verified \(ingress\[4\]\)/],
        ],
    },
    { name: "an unknown source does not hide an undocumented port", type: T.sg, props: sg(rule("tcp", 9999, 9999, { cidrBlocks: [UNKNOWN] })), errors: [[/tcp 9999/]] },
];

