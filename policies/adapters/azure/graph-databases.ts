// Azure's managed database servers in the network graph (topology-databases.ts): a server with
// public access is a public endpoint on its engine's port, filtered only by the server firewall
// rules that name it (databases.ts). Azure admits nothing until a rule does, so a server without a
// rule is closed. A rule whose server the plan cannot tell (preview, no property dependency) is read
// as if it were each server's, and makes the layer unverifiable: never open, never closed (in that
// case a rule of the server's own that opens the world is reported as unproven too). A server with
// public access disabled, or VNet-integrated, has no way in from the internet; private endpoints and
// the delegated subnet are not placed, so flows to them cannot be verified.
import { Layer, LayerRule, Placement, Workload } from "../../model/graph";
import { portRange } from "../../model/intervals";
import { FirewallModel } from "../../model/resources";
import { RuleTerms } from "../../model/rules";
import { StackResource } from "../../model/stack";
import { isUnknownValue } from "../../model/topology";
import { Input } from "../support/input";
import { ALL_ADDRESSES, NO_ADDRESSES } from "../support/layers";
import { RuleBuilder } from "../support/rule-builder";
import { DatabaseRuleLinks, isDatabaseRule } from "./databases";
import { AZURE_PROVIDERS, AzureIndex, hasRole, topologyOf } from "./graph-index";
import { emptyNote } from "./graph-public-ips";
import { ROLE } from "./topology";

const isServer = hasRole(ROLE.database);
const q = (s: string) => `\`${s}\``;

/** Where a client of the stack comes from when it reaches a public endpoint: its public address or Azure's outbound SNAT, which the plan does not show. */
const FROM_OUTSIDE =
    "a client reaches the server's public endpoint from its public address (or Azure's outbound SNAT), which the plan does not show";

const OUT_TERMS: RuleTerms = { rule: "server firewall rule", peers: "`startIpAddress`/`endIpAddress`", ports: "every port" };

/** A database server answers from anywhere it connects to: its own traffic is not filtered by its firewall rules. */
function allowAllOutbound(): ReturnType<RuleBuilder["build"]> {
    const rule = new RuleBuilder("outbound");
    rule.direction = "outbound";
    rule.readPeerList(Input.root(["0.0.0.0/0", "::/0"]));
    rule.terms = OUT_TERMS;
    return rule.build();
}

export class DatabaseServers {
    /** Server firewall rules by the URN of the server they name. */
    private readonly rulesOf = new Map<string, StackResource[]>();
    /** Rules whose server the plan cannot tell (unknown until update): each may be any server's. */
    private readonly anywhere: StackResource[] = [];

    constructor(private readonly ix: AzureIndex) {
        for (const r of ix.stack.ofProviders(...AZURE_PROVIDERS)) {
            if (r.model?.kind !== "firewall" || !isDatabaseRule(r.model)) continue;
            const { server, resourceGroup, workspace } = (r.model as FirewallModel & DatabaseRuleLinks).database;
            // A Synapse workspace's rule names no server: never one that may be any server's.
            if (workspace) continue;
            const res = ix.stack.resolve(r, server, isServer);
            if (res.state === "found") for (const t of inGroup(res.targets, resourceGroup?.literal)) push(this.rulesOf, t.urn, r);
            else if (res.state === "unknown") this.anywhere.push(r);
        }
    }

