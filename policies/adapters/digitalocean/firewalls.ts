// DigitalOcean (`digitalocean:index/firewall:Firewall`): Cloud Firewalls.
//
// - `inboundRules[i]` are inbound, `outboundRules[i]` outbound. Rules are allow rules unless their
//   `action` (in newer API and provider versions) says "deny". DigitalOcean applies deny rules
//   before allow rules, whatever their place in the list, so deny rules get order 0 and allow rules
//   stay unordered (evaluated after every order number).
// - `portRange`: "22", "8000-9000", "1-65535" or "all"; the API reports every port as "0", so "0"
//   means every port here too (port 0 itself cannot be opened). ICMP has no ports. A tcp or udp rule
//   without `portRange` is rejected by the provider and reported as unreadable.
// - Droplets, droplet tags, load balancers and Kubernetes clusters are named peers, never the world.
// - The firewall's `tags` attach it to droplets; they are a list of names, not a tag map, so the
//   resource has no tags in the rule model. What it attaches to (`dropletIds`, `tags`) is kept as
//   links for the graph assembler (graph.ts).
import { NO_PORTS } from "../../model/intervals";
import { Input } from "../support/input";
import { RuleBuilder } from "../support/rule-builder";
import { Adapter, ResourceBuilder } from "../support/resource-builder";
import { linksOf } from "./topology";

const TERMS = {
    inbound: {
        rule: "firewall rule",
        peers: "`sourceAddresses`",
        named: "droplets or droplet tags (`sourceDropletIds`, `sourceTags`)",
        ports: "`portRange`",
    },
    outbound: {
        rule: "firewall rule",
        peers: "`destinationAddresses`",
        named: "droplets or droplet tags (`destinationDropletIds`, `destinationTags`)",
        ports: "`portRange`",
    },
};

const ACTION = { allow: "allow", deny: "deny" } as const;
/** DigitalOcean's spelling of every port, besides the shared wildcards ("all"). */
const ALL_PORTS_WORDS = ["0"];

const DROPLET_ID = /^\d+$/;
const DROPLET_TAG = /^[a-z0-9:_-]{1,255}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function readRule(item: Input, rule: RuleBuilder, side: "source" | "destination"): void {
    rule.readAction(item.get("action"), ACTION, "allow");
    if (rule.action === "deny") rule.order = 0;
    rule.readProtocol(item.get("protocol"));
    // The provider keeps "" for ICMP rules, which have no ports: an empty string is no value.
    const portRange = item.get("portRange");
    const absent = portRange.missing || (typeof portRange.value === "string" && !portRange.unknown && portRange.value.trim() === "");
    rule.readPortSpecs(absent ? [] : [portRange], NO_PORTS, ALL_PORTS_WORDS);
    if (absent && (rule.protocol === "tcp" || rule.protocol === "udp")) {
        rule.invalid("ports", portRange, 'is missing (required for tcp and udp; "all" opens every port)');
    }
    rule.readPeerList(item.get(`${side}Addresses`));
    rule.readSymbolList(item.get(`${side}DropletIds`), "droplet", DROPLET_ID, { numbers: true });
    rule.readSymbolList(item.get(`${side}Tags`), "droplet-tag", DROPLET_TAG);
    rule.readSymbolList(item.get(`${side}LoadBalancerUids`), "load-balancer", UUID);
    rule.readSymbolList(item.get(`${side}KubernetesIds`), "kubernetes-cluster", UUID);
}

export const digitaloceanAdapters: Adapter[] = [
    {
        provider: "digitalocean",
        types: ["digitalocean:index/firewall:Firewall"],
        summary:
            "`inboundRules` and `outboundRules`: protocol tcp/udp/icmp, `portRange` (single port, range, `all`, `1-65535`), `sourceAddresses`/`destinationAddresses`; " +
            "droplet ids, droplet tags, load balancers and Kubernetes clusters are named peers, never the world. `action: deny` rules come before every allow rule, as DigitalOcean applies them; " +
            "a deny in another firewall attached to the same droplets is not seen. The firewall's `tags` (a list of names) are not read as tags.",
        normalise(props) {
            const out = new ResourceBuilder("digitalocean", TERMS, props);
            out.identityKeys = ["id", "name"];
            out.eachRule(
                props.get("inboundRules"),
                (i) => `inboundRules[${i}]`,
                (item, rule) => {
                    rule.direction = "inbound";
                    readRule(item, rule, "source");
                },
                "inbound",
            );
            out.eachRule(
                props.get("outboundRules"),
                (i) => `outboundRules[${i}]`,
                (item, rule) => {
                    rule.direction = "outbound";
                    readRule(item, rule, "destination");
                },
                "outbound",
            );
            return out.build({ links: { droplets: linksOf(props.get("dropletIds")), tags: linksOf(props.get("tags")) } });
        },
    },
];
