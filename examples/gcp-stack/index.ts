// gcp-stack: a web application on Google Cloud (HTTPS load balancer -> web instances -> PostgreSQL
// on a database instance) in its own VPC network.
//
// This is an example for the internal-ports policy pack. Most firewall rules below are what a
// careful team writes; a few (marked "MISTAKE") are the kind of change that slips through review
// and that the pack must block. See README.md for the expected findings.
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";

const config = new pulumi.Config();
const gcpConfig = new pulumi.Config("gcp");
const region = gcpConfig.get("region") ?? "europe-west1";
/** Where the team's office traffic comes from (admin access). */
const officeCidr = config.require("officeCidr");
/** A partner's servers that push order updates to the sync service. */
const partnerCidr = config.require("partnerCidr");
const subnetCidr = config.get("subnetCidr") ?? "10.60.0.0/20";
const machineType = config.get("machineType") ?? "e2-standard-2";
/** Clients allowed to reach the Redis cache directly (unset in dev). */
const redisClientCidr = config.get("redisClientCidr") ?? "";

const labels = { project: pulumi.getProject(), stack: pulumi.getStack(), "managed-by": "pulumi" };

/** Google's documented ranges for load-balancer proxies and health checks. */
const googleFrontEnds = ["130.211.0.0/22", "35.191.0.0/16"];
/** Identity-Aware Proxy's TCP forwarding range: SSH through IAP, not from the internet. */
const iapRange = "35.235.240.0/20";

// ---------------------------------------------------------------------------------------------
// Network: one custom-mode VPC, one regional subnetwork, Cloud NAT for outbound traffic.
// ---------------------------------------------------------------------------------------------

const vpc = new gcp.compute.Network("shop-vpc", {
    autoCreateSubnetworks: false,
    routingMode: "REGIONAL",
    description: "Shop application network",
});

const subnet = new gcp.compute.Subnetwork("shop-subnet", {
    network: vpc.id,
    region,
    ipCidrRange: subnetCidr,
    privateIpGoogleAccess: true,
    logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" },
});

const router = new gcp.compute.Router("shop-router", { network: vpc.id, region });
new gcp.compute.RouterNat("shop-nat", {
    router: router.name,
    region,
    natIpAllocateOption: "AUTO_ONLY",
    sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
});

// ---------------------------------------------------------------------------------------------
// Workloads: instance templates with network tags and service accounts, which the rules target.
// ---------------------------------------------------------------------------------------------

const webAccount = new gcp.serviceaccount.Account("web-sa", { accountId: "shop-web", displayName: "Shop web servers" });
const dbAccount = new gcp.serviceaccount.Account("db-sa", { accountId: "shop-db", displayName: "Shop database" });

function template(name: string, tags: string[], account: gcp.serviceaccount.Account, diskSizeGb: number): gcp.compute.InstanceTemplate {
    return new gcp.compute.InstanceTemplate(name, {
        machineType,
        region,
        tags,
        labels,
        disks: [{ sourceImage: "debian-cloud/debian-12", autoDelete: true, boot: true, diskSizeGb }],
        networkInterfaces: [{ network: vpc.id, subnetwork: subnet.id }],
        serviceAccount: { email: account.email, scopes: ["cloud-platform"] },
        shieldedInstanceConfig: { enableSecureBoot: true },
    });
}

template("web-template", ["web"], webAccount, 20);
template("db-template", ["db"], dbAccount, 100);

// ---------------------------------------------------------------------------------------------
// Compliant VPC firewall rules.
// ---------------------------------------------------------------------------------------------

// allow-https: the web tier faces the internet on HTTP (redirect) and HTTPS only; both are
// `public` in ports.yaml.
new gcp.compute.Firewall("allow-https", {
    network: vpc.id,
    description: "HTTP and HTTPS to the web tier",
    sourceRanges: ["0.0.0.0/0", "::/0"],
    targetTags: ["web"],
    allows: [{ protocol: "tcp", ports: ["80", "443"] }],
});

// allow-health-checks: the load balancer's proxies and health checks reach the app port (8080).
new gcp.compute.Firewall("allow-health-checks", {
    network: vpc.id,
    description: "Load balancer and health checks to app-http",
    sourceRanges: googleFrontEnds,
    targetTags: ["web"],
    allows: [{ protocol: "tcp", ports: ["8080"] }],
});

// allow-postgres-from-web: PostgreSQL from the web servers' service account only.
new gcp.compute.Firewall("allow-postgres-from-web", {
    network: vpc.id,
    description: "PostgreSQL from the web tier",
    priority: 900,
    sourceServiceAccounts: [webAccount.email],
    targetServiceAccounts: [dbAccount.email],
    allows: [{ protocol: "tcp", ports: ["5432"] }],
});

// allow-ssh-iap: SSH through Identity-Aware Proxy.
new gcp.compute.Firewall("allow-ssh-iap", {
    network: vpc.id,
    description: "SSH through IAP TCP forwarding",
    sourceRanges: [iapRange],
    allows: [{ protocol: "tcp", ports: ["22"] }],
});

// allow-icmp: ping and path-MTU discovery from anywhere (icmp is `public` in ports.yaml).
new gcp.compute.Firewall("allow-icmp", {
    network: vpc.id,
    sourceRanges: ["0.0.0.0/0"],
    allows: [{ protocol: "icmp" }],
});

