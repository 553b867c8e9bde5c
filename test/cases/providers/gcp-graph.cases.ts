// Google Cloud stacks for the two network-graph policies, as the engine sends them to AnalyzeStack
// (gcp-graph-stacks.ts builds each stack as preview and as update sends it). VPC firewall rules apply
// per network to the instances their target tags or service accounts select, in priority order with
// a deny winning at equal priority, after hierarchical policies and (by default) before network
// firewall policies; GCP's implied rules deny all ingress and allow all egress.
import { PolicyCase, UNKNOWN } from "../../helpers";
import { CaseTable } from "../index";
import { all, FLOWS_REGISTRY, G, Mode, network, Stack, tcp, vm } from "./gcp-graph-stacks";

/** The same stack as preview and as update sends it: two rows. */
function both(
    name: string,
    make: (s: Stack) => void,
    expect: Omit<PolicyCase, "name" | "resources"> = {},
    empty: string[] = [],
): PolicyCase[] {
    return (["preview", "update"] as const).map((mode) => one(`${name} (${mode})`, mode, make, expect, empty));
}
function one(
    name: string,
    mode: Mode,
    make: (s: Stack) => void,
    expect: Omit<PolicyCase, "name" | "resources"> = {},
    empty: string[] = [],
): PolicyCase {
    const s = network();
    make(s);
    return { name, registryYaml: FLOWS_REGISTRY(), resources: s.build(mode, empty), ...expect };
}

const WORLD = ["0.0.0.0/0"];
const VPC = { network: "vpc" };
/** `web-1` with an external IP in `web-subnet`, tagged `web`. */
const web = (s: Stack, o: { account?: string; external?: boolean } = {}) =>
    vm(s, "web-1", "web-subnet", { tags: ["web"], external: o.external ?? true, ...(o.account ? { account: o.account } : {}) });
const sshFromWorld = (s: Stack, fwName = "ssh-world", extra: Record<string, unknown> = {}, refs: Record<string, string> = {}) =>
    s.add(G.firewall, fwName, { allows: [tcp(22)], sourceRanges: WORLD, ...extra }, { ...VPC, ...refs });
const policy = (s: Stack, o: { action: string; priority?: number; ports?: string[] }) => {
    s.add(G.policy, "net-policy", {});
    s.add(G.policyAssoc, "net-policy-vpc", { name: "net-policy-vpc" }, { firewallPolicy: "net-policy", attachmentTarget: "vpc#id" });
    s.add(
        G.policyRule,
        "policy-ssh",
        {
            priority: o.priority ?? 100,
            direction: "INGRESS",
            action: o.action,
            match: { srcIpRanges: WORLD, layer4Configs: [{ ipProtocol: "tcp", ports: o.ports ?? ["22"] }] },
        },
        { firewallPolicy: "net-policy" },
    );
};
/** Before the VPC rules: the network's `networkFirewallPolicyEnforcementOrder`. */
const policyFirst = (s: Stack) =>
    s.add(G.network, "vpc", { autoCreateSubnetworks: false, networkFirewallPolicyEnforcementOrder: "BEFORE_CLASSIC_FIREWALL" });

/** A network policy enforced first whose rule opens ssh to the world for instances bound to the secure tag value `tier-web`. */
const secureTagged = (s: Stack, bound: string) => {
    policyFirst(s);
    vm(s, "other-1", "web-subnet", { tags: ["other"] });
    s.add(G.tagValue, "tier-web", { shortName: "web" });
    s.add(G.tagBinding, "tier-web-binding", {}, { tagValue: "tier-web", parent: `${bound}#instanceId` });
    s.add(
        G.policyWithRules,
        "tier-policy",
        {
            rules: [
                {
                    priority: 100,
                    direction: "INGRESS",
                    action: "allow",
                    match: { srcIpRanges: WORLD, layer4Configs: [{ ipProtocol: "tcp", ports: ["22"] }] },
                    targetSecureTags: [{ name: "" }],
                },
            ],
        },
        { "rules[0].targetSecureTags[0].name": "tier-web" },
    );
    s.add(G.policyAssoc, "tier-policy-vpc", {}, { firewallPolicy: "tier-policy", attachmentTarget: "vpc#id" });
};

