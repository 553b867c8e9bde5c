// digitalocean-app-db: HTTPS load balancer -> app droplets -> managed PostgreSQL and Valkey, in one VPC.
//
// An example for the network graph of the internal-ports policy pack. Every Cloud Firewall below
// passes the pack's per-resource policies; two mistakes only show when the path a packet takes is
// followed through every layer (see README.md):
//   - the app droplets' firewall allows outbound traffic to PostgreSQL's usual port, 5432, but
//     DigitalOcean's managed PostgreSQL listens on 25060, and a Cloud Firewall blocks what it does
//     not expressly permit: the documented flow app -> orders-db dies on its way out;
//   - the Valkey cluster's trusted sources got 0.0.0.0/0 "to connect from a laptop": its public
//     hostname answers the whole internet on 25061.
import * as pulumi from "@pulumi/pulumi";
import * as digitalocean from "@pulumi/digitalocean";

const config = new pulumi.Config();
const region = config.get("region") ?? "ams3";
const appCount = config.getNumber("appCount") ?? 2;
// A plain string, so that the rules built from it are known at preview time.
const vpcRange = "10.120.0.0/20";
/** DigitalOcean's DNS resolvers, which droplets use by default. */
const resolvers = ["67.207.67.2/32", "67.207.67.3/32"];

const vpc = new digitalocean.Vpc("app-vpc", { region, ipRange: vpcRange, description: "app and data tiers" });

// Firewalls, load balancer and trusted sources find the droplets by tag; `service:<name>` says which
// service of ports.yaml a droplet or cluster serves.
const appTag = new digitalocean.Tag("app-tag", { name: "app-tier" });
const appService = new digitalocean.Tag("app-service", { name: "service:app-http" });

const apps = Array.from({ length: appCount }, (_, i) => new digitalocean.Droplet(`app-${i + 1}`, {
    image: "ubuntu-24-04-x64",
    region,
    size: "s-1vcpu-2gb",
    vpcUuid: vpc.id,
    monitoring: true,
    tags: [appTag.name, appService.name],
}));

const lb = new digitalocean.LoadBalancer("web-lb", {
    region,
    vpcUuid: vpc.id,
    dropletTag: appTag.name,
    redirectHttpToHttps: true,
    forwardingRules: [
        { entryPort: 443, entryProtocol: "https", targetPort: 8080, targetProtocol: "http", certificateName: "shop-example-com" },
        { entryPort: 80, entryProtocol: "http", targetPort: 8080, targetProtocol: "http" },
    ],
    healthcheck: { port: 8080, protocol: "http", path: "/healthz" },
});

// MISTAKE (documented flow): outbound to PostgreSQL on 5432, its usual port. DigitalOcean's managed
// PostgreSQL listens on 25060, and nothing here allows it: the app's queries never leave the droplet.
new digitalocean.Firewall("app-fw", {
    tags: [appTag.name],
    inboundRules: [{ protocol: "tcp", portRange: "8080", sourceLoadBalancerUids: [lb.id] }],
    outboundRules: [
        { protocol: "tcp", portRange: "443", destinationAddresses: ["0.0.0.0/0", "::/0"] },
        { protocol: "udp", portRange: "53", destinationAddresses: resolvers },
        { protocol: "tcp", portRange: "5432", destinationAddresses: [vpcRange] },
        { protocol: "tcp", portRange: "25061", destinationAddresses: [vpcRange] },
    ],
});

// ---------------------------------------------------------------------------------------------
// Managed data stores: each in the VPC, filtered only by its trusted sources (DatabaseFirewall).

const ordersService = new digitalocean.Tag("orders-service", { name: "service:do-postgres" });
const ordersDb = new digitalocean.DatabaseCluster("orders-db", {
    engine: "pg",
    version: "16",
    size: "db-s-1vcpu-2gb",
    region,
    nodeCount: 1,
    privateNetworkUuid: vpc.id,
    tags: [ordersService.name],
});
new digitalocean.DatabaseFirewall("orders-db-trusted", {
    clusterId: ordersDb.id,
    rules: [{ type: "tag", value: appTag.name }],
});

const sessionsService = new digitalocean.Tag("sessions-service", { name: "service:do-valkey" });
const sessions = new digitalocean.DatabaseCluster("sessions", {
    engine: "valkey",
    version: "8",
    size: "db-s-1vcpu-1gb",
    region,
    nodeCount: 1,
    privateNetworkUuid: vpc.id,
    tags: [sessionsService.name],
});
// MISTAKE (exposure): 0.0.0.0/0 added as a trusted source while debugging from home. No Cloud
// Firewall is involved, so no per-resource policy sees it; the path from the internet does.
new digitalocean.DatabaseFirewall("sessions-trusted", {
    clusterId: sessions.id,
    rules: [
        { type: "tag", value: appTag.name },
        { type: "ip_addr", value: "0.0.0.0/0" },
    ],
});

export const endpoint = lb.ip;
export const appIds = apps.map((a) => a.id);
