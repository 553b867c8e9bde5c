import { strict as assert } from "assert";
import { adapterFor } from "../../policies/adapters";
import { AdapterCase, adapterCases, UNKNOWN } from "../helpers";

const FW = "digitalocean:index/firewall:Firewall";
const WORLD = ["0.0.0.0/0", "::/0"];

/** A firewall as `new digitalocean.Firewall(...)` sends it. */
const fw = (over: Record<string, unknown>) => ({ name: "fw", dropletIds: [101, 102], tags: ["web"], ...over });

const cases: AdapterCase[] = [
    {
        name: "inbound and outbound rules, the provider's own example",
        props: fw({
            inboundRules: [
                { protocol: "tcp", portRange: "22", sourceAddresses: ["192.168.1.0/24", "2002:1:2::/48"] },
                { protocol: "tcp", portRange: "443", sourceAddresses: WORLD },
                { protocol: "icmp", sourceAddresses: WORLD },
            ],
            outboundRules: [
                { protocol: "udp", portRange: "53", destinationAddresses: WORLD },
                { protocol: "icmp", destinationAddresses: WORLD },
            ],
        }),
        rules: [
            "inboundRules[0]: inbound allow tcp 22 from 192.168.1.0/24 2002:1:2::/48",
            "inboundRules[1]: inbound allow tcp 443 from 0.0.0.0/0 ::/0",
            "inboundRules[2]: inbound allow icmp from 0.0.0.0/0 ::/0",
            "outboundRules[0]: outbound allow udp 53 from 0.0.0.0/0 ::/0",
            "outboundRules[1]: outbound allow icmp from 0.0.0.0/0 ::/0",
        ],
    },
    {
        name: "every spelling of every port: all, 1-65535, and the API's 0",
        props: fw({
            inboundRules: [
                { protocol: "tcp", portRange: "all", sourceAddresses: ["10.0.0.0/8"] },
                { protocol: "udp", portRange: "1-65535", sourceAddresses: ["10.0.0.0/8"] },
                { protocol: "tcp", portRange: "0", sourceAddresses: ["10.0.0.0/8"] },
                { protocol: "TCP", portRange: "ALL", sourceAddresses: ["10.0.0.0/8"] },
            ],
        }),
        rules: [
            "inboundRules[0]: inbound allow tcp 0-65535 (all ports) from 10.0.0.0/8",
            "inboundRules[1]: inbound allow udp 1-65535 from 10.0.0.0/8",
            "inboundRules[2]: inbound allow tcp 0-65535 (all ports) from 10.0.0.0/8",
            "inboundRules[3]: inbound allow tcp 0-65535 (all ports) from 10.0.0.0/8",
        ],
    },
    {
        name: "ranges, numbers as strings or numbers, protocol numbers",
        props: fw({
            inboundRules: [
                { protocol: "6", portRange: "8000-9000", sourceAddresses: ["10.0.0.0/8"] },
                { protocol: "udp", portRange: 53, sourceAddresses: ["10.0.0.0/8"] },
            ],
        }),
        rules: ["inboundRules[0]: inbound allow tcp 8000-9000 from 10.0.0.0/8", "inboundRules[1]: inbound allow udp 53 from 10.0.0.0/8"],
    },
    {
        name: "droplets, tags, load balancers and Kubernetes clusters are named sources, never the world",
        props: fw({
            inboundRules: [
                {
                    protocol: "tcp",
                    portRange: "5432",
                    sourceDropletIds: [123, "456"],
                    sourceTags: ["app-servers"],
                    sourceLoadBalancerUids: ["4de7ac8b-495b-4884-9a69-1050c6793cd6"],
                    sourceKubernetesIds: ["bd5f5959-5e1e-4205-a714-a914373942af"],
                },
            ],
        }),
        rules: [
            "inboundRules[0]: inbound allow tcp 5432 from droplet:123 droplet:456 droplet-tag:app-servers load-balancer:4de7ac8b-495b-4884-9a69-1050c6793cd6 kubernetes-cluster:bd5f5959-5e1e-4205-a714-a914373942af",
        ],
    },
    {
        name: "unknown droplet ids and tags are still named sources",
        props: fw({ inboundRules: [{ protocol: "tcp", portRange: "8080", sourceDropletIds: [UNKNOWN], sourceTags: UNKNOWN }] }),
        rules: ["inboundRules[0]: inbound allow tcp 8080 from droplet droplet-tag"],
    },
    {
        name: "outbound rules read destinations, not sources",
        props: fw({
            outboundRules: [
                {
                    protocol: "tcp",
                    portRange: "all",
                    destinationAddresses: ["10.0.0.0/8"],
                    destinationTags: ["db"],
                    sourceAddresses: WORLD,
                },
            ],
        }),
        rules: ["outboundRules[0]: outbound allow tcp 0-65535 (all ports) from 10.0.0.0/8 droplet-tag:db"],
    },
    {
        name: "deny rules come before every allow rule",
        props: fw({
            inboundRules: [
                { protocol: "tcp", portRange: "22", sourceAddresses: WORLD },
                { protocol: "tcp", portRange: "22", sourceAddresses: WORLD, action: "DENY" },
                { protocol: "tcp", portRange: "443", sourceAddresses: WORLD, action: "allow" },
            ],
        }),
        rules: [
            "inboundRules[0]: inbound allow tcp 22 from 0.0.0.0/0 ::/0",
            "inboundRules[1]: inbound deny tcp 22 from 0.0.0.0/0 ::/0 #0",
            "inboundRules[2]: inbound allow tcp 443 from 0.0.0.0/0 ::/0",
        ],
    },
    {
        name: "nulls and missing lists are empty",
        props: fw({
            inboundRules: [{ protocol: "tcp", portRange: "80", sourceAddresses: ["::/0"], sourceDropletIds: null, sourceTags: null }],
            outboundRules: null,
        }),
        rules: ["inboundRules[0]: inbound allow tcp 80 from ::/0"],
    },
    {
        name: "a tcp or udp rule without portRange is unreadable; icmp needs none",
        props: fw({
            inboundRules: [
                { protocol: "udp", sourceAddresses: WORLD },
                { protocol: "icmp", portRange: "", sourceAddresses: ["10.0.0.0/8"] },
            ],
        }),
        rules: [
            "inboundRules[0]: inbound allow udp no ports from 0.0.0.0/0 ::/0 invalid(inboundRules[0].portRange)",
            "inboundRules[1]: inbound allow icmp from 10.0.0.0/8",
        ],
    },
    {
        name: "unknown values are recorded per part",
        props: fw({
            inboundRules: [
                { protocol: "tcp", portRange: UNKNOWN, sourceAddresses: ["0.0.0.0/0", UNKNOWN] },
                { protocol: UNKNOWN, portRange: "22", sourceAddresses: UNKNOWN, action: UNKNOWN },
            ],
        }),
        rules: [
            "inboundRules[0]: inbound allow tcp no ports from 0.0.0.0/0 ? unknown(inboundRules[0].portRange) unknown(inboundRules[0].sourceAddresses[1])",
            "inboundRules[1]: inbound allow all 22 from ? unknown(inboundRules[1].action) unknown(inboundRules[1].protocol) unknown(inboundRules[1].sourceAddresses)",
        ],
    },
    {
        name: "whole unknown lists",
        props: fw({ inboundRules: UNKNOWN, outboundRules: [UNKNOWN] }),
        rules: [],
        unknown: ["inboundRules", "outboundRules[0]"],
    },
    {
        name: "wrong types are problems or invalid values, never crashes",
        props: fw({
            inboundRules: [
                42,
                { protocol: "gre?", portRange: "x-y", sourceAddresses: ["banana", 7], sourceDropletIds: [{}], action: "maybe" },
                { protocol: "tcp", portRange: "9000-8000", sourceAddresses: "10.0.0.0/8" },
            ],
            outboundRules: { protocol: "tcp" },
        }),
        rules: [
            "inboundRules[1]: inbound allow all no ports from - invalid(inboundRules[1].action) invalid(inboundRules[1].protocol) invalid(inboundRules[1].portRange) invalid(inboundRules[1].sourceAddresses[0]) invalid(inboundRules[1].sourceAddresses[1]) invalid(inboundRules[1].sourceDropletIds[0])",
            "inboundRules[2]: inbound allow tcp no ports from 10.0.0.0/8 invalid(inboundRules[2].portRange)",
        ],
        problems: ["inboundRules[0]", "outboundRules"],
    },
];

describe("DigitalOcean adapter", () => {
    it("reads the firewall type token", () => assert.equal(adapterFor(FW)?.provider, "digitalocean"));
    // tags: a list of droplet tag names is not a tag map, so every row's model has none.
    adapterCases(cases, { type: FW, provider: "digitalocean", problemsBy: "path", tags: true });
});
