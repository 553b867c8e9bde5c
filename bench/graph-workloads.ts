// Deterministic stacks of whole networks for the graph benchmark: per unit a network with public and
// private segments, its filters and routes, and workloads tagged for the registry's `clients`, as
// the engine sends them on update (known ids in the outputs, property dependencies by input). Unit
// i depends on i only, so the first units of a large stack are the small stack.
import { ResourceInput } from "../driver/analyzer-client";

export type Cloud = "aws" | "azure" | "digitalocean" | "gcp" | "kubernetes";
export const GRAPH_CLOUDS: readonly Cloud[] = ["aws", "azure", "digitalocean", "gcp", "kubernetes"];

const urn = (type: string, name: string) => `urn:pulumi:bench::graph::${type}::${name}`;

interface Built {
    r: ResourceInput;
    urn: string;
}

function res(type: string, name: string, properties: Record<string, unknown>, deps: Record<string, Built[]> = {}): Built {
    const u = urn(type, name);
    const propertyDependencies = Object.fromEntries(Object.entries(deps).map(([k, bs]) => [k, bs.map((b) => b.urn)]));
    return { urn: u, r: { type, name, urn: u, properties, propertyDependencies } };
}

const T = {
    vpc: "aws:ec2/vpc:Vpc",
    igw: "aws:ec2/internetGateway:InternetGateway",
    subnet: "aws:ec2/subnet:Subnet",
    rt: "aws:ec2/routeTable:RouteTable",
    rta: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    acl: "aws:ec2/networkAcl:NetworkAcl",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    sgr: "aws:ec2/securityGroupRule:SecurityGroupRule",
    instance: "aws:ec2/instance:Instance",
    dbSubnets: "aws:rds/subnetGroup:SubnetGroup",
    db: "aws:rds/instance:Instance",
    vnet: "azure-native:network:VirtualNetwork",
    azSubnet: "azure-native:network:Subnet",
    nsg: "azure-native:network:NetworkSecurityGroup",
    pip: "azure-native:network:PublicIPAddress",
    nic: "azure-native:network:NetworkInterface",
    vm: "azure-native:compute:VirtualMachine",
    doVpc: "digitalocean:index/vpc:Vpc",
    doTag: "digitalocean:index/tag:Tag",
    droplet: "digitalocean:index/droplet:Droplet",
    doFw: "digitalocean:index/firewall:Firewall",
    doDb: "digitalocean:index/databaseCluster:DatabaseCluster",
    doDbFw: "digitalocean:index/databaseFirewall:DatabaseFirewall",
    ns: "kubernetes:core/v1:Namespace",
    deployment: "kubernetes:apps/v1:Deployment",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    service: "kubernetes:core/v1:Service",
    netpol: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    gcpNet: "gcp:compute/network:Network",
    gcpSubnet: "gcp:compute/subnetwork:Subnetwork",
    gcpFw: "gcp:compute/firewall:Firewall",
    gcpVm: "gcp:compute/instance:Instance",
};

const octet = (i: number) => i % 250;
// Each unit's services have ports of their own: ports.yaml gives a port to one service per protocol.
const dbPort = (i: number) => 20000 + i;
const webPort = (i: number) => 30000 + i;
const apiPort = (i: number) => 40000 + i;
const cachePort = (i: number) => 50000 + i;
const hex = (i: number, len = 17) => i.toString(16).padStart(len, "0");

