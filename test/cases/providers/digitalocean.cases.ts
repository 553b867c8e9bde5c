// DigitalOcean rows for every policy's table: Cloud Firewalls in the shape `@pulumi/digitalocean` sends.
import { UNKNOWN } from "../../helpers";
import { CaseTable } from "../index";

const FW = "digitalocean:index/firewall:Firewall";
const WORLD = ["0.0.0.0/0", "::/0"];

const fw = (...inboundRules: Record<string, unknown>[]) => ({ name: "fw", dropletIds: [101], inboundRules });
const tcp = (portRange: string, over: Record<string, unknown>) => ({ protocol: "tcp", portRange, ...over });

const noWorld: CaseTable = {
    valid: [
        {
            name: "the provider's own example: SSH from a private range, HTTP/HTTPS and ICMP from anywhere",
            type: FW,
            props: fw(tcp("22", { sourceAddresses: ["192.168.1.0/24", "2002:1:2::/48"] }), tcp("80", { sourceAddresses: WORLD }), tcp("443", { sourceAddresses: WORLD }), { protocol: "icmp", sourceAddresses: WORLD }),
        },
        { name: "droplets, tags, load balancers and Kubernetes clusters are never the world", type: FW, props: fw(tcp("all", { sourceDropletIds: [123], sourceTags: ["app"], sourceLoadBalancerUids: ["4de7ac8b-495b-4884-9a69-1050c6793cd6"], sourceKubernetesIds: ["bd5f5959-5e1e-4205-a714-a914373942af"] })) },
        { name: "outbound to the world is not inbound", type: FW, props: { name: "fw", outboundRules: [tcp("all", { destinationAddresses: WORLD }), { protocol: "udp", portRange: "1-65535", destinationAddresses: WORLD }] } },
        { name: "a deny rule beats an allow rule, wherever it is in the list", type: FW, props: fw(tcp("22", { sourceAddresses: WORLD }), tcp("22", { sourceAddresses: WORLD, action: "deny" })) },
        { name: "a firewall without rules", type: FW, props: { name: "fw", tags: ["web"] } },
    ],
    invalid: [
        { name: "SSH from 0.0.0.0/0 and ::/0", type: FW, props: fw(tcp("22", { sourceAddresses: WORLD })), errors: [[/^inboundRules\[0\] \(from 0\.0\.0\.0\/0, ::\/0\) lets the whole internet reach tcp 22 \(ssh\), which is internal in ports\.yaml/]] },
        { name: "port range all opens every internal port", type: FW, props: fw(tcp("all", { sourceAddresses: ["0.0.0.0/0"] })), errors: [[/tcp 22 \(ssh\), 53 \(dns\), 2379-2380 \(etcd\)/, /should be narrowed/]] },
        { name: "1-65535 from ::/0", type: FW, props: fw({ protocol: "udp", portRange: "1-65535", sourceAddresses: ["::/0"] }), errors: [[/^inboundRules\[0\] \(from ::\/0\) lets the whole internet reach udp 53 \(dns\)/]] },
        { name: "the API's 0 means every port", type: FW, props: fw(tcp("0", { sourceAddresses: ["0.0.0.0/0"] })), errors: [[/tcp 22 \(ssh\)/]] },
        { name: "the second rule is named", type: FW, props: fw(tcp("443", { sourceAddresses: WORLD }), tcp("5432", { sourceAddresses: ["0.0.0.0/0"] })), errors: [[/^inboundRules\[1\] \(from 0\.0\.0\.0\/0\)/, /tcp 5432 \(postgres\)/]] },
        { name: "a range that contains an internal port", type: FW, props: fw(tcp("6000-6500", { sourceAddresses: WORLD })), errors: [[/tcp 6379 \(redis\), 6000-6378, 6380-6500 \(500 undocumented ports\)/]] },
        { name: "a deny for other ports does not close SSH", type: FW, props: fw(tcp("23", { sourceAddresses: WORLD, action: "deny" }), tcp("22", { sourceAddresses: WORLD })), errors: [[/^inboundRules\[1\]/, /ssh/]] },
        { name: "a droplet tag next to 0.0.0.0/0 does not narrow it", type: FW, props: fw(tcp("6379", { sourceTags: ["web"], sourceAddresses: ["0.0.0.0/0"] })), errors: [[/\(from 0\.0\.0\.0\/0, droplet-tag web\)/]] },
        {
            name: "a known violation is reported even when another rule is unknown",
            type: FW,
            props: fw(tcp("22", { sourceAddresses: WORLD }), tcp("5432", { sourceAddresses: [UNKNOWN] })),
            errors: [[/^inboundRules\[0\]/, /ssh/]],
            advisories: [[/^inboundRules\[1\] cannot be verified until update: inboundRules\[1\]\.sourceAddresses\[0\] is unknown during preview/]],
        },
        { name: "an unknown action is advisory", type: FW, props: fw(tcp("22", { sourceAddresses: WORLD, action: UNKNOWN })), advisories: [[/inboundRules\[0\]\.action is unknown/]] },
        { name: "a whole unknown list is advisory", type: FW, props: { name: "fw", inboundRules: UNKNOWN }, advisories: [[/^inboundRules is unknown until update/]] },
        { name: "a malformed rule is advisory, never a crash", type: FW, props: { name: "fw", inboundRules: [null, { protocol: ["tcp"], portRange: {}, sourceAddresses: "0.0.0.0/0" }] }, advisories: [[/^inboundRules\[0\] is not a rule object/], [/^inboundRules\[1\] could not be fully read: inboundRules\[1\]\.protocol is not a protocol name or number/]] },
    ],
};

