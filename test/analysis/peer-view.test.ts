// A layer rule whose view of the stack's peers differs from the whole-internet view (LayerRule.peerView):
// Azure's `Internet` tag is the world to the internet but not the VNet's own ranges, and a tag the
// plan cannot spell out leaves a peer outside the known ranges unverifiable, never blocked.
import { strict as assert } from "assert";
import { normaliseFirewall } from "../../policies/adapters";
import { checkLayer, internetReach } from "../../policies/analysis/paths";
import { cidrSet } from "../../policies/model/addresses";
import { formatPorts, portRange } from "../../policies/model/intervals";
import { Layer, LayerRule, PeerView } from "../../policies/model/graph";
import { T } from "../helpers";

const EPHEMERAL = portRange(1024, 65535);
const WORLD = cidrSet(["0.0.0.0/0", "::/0"]);
const VNET = cidrSet(["10.0.0.0/16"]);
const notVnet = { v4: WORLD.v4.subtract(VNET.v4), v6: WORLD.v6 };

/** An NSG layer from its rules; `views` gives rule i its peer view. */
function nsg(rules: unknown[], views: Record<number, PeerView> = {}): Layer {
    const model = normaliseFirewall(T.nsg, { securityRules: rules })!;
    const lr = model.rules.map((rule, i): LayerRule => ({
        rule,
        resource: { urn: "urn:nsg", name: "db-nsg" },
        addresses: { v4: rule.peers.v4, v6: rule.peers.v6 },
        members: new Set(),
        unknown: false,
        ...(views[i] ? { peerView: views[i] } : {}),
    }));
    return {
        kind: "subnet NSG",
        resources: [{ urn: "urn:nsg", name: "db-nsg" }],
        stateful: true,
        scope: "workload",
        ordered: true,
        inbound: lr.filter((r) => r.rule.direction === "inbound"),
        outbound: lr.filter((r) => r.rule.direction === "outbound"),
    };
}
const rule = (priority: number, access: string, source: string, port = "5432") => ({
    priority,
    access,
    direction: "Inbound",
    protocol: "Tcp",
    destinationPortRange: port,
    sourceAddressPrefix: source,
});
const peer = (cidr: string, memberships: string[] = []) => ({
    addresses: cidrSet([cidr]),
    memberships: new Set(memberships),
    key: cidr,
    label: cidr,
});
const tcp5432 = portRange(5432, 5432);

describe("paths: a rule's view of the stack's peers", () => {
    it("a deny of `Internet` does not stop a peer inside the VNet, and still closes the port to the internet", () => {
        const layer = nsg([rule(100, "Deny", "Internet"), rule(200, "Allow", "10.0.1.0/24")], { 0: { addresses: notVnet } });
        const c = checkLayer(layer, "inbound", "tcp", tcp5432, peer("10.0.1.0/24"));
        assert.equal(c.status, "pass");
        assert.equal(c.admittedBy?.rule.origin, "securityRules[1]");
        const p = { label: "db", layers: [layer], unverifiable: [], internet: { hops: [], families: ["v4" as const] } };
        assert.deepEqual(internetReach(p, EPHEMERAL), []);
    });

    it("an allow of `Internet` is the whole internet for exposure, but does not admit a peer inside the VNet", () => {
        const layer = nsg([rule(100, "Allow", "Internet"), rule(200, "Deny", "10.0.0.0/8")], { 0: { addresses: notVnet } });
        const p = { label: "db", layers: [layer], unverifiable: [], internet: { hops: [], families: ["v4" as const] } };
        assert.deepEqual(
            internetReach(p, EPHEMERAL).map((e) => [e.protocol, formatPorts(e.ports), e.unproven]),
            [["tcp", "5432", false]],
        );
        const c = checkLayer(layer, "inbound", "tcp", tcp5432, peer("10.0.1.0/24"));
        assert.equal(c.status, "block");
        assert.equal(c.rule?.rule.origin, "securityRules[1]");
    });

    it("a peer outside the ranges the plan shows meets a `maybe` as unknown, with its reason, where it would otherwise be blocked", () => {
        const reason = "`VirtualNetwork` may hold what gateways add";
        const layer = nsg([rule(100, "Allow", "VirtualNetwork"), rule(200, "Deny", "*")], {
            0: { addresses: VNET, maybe: { addresses: notVnet, reason } },
        });
        assert.equal(checkLayer(layer, "inbound", "tcp", tcp5432, peer("10.0.1.0/24")).status, "pass");
        const outside = checkLayer(layer, "inbound", "tcp", tcp5432, peer("10.50.0.0/16"));
        assert.deepEqual([outside.status, outside.reason], ["unknown", reason]);
        // Part inside, part outside: the outside part decides nothing after the rule.
        assert.equal(checkLayer(layer, "inbound", "tcp", tcp5432, peer("10.0.0.0/8")).status, "unknown");
    });

    it("a definite match before the uncertain rule still decides", () => {
        const layer = nsg([rule(100, "Deny", "10.50.0.0/16"), rule(110, "Allow", "VirtualNetwork")], {
            1: { addresses: VNET, maybe: { addresses: notVnet, reason: "r" } },
        });
        const c = checkLayer(layer, "inbound", "tcp", tcp5432, peer("10.50.0.0/16"));
        assert.equal(c.status, "block");
        assert.equal(c.rule?.rule.origin, "securityRules[0]");
    });

    it("a peer carrying one of the `maybe` members is unknown; one carrying none falls through", () => {
        const layer = nsg([rule(100, "Allow", "10.99.0.0/16"), rule(200, "Deny", "*")], {
            0: { addresses: cidrSet([]), maybe: { members: new Set(["asg-a", "asg-b"]), reason: "which group is unknown until update" } },
        });
        assert.equal(checkLayer(layer, "inbound", "tcp", tcp5432, peer("10.0.1.4/32", ["asg-b"])).status, "unknown");
        assert.equal(checkLayer(layer, "inbound", "tcp", tcp5432, peer("10.0.1.4/32", ["asg-c"])).status, "block");
    });
});