/** 14 resources: a VPC with a public subnet (web instances) and a private one behind an ACL (an RDS database). */
function awsUnit(i: number): Built[] {
    const n = octet(i);
    const pg = dbPort(i);
    const id = (p: string) => `${p}-${hex(i)}`;
    const vpc = res(T.vpc, `vpc-${i}`, { id: id("vpc"), cidrBlock: `10.${n}.0.0/16` });
    const igw = res(T.igw, `igw-${i}`, { id: id("igw"), vpcId: id("vpc") }, { vpcId: [vpc] });
    const pub = res(
        T.subnet,
        `public-${i}`,
        { id: id("subnet-a"), vpcId: id("vpc"), cidrBlock: `10.${n}.0.0/24`, mapPublicIpOnLaunch: true },
        { vpcId: [vpc] },
    );
    const priv = res(
        T.subnet,
        `private-${i}`,
        { id: id("subnet-b"), vpcId: id("vpc"), cidrBlock: `10.${n}.1.0/24`, mapPublicIpOnLaunch: false },
        { vpcId: [vpc] },
    );
    const rt = res(
        T.rt,
        `public-rt-${i}`,
        { id: id("rtb"), vpcId: id("vpc"), routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: id("igw") }] },
        { vpcId: [vpc], routes: [igw] },
    );
    const rta = res(
        T.rta,
        `public-rta-${i}`,
        { id: id("rtbassoc"), subnetId: id("subnet-a"), routeTableId: id("rtb") },
        { subnetId: [pub], routeTableId: [rt] },
    );
    const acl = res(
        T.acl,
        `private-acl-${i}`,
        {
            id: id("acl"),
            vpcId: id("vpc"),
            subnetIds: [id("subnet-b")],
            ingress: [{ ruleNo: 100, action: "allow", protocol: "tcp", fromPort: pg, toPort: pg, cidrBlock: `10.${n}.0.0/24` }],
            // Replies only to 32768-65535: the documented flow's replies die for client ports 1024-32767 (a finding per unit).
            egress: [{ ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 32768, toPort: 65535, cidrBlock: `10.${n}.0.0/24` }],
        },
        { vpcId: [vpc], subnetIds: [priv] },
    );
    const webSg = res(
        T.sg,
        `web-sg-${i}`,
        {
            id: id("sg-a"),
            vpcId: id("vpc"),
            ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }],
            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
        },
        { vpcId: [vpc] },
    );
    const dbSg = res(
        T.sg,
        `db-sg-${i}`,
        {
            id: id("sg-b"),
            vpcId: id("vpc"),
            ingress: [{ protocol: "tcp", fromPort: pg, toPort: pg, securityGroups: [id("sg-a")] }],
        },
        { vpcId: [vpc], ingress: [webSg] },
    );
    const ssh = res(
        T.sgr,
        `web-ssh-${i}`,
        {
            id: id("sgrule"),
            type: "ingress",
            securityGroupId: id("sg-a"),
            protocol: "tcp",
            fromPort: 22,
            toPort: 22,
            cidrBlocks: ["10.0.0.0/8"],
        },
        { securityGroupId: [webSg] },
    );
    const web = (k: number) =>
        res(
            T.instance,
            `web-${i}-${k}`,
            {
                id: `i-${hex(i * 2 + k)}`,
                ami: "ami-0123456789abcdef0",
                instanceType: "t3.micro",
                subnetId: id("subnet-a"),
                vpcSecurityGroupIds: [id("sg-a")],
                tags: { service: `web-${i}` },
            },
            { subnetId: [pub], vpcSecurityGroupIds: [webSg] },
        );
    const dbSubnets = res(
        T.dbSubnets,
        `db-subnets-${i}`,
        { id: `db-subnets-${i}`, name: `db-subnets-${i}`, subnetIds: [id("subnet-b")] },
        { subnetIds: [priv] },
    );
    const db = res(
        T.db,
        `orders-db-${i}`,
        {
            id: `orders-db-${i}`,
            engine: "postgres",
            instanceClass: "db.t3.micro",
            port: pg,
            publiclyAccessible: false,
            dbSubnetGroupName: `db-subnets-${i}`,
            vpcSecurityGroupIds: [id("sg-b")],
            tags: { service: `postgres-${i}` },
        },
        { dbSubnetGroupName: [dbSubnets], vpcSecurityGroupIds: [dbSg] },
    );
    return [vpc, igw, pub, priv, rt, rta, acl, webSg, dbSg, ssh, web(0), web(1), dbSubnets, db];
}

