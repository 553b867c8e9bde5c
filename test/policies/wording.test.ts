// The prose of every finding the case tables produce: no half-filled templates, no "and 1 more", no
// phrase said twice in one message, and fixes in the provider's own terms. The tables themselves
// assert message ids and data; this keeps the words honest.
import { strict as assert } from "assert";
import { policies } from "../../policies";
import { formatFinding } from "../../policies/kit/findings";
import { messagesOf } from "../../policies/kit/run";
import { casesFor } from "../cases";
import { check, checkCase, NACL_REGISTRY, T, nsgInbound } from "../helpers";
import { noWorldOpenInternalPorts } from "../../policies/rules/no-world-open-internal-ports";
import { parseRegistry } from "../../policies/registry";

/** The words of a message's own text, with every value from data replaced by one token. */
function skeletonWords(message: string): string[] {
    return message
        .toLowerCase()
        .replace(/§/g, " § ")
        .split(/[\s,.;:()"`]+/)
        .filter((w) => w !== "" && w !== "-");
}

/** A phrase of `n` words (none of them a value) that occurs twice, if any. */
function repeatedPhrase(words: string[], n = 4): string | undefined {
    const seen = new Set<string>();
    for (let i = 0; i + n <= words.length; i++) {
        const gram = words.slice(i, i + n);
        if (gram.includes("§")) continue;
        const key = gram.join(" ");
        if (seen.has(key)) return key;
        seen.add(key);
    }
    return undefined;
}

describe("wording of every finding in the case tables", () => {
    for (const def of policies) {
        it(def.meta.name, () => {
            const { valid, invalid } = casesFor(def.meta.name);
            let checked = 0;
            for (const c of [...valid, ...invalid]) {
                const found = checkCase(def, c);
                for (const f of [...found.mandatory, ...found.advisory]) {
                    checked++;
                    const where = `${c.name}: ${f.message}`;
                    assert.doesNotMatch(f.message, /\{\{|undefined|\[object |NaN/, where);
                    assert.doesNotMatch(f.message, /\band 1 more\b/, where);
                    assert.doesNotMatch(f.message, /which is internal in ports\.yaml/, where);
                    // Values repeat by nature (a rule per line); the template text around them must not.
                    const blank = (d: Record<string, string | number>) => Object.fromEntries(Object.keys(d).map((k) => [k, "§"]));
                    const skeleton = formatFinding(
                        messagesOf(def.meta),
                        f.items.map((i) => ({ ...i, data: blank(i.data) })),
                        f.fixes.map((x) => ({ ...x, data: blank(x.data) })),
                    );
                    const phrase = repeatedPhrase(skeletonWords(skeleton));
                    assert.equal(phrase, undefined, `"${phrase}" said twice in ${where}`);
                }
            }
            if (invalid.length > 0) assert.ok(checked > 0);
        });
    }
});

describe("fixes speak the provider's language", () => {
    const world = (type: string, props: unknown) => check(noWorldOpenInternalPorts, type, props).mandatory[0].message;
    const cases: { provider: string; type: string; props: unknown; says: RegExp; never?: RegExp }[] = [
        {
            provider: "AWS security group",
            type: T.sg,
            props: { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] },
            says: /^Fix: narrow the security group rule's `cidrBlocks`\/`ipv6CidrBlocks` to known ranges \(knownCidrs: 10\.0\.0\.0\/8\) or use a security group or prefix list/m,
        },
        {
            provider: "AWS network ACL",
            type: T.nacl,
            props: { ingress: [{ ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlock: "0.0.0.0/0" }] },
            says: /^Fix: narrow the network ACL entry's `cidrBlock`\/`ipv6CidrBlock` to known ranges/m,
            never: /security group/,
        },
        {
            provider: "Azure NSG",
            type: T.nsg,
            props: {
                securityRules: [nsgInbound({ destinationPortRange: "22", sourceAddressPrefix: "*" })],
            },
            says: /^Fix: narrow the NSG rule's `sourceAddressPrefix\(es\)` to known ranges .* or use a service tag or application security group\./m,
            never: /a security group/,
        },
        {
            provider: "GCP firewall",
            type: "gcp:compute/firewall:Firewall",
            props: { network: "n", allows: [{ protocol: "tcp", ports: ["22"] }] },
            says: /^Fix: narrow the firewall rule's `sourceRanges` to known ranges .* or use network tags or service accounts/m,
            never: /security group/,
        },
        {
            provider: "DigitalOcean firewall",
            type: "digitalocean:index/firewall:Firewall",
            props: { inboundRules: [{ protocol: "tcp", portRange: "22", sourceAddresses: ["0.0.0.0/0"] }] },
            says: /^Fix: narrow the firewall rule's `sourceAddresses` to known ranges .* or use droplets or droplet tags/m,
            never: /security group/,
        },
        {
            provider: "Kubernetes Service",
            type: "kubernetes:core/v1:Service",
            props: { spec: { type: "LoadBalancer", ports: [{ port: 22 }] } },
            says: /^Fix: narrow the Service's `spec\.loadBalancerSourceRanges` to known ranges .* or use an internal load balancer/m,
            never: /security group/,
        },
    ];
    for (const c of cases) {
        it(c.provider, () => {
            const message = world(c.type, c.props);
            assert.match(message, c.says);
            if (c.never) assert.doesNotMatch(message, c.never);
        });
    }

    it('a Kubernetes node port nobody chose is not asked for; one the manifest sets is, without "narrow the rule"', () => {
        const documented = policies.find((p) => p.meta.name === "documented-ports-only")!;
        assert.deepEqual(
            check(documented, "kubernetes:core/v1:Service", { spec: { type: "LoadBalancer", ports: [{ port: 443 }] } }).mandatory,
            [],
        );
        const set = check(documented, "kubernetes:core/v1:Service", { spec: { type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] } })
            .mandatory[0].message;
        assert.equal(
            set,
            "spec.ports[0].nodePort (from node-firewall) opens tcp 30080 (undocumented), which ports.yaml does not document.\n" +
                "Fix: document the service in ports.yaml, e.g. { name: <service>, ports: [30080], protocol: tcp, owner: <team> }, or leave `nodePort` out so the cluster allocates one.",
        );
        assert.doesNotMatch(set, /narrow the rule/);
    });

    it("the return-traffic note names the internal ports and the deny entries that would close them", () => {
        const found = check(
            noWorldOpenInternalPorts,
            T.nacl,
            { ingress: [{ ruleNo: 140, action: "allow", protocol: "tcp", fromPort: 1024, toPort: 65535, cidrBlock: "0.0.0.0/0" }] },
            {},
            parseRegistry(NACL_REGISTRY, "ports.yaml"),
        );
        assert.equal(
            found.advisory[0].message,
            "The whole internet reaches tcp 2379-2380 (etcd), 3306 (mysql), 5432 (postgres), 6379 (redis), 8080 (app), 50000 (agent) through ingress[0] (rule 140, from 0.0.0.0/0) as return traffic: " +
                "a network ACL must keep the ephemeral range open for replies, so only the security groups close these internal ports.\n" +
                "To have the network ACL close them too, add deny entries for tcp 2379-2380 (etcd), 3306 (mysql), 5432 (postgres), 6379 (redis), 8080 (app), 50000 (agent) with a lower rule number than ingress[0] (rule 140).",
        );
    });
});
