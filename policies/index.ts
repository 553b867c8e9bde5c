import { documentedPortsOnly } from "./documented-ports-only";
import { internalEgressDestinations } from "./internal-egress-destinations";
import { knownSourceCidrs } from "./known-source-cidrs";
import { PolicyDefinition } from "./lib/policy-kit";
import { noWorldOpenInternalPorts } from "./no-world-open-internal-ports";
import { publicPortsMonitored } from "./public-ports-monitored";
import { tenantIsolation } from "./tenant-isolation";
import { unusedExemptions } from "./unused-exemptions";

/** Every policy of the pack, in the order they are listed to users. Names are stable: users configure them. */
export const policies: readonly PolicyDefinition<any>[] = [
    noWorldOpenInternalPorts,
    documentedPortsOnly,
    knownSourceCidrs,
    tenantIsolation,
    internalEgressDestinations,
    publicPortsMonitored,
    unusedExemptions,
];

export const policyNames: readonly string[] = policies.map((p) => p.meta.name);
