// The program's own @pulumi/pulumi, and what a run changes in it: its global settings (restored
// afterwards), the mock runtime in preview mode with a monitor that records every registration, and
// a hook on resource construction that notes where each resource was created.
import * as fs from "fs";
import * as path from "path";
import { firstLine } from "../text";
import { InputError } from "../types";
import { captureCallSites, locateCreation } from "./creation-sites";
import { answerInvoke } from "./invokes";
import { requireFile } from "./load";
import { Patches } from "./patches";
import { Recorder } from "./recorder";
import { Warnings } from "./warnings";

/** The organization name the mock runtime reports (`pulumi.getOrganization()`). */
export const PLACEHOLDER_ORGANIZATION = "organization";

/** A resource object as the SDK's runtime hands it to registerResource and readResource: its URN output. */
export interface SdkResource {
    readonly urn?: {
        /** Internal to Output, in the SDK versions that have it. */
        promise?: () => Promise<unknown>;
        apply: (f: (urn: unknown) => void) => unknown;
    };
}

/** A RegisterResourceRequest or ReadResourceRequest (protobuf) as the mock monitor receives it. */
export interface ResourceRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getProvider(): string;
    getDependenciesList(): string[];
    /** Register requests only. */
    getCustom?(): boolean;
    getObject?(): { toJavaScript(): unknown } | undefined;
    /** Read requests only. */
    getProperties?(): { toJavaScript(): unknown } | undefined;
    /** In the SDK versions that send them. */
    getRemote?(): boolean;
    getPropertydependenciesMap?(): { forEach(f: (deps: { getUrnsList(): string[] }, key: string) => void): void };
    getSourceposition?(): { getUri(): string; getLine(): number; getColumn(): number } | undefined;
}

/** The SDK's resource monitor under setMocks: the calls the recorder wraps, and URNs. */
interface MockMonitor {
    registerResource?: (req: ResourceRequest, callback: unknown) => unknown;
    readResource?: (req: ResourceRequest, callback: unknown) => unknown;
    newUrn?: (parent: string, type: string, name: string) => string;
}

/**
 * What the mock runtime asks of a run: a new resource's ID and state, an invoke's result. 3.x
 * passes one object of arguments; 2.x passes them one by one (type, name, inputs, ... and token,
 * inputs, provider).
 */
interface Mocks {
    newResource: (...args: [{ inputs: Record<string, unknown> }] | [string, string, Record<string, unknown>, ...unknown[]]) => {
        id: undefined;
        state: Record<string, unknown>;
    };
    call: (...args: [{ token: string; inputs: unknown }] | [string, unknown, ...unknown[]]) => unknown;
}

/** @pulumi/pulumi's runtime as a run uses it (every 3.x and late 2.x has these but setAllConfig). */
interface MockRuntime {
    setMocks: (mocks: Mocks, project: string, stack: string, preview: boolean, organization: string) => Promise<void>;
    runInPulumiStack: (init: () => Promise<unknown>) => Promise<unknown>;
    setAllConfig?: (config: Record<string, string>, secretKeys: string[]) => void;
    disconnect: () => Promise<void>;
}

/** A method of the SDK's Config class (require, requireNumber, ...), called on a Config. */
export type ConfigMethod = (this: { fullKey?: (key: string) => string } | undefined, key: string, ...rest: unknown[]) => unknown;

/** The parts of the program's @pulumi/pulumi a run uses. */
interface PulumiModule {
    runtime?: Partial<MockRuntime>;
    Resource?: { prototype: unknown };
    Config?: { prototype: Record<string, ConfigMethod | undefined> };
    secret: (value: unknown) => unknown;
}

/** The SDK's options (runtime/settings), as resetOptions takes them back. */
interface SdkOptions {
    project?: string;
    stack?: string;
    parallel?: number;
    engineAddr?: string;
    monitorAddr?: string;
    dryRun?: boolean;
    organization?: string;
    rootDirectory?: string;
}

/** The SDK's global store (runtime/state): the settings, config and feature flags a run changes. */
export interface SdkStore {
    settings: { options: SdkOptions };
    config: Record<string, string>;
    stackResource?: unknown;
    [flag: string]: unknown;
}

interface SdkSettings {
    getMonitor: () => MockMonitor | undefined;
    waitForRPCs?: () => Promise<void>;
    resetOptions?: (
        project?: string,
        stack?: string,
        parallel?: number,
        engineAddr?: string,
        monitorAddr?: string,
        preview?: boolean,
        organization?: string,
    ) => void;
}

interface SdkState {
    getStore?: () => SdkStore | undefined;
    setStackResource?: (resource: unknown) => void;
}

/** registerResource and readResource of runtime/resource: the resource object comes first. */
type RuntimeResourceFn = (this: unknown, res: SdkResource, ...rest: unknown[]) => unknown;

export interface Sdk {
    dir: string;
    version: string;
    pulumi: PulumiModule & { runtime: MockRuntime };
    settings: SdkSettings;
    state: SdkState | undefined;
    runtimeResource: { registerResource?: RuntimeResourceFn; readResource?: RuntimeResourceFn };
    /** The file holding the Resource class (its constructor frame starts every registration). */
    resourceFile: string;
    Resource: PulumiModule["Resource"];
    Config: PulumiModule["Config"];
}

function hasMockRuntime(pulumi: PulumiModule | undefined): pulumi is PulumiModule & { runtime: MockRuntime } {
    return typeof pulumi?.runtime?.setMocks === "function" && typeof pulumi.runtime.runInPulumiStack === "function";
}

