// Kubernetes (`kubernetes:`): Services that expose ports outside the cluster, and NetworkPolicies.
//
// A Service is not a firewall, but a LoadBalancer Service is the cluster's way to open a port to
// the internet: the cloud's load balancer admits `spec.loadBalancerSourceRanges`, or everybody when
// there are none, unless an annotation makes it internal. Node ports and external IPs are reached
// through the nodes, so who reaches them is the node firewall's question (the cloud's security
// groups, NSGs or firewall rules, judged on their own); the Service still decides which port opens.
import { parseCidr, SymbolicPeer } from "../../model/addresses";
import { ALL_PORTS, portRange } from "../../model/intervals";
import { FirewallModel } from "../../model/resources";
import { Direction } from "../../model/rules";
import { parsePortNumber } from "../../model/ports";
import { isUnknownValue } from "../../wire/engine";
import { Input } from "../support/input";
import { RuleBuilder } from "../support/rule-builder";
import { Adapter, ResourceBuilder, sameTerms } from "../support/resource-builder";
import { networkPolicyScope, serviceScope } from "./scopes";

const SERVICE_TERMS = sameTerms({
    rule: "Service",
    peers: "`spec.loadBalancerSourceRanges`",
    named: "an internal load balancer (your cloud's internal annotation)",
    ports: "`spec.ports[].port`",
});
/** Who reaches a node port is the node firewall's question; the Service only decides the port. */
const NODE_PORT_TERMS = sameTerms({
    rule: "Service",
    peers: "the node firewall's sources",
    ports: "`nodePort`",
    unsetPorts: "leave `nodePort` out so the cluster allocates one",
});
const POLICY_TERMS = {
    inbound: {
        rule: "NetworkPolicy rule",
        peers: "`from[].ipBlock`",
        named: "a `podSelector` or `namespaceSelector`",
        ports: "`ports[].port`",
    },
    outbound: {
        rule: "NetworkPolicy rule",
        peers: "`to[].ipBlock`",
        named: "a `podSelector` or `namespaceSelector`",
        ports: "`ports[].port`",
    },
};

/** kube-apiserver's default `--service-node-port-range`. */
export const NODE_PORT_RANGE = portRange(30000, 32767);

/** Annotations (and the one spec field) that give a LoadBalancer Service an internal address, by cloud. */
export const INTERNAL_LB = {
    /** AWS Load Balancer Controller: `internal` or `internet-facing`; when set it decides. */
    awsScheme: "service.beta.kubernetes.io/aws-load-balancer-scheme",
    /** AWS, legacy and in-tree: a boolean ("true"); older docs used "0.0.0.0/0". */
    awsInternal: "service.beta.kubernetes.io/aws-load-balancer-internal",
    /** Azure (cloud-provider-azure): exactly "true". */
    azureInternal: "service.beta.kubernetes.io/azure-load-balancer-internal",
    /** GKE: "Internal" (or the deprecated "internal"); the first of the two annotations present decides. */
    gkeType: ["networking.gke.io/load-balancer-type", "cloud.google.com/load-balancer-type"],
    /** GKE: `spec.loadBalancerClass` for the internal passthrough load balancer. */
    gkeClass: "networking.gke.io/l4-regional-internal",
} as const;

/** Honoured by the cloud providers when `spec.loadBalancerSourceRanges` is empty: comma-separated CIDRs. */
export const SOURCE_RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges";

const SERVICE_TYPES = new Set(["clusterip", "nodeport", "loadbalancer", "externalname"]);

/** IANA_SVC_NAME, what Kubernetes accepts as a named port: lowercase letters, digits, inner hyphens, at most 15. */
function isPortName(v: unknown): v is string {
    return (
        typeof v === "string" &&
        !isUnknownValue(v) &&
        v.length <= 15 &&
        /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(v) &&
        /[a-z]/.test(v) &&
        !v.includes("--")
    );
}

function isObject(input: Input): boolean {
    return input.value !== null && typeof input.value === "object" && !Array.isArray(input.value);
}