/** A hierarchical policy associated with a folder: whether this project is under it is outside the stack. */
const folderPolicy = (s: Stack, action: string) => {
    s.add(G.hierPolicy, "org-policy", { parent: "organizations/123", shortName: "org" });
    s.add(G.hierAssoc, "org-policy-folder", { name: "folder", attachmentTarget: "folders/42" }, { firewallPolicy: "org-policy#id" });
    s.add(
        G.hierRule,
        "org-ssh",
        {
            priority: 100,
            direction: "INGRESS",
            action,
            match: { srcIpRanges: WORLD, layer4Configs: [{ ipProtocol: "tcp", ports: ["22"] }] },
        },
        { firewallPolicy: "org-policy#id" },
    );
};
const FOLDER =
    "hierarchical firewall policy `org-policy` is associated with an organization or folder (`org-policy-folder`): whether this project is under it is outside this stack";

const EXPOSED_SSH = (path: RegExp | string, workload = "`web-1`"): PolicyCase["errors"] => [
    ["exposed", null, { workload, ports: "tcp 22 (ssh)", path }, "fixPath"],
];
const NET_ROUTE =
    "internet → network `vpc` (default route 0.0.0.0/0 → default internet gateway) → an external IP on `web-1` nic0 (`accessConfigs`)";

/** A managed instance group of `web-tpl` instances behind an external passthrough load balancer on 8080. */
const lb = (s: Stack, scheme?: string) => {
    s.add(
        G.template,
        "web-tpl",
        { machineType: "e2-small", tags: ["web"], disks: [{ sourceImage: "debian-12" }], networkInterfaces: [{}] },
        { "networkInterfaces[0].subnetwork": "web-subnet" },
    );
    s.add(G.pool, "web-pool", { region: "europe-west1" });
    s.add(
        G.igm,
        "web-mig",
        { zone: "europe-west1-b", baseInstanceName: "web", targetSize: 2, versions: [{}], targetPools: [""] },
        { "versions[0].instanceTemplate": "web-tpl", "targetPools[0]": "web-pool" },
    );
    s.add(
        G.fr,
        "web-lb",
        { region: "europe-west1", ipProtocol: "TCP", portRange: "8080", ...(scheme ? { loadBalancingScheme: scheme } : {}) },
        { target: "web-pool" },
    );
    s.add(G.firewall, "web-in", { allows: [tcp(8080, 22)], sourceRanges: WORLD, targetTags: ["web"] }, VPC);
};
const sql = (s: Stack, ipConfiguration: Record<string, unknown>, refs: Record<string, string> = {}) =>
    s.add(
        G.sql,
        "orders-db",
        {
            databaseVersion: "POSTGRES_15",
            region: "europe-west1",
            settings: { tier: "db-f1-micro", userLabels: { service: "postgres" }, ipConfiguration },
        },
        refs,
    );

/**
 * pulumi-gcp's examples/webserver: `networkInterfaces: [{ network: fw.network }]`. In preview the value is
 * unknown and its only dependency is the firewall rule; in update it is the network the rule is on
 * (`fwNetwork`: the network's self link, or a literal outside the stack).
 */
const onFirewallsNetwork = (s: Stack, mode: Mode, fwNetwork: string = "vpc#selfLink") => {
    s.add(G.network, "vpc", { autoCreateSubnetworks: true });
    s.add(G.firewall, "fw", { allows: [tcp(22, 5432)], sourceRanges: WORLD }, { network: fwNetwork });
    s.add(
        G.instance,
        "vm",
        { machineType: "e2-micro", zone: "us-central1-a", networkInterfaces: [{ accessConfigs: [{}] }] },
        { "networkInterfaces[0].network": mode === "preview" ? "fw" : fwNetwork },
    );
};
const SHARED = "out:projects/shared/global/networks/shared";

