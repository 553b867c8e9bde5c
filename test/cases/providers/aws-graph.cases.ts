// The AWS network graph through both stack policies: small stacks as the engine sends them, each
// written as preview sends it (ids unknown, links through property dependencies) and as update
// sends it (known ids), where the difference matters.
import { PolicyCase as Case } from "../../helpers";
import { A, FLOWS_REGISTRY, Mode, Stack, all, entry, openEntries, tcp, vpc } from "./aws-graph-stacks";

const both = (name: string, make: (mode: Mode) => Omit<Case, "name">): Case[] =>
    (["preview", "update"] as const).map((mode) => ({ name: `${name} (${mode})`, ...make(mode) }));

const egressAll = [all({ cidrBlocks: ["0.0.0.0/0"] })];

/** `orders-db` in `subnet`, with the world split over `db-sg` (0.0.0.0/1) and `ops-sg` (128.0.0.0/1). */
function splitWorld(subnet: string, extra: Record<string, unknown> = {}, s = vpc()): Stack {
    return s
        .add(A.sg, "db-sg", { ingress: [tcp(5432, 5432, { cidrBlocks: ["0.0.0.0/1"] })], egress: egressAll }, { vpcId: "main-vpc" })
        .add(A.sg, "ops-sg", { ingress: [tcp(22, 22, { cidrBlocks: ["10.0.0.0/8"] }), tcp(443, 443, { cidrBlocks: ["0.0.0.0/0"] }), tcp(5432, 5432, { cidrBlocks: ["128.0.0.0/1"] })] }, { vpcId: "main-vpc" })
        .add(A.instance, "orders-db", { tags: { service: "postgres" }, ...extra }, { subnetId: subnet, vpcSecurityGroupIds: ["db-sg", "ops-sg"] });
}

const SPLIT_PATH = "internet → internet gateway `main-igw` → route table `public-rt` (0.0.0.0/0 → igw) → subnet `public-a` (public IP: `mapPublicIpOnLaunch`) → " +
    "network ACL `default` (`default` rule 100 (allows all)) → security groups `db-sg` and `ops-sg` (`db-sg` ingress[0] (tcp 5432 from 0.0.0.0/1) and " +
    "`ops-sg` ingress[2] (tcp 5432 from 128.0.0.0/1)) → `orders-db`";

const worldPg = { ingress: [tcp(5432, 5432, { cidrBlocks: ["0.0.0.0/0"] })], egress: egressAll };

/** An RDS instance in a subnet group of `subnets`, its group open to the world on 5432. */
function rds(subnets: string[], props: Record<string, unknown>, s = vpc()): Stack {
    return s
        .add(A.sg, "db-sg", worldPg, { vpcId: "main-vpc" })
        .add(A.dbSubnets, "db-subnets", {}, { subnetIds: subnets })
        .add(A.rds, "orders-db", { engine: "postgres", tags: { service: "postgres" }, ...props }, { dbSubnetGroupName: "db-subnets", vpcSecurityGroupIds: ["db-sg"] });
}

/** A load balancer in `public-a` with one listener forwarding to a target group of instance `app-1` in `app-a`. */
function balanced(type: "application" | "network", listenerPort: number, targetPort: number, appIngress: unknown[]): Stack {
    return vpc()
        .add(A.sg, "lb-sg", { ingress: [tcp(listenerPort, listenerPort, { cidrBlocks: ["0.0.0.0/0"] })], egress: [tcp(targetPort, targetPort, { cidrBlocks: ["10.0.1.0/24"] })] }, { vpcId: "main-vpc" })
        .add(A.sg, "app-sg", { ingress: appIngress, egress: egressAll }, { vpcId: "main-vpc" })
        .add(A.lb, "web-lb", { loadBalancerType: type, internal: false }, { subnets: ["public-a"], ...(type === "application" ? { securityGroups: ["lb-sg"] } : {}) })
        .add(A.tg, "app-tg", { port: targetPort, protocol: type === "network" ? "TCP" : "HTTP", targetType: "instance" }, { vpcId: "main-vpc" })
        .add(A.listener, "web-listener", { port: listenerPort, protocol: type === "network" ? "TCP" : "HTTPS", defaultActions: [{ type: "forward" }] }, { loadBalancerArn: "web-lb", "defaultActions[0].targetGroupArn": "app-tg" })
        .add(A.instance, "app-1", { tags: { service: "api" } }, { subnetId: "app-a", vpcSecurityGroupIds: ["app-sg"] })
        .add(A.tgAttach, "app-1-attach", { port: targetPort }, { targetGroupArn: "app-tg", targetId: "app-1" });
}

