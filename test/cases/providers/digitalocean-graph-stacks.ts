// Small DigitalOcean stacks as the engine sends them to AnalyzeStack, for the graph's case tables:
// each resource's outputs, and its links either as preview sends them (ids unknown, links only
// through property dependencies keyed by the top-level input; inputs such as a tag's `name` stay
// known) or as update sends them (known ids in the outputs and in the referencing inputs).
import { UNKNOWN } from "../../helpers";
import { LinkedEntry, LinkedStack, Mode, Ref, nameHash, POSTGRES_FOR_API, WEB_AND_API } from "./graph-stack";

export type { Mode };

export const D = {
    vpc: "digitalocean:index/vpc:Vpc",
    tag: "digitalocean:index/tag:Tag",
    droplet: "digitalocean:index/droplet:Droplet",
    firewall: "digitalocean:index/firewall:Firewall",
    lb: "digitalocean:index/loadBalancer:LoadBalancer",
    db: "digitalocean:index/databaseCluster:DatabaseCluster",
    dbFirewall: "digitalocean:index/databaseFirewall:DatabaseFirewall",
    cluster: "digitalocean:index/kubernetesCluster:KubernetesCluster",
    pool: "digitalocean:index/kubernetesNodePool:KubernetesNodePool",
} as const;

const hash = (s: string) => nameHash(s, 7);

/** A UUID made from a name, as DigitalOcean gives VPCs, load balancers, clusters. */
function uuid(name: string): string {
    const h = hash(name).toString(16).padStart(8, "0");
    return `${h}-0000-4000-8000-${h}0000`;
}

export class Stack extends LinkedStack {
    idOf(name: string): string {
        const e = this.byName.get(name)!;
        if (e.type === D.droplet) return String(300000000 + (hash(name) % 99999999));
        if (e.type === D.tag) return typeof e.props.name === "string" ? e.props.name : name;
        return uuid(name);
    }

    /** `name` (its id), or `name#output`; an input the resource was given is known in preview too; droplet ids are numbers. */
    protected refValue(ref: Ref, mode: Mode, path: string): unknown {
        const [n, output] = ref.split("#");
        const e = this.entry(n);
        if (output && e.props[output] !== undefined) return e.props[output];
        const v = super.refValue(ref, mode, path);
        return mode === "update" && /dropletids/i.test(path) ? Number(v) : v;
    }

    protected valueOf(ref: Ref): unknown {
        const [n, output] = ref.split("#");
        return output ? this.outputs(this.entry(n), "update")[output] : this.idOf(n);
    }

    /** What the provider reports besides the inputs: the id and computed values (unknown in preview). */
    protected outputs(e: LinkedEntry, mode: Mode): Record<string, unknown> {
        const known = mode === "update";
        const out: Record<string, unknown> = { id: known ? this.idOf(e.name) : UNKNOWN };
        if (e.type === D.droplet)
            Object.assign(out, {
                ipv4Address: known ? `203.0.113.${hash(e.name) % 250}` : UNKNOWN,
                ipv4AddressPrivate: known ? this.privateAddress(e) : UNKNOWN,
            });
        if (e.type === D.db)
            Object.assign(out, {
                port: known ? dbPort(typeof e.props.engine === "string" ? e.props.engine : "") : UNKNOWN,
                host: known ? `${e.name}.db.ondigitalocean.com` : UNKNOWN,
            });
        if (e.type === D.lb) out.ip = known ? "198.51.100.10" : UNKNOWN;
        if (e.type === D.tag) out.name = e.props.name ?? e.name;
        return out;
    }

    /** A droplet's private address in its VPC's range (the range's network address + a host number). */
    private privateAddress(e: LinkedEntry): string {
        const vpcRef = e.refs.vpcUuid;
        const vpc = typeof vpcRef === "string" ? this.byName.get(vpcRef) : undefined;
        const range = typeof vpc?.props.ipRange === "string" ? vpc.props.ipRange : "10.116.0.0/20";
        const [a, b, c] = range.split("/")[0].split(".");
        return `${a}.${b}.${c}.${2 + (hash(e.name) % 200)}`;
    }
}

function dbPort(engine: string): number {
    return /redis|valkey/.test(engine) ? 25061 : /mongo/.test(engine) ? 27017 : 25060;
}

export const WORLD = ["0.0.0.0/0", "::/0"];
export const tcp = (portRange: string, extra: Record<string, unknown> = {}) => ({ protocol: "tcp", portRange, ...extra });
const droplet = { image: "ubuntu-24-04-x64", region: "fra1", size: "s-1vcpu-1gb" };

/**
 * A VPC 10.110.0.0/20 in fra1 with one tag per tier (`shop-web`, `shop-api`, `shop-db`,
 * `service:api`, `service:postgres`, `service:do-postgres`); droplets `api-1` (tags api, service:api) and `db-1` (tags db,
 * service:postgres) in it. No firewall yet: each case adds its own.
 */
export function shop(apiExtra: Record<string, unknown> = {}, dbExtra: Record<string, unknown> = {}): Stack {
    return new Stack()
        .add(D.vpc, "shop-vpc", { region: "fra1", ipRange: "10.110.0.0/20" })
        .add(D.tag, "web-tag", { name: "shop-web" })
        .add(D.tag, "api-tag", { name: "shop-api" })
        .add(D.tag, "db-tag", { name: "shop-db" })
        .add(D.tag, "svc-api", { name: "service:api" })
        .add(D.tag, "svc-pg", { name: "service:postgres" })
        .add(D.tag, "svc-dopg", { name: "service:do-postgres" })
        .add(D.droplet, "api-1", { ...droplet, ...apiExtra }, { vpcUuid: "shop-vpc", tags: ["api-tag", "svc-api"] })
        .add(D.droplet, "db-1", { ...droplet, ...dbExtra }, { vpcUuid: "shop-vpc", tags: ["db-tag", "svc-pg"] });
}

/** `shop()` with a baseline firewall on both tiers (SSH from the VPC, every outbound port), so no droplet is left without one. */
export function guarded(apiExtra: Record<string, unknown> = {}, dbExtra: Record<string, unknown> = {}): Stack {
    return shop(apiExtra, dbExtra).add(
        D.firewall,
        "base-fw",
        {
            inboundRules: [tcp("22", { sourceAddresses: ["10.110.0.0/20"] })],
            outboundRules: [
                tcp("all", { destinationAddresses: WORLD }),
                { protocol: "udp", portRange: "all", destinationAddresses: WORLD },
            ],
        },
        { tags: ["api-tag", "db-tag"] },
    );
}

/** Who must reach postgres (droplet `db-1` on 5432, a managed cluster on 25060): the api droplets. */
export const FLOWS_REGISTRY = (extra = "") => `
services:
  - { name: ssh, ports: [22], protocol: tcp }
${WEB_AND_API}
  - { name: prometheus, ports: [9090], protocol: tcp }
  - { name: redis, ports: [6379], protocol: tcp }
  - { name: kubelet, ports: [10250], protocol: tcp }
${POSTGRES_FOR_API}
${extra}  - name: do-postgres
    ports: [25060]
    protocol: tcp
    clients:
      - service: api
knownCidrs: [10.0.0.0/8]
`;
