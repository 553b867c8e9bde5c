// gcp-vpc-stack: an orders service in one custom-mode VPC network: a web front end with an external
// IP, an orders API, its PostgreSQL instance and a bastion, each in its own subnetwork, each running
// as its own service account and carrying a network tag that the firewall rules target.
//
// An example for the internal-ports policy pack's network graph. Every rule below looks reasonable
// on its own; two paths through them do not (marked "MISTAKE"). See README.md.
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";

const config = new pulumi.Config();
const region = new pulumi.Config("gcp").get("region") ?? "europe-west1";
const zone = `${region}-b`;
/** The on-call VPN pool: it reaches the database directly. */
const vpnCidr = config.require("vpnCidr");
const machineType = config.get("machineType") ?? "e2-small";

const vpc = new gcp.compute.Network("orders-vpc", { autoCreateSubnetworks: false });

const subnet = (name: string, ipCidrRange: string) =>
    new gcp.compute.Subnetwork(name, {
        network: vpc.id, region, ipCidrRange, privateIpGoogleAccess: true,
        logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" },
    });
const webSubnet = subnet("web-subnet", "10.20.1.0/24");
const appSubnet = subnet("app-subnet", "10.20.2.0/24");
const dbSubnet = subnet("db-subnet", "10.20.3.0/24");
const mgmtSubnet = subnet("mgmt-subnet", "10.20.9.0/24");

const account = (name: string) => new gcp.serviceaccount.Account(name, { accountId: name, displayName: `${name} (orders)` });
const webSa = account("orders-web");
const apiSa = account("orders-api");
const dbSa = account("orders-db");
const opsSa = account("orders-ops");

/** An instance in `sub` with tag `tag`, label `service` (what ports.yaml calls it), optionally an external IP. */
function instance(name: string, sub: gcp.compute.Subnetwork, sa: gcp.serviceaccount.Account, tag: string, service: string, external = false) {
    return new gcp.compute.Instance(name, {
        zone, machineType, tags: [tag], labels: { service },
        bootDisk: { initializeParams: { image: "debian-cloud/debian-12" } },
        networkInterfaces: [{ subnetwork: sub.id, ...(external ? { accessConfigs: [{}] } : {}) }],
        serviceAccount: { email: sa.email, scopes: ["cloud-platform"] },
    });
}

instance("web-1", webSubnet, webSa, "web", "https", true);
instance("api-1", appSubnet, apiSa, "api", "app-http");
instance("db-1", dbSubnet, dbSa, "db", "postgres");
instance("bastion-1", mgmtSubnet, opsSa, "bastion", "ssh", true);

const rule = (name: string, args: Omit<gcp.compute.FirewallArgs, "network">) => new gcp.compute.Firewall(name, { network: vpc.id, ...args });

// The internet reaches the web front end on HTTPS only (443 is `public` in ports.yaml).
rule("web-https", { allows: [{ protocol: "tcp", ports: ["443"] }], sourceRanges: ["0.0.0.0/0"], targetTags: ["web"] });
// The web tier calls the API.
rule("api-from-web", { allows: [{ protocol: "tcp", ports: ["8080"] }], sourceServiceAccounts: [webSa.email], targetTags: ["api"] });
// MISTAKE: copied from api-from-web. The database admits the web tier's service account, not the
// API's: the API's requests hit GCP's implied deny-all ingress.
rule("db-from-app", { allows: [{ protocol: "tcp", ports: ["5432"] }], sourceServiceAccounts: [webSa.email], targetServiceAccounts: [dbSa.email] });
rule("db-from-vpn", { allows: [{ protocol: "tcp", ports: ["5432"] }], sourceRanges: [vpnCidr], targetServiceAccounts: [dbSa.email] });
// The API and the database never call out to the internet; everything else keeps the implied allow.
rule("no-egress-db", { direction: "EGRESS", denies: [{ protocol: "all" }], destinationRanges: ["0.0.0.0/0"], targetTags: ["db"], priority: 2000 });

// MISTAKE: a vendor's support engineers needed SSH "from anywhere" for a day. Two rules, each half of
// the IPv4 space, for the bastion's tag: neither is world-open on its own, together they are.
rule("vendor-ssh-low", { allows: [{ protocol: "tcp", ports: ["22"] }], sourceRanges: ["0.0.0.0/1"], targetTags: ["bastion"] });
rule("vendor-ssh-high", { allows: [{ protocol: "tcp", ports: ["22"] }], sourceRanges: ["128.0.0.0/1"], targetTags: ["bastion"] });
