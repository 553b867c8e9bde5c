// Azure's managed database servers as workloads of the network graph: Azure Database for PostgreSQL
// (flexible and single servers), Azure Database for MySQL (flexible servers) and Azure SQL servers,
// in both providers. What decides reachability is whether the server has a public endpoint: its
// public network access (native `network.publicNetworkAccess`, `publicNetworkAccess` on a SQL
// server; classic `publicNetworkAccessEnabled` or `publicNetworkAccess`), and VNet integration (a
// flexible server in a delegated subnet has no public endpoint). The endpoint is filtered by the
// server firewall rules that name the server (databases.ts); graph-databases.ts assembles them.
import { TopologyValue } from "../../model/topology";
import { Input } from "../support/input";
import { Adapter } from "../support/resource-builder";
import { DatabaseEngine, ENGINES } from "./databases";
import { AzureModel, read, ROLE } from "./topology";

/**
 * Public access as the model keeps it: true, false, `{ unknown }`, or the provider's own word when
 * it is neither Enabled nor Disabled (SQL's `SecuredByPerimeter`). Absent: Azure's default, enabled.
 */
function access(input: Input): TopologyValue {
    const v = read(input);
    if (v === undefined) return true;
    if (typeof v === "boolean") return v;
    if (typeof v === "string") {
        const word = v.trim().toLowerCase();
        if (word === "enabled") return true;
        if (word === "disabled") return false;
        return v;
    }
    return v;
}

interface Shape {
    /** The input public access is read from, for the summary. */
    field: string;
    /** Where public access is read. */
    access: (props: Input) => Input;
    /** Where the delegated subnet of a VNet-integrated server is read, if the type has one. */
    subnet?: (props: Input) => Input;
}

function server(provider: "azure-native" | "azure", types: string[], engine: DatabaseEngine, shape: Shape, pattern?: RegExp): Adapter {
    const what = engine === ENGINES.sqlServer ? "an Azure SQL server" : `a ${engine.name} server`;
    return {
        provider,
        kind: "topology",
        types,
        ...(pattern ? { typePattern: pattern } : {}),
        summary:
            `${what}'s public endpoint on tcp ${engine.port} (${shape.field}; absent means enabled${shape.subnet ? "; a delegated subnet means VNet integration, no public endpoint" : ""}), ` +
            "filtered by the server firewall rules that name it (none: Azure admits nothing)",
        normalise(props) {
            const subnet = shape.subnet?.(props);
            const model = new AzureModel(provider, ROLE.database, props);
            // In preview a subnet's id is unknown: the property dependencies of its input name the subnet.
            if (subnet) model.link("delegatedSubnet", subnet);
            return model
                .identity("id", "name", "serverName")
                .tags(props.get("tags"))
                .value("engine", engine.name)
                .value("port", engine.port)
                .value("public", access(shape.access(props)))
                .value("delegatedSubnet", subnet ? read(subnet) : undefined)
                .value("resourceGroup", read(props.get("resourceGroupName")))
                .build();
        },
    };
}

const nativeServer = (module: string) => new RegExp(`^azure-native:${module}(\\/v[0-9a-z]+)?:Server$`);
const nativeNetwork: Shape = {
    field: "`network.publicNetworkAccess` Enabled/Disabled",
    access: (p) => p.get("network").get("publicNetworkAccess"),
    subnet: (p) => p.get("network").get("delegatedSubnetResourceId"),
};
const classicFlexible = (key: string, values: string): Shape => ({
    field: `\`${key}\` ${values}`,
    access: (p) => p.get(key),
    subnet: (p) => p.get("delegatedSubnetId"),
});

export const azureDatabaseTopologyAdapters: Adapter[] = [
    server("azure-native", ["azure-native:dbforpostgresql:Server"], ENGINES.postgres, nativeNetwork, nativeServer("dbforpostgresql")),
    server("azure-native", ["azure-native:dbformysql:Server"], ENGINES.mysql, nativeNetwork, nativeServer("dbformysql")),
    server(
        "azure-native",
        ["azure-native:sql:Server"],
        ENGINES.sqlServer,
        { field: "`publicNetworkAccess` Enabled/Disabled (SecuredByPerimeter is not read)", access: (p) => p.get("publicNetworkAccess") },
        nativeServer("sql"),
    ),
    server(
        "azure",
        ["azure:postgresql/flexibleServer:FlexibleServer"],
        ENGINES.postgres,
        classicFlexible("publicNetworkAccessEnabled", "true/false"),
    ),
    server("azure", ["azure:postgresql/server:Server"], ENGINES.postgres, {
        field: "`publicNetworkAccessEnabled` true/false",
        access: (p) => p.get("publicNetworkAccessEnabled"),
    }),
    server(
        "azure",
        ["azure:mysql/flexibleServer:FlexibleServer"],
        ENGINES.mysql,
        classicFlexible("publicNetworkAccess", "Enabled/Disabled"),
    ),
    server("azure", ["azure:mssql/server:Server"], ENGINES.sqlServer, {
        field: "`publicNetworkAccessEnabled` true/false",
        access: (p) => p.get("publicNetworkAccessEnabled"),
    }),
];
