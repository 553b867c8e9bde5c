// The policy pack entry. The Pulumi CLI runs the compiled dist/index.js (package.json `main`).
import * as path from "path";
import { PolicyPack } from "@pulumi/policy";
import { policies, policyNames } from "./policies";
import { toPulumiPolicy } from "./policies/kit/pulumi";
import { loadRegistry, Registry, RegistryError } from "./policies/registry";
import { registryFromSnapshotFile } from "./policies/registry/snapshot";
import { installRequestSharing } from "./policies/kit/requests";

/** The pack root holds ports.yaml; INTERNAL_PORTS_REGISTRY points elsewhere (local checks, tests). */
export const registryPath = process.env.INTERNAL_PORTS_REGISTRY || path.join(__dirname, "..", "ports.yaml");

/** Written by `npm run build` from the ports.yaml it found; used only while ports.yaml is that very file. */
export const snapshotPath = path.join(__dirname, "ports.snapshot.json");

function startupRegistry(): Registry {
    try {
        return loadRegistry(registryPath, {
            policyNames,
            prepared: (text) => registryFromSnapshotFile(snapshotPath, text, registryPath, policyNames),
        });
    } catch (e) {
        if (e instanceof RegistryError) {
            // A half-read registry would let mistakes through: refuse to start, with the file's own words.
            console.error(e.message);
            // 32 tells the Pulumi CLI the message was already shown to the user.
            process.exit(32);
        }
        throw e;
    }
}

const registry = startupRegistry();
installRequestSharing();

export const pack = new PolicyPack("internal-ports", {
    description:
        "Keeps internal ports internal: blocks firewall rules that open internal ports to the internet or open undocumented ports.",
    policies: policies.map((p) => toPulumiPolicy(p, registry)),
});
