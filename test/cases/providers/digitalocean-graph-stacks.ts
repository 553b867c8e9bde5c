// Small DigitalOcean stacks as the engine sends them to AnalyzeStack, for the graph's case tables:
// each resource's outputs, and its links either as preview sends them (ids unknown, links only
// through property dependencies keyed by the top-level input; inputs such as a tag's `name` stay
// known) or as update sends them (known ids in the outputs and in the referencing inputs).
import { StackCase, UNKNOWN, urnOf } from "../../helpers";
import { setPath } from "./set-path";

export type Mode = "preview" | "update";

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

function hash(s: string): number {
    let h = 7;
    for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0;
    return h;
}

/** A UUID made from a name, as DigitalOcean gives VPCs, load balancers, clusters. */
function uuid(name: string): string {
    const h = hash(name).toString(16).padStart(8, "0");
    return `${h}-0000-4000-8000-${h}0000`;
}

/** A reference to another resource of the stack by name (`name#output` for another output); `out:<literal>` is a value outside the stack. */
export type Ref = string;

interface Entry {
    type: string;
    name: string;
    props: Record<string, unknown>;
    /** Input path ("vpcUuid", "tags[0]", "inboundRules[0].sourceTags[0]") to the resources it names. */
    refs: Record<string, Ref | Ref[]>;
}

export class Stack {
    private readonly entries: Entry[] = [];
    private readonly byName = new Map<string, Entry>();

    add(type: string, name: string, props: Record<string, unknown> = {}, refs: Record<string, Ref | Ref[]> = {}): this {
        const e = { type, name, props, refs };
        this.entries.push(e);
        this.byName.set(name, e);
        return this;
    }

    /** The resources as the engine sends them in `mode`; `empty` names resources that arrive with empty outputs. */
    build(mode: Mode, empty: string[] = []): StackCase[] {
        return this.entries.map((e) => {
            if (empty.includes(e.name)) return { type: e.type, name: e.name, props: {} };
            const props = structuredClone(e.props);
            const deps: Record<string, string[]> = {};
            for (const [path, ref] of Object.entries(e.refs)) {
                const refs = Array.isArray(ref) ? ref : [ref];
                const values = refs.map((r) => (r.startsWith("out:") ? r.slice(4) : this.refValue(r, mode, /dropletids/i.test(path))));
                setPath(props, path, Array.isArray(ref) ? values : values[0]);
                const top = /^[^.[]+/.exec(path)![0];
                const urns = refs
                    .filter((r) => !r.startsWith("out:"))
                    .map((r) => r.split("#")[0])
                    .map((r) => urnOf(this.byName.get(r)!.type, r));
                if (urns.length > 0) deps[top] = [...new Set([...(deps[top] ?? []), ...urns])];
            }
            return {
                type: e.type,
                name: e.name,
                props: { ...this.outputs(e, mode), ...props },
                ...(Object.keys(deps).length > 0 ? { propertyDependencies: deps } : {}),
            };
        });
    }

    idOf(name: string): string {
        const e = this.byName.get(name)!;
        if (e.type === D.droplet) return String(300000000 + (hash(name) % 99999999));
        if (e.type === D.tag) return typeof e.props.name === "string" ? e.props.name : name;
        return uuid(name);
    }

    /** `name` (its id), or `name#output`; an input the resource was given is known in preview too. */
    private refValue(ref: string, mode: Mode, number: boolean): unknown {
        const [n, output] = ref.split("#");
        const e = this.byName.get(n);
        if (!e) throw new Error(`no resource ${n} in the stack`);
        if (output && e.props[output] !== undefined) return e.props[output];
        if (mode === "preview") return UNKNOWN;
        const v = output ? this.outputs(e, mode)[output] : this.idOf(n);
        return number ? Number(v) : v;
    }

    /** What the provider reports besides the inputs: the id and computed values (unknown in preview). */
    private outputs(e: Entry, mode: Mode): Record<string, unknown> {
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
    private privateAddress(e: Entry): string {
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
  - { name: http, ports: [80], protocol: tcp, public: true }
  - { name: https, ports: [443], protocol: tcp, public: true }
  - { name: api, ports: [8080], protocol: tcp }
  - { name: prometheus, ports: [9090], protocol: tcp }
  - { name: redis, ports: [6379], protocol: tcp }
  - { name: kubelet, ports: [10250], protocol: tcp }
  - name: postgres
    ports: [5432]
    protocol: tcp
    clients:
      - service: api
${extra}  - name: do-postgres
    ports: [25060]
    protocol: tcp
    clients:
      - service: api
knownCidrs: [10.0.0.0/8]
`;
