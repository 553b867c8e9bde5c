// The networks whose traffic a firewall filters when it names none itself, for flow logs on those
// networks: the graph assemblers say (an Azure NSG filters the subnets and NICs of virtual networks,
// which a VNet flow log records). Computed once per stack, and only when a policy asks.
import { assemblers } from "../adapters";
import { WeakMemo } from "../base/memo";
import { Stack } from "../model/stack";

const scopes = new WeakMemo<Stack, ReadonlyMap<string, readonly string[]>>((stack) => {
    const out = new Map<string, string[]>();
    for (const a of assemblers) for (const [urn, keys] of a.flowLogScopes?.(stack) ?? []) out.set(urn, [...(out.get(urn) ?? []), ...keys]);
    return out;
});

/** The keys (URNs, ids) of the networks the firewall `urn` filters traffic in, as its provider's assembler tells them. */
export function flowLogScopes(stack: Stack, urn: string): readonly string[] {
    return scopes.get(stack).get(urn) ?? [];
}
