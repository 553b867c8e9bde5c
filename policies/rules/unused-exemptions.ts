import { exemptionActive, exemptionMatches } from "../registry";
import { StackPolicyDefinition } from "../kit/definition";

export type Config = Record<string, never>;

export const unusedExemptions: StackPolicyDefinition<Config> = {
    meta: {
        name: "unused-exemptions",
        description: "Exemptions in ports.yaml that match no resource of the stack are reported, so stale ones get cleaned up.",
        rationale:
            "An exemption outlives the resource it was granted for: renamed or deleted resources leave exemptions that would silently " +
            "cover whatever takes the name next. Exemptions for resources of other stacks show up here too; that is expected when one " +
            "ports.yaml serves several stacks.",
        severity: "low",
        defaultLevel: "advisory",
        remediationSteps: "Remove the exemption from ports.yaml, or fix its `resource` pattern.",
        messages: {
            unused: 'The exemption on {{file}}:{{line}} ({{policy}} for "{{resource}}", {{state}}) matches no resource in this stack; remove it or fix its resource pattern.',
        },
    },
    checkStack({ resources, registry, advise }) {
        const now = new Date();
        for (const e of registry.exemptions) {
            if (resources.some((r) => exemptionMatches(e, r.name, r.urn))) continue;
            const state = exemptionActive(e, now) ? `active until ${e.expires}` : `expired on ${e.expires}`;
            advise(
                undefined,
                "unused",
                { file: registry.fileName, line: e.line, policy: e.policy, resource: e.resource, state },
                { registryLine: e.line },
            );
        }
    },
};
