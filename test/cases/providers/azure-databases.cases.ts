// Azure managed databases' server firewall rules for every policy's table: PostgreSQL, MySQL and
// SQL Server rules in the shapes `@pulumi/azure-native` and `@pulumi/azure` send. Each rule is one
// inbound allow of the engine's port from `startIpAddress`..`endIpAddress`.
import { Expect, TEST_REGISTRY_YAML, UNKNOWN } from "../../helpers";
import { CaseTable } from "../index";

const PG = "azure-native:dbforpostgresql:FirewallRule";
const PG_VERSIONED = "azure-native:dbforpostgresql/v20221201:FirewallRule";
const MYSQL = "azure-native:dbformysql:FirewallRule";
const SQL = "azure-native:sql:FirewallRule";
const PG_CLASSIC = "azure:postgresql/flexibleServerFirewallRule:FlexibleServerFirewallRule";
const MYSQL_CLASSIC = "azure:mysql/flexibleServerFirewallRule:FlexibleServerFirewallRule";
const MSSQL_CLASSIC = "azure:mssql/firewallRule:FirewallRule";
const SYNAPSE = "azure-native:synapse:IpFirewallRule";
const SYNAPSE_CLASSIC = "azure:synapse/firewallRule:FirewallRule";

/** The test registry with MySQL and SQL Server documented (internal, not public). */
const DB_REGISTRY = TEST_REGISTRY_YAML.replace(
    "  - { name: app, ports: [8080], protocol: tcp }\n",
    "  - { name: app, ports: [8080], protocol: tcp }\n  - { name: mysql, ports: [3306], protocol: tcp }\n  - { name: mssql, ports: [1433], protocol: tcp }\n",
);

const native = (startIpAddress: unknown, endIpAddress: unknown) => ({
    resourceGroupName: "rg",
    serverName: "db",
    firewallRuleName: "rule",
    startIpAddress,
    endIpAddress,
});
const classicById = (startIpAddress: unknown, endIpAddress: unknown) => ({
    name: "rule",
    serverId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DBforPostgreSQL/flexibleServers/db",
    startIpAddress,
    endIpAddress,
});
const classicByName = (startIpAddress: unknown, endIpAddress: unknown) => ({
    name: "rule",
    resourceGroupName: "rg",
    serverName: "db",
    startIpAddress,
    endIpAddress,
});

/** A Synapse workspace firewall rule as pulumi/examples azure-ts-synapse writes one (`workspaceName`), and the classic shape. */
const workspace = (startIpAddress: unknown, endIpAddress: unknown) => ({
    resourceGroupName: "rg",
    workspaceName: "analytics",
    startIpAddress,
    endIpAddress,
});
const workspaceById = (startIpAddress: unknown, endIpAddress: unknown) => ({
    name: "rule",
    synapseWorkspaceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Synapse/workspaces/analytics",
    startIpAddress,
    endIpAddress,
});

const WORLD = ["0.0.0.0", "255.255.255.255"] as const;
const AZURE = ["0.0.0.0", "0.0.0.0"] as const;
const OFFICE = ["203.0.113.0", "203.0.113.255"] as const;
const AZURE_WORDS = "Azure services (the 0.0.0.0 rule: any Azure tenant's addresses)";

const worldOpen = (port: string): Expect[] => [
    [
        "worldOpen",
        "this rule",
        { rules: "this rule (from 0.0.0.0/0)", ports: port },
        port.includes("undocumented") ? "fixSourcesNew" : "fixSources",
    ],
];

