// The markdown report's documented-flow charts: one per service with clients, every route drawn
// from the client through each layer to the workload and back, the dying hop marked.
import { strict as assert } from "assert";
import { documentedFlowCharts, MAX_ROUTES } from "../cli/format/flowcharts";
import { parseRegistry } from "../policies/registry";
import { Workload } from "../policies/model/graph";
import { acl, entry, placement, sg, tcp, workload } from "./analysis/graph-fixtures";
import { cli, ROOT } from "./cli-helpers";

const REGISTRY = `
knownCidrs: [10.0.0.0/8]
services:
  - name: postgres
    ports: [5432]
    protocol: tcp
    clients:
      - service: api
      - cidr: 10.50.0.0/16
  - name: api
    ports: [8080]
    protocol: tcp
`;

const appAcl = acl("acl-app", [entry(100, "allow", 1024, 65535, "10.0.1.0/24")], [entry(100, "allow", 5432, 5432, "10.0.1.0/24")]);
const dbAcl = acl("acl-db", [entry(100, "allow", 5432, 5432, "0.0.0.0/0")], [entry(100, "allow", 32768, 65535, "0.0.0.0/0")]);
const appSg = sg("app-sg", [], [tcp(5432, { cidrBlocks: ["10.0.1.0/24"] })]);
const dbSg = sg("db-sg", [tcp(5432, { securityGroups: ["sg-app"] })]);
const tagged = (w: Workload, service: string): Workload => ({ ...w, service });

describe("markdown: documented-flow charts", () => {
    const registry = parseRegistry(REGISTRY, "ports.yaml");
    const api = tagged(workload("api-1", ["sg-app"], [placement("app-a", "10.0.0.0/24", [appAcl, appSg])]), "api");
    const db = tagged(workload("orders-db", ["sg-db"], [placement("db-a", "10.0.1.0/24", [dbAcl, dbSg])]), "postgres");

    it("draws each client through the layers to the workload, and marks the reply that dies", () => {
        const text = documentedFlowCharts({ workloads: [api, db] }, registry).join("\n");
        assert.match(text, /^#### postgres \(tcp 5432\): documented flows, 0 through, 2 blocked$/m);
        assert.match(text, /n0\["api-1 \(app-a\)"\]/);
        assert.match(text, /\["✗ acl-db acl-db \(reply outbound\) tcp 1024-32767"\]/, "the reply dies for client ports 1024-32767");
        assert.match(text, /\["✗ db-sg db-sg \(inbound\) tcp 5432"\]/, "the VPN range is not in db-sg");
        assert.match(text, /^ {4}class .+ blocked$/m);
        assert.equal((text.match(/```mermaid/g) ?? []).length, 1, "one chart: api has no clients");
    });

    it("draws nothing for a service without workloads in the stack", () => {
        assert.deepEqual(documentedFlowCharts({ workloads: [api] }, registry), []);
    });

    it("stops drawing past MAX_ROUTES and says how many it left out", () => {
        const many = Array.from({ length: MAX_ROUTES + 3 }, (_, i) =>
            tagged(workload(`api-${i}`, ["sg-app"], [placement("app-a", "10.0.0.0/24", [appAcl, appSg])]), "api"),
        );
        const text = documentedFlowCharts({ workloads: [...many, db] }, registry).join("\n");
        assert.match(text, /_4 more routes are not drawn/);
    });
});

describe("markdown report: documented-flow charts of a real program", function () {
    this.timeout(240000);

    it("charts the example's documented flow with the hop where the reply dies", () => {
        const r = cli(["check", `${ROOT}/examples/aws-three-tier`, "--format", "markdown", "--quiet"]);
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stdout, /^#### postgres \(tcp 5432\): documented flows, 0 through, 4 blocked$/m);
        assert.match(r.stdout, /\["✗ network ACL db-acl \(reply outbound\) tcp 1024-32767"\]/);
        assert.match(r.stdout, /\["app-asg \(app-a\)"\]/);
    });
});