const documented: CaseTable = {
    valid: [
        { name: "documented ports from droplet tags", type: FW, props: fw(tcp("5432", { sourceTags: ["app"] }), tcp("6379", { sourceTags: ["app"] })) },
        { name: "documented icmp without a port range", type: FW, props: fw({ protocol: "icmp", portRange: "", sourceAddresses: ["10.0.0.0/8"] }) },
        { name: "deny rules open nothing", type: FW, props: fw(tcp("all", { sourceAddresses: WORLD, action: "deny" })) },
        { name: "an allow fully shadowed by a deny opens nothing", type: FW, props: fw(tcp("9999", { sourceAddresses: ["10.0.0.0/8"] }), tcp("9999", { sourceAddresses: ["0.0.0.0/0"], action: "deny" })) },
        { name: "outbound rules are not inbound", type: FW, props: { name: "fw", outboundRules: [tcp("all", { destinationAddresses: WORLD })] } },
    ],
    invalid: [
        { name: "port range all from a droplet", type: FW, props: fw(tcp("all", { sourceDropletIds: [123] })), errors: [[/^inboundRules\[0\] \(from droplet 123\) opens tcp .*undocumented ports/, /narrow the rule/]] },
        { name: "an undocumented range from a load balancer", type: FW, props: fw(tcp("8000-8010", { sourceLoadBalancerUids: ["4de7ac8b-495b-4884-9a69-1050c6793cd6"] })), errors: [[/\(from load-balancer 4de7ac8b-495b-4884-9a69-1050c6793cd6\) opens tcp 8000-8010 \(11 undocumented ports\)/, /ports: \["8000-8010"\]/]] },
        { name: "udp 1-65535 from a Kubernetes cluster", type: FW, props: fw({ protocol: "udp", portRange: "1-65535", sourceKubernetesIds: ["bd5f5959-5e1e-4205-a714-a914373942af"] }), errors: [[/\(from kubernetes-cluster bd5f5959-5e1e-4205-a714-a914373942af\) opens udp .*undocumented ports/]] },
        { name: "a port documented for tcp only, opened for udp", type: FW, props: fw({ protocol: "udp", portRange: "5432", sourceTags: ["app"] }), errors: [[/udp 5432 \(undocumented\)/]] },
        { name: "a tcp rule without a port range is advisory", type: FW, props: fw({ protocol: "tcp", sourceTags: ["app"] }), advisories: [[/^inboundRules\[0\] could not be fully read: inboundRules\[0\]\.portRange is missing/]] },
        { name: "unknown ports are advisory", type: FW, props: fw(tcp(UNKNOWN as string, { sourceTags: ["app"] })), advisories: [[/inboundRules\[0\]\.portRange is unknown/]] },
    ],
};

export const cases: Record<string, CaseTable> = {
    "no-world-open-internal-ports": noWorld,
    "documented-ports-only": documented,
};