export function loadSdk(dir: string): Sdk {
    let pkgJson: string;
    try {
        pkgJson = require.resolve("@pulumi/pulumi/package.json", { paths: [dir] });
    } catch {
        throw new InputError(`the program ${dir} cannot be run: @pulumi/pulumi is not installed for it (run npm install in ${dir})`);
    }
    const sdkDir = path.dirname(pkgJson);
    let version = "?";
    let pulumi: PulumiModule | undefined;
    try {
        // eslint-disable-next-line @typescript-eslint/no-base-to-string -- package.json's version, whatever it holds, as String() writes it
        version = String((JSON.parse(fs.readFileSync(pkgJson, "utf8")) as { version?: unknown }).version ?? "?");
        pulumi = requireFile<PulumiModule | undefined>(sdkDir);
    } catch (e) {
        throw new InputError(
            `the program ${dir} cannot be run: loading ${sdkDir} failed: ${firstLine(String((e as Error)?.message ?? e))}`,
        );
    }
    if (!hasMockRuntime(pulumi)) {
        throw new InputError(`the program ${dir} uses @pulumi/pulumi ${version}, which has no mock runtime; upgrade it to 3.x`);
    }
    const tryRequire = <T>(p: string): T | undefined => {
        try {
            return requireFile<T>(p);
        } catch {
            return undefined;
        }
    };
    return {
        dir: sdkDir,
        version,
        pulumi,
        settings: requireFile<SdkSettings>(path.join(sdkDir, "runtime", "settings")),
        state: tryRequire<SdkState>(path.join(sdkDir, "runtime", "state")),
        runtimeResource: requireFile<Sdk["runtimeResource"]>(path.join(sdkDir, "runtime", "resource")),
        resourceFile: require.resolve(path.join(sdkDir, "resource")),
        Resource: pulumi.Resource,
        Config: pulumi.Config,
    };
}

/** The SDK's global settings (options, config, feature flags, the root stack resource), restored after the run. */
export function restoreSdkSettingsAfter(sdk: Sdk, patches: Patches): SdkStore | undefined {
    const store = typeof sdk.state?.getStore === "function" ? sdk.state.getStore() : undefined;
    if (!store) return undefined;
    const options = { ...store.settings.options };
    const configBefore = { ...store.config };
    const flags: Record<string, unknown> = {};
    for (const k of Object.keys(store)) if (k.startsWith("supports")) flags[k] = store[k];
    const stackResource = store.stackResource;
    patches.add(() => {
        if (typeof sdk.settings.resetOptions === "function") {
            sdk.settings.resetOptions(
                options.project,
                options.stack,
                options.parallel,
                options.engineAddr,
                options.monitorAddr,
                options.dryRun,
                options.organization,
            );
        }
        Object.assign(store.settings.options, options);
        store.config = configBefore;
        Object.assign(store, flags);
        if (typeof sdk.state?.setStackResource === "function") sdk.state.setStackResource(stackResource);
        else store.stackResource = stackResource;
    });
    return store;
}

/** Where each resource is created, computed while its constructor runs. */
export function recordCreationSites(sdk: Sdk, patches: Patches, recorder: Recorder, cwd: string): void {
    for (const [fn, resIndex] of [
        ["registerResource", 0],
        ["readResource", 0],
    ] as const) {
        const original = sdk.runtimeResource[fn];
        if (typeof original !== "function") continue;
        const wrapped = function (this: unknown, ...args: Parameters<RuntimeResourceFn>) {
            if (!recorder.closed) {
                try {
                    const loc = locateCreation(captureCallSites(wrapped), args[resIndex], sdk, cwd);
                    if (loc) recorder.created.push({ res: args[resIndex], loc });
                } catch {
                    // a location is a nicety
                }
            }
            return original.apply(this, args);
        };
        patches.set(sdk.runtimeResource, fn, wrapped);
    }
}

export interface MockRun {
    project: string;
    stack: string;
    dir: string;
    config: { values: Record<string, string>; secretKeys: string[] };
    store: SdkStore | undefined;
    recorder: Recorder;
    warnings: Warnings;
}

/**
 * The SDK's mock runtime in preview mode: no IDs, inputs as state, invokes answered with
 * placeholders; its monitor computes URNs like the engine and records every registration.
 */
export async function installMockRuntime(sdk: Sdk, run: MockRun): Promise<void> {
    const { recorder, store } = run;
    const mocks: Mocks = {
        newResource: (...args) => ({ id: undefined, state: typeof args[0] === "string" ? args[2]! : args[0].inputs }),
        call: (...args) =>
            typeof args[0] === "string"
                ? answerInvoke(args[0], args[1], run.warnings, run.dir)
                : answerInvoke(args[0].token, args[0].inputs, run.warnings, run.dir),
    };
    await sdk.pulumi.runtime.setMocks(mocks, run.project, run.stack, /* preview */ true, PLACEHOLDER_ORGANIZATION);
    if (store) store.settings.options.rootDirectory = run.dir;
    if (typeof sdk.pulumi.runtime.setAllConfig === "function") {
        sdk.pulumi.runtime.setAllConfig(run.config.values, run.config.secretKeys);
    }
    const monitor = sdk.settings.getMonitor();
    if (!monitor || typeof monitor.registerResource !== "function") {
        throw new Error(`@pulumi/pulumi ${sdk.version} did not install a mock resource monitor`);
    }
    monitor.newUrn = (parent: string, type: string, name: string) => recorder.urn(parent, type, name);
    const register = monitor.registerResource;
    monitor.registerResource = (req: ResourceRequest, callback: unknown) => {
        recorder.record(req, false);
        return register.call(monitor, req, callback);
    };
    if (typeof monitor.readResource === "function") {
        const read = monitor.readResource;
        monitor.readResource = (req: ResourceRequest, callback: unknown) => {
            recorder.record(req, true);
            return read.call(monitor, req, callback);
        };
    }
}