/** 7 resources: a VNet whose subnet has an NSG, a VM whose NIC has its own NSG and a Standard public IP. */
function azureUnit(i: number): Built[] {
    const n = octet(i);
    const rg = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-${i % 16}/providers/Microsoft.Network`;
    const vnetId = `${rg}/virtualNetworks/vnet-${i}`;
    const vnet = res(T.vnet, `vnet-${i}`, {
        id: vnetId,
        name: `vnet-${i}`,
        resourceGroupName: `rg-${i % 16}`,
        addressSpace: { addressPrefixes: [`10.${n}.0.0/16`] },
    });
    const rule = (name: string, priority: number, direction: string, port: string, source: string) => ({
        name,
        priority,
        direction,
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefix: source,
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: port,
    });
    const subnetNsg = res(T.nsg, `snet-nsg-${i}`, {
        id: `${rg}/networkSecurityGroups/snet-nsg-${i}`,
        resourceGroupName: `rg-${i % 16}`,
        securityRules: [rule("https", 100, "Inbound", "443", "Internet"), rule("ssh", 110, "Inbound", "22", "10.0.0.0/8")],
    });
    const nicNsg = res(T.nsg, `nic-nsg-${i}`, {
        id: `${rg}/networkSecurityGroups/nic-nsg-${i}`,
        resourceGroupName: `rg-${i % 16}`,
        securityRules: [rule("https", 100, "Inbound", "443", "*"), rule("api", 120, "Inbound", String(apiPort(i)), "VirtualNetwork")],
    });
    const subnetId = `${vnetId}/subnets/app`;
    const subnet = res(
        T.azSubnet,
        `snet-${i}`,
        {
            id: subnetId,
            name: "app",
            resourceGroupName: `rg-${i % 16}`,
            virtualNetworkName: `vnet-${i}`,
            addressPrefix: `10.${n}.1.0/24`,
            networkSecurityGroup: { id: subnetNsg.r.properties.id },
        },
        { virtualNetworkName: [vnet], networkSecurityGroup: [subnetNsg] },
    );
    const pip = res(T.pip, `pip-${i}`, {
        id: `${rg}/publicIPAddresses/pip-${i}`,
        resourceGroupName: `rg-${i % 16}`,
        sku: { name: "Standard" },
        publicIPAllocationMethod: "Static",
    });
    const nicId = `${rg}/networkInterfaces/nic-${i}`;
    const nic = res(
        T.nic,
        `nic-${i}`,
        {
            id: nicId,
            resourceGroupName: `rg-${i % 16}`,
            networkSecurityGroup: { id: nicNsg.r.properties.id },
            ipConfigurations: [{ name: "ipconfig1", subnet: { id: subnetId }, publicIPAddress: { id: pip.r.properties.id } }],
        },
        { networkSecurityGroup: [nicNsg], ipConfigurations: [subnet, pip] },
    );
    const vm = res(
        T.vm,
        `vm-${i}`,
        {
            id: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-${i % 16}/providers/Microsoft.Compute/virtualMachines/vm-${i}`,
            resourceGroupName: `rg-${i % 16}`,
            tags: { service: `api-${i}` },
            networkProfile: { networkInterfaces: [{ id: nicId, primary: true }] },
        },
        { networkProfile: [nic] },
    );
    return [vnet, subnetNsg, nicNsg, subnet, pip, nic, vm];
}

/**
 * 12 resources: a VPC with public web droplets behind a Cloud Firewall by tag, a cache droplet
 * without public networking behind one by droplet id, and a managed database with its trusted
 * sources. The web firewall lets the cache's port out but not the database's (a finding per unit).
 */
