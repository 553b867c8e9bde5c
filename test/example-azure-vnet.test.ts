// examples/azure-vnet-stack against its own ports.yaml (beside its Pulumi.yaml), which documents who
// talks to whom: the check reports exactly what its expected.json lists, with the broken documented
// flow and the exposure path worded hop by hop.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { main } from "../cli/main";

const root = path.resolve(__dirname, "..", "..");
const dir = path.join(root, "examples", "azure-vnet-stack");

interface Diagnostic {
    level: string;
    policy: string;
    name: string;
    message: string;
}

describe("examples/azure-vnet-stack with its own ports.yaml", function () {
    this.timeout(300000);
    let code: number;
    let stack: { resources: number; diagnostics: Diagnostic[] };
    const expected = JSON.parse(fs.readFileSync(path.join(dir, "expected.json"), "utf8")) as { resources: number; findings: string[] };

    before(async () => {
        const cwd = process.cwd();
        process.chdir(root);
        try {
            const r = await main(["check", "examples/azure-vnet-stack", "--format", "json", "--quiet"], () => undefined);
            code = r.code;
            stack = (JSON.parse(r.stdout) as { stacks: (typeof stack)[] }).stacks[0];
        } finally {
            process.chdir(cwd);
        }
    });

    it("reports exactly what expected.json lists, and blocks the update", () => {
        assert.equal(code, 1);
        assert.equal(stack.resources, expected.resources);
        assert.deepEqual(stack.diagnostics.map((d) => `${d.level} ${d.policy} ${d.name}`).sort(), [...expected.findings].sort());
    });

    it("the exposure path: the world split over an inline rule and a standalone SecurityRule of mgmt-nsg", () => {
        const d = stack.diagnostics.find((x) => x.policy === "no-internet-path-to-internal-ports")!;
        assert.match(
            d.message,
            /The internet reaches tcp 22 \(ssh\) on `bastion-vm`: internet → public IP `bastion-pip` \(Standard SKU\) → subnet NSG `mgmt-nsg` \(securityRules\[1\] \(priority 110\) \(tcp 22 from 0\.0\.0\.0\/1\) and `ssh-vendor-more` this rule \(priority 120\) \(tcp 22 from 128\.0\.0\.0\/1\)\) → `bastion-vm`\./,
        );
    });

    it("the broken documented flow: the API's requests die at the database NIC's NSG, while the subnet NSG admits them", () => {
        const d = stack.diagnostics.find((x) => x.policy === "documented-flows-reachable")!;
        assert.match(
            d.message,
            /`api-vm` → `db-vm` tcp 5432: the request dies at NIC NSG `db-nic-nsg` inbound: securityRules\[2\] \(priority 4000\) \(from service-tag VirtualNetwork\) denies it\./,
        );
        assert.doesNotMatch(
            d.message,
            /10\.50\.0\.0\/16|`web-vm`/,
            "the VPN reaches the database and the web tier reaches the API: no finding for them",
        );
    });
});
