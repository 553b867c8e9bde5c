// The registry's public face: what the pack, the local check and the scripts use.
export { loadRegistry, parseRegistry } from "./load";
export type { LoadOptions, RegistryOptions } from "./load";
export { RegistryError } from "./problems";
export type { RegistryProblem } from "./problems";
export { DEFAULT_EPHEMERAL_PORTS, DEFAULT_SERVICE_TAG, DEFAULT_TENANT_TAG, exemptionActive, exemptionMatches, Registry } from "./registry";
export type { Exemption, KnownCidrs, Service, ServiceClient, Tenant } from "./registry";
