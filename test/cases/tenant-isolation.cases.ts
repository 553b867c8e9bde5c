import { PolicyCase as Case, T, UNKNOWN, urnOf, nsgInbound } from "../helpers";

const sg = (name: string, tenant: string | undefined, cidrBlocks: string[]) => ({
    type: T.sg,
    name,
    props: {
        name,
        ...(tenant ? { tags: { tenant, team: "x" } } : {}),
        ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks }],
    },
});
const nsg = (name: string, tenant: string, source: string) => ({
    type: T.nsg,
    name,
    props: {
        tags: { tenant },
        securityRules: [nsgInbound({ destinationPortRange: "5432", sourceAddressPrefix: source })],
    },
});

export const valid: Case[] = [
    { name: "AWS: a tenant admits its own range", resources: [sg("acme-db", "acme", ["10.1.4.0/24"])] },
    { name: "AWS: untagged resources are not judged", resources: [sg("shared", undefined, ["10.2.0.0/16"])] },
    { name: "AWS: shared ranges outside every tenant", resources: [sg("acme-db", "acme", ["10.9.0.0/16"])] },
    {
        name: "AWS: the internet is not another tenant (no-world-open-internal-ports judges it)",
        resources: [sg("acme-web", "acme", ["0.0.0.0/0"])],
    },
    { name: "Azure: own range", resources: [nsg("globex-nsg", "globex", "10.2.1.0/24")] },
    {
        name: "no tenants in ports.yaml: nothing to check",
        registryYaml: "services: []\nknownCidrs: []\n",
        resources: [sg("acme-db", "acme", ["10.2.0.0/16"])],
    },
];

export const invalid: Case[] = [
    {
        name: "AWS: acme admits globex",
        resources: [sg("acme-db", "acme", ["10.2.3.0/24"])],
        errors: [
            [
                "crossing",
                "ingress[0]",
                { rule: "ingress[0]", tenant: "acme", via: "", crossings: "10.2.3.0/24 (tenant globex: 10.2.0.0/16)" },
                "fixSources",
            ],
        ],
    },
    {
        name: "AWS: a block spanning both tenants",
        resources: [sg("acme-db", "acme", ["10.0.0.0/8"])],
        errors: [
            [
                "crossing",
                "ingress[0]",
                { rule: "ingress[0]", tenant: "acme", via: "", crossings: "10.0.0.0/8 (tenant globex: 10.2.0.0/16)" },
                "fixSources",
            ],
        ],
    },
    {
        name: "Azure: globex admits acme",
        resources: [nsg("globex-nsg", "globex", "10.1.0.0/24")],
        errors: [
            [
                "crossing",
                "securityRules[0]",
                { rule: "securityRules[0] (priority 100)", tenant: "globex", via: "", crossings: "10.1.0.0/24 (tenant acme: 10.1.0.0/16)" },
                "fixSources",
            ],
        ],
    },
    {
        name: "AWS: a standalone rule inherits its group's tenant through property dependencies",
        resources: [
            sg("acme-db", "acme", ["10.1.0.0/24"]),
            {
                type: T.sgRule,
                name: "extra",
                props: {
                    type: "ingress",
                    protocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    cidrBlocks: ["10.2.0.0/24"],
                    securityGroupId: UNKNOWN,
                },
                propertyDependencies: { securityGroupId: [urnOf(T.sg, "acme-db")] },
            },
        ],
        errors: [
            [
                "crossing",
                "this rule",
                {
                    rule: "this rule",
                    tenant: "acme",
                    via: " inherited from acme-db",
                    crossings: "10.2.0.0/24 (tenant globex: 10.2.0.0/16)",
                },
                "fixSources",
            ],
        ],
    },
    {
        name: "Azure: a standalone rule inherits its NSG's tenant by name",
        resources: [
            {
                ...nsg("acme-nsg", "acme", "10.1.0.0/24"),
                props: { ...nsg("acme-nsg", "acme", "10.1.0.0/24").props, networkSecurityGroupName: "acme-nsg-prod" },
            },
            {
                type: T.nsgRule,
                name: "rule",
                props: {
                    networkSecurityGroupName: "acme-nsg-prod",
                    direction: "Inbound",
                    access: "Allow",
                    priority: 200,
                    protocol: "Tcp",
                    destinationPortRange: "22",
                    sourceAddressPrefix: "10.2.0.0/16",
                },
            },
        ],
        errors: [
            [
                "crossing",
                "this rule",
                {
                    rule: "this rule (priority 200)",
                    tenant: "acme",
                    via: " inherited from acme-nsg",
                    crossings: "10.2.0.0/16 (tenant globex: 10.2.0.0/16)",
                },
                "fixSources",
            ],
        ],
    },
    {
        name: "a tenant ports.yaml does not list",
        resources: [sg("initech-db", "initech", ["10.1.0.0/24"])],
        advisories: [["unlistedTenant", null, { tag: "tenant", tenant: "initech", via: "" }, null]],
    },
];