const noInternetPath: CaseTable = {
    valid: [
        ...both("a world-open rule whose target tag no instance carries", (s) => {
            web(s);
            sshFromWorld(s, "ssh-bastion", { targetTags: ["bastion"] });
        }),
        ...both("a world-open rule on an instance without an external IP: no way in (no-world-open-internal-ports' concern)", (s) => {
            web(s, { external: false });
            sshFromWorld(s);
        }),
        ...both("a higher-priority deny closes the world-open allow", (s) => {
            web(s);
            sshFromWorld(s);
            s.add(G.firewall, "no-ssh", { priority: 100, denies: [tcp(22)], sourceRanges: WORLD }, VPC);
        }),
        ...both("a deny wins over an allow at equal priority", (s) => {
            web(s);
            sshFromWorld(s);
            s.add(G.firewall, "no-ssh", { denies: [tcp(22)], sourceRanges: WORLD }, VPC);
        }),
        ...both("the implied deny-all ingress: no rule, no way in", (s) => web(s)),
        ...both("a rule for another service account does not open this instance", (s) => {
            web(s, { account: "web-sa" });
            sshFromWorld(s, "ssh-sa", { targetServiceAccounts: [""] }, { "targetServiceAccounts[0]": "db-sa" });
        }),
        ...both("deleteDefaultRoutesOnCreate and no route to the default internet gateway: no way in", (s) => {
            s.add(G.network, "vpc", { autoCreateSubnetworks: false, deleteDefaultRoutesOnCreate: true });
            web(s);
            sshFromWorld(s);
        }),
        ...both("a world-open rule of another network", (s) => {
            s.add(G.network, "other", { autoCreateSubnetworks: false });
            web(s);
            s.add(G.firewall, "ssh-other", { allows: [tcp(22)], sourceRanges: WORLD }, { network: "other" });
        }),
        ...both("a network firewall policy enforced first denies what the VPC rule allows", (s) => {
            policyFirst(s);
            web(s);
            sshFromWorld(s);
            policy(s, { action: "deny" });
        }),
        ...both("a policy rule for a secure tag bound to another instance", (s) => {
            web(s);
            secureTagged(s, "other-1");
        }),
        ...both("the load balancer carries only its port: ssh open on its targets is not reached through it", (s) => {
            lb(s);
            s.add(G.firewall, "web-in", { allows: [tcp(22)], sourceRanges: WORLD, targetTags: ["web"] }, VPC);
        }),
        ...both("an internal load balancer is no way in from the internet", (s) => lb(s, "INTERNAL")),
        ...both("Cloud SQL with a private IP only", (s) =>
            sql(s, { ipv4Enabled: false }, { "settings.ipConfiguration.privateNetwork": "vpc#id" }),
        ),
        ...both("Cloud SQL's public IP admits only its authorized networks", (s) =>
            sql(s, { ipv4Enabled: true, authorizedNetworks: [{ name: "office", value: "198.51.100.0/24" }] }),
        ),
        ...both("an allow whose sources are unknown until update proves nothing", (s) => {
            web(s);
            sshFromWorld(s, "ssh-x", { sourceRanges: [UNKNOWN] });
        }),
    ],
    invalid: [
        ...both(
            "a rule without targets applies to every instance of the network: the path, hop by hop",
            (s) => {
                web(s);
                sshFromWorld(s);
            },
            {
                errors: EXPOSED_SSH(
                    `${NET_ROUTE} → firewall of network \`vpc\` (\`ssh-world\` allows[0] (priority 1000) (tcp 22 from 0.0.0.0/0)) → \`web-1\``,
                ),
            },
        ),
        ...both(
            "a rule for the instance's target tag",
            (s) => {
                web(s);
                sshFromWorld(s, "ssh-web", { targetTags: ["web"] });
            },
            { errors: EXPOSED_SSH(/`ssh-web` allows\[0\]/) },
        ),
        ...both(
            "a rule for the instance's service account",
            (s) => {
                web(s, { account: "web-sa" });
                sshFromWorld(s, "ssh-sa", { targetServiceAccounts: [""] }, { "targetServiceAccounts[0]": "web-sa" });
            },
            {
                errors: EXPOSED_SSH(/`ssh-sa` allows\[0\]/),
            },
        ),
        // pulumi/examples' gcp-py-network-component writes `network: subnet.network`: in preview the rule's only link is the subnetwork.
        ...(["preview", "update"] as const).map((mode) =>
            one(
                `a rule whose network is a subnetwork's output (${mode})`,
                mode,
                (s) => {
                    web(s);
                    s.add(
                        G.firewall,
                        "web-8080",
                        { allows: [tcp(8080)], targetTags: ["web"] },
                        { network: mode === "preview" ? "web-subnet" : "vpc#selfLink" },
                    );
                },
                {
                    errors: [
                        [
                            "exposed",
                            null,
                            {
                                ports: "tcp 8080 (api)",
                                path: /\(`web-8080` allows\[0\] \(priority 1000\) \(tcp 8080 from 0\.0\.0\.0\/0, GCP's default when no source is set\)\)/,
                            },
                            "fixPath",
                        ],
                    ],
                },
            ),
        ),
        ...(["preview", "update"] as const).map((mode) =>
            one(
                `an instance whose network is a firewall rule's output: the rule's own network, one hop (${mode})`,
                mode,
                (s) => onFirewallsNetwork(s, mode),
                {
                    errors: [
                        [
                            "exposed",
                            null,
                            {
                                workload: "`vm`",
                                ports: "tcp 22 (ssh), 5432 (postgres)",
                                path: "internet → network `vpc` (default route 0.0.0.0/0 → default internet gateway) → an external IP on `vm` nic0 (`accessConfigs`) → firewall of network `vpc` (`fw` allows[0] (priority 1000) (tcp 22, 5432 from 0.0.0.0/0)) → `vm`",
                            },
                            "fixPath",
                        ],
                    ],
                },
            ),
        ),
        ...(["preview", "update"] as const).map((mode) =>
            one(
                `an instance on the network of a firewall rule whose network is outside the stack: unverifiable (${mode})`,
                mode,
                (s) => onFirewallsNetwork(s, mode, SHARED),
                {
                    advisories: [
                        [
                            "unproven",
                            null,
                            {
                                workload: "`vm`",
                                ports: "tcp 22 (ssh), 5432 (postgres)",
                                reason: /^network `shared` is outside this stack: its routes are not in the plan/,
                            },
                        ],
                    ],
                },
            ),
        ),
        ...both(
            "the world split over two rules (no single rule opens it)",
            (s) => {
                web(s);
                s.add(G.firewall, "low-half", { allows: [tcp(6379)], sourceRanges: ["0.0.0.0/1"] }, VPC);
                s.add(G.firewall, "high-half", { allows: [tcp(6379)], sourceRanges: ["128.0.0.0/1"] }, VPC);
            },
            {
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            ports: "tcp 6379 (redis)",
                            path: /\(`low-half` allows\[0\] \(priority 1000\) \(tcp 6379 from 0\.0\.0\.0\/1\) and `high-half` allows\[0\] \(priority 1000\) \(tcp 6379 from 128\.0\.0\.0\/1\)\)/,
                        },
                        "fixPath",
                    ],
                ],
            },
        ),
        ...both(
            "a route to the default internet gateway replaces the deleted default route",
            (s) => {
                s.add(G.network, "vpc", { autoCreateSubnetworks: false, deleteDefaultRoutesOnCreate: true });
                s.add(G.route, "to-internet", { destRange: "0.0.0.0/0", nextHopGateway: "default-internet-gateway" }, VPC);
                web(s);
                sshFromWorld(s);
            },
            {
                errors: EXPOSED_SSH(
                    /^internet → route `to-internet` \(0\.0\.0\.0\/0 → default internet gateway\) → an external IP on `web-1`/,
                ),
            },
        ),
        ...both(
            "network firewall policies come after the VPC rules by default: its deny does not close the VPC rule's allow",
            (s) => {
                web(s);
                sshFromWorld(s);
                policy(s, { action: "deny" });
            },
            {
                errors: EXPOSED_SSH(/`ssh-world` allows\[0\]/),
            },
        ),
        ...both(
            "a network firewall policy enforced first hands ssh on with goto_next: the VPC rule decides",
            (s) => {
                policyFirst(s);
                web(s);
                sshFromWorld(s);
                policy(s, { action: "goto_next" });
            },
            {
                errors: EXPOSED_SSH(/`ssh-world` allows\[0\]/),
            },
        ),
        ...both(
            "a network firewall policy enforced first allows ssh from the world",
            (s) => {
                policyFirst(s);
                web(s);
                policy(s, { action: "allow" });
            },
            {
                errors: EXPOSED_SSH(/`policy-ssh` match\.layer4Configs\[0\] \(priority 100\)/),
            },
        ),
        ...both(
            "a policy rule for the secure tag bound to this instance (`LocationTagBinding`)",
            (s) => {
                web(s);
                secureTagged(s, "web-1");
            },
            {
                errors: EXPOSED_SSH(/`tier-policy` rules\[0\]\.match\.layer4Configs\[0\] \(priority 100\) \(tcp 22 from 0\.0\.0\.0\/0\)/),
            },
        ),
        ...both("an external passthrough load balancer in front of a managed instance group, on its own port", (s) => lb(s), {
            errors: [
                [
                    "exposed",
                    null,
                    {
                        workload: "`web-mig`",
                        ports: "tcp 8080 (api)",
                        path: /→ external passthrough load balancer `web-lb` \(tcp 8080, client address kept\) → firewall of network `vpc` \(`web-in` allows\[0\]/,
                    },
                    "fixPath",
                ],
            ],
        }),
        ...both(
            "Cloud SQL's public IP with 0.0.0.0/0 authorized",
            (s) => sql(s, { ipv4Enabled: true, authorizedNetworks: [{ name: "all", value: "0.0.0.0/0" }] }),
            {
                errors: [
                    [
                        "exposed",
                        null,
                        {
                            workload: "`orders-db`",
                            ports: "tcp 5432 (postgres)",
                            path: "internet → public IP of `orders-db` (authorized networks: 0.0.0.0/0) → `orders-db`",
                        },
                        "fixPath",
                    ],
                ],
            },
        ),
        ...both(
            "empty outputs (the provider's configuration is unknown in preview): unverifiable, not clean",
            (s) => {
                web(s);
                sshFromWorld(s);
            },
            {
                advisories: [["unverifiable", null, { workload: "`web-1`", reason: /^`web-1` arrived with no inputs/ }]],
            },
            ["web-1"],
        ),
        ...both(
            "a folder's hierarchical policy may deny ssh before the VPC rule allows it: unproven, not clean",
            (s) => {
                web(s);
                sshFromWorld(s);
                folderPolicy(s, "deny");
            },
            {
                advisories: [["unproven", null, { workload: "`web-1`", ports: "tcp 22 (ssh)", reason: FOLDER }]],
            },
        ),
        ...both(
            "a folder's hierarchical policy that allows ssh from the world, where it applies: unproven",
            (s) => {
                web(s);
                folderPolicy(s, "allow");
            },
            {
                advisories: [
                    [
                        "unproven",
                        null,
                        {
                            workload: "`web-1`",
                            ports: "tcp 22 (ssh)",
                            path: /`org-ssh` match\.layer4Configs\[0\] \(priority 100\) \(tcp 22 from 0\.0\.0\.0\/0\)/,
                            reason: FOLDER,
                        },
                    ],
                ],
            },
        ),
        one(
            'a network with no inputs at all beside resources that have theirs is `new gcp.compute.Network("vpc")`: GCP\'s defaults',
            "preview",
            (s) => {
                web(s);
                sshFromWorld(s);
            },
            {
                errors: EXPOSED_SSH(/^internet → network `vpc` \(default route 0\.0\.0\.0\/0 → default internet gateway\)/),
            },
            ["vpc"],
        ),
        one(
            "a network and a subnetwork with empty outputs: the provider's configuration is unknown, nothing is assumed",
            "preview",
            (s) => {
                web(s);
                sshFromWorld(s);
            },
            {
                advisories: [["unverifiable", null, { workload: "`web-1`", reason: /`web-subnet` arrived with no inputs/ }]],
            },
            ["vpc", "web-subnet"],
        ),
        one(
            "whether the instance gets an external IP is unknown in preview: the path may be open",
            "preview",
            (s) => {
                s.add(
                    G.instance,
                    "web-1",
                    { machineType: "e2-small", zone: "europe-west1-b", tags: ["web"], networkInterfaces: [{ accessConfigs: UNKNOWN }] },
                    { "networkInterfaces[0].subnetwork": "web-subnet" },
                );
                sshFromWorld(s);
            },
            {
                advisories: [["unproven", null, { workload: "`web-1`", ports: "tcp 22 (ssh)" }]],
            },
        ),
    ],
};

