// Turns a firewall's rules into layer rules of the network graph: each named peer resolved by the
// provider's assembler to the workloads that carry it (membership keys) or to address ranges.
import { cidrSet, SymbolicPeer } from "../../model/addresses";
import { Addresses, LayerRule, union } from "../../model/graph";
import { IntervalSet } from "../../model/intervals";
import { Link } from "../../model/resources";
import { Direction, NormalisedRule } from "../../model/rules";
import { Stack, StackResource } from "../../model/stack";
import { TopologyLink } from "../../model/topology";

export interface SymbolResolution {
    members?: readonly string[];
    addresses?: Addresses;
    /** The stack cannot tell what the peer names (an unknown value, an ambiguous reference). */
    unknown?: boolean;
    /** With `unknown`: the keys of the resources it may name, one of which it does (see LayerRule.candidates). */
    candidates?: readonly string[];
}

export type SymbolResolver = (symbol: SymbolicPeer, rule: NormalisedRule) => SymbolResolution;

const NONE: Addresses = cidrSet([]);

/** The rules of one firewall resource in one direction, as rules of a layer. */
export function layerRules(
    firewall: StackResource,
    rules: readonly NormalisedRule[],
    direction: Direction,
    resolve: SymbolResolver,
    implied?: string,
): LayerRule[] {
    return rules
        .filter((r) => r.direction === direction)
        .map((rule) => {
            let addresses: Addresses = { v4: rule.peers.v4, v6: rule.peers.v6 };
            const members = new Set<string>();
            let unknown = rule.peers.unknown;
            // Candidates stand for the rule's unresolved references only when each of them has some.
            let candidates: Set<string> | undefined;
            let unbounded = false;
            for (const s of rule.peers.symbols) {
                const res = resolve(s, rule);
                if (res.addresses) addresses = union(addresses, res.addresses);
                for (const m of res.members ?? []) members.add(m);
                unknown ||= res.unknown === true;
                if (res.unknown && res.candidates?.length) for (const c of res.candidates) (candidates ??= new Set()).add(c);
                else if (res.unknown) unbounded = true;
            }
            return {
                rule,
                resource: { urn: firewall.urn, name: firewall.name },
                addresses,
                members,
                unknown,
                ...(candidates && !unbounded ? { candidates } : {}),
                ...(implied ? { implied } : {}),
            };
        });
}

/**
 * The keys a reference is known by: the URNs of what it names in the stack, and its literal value
 * (so a rule and a workload that both name a group outside the stack still meet). Unknown: a value
 * unknown until update that no property dependency names, or dependencies naming several candidates
 * where the reference is one of them (inline rules share one dependency list).
 */
export function referenceKeys(
    stack: Stack,
    from: StackResource,
    link: TopologyLink | Link,
    accept: (r: StackResource) => boolean,
    single = true,
): { keys: string[]; unknown: boolean } {
    const res = stack.resolve(from, link, accept);
    if (res.state === "found") {
        if (single && link.literal === undefined && res.targets.length > 1) return { keys: [], unknown: true };
        return { keys: [...res.targets.map((t) => t.urn), ...(link.literal ? [link.literal] : [])], unknown: false };
    }
    if (res.state === "outside") return { keys: [res.literal], unknown: false };
    return { keys: [], unknown: true };
}

export const NO_ADDRESSES = NONE;
export const ALL_ADDRESSES: Addresses = { v4: IntervalSet.full(NONE.v4.domain), v6: IntervalSet.full(NONE.v6.domain) };
