import { documentedPortsOnly as policy } from "../../policies/documented-ports-only";
import { invalid, valid } from "../cases/documented-ports-only.cases";
import { assertFindings, check, PolicyCase } from "../helpers";

function run(c: PolicyCase) {
    assertFindings(check(policy, c.type, c.props, c.config), c.errors, c.advisories);
}

describe("documented-ports-only", () => {
    describe("valid", () => valid.forEach((c) => it(c.name, () => run(c))));
    describe("invalid", () => invalid.forEach((c) => it(c.name, () => run(c))));
});