    workload(s: StackResource, serviceTag: string): Workload {
        const m = topologyOf(s)!;
        const service = m.tags[serviceTag];
        const name = typeof m.values.engine === "string" ? m.values.engine : "database";
        // "PostgreSQL server `orders-db`", "SQL server `orders-db`" (not "SQL Server server").
        const engine = name === "SQL Server" ? "SQL" : name;
        const port = typeof m.values.port === "number" ? m.values.port : undefined;
        const base = {
            urn: s.urn,
            name: s.name,
            type: s.type,
            ...(service !== undefined ? { service } : {}),
            memberships: new Set([s.urn]),
            ...(port !== undefined ? { listens: new Map([["tcp" as const, portRange(port, port)]]) } : {}),
            closeInternet:
                "narrow the server firewall rules' `startIpAddress`/`endIpAddress`, remove the rules that admit the internet, or disable the server's public network access",
        };
        if (m.empty) return { ...base, placements: [], unverifiable: emptyNote(`${engine} server`, s) };
        const pub = m.values.public;
        const subnet = m.values.delegatedSubnet;
        const privateOnly = (why: string): Placement => ({
            label: `${s.name}'s private access`,
            layers: [],
            noInternet: why,
            unverifiable: [`${why}; private endpoints and delegated subnets are not placed, so flows to it cannot be verified`],
        });
        // A delegated subnet unknown until update that depends on a subnet of the stack is that subnet's id.
        const inSubnet =
            (typeof subnet === "string" && subnet !== "") ||
            (isUnknownValue(subnet) &&
                this.ix.follow(s, "delegatedSubnet", hasRole(ROLE.subnet)).some((f) => f.resolved.state === "found"));
        if (inSubnet)
            return { ...base, placements: [privateOnly(`${engine} server ${q(s.name)} is VNet-integrated (a delegated subnet)`)] };
        if (pub === false)
            return { ...base, placements: [privateOnly(`${engine} server ${q(s.name)} has public network access disabled`)] };
        const doubt = isUnknownValue(subnet)
            ? `whether ${engine} server ${q(s.name)} is VNet-integrated is unknown until update`
            : isUnknownValue(pub)
              ? `whether ${engine} server ${q(s.name)} has public network access is unknown until update`
              : typeof pub === "string"
                ? `${engine} server ${q(s.name)}'s public network access is ${q(pub)}, which is not read`
                : undefined;
        const layer = this.firewallLayer(s, name);
        const placement: Placement = {
            label: `public endpoint of ${q(s.name)}`,
            layers: [layer],
            unverifiable: [],
            internet: {
                hops: [{ resource: { urn: s.urn, name: s.name }, text: `public endpoint of ${engine} server ${q(s.name)}` }],
                families: ["v4"],
                closedWithoutFilters: true,
                ...(doubt ? { unverifiable: doubt } : {}),
            },
        };
        return { ...base, placements: [placement] };
    }

    private firewallLayer(s: StackResource, engine: string): Layer {
        const own = this.rulesOf.get(s.urn) ?? [];
        const inbound: LayerRule[] = [];
        for (const r of [...own, ...this.anywhere]) {
            const m = r.model as FirewallModel;
            const maybe = !own.includes(r);
            for (const rule of m.rules) {
                if (rule.direction !== "inbound") continue;
                const azure = rule.peers.symbols.some((sym) => sym.kind === "azure-services");
                inbound.push({
                    rule,
                    resource: { urn: r.urn, name: r.name },
                    // A rule that may be this server's is read as if it were: the layer says it cannot be verified.
                    addresses: { v4: rule.peers.v4, v6: rule.peers.v6 },
                    members: new Set(),
                    unknown: rule.peers.unknown,
                    ...(maybe ? { implied: `whether ${q(r.name)} is a firewall rule of ${q(s.name)} is unknown until update` } : {}),
                    // Clients of the stack are seen by their private addresses: whether their public one is admitted is not in the plan.
                    peerView: {
                        addresses: NO_ADDRESSES,
                        maybe: {
                            addresses: ALL_ADDRESSES,
                            reason: azure ? "the rule admits any Azure tenant's addresses (allow Azure services)" : FROM_OUTSIDE,
                        },
                    },
                });
            }
        }
        const resources = [...own, ...this.anywhere].map((r) => ({ urn: r.urn, name: r.name }));
        const stray = this.anywhere.map((r) => q(r.name));
        const unverifiable =
            stray.length > 0
                ? `whether ${names(stray)} ${stray.length > 1 ? "are firewall rules" : "is a firewall rule"} of ${q(s.name)} is unknown until update`
                : undefined;
        return {
            kind: "server firewall",
            rule: "server firewall rule",
            unmatched: { inbound: `Azure's default deny for ${engine} servers` },
            resources: resources.length > 0 ? resources : [{ urn: s.urn, name: s.name }],
            stateful: true,
            scope: "workload",
            ordered: false,
            inbound,
            ...(unverifiable ? { unverifiable } : {}),
            outbound: [
                {
                    rule: allowAllOutbound(),
                    resource: { urn: s.urn, name: s.name },
                    addresses: ALL_ADDRESSES,
                    members: new Set(),
                    unknown: false,
                    implied: "a server firewall filters inbound connections only",
                },
            ],
        };
    }
}

/**
 * The servers a rule names by `serverName`, without repeats: where several servers of the stack
 * share the name, those of the rule's resource group when both are known (a name is unique per group).
 */
function inGroup(targets: readonly StackResource[], group: string | undefined): StackResource[] {
    const unique = [...new Map(targets.map((t) => [t.urn, t])).values()];
    if (unique.length < 2 || group === undefined) return unique;
    const same = unique.filter((t) => {
        const g = topologyOf(t)?.values.resourceGroup;
        return typeof g === "string" && g.toLowerCase() === group.toLowerCase();
    });
    return same.length > 0 ? same : unique;
}

/** "`a`", "`a` and `b`", "`a`, `b` and `c`". */
function names(list: readonly string[]): string {
    return list.length < 2 ? list.join("") : `${list.slice(0, -1).join(", ")} and ${list[list.length - 1]}`;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
}
