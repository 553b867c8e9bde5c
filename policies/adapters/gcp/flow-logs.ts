// GCP VPC Flow Logs are a setting of each subnetwork (`logConfig`): a subnetwork with it records
// its network's traffic. The same resource places instances in the network graph: its flow-log
// model carries its topology (ranges, region, network) for the graph assembler (graph.ts).
import { FlowLogCoverage, FlowLogModel } from "../../model/resources";
import { TopologyModel } from "../../model/topology";
import { flowLog } from "../support/flow-log";
import { Adapter } from "../support/resource-builder";
import { link, ROLE, topology } from "./topology-network";

export const GCP_FLOW_LOGS: FlowLogCoverage = {
    through: "network",
    hint: 'set `logConfig` (e.g. `{ aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" }`) on the subnetworks of this firewall\'s network',
};

/** A subnetwork: what it logs, and where it puts the instances that name it. */
export interface GcpSubnetworkModel extends FlowLogModel {
    topology: TopologyModel;
}

export const gcpFlowLogAdapters: Adapter[] = [
    {
        provider: "gcp",
        kind: "flow-log",
        types: ["gcp:compute/subnetwork:Subnetwork"],
        summary:
            "`network`, and `logConfig` (set: the subnetwork logs its traffic) for `public-ports-monitored`; for the graph `ipCidrRange`, `region`, " +
            "`stackType`/`ipv6AccessType` (EXTERNAL: instances may get external IPv6 addresses), `purpose`.",
        normalise(props): GcpSubnetworkModel {
            const config = props.get("logConfig");
            const items = config.items();
            const enabled =
                !config.missing && !config.unknown && !(Array.isArray(items) && items.length === 0 && Array.isArray(config.value));
            const log = flowLog("gcp", props, ["network"], enabled, ["id", "name", "selfLink"]);
            const place = topology(ROLE.subnetwork, props, (b) => {
                link(b, "network", props.get("network"));
                b.value("ipCidrRange", props.get("ipCidrRange"))
                    .value("region", props.get("region"))
                    .value("stackType", props.get("stackType"))
                    .value("ipv6AccessType", props.get("ipv6AccessType"))
                    .value("purpose", props.get("purpose"));
            });
            return { ...log, identity: place.identity, topology: place };
        },
    },
];
