// `internal-ports explain` and `check` as a user runs them on a program with AWS managed data
// services (test/fixtures/programs/aws-data-services): the documented flow api → the ElastiCache
// replication group hop by hop through the local check, the same flow blocked at the cache's group,
// and a public Redshift cluster the internet reaches hop by hop.
import { strict as assert } from "assert";
import * as fs from "fs";
import { cli } from "./cli-helpers";
import { copyProgram, tempDir } from "./program-fixtures";

const CONFIG = (lines: string[]) => `config:\n${lines.map((l) => `  aws-data-services:${l}\n`).join("")}`;

describe("internal-ports explain and check on AWS data services (a program)", function () {
    this.timeout(240000);
    const tmp = tempDir("internal-ports-aws-data-");
    const open = copyProgram("aws-data-services", tmp, { as: "open" });
    const closed = copyProgram("aws-data-services", tmp, {
        as: "closed",
        files: { "Pulumi.dev.yaml": CONFIG(["cacheFrom: 10.9.0.0/16", 'warehousePublic: "true"', "warehouseFrom: 0.0.0.0/0"]) },
    });

    it("api → cache on 6379: gets through in each subnet of the cache's subnet group, hop by hop (exit 0)", () => {
        const r = cli(["explain", open, "--from", "api", "--to", "cache", "--port", "6379", "--quiet", "--no-color"]);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        const lines = r.stdout.split("\n");
        assert.equal(lines[0], "api → cache 6379/tcp: gets through");
        for (const subnet of ["data-a", "data-b"]) assert.ok(lines.includes(`api (app) → cache (${subnet}): gets through`), r.stdout);
        assert.ok(
            lines.includes(
                "   4. request in through security groups `cache-sg`: allowed by ingress[0] (tcp 6379 from security group `api-sg`)",
            ),
            r.stdout,
        );
        const check = cli(["check", open, "--quiet", "--no-color"]);
        assert.equal(check.code, 0, check.stdout + check.stderr);
        assert.match(check.stdout, /0 mandatory violations, 0 advisory notes/);
    });

    it("the cache's group admits another range: the request dies there, in explain and in the check (exit 1)", () => {
        const r = cli(["explain", closed, "--from", "api", "--to", "cache", "--port", "redis", "--quiet", "--no-color"]);
        assert.equal(r.code, 1, r.stdout + r.stderr);
        const lines = r.stdout.split("\n");
        assert.equal(lines[0], "api → cache redis: does not get through");
        assert.ok(
            lines.includes(
                "   4. request in through security groups `cache-sg`: blocked: no security group rule allows tcp 6379 from 10.40.1.0/24",
            ),
            r.stdout,
        );
        const check = cli(["check", closed, "--quiet", "--no-color"]);
        assert.equal(check.code, 1, check.stdout + check.stderr);
        assert.ok(
            check.stdout.includes(
                "`api` → `cache` tcp 6379: the request dies at security groups `cache-sg` inbound: no security group rule allows tcp 6379 from 10.40.1.0/24.",
            ),
            check.stdout,
        );
        assert.ok(
            check.stdout.includes(
                "The internet reaches tcp 5439 (warehouse) on `warehouse`: internet → internet gateway `igw` → route table `public-rt` (0.0.0.0/0 → igw) → " +
                    "subnet `public` (public endpoint: `publiclyAccessible`) → network ACL `main`'s default (rule 100 (allows all)) → " +
                    "security groups `warehouse-sg` (ingress[0] (tcp 5439 from 0.0.0.0/0)) → `warehouse`.",
            ),
            check.stdout,
        );
    });

    it("from the internet to the Redshift cluster: no way in while it is not publicly accessible (exit 1), hop by hop once it is (exit 0)", () => {
        const r = cli(["explain", open, "--from", "internet", "--to", "warehouse", "--port", "5439", "--quiet", "--no-color"]);
        assert.equal(r.code, 1, r.stdout + r.stderr);
        assert.ok(r.stdout.includes("no public address: `warehouse` has `publiclyAccessible: false`"), r.stdout);
        const pub = cli(["explain", closed, "--from", "internet", "--to", "warehouse", "--port", "5439", "--quiet", "--no-color"]);
        assert.equal(pub.code, 0, pub.stdout + pub.stderr);
        assert.ok(pub.stdout.split("\n").includes("   3. subnet `public` (public endpoint: `publiclyAccessible`): passes"), pub.stdout);
    });

    after(() => fs.rmSync(tmp, { recursive: true, force: true }));
});
