// examples/gcp-vpc-stack against its own ports.yaml (beside its Pulumi.yaml), which documents who
// talks to whom: the check (its findings pinned by expected.json, in examples.test.ts) words the broken
// documented flow and the exposure path hop by hop; `internal-ports explain` follows the same two paths.
import { strict as assert } from "assert";
import * as path from "path";
import { cli, ROOT } from "./cli-helpers";
import { exampleStack, ExampleStack } from "./example-report";

const EXAMPLE = path.join(ROOT, "examples", "gcp-vpc-stack");

describe("examples/gcp-vpc-stack with its own ports.yaml", function () {
    this.timeout(300000);
    let stack: ExampleStack;

    before(async () => {
        stack = await exampleStack("gcp-vpc-stack");
    });

    it("the exposure path: the world split over two firewall rules for the bastion's tag", () => {
        const d = stack.diagnostics.find((x) => x.policy === "no-internet-path-to-internal-ports")!;
        assert.match(
            d.message,
            /The internet reaches tcp 22 \(ssh\) on `bastion-1`: internet → network `orders-vpc` \(default route 0\.0\.0\.0\/0 → default internet gateway\) → an external IP on `bastion-1` nic0 \(`accessConfigs`\) → firewall of network `orders-vpc` \(`vendor-ssh-low` allows\[0\] \(priority 1000\) \(tcp 22 from 0\.0\.0\.0\/1\) and `vendor-ssh-high` allows\[0\] \(priority 1000\) \(tcp 22 from 128\.0\.0\.0\/1\)\) → `bastion-1`\./,
        );
    });

    it("the broken documented flow: the API's requests meet the implied deny-all ingress, while the VPN and the web tier get through", () => {
        const d = stack.diagnostics.find((x) => x.policy === "documented-flows-reachable")!;
        assert.match(
            d.message,
            /`api-1` → `db-1` tcp 5432: the request dies at firewall of network `orders-vpc` inbound: no firewall rule allows tcp 5432 from 10\.20\.2\.0\/24, so GCP's implied deny ingress rule \(priority 65535\) drops it\./,
        );
        assert.doesNotMatch(d.message, /10\.50\.0\.0\/16|`web-1`/);
    });

    it("explain: the exposure hop by hop (exit 0)", () => {
        const r = cli(["explain", EXAMPLE, "--from", "internet", "--to", "bastion-1", "--port", "22", "--quiet"]);
        assert.equal(r.code, 0, r.stderr);
        const lines = r.stdout.split("\n");
        assert.equal(lines[0], "internet → bastion-1 22/tcp: gets through");
        assert.ok(lines.includes("   1. network `orders-vpc` (default route 0.0.0.0/0 → default internet gateway): passes"), r.stdout);
        assert.ok(lines.includes("   2. an external IP on `bastion-1` nic0 (`accessConfigs`): passes"), r.stdout);
        assert.ok(
            lines.includes(
                "   3. request in through firewall of network `orders-vpc`: allowed by `vendor-ssh-low` allows[0] (priority 1000) (tcp 22 from 0.0.0.0/1) and `vendor-ssh-high` allows[0] (priority 1000) (tcp 22 from 128.0.0.0/1)",
            ),
            r.stdout,
        );
    });

    it("explain: the broken flow names the blocking hop (exit 1); the web tier's service account reaches the API (exit 0)", () => {
        const r = cli(["explain", EXAMPLE, "--from", "api-1", "--to", "db-1", "--port", "5432", "--quiet"]);
        assert.equal(r.code, 1, r.stderr);
        const lines = r.stdout.split("\n");
        assert.equal(lines[0], "api-1 → db-1 5432/tcp: does not get through");
        assert.ok(
            lines.includes(
                "   1. request out through firewall of network `orders-vpc`: allowed by the implied egress rule (priority 65535) (allows all egress)",
            ),
            r.stdout,
        );
        assert.ok(
            lines.includes(
                "   2. request in through firewall of network `orders-vpc`: blocked: no firewall rule allows tcp 5432 from 10.20.2.0/24, so GCP's implied deny ingress rule (priority 65535) drops it",
            ),
            r.stdout,
        );
        const ok = cli(["explain", EXAMPLE, "--from", "web-1", "--to", "api-1", "--port", "8080", "--quiet"]);
        assert.equal(ok.code, 0, ok.stderr);
        assert.match(ok.stdout, /allowed by `api-from-web` allows\[0\] \(priority 1000\) \(tcp 8080 from service account `orders-web`\)/);
        const none = cli(["explain", EXAMPLE, "--from", "internet", "--to", "db-1", "--port", "5432", "--quiet"]);
        assert.equal(none.code, 1);
        assert.match(none.stdout, /note: no external IP on `db-1` nic0 \(no `accessConfigs`\)/);
    });
});
