// Azure managed database servers in the network graph: a server with public access is a public
// endpoint on its engine's port, filtered only by the server firewall rules that name it (none:
// nothing admitted). Stacks as the engine sends them, in preview (the rule's `serverName` unknown,
// linked by its property dependency) and in update (the server's name known).
import { PolicyCase, StackCase, TEST_REGISTRY_YAML, UNKNOWN, urnOf } from "../../helpers";
import { CaseTable } from "../index";

type Mode = "preview" | "update";
const PG = "azure-native:dbforpostgresql:Server";
const PG_RULE = "azure-native:dbforpostgresql:FirewallRule";
const SQL = "azure-native:sql:Server";
const SQL_RULE = "azure-native:sql:FirewallRule";
const PG_CLASSIC = "azure:postgresql/flexibleServer:FlexibleServer";
const PG_CLASSIC_RULE = "azure:postgresql/flexibleServerFirewallRule:FlexibleServerFirewallRule";

const registryYaml = TEST_REGISTRY_YAML;

interface Spec {
    server?: Record<string, unknown>;
    rules?: [start: string, end: string][];
    type?: string;
    ruleType?: string;
}

/** A server `orders-db` in resource group `rg` with the firewall rules given, each naming it by `serverName`. */
function stack(mode: Mode, spec: Spec): StackCase[] {
    const type = spec.type ?? PG;
    const ruleType = spec.ruleType ?? PG_RULE;
    const classic = type.startsWith("azure:");
    const id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.DBforPostgreSQL/flexibleServers/orders-db";
    const rows: StackCase[] = [
        {
            type,
            name: "orders-db",
            props: {
                ...(classic ? {} : { resourceGroupName: "rg", serverName: "orders-db" }),
                name: mode === "update" ? "orders-db" : UNKNOWN,
                ...(mode === "update" ? { id } : {}),
                ...(spec.server ?? {}),
            },
        },
    ];
    (spec.rules ?? []).forEach(([startIpAddress, endIpAddress], i) => {
        const ref = classic ? "serverId" : "serverName";
        rows.push({
            type: ruleType,
            name: `orders-db-rule-${i}`,
            props: {
                ...(classic ? {} : { resourceGroupName: "rg" }),
                [ref]: mode === "update" ? (classic ? id : "orders-db") : UNKNOWN,
                startIpAddress,
                endIpAddress,
            },
            propertyDependencies: { [ref]: [urnOf(type, "orders-db")] },
        });
    });
    return rows;
}

const both = (name: string, spec: Spec, expect: Omit<PolicyCase, "name" | "resources"> = {}): PolicyCase[] =>
    (["preview", "update"] as const).map((mode) => ({ name: `${name} (${mode})`, registryYaml, resources: stack(mode, spec), ...expect }));

const exposed = (path: string, ports = "tcp 5432 (postgres)") =>
    [["exposed", null, { workload: "`orders-db`", ports, path }]] as NonNullable<PolicyCase["errors"]>;

