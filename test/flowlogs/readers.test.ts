// The readers, record by record: what each documented layout becomes, whatever the chunking of the
// bytes, and what is skipped (with why). Fixture layouts: test/fixtures/flowlogs/README.md.
import { strict as assert } from "assert";
import * as fs from "fs";
import { formatV4, formatV6, parseV4Text } from "../../cli/flowlogs/address";
import { AwsReader, parseFieldList } from "../../cli/flowlogs/aws";
import { AzureReader } from "../../cli/flowlogs/azure";
import { detectFormat } from "../../cli/flowlogs/detect";
import { GcpReader } from "../../cli/flowlogs/gcp";
import { JsonRecordSplitter } from "../../cli/flowlogs/json-records";
import { FlowRecord, ReadContext, Reader, ReadStats, UnusableInput } from "../../cli/flowlogs/record";
import { fixture } from "./helpers";

interface Seen {
    proto: number;
    src: string;
    dst: string;
    sport: number;
    dport: number;
    bytes: number;
    accepted: boolean;
    time: number;
    where: string;
}

function show(r: FlowRecord): Seen {
    return {
        proto: r.protocol,
        src: r.v6 ? formatV6(r.src6) : formatV4(r.src),
        dst: r.v6 ? formatV6(r.dst6) : formatV4(r.dst),
        sport: r.srcPort,
        dport: r.dstPort,
        bytes: r.bytes,
        accepted: r.accepted,
        time: r.time,
        where: r.where,
    };
}

/** Feeds the bytes in chunks of `chunk` bytes; the records seen, the stats and the warnings. */
function read(make: (ctx: ReadContext) => Reader, bytes: Buffer | string, chunk = 1 << 20) {
    const buf = typeof bytes === "string" ? Buffer.from(bytes) : bytes;
    const seen: Seen[] = [];
    const warnings: string[] = [];
    const stats = new ReadStats();
    const reader = make({ file: "f", sink: (r) => seen.push(show(r)), stats, warn: (m) => warnings.push(m) });
    for (let i = 0; i < buf.length; i += chunk) reader.push(buf.subarray(i, i + chunk));
    reader.end();
    return { seen, stats, warnings };
}

const aws = (fields?: string) => (ctx: ReadContext) => new AwsReader(ctx, fields ? parseFieldList(fields) : undefined);
const azure = (ctx: ReadContext) => new AzureReader(ctx);
const gcp = (ctx: ReadContext) => new GcpReader(ctx);
const HEADER = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";

