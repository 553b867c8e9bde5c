// Copyright the internal-ports policy pack authors.
//
// A driver that runs a Node.js Pulumi policy pack exactly the way the Pulumi CLI does, and talks
// to it over the Analyzer gRPC protocol. No Pulumi CLI is needed.
//
// What the CLI does (pkg/resource/plugin/analyzer_plugin.go, NewPolicyAnalyzer + the
// `pulumi-analyzer-policy` shim) and what this module reproduces:
//
//   1. Load <packDir>/PulumiPolicy.yaml (the CLI refuses to start a pack without one).
//   2. Run `node <packDir>/node_modules/@pulumi/pulumi/cmd/run-policy-pack <engine> <packDir>
//      [-<runtimeOption>=<value>...]` with cwd = packDir (the PolicyPack constructor reads
//      `${cwd}/package.json` for its version).
//   3. Read the gRPC port from the first line of stdout and dial 127.0.0.1:<port>.
//   4. GetAnalyzerInfo, then Configure with the *reconciled* config: every policy gets an entry
//      holding its declared enforcement level plus the `default`s of its config schema, overlaid
//      with the pack's initial config and then the user's config, validated against the schema.
//   5. Analyze (per resource) / AnalyzeStack (all resources).
//
// All protobuf/gRPC modules are loaded from the @pulumi/pulumi installation the pack itself
// uses, so that google-protobuf `instanceof` checks in the generated serializers hold.

