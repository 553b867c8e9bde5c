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

    /** `label`: how the file is named in the message (default its base name, as the pack knows it). */
    constructor(file: string, problems: RegistryProblem[], headline?: string, label = path.basename(file) || file) {
        const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
        const head = headline ?? `${label} is invalid (${count}); the policy pack cannot start:`;
        super([head, ...problems.map((p) => formatProblem(label, p))].join("\n"));
        this.name = "RegistryError";
        this.file = file;
        this.problems = problems;
        this.headline = headline;
    }

    private readonly headline?: string;

    /** The same problems, the file named as the user knows it (a path relative to where they are): several ports.yaml files may be in play. */
    withLabel(label: string): RegistryError {
        return new RegistryError(this.file, this.problems, this.headline?.replace(path.basename(this.file), label), label);
    }
}

function formatProblem(label: string, p: RegistryProblem): string {
    const where = p.line !== undefined ? `${label}:${p.line}` : label;
    return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}
