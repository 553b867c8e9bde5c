import { noWorldOpenInternalPorts as policy } from "../../policies/no-world-open-internal-ports";
import { casesFor } from "../cases";
import { assertFindings, check, PolicyCase } from "../helpers";

function run(c: PolicyCase) {
    assertFindings(check(policy, c.type, c.props, c.config), c.errors, c.advisories);
}

describe("no-world-open-internal-ports", () => {
    const { valid, invalid } = casesFor("no-world-open-internal-ports");
    describe("valid", () => valid.forEach((c) => it(c.name, () => run(c))));
    describe("invalid", () => invalid.forEach((c) => it(c.name, () => run(c))));
});