import { spawn, ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import { parse as parseYaml } from "yaml";
import { SECRET_SIG, SECRET_SIG_KEY, UNKNOWN } from "../policies/wire/engine";

import type * as analyzerPbT from "@pulumi/pulumi/proto/analyzer_pb";
import type * as analyzerGrpcPbT from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as structPbT from "google-protobuf/google/protobuf/struct_pb";
import type * as emptyPbT from "google-protobuf/google/protobuf/empty_pb";
import type * as grpcT from "@grpc/grpc-js";

// ------------------------------------------------------------------------------------------------
// Public types
// ------------------------------------------------------------------------------------------------

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export type Severity = "low" | "medium" | "high" | "critical" | "unspecified";

export interface Diagnostic {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    description: string;
    message: string;
    /**
     * The URN the pack reported. For `analyze`, when the pack reported none (the usual case for
     * resource policies), this is the URN of the analyzed resource. For `analyzeStack` it is ""
     * unless the policy passed a URN to reportViolation.
     */
    urn: string;
    enforcementLevel: EnforcementLevel;
    /** Omitted when the wire value is 0 (POLICY_SEVERITY_UNSPECIFIED, which is also "not set"). */
    severity?: Severity;
}

export interface PolicyInfo {
    name: string;
    displayName: string;
    description: string;
    enforcementLevel: string;
    message?: string;
    configSchema?: { properties: Record<string, unknown>; required?: string[] };
    severity?: string;
    remediationSteps?: string;
    url?: string;
    /** Extension: "resource" or "stack" (omitted when the pack leaves it unset). */
    policyType?: "resource" | "stack";
    /** Extension: policy tags, when the pack sets any. */
    tags?: string[];
}

export interface AnalyzerInfo {
    name: string;
    displayName: string;
    version: string;
    supportsConfig: boolean;
    policies: PolicyInfo[];
    /**
     * The pack's programmatic initial config (third PolicyPack constructor argument), in
     * PolicyPackConfig shape: `{ [policy]: { enforcementLevel, ...properties } }`. Note that the
     * wire format cannot express "no enforcement level" (proto3 enum default is ADVISORY), so every
     * entry carries one; the CLI treats it as set, and so does `configure`.
     */
    initialConfig: Record<string, unknown>;
    /** Extensions, present only when the pack sets them. */
    description?: string;
    readme?: string;
    provider?: string;
    tags?: string[];
    repository?: string;
}

/** Extension: AnalyzerResourceOptions fields. All optional; defaults match what the engine sends. */
export interface ResourceOptionsInput {
    protect?: boolean;
    ignoreChanges?: string[];
    deleteBeforeReplace?: boolean;
    additionalSecretOutputs?: string[];
    aliases?: string[];
    customTimeouts?: { create?: number; update?: number; delete?: number };
    /** Defaults to ResourceInput.parent. */
    parent?: string;
}

/** Extension: full provider description; a plain string is treated as a provider URN/reference. */
export interface ProviderInput {
    type: string;
    name: string;
    urn?: string;
    properties?: Record<string, unknown>;
}

export interface ResourceInput {
    type: string;
    name: string;
    /** Default: urn:pulumi:stack::project::<type>::<name> */
    urn?: string;
    /**
     * Plain JSON. May contain unknown sentinel strings (UNKNOWN) and secret wrappers
     * ({[SECRET_SIG_KEY]: SECRET_SIG, value}) exactly as the engine sends them. JSON semantics
     * apply: keys whose value is `undefined` are dropped.
     */
    properties: Record<string, unknown>;
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    /**
     * A provider URN (or provider reference "<urn>::<id>"): the type and name are parsed from it and
     * the provider is sent with empty properties. Pass a ProviderInput to send properties.
     */
    provider?: string | ProviderInput;
    /** Extension: resource options (protect, ignoreChanges, ...). */
    options?: ResourceOptionsInput;
}

export type PolicyPackConfig = Record<
    string,
    string /* enforcement level */ | ({ enforcementLevel?: string } & Record<string, unknown>)
>;

/** A policy's config as it goes on the wire: one PolicyConfig message. */
export interface WirePolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

export interface NotApplicable {
    policyName: string;
    reason: string;
}

export interface AnalyzeResult {
    diagnostics: Diagnostic[];
    notApplicable: NotApplicable[];
}

export interface StartOptions {
    /** Environment of the pack process. Default: process.env (the CLI passes its own environment). */
    env?: NodeJS.ProcessEnv;
    /** Time allowed until the port is printed. Default 30000. */
    startTimeoutMs?: number;
    /**
     * Extension: the engine address passed as the first argument. The Node.js pack never dials it
     * for analysis. Default "127.0.0.1:0".
     */
    engineAddress?: string;
    /**
     * Extension: when true (default), the first analyze/analyzeStack call is preceded by
     * `configure({})` if `configure`/`configureRaw` has not been called, as the CLI always
     * configures a pack before analyzing. Without it, getConfig() returns {} (no schema defaults)
     * and policies run at their declared levels.
     */
    autoConfigure?: boolean;
    /** Extension: deadline for each RPC in ms. Default: none (like the CLI). */
    callTimeoutMs?: number;
}

export interface StackContext {
    stack?: string;
    project?: string;
    organization?: string;
    dryRun?: boolean;
    tags?: Record<string, string>;
    config?: Record<string, string>;
    configSecretKeys?: string[];
}

// ------------------------------------------------------------------------------------------------
// Errors
// ------------------------------------------------------------------------------------------------

export class PolicyPackStartError extends Error {
    readonly stderr: string;
    readonly exitCode: number | null;
    /** Extension: the signal that ended the process, if any. */
    readonly signal: NodeJS.Signals | null;

    constructor(message: string, stderr: string, exitCode: number | null, signal: NodeJS.Signals | null = null) {
        super(stderr.trim() ? `${message}\n--- policy pack stderr ---\n${stderr.trimEnd()}` : message);
        this.name = "PolicyPackStartError";
        this.stderr = stderr;
        this.exitCode = exitCode;
        this.signal = signal;
    }
}

/** An RPC to the pack failed (e.g. a policy threw). `details` carries the pack's error text. */
export class PolicyPackRpcError extends Error {
    readonly method: string;
    readonly code: number | undefined;
    readonly details: string;
    readonly stderr: string;

    constructor(method: string, code: number | undefined, details: string, stderr: string) {
        super(`${method} failed${code !== undefined ? ` (gRPC code ${code})` : ""}: ${details}`);
        this.name = "PolicyPackRpcError";
        this.method = method;
        this.code = code;
        this.details = details;
        this.stderr = stderr;
    }
}

/** The config is invalid, as the CLI would reject it before analyzing anything. */
export class PolicyPackConfigError extends Error {
    readonly errors: string[];

    constructor(errors: string[]) {
        super(`invalid policy pack config:\n  ${errors.join("\n  ")}`);
        this.name = "PolicyPackConfigError";
        this.errors = errors;
    }
}

// ------------------------------------------------------------------------------------------------
// Wire constants and helpers
// ------------------------------------------------------------------------------------------------

// The engine's unknown sentinel and the secret wrapper's key and value, as the pack itself reads them.
export { SECRET_SIG, SECRET_SIG_KEY, UNKNOWN };

/** Wraps a value the way the engine marshals a secret. */
export function secret<T>(value: T): { value: T } & Record<string, unknown> {
    return { [SECRET_SIG_KEY]: SECRET_SIG, value };
}

export function defaultUrn(type: string, name: string): string {
    return `urn:pulumi:stack::project::${type}::${name}`;
}

const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function isEnforcementLevel(x: unknown): x is EnforcementLevel {
    return typeof x === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(x);
}

// The largest message the CLI and the pack accept (400 MiB).
const MAX_RPC_MESSAGE_SIZE = 1024 * 1024 * 400;

// ------------------------------------------------------------------------------------------------
// Loading the pack's own @pulumi/pulumi protobuf/gRPC modules
// ------------------------------------------------------------------------------------------------

interface Runtime {
    pulumiDir: string;
    runPolicyPack: string;
    pb: typeof analyzerPbT;
    rpc: typeof analyzerGrpcPbT;
    struct: typeof structPbT;
    empty: typeof emptyPbT;
    grpc: typeof grpcT;
}

const runtimes = new Map<string, Runtime>();

function loadRuntime(packDir: string): Runtime {
    let pkgJson: string;
    try {
        pkgJson = require.resolve("@pulumi/pulumi/package.json", { paths: [packDir] });
    } catch (e) {
        throw new PolicyPackStartError(
            `cannot resolve @pulumi/pulumi from ${packDir}; it looks like the policy pack's dependencies ` +
                `are not installed (run npm install there): ${(e as Error).message}`,
            "",
            null,
        );
    }
    const pulumiDir = path.dirname(pkgJson);
    const cached = runtimes.get(pulumiDir);
    if (cached) {
        return cached;
    }
    // Resolve everything exactly as the generated stubs resolve it from inside @pulumi/pulumi.
    const fromPulumi = (id: string) => require.resolve(id, { paths: [pulumiDir] });
    const rt: Runtime = {
        pulumiDir,
        runPolicyPack: path.join(pulumiDir, "cmd", "run-policy-pack"),
        pb: require(path.join(pulumiDir, "proto", "analyzer_pb.js")),
        rpc: require(path.join(pulumiDir, "proto", "analyzer_grpc_pb.js")),
        struct: require(fromPulumi("google-protobuf/google/protobuf/struct_pb")),
        empty: require(fromPulumi("google-protobuf/google/protobuf/empty_pb")),
        grpc: require(fromPulumi("@grpc/grpc-js")),
    };
    runtimes.set(pulumiDir, rt);
    return rt;
}

// ------------------------------------------------------------------------------------------------
// PulumiPolicy.yaml
// ------------------------------------------------------------------------------------------------

/** Reads PulumiPolicy.yaml like the CLI and returns the extra `-key=value` args from runtime.options. */
function readPolicyProject(packDir: string): string[] {
    const file = path.join(packDir, "PulumiPolicy.yaml");
    let doc: unknown;
    try {
        doc = parseYaml(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new PolicyPackStartError(
            `failed to load Pulumi policy project located at ${JSON.stringify(packDir)}: ${(e as Error).message}`,
            "",
            null,
        );
    }
    const runtime = (doc as { runtime?: unknown } | null)?.runtime;
    let name: unknown = runtime;
    let options: Record<string, unknown> = {};
    if (runtime && typeof runtime === "object") {
        name = (runtime as { name?: unknown }).name;
        options = ((runtime as { options?: unknown }).options as Record<string, unknown>) ?? {};
    }
    if (typeof name !== "string" || name === "") {
        throw new PolicyPackStartError(`${file}: a runtime is required`, "", null);
    }
    if (name.toLowerCase() !== "nodejs") {
        throw new PolicyPackStartError(`${file}: runtime ${JSON.stringify(name)} is not supported (nodejs only)`, "", null);
    }
    const args: string[] = [];
    for (const [k, v] of Object.entries(options)) {
        const s = v === null || v === undefined ? "" : String(v);
        if (s !== "") {
            args.push(`-${k}=${s}`);
        }
    }
    return args;
}

// ------------------------------------------------------------------------------------------------
// Config reconciliation (pkg/resource/analyzer/config.go)
// ------------------------------------------------------------------------------------------------

interface ParsedPolicyConfig {
    enforcementLevel?: EnforcementLevel;
    properties?: Record<string, unknown>;
}

/** Parses user config like the CLI's --policy-pack-config file parser. */
function parsePolicyPackConfig(config: PolicyPackConfig | undefined): Record<string, ParsedPolicyConfig> {
    const result: Record<string, ParsedPolicyConfig> = {};
    for (const [k, v] of Object.entries(config ?? {})) {
        let enforcementLevel: EnforcementLevel | undefined;
        let properties: Record<string, unknown> | undefined;
        if (typeof v === "string") {
            if (!isEnforcementLevel(v)) {
                throw new PolicyPackConfigError([`parsing enforcement level for "${k}": "${v}" is not a valid enforcement level (use advisory, mandatory, remediate or disabled)`]);
            }
            enforcementLevel = v;
        } else if (v !== null && typeof v === "object" && !Array.isArray(v)) {
            const { enforcementLevel: el, ...rest } = v;
            if (el !== undefined) {
                if (!isEnforcementLevel(el)) {
                    throw new PolicyPackConfigError([`parsing enforcement level for "${k}": ${JSON.stringify(el)} is not a valid enforcement level (use advisory, mandatory, remediate or disabled)`]);
                }
                enforcementLevel = el;
            }
            if (Object.keys(rest).length > 0) {
                properties = rest;
            }
        } else {
            throw new PolicyPackConfigError([`parsing "${k}": ${JSON.stringify(v)} is not a valid value; must be a string or object`]);
        }
        if (enforcementLevel === undefined && properties === undefined) {
            continue;
        }
        result[k] = { enforcementLevel, properties };
    }
    return result;
}

function applyConfig(result: Record<string, ParsedPolicyConfig>, toApply: Record<string, ParsedPolicyConfig>): void {
    const all = toApply["all"];
    if (all?.enforcementLevel) {
        for (const k of Object.keys(result)) {
            result[k] = { enforcementLevel: all.enforcementLevel, properties: result[k].properties };
        }
    }
    for (const [policy, given] of Object.entries(toApply)) {
        const existing = result[policy];
        const enforcementLevel = given.enforcementLevel ?? existing?.enforcementLevel;
        let properties = existing?.properties;
        if (given.properties && Object.keys(given.properties).length > 0) {
            properties = { ...(properties ?? {}), ...given.properties };
        }
        result[policy] = { enforcementLevel, properties };
    }
}

/**
 * Computes the config the CLI would send for `config` (as given with --policy-pack-config): every
 * policy gets its declared level and schema defaults, then the pack's initialConfig and `config` are
 * overlaid (a key "all" sets every policy's level), and the result is validated against each
 * policy's config schema. Throws PolicyPackConfigError as the CLI would refuse to run.
 */
export function reconcilePolicyPackConfig(
    info: AnalyzerInfo,
    config?: PolicyPackConfig,
): Record<string, WirePolicyConfig> {
    const result: Record<string, ParsedPolicyConfig> = {};
    for (const p of info.policies) {
        let props: Record<string, unknown> | undefined;
        for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
            if (schema && typeof schema === "object" && "default" in schema) {
                (props ??= {})[k] = (schema as { default: unknown }).default;
            }
        }
        result[p.name] = {
            enforcementLevel: isEnforcementLevel(p.enforcementLevel) ? p.enforcementLevel : undefined,
            properties: props,
        };
    }
    applyConfig(result, parsePolicyPackConfig(info.initialConfig as PolicyPackConfig));
    applyConfig(result, parsePolicyPackConfig(config));

    const errors: string[] = [];
    const ajv = new Ajv({ allErrors: true, strict: false });
    for (const p of info.policies) {
        if (!p.configSchema) {
            continue;
        }
        const schema: Record<string, unknown> = { type: "object", properties: p.configSchema.properties };
        if (p.configSchema.required?.length) {
            schema.required = p.configSchema.required;
        }
        try {
            const validate = ajv.compile(schema);
            if (!validate(result[p.name]?.properties ?? {})) {
                for (const err of validate.errors ?? []) {
                    const where = err.instancePath ? `${err.instancePath.replace(/^\//, "").replace(/\//g, ".")} ` : "";
                    const allowed = err.keyword === "enum" ? ` (${(err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")})` : "";
                    errors.push(`${p.name}: ${where}${err.message ?? "is invalid"}${allowed}`);
                }
            }
        } catch (e) {
            errors.push(`${p.name}: invalid config schema: ${(e as Error).message}`);
        }
    }
    for (const [k, v] of Object.entries(result)) {
        if (!v.enforcementLevel) {
            errors.push(`${k}: invalid enforcement level "" (config for a policy the pack does not define needs an enforcementLevel)`);
        }
    }
    if (errors.length > 0) {
        throw new PolicyPackConfigError(errors);
    }
    const wire: Record<string, WirePolicyConfig> = {};
    for (const [k, v] of Object.entries(result)) {
        wire[k] = { enforcementLevel: v.enforcementLevel as EnforcementLevel, properties: v.properties ?? {} };
    }
    return wire;
}

// ------------------------------------------------------------------------------------------------
// The process
// ------------------------------------------------------------------------------------------------

// A pack's gRPC server keeps it alive forever: never leave one behind when this process exits.
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function trackChild(child: ChildProcess): void {
    liveChildren.add(child);
    if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.once("exit", () => {
            for (const c of liveChildren) {
                try {
                    c.kill("SIGKILL");
                } catch {
                    // ignore
                }
            }
        });
    }
}

