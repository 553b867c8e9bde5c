import { PolicyCase as Case, T, UNKNOWN } from "../helpers";

const sg = (...ingress: Record<string, unknown>[]) => ({ ingress });
const tcp = (port: number | string, cidrBlocks: string[], extra: Record<string, unknown> = {}) =>
    ({ protocol: "tcp", fromPort: port, toPort: port, cidrBlocks, ...extra });
const nsg = (...securityRules: Record<string, unknown>[]) => ({ securityRules });
const az = (priority: number, access: string, port: string, source: string, extra: Record<string, unknown> = {}) =>
    ({ name: `r${priority}`, direction: "Inbound", access, priority, protocol: "Tcp", destinationPortRange: port, sourceAddressPrefix: source, ...extra });
/** Patterns for the one-by-one notes of rules from..to-1 whose source is unknown. */
const unverified = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => [new RegExp(`^ingress\\[${from + k}\\] cannot be verified until update`)]);
const unknownSources = (n: number) => Array.from({ length: n }, () => tcp(5432, [UNKNOWN]));
const acl = (ruleNo: number, action: string, from: number, to: number, cidrBlock: string, protocol = "tcp") => ({ ruleNo, action, protocol, fromPort: from, toPort: to, cidrBlock });

export const valid: Case[] = [
    { name: "a public port (443) open to 0.0.0.0/0", type: T.sg, props: sg(tcp(443, ["0.0.0.0/0"]), tcp(80, ["0.0.0.0/0"], { ipv6CidrBlocks: ["::/0"] })) },
    { name: "an internal port limited to a private range", type: T.sg, props: sg(tcp(5432, ["10.0.0.0/8"])) },
    { name: "half of IPv4 is not the whole internet (known-source-cidrs covers it)", type: T.sg, props: sg(tcp(5432, ["0.0.0.0/1"])) },
    { name: "a security-group source is never the world", type: T.sg, props: sg({ protocol: "-1", fromPort: 0, toPort: 0, securityGroups: ["sg-0abc"], self: true }) },
    { name: "outbound to the world is not inbound", type: T.sg, props: { egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] } },
    { name: "ICMP from anywhere when icmp is public", type: T.sg, props: sg({ protocol: "icmp", fromPort: -1, toPort: -1, cidrBlocks: ["0.0.0.0/0"] }) },
    { name: "NSG deny with higher priority (lower number) shadows a later world allow", type: T.nsg, props: nsg(az(100, "Deny", "5432", "*"), az(200, "Allow", "5432", "Internet")) },
    { name: "NSG denies whose sources add up to the world shadow the allow", type: T.nsg, props: nsg(az(100, "Deny", "22", "0.0.0.0/1"), az(110, "Deny", "22", "128.0.0.0/1"), az(200, "Allow", "22", "0.0.0.0/0")) },
    { name: "NACL deny with a lower rule number shadows the allow for the ports it covers", type: T.nacl, props: { ingress: [acl(50, "deny", 22, 22, "0.0.0.0/0"), acl(100, "allow", 22, 22, "0.0.0.0/0"), acl(110, "allow", 443, 443, "0.0.0.0/0")] } },
    { name: "a standalone rule to a public port", type: T.sgRule, props: { type: "ingress", protocol: "tcp", fromPort: "443", toPort: "443", cidrBlocks: ["0.0.0.0/0"] } },
    { name: "unsupported resource types are ignored", type: "aws:s3/bucket:Bucket", props: { ingress: [tcp(22, ["0.0.0.0/0"])] } },
    { name: "NACL return traffic can be ignored by config", type: T.nacl, props: { ingress: [acl(100, "allow", 1024, 65535, "0.0.0.0/0")] }, config: { naclReturnTraffic: "ignore" } },
    { name: "an NSG without rules", type: T.nsg, props: nsg() },
    { name: "an active exemption in ports.yaml removes the violation", type: T.sg, resourceName: "bastion", props: sg(tcp(22, ["0.0.0.0/0"])) },
    { name: "unverifiable notes can be switched off", type: T.sg, props: sg(tcp(5432, [UNKNOWN])), config: { reportUnverifiable: false } },
];

