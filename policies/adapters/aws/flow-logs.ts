// AWS VPC flow logs (`aws.ec2.FlowLog`): a log records a VPC, a subnet, an interface or a transit gateway.
import { FlowLogCoverage } from "../../model/resources";
import { flowLog } from "../support/flow-log";
import { Adapter } from "../support/resource-builder";

/** How flow logs cover an AWS firewall: through its VPC. */
export const AWS_FLOW_LOGS: FlowLogCoverage = {
    through: "network",
    hint: 'add `new aws.ec2.FlowLog("<name>", { vpcId: <the VPC>.id, trafficType: "ALL", logDestination: <bucket or log group> })`',
};

export const awsFlowLogAdapters: Adapter[] = [
    {
        provider: "aws",
        kind: "flow-log",
        types: ["aws:ec2/flowLog:FlowLog"],
        summary: "`vpcId`, `subnetId`, `eniId` or `transitGatewayId`: the network the log records (for `public-ports-monitored`).",
        normalise: (props) => flowLog("aws", props, ["vpcId", "subnetId", "eniId", "transitGatewayId"]),
    },
];
