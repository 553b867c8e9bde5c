// --emit-sql: the classification of the streaming command as one query, for logs that already live
// in a warehouse. The registry is compiled into the query (port ranges, address ranges, services),
// so it needs no table of its own:
//  - athena:   the flow log table of "Query flow logs using Amazon Athena" (vpc_flow_logs, the
//              default-format columns with underscores);
//  - bigquery: the tables a Cloud Logging sink writes (compute_googleapis_com_vpc_flows and
//              compute_googleapis_com_firewall, jsonPayload columns);
//  - kusto:    Azure Log Analytics' NTANetAnalytics table (traffic analytics of VNet flow logs),
//              whose rows are already keyed by destination port, so no reply is turned round there.
// portableSql() is the Athena query with the table and the address functions DuckDB has: the tests
// and the bench run it on DuckDB over generated logs and compare its findings with the command's.
import * as path from "path";
import { FlowRules, Slot } from "./rules";

export const SQL_DIALECTS = ["athena", "bigquery", "kusto"] as const;
export type SqlDialect = (typeof SQL_DIALECTS)[number];

type Ports = readonly (readonly [number, number])[];

/** `col IN (22, 53) OR col BETWEEN 2379 AND 2380`; FALSE for no ports. */
function portIn(col: string, ranges: Ports, kusto = false): string {
    if (ranges.length === 0) return kusto ? "false" : "FALSE";
    const singles = ranges.filter(([a, b]) => a === b).map(([a]) => a);
    const spans = ranges.filter(([a, b]) => a !== b);
    const parts: string[] = [];
    if (singles.length) parts.push(kusto ? `${col} in (${singles.join(", ")})` : `${col} IN (${singles.join(", ")})`);
    for (const [a, b] of spans) parts.push(kusto ? `${col} between (${a} .. ${b})` : `${col} BETWEEN ${a} AND ${b}`);
    return parts.length === 1 ? parts[0] : `(${parts.join(kusto ? " or " : " OR ")})`;
}

function mergePorts(ranges: Ports): [number, number][] {
    const sorted = [...ranges].sort((x, y) => x[0] - y[0]);
    const out: [number, number][] = [];
    for (const [a, b] of sorted) {
        const last = out[out.length - 1];
        if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
        else out.push([a, b]);
    }
    return out;
}

interface Compiled {
    /** Per protocol: documented and public port ranges. */
    documented: Record<"tcp" | "udp", [number, number][]>;
    publicPorts: Record<"tcp" | "udp", [number, number][]>;
    ephemeral: [number, number][];
    portSlots: Slot[];
    icmp?: Slot;
}

function compile(rules: FlowRules): Compiled {
    const of = (p: "tcp" | "udp", pub: boolean) =>
        mergePorts(rules.slots.filter((s) => s.protocol === p && (!pub || s.public)).flatMap((s) => s.portRanges));
    return {
        documented: { tcp: of("tcp", false), udp: of("udp", false) },
        publicPorts: { tcp: of("tcp", true), udp: of("udp", true) },
        ephemeral: rules.ephemeral,
        portSlots: rules.slots.filter((s) => s.protocol !== "icmp"),
        icmp: rules.slots.find((s) => s.protocol === "icmp"),
    };
}

/** Whether a port is documented, per protocol number (6, 17), in the ANSI-style dialects. */
function documentedCase(c: Compiled, col: string): string {
    return `(CASE protocol WHEN 6 THEN ${portIn(col, c.documented.tcp)} WHEN 17 THEN ${portIn(col, c.documented.udp)} ELSE FALSE END)`;
}

/** The service of (proto, port): CASE ... END, NULL for none. */
function serviceCase(c: Compiled): string {
    return [
        "CASE",
        ...c.portSlots.map((s) => `      WHEN proto = ${q(s.protocol)} AND ${portIn("port", s.portRanges)} THEN ${q(s.service)}`),
        ...(c.icmp ? [`      WHEN proto = 'icmp' THEN ${q(c.icmp.service)}`] : []),
        "    END",
    ].join("\n");
}