type UnaryCallback<T> = (err: grpcT.ServiceError | null, res: T) => void;

export class PolicyPackProcess {
    /** Extension: absolute path of the pack directory. */
    readonly packDir: string;
    /** Extension: the process id. */
    readonly pid: number | undefined;

    private readonly rt: Runtime;
    private readonly child: ChildProcess;
    private readonly opts: StartOptions;
    private readonly exited: Promise<void>;
    private readonly closed: Promise<void>;
    private _port = 0;
    private _stderr = "";
    private _stdout = "";
    private _exitCode: number | null = null;
    private _signal: NodeJS.Signals | null = null;
    private _hasExited = false;
    private client: analyzerGrpcPbT.AnalyzerClient | undefined;
    private stopping: Promise<void> | undefined;
    private info: AnalyzerInfo | undefined;
    private configured = false;

    private constructor(packDir: string, rt: Runtime, child: ChildProcess, opts: StartOptions) {
        this.packDir = packDir;
        this.rt = rt;
        this.child = child;
        this.opts = opts;
        this.pid = child.pid;
        child.stderr!.setEncoding("utf8");
        child.stderr!.on("data", (s: string) => (this._stderr += s));
        this.exited = new Promise<void>(resolve => {
            child.once("exit", (code, signal) => {
                this._hasExited = true;
                this._exitCode = code;
                this._signal = signal;
                liveChildren.delete(child);
                resolve();
            });
            child.once("error", () => {
                // Spawn failure: no "exit" may follow.
                if (child.pid === undefined) {
                    this._hasExited = true;
                    liveChildren.delete(child);
                    resolve();
                }
            });
        });
        // "close" fires after "exit" once stdout/stderr are drained.
        this.closed = new Promise<void>(resolve => child.once("close", () => resolve()));
        trackChild(child);
    }