// ---------------------------------------------------------------------------------------------
// Services
// ---------------------------------------------------------------------------------------------

/** Whether the Service's load balancer is internal; when that is not known until update, the unknown input. */
function internalLoadBalancer(annotations: Input, spec: Input): boolean | Input {
    let unknown: Input | undefined = annotations.unknown ? annotations : undefined;
    const lbClass = spec.get("loadBalancerClass");
    if (lbClass.unknown) unknown ??= lbClass;
    if (lbClass.string() === INTERNAL_LB.gkeClass) return true;
    const ann = (key: string) => {
        const input = annotations.get(key);
        if (input.unknown) unknown ??= input;
        return input.string();
    };
    const scheme = ann(INTERNAL_LB.awsScheme);
    if (scheme !== undefined) {
        if (scheme.trim().toLowerCase() === "internal") return true;
    } else {
        const aws = ann(INTERNAL_LB.awsInternal)?.trim();
        if (aws !== undefined && (/^(true|1|t)$/i.test(aws) || parseCidr(aws) !== undefined)) return true;
    }
    if (ann(INTERNAL_LB.azureInternal) === "true") return true;
    const gke = INTERNAL_LB.gkeType.map(ann).find((v) => v !== undefined);
    if (gke === "Internal" || gke === "internal") return true;
    return unknown ?? false;
}

/** Who reaches the load balancer: internal, the source ranges (field, else annotation), or everybody. */
function readLoadBalancerSources(annotations: Input, spec: Input, rule: RuleBuilder): void {
    const internal = internalLoadBalancer(annotations, spec);
    if (internal === true) {
        rule.peers.addSymbol({ kind: "internal-load-balancer" });
        return;
    }
    if (internal !== false) {
        // Internal or public is not known until update: neither the world nor a named source.
        rule.readPeerList(internal);
        return;
    }
    const ranges = spec.get("loadBalancerSourceRanges");
    const items = ranges.items();
    if (items !== "unknown" && items !== "invalid" && items.length === 0) {
        const ann = annotations.get(SOURCE_RANGES_ANNOTATION);
        if (ann.unknown) {
            rule.readPeerList(ann);
            return;
        }
        const parts = (ann.string() ?? "")
            .split(",")
            .map((p) => p.trim())
            .filter((p) => p !== "");
        if (parts.length > 0) {
            rule.readPeers(parts.map((p) => new Input(p, ann.path, ann.secrets)));
            return;
        }
        rule.peers.addWorld("anywhere: no loadBalancerSourceRanges");
        return;
    }
    rule.readPeerList(ranges);
}

function readServicePort(item: Input, rule: RuleBuilder): void {
    rule.readProtocol(item.get("protocol"), "tcp");
    const port = item.get("port");
    if (port.missing) rule.invalid("ports", port, "is missing");
    else rule.readPortSpecs([port]);
}

