import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ALL_PORTS, IntervalSet, formatPorts, portDomain, portRange } from "../policies/model/intervals";
import { Registry, RegistryError, RegistryOptions, Service, loadRegistry, parseRegistry } from "../policies/registry";

const DEFAULT_FILE = path.join(__dirname, "..", "..", "ports.yaml");

/** One string per line, so that a case's line numbers are its array indices + 1. */
const yml = (...lines: string[]): string => lines.join("\n") + "\n";

const ports = (...specs: (number | [number, number])[]) =>
    IntervalSet.of(
        portDomain,
        specs.map((s): [number, number] => (typeof s === "number" ? [s, s] : s)),
    );

/** Phrases of ajv's own messages, which must never reach the user. */
const AJV_JARGON =
    /must be (<|>|equal|integer|number|string|array|object|boolean)|must match|must NOT|must have required|anyOf|oneOf|additionalProperties|instancePath|schemaPath/;

const names = (services: readonly Service[]) => services.map((s) => s.name);

function problemsOf(text: string, options: RegistryOptions = {}) {
    try {
        parseRegistry(text, "ports.yaml", options);
    } catch (e) {
        assert.ok(e instanceof RegistryError, `expected a RegistryError, got ${String(e)}`);
        return e;
    }
    return assert.fail("expected the registry to be rejected");
}

