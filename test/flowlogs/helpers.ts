// Shared by the flow log tests: the fixtures and the command as a user runs it.
import * as path from "path";
import { main } from "../../cli/main";

export const FIXTURES = path.resolve(__dirname, "..", "..", "..", "test", "fixtures", "flowlogs");
export const fixture = (name: string): string => path.join(FIXTURES, name);
export const REGISTRY = fixture("ports.yaml");

/** `internal-ports flowlogs <args>` through the CLI's entry (stdout, stderr, exit code). */
export async function flowlogs(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stderr = "";
    const r = await main(["flowlogs", ...args], (s) => (stderr += s));
    return { ...r, stderr };
}

/** A finding of the JSON report, as the README documents it (written out here, not imported: the tests pin the shape). */
export interface ReportFinding {
    kind: string;
    protocol: string;
    port: number | null;
    service: string | null;
    source: string | null;
    destination: string | null;
    flows: number;
    bytes: number;
    where: string[];
}
