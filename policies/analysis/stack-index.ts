// How the resources of one stack refer to each other. A link is followed through the property
// dependencies of its input (the URNs it was computed from: the only way during preview, when ids
// are unknown) or, when known, its literal value against the identity of the other resources.
// Indexes are built once per stack, so that 10,000 standalone rules finding their groups is 10,000
// lookups, not 10,000 scans.
import { FirewallModel, Link } from "../model/resources";
import { Resolved, Stack, StackResource } from "../model/stack";
import { TopologyLink } from "../model/topology";

export type { Resolved, StackResource };

/** A link of one resource, resolved: the URNs it depends on, and its value when known. */
interface Target {
    urns: readonly string[];
    literal?: string;
}

const UNKNOWN: Resolved = Object.freeze({ state: "unknown" });

function targetOf(r: StackResource, link: Link): Target {
    return { urns: r.dependencies[link.property] ?? [], literal: link.literal };
}

export class StackIndex implements Stack {
    /** Firewalls that rules can attach to (not standalone rules themselves), by URN and identity. */
    private readonly groups = { byUrn: new Map<string, StackResource>(), byValue: new Map<string, StackResource>() };
    /** What the stack's enabled flow logs record: dependency URNs and literal values of their targets. */
    private readonly logged = { urns: new Set<string>(), literals: new Set<string>() };

    /** Built when an order is first asked for: most stacks never need one. */
    private positions?: Map<StackResource, number>;
    private readonly byUrn = new Map<string, StackResource>();
    private readonly byProvider = new Map<string, StackResource[]>();
    /** Every modelled resource by each of its identifying values (several resources may share one: a name). */
    private readonly byIdentity = new Map<string, StackResource | StackResource[]>();

    constructor(readonly resources: readonly StackResource[]) {
        // One pass: on a large stack each pass over the resources costs as much as what it does.
        for (const r of resources) {
            if (!this.byUrn.has(r.urn)) this.byUrn.set(r.urn, r);
            const m = r.model;
            if (m === undefined) continue;
            const mine = this.byProvider.get(m.provider);
            if (mine) mine.push(r);
            else this.byProvider.set(m.provider, [r]);
            for (const v of m.identity) {
                // Most values identify one resource: a list only for those that name several (an array each would be 30,000 on a large stack).
                const seen = this.byIdentity.get(v);
                if (seen === undefined) this.byIdentity.set(v, r);
                else if (Array.isArray(seen)) seen.push(r);
                else this.byIdentity.set(v, [seen, r]);
            }
            if (m.kind === "firewall" && !m.attachedTo) {
                if (!this.groups.byUrn.has(r.urn)) this.groups.byUrn.set(r.urn, r);
                for (const v of m.identity) if (!this.groups.byValue.has(v)) this.groups.byValue.set(v, r);
            }
            if (m.kind === "flow-log" && m.enabled) {
                for (const link of m.targets) {
                    const t = targetOf(r, link);
                    for (const u of t.urns) this.logged.urns.add(u);
                    if (t.literal !== undefined) this.logged.literals.add(t.literal);
                }
            }
        }
    }

    /** The group or ACL a standalone rule belongs to: the first in the stack that its link points at. */
    attachedGroup(r: StackResource): StackResource | undefined {
        const m = r.model;
        if (m?.kind !== "firewall" || !m.attachedTo) return undefined;
        const t = targetOf(r, m.attachedTo);
        const found = [
            ...t.urns.map((u) => this.groups.byUrn.get(u)),
            t.literal !== undefined ? this.groups.byValue.get(t.literal) : undefined,
        ].filter((g): g is StackResource => g !== undefined);
        return found.sort((a, b) => this.position(a) - this.position(b))[0];
    }

    /** Whether an enabled flow log of the stack records the firewall: its network, or the firewall itself. */
    coveredByFlowLog(r: StackResource): boolean {
        const m = r.model as FirewallModel;
        if (m.flowLogs?.through === "self") return this.logged.urns.has(r.urn) || m.identity.some((v) => this.logged.literals.has(v));
        if (!m.network) return false;
        const t = targetOf(r, m.network);
        return t.urns.some((u) => this.logged.urns.has(u)) || (t.literal !== undefined && this.logged.literals.has(t.literal));
    }

    /** Whether an enabled flow log of the stack records one of these (URNs or literal ids). */
    recordedByFlowLog(keys: readonly string[]): boolean {
        return keys.some((k) => this.logged.urns.has(k) || this.logged.literals.has(k));
    }

    /**
     * The resources a link of `from` names that `accept` takes: by its literal value against their
     * identity, else by the property dependencies of its input. Dependencies name every resource an
     * input was computed from, so they are filtered by `accept` (a subnet's vpcId input may depend on
     * other resources too).
     */
    resolve(from: StackResource, link: TopologyLink | Link, accept: (r: StackResource) => boolean): Resolved {
        // Loops, not map and filter: the assemblers resolve several links of every workload.
        if (link.literal !== undefined) {
            const seen = this.byIdentity.get(link.literal);
            if (seen !== undefined && !Array.isArray(seen)) {
                if (accept(seen)) return { state: "found", targets: [seen] };
            } else if (seen !== undefined) {
                const targets = seen.filter(accept);
                if (targets.length > 0) return { state: "found", targets };
            }
        }
        const urns = from.dependencies[link.property];
        let deps: StackResource[] | undefined;
        if (urns !== undefined)
            for (const u of urns) {
                const r = this.byUrn.get(u);
                if (r !== undefined && accept(r)) (deps ??= []).push(r);
            }
        if (deps !== undefined) return { state: "found", targets: deps };
        return link.literal !== undefined ? { state: "outside", literal: link.literal } : UNKNOWN;
    }

    resourceByUrn(urn: string): StackResource | undefined {
        return this.byUrn.get(urn);
    }

    ofProviders(...providers: string[]): readonly StackResource[] {
        const lists = providers.map((p) => this.byProvider.get(p) ?? []).filter((l) => l.length > 0);
        if (lists.length <= 1) return lists[0] ?? [];
        return lists.flat().sort((a, b) => this.position(a) - this.position(b));
    }

    position(r: StackResource): number {
        if (!this.positions) {
            this.positions = new Map();
            this.resources.forEach((x, i) => this.positions!.set(x, i));
        }
        return this.positions.get(r) ?? Infinity;
    }
}
