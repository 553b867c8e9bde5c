// Each policy against its table of valid and invalid cases (base table plus one file per provider),
// called the way the pack calls it. The same tables run through the protocol in test/e2e.
import { policies } from "../../policies";
import { casesFor } from "../cases";
import { assertFindings, checkCase } from "../helpers";

for (const def of policies) {
    describe(def.meta.name, () => {
        const { valid, invalid } = casesFor(def.meta.name);
        for (const [kind, table] of [
            ["valid", valid],
            ["invalid", invalid],
        ] as const) {
            describe(kind, () => {
                for (const c of table) it(c.name, () => assertFindings(checkCase(def, c), c));
            });
        }
    });
}
