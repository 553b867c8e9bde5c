// internal-ports flowlogs as a user runs it: inputs of every provider, gzip, cut-short files,
// directories, standard input, each finding kind, exit codes, the JSON shape, text and markdown,
// --out, --since/--until, --fail-on unused, --aws-fields and the errors for unusable input.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { fixture, flowlogs, REGISTRY, ReportFinding } from "./helpers";
import { writeAwsLog } from "../../scripts/lib/flowlog-generator";

const root = path.resolve(__dirname, "..", "..", "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "internal-ports-flowlogs-"));
const write = (name: string, content: string | Buffer): string => {
    const file = path.join(tmp, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
};
const R = ["--registry", REGISTRY];

type Finding = ReportFinding;
/** The JSON report, as the README documents it. */
type Report = { schemaVersion: number; records: number; skipped: number; findings: Finding[] };
const json = async (...args: string[]) => {
    const r = await flowlogs(...args, ...R, "--format", "json");
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
    return { ...r, report: JSON.parse(r.stdout) as Report };
};
const brief = (fs: Finding[]) =>
    fs
        .filter((f) => f.kind !== "unused-service")
        .map(
            (f) =>
                `${f.kind} ${f.protocol}/${f.port} ${f.service} ${f.source} -> ${f.destination} x${f.flows} ${f.bytes}B${f.where.length ? ` [${f.where.join(", ")}]` : ""}`,
        );
const unused = (fs: Finding[]) => fs.filter((f) => f.kind === "unused-service").map((f) => `${f.service}/${f.protocol}`);

describe("internal-ports flowlogs", function () {
    this.timeout(60000);

    describe("AWS", () => {
        it("the default format: every finding kind, in the documented JSON shape, exit 1", async () => {
            const { code, report, stderr } = await json(fixture("aws-default.log"));
            assert.equal(code, 1);
            assert.deepEqual(Object.keys(report), ["schemaVersion", "records", "skipped", "findings"]);
            assert.deepEqual(
                { schemaVersion: report.schemaVersion, records: report.records, skipped: report.skipped },
                { schemaVersion: 1, records: 20, skipped: 0 },
            );
            for (const f of report.findings)
                assert.deepEqual(Object.keys(f), [
                    "kind",
                    "protocol",
                    "port",
                    "service",
                    "source",
                    "destination",
                    "flows",
                    "bytes",
                    "where",
                ]);
            assert.deepEqual(brief(report.findings), [
                "internet-to-internal tcp/22 ssh 203.0.113.0/24 -> 10.0.1.5 x2 4100B",
                "internet-to-internal icmp/null ping 203.0.113.0/24 -> 172.31.16.139 x1 336B",
                "rejected-documented-flow tcp/3389 rdp 172.31.9.0/24 -> 172.31.9.12 x1 4249B [eni-1235b8ca123456789]",
                "rejected-documented-flow tcp/5432 postgres 10.20.4.0/24 -> 10.0.3.3 x1 180B [eni-0c0ffee0c0ffee000]",
                "undocumented-port tcp/873 null 10.0.1.0/24 -> 10.0.2.9 x2 1000B",
                "undocumented-port tcp/8443 null 10.0.1.0/24 -> 10.0.2.9 x1 840B",
                "undocumented-port 47/null null 10.0.1.0/24 -> 10.0.2.9 x1 200B",
            ]);
            assert.deepEqual(unused(report.findings), ["api/tcp", "dns/tcp", "https/tcp", "rdp/tcp", "ntp/udp"]);
            assert.deepEqual(
                report.findings.find((f) => f.kind === "unused-service"),
                {
                    kind: "unused-service",
                    protocol: "tcp",
                    port: null,
                    service: "api",
                    source: null,
                    destination: null,
                    flows: 0,
                    bytes: 0,
                    where: [],
                },
            );
            assert.match(stderr, /warning: 1 SKIPDATA record: AWS could not capture some flows/);
        });

        it("without the header line, the same report", async () => {
            const a = await json(fixture("aws-default.log"));
            const b = await json(fixture("aws-default-noheader.log"));
            assert.deepEqual(b.report, a.report);
        });

        it("a custom v5 format by its header: pkt-srcaddr shows the internet behind a load balancer", async () => {
            const { report } = await json(fixture("aws-custom-v5.log"));
            assert.deepEqual(brief(report.findings), ["internet-to-internal tcp/5432 postgres 203.0.113.0/24 -> 10.0.1.5 x2 800B"]);
            assert.ok(!unused(report.findings).includes("https/tcp"), "the reply from 443 used https");
        });

        it("a headerless custom format with --aws-fields; without it, exit 2 naming the file and the fix", async () => {
            const fields = fs.readFileSync(fixture("aws-custom-v5.log"), "utf8").split("\n")[0];
            const a = await json(fixture("aws-custom-v5.log"));
            const b = await json(fixture("aws-custom-cloudwatch.log"), "--aws-fields", fields);
            assert.deepEqual(b.report, a.report);
            const r = await flowlogs(fixture("aws-custom-cloudwatch.log"), ...R);
            assert.equal(r.code, 2);
            assert.equal(r.stdout, "");
            assert.match(
                r.stderr,
                /aws-custom-cloudwatch\.log: line 1 has 23 fields and no header line names them .*pass the flow log's format with --aws-fields/,
            );
        });

        it("IPv6: findings by /64; a record mixing families is skipped and quoted", async () => {
            const { report, stderr } = await json(fixture("aws-ipv6.log"));
            assert.deepEqual(brief(report.findings), [
                "internet-to-internal tcp/22 ssh 2001:db8:1234:a100::/64 -> fd00:1234:a102:3304:8879:34cf:4071:1 x2 16855B",
                "rejected-documented-flow tcp/22 ssh fd00::/64 -> fd00::5 x1 120B [eni-1235b8ca123456789]",
            ]);
            assert.equal(report.skipped, 1);
            assert.match(
                stderr,
                /1 record could not be read and was skipped; the first one:\n {2}.*aws-ipv6\.log:5: an IPv4 and an IPv6 address in one record: "2 123456789010/,
            );
        });

        it("gzip, detected by its magic bytes whatever the name", async () => {
            const gz = write("plain-name.log", zlib.gzipSync(fs.readFileSync(fixture("aws-default.log"))));
            const a = await json(fixture("aws-default.log"));
            const b = await json(gz);
            assert.deepEqual(b.report, a.report);
        });

        it("a gzip file cut short: read up to where it stops, with a warning", async () => {
            const lines = Array.from(
                { length: 4000 },
                (_, i) => `2 1 eni-1 10.1.${i % 200}.1 10.0.0.9 40000 8443 6 1 10 1790000000 1790000060 ACCEPT OK`,
            );
            const gz = zlib.gzipSync(`${lines.join("\n")}\n`);
            const cut = write("cut.log.gz", gz.subarray(0, Math.floor(gz.length / 2)));
            const { code, report, stderr } = await json(cut);
            assert.equal(code, 1);
            assert.ok(report.records > 100 && report.records < 4000, String(report.records));
            assert.match(stderr, /cut\.log\.gz: the gzip stream is cut short; read up to where it stops/);
        });

        it("a header-only file: no records, nothing checked, exit 2", async () => {
            const r = await flowlogs(fixture("aws-header-only.log"), ...R);
            assert.equal(r.code, 2);
            assert.match(r.stderr, /no flow records in .*aws-header-only\.log: nothing was checked/);
        });

        it("a header-only file beside one with records is fine", async () => {
            const a = await json(fixture("aws-default.log"));
            const b = await json(fixture("aws-header-only.log"), fixture("aws-default.log"));
            assert.deepEqual(b.report, a.report);
        });
    });

    describe("Azure and GCP", () => {
        it("VNet flow logs", async () => {
            const { report } = await json(fixture("azure-vnet.json"));
            assert.deepEqual(brief(report.findings), [
                "internet-to-internal tcp/22 ssh 192.0.2.0/24 -> 10.0.0.6 x1 4600B",
                "rejected-documented-flow tcp/5432 postgres 10.20.1.0/24 -> 10.0.0.7 x1 60B [UserRule_DenyDb]",
                "undocumented-port tcp/8443 null 10.0.0.0/24 -> 10.0.0.7 x1 1200B",
            ]);
            assert.equal(report.skipped, 1);
        });

        it("NSG flow logs version 2", async () => {
            const { report } = await json(fixture("azure-nsg.json"));
            assert.deepEqual(brief(report.findings), [
                "internet-to-internal tcp/3389 rdp 203.0.113.0/24 -> 10.5.16.4 x1 13000B",
                "rejected-documented-flow tcp/3389 rdp 10.1.2.0/24 -> 10.5.16.4 x1 0B [FABRIAKMVM1-NSG/DefaultRule_DenyAllInBound]",
            ]);
            assert.ok(!unused(report.findings).includes("ntp/udp"));
        });

        it("a VNet flow log blob cut short (Azure writes it as the hour goes): its complete records, a warning, no crash", async () => {
            const text = fs.readFileSync(fixture("azure-vnet.json"), "utf8");
            const cut = write("PT1H.json", text.slice(0, text.indexOf("DefaultRule_AllowVnetInBound")));
            const { report, stderr } = await json(cut);
            assert.equal(report.records, 5);
            assert.match(stderr, /PT1H\.json: the JSON document is cut short; read up to its last complete record \(record 1\)/);
        });

        it("GCP VPC Flow Logs and firewall logs together; the rejections come from the firewall log", async () => {
            const { report } = await json(fixture("gcp-vpc-flows.jsonl"), fixture("gcp-firewall.jsonl"));
            assert.deepEqual(brief(report.findings), [
                "internet-to-internal tcp/9300 null 35.191.0.0/24 -> 10.128.0.4 x1 5000B",
                "internet-to-internal tcp/22 ssh 198.18.7.0/24 -> 10.128.0.5 x1 0B",
                "rejected-documented-flow tcp/5432 postgres 10.20.9.0/24 -> 10.128.0.3 x1 0B [network:default/firewall:deny-all-ingress]",
                "undocumented-port tcp/9300 null 35.191.0.0/24 -> 10.128.0.4 x1 5000B",
            ]);
            assert.equal(report.records, 7);
            assert.equal(report.skipped, 1);
        });

        it("a directory mixing providers and gzip: every file detected on its own, hidden files left out", async () => {
            const dir = path.join(tmp, "mixed");
            write("mixed/aws/2026/11/01/a.log.gz", zlib.gzipSync(fs.readFileSync(fixture("aws-default.log"))));
            write("mixed/azure/PT1H.json", fs.readFileSync(fixture("azure-nsg.json")));
            write("mixed/gcp/firewall.json", fs.readFileSync(fixture("gcp-firewall.jsonl")));
            write("mixed/.DS_Store", "\0\0\0binary");
            const all = await json(dir);
            const parts = await json(fixture("aws-default.log"), fixture("azure-nsg.json"), fixture("gcp-firewall.jsonl"));
            assert.deepEqual(all.report, parts.report);
            assert.equal(all.report.records, 20 + 8 + 3);
        });

        it("--input-format forces the reader", async () => {
            const r = await flowlogs(fixture("azure-nsg.json"), ...R, "--input-format", "aws");
            assert.equal(r.code, 2, "as AWS the JSON has no readable header");
            assert.match(r.stderr, /azure-nsg\.json: line 1 has 1 fields/);
            const ok = await json(fixture("azure-nsg.json"), "--input-format", "azure");
            assert.equal(ok.report.records, 8);
        });
    });

    describe("exit codes and options", () => {
        const onlyDocumented = () =>
            write(
                "clean.log",
                [
                    "2 1 eni-1 10.1.1.1 10.0.0.5 40000 22 6 1 10 1790000000 1790000060 ACCEPT OK",
                    "2 1 eni-1 10.0.0.5 10.1.1.1 22 40000 6 1 10 1790000000 1790000060 ACCEPT OK",
                ].join("\n") + "\n",
            );

        it("only unused services: exit 0, and 1 with --fail-on unused", async () => {
            const file = onlyDocumented();
            const r = await flowlogs(file, ...R);
            assert.equal(r.code, 0, r.stderr);
            assert.match(r.stdout, /^Findings: 9 unused-service$/m);
            assert.match(r.stdout, /^unused-service \(9\): documented services whose ports saw no accepted traffic \(a note\)$/m);
            assert.match(
                r.stdout,
                /^ {2}ping \(icmp\), api \(tcp 8080\), dns \(tcp 53\), elasticsearch \(tcp 9200\), https \(tcp 443\),\n {2}postgres \(tcp 5432\), rdp \(tcp 3389\), dns \(udp 53\), ntp \(udp 123\)$/m,
            );
            assert.equal((await flowlogs(file, ...R, "--fail-on", "unused")).code, 1);
        });

        it("--since/--until judge the records that start inside the window", async () => {
            const all = await json(fixture("aws-default.log"));
            const later = await json(fixture("aws-default.log"), "--since", "2026-09-21T14:14:00Z");
            assert.equal(later.report.records, all.report.records, "records counts what was read");
            assert.deepEqual(brief(later.report.findings), [
                "rejected-documented-flow tcp/5432 postgres 10.20.4.0/24 -> 10.0.3.3 x1 180B [eni-0c0ffee0c0ffee000]",
                "undocumented-port tcp/873 null 10.0.1.0/24 -> 10.0.2.9 x2 1000B",
                "undocumented-port 47/null null 10.0.1.0/24 -> 10.0.2.9 x1 200B",
            ]);
            const text = await flowlogs(
                fixture("aws-default.log"),
                ...R,
                "--since",
                "2026-09-21T14:14:00Z",
                "--until",
                "2026-09-21T14:15:00Z",
            );
            assert.match(
                text.stdout,
                /^Window: from 2026-09-21T14:14:00Z until 2026-09-21T14:15:00Z; 5 records in it, 13 records outside$/m,
            );
            const none = await flowlogs(fixture("aws-default.log"), ...R, "--until", "2000-01-01");
            assert.equal(none.code, 2);
            assert.match(none.stderr, /none of the 20 records starts inside the window/);
        });

        it("--out writes the report to the file and nothing to stdout", async () => {
            const out = path.join(tmp, "report.json");
            const r = await flowlogs(fixture("aws-default.log"), ...R, "--format", "json", "--out", out);
            assert.equal(r.code, 1);
            assert.equal(r.stdout, "");
            assert.equal((JSON.parse(fs.readFileSync(out, "utf8")) as Report).records, 20);
        });

        it("--out into a directory that does not exist: exit 2 naming it", async () => {
            const r = await flowlogs(fixture("aws-default.log"), ...R, "--out", path.join(tmp, "no", "such", "dir", "r.txt"));
            assert.equal(r.code, 2);
            assert.match(r.stderr, /cannot write .*r\.txt: ENOENT/);
        });

        it("markdown: a table of the findings and a Mermaid chart of clients to services, rejected edges dashed and red", async () => {
            const r = await flowlogs(fixture("aws-default.log"), ...R, "--format", "markdown");
            assert.equal(r.code, 1);
            assert.match(r.stdout, /^\| kind \| protocol \| port \| service \| source \| destination \| flows \| bytes \| where \|$/m);
            assert.match(
                r.stdout,
                /^\| rejected-documented-flow \| tcp \| 5432 \| postgres \| 10\.20\.4\.0\/24 \| 10\.0\.3\.3 \| 1 \| 180 B \| eni-0c0ffee0c0ffee000 \|$/m,
            );
            const chart = /```mermaid\n([\s\S]*?)```/.exec(r.stdout)![1].split("\n");
            assert.equal(chart[0], "flowchart LR");
            const edges = chart.filter((l) => /-->|==>|-\.->/.test(l));
            const rejected = edges
                .map((l, i) => [l, i] as const)
                .filter(([l]) => l.includes("-.->"))
                .map(([, i]) => i);
            assert.deepEqual(
                edges.filter((l) => l.includes("-.->")).map((l) => /\|"(.*)"\|/.exec(l)![1]),
                ["rejected: 1 flow", "rejected: 1 flow"],
            );
            assert.ok(
                chart.includes(`    linkStyle ${rejected.join(",")} stroke:#d33,stroke-width:2px,stroke-dasharray:5 5`),
                chart.join("\n"),
            );
            assert.ok(chart.some((l) => l.includes('"postgres<br/>tcp 5432"')));
            assert.ok(r.stdout.endsWith("\n"));
        });

        it("text: the kinds with their findings and a fix in the provider's terms", async () => {
            const r = await flowlogs(fixture("aws-default.log"), fixture("azure-nsg.json"), ...R);
            assert.match(r.stdout, /^internal-ports flowlogs: 28 records read from 2 files, judged against /);
            assert.match(
                r.stdout,
                /^ {2}tcp 3389 \(rdp\) {2}10\.1\.2\.0\/24 -> 10\.5\.16\.4 {2}1 flow, 0 B; rejected by FABRIAKMVM1-NSG\/DefaultRule_DenyAllInBound$/m,
            );
            assert.match(
                r.stdout,
                /fix: Azure: add an NSG rule allowing 10\.1\.2\.0\/24 to tcp 3389, at a higher priority than FABRIAKMVM1-NSG\/DefaultRule_DenyAllInBound/,
            );
            assert.match(
                r.stdout,
                /fix: AWS: allow tcp 5432 from 10\.20\.4\.0\/24 in the security group and network ACLs of eni-0c0ffee0c0ffee000/,
            );
        });

        const usage: [string, string[], RegExp][] = [
            ["no input", [], /nothing to read: name flow log files, directories or - for standard input/],
            ["a missing file", [path.join(tmp, "nope.log")], /nope\.log: cannot be read \(no such file or directory\)/],
            [
                "a file that is not a flow log",
                [fixture("ports.yaml")],
                /ports\.yaml: not a flow log: its first line is not an AWS flow log header or record/,
            ],
            ["an empty directory", [fs.mkdtempSync(path.join(tmp, "empty-"))], /the directory holds no files/],
            ["a bad --format", [fixture("aws-default.log"), "--format", "xml"], /--format must be one of text, json, markdown, not "xml"/],
            ["a bad --since", [fixture("aws-default.log"), "--since", "yesterday"], /--since must be an ISO 8601 time/],
            [
                "--since after --until",
                [fixture("aws-default.log"), "--since", "2026-02-01", "--until", "2026-01-01"],
                /--since must be before --until/,
            ],
            ["a bad --fail-on", [fixture("aws-default.log"), "--fail-on", "all"], /--fail-on takes "unused"/],
            [
                "a bad --input-format",
                [fixture("aws-default.log"), "--input-format", "csv"],
                /--input-format must be one of auto, aws, azure, gcp/,
            ],
            ["an unknown flag", [fixture("aws-default.log"), "--colour"], /Unknown option '--colour'/],
            ["stdin twice", ["-", "-"], /- \(standard input\) can be named once/],
        ];
        for (const [what, args, message] of usage) {
            it(`${what}: exit 2 with a message, nothing on stdout`, async () => {
                const r = await flowlogs(...args, ...R);
                assert.equal(r.code, 2, r.stderr);
                assert.equal(r.stdout, "");
                assert.match(r.stderr, message);
            });
        }

        it("a broken registry: exit 2 with its file and line", async () => {
            const bad = write("bad-ports.yaml", "services:\n  - { name: a, ports: [70000], protocol: tcp }\nknownCidrs: []\n");
            const r = await flowlogs(fixture("aws-default.log"), "--registry", bad);
            assert.equal(r.code, 2);
            assert.match(r.stderr, /bad-ports\.yaml:2: services\[0\]\.ports\[0\]: port 70000 is outside 0-65535/);
        });

        it("every record unreadable: exit 2, the first few quoted", async () => {
            const file = write(
                "junk.log",
                `${Array.from({ length: 9 }, (_, i) => `2 1 eni-1 10.0.0.${i} 10.0.0.2 x 22 6 1 1 1 1 ACCEPT OK`).join("\n")}\n`,
            );
            const r = await flowlogs(file, ...R);
            assert.equal(r.code, 2);
            assert.match(
                r.stderr,
                /9 records could not be read and were skipped; the first 5:\n( {2}.*junk\.log:\d: a tcp or udp record without a port.*\n){5}/,
            );
            assert.match(r.stderr, /no flow records in .*junk\.log \(9 unreadable records\): nothing was checked/);
        });
    });

    describe("the README", () => {
        const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
        const rows = [...readme.matchAll(/^\| `([a-z-]+)` \| .* \| `(2 \d+ eni-[^`]+)`: .* \|$/gm)].map((m) => ({
            kind: m[1],
            record: m[2],
        }));

        it("gives one example record for every kind but unused-service, each raising its kind against the shipped ports.yaml", async () => {
            assert.deepEqual(
                rows.map((r) => r.kind),
                ["undocumented-port", "internet-to-internal", "rejected-documented-flow"],
            );
            for (const { kind, record } of rows) {
                const file = write(`readme-${kind}.log`, `${record}\n`);
                const r = await flowlogs(file, "--format", "json");
                const kinds = (JSON.parse(r.stdout) as Report).findings.map((f) => f.kind).filter((k) => k !== "unused-service");
                assert.deepEqual(kinds, [kind], record);
            }
            assert.match(readme, /\| `unused-service` \| .* \| no record at all for udp 123 \(ntp\) \|/);
        });

        it("shows JSON findings the command gives for the fixture it names", async () => {
            const shown =
                /`test\/fixtures\/flowlogs\/aws-default\.log` against `test\/fixtures\/flowlogs\/ports\.yaml`:\n\n```json\n([\s\S]*?)```/.exec(
                    readme,
                )![1];
            const example = JSON.parse(shown) as Report;
            const { report } = await json(fixture("aws-default.log"));
            assert.deepEqual({ ...example, findings: [] }, { ...report, findings: [] });
            for (const f of example.findings)
                assert.ok(
                    report.findings.some((g) => JSON.stringify(g) === JSON.stringify(f)),
                    JSON.stringify(f),
                );
        });
    });

    describe("as a process", () => {
        const cli = path.join(root, "dist", "cli", "main.js");

        it("reads standard input (gzip too) with -", () => {
            const gz = zlib.gzipSync(fs.readFileSync(fixture("aws-default.log")));
            const r = spawnSync(process.execPath, [cli, "flowlogs", "-", ...R, "--format", "json"], { input: gz, encoding: "utf8" });
            assert.equal(r.status, 1, r.stderr);
            assert.equal((JSON.parse(r.stdout) as Report).records, 20);
        });

        it("prints a progress line on stderr for a large input, and none with --quiet", () => {
            const big = path.join(tmp, "big.log");
            writeAwsLog(big, 700_000);
            assert.ok(fs.statSync(big).size > 64 * 1024 * 1024);
            const r = spawnSync(process.execPath, [cli, "flowlogs", big, "--format", "json"], { encoding: "utf8", maxBuffer: 1 << 28 });
            assert.equal(r.status, 1, r.stderr);
            assert.match(r.stderr, /^flowlogs: 64 MiB of 7\d MiB \(8\d%\) read, [\d,]+ records, [\d.,M]+ records\/s$/m);
            const quiet = spawnSync(process.execPath, [cli, "flowlogs", big, "--format", "json", "--quiet"], {
                encoding: "utf8",
                maxBuffer: 1 << 28,
            });
            assert.doesNotMatch(quiet.stderr, /records\/s/);
            fs.rmSync(big);
        });

        it("internal-ports --help names the flowlogs command, and flowlogs --help lists its options", () => {
            const top = spawnSync(process.execPath, [cli, "--help"], { encoding: "utf8" });
            assert.match(top.stdout, /internal-ports flowlogs <file \| directory \| ->\.\.\. \[options\]/);
            const help = spawnSync(process.execPath, [cli, "flowlogs", "--help"], { encoding: "utf8" });
            assert.equal(help.status, 0);
            for (const flag of [
                "--registry",
                "--input-format",
                "--aws-fields",
                "--format",
                "--out",
                "--since",
                "--until",
                "--fail-on",
                "--emit-sql",
                "--quiet",
            ]) {
                assert.ok(help.stdout.includes(flag), flag);
            }
        });
    });
});