function readServiceRules(props: Input): FirewallModel {
    const out = new ResourceBuilder("kubernetes", SERVICE_TERMS, props);
    const metadata = props.get("metadata");
    out.readTags(metadata.get("labels"));
    const spec = props.get("spec");
    if (!readableSpec(out, spec)) return out.build();
    const typeInput = spec.get("type");
    if (typeInput.unknown) {
        out.unknown.push({ path: typeInput.path, direction: "inbound", message: `${typeInput.path} is unknown until update` });
        return out.build();
    }
    const type = typeInput.missing ? "clusterip" : typeInput.string()?.trim().toLowerCase();
    if (type === undefined || !SERVICE_TYPES.has(type)) {
        out.problems.push({
            path: typeInput.path,
            direction: "inbound",
            message: `${typeInput.path} is not ClusterIP, NodePort, LoadBalancer or ExternalName`,
        });
        return out.build();
    }
    if (type === "externalname") return out.build(); // a DNS alias: nothing is proxied
    const lb = type === "loadbalancer";
    const externalIPs = spec.get("externalIPs");
    const ips = externalIPs.items();
    const hasExternalIPs = ips === "unknown" || (Array.isArray(ips) && ips.length > 0);
    // A LoadBalancer Service gets node ports too, unless allocateLoadBalancerNodePorts is false.
    const noAllocation = lb && spec.get("allocateLoadBalancerNodePorts").bool() === false;
    const nodePorts = type === "nodeport" || lb;
    if (!lb && !nodePorts && !hasExternalIPs) return out.build(); // ClusterIP: inside the cluster only
    out.eachObject(
        spec.get("ports"),
        (item, i) => {
            if (lb || hasExternalIPs) {
                out.addRule(`spec.ports[${i}]`, (rule) => {
                    readServicePort(item, rule);
                    if (lb) readLoadBalancerSources(metadata.get("annotations"), spec, rule);
                    if (hasExternalIPs) rule.peers.addSymbol({ kind: "external-ips" });
                });
            }
            const nodePort = item.get("nodePort");
            if (nodePorts && !(noAllocation && nodePort.missing)) {
                out.addRule(`spec.ports[${i}].nodePort`, (rule) => {
                    rule.terms = NODE_PORT_TERMS.inbound;
                    rule.readProtocol(item.get("protocol"), "tcp");
                    rule.readPortSpecs([nodePort], NODE_PORT_RANGE);
                    // Left unset, the cluster picks the port: nobody chose it, so there is nothing to document.
                    rule.allocated = nodePort.missing;
                    rule.peers.addSymbol({ kind: "node-firewall" });
                });
            }
        },
        "inbound",
    );
    if (lb && spec.get("externalTrafficPolicy").string()?.trim().toLowerCase() === "local") {
        // The load balancer's health checks reach every node on one more node port.
        out.addRule("spec.healthCheckNodePort", (rule) => {
            rule.terms = {
                ...NODE_PORT_TERMS.inbound,
                ports: "`spec.healthCheckNodePort`",
                unsetPorts: "leave `spec.healthCheckNodePort` out so the cluster allocates one",
            };
            rule.protocol = "tcp";
            rule.readPortSpecs([spec.get("healthCheckNodePort")], NODE_PORT_RANGE);
            rule.allocated = spec.get("healthCheckNodePort").missing;
            rule.peers.addSymbol({ kind: "node-firewall" });
        });
    }
    return out.build();
}

/** False when there is nothing to read (after recording an unknown or malformed spec). */
function readableSpec(out: ResourceBuilder, spec: Input): boolean {
    if (spec.unknown) {
        out.unknown.push({ path: "spec", message: "spec is unknown until update" });
        return false;
    }
    if (spec.missing) return false;
    if (!isObject(spec)) {
        out.problems.push({ path: "spec", message: "spec is not an object" });
        return false;
    }
    return true;
}

// ---------------------------------------------------------------------------------------------
// NetworkPolicies
// ---------------------------------------------------------------------------------------------

type Side = "ingress" | "egress";
const SIDES: Record<Side, { peers: "from" | "to"; direction: Direction }> = {
    ingress: { peers: "from", direction: "inbound" },
    egress: { peers: "to", direction: "outbound" },
};

/** Which sides the policy applies: `policyTypes`, else Ingress always and Egress when `egress` is present. */
function policySides(spec: Input, out: ResourceBuilder): Record<Side, boolean> {
    const types = spec.get("policyTypes");
    const items = types.items();
    if (items === "unknown") return { ingress: true, egress: true }; // judge both rather than none
    if (items === "invalid") {
        out.problems.push({ path: types.path, message: `${types.path} is not a list of Ingress and Egress` });
        return { ingress: true, egress: true };
    }
    if (items.length === 0) return { ingress: true, egress: !spec.get("egress").missing };
    const sides = { ingress: false, egress: false };
    for (const item of items) {
        const t = item.string()?.trim().toLowerCase();
        if (t === "ingress" || t === "egress") sides[t] = true;
        else if (item.unknown) return { ingress: true, egress: true };
    }
    return sides;
}