describe("flowlogs readers", () => {
    describe("AWS (Flow log records: default version 2 and custom formats)", () => {
        const file = fs.readFileSync(fixture("aws-default.log"));

        it("reads the documented default-format examples the same in any chunking (1, 7, 64 bytes, whole)", () => {
            const whole = read(aws(), file);
            for (const size of [1, 7, 64]) assert.deepEqual(read(aws(), file, size), whole, `chunks of ${size}`);
            assert.equal(whole.stats.records, 20);
            assert.equal(whole.stats.skipped, 0);
            assert.deepEqual(whole.seen[0], {
                proto: 6,
                src: "172.31.16.139",
                dst: "172.31.16.21",
                sport: 20641,
                dport: 22,
                bytes: 4249,
                accepted: true,
                time: 1418530010,
                where: "",
            });
            assert.deepEqual(whole.seen[1], {
                proto: 6,
                src: "172.31.9.69",
                dst: "172.31.9.12",
                sport: 49761,
                dport: 3389,
                bytes: 4249,
                accepted: false,
                time: 1418530010,
                where: "eni-1235b8ca123456789",
            });
        });

        it("counts NODATA and SKIPDATA records as read, with no flow", () => {
            const { seen, stats } = read(aws(), file);
            assert.equal(stats.nodata, 1);
            assert.equal(stats.skipdata, 1);
            assert.equal(seen.length, 18);
        });

        it("gives icmp and other protocols no port", () => {
            const { seen } = read(aws(), file);
            assert.deepEqual(
                seen.filter((s) => s.proto === 1).map((s) => [s.sport, s.dport]),
                [
                    [-1, -1],
                    [-1, -1],
                ],
            );
            assert.deepEqual(
                seen.filter((s) => s.proto === 47).map((s) => [s.sport, s.dport]),
                [[-1, -1]],
            );
        });

        it("reads the default format without a header line (CloudWatch Logs)", () => {
            const headerless = read(aws(), fs.readFileSync(fixture("aws-default-noheader.log")));
            assert.deepEqual(headerless.seen, read(aws(), file).seen);
        });

        it("places a custom format's fields by its header, in any order, and uses pkt-srcaddr/pkt-dstaddr unless they are -", () => {
            const { seen, stats } = read(aws(), fs.readFileSync(fixture("aws-custom-v5.log")));
            assert.equal(stats.skipped, 0);
            assert.deepEqual(
                seen.map((s) => [s.src, s.dst, s.sport, s.dport, s.bytes, s.accepted]),
                [
                    ["203.0.113.5", "10.0.1.5", 443, 45000, 4000, true],
                    ["203.0.113.5", "10.0.1.5", 51000, 5432, 300, true],
                    ["10.0.1.5", "203.0.113.5", 5432, 51000, 500, true],
                    ["10.0.0.220", "10.0.1.6", 51001, 5432, 300, false],
                ],
            );
            assert.equal(seen[3].where, "eni-0f0f0f0f0f0f0f0f0");
        });

        it("reads a headerless custom format with --aws-fields, in either spelling", () => {
            const header = fs.readFileSync(fixture("aws-custom-v5.log"), "utf8").split("\n")[0];
            const expected = read(aws(), fs.readFileSync(fixture("aws-custom-v5.log"))).seen;
            const body = fs.readFileSync(fixture("aws-custom-cloudwatch.log"));
            assert.deepEqual(read(aws(header), body).seen, expected);
            assert.deepEqual(
                read(
                    aws(
                        header
                            .split(" ")
                            .map((f) => `\${${f}}`)
                            .join(" "),
                    ),
                    body,
                ).seen,
                expected,
            );
        });

        it("refuses a headerless custom format without --aws-fields, saying how to name the fields", () => {
            assert.throws(
                () => read(aws(), fs.readFileSync(fixture("aws-custom-cloudwatch.log"))),
                (e: Error) =>
                    e instanceof UnusableInput &&
                    /line 1 has 23 fields and no header line names them/.test(e.message) &&
                    /--aws-fields/.test(e.message),
            );
        });

        it("refuses a header without the fields the rules need, naming them", () => {
            assert.throws(
                () => read(aws(), "version srcaddr dstaddr bytes\n2 10.0.0.1 10.0.0.2 5\n"),
                (e: Error) => e instanceof UnusableInput && /has no srcport, dstport, protocol, action fields/.test(e.message),
            );
        });

        it("reads IPv6 records, and skips a record mixing families", () => {
            const { seen, stats } = read(aws(), fs.readFileSync(fixture("aws-ipv6.log")));
            assert.equal(seen[0].src, "2001:db8:1234:a100:8d6e:3477:df66:f105");
            assert.equal(seen[0].dst, "fd00:1234:a102:3304:8879:34cf:4071:1");
            assert.equal(seen[2].where, "eni-1235b8ca123456789");
            assert.equal(stats.skipped, 1);
            assert.match(stats.samples[0], /^f:5: an IPv4 and an IPv6 address in one record: "2 123456789010/);
        });

        const bad: [string, string, RegExp][] = [
            ["too few fields", "2 123 eni-1 10.0.0.1 10.0.0.2 1 2 6", /8 fields where the format has 14/],
            ["an address that is not one", "2 123 eni-1 10.0.0.300 10.0.0.2 1 2 6 1 1 1 1 ACCEPT OK", /neither IPv4 nor IPv6/],
            ["a port that is not a number", "2 123 eni-1 10.0.0.1 10.0.0.2 x 22 6 1 1 1 1 ACCEPT OK", /without a port from 0 to 65535/],
            ["a port above 65535", "2 123 eni-1 10.0.0.1 10.0.0.2 70000 22 6 1 1 1 1 ACCEPT OK", /without a port from 0 to 65535/],
            ["tcp without ports", "2 123 eni-1 10.0.0.1 10.0.0.2 - - 6 1 1 1 1 ACCEPT OK", /without a port/],
            ["an unknown action", "2 123 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 1 1 1 ALLOW OK", /action that is not ACCEPT or REJECT/],
            [
                "an unknown log-status",
                "2 123 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 1 1 1 ACCEPT MAYBE",
                /log-status that is not OK, NODATA or SKIPDATA/,
            ],
            ["no address with status OK", "2 123 eni-1 - - - - - - - 1 1 ACCEPT OK", /no protocol number|no source or destination/],
        ];
        for (const [what, line, why] of bad) {
            it(`skips a record with ${what}, quoting it with its line`, () => {
                const { seen, stats } = read(aws(), `${HEADER}\n${line}\n2 123 eni-1 10.0.0.1 10.0.0.2 40000 22 6 1 1 1 1 ACCEPT OK\n`);
                assert.equal(stats.skipped, 1);
                assert.match(stats.samples[0], why);
                assert.ok(stats.samples[0].startsWith("f:2: "), stats.samples[0]);
                assert.equal(seen.length, 1, "the next record is read");
            });
        }

        it("takes a header line further down (files joined together) as the format from there on", () => {
            const custom = fs.readFileSync(fixture("aws-custom-v5.log"), "utf8");
            const { seen, stats } = read(aws(), `${file.toString()}${custom}${file.toString()}`, 100);
            assert.equal(stats.skipped, 0);
            assert.equal(seen.length, 18 + 4 + 18);
            assert.equal(seen[18].src, "203.0.113.5", "the custom format's pkt-srcaddr");
        });

        it("reads CRLF line ends, blank lines and a last line without a newline", () => {
            const { seen, stats } = read(
                aws(),
                `${HEADER}\r\n\r\n2 1 eni-1 10.0.0.1 10.0.0.2 40000 22 6 1 5 1 1 ACCEPT OK\r\n2 1 eni-1 10.0.0.2 10.0.0.1 22 40000 6 1 7 1 1 ACCEPT OK`,
            );
            assert.equal(stats.skipped, 0);
            assert.deepEqual(
                seen.map((s) => s.bytes),
                [5, 7],
            );
        });

        it("skips a line of 100 KB as one unreadable record, without holding it", () => {
            const { seen, stats } = read(
                aws(),
                `${HEADER}\n${"x".repeat(100_000)}\n2 1 eni-1 10.0.0.1 10.0.0.2 40000 22 6 1 5 1 1 ACCEPT OK\n`,
                4096,
            );
            assert.equal(stats.skipped, 1);
            assert.match(stats.samples[0], /longer than 64 KiB/);
            assert.equal(seen.length, 1);
        });
    });

    describe("Azure (VNet flow logs, NSG flow logs version 2)", () => {
        it("reads VNet flow tuples: state D is rejected, bytes are both directions, the rule is where", () => {
            const file = fs.readFileSync(fixture("azure-vnet.json"));
            const whole = read(azure, file);
            assert.deepEqual(read(azure, file, 13), whole);
            assert.equal(whole.stats.records, 6);
            assert.deepEqual(whole.seen[1], {
                proto: 6,
                src: "10.0.0.6",
                dst: "192.0.2.180",
                sport: 23956,
                dport: 443,
                bytes: 767 + 1580,
                accepted: true,
                time: 1793523652.1,
                where: "",
            });
            assert.deepEqual(whole.seen[3], {
                proto: 6,
                src: "10.20.1.4",
                dst: "10.0.0.7",
                sport: 50111,
                dport: 5432,
                bytes: 60,
                accepted: false,
                time: 1793523654,
                where: "UserRule_DenyDb",
            });
            assert.deepEqual([whole.seen[4].proto, whole.seen[4].sport], [1, -1], "icmp has no port");
            assert.equal(whole.stats.skipped, 1);
            assert.match(whole.stats.samples[0], /^f:record 2: a tcp or udp flow tuple without ports/);
        });

        it("reads NSG version 2 tuples (T/U, A/D), naming the NSG and its rule; empty counts are 0", () => {
            const { seen, stats } = read(azure, fs.readFileSync(fixture("azure-nsg.json")), 50);
            assert.equal(stats.records, 8);
            assert.deepEqual(seen[0], {
                proto: 17,
                src: "94.102.49.190",
                dst: "10.5.16.4",
                sport: 28746,
                dport: 443,
                bytes: 0,
                accepted: false,
                time: 1793534402,
                where: "FABRIAKMVM1-NSG/DefaultRule_DenyAllInBound",
            });
            assert.equal(seen[5].bytes, 16978 + 14008);
            assert.equal(seen[5].accepted, true);
        });

        it("reads a document cut short up to its last complete record, with a warning", () => {
            const text = fs.readFileSync(fixture("azure-vnet.json"), "utf8");
            const cut = text.slice(0, text.indexOf("DefaultRule_AllowVnetInBound"));
            const { seen, warnings } = read(azure, cut);
            assert.equal(seen.length, 5, "the first record's tuples");
            assert.deepEqual(warnings, ["f: the JSON document is cut short; read up to its last complete record (record 1)"]);
        });

        it("skips a record that is neither layout, and one that is not JSON", () => {
            const { stats } = read(azure, '{"records":[{"category":"other"},{"flowRecords":{"flows":[]}}, {"a": tru }]}');
            assert.equal(stats.skipped, 2);
            assert.match(stats.samples[0], /neither flowRecords \(VNet flow logs\) nor properties.flows/);
            assert.match(stats.samples[1], /not valid JSON/);
        });
    });

    describe("GCP (VPC Flow Logs and Firewall Rules Logging entries from a log sink)", () => {
        it("reads VPC flow entries: accepted, bytes_sent, start_time; IPv6 and icmp without ports", () => {
            const { seen, stats, warnings } = read(gcp, fs.readFileSync(fixture("gcp-vpc-flows.jsonl")), 33);
            assert.deepEqual(seen[0], {
                proto: 6,
                src: "10.20.0.2",
                dst: "10.128.0.3",
                sport: 51234,
                dport: 5432,
                bytes: 1024,
                accepted: true,
                time: Date.parse("2026-11-01T10:00:00Z") / 1000,
                where: "",
            });
            assert.deepEqual([seen[3].proto, seen[3].src, seen[3].dst, seen[3].sport], [58, "fd00::7", "2600:1900:4000::1", -1]);
            assert.equal(stats.records, 4);
            assert.equal(stats.skipped, 1, "the last line is complete but not JSON");
            assert.match(stats.samples[0], /^f:line 5: not valid JSON/);
            assert.deepEqual(warnings, []);
        });

        it("reads firewall entries: DENIED is rejected, by the rule's reference; no bytes", () => {
            const { seen } = read(gcp, fs.readFileSync(fixture("gcp-firewall.jsonl")));
            assert.deepEqual(
                seen.map((s) => [s.accepted, s.where, s.bytes]),
                [
                    [false, "network:default/firewall:deny-all-ingress", 0],
                    [true, "", 0],
                    [false, "network:default/firewall:default-deny-ingress", 0],
                ],
            );
            assert.equal(seen[0].time, Date.parse("2026-11-01T10:05:00Z") / 1000, "the entry's timestamp when there is no start_time");
        });

        it("reads a file cut inside its last line up to the last complete entry, with a warning", () => {
            const text = fs.readFileSync(fixture("gcp-firewall.jsonl"), "utf8");
            const { seen, stats, warnings } = read(gcp, text.slice(0, text.length - 40));
            assert.equal(seen.length, 2);
            assert.equal(stats.skipped, 0);
            assert.deepEqual(warnings, ["f: the file is cut short; read up to its last complete entry (line 2)"]);
        });

        it("reads a JSON array of entries (gcloud logging read --format=json)", () => {
            const lines = fs.readFileSync(fixture("gcp-firewall.jsonl"), "utf8").trim().split("\n");
            const { seen } = read(gcp, `[\n  ${lines.join(",\n  ")}\n]\n`, 100);
            assert.equal(seen.length, 3);
        });

        it("skips an entry that is not a flow or firewall log", () => {
            const { stats } = read(gcp, '{"textPayload":"hello","logName":"projects/p/logs/syslog"}\n');
            assert.match(stats.samples[0], /without jsonPayload.connection/);
        });
    });

    describe("detection by content", () => {
        const cases: [string, string | Buffer, string][] = [
            ["an AWS header", `${HEADER}\n`, "aws"],
            ["an AWS default record", "2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 1 1 1 ACCEPT OK\n", "aws"],
            ["an AWS custom record without header", fs.readFileSync(fixture("aws-custom-cloudwatch.log")), "aws"],
            ["Azure VNet flow logs", fs.readFileSync(fixture("azure-vnet.json")), "azure"],
            ["Azure NSG flow logs", fs.readFileSync(fixture("azure-nsg.json")), "azure"],
            ["GCP entries", fs.readFileSync(fixture("gcp-firewall.jsonl")), "gcp"],
            [
                "a byte order mark before JSON",
                Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fs.readFileSync(fixture("azure-nsg.json"))]),
                "azure",
            ],
        ];
        for (const [what, bytes, format] of cases) {
            it(`${what}: ${format}`, () => assert.equal(detectFormat(Buffer.from(bytes), true), format));
        }
        const refused: [string, string, RegExp][] = [
            ["a CSV file", "a,b,c\n1,2,3\n", /first line is not an AWS flow log header or record \("a,b,c"\)/],
            ["other JSON", '{"hello": "world"}', /JSON but neither Azure flow logs .* nor GCP log entries/],
            ["Parquet", "PAR1\u0000\u0000", /Parquet file/],
            ["blank", "  \n\n", /empty/],
        ];
        for (const [what, text, why] of refused) {
            it(`${what}: refused, saying why`, () => {
                const r = detectFormat(Buffer.from(text), true);
                assert.ok(typeof r !== "string", `detected as ${JSON.stringify(r)}`);
                assert.match(r.problem, why);
            });
        }
    });

    describe("JSON record splitter", () => {
        const records = (text: string, chunk: number) => {
            const out: string[] = [];
            const s = new JsonRecordSplitter({ record: (t) => out.push(t) });
            const b = Buffer.from(text);
            for (let i = 0; i < b.length; i += chunk) s.push(b.subarray(i, i + chunk));
            return { out, cut: s.cutShort };
        };

        it("finds the records array among other keys, with strings holding brackets, quotes and escapes", () => {
            const text = '{"version":"[{","note":"a \\"records\\" }","records":[{"a":"]}","b":[1,{"c":2}]},{"d":"\\\\"}],"tail":{"x":[1]}}';
            for (const chunk of [1, 3, 1000]) {
                const { out, cut } = records(text, chunk);
                assert.deepEqual(
                    out.map((t) => JSON.parse(t) as unknown),
                    [{ a: "]}", b: [1, { c: 2 }] }, { d: "\\" }],
                    `chunks of ${chunk}`,
                );
                assert.equal(cut, false);
            }
        });

        it("reads multi-byte UTF-8 split across chunks", () => {
            const { out } = records('{"records":[{"rule":"règle-ü-€"}]}', 1);
            assert.deepEqual(JSON.parse(out[0]), { rule: "règle-ü-€" });
        });

        it("says when the document is cut short, keeping the complete records", () => {
            const { out, cut } = records('{"records":[{"a":1},{"b":[2,', 4);
            assert.deepEqual(out, ['{"a":1}']);
            assert.equal(cut, true);
        });
    });

    it("addresses: dotted quads only, numbers and text round trip", () => {
        assert.equal(parseV4Text("0.0.0.0"), 0);
        assert.equal(parseV4Text("255.255.255.255"), 4294967295);
        for (const bad of ["1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "01.2.3.4x", "", "1.2.3.4 "])
            assert.equal(parseV4Text(bad), -1, bad);
        assert.equal(formatV4(parseV4Text("10.20.30.40")), "10.20.30.40");
    });
});
