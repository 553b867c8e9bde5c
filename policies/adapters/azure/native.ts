// Azure native provider (`azure-native:network`): network security groups and their rules.
import { STANDALONE_RULE } from "../../model/rules";
import { SymbolicPeer } from "../../model/addresses";
import { Input } from "../support/input";
import { RuleBuilder } from "../support/rule-builder";
import { Adapter, ResourceBuilder } from "../support/resource-builder";
import { AZURE_NATIVE_FLOW_LOGS } from "./flow-logs";

const NAMED = "a service tag or application security group";
export const NSG_TERMS = {
    inbound: {
        rule: "NSG rule",
        peers: "`sourceAddressPrefix(es)`",
        named: NAMED,
        ports: "`destinationPortRange(s)`",
        order: "priority" as const,
    },
    outbound: {
        rule: "NSG rule",
        peers: "`destinationAddressPrefix(es)`",
        named: NAMED,
        ports: "`destinationPortRange(s)`",
        order: "priority" as const,
    },
};

const DIRECTION = { inbound: "inbound", outbound: "outbound" } as const;
const ACCESS = { allow: "allow", deny: "deny" } as const;
/** Service tags such as VirtualNetwork, AzureLoadBalancer, Storage.WestEurope (Internet is the world). */
const SERVICE_TAG = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)?$/;

export function azureSymbol(text: string): SymbolicPeer | undefined {
    return SERVICE_TAG.test(text) ? { kind: "service-tag", id: text } : undefined;
}

/** One NSG security rule, inline (`securityRules[i]`) or standalone. Shared with the classic provider's shape. */
export function readAzureSecurityRule(item: Input, rule: RuleBuilder, keys = AZURE_NATIVE_KEYS): void {
    // An inline rule is named as Azure lists it; a standalone one is named by its Pulumi resource.
    if (rule.origin !== STANDALONE_RULE) rule.readLabel(item.get("name"));
    rule.readDirection(item.get(keys.direction), DIRECTION);
    rule.readAction(item.get(keys.access), ACCESS);
    rule.readOrder(item.get(keys.priority), [100, 4096]);
    rule.readProtocol(item.get(keys.protocol));
    const portInputs = [item.get(keys.portRange)];
    const ranges = item.get(keys.portRanges).items();
    if (ranges === "unknown" || ranges === "invalid") portInputs.push(item.get(keys.portRanges));
    else portInputs.push(...ranges);
    rule.readPortSpecs(portInputs);
    if (portInputs.every((i) => i.missing) && (rule.protocol === "tcp" || rule.protocol === "udp" || rule.protocol === "all")) {
        rule.invalid("ports", item.get(keys.portRange), `is missing (set ${keys.portRange} or ${keys.portRanges})`);
    }
    // Inbound rules are judged by their source, outbound rules by their destination.
    const side = rule.direction === "outbound" ? "destination" : "source";
    readSide(item, rule, keys, side);
    // The other side says which of the NSG's machines the rule applies to: the network graph reads it.
    const own = new RuleBuilder(rule.origin);
    readSide(item, own, keys, side === "source" ? "destination" : "source");
    const targets = own.peers.build();
    if (targets.blocks.length > 0 || targets.symbols.length > 0 || targets.unknown || own.unresolved.length > 0) {
        rule.targets = own.unresolved.length > 0 ? { ...targets, unknown: true } : targets;
    }
}

/** One side of a rule: address prefixes (CIDRs, `*`, service tags) and application security groups. */
function readSide(item: Input, rule: RuleBuilder, keys: typeof AZURE_NATIVE_KEYS, side: "source" | "destination"): void {
    rule.readPeerList(item.get(keys[`${side}Prefix`]), azureSymbol);
    rule.readPeerList(item.get(keys[`${side}Prefixes`]), azureSymbol);
    const asgs = item.get(keys[`${side}Asgs`]).items();
    if (asgs === "unknown") rule.readSymbolList(item.get(keys[`${side}Asgs`]), "application-security-group", /^$/);
    else if (asgs !== "invalid") {
        for (const asg of asgs) {
            rule.readSymbolList(
                asg.value !== null && typeof asg.value === "object" ? asg.get("id") : asg,
                "application-security-group",
                /^\/subscriptions\//i,
            );
        }
    }
}

export const AZURE_NATIVE_KEYS = {
    direction: "direction",
    access: "access",
    priority: "priority",
    protocol: "protocol",
    portRange: "destinationPortRange",
    portRanges: "destinationPortRanges",
    sourcePrefix: "sourceAddressPrefix",
    sourcePrefixes: "sourceAddressPrefixes",
    sourceAsgs: "sourceApplicationSecurityGroups",
    destinationPrefix: "destinationAddressPrefix",
    destinationPrefixes: "destinationAddressPrefixes",
    destinationAsgs: "destinationApplicationSecurityGroups",
};

const NSG_PATTERN = /^azure-native:network(\/v[0-9a-z]+)?:NetworkSecurityGroup$/;
const RULE_PATTERN = /^azure-native:network(\/v[0-9a-z]+)?:SecurityRule$/;

export const azureNativeAdapters: Adapter[] = [
    {
        provider: "azure-native",
        types: ["azure-native:network:NetworkSecurityGroup"],
        typePattern: NSG_PATTERN,
        summary:
            "`securityRules` in `priority` order with Allow/Deny `access`, `direction`, protocol (`*`, Tcp, Udp, Icmp, Esp, Ah), `destinationPortRange(s)`, `sourceAddressPrefix(es)` (CIDRs, addresses, `*`, `Internet`, `Any`, service tags), application security groups; outbound rules by destination. Versioned tokens (`network/v2023...`) too. Azure's default rules are not added.",
        normalise(props) {
            const out = new ResourceBuilder("azure-native", NSG_TERMS, props);
            out.readTags(props.get("tags"));
            out.identityKeys = ["id", "name", "networkSecurityGroupName"];
            out.flowLogs = AZURE_NATIVE_FLOW_LOGS;
            out.eachRule(
                props.get("securityRules"),
                (i) => `securityRules[${i}]`,
                (item, rule) => readAzureSecurityRule(item, rule),
            );
            return out.build();
        },
    },
    {
        provider: "azure-native",
        types: ["azure-native:network:SecurityRule"],
        typePattern: RULE_PATTERN,
        summary: "the same fields as an inline rule; judged on its own (a deny in another rule resource of the same NSG is not seen).",
        normalise(props) {
            const out = new ResourceBuilder("azure-native", NSG_TERMS, props);
            out.attachedTo = "networkSecurityGroupName";
            out.flowLogs = AZURE_NATIVE_FLOW_LOGS;
            out.single(props, STANDALONE_RULE, (item, rule) => readAzureSecurityRule(item, rule));
            return out.build();
        },
    },
];
