// JSON Schema (draft-07) of ports.yaml, the port registry. It checks the shape of the file only;
// registry.ts adds what a schema cannot say (port ranges in order, unique names, services that do
// not overlap, CIDRs that parse) and turns every failure into a message a person can act on.
//
// A later issue adds top-level `tenantTag`, `tenants`, `exemptions` and per-service
// `allowedSources`: extend the properties below; keep `additionalProperties: false` so a typo in a
// key is reported instead of silently ignored.

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
                        anyOf: [
                            protocolName,
                            { type: "array", minItems: 1, items: protocolName },
                        ],
                    },
                    owner: { description: "Team that owns the service.", type: "string" },
                    description: { description: "One line on what the service is.", type: "string" },
                    public: {
                        description: "true: the service may be reachable from the internet. Default false.",
                        type: "boolean",
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
        ephemeralPorts: {
            description: "Return-traffic port range for stateless network ACLs. Default [\"1024-65535\"].",
            type: "array",
            minItems: 1,
            items: portSpec,
        },
    },
} as const;

export const TOP_LEVEL_KEYS = Object.keys(registrySchema.properties);
export const SERVICE_KEYS = Object.keys(registrySchema.properties.services.items.properties);
