import { strict as assert } from "assert";
import { BoundedMemo } from "../../policies/base/memo";

describe("BoundedMemo", () => {
    const counting = () => {
        let calls = 0;
        return { compute: (v: string | undefined) => () => (calls++, v), calls: () => calls };
    };

    it("computes once per key, an undefined answer included", () => {
        const memo = new BoundedMemo<string | undefined>(10);
        const c = counting();
        assert.equal(memo.get("a", c.compute("A")), "A");
        assert.equal(memo.get("a", c.compute("other")), "A");
        assert.equal(memo.get("b", c.compute(undefined)), undefined);
        assert.equal(memo.get("b", c.compute("other")), undefined);
        assert.equal(c.calls(), 2);
    });

    it("never remembers an undefined key", () => {
        const memo = new BoundedMemo<string | undefined>(10);
        const c = counting();
        memo.get(undefined, c.compute("A"));
        assert.equal(memo.get(undefined, c.compute("B")), "B");
        assert.equal(c.calls(), 2);
    });

    it("forgets everything once full, then remembers again", () => {
        const memo = new BoundedMemo<string | undefined>(2);
        const c = counting();
        memo.get("a", c.compute("A"));
        memo.get("b", c.compute("B"));
        memo.get("c", c.compute("C")); // full: a and b are forgotten
        assert.equal(c.calls(), 3);
        assert.equal(memo.get("c", c.compute("x")), "C");
        assert.equal(memo.get("a", c.compute("A2")), "A2");
        assert.equal(c.calls(), 4);
    });
});
