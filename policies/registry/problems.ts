// What is wrong with a ports.yaml: each problem with its line, the path in the file and what to
// change, all reported at once in one RegistryError.
import * as path from "path";

export interface RegistryProblem {
    line?: number;
    /** Where in the file, e.g. `services[2].ports[0]`; `(top level)` for the document itself. */
    path: string;
    message: string;
}

export class RegistryError extends Error {
    readonly file: string;
    readonly problems: RegistryProblem[];

    constructor(file: string, problems: RegistryProblem[], headline?: string) {
        const label = path.basename(file) || file;
        const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
        const head = headline ?? `${label} is invalid (${count}); the policy pack cannot start:`;
        super([head, ...problems.map((p) => formatProblem(label, p))].join("\n"));
        this.name = "RegistryError";
        this.file = file;
        this.problems = problems;
    }
}

function formatProblem(label: string, p: RegistryProblem): string {
    const where = p.line !== undefined ? `${label}:${p.line}` : label;
    return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

