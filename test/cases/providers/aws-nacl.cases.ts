// AWS network ACLs, for every policy that reads allows: what a stateless entry means (README "How
// the rules are read"). Return traffic is the ephemeral range opened as such; an entry that allows
// everything is an ACL that does not filter; any narrow entry naming an internal port is a service
// opening, judged like any other rule.
import { NACL_REGISTRY, PolicyCase, T, TEST_REGISTRY_YAML } from "../../helpers";
import { CaseTable } from "../index";

const WORLD = "0.0.0.0/0";
type Entry = Record<string, unknown>;
const entry = (ruleNo: number, protocol: string, from: number, to: number, cidr: string, extra: Entry = {}): Entry => ({
    ruleNo,
    action: "allow",
    protocol,
    fromPort: from,
    toPort: to,
    ...(cidr.includes(":") ? { ipv6CidrBlock: cidr } : { cidrBlock: cidr }),
    ...extra,
});
const acl = (...ingress: Entry[]) => ({ vpcId: "vpc-1", ingress });
const world = (rule: string, ports: string, order?: string) => ({
    rules: `${rule} (${order ? `rule ${order}, ` : ""}from ${WORLD})`,
    ports,
});
const nacl = (c: PolicyCase): PolicyCase => ({ type: T.nacl, registryYaml: NACL_REGISTRY, ...c });

