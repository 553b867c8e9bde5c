// The stack index (policies/analysis/stack-index.ts) against linear scans over the same model: on
// random stacks of groups, standalone rules and flow logs, with URNs and literal ids that collide,
// the indexed answers must be the scans' answers.
import { strict as assert } from "assert";
import * as fc from "fast-check";
import { StackIndex, StackResource } from "../../policies/analysis/stack-index";
import { FirewallModel, FlowLogModel, Link } from "../../policies/model/resources";
import { check } from "./common";

// Few names, so references often hit, miss, or hit several resources.
const name = fc.constantFrom("a", "b", "c", "d");
const urn = name.map((n) => `urn:pulumi:s::p::t::${n}`);
const link = (property: string): fc.Arbitrary<Link> =>
    fc.option(name, { nil: undefined }).map((literal) => (literal === undefined ? { property } : { property, literal }));

interface Spec {
    kind: "group" | "rule" | "log";
    identity: string[];
    through: "network" | "self";
    link: Link;
    enabled: boolean;
    deps: string[];
}

const spec: fc.Arbitrary<Spec> = fc.record({
    kind: fc.constantFrom("group" as const, "rule" as const, "log" as const),
    identity: fc.subarray(["a", "b", "c", "d"]),
    through: fc.constantFrom("network" as const, "self" as const),
    link: link("x"),
    enabled: fc.boolean(),
    deps: fc.array(urn, { maxLength: 2 }),
});

function stackOf(specs: Spec[]): StackResource[] {
    return specs.map((s, i) => {
        const base = { provider: "t", tags: {}, identity: s.identity };
        const model =
            s.kind === "log"
                ? ({ ...base, kind: "flow-log", targets: [s.link], enabled: s.enabled } satisfies FlowLogModel)
                : ({
                      ...base,
                      kind: "firewall",
                      rules: [],
                      unknown: [],
                      problems: [],
                      flowLogs: { through: s.through, hint: "h" },
                      ...(s.kind === "rule" ? { attachedTo: s.link } : { network: s.link }),
                  } satisfies FirewallModel);
        return {
            urn: `urn:pulumi:s::p::t::${"abcd"[i % 4]}${i >= 4 ? i : ""}`,
            name: `r${i}`,
            type: "t",
            model,
            dependencies: { x: s.deps },
        };
    });
}

// The scans.
const targetUrns = (r: StackResource) => r.dependencies.x ?? [];
function pointsAt(from: StackResource, l: Link, to: StackResource): boolean {
    return targetUrns(from).includes(to.urn) || (l.literal !== undefined && (to.model?.identity ?? []).includes(l.literal));
}
function attachedGroupScan(r: StackResource, all: StackResource[]): StackResource | undefined {
    if (r.model?.kind !== "firewall" || !r.model.attachedTo) return undefined;
    const l = r.model.attachedTo;
    return all.find((g) => g.model?.kind === "firewall" && !g.model.attachedTo && pointsAt(r, l, g));
}
function coveredScan(r: StackResource, all: StackResource[]): boolean {
    const m = r.model as FirewallModel;
    return all.some((log) => {
        if (log.model?.kind !== "flow-log" || !log.model.enabled) return false;
        const t = log.model.targets[0];
        if (m.flowLogs?.through === "self") return pointsAt(log, t, r);
        if (!m.network) return false;
        const net = m.network;
        return targetUrns(log).some((u) => targetUrns(r).includes(u)) || (t.literal !== undefined && t.literal === net.literal);
    });
}

describe("property: the stack index against linear scans", () => {
    it("attachedGroup finds the first group the rule points at", () => {
        check(
            fc.property(fc.array(spec, { maxLength: 12 }), (specs) => {
                const all = stackOf(specs);
                const index = new StackIndex(all);
                for (const r of all)
                    assert.equal(index.attachedGroup(r), attachedGroupScan(r, all), `${r.name} in ${JSON.stringify(specs)}`);
            }),
            1000,
        );
    });

    it("coveredByFlowLog answers as a scan over the enabled flow logs", () => {
        check(
            fc.property(fc.array(spec, { maxLength: 12 }), (specs) => {
                const all = stackOf(specs);
                const index = new StackIndex(all);
                for (const r of all) {
                    if (r.model?.kind !== "firewall") continue;
                    assert.equal(index.coveredByFlowLog(r), coveredScan(r, all), `${r.name} in ${JSON.stringify(specs)}`);
                }
            }),
            1000,
        );
    });
});