describe("port registry (ports.yaml)", () => {
    describe("the default ports.yaml", () => {
        const registry = loadRegistry(DEFAULT_FILE);
        const service = (name: string) => registry.services.find((s) => s.name === name);

        it("loads without problems and documents the usual platform services", () => {
            for (const name of ["http", "https", "icmp", "ssh", "dns", "postgres", "etcd", "consul", "kubernetes-nodeports", "grafana"]) {
                assert.ok(service(name), `missing ${name}`);
            }
            assert.ok(
                registry.services.every((s) => s.owner && s.description),
                "every service has an owner and a description",
            );
        });

        it("makes only http, https and icmp public", () => {
            assert.deepEqual(names(registry.services.filter((s) => s.public)), ["http", "https", "icmp"]);
            assert.ok(registry.publicPorts("tcp").equals(ports(80, 443)));
            assert.ok(registry.publicPorts("udp").isEmpty);
            assert.ok(registry.publicPorts("icmp").isFull);
        });

        it("treats postgres as internal and https as not", () => {
            assert.ok(registry.internal("tcp").has(5432));
            assert.ok(!registry.internal("tcp").has(443));
            assert.ok(registry.internal("udp").has(53));
        });

        it("knows the RFC 1918 blocks and fd00::/8, and the AWS return range 1024-65535", () => {
            assert.deepEqual(registry.knownCidrs.texts, ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fd00::/8"]);
            assert.ok(registry.ephemeralPorts.equals(portRange(1024, 65535)));
        });

        it("documents dns on both tcp and udp 53 and etcd as the range 2379-2380", () => {
            assert.deepEqual(service("dns")!.protocols, ["tcp", "udp"]);
            assert.equal(formatPorts(service("etcd")!.ports), "2379-2380");
        });
    });

    describe("valid files", () => {
        const cases: { title: string; text: string; check: (r: Registry) => void }[] = [
            {
                title: "a minimal entry gets its ports, protocol, line and public: false by default",
                text: yml(
                    "services:",
                    "  - name: postgres",
                    "    ports: [5432]",
                    "    protocol: tcp",
                    "    owner: data-platform",
                    "    description: orders DB",
                    "knownCidrs: []",
                ),
                check: (r) => {
                    const [s] = r.services;
                    assert.deepEqual(
                        {
                            name: s.name,
                            protocols: s.protocols,
                            public: s.public,
                            line: s.line,
                            owner: s.owner,
                            description: s.description,
                        },
                        { name: "postgres", protocols: ["tcp"], public: false, line: 2, owner: "data-platform", description: "orders DB" },
                    );
                    assert.ok(s.ports.equals(ports(5432)));
                    assert.equal(r.file, "ports.yaml");
                },
            },
            {
                title: "protocol all expands to tcp, udp and icmp",
                text: yml("services:", "  - name: gateway", "    ports: [8000]", "    protocol: all", "knownCidrs: []"),
                check: (r) => {
                    assert.deepEqual(r.services[0].protocols, ["tcp", "udp", "icmp"]);
                    assert.ok(r.documented("tcp").equals(ports(8000)));
                    assert.ok(r.documented("udp").equals(ports(8000)));
                    assert.ok(r.documented("icmp").isFull, "icmp is judged as a unit: every pseudo-port");
                },
            },
            {
                title: "an icmp-only service needs no ports and covers all of icmp",
                text: yml("services:", "  - name: ping", "    protocol: icmp", "    public: true", "knownCidrs: []"),
                check: (r) => {
                    assert.deepEqual(r.services[0].protocols, ["icmp"]);
                    assert.ok(r.services[0].ports.equals(ALL_PORTS));
                    assert.ok(r.documented("icmp").isFull);
                    assert.ok(r.publicPorts("icmp").isFull);
                    assert.ok(r.internal("icmp").isEmpty);
                    assert.ok(r.documented("tcp").isEmpty, "icmp documents no tcp port");
                },
            },
            {
                title: "a registry without icmp services does not judge icmp: ICMP carries no port",
                text: yml("services:", "  - name: web", "    ports: [443]", "    protocol: tcp", "knownCidrs: []"),
                check: (r) => {
                    assert.equal(r.judges("icmp"), false);
                    assert.ok(r.documented("icmp").isFull, "nothing of icmp is undocumented");
                    assert.ok(r.internal("icmp").isEmpty, "nothing of icmp is internal");
                    assert.equal(r.judges("tcp"), true);
                    assert.ok(r.internal("tcp").has(22));
                },
            },
            {
                title: "a non-public icmp service makes icmp internal",
                text: yml("services:", "  - name: ping", "    protocol: icmp", "knownCidrs: []"),
                check: (r) => {
                    assert.equal(r.judges("icmp"), true);
                    assert.ok(r.documented("icmp").isFull);
                    assert.ok(r.internal("icmp").isFull);
                },
            },
            {
                title: "a service with protocol all declares icmp",
                text: yml("services:", "  - name: mesh", "    ports: [15000]", "    protocol: all", "    public: true", "knownCidrs: []"),
                check: (r) => {
                    assert.equal(r.judges("icmp"), true);
                    assert.ok(r.publicPorts("icmp").isFull);
                    assert.ok(r.internal("icmp").isEmpty);
                },
            },
            {
                title: "ports may be numbers, numeric strings and quoted ranges, and a protocol list",
                text: yml(
                    "services:",
                    "  - name: etcd",
                    '    ports: ["2379-2380", "4001", 7001]',
                    "    protocol: [tcp, udp]",
                    "knownCidrs: []",
                ),
                check: (r) => {
                    assert.ok(r.services[0].ports.equals(ports([2379, 2380], 4001, 7001)));
                    assert.deepEqual(r.services[0].protocols, ["tcp", "udp"]);
                },
            },
            {
                title: "documented, publicPorts and internal are per protocol",
                text: yml(
                    "services:",
                    "  - name: https",
                    "    ports: [443]",
                    "    protocol: tcp",
                    "    public: true",
                    "  - name: quic",
                    "    ports: [443]",
                    "    protocol: udp",
                    "  - name: postgres",
                    "    ports: [5432]",
                    "    protocol: tcp",
                    "knownCidrs: []",
                ),
                check: (r) => {
                    assert.ok(r.documented("tcp").equals(ports(443, 5432)));
                    assert.ok(r.documented("udp").equals(ports(443)));
                    assert.ok(r.publicPorts("tcp").equals(ports(443)));
                    assert.ok(r.publicPorts("udp").isEmpty, "public on tcp 443 says nothing about udp 443");
                    assert.ok(r.internal("tcp").has(5432) && !r.internal("tcp").has(443));
                    assert.ok(r.internal("udp").has(443));
                },
            },
            {
                title: "servicesOverlapping finds the services a range touches, by lowest port, and none for an undocumented port",
                text: yml(
                    "services:",
                    "  - name: search",
                    "    ports: [9300, 9200]",
                    "    protocol: tcp",
                    "  - name: etcd",
                    '    ports: ["2379-2380"]',
                    "    protocol: tcp",
                    "  - name: dns",
                    "    ports: [53]",
                    "    protocol: [tcp, udp]",
                    "  - name: ping",
                    "    protocol: icmp",
                    "knownCidrs: []",
                ),
                check: (r) => {
                    assert.deepEqual(names(r.servicesOverlapping("tcp", portRange(2380, 9250))), ["etcd", "search"]);
                    assert.deepEqual(names(r.servicesOverlapping("tcp", ALL_PORTS)), ["dns", "etcd", "search"]);
                    assert.deepEqual(names(r.servicesOverlapping("tcp", ports(9300, 53))), ["dns", "search"]);
                    assert.deepEqual(names(r.servicesOverlapping("udp", portRange(1, 100))), ["dns"]);
                    assert.deepEqual(names(r.servicesOverlapping("icmp", ALL_PORTS)), ["ping"]);
                    assert.deepEqual(r.servicesOverlapping("tcp", ports(2381)), []);
                    assert.deepEqual(r.servicesOverlapping("udp", ports(9200)), []);
                    assert.deepEqual(r.servicesOverlapping("tcp", IntervalSet.empty(portDomain)), []);
                },
            },
            {
                title: "ephemeralPorts defaults to 1024-65535",
                text: yml("services: []", "knownCidrs: []"),
                check: (r) => assert.ok(r.ephemeralPorts.equals(portRange(1024, 65535))),
            },
            {
                title: "ephemeralPorts can be overridden with several specs",
                text: yml("services: []", "knownCidrs: []", 'ephemeralPorts: ["32768-60999", "49152-65535", 1024]'),
                check: (r) => assert.ok(r.ephemeralPorts.equals(ports(1024, [32768, 65535]))),
            },
            {
                title: "knownCidrs accepts IPv4 and IPv6 blocks and keeps canonical texts",
                text: yml("services: []", "knownCidrs: [10.0.0.0/8, 2001:DB8::/32, fd00::/8]"),
                check: (r) => {
                    assert.deepEqual(r.knownCidrs.texts, ["10.0.0.0/8", "2001:db8::/32", "fd00::/8"]);
                    assert.ok(r.knownCidrs.v4.has(0x0a010203n));
                    assert.ok(r.knownCidrs.v6.has(0x20010db8000000000000000000000001n));
                    assert.ok(r.knownCidrs.v6.has(0xfd000000000000000000000000000001n));
                    assert.ok(!r.knownCidrs.v6.has(0xfe800000000000000000000000000001n));
                },
            },
            {
                title: "clients name other services or address blocks, kept in file order with canonical CIDRs",
                text: yml(
                    "services:",
                    "  - name: postgres",
                    "    ports: [5432]",
                    "    protocol: tcp",
                    '    clients: [{ service: api }, { cidr: 10.50.0.0/16 }, { cidr: "2001:DB8::/48" }, { service: postgres }]',
                    "  - { name: api, ports: [8080], protocol: tcp }",
                    "knownCidrs: []",
                ),
                check: (r) => {
                    const [pg, api] = r.services;
                    assert.deepEqual(
                        pg.clients!.map((c) => c.service ?? c.cidr!.text),
                        ["api", "10.50.0.0/16", "2001:db8::/48", "postgres"],
                    );
                    assert.equal(pg.clients![1].cidr!.family, "v4");
                    assert.deepEqual(pg.clients![1].cidr!.range, [0x0a320000n, 0x0a32ffffn]);
                    assert.equal(api.clients, undefined, "no clients key: none listed");
                },
            },
            {
                title: "serviceTag defaults to service and can be set",
                text: yml("services: []", "knownCidrs: []"),
                check: (r) => {
                    assert.equal(r.serviceTag, "service");
                    assert.equal(parseRegistry(yml("services: []", "knownCidrs: []", "serviceTag: app"), "ports.yaml").serviceTag, "app");
                },
            },
        ];
        for (const c of cases) it(c.title, () => c.check(parseRegistry(c.text, "ports.yaml")));
    });

    describe("invalid files: each problem is reported with its line and a fix", () => {
        const svc = (...lines: string[]) => yml("services:", ...lines, "knownCidrs: []");
        const cases: { title: string; text: string; line: number; path?: string; fragment: string }[] = [
            {
                title: "YAML syntax error (unclosed flow list)",
                text: yml("services:", "  - name: postgres", "    ports: [5432", "    protocol: tcp", "knownCidrs: []"),
                line: 4,
                fragment: "YAML syntax error",
            },
            {
                title: "duplicate key in a service",
                text: svc("  - name: postgres", "    ports: [5432]", "    protocol: tcp", "    ports: [5433]"),
                line: 5,
                fragment: 'duplicate key "ports"',
            },
            { title: "empty file", text: "", line: 1, fragment: "the file is empty" },
            { title: "comment-only file", text: yml("# nothing yet"), line: 1, fragment: "the file is empty" },
            {
                title: "top level is a list, not a mapping",
                text: yml("- name: postgres", "  ports: [5432]"),
                line: 1,
                path: "(top level)",
                fragment:
                    "the top level must be a mapping with keys services, knownCidrs, tenantTag, serviceTag, tenants, exemptions, ephemeralPorts, found a list",
            },
            {
                title: "services missing",
                text: yml("# no services", "knownCidrs: []"),
                line: 2,
                fragment: 'missing required key "services"',
            },
            {
                title: "services is not a list",
                text: yml("services:", "  postgres: 5432", "knownCidrs: []"),
                line: 2,
                path: "services",
                fragment: "services must be a list of service entries",
            },
            {
                title: "port out of range (70000)",
                text: svc("  - name: postgres", "    ports: [5432, 70000]", "    protocol: tcp"),
                line: 3,
                path: "services[0].ports[1]",
                fragment: "70000 is outside 0-65535",
            },
            {
                title: "negative port (-1)",
                text: svc("  - name: postgres", "    ports:", "      - 5432", "      - -1", "    protocol: tcp"),
                line: 5,
                path: "services[0].ports[1]",
                fragment: "-1 is outside 0-65535",
            },
            {
                title: 'numeric string port out of range ("70000")',
                text: svc("  - name: postgres", '    ports: ["70000"]', "    protocol: tcp"),
                line: 3,
                fragment: "70000 is outside 0-65535",
            },
            {
                title: "range whose start is after its end",
                text: svc("  - name: etcd", '    ports: ["2380-2379"]', "    protocol: tcp"),
                line: 3,
                path: "services[0].ports[0]",
                fragment: 'starts after it ends; write "2379-2380"',
            },
            {
                title: "malformed port string (abc)",
                text: svc("  - name: web", "    ports: [abc]", "    protocol: tcp"),
                line: 3,
                fragment: 'port "abc" is not a port number or a "from-to" range',
            },
            {
                title: "malformed range (22-)",
                text: svc("  - name: web", '    ports: ["22-"]', "    protocol: tcp"),
                line: 3,
                fragment: 'port "22-" is not a port number or a "from-to" range',
            },
            {
                title: "ports written as a scalar instead of a list",
                text: svc("  - name: web", "    ports: 8080", "    protocol: tcp"),
                line: 3,
                fragment: "ports must be a list; write [8080]",
            },
            {
                title: "unknown protocol (one message, not one per anyOf branch)",
                text: svc("  - name: web", "    ports: [80]", "    protocol: tcpp"),
                line: 4,
                path: "services[0].protocol",
                fragment: 'protocol "tcpp" is not one of tcp, udp, icmp, all',
            },
            {
                title: "unknown protocol inside a protocol list points at the list item",
                text: svc("  - name: web", "    ports: [80]", "    protocol:", "      - tcp", "      - sctp"),
                line: 6,
                path: "services[0].protocol[1]",
                fragment: 'protocol "sctp" is not one of tcp, udp, icmp, all',
            },
            {
                title: "uppercase protocol",
                text: svc("  - name: web", "    ports: [80]", "    protocol: TCP"),
                line: 4,
                fragment: 'write "tcp"',
            },
            {
                title: "unknown key in a service, with a suggestion",
                text: svc("  - name: web", "    ports: [80]", "    protocol: tcp", "    prot: udp"),
                line: 5,
                path: "services[0].prot",
                fragment:
                    'unknown key "prot" (allowed: name, ports, protocol, owner, description, public, allowedSources, clients); did you mean "protocol"?',
            },
            {
                title: "unknown top-level key",
                text: yml("services: []", "knownCidrs: []", "tenant: []"),
                line: 3,
                path: "tenant",
                fragment:
                    'unknown key "tenant" (allowed: services, knownCidrs, tenantTag, serviceTag, tenants, exemptions, ephemeralPorts); did you mean "tenantTag"?',
            },
            {
                title: "invalid service name",
                text: svc("  - name: Orders DB", "    ports: [5432]", "    protocol: tcp"),
                line: 2,
                path: "services[0].name",
                fragment: 'e.g. "orders-db"',
            },
            {
                title: "public is not a boolean",
                text: svc("  - name: web", "    ports: [80]", "    protocol: tcp", "    public: yes"),
                line: 5,
                fragment: 'public must be true or false, found "yes"',
            },
            {
                title: "duplicate service name points at the second and names the first one's line",
                text: svc(
                    "  - name: postgres",
                    "    ports: [5432]",
                    "    protocol: tcp",
                    "  - name: postgres",
                    "    ports: [5433]",
                    "    protocol: tcp",
                ),
                line: 5,
                path: "services[1].name",
                fragment: 'service name "postgres" is already used by the service on line 2',
            },
            {
                title: "two services on the same tcp port",
                text: svc(
                    "  - name: postgres",
                    "    ports: [5432]",
                    "    protocol: tcp",
                    "  - name: orders-db",
                    "    ports: [5432]",
                    "    protocol: tcp",
                ),
                line: 6,
                path: "services[1].ports",
                fragment:
                    'service "orders-db" overlaps service "postgres" (line 2): both document tcp port 5432; a port belongs to one service per protocol, so merge',
            },
            {
                title: "a range overlapping a single port",
                text: svc(
                    "  - name: etcd",
                    '    ports: ["2379-2380"]',
                    "    protocol: tcp",
                    "  - name: etcd-peer",
                    "    ports: [2380]",
                    "    protocol: tcp",
                ),
                line: 6,
                fragment: 'service "etcd-peer" overlaps service "etcd" (line 2): both document tcp port 2380',
            },
            {
                title: "protocol all overlaps a udp service on the same port",
                text: svc(
                    "  - name: dns",
                    "    ports: [53]",
                    "    protocol: udp",
                    "  - name: everything",
                    '    ports: ["50-60"]',
                    "    protocol: all",
                ),
                line: 6,
                fragment: 'service "everything" overlaps service "dns" (line 2): both document udp port 53',
            },
            {
                title: "two icmp services overlap",
                text: svc("  - name: ping", "    protocol: icmp", "  - name: pmtud", "    protocol: [icmp]"),
                line: 5,
                path: "services[1].protocol",
                fragment: 'service "pmtud" overlaps service "ping" (line 2): both document icmp',
            },
            {
                title: "same port on different protocols is not an overlap, but the same ports on both are named per protocol",
                text: svc(
                    "  - name: a",
                    '    ports: ["100-200"]',
                    "    protocol: [tcp, udp]",
                    "  - name: b",
                    "    ports: [150, 300]",
                    "    protocol: [udp, tcp]",
                ),
                line: 6,
                fragment: "both document tcp port 150 and udp port 150",
            },
            {
                title: "missing ports for a tcp service",
                text: svc("  - name: web", "    protocol: tcp"),
                line: 2,
                path: "services[0]",
                fragment: 'missing required key "ports"',
            },
            {
                title: "missing ports for an all service",
                text: svc("  - name: web", "    protocol: all", "    owner: platform"),
                line: 2,
                fragment: 'missing required key "ports"',
            },
            {
                title: "missing protocol",
                text: svc("  - name: web", "    ports: [80]"),
                line: 2,
                fragment: 'missing required key "protocol"',
            },
            {
                title: "ports on an icmp-only service",
                text: svc("  - name: ping", "    protocol: icmp", "    ports: [8]"),
                line: 4,
                fragment: "ports do not apply to icmp",
            },
            {
                title: "knownCidrs missing",
                text: yml("services: []"),
                line: 1,
                fragment: 'missing required key "knownCidrs"',
            },
            {
                title: "CIDR prefix too long (10.0.0.0/33)",
                text: yml("services: []", "knownCidrs:", "  - 10.0.0.0/8", "  - 10.0.0.0/33"),
                line: 4,
                path: "knownCidrs[1]",
                fragment: '"10.0.0.0/33" is not a CIDR block: the prefix length must be a number from 0 to 32',
            },
            {
                title: "CIDR that is not an address (banana)",
                text: yml("services: []", "knownCidrs:", "  - banana"),
                line: 3,
                fragment: '"banana" is not a CIDR block',
            },
            {
                title: "CIDR with host bits set suggests the network address",
                text: yml("services: []", "knownCidrs:", "  - 10.0.0.1/8"),
                line: 3,
                fragment: '"10.0.0.1/8" has host bits set after the /8 prefix; write "10.0.0.0/8"',
            },
            {
                title: "IPv6 CIDR with host bits set",
                text: yml("services: []", "knownCidrs: [fd00::1/8]"),
                line: 2,
                fragment: 'write "fd00::/8"',
            },
            {
                title: "a bare address in knownCidrs suggests a /32",
                text: yml("services: []", "knownCidrs: [192.0.2.7]"),
                line: 2,
                fragment: 'write "192.0.2.7/32"',
            },
            {
                title: "0.0.0.0/0 in knownCidrs would make every source known",
                text: yml("services: []", "knownCidrs: [10.0.0.0/8, 0.0.0.0/0]"),
                line: 2,
                path: "knownCidrs",
                fragment: "10.0.0.0/8, 0.0.0.0/0 together are all of IPv4 (0.0.0.0/0): every source would count as known",
            },
            {
                title: "::/0 in knownCidrs",
                text: yml("services: []", "knownCidrs:", "  - ::/0"),
                line: 3,
                path: "knownCidrs",
                fragment: '"::/0" is all of IPv6 (::/0)',
            },
            {
                title: "two halves of IPv4 in a service's allowedSources",
                text: svc("  - name: db", "    ports: [5432]", "    protocol: tcp", "    allowedSources: [0.0.0.0/1, 128.0.0.0/1]"),
                line: 5,
                path: "services[0].allowedSources",
                fragment: "0.0.0.0/1, 128.0.0.0/1 together are all of IPv4 (0.0.0.0/0): every source would be allowed for this service",
            },
            {
                title: "a tenant owning the whole internet",
                text: yml("services: []", "knownCidrs: []", "tenants:", "  - { name: acme, cidrs: [0.0.0.0/0] }"),
                line: 4,
                path: "tenants[0].cidrs",
                fragment: "this tenant would own every address",
            },
            {
                title: "an empty exemption resource",
                text: yml(
                    "services: []",
                    "knownCidrs: []",
                    "exemptions:",
                    '  - { policy: no-world-open-internal-ports, resource: "", reason: r, expires: "2027-01-01" }',
                ),
                line: 4,
                path: "exemptions[0].resource",
                fragment: "resource is empty; write the resource's Pulumi name (e.g. bastion-sg), its URN, or a glob over either",
            },
            {
                title: "an exemption date with day and month swapped",
                text: yml(
                    "services: []",
                    "knownCidrs: []",
                    "exemptions:",
                    "  - policy: no-world-open-internal-ports",
                    "    resource: bastion",
                    "    reason: r",
                    '    expires: "2027-31-03"',
                ),
                line: 7,
                path: "exemptions[0].expires",
                fragment: 'expires "2027-31-03" has month 31, which does not exist (write YYYY-MM-DD); did you mean 2027-03-31?',
            },
            {
                title: "an exemption date past the month's end",
                text: yml(
                    "services: []",
                    "knownCidrs: []",
                    "exemptions:",
                    '  - { policy: no-world-open-internal-ports, resource: bastion, reason: r, expires: "2027-12-32" }',
                ),
                line: 4,
                path: "exemptions[0].expires",
                fragment: 'expires "2027-12-32" has day 32, but 2027-12 has 31 days',
            },
            {
                title: "a client service that is not in the file, with a did-you-mean",
                text: svc(
                    "  - { name: api, ports: [8080], protocol: tcp }",
                    "  - name: postgres",
                    "    ports: [5432]",
                    "    protocol: tcp",
                    "    clients: [{ cidr: 10.50.0.0/16 }, { service: apu }]",
                ),
                line: 6,
                path: "services[1].clients[1].service",
                fragment: 'client service "apu" is not a service of this file; did you mean "api"?',
            },
            {
                title: "a client service with no near name says how to fix it",
                text: svc("  - name: postgres", "    ports: [5432]", "    protocol: tcp", "    clients:", "      - service: billing"),
                line: 6,
                fragment: 'client service "billing" is not a service of this file; add it under `services:`',
            },
            {
                title: "a client CIDR that does not parse",
                text: svc("  - name: postgres", "    ports: [5432]", "    protocol: tcp", "    clients:", "      - cidr: 10.50.0.0/33"),
                line: 6,
                path: "services[0].clients[0].cidr",
                fragment: "the prefix length must be a number from 0 to 32",
            },
            {
                title: "a client CIDR with host bits set suggests the network",
                text: svc("  - name: postgres", "    ports: [5432]", "    protocol: tcp", "    clients: [{ cidr: 10.50.1.0/16 }]"),
                line: 5,
                fragment: 'write "10.50.0.0/16"',
            },
            {
                title: "a client entry with both service and cidr",
                text: svc(
                    "  - name: postgres",
                    "    ports: [5432]",
                    "    protocol: tcp",
                    "    clients:",
                    "      - { service: postgres, cidr: 10.0.0.0/8 }",
                ),
                line: 6,
                path: "services[0].clients[0]",
                fragment: "names either a service or a cidr, not both",
            },
            {
                title: "an empty client entry",
                text: svc("  - name: postgres", "    ports: [5432]", "    protocol: tcp", "    clients: [{}]"),
                line: 5,
                fragment: "a client entry is empty",
            },
            {
                title: "a bare name as a client entry",
                text: svc("  - name: postgres", "    ports: [5432]", "    protocol: tcp", "    clients: [api]"),
                line: 5,
                fragment: "write { service: api } or { cidr: api }",
            },
            {
                title: "an unknown key in a client entry",
                text: svc("  - name: postgres", "    ports: [5432]", "    protocol: tcp", "    clients:", "      - { servce: postgres }"),
                line: 6,
                fragment: 'unknown key "servce" (allowed: service, cidr); did you mean "service"?',
            },
            {
                title: "clients is not a list",
                text: svc("  - name: postgres", "    ports: [5432]", "    protocol: tcp", "    clients: 10.0.0.0/8"),
                line: 5,
                path: "services[0].clients",
                fragment: "clients must be a list of { service: <name> } or { cidr: <block> } entries",
            },
            {
                title: "serviceTag is not text",
                text: yml("services: []", "knownCidrs: []", "serviceTag: [app]"),
                line: 3,
                path: "serviceTag",
                fragment: 'serviceTag must be a tag key such as "service", found a list',
            },
            {
                title: "bad ephemeralPorts range",
                text: yml("services: []", "knownCidrs: []", 'ephemeralPorts: ["65535-1024"]'),
                line: 3,
                path: "ephemeralPorts[0]",
                fragment: 'write "1024-65535"',
            },
        ];
        for (const c of cases) {
            it(c.title, () => {
                const err = problemsOf(c.text);
                assert.equal(err.problems.length, 1, `exactly one problem expected:\n${err.message}`);
                const [p] = err.problems;
                assert.equal(p.line, c.line, err.message);
                if (c.path !== undefined) assert.equal(p.path, c.path, err.message);
                assert.ok(p.message.includes(c.fragment), `"${p.message}" should contain "${c.fragment}"`);
                assert.ok(!AJV_JARGON.test(p.message), `ajv jargon in "${p.message}"`);
            });
        }
    });

    describe("reporting", () => {
        it("reports every problem in a file at once, in file order, in one RegistryError", () => {
            const err = problemsOf(
                yml(
                    "services:",
                    "  - name: postgres",
                    "    ports: [5432, 70000]",
                    "    protocol: tcpp",
                    "  - name: postgres",
                    "    ports: [5432]",
                    "    protocol: tcp",
                    "    prot: udp",
                    "knownCidrs: [10.0.0.1/8, banana]",
                ),
            );
            assert.deepEqual(
                err.problems.map((p) => [p.line, p.path]),
                [
                    [3, "services[0].ports[1]"],
                    [4, "services[0].protocol"],
                    [5, "services[1].name"],
                    [8, "services[1].prot"],
                    [9, "knownCidrs[0]"],
                    [9, "knownCidrs[1]"],
                ],
            );
            const lines = err.message.split("\n");
            assert.equal(lines[0], "ports.yaml is invalid (6 problems); the policy pack cannot start:");
            assert.equal(lines.length, 7);
            assert.equal(lines[1], "ports.yaml:3: services[0].ports[1]: port 70000 is outside 0-65535; a port is a number from 0 to 65535");
        });

        it("reports exemption policy names with every other problem, in one pass", () => {
            const err = problemsOf(
                yml(
                    "services:",
                    "  - { name: db, ports: [70000], protocol: tcp }",
                    "knownCidrs: [0.0.0.0/0]",
                    "exemptions:",
                    '  - { policy: no-world-open-internal-port, resource: x, reason: y, expires: "2027-02-30" }',
                    '  - { policy: unused-exemptions, resource: "", reason: y, expires: "2027-01-01" }',
                ),
                { policyNames: ["no-world-open-internal-ports", "unused-exemptions"] },
            );
            assert.deepEqual(
                err.problems.map((p) => [p.line, p.path]),
                [
                    [2, "services[0].ports[0]"],
                    [3, "knownCidrs"],
                    [5, "exemptions[0].policy"],
                    [5, "exemptions[0].expires"],
                    [6, "exemptions[1].resource"],
                ],
            );
            assert.match(err.problems[2].message, /did you mean "no-world-open-internal-ports"\?/);
        });

        it("never throws anything but a RegistryError, whatever value stands anywhere in the shipped ports.yaml", () => {
            const text =
                fs.readFileSync(path.join(__dirname, "..", "..", "ports.yaml"), "utf8") +
                yml(
                    "tenants:",
                    "  - name: acme",
                    "    cidrs: [10.1.0.0/16]",
                    "exemptions:",
                    "  - policy: no-world-open-internal-ports",
                    "    resource: bastion",
                    "    reason: SOC",
                    '    expires: "2027-03-31"',
                );
            const junk = [
                "null",
                "[]",
                "{}",
                '""',
                "-1",
                "1e400",
                "70000",
                '"2027-31-03"',
                '"0.0.0.0/0"',
                '"::/0"',
                '"a-b"',
                '"65535-0"',
                "true",
                "~",
                "[[1]]",
                "{ a: 1 }",
                '"constructor"',
                '"__proto__"',
            ];
            const lines = text.split("\n");
            let runs = 0;
            // Each key once where it first stands (one service stands for all): every kind of value, every place it can be.
            const seen = new Set<string>();
            lines.forEach((line, i) => {
                const m = /^(\s*(?:- )?[A-Za-z]+: )(.+)$/.exec(line);
                if (!m || line.trim().startsWith("#") || seen.has(m[1])) return;
                seen.add(m[1]);
                for (const value of junk) {
                    const mutated = [...lines.slice(0, i), `${m[1]}${value}`, ...lines.slice(i + 1)].join("\n");
                    runs++;
                    try {
                        parseRegistry(mutated, "ports.yaml", { policyNames: ["no-world-open-internal-ports"] });
                    } catch (e) {
                        assert.ok(e instanceof RegistryError, `line ${i + 1} = ${value}: ${(e as Error).stack}`);
                        for (const p of e.problems) assert.ok(p.line !== undefined && p.line >= 1, `no line for ${p.path}: ${p.message}`);
                    }
                }
            });
            assert.ok(runs > 200, `${runs} mutations`);
        });

        it("names one problem in the singular and omits an unknown line", () => {
            const err = new RegistryError("/etc/pack/ports.yaml", [{ path: "services", message: "something" }]);
            assert.equal(err.message, "ports.yaml is invalid (1 problem); the policy pack cannot start:\nports.yaml: services: something");
            assert.equal(err.file, "/etc/pack/ports.yaml");
            assert.equal(err.name, "RegistryError");
        });

        it("loadRegistry on a missing file gives a RegistryError naming the file and the OS reason", () => {
            const missing = path.join(__dirname, "does-not-exist", "ports.yaml");
            assert.throws(
                () => loadRegistry(missing),
                (e: unknown) => {
                    assert.ok(e instanceof RegistryError);
                    assert.equal(e.file, missing);
                    assert.ok(e.message.includes(missing), e.message);
                    assert.ok(e.message.includes("ENOENT"), e.message);
                    return true;
                },
            );
        });

        it("loadRegistry labels problems with the file's base name", () => {
            assert.throws(
                () => loadRegistry(path.join(__dirname, "..", "..", "package.json")),
                (e: unknown) => {
                    assert.ok(e instanceof RegistryError);
                    assert.match(e.message, /^package\.json is invalid/);
                    return true;
                },
            );
        });
    });

    describe("Registry", () => {
        it("refuses services that overlap, since lookups rely on disjoint ports", () => {
            const svc = (name: string, p: number): Service => ({ name, ports: ports(p), protocols: ["tcp"], public: false, line: 1 });
            const knownCidrs = parseRegistry(yml("services: []", "knownCidrs: []"), "x").knownCidrs;
            assert.throws(() => new Registry({ file: "x", services: [svc("a", 1), svc("b", 1)], knownCidrs }), /overlap on tcp/);
        });
    });
});
