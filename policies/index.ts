import { documentedFlowsReachable } from "./rules/documented-flows-reachable";
import { documentedPortsOnly } from "./rules/documented-ports-only";
import { internalEgressDestinations } from "./rules/internal-egress-destinations";
import { knownSourceCidrs } from "./rules/known-source-cidrs";
import { noInternetPathToInternalPorts } from "./rules/no-internet-path-to-internal-ports";
import { PolicyDefinition } from "./kit/definition";
import { noWorldOpenInternalPorts } from "./rules/no-world-open-internal-ports";
import { publicPortsMonitored } from "./rules/public-ports-monitored";
import { tenantIsolation } from "./rules/tenant-isolation";
import { unusedExemptions } from "./rules/unused-exemptions";

/** Every policy of the pack, in the order they are listed to users. Names are stable: users configure them. */
export const policies: readonly PolicyDefinition<unknown>[] = [
    noWorldOpenInternalPorts,
    documentedPortsOnly,
    knownSourceCidrs,
    tenantIsolation,
    internalEgressDestinations,
    publicPortsMonitored,
    unusedExemptions,
    noInternetPathToInternalPorts,
    documentedFlowsReachable,
];

export const policyNames: readonly string[] = policies.map((p) => p.meta.name);