function digitaloceanUnit(i: number): Built[] {
    const n = octet(i);
    const range = `10.${n}.16.0/20`;
    const uuid = (p: number) => `${hex(i, 8)}-000${p}-4000-8000-${hex(i, 12)}`;
    const vpc = res(T.doVpc, `do-vpc-${i}`, { id: uuid(1), name: `do-vpc-${i}`, region: "fra1", ipRange: range });
    const tag = (name: string) => res(T.doTag, `tag-${name}`, { id: name, name });
    const webTag = tag(`do-web-${i}`);
    const webSvc = tag(`service:do-web-${i}`);
    const cacheSvc = tag(`service:do-cache-${i}`);
    const dbSvc = tag(`service:do-db-${i}`);
    const dropletId = (k: number) => String(400000000 + i * 3 + k);
    const droplet = (name: string, k: number, tags: Built[], extra: Record<string, unknown> = {}) =>
        res(
            T.droplet,
            name,
            {
                id: dropletId(k),
                image: "ubuntu-24-04-x64",
                region: "fra1",
                size: "s-1vcpu-1gb",
                vpcUuid: uuid(1),
                ipv4AddressPrivate: `10.${n}.16.${2 + k}`,
                tags: tags.map((t) => t.r.properties.name),
                ...extra,
            },
            { vpcUuid: [vpc], tags },
        );
    const web0 = droplet(`do-web-${i}-0`, 0, [webTag, webSvc]);
    const web1 = droplet(`do-web-${i}-1`, 1, [webTag, webSvc]);
    const cache = droplet(`do-cache-${i}`, 2, [cacheSvc], { publicNetworking: false });
    const webFw = res(
        T.doFw,
        `do-web-fw-${i}`,
        {
            id: uuid(2),
            name: `do-web-fw-${i}`,
            tags: [`do-web-${i}`],
            inboundRules: [
                { protocol: "tcp", portRange: "443", sourceAddresses: ["0.0.0.0/0", "::/0"] },
                { protocol: "tcp", portRange: "22", sourceAddresses: ["10.0.0.0/8"] },
            ],
            outboundRules: [
                { protocol: "tcp", portRange: String(cachePort(i)), destinationAddresses: [range] },
                { protocol: "tcp", portRange: "443", destinationAddresses: ["0.0.0.0/0", "::/0"] },
            ],
        },
        { tags: [webTag] },
    );
    const cacheFw = res(
        T.doFw,
        `do-cache-fw-${i}`,
        {
            id: uuid(3),
            name: `do-cache-fw-${i}`,
            dropletIds: [Number(dropletId(2))],
            inboundRules: [{ protocol: "tcp", portRange: String(cachePort(i)), sourceTags: [`do-web-${i}`] }],
        },
        { dropletIds: [cache], inboundRules: [webTag] },
    );
    const db = res(
        T.doDb,
        `do-db-${i}`,
        {
            id: uuid(4),
            name: `do-db-${i}`,
            engine: "pg",
            version: "16",
            size: "db-s-1vcpu-1gb",
            region: "fra1",
            nodeCount: 1,
            port: dbPort(i),
            privateNetworkUuid: uuid(1),
            tags: [`service:do-db-${i}`],
        },
        { privateNetworkUuid: [vpc], tags: [dbSvc] },
    );
    const dbFw = res(
        T.doDbFw,
        `do-db-fw-${i}`,
        { id: uuid(5), clusterId: uuid(4), rules: [{ type: "tag", value: `do-web-${i}` }] },
        { clusterId: [db], rules: [webTag] },
    );
    return [vpc, webTag, webSvc, cacheSvc, dbSvc, web0, web1, cache, webFw, cacheFw, db, dbFw];
}

/**
 * 8 resources: a namespace that denies everything, a web Deployment behind a LoadBalancer (443 to
 * its internal container port: an exposure per unit), a database StatefulSet whose ingress policy
 * admits the web pods of the namespace by name, and the web pods' egress to it.
 */