const noInternetPath: CaseTable = {
    valid: [
        ...both("a server without firewall rules admits nothing (Azure's default)", {}),
        ...both("a server whose one rule admits an office /24", { rules: [["203.0.113.0", "203.0.113.255"]] }),
        ...both('"allow Azure services" is not the internet', { rules: [["0.0.0.0", "0.0.0.0"]] }),
        ...both("public network access disabled: no way in from the internet, whatever the rules", {
            server: { network: { publicNetworkAccess: "Disabled" } },
            rules: [["0.0.0.0", "255.255.255.255"]],
        }),
        ...both("a VNet-integrated flexible server has no public endpoint", {
            server: {
                network: {
                    delegatedSubnetResourceId:
                        "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/db",
                },
            },
            rules: [["0.0.0.0", "255.255.255.255"]],
        }),
        ...both("SQL Server: publicNetworkAccess Disabled", {
            type: SQL,
            ruleType: SQL_RULE,
            server: { publicNetworkAccess: "Disabled" },
            rules: [["0.0.0.0", "255.255.255.255"]],
        }),
        ...both("classic: publicNetworkAccessEnabled false", {
            type: PG_CLASSIC,
            ruleType: PG_CLASSIC_RULE,
            server: { publicNetworkAccessEnabled: false },
            rules: [["0.0.0.0", "255.255.255.255"]],
        }),
        ...both("a Synapse workspace's world rule, its workspace unknown in preview, is no rule of a SQL server", {
            type: SQL,
            ruleType: SQL_RULE,
        }).map((c) => ({
            ...c,
            resources: [
                ...(c.resources ?? []),
                {
                    type: "azure-native:synapse:IpFirewallRule",
                    name: "allowAll",
                    props: { resourceGroupName: "rg", workspaceName: UNKNOWN, startIpAddress: "0.0.0.0", endIpAddress: "255.255.255.255" },
                },
            ],
            // The rule itself is reported per resource (no-world-open-internal-ports), not here.
        })),
        {
            // The shape of public programs: `delegatedSubnetId: subnet.id`, unknown in preview, linked by its dependency.
            name: "preview: a flexible server delegated to a subnet of the stack (its id unknown until update) has no public endpoint",
            registryYaml,
            resources: [
                {
                    type: "azure:network/subnet:Subnet",
                    name: "db-subnet",
                    props: { resourceGroupName: "rg", virtualNetworkName: "vnet", addressPrefixes: ["10.0.1.0/24"] },
                },
                ...stack("preview", {
                    type: PG_CLASSIC,
                    ruleType: PG_CLASSIC_RULE,
                    server: { delegatedSubnetId: UNKNOWN },
                    rules: [["0.0.0.0", "255.255.255.255"]],
                }).map((r) =>
                    r.type === PG_CLASSIC
                        ? { ...r, propertyDependencies: { delegatedSubnetId: [urnOf("azure:network/subnet:Subnet", "db-subnet")] } }
                        : r,
                ),
            ],
        },
    ],
    invalid: [
        ...both(
            "two half-internet rules on one server: together the whole internet on 5432",
            {
                rules: [
                    ["0.0.0.0", "127.255.255.255"],
                    ["128.0.0.0", "255.255.255.255"],
                ],
            },
            {
                errors: exposed(
                    "internet → public endpoint of PostgreSQL server `orders-db` → server firewall `orders-db-rule-0` and `orders-db-rule-1` " +
                        "(`orders-db-rule-0` (tcp 5432 from 0.0.0.0/1) and `orders-db-rule-1` (tcp 5432 from 128.0.0.0/1)) → `orders-db`",
                ),
            },
        ),
        ...both(
            "SQL Server: one rule for the whole internet",
            { type: SQL, ruleType: SQL_RULE, rules: [["0.0.0.0", "255.255.255.255"]] },
            {
                errors: exposed(
                    "internet → public endpoint of SQL server `orders-db` → server firewall `orders-db-rule-0` (this rule (tcp 1433 from 0.0.0.0/0)) → `orders-db`",
                    "tcp 1433 (undocumented)",
                ),
            },
        ),
        ...both(
            "classic flexible server, public by default",
            { type: PG_CLASSIC, ruleType: PG_CLASSIC_RULE, rules: [["0.0.0.0", "255.255.255.255"]] },
            {
                errors: exposed(
                    "internet → public endpoint of PostgreSQL server `orders-db` → server firewall `orders-db-rule-0` (this rule (tcp 5432 from 0.0.0.0/0)) → `orders-db`",
                ),
            },
        ),
        {
            name: "in preview a world rule whose server the plan cannot tell may be this server's (advisory)",
            registryYaml,
            resources: [
                ...stack("preview", {}),
                {
                    type: PG_RULE,
                    name: "stray-rule",
                    props: { resourceGroupName: "rg", serverName: UNKNOWN, startIpAddress: "0.0.0.0", endIpAddress: "255.255.255.255" },
                },
            ],
            advisories: [
                [
                    "unproven",
                    null,
                    {
                        workload: "`orders-db`",
                        ports: "tcp 5432 (postgres)",
                        reason: /whether `stray-rule` is a firewall rule of `orders-db` is unknown until update/,
                    },
                ],
            ],
        },
        {
            name: "two servers of one name in two resource groups: the rule is the one of its own group's",
            registryYaml,
            resources: [
                ...stack("update", { rules: [["0.0.0.0", "255.255.255.255"]] }),
                {
                    type: PG,
                    name: "other-db",
                    props: { resourceGroupName: "rg2", serverName: "orders-db", name: "orders-db" },
                },
            ],
            errors: exposed(
                "internet → public endpoint of PostgreSQL server `orders-db` → server firewall `orders-db-rule-0` (this rule (tcp 5432 from 0.0.0.0/0)) → `orders-db`",
            ),
        },
        ...both(
            "SQL Server secured by a network security perimeter, which is not read: advisory",
            {
                type: SQL,
                ruleType: SQL_RULE,
                server: { publicNetworkAccess: "SecuredByPerimeter" },
                rules: [["0.0.0.0", "255.255.255.255"]],
            },
            {
                advisories: [
                    [
                        "unproven",
                        null,
                        {
                            workload: "`orders-db`",
                            reason: /SQL server `orders-db`'s public network access is `SecuredByPerimeter`, which is not read/,
                        },
                    ],
                ],
            },
        ),
        ...both(
            "public network access unknown until update: advisory, never a violation",
            { server: { network: { publicNetworkAccess: UNKNOWN } }, rules: [["0.0.0.0", "255.255.255.255"]] },
            {
                advisories: [
                    [
                        "unproven",
                        null,
                        {
                            workload: "`orders-db`",
                            ports: "tcp 5432 (postgres)",
                            reason: /whether PostgreSQL server `orders-db` has public network access is unknown until update/,
                        },
                    ],
                ],
            },
        ),
    ],
};

/** PostgreSQL's documented clients: the operations VPN, a range outside the stack. */
const VPN_REGISTRY = TEST_REGISTRY_YAML.replace(
    "{ name: postgres, ports: [5432], protocol: tcp, allowedSources: [10.20.0.0/16] }",
    "{ name: postgres, ports: [5432], protocol: tcp, allowedSources: [10.20.0.0/16], clients: [{ cidr: 10.50.0.0/16 }] }",
);
const withVpn = (cases: PolicyCase[]) => cases.map((c) => ({ ...c, registryYaml: VPN_REGISTRY }));

const flows: CaseTable = {
    valid: [],
    invalid: [
        ...withVpn(
            both(
                "a documented client of a server without firewall rules: Azure admits nothing",
                { server: { tags: { service: "postgres" } } },
                {
                    errors: [
                        [
                            "blocked",
                            null,
                            {
                                server: "`orders-db`",
                                flow: "tcp 5432",
                                why: "the request dies at server firewall `orders-db` inbound: no server firewall rule allows tcp 5432 from 10.50.0.0/16, so Azure's default deny for PostgreSQL servers drops it",
                            },
                        ],
                    ],
                },
            ),
        ),
        ...withVpn(
            both(
                "a documented client range and a rule for it: where the client's packets come from is not in the plan (advisory)",
                { server: { tags: { service: "postgres" } }, rules: [["10.50.0.0", "10.50.255.255"]] },
                { advisories: [["unverifiable", null, { server: "`orders-db`" }]] },
            ),
        ),
    ],
};

export const cases: Record<string, CaseTable> = {
    "no-internet-path-to-internal-ports": noInternetPath,
    "documented-flows-reachable": flows,
};