const noWorld: CaseTable = {
    valid: [
        nacl({
            name: "an earlier deny for the port still closes it",
            props: acl(entry(90, "tcp", 3306, 3306, WORLD, { action: "deny" }), entry(100, "tcp", 3306, 3306, WORLD)),
        }),
        nacl({
            name: "an earlier deny closes a service port inside the return-traffic range (no note for it)",
            props: acl(entry(90, "tcp", 50000, 50000, WORLD, { action: "deny" }), entry(140, "tcp", 32768, 65535, WORLD)),
        }),
        nacl({
            name: "return traffic without a documented service inside it needs no note",
            props: acl(entry(140, "tcp", 32768, 65535, WORLD)),
            registryYaml: TEST_REGISTRY_YAML,
        }),
        nacl({
            name: "naclReturnTraffic: ignore silences the return-traffic note",
            props: acl(entry(140, "tcp", 1024, 65535, WORLD)),
            config: { naclReturnTraffic: "ignore" },
        }),
        nacl({ name: "a narrow entry from a known range", props: acl(entry(100, "tcp", 3306, 3306, "10.0.0.0/8")) }),
    ],
    invalid: [
        nacl({
            name: "allow tcp 1024-65535 from 0.0.0.0/0 is return traffic: a note naming the internal ports inside it",
            props: acl(entry(140, "tcp", 1024, 65535, WORLD)),
            advisories: [
                [
                    "returnTraffic",
                    "ingress[0]",
                    world(
                        "ingress[0]",
                        "tcp 2379-2380 (etcd), 3306 (mysql), 5432 (postgres), 6379 (redis), 8080 (app), 50000 (agent)",
                        "140",
                    ),
                    "fixReturnTraffic",
                ],
            ],
        }),
        nacl({
            name: "allow tcp 32768-65535 (Linux's range, inside ephemeralPorts) is return traffic",
            props: acl(entry(140, "tcp", 32768, 65535, WORLD)),
            advisories: [["returnTraffic", "ingress[0]", world("ingress[0]", "tcp 50000 (agent)", "140"), "fixReturnTraffic"]],
        }),
        nacl({
            name: "allow tcp 49152-65535 (IANA's range) is return traffic",
            props: acl(entry(140, "tcp", 49152, 65535, WORLD)),
            advisories: [["returnTraffic", "ingress[0]", world("ingress[0]", "tcp 50000 (agent)", "140"), "fixReturnTraffic"]],
        }),
        nacl({
            name: "allow tcp 3306 from 0.0.0.0/0 opens MySQL: mandatory, though 3306 lies inside ephemeralPorts",
            props: acl(entry(110, "tcp", 3306, 3306, WORLD)),
            errors: [["worldOpen", "ingress[0]", world("ingress[0]", "tcp 3306 (mysql)", "110"), "fixSources"]],
        }),
        nacl({
            name: "allow tcp 5432-5433: a narrow range naming an internal port is judged like any rule",
            props: acl(entry(110, "tcp", 5432, 5433, WORLD)),
            errors: [["worldOpen", "ingress[0]", world("ingress[0]", "tcp 5432 (postgres), 5433 (undocumented)", "110"), "fixSourcesNew"]],
        }),
        nacl({
            name: "allow tcp 3389 from ::/0",
            props: acl(entry(110, "tcp", 3389, 3389, "::/0")),
            errors: [
                [
                    "worldOpen",
                    "ingress[0]",
                    { rules: "ingress[0] (rule 110, from ::/0)", ports: "tcp 3389 (undocumented)" },
                    "fixSourcesNew",
                ],
            ],
        }),
        nacl({
            name: 'protocol "6" for 5432',
            props: acl(entry(110, "6", 5432, 5432, WORLD)),
            errors: [["worldOpen", "ingress[0]", world("ingress[0]", "tcp 5432 (postgres)", "110"), "fixSources"]],
        }),
        nacl({
            name: 'action "ALLOW" and protocol "TCP" for 6379',
            props: acl(entry(110, "TCP", 6379, 6379, WORLD, { action: "ALLOW" })),
            errors: [["worldOpen", "ingress[0]", world("ingress[0]", "tcp 6379 (redis)", "110"), "fixSources"]],
        }),
        nacl({
            name: "a deliberate opening is not hidden by a return-traffic entry covering the same port",
            props: acl(entry(110, "tcp", 3306, 3306, WORLD), entry(140, "tcp", 1024, 65535, WORLD)),
            errors: [["worldOpen", "ingress[0]", world("ingress[0]", "tcp 3306 (mysql)", "110"), "fixSources"]],
            advisories: [
                [
                    "returnTraffic",
                    "ingress[1]",
                    world("ingress[1]", "tcp 2379-2380 (etcd), 5432 (postgres), 6379 (redis), 8080 (app), 50000 (agent)", "140"),
                    "fixReturnTraffic",
                ],
            ],
        }),
        nacl({
            name: "ephemeralPorts narrowed to 49152-65535: an entry for 32768-65535 opens 32768-49151 as service ports",
            registryYaml: `${NACL_REGISTRY}ephemeralPorts: ["49152-65535"]\n`,
            props: acl(entry(140, "tcp", 32768, 65535, WORLD)),
            errors: [["worldOpen", "ingress[0]", world("ingress[0]", "tcp 32768-49151 (16384 undocumented ports)", "140"), "fixWide"]],
            advisories: [["returnTraffic", "ingress[0]", world("ingress[0]", "tcp 50000 (agent)", "140"), "fixReturnTraffic"]],
        }),
        nacl({
            name: "allow all (-1) from the world, IPv4 and IPv6 (the AWS default ACL): one note, never a block",
            type: T.defaultNacl,
            props: { ingress: [entry(100, "-1", 0, 0, WORLD), entry(101, "-1", 0, 0, "::/0")] },
            advisories: [
                [
                    "passThrough",
                    "ingress[0]",
                    { rules: "ingress[0] (rule 100, from 0.0.0.0/0) and ingress[1] (rule 101, from ::/0)" },
                    null,
                ],
            ],
        }),
        nacl({
            name: "tcp 0-65535 from the world passes every tcp port: one note",
            props: acl(entry(100, "tcp", 0, 65535, WORLD)),
            advisories: [["passThrough", "ingress[0]", { rules: "ingress[0] (rule 100, from 0.0.0.0/0)" }, null]],
        }),
        nacl({
            name: "tcp 1-65535 from the world is every usable port too: one note",
            props: acl(entry(100, "tcp", 1, 65535, WORLD)),
            advisories: [["passThrough", "ingress[0]", { rules: "ingress[0] (rule 100, from 0.0.0.0/0)" }, null]],
        }),
        nacl({
            name: "allow all after a narrow opening: the opening is still mandatory, the rest one note",
            props: acl(entry(90, "tcp", 22, 22, WORLD), entry(100, "-1", 0, 0, WORLD)),
            errors: [["worldOpen", "ingress[0]", world("ingress[0]", "tcp 22 (ssh)", "90"), "fixSources"]],
            advisories: [["passThrough", "ingress[1]", { rules: "ingress[1] (rule 100, from 0.0.0.0/0)" }, null]],
        }),
        nacl({
            name: "a standalone NetworkAclRule for 3306 from the world",
            type: T.naclRule,
            props: {
                networkAclId: "acl-1",
                ruleNumber: 110,
                egress: false,
                ruleAction: "allow",
                protocol: "tcp",
                fromPort: 3306,
                toPort: 3306,
                cidrBlock: WORLD,
            },
            errors: [["worldOpen", "this rule", world("this rule", "tcp 3306 (mysql)", "110"), "fixSources"]],
        }),
        nacl({
            name: "a standalone NetworkAclRule for the ephemeral range is return traffic",
            type: T.naclRule,
            props: {
                networkAclId: "acl-1",
                ruleNumber: 140,
                egress: false,
                ruleAction: "allow",
                protocol: "tcp",
                fromPort: 1024,
                toPort: 65535,
                cidrBlock: WORLD,
            },
            advisories: [
                [
                    "returnTraffic",
                    "this rule",
                    world(
                        "this rule",
                        "tcp 2379-2380 (etcd), 3306 (mysql), 5432 (postgres), 6379 (redis), 8080 (app), 50000 (agent)",
                        "140",
                    ),
                    "fixReturnTraffic",
                ],
            ],
        }),
        nacl({
            name: "a DefaultNetworkAcl entry for 5432 from the world",
            type: T.defaultNacl,
            props: { ingress: [entry(110, "tcp", 5432, 5432, WORLD)] },
            errors: [["worldOpen", "ingress[0]", world("ingress[0]", "tcp 5432 (postgres)", "110"), "fixSources"]],
        }),
        nacl({
            name: "naclReturnTraffic: mandatory blocks on return traffic",
            props: acl(entry(140, "tcp", 32768, 65535, WORLD)),
            config: { naclReturnTraffic: "mandatory" },
            errors: [["returnTraffic", "ingress[0]", world("ingress[0]", "tcp 50000 (agent)", "140"), "fixReturnTraffic"]],
        }),
    ],
};