// The flows: `api-1` (service api, tag `api`, app-subnet 10.10.1.0/24) calls `db-1` (postgres, tag `db`, db-subnet 10.10.2.0/24) on 5432.
const tiers = (s: Stack, o: { apiSa?: string; dbSa?: string } = {}) => {
    vm(s, "api-1", "app-subnet", { tags: ["api"], labels: { service: "api" }, ...(o.apiSa ? { account: o.apiSa } : {}) });
    vm(s, "db-1", "db-subnet", { tags: ["db"], labels: { service: "postgres" }, ...(o.dbSa ? { account: o.dbSa } : {}) });
};
const pgFromApi = (s: Stack) => s.add(G.firewall, "pg-from-api", { allows: [tcp(5432)], sourceTags: ["api"], targetTags: ["db"] }, VPC);
const PG = (why: RegExp | string, client = "`api-1`", server = "`db-1`"): NonNullable<PolicyCase["errors"]>[number] => [
    "blocked",
    null,
    { client, server, flow: "tcp 5432", why },
];
const VPN = FLOWS_REGISTRY().replace("      - service: api\n", "      - service: api\n      - cidr: 10.50.0.0/16\n");
const other = (s: Stack) => {
    vm(s, "api-1", "app-subnet", { tags: ["api"], labels: { service: "api" } });
    s.add(G.network, "data", { autoCreateSubnetworks: false });
    s.add(G.subnet, "data-subnet", { ipCidrRange: "10.30.0.0/24", region: "europe-west1" }, { network: "data" });
    vm(s, "db-1", "data-subnet", { tags: ["db"], labels: { service: "postgres" } });
    s.add(G.firewall, "pg-in-data", { allows: [tcp(5432)], sourceRanges: ["10.10.0.0/16"] }, { network: "data" });
};

