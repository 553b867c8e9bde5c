// Azure classic provider (`azure:network`): network security groups and their rules. The rule shape
// is Azure's own, read by the same function as the native provider's; only the key names of the
// application security groups differ (plain id strings here).
import { STANDALONE_RULE } from "../../model/rules";
import { Adapter, ResourceBuilder } from "../support/resource-builder";
import { AZURE_CLASSIC_FLOW_LOGS } from "./flow-logs";
import { AZURE_NATIVE_KEYS, NSG_TERMS, readAzureSecurityRule } from "./native";

export const AZURE_CLASSIC_KEYS = {
    ...AZURE_NATIVE_KEYS,
    sourceAsgs: "sourceApplicationSecurityGroupIds",
    destinationAsgs: "destinationApplicationSecurityGroupIds",
};

export const azureClassicAdapters: Adapter[] = [
    {
        provider: "azure",
        types: ["azure:network/networkSecurityGroup:NetworkSecurityGroup"],
        summary:
            "inline `securityRules` in `priority` order with Allow/Deny `access`, `direction`, protocol (`*`, Tcp, Udp, Icmp, Esp, Ah), `destinationPortRange(s)`, `sourceAddressPrefix(es)` (CIDRs, addresses, `*`, `Internet`, `Any`, service tags), `sourceApplicationSecurityGroupIds`; outbound rules by destination. Azure's default rules are not added.",
        normalise(props) {
            const out = new ResourceBuilder("azure", NSG_TERMS, props);
            out.readTags(props.get("tags"));
            out.identityKeys = ["id", "name"];
            out.flowLogs = AZURE_CLASSIC_FLOW_LOGS;
            out.eachRule(
                props.get("securityRules"),
                (i) => `securityRules[${i}]`,
                (item, rule) => readAzureSecurityRule(item, rule, AZURE_CLASSIC_KEYS),
            );
            return out.build();
        },
    },
    {
        provider: "azure",
        types: ["azure:network/networkSecurityRule:NetworkSecurityRule"],
        summary:
            "the same fields as an inline rule (`sourceApplicationSecurityGroupIds` is a single id here); judged on its own (a deny in another rule resource of the same NSG is not seen).",
        normalise(props) {
            const out = new ResourceBuilder("azure", NSG_TERMS, props);
            out.attachedTo = "networkSecurityGroupName";
            out.flowLogs = AZURE_CLASSIC_FLOW_LOGS;
            out.single(props, STANDALONE_RULE, (item, rule) => readAzureSecurityRule(item, rule, AZURE_CLASSIC_KEYS));
            return out.build();
        },
    },
];
