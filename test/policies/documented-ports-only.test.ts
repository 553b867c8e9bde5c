import { documentedPortsOnly as policy } from "../../policies/documented-ports-only";
import { casesFor } from "../cases";
import { assertFindings, check, PolicyCase } from "../helpers";

function run(c: PolicyCase) {
    assertFindings(check(policy, c.type, c.props, c.config), c.errors, c.advisories);
}

describe("documented-ports-only", () => {
    const { valid, invalid } = casesFor("documented-ports-only");
    describe("valid", () => valid.forEach((c) => it(c.name, () => run(c))));
    describe("invalid", () => invalid.forEach((c) => it(c.name, () => run(c))));
});
