// examples/kubernetes-storefront against its own ports.yaml (beside its Pulumi.yaml), which documents
// who talks to whom: the check (its findings pinned by expected.json, in examples.test.ts) words the
// broken documented flow and the exposure path hop by hop; `explain` follows both.
import { strict as assert } from "assert";
import * as path from "path";
import { cli, ROOT } from "./cli-helpers";
import { exampleStack, ExampleStack } from "./example-report";

const dir = path.join(ROOT, "examples", "kubernetes-storefront");

describe("examples/kubernetes-storefront with its own ports.yaml", function () {
    this.timeout(300000);
    let stack: ExampleStack;

    before(async () => {
        stack = await exampleStack("kubernetes-storefront");
    });

    it("the exposure path: a public load balancer port forwarded to Prometheus's named port, nothing isolating its pods", () => {
        const d = stack.diagnostics.find((x) => x.policy === "no-internet-path-to-internal-ports")!;
        assert.match(
            d.message,
            /The internet reaches tcp 9090 \(prometheus\) on `prometheus`: internet → LoadBalancer Service `prometheus` \(tcp 443 → 9090, from anywhere: no loadBalancerSourceRanges\) → `prometheus`\./,
        );
        // The fix in Kubernetes' terms, not a subnet's route to a NAT gateway.
        assert.match(
            d.message,
            /Fix: close the path at one layer \(set the Service's `spec\.loadBalancerSourceRanges` to known ranges, make it an internal load balancer/,
        );
    });

    it("the broken documented flow: checkout's requests die in its own egress policies, which name a namespace label nobody set", () => {
        const d = stack.diagnostics.find((x) => x.policy === "documented-flows-reachable")!;
        // Only the policies that isolate checkout's pods for egress: `checkout-ingress` has no say in what they send.
        assert.match(
            d.message,
            /`checkout` → `payments-db` tcp 5432: the request dies at network policies `storefront-default-deny`, `checkout-egress` and `storefront-dns` outbound: no NetworkPolicy rule allows tcp 5432 to `payments-db`\./,
        );
        assert.match(
            d.message,
            /Fix: add a NetworkPolicy rule to network policies `storefront-default-deny`, `checkout-egress` and `storefront-dns` that allows the flow/,
        );
        assert.doesNotMatch(d.message, /`web`/, "web reaches checkout: no finding for it");
    });

    it("explain: the exposure hop by hop (exit 0)", () => {
        const r = cli(["explain", dir, "--from", "internet", "--to", "prometheus", "--port", "9090", "--quiet"]);
        assert.equal(r.code, 0, r.stderr);
        const lines = r.stdout.split("\n");
        assert.equal(lines[0], "internet → prometheus 9090/tcp: gets through");
        // The hop says what the Service forwards; the load balancer's step says whom it admits, on the port that carries 9090.
        assert.ok(lines.includes("   1. LoadBalancer Service `prometheus` (tcp 443 → 9090): passes"), r.stdout);
        assert.ok(
            lines.includes(
                "   2. request in through load balancer `prometheus`: allowed by spec.ports[0] (tcp 443 from anywhere: no loadBalancerSourceRanges)",
            ),
            r.stdout,
        );
    });

    it("explain: the broken flow names the blocking hop (exit 1), and the reply never starts", () => {
        const r = cli(["explain", dir, "--from", "checkout", "--to", "payments-db", "--port", "5432", "--quiet"]);
        assert.equal(r.code, 1, r.stderr);
        const lines = r.stdout.split("\n");
        assert.equal(lines[0], "checkout → payments-db 5432/tcp: does not get through");
        assert.ok(lines.includes("checkout (storefront) → payments-db (payments): does not get through"), r.stdout);
        assert.ok(
            lines.includes(
                "   1. request out through network policies `storefront-default-deny`, `checkout-egress` and `storefront-dns`: blocked: no NetworkPolicy rule allows tcp 5432 to `payments-db`",
            ),
            r.stdout,
        );
        assert.ok(
            lines.includes("   2. request in through network policies `payments-default-deny` and `payments-db-ingress`: not reached"),
            r.stdout,
        );
    });

    it("explain: web → checkout gets through both pods' policies (exit 0)", () => {
        const r = cli(["explain", dir, "--from", "web", "--to", "checkout", "--port", "8080", "--quiet"]);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /allowed by `checkout-ingress` spec\.ingress\[0\]\.ports\[0\] \(tcp 8080 from pod selector `web`\)/);
    });
});
