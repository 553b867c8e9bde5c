// Pulumi TypeScript/JavaScript programs, run in this process under the Pulumi SDK's mock runtime in
// preview mode. Every resource the program registers is recorded from the RegisterResource request
// the SDK builds, i.e. in the wire form the engine receives (unknown sentinels and secret wrappers
// included), which is what the engine forwards to a policy pack's Analyze call.
//
// What this reproduces of `pulumi preview`:
//   - the program's own @pulumi/pulumi runs it, inside `runInPulumiStack` like the language host
//     does, so top-level resources are parented to the root stack resource (sdk.ts);
//   - preview mode: the mocks return no ID and only the inputs as state, so IDs and computed outputs
//     (ARNs, ...) are unknown and inputs built from them reach the request as the unknown sentinel;
//   - URNs are computed like the engine (recorder.ts; the mock monitor's own scheme differs for
//     nested parents and keeps the root stack type in children's URNs);
//   - project config from Pulumi.yaml and stack config from Pulumi.<stack>.yaml (stack-config.ts);
//   - TypeScript transpiled like ts-node does it under `pulumi`, with the compiler the check ships
//     (transpile.ts, typescript-hooks.ts), ES module programs through module hooks (esm-hooks.ts).
// What it cannot reproduce: provider Check (defaults, autonaming) — the inputs are the program's
// inputs as sent to the engine —, real invoke results (placeholders, invokes.ts), and children of
// remote (multi-language) components, which a plugin would create.
//
// Only one program runs at a time in a process (the SDK's runtime state is global); calls queue.
// Everything patched for a run (require hooks, module resolution, Error.prepareStackTrace, process
// listeners, process.exit, Config methods, environment, cwd, SDK settings, protobuf classes) is restored afterwards
// (patches.ts); the ES module hooks stay registered but act only on the URLs of a run.
import * as fs from "fs";
import * as path from "path";
import { listNames } from "../../policies/kit/findings";
import { InputError, LoadedStack } from "../types";
import { creationSitesByUrn } from "./creation-sites";
import { Failure, programFailed, ProgramExit, stackOf } from "./failures";
import { requireFile } from "./load";
import { Patches } from "./patches";
import { readProject, resolveEntry } from "./project";
import { checkNamespace, sdkNamespace } from "./protobuf-namespace";
import { Recorder } from "./recorder";
import { installMockRuntime, loadSdk, PLACEHOLDER_ORGANIZATION, recordCreationSites, restoreSdkSettingsAfter, Sdk } from "./sdk";
import { makePrepareStackTrace, setCurrentTypeScript } from "./source-maps";
import { MissingConfig, missingConfigError, patchConfig, placeholderFor, Placeholders, readConfig } from "./stack-config";
import { dynamicImport, installRequireHooks, registerEsmHooks, runUrl, typeScriptFor } from "./typescript-hooks";
import { displayPath, isUnderNodeModules, isUserFile } from "./user-files";
import { nextTurn, waitAtMost } from "./waits";
import { Warnings } from "./warnings";

export { findProjectFile } from "./project";
export { INVOKE_PLACEHOLDERS } from "./invokes";
export { PLACEHOLDER_ORGANIZATION } from "./sdk";

export interface ProgramOptions {
    /** Stack name (default "dev"): URNs, `pulumi.getStack()` and the Pulumi.<stack>.yaml config file. */
    stack?: string;
    /** Called every 500 registered resources. */
    onProgress?: (msg: string) => void;
    /** Give up after this long (default 120 000 ms). */
    timeoutMs?: number;
    /**
     * Run with placeholders for required config the stack does not set (a warning per key) instead
     * of failing with the list of missing keys.
     */
    allowMissingConfig?: boolean;
}

export const DEFAULT_PROGRAM_TIMEOUT_MS = 120_000;
export const DEFAULT_STACK = "dev";

let runs = 0;
let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs the Pulumi program in `dir` in preview mode and returns the resources it registers.
 * Programs run one at a time in a process.
 */
export function loadProgram(dir: string, opts: ProgramOptions = {}, input: string = dir): Promise<LoadedStack> {
    const run = queue.then(() => runProgram(dir, opts, input));
    queue = run.catch(() => undefined);
    return run;
}

