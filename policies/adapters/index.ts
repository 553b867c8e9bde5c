import { NormalisedResource } from "../lib/model";
import { Input, SecretPaths } from "../lib/values";
import { awsAdapters } from "./aws";
import { awsNativeAdapters } from "./aws-native";
import { azureClassicAdapters } from "./azure-classic";
import { azureNativeAdapters } from "./azure-native";
import { digitaloceanAdapters } from "./digitalocean";
import { gcpAdapters } from "./gcp";
import { kubernetesAdapters } from "./kubernetes";
import { Adapter } from "./types";

export const adapters: readonly Adapter[] = [...awsAdapters, ...azureNativeAdapters, ...gcpAdapters, ...digitaloceanAdapters,
    ...azureClassicAdapters, ...awsNativeAdapters, ...kubernetesAdapters];

const byType = new Map<string, Adapter>();
for (const a of adapters) for (const t of a.types) byType.set(t, a);

export function adapterFor(type: string): Adapter | undefined {
    return byType.get(type) ?? adapters.find((a) => a.typePattern?.test(type));
}

/** Every type token the pack understands exactly (versioned Azure tokens match by pattern too). */
export const supportedTypes: readonly string[] = adapters.flatMap((a) => a.types);

export function normalise(type: string, props: unknown, secrets?: SecretPaths): NormalisedResource | undefined {
    return adapterFor(type)?.normalise(Input.root(props, secrets), type);
}
