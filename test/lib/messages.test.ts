import { strict as assert } from "assert";
import { portRange } from "../../policies/model/intervals";
import { describePorts } from "../../policies/kit/wording";
import { NormalisedRule } from "../../policies/model/rules";
import { parseRegistry } from "../../policies/registry";

/** n services on ports 1001, 1002, ... (tcp), knownCidrs empty. */
function registryOf(n: number) {
    const services = Array.from({ length: n }, (_, i) => `  - { name: s${i + 1}, ports: [${1001 + i}], protocol: tcp, owner: t }`).join(
        "\n",
    );
    return parseRegistry(`services:\n${services}\nknownCidrs: []\n`, "ports.yaml");
}

const plainRule = { secret: new Set<string>() } as unknown as NormalisedRule;

describe("describePorts", () => {
    const cases: { name: string; services: number; from: number; to: number; expected: string }[] = [
        { name: "one service", services: 1, from: 1001, to: 1001, expected: "tcp 1001 (s1)" },
        { name: "one undocumented port", services: 1, from: 7, to: 7, expected: "tcp 7 (undocumented)" },
        {
            name: "services and undocumented ports, five parts",
            services: 4,
            from: 1001,
            to: 1005,
            expected: "tcp 1001 (s1), 1002 (s2), 1003 (s3), 1004 (s4), 1005 (undocumented)",
        },
        {
            name: 'six services: all six named rather than "and 1 more"',
            services: 6,
            from: 1001,
            to: 1006,
            expected: "tcp 1001 (s1), 1002 (s2), 1003 (s3), 1004 (s4), 1005 (s5), 1006 (s6)",
        },
        {
            name: "seven services: five named, two counted",
            services: 7,
            from: 1001,
            to: 1007,
            expected: "tcp 1001 (s1), 1002 (s2), 1003 (s3), 1004 (s4), 1005 (s5) and 2 more",
        },
        {
            name: "every port against 500 services: the undocumented part is counted too",
            services: 500,
            from: 0,
            to: 65535,
            expected: "tcp 1001 (s1), 1002 (s2), 1003 (s3), 1004 (s4), 1005 (s5) and 496 more",
        },
        {
            name: "five services and undocumented ports: six parts, all shown",
            services: 5,
            from: 1000,
            to: 1005,
            expected: "tcp 1001 (s1), 1002 (s2), 1003 (s3), 1004 (s4), 1005 (s5), 1000 (undocumented)",
        },
    ];
    for (const c of cases) {
        it(c.name, () => assert.equal(describePorts(registryOf(c.services), "tcp", portRange(c.from, c.to), [plainRule]), c.expected));
    }

    it("answers each registry from its own services, however often the same ports are described", () => {
        const small = registryOf(1);
        const large = registryOf(6);
        for (let i = 0; i < 3; i++) {
            assert.equal(describePorts(small, "tcp", portRange(1001, 1002), [plainRule]), "tcp 1001 (s1), 1002 (undocumented)");
            assert.equal(describePorts(large, "tcp", portRange(1001, 1002), [plainRule]), "tcp 1001 (s1), 1002 (s2)");
        }
    });

    it("never shows ports that came from a secret", () => {
        const secretRule = { secret: new Set(["ports"]) } as unknown as NormalisedRule;
        assert.equal(describePorts(registryOf(3), "tcp", portRange(1001, 1003), [secretRule]), "tcp [secret ports]");
    });
});
