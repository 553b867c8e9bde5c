// `internal-ports explain` on the DigitalOcean example, as a user runs it: the exposure path from the
// internet hop by hop (exit 0) and the documented flow that dies at the client's own Cloud Firewall
// (exit 1), naming the blocking hop; both agree with what the graph policies report.
import { strict as assert } from "assert";
import * as path from "path";
import { cli, ROOT } from "./cli-helpers";

const EXAMPLE = path.join(ROOT, "examples", "digitalocean-app-db");
const REGISTRY = path.join(EXAMPLE, "ports.yaml");

describe("internal-ports explain on DigitalOcean (examples/digitalocean-app-db)", function () {
    this.timeout(240000);

    it("from the internet: a trusted source of 0.0.0.0/0 lets the whole internet reach Valkey, hop by hop (exit 0)", () => {
        const r = cli([
            "explain",
            EXAMPLE,
            "--registry",
            REGISTRY,
            "--from",
            "internet",
            "--to",
            "sessions",
            "--port",
            "do-valkey",
            "--quiet",
        ]);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        const lines = r.stdout.split("\n");
        assert.equal(lines[0], "internet → sessions do-valkey: gets through");
        assert.ok(lines.includes("internet → sessions (app-vpc): gets through"), r.stdout);
        assert.ok(lines.includes("   1. public hostname of database cluster `sessions`: passes"), r.stdout);
        assert.ok(
            lines.includes("   2. request in through database firewall `sessions-trusted`: allowed by rules[1] (tcp 25061 from 0.0.0.0/0)"),
            r.stdout,
        );
    });

    it("from the internet to a droplet behind the load balancer: blocked at its firewall, and a note names the load balancer that connects to it (exit 1)", () => {
        const r = cli(["explain", EXAMPLE, "--registry", REGISTRY, "--from", "internet", "--to", "app-1", "--port", "8080", "--quiet"]);
        assert.equal(r.code, 1, r.stdout + r.stderr);
        const lines = r.stdout.split("\n");
        assert.equal(lines[0], "internet → app-1 8080/tcp: does not get through");
        assert.ok(
            lines.includes(
                "  note: the internet reaches load balancer `web-lb` (on tcp 80, 443), which connects to `app-1` on tcp 8080 from its own addresses (explain --to web-lb for its path)",
            ),
            r.stdout,
        );
    });

    it("the documented flow app → orders-db dies on its way out of the app droplet's Cloud Firewall (exit 1)", () => {
        const r = cli(["explain", EXAMPLE, "--registry", REGISTRY, "--from", "app-1", "--to", "orders-db", "--port", "25060", "--quiet"]);
        assert.equal(r.code, 1, r.stdout + r.stderr);
        const lines = r.stdout.split("\n");
        assert.equal(lines[0], "app-1 → orders-db 25060/tcp: does not get through");
        assert.ok(
            lines.includes(
                "   1. request out through Cloud Firewalls `app-fw`: blocked: no firewall rule allows tcp 25060 to 10.120.0.0/20",
            ),
            r.stdout,
        );
        assert.ok(lines.includes("   2. request in through database firewall `orders-db-trusted`: not reached"), r.stdout);
        // The port the team opened instead is allowed out and trusted, but the cluster does not listen there.
        const usual = cli([
            "explain",
            EXAMPLE,
            "--registry",
            REGISTRY,
            "--from",
            "app-1",
            "--to",
            "orders-db",
            "--port",
            "5432",
            "--quiet",
        ]);
        assert.equal(usual.code, 1, usual.stdout);
        const said = usual.stdout.split("\n");
        assert.ok(
            said.includes("   1. request out through Cloud Firewalls `app-fw`: allowed by outboundRules[2] (tcp 5432 to 10.120.0.0/20)"),
            usual.stdout,
        );
        assert.ok(said.includes("  note: `orders-db` does not listen on tcp 5432"), usual.stdout);
    });

    it("agrees with the policies on the same program", () => {
        const check = cli(["check", EXAMPLE, "--registry", REGISTRY, "--format", "json", "--quiet", "--exit-zero"]);
        const findings = (JSON.parse(check.stdout) as { stacks: { diagnostics: { policy: string; name: string }[] }[] }).stacks[0]
            .diagnostics;
        assert.ok(findings.some((f) => f.policy === "no-internet-path-to-internal-ports" && f.name === "sessions"));
        assert.ok(findings.some((f) => f.policy === "documented-flows-reachable" && f.name === "orders-db"));
        assert.ok(!findings.some((f) => f.policy === "no-internet-path-to-internal-ports" && f.name === "app-1"));
        assert.equal(
            cli(["explain", EXAMPLE, "--registry", REGISTRY, "--from", "internet", "--to", "app-1", "--port", "8080", "--quiet"]).code,
            1,
        );
    });
});
