// `internal-ports explain` as a user runs it: a program and a stack export, each hop of the answer,
// the exit status (0 through, 1 not or unverifiable, 2 bad input), JSON, and agreement with the
// verdicts of the graph policies on the same stack.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cli, ROOT } from "./cli-helpers";
import { stackExport, urnsOf } from "./stack-exports";

const EXAMPLE = path.join(ROOT, "examples", "aws-three-tier");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "internal-ports-explain-"));
const urn = urnsOf("prod", "net");

/** A resource as `pulumi stack export` writes it after update: its outputs are its inputs and its id. */
const r = (type: string, name: string, id: string, inputs: Record<string, unknown>) => ({
    urn: urn(type, name),
    custom: true,
    id,
    type,
    inputs,
    outputs: { ...inputs, id },
});

/** A VPC with one public subnet and an instance whose group opens 22 to the world, as `pulumi stack export` writes it after update. */
function vpcExport(): string {
    const file = path.join(tmp, "vpc.json");
    fs.writeFileSync(
        file,
        JSON.stringify(
            stackExport("prod", "net", [
                r("aws:ec2/vpc:Vpc", "main", "vpc-1", { cidrBlock: "10.9.0.0/16" }),
                r("aws:ec2/internetGateway:InternetGateway", "gw", "igw-1", { vpcId: "vpc-1" }),
                r("aws:ec2/subnet:Subnet", "pub", "subnet-1", { vpcId: "vpc-1", cidrBlock: "10.9.0.0/24", mapPublicIpOnLaunch: true }),
                r("aws:ec2/routeTable:RouteTable", "rt", "rtb-1", {
                    vpcId: "vpc-1",
                    routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-1" }],
                }),
                r("aws:ec2/routeTableAssociation:RouteTableAssociation", "rta", "rtbassoc-1", {
                    subnetId: "subnet-1",
                    routeTableId: "rtb-1",
                }),
                r("aws:ec2/securityGroup:SecurityGroup", "bastion-sg", "sg-1", {
                    vpcId: "vpc-1",
                    ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],
                }),
                r("aws:ec2/instance:Instance", "bastion", "i-1", {
                    subnetId: "subnet-1",
                    vpcSecurityGroupIds: ["sg-1"],
                    ami: "ami-1",
                    instanceType: "t3.micro",
                }),
            ]),
        ),
    );
    return file;
}

/** The same VPC with a private subnet: an internet-facing ALB (HTTP 80) forwards to a private instance on 8080. */
function albExport(): string {
    const file = path.join(tmp, "alb.json");
    fs.writeFileSync(
        file,
        JSON.stringify(
            stackExport("prod", "net", [
                r("aws:ec2/vpc:Vpc", "main", "vpc-1", { cidrBlock: "10.9.0.0/16" }),
                r("aws:ec2/internetGateway:InternetGateway", "gw", "igw-1", { vpcId: "vpc-1" }),
                r("aws:ec2/subnet:Subnet", "pub", "subnet-1", { vpcId: "vpc-1", cidrBlock: "10.9.0.0/24" }),
                r("aws:ec2/subnet:Subnet", "priv", "subnet-2", { vpcId: "vpc-1", cidrBlock: "10.9.1.0/24" }),
                r("aws:ec2/routeTable:RouteTable", "rt", "rtb-1", {
                    vpcId: "vpc-1",
                    routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-1" }],
                }),
                r("aws:ec2/routeTableAssociation:RouteTableAssociation", "rta", "rtbassoc-1", {
                    subnetId: "subnet-1",
                    routeTableId: "rtb-1",
                }),
                r("aws:ec2/securityGroup:SecurityGroup", "lb-sg", "sg-1", {
                    vpcId: "vpc-1",
                    ingress: [{ protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] }],
                    egress: [{ protocol: "tcp", fromPort: 8080, toPort: 8080, cidrBlocks: ["10.9.1.0/24"] }],
                }),
                r("aws:ec2/securityGroup:SecurityGroup", "app-sg", "sg-2", {
                    vpcId: "vpc-1",
                    ingress: [{ protocol: "tcp", fromPort: 8080, toPort: 8080, securityGroups: ["sg-1"] }],
                }),
                r("aws:ec2/instance:Instance", "app", "i-1", {
                    subnetId: "subnet-2",
                    vpcSecurityGroupIds: ["sg-2"],
                    ami: "ami-1",
                    instanceType: "t3.micro",
                }),
                r("aws:lb/loadBalancer:LoadBalancer", "web-lb", "arn:lb-1", {
                    loadBalancerType: "application",
                    internal: false,
                    subnets: ["subnet-1"],
                    securityGroups: ["sg-1"],
                }),
                r("aws:lb/targetGroup:TargetGroup", "app-tg", "arn:tg-1", { port: 8080, protocol: "HTTP", vpcId: "vpc-1" }),
                r("aws:lb/listener:Listener", "http", "arn:l-1", {
                    loadBalancerArn: "arn:lb-1",
                    port: 80,
                    protocol: "HTTP",
                    defaultActions: [{ type: "forward", targetGroupArn: "arn:tg-1" }],
                }),
                r("aws:lb/targetGroupAttachment:TargetGroupAttachment", "app-att", "att-1", {
                    targetGroupArn: "arn:tg-1",
                    targetId: "i-1",
                    port: 8080,
                }),
            ]),
        ),
    );
    return file;
}

