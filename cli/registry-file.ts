// Which ports.yaml judges an input: the one given with --registry, else the project's own (a
// ports.yaml beside its Pulumi.yaml), else the pack's.
import * as fs from "fs";
import * as path from "path";

export function projectRegistry(input: string): string | undefined {
    try {
        if (!fs.statSync(input).isDirectory() || !fs.existsSync(path.join(input, "Pulumi.yaml"))) return undefined;
    } catch {
        return undefined;
    }
    const file = path.join(input, "ports.yaml");
    return fs.existsSync(file) ? path.resolve(file) : undefined;
}

export function registryFileFor(input: string, packDir: string, explicit?: string): string {
    return path.resolve(explicit ?? projectRegistry(input) ?? path.join(packDir, "ports.yaml"));
}
