// Azure's managed databases: the server firewall rules of Azure Database for PostgreSQL (single and
// flexible servers), Azure Database for MySQL (flexible servers) and Azure SQL (SQL Server), in the
// native provider (`azure-native:dbforpostgresql:FirewallRule`, `dbformysql:FirewallRule`,
// `sql:FirewallRule`) and the classic one, and the workspace firewall rules of Azure Synapse
// Analytics (`azure-native:synapse:IpFirewallRule`, `azure:synapse/firewallRule:FirewallRule`).
//
// - Each rule resource is one inbound allow of one IPv4 range, `startIpAddress`..`endIpAddress`, to
//   the server's public endpoint. The rule carries no port: the server listens on its engine's
//   port (PostgreSQL 5432, MySQL 3306, SQL Server 1433), which is the port the rule opens here.
// - The range is one set of addresses whether or not it is a CIDR block (10.0.0.5-10.0.0.9 is five
//   addresses); 0.0.0.0-255.255.255.255 is the whole IPv4 internet.
// - 0.0.0.0-0.0.0.0 is Azure's "allow Azure services": every address of every Azure tenant, not the
//   address 0.0.0.0. It is a named source (`azure-services`), never the world and never an address
//   block. known-source-cidrs still reports it (wording.ts AZURE_SERVICES_TEXT): any tenant's
//   addresses are not the organisation's own networks, and no knownCidrs entry can hold them;
//   documented-ports-only judges the port it opens.
// - Azure allows nothing until a rule does; there are no deny rules. Whether the server's public
//   endpoint exists at all (`publicNetworkAccess`, VNet integration) is the server's, not the rule's.
// - A Synapse workspace firewall rule is the same range, to the workspace's SQL endpoints (dedicated
//   and serverless, 1433). The workspace is not a server of the network graph: its rules are
//   judged on their own (graph-databases.ts leaves them out).
import { STANDALONE_RULE } from "../../model/rules";
import { portRange } from "../../model/intervals";
import { Input } from "../support/input";
import { RuleBuilder } from "../support/rule-builder";
import { Adapter, linkOf, ResourceBuilder, sameTerms } from "../support/resource-builder";

export interface DatabaseEngine {
    /** As people say it, for summaries and fixes. */
    name: string;
    port: number;
}

export const ENGINES = {
    postgres: { name: "PostgreSQL", port: 5432 },
    mysql: { name: "MySQL", port: 3306 },
    sqlServer: { name: "SQL Server", port: 1433 },
    synapse: { name: "Synapse SQL", port: 1433 },
} satisfies Record<string, DatabaseEngine>;

/** What a database firewall rule model carries besides its rule: the engine and the server it names (for the graph). */
export interface DatabaseRuleLinks {
    database: {
        engine: DatabaseEngine;
        server: ReturnType<typeof linkOf>;
        resourceGroup?: ReturnType<typeof linkOf>;
        /** The rule names a Synapse workspace, not a database server of the graph. */
        workspace?: true;
    };
}

const terms = (engine: DatabaseEngine) =>
    sameTerms({
        rule: "server firewall rule",
        peers: "`startIpAddress`/`endIpAddress`",
        named: "a private endpoint or VNet integration (the server's `publicNetworkAccess` Disabled)",
        ports: `the server's port (${engine.port}, ${engine.name}'s)`,
        unsetPorts: `remove the rule (a server firewall rule has no ports: it opens the server's ${engine.name} port, ${engine.port})`,
    });

const workspaceTerms = (engine: DatabaseEngine) =>
    sameTerms({
        rule: "workspace firewall rule",
        peers: "`startIpAddress`/`endIpAddress`",
        named: "a private endpoint (the workspace's `publicNetworkAccess` Disabled)",
        ports: `the workspace's SQL port (${engine.port})`,
        unsetPorts: `remove the rule (a workspace firewall rule has no ports: it opens the workspace's SQL endpoints, ${engine.port})`,
    });

/** Azure's "allow Azure services" rule: 0.0.0.0 to 0.0.0.0. */
const AZURE_SERVICES = "0.0.0.0";

function isAzureServices(start: Input, end: Input): boolean {
    return !start.unknown && !end.unknown && start.string()?.trim() === AZURE_SERVICES && end.string()?.trim() === AZURE_SERVICES;
}

function readRule(props: Input, rule: RuleBuilder, engine: DatabaseEngine): void {
    rule.direction = "inbound";
    rule.action = "allow";
    rule.protocol = "tcp";
    rule.ports = portRange(engine.port, engine.port);
    const start = props.get("startIpAddress");
    const end = props.get("endIpAddress");
    if (isAzureServices(start, end)) {
        if (start.secret || end.secret) rule.secret.add("peers");
        rule.peers.addSymbol({ kind: "azure-services" });
        return;
    }
    rule.readPeerRange(start, end, "v4");
}