    /** The gRPC port the pack printed. */
    get port(): number {
        return this._port;
    }

    /** Everything the pack wrote to stderr so far. */
    get stderr(): string {
        return this._stderr;
    }

    /** Extension: everything the pack wrote to stdout after the port line. */
    get stdout(): string {
        return this._stdout;
    }

    /** Extension: exit code once the process has exited (null while running or when killed by a signal). */
    get exitCode(): number | null {
        return this._exitCode;
    }

    /** Extension: whether the process has exited. */
    get hasExited(): boolean {
        return this._hasExited;
    }

    /**
     * Starts the pack in `packDir` exactly as the CLI does and resolves once its gRPC port is known.
     * Rejects with PolicyPackStartError if the pack exits (or prints something other than a port)
     * before that, or the start timeout passes.
     */
    static start(packDir: string, opts: StartOptions = {}): Promise<PolicyPackProcess> {
        const dir = path.resolve(packDir);
        let rt: Runtime;
        let extraArgs: string[];
        try {
            extraArgs = readPolicyProject(dir);
            rt = loadRuntime(dir);
        } catch (e) {
            return Promise.reject(e);
        }
        const args = [rt.runPolicyPack, opts.engineAddress ?? "127.0.0.1:0", dir, ...extraArgs];
        const child = spawn(process.execPath, args, {
            cwd: dir,
            env: opts.env ?? process.env,
            stdio: ["ignore", "pipe", "pipe"],
        });
        const proc = new PolicyPackProcess(dir, rt, child, opts);
        const timeoutMs = opts.startTimeoutMs ?? 30_000;

        return new Promise<PolicyPackProcess>((resolve, reject) => {
            let settled = false;
            let firstLine = "";
            let portRead = false;

            const fail = (err: Error) => {
                if (settled) {
                    return;
                }
                settled = true;
                clearTimeout(timer);
                reject(err);
            };
            const killAndFail = (message: string) => {
                if (settled) {
                    return;
                }
                settled = true;
                clearTimeout(timer);
                child.kill("SIGKILL");
                // Report once the process is gone and its stderr fully read.
                void proc.closed.then(() =>
                    reject(new PolicyPackStartError(message, proc._stderr, null, proc._signal)),
                );
            };

            const timer = setTimeout(
                () => killAndFail(`policy pack at ${dir} did not print its port within ${timeoutMs} ms`),
                timeoutMs,
            );

            child.stdout!.setEncoding("utf8");
            child.stdout!.on("data", (s: string) => {
                if (portRead) {
                    proc._stdout += s;
                    return;
                }
                firstLine += s;
                const nl = firstLine.indexOf("\n");
                if (nl < 0) {
                    return;
                }
                portRead = true;
                const line = firstLine.slice(0, nl).trim();
                proc._stdout += firstLine.slice(nl + 1);
                if (!/^\d+$/.test(line) || Number(line) <= 0 || Number(line) > 65535) {
                    killAndFail(
                        `policy pack at ${dir} printed ${JSON.stringify(line)} instead of its port as the first ` +
                            "line of stdout (the CLI fails the same way; do not write to stdout at load time)",
                    );
                    return;
                }
                if (settled) {
                    return;
                }
                settled = true;
                clearTimeout(timer);
                proc._port = Number(line);
                proc.client = new rt.rpc.AnalyzerClient(`127.0.0.1:${proc._port}`, rt.grpc.credentials.createInsecure(), {
                    "grpc.max_receive_message_length": MAX_RPC_MESSAGE_SIZE,
                    "grpc.max_send_message_length": MAX_RPC_MESSAGE_SIZE,
                });
                resolve(proc);
            });

            child.once("error", err =>
                fail(new PolicyPackStartError(`failed to spawn policy pack at ${dir}: ${err.message}`, proc._stderr, null)),
            );
            // "close" fires after exit once stdout/stderr are drained, so stderr is complete.
            child.once("close", (code: number | null, signal: NodeJS.Signals | null) =>
                fail(
                    new PolicyPackStartError(
                        `policy pack at ${dir} exited (${signal ? `signal ${signal}` : `code ${code}`}) before printing its port`,
                        proc._stderr,
                        code,
                        signal,
                    ),
                ),
            );
        });
    }

