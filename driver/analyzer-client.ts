// Copyright the internal-ports policy pack authors.
//
// A driver that runs a Node.js Pulumi policy pack exactly the way the Pulumi CLI does, and talks
// to it over the Analyzer gRPC protocol. No Pulumi CLI is needed.
//
// What the CLI does (pkg/resource/plugin/analyzer_plugin.go, NewPolicyAnalyzer + the
// `pulumi-analyzer-policy` shim) and where this driver reproduces it:
//
//   1. Load <packDir>/PulumiPolicy.yaml, 2. run `run-policy-pack` and 3. read the gRPC port from
//      its stdout: pack-process.ts.
//   4. GetAnalyzerInfo, then Configure with the *reconciled* config (config.ts).
//   5. Analyze (per resource) / AnalyzeStack (all resources).
//
// This file is the gRPC client; messages are built with the pack's own @pulumi/pulumi protobuf
// modules (runtime.ts) and mapped to plain objects in wire.ts.

import type * as analyzerPbT from "@pulumi/pulumi/proto/analyzer_pb";
import type * as analyzerGrpcPbT from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as emptyPbT from "google-protobuf/google/protobuf/empty_pb";
import type * as grpcT from "@grpc/grpc-js";
import * as path from "path";
import { rawPolicyPackConfig, reconcilePolicyPackConfig } from "./config";
import { PolicyPackConfigError, PolicyPackRpcError } from "./errors";
import { PackProcess, readPolicyProject } from "./pack-process";
import { loadRuntime, Runtime } from "./runtime";
import {
    AnalyzeResult,
    AnalyzerInfo,
    Diagnostic,
    PolicyPackConfig,
    ResourceInput,
    StackContext,
    StartOptions,
    WirePolicyConfig,
} from "./types";
import { analyzeResultFrom, analyzerInfoFrom, defaultUrn, levelToProto, providerResource, resourceOptions, toStruct } from "./wire";

// The client's API: its types, errors, config reconciliation and wire values.
export * from "./types";
export { PolicyPackConfigError, PolicyPackRpcError, PolicyPackStartError } from "./errors";
export { reconcilePolicyPackConfig } from "./config";
export { defaultUrn, secret, SECRET_SIG, SECRET_SIG_KEY, UNKNOWN } from "./wire";

// The largest message the CLI and the pack accept (400 MiB).
const MAX_RPC_MESSAGE_SIZE = 1024 * 1024 * 400;

type UnaryCallback<T> = (err: grpcT.ServiceError | null, res: T) => void;

export class PolicyPackProcess {
    /** Extension: the process id. */
    readonly pid: number | undefined;

    private stopping: Promise<void> | undefined;
    private info: AnalyzerInfo | undefined;
    private configured = false;

    private constructor(
        /** Extension: absolute path of the pack directory. */
        readonly packDir: string,
        private readonly rt: Runtime,
        private readonly process: PackProcess,
        private readonly client: analyzerGrpcPbT.AnalyzerClient,
        private readonly opts: StartOptions,
    ) {
        this.pid = process.pid;
    }

    /** The gRPC port the pack printed. */
    get port(): number {
        return this.process.port;
    }

    /** Everything the pack wrote to stderr so far. */
    get stderr(): string {
        return this.process.stderr;
    }

    /** Extension: everything the pack wrote to stdout after the port line. */
    get stdout(): string {
        return this.process.stdout;
    }

    /** Extension: exit code once the process has exited (null while running or when killed by a signal). */
    get exitCode(): number | null {
        return this.process.exitCode;
    }

    /** Extension: whether the process has exited. */
    get hasExited(): boolean {
        return this.process.hasExited;
    }

