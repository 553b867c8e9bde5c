import { strict as assert } from "assert";
import { parseProtocol } from "../../policies/model/protocol";

describe("parseProtocol", () => {
    const cases: [unknown, string | undefined][] = [
        ["tcp", "tcp"],
        ["TCP", "tcp"],
        ["Tcp", "tcp"],
        [" udp ", "udp"],
        ["6", "tcp"],
        [6, "tcp"],
        [17, "udp"],
        ["17", "udp"],
        ["icmp", "icmp"],
        [1, "icmp"],
        ["icmpv6", "icmp"],
        [58, "icmp"],
        ["-1", "all"],
        [-1, "all"],
        ["all", "all"],
        ["*", "all"],
        ["ALL", "all"],
        ["Esp", "other:50"],
        ["Ah", "other:51"],
        [47, "other:47"],
        ["132", "other:132"],
        ["tcpp", undefined],
        [256, undefined],
        [-2, undefined],
        [6.5, undefined],
        [null, undefined],
        [true, undefined],
        [{}, undefined],
    ];
    for (const [input, expected] of cases) {
        it(`${JSON.stringify(input)} -> ${expected ?? "not a protocol"}`, () => {
            const p = parseProtocol(input);
            assert.equal(p ? (p.protocol === "other" ? `other:${p.number}` : p.protocol) : undefined, expected);
        });
    }
});
