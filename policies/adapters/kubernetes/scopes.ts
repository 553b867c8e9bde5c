// What decides which pods a NetworkPolicy's and a Service's rules apply to, for the graph assembler
// (graph.ts): the namespace, the selectors, which sides a policy isolates, the peers' selectors, the
// named ports, a Service's ports with their target ports. Read with the firewall models
// (firewalls.ts), as their `links` and `values`; the resource policies do not read them.
import { TopologyLink, TopologyModel, TopologyValue } from "../../model/topology";
import { Input } from "../support/input";
import { linkOf } from "../support/topology";
import { readLabelSelector, readSelectorMap, Row } from "./selectors";

type Values = Record<string, TopologyModel["values"][string]>;

/** `metadata.namespace`: a link by the top-level `metadata` (its property dependencies name the Namespace in preview). */
export function namespaceLinks(props: Input): Record<string, TopologyLink[]> {
    const l = linkOf(props.get("metadata").get("namespace"));
    return l ? { namespace: [l] } : {};
}

function scalar(input: Input): TopologyValue | undefined {
    if (input.missing) return undefined;
    if (input.unknown) return { unknown: input.path };
    const v = input.value;
    return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : undefined;
}

/** The sides a policy isolates: `policyTypes`, else Ingress always and Egress when `egress` is present. */
function sides(spec: Input): TopologyValue {
    const types = spec.get("policyTypes");
    const items = types.items();
    if (items === "unknown") return { unknown: types.path };
    if (items === "invalid") return ["ingress", "egress"];
    if (items.length === 0) return spec.get("egress").missing ? ["ingress"] : ["ingress", "egress"];
    const out: string[] = [];
    for (const item of items) {
        if (item.unknown) return { unknown: item.path };
        const t = item.string()?.trim().toLowerCase();
        if ((t === "ingress" || t === "egress") && !out.includes(t)) out.push(t);
    }
    return out;
}

/**
 * A NetworkPolicy: `podSelector`, `sides`, and per rule `spec.<side>[i].peers` ("everybody" when
 * `from`/`to` is absent or empty, else the indices of the peers with selectors, in the order the
 * firewall model's symbols have them), each such peer's `podSelector` and `namespaceSelector`, and
 * the names of named ports (`spec.<side>[i].ports[k].port`).
 */
export function networkPolicyScope(props: Input): { links: Record<string, TopologyLink[]>; values: Values } {
    const spec = props.get("spec");
    if (spec.unknown)
        return { links: namespaceLinks(props), values: { podSelector: { unknown: spec.path }, sides: { unknown: spec.path } } };
    const values: Values = { podSelector: readLabelSelector(spec.get("podSelector")), sides: sides(spec) };
    for (const side of ["ingress", "egress"] as const) {
        const list = spec.get(side).items();
        if (!Array.isArray(list)) continue;
        list.forEach((rule, i) => {
            const at = `spec.${side}[${i}]`;
            const peersInput = rule.get(side === "ingress" ? "from" : "to");
            const peers = peersInput.items();
            if (peers === "unknown") values[`${at}.peers`] = { unknown: peersInput.path };
            else if (Array.isArray(peers) && peers.length === 0) values[`${at}.peers`] = "everybody";
            else if (Array.isArray(peers)) {
                const selecting: string[] = [];
                peers.forEach((peer, j) => {
                    const pods = peer.get("podSelector");
                    const namespaces = peer.get("namespaceSelector");
                    if (peer.unknown || (pods.missing && namespaces.missing)) return;
                    selecting.push(String(j));
                    if (!pods.missing) values[`${at}.peers[${j}].podSelector`] = readLabelSelector(pods);
                    if (!namespaces.missing) values[`${at}.peers[${j}].namespaceSelector`] = readLabelSelector(namespaces);
                });
                values[`${at}.peers`] = selecting;
            }
            const ports = rule.get("ports").items();
            if (Array.isArray(ports)) {
                ports.forEach((entry, k) => {
                    const port = entry.get("port");
                    if (typeof port.value === "string" && !port.unknown && !/^\d+$/.test(port.value.trim()))
                        values[`${at}.ports[${k}].port`] = port.value;
                });
            }
        });
    }
    return { links: namespaceLinks(props), values };
}

/** A Service: its `metadata.name` (what an Ingress backend names), `type`, `selector`, `ports` (port, targetPort, protocol, nodePort), `externalIPs` and `ipFamilies`. */
export function serviceScope(props: Input): { links: Record<string, TopologyLink[]>; values: Values } {
    const name = scalar(props.get("metadata").get("name"));
    const named: Values = name !== undefined ? { name } : {};
    const spec = props.get("spec");
    if (spec.unknown) return { links: namespaceLinks(props), values: { ...named, type: { unknown: spec.path } } };
    const values: Values = { ...named };
    const type = spec.get("type");
    values.type = type.missing ? "clusterip" : type.unknown ? { unknown: type.path } : (type.string()?.trim().toLowerCase() ?? "invalid");
    const selector = readSelectorMap(spec.get("selector"));
    if (selector) values.selector = selector;
    const ports = spec.get("ports");
    const items = ports.items();
    if (items === "unknown") values.ports = { unknown: ports.path };
    else if (Array.isArray(items)) {
        values.ports = items.map((item): Row => {
            const row: Record<string, TopologyValue> = {};
            if (item.unknown) return { unknown: item.path };
            for (const f of ["port", "targetPort", "protocol", "nodePort", "name"]) {
                const v = scalar(item.get(f));
                if (v !== undefined) row[f] = v;
            }
            return row;
        });
    }
    // Annotations as `key=value`: a cloud's node filter may follow one (DOKS's `kubernetes.digitalocean.com/firewall-managed`).
    const annotations = props.get("metadata").get("annotations");
    if (annotations.unknown) values.annotations = { unknown: annotations.path };
    else if (annotations.value !== null && typeof annotations.value === "object" && !Array.isArray(annotations.value))
        values.annotations = Object.keys(annotations.value)
            .map((k) => [k, annotations.get(k)] as const)
            .filter(([, v]) => !v.unknown && !v.secret && v.string() !== undefined)
            .map(([k, v]) => `${k}=${v.string()!.trim()}`);
    for (const f of ["externalIPs", "ipFamilies"]) {
        const input = spec.get(f);
        if (input.missing) continue;
        const list = input.items();
        if (list === "unknown") values[f] = { unknown: input.path };
        else if (Array.isArray(list)) values[f] = list.map((x) => (x.unknown ? "unknown" : (x.string() ?? ""))).filter((x) => x !== "");
    }
    return { links: namespaceLinks(props), values };
}
