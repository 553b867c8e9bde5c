// Seeded AWS VPC flow logs in the default version-2 format, for the DuckDB comparison test and the
// bench: a mix of what a VPC sees against the shipped ports.yaml (internal clients on documented
// ports and their replies, the internet on 443 and scanners rejected, some undocumented ports, some
// rejected internal traffic, the internet reaching ssh, dns over udp, icmp, NODATA lines).
import * as fs from "fs";
import { mulberry32 } from "./prng";

export interface GenerateOptions {
    seed?: number;
    /** Write the header line (S3 delivery). Default true. */
    header?: boolean;
}

const HEADER = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n";

/** Lines of `records` records, about `batch` at a time. */
export function* awsLogChunks(records: number, options: GenerateOptions = {}, batch = 20000): Generator<string> {
    const rnd = mulberry32(options.seed ?? 17);
    const int = (n: number) => Math.floor(rnd() * n);
    const pick = <T>(xs: readonly T[]) => xs[int(xs.length)];
    // A few subnets of clients and servers, as in a VPC: the distinct findings level off after a few
    // million records, so memory can be seen to stay flat as the input grows.
    const internal = Array.from({ length: 2000 }, (_, i) => `10.1.${i % 32}.${1 + (i % 250)}`);
    const servers = Array.from({ length: 100 }, (_, i) => `10.0.${i % 8}.${10 + i}`);
    const internet = Array.from(
        { length: 2000 },
        (_, i) => `${pick([3, 18, 34, 52, 54, 99, 185, 198, 203])}.${i % 7}.${int(4)}.${1 + int(254)}`,
    );
    const cgnat = Array.from({ length: 50 }, (_, i) => `100.64.${i}.${1 + i}`);
    const enis = Array.from({ length: 500 }, (_, i) => `eni-${(0x1000000 + i * 7919).toString(16)}${"abcdef0123"}`.slice(0, 21));
    const documented = [22, 443, 5432, 6379, 8080, 9092, 2379, 3306, 9200, 27017];
    const undocumented = [81, 444, 777, 873, 993];
    const ephemeral = () => 32768 + int(28232);
    const base = 1790000000;
    let lines: string[] = [];
    if (options.header ?? true) lines.push(HEADER.slice(0, -1));
    for (let i = 0; i < records; i++) {
        const start = base + Math.floor(i / 2000);
        const eni = pick(enis);
        const bytes = 40 + int(100000);
        const packets = 1 + int(100);
        const r = int(1000);
        let src: string,
            dst: string,
            sp: number,
            dp: number,
            proto = 6,
            action = "ACCEPT";
        if (r < 20) {
            lines.push(`2 123456789010 ${eni} - - - - - - - ${start} ${start + 60} - NODATA`);
            continue;
        } else if (r < 600) {
            src = pick(internal);
            dst = pick(servers);
            sp = ephemeral();
            dp = pick(documented);
        } else if (r < 700) {
            src = pick(internet);
            dst = pick(servers);
            sp = ephemeral();
            dp = 443;
        } else if (r < 780) {
            src = pick(internet);
            dst = pick(servers);
            sp = ephemeral();
            dp = int(1024);
            action = "REJECT";
        } else if (r < 830) {
            src = pick(internal);
            dst = pick(servers);
            sp = ephemeral();
            dp = pick(documented);
            action = "REJECT";
        } else if (r < 880) {
            src = pick(internal);
            dst = pick(servers);
            sp = ephemeral();
            dp = pick(undocumented);
        } else if (r < 900) {
            src = pick(r < 890 ? internet : cgnat);
            dst = pick(servers);
            sp = ephemeral();
            dp = 22;
        } else if (r < 960) {
            src = pick(internal);
            dst = pick(servers);
            sp = ephemeral();
            dp = 53;
            proto = 17;
        } else {
            src = pick(r < 980 ? internal : internet);
            dst = pick(servers);
            sp = 0;
            dp = 0;
            proto = 1;
        }
        // Half the accepted tcp/udp records are the replies.
        if (proto !== 1 && action === "ACCEPT" && (i & 1) === 1) [src, dst, sp, dp] = [dst, src, dp, sp];
        lines.push(`2 123456789010 ${eni} ${src} ${dst} ${sp} ${dp} ${proto} ${packets} ${bytes} ${start} ${start + 60} ${action} OK`);
        if (lines.length >= batch) {
            yield `${lines.join("\n")}\n`;
            lines = [];
        }
    }
    if (lines.length) yield `${lines.join("\n")}\n`;
}

/** Writes the log to `file`; returns its size in bytes. */
export function writeAwsLog(file: string, records: number, options: GenerateOptions = {}): number {
    const fd = fs.openSync(file, "w");
    let size = 0;
    try {
        for (const chunk of awsLogChunks(records, options)) {
            const buf = Buffer.from(chunk, "latin1");
            fs.writeSync(fd, buf);
            size += buf.length;
        }
    } finally {
        fs.closeSync(fd);
    }
    return size;
}