    /** GetAnalyzerInfo, mapped to plain objects. */
    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        const res = await this.unary<analyzerPbT.AnalyzerInfo>("getAnalyzerInfo", cb =>
            this.rpcClient().getAnalyzerInfo(new this.rt.empty.Empty(), this.metadata(), this.callOptions(), cb),
        );
        const info = this.mapAnalyzerInfo(res);
        this.info = info;
        return info;
    }

    /**
     * Configures the pack the way the CLI does for `--policy-pack-config`: the config is reconciled
     * with each policy's declared level, its schema defaults and the pack's initialConfig (see
     * reconcilePolicyPackConfig), validated, and one PolicyConfig per policy is sent. Each call
     * replaces the previous configuration entirely (so `configure({})` restores the defaults).
     * Throws PolicyPackConfigError for config the CLI would reject.
     */
    async configure(config: PolicyPackConfig): Promise<void> {
        const info = this.info ?? (await this.getAnalyzerInfo());
        if (!info.supportsConfig) {
            if (Object.keys(config).length > 0) {
                throw new PolicyPackConfigError([`policy pack ${info.name} does not support config`]);
            }
            this.configured = true;
            return;
        }
        const wire = reconcilePolicyPackConfig(info, config);
        if (Object.keys(wire).length > 0) {
            await this.sendConfig(wire);
        }
        this.configured = true;
    }

    /**
     * Extension: sends exactly the given entries, with no reconciliation. Beware the protocol: an
     * entry without enforcementLevel arrives as ADVISORY (proto3 default), policies not listed lose
     * their config, and getConfig() sees no schema defaults.
     */
    async configureRaw(config: PolicyPackConfig): Promise<void> {
        const wire: Record<string, WirePolicyConfig> = {};
        for (const [k, v] of Object.entries(config)) {
            if (typeof v === "string") {
                if (!isEnforcementLevel(v)) {
                    throw new PolicyPackConfigError([`${k}: "${v}" is not a valid enforcement level (use advisory, mandatory, remediate or disabled)`]);
                }
                wire[k] = { enforcementLevel: v, properties: {} };
            } else {
                const { enforcementLevel, ...properties } = v;
                if (enforcementLevel !== undefined && !isEnforcementLevel(enforcementLevel)) {
                    throw new PolicyPackConfigError([`${k}: ${JSON.stringify(enforcementLevel)} is not a valid enforcement level (use advisory, mandatory, remediate or disabled)`]);
                }
                wire[k] = { enforcementLevel: (enforcementLevel as EnforcementLevel | undefined) ?? "advisory", properties };
            }
        }
        await this.sendConfig(wire);
        this.configured = true;
    }

    /** Extension: ConfigureStack, which the CLI sends first when running for a stack (sets args.stackTags). */
    async configureStack(ctx: StackContext): Promise<void> {
        const req = new this.rt.pb.AnalyzerStackConfigureRequest();
        req.setStack(ctx.stack ?? "");
        req.setProject(ctx.project ?? "");
        req.setOrganization(ctx.organization ?? "");
        req.setDryRun(ctx.dryRun ?? false);
        req.setConfigSecretKeysList(ctx.configSecretKeys ?? []);
        for (const [k, v] of Object.entries(ctx.config ?? {})) {
            req.getConfigMap().set(k, v);
        }
        for (const [k, v] of Object.entries(ctx.tags ?? {})) {
            req.getTagsMap().set(k, v);
        }
        await this.unary<analyzerPbT.AnalyzerStackConfigureResponse>("configureStack", cb =>
            this.rpcClient().configureStack(req, this.metadata(), this.callOptions(), cb),
        );
    }

    /** Analyze one resource (resource policies), returning the diagnostics. */
    async analyze(r: ResourceInput): Promise<Diagnostic[]> {
        return (await this.analyzeDetailed(r)).diagnostics;
    }

    /** AnalyzeStack over all resources (stack policies), returning the diagnostics. */
    async analyzeStack(rs: ResourceInput[]): Promise<Diagnostic[]> {
        return (await this.analyzeStackDetailed(rs)).diagnostics;
    }

    /** Extension: analyze, also returning the policies that reported themselves not applicable. */
    async analyzeDetailed(r: ResourceInput): Promise<AnalyzeResult> {
        await this.ensureConfigured();
        const pb = this.rt.pb;
        const urn = r.urn ?? defaultUrn(r.type, r.name);
        const req = new pb.AnalyzeRequest();
        req.setType(r.type);
        req.setName(r.name);
        req.setUrn(urn);
        req.setProperties(this.toStruct(r.properties, `properties of ${urn}`));
        req.setOptions(this.makeOptions(r));
        if (r.provider !== undefined) {
            req.setProvider(this.makeProvider(r.provider));
        }
        const res = await this.unary<analyzerPbT.AnalyzeResponse>("analyze", cb =>
            this.rpcClient().analyze(req, this.metadata(), this.callOptions(), cb),
        );
        return mapAnalyzeResponse(this.rt.pb, res, urn);
    }

    /** Extension: analyzeStack, also returning the policies that reported themselves not applicable. */
    async analyzeStackDetailed(rs: ResourceInput[]): Promise<AnalyzeResult> {
        await this.ensureConfigured();
        const pb = this.rt.pb;
        const req = new pb.AnalyzeStackRequest();
        req.setResourcesList(
            rs.map(r => {
                const urn = r.urn ?? defaultUrn(r.type, r.name);
                const ar = new pb.AnalyzerResource();
                ar.setType(r.type);
                ar.setName(r.name);
                ar.setUrn(urn);
                ar.setProperties(this.toStruct(r.properties, `properties of ${urn}`));
                ar.setOptions(this.makeOptions(r));
                if (r.provider !== undefined) {
                    ar.setProvider(this.makeProvider(r.provider));
                }
                ar.setParent(r.parent ?? "");
                ar.setDependenciesList(r.dependencies ?? []);
                const deps = ar.getPropertydependenciesMap();
                for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
                    if (urns.length === 0) {
                        continue; // the engine skips properties without dependencies
                    }
                    const pd = new pb.AnalyzerPropertyDependencies();
                    pd.setUrnsList(urns);
                    deps.set(k, pd);
                }
                return ar;
            }),
        );
        const res = await this.unary<analyzerPbT.AnalyzeResponse>("analyzeStack", cb =>
            this.rpcClient().analyzeStack(req, this.metadata(), this.callOptions(), cb),
        );
        return mapAnalyzeResponse(this.rt.pb, res, undefined);
    }

    /** Closes the connection and kills the process (SIGTERM, then SIGKILL after 2 s). Idempotent. */
    stop(): Promise<void> {
        if (!this.stopping) {
            this.stopping = (async () => {
                try {
                    this.client?.close();
                } catch {
                    // ignore
                }
                if (!this._hasExited) {
                    this.child.kill("SIGTERM");
                    const escalate = setTimeout(() => {
                        if (!this._hasExited) {
                            this.child.kill("SIGKILL");
                        }
                    }, 2000);
                    await this.exited;
                    clearTimeout(escalate);
                }
            })();
        }
        return this.stopping;
    }

    // --------------------------------------------------------------------------------------------

    private async ensureConfigured(): Promise<void> {
        if (!this.configured && this.opts.autoConfigure !== false) {
            await this.configure({});
        }
    }

    private async sendConfig(wire: Record<string, WirePolicyConfig>): Promise<void> {
        const pb = this.rt.pb;
        const req = new pb.ConfigureAnalyzerRequest();
        const map = req.getPolicyconfigMap();
        for (const [k, v] of Object.entries(wire)) {
            const pc = new pb.PolicyConfig();
            pc.setEnforcementlevel(levelToProto(pb, v.enforcementLevel));
            // Always set: the pack calls getProperties().toJavaScript() on every entry.
            pc.setProperties(this.toStruct(v.properties, `config of policy ${k}`));
            map.set(k, pc);
        }
        await this.unary<emptyPbT.Empty>("configure", cb =>
            this.rpcClient().configure(req, this.metadata(), this.callOptions(), cb),
        );
    }

    private rpcClient(): analyzerGrpcPbT.AnalyzerClient {
        if (this.stopping) {
            throw new Error(`policy pack at ${this.packDir} has been stopped`);
        }
        if (!this.client) {
            throw new Error(`policy pack at ${this.packDir} is not started`);
        }
        return this.client;
    }

    private metadata(): grpcT.Metadata {
        return new this.rt.grpc.Metadata();
    }

    private callOptions(): Partial<grpcT.CallOptions> {
        return this.opts.callTimeoutMs ? { deadline: Date.now() + this.opts.callTimeoutMs } : {};
    }

    private unary<T>(method: string, invoke: (cb: UnaryCallback<T>) => unknown): Promise<T> {
        return new Promise<T>((resolve, reject) => {
            try {
                invoke((err, res) => {
                    if (err) {
                        const exitNote = this._hasExited
                            ? ` [policy pack process exited: ${this._signal ? `signal ${this._signal}` : `code ${this._exitCode}`}]`
                            : "";
                        reject(new PolicyPackRpcError(method, err.code, (err.details || err.message) + exitNote, this._stderr));
                    } else {
                        resolve(res);
                    }
                });
            } catch (e) {
                reject(e);
            }
        });
    }

    private toStruct(value: Record<string, unknown> | undefined, what: string): structPbT.Struct {
        // JSON semantics: drop undefined members, reject non-JSON values early with a clear message.
        let json: unknown;
        try {
            json = JSON.parse(JSON.stringify(value ?? {}));
        } catch (e) {
            throw new TypeError(`${what} are not JSON-serializable: ${(e as Error).message}`);
        }
        if (json === null || typeof json !== "object" || Array.isArray(json)) {
            throw new TypeError(`${what} must be a JSON object`);
        }
        return this.rt.struct.Struct.fromJavaScript(json as Record<string, structPbT.JavaScriptValue>);
    }

    private makeOptions(r: ResourceInput): analyzerPbT.AnalyzerResourceOptions {
        const pb = this.rt.pb;
        const o = r.options ?? {};
        const opts = new pb.AnalyzerResourceOptions();
        opts.setProtect(o.protect ?? false);
        opts.setIgnorechangesList(o.ignoreChanges ?? []);
        if (o.deleteBeforeReplace !== undefined) {
            opts.setDeletebeforereplace(o.deleteBeforeReplace);
            opts.setDeletebeforereplacedefined(true);
        }
        opts.setAdditionalsecretoutputsList(o.additionalSecretOutputs ?? []);
        opts.setAliasesList(o.aliases ?? []);
        const ct = new pb.AnalyzerResourceOptions.CustomTimeouts();
        ct.setCreate(o.customTimeouts?.create ?? 0);
        ct.setUpdate(o.customTimeouts?.update ?? 0);
        ct.setDelete(o.customTimeouts?.delete ?? 0);
        opts.setCustomtimeouts(ct);
        opts.setParent(o.parent ?? r.parent ?? "");
        return opts;
    }

    private makeProvider(p: string | ProviderInput): analyzerPbT.AnalyzerProviderResource {
        const input = typeof p === "string" ? parseProviderRef(p) : p;
        const prov = new this.rt.pb.AnalyzerProviderResource();
        const urn = input.urn ?? defaultUrn(input.type, input.name);
        prov.setType(input.type);
        prov.setName(input.name);
        prov.setUrn(urn);
        prov.setProperties(this.toStruct(input.properties, `properties of provider ${urn}`));
        return prov;
    }

    private mapAnalyzerInfo(res: analyzerPbT.AnalyzerInfo): AnalyzerInfo {
        const pb = this.rt.pb;
        const policies = res.getPoliciesList().map(p => {
            const out: PolicyInfo = {
                name: p.getName(),
                displayName: p.getDisplayname(),
                description: p.getDescription(),
                enforcementLevel: levelFromProto(pb, p.getEnforcementlevel()),
            };
            if (p.getMessage()) {
                out.message = p.getMessage();
            }
            const schema = p.getConfigschema();
            if (schema) {
                out.configSchema = {
                    properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
                };
                if (schema.getRequiredList().length > 0) {
                    out.configSchema.required = schema.getRequiredList();
                }
            }
            if (p.getSeverity()) {
                out.severity = severityFromProto(pb, p.getSeverity());
            }
            if (p.getRemediationSteps()) {
                out.remediationSteps = p.getRemediationSteps();
            }
            if (p.getUrl()) {
                out.url = p.getUrl();
            }
            if (p.getPolicyType() === pb.PolicyType.POLICY_TYPE_RESOURCE) {
                out.policyType = "resource";
            } else if (p.getPolicyType() === pb.PolicyType.POLICY_TYPE_STACK) {
                out.policyType = "stack";
            }
            if (p.getTagsList().length > 0) {
                out.tags = p.getTagsList();
            }
            return out;
        });
        const initialConfig: Record<string, unknown> = {};
        res.getInitialconfigMap().forEach((v, k) => {
            initialConfig[k] = {
                ...((v.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>),
                enforcementLevel: levelFromProto(pb, v.getEnforcementlevel()),
            };
        });
        const info: AnalyzerInfo = {
            name: res.getName(),
            displayName: res.getDisplayname(),
            version: res.getVersion(),
            supportsConfig: res.getSupportsconfig(),
            policies,
            initialConfig,
        };
        if (res.getDescription()) info.description = res.getDescription();
        if (res.getReadme()) info.readme = res.getReadme();
        if (res.getProvider()) info.provider = res.getProvider();
        if (res.getTagsList().length > 0) info.tags = res.getTagsList();
        if (res.getRepository()) info.repository = res.getRepository();
        return info;
    }
}