describe("internal-ports explain", function () {
    this.timeout(240000);

    it("follows a documented flow hop by hop and names the hop where the reply dies (a program; exit 1)", () => {
        const r = cli(["explain", EXAMPLE, "--from", "app-asg", "--to", "orders-db", "--port", "5432", "--quiet"]);
        assert.equal(r.code, 1, r.stderr);
        const lines = r.stdout.split("\n");
        assert.equal(lines[0], "app-asg → orders-db 5432/tcp: does not get through");
        assert.ok(lines.includes("app-asg (app-a) → orders-db (db-a): does not get through"), r.stdout);
        assert.ok(
            lines.includes(
                "   4. request in through security groups `db-sg`: allowed by ingress[0] (tcp 5432 from security group `app-sg`)",
            ),
            r.stdout,
        );
        assert.ok(
            lines.includes(
                "   5. reply out through network ACL `db-acl`: blocked: no network ACL entry allows tcp 1024-32767 to 10.60.10.0/24",
            ),
            r.stdout,
        );
        assert.ok(lines.includes("   6. reply in through network ACL `main-vpc`'s default: not reached"), r.stdout);
    });

    it("from the internet: the world split over two groups gets through (exit 0), and JSON carries every hop", () => {
        const r = cli(["explain", EXAMPLE, "--from", "internet", "--to", "admin-1", "--port", "9090/tcp", "--format", "json", "--quiet"]);
        assert.equal(r.code, 0, r.stderr);
        const out = JSON.parse(r.stdout) as {
            schemaVersion: number;
            verdict: string;
            query: unknown;
            routes: { verdict: string; to: { placement: string }; hops: { status: string; resources: string[]; text: string }[] }[];
        };
        assert.equal(out.schemaVersion, 1);
        assert.equal(out.verdict, "reaches");
        assert.deepEqual(out.query, { from: "internet", to: "admin-1", port: "9090/tcp", protocol: "tcp" });
        assert.deepEqual(
            out.routes.map((x) => [x.to.placement, x.verdict]),
            [["public-a", "reaches"]],
        );
        assert.deepEqual(
            out.routes[0].hops.map((h) => [h.status, h.resources.join("+")]),
            [
                ["pass", "main-igw"],
                ["pass", "public-rt"],
                ["pass", "public-a"],
                ["pass", "default"],
                ["pass", "admin-sg+dashboards-sg"],
                ["pass", "default"],
            ],
        );
        assert.match(
            out.routes[0].hops[4].text,
            /`admin-sg` ingress\[\d\] \(tcp 9090 from 0\.0\.0\.0\/1\) and `dashboards-sg` ingress\[0\] \(tcp 9090 from 128\.0\.0\.0\/1\)/,
        );
    });

    it("agrees with the policies: what no-internet-path-to-internal-ports reports is reachable, and the blocked flow is blocked", () => {
        const check = cli(["check", EXAMPLE, "--format", "json", "--quiet", "--exit-zero"]); // against the example's own ports.yaml
        const report = JSON.parse(check.stdout) as { stacks: { diagnostics: { policy: string; name: string }[] }[] };
        const findings = report.stacks[0].diagnostics;
        assert.ok(findings.some((f) => f.policy === "no-internet-path-to-internal-ports" && f.name === "admin-1"));
        assert.ok(findings.some((f) => f.policy === "documented-flows-reachable" && f.name === "orders-db"));
        assert.ok(!findings.some((f) => f.policy === "no-internet-path-to-internal-ports" && f.name === "orders-db"));
        assert.equal(cli(["explain", EXAMPLE, "--from", "internet", "--to", "orders-db", "--port", "postgres", "--quiet"]).code, 1);
    });

    it("reads a stack export, and says why there is no way in", () => {
        const file = vpcExport();
        const open = cli(["explain", file, "--from", "internet", "--to", "bastion", "--port", "22", "--quiet"]);
        assert.equal(open.code, 0, open.stdout + open.stderr);
        assert.match(open.stdout, /^internet → bastion 22\/tcp: gets through$/m);
        assert.match(open.stdout, /route table `rt` \(0\.0\.0\.0\/0 → igw\): passes/);
        const closed = cli(["explain", file, "--from", "internet", "--to", "bastion", "--port", "5432", "--quiet"]);
        assert.equal(closed.code, 1);
        assert.match(
            closed.stdout,
            /request in through security groups `bastion-sg`: blocked: no security group rule admits the whole internet on tcp 5432/,
        );
        const vpn = cli(["explain", file, "--from", "203.0.113.7", "--to", "bastion", "--port", "22", "--quiet"]);
        assert.equal(vpn.code, 0, vpn.stdout);
        assert.match(vpn.stdout, /^203\.0\.113\.7\/32 → bastion 22\/tcp: gets through$/m);
        // The flags a script passes to check are taken here too.
        const plain = cli(["explain", file, "--from", "203.0.113.7", "--to", "bastion", "--port", "22", "--quiet", "--no-color"]);
        assert.equal(plain.code, 0, plain.stderr);
        const answer = (out: string) => out.replace(/^answered in .*$/m, "");
        assert.equal(answer(plain.stdout), answer(vpn.stdout));
    });

    it("from the internet to a target behind an ALB: a note names the load balancer on the target group's protocol only", () => {
        const file = albExport();
        const tcp = cli(["explain", file, "--from", "internet", "--to", "app", "--port", "8080", "--quiet"]);
        assert.equal(tcp.code, 1, tcp.stdout + tcp.stderr);
        assert.match(
            tcp.stdout,
            /note: the internet reaches load balancer `web-lb` \(on tcp 80\), which connects to `app` on tcp 8080 from its own addresses/,
        );
        // An HTTP target group connects over TCP: nothing carries UDP 8080 to the instance.
        const udp = cli(["explain", file, "--from", "internet", "--to", "app", "--port", "8080/udp", "--quiet"]);
        assert.equal(udp.code, 1, udp.stdout + udp.stderr);
        assert.doesNotMatch(udp.stdout, /load balancer `web-lb`/);
    });

    it("bad input is exit 2 with a message that says what to change, before any program runs", () => {
        const file = vpcExport();
        const cases: [string[], RegExp][] = [
            [["--from", "internet", "--to", "bastion"], /--port is required/],
            [["--from", "internet", "--to", "bastion", "--port", "99999"], /ports run from 1 to 65535/],
            [["--from", "internet", "--to", "bastion", "--port", "22/sctp"], /the protocol must be tcp or udp/],
            [["--from", "internet", "--to", "bastion", "--port", "postgress"], /did you mean "postgres"/],
            [
                ["--from", "internet", "--to", "bastoin", "--port", "22"],
                /--to bastoin: no resource of this stack has that name or URN \(did you mean "bastion"\?\)/,
            ],
            [
                ["--from", "internet", "--to", "bastion-sg", "--port", "22"],
                /--to bastion-sg: aws:ec2\/securityGroup:SecurityGroup is not a workload/,
            ],
            [["--from", "10.0.0.300", "--to", "bastion", "--port", "22"], /--from 10\.0\.0\.300: not an IP address or CIDR block/],
            [["--from", "bastion", "--to", "bastion", "--port", "22"], /name the same workload/],
            [["--from", "internet", "--to", "bastion", "--port", "22", "--format", "xml"], /--format must be text or json/],
        ];
        for (const [args, message] of cases) {
            const r = cli(["explain", file, ...args, "--quiet"]);
            assert.equal(r.code, 2, `${args.join(" ")}: ${r.stdout}`);
            assert.equal(r.stdout, "");
            assert.match(r.stderr, message, args.join(" "));
        }
        const two = cli(["explain", file, file, "--from", "internet", "--to", "bastion", "--port", "22"]);
        assert.equal(two.code, 2);
        assert.match(two.stderr, /one input at a time/);
    });
});
