// The table every provider's topology adapter test is written in: one row a resource as the engine
// sends it, and what its model must say (role, links, values, identity, tags).
import { strict as assert } from "assert";
import { adapterFor, normalise } from "../../policies/adapters";
import { TopologyLink, TopologyModel } from "../../policies/model/topology";
import { UNKNOWN } from "../helpers";

export interface TopologyRow {
    name: string;
    type: string;
    props: unknown;
    role: string;
    /** Each link as the test's `links` option writes it (linkTexts or linkLiterals). */
    links?: string[];
    values?: Record<string, unknown>;
    identity?: string[];
    tags?: Record<string, string>;
    empty?: boolean;
}

type Links = Readonly<Record<string, readonly TopologyLink[]>> | undefined;

/** Each link as `name: property=literal`, or `name: property?` when unknown until update. */
export function linkTexts(l: Links): string[] {
    return Object.entries(l ?? {}).flatMap(([k, list]) =>
        list.map((x) => `${k}: ${x.property}${x.unknown ? "?" : x.literal !== undefined ? `=${x.literal}` : ""}`),
    );
}

/** Each link as `name: literal`, or `name: ?property` when unknown until update. */
export function linkLiterals(l: Links): string[] {
    return Object.entries(l ?? {}).flatMap(([name, ls]) => ls.map((x) => `${name}: ${x.literal ?? `?${x.property}`}`));
}

/**
 * One test per row. `values: "exact"`: the model holds exactly the row's values; `"listed"`: the
 * row's values among others the row does not list.
 */
export function topologyRowTests(
    rows: readonly TopologyRow[],
    opts: { provider: (type: string) => string; values: "exact" | "listed"; links: (l: Links) => string[] },
): void {
    for (const r of rows) {
        it(r.name, () => {
            assert.equal(adapterFor(r.type)?.kind, "topology");
            const m = normalise(r.type, r.props) as TopologyModel;
            assert.equal(m.kind, "topology");
            assert.equal(m.provider, opts.provider(r.type));
            assert.equal(m.role, r.role);
            if (r.identity) assert.deepEqual(m.identity, r.identity);
            assert.deepEqual(opts.links(m.links), r.links ?? []);
            if (opts.values === "exact") assert.deepEqual(m.values, r.values ?? {});
            else for (const [k, v] of Object.entries(r.values ?? {})) assert.deepEqual(m.values[k], v, k);
            assert.deepEqual(m.tags, r.tags ?? {});
            assert.equal(m.empty, r.empty ?? false);
        });
    }
}

/** Whatever each input property holds (wrong types, nulls, unknowns), every value is one the assemblers can read. */
export function junkInputTest(rows: readonly TopologyRow[]): void {
    it("every value is a string, number, boolean, list of strings, unknown or list of such records, whatever the input", () => {
        const junk = [null, 3, "x", [], [null], { id: 5 }, { id: [1] }, UNKNOWN, [UNKNOWN], { a: { b: UNKNOWN } }];
        const ok = (v: unknown): boolean =>
            v === undefined ||
            typeof v === "string" ||
            typeof v === "number" ||
            typeof v === "boolean" ||
            (Array.isArray(v) &&
                v.every(
                    (x) =>
                        typeof x === "string" ||
                        (typeof x === "object" && x !== null && Object.values(x as Record<string, unknown>).every(ok)),
                )) ||
            (typeof v === "object" && v !== null && "unknown" in v);
        for (const r of rows) {
            for (const j of junk) {
                const props = Object.fromEntries(Object.keys(r.props as object).map((k) => [k, j]));
                const m = normalise(r.type, props) as TopologyModel;
                for (const [k, v] of Object.entries(m.values))
                    assert.ok(ok(v), `${r.type} ${k} from ${JSON.stringify(j)}: ${JSON.stringify(v)}`);
                for (const ls of Object.values(m.links))
                    for (const l of ls) assert.ok(l.literal === undefined || typeof l.literal === "string");
            }
        }
    });
}
