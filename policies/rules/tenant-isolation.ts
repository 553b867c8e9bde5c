import { blockOverlaps, isWholeFamily } from "../model/addresses";
import { evaluate } from "../analysis/evaluate";
import { listNames, ruleName } from "../kit/wording";
import { StackPolicyDefinition } from "../kit/definition";
import { splitByReading } from "../analysis/readings";
import { StackIndex, StackResource } from "../analysis/stack-index";
import { hasOwn } from "../base/values";

export type Config = Record<string, never>;

/** The tenant tag of the resource, or of the group a standalone rule belongs to. */
function tenantOf(view: StackResource, stack: StackIndex, tag: string): { tenant: string; via?: StackResource } | undefined {
    // Own keys only: a tag key such as "constructor" must not read Object.prototype's members.
    const tagOf = (tags?: Record<string, string>) => (tags && hasOwn(tags, tag) ? tags[tag] : undefined);
    const own = tagOf(view.model?.tags);
    if (own) return { tenant: own };
    const group = stack.attachedGroup(view);
    const inherited = tagOf(group?.model?.tags);
    return inherited ? { tenant: inherited, via: group } : undefined;
}

export const tenantIsolation: StackPolicyDefinition<Config> = {
    meta: {
        name: "tenant-isolation",
        description:
            "A resource tagged with one tenant must not admit sources inside another tenant's CIDRs (tenants and tenantTag in ports.yaml).",
        rationale:
            "Tenants share networks but must not reach each other's services. The tenant comes from the resource's tag or label " +
            "(tenantTag, default `tenant`); a standalone rule inherits the tenant of the group it attaches to, found through the stack.",
        severity: "high",
        defaultLevel: "mandatory",
        remediationSteps:
            "Narrow the rule's sources to the resource's own tenant ranges (or shared, non-tenant ranges); " +
            "if the access is intended, grant a time-boxed exemption in ports.yaml with the reason.",
        messages: {
            crossing: "{{rule}}, on a resource of tenant {{tenant}}{{via}}, admits {{crossings}}.",
            "crossing.header": "These rules, on a resource of tenant {{tenant}}{{via}}, admit other tenants' sources:",
            "crossing.line": "{{rule}}: {{crossings}}",
            unlistedTenant:
                "Tagged {{tag}}={{tenant}}{{via}}, a tenant ports.yaml does not list: add it under tenants to have its isolation checked.",
            fixSources:
                "Fix: narrow the {{ruleKind}}'s {{peers}} to tenant {{tenant}}'s ranges ({{cidrs}}) or shared ranges, or grant a time-boxed exemption in ports.yaml with the reason.",
        },
    },
    checkStack({ resources, stack, registry, report, advise }) {
        if (registry.tenants.length === 0) return;
        for (const view of resources) {
            const model = view.model;
            if (model?.kind !== "firewall") continue;
            const owner = tenantOf(view, stack, registry.tenantTag);
            if (!owner) continue;
            const mine = registry.tenants.find((t) => t.name === owner.tenant);
            if (!mine) {
                advise(view, "unlistedTenant", {
                    tag: registry.tenantTag,
                    tenant: owner.tenant,
                    via: owner.via ? ` (through ${owner.via.name})` : "",
                });
                continue;
            }
            const others = registry.tenants.filter((t) => t !== mine);
            for (const [rule, byProtocol] of evaluate(model.rules, "inbound").opened) {
                // Return traffic through a network ACL is replies, not another tenant reaching in.
                if (
                    [...byProtocol].every(([p, ports]) =>
                        splitByReading([rule], p, ports, registry.ephemeralPorts).returnTraffic.equals(ports),
                    )
                )
                    continue;
                const crossings: string[] = [];
                for (const block of rule.peers.blocks) {
                    if (isWholeFamily(block)) continue; // the internet: no-world-open-internal-ports' concern
                    for (const t of others) {
                        if (blockOverlaps(block, t.cidrs))
                            crossings.push(
                                `${rule.secret.has("peers") ? "[secret source]" : block.text} (tenant ${t.name}: ${listNames(t.cidrs.texts)})`,
                            );
                    }
                }
                if (crossings.length === 0) continue;
                report(
                    view,
                    "crossing",
                    {
                        rule: ruleName(rule),
                        tenant: mine.name,
                        via: owner.via ? ` inherited from ${owner.via.name}` : "",
                        crossings: listNames([...new Set(crossings)]),
                    },
                    {
                        rule,
                        fix: {
                            messageId: "fixSources",
                            data: {
                                ruleKind: rule.terms.rule,
                                peers: rule.terms.peers,
                                tenant: mine.name,
                                cidrs: listNames(mine.cidrs.texts),
                            },
                        },
                    },
                );
            }
        }
    },
};
