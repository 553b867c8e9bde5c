// A flow-log resource in the model: what it records (links to networks, subnets, interfaces or
// firewalls) and whether it records anything at all.
import { FlowLogModel } from "../../model/resources";
import { Input } from "./input";
import { identityOf, linkOf } from "./resource-builder";

export function flowLog(
    provider: string,
    props: Input,
    targets: readonly string[],
    enabled = true,
    identityKeys: readonly string[] = ["id"],
): FlowLogModel {
    return {
        kind: "flow-log",
        provider,
        tags: {},
        identity: identityOf(props, identityKeys),
        targets: targets.map((t) => linkOf(props, t)),
        enabled,
    };
}