// deny-smtp-egress: no instance sends mail directly.
new gcp.compute.Firewall("deny-smtp-egress", {
    network: vpc.id,
    direction: "EGRESS",
    priority: 100,
    destinationRanges: ["0.0.0.0/0"],
    denies: [{ protocol: "tcp", ports: ["25", "465", "587"] }],
});

// legacy-debug: kept for incident response, switched off. A disabled rule is not enforced, so the
// pack does not judge it; enabling it would be blocked (every port from the internet).
new gcp.compute.Firewall("legacy-debug", {
    network: vpc.id,
    description: "Incident response only: enable with a change ticket",
    disabled: true,
    sourceRanges: ["0.0.0.0/0"],
    allows: [{ protocol: "all" }],
});

// ---------------------------------------------------------------------------------------------
// A network firewall policy: evaluated before the VPC rules (networkFirewallPolicyEnforcementOrder).
// ---------------------------------------------------------------------------------------------

const policy = new gcp.compute.NetworkFirewallPolicy("shop-policy", { description: "Shop network firewall policy" });
new gcp.compute.NetworkFirewallPolicyAssociation("shop-policy-association", {
    firewallPolicy: policy.name,
    attachmentTarget: vpc.id,
});

// policy-deny-malicious: Google's threat list of known malicious addresses, dropped first.
new gcp.compute.NetworkFirewallPolicyRule("policy-deny-malicious", {
    firewallPolicy: policy.name,
    priority: 100,
    direction: "INGRESS",
    action: "deny",
    match: { srcThreatIntelligences: ["iplist-known-malicious-ips"], layer4Configs: [{ ipProtocol: "all" }] },
});

// policy-admin-from-office: the admin endpoint (HTTPS) and SSH for the office.
new gcp.compute.NetworkFirewallPolicyRule("policy-admin-from-office", {
    firewallPolicy: policy.name,
    priority: 200,
    direction: "INGRESS",
    action: "allow",
    match: { srcIpRanges: [officeCidr], layer4Configs: [{ ipProtocol: "tcp", ports: ["22", "443"] }] },
});

// policy-internal-to-vpc: everything else inside the VPC is left to the VPC firewall rules.
new gcp.compute.NetworkFirewallPolicyRule("policy-internal-to-vpc", {
    firewallPolicy: policy.name,
    priority: 1000,
    direction: "INGRESS",
    action: "goto_next",
    match: { srcIpRanges: [subnetCidr], layer4Configs: [{ ipProtocol: "all" }] },
});

// ---------------------------------------------------------------------------------------------
// Non-compliant firewall rules: realistic mistakes the policy pack must block.
// ---------------------------------------------------------------------------------------------

// MISTAKE: the default network's "allow-ssh" rule, recreated by hand: SSH from the whole internet
// instead of through IAP. Blocked by no-world-open-internal-ports (ssh 22/tcp is internal).
new gcp.compute.Firewall("allow-ssh-anywhere", {
    network: vpc.id,
    description: "SSH (copied from the default network)",
    priority: 65534,
    sourceRanges: ["0.0.0.0/0"],
    allows: [{ protocol: "tcp", ports: ["22"] }],
});

// MISTAKE: the Redis clients' range comes from config, which this stack does not set: the rule is
// sent with sourceRanges [""], which GCP treats as no source at all, so it applies to 0.0.0.0/0.
// Blocked by no-world-open-internal-ports (redis 6379/tcp is internal).
new gcp.compute.Firewall("allow-redis-clients", {
    network: vpc.id,
    description: "Redis from the clients range",
    sourceRanges: [redisClientCidr],
    targetTags: ["cache"],
    allows: [{ protocol: "tcp", ports: ["6379"] }],
});

// MISTAKE: the batch workers' RPC range was never documented in ports.yaml.
// Blocked by documented-ports-only (tcp 7400-7410 is in no service of ports.yaml).
new gcp.compute.Firewall("allow-batch-rpc", {
    network: vpc.id,
    description: "Batch worker RPC",
    sourceTags: ["batch"],
    targetTags: ["batch"],
    allows: [{ protocol: "tcp", ports: ["7400-7410"] }],
});

// MISTAKE: the partner sync rule names the protocol but no ports, which in GCP means every tcp port.
// Blocked by documented-ports-only (every tcp port, documented or not, from the partner's range).
new gcp.compute.Firewall("allow-partner-sync", {
    network: vpc.id,
    description: "Order sync from the partner",
    sourceRanges: [partnerCidr],
    targetTags: ["web"],
    allows: [{ protocol: "tcp" }],
});

// MISTAKE: the Kubernetes API opened to everyone in the policy, "until the VPN is ready".
// Blocked by no-world-open-internal-ports (kube-apiserver 6443/tcp is internal).
new gcp.compute.NetworkFirewallPolicyRule("policy-allow-kube-api", {
    firewallPolicy: policy.name,
    priority: 300,
    direction: "INGRESS",
    action: "allow",
    match: { srcIpRanges: ["0.0.0.0/0"], layer4Configs: [{ ipProtocol: "tcp", ports: ["6443"] }] },
});

export const networkId = vpc.id;
export const subnetworkId = subnet.id;
export const firewallPolicyId = policy.id;
