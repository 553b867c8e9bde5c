// The rules of a record, as tables: which end is the server, who is on the internet, which findings
// a record raises. Registry: test/fixtures/flowlogs/ports.yaml.
import { strict as assert } from "assert";
import { parseV4Text, parseV6Text } from "../../cli/flowlogs/address";
import { Findings, KIND_NAMES } from "../../cli/flowlogs/aggregate";
import { Judge, turn, Turned } from "../../cli/flowlogs/classify";
import { AWS, newRecord } from "../../cli/flowlogs/record";
import { buildReport } from "../../cli/flowlogs/report";
import { loadRules, TCP, UDP } from "../../cli/flowlogs/rules";
import { REGISTRY } from "./helpers";

const rules = loadRules(REGISTRY);

describe("flowlogs rules", () => {
    describe("which end is the server", () => {
        const cases: [string, number, number, number, { reply: boolean; port: number; service: string | undefined }][] = [
            ["a request to a documented port", TCP, 40000, 5432, { reply: false, port: 5432, service: "postgres" }],
            ["its reply: documented source, undocumented destination", TCP, 5432, 40000, { reply: true, port: 5432, service: "postgres" }],
            [
                "a reply from 9200, which lies inside the ephemeral range: the documented port decides first",
                TCP,
                9200,
                50000,
                { reply: true, port: 9200, service: "elasticsearch" },
            ],
            ["a request to 9200 from an ephemeral port", TCP, 50000, 9200, { reply: false, port: 9200, service: "elasticsearch" }],
            ["both documented: the destination", TCP, 22, 5432, { reply: false, port: 5432, service: "postgres" }],
            [
                "neither documented, to an ephemeral port from a non-ephemeral one: a reply",
                TCP,
                873,
                40114,
                { reply: true, port: 873, service: undefined },
            ],
            ["neither documented, the request of it", TCP, 40114, 873, { reply: false, port: 873, service: undefined }],
            ["neither documented, both ephemeral: the destination", TCP, 40112, 8443, { reply: false, port: 8443, service: undefined }],
            ["neither documented, neither ephemeral: the destination", TCP, 873, 999, { reply: false, port: 999, service: undefined }],
            ["udp is judged on udp's documentation: 123 is ntp", UDP, 40000, 123, { reply: false, port: 123, service: "ntp" }],
            ["tcp 123 is not documented", TCP, 40000, 123, { reply: false, port: 123, service: undefined }],
            ["a dns reply over udp", UDP, 53, 53001, { reply: true, port: 53, service: "dns" }],
        ];
        for (const [what, protocol, sport, dport, expected] of cases) {
            it(what, () => {
                const t = turn(rules, protocol, sport, dport, {} as Turned);
                assert.deepEqual(
                    { reply: t.reply, port: t.port, service: t.slot >= 0 ? rules.slots[t.slot].service : undefined },
                    expected,
                );
            });
        }
    });

    describe("what a record raises", () => {
        type Rec = [proto: number, src: string, dst: string, sport: number, dport: number, accepted: boolean];
        const judge = (...records: Rec[]) => {
            const findings = new Findings();
            const j = new Judge(rules, findings);
            const r = newRecord(AWS);
            for (const [proto, src, dst, sport, dport, accepted] of records) {
                r.protocol = proto;
                r.v6 = src.includes(":");
                if (r.v6) {
                    r.src6 = parseV6Text(src)!;
                    r.dst6 = parseV6Text(dst)!;
                } else {
                    r.src = parseV4Text(src);
                    r.dst = parseV4Text(dst);
                }
                r.srcPort = sport;
                r.dstPort = dport;
                r.bytes = 100;
                r.accepted = accepted;
                r.where = accepted ? "" : "eni-1";
                j.add(r);
            }
            const { report } = buildReport(rules, findings, j.used, { records: records.length, skipped: 0 });
            return {
                found: report.findings
                    .filter((f) => f.kind !== "unused-service")
                    .map((f) => `${f.kind} ${f.protocol}/${f.port} ${f.source} -> ${f.destination} x${f.flows}`),
                unused: report.findings.filter((f) => f.kind === "unused-service").map((f) => `${f.service}/${f.protocol}`),
            };
        };

        const cases: [string, Rec[], string[]][] = [
            ["internal traffic to a documented port: nothing", [[6, "10.1.1.1", "10.0.0.5", 40000, 22, true]], []],
            [
                "the internet to an internal port, and its reply: one internet-to-internal of 2 flows",
                [
                    [6, "203.0.113.7", "10.0.0.5", 51515, 22, true],
                    [6, "10.0.0.5", "203.0.113.7", 22, 51515, true],
                ],
                ["internet-to-internal tcp/22 203.0.113.0/24 -> 10.0.0.5 x2"],
            ],
            ["the internet to a public port: nothing", [[6, "203.0.113.7", "10.0.0.5", 51515, 443, true]], []],
            ["a CGNAT client (100.64.0.0/10) is not the internet", [[6, "100.64.7.9", "10.0.0.5", 50000, 22, true]], []],
            ["a link-local client (169.254.0.0/16) is not the internet", [[6, "169.254.1.9", "10.0.0.5", 50000, 22, true]], []],
            ["a client inside knownCidrs (a partner range) is not the internet", [[6, "198.51.100.20", "10.0.0.5", 50000, 22, true]], []],
            [
                "just outside CGNAT (100.128.0.1) is the internet",
                [[6, "100.128.0.1", "10.0.0.5", 50000, 22, true]],
                ["internet-to-internal tcp/22 100.128.0.0/24 -> 10.0.0.5 x1"],
            ],
            [
                "an undocumented port from the internet raises both",
                [[6, "203.0.113.7", "10.0.0.5", 40000, 8443, true]],
                ["internet-to-internal tcp/8443 203.0.113.0/24 -> 10.0.0.5 x1", "undocumented-port tcp/8443 203.0.113.0/24 -> 10.0.0.5 x1"],
            ],
            [
                "an undocumented port and its reply: one finding",
                [
                    [6, "10.1.1.1", "10.0.0.9", 40114, 873, true],
                    [6, "10.0.0.9", "10.1.1.1", 873, 40114, true],
                ],
                ["undocumented-port tcp/873 10.1.1.0/24 -> 10.0.0.9 x2"],
            ],
            ["rejected: undocumented ports raise nothing (nobody may reach them)", [[6, "10.1.1.1", "10.0.0.9", 40000, 8443, false]], []],
            ["rejected from the internet: nothing (the firewall did its job)", [[6, "203.0.113.7", "10.0.0.5", 40000, 22, false]], []],
            [
                "rejected from knownCidrs to a service without clients",
                [[6, "10.1.1.1", "10.0.0.5", 40000, 22, false]],
                ["rejected-documented-flow tcp/22 10.1.1.0/24 -> 10.0.0.5 x1"],
            ],
            ["rejected from a CGNAT client outside knownCidrs: nothing", [[6, "100.64.7.9", "10.0.0.5", 40000, 22, false]], []],
            [
                "rejected from a postgres client block",
                [[6, "10.20.4.7", "10.0.3.3", 49152, 5432, false]],
                ["rejected-documented-flow tcp/5432 10.20.4.0/24 -> 10.0.3.3 x1"],
            ],
            ["rejected from knownCidrs outside postgres's clients: nothing", [[6, "10.1.4.7", "10.0.3.3", 49152, 5432, false]], []],
            [
                "rejected from elasticsearch's allowedSources",
                [[6, "10.30.1.1", "10.0.4.4", 50000, 9200, false]],
                ["rejected-documented-flow tcp/9200 10.30.1.0/24 -> 10.0.4.4 x1"],
            ],
            [
                "a rejected reply (a stateless ACL dropping return traffic) is turned round to its client",
                [[6, "10.0.3.3", "10.20.4.7", 5432, 49152, false]],
                ["rejected-documented-flow tcp/5432 10.20.4.0/24 -> 10.0.3.3 x1"],
            ],
            [
                "icmp from the internet when icmp is not public: no port",
                [[1, "203.0.113.12", "172.31.16.139", -1, -1, true]],
                ["internet-to-internal icmp/null 203.0.113.0/24 -> 172.31.16.139 x1"],
            ],
            [
                "icmpv6 (58) is icmp",
                [[58, "2001:db8::1", "fd00::5", -1, -1, true]],
                ["internet-to-internal icmp/null 2001:db8::/64 -> fd00::5 x1"],
            ],
            [
                "a protocol without ports (GRE) is undocumented",
                [[47, "10.1.1.1", "10.0.0.9", -1, -1, true]],
                ["undocumented-port 47/null 10.1.1.0/24 -> 10.0.0.9 x1"],
            ],
            [
                "IPv6: the internet to ssh, by /64",
                [[6, "2001:db8:1:2:3:4:5:6", "fd00::5", 40000, 22, true]],
                ["internet-to-internal tcp/22 2001:db8:1:2::/64 -> fd00::5 x1"],
            ],
            [
                "IPv6: a unique-local client outside knownCidrs (fc00::/7) is not the internet",
                [[6, "fc00::9", "fd00::5", 40000, 22, true]],
                [],
            ],
            ["IPv6: a link-local client (fe80::/10) is not the internet", [[6, "fe80::9", "fd00::5", 40000, 22, true]], []],
        ];
        for (const [what, records, expected] of cases) it(what, () => assert.deepEqual(judge(...records).found, expected));

        it("a service is used by accepted traffic only, per protocol; replies count for their service", () => {
            const { unused } = judge(
                [6, "10.0.3.3", "10.20.4.7", 5432, 49152, true],
                [17, "10.1.1.1", "10.0.0.2", 50000, 53, true],
                [6, "10.1.1.1", "10.0.0.5", 40000, 22, false],
            );
            assert.ok(!unused.includes("postgres/tcp"), "a reply used postgres");
            assert.ok(!unused.includes("dns/udp"));
            assert.ok(unused.includes("dns/tcp"), "dns over tcp saw nothing");
            assert.ok(unused.includes("ssh/tcp"), "rejected ssh does not count as used");
        });

        it("aggregates by the client's /24 and the server: flows and bytes summed, where collected", () => {
            const findings = new Findings();
            const j = new Judge(rules, findings);
            const r = newRecord(AWS);
            for (const [src, where] of [
                ["10.1.1.1", "eni-a"],
                ["10.1.1.200", "eni-b"],
                ["10.1.1.9", "eni-a"],
                ["10.1.2.1", "eni-a"],
            ]) {
                Object.assign(r, {
                    protocol: 6,
                    v6: false,
                    src: parseV4Text(src),
                    dst: parseV4Text("10.0.0.5"),
                    srcPort: 40000,
                    dstPort: 22,
                    bytes: 10,
                    accepted: false,
                    where,
                });
                j.add(r);
            }
            const { report } = buildReport(rules, findings, j.used, { records: 4, skipped: 0 });
            const rejected = report.findings.filter((f) => f.kind === "rejected-documented-flow");
            assert.deepEqual(rejected, [
                {
                    kind: "rejected-documented-flow",
                    protocol: "tcp",
                    port: 22,
                    service: "ssh",
                    source: "10.1.1.0/24",
                    destination: "10.0.0.5",
                    flows: 3,
                    bytes: 30,
                    where: ["eni-a", "eni-b"],
                },
                {
                    kind: "rejected-documented-flow",
                    protocol: "tcp",
                    port: 22,
                    service: "ssh",
                    source: "10.1.2.0/24",
                    destination: "10.0.0.5",
                    flows: 1,
                    bytes: 10,
                    where: ["eni-a"],
                },
            ]);
        });

        it("orders findings by kind, then the busiest first", () => {
            const { found } = judge(
                [6, "10.1.1.1", "10.0.0.9", 40000, 8443, true],
                [6, "203.0.113.7", "10.0.0.5", 51515, 22, true],
                [6, "10.1.1.1", "10.0.0.5", 40000, 22, false],
                [6, "10.1.2.1", "10.0.0.9", 40000, 8443, true],
                [6, "10.1.2.1", "10.0.0.9", 40001, 8443, true],
            );
            assert.deepEqual(found, [
                "internet-to-internal tcp/22 203.0.113.0/24 -> 10.0.0.5 x1",
                "rejected-documented-flow tcp/22 10.1.1.0/24 -> 10.0.0.5 x1",
                "undocumented-port tcp/8443 10.1.2.0/24 -> 10.0.0.9 x2",
                "undocumented-port tcp/8443 10.1.1.0/24 -> 10.0.0.9 x1",
            ]);
            assert.deepEqual([...KIND_NAMES], ["internet-to-internal", "rejected-documented-flow", "undocumented-port", "unused-service"]);
        });
    });
});