function kubernetesUnit(i: number): Built[] {
    const name = `shop-${i}`;
    const meta = (n: string, labels: Record<string, string> = {}) => ({ name: n, namespace: name, labels });
    const ns = res(T.ns, `ns-${i}`, { metadata: { name, labels: { team: `team-${i % 16}` } } });
    const deps = { metadata: [ns] };
    const pods = (app: string, service: string, port: number, portName: string) => ({
        selector: { matchLabels: { app } },
        template: {
            metadata: { labels: { app, service } },
            spec: {
                containers: [{ name: app, image: `example/${app}:1`, ports: [{ name: portName, containerPort: port, protocol: "TCP" }] }],
            },
        },
    });
    const web = res(
        T.deployment,
        `kweb-${i}`,
        { metadata: meta(`kweb-${i}`), spec: { replicas: 2, ...pods("web", `kweb-${i}`, webPort(i), "https") } },
        deps,
    );
    const db = res(
        T.statefulSet,
        `kdb-${i}`,
        { metadata: meta(`kdb-${i}`), spec: { serviceName: "db", ...pods("db", `kpostgres-${i}`, dbPort(i), "pg") } },
        deps,
    );
    const lb = res(
        T.service,
        `kweb-lb-${i}`,
        {
            metadata: meta(`kweb-lb-${i}`),
            spec: { type: "LoadBalancer", selector: { app: "web" }, ports: [{ port: 443, targetPort: "https", protocol: "TCP" }] },
        },
        deps,
    );
    const dbSvc = res(
        T.service,
        `kdb-svc-${i}`,
        {
            metadata: meta(`kdb-svc-${i}`),
            spec: { type: "ClusterIP", selector: { app: "db" }, ports: [{ port: dbPort(i), targetPort: "pg", protocol: "TCP" }] },
        },
        deps,
    );
    const policy = (n: string, spec: Record<string, unknown>) => res(T.netpol, n, { metadata: meta(n), spec }, deps);
    const deny = policy(`deny-${i}`, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    const webPeer = {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } },
        podSelector: { matchLabels: { app: "web" } },
    };
    const dbIn = policy(`kdb-in-${i}`, {
        podSelector: { matchLabels: { app: "db" } },
        policyTypes: ["Ingress"],
        ingress: [{ from: [webPeer], ports: [{ port: "pg", protocol: "TCP" }] }],
    });
    const webOut = policy(`kweb-out-${i}`, {
        podSelector: { matchLabels: { app: "web" } },
        policyTypes: ["Egress", "Ingress"],
        egress: [{ to: [{ podSelector: { matchLabels: { app: "db" } } }], ports: [{ port: dbPort(i), protocol: "TCP" }] }],
        ingress: [{ ports: [{ port: "https", protocol: "TCP" }] }],
    });
    return [ns, web, db, lb, dbSvc, deny, dbIn, webOut];
}

/** 9 resources: a custom-mode VPC network with a web subnetwork (instances with external IPs) and a db one, firewall rules by tag. */
function gcpUnit(i: number): Built[] {
    const n = octet(i);
    const project = `projects/bench-${i % 16}`;
    const self = (path: string) => `https://www.googleapis.com/compute/v1/${project}/${path}`;
    const netPath = `global/networks/vpc-${i}`;
    const net = res(T.gcpNet, `vpc-${i}`, {
        id: `${project}/${netPath}`,
        selfLink: self(netPath),
        name: `vpc-${i}`,
        autoCreateSubnetworks: false,
    });
    const subnet = (name: string, third: number) => {
        const path = `regions/europe-west1/subnetworks/${name}-${i}`;
        return res(
            T.gcpSubnet,
            `${name}-${i}`,
            {
                id: `${project}/${path}`,
                selfLink: self(path),
                name: `${name}-${i}`,
                network: self(netPath),
                region: "europe-west1",
                ipCidrRange: `10.${n}.${third}.0/24`,
            },
            { network: [net] },
        );
    };
    const web = subnet("web", 0);
    const db = subnet("db", 1);
    const fw = (name: string, props: Record<string, unknown>) =>
        res(
            T.gcpFw,
            `${name}-${i}`,
            { id: `${project}/global/firewalls/${name}-${i}`, name: `${name}-${i}`, network: self(netPath), ...props },
            { network: [net] },
        );
    const https = fw("web-https", { allows: [{ protocol: "tcp", ports: ["443"] }], sourceRanges: ["0.0.0.0/0"], targetTags: ["web"] });
    const ssh = fw("ssh-internal", { allows: [{ protocol: "tcp", ports: ["22"] }], sourceRanges: ["10.0.0.0/8"] });
    // The database admits the `api` tag, not the web tier's `web`: the documented flow is blocked (a finding per unit).
    const pg = fw("db-from-api", { allows: [{ protocol: "tcp", ports: [String(dbPort(i))] }], sourceTags: ["api"], targetTags: ["db"] });
    const vm = (name: string, sub: Built, tag: string, service: string, external: boolean) => {
        const path = `zones/europe-west1-b/instances/${name}`;
        return res(
            T.gcpVm,
            name,
            {
                id: `${project}/${path}`,
                selfLink: self(path),
                name,
                zone: "europe-west1-b",
                machineType: "e2-small",
                tags: [tag],
                labels: { service },
                networkInterfaces: [
                    {
                        network: self(netPath),
                        subnetwork: sub.r.properties.selfLink,
                        ...(external ? { accessConfigs: [{ natIp: `203.0.113.${n}` }] } : {}),
                    },
                ],
            },
            { networkInterfaces: [net, sub] },
        );
    };
    return [
        net,
        web,
        db,
        https,
        ssh,
        pg,
        vm(`gweb-${i}-0`, web, "web", `web-${i}`, true),
        vm(`gweb-${i}-1`, web, "web", `web-${i}`, true),
        vm(`gdb-${i}`, db, "db", `postgres-${i}`, false),
    ];
}

