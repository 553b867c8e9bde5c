// JSON Schema (draft-07) of ports.yaml, the port registry. It checks the shape of the file only;
// registry.ts adds what a schema cannot say (port ranges in order, unique names, services that do
// not overlap, CIDRs that parse) and turns every failure into a message a person can act on.
//
// Keep `additionalProperties: false` everywhere so a typo in a key is reported instead of silently
// ignored.

export const PROTOCOL_NAMES = ["tcp", "udp", "icmp", "all"] as const;

/** A port as ports.yaml writes it: 5432, "5432" or "2379-2380". Bounds and order are checked in code. */
const portSpec = {
    anyOf: [
        { type: "integer", minimum: 0, maximum: 65535 },
        { type: "string", pattern: "^[0-9]+(-[0-9]+)?$" },
    ],
} as const;

const protocolName = { type: "string", enum: PROTOCOL_NAMES } as const;

export const registrySchema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://internal-ports.policy-pack/ports.schema.json",
    title: "ports.yaml: the registry of every documented port",
    type: "object",
    additionalProperties: false,
    required: ["services", "knownCidrs"],
    properties: {
        services: {
            description: "Every service that listens on a port. A port belongs to at most one service per protocol.",
            type: "array",
            items: {
                type: "object",
                additionalProperties: false,
                required: ["name", "protocol"],
                properties: {
                    name: {
                        description: "Unique (case-insensitive) lowercase name.",
                        type: "string",
                        pattern: "^[a-z0-9][a-z0-9._-]*$",
                        maxLength: 63,
                    },
                    ports: {
                        description: "Ports or from-to ranges. Required unless the service is icmp only.",
                        type: "array",
                        minItems: 1,
                        items: portSpec,
                    },
                    protocol: {
                        description: "tcp, udp, icmp, all (= tcp, udp and icmp), or a list of them.",
                        anyOf: [protocolName, { type: "array", minItems: 1, items: protocolName }],
                    },
                    owner: { description: "Team that owns the service.", type: "string" },
                    description: { description: "One line on what the service is.", type: "string" },
                    public: {
                        description: "true: the service may be reachable from the internet. Default false.",
                        type: "boolean",
                    },
                    allowedSources: {
                        description: "CIDR blocks that may reach this service; narrower than knownCidrs.",
                        type: "array",
                        items: { type: "string" },
                    },
                    clients: {
                        description:
                            "Who may reach this service: other services of the registry ({ service: name }) or address blocks ({ cidr: block }).",
                        type: "array",
                        items: {
                            type: "object",
                            additionalProperties: false,
                            minProperties: 1,
                            maxProperties: 1,
                            properties: {
                                service: { description: "A service of this registry.", type: "string", minLength: 1 },
                                cidr: { description: "An IPv4 or IPv6 CIDR block.", type: "string" },
                            },
                        },
                    },
                },
                // Only icmp-only services may leave out ports.
                if: {
                    properties: {
                        protocol: {
                            anyOf: [
                                { type: "string", const: "icmp" },
                                { type: "array", items: { type: "string", const: "icmp" } },
                            ],
                        },
                    },
                },
                else: { properties: { ports: {} }, required: ["ports"] },
            },
        },
        knownCidrs: {
            description: "The organisation's own address ranges (IPv4 or IPv6 CIDR blocks).",
            type: "array",
            items: { type: "string" },
        },
        tenantTag: {
            description: 'The tag (AWS, Azure) or label (GCP, Kubernetes) key that names a resource\'s tenant. Default "tenant".',
            type: "string",
            minLength: 1,
        },
        serviceTag: {
            description: 'The tag (AWS, Azure) or label (GCP, Kubernetes) key that names the service a resource runs. Default "service".',
            type: "string",
            minLength: 1,
        },
        tenants: {
            description: "Tenants and their address ranges; a resource tagged with one tenant must not admit another's.",
            type: "array",
            items: {
                type: "object",
                additionalProperties: false,
                required: ["name", "cidrs"],
                properties: {
                    name: { type: "string", minLength: 1 },
                    cidrs: { type: "array", minItems: 1, items: { type: "string" } },
                    description: { type: "string" },
                },
            },
        },
        exemptions: {
            description: "Time-boxed exceptions to a policy for matching resources, with a reason.",
            type: "array",
            items: {
                type: "object",
                additionalProperties: false,
                required: ["policy", "resource", "reason", "expires"],
                properties: {
                    policy: { description: "A policy name of the pack.", type: "string", minLength: 1 },
                    resource: { description: "Resource name, URN, or a glob (*, ?) over either.", type: "string", minLength: 1 },
                    reason: { type: "string", minLength: 1 },
                    expires: { description: "YYYY-MM-DD; the exemption applies through that day (UTC).", type: "string" },
                    owner: { type: "string" },
                },
            },
        },
        ephemeralPorts: {
            description: 'Return-traffic port range for stateless network ACLs. Default ["1024-65535"].',
            type: "array",
            minItems: 1,
            items: portSpec,
        },
    },
} as const;

export const TOP_LEVEL_KEYS = Object.keys(registrySchema.properties);
export const SERVICE_KEYS = Object.keys(registrySchema.properties.services.items.properties);
export const TENANT_KEYS = Object.keys(registrySchema.properties.tenants.items.properties);
export const CLIENT_KEYS = Object.keys(registrySchema.properties.services.items.properties.clients.items.properties);
export const EXEMPTION_KEYS = Object.keys(registrySchema.properties.exemptions.items.properties);