// ------------------------------------------------------------------------------------------------
// Enum and message mapping
// ------------------------------------------------------------------------------------------------

function levelToProto(pb: typeof analyzerPbT, level: EnforcementLevel): analyzerPbT.EnforcementLevel {
    switch (level) {
        case "advisory":
            return pb.EnforcementLevel.ADVISORY;
        case "mandatory":
            return pb.EnforcementLevel.MANDATORY;
        case "remediate":
            return pb.EnforcementLevel.REMEDIATE;
        case "disabled":
            return pb.EnforcementLevel.DISABLED;
    }
    throw new Error(`unknown enforcement level ${JSON.stringify(level)}`);
}

function levelFromProto(pb: typeof analyzerPbT, level: analyzerPbT.EnforcementLevel): EnforcementLevel {
    switch (level) {
        case pb.EnforcementLevel.ADVISORY:
            return "advisory";
        case pb.EnforcementLevel.MANDATORY:
            return "mandatory";
        case pb.EnforcementLevel.REMEDIATE:
            return "remediate";
        case pb.EnforcementLevel.DISABLED:
            return "disabled";
    }
    throw new Error(`invalid enforcement level ${level} on the wire`);
}

function severityFromProto(pb: typeof analyzerPbT, s: analyzerPbT.PolicySeverity): Severity {
    switch (s) {
        case pb.PolicySeverity.POLICY_SEVERITY_LOW:
            return "low";
        case pb.PolicySeverity.POLICY_SEVERITY_MEDIUM:
            return "medium";
        case pb.PolicySeverity.POLICY_SEVERITY_HIGH:
            return "high";
        case pb.PolicySeverity.POLICY_SEVERITY_CRITICAL:
            return "critical";
        default:
            return "unspecified";
    }
}

