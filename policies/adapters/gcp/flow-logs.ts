// GCP VPC Flow Logs are a setting of each subnetwork (`logConfig`): a subnetwork with it records
// its network's traffic.
import { FlowLogCoverage } from "../../model/resources";
import { flowLog } from "../support/flow-log";
import { Adapter } from "../support/resource-builder";

export const GCP_FLOW_LOGS: FlowLogCoverage = {
    through: "network",
    hint: "set `logConfig` (e.g. `{ aggregationInterval: \"INTERVAL_5_SEC\", flowSampling: 0.5, metadata: \"INCLUDE_ALL_METADATA\" }`) on the subnetworks of this firewall's network",
};

export const gcpFlowLogAdapters: Adapter[] = [
    {
        provider: "gcp",
        kind: "flow-log",
        types: ["gcp:compute/subnetwork:Subnetwork"],
        summary: "`network`, and `logConfig` (set: the subnetwork logs its traffic) for `public-ports-monitored`.",
        normalise(props) {
            const config = props.get("logConfig");
            const items = config.items();
            const enabled = !config.missing && !config.unknown && !(Array.isArray(items) && items.length === 0 && Array.isArray(config.value));
            return flowLog("gcp", props, ["network"], enabled, ["id", "name", "selfLink"]);
        },
    },
];
