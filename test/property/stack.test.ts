// The stack indexes (policies/lib/stack.ts) against the linear scans they replaced: on random stacks
// of groups, standalone rules and flow-log references, with URNs and literal ids that collide, the
// indexed answers must be the scans' answers.
import { strict as assert } from "assert";
import * as fc from "fast-check";
import { NormalisedResource } from "../../policies/model/rules";
import { StackResourceView } from "../../policies/kit/policy-kit";
import { attachedGroup, Reference, ReferenceIndex, referenceOf } from "../../policies/analysis/stack-index";
import { check } from "./common";

// Few names, so references often hit, miss, or hit several resources.
const name = fc.constantFrom("a", "b", "c", "d", "");
const urn = name.map((n) => `urn:pulumi:s::p::t::${n}`);

interface Spec {
    group: boolean;
    identityKeys?: string[];
    props: Record<string, unknown>;
    deps: Record<string, string[]>;
}

const spec: fc.Arbitrary<Spec> = fc.record({
    group: fc.boolean(),
    identityKeys: fc.option(fc.subarray(["id", "name", "arn"]), { nil: undefined }),
    props: fc.record({
        id: fc.oneof(name, fc.constant(7), fc.constant(null)),
        name: fc.oneof(name, fc.constant(undefined)),
        arn: name,
        securityGroupId: fc.oneof(name, fc.constant(undefined), fc.constant(3)),
    }),
    deps: fc.record({ securityGroupId: fc.array(urn, { maxLength: 2 }) }),
});

function views(specs: Spec[]): StackResourceView[] {
    return specs.map((s, i) => ({
        urn: `urn:pulumi:s::p::t::${"abcd"[i % 4]}${i >= 4 ? i : ""}`,
        name: `r${i}`,
        type: "t",
        props: s.props,
        secrets: new Set<string>(),
        model: {
            rules: [],
            identityKeys: s.identityKeys ?? ["id"],
            ...(s.group ? {} : { attachedTo: "securityGroupId" }),
        } as unknown as NormalisedResource,
        propertyDependencies: s.deps,
    }));
}

// The scans as they were before the indexes.
function pointsAtScan(ref: Reference, target: StackResourceView): boolean {
    if (ref.urns.includes(target.urn)) return true;
    if (ref.literal === undefined) return false;
    return (target.model?.identityKeys ?? ["id"]).some((k) => target.props[k] === ref.literal);
}
function attachedGroupScan(view: StackResourceView, all: StackResourceView[]): StackResourceView | undefined {
    const key = view.model?.attachedTo;
    if (!key) return undefined;
    const ref = referenceOf(view, key);
    return all.find((g) => g !== view && g.model && !g.model.attachedTo && pointsAtScan(ref, g));
}
const sameTargetScan = (a: Reference, b: Reference) => a.urns.some((u) => b.urns.includes(u)) || (a.literal !== undefined && a.literal === b.literal);

describe("property: stack indexes against linear scans", () => {
    it("attachedGroup finds the first group the rule points at, as the scan did", () => {
        check(fc.property(fc.array(spec, { maxLength: 12 }), (specs) => {
            const all = views(specs);
            for (const v of all) assert.equal(attachedGroup(v, all), attachedGroupScan(v, all), `${v.name} in ${JSON.stringify(specs)}`);
        }), 1000);
    });

    it("ReferenceIndex answers pointsAt and same-target like a scan over the references", () => {
        const ref: fc.Arbitrary<Reference> = fc.record({ urns: fc.array(urn, { maxLength: 3 }), literal: fc.option(name.filter((n) => n !== ""), { nil: undefined }) });
        check(fc.property(fc.array(ref, { maxLength: 6 }), fc.array(spec, { minLength: 1, maxLength: 6 }), ref, (refs, specs, probe) => {
            const index = new ReferenceIndex();
            refs.forEach((r) => index.add(r));
            for (const target of views(specs)) assert.equal(index.pointsAt(target), refs.some((r) => pointsAtScan(r, target)), `pointsAt ${target.name}`);
            assert.equal(index.hasSameTarget(probe), refs.some((r) => sameTargetScan(r, probe)), "hasSameTarget");
        }), 1000);
    });
});
