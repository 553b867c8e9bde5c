// The table test of a cloud's explain focus (GraphAssembler.focus): per case, which resources of a
// stack it leaves out. explain-focus.test.ts holds the answers to the whole graph's.
import { strict as assert } from "assert";
import { GraphAssembler, SentResource } from "../../policies/adapters/support/assembler";

export interface FocusCase {
    name: string;
    rows: SentResource[];
    /** The asked workloads: resources, or their URNs. */
    wanted: readonly (SentResource | string)[];
    /** Names left out, or "all" when the focus cannot tell (every resource is modelled). */
    out: string[] | "all";
}

/** The Pulumi name in a resource's URN. */
export const nameInUrn = (r: SentResource): string => r.urn.slice(r.urn.lastIndexOf("::") + 2);

/** One test per case: the focus over the case's rows and `common` leaves out exactly `out`. */
export function focusTableTests(
    focus: NonNullable<GraphAssembler["focus"]>,
    cases: readonly FocusCase[],
    common: readonly SentResource[] = [],
    nameOf: (r: SentResource) => string = nameInUrn,
): void {
    for (const c of cases)
        it(c.name, () => {
            const all = [...c.rows, ...common];
            const bears = focus(all, new Set(c.wanted.map((w) => (typeof w === "string" ? w : w.urn))));
            if (c.out === "all") {
                assert.equal(bears, undefined);
                return;
            }
            assert.ok(bears);
            assert.deepStrictEqual(
                all
                    .filter((r) => !bears(r))
                    .map(nameOf)
                    .sort(),
                [...c.out].sort(),
            );
        });
}
