// examples/azure-vnet-stack against its own ports.yaml (beside its Pulumi.yaml), which documents who
// talks to whom: the check (its findings pinned by expected.json, in examples.test.ts) words the
// broken documented flow and the exposure path hop by hop.
import { strict as assert } from "assert";
import { exampleStack, ExampleStack } from "./example-report";

describe("examples/azure-vnet-stack with its own ports.yaml", function () {
    this.timeout(300000);
    let stack: ExampleStack;

    before(async () => {
        stack = await exampleStack("azure-vnet-stack");
    });

    it("the exposure path: the world split over an inline rule and a standalone SecurityRule of mgmt-nsg", () => {
        const d = stack.diagnostics.find((x) => x.policy === "no-internet-path-to-internal-ports")!;
        assert.match(
            d.message,
            /The internet reaches tcp 22 \(ssh\) on `bastion-vm`: internet → public IP `bastion-pip` \(Standard SKU\) → subnet NSG `mgmt-nsg` \(securityRules\[1\] "ssh-vendor" \(priority 110\) \(tcp 22 from 0\.0\.0\.0\/1\) and `ssh-vendor-more` \(priority 120, tcp 22 from 128\.0\.0\.0\/1\)\) → `bastion-vm`\./,
        );
    });

    it("the broken documented flow: the API's requests die at the database NIC's NSG, while the subnet NSG admits them", () => {
        const d = stack.diagnostics.find((x) => x.policy === "documented-flows-reachable")!;
        assert.match(
            d.message,
            /`api-vm` → `db-vm` tcp 5432: the request dies at NIC NSG `db-nic-nsg` inbound: securityRules\[2\] "deny-vnet-inbound" \(priority 4000\) \(from service-tag VirtualNetwork\) denies it\./,
        );
        assert.doesNotMatch(
            d.message,
            /10\.50\.0\.0\/16|`web-vm`/,
            "the VPN reaches the database and the web tier reaches the API: no finding for them",
        );
    });
});