/** `db-1` with nic0 in db-subnet (network `vpc`, which admits the VPN) and nic1 in `data` (which admits nothing). */
const twoNics = (s: Stack) => {
    s.add(G.network, "data", { autoCreateSubnetworks: false });
    s.add(G.subnet, "data-subnet", { ipCidrRange: "10.30.0.0/24", region: "europe-west1" }, { network: "data" });
    s.add(
        G.instance,
        "db-1",
        { machineType: "e2-small", zone: "europe-west1-b", tags: ["db"], labels: { service: "postgres" }, networkInterfaces: [{}, {}] },
        { "networkInterfaces[0].subnetwork": "db-subnet", "networkInterfaces[1].subnetwork": "data-subnet" },
    );
    s.add(G.firewall, "pg-vpn", { allows: [tcp(5432)], sourceRanges: ["10.50.0.0/16"], targetTags: ["db"] }, VPC);
};
const VPN_ONLY = FLOWS_REGISTRY().replace("      - service: api\n", "      - cidr: 10.50.0.0/16\n");

const flows: CaseTable = {
    valid: [
        ...both("a source tag admits the client's instances", (s) => {
            tiers(s);
            pgFromApi(s);
        }),
        ...both("a source range admits the client's subnetwork", (s) => {
            tiers(s);
            s.add(G.firewall, "pg", { allows: [tcp(5432)], sourceRanges: ["10.10.1.0/24"], targetTags: ["db"] }, VPC);
        }),
        ...both("source and target service accounts", (s) => {
            tiers(s, { apiSa: "api-sa", dbSa: "db-sa" });
            s.add(
                G.firewall,
                "pg",
                { allows: [tcp(5432)], sourceServiceAccounts: [""], targetServiceAccounts: [""] },
                { ...VPC, "sourceServiceAccounts[0]": "api-sa", "targetServiceAccounts[0]": "db-sa" },
            );
        }),
        ...both("an egress allow at higher priority comes before the client's egress deny", (s) => {
            tiers(s);
            pgFromApi(s);
            s.add(G.firewall, "no-egress", { direction: "EGRESS", denies: [all()], destinationRanges: WORLD, targetTags: ["api"] }, VPC);
            s.add(
                G.firewall,
                "egress-pg",
                { direction: "EGRESS", priority: 100, allows: [tcp(5432)], destinationRanges: ["10.10.2.0/24"], targetTags: ["api"] },
                VPC,
            );
        }),
        ...both("networks peered both ways in the stack", (s) => {
            other(s);
            s.add(G.peering, "vpc-to-data", {}, { network: "vpc#selfLink", peerNetwork: "data#selfLink" });
            s.add(G.peering, "data-to-vpc", {}, { network: "data#selfLink", peerNetwork: "vpc#selfLink" });
        }),
        ...both("Cloud SQL's private IP in the network's private services access range: no firewall rule filters it", (s) => {
            vm(s, "api-1", "app-subnet", { tags: ["api"], labels: { service: "api" } });
            s.add(
                G.globalAddress,
                "psa-range",
                { purpose: "VPC_PEERING", addressType: "INTERNAL", address: "10.60.0.0", prefixLength: 16 },
                { network: "vpc#id" },
            );
            s.add(
                G.connection,
                "psa",
                { service: "servicenetworking.googleapis.com", reservedPeeringRanges: [""] },
                { network: "vpc#id", "reservedPeeringRanges[0]": "psa-range" },
            );
            sql(s, { ipv4Enabled: false }, { "settings.ipConfiguration.privateNetwork": "vpc#id" });
        }),
        ...both("Cloud SQL without a private IP authorizing 0.0.0.0/0: the client's external address is admitted whatever it is", (s) => {
            vm(s, "api-1", "app-subnet", { tags: ["api"], labels: { service: "api" }, external: true });
            sql(s, { ipv4Enabled: true, authorizedNetworks: [{ name: "office", value: "198.51.100.0/24" }, { value: "0.0.0.0/0" }] });
        }),
        ...both("Cloud SQL authorizing 0.0.0.0/1 and 128.0.0.0/1: together every address, as 0.0.0.0/0", (s) => {
            vm(s, "api-1", "app-subnet", { tags: ["api"], labels: { service: "api" }, external: true });
            sql(s, { ipv4Enabled: true, authorizedNetworks: [{ value: "0.0.0.0/1" }, { value: "128.0.0.0/1" }] });
        }),
        ...both(
            "the VPN range is allowed explicitly",
            (s) => {
                tiers(s);
                pgFromApi(s);
                s.add(G.firewall, "pg-vpn", { allows: [tcp(5432)], sourceRanges: ["10.50.0.0/16"], targetTags: ["db"] }, VPC);
            },
            { registryYaml: VPN },
        ),
        one(
            "a VM with a network interface in each of two networks: the VPN gets through to one of them, which is enough",
            "update",
            twoNics,
            { registryYaml: VPN_ONLY },
        ),
        ...both(
            "empty outputs of the client: nothing to check, and no block",
            (s) => {
                tiers(s);
                pgFromApi(s);
            },
            {},
            ["api-1"],
        ),
    ],
    invalid: [
        ...both("no rule admits the client: the implied deny-all ingress", (s) => tiers(s), {
            errors: [
                PG(
                    "the request dies at firewall of network `vpc` inbound: no firewall rule allows tcp 5432 from 10.10.1.0/24, so GCP's implied deny ingress rule (priority 65535) drops it",
                ),
            ],
        }),
        ...both(
            "a source service account the client does not run as",
            (s) => {
                tiers(s, { apiSa: "api-sa", dbSa: "db-sa" });
                s.add(
                    G.firewall,
                    "pg",
                    { allows: [tcp(5432)], sourceServiceAccounts: [""], targetServiceAccounts: [""] },
                    { ...VPC, "sourceServiceAccounts[0]": "web-sa", "targetServiceAccounts[0]": "db-sa" },
                );
            },
            { errors: [PG(/^the request dies at firewall of network `vpc` inbound: no firewall rule allows tcp 5432/)] },
        ),
        ...both(
            "a higher-priority deny of the client's range",
            (s) => {
                tiers(s);
                pgFromApi(s);
                s.add(G.firewall, "lockdown", { priority: 500, denies: [all()], sourceRanges: ["10.10.1.0/24"] }, VPC);
            },
            {
                errors: [
                    PG(
                        "the request dies at firewall of network `vpc` inbound: `lockdown` denies[0] (priority 500) (from 10.10.1.0/24) denies it",
                    ),
                ],
            },
        ),
        ...both(
            "the client's egress deny: the request dies on the way out",
            (s) => {
                tiers(s);
                pgFromApi(s);
                s.add(
                    G.firewall,
                    "no-egress",
                    { direction: "EGRESS", denies: [all()], destinationRanges: WORLD, targetTags: ["api"] },
                    VPC,
                );
            },
            {
                errors: [
                    PG(
                        "the request dies at firewall of network `vpc` outbound: `no-egress` denies[0] (priority 1000) (to 0.0.0.0/0) denies it",
                    ),
                ],
            },
        ),
        ...both(
            "a managed instance group's template tags: a rule for another source tag",
            (s) => {
                vm(s, "api-1", "app-subnet", { tags: ["api"], labels: { service: "api" } });
                s.add(
                    G.template,
                    "db-tpl",
                    {
                        machineType: "e2-small",
                        tags: ["db"],
                        labels: { service: "postgres" },
                        disks: [{ sourceImage: "debian-12" }],
                        networkInterfaces: [{}],
                    },
                    { "networkInterfaces[0].subnetwork": "db-subnet" },
                );
                s.add(
                    G.rigm,
                    "db-mig",
                    { region: "europe-west1", baseInstanceName: "db", targetSize: 2, versions: [{}] },
                    { "versions[0].instanceTemplate": "db-tpl" },
                );
                s.add(G.firewall, "pg", { allows: [tcp(5432)], sourceTags: ["web"], targetTags: ["db"] }, VPC);
            },
            {
                errors: [
                    PG(/^the request dies at firewall of network `vpc` inbound: no firewall rule allows tcp 5432/, "`api-1`", "`db-mig`"),
                ],
            },
        ),
        ...both(
            "a CIDR client no rule admits",
            (s) => {
                tiers(s);
                pgFromApi(s);
            },
            {
                registryYaml: VPN,
                errors: [
                    PG(
                        "the request dies at firewall of network `vpc` inbound: no firewall rule allows tcp 5432 from 10.50.0.0/16, so GCP's implied deny ingress rule (priority 65535) drops it",
                        "10.50.0.0/16",
                    ),
                ],
            },
        ),
        ...both("different networks without peering in the stack: cannot be verified", other, {
            advisories: [
                [
                    "unverifiable",
                    null,
                    {
                        client: "`api-1`",
                        server: "`db-1`",
                        reasons: /different networks; what joins them \(a peering, a gateway, a VPN\) is outside this stack/,
                    },
                ],
            ],
        }),
        ...both(
            "the server's subnetwork is outside this stack: cannot be verified",
            (s) => {
                vm(s, "api-1", "app-subnet", { tags: ["api"], labels: { service: "api" } });
                vm(s, "db-1", "out:projects/shared/regions/europe-west1/subnetworks/shared", {
                    tags: ["db"],
                    labels: { service: "postgres" },
                });
            },
            {
                advisories: [
                    ["unverifiable", null, { client: "`api-1`", reasons: /^subnetwork `shared` of `db-1` is outside this stack/ }],
                ],
            },
        ),
        ...both(
            "an allow whose sources are unknown until update: cannot be verified",
            (s) => {
                tiers(s);
                s.add(G.firewall, "pg", { allows: [tcp(5432)], sourceRanges: [UNKNOWN], targetTags: ["db"] }, VPC);
            },
            { advisories: [["unverifiable", null, { client: "`api-1`", reasons: /an entry is unknown until update/ }]] },
        ),
        ...both(
            "Cloud SQL without a private IP: clients reach its public IP from addresses the plan does not tell",
            (s) => {
                vm(s, "api-1", "app-subnet", { tags: ["api"], labels: { service: "api" }, external: true });
                sql(s, { ipv4Enabled: true, authorizedNetworks: [{ value: "198.51.100.0/24" }] });
            },
            { advisories: [["unverifiable", null, { server: "`orders-db`", reasons: /^`orders-db` has no private IP/ }]] },
        ),
        ...both(
            "Cloud SQL authorizing 0.0.0.0/0 to a client without an external IP: whether it reaches the internet (a Cloud NAT) is not in the graph",
            (s) => {
                vm(s, "api-1", "app-subnet", { tags: ["api"], labels: { service: "api" } });
                sql(s, { ipv4Enabled: true, authorizedNetworks: [{ value: "0.0.0.0/0" }] });
            },
            { advisories: [["unverifiable", null, { server: "`orders-db`", reasons: /^whether the client reaches the internet/ }]] },
        ),
        ...both(
            "Cloud SQL authorizing 0.0.0.0/0 behind the client's egress deny: the request may not leave",
            (s) => {
                vm(s, "api-1", "app-subnet", { tags: ["api"], labels: { service: "api" } });
                s.add(
                    G.firewall,
                    "no-egress",
                    { direction: "EGRESS", denies: [all()], destinationRanges: WORLD, targetTags: ["api"] },
                    VPC,
                );
                sql(s, { ipv4Enabled: true, authorizedNetworks: [{ value: "0.0.0.0/0" }] });
            },
            { advisories: [["unverifiable", null, { server: "`orders-db`", reasons: /`no-egress` denies\[0\]/ }]] },
        ),
        one(
            "the same VM in preview: which interface is in which subnetwork is unknown until update, so nothing is blocked",
            "preview",
            twoNics,
            {
                registryYaml: VPN_ONLY,
                advisories: [
                    [
                        "unverifiable",
                        null,
                        {
                            client: "10.50.0.0/16",
                            reasons: "which subnetwork each network interface of `db-1` is in is unknown until update",
                        },
                    ],
                ],
            },
        ),
        one(
            "a deny of 10.0.0.0/8 blocks the instance client and the VPN range alike",
            "update",
            (s) => {
                tiers(s);
                s.add(G.firewall, "lockdown", { priority: 500, denies: [all()], sourceRanges: ["10.0.0.0/8"] }, VPC);
            },
            {
                registryYaml: VPN,
                errors: [
                    PG(/^the request dies at firewall of network `vpc` inbound: `lockdown` denies\[0\]/),
                    PG(/`lockdown` denies\[0\]/, "10.50.0.0/16"),
                ],
            },
        ),
    ],
};

export const cases: Record<string, CaseTable> = {
    "no-internet-path-to-internal-ports": noInternetPath,
    "documented-flows-reachable": flows,
};