function publicPortCase(c: Compiled): string {
    return (
        `(CASE proto WHEN 'tcp' THEN ${portIn("port", c.publicPorts.tcp)} WHEN 'udp' THEN ${portIn("port", c.publicPorts.udp)} ` +
        `WHEN 'icmp' THEN ${c.icmp?.public ? "TRUE" : "FALSE"} ELSE FALSE END)`
    );
}

/** Whether the client may reach the service: its client blocks and allowedSources where it has them, else knownCidrs. */
function allowedCase(c: Compiled, rules: FlowRules, inTexts: (texts: readonly string[]) => string): string {
    return caseOr(
        withClients(c).map((s) => [`service = ${q(s.service)} AND proto = ${q(s.protocol)}`, inTexts(s.clients!.texts)]),
        inTexts(rules.known.texts),
    );
}

function withClients(c: Compiled): Slot[] {
    return c.portSlots.concat(c.icmp ? [c.icmp] : []).filter((s) => s.clients);
}

/** CASE WHEN a THEN x ... ELSE y END, or y alone when there is no case. */
function caseOr(cases: [string, string][], otherwise: string): string {
    if (cases.length === 0) return otherwise;
    return ["(CASE", ...cases.map(([when, then]) => `      WHEN ${when} THEN ${then}`), `      ELSE ${otherwise} END)`].join("\n");
}

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

function header(rules: FlowRules, what: string): string[] {
    return [
        `-- internal-ports flowlogs --emit-sql: ${what}`,
        `-- Generated from ${path.basename(rules.file)}: the same findings as the command (kind, protocol, port, service, the client's /24`,
        "-- or /64 as source, the server as destination, flows, bytes, where). Regenerate it when ports.yaml changes.",
    ];
}

interface AnsiOptions {
    table: string;
    /** Trino's contains(cidr, ipaddress) for IPv6; the portable variant leaves IPv6 records out. */
    v6: boolean;
    since?: number;
    until?: number;
}

/**
 * An IPv4 CIDR as a test on the address text: a prefix match on the whole octets and a range on the
 * next one, so no row pays for turning its address into a number (DuckDB spent most of its time there).
 */
function v4Cidr(col: string, lo: bigint, prefix: number): string {
    const n = Number(lo);
    const octets = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
    const whole = Math.floor(prefix / 8);
    const rest = prefix % 8;
    const parts: string[] = [];
    if (whole === 4) parts.push(`${col} = '${octets.join(".")}'`);
    else if (whole > 0) parts.push(`${col} LIKE '${octets.slice(0, whole).join(".")}.%'`);
    if (rest > 0) {
        const first = octets[whole];
        parts.push(`CAST(split_part(${col}, '.', ${whole + 1}) AS INTEGER) BETWEEN ${first} AND ${first + 2 ** (8 - rest) - 1}`);
    }
    return parts.length === 0 ? "TRUE" : parts.length === 1 ? parts[0] : `(${parts.join(" AND ")})`;
}

/** The IPv4 blocks of CIDR texts as v4Cidr tests joined by OR; FALSE for none. */
function v4Texts(col: string, texts: readonly string[]): string {
    const tests = texts
        .filter((t) => !t.includes(":"))
        .map((t) => {
            const [addr, p] = t.split("/");
            const [a, b, c, d] = addr.split(".").map(Number);
            return v4Cidr(col, BigInt(((a * 256 + b) * 256 + c) * 256 + d), Number(p));
        });
    return tests.length === 0 ? "FALSE" : tests.length === 1 ? tests[0] : `(${tests.join(" OR ")})`;
}

