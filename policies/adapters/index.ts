import { NormalisedResource } from "../model/rules";
import { Input, SecretPaths } from "./support/input";
import { awsAdapters } from "./aws/firewalls";
import { awsNativeAdapters } from "./aws-native/firewalls";
import { azureClassicAdapters } from "./azure/classic";
import { azureNativeAdapters } from "./azure/native";
import { digitaloceanAdapters } from "./digitalocean/firewalls";
import { gcpAdapters } from "./gcp/firewalls";
import { kubernetesAdapters } from "./kubernetes/firewalls";
import { Adapter } from "./support/resource-builder";

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
