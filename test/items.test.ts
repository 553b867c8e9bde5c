// A finding rule by rule (cli/items.ts), as SARIF shows it: the items grouped by the rule they are
// about, each group in the policy's own words with the fixes its items asked for; a finding the
// check cannot render item by item stays whole.
import { strict as assert } from "assert";
import { ruleGroups } from "../cli/items";
import { Finding } from "../cli/report";
import { noWorldOpenInternalPorts } from "../policies/rules/no-world-open-internal-ports";
import { render } from "../policies/kit/findings";
import { messagesOf } from "../policies/kit/run";

/** The policy's own wording of a message, so that these tests do not pin it. */
const say = (id: string, data: Record<string, string>) => render(messagesOf(noWorldOpenInternalPorts.meta), id, data);

function finding(over: Partial<Finding>): Finding {
    return {
        policy: "no-world-open-internal-ports",
        level: "mandatory",
        urn: "urn:pulumi:dev::p::aws:ec2/securityGroup:SecurityGroup::sg",
        type: "aws:ec2/securityGroup:SecurityGroup",
        name: "sg",
        message: "the whole message",
        description: "d",
        items: [],
        fixes: [],
        ...over,
    };
}

const fixSources = {
    messageId: "fixSources",
    data: { ruleKind: "security group rule", peers: "`cidrBlocks`", known: "known ranges", named: "" },
};

describe("a finding rule by rule (cli/items.ts)", () => {
    it("groups items by rule, in order, each with its sentence and the fixes it asked for", () => {
        const groups = ruleGroups(
            finding({
                items: [
                    {
                        messageId: "worldOpen",
                        data: { rules: "ingress[0] (from 0.0.0.0/0)", ports: "tcp 22 (ssh)" },
                        rule: { origin: "ingress[0]" },
                        fix: "fixSources",
                    },
                    {
                        messageId: "ruleUnknown",
                        data: { rule: "ingress[1]", paths: "ingress[1].fromPort" },
                        rule: { origin: "ingress[1]" },
                    },
                    {
                        messageId: "worldOpen",
                        data: { rules: "ingress[0] (from ::/0)", ports: "tcp 5432 (postgres)" },
                        rule: { origin: "ingress[0]" },
                        fix: "fixSources",
                    },
                ],
                fixes: [fixSources],
            }),
        );
        assert.deepEqual(
            groups.map((g) => g.rule?.origin),
            ["ingress[0]", "ingress[1]"],
        );
        assert.equal(groups[0].items.length, 2);
        assert.equal(
            groups[0].text,
            [
                say("worldOpen", { rules: "ingress[0] (from 0.0.0.0/0)", ports: "tcp 22 (ssh)" }),
                say("worldOpen", { rules: "ingress[0] (from ::/0)", ports: "tcp 5432 (postgres)" }),
                say("fixSources", fixSources.data),
            ].join("\n"),
        );
        assert.equal(groups[1].text, say("ruleUnknown", { rule: "ingress[1]", paths: "ingress[1].fromPort" }), "a note asks for no fix");
    });

    it("says when an exemption expired, or which one exempts an advisory note", () => {
        const item = {
            messageId: "worldOpen",
            data: { rules: "ingress[0] (from 0.0.0.0/0)", ports: "tcp 22 (ssh)" },
            rule: { origin: "ingress[0]" },
        };
        assert.match(
            ruleGroups(finding({ items: [item], exemption: { line: 7, expires: "2020-01-31", state: "expired" } }))[0].text,
            /\nThe exemption on ports\.yaml:7 expired on 2020-01-31\.$/,
        );
        assert.match(
            ruleGroups(finding({ level: "advisory", items: [item], exemption: { line: 7, expires: "2099-01-31", state: "active" } }))[0]
                .text,
            /\nExempted by ports\.yaml:7 until 2099-01-31\.$/,
        );
    });

    it("keeps a finding whole when it has no items, comes from a policy this check does not know, or its data does not fit the template", () => {
        assert.deepEqual(ruleGroups(finding({})), [{ items: [], text: "the whole message" }]);
        const item = { messageId: "worldOpen", data: { rules: "ingress[0]" }, rule: { origin: "ingress[0]" } };
        assert.equal(ruleGroups(finding({ policy: "someone-elses-policy", items: [item] }))[0].text, "the whole message");
        const groups = ruleGroups(finding({ items: [item] }));
        assert.equal(groups.length, 1);
        assert.equal(groups[0].text, "the whole message", "worldOpen needs {{ports}}");
    });
});