/** `from` or `to`: ipBlocks (minus `except`), pod and namespace selectors; none at all means everybody. */
function readPolicyPeers(list: Input, rule: RuleBuilder): void {
    const items = list.items();
    if (items === "unknown") {
        rule.readPeerList(list);
        return;
    }
    if (items === "invalid" || (items.length === 1 && items[0] === list)) {
        rule.invalid("peers", list, "is not a list");
        return;
    }
    if (items.length === 0) {
        rule.peers.addWorld(`anywhere: no ${list.path.split(".").pop()}`);
        return;
    }
    for (const peer of items) {
        if (peer.unknown) {
            rule.readPeerList(peer);
            continue;
        }
        if (!isObject(peer)) {
            rule.invalid("peers", peer, "is not a peer object (ipBlock, podSelector or namespaceSelector)");
            continue;
        }
        const ipBlock = peer.get("ipBlock");
        const pods = peer.get("podSelector");
        const namespaces = peer.get("namespaceSelector");
        if (ipBlock.unknown) rule.readPeerList(ipBlock);
        else if (!ipBlock.missing && !isObject(ipBlock)) rule.invalid("peers", ipBlock, "is not an object with cidr and except");
        else if (!ipBlock.missing) rule.readPeerBlock(ipBlock.get("cidr"), ipBlock.get("except"));
        // Selectors pick pods inside the cluster; empty ones pick every pod (or namespace), still never the internet.
        if (!namespaces.missing) rule.peers.addSymbol(selectorSymbol("namespace-selector", namespaces));
        else if (!pods.missing) rule.peers.addSymbol(selectorSymbol("pod-selector", pods));
        if (ipBlock.missing && pods.missing && namespaces.missing)
            rule.invalid("peers", peer, "names no peer (set ipBlock, podSelector or namespaceSelector)");
    }
}

/** Label keys and values as Kubernetes allows them: identifiers, safe to print. */
const LABEL_KEY = /^[A-Za-z0-9._/-]{1,253}$/;
const LABEL_VALUE = /^[A-Za-z0-9._-]{0,63}$/;

/**
 * A selector peer, named for messages by its `matchLabels` (`component=search`) when that is all it
 * says. `{}` (everything), expressions, unknown or secret values leave it unnamed.
 */
function selectorSymbol(kind: "pod-selector" | "namespace-selector", sel: Input): SymbolicPeer {
    const v = sel.value;
    if (sel.secret || sel.unknown || !isObject(sel)) return { kind };
    const { matchLabels, matchExpressions, ...rest } = v as Record<string, unknown>;
    if (
        Object.keys(rest).length > 0 ||
        (matchExpressions !== undefined && !(Array.isArray(matchExpressions) && matchExpressions.length === 0))
    )
        return { kind };
    if (!isObject(sel.get("matchLabels"))) return { kind };
    const pairs = Object.entries(matchLabels as Record<string, unknown>);
    if (pairs.length === 0) return { kind };
    const labels = sel.get("matchLabels");
    if (!pairs.every(([k, x]) => LABEL_KEY.test(k) && typeof x === "string" && LABEL_VALUE.test(x) && !labels.get(k).secret))
        return { kind };
    return { kind, id: pairs.map(([k, x]) => `${k}=${x as string}`).join(",") };
}

/** One `ports[k]` entry: protocol (default TCP), a port number or name, an optional `endPort`. */
function readPolicyPort(entry: Input, rule: RuleBuilder): void {
    rule.readProtocol(entry.get("protocol"), "tcp");
    const port = entry.get("port");
    const end = entry.get("endPort");
    if (isPortName(port.value)) {
        const name = port.secret ? "" : ` (${port.value})`;
        rule.unverifiable(
            "ports",
            port,
            `names a container port${name}: its number is set by the pods the policy selects, not by the policy`,
        );
        if (!end.missing) rule.invalid("ports", end, "cannot be combined with a named port");
        return;
    }
    if (typeof port.value === "string" && !port.unknown && parsePortNumber(port.value) === undefined) {
        rule.invalid("ports", port, "is neither a port number nor a port name");
        return;
    }
    if (end.missing)
        rule.readPortSpecs([port], ALL_PORTS); // no port: every port of the protocol
    else if (port.missing) rule.invalid("ports", end, `needs ${port.path}`);
    else rule.readPortPair(port, end, false);
}

