// Part of `npm run build`: writes dist/ports.snapshot.json from the pack's ports.yaml, so that a pack
// started with that very file skips reading it (see policies/registry/snapshot.ts). An invalid
// ports.yaml gets no snapshot: the pack then reads the file at start-up and reports its problems.
import * as fs from "fs";
import * as path from "path";
import { policyNames } from "../policies";
import { loadRegistry, RegistryError } from "../policies/registry";
import { snapshotKey, snapshotOf } from "../policies/registry/snapshot";

const root = path.join(__dirname, "..", "..");

export function writeSnapshot(registryFile: string, out: string): boolean {
    fs.rmSync(out, { force: true });
    try {
        const registry = loadRegistry(registryFile, { policyNames });
        const snapshot = snapshotOf(registry, snapshotKey(fs.readFileSync(registryFile, "utf8"), policyNames));
        fs.writeFileSync(out, JSON.stringify(snapshot));
        return true;
    } catch (e) {
        if (!(e instanceof RegistryError)) throw e;
        console.error(
            `No start-up snapshot of ${path.relative(root, registryFile)} (the pack will read the file when it starts):\n${e.message}`,
        );
        return false;
    }
}

if (require.main === module) writeSnapshot(path.join(root, "ports.yaml"), path.join(root, "dist", "ports.snapshot.json"));
