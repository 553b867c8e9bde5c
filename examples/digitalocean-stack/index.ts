// digitalocean-stack: a web application on DigitalOcean (load balancer -> web droplets -> PostgreSQL
// droplet, with a Redis cache and a monitoring droplet) in its own VPC.
//
// This is an example for the internal-ports policy pack. Most firewall rules below are what a
// careful team writes; a few (marked "MISTAKE") are the kind of change that slips through review
// and that the pack must block. See README.md for the expected findings.
import * as pulumi from "@pulumi/pulumi";
import * as digitalocean from "@pulumi/digitalocean";

const config = new pulumi.Config();
const region = config.get("region") ?? "fra1";
/** Where the team's office traffic comes from (SSH to the bastion). */
const officeCidr = config.require("officeCidr");
/** A range that kept probing the web servers: denied outright. */
const blockedCidr = config.require("blockedCidr");
const vpcRange = config.get("vpcRange") ?? "10.110.0.0/20";
const size = config.get("dropletSize") ?? "s-2vcpu-4gb";
const image = config.get("image") ?? "ubuntu-24-04-x64";
const webCount = config.getNumber("webCount") ?? 2;

/** Every address: the only sources that may reach a `public` port. */
const anywhere = ["0.0.0.0/0", "::/0"];

// ---------------------------------------------------------------------------------------------
// Network, access and droplets. Firewalls attach to droplets by tag, so scaling a tier needs no
// firewall change.
// ---------------------------------------------------------------------------------------------

const vpc = new digitalocean.Vpc("shop-vpc", { region, ipRange: vpcRange, description: "Shop application network" });
const sshKey = new digitalocean.SshKey("ops-key", { publicKey: config.require("sshPublicKey") });

const tier = (name: string) => new digitalocean.Tag(`${name}-tag`, { name: `shop-${name}` });
const webTag = tier("web");
const dbTag = tier("db");
const cacheTag = tier("cache");
const monitoringTag = tier("monitoring");
const bastionTag = tier("bastion");

function droplet(name: string, tag: digitalocean.Tag, dropletSize = size): digitalocean.Droplet {
    return new digitalocean.Droplet(name, {
        image,
        region,
        size: dropletSize,
        vpcUuid: vpc.id,
        sshKeys: [sshKey.fingerprint],
        monitoring: true,
        tags: [tag.name],
    });
}

for (let i = 0; i < webCount; i++) droplet(`web-${i}`, webTag);
droplet("db-0", dbTag, "s-4vcpu-8gb");
droplet("cache-0", cacheTag);
droplet("monitoring-0", monitoringTag);
droplet("bastion-0", bastionTag, "s-1vcpu-1gb");

const lb = new digitalocean.LoadBalancer("web-lb", {
    region,
    vpcUuid: vpc.id,
    dropletTag: webTag.name,
    forwardingRules: [{ entryPort: 80, entryProtocol: "http", targetPort: 8080, targetProtocol: "http" }],
    healthcheck: { port: 8080, protocol: "http", path: "/healthz" },
});

// ---------------------------------------------------------------------------------------------
// Compliant firewalls.
// ---------------------------------------------------------------------------------------------

// egress-baseline: outbound traffic every tier needs (DNS, NTP, package mirrors and APIs over
// HTTPS, ICMP), in one firewall attached to every tier. Droplets combine the rules of all their
// firewalls.
new digitalocean.Firewall("egress-baseline", {
    tags: [webTag.name, dbTag.name, cacheTag.name, monitoringTag.name, bastionTag.name],
    outboundRules: [
        { protocol: "udp", portRange: "53", destinationAddresses: anywhere },
        { protocol: "tcp", portRange: "53", destinationAddresses: anywhere },
        { protocol: "udp", portRange: "123", destinationAddresses: anywhere },
        { protocol: "tcp", portRange: "443", destinationAddresses: anywhere },
        { protocol: "icmp", destinationAddresses: anywhere },
    ],
});

// web-fw: the app port only from the load balancer, SSH from the bastion, ping from anywhere
// (icmp is `public` in ports.yaml), and a deny for the range that kept probing. DigitalOcean
// applies deny rules before allow rules.
new digitalocean.Firewall("web-fw", {
    tags: [webTag.name],
    inboundRules: [
        { protocol: "tcp", portRange: "8080", sourceLoadBalancerUids: [lb.id] },
        { protocol: "tcp", portRange: "22", sourceTags: [bastionTag.name] },
        { protocol: "icmp", sourceAddresses: anywhere },
        { protocol: "tcp", portRange: "all", sourceAddresses: [blockedCidr], action: "deny" },
    ],
    outboundRules: [
        { protocol: "tcp", portRange: "5432", destinationTags: [dbTag.name] },
        { protocol: "tcp", portRange: "6379", destinationTags: [cacheTag.name] },
    ],
});

// db-fw: PostgreSQL from the web droplets, node-exporter metrics from monitoring, SSH from the bastion.
new digitalocean.Firewall("db-fw", {
    tags: [dbTag.name],
    inboundRules: [
        { protocol: "tcp", portRange: "5432", sourceTags: [webTag.name] },
        { protocol: "tcp", portRange: "9100", sourceTags: [monitoringTag.name] },
        { protocol: "tcp", portRange: "22", sourceTags: [bastionTag.name] },
    ],
});

// bastion-fw: SSH from the office only.
new digitalocean.Firewall("bastion-fw", {
    tags: [bastionTag.name],
    inboundRules: [{ protocol: "tcp", portRange: "22", sourceAddresses: [officeCidr] }],
    outboundRules: [{ protocol: "tcp", portRange: "22", destinationAddresses: [vpcRange] }],
});

// ---------------------------------------------------------------------------------------------
// Non-compliant firewalls: realistic mistakes the policy pack must block.
// ---------------------------------------------------------------------------------------------

// MISTAKE: a worker outside this VPC could not be addressed by tag, so Redis was opened to
// everyone. Blocked by no-world-open-internal-ports (redis 6379/tcp is internal).
new digitalocean.Firewall("cache-fw", {
    tags: [cacheTag.name],
    inboundRules: [
        { protocol: "tcp", portRange: "6379", sourceTags: [webTag.name] },
        { protocol: "tcp", portRange: "6379", sourceAddresses: anywhere },
    ],
});

// MISTAKE: "Prometheus scrapes whatever it needs": every tcp port of the web droplets from the
// monitoring droplet. A tag is not the internet, but the rule opens every undocumented port.
// Blocked by documented-ports-only.
new digitalocean.Firewall("monitoring-fw", {
    tags: [webTag.name],
    inboundRules: [{ protocol: "tcp", portRange: "all", sourceTags: [monitoringTag.name] }],
});

// MISTAKE: the Node.js inspector left reachable from anywhere after a debugging session.
// Blocked by no-world-open-internal-ports (tcp 9229 is undocumented, so internal) and by
// documented-ports-only (no service in ports.yaml documents it).
new digitalocean.Firewall("debug-fw", {
    tags: [webTag.name],
    inboundRules: [{ protocol: "tcp", portRange: "9229", sourceAddresses: anywhere }],
});

export const vpcId = vpc.id;
export const loadBalancerIp = lb.ip;