function readPolicyRule(out: ResourceBuilder, item: Input, origin: string, side: Side): void {
    const { peers, direction } = SIDES[side];
    const start = (rule: RuleBuilder) => {
        rule.direction = direction;
        readPolicyPeers(item.get(peers), rule);
    };
    const ports = item.get("ports");
    const entries = ports.items();
    if (entries === "unknown" || entries === "invalid" || (entries.length === 1 && entries[0] === ports)) {
        out.addRule(origin, (rule) => {
            start(rule);
            if (entries === "unknown") rule.readPortSpecs([ports], ALL_PORTS);
            else rule.invalid("ports", ports, "is not a list");
        });
        return;
    }
    if (entries.length === 0) {
        out.addRule(origin, start); // every protocol, every port
        return;
    }
    // One rule per ports entry: each has its own protocol, and a named port leaves the others judged.
    entries.forEach((entry, k) => {
        out.addRule(`${origin}.ports[${k}]`, (rule) => {
            start(rule);
            if (entry.unknown) {
                rule.readProtocol(entry);
                rule.readPortSpecs([entry], ALL_PORTS);
            } else if (!isObject(entry)) {
                rule.invalid("ports", entry, "is not a port object");
            } else {
                readPolicyPort(entry, rule);
            }
        });
    });
}

function readNetworkPolicyRules(props: Input): FirewallModel {
    const out = new ResourceBuilder("kubernetes", POLICY_TERMS, props);
    out.readTags(props.get("metadata").get("labels"));
    const spec = props.get("spec");
    if (!readableSpec(out, spec)) return out.build();
    const sides = policySides(spec, out);
    for (const side of ["ingress", "egress"] as const) {
        if (!sides[side]) continue; // Kubernetes ignores the rules of a side policyTypes leaves out
        out.eachObject(spec.get(side), (item, i) => readPolicyRule(out, item, `spec.${side}[${i}]`, side), SIDES[side].direction);
    }
    return out.build();
}

// The rules, and for the graph what decides which pods they apply to (assigned, not spread: a spread reads the rules).
const readService = (props: Input): FirewallModel => Object.assign(readServiceRules(props), serviceScope(props));
const readNetworkPolicy = (props: Input): FirewallModel => Object.assign(readNetworkPolicyRules(props), networkPolicyScope(props));

export const kubernetesAdapters: Adapter[] = [
    {
        provider: "kubernetes",
        types: ["kubernetes:core/v1:Service"],
        summary:
            "`spec.type` LoadBalancer: each `spec.ports[i]` (`port`, `protocol`, default TCP) from `spec.loadBalancerSourceRanges` " +
            "(or the `load-balancer-source-ranges` annotation), the whole internet when there are none, an internal load balancer when " +
            "an AWS, Azure or GKE annotation (or GKE's internal `loadBalancerClass`) says so. NodePort and LoadBalancer: each `nodePort` " +
            "(30000-32767 when unset), and `healthCheckNodePort` with `externalTrafficPolicy: Local`, from the node firewall; `externalIPs`: " +
            "each `port` from the external IPs. ClusterIP and ExternalName open nothing. Labels as tags.",
        normalise: readService,
    },
    {
        provider: "kubernetes",
        types: ["kubernetes:networking.k8s.io/v1:NetworkPolicy", "kubernetes:extensions/v1beta1:NetworkPolicy"],
        summary:
            "`spec.ingress[i]` (and `spec.egress[i]`) for the sides `policyTypes` enables: `from`/`to` ipBlocks (`cidr` minus `except`), " +
            "pod and namespace selectors as named sources, none = everybody; each `ports[k]` with `protocol` (default TCP), `port`, `endPort`, " +
            "none = every port. Named ports cannot be verified (advisory). Labels as tags.",
        normalise: readNetworkPolicy,
    },
];