const documented: CaseTable = {
    valid: [
        nacl({ name: "return traffic is not a service port", props: acl(entry(140, "tcp", 1024, 65535, WORLD)) }),
        nacl({ name: "allow all (-1) documents nothing and needs nothing documented", props: acl(entry(100, "-1", 0, 0, "10.0.0.0/8")) }),
    ],
    invalid: [
        nacl({
            name: "a narrow undocumented entry inside the ephemeral range",
            props: acl(entry(110, "udp", 7777, 7777, "10.0.0.0/8")),
            errors: [
                [
                    "undocumented",
                    "ingress[0]",
                    { rule: "ingress[0] (rule 110, from 10.0.0.0/8)", ports: "udp 7777 (undocumented)" },
                    "fixDocument",
                ],
            ],
        }),
    ],
};

const knownSources: CaseTable = {
    valid: [
        nacl({
            name: "return traffic from a partner's block is replies, not access to a service",
            props: acl(entry(140, "tcp", 1024, 65535, "203.0.113.0/24")),
        }),
    ],
    invalid: [
        nacl({
            name: "a narrow entry from a partner's block is access to a service",
            props: acl(entry(110, "tcp", 3306, 3306, "203.0.113.0/24")),
            errors: [
                [
                    "outside",
                    "ingress[0]",
                    { rule: "ingress[0] (rule 110)", sources: "203.0.113.0/24", where: "tcp 3306 (mysql), outside knownCidrs: 10.0.0.0/8" },
                    "fixSources",
                ],
            ],
        }),
    ],
};

const egress: CaseTable = {
    valid: [
        nacl({
            name: "outbound ephemeral ports carry replies to inbound clients",
            props: { egress: [entry(100, "tcp", 1024, 65535, WORLD)] },
        }),
        nacl({
            name: "an egress entry that allows everything filters nothing: the security groups decide",
            props: { egress: [entry(100, "-1", 0, 0, WORLD)] },
        }),
    ],
    invalid: [
        nacl({
            name: "a narrow egress entry to an internal port on the internet",
            props: { egress: [entry(100, "tcp", 22, 22, WORLD)] },
            errors: [
                ["outside", "egress[0]", { rule: "egress[0] (rule 100)", ports: "tcp 22 (ssh)", destinations: WORLD }, "fixDestinations"],
            ],
        }),
    ],
};

export const cases: Record<string, CaseTable> = {
    "no-world-open-internal-ports": noWorld,
    "documented-ports-only": documented,
    "known-source-cidrs": knownSources,
    "internal-egress-destinations": egress,
};