const noWorld: CaseTable = {
    valid: [
        { name: "PostgreSQL from an office /24", type: PG, props: native(...OFFICE) },
        { name: '"allow Azure services" (0.0.0.0-0.0.0.0) is a named source, not the whole internet', type: PG, props: native(...AZURE) },
        { name: "SQL Server: allow Azure services", type: SQL, props: native(...AZURE) },
        { name: "classic: allow Azure services", type: MSSQL_CLASSIC, props: classicById(...AZURE) },
        { name: "Synapse workspace: allow Azure services", type: SYNAPSE, props: workspace(...AZURE) },
        { name: "Synapse workspace from an office /24", type: SYNAPSE_CLASSIC, props: workspaceById(...OFFICE) },
        { name: "half the internet is not the whole of it", type: MYSQL, props: native("0.0.0.0", "127.255.255.255") },
        { name: "a range that is no CIDR block", type: PG, props: native("10.0.0.5", "10.0.0.9") },
        {
            name: "preview: addresses unknown, left unreported when reportUnverifiable is off",
            type: PG,
            props: native(UNKNOWN, UNKNOWN),
            config: { reportUnverifiable: false },
        },
    ],
    invalid: [
        {
            name: "PostgreSQL: 0.0.0.0-255.255.255.255 is the whole internet on 5432",
            type: PG,
            props: native(...WORLD),
            errors: [["worldOpen", "this rule", { rules: "this rule (from 0.0.0.0/0)", ports: "tcp 5432 (postgres)" }, "fixSources"]],
        },
        { name: "PostgreSQL: a versioned token", type: PG_VERSIONED, props: native(...WORLD), errors: worldOpen("tcp 5432 (postgres)") },
        {
            name: "MySQL: the whole internet on 3306",
            type: MYSQL,
            props: native(...WORLD),
            errors: worldOpen("tcp 3306 (mysql)"),
            registryYaml: DB_REGISTRY,
        },
        {
            name: "SQL Server: the whole internet on 1433, undocumented",
            type: SQL,
            props: native(...WORLD),
            errors: worldOpen("tcp 1433 (undocumented)"),
        },
        {
            name: "classic PostgreSQL flexible server",
            type: PG_CLASSIC,
            props: classicById(...WORLD),
            errors: worldOpen("tcp 5432 (postgres)"),
        },
        {
            name: "classic MySQL flexible server",
            type: MYSQL_CLASSIC,
            props: classicByName(...WORLD),
            errors: worldOpen("tcp 3306 (mysql)"),
            registryYaml: DB_REGISTRY,
        },
        {
            name: "classic SQL Server",
            type: MSSQL_CLASSIC,
            props: classicById(...WORLD),
            errors: worldOpen("tcp 1433 (mssql)"),
            registryYaml: DB_REGISTRY,
        },
        {
            name: "Synapse workspace (native): 0.0.0.0-255.255.255.255 is the whole internet on its SQL endpoints, 1433",
            type: SYNAPSE,
            props: workspace(...WORLD),
            errors: worldOpen("tcp 1433 (undocumented)"),
        },
        {
            name: "Synapse workspace: a versioned token",
            type: "azure-native:synapse/v20210601:IpFirewallRule",
            props: workspace(...WORLD),
            errors: worldOpen("tcp 1433 (mssql)"),
            registryYaml: DB_REGISTRY,
        },
        {
            name: "Synapse workspace (classic)",
            type: SYNAPSE_CLASSIC,
            props: workspaceById(...WORLD),
            errors: worldOpen("tcp 1433 (mssql)"),
            registryYaml: DB_REGISTRY,
        },
        {
            name: "preview: an unknown end address is advisory, never a violation",
            type: PG,
            props: native("0.0.0.0", UNKNOWN),
            advisories: [["ruleUnknown", "this rule", { rule: "this rule", paths: "endIpAddress" }, null]],
        },
        {
            name: "a range backwards is unreadable, advisory",
            type: SQL,
            props: native("10.0.0.9", "10.0.0.5"),
            advisories: [
                ["ruleUnreadable", "this rule", { rule: "this rule", problems: "startIpAddress is after endIpAddress (10.0.0.5)" }, null],
            ],
        },
        {
            name: "an address that is no IPv4 address is unreadable, advisory",
            type: PG,
            props: native("0.0.0.0/0", "::"),
            advisories: [
                [
                    "ruleUnreadable",
                    "this rule",
                    { rule: "this rule", problems: "startIpAddress is not an IP address and endIpAddress is not an IPv4 address" },
                    null,
                ],
            ],
        },
    ],
};

const known: CaseTable = {
    valid: [
        { name: "PostgreSQL from inside its allowedSources", type: PG, props: native("10.20.1.0", "10.20.1.255") },
        { name: "MySQL from inside knownCidrs, a range that is no CIDR block", type: MYSQL, props: native("10.1.0.5", "10.1.0.9") },
        { name: "the whole internet is no-world-open-internal-ports' concern", type: PG, props: native(...WORLD) },
    ],
    invalid: [
        {
            name: '"allow Azure services" is every Azure tenant\'s addresses: outside the known ranges, though not the whole internet',
            type: PG,
            props: native(...AZURE),
            errors: [
                [
                    "outside",
                    "this rule",
                    {
                        rule: "this rule",
                        sources: AZURE_WORDS,
                        where: "tcp 5432 (postgres), outside postgres's allowedSources: 10.20.0.0/16",
                    },
                    "fixSources",
                ],
            ],
        },
        {
            name: "PostgreSQL from an office /24 outside its allowedSources",
            type: PG_CLASSIC,
            props: classicById(...OFFICE),
            errors: [
                [
                    "outside",
                    "this rule",
                    {
                        rule: "this rule",
                        sources: "203.0.113.0/24",
                        where: "tcp 5432 (postgres), outside postgres's allowedSources: 10.20.0.0/16",
                    },
                    "fixSources",
                ],
            ],
        },
        {
            name: "MySQL from an office /24 outside knownCidrs",
            type: MYSQL,
            props: native(...OFFICE),
            errors: [
                [
                    "outside",
                    "this rule",
                    { rule: "this rule", sources: "203.0.113.0/24", where: "tcp 3306 (undocumented), outside knownCidrs: 10.0.0.0/8" },
                    "fixSources",
                ],
            ],
        },
        {
            name: "classic SQL Server from a range that is no CIDR block",
            type: MSSQL_CLASSIC,
            props: classicById("203.0.113.5", "203.0.113.9"),
            errors: [
                [
                    "outside",
                    "this rule",
                    {
                        rule: "this rule",
                        sources: "203.0.113.5-203.0.113.9",
                        where: "tcp 1433 (undocumented), outside knownCidrs: 10.0.0.0/8",
                    },
                    "fixSources",
                ],
            ],
        },
    ],
};

const documented: CaseTable = {
    valid: [
        { name: "PostgreSQL's port is documented", type: PG, props: native("10.20.0.0", "10.20.255.255") },
        { name: "MySQL documented", type: MYSQL_CLASSIC, props: classicByName("10.0.0.0", "10.0.0.255"), registryYaml: DB_REGISTRY },
    ],
    invalid: [
        {
            name: "SQL Server's 1433 undocumented, for Azure services",
            type: SQL,
            props: native(...AZURE),
            errors: [
                ["undocumented", "this rule", { rule: `this rule (from ${AZURE_WORDS})`, ports: "tcp 1433 (undocumented)" }, "fixDocument"],
            ],
        },
    ],
};

export const cases: Record<string, CaseTable> = {
    "no-world-open-internal-ports": noWorld,
    "known-source-cidrs": known,
    "documented-ports-only": documented,
};
