// `internal-ports policies`: every policy of the pack with its default level, severity and what it
// checks, from the policies' own metadata (no pack process needed).
import { policies } from "../policies";
import { docUrl } from "../policies/kit/definition";
import { CommandResult, failure } from "./command-result";

const fail = failure("internal-ports");

export function listPolicies(format: string, stderr: (s: string) => void): CommandResult {
    const rows = policies.map((p) => ({
        name: p.meta.name,
        defaultLevel: p.meta.defaultLevel,
        severity: p.meta.severity,
        description: p.meta.description,
        url: docUrl(p.meta.name),
    }));
    if (format === "json") return { code: 0, stdout: JSON.stringify(rows, null, 2) + "\n" };
    if (format !== "text") return fail(stderr, `policies --format must be text or json, not "${format}"`);
    const width = (k: "name" | "defaultLevel" | "severity") => Math.max(...rows.map((r) => r[k].length));
    const line = (r: (typeof rows)[number]) =>
        `${r.name.padEnd(width("name"))}  ${r.defaultLevel.padEnd(width("defaultLevel"))}  ${r.severity.padEnd(width("severity"))}  ${r.description}`;
    return { code: 0, stdout: rows.map(line).join("\n") + "\n" };
}