const PRIVATE_V4_TEXTS = ["10.0.0.0/8", "100.64.0.0/10", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16"];

/** Athena (Trino) SQL; with v6 false and a table of the same columns, also DuckDB's. One scan of the table. */
function ansi(rules: FlowRules, o: AnsiOptions): string {
    const c = compile(rules);
    const v6In = (x: string, texts: readonly string[]) => {
        const six = texts.filter((t) => t.includes(":"));
        return six.length ? `(${six.map((t) => `contains(${q(t)}, CAST(${x} AS IPADDRESS))`).join(" OR ")})` : "FALSE";
    };
    const inTexts = (texts: readonly string[]) =>
        o.v6
            ? `(CASE WHEN strpos(client, ':') > 0 THEN ${v6In("client", texts)} ELSE ${v4Texts("client", texts)} END)`
            : v4Texts("client", texts);
    const privateClient = o.v6
        ? `(CASE WHEN strpos(client, ':') > 0 THEN regexp_like(lower(client), '^(f[cd]|fe[89ab])') ELSE ${v4Texts("client", PRIVATE_V4_TEXTS)} END)`
        : v4Texts("client", PRIVATE_V4_TEXTS);
    const doc = (col: string) => documentedCase(c, col);
    const service = serviceCase(c);
    const publicPort = publicPortCase(c);
    const allowed = allowedCase(c, rules, inTexts);
    const window = [o.since !== undefined ? `start >= ${o.since}` : "", o.until !== undefined ? `start < ${o.until}` : ""].filter(Boolean);
    const block4 = "concat(split_part(client, '.', 1), '.', split_part(client, '.', 2), '.', split_part(client, '.', 3), '.0/24')";
    const block = o.v6
        ? "CASE WHEN strpos(client, ':') > 0 THEN concat(regexp_replace(lower(to_hex(varbinary_substring(CAST(CAST(client AS IPADDRESS) AS VARBINARY), 1, 8))), '(.{4})', '$1:'), ':/64') " +
          `ELSE ${block4} END`
        : block4;
    const slots = rules.slots.map((s) => `(${q(s.service)}, ${q(s.protocol)})`);
    return [
        "WITH records AS (",
        "  SELECT srcaddr, dstaddr, srcport, dstport, protocol, COALESCE(bytes, 0) AS bytes, action, interface_id,",
        `    ${doc("srcport")} AS src_doc, ${doc("dstport")} AS dst_doc,`,
        `    ${portIn("srcport", c.ephemeral)} AS src_eph, ${portIn("dstport", c.ephemeral)} AS dst_eph`,
        `  FROM ${o.table}`,
        "  WHERE action IN ('ACCEPT', 'REJECT') AND srcaddr <> '-' AND dstaddr <> '-'",
        "    AND (protocol NOT IN (6, 17) OR (srcport BETWEEN 0 AND 65535 AND dstport BETWEEN 0 AND 65535))",
        ...(o.v6 ? [] : ["    AND strpos(srcaddr, ':') = 0 AND strpos(dstaddr, ':') = 0 -- this variant reads IPv4 only"]),
        ...window.map((w) => `    AND ${w}`),
        "), sides AS (",
        "  -- A reply (from a documented port to an undocumented one, or, neither documented, from a non-ephemeral",
        "  -- port to an ephemeral one) belongs to its source port: client and server swap.",
        "  SELECT CASE protocol WHEN 6 THEN 'tcp' WHEN 17 THEN 'udp' WHEN 1 THEN 'icmp' WHEN 58 THEN 'icmp' ELSE CAST(protocol AS VARCHAR) END AS proto,",
        "    CASE WHEN protocol IN (6, 17) THEN (CASE WHEN reply THEN srcport ELSE dstport END) END AS port,",
        "    CASE WHEN reply THEN dstaddr ELSE srcaddr END AS client,",
        "    CASE WHEN reply THEN srcaddr ELSE dstaddr END AS server,",
        "    bytes, action, interface_id",
        "  FROM (SELECT *, protocol IN (6, 17) AND ((src_doc AND NOT dst_doc) OR (NOT src_doc AND NOT dst_doc AND dst_eph AND NOT src_eph)) AS reply FROM records) AS r",
        "), named AS (",
        `  SELECT *, ${service} AS service,`,
        `    ${publicPort} AS public_port`,
        "  FROM sides",
        "), classified AS (",
        "  SELECT proto, port, service, client, server, bytes,",
        "    CASE WHEN action = 'ACCEPT' AND service IS NULL THEN 'undocumented-port'",
        `      WHEN action = 'REJECT' AND service IS NOT NULL AND ${allowed} THEN 'rejected-documented-flow' END AS kind_a,`,
        `    CASE WHEN action = 'ACCEPT' AND NOT public_port AND NOT ${privateClient} AND NOT ${inTexts(rules.known.texts)} THEN 'internet-to-internal' END AS kind_b,`,
        "    CASE WHEN action = 'REJECT' THEN NULLIF(interface_id, '-') END AS rejecter,",
        "    action = 'ACCEPT' AND service IS NOT NULL AS used",
        "  FROM named",
        "), grouped AS (",
        "  -- Findings by their key; every other record by its service alone (it only marks the service used).",
        "  SELECT kind_a, kind_b, proto, port, service,",
        `    CASE WHEN kind_a IS NOT NULL OR kind_b IS NOT NULL THEN ${block} END AS source,`,
        "    CASE WHEN kind_a IS NOT NULL OR kind_b IS NOT NULL THEN server END AS destination,",
        "    bool_or(used) AS used, COUNT(*) AS flows, SUM(bytes) AS bytes,",
        "    array_agg(DISTINCT rejecter) FILTER (WHERE rejecter IS NOT NULL AND kind_a = 'rejected-documented-flow') AS rejecters",
        "  FROM classified GROUP BY 1, 2, 3, 4, 5, 6, 7",
        "), findings AS (",
        "  SELECT kind, proto, port, service, source, destination, SUM(flows) AS flows, SUM(bytes) AS bytes, arbitrary(rejecters) AS rejecters",
        "  FROM grouped CROSS JOIN UNNEST(ARRAY[kind_a, kind_b, CASE WHEN used THEN 'used' END]) AS k (kind)",
        "  WHERE kind IS NOT NULL",
        "  GROUP BY 1, 2, 3, 4, 5, 6",
        ")",
        "-- A service (per protocol) no accepted record used is an unused-service note.",
        "SELECT COALESCE(f.kind, 'unused-service') AS kind, COALESCE(f.proto, s.protocol) AS protocol, f.port, COALESCE(f.service, s.service) AS service,",
        '  f.source, f.destination, COALESCE(f.flows, 0) AS flows, COALESCE(f.bytes, 0) AS bytes, f.rejecters AS "where"',
        "FROM findings AS f",
        `FULL OUTER JOIN (VALUES ${slots.join(", ")}) AS s (service, protocol)`,
        "  ON f.kind = 'used' AND f.service = s.service AND f.proto = s.protocol",
        "WHERE f.kind IS NULL OR f.kind <> 'used'",
        "ORDER BY kind, flows DESC",
    ].join("\n");
}

export function athenaSql(rules: FlowRules, since?: number, until?: number): string {
    return [
        ...header(rules, "Amazon Athena (engine version 3)"),
        '-- Table: vpc_flow_logs, created as "Query flow logs using Amazon Athena" shows (default format columns,',
        "-- interface_id, log_status, start in Unix seconds). Narrow the scan with the table's partition columns.",
        ansi(rules, { table: "vpc_flow_logs", v6: true, since, until }),
        "",
    ].join("\n");
}

/** The Athena query as DuckDB runs it (no IPADDRESS type: IPv4 records only), over a table or view of the same columns. */
export function portableSql(rules: FlowRules, table: string): string {
    return ansi(rules, { table, v6: false });
}

export function bigquerySql(rules: FlowRules, since?: number, until?: number): string {
    const window = (time: string) =>
        [
            since !== undefined ? `${time} >= TIMESTAMP_SECONDS(${since})` : "",
            until !== undefined ? `${time} < TIMESTAMP_SECONDS(${until})` : "",
        ]
            .filter(Boolean)
            .map((w, i) => `  ${i === 0 ? "WHERE" : "  AND"} ${w}`);
    const c = compile(rules);
    const doc = (col: string) => documentedCase(c, col);
    const ip = (x: string) => `NET.SAFE_IP_FROM_STRING(${x})`;
    const cidrIn = (texts: readonly string[]) =>
        texts.length
            ? `(${texts
                  .map((t) => {
                      const [a, p] = t.split("/");
                      return `(BYTE_LENGTH(client_ip) = BYTE_LENGTH(${ip(q(a))}) AND SAFE.NET.IP_TRUNC(client_ip, ${p}) = ${ip(q(a))})`;
                  })
                  .join(" OR ")})`
            : "FALSE";
    const PRIVATE = ["10.0.0.0/8", "100.64.0.0/10", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", "fe80::/10"];
    const service = serviceCase(c);
    const publicPort = publicPortCase(c);
    const allowed = allowedCase(c, rules, cidrIn);
    const slots = rules.slots.map((s) => `STRUCT(${q(s.service)} AS service, ${q(s.protocol)} AS protocol)`);
    return [
        ...header(rules, "BigQuery (GoogleSQL)"),
        "-- Tables: the ones a Cloud Logging sink to BigQuery writes; replace my-project.my_dataset (date-sharded",
        "-- tables: add _* and filter _TABLE_SUFFIX). VPC Flow Logs record accepted traffic; firewall logs add rejections.",
        "WITH records AS (",
        "  SELECT jsonPayload.connection.src_ip AS srcaddr, jsonPayload.connection.dest_ip AS dstaddr,",
        "    SAFE_CAST(jsonPayload.connection.src_port AS INT64) AS srcport, SAFE_CAST(jsonPayload.connection.dest_port AS INT64) AS dstport,",
        "    SAFE_CAST(jsonPayload.connection.protocol AS INT64) AS protocol, COALESCE(SAFE_CAST(jsonPayload.bytes_sent AS INT64), 0) AS bytes,",
        "    'ACCEPT' AS action, CAST(NULL AS STRING) AS rejecter",
        "  FROM `my-project.my_dataset.compute_googleapis_com_vpc_flows`",
        ...window("COALESCE(SAFE_CAST(jsonPayload.start_time AS TIMESTAMP), timestamp)"),
        "  UNION ALL",
        "  SELECT jsonPayload.connection.src_ip, jsonPayload.connection.dest_ip,",
        "    SAFE_CAST(jsonPayload.connection.src_port AS INT64), SAFE_CAST(jsonPayload.connection.dest_port AS INT64),",
        "    SAFE_CAST(jsonPayload.connection.protocol AS INT64), 0,",
        "    IF(jsonPayload.disposition = 'DENIED', 'REJECT', 'ACCEPT'), jsonPayload.rule_details.reference",
        "  FROM `my-project.my_dataset.compute_googleapis_com_firewall`",
        ...window("timestamp"),
        "), flagged AS (",
        `  SELECT *, ${doc("srcport")} AS src_doc, ${doc("dstport")} AS dst_doc, ${portIn("srcport", c.ephemeral)} AS src_eph, ${portIn("dstport", c.ephemeral)} AS dst_eph`,
        "  FROM records WHERE protocol NOT IN (6, 17) OR (srcport BETWEEN 0 AND 65535 AND dstport BETWEEN 0 AND 65535)",
        "), sides AS (",
        "  SELECT CASE protocol WHEN 6 THEN 'tcp' WHEN 17 THEN 'udp' WHEN 1 THEN 'icmp' WHEN 58 THEN 'icmp' ELSE CAST(protocol AS STRING) END AS proto, *",
        "  FROM (SELECT *, protocol IN (6, 17) AND ((src_doc AND NOT dst_doc) OR (NOT src_doc AND NOT dst_doc AND dst_eph AND NOT src_eph)) AS reply FROM flagged)",
        "), judged AS (",
        "  SELECT proto, port, client, server, bytes, action, rejecter,",
        `    ${service.replace(/\n/g, "\n  ")} AS service,`,
        `    ${publicPort} AS public_port, ${ip("client")} AS client_ip`,
        "  FROM (SELECT *, IF(protocol IN (6, 17), IF(reply, srcport, dstport), NULL) AS port,",
        "    IF(reply, dstaddr, srcaddr) AS client, IF(reply, srcaddr, dstaddr) AS server FROM sides)",
        "), found AS (",
        "  SELECT 'undocumented-port' AS kind, proto, port, service, client_ip, server, bytes, CAST(NULL AS STRING) AS rejecter FROM judged",
        "  WHERE action = 'ACCEPT' AND service IS NULL",
        "  UNION ALL",
        "  SELECT 'internet-to-internal', proto, port, service, client_ip, server, bytes, NULL FROM judged",
        `  WHERE action = 'ACCEPT' AND NOT public_port AND NOT ${cidrIn(PRIVATE)} AND NOT ${cidrIn(rules.known.texts)}`,
        "  UNION ALL",
        "  SELECT 'rejected-documented-flow', proto, port, service, client_ip, server, bytes, rejecter FROM judged",
        `  WHERE action = 'REJECT' AND service IS NOT NULL AND ${allowed}`,
        ")",
        "SELECT kind, proto AS protocol, port, service,",
        "  CONCAT(NET.IP_TO_STRING(NET.IP_TRUNC(client_ip, IF(BYTE_LENGTH(client_ip) = 4, 24, 64))), IF(BYTE_LENGTH(client_ip) = 4, '/24', '/64')) AS source,",
        "  server AS destination, COUNT(*) AS flows, SUM(bytes) AS bytes, ARRAY_AGG(DISTINCT rejecter IGNORE NULLS) AS `where`",
        "FROM found GROUP BY 1, 2, 3, 4, 5, 6",
        "UNION ALL",
        "SELECT 'unused-service', s.protocol, NULL, s.service, NULL, NULL, 0, 0, []",
        `FROM UNNEST([${slots.join(", ")}]) AS s`,
        "WHERE NOT EXISTS (SELECT 1 FROM judged WHERE judged.action = 'ACCEPT' AND judged.service = s.service AND judged.proto = s.protocol)",
        "ORDER BY kind, flows DESC;",
        "",
    ].join("\n");
}

export function kustoSql(rules: FlowRules, since?: number, until?: number): string {
    const window = [
        since !== undefined ? `| where FlowStartTime >= unixtime_seconds_todatetime(${since})` : "",
        until !== undefined ? `| where FlowStartTime < unixtime_seconds_todatetime(${until})` : "",
    ].filter(Boolean);
    const c = compile(rules);
    const cidrIn = (texts: readonly string[]) =>
        texts.length
            ? `(${texts.map((t) => (t.includes(":") ? `ipv6_is_in_range(Client, ${q(t)})` : `ipv4_is_in_range(Client, ${q(t)})`)).join(" or ")})`
            : "false";
    const PRIVATE = ["10.0.0.0/8", "100.64.0.0/10", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", "fe80::/10"];
    const service = [
        "case(",
        ...c.portSlots.map((s) => `    Proto == ${q(s.protocol)} and ${portIn("Port", s.portRanges, true)}, ${q(s.service)},`),
        ...(c.icmp ? [`    Proto == 'icmp', ${q(c.icmp.service)},`] : []),
        "    '')",
    ].join("\n");
    const publicPort = `case(Proto == 'tcp', ${portIn("Port", c.publicPorts.tcp, true)}, Proto == 'udp', ${portIn("Port", c.publicPorts.udp, true)}, Proto == 'icmp', ${c.icmp?.public ? "true" : "false"}, false)`;
    const clientCases = withClients(c).map(
        (s) => `    Service == ${q(s.service)} and Proto == ${q(s.protocol)}, ${cidrIn(s.clients!.texts)},`,
    );
    const allowed = clientCases.length
        ? ["case(", ...clientCases, `    ${cidrIn(rules.known.texts)})`].join("\n")
        : cidrIn(rules.known.texts);
    const slots = rules.slots.map((s) => `${q(s.service)}, ${q(s.protocol)}`);
    return [
        `// internal-ports flowlogs --emit-sql: Azure Log Analytics (KQL) over NTANetAnalytics`,
        `// Generated from ${path.basename(rules.file)}: the same findings as the command. Traffic analytics keys its rows by destination port`,
        "// (no source port), so every row belongs to its destination port; public addresses are read from SrcPublicIps.",
        "let Judged = NTANetAnalytics",
        "| where SubType == 'FlowLog'",
        ...window,
        "| extend Proto = case(L4Protocol in ('T', '6', 'TCP', 'Tcp'), 'tcp', L4Protocol in ('U', '17', 'UDP', 'Udp'), 'udp', L4Protocol in ('1', '58', 'ICMP', 'Icmp'), 'icmp', tolower(L4Protocol))",
        "| extend Port = iff(Proto in ('tcp', 'udp'), toint(DestPort), int(null))",
        "| extend Client = iff(isnotempty(SrcIp), SrcIp, tostring(split(tostring(split(SrcPublicIps, ' ')[0]), '|')[0]))",
        "| extend Server = iff(isnotempty(DestIp), DestIp, tostring(split(tostring(split(DestPublicIps, ' ')[0]), '|')[0]))",
        "| extend Bytes = tolong(BytesSrcToDest) + tolong(BytesDestToSrc), Accepted = FlowStatus in ('Allowed', 'A')",
        `| extend Service = ${service.replace(/\n/g, "\n  ")}`,
        `| extend PublicPort = ${publicPort}`,
        "| extend IsV6 = Client contains ':';",
        "let Found = union",
        "  (Judged | where Accepted and isempty(Service) | extend kind = 'undocumented-port', Rejecter = ''),",
        `  (Judged | where Accepted and not(PublicPort) and not(${cidrIn(PRIVATE)}) and not(${cidrIn(rules.known.texts)}) | extend kind = 'internet-to-internal', Rejecter = ''),`,
        `  (Judged | where not(Accepted) and isnotempty(Service) and ${allowed.replace(/\n/g, "\n    ")} | extend kind = 'rejected-documented-flow', Rejecter = AclRule);`,
        "Found",
        "| extend source = iff(IsV6, strcat(format_ipv6_mask(Client, 64), '/64'), strcat(format_ipv4_mask(Client, 24), '/24'))",
        "| summarize flows = count(), bytes = sum(Bytes), ['where'] = make_set_if(Rejecter, isnotempty(Rejecter)) by kind, protocol = Proto, port = Port, service = Service, source, destination = Server",
        "| union (",
        `    datatable(service: string, protocol: string) [${slots.join(", ")}]`,
        "    | join kind = leftanti (Judged | where Accepted | distinct service = Service, protocol = Proto) on service, protocol",
        "    | extend kind = 'unused-service', flows = 0, bytes = 0",
        "  )",
        "| order by kind asc, flows desc",
        "",
    ].join("\n");
}

export function emitSql(dialect: SqlDialect, rules: FlowRules, since?: number, until?: number): string {
    if (dialect === "athena") return athenaSql(rules, since, until);
    if (dialect === "bigquery") return bigquerySql(rules, since, until);
    return kustoSql(rules, since, until);
}
