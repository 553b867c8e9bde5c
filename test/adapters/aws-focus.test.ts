// What `internal-ports explain` leaves unmodelled on an AWS stack (GraphAssembler.focus): whatever no
// chain of links (a literal naming another resource's identity, a property dependency) joins to the
// asked workloads, unless something else could tie it in. explain-focus.test.ts holds the answers to
// the whole graph's; this holds what is left out, and that the focus reads identities and links where
// the adapters do.
import { strict as assert } from "assert";
import { adapters } from "../../policies/adapters";
import { awsFocus, identities } from "../../policies/adapters/aws/focus";
import { SentResource } from "../../policies/adapters/support/assembler";
import { Link } from "../../policies/model/resources";
import { TopologyLink } from "../../policies/model/topology";
import { PLACEHOLDER_PREFIX, SECRET_SIG, SECRET_SIG_KEY, UNKNOWN } from "../../policies/wire/engine";
import { Input } from "../../policies/adapters/support/input";
import { FocusCase, focusTableTests } from "./focus-rows";

const T = {
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    acl: "aws:ec2/networkAcl:NetworkAcl",
    rt: "aws:ec2/routeTable:RouteTable",
    route: "aws:ec2/route:Route",
    eip: "aws:ec2/eip:Eip",
    instance: "aws:ec2/instance:Instance",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    tg: "aws:lb/targetGroup:TargetGroup",
    tga: "aws:lb/targetGroupAttachment:TargetGroupAttachment",
    listener: "aws:lb/listener:Listener",
    eks: "aws:eks/cluster:Cluster",
    nodes: "aws:eks/nodeGroup:NodeGroup",
};
const urn = (type: string, name: string) => `urn:pulumi:dev::p::${type}::${name}`;
const secret = (value: unknown) => ({ [SECRET_SIG_KEY]: SECRET_SIG, value });

function res(type: string, name: string, props: unknown, dependencies?: Record<string, string[]>): SentResource {
    return { type, urn: urn(type, name), props, ...(dependencies ? { dependencies } : {}) };
}

/** A VPC with a subnet, a group and an instance in it, linked by literal ids (an update). */
function network(n: string): SentResource[] {
    return [
        res(T.vpc, `${n}-vpc`, { id: `vpc-${n}`, cidrBlock: "10.0.0.0/16" }),
        res(T.subnet, `${n}-sub`, { id: `subnet-${n}`, vpcId: `vpc-${n}` }),
        res(T.sg, `${n}-sg`, {
            id: `sg-${n}`,
            name: `${n}-sg`,
            vpcId: `vpc-${n}`,
            ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443 }],
        }),
        res(T.instance, `${n}-vm`, { id: `i-${n}`, subnetId: `subnet-${n}`, vpcSecurityGroupIds: [`sg-${n}`] }),
    ];
}

/** The same network during preview: ids unknown, linked by property dependencies only. */
function previewNetwork(n: string): SentResource[] {
    const u = (type: string, what: string) => urn(type, `${n}-${what}`);
    return [
        res(T.vpc, `${n}-vpc`, { id: UNKNOWN, cidrBlock: "10.0.0.0/16" }),
        res(T.subnet, `${n}-sub`, { id: UNKNOWN, vpcId: UNKNOWN }, { vpcId: [u(T.vpc, "vpc")] }),
        res(T.sg, `${n}-sg`, { id: UNKNOWN, vpcId: UNKNOWN }, { vpcId: [u(T.vpc, "vpc")] }),
        res(
            T.instance,
            `${n}-vm`,
            { subnetId: UNKNOWN, vpcSecurityGroupIds: UNKNOWN },
            { subnetId: [u(T.subnet, "sub")], vpcSecurityGroupIds: [u(T.sg, "sg")] },
        ),
    ];
}

/** A list `depth` lists deep. */
function nested(depth: number): unknown {
    let v: unknown = "x";
    for (let i = 0; i < depth; i++) v = [v];
    return v;
}

const blue = network("blue");
const red = network("red");
const redNames = ["red-vpc", "red-sub", "red-sg", "red-vm"];
const api = blue[3];

type Case = FocusCase;