    /**
     * Starts the pack in `packDir` exactly as the CLI does and resolves once its gRPC port is known.
     * Rejects with PolicyPackStartError if the pack exits (or prints something other than a port)
     * before that, or the start timeout passes.
     */
    static async start(packDir: string, opts: StartOptions = {}): Promise<PolicyPackProcess> {
        const dir = path.resolve(packDir);
        const extraArgs = readPolicyProject(dir);
        const rt = loadRuntime(dir);
        const args = [rt.runPolicyPack, opts.engineAddress ?? "127.0.0.1:0", dir, ...extraArgs];
        const proc = await PackProcess.start(dir, args, { env: opts.env ?? process.env, timeoutMs: opts.startTimeoutMs ?? 30_000 });
        const client = new rt.rpc.AnalyzerClient(`127.0.0.1:${proc.port}`, rt.grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": MAX_RPC_MESSAGE_SIZE,
            "grpc.max_send_message_length": MAX_RPC_MESSAGE_SIZE,
        });
        return new PolicyPackProcess(dir, rt, proc, client, opts);
    }

    /** GetAnalyzerInfo, mapped to plain objects. */
    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        const res = await this.unary<analyzerPbT.AnalyzerInfo>("getAnalyzerInfo", (cb) =>
            this.rpcClient().getAnalyzerInfo(new this.rt.empty.Empty(), this.metadata(), this.callOptions(), cb),
        );
        const info = analyzerInfoFrom(this.rt.pb, res);
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
        await this.sendConfig(rawPolicyPackConfig(config));
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
        await this.unary<analyzerPbT.AnalyzerStackConfigureResponse>("configureStack", (cb) =>
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
        req.setProperties(toStruct(this.rt, r.properties, `properties of ${urn}`));
        req.setOptions(resourceOptions(this.rt, r));
        if (r.provider !== undefined) {
            req.setProvider(providerResource(this.rt, r.provider));
        }
        const res = await this.unary<analyzerPbT.AnalyzeResponse>("analyze", (cb) =>
            this.rpcClient().analyze(req, this.metadata(), this.callOptions(), cb),
        );
        return analyzeResultFrom(this.rt.pb, res, urn);
    }

    /** Extension: analyzeStack, also returning the policies that reported themselves not applicable. */
    async analyzeStackDetailed(rs: ResourceInput[]): Promise<AnalyzeResult> {
        await this.ensureConfigured();
        const pb = this.rt.pb;
        const req = new pb.AnalyzeStackRequest();
        req.setResourcesList(
            rs.map((r) => {
                const urn = r.urn ?? defaultUrn(r.type, r.name);
                const ar = new pb.AnalyzerResource();
                ar.setType(r.type);
                ar.setName(r.name);
                ar.setUrn(urn);
                ar.setProperties(toStruct(this.rt, r.properties, `properties of ${urn}`));
                ar.setOptions(resourceOptions(this.rt, r));
                if (r.provider !== undefined) {
                    ar.setProvider(providerResource(this.rt, r.provider));
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
        const res = await this.unary<analyzerPbT.AnalyzeResponse>("analyzeStack", (cb) =>
            this.rpcClient().analyzeStack(req, this.metadata(), this.callOptions(), cb),
        );
        return analyzeResultFrom(this.rt.pb, res, undefined);
    }

    /** Closes the connection and kills the process (SIGTERM, then SIGKILL after 2 s). Idempotent. */
    stop(): Promise<void> {
        if (!this.stopping) {
            this.stopping = (async () => {
                try {
                    this.client.close();
                } catch {
                    // ignore
                }
                await this.process.stop();
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
            pc.setProperties(toStruct(this.rt, v.properties, `config of policy ${k}`));
            map.set(k, pc);
        }
        await this.unary<emptyPbT.Empty>("configure", (cb) => this.rpcClient().configure(req, this.metadata(), this.callOptions(), cb));
    }

    private rpcClient(): analyzerGrpcPbT.AnalyzerClient {
        if (this.stopping) {
            throw new Error(`policy pack at ${this.packDir} has been stopped`);
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
        // What invoke throws rejects the promise (the executor's own rule).
        return new Promise<T>((resolve, reject) => {
            invoke((err, res) => {
                if (err) {
                    reject(
                        new PolicyPackRpcError(
                            method,
                            err.code,
                            (err.details || err.message) + this.process.exitNote(),
                            this.process.stderr,
                        ),
                    );
                } else {
                    resolve(res);
                }
            });
        });
    }
}