function adapter(
    provider: "azure-native" | "azure",
    type: string,
    engine: DatabaseEngine,
    server: string,
    options: { pattern?: RegExp; resourceGroup?: string; what: string; workspace?: true },
): Adapter {
    return {
        provider,
        types: [type],
        ...(options.pattern ? { typePattern: options.pattern } : {}),
        summary:
            `${options.what}: one inbound allow of tcp ${engine.port} (${
                options.workspace
                    ? "the workspace's SQL endpoints: the rule carries no port; the workspace is judged by its rules alone, not placed in the network graph"
                    : `${engine.name}'s default port: the rule carries none, the server's own port is not read`
            }) ` +
            "from `startIpAddress`..`endIpAddress` (an IPv4 range, CIDR-aligned or not; 0.0.0.0-255.255.255.255 is the whole internet); " +
            "0.0.0.0-0.0.0.0 is Azure's \"allow Azure services\", a named source (any Azure tenant's addresses), never the world, and outside the known ranges for known-source-cidrs." +
            (options.pattern ? " Versioned tokens too." : ""),
        normalise(props) {
            const out = new ResourceBuilder(provider, options.workspace ? workspaceTerms(engine) : terms(engine), props);
            // The rule is named by its Pulumi resource; its identity is not an NSG's.
            out.identityKeys = ["id"];
            out.single(props, STANDALONE_RULE, (item, rule) => readRule(item, rule, engine));
            const links: DatabaseRuleLinks = {
                database: {
                    engine,
                    server: linkOf(props, server),
                    ...(options.resourceGroup ? { resourceGroup: linkOf(props, options.resourceGroup) } : {}),
                    ...(options.workspace ? { workspace: true as const } : {}),
                },
            };
            return out.build(links);
        },
    };
}

const nativePattern = (module: string) => new RegExp(`^azure-native:${module}(\\/v[0-9a-z]+)?:FirewallRule$`);

export const azureDatabaseAdapters: Adapter[] = [
    adapter("azure-native", "azure-native:dbforpostgresql:FirewallRule", ENGINES.postgres, "serverName", {
        pattern: nativePattern("dbforpostgresql"),
        resourceGroup: "resourceGroupName",
        what: "a PostgreSQL flexible (or single) server firewall rule",
    }),
    adapter("azure-native", "azure-native:dbformysql:FirewallRule", ENGINES.mysql, "serverName", {
        pattern: nativePattern("dbformysql"),
        resourceGroup: "resourceGroupName",
        what: "a MySQL flexible server firewall rule",
    }),
    adapter("azure-native", "azure-native:sql:FirewallRule", ENGINES.sqlServer, "serverName", {
        pattern: nativePattern("sql"),
        resourceGroup: "resourceGroupName",
        what: "an Azure SQL server firewall rule",
    }),
    adapter("azure", "azure:postgresql/flexibleServerFirewallRule:FlexibleServerFirewallRule", ENGINES.postgres, "serverId", {
        what: "a PostgreSQL flexible server firewall rule",
    }),
    adapter("azure", "azure:postgresql/firewallRule:FirewallRule", ENGINES.postgres, "serverName", {
        resourceGroup: "resourceGroupName",
        what: "a PostgreSQL single server firewall rule",
    }),
    adapter("azure", "azure:mysql/flexibleServerFirewallRule:FlexibleServerFirewallRule", ENGINES.mysql, "serverName", {
        resourceGroup: "resourceGroupName",
        what: "a MySQL flexible server firewall rule",
    }),
    adapter("azure", "azure:mssql/firewallRule:FirewallRule", ENGINES.sqlServer, "serverId", {
        what: "an Azure SQL server firewall rule",
    }),
    adapter("azure-native", "azure-native:synapse:IpFirewallRule", ENGINES.synapse, "workspaceName", {
        pattern: /^azure-native:synapse(\/v[0-9a-z]+)?:IpFirewallRule$/,
        resourceGroup: "resourceGroupName",
        what: "a Synapse workspace firewall rule",
        workspace: true,
    }),
    adapter("azure", "azure:synapse/firewallRule:FirewallRule", ENGINES.synapse, "synapseWorkspaceId", {
        what: "a Synapse workspace firewall rule",
        workspace: true,
    }),
];

/** A database firewall rule's model: not an NSG, whatever its provider. */
export function isDatabaseRule(model: object | undefined): boolean {
    return model !== undefined && (model as Partial<DatabaseRuleLinks>).database !== undefined;
}
