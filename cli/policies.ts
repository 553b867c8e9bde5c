// `internal-ports policies`: every policy of the pack with its default level, severity and what it
// checks, from the policies' own metadata (no pack process needed).
import { policies } from "../policies";
import { docUrl } from "../policies/kit/definition";

export function listPolicies(format: string, stderr: (s: string) => void): { code: number; stdout: string } {
    const rows = policies.map((p) => ({ name: p.meta.name, defaultLevel: p.meta.defaultLevel, severity: p.meta.severity, description: p.meta.description, url: docUrl(p.meta.name) }));
    if (format === "json") return { code: 0, stdout: JSON.stringify(rows, null, 2) + "\n" };
    if (format !== "text") {
        stderr(`internal-ports: policies --format must be text or json, not "${format}"\n`);
        return { code: 2, stdout: "" };
    }
    const width = (k: "name" | "defaultLevel" | "severity") => Math.max(...rows.map((r) => r[k].length));
    const line = (r: (typeof rows)[number]) => `${r.name.padEnd(width("name"))}  ${r.defaultLevel.padEnd(width("defaultLevel"))}  ${r.severity.padEnd(width("severity"))}  ${r.description}`;
    return { code: 0, stdout: rows.map(line).join("\n") + "\n" };
}
