// Every policy's table of cases: the base tables plus one file per provider under providers/.
// Unit tests run them through runCheck, the end-to-end test through the Analyzer protocol.
import * as fs from "fs";
import * as path from "path";
import { requireFile } from "../../cli/inputs/load";
import { PolicyCase } from "../helpers";

export interface CaseTable {
    valid: PolicyCase[];
    invalid: PolicyCase[];
}

/** A provider file exports `cases: Record<policyName, CaseTable>`. */
export function casesFor(policy: string): CaseTable {
    const base = requireFile<CaseTable>(path.join(__dirname, `${policy}.cases`));
    const table: CaseTable = { valid: [...base.valid], invalid: [...base.invalid] };
    const dir = path.join(__dirname, "providers");
    if (fs.existsSync(dir)) {
        for (const file of fs
            .readdirSync(dir)
            .filter((f) => f.endsWith(".cases.js"))
            .sort()) {
            const extra = requireFile<{ cases: Record<string, CaseTable> }>(path.join(dir, file)).cases[policy];
            if (!extra) continue;
            const prefix = file.replace(/\.cases\.js$/, "");
            table.valid.push(...extra.valid.map((c) => ({ ...c, name: `${prefix}: ${c.name}` })));
            table.invalid.push(...extra.invalid.map((c) => ({ ...c, name: `${prefix}: ${c.name}` })));
        }
    }
    return table;
}