export const invalid: Case[] = [
    { name: "with exemptionNotes an exempted finding is an advisory note naming the exemption", type: T.sg, resourceName: "bastion", config: { exemptionNotes: true }, props: sg(tcp(22, ["0.0.0.0/0"])), advisories: [[/^Exempted by ports\.yaml:\d+ \("SSH bastion watched by the SOC"\) until 2099-12-31: ingress\[0\]/]] },
    { name: "an expired exemption gives the violation and says it expired", type: T.sg, resourceName: "legacy-api", props: sg(tcp(22, ["0.0.0.0/0"])), errors: [[/tcp 22 \(ssh\)/, /The exemption for legacy-api in ports\.yaml expired on 2020-01-31\.\)$/]] },
    { name: "SSH from 0.0.0.0/0", type: T.sg, props: sg(tcp(22, ["0.0.0.0/0"])), errors: [[/^ingress\[0\] \(from 0\.0\.0\.0\/0\) lets the whole internet reach tcp 22 \(ssh\), which is internal/, /knownCidrs in ports\.yaml \(10\.0\.0\.0\/8\)/, /public: true/]] },
    { name: "PostgreSQL from ::/0", type: T.sg, props: sg(tcp(5432, [], { ipv6CidrBlocks: ["::/0"] })), errors: [[/ingress\[0\] \(from ::\/0\)/, /tcp 5432 \(postgres\)/]] },
    { name: "another IPv6 /0 spelling", type: T.sg, props: sg(tcp(6379, [], { ipv6CidrBlocks: ["0:0:0:0:0:0:0:0/0"] })), errors: [[/tcp 6379 \(redis\)/]] },
    { name: "protocol -1 opens every internal port", type: T.sg, props: sg({ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }), errors: [[/tcp 22 \(ssh\), 53 \(dns\), 2379-2380 \(etcd\)/, /undocumented ports/, /udp 53 \(dns\)/, /^(?!.*add one).*should be narrowed to the ports its service needs\.$/s]] },
    { name: "a range that contains an internal port", type: T.sg, props: sg({ protocol: "tcp", fromPort: "5000", toPort: "6000", cidrBlocks: ["0.0.0.0/0"] }), errors: [[/tcp 5432 \(postgres\), 5000-5431, 5433-6000 \(1000 undocumented ports\)/]] },
    { name: "protocol number 6 and port strings", type: T.sg, props: sg({ protocol: "6", fromPort: "2379", toPort: "2380", cidrBlocks: ["0.0.0.0/0"] }), errors: [[/tcp 2379-2380 \(etcd\)/]] },
    { name: "an undocumented port is internal too", type: T.sg, props: sg(tcp(9999, ["0.0.0.0/0"])), errors: [[/tcp 9999 \(undocumented\)/, /name: <service>, ports: \[9999\], protocol: tcp, public: true/]] },
    { name: "0.0.0.0/1 + 128.0.0.0/1 split across rules", type: T.sg, props: sg(tcp(5432, ["0.0.0.0/1"]), tcp(5432, ["128.0.0.0/1"])), errors: [[/^ingress\[0\] \(from 0\.0\.0\.0\/1\), ingress\[1\] \(from 128\.0\.0\.0\/1\) together let the whole internet reach tcp 5432/]] },
    { name: "the split inside one rule", type: T.sg, props: sg(tcp(22, ["128.0.0.0/1", "0.0.0.0/1"])), errors: [[/tcp 22 \(ssh\)/]] },
    { name: "Azure *", type: T.nsg, props: nsg(az(100, "Allow", "5432", "*")), errors: [[/securityRules\[0\] \(from \*\)/, /tcp 5432 \(postgres\)/]] },
    { name: "Azure Internet", type: T.nsg, props: nsg(az(100, "Allow", "3389-3389", "Internet")), errors: [[/from Internet/, /tcp 3389 \(undocumented\)/]] },
    { name: "Azure Any in any case", type: T.nsg, props: nsg(az(100, "Allow", "22", "ANY")), errors: [[/from ANY/]] },
    { name: "0.0.0.0/0 in Azure prefixes", type: T.nsg, props: nsg(az(100, "Allow", "22", "", { sourceAddressPrefix: undefined, sourceAddressPrefixes: ["10.0.0.0/8", "0.0.0.0/0"] })), errors: [[/from 10\.0\.0\.0\/8, 0\.0\.0\.0\/0/]] },
    { name: "a deny that runs after the allow does not shadow it", type: T.nsg, props: nsg(az(300, "Deny", "22", "*"), az(200, "Allow", "22", "*")), errors: [[/securityRules\[1\]/]] },
    { name: "a partial deny still leaves the internet in", type: T.nsg, props: nsg(az(100, "Deny", "22", "10.0.0.0/8"), az(200, "Allow", "22", "*")), errors: [[/securityRules\[1\]/]] },
    { name: "a deny covers only its own ports", type: T.nsg, props: nsg(az(100, "Deny", "22", "*"), az(200, "Allow", "20-23", "*")), errors: [[/tcp 20-21, 23 \(3 undocumented ports\)/]] },
    { name: "standalone SecurityGroupRule", type: T.sgRule, props: { type: "ingress", protocol: "tcp", fromPort: 6379, toPort: 6379, cidrBlocks: ["0.0.0.0/0"] }, errors: [[/^this rule \(from 0\.0\.0\.0\/0\)/, /redis/]] },
    { name: "vpc ingress rule, all protocols from ::/0", type: T.vpcIngress, props: { ipProtocol: "-1", cidrIpv6: "::/0" }, errors: [[/tcp 22 \(ssh\)/]] },
    { name: "standalone Azure SecurityRule", type: T.nsgRule, props: az(100, "Allow", "22", "Internet"), errors: [[/^this rule \(from Internet\)/]] },
    {
        name: "NACL: world below the ephemeral range blocks; inside it is an advisory note",
        type: T.defaultNacl,
        props: { ingress: [acl(100, "allow", 0, 0, "0.0.0.0/0", "-1")] },
        errors: [[/tcp 22 \(ssh\), 53 \(dns\)/]],
        advisories: [[/as return traffic/, /tcp 2379-2380 \(etcd\), 5432 \(postgres\), 6379 \(redis\)/, /deny entries/]],
    },
    { name: "NACL return traffic as a violation when configured", type: T.nacl, props: { ingress: [acl(100, "allow", 1024, 65535, "0.0.0.0/0")] }, config: { naclReturnTraffic: "mandatory" }, errors: [[/as return traffic/, /5432 \(postgres\)/]] },
    {
        name: "a known violation is reported even when another rule is unknown",
        type: T.sg,
        props: sg(tcp(22, ["0.0.0.0/0"]), tcp(5432, [UNKNOWN])),
        errors: [[/^ingress\[0\]/, /ssh/]],
        advisories: [[/^ingress\[1\] cannot be verified until update: ingress\[1\]\.cidrBlocks\[0\] is unknown during preview/]],
    },
    { name: "unknown ports on a world rule are advisory", type: T.sg, props: sg(tcp(UNKNOWN, ["0.0.0.0/0"])), advisories: [[/ingress\[0\]\.fromPort, ingress\[0\]\.toPort are unknown/]] },
    { name: "a whole unknown list is advisory", type: T.nsg, props: { securityRules: UNKNOWN }, advisories: [[/securityRules is unknown until update/]] },
    // At most MAX_UNRESOLVED_RULES (5) rules are noted one by one; the rest share one note with their exact count.
    { name: "notes cap: 4 unverifiable rules, one note each", type: T.sg, props: sg(...unknownSources(4)), advisories: unverified(0, 4) },
    { name: "notes cap: 5 unverifiable rules, one note each and no summary", type: T.sg, props: sg(...unknownSources(5)), advisories: unverified(0, 5) },
    {
        name: "notes cap: 6 unverifiable rules, the sixth in a summary",
        type: T.sg, props: sg(...unknownSources(6)),
        advisories: [...unverified(0, 5), [/^… and 1 more rule of this resource cannot be verified \(ingress\[5\]\); no-world-open-internal-ports notes only the first 5 one by one\.$/]],
    },
    {
        name: "notes cap: 5,000 unreadable rules give 5 notes and one summary with the exact count",
        type: T.sg, props: { ingress: Array.from({ length: 5000 }, () => null) },
        advisories: [
            ...[0, 1, 2, 3, 4].map((i) => [new RegExp(`^ingress\\[${i}\\] is not a rule object`)]),
            [/^… and 4995 more rules of this resource cannot be verified \(ingress\[5\], ingress\[6\], ingress\[7\] and 4992 more\)/],
        ],
    },
    {
        name: "notes cap: counts rules, not notes (a rule with two notes counts once)",
        type: T.sg, props: sg({ protocol: "tcp", fromPort: UNKNOWN, toPort: 22, cidrBlocks: ["0.0.0.0/0", 7] }, ...unknownSources(5)),
        advisories: [[/^ingress\[0\] cannot be verified until update/], [/^ingress\[0\] could not be fully read/], ...unverified(1, 5), [/^… and 1 more rule .*\(ingress\[5\]\)/]],
    },
    {
        name: "notes cap: a violation is still reported above the cap",
        type: T.sg, props: sg(tcp(22, ["0.0.0.0/0"]), ...unknownSources(7)),
        errors: [[/^ingress\[0\] \(from 0\.0\.0\.0\/0\)/, /ssh/]],
        advisories: [...unverified(1, 6), [/^… and 2 more rules of this resource cannot be verified \(ingress\[6\], ingress\[7\]\)/]],
    },
    { name: "a malformed rule is advisory, never a crash", type: T.sg, props: { ingress: [null, "x", { protocol: {}, fromPort: [], cidrBlocks: "0.0.0.0/0" }] }, advisories: [[/ingress\[0\] is not a rule object/], [/ingress\[1\] is not a rule object/], [/ingress\[2\] could not be fully read: ingress\[2\]\.protocol is not a protocol name or number/]] },
];