async function runProgram(dirArg: string, opts: ProgramOptions, input: string): Promise<LoadedStack> {
    const cwd = process.cwd();
    let dir = path.resolve(dirArg);
    try {
        dir = fs.realpathSync(dir);
    } catch {
        // keep it as given; readProject reports it
    }
    const dirShown = displayPath(dir, cwd);
    const warnings = new Warnings();
    const project = readProject(dir);
    const stack = (opts.stack ?? DEFAULT_STACK).split("/").pop() || DEFAULT_STACK;
    const config = readConfig(dir, project, stack, warnings);
    const entry = resolveEntry(dir, project, warnings);
    const typeScript = typeScriptFor(dir, project, entry);
    const restoreNamespace = checkNamespace();
    let sdk: Sdk;
    try {
        sdk = loadSdk(dir);
    } catch (e) {
        restoreNamespace();
        throw e;
    }
    const timeoutMs = opts.timeoutMs ?? DEFAULT_PROGRAM_TIMEOUT_MS;
    const run = ++runs;

    const patches = new Patches();
    patches.add(restoreNamespace);
    patches.add(sdkNamespace(sdk.dir));
    const placeholders: Placeholders = new Map(config.secureKeys.map((k) => [placeholderFor(k), k]));
    const missing: MissingConfig = new Map();
    const recorder = new Recorder(project.name, stack, cwd, warnings, placeholders, opts.onProgress);
    let failure: Failure | undefined;
    let failNow: (f: Failure) => void = () => undefined;
    const failed = new Promise<void>((resolve) => {
        failNow = (f: Failure) => {
            failure ??= f;
            resolve();
        };
    });
    const fail = (err: unknown) => failNow({ err, stack: stackOf(err) });
    // Rejections still on their way (a failed program's stack outputs) arrive while the run's listeners
    // are in place: they fail this run, as in pulumi, and never end the check after it.
    const settle = async () => {
        if (failure && typeof sdk.settings.waitForRPCs === "function") {
            await waitAtMost(Promise.resolve(sdk.settings.waitForRPCs()), 1000);
        }
        for (let i = 0; i < 3; i++) await nextTurn();
    };
    let timer: NodeJS.Timeout | undefined;
    const cacheBefore = new Set(Object.keys(require.cache));

    try {
        if (entry.esm) registerEsmHooks();
        setCurrentTypeScript(typeScript);
        patches.add(() => setCurrentTypeScript(undefined));

        // Stack traces: TypeScript positions (installed first, so every later error is formatted by it).
        // eslint-disable-next-line @typescript-eslint/unbound-method -- V8's hook: the new one hands frames that are not ours to it
        patches.set(Error, "prepareStackTrace", makePrepareStackTrace(Error.prepareStackTrace));

        // Errors that escape the program (thrown in callbacks, unhandled rejections) fail the run,
        // as they fail `pulumi preview`. Other listeners (a test runner's) are set aside meanwhile.
        for (const event of ["unhandledRejection", "uncaughtException"] as const) {
            const others = process.rawListeners(event);
            process.removeAllListeners(event);
            const listener = (err: unknown) => fail(err);
            process.on(event, listener);
            patches.add(() => {
                process.removeListener(event, listener);
                for (const l of others) process.on(event, l as (...args: unknown[]) => void);
            });
        }
        // process.exit() would end the check with the program's code (0: a pass nobody checked).
        patches.set(process, "exit", (code?: unknown) => {
            const e = new ProgramExit(code);
            fail(e);
            throw e;
        });

        // The program's own output goes to stderr, so that stdout stays the check's report.
        for (const m of ["log", "info", "debug"] as const) {
            const toStderr = console.error.bind(console);
            patches.set(console, m, (...args: unknown[]) => toStderr(...args));
        }

        installRequireHooks(patches, typeScript);

        // Fresh copies of the program's own modules on every run (dependencies stay cached).
        for (const key of Object.keys(require.cache)) {
            if (key.startsWith(dir + path.sep) && !isUnderNodeModules(path.relative(dir, key))) {
                delete require.cache[key];
            }
        }
        patches.add(() => {
            for (const key of Object.keys(require.cache)) {
                if (!cacheBefore.has(key) && isUserFile(key)) delete require.cache[key];
            }
        });

        // Environment, for the SDK and for programs that read it.
        const configJson = JSON.stringify(config.values);
        patches.env("PULUMI_CONFIG", configJson);
        patches.env("PULUMI_CONFIG_SECRET_KEYS", JSON.stringify(config.secretKeys));
        patches.env("PULUMI_NODEJS_PROJECT", project.name);
        patches.env("PULUMI_NODEJS_STACK", stack);
        patches.env("PULUMI_NODEJS_ORGANIZATION", PLACEHOLDER_ORGANIZATION);
        patches.env("PULUMI_NODEJS_ROOT_DIRECTORY", dir);
        patches.env("PULUMI_NODEJS_DRY_RUN", "true");

        const store = restoreSdkSettingsAfter(sdk, patches);

        // Reads of required config the stack does not set get placeholders; the keys are collected.
        patchConfig(sdk, patches, missing, placeholders);

        recordCreationSites(sdk, patches, recorder, cwd);
        await installMockRuntime(sdk, { project: project.name, stack, dir, config, store, recorder, warnings });

        // Like the language host: run the program inside the root stack, with cwd = the project.
        process.chdir(dir);
        patches.add(() => process.chdir(cwd));
        const init = async () => {
            let exported: unknown;
            if (entry.esm) {
                const namespace = await dynamicImport(runUrl(entry.file, run, dir, project.tsconfig));
                exported = namespace;
                if (namespace && Object.getOwnPropertyDescriptor(namespace, "default") !== undefined) {
                    exported = namespace.default;
                }
            } else {
                exported = requireFile<unknown>(entry.file);
            }
            // An exported function is the program (its result, the stack's outputs), called as the language host calls it.
            return await (exported instanceof Function ? (exported as () => unknown)() : exported);
        };
        const work = (async () => {
            await sdk.pulumi.runtime.runInPulumiStack(init);
            if (typeof sdk.settings.waitForRPCs === "function") await sdk.settings.waitForRPCs();
            else await sdk.pulumi.runtime.disconnect();
        })();
        const timedOut = new Promise<"timeout">((resolve) => {
            timer = setTimeout(() => resolve("timeout"), timeoutMs);
        });
        const outcome = await Promise.race([
            work.then(
                () => "done" as const,
                (e: unknown) => {
                    fail(e);
                    return "failed" as const;
                },
            ),
            failed.then(() => "failed" as const),
            timedOut,
        ]);
        if (outcome !== "timeout") await settle();
        // Missing config first: a program that fails on a placeholder failed because of the missing key.
        if (missing.size > 0 && !opts.allowMissingConfig) {
            throw missingConfigError(dirShown, missing, config.file, stack, cwd);
        }
        if (outcome === "timeout") {
            throw new InputError(
                `the program ${dirShown} did not finish within ` +
                    `${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`} ` +
                    `(${recorder.records.length} resources registered so far)`,
            );
        }
        if (failure) {
            const e = programFailed(dirShown, failure, cwd);
            if (missing.size > 0) e.message += ` (it ran with placeholders for ${[...missing.keys()].join(", ")})`;
            const empty = [...warnings.emptyInvokes];
            if (empty.length > 0)
                e.message +=
                    `; the program read ${empty.length === 1 ? "the invoke" : "the invokes"} ${listNames(empty, 3)}, answered here with an empty ` +
                    `placeholder ({}) because ${empty.length === 1 ? "its real result needs" : "their real results need"} the provider`;
            throw e;
        }
        if (recorder.duplicate) {
            throw new InputError(
                `the program ${dirShown} failed: duplicate resource URN '${recorder.duplicate}'; try giving it a unique name`,
            );
        }
        for (const [key, method] of missing) {
            const users = recorder.placeholderUse.get(key) ?? [];
            warnings.add(
                `missing required config ${key} (${method}): ran with the placeholder ${JSON.stringify(method.endsWith("Object") ? {} : placeholderFor(key))}` +
                    (users.length > 0
                        ? `; it is in the inputs of ${listNames(users, 3)}, and a rule built from it is reported as not checked`
                        : "") +
                    `; set it in ${displayPath(config.file, cwd)} to check the real value`,
            );
        }

        // Join creation sites to URNs (every URN is known in preview).
        const locations = await creationSitesByUrn(recorder.created, 2000);
        const resources = recorder.records.map(({ resource, sdkSource }) => {
            const created = locations.get(resource.urn);
            if (created) return { ...resource, ...created };
            return sdkSource ? { ...resource, source: sdkSource } : resource;
        });
        const providers = recorder.providers.length > 0 ? { providers: recorder.providers } : {};
        return { kind: "program", input, project: project.name, stack, resources, ...providers, warnings: warnings.list() };
    } catch (e) {
        if (e instanceof InputError) throw e;
        await settle();
        if (missing.size > 0 && !opts.allowMissingConfig) throw missingConfigError(dirShown, missing, config.file, stack, cwd);
        throw programFailed(dirShown, { err: e, stack: stackOf(e) }, cwd);
    } finally {
        recorder.closed = true;
        if (timer) clearTimeout(timer);
        patches.restoreAll();
    }
}