// ---------------------------------------------------------------------------------------------
// Documented flows: `api-1` (service api, in app-a) → `orders-db` (RDS postgres in db-a and db-b).

interface FlowOptions {
    apiEgress?: unknown[];
    dbIngress?: unknown[];
    /** ACL entries of app-a and of the db subnets; undefined: AWS's default ACL. */
    appAcl?: { ingress: unknown[]; egress: unknown[] };
    dbAcl?: { ingress: unknown[]; egress: unknown[] };
    /** The subnets of the DB subnet group whose ACL is dbAcl (default both). */
    dbAclSubnets?: string[];
    dbSubnets?: string[];
    apiSubnet?: string;
}

const APP_ACL = { ingress: [entry(100, "allow", 1024, 65535, "10.0.2.0/23")], egress: [entry(100, "allow", 5432, 5432, "10.0.2.0/23")] };
const DB_ACL = { ingress: [entry(100, "allow", 5432, 5432, "10.0.1.0/24")], egress: [entry(100, "allow", 1024, 65535, "10.0.1.0/24")] };

function flows(o: FlowOptions = {}): Stack {
    const s = vpc()
        .add(A.sg, "api-sg", { ingress: [], egress: o.apiEgress ?? [tcp(5432, 5432, { cidrBlocks: ["10.0.2.0/23"] })] }, { vpcId: "main-vpc" })
        .add(A.sg, "db-sg", { ingress: o.dbIngress ?? [tcp(5432)], egress: [] }, { vpcId: "main-vpc", ...(o.dbIngress ? {} : { "ingress[0].securityGroups": ["api-sg"] }) })
        .add(A.instance, "api-1", { tags: { service: "api" } }, { subnetId: o.apiSubnet ?? "app-a", vpcSecurityGroupIds: ["api-sg"] })
        .add(A.dbSubnets, "db-subnets", {}, { subnetIds: o.dbSubnets ?? ["db-a", "db-b"] })
        .add(A.rds, "orders-db", { engine: "postgres", tags: { service: "postgres" } }, { dbSubnetGroupName: "db-subnets", vpcSecurityGroupIds: ["db-sg"] });
    if (o.appAcl) s.add(A.acl, "acl-app", o.appAcl, { vpcId: "main-vpc", subnetIds: ["app-a"] });
    if (o.dbAcl) s.add(A.acl, "acl-db", o.dbAcl, { vpcId: "main-vpc", subnetIds: o.dbAclSubnets ?? ["db-a", "db-b"] });
    return s;
}

const registryYaml = FLOWS_REGISTRY();