function mapAnalyzeResponse(
    pb: typeof analyzerPbT,
    res: analyzerPbT.AnalyzeResponse,
    fallbackUrn: string | undefined,
): AnalyzeResult {
    return {
        diagnostics: res.getDiagnosticsList().map(d => {
            const out: Diagnostic = {
                policyName: d.getPolicyname(),
                policyPackName: d.getPolicypackname(),
                policyPackVersion: d.getPolicypackversion(),
                description: d.getDescription(),
                message: d.getMessage(),
                urn: d.getUrn() || fallbackUrn || "",
                enforcementLevel: levelFromProto(pb, d.getEnforcementlevel()),
            };
            if (d.getSeverity()) {
                out.severity = severityFromProto(pb, d.getSeverity());
            }
            return out;
        }),
        notApplicable: res.getNotApplicableList().map(n => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
    };
}

/** Parses "urn:pulumi:stack::project::[parent$]type::name[::id]" into a provider description. */
function parseProviderRef(ref: string): ProviderInput {
    const parts = ref.split("::");
    if (parts.length < 4 || !parts[0].startsWith("urn:pulumi:")) {
        throw new TypeError(`provider ${JSON.stringify(ref)} is not a provider URN or reference`);
    }
    const qualifiedType = parts[2];
    const type = qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1);
    return { type, name: parts[3], urn: parts.slice(0, 4).join("::"), properties: {} };
}
