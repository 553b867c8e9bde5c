import { documentedPortsOnly } from "./documented-ports-only";
import { PolicyDefinition } from "./lib/policy-kit";
import { noWorldOpenInternalPorts } from "./no-world-open-internal-ports";

/** Every policy of the pack, in the order they are listed to users. */
export const policies: readonly PolicyDefinition<any>[] = [noWorldOpenInternalPorts, documentedPortsOnly];
