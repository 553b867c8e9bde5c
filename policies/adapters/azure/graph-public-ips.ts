// The public IPs a NIC or a load balancer's frontend names, as hops of a way in from the internet:
// each by its Pulumi name and SKU. A Standard address (the default) admits only what an NSG allows;
// a Basic one, or one whose SKU cannot be told (outside the stack, unknown until update), does not.
import { Hop, ResourceName } from "../../model/graph";
import { Resolved } from "../../model/stack";
import { isUnknownValue } from "../../model/topology";
import { idTail, topologyOf } from "./graph-index";

/** Why the SKU that decides "closed without an NSG" cannot be told, for the marker layer that says so. */
export interface SkuDoubt {
    /** The marker's kind: "the SKU of public IP", "the SKU of load balancer". */
    kind: string;
    holder: ResourceName;
    state: string;
    reason: string;
}

export interface PublicIps {
    hops: Hop[];
    families: Set<"v4" | "v6">;
    /** Every address is Standard: closed where no NSG filters. */
    allStandard: boolean;
    skuUnknown?: SkuDoubt;
}

export const emptyNote = (kind: string, r: { name: string }) =>
    `${kind} \`${r.name}\` arrived with empty outputs (its provider's configuration is unknown in preview)`;

/** The public IPs `found` names; `owner` ("NIC `web-nic`") names the holder of one that cannot be told. */
export function publicIps(found: readonly Resolved[], owner: ResourceName & { kind: string }, empties: string[]): PublicIps {
    const hops: Hop[] = [];
    const families = new Set<"v4" | "v6">();
    let allStandard = true;
    let skuUnknown: SkuDoubt | undefined;
    const of = `${owner.kind} \`${owner.name}\``;
    for (const resolved of found) {
        if (resolved.state !== "found") {
            const outside = resolved.state === "outside";
            const name = resolved.state === "outside" ? idTail(resolved.literal) : "?";
            const state = outside ? "outside this stack" : "unknown until update";
            hops.push({ text: outside ? `public IP \`${name}\` (${state})` : `a public IP of ${of} (${state})` });
            families.add("v4").add("v6");
            allStandard = false;
            skuUnknown ??= {
                kind: "the SKU of public IP",
                holder: { urn: owner.urn, name: outside ? name : owner.name },
                state,
                reason: `${outside ? `public IP \`${name}\` is outside this stack` : `a public IP of ${of} is unknown until update`}, and without an NSG a Basic address is open`,
            };
            continue;
        }
        for (const pip of resolved.targets) {
            const m = topologyOf(pip)!;
            if (m.empty) empties.push(emptyNote("public IP", pip));
            // Without a SKU Azure now creates a Standard address, which is always static: a dynamic one is Basic.
            const given = m.values.sku;
            const dynamic = typeof m.values.allocation === "string" && m.values.allocation.toLowerCase() === "dynamic";
            const sku = given === undefined && dynamic ? "Basic" : given;
            const basic = typeof sku === "string" && sku.toLowerCase() === "basic";
            const text = isUnknownValue(sku)
                ? "SKU unknown until update"
                : given === undefined
                  ? dynamic
                      ? "read as Basic, the only SKU a Dynamic address can have, though Azure no longer creates Basic addresses: open where no NSG filters"
                      : "Standard SKU, the default"
                  : basic
                    ? "Basic SKU: open where no NSG filters"
                    : `${typeof sku === "string" ? sku : JSON.stringify(sku)} SKU`;
            hops.push({ resource: { urn: pip.urn, name: pip.name }, text: `public IP \`${pip.name}\` (${text})` });
            if (isUnknownValue(sku))
                skuUnknown ??= {
                    kind: "the SKU of public IP",
                    holder: { urn: pip.urn, name: pip.name },
                    state: "unknown until update",
                    reason: `the SKU of public IP \`${pip.name}\` is unknown until update, and without an NSG a Basic address is open`,
                };
            if (basic || isUnknownValue(sku)) allStandard = false;
            const version = m.values.version;
            if (typeof version === "string" && version.toLowerCase() === "ipv6") families.add("v6");
            else if (isUnknownValue(version)) families.add("v4").add("v6");
            else families.add("v4");
        }
    }
    return { hops, families, allStandard, ...(skuUnknown ? { skuUnknown } : {}) };
}

/**
 * The public IPs a scale set gives each instance (`publicIPAddressConfiguration`, classic
 * `publicIpAddress`): no resource of their own, so the hop names the scale set. Standard when no SKU
 * is given, as for a public IP resource.
 */
export function instancePublicIps(
    configs: readonly Readonly<Record<string, unknown>>[],
    owner: ResourceName,
    kind = "scale set",
    each = "instance",
): PublicIps {
    const hops: Hop[] = [];
    const families = new Set<"v4" | "v6">();
    let allStandard = true;
    let skuUnknown: SkuDoubt | undefined;
    for (const c of configs) {
        if (isUnknownValue(c.present)) {
            hops.push({
                resource: owner,
                text: `a public IP per ${each} of ${kind} \`${owner.name}\`, if it gets them (unknown until update)`,
            });
            families.add("v4");
            allStandard = false;
            skuUnknown ??= {
                kind: `whether the ${each}s of ${kind}`,
                holder: owner,
                state: "unknown until update",
                reason: `whether the ${each}s of ${kind} \`${owner.name}\` get public IPs (\`${c.present.unknown}\`) is unknown until update`,
            };
            continue;
        }
        const sku = c.sku;
        const basic = typeof sku === "string" && sku.toLowerCase().startsWith("basic");
        const text = isUnknownValue(sku)
            ? "SKU unknown until update"
            : sku === undefined
              ? "Standard SKU, the default"
              : basic
                ? "Basic SKU: open where no NSG filters"
                : typeof sku === "string"
                  ? `${sku} SKU`
                  : "SKU not read";
        hops.push({ resource: owner, text: `a public IP per ${each} of ${kind} \`${owner.name}\` (${text})` });
        if (basic || isUnknownValue(sku)) allStandard = false;
        if (isUnknownValue(sku))
            skuUnknown ??= {
                kind: `the SKU of the per-${each} public IPs of ${kind}`,
                holder: owner,
                state: "unknown until update",
                reason: `the SKU of the per-${each} public IPs of ${kind} \`${owner.name}\` is unknown until update, and without an NSG a Basic address is open`,
            };
        const version = c.version;
        if (typeof version === "string" && version.toLowerCase() === "ipv6") families.add("v6");
        else if (isUnknownValue(version)) families.add("v4").add("v6");
        else families.add("v4");
    }
    return { hops, families, allStandard, ...(skuUnknown ? { skuUnknown } : {}) };
}
