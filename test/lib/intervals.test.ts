import { strict as assert } from "assert";
import { ALL_PORTS, formatPorts, IntervalSet, NO_PORTS, portDomain, portRange } from "../../policies/model/intervals";

const set = (...r: [number, number][]) => IntervalSet.of(portDomain, r);
const text = (s: IntervalSet<number>) => s.intervals.map(([a, b]) => `${a}-${b}`).join(",");

describe("IntervalSet (ports)", () => {
    const cases: [string, () => IntervalSet<number>, string][] = [
        ["merges overlapping and adjacent ranges", () => set([10, 20], [21, 30], [15, 16], [40, 40]), "10-30,40-40"],
        ["normalises reversed bounds", () => set([20, 10]), "10-20"],
        ["clamps to 0-65535", () => IntervalSet.of(portDomain, [[-5, 70000]]), "0-65535"],
        ["union", () => set([0, 5]).union(set([3, 9], [20, 20])), "0-9,20-20"],
        ["subtract splits a range", () => portRange(0, 65535).subtract(set([22, 22], [5432, 5432])), "0-21,23-5431,5433-65535"],
        ["subtract keeps port 0", () => set([0, 1]).subtract(set([1, 1])), "0-0"],
        ["complement of empty is all", () => NO_PORTS.complement(), "0-65535"],
        ["complement at both ends", () => set([0, 0], [65535, 65535]).complement(), "1-65534"],
        ["intersect", () => set([0, 100], [200, 300]).intersect(set([50, 250])), "50-100,200-250"],
    ];
    for (const [name, make, expected] of cases) it(name, () => assert.equal(text(make()), expected));

    it("answers membership and containment without enumerating", () => {
        const s = set([2379, 2380], [5432, 5432]);
        assert.equal(s.has(2380), true);
        assert.equal(s.has(2381), false);
        assert.equal(s.has(0), false);
        assert.equal(ALL_PORTS.containsSet(s), true);
        assert.equal(s.containsSet(set([2379, 2381])), false);
        assert.equal(ALL_PORTS.isFull, true);
        assert.equal(set([0, 65534]).isFull, false);
    });

    it("formats ranges and caps long lists", () => {
        assert.equal(formatPorts(set([22, 22], [2379, 2380])), "22, 2379-2380");
        assert.equal(formatPorts(ALL_PORTS), "0-65535 (all ports)");
        assert.equal(formatPorts(set([1, 1], [3, 3], [5, 5], [7, 7]), 2), "1, 3 and 2 more ranges");
        assert.equal(formatPorts(set([1, 1], [3, 3], [5, 5]), 2), "1, 3, 5", "one more range is shown, not counted");
    });
});
