import { strict as assert } from "assert";
import { cidrSet, coversWorld, isWorldWord, parseCidr } from "../../policies/model/addresses";

describe("addresses", () => {
    describe("parseCidr", () => {
        const valid: [string, string, string][] = [
            ["IPv4 CIDR", "10.0.0.0/8", "10.0.0.0/8"],
            ["host bits are masked as providers do", "10.1.2.3/8", "10.0.0.0/8"],
            ["a plain IPv4 address is a /32", "203.0.113.7", "203.0.113.7/32"],
            ["IPv6 CIDR is canonicalised", "2001:DB8:0:0::/32", "2001:db8::/32"],
            ["IPv6 /0 long form", "0:0:0:0:0:0:0:0/0", "::/0"],
            ["surrounding spaces", " 192.168.0.0/16 ", "192.168.0.0/16"],
            ["an Azure style address range", "10.0.0.1-10.0.0.9", "10.0.0.1-10.0.0.9"],
        ];
        for (const [name, input, expected] of valid) it(`parses ${name}`, () => assert.equal(parseCidr(input)?.text, expected));
        const invalid: [string, string][] = [
            ["prefix too long", "10.0.0.0/33"],
            ["IPv6 prefix too long", "::/129"],
            ["not an address", "banana"],
            ["three-part IPv4", "10.0.0/24"],
            ["hex IPv4", "0x0a.0.0.1/32"],
            ["empty", ""],
            ["reversed range", "10.0.0.9-10.0.0.1"],
            ["mixed family range", "10.0.0.1-::1"],
            ["two prefixes", "10.0.0.0/8/16"],
            ["IPv6 with two prefixes", "fd00::/8/16"],
            ["a range of three addresses", "10.0.0.1-10.0.0.5-10.0.0.9"],
            ["leading zero octet", "010.0.0.1/32"],
        ];
        for (const [name, input] of invalid) it(`rejects ${name}`, () => assert.equal(parseCidr(input), undefined));
    });

    describe("the whole internet", () => {
        const world: [string, string[]][] = [
            ["0.0.0.0/0", ["0.0.0.0/0"]],
            ["::/0", ["::/0"]],
            ["0::0/0 (another IPv6 /0 spelling)", ["0::0/0"]],
            ["0.0.0.0/1 + 128.0.0.0/1", ["0.0.0.0/1", "128.0.0.0/1"]],
            ["four /2 blocks in any order", ["192.0.0.0/2", "0.0.0.0/2", "128.0.0.0/2", "64.0.0.0/2"]],
            ["::/1 + 8000::/1", ["::/1", "8000::/1"]],
            ["a /0 written with host bits", ["1.2.3.4/0"]],
        ];
        for (const [name, cidrs] of world) it(`${name} covers the world`, () => assert.equal(coversWorld(cidrSet(cidrs)), true));
        const notWorld: [string, string[]][] = [
            ["private ranges", ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]],
            ["one half of IPv4", ["0.0.0.0/1"]],
            ["halves of different families", ["0.0.0.0/1", "8000::/1"]],
            [
                "all but one address",
                [
                    "0.0.0.0/1",
                    "128.0.0.0/2",
                    "192.0.0.0/3",
                    "224.0.0.0/4",
                    "240.0.0.0/5",
                    "248.0.0.0/6",
                    "252.0.0.0/7",
                    "254.0.0.0/8",
                    "255.0.0.0/9",
                    "255.128.0.0/10",
                ],
            ],
        ];
        for (const [name, cidrs] of notWorld) it(`${name} do not cover the world`, () => assert.equal(coversWorld(cidrSet(cidrs)), false));

        for (const w of ["*", "Internet", "INTERNET", "internet", "Any", "any"]) {
            it(`"${w}" is a world word`, () => assert.equal(isWorldWord(w), true));
        }
        for (const w of ["VirtualNetwork", "AzureLoadBalancer", "10.0.0.0/8", "Internets", "0.0.0.0/0"]) {
            it(`"${w}" is not a world word`, () => assert.equal(isWorldWord(w), false));
        }
    });

    it("handles 5,000 CIDRs as one set", () => {
        const cidrs = Array.from({ length: 5000 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.0/24`);
        const s = cidrSet(cidrs);
        assert.equal(s.v4.intervals.length, 1);
        assert.equal(coversWorld(s), false);
    });
});