export const cases: Record<string, { valid: Case[]; invalid: Case[] }> = {
    "no-internet-path-to-internal-ports": {
        valid: [
            ...both("a private subnet: the world split over two groups, but no route to an internet gateway", (mode) => ({ resources: splitWorld("app-a").build(mode) })),
            ...both("a NAT-only subnet gives no way in, even with a public address", (mode) => ({ resources: splitWorld("db-a", { associatePublicIpAddress: true }).build(mode) })),
            ...both("a public subnet, but `associatePublicIpAddress: false`", (mode) => ({ resources: splitWorld("public-a", { associatePublicIpAddress: false }).build(mode) })),
            ...both("`publiclyAccessible` false (the default): an RDS instance in public subnets is not reached", (mode) => ({ resources: rds(["public-a"], {}).build(mode) })),
            ...both("an internet-facing ALB on a public port in front of an internal port", (mode) => ({ resources: balanced("application", 443, 8080, [tcp(8080, 8080, { securityGroups: ["lb-sg"] })]).build(mode) })),
            ...both("the ACL of the public subnet denies the port", (mode) => ({
                resources: splitWorld("public-a").add(A.acl, "public-acl", { ingress: [entry(90, "deny", 5432, 5432, "0.0.0.0/0"), ...openEntries], egress: openEntries }, { vpcId: "main-vpc", subnetIds: ["public-a"] }).build(mode),
            })),
            ...both("the ACL of the public subnet lets no reply out", (mode) => ({
                resources: splitWorld("public-a").add(A.acl, "public-acl", { ingress: openEntries, egress: [entry(100, "allow", 443, 443, "0.0.0.0/0")] }, { vpcId: "main-vpc", subnetIds: ["public-a"] }).build(mode),
            })),
            { name: "a stack of AWS resources without workloads", resources: vpc().build("update") },
        ],
        invalid: [
            ...both("the world split over two groups on an instance in a public subnet", (mode) => ({
                resources: splitWorld("public-a").build(mode),
                errors: [["exposed", null, { workload: "`orders-db`", placement: "`public-a`", ports: "tcp 5432 (postgres)", path: SPLIT_PATH }, "fixPath"]],
            })),
            ...both("an Elastic IP on an instance in a routed subnet without `mapPublicIpOnLaunch`", (mode) => ({
                resources: splitWorld("edge-a", {}, vpc().add(A.subnet, "edge-a", { cidrBlock: "10.0.9.0/24" }, { vpcId: "main-vpc" }).add(A.rta, "edge-a-rta", {}, { subnetId: "edge-a", routeTableId: "public-rt" }))
                    .add(A.eip, "db-eip", { domain: "vpc" }, { instance: "orders-db" }).build(mode),
                errors: [["exposed", null, { workload: "`orders-db`", path: /→ subnet `edge-a` \(Elastic IP `db-eip`\) →/ }]],
            })),
            ...both("`publiclyAccessible` true: an RDS instance in a public subnet group behind a world-open group", (mode) => ({
                resources: rds(["public-a"], { publiclyAccessible: true }).build(mode),
                errors: [["exposed", null, { workload: "`orders-db`", ports: "tcp 5432 (postgres)", path: /subnet `public-a` \(public endpoint: `publiclyAccessible`\) → .* → security groups `db-sg` \(`db-sg` ingress\[0\] \(tcp 5432 from 0\.0\.0\.0\/0\)\) → `orders-db`$/ }]],
            })),
            ...both("an internet-facing ALB whose listener is an internal port", (mode) => ({
                resources: balanced("application", 8080, 8080, [tcp(8080, 8080, { securityGroups: ["lb-sg"] })]).build(mode),
                errors: [["exposed", null, { workload: "`web-lb`", ports: "tcp 8080 (app)", path: /public IP|internet-facing load balancer/ }]],
            })),
            ...both("an internet-facing NLB keeps the client's address: its private target's group sees the internet", (mode) => ({
                resources: balanced("network", 443, 8080, [tcp(8080, 8080, { cidrBlocks: ["0.0.0.0/0"] })]).build(mode),
                errors: [["exposed", null, {
                    workload: "`app-1`", placement: "`app-a through `web-lb``", ports: "tcp 8080 (app)",
                    path: /internet gateway `main-igw` → .* → network load balancer `web-lb` \(listener tcp 443 → 8080, client address kept\) → network ACL `default` .* security groups `app-sg` \(`app-sg` ingress\[0\] \(tcp 8080 from 0\.0\.0\.0\/0\)\) → `app-1`$/,
                }]],
            })),
        ],
    },
    "documented-flows-reachable": {
        valid: [
            ...both("api → postgres through default ACLs and a group reference", (mode) => ({ registryYaml, resources: flows().build(mode) })),
            ...both("api → postgres through ACLs that admit the request and every reply port", (mode) => ({ registryYaml, resources: flows({ appAcl: APP_ACL, dbAcl: DB_ACL }).build(mode) })),
            ...both("same-subnet traffic crosses no ACL", (mode) => ({
                registryYaml,
                resources: flows({ apiSubnet: "db-a", dbSubnets: ["db-a"], apiEgress: [tcp(5432, 5432, { cidrBlocks: ["10.0.2.0/24"] })], dbAcl: { ingress: [], egress: [] }, dbAclSubnets: ["db-a"] }).build(mode),
            })),
        ],
        invalid: [
            ...both("a partial return-traffic entry: the reply dies for client ports 1024-32767", (mode) => ({
                registryYaml,
                resources: flows({ dbAcl: { ...DB_ACL, egress: [entry(100, "allow", 32768, 65535, "10.0.1.0/24")] } }).build(mode),
                errors: [["blocked", null, { client: "`api-1`", server: "`orders-db`", flow: "tcp 5432", why: "the reply dies at network ACL `acl-db` outbound: no network ACL entry allows tcp 1024-32767 to 10.0.1.0/24" }, "fixReply"]],
            })),
            ...both("a missing return-traffic entry", (mode) => ({
                registryYaml,
                resources: flows({ dbAcl: { ...DB_ACL, egress: [] } }).build(mode),
                errors: [["blocked", null, { why: "the reply dies at network ACL `acl-db` outbound: no network ACL entry allows tcp 1024-65535 to 10.0.1.0/24" }, "fixReply"]],
            })),
            ...both("the server's ACL denies the request", (mode) => ({
                registryYaml,
                resources: flows({ dbAcl: { ...DB_ACL, ingress: [entry(90, "deny", 5432, 5432, "10.0.0.0/16"), ...DB_ACL.ingress] } }).build(mode),
                errors: [["blocked", null, { why: /^the request dies at network ACL `acl-db` inbound: `acl-db` ingress\[0\] \(rule 90\) .* denies it$/ }, "fixAdd"]],
            })),
            ...both("the client's ACL lets the request out only to another subnet", (mode) => ({
                registryYaml,
                resources: flows({ appAcl: { ...APP_ACL, egress: [entry(100, "allow", 5432, 5432, "10.0.9.0/24")] } }).build(mode),
                errors: [["blocked", null, { why: "the request dies at network ACL `acl-app` outbound: no network ACL entry allows tcp 5432 to 10.0.2.0/24" }]],
            })),
            ...both("the client's ACL lets no reply back in", (mode) => ({
                registryYaml,
                resources: flows({ appAcl: { ...APP_ACL, ingress: [] } }).build(mode),
                errors: [["blocked", null, { why: "the reply dies at network ACL `acl-app` inbound: no network ACL entry allows tcp 1024-65535 from 10.0.2.0/24" }]],
            })),
            ...both("a client group without egress reaches nothing", (mode) => ({
                registryYaml,
                resources: flows({ apiEgress: [] }).build(mode),
                errors: [["blocked", null, { why: "the request dies at security groups `api-sg` outbound: no rule allows tcp 5432 to 10.0.2.0/24" }, "fixAdd"]],
            })),
            ...both("the server's group admits another range only", (mode) => ({
                registryYaml,
                resources: flows({ dbIngress: [tcp(5432, 5432, { cidrBlocks: ["10.9.0.0/16"] })] }).build(mode),
                errors: [["blocked", null, { why: "the request dies at security groups `db-sg` inbound: no security group rule allows tcp 5432 from 10.0.1.0/24" }]],
            })),
            ...both("a subnet group with one blocked subnet: the flow must get through in each", (mode) => ({
                registryYaml,
                resources: flows({ dbAcl: { ingress: [], egress: [] }, dbAclSubnets: ["db-b"] }).build(mode),
                errors: [["blocked", null, { why: "the request dies at network ACL `acl-db` inbound: no rule allows tcp 5432 from 10.0.1.0/24" }]],
            })),
        ],
    },
};