const cases: Case[] = [
    {
        name: "another VPC's subnets, groups and instances are left out",
        rows: [...blue, ...red],
        wanted: [api.urn],
        out: redNames,
    },
    {
        name: "during preview the links are the property dependencies: another VPC's are left out too",
        rows: [...previewNetwork("blue"), ...previewNetwork("red")],
        wanted: [urn(T.instance, "blue-vm")],
        out: redNames,
    },
    {
        name: "both asked workloads' VPCs are kept",
        rows: [...blue, ...red],
        wanted: [api.urn, red[3].urn],
        out: "all",
    },
    {
        name: "what names the asked workload's VPC, subnet, group or instance is kept: ACLs, route tables, routes, rules, addresses",
        rows: [
            ...blue,
            ...red,
            res(T.acl, "blue-acl", { id: "acl-blue", subnetIds: ["subnet-blue"] }),
            res(T.rt, "blue-rt", { id: "rtb-blue", vpcId: "vpc-blue", routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-x" }] }),
            res(T.route, "blue-route", { routeTableId: "rtb-blue", destinationCidrBlock: "0.0.0.0/0", gatewayId: "igw-y" }),
            res(T.sgRule, "blue-rule", { type: "ingress", securityGroupId: "sg-blue", protocol: "tcp", fromPort: 22, toPort: 22 }),
            res(T.eip, "blue-ip", { id: "eipalloc-blue", instance: "i-blue" }),
            res(T.rt, "red-rt", { id: "rtb-red", vpcId: "vpc-red", routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-x" }] }),
            res(T.route, "red-route", { routeTableId: "rtb-red", destinationCidrBlock: "0.0.0.0/0", gatewayId: "igw-y" }),
        ],
        wanted: [api.urn],
        out: [...redNames, "red-rt", "red-route"],
    },
    {
        name: "a rule of another VPC's group that names the asked group ties that VPC in (its group's layer names the asked members)",
        rows: [
            ...blue,
            ...red,
            res(T.sgRule, "red-from-blue", {
                type: "ingress",
                securityGroupId: "sg-red",
                sourceSecurityGroupId: "sg-blue",
                protocol: "tcp",
            }),
        ],
        wanted: [api.urn],
        out: "all",
    },
    {
        name: "a link to the longest identity of the stack is followed (longer strings are never looked up)",
        rows: [
            ...blue,
            ...red,
            res(T.sg, "long-id", { id: `sg-${"f".repeat(200)}`, vpcId: "vpc-blue" }),
            res(T.sgRule, "red-from-long", { type: "ingress", securityGroupId: "sg-red", sourceSecurityGroupId: `sg-${"f".repeat(200)}` }),
            res(T.instance, "user-data", { subnetId: "subnet-red", userData: `sg-${"f".repeat(201)}` }),
        ],
        wanted: [api.urn],
        out: "all",
    },
    {
        name: "a load balancer of another VPC in front of the asked instance is kept, and what it runs in",
        rows: [
            ...blue,
            ...red,
            res(T.lb, "red-nlb", { arn: "arn:lb/red", loadBalancerType: "network", subnets: ["subnet-red"] }),
            res(T.listener, "red-listen", { loadBalancerArn: "arn:lb/red", port: 443, defaultActions: [{ targetGroupArn: "arn:tg/red" }] }),
            res(T.tg, "red-tg", { arn: "arn:tg/red", port: 443, protocol: "TCP" }),
            res(T.tga, "red-to-blue", { targetGroupArn: "arn:tg/red", targetId: "i-blue" }),
        ],
        wanted: [api.urn],
        out: "all",
    },
    {
        name: "a name the asked instance carries (`securityGroups`) ties in every group of that name",
        rows: [...blue, ...red, res(T.instance, "by-name", { subnetId: "subnet-blue", securityGroups: ["red-sg"] })],
        wanted: [urn(T.instance, "by-name")],
        out: "all",
    },
    {
        name: "two VPCs' default groups share the name `default`: that alone ties nothing",
        rows: [
            ...blue,
            ...red,
            res(T.defaultSg, "blue-default", { id: "sg-blue-default", name: "default", vpcId: "vpc-blue" }),
            res(T.defaultSg, "red-default", { id: "sg-red-default", name: "default", vpcId: "vpc-red" }),
        ],
        wanted: [api.urn],
        out: [...redNames, "red-default"],
    },
    {
        name: "a tag naming another VPC's group is no link to it",
        rows: [
            ...blue,
            ...red,
            res(T.instance, "tagged", { subnetId: "subnet-blue", tags: { Name: "red-sg" }, tagsAll: { Name: "sg-red" } }),
        ],
        wanted: [urn(T.instance, "tagged")],
        out: redNames,
    },
    {
        name: "a link inside a secret is followed, and an id that is a secret still identifies (more than the models read)",
        rows: [
            ...blue,
            ...red,
            res(T.instance, "secret-link", { subnetId: secret("subnet-blue"), vpcSecurityGroupIds: [secret("sg-red")] }),
            res(T.sg, "secret-id", { id: secret("sg-hidden"), vpcId: "vpc-green" }),
            res(T.instance, "to-hidden", { subnetId: "subnet-blue", vpcSecurityGroupIds: ["sg-hidden"] }),
            // Holding the same value links nothing: only a value that is some resource's identity does.
            res(T.subnet, "green-sub", { id: "subnet-green", vpcId: "vpc-green" }),
        ],
        wanted: [urn(T.instance, "secret-link"), urn(T.instance, "to-hidden")],
        out: ["green-sub"],
    },
    {
        name: "a link unknown until update names nothing but its dependencies (stack.resolve finds no other): left out unless they join it",
        rows: [
            ...blue,
            ...red,
            res(T.sgRule, "unknown-group", { type: "ingress", securityGroupId: UNKNOWN, protocol: "tcp" }),
            res(
                T.sgRule,
                "unknown-to-blue",
                { type: "ingress", securityGroupId: UNKNOWN, protocol: "tcp" },
                { securityGroupId: [blue[2].urn] },
            ),
        ],
        wanted: [api.urn],
        out: [...redNames, "unknown-group"],
    },
    {
        name: "an id unknown until update, or a placeholder for unset config, identifies nothing: what holds the same joins nothing",
        rows: [
            ...blue,
            res(T.instance, "unknown-vm", { subnetId: UNKNOWN, vpcSecurityGroupIds: ["sg-blue", `${PLACEHOLDER_PREFIX}sg`] }),
            res(T.vpc, "unknown-vpc", { id: UNKNOWN }),
            res(T.sg, "placeholder-sg", { id: `${PLACEHOLDER_PREFIX}sg` }),
        ],
        wanted: [urn(T.instance, "unknown-vm")],
        out: ["unknown-vpc", "placeholder-sg"],
    },
    {
        name: "what the asked instance names outside the stack, or does not name (the default VPC), ties in nothing",
        rows: [...blue, ...red, res(T.instance, "default-vpc", { vpcSecurityGroupIds: ["sg-elsewhere"], ami: "ami-1" })],
        wanted: [urn(T.instance, "default-vpc")],
        out: [...blue, ...red].map((r) => r.urn.slice(r.urn.lastIndexOf("::") + 2)),
    },
    {
        name: "a resource that arrived without inputs, or with inputs of another shape, is kept (the provider's configuration may be unknown)",
        rows: [...blue, ...red, res(T.subnet, "empty", {}), res(T.subnet, "nothing", undefined), res(T.sg, "unknown-bag", UNKNOWN)],
        wanted: [api.urn],
        out: redNames,
    },
    {
        name: "dependencies of another shape, or on what is not in the stack, join nothing",
        rows: [
            ...blue,
            ...red,
            res(T.subnet, "odd-deps", { id: "subnet-o" }, { vpcId: "not-a-list" as unknown as string[], cidrBlock: [urn(T.vpc, "gone")] }),
        ],
        wanted: [api.urn],
        out: [...redNames, "odd-deps"],
    },
    {
        name: "a dependency given as a resource with a URN is followed",
        rows: [
            ...blue,
            ...red,
            res(T.sgRule, "dep-object", { protocol: "tcp" }, { securityGroupId: [{ urn: blue[2].urn } as unknown as string] }),
        ],
        wanted: [api.urn],
        out: redNames,
    },
    {
        name: "another provider's workload asked (it may run on EKS nodes): every EKS cluster and node group is kept, with what joins them",
        rows: [
            ...blue,
            ...red,
            res(T.eks, "red-eks", { name: "red-eks", vpcConfig: { subnetIds: ["subnet-red"] } }),
            res(T.nodes, "red-nodes", { clusterName: "red-eks", subnetIds: ["subnet-red"] }),
            res(T.vpc, "green-vpc", { id: "vpc-green" }),
        ],
        wanted: [api.urn, "urn:pulumi:dev::p::kubernetes:apps/v1:Deployment::web"],
        out: ["green-vpc"],
    },
    {
        name: "EKS clusters of other VPCs are left out when only AWS workloads are asked",
        rows: [
            ...blue,
            ...red,
            res(T.eks, "red-eks", { name: "red-eks", vpcConfig: { subnetIds: ["subnet-red"] } }),
            res(T.nodes, "red-nodes", { clusterName: "red-eks", subnetIds: ["subnet-red"] }),
        ],
        wanted: [api.urn],
        out: [...redNames, "red-eks", "red-nodes"],
    },
    {
        name: "no asked workload among the resources: nothing is left out",
        rows: [...blue, ...red],
        wanted: ["urn:pulumi:dev::p::kubernetes:apps/v1:Deployment::web"],
        out: "all",
    },
    {
        name: "inputs nested deeper than any adapter reads: nothing is left out",
        rows: [...blue, ...red, res(T.sg, "deep", { ingress: nested(80) })],
        wanted: [api.urn],
        out: "all",
    },
];

describe("aws focus: what explain need not model", () => {
    focusTableTests(awsFocus, cases);

    // Every AWS adapter, fed inputs whose every top-level key holds a string of its own: the identities the
    // model reads are among the focus's, and no link is read from a key the focus does not follow.
    const probe = new Proxy({}, { get: (_, k) => (typeof k === "string" ? `probe:${k}` : undefined) });
    for (const a of adapters.filter((x) => x.provider === "aws"))
        for (const type of a.types)
            it(`reads ${type}'s identity and links where its adapter does`, () => {
                const model = a.normalise(Input.root(probe), type);
                const ids = new Set(identities(probe));
                for (const v of model.identity) assert.ok(ids.has(v), `${v} is no identity the focus reads`);
                const links: (Link | TopologyLink)[] =
                    model.kind === "topology"
                        ? Object.values(model.links).flat()
                        : model.kind === "firewall"
                          ? [model.attachedTo, model.network, ...Object.values(model.links ?? {}).flat()].filter((l) => l !== undefined)
                          : model.targets;
                for (const l of links)
                    for (const key of ["id", "name", "arn", "tags", "tagsAll"])
                        assert.notEqual(l.literal, `probe:${key}`, `${type} links through \`${key}\``);
                assert.ok(model.identity.length > 0);
            });
});
