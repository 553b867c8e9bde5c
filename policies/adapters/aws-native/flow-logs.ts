// AWS Cloud Control flow logs (`aws_native.ec2.FlowLog`): `resourceId` is the VPC, subnet or interface logged.
import { FlowLogCoverage } from "../../model/resources";
import { flowLog } from "../support/flow-log";
import { Adapter } from "../support/resource-builder";

export const AWS_NATIVE_FLOW_LOGS: FlowLogCoverage = {
    through: "network",
    hint: 'add `new aws_native.ec2.FlowLog("<name>", { resourceId: <the VPC>.id, resourceType: "VPC", trafficType: "ALL", logDestination: <bucket> })`',
};

export const awsNativeFlowLogAdapters: Adapter[] = [
    {
        provider: "aws-native",
        kind: "flow-log",
        types: ["aws-native:ec2:FlowLog"],
        summary: "`resourceId`: the VPC, subnet or interface the log records (for `public-ports-monitored`).",
        normalise: (props) => flowLog("aws-native", props, ["resourceId"]),
    },
];