const UNITS: Record<Cloud, (i: number) => Built[]> = {
    aws: awsUnit,
    azure: azureUnit,
    digitalocean: digitaloceanUnit,
    gcp: gcpUnit,
    kubernetes: kubernetesUnit,
};

/** The units that make a stack of `n` resources, in order. */
function units(n: number, clouds: readonly Cloud[]): { i: number; cloud: Cloud; built: Built[] }[] {
    const out: { i: number; cloud: Cloud; built: Built[] }[] = [];
    for (let i = 0, total = 0; total < n; i++) {
        const cloud = clouds[i % clouds.length];
        const built = UNITS[cloud](i);
        out.push({ i, cloud, built });
        total += built.length;
    }
    return out;
}

/** The index of the unit of `cloud` in the middle of a stack of `n` resources. */
export function middleUnit(n: number, cloud: Cloud, clouds: readonly Cloud[] = GRAPH_CLOUDS): number {
    const of = units(n, clouds).filter((u) => u.cloud === cloud);
    return of[Math.floor(of.length / 2)].i;
}

/** Exactly `n` resources, units of the given clouds in turn (the last one cut). */
export function graphStack(n: number, clouds: readonly Cloud[] = GRAPH_CLOUDS): ResourceInput[] {
    return units(n, clouds)
        .flatMap((u) => u.built.map((b) => b.r))
        .slice(0, n);
}

/**
 * The registry for a graph stack of `n` resources: each unit's documented flows (its web tier to its
 * database, the VNet's range to its api), so the pairs to check grow with the stack, as they do when
 * a stack holds more services rather than more clients of one.
 */
export function graphRegistryYaml(n: number, clouds: readonly Cloud[] = GRAPH_CLOUDS): string {
    const lines = [
        "knownCidrs: [10.0.0.0/8]",
        'ephemeralPorts: ["1024-65535"]',
        "services:",
        "  - { name: https, ports: [443], protocol: tcp, public: true, owner: web, description: storefront }",
        "  - { name: ssh, ports: [22], protocol: tcp, owner: ops, description: operators }",
    ];
    for (const u of units(n, clouds)) {
        if (u.cloud === "aws" || u.cloud === "gcp") {
            lines.push(`  - { name: web-${u.i}, ports: [${webPort(u.i)}], protocol: tcp, owner: web, description: web tier }`);
            lines.push(
                `  - { name: postgres-${u.i}, ports: [${dbPort(u.i)}], protocol: tcp, owner: data, description: orders database, clients: [{ service: web-${u.i} }] }`,
            );
        } else if (u.cloud === "digitalocean") {
            lines.push(`  - { name: do-web-${u.i}, ports: [${webPort(u.i)}], protocol: tcp, owner: web, description: web droplets }`);
            lines.push(
                `  - { name: do-cache-${u.i}, ports: [${cachePort(u.i)}], protocol: tcp, owner: data, description: cache droplet, clients: [{ service: do-web-${u.i} }] }`,
            );
            lines.push(
                `  - { name: do-db-${u.i}, ports: [${dbPort(u.i)}], protocol: tcp, owner: data, description: managed database, clients: [{ service: do-web-${u.i} }] }`,
            );
        } else if (u.cloud === "kubernetes") {
            lines.push(`  - { name: kweb-${u.i}, ports: [${webPort(u.i)}], protocol: tcp, owner: web, description: web pods }`);
            lines.push(
                `  - { name: kpostgres-${u.i}, ports: [${dbPort(u.i)}], protocol: tcp, owner: data, description: database pods, clients: [{ service: kweb-${u.i} }] }`,
            );
        } else {
            lines.push(
                `  - { name: api-${u.i}, ports: [${apiPort(u.i)}], protocol: tcp, owner: api, description: the api, clients: [{ cidr: 10.${octet(u.i)}.0.0/16 }] }`,
            );
        }
    }
    return lines.join("\n") + "\n";
}
