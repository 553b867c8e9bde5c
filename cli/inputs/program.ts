// Pulumi TypeScript/JavaScript programs, run in this process under the Pulumi SDK's mock runtime in
// preview mode. Every resource the program registers is recorded from the RegisterResource request
// the SDK builds, i.e. in the wire form the engine receives (unknown sentinels and secret wrappers
// included), which is what the engine forwards to a policy pack's Analyze call.
//
// What this reproduces of `pulumi preview`:
//   - the program's own @pulumi/pulumi runs it, inside `runInPulumiStack` like the language host
//     does, so top-level resources are parented to the root stack resource;
//   - preview mode: the mocks return no ID and only the inputs as state, so IDs and computed outputs
//     (ARNs, ...) are unknown and inputs built from them reach the request as the unknown sentinel;
//   - URNs are computed like the engine (the mock monitor's own scheme differs for nested parents
//     and keeps the root stack type in children's URNs);
//   - project config from Pulumi.yaml and stack config from Pulumi.<stack>.yaml;
//   - TypeScript transpiled like ts-node does it under `pulumi`, with the compiler the check ships
//     (transpile.ts), ES module programs through module hooks (esm-hooks.ts).
// What it cannot reproduce: provider Check (defaults, autonaming) — the inputs are the program's
// inputs as sent to the engine —, real invoke results (placeholders), and children of remote
// (multi-language) components, which a plugin would create.
//
// Only one program runs at a time in a process (the SDK's runtime state is global); calls queue.
// Everything patched for a run (require hooks, module resolution, Error.prepareStackTrace, process
// listeners, process.exit, Config methods, environment, cwd, SDK settings) is restored afterwards;
// the ES module hooks stay registered but act only on the URLs of a run.
import * as fs from "fs";
import nodeModule = require("module");
import * as path from "path";
import * as url from "url";
import { parse as parseYaml } from "yaml";
import { isPlainObject } from "../../policies/base/values";
import { SECRET_SIG, SECRET_SIG_KEY, UNKNOWN } from "../../policies/wire/engine";
import { InputError, LoadedStack, SourceLocation, StackResource } from "../types";
import { PROJECT_PARAM, RUN_PARAM, TSCONFIG_PARAM } from "./esm-hooks";
import { engineResourceRefs, STACK_TYPE, isSkippedType } from "./stack-export";
import {
    CompilerMissingError, formatOf, isTypeScriptFile, LocatedError, loadCompiler, programCompilerOptions, ProgramCompilerOptions,
    transpile, TsConfigError, Ts, typeScriptCandidates,
} from "./transpile";

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
/** The organization name the mock runtime reports (`pulumi.getOrganization()`). */
export const PLACEHOLDER_ORGANIZATION = "organization";
/**
 * The placeholder for a config value the check cannot know: `internal-ports-placeholder:<key>`, for
 * a required key the stack does not set (with --allow-missing-config) and for an encrypted
 * (`secure:`) value, which cannot be decrypted here. The program gets this string (also from
 * requireNumber and requireBoolean; requireObject gets {}), so that it can be told from every real
 * value; every input string that contains it reaches the pack as the engine's unknown value, which
 * no policy blames for a violation.
 */
export const PLACEHOLDER_PREFIX = "internal-ports-placeholder:";

export function placeholderFor(fullKey: string): string {
    return `${PLACEHOLDER_PREFIX}${fullKey}`;
}
const PROGRESS_EVERY = 500;

// ------------------------------------------------------------------------------------------------
// Invoke placeholders
// ------------------------------------------------------------------------------------------------

const ZERO_UUID = "00000000-0000-0000-0000-000000000000";
const ACCOUNT = "123456789012";

/**
 * Answers for common invokes (data sources), so that programs which look things up keep running.
 * Real results would need the provider and credentials. Each answer is merged over the invoke's
 * plain (string, number, boolean) arguments, as results usually echo their arguments. Any other
 * invoke is answered with `{}`.
 */
export const INVOKE_PLACEHOLDERS: Readonly<Record<string, (args: Record<string, unknown>) => Record<string, unknown>>> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({
        id: "us-east-1",
        names: ["us-east-1a", "us-east-1b", "us-east-1c"],
        zoneIds: ["use1-az1", "use1-az2", "use1-az4"],
        groupNames: ["us-east-1"],
    }),
    "aws:index/getRegion:getRegion": () => ({
        id: "us-east-1",
        name: "us-east-1",
        region: "us-east-1",
        endpoint: "ec2.us-east-1.amazonaws.com",
        description: "US East (N. Virginia)",
    }),
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        id: ACCOUNT,
        accountId: ACCOUNT,
        arn: `arn:aws:iam::${ACCOUNT}:user/placeholder`,
        userId: "AIDAPLACEHOLDER0000000",
    }),
    "aws:index/getPartition:getPartition": () => ({
        id: "aws",
        partition: "aws",
        dnsSuffix: "amazonaws.com",
        reverseDnsPrefix: "com.amazonaws",
    }),
    "aws:ec2/getAmi:getAmi": () => ({
        id: "ami-0123456789abcdef0",
        imageId: "ami-0123456789abcdef0",
        arn: "arn:aws:ec2:us-east-1::image/ami-0123456789abcdef0",
        name: "placeholder-ami",
        architecture: "x86_64",
        rootDeviceName: "/dev/xvda",
        ownerId: ACCOUNT,
    }),
    "aws:ec2/getVpc:getVpc": () => ({
        id: "vpc-0123456789abcdef0",
        arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/vpc-0123456789abcdef0`,
        cidrBlock: "10.0.0.0/16",
        default: false,
        ownerId: ACCOUNT,
    }),
    "aws:ec2/getSubnets:getSubnets": () => ({
        id: "us-east-1",
        ids: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
    }),
    "aws:ec2/getSubnet:getSubnet": () => ({
        id: "subnet-0123456789abcdef0",
        cidrBlock: "10.0.1.0/24",
        vpcId: "vpc-0123456789abcdef0",
        availabilityZone: "us-east-1a",
    }),
    "aws:ec2/getSecurityGroup:getSecurityGroup": () => ({
        id: "sg-0123456789abcdef0",
        vpcId: "vpc-0123456789abcdef0",
        name: "placeholder-sg",
    }),
    "azure-native:authorization:getClientConfig": () => ({
        clientId: ZERO_UUID,
        objectId: ZERO_UUID,
        subscriptionId: ZERO_UUID,
        tenantId: ZERO_UUID,
    }),
    "azure-native:resources:getResourceGroup": args => ({
        id: `/subscriptions/${ZERO_UUID}/resourceGroups/${typeof args.resourceGroupName === "string" ? args.resourceGroupName : "placeholder"}`,
        location: "westeurope",
        name: typeof args.resourceGroupName === "string" ? args.resourceGroupName : "placeholder",
    }),
};

function answerInvoke(token: string, args: unknown, warnings: Warnings): Record<string, unknown> {
    const answer = INVOKE_PLACEHOLDERS[token];
    if (!answer) {
        warnings.add(`invoke ${token} answered with a placeholder ({}): its real result needs the provider`);
        return {};
    }
    warnings.add(`invoke ${token} answered with a placeholder`);
    const plainArgs: Record<string, unknown> = {};
    if (isPlainObject(args)) {
        for (const [k, v] of Object.entries(args)) {
            if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") plainArgs[k] = v;
        }
    }
    return { ...plainArgs, ...answer(isPlainObject(args) ? args : {}) };
}

// ------------------------------------------------------------------------------------------------
// Small helpers
// ------------------------------------------------------------------------------------------------

function firstLine(s: string): string {
    return s.split("\n").find(l => l.trim() !== "")?.trim() ?? s.trim();
}

/** Ordered, de-duplicated warnings. */
class Warnings {
    private readonly set = new Set<string>();
    add(w: string): void {
        this.set.add(w);
    }
    list(): string[] {
        return [...this.set];
    }
}

/** `p` relative to `cwd` when inside it, else absolute. */
function displayPath(p: string, cwd: string): string {
    const rel = path.relative(cwd, p);
    return rel === "" ? "." : rel.startsWith("..") || path.isAbsolute(rel) ? p : rel;
}

function isUnderNodeModules(file: string): boolean {
    return file.split(/[\\/]/).includes("node_modules");
}

/** Where this package's own compiled code lives; its frames are never the user's. */
const OWN_DIST_DIR = path.resolve(__dirname, "..", "..");

function fileOfFrame(f: string | null | undefined): string | undefined {
    if (!f) return undefined;
    if (f.startsWith("file://")) {
        try {
            return url.fileURLToPath(f);
        } catch {
            return undefined;
        }
    }
    return path.isAbsolute(f) ? f : undefined;
}

function isUserFile(file: string | undefined): file is string {
    return file !== undefined && !isUnderNodeModules(file) && !file.startsWith(OWN_DIST_DIR + path.sep);
}

/** The engine's URN for a resource (generateURN): the root stack's type is never a prefix. */
function engineUrn(stack: string, project: string, parent: string, type: string, name: string): string {
    let qualified = type;
    if (parent) {
        const parentType = parent.split("::")[2] ?? "";
        if (parentType !== "" && parentType !== STACK_TYPE) {
            qualified = `${parentType}$${type}`;
        }
    }
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

// ------------------------------------------------------------------------------------------------
// Pulumi.yaml, Pulumi.<stack>.yaml, the entry point
// ------------------------------------------------------------------------------------------------

interface Project {
    file: string;
    name: string;
    main?: string;
    /** runtime.options.tsconfig: the tsconfig to use instead of tsconfig.json. */
    tsconfig?: string;
    config: Record<string, unknown>;
}

function readYamlFile(file: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new InputError(`${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    try {
        return parseYaml(text);
    } catch (e) {
        throw new InputError(`${file}: not valid YAML: ${firstLine((e as Error).message)}`);
    }
}

export function findProjectFile(dir: string): string | undefined {
    return ["Pulumi.yaml", "Pulumi.yml"].map(f => path.join(dir, f)).find(f => fs.existsSync(f));
}

function readProject(dir: string): Project {
    const file = findProjectFile(dir);
    if (!file) {
        throw new InputError(`${dir}: no Pulumi.yaml; expected a Pulumi project directory`);
    }
    const doc = readYamlFile(file);
    if (!isPlainObject(doc)) {
        throw new InputError(`${file}: expected a Pulumi project file (a mapping with \`name\` and \`runtime\`)`);
    }
    if (typeof doc.name !== "string" || doc.name.trim() === "") {
        throw new InputError(`${file}: \`name\` must be the project's name (a non-empty string)`);
    }
    const runtime = isPlainObject(doc.runtime) ? doc.runtime.name : doc.runtime;
    if (runtime !== "nodejs") {
        throw new InputError(
            `${file}: the project's runtime is ${JSON.stringify(runtime ?? null)}; only Node.js programs (runtime: nodejs) ` +
                "can be run here. Check a `pulumi preview --json` file or a `pulumi stack export` of the stack instead",
        );
    }
    if (doc.main !== undefined && typeof doc.main !== "string") {
        throw new InputError(`${file}: \`main\` must be a path (a string)`);
    }
    const options = isPlainObject(doc.runtime) && isPlainObject(doc.runtime.options) ? doc.runtime.options : {};
    if (options.tsconfig !== undefined && typeof options.tsconfig !== "string") {
        throw new InputError(`${file}: \`runtime.options.tsconfig\` must be a path (a string)`);
    }
    return {
        file,
        name: doc.name,
        main: doc.main as string | undefined,
        tsconfig: options.tsconfig as string | undefined,
        config: isPlainObject(doc.config) ? doc.config : {},
    };
}

interface StackConfig {
    values: Record<string, string>;
    secretKeys: string[];
    /** Keys whose encrypted values got placeholders. */
    secureKeys: string[];
    /** The stack config file, existing or not (named in warnings). */
    file: string;
}

function fullConfigKey(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

/** Replaces `{secure: ...}` values (also nested ones) with the key's placeholder; reports whether any was. */
function replaceSecure(v: unknown, key: string): { value: unknown; secure: boolean } {
    if (isPlainObject(v)) {
        if (Object.keys(v).length === 1 && typeof v.secure === "string") {
            return { value: placeholderFor(key), secure: true };
        }
        let secure = false;
        const out: Record<string, unknown> = {};
        for (const [k, e] of Object.entries(v)) {
            const r = replaceSecure(e, key);
            out[k] = r.value;
            secure ||= r.secure;
        }
        return { value: out, secure };
    }
    if (Array.isArray(v)) {
        let secure = false;
        const out = v.map(e => {
            const r = replaceSecure(e, key);
            secure ||= r.secure;
            return r.value;
        });
        return { value: out, secure };
    }
    return { value: v, secure: false };
}

/** Config values go to the runtime as strings; structured values as JSON text. */
function configString(v: unknown): string | undefined {
    if (v === null || v === undefined) return undefined;
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    return JSON.stringify(v);
}

function readConfig(dir: string, project: Project, stack: string, warnings: Warnings): StackConfig {
    const values: Record<string, string> = {};
    const secretKeys = new Set<string>();
    const secure: string[] = [];
    const set = (key: string, raw: unknown) => {
        const r = replaceSecure(raw, key);
        const s = configString(r.value);
        if (s === undefined) return;
        values[key] = s;
        if (r.secure) {
            secretKeys.add(key);
            secure.push(key);
        }
    };
    // Project-level config (Pulumi.yaml `config:`): declarations with a default or value, or values.
    for (const [k, decl] of Object.entries(project.config)) {
        const key = fullConfigKey(project.name, k);
        if (isPlainObject(decl) && ("type" in decl || "default" in decl || "value" in decl || "description" in decl)) {
            if ("value" in decl) set(key, decl.value);
            else if ("default" in decl) set(key, decl.default);
        } else {
            set(key, decl);
        }
    }
    const file =
        ["yaml", "yml"].map(ext => path.join(dir, `Pulumi.${stack}.${ext}`)).find(f => fs.existsSync(f)) ??
        path.join(dir, `Pulumi.${stack}.yaml`);
    if (fs.existsSync(file)) {
        const doc = readYamlFile(file);
        if (doc !== null && doc !== undefined && !isPlainObject(doc)) {
            throw new InputError(`${file}: expected a stack settings file (a mapping with \`config:\`)`);
        }
        const cfg = isPlainObject(doc) ? doc.config : undefined;
        if (cfg !== undefined && cfg !== null && !isPlainObject(cfg)) {
            throw new InputError(`${file}: \`config\` must be a mapping of config keys to values`);
        }
        for (const [k, v] of Object.entries(cfg ?? {})) {
            set(fullConfigKey(project.name, k), v);
        }
        if (isPlainObject(doc) && doc.environment !== undefined && doc.environment !== null) {
            warnings.add(`${file} imports Pulumi ESC environments; their values are not available here`);
        }
    } else {
        const others = fs.readdirSync(dir).filter(f => /^Pulumi\.[^.]+\.ya?ml$/.test(f));
        if (others.length > 0) {
            warnings.add(
                `no ${path.basename(file)} for stack "${stack}" (stack files here: ${others.join(", ")}); running without stack config`,
            );
        }
    }
    if (secure.length > 0) {
        warnings.add(
            `encrypted config value(s) ${secure.join(", ")} cannot be decrypted here; the program got placeholders ` +
                `(${PLACEHOLDER_PREFIX}<key>) and the inputs built from them are checked as unknown values`,
        );
    }
    return { values, secretKeys: [...secretKeys], secureKeys: secure, file };
}

interface Entry {
    file: string;
    /** An ES module (.mjs, .mts, or .js/.ts under package.json "type": "module"): loaded with import(). */
    esm: boolean;
}

function readPackageJson(dir: string): Record<string, unknown> | undefined {
    try {
        const doc = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
        return isPlainObject(doc) ? doc : undefined;
    } catch {
        return undefined;
    }
}

function isFile(p: string): boolean {
    try {
        return fs.statSync(p).isFile();
    } catch {
        return false;
    }
}

function isDirectory(p: string): boolean {
    try {
        return fs.statSync(p).isDirectory();
    } catch {
        return false;
    }
}

/** Resolves a path the way require() would resolve a file or directory (without node_modules). */
function resolveModulePath(p: string): string | undefined {
    for (const cand of [p, `${p}.js`, `${p}.ts`, `${p}.mjs`, `${p}.cjs`, `${p}.mts`, `${p}.cts`]) {
        if (isFile(cand)) return cand;
    }
    if (isDirectory(p)) {
        return resolveDirectoryEntry(p, undefined);
    }
    return undefined;
}

/** package.json `exports` for ".", read as `pulumi` reads it: a string, or `default`, `require`, `import`. */
function exportsEntry(pkg: Record<string, unknown> | undefined): string | undefined {
    const e = pkg?.exports;
    if (typeof e === "string") return e;
    if (!isPlainObject(e)) return undefined;
    const main = e["."];
    if (typeof main === "string") return main;
    if (!isPlainObject(main)) return undefined;
    const pick = main.default ?? main.require ?? main.import;
    return typeof pick === "string" ? pick : undefined;
}

function resolveDirectoryEntry(dir: string, warnings: Warnings | undefined): string | undefined {
    const pkg = readPackageJson(dir);
    const exported = exportsEntry(pkg);
    if (exported) {
        const file = resolveModulePath(path.resolve(dir, exported));
        if (file) return file;
        warnings?.add(`${path.join(dir, "package.json")}: exports ${JSON.stringify(exported)} not found; looking for main and index files`);
    }
    if (typeof pkg?.main === "string" && pkg.main !== "") {
        const wanted = path.resolve(dir, pkg.main);
        // "main": "index.js" beside index.ts: the file TypeScript compiles to it.
        const main = resolveModulePath(wanted) ?? typeScriptCandidates(wanted).find(isFile);
        if (main) return main;
        warnings?.add(`${path.join(dir, "package.json")}: main ${JSON.stringify(pkg.main)} not found; looking for index.js/index.ts`);
    }
    const js = path.join(dir, "index.js");
    const ts = path.join(dir, "index.ts");
    if (isFile(js) && isFile(ts)) {
        // What `pulumi` does too: require(dir) finds index.js first.
        warnings?.add(`${dir} has both index.js and index.ts; using index.js, as Pulumi does`);
    }
    return [js, ts, path.join(dir, "index.mjs"), path.join(dir, "index.mts")].find(isFile);
}

function resolveEntry(dir: string, project: Project, warnings: Warnings): Entry {
    let file: string | undefined;
    if (project.main !== undefined) {
        const base = path.resolve(dir, project.main);
        if (!fs.existsSync(base)) {
            throw new InputError(`${project.file}: main ${JSON.stringify(project.main)} does not exist`);
        }
        file = isDirectory(base) ? resolveDirectoryEntry(base, warnings) : base;
        if (!file) {
            throw new InputError(`${project.file}: main ${JSON.stringify(project.main)} has no index.ts or index.js`);
        }
    } else {
        file = resolveDirectoryEntry(dir, warnings);
        if (!file) {
            throw new InputError(
                `${dir}: no program entry point: no index.ts or index.js (and no \`main\` in Pulumi.yaml or package.json)`,
            );
        }
    }
    return { file, esm: formatOf(file) === "module" };
}

// ------------------------------------------------------------------------------------------------
// The program's own @pulumi/pulumi
// ------------------------------------------------------------------------------------------------

interface Sdk {
    dir: string;
    version: string;
    pulumi: any;
    settings: any;
    state: any | undefined;
    runtimeResource: any;
    /** The file holding the Resource class (its constructor frame starts every registration). */
    resourceFile: string;
    Resource: any;
    Config: any;
}

function loadSdk(dir: string): Sdk {
    let pkgJson: string;
    try {
        pkgJson = require.resolve("@pulumi/pulumi/package.json", { paths: [dir] });
    } catch {
        throw new InputError(`the program ${dir} cannot be run: @pulumi/pulumi is not installed for it (run npm install in ${dir})`);
    }
    const sdkDir = path.dirname(pkgJson);
    let version = "?";
    let pulumi: any;
    try {
        version = String((JSON.parse(fs.readFileSync(pkgJson, "utf8")) as { version?: unknown }).version ?? "?");
        pulumi = require(sdkDir);
    } catch (e) {
        throw new InputError(`the program ${dir} cannot be run: loading ${sdkDir} failed: ${firstLine(String((e as Error)?.message ?? e))}`);
    }
    if (typeof pulumi?.runtime?.setMocks !== "function" || typeof pulumi?.runtime?.runInPulumiStack !== "function") {
        throw new InputError(`the program ${dir} uses @pulumi/pulumi ${version}, which has no mock runtime; upgrade it to 3.x`);
    }
    const tryRequire = (p: string) => {
        try {
            return require(p);
        } catch {
            return undefined;
        }
    };
    return {
        dir: sdkDir,
        version,
        pulumi,
        settings: require(path.join(sdkDir, "runtime", "settings")),
        state: tryRequire(path.join(sdkDir, "runtime", "state")),
        runtimeResource: require(path.join(sdkDir, "runtime", "resource")),
        resourceFile: require.resolve(path.join(sdkDir, "resource")),
        Resource: pulumi.Resource,
        Config: pulumi.Config,
    };
}

// ------------------------------------------------------------------------------------------------
// TypeScript: transpile-only require hook with source maps
// ------------------------------------------------------------------------------------------------

/**
 * Source maps of the files transpiled in this process, by the name stack frames give them: a path
 * for CommonJS files, a file URL (with the run's parameters) for ES modules.
 */
const sourceMaps = new Map<string, { text: string; map?: nodeModule.SourceMap | null }>();

/** The TypeScript setup of the program being run, for the transpile hooks and for source maps. */
interface TypeScriptRun {
    ts: Ts;
    options: ProgramCompilerOptions;
}
let currentTs: TypeScriptRun | undefined;

/**
 * The source map of an ES module, which the loader thread transpiled: transpiling it again here
 * (same compiler, options and source) gives the same map, without a round trip between threads.
 */
function esmSourceMap(frameFile: string): string | undefined {
    if (!currentTs || !frameFile.startsWith("file:") || !frameFile.includes(`${RUN_PARAM}=`)) return undefined;
    try {
        const file = url.fileURLToPath(frameFile);
        if (!isTypeScriptFile(file) || formatOf(file) !== "module") return undefined;
        return transpile(currentTs.ts, currentTs.options.module, fs.readFileSync(file, "utf8"), file).map;
    } catch {
        return undefined;
    }
}

/** Maps a 1-based position in a transpiled file to its TypeScript source; undefined if not ours. */
function mapPosition(file: string, line: number, column: number): { line: number; column: number } | undefined {
    let sm = sourceMaps.get(file);
    if (!sm) {
        const text = esmSourceMap(file);
        if (!text) return undefined;
        sourceMaps.set(file, (sm = { text }));
    }
    if (sm.map === undefined) {
        try {
            sm.map = new nodeModule.SourceMap(JSON.parse(sm.text));
        } catch {
            sm.map = null;
        }
    }
    const entry = sm.map?.findEntry(line - 1, column - 1) as { originalLine?: number; originalColumn?: number } | undefined;
    if (entry?.originalLine === undefined || entry.originalColumn === undefined) return undefined;
    return { line: entry.originalLine + 1, column: entry.originalColumn + 1 };
}

/** require() hook for TypeScript files that load as CommonJS. */
function makeTsHook(run: TypeScriptRun): (module: any, filename: string) => void {
    return (module: any, filename: string) => {
        const out = transpile(run.ts, run.options.commonjs, fs.readFileSync(filename, "utf8"), filename);
        if (out.map) sourceMaps.set(filename, { text: out.map });
        module._compile(out.code, filename);
    };
}

/** A run's TypeScript compiler and options; undefined when the program needs none (JavaScript without tsconfig). */
function typeScriptFor(dir: string, project: Project, entry: Entry): TypeScriptRun | undefined {
    const needed = isTypeScriptFile(entry.file);
    const hasConfig = project.tsconfig !== undefined || fs.existsSync(path.join(dir, "tsconfig.json"));
    if (!needed && !hasConfig) return undefined;
    let ts: Ts;
    try {
        ts = loadCompiler().ts;
    } catch (e) {
        if (e instanceof CompilerMissingError && needed) throw new InputError(`the program ${dir} is TypeScript, but ${e.message}`);
        return undefined;
    }
    try {
        return { ts, options: programCompilerOptions(ts, dir, project.tsconfig) };
    } catch (e) {
        if (e instanceof TsConfigError) throw new InputError(e.message);
        throw e;
    }
}

/**
 * require() of `./vpc.js` in a CommonJS program whose sources are TypeScript (module NodeNext
 * style): when Node finds no such file, the TypeScript file it was compiled from.
 */
function makeResolveFilename(original: (...args: any[]) => string) {
    return function (this: unknown, request: string, parent: any, ...rest: unknown[]): string {
        try {
            return original.call(this, request, parent, ...rest);
        } catch (e) {
            const from: unknown = parent?.filename;
            if ((e as NodeJS.ErrnoException)?.code !== "MODULE_NOT_FOUND" || typeof from !== "string" || !isUserFile(from)) throw e;
            if (!(request.startsWith("./") || request.startsWith("../") || path.isAbsolute(request))) throw e;
            const found = typeScriptCandidates(path.resolve(path.dirname(from), request)).find(isFile);
            if (!found) throw e;
            return original.call(this, found, parent, ...rest);
        }
    };
}

/** Stack traces during a run: frames in transpiled files show their TypeScript positions. */
function makePrepareStackTrace(previous: ((err: Error, sites: NodeJS.CallSite[]) => unknown) | undefined) {
    return (err: Error, sites: NodeJS.CallSite[]): unknown => {
        const ours = sites.some(s => {
            const f = s.getFileName();
            return f !== null && f !== undefined && (sourceMaps.has(f) || f.includes(`${RUN_PARAM}=`));
        });
        if (!ours && previous) {
            return previous(err, sites);
        }
        let header: string;
        try {
            header = Error.prototype.toString.call(err);
        } catch {
            header = "Error";
        }
        return (
            header +
            sites
                .map(s => {
                    let text: string;
                    try {
                        text = String(s);
                    } catch {
                        text = "<unknown>";
                    }
                    const f = s.getFileName();
                    const l = s.getLineNumber();
                    const c = s.getColumnNumber();
                    if (f && l && c) {
                        const m = mapPosition(f, l, c);
                        if (m) text = text.replace(`${f}:${l}:${c}`, `${f}:${m.line}:${m.column}`);
                    }
                    return `\n    at ${text}`;
                })
                .join("")
        );
    };
}

// ------------------------------------------------------------------------------------------------
// Patches that are undone after a run
// ------------------------------------------------------------------------------------------------

class Patches {
    private readonly undo: Array<() => void> = [];

    set(obj: any, key: PropertyKey, value: unknown): void {
        const had = Object.prototype.hasOwnProperty.call(obj, key);
        const prev = obj[key];
        obj[key] = value;
        this.undo.push(() => {
            if (had) obj[key] = prev;
            else delete obj[key];
        });
    }

    env(name: string, value: string | undefined): void {
        const prev = process.env[name];
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
        this.undo.push(() => {
            if (prev === undefined) delete process.env[name];
            else process.env[name] = prev;
        });
    }

    add(fn: () => void): void {
        this.undo.push(fn);
    }

    restoreAll(): void {
        while (this.undo.length > 0) {
            try {
                this.undo.pop()!();
            } catch {
                // keep restoring the rest
            }
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Config: missing required keys get placeholders
// ------------------------------------------------------------------------------------------------

const REQUIRE_METHODS: ReadonlyArray<{ method: string; secret: boolean; kind: "string" | "number" | "boolean" | "object" }> = [
    { method: "require", secret: false, kind: "string" },
    { method: "requireNumber", secret: false, kind: "number" },
    { method: "requireBoolean", secret: false, kind: "boolean" },
    { method: "requireObject", secret: false, kind: "object" },
    { method: "requireSecret", secret: true, kind: "string" },
    { method: "requireSecretNumber", secret: true, kind: "number" },
    { method: "requireSecretBoolean", secret: true, kind: "boolean" },
    { method: "requireSecretObject", secret: true, kind: "object" },
];

function isMissingConfigError(e: unknown): e is Error & { key?: string } {
    return (
        e instanceof Error &&
        (e.constructor?.name === "ConfigMissingError" || /^Missing required configuration variable/.test(e.message))
    );
}

/** Required config the stack does not set, by full key, with the method that asked for it. */
type MissingConfig = Map<string, string>;

function patchConfig(sdk: Sdk, patches: Patches, missing: MissingConfig, placeholders: Placeholders): void {
    const proto = sdk.Config?.prototype;
    if (!proto) return;
    for (const { method, secret, kind } of REQUIRE_METHODS) {
        const original = proto[method];
        if (typeof original !== "function") continue;
        patches.set(proto, method, function (this: any, key: string) {
            try {
                return original.apply(this, arguments as unknown as unknown[]);
            } catch (e) {
                if (!isMissingConfigError(e)) throw e;
                const fullKey = e.key ?? (typeof this?.fullKey === "function" ? this.fullKey(key) : key);
                if (!missing.has(fullKey)) missing.set(fullKey, method);
                placeholders.set(placeholderFor(fullKey), fullKey);
                const value = kind === "object" ? {} : placeholderFor(fullKey);
                return secret ? sdk.pulumi.secret(value) : value;
            }
        });
    }
}

/** Placeholders handed to the program: placeholder string -> full config key. */
type Placeholders = Map<string, string>;

/** Inputs that hold a placeholder (also inside a longer string), replaced by the unknown value; the keys found are collected. */
function unknownPlaceholders(v: unknown, placeholders: Placeholders, found: Set<string>): unknown {
    if (typeof v === "string") {
        if (!v.includes(PLACEHOLDER_PREFIX)) return v;
        for (const [p, key] of placeholders) if (v.includes(p)) found.add(key);
        return UNKNOWN;
    }
    if (Array.isArray(v)) {
        let changed = false;
        const out = v.map(e => {
            const r = unknownPlaceholders(e, placeholders, found);
            changed ||= r !== e;
            return r;
        });
        return changed ? out : v;
    }
    if (isPlainObject(v)) {
        let changed = false;
        const out: Record<string, unknown> = {};
        for (const [k, e] of Object.entries(v)) {
            const r = k === SECRET_SIG_KEY && e === SECRET_SIG ? e : unknownPlaceholders(e, placeholders, found);
            changed ||= r !== e;
            out[k] = r;
        }
        return changed ? out : v;
    }
    return v;
}

// ------------------------------------------------------------------------------------------------
// Recording registrations
// ------------------------------------------------------------------------------------------------

interface Recorded {
    resource: StackResource;
    sdkSource?: SourceLocation;
}

function sourceFromRequest(req: any, cwd: string): SourceLocation | undefined {
    const pos = typeof req.getSourceposition === "function" ? req.getSourceposition() : undefined;
    if (!pos) return undefined;
    const file = fileOfFrame(pos.getUri());
    if (!isUserFile(file) || !pos.getLine()) return undefined;
    const loc: SourceLocation = { file: displayPath(file, cwd), line: pos.getLine() };
    if (pos.getColumn()) loc.column = pos.getColumn();
    return loc;
}

class Recorder {
    readonly records: Recorded[] = [];
    private readonly urns = new Set<string>();
    /** Resource objects and where the program created them, joined by URN after the run. */
    readonly created: Array<{ res: any; loc: Creation }> = [];
    closed = false;
    duplicate?: string;
    private readonly remoteTypes = new Set<string>();
    /** Config key -> the resources whose inputs hold its placeholder. */
    readonly placeholderUse = new Map<string, string[]>();

    constructor(
        private readonly project: string,
        private readonly stack: string,
        private readonly cwd: string,
        private readonly warnings: Warnings,
        private readonly placeholders: Placeholders,
        private readonly onProgress?: (msg: string) => void,
    ) {}

    urn(parent: string, type: string, name: string): string {
        return engineUrn(this.stack, this.project, parent, type, name);
    }

    record(req: any, read: boolean): void {
        if (this.closed) return;
        const type: string = req.getType();
        const name: string = req.getName();
        const parent: string = req.getParent() ?? "";
        const urn = this.urn(parent, type, name);
        if (this.urns.has(urn)) {
            this.duplicate ??= urn;
            return;
        }
        this.urns.add(urn);
        if (isSkippedType(type)) return;
        if (!read && typeof req.getRemote === "function" && req.getRemote() && !this.remoteTypes.has(type)) {
            this.remoteTypes.add(type);
            this.warnings.add(
                `${type} is a multi-language component: the resources inside it are created by its provider plugin, ` +
                    "which does not run here, so they are not checked (check a `pulumi preview --json` file to see them)",
            );
        }
        const struct = read ? req.getProperties() : req.getObject();
        const found = new Set<string>();
        const wire = engineResourceRefs(struct ? struct.toJavaScript() : {});
        const properties = unknownPlaceholders(wire, this.placeholders, found) as Record<string, unknown>;
        for (const key of found) {
            const users = this.placeholderUse.get(key) ?? [];
            users.push(`${type} ${name}`);
            this.placeholderUse.set(key, users);
        }
        const resource: StackResource = {
            type,
            name,
            urn,
            custom: read ? true : req.getCustom() === true,
            properties,
        };
        if (parent) resource.parent = parent;
        const provider: string = req.getProvider() ?? "";
        if (provider) resource.provider = provider;
        resource.dependencies = [...(req.getDependenciesList() ?? [])];
        if (!read && typeof req.getPropertydependenciesMap === "function") {
            const pd: Record<string, string[]> = {};
            req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
                pd[key] = [...deps.getUrnsList()];
            });
            resource.propertyDependencies = pd;
        }
        this.records.push({ resource, sdkSource: sourceFromRequest(req, this.cwd) });
        if (this.records.length % PROGRESS_EVERY === 0 && this.onProgress) {
            try {
                this.onProgress(`${this.records.length} resources registered so far`);
            } catch {
                // a progress callback never stops the run
            }
        }
    }
}

/** How many classes lie between the resource's class and Resource (CustomResource counts). */
function classDepth(res: any, Resource: any): number {
    let depth = 0;
    for (let p = Object.getPrototypeOf(res); p; p = Object.getPrototypeOf(p)) {
        if (p === Resource?.prototype) return depth;
        depth++;
    }
    return -1;
}

function captureCallSites(above: (...args: any[]) => unknown): NodeJS.CallSite[] {
    const prevPrepare = Error.prepareStackTrace;
    const prevLimit = Error.stackTraceLimit;
    try {
        Error.prepareStackTrace = (_e, sites) => sites;
        Error.stackTraceLimit = 64;
        const holder: { stack?: unknown } = {};
        Error.captureStackTrace(holder, above);
        return Array.isArray(holder.stack) ? (holder.stack as NodeJS.CallSite[]) : [];
    } catch {
        return [];
    } finally {
        Error.prepareStackTrace = prevPrepare;
        Error.stackTraceLimit = prevLimit;
    }
}

interface Creation {
    /** The outermost frame in the user's code: the call site in the program (index.ts), not inside its component. */
    source: SourceLocation;
    /** The innermost one, when it differs: the line inside the component (or helper) that constructs the resource. */
    definedAt?: SourceLocation;
}

function frameLocation(site: NodeJS.CallSite, cwd: string): SourceLocation | undefined {
    const raw = site.getFileName();
    const file = fileOfFrame(raw);
    const line = site.getLineNumber();
    if (!isUserFile(file) || !line) return undefined;
    const column = site.getColumnNumber();
    const mapped = raw ? mapPosition(raw, line, column ?? 1) : undefined;
    const loc: SourceLocation = { file: displayPath(file, cwd), line: mapped?.line ?? line };
    const col = mapped?.column ?? column;
    if (col) loc.column = col;
    return loc;
}

/**
 * Where the program created a resource: the frames after the constructor chain (Resource,
 * CustomResource, the provider's class, ...) that are the user's own code (not in node_modules),
 * with TypeScript positions.
 */
function locateCreation(sites: NodeJS.CallSite[], res: any, sdk: Sdk, cwd: string): Creation | undefined {
    const first = sites.findIndex(s => s.getFileName() === sdk.resourceFile && s.isConstructor());
    const depth = classDepth(res, sdk.Resource);
    let start = first >= 0 && depth >= 0 ? first + depth + 1 : 0;
    if (start >= sites.length) start = 0;
    const user: SourceLocation[] = [];
    for (let i = start; i < sites.length; i++) {
        const loc = frameLocation(sites[i], cwd);
        if (loc) user.push(loc);
    }
    if (user.length === 0) return undefined;
    const inner = user[0];
    const outer = user[user.length - 1];
    const same = inner.file === outer.file && inner.line === outer.line && inner.column === outer.column;
    return same ? { source: outer } : { source: outer, definedAt: inner };
}

// ------------------------------------------------------------------------------------------------
// Failures
// ------------------------------------------------------------------------------------------------

interface Failure {
    err: unknown;
    stack?: string;
}

function stackOf(err: unknown): string | undefined {
    try {
        const s = (err as { stack?: unknown })?.stack;
        return typeof s === "string" ? s : undefined;
    } catch {
        return undefined;
    }
}

/** The first frame of a formatted stack that is the user's code, as "file:line:column". */
function userFrame(err: unknown, stack: string | undefined, cwd: string): string | undefined {
    if (err instanceof LocatedError) {
        const l = err.location;
        return `${displayPath(l.file, cwd)}:${l.line}:${l.column}`;
    }
    if (!stack) return undefined;
    const lines = stack.split("\n");
    // Node's syntax errors start with "file:line" and the offending source line.
    const head = /^(\/.*|[A-Za-z]:\\.*|file:\/\/.*):(\d+)$/.exec(lines[0] ?? "");
    if (head && err instanceof SyntaxError) {
        const file = fileOfFrame(head[1]);
        if (file) return `${displayPath(file, cwd)}:${head[2]}`;
    }
    for (const l of lines) {
        const m = /^\s*at (?:.* \()?(.+?):(\d+):(\d+)\)?$/.exec(l);
        if (!m) continue;
        const file = fileOfFrame(m[1]);
        if (isUserFile(file)) return `${displayPath(file, cwd)}:${m[2]}:${m[3]}`;
    }
    return undefined;
}

function programFailed(dirShown: string, f: Failure, cwd: string): InputError {
    const err = f.err;
    let message: string;
    if (err instanceof Error) {
        message = firstLine(err.message || err.name || "error");
    } else {
        try {
            message = firstLine(typeof err === "string" ? err : JSON.stringify(err) ?? String(err));
        } catch {
            message = String(err);
        }
    }
    let where = userFrame(err, f.stack, cwd);
    // A transpile error from the module hooks' thread carries its place in the message.
    const located = err instanceof SyntaxError ? /^(TS\d+: .*) \(at (.+):(\d+):(\d+)\)$/.exec(message) : null;
    if (located) {
        message = located[1];
        where = `${displayPath(located[2], cwd)}:${located[3]}:${located[4]}`;
    }
    let text = `the program ${dirShown} failed: ${message}`;
    if (where && !message.includes(where)) text += ` (at ${where})`;
    const code = (err as { code?: unknown })?.code;
    const missing = /Cannot find (?:module|package) '([^']+)'/.exec(message)?.[1];
    if ((code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND") && missing && !/^(\.|\/|[A-Za-z]:\\|file:)/.test(missing)) {
        text += `; are its dependencies installed? (run npm install in ${dirShown})`;
    }
    return new InputError(text);
}

// ------------------------------------------------------------------------------------------------
// Running a program
// ------------------------------------------------------------------------------------------------

// import() that TypeScript's CommonJS output leaves alone.
const dynamicImport: (specifier: string) => Promise<any> = (0, eval)("(u) => import(u)");
let runs = 0;
let hooksRegistered = false;

/** Registers the ES module hooks, once per process: they act only on the URLs of a run. */
function registerEsmHooks(): void {
    if (hooksRegistered) return;
    const register = (nodeModule as unknown as { register?: (specifier: string, parentURL: string) => void }).register;
    if (typeof register !== "function") {
        throw new InputError(`ES module programs need Node.js 20.6 or later (module.register); this is ${process.version}`);
    }
    register(url.pathToFileURL(path.join(__dirname, "esm-hooks.js")).href, url.pathToFileURL(__filename).href);
    hooksRegistered = true;
}

/** The URL a run imports its ES module entry with: the parameters make the hooks act and the modules fresh. */
function runUrl(file: string, run: number, dir: string, tsconfig: string | undefined): string {
    const u = url.pathToFileURL(file);
    u.searchParams.set(RUN_PARAM, String(run));
    u.searchParams.set(PROJECT_PARAM, dir);
    if (tsconfig !== undefined) u.searchParams.set(TSCONFIG_PARAM, tsconfig);
    return u.href;
}

/** The program called process.exit(): under `pulumi` that ends the program, here it must not end the check. */
class ProgramExit extends Error {
    constructor(code: unknown) {
        super(`the program called process.exit(${code === undefined ? "" : JSON.stringify(code)}) before it finished`);
        this.name = "ProgramExit";
    }
}

/** Waits for `p`, but no longer than `ms` (the timer does not outlive the wait). */
async function waitAtMost(p: Promise<unknown>, ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
        await Promise.race([p.then(() => undefined, () => undefined), new Promise<void>(r => (timer = setTimeout(r, ms)))]);
    } finally {
        if (timer) clearTimeout(timer);
    }
}

function nextTurn(): Promise<void> {
    return new Promise(resolve => setImmediate(resolve));
}

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
    const sdk = loadSdk(dir);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_PROGRAM_TIMEOUT_MS;
    const run = ++runs;

    const patches = new Patches();
    const placeholders: Placeholders = new Map(config.secureKeys.map(k => [placeholderFor(k), k]));
    const missing: MissingConfig = new Map();
    const recorder = new Recorder(project.name, stack, cwd, warnings, placeholders, opts.onProgress);
    let failure: Failure | undefined;
    let failNow: (f: Failure) => void = () => undefined;
    const failed = new Promise<void>(resolve => {
        failNow = (f: Failure) => {
            failure ??= f;
            resolve();
        };
    });
    const fail = (err: unknown) => failNow({ err, stack: stackOf(err) });
    let timer: NodeJS.Timeout | undefined;
    const cacheBefore = new Set(Object.keys(require.cache));

    try {
        if (entry.esm) registerEsmHooks();
        currentTs = typeScript;
        patches.add(() => (currentTs = undefined));

        // Stack traces: TypeScript positions (installed first, so every later error is formatted by it).
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

        // TypeScript files that load as CommonJS go through a transpile-only hook; imports written
        // for the emitted JavaScript (./vpc.js) find their TypeScript sources.
        const extensions = require.extensions as unknown as Record<string, unknown>;
        const tsHook = typeScript
            ? makeTsHook(typeScript)
            : (_m: unknown, filename: string) => {
                throw new InputError(`${filename}: ${new CompilerMissingError().message}`);
            };
        patches.set(extensions, ".ts", tsHook);
        patches.set(extensions, ".cts", tsHook);
        const Module = nodeModule as unknown as { _resolveFilename: (...args: any[]) => string };
        patches.set(Module, "_resolveFilename", makeResolveFilename(Module._resolveFilename));

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

        // The SDK's global settings, restored after the run.
        const store = typeof sdk.state?.getStore === "function" ? sdk.state.getStore() : undefined;
        if (store) {
            const options = { ...store.settings.options };
            const configBefore = { ...store.config };
            const flags: Record<string, unknown> = {};
            for (const k of Object.keys(store)) if (k.startsWith("supports")) flags[k] = store[k];
            const stackResource = store.stackResource;
            patches.add(() => {
                if (typeof sdk.settings.resetOptions === "function") {
                    sdk.settings.resetOptions(
                        options.project, options.stack, options.parallel, options.engineAddr,
                        options.monitorAddr, options.dryRun, options.organization,
                    );
                }
                Object.assign(store.settings.options, options);
                store.config = configBefore;
                Object.assign(store, flags);
                if (typeof sdk.state.setStackResource === "function") sdk.state.setStackResource(stackResource);
                else store.stackResource = stackResource;
            });
        }

        // Reads of required config the stack does not set get placeholders; the keys are collected.
        patchConfig(sdk, patches, missing, placeholders);

        // Where each resource is created, computed while its constructor runs.
        for (const [fn, resIndex] of [["registerResource", 0], ["readResource", 0]] as const) {
            const original = sdk.runtimeResource[fn];
            if (typeof original !== "function") continue;
            const wrapped = function (this: unknown, ...args: unknown[]) {
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

        const mocks = {
            newResource: (args: { inputs: Record<string, unknown> }) => ({ id: undefined, state: args.inputs }),
            call: (args: { token: string; inputs: unknown }) => answerInvoke(args.token, args.inputs, warnings),
        };
        await sdk.pulumi.runtime.setMocks(mocks, project.name, stack, /* preview */ true, PLACEHOLDER_ORGANIZATION);
        if (store) store.settings.options.rootDirectory = dir;
        if (typeof sdk.pulumi.runtime.setAllConfig === "function") {
            sdk.pulumi.runtime.setAllConfig(config.values, config.secretKeys);
        }
        const monitor = sdk.settings.getMonitor();
        if (!monitor || typeof monitor.registerResource !== "function") {
            throw new Error(`@pulumi/pulumi ${sdk.version} did not install a mock resource monitor`);
        }
        monitor.newUrn = (parent: string, type: string, name: string) => recorder.urn(parent, type, name);
        const register = monitor.registerResource;
        monitor.registerResource = (req: any, callback: unknown) => {
            recorder.record(req, false);
            return register.call(monitor, req, callback);
        };
        if (typeof monitor.readResource === "function") {
            const read = monitor.readResource;
            monitor.readResource = (req: any, callback: unknown) => {
                recorder.record(req, true);
                return read.call(monitor, req, callback);
            };
        }

        // Like the language host: run the program inside the root stack, with cwd = the project.
        process.chdir(dir);
        patches.add(() => process.chdir(cwd));
        const init = async () => {
            let exported: any;
            if (entry.esm) {
                exported = await dynamicImport(runUrl(entry.file, run, dir, project.tsconfig));
                if (exported && Object.getOwnPropertyDescriptor(exported, "default") !== undefined) {
                    exported = exported.default;
                }
            } else {
                exported = require(entry.file);
            }
            return await (exported instanceof Function ? exported() : exported);
        };
        const work = (async () => {
            await sdk.pulumi.runtime.runInPulumiStack(init);
            if (typeof sdk.settings.waitForRPCs === "function") await sdk.settings.waitForRPCs();
            else await sdk.pulumi.runtime.disconnect();
        })();
        const timedOut = new Promise<"timeout">(resolve => {
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
        // Let rejections that are still on their way arrive (they fail the run, as in pulumi).
        if (failure && typeof sdk.settings.waitForRPCs === "function") {
            await waitAtMost(Promise.resolve(sdk.settings.waitForRPCs()), 1000);
        }
        for (let i = 0; i < 3; i++) await nextTurn();
        if (failure) {
            const e = programFailed(dirShown, failure, cwd);
            if (missing.size > 0) e.message += ` (it ran with placeholders for ${[...missing.keys()].join(", ")})`;
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
                    (users.length > 0 ? `; inputs built from it are checked as unknown values (${listedNames(users)})` : "") +
                    `; set it in ${displayPath(config.file, cwd)} to check the real value`,
            );
        }

        // Join creation sites to URNs (every URN is known in preview).
        const locations = new Map<string, Creation>();
        await waitAtMost(
            Promise.all(
                recorder.created.map(async ({ res, loc }) => {
                    try {
                        const out = res?.urn;
                        const urn =
                            typeof out?.promise === "function"
                                ? await out.promise()
                                : await new Promise(resolve => out.apply((u: unknown) => resolve(u)));
                        if (typeof urn === "string" && !locations.has(urn)) locations.set(urn, loc);
                    } catch {
                        // no location for this one
                    }
                }),
            ),
            2000,
        );
        const resources = recorder.records.map(({ resource, sdkSource }) => {
            const created = locations.get(resource.urn);
            if (created) return { ...resource, ...created };
            return sdkSource ? { ...resource, source: sdkSource } : resource;
        });
        return { kind: "program", input, project: project.name, stack, resources, warnings: warnings.list() };
    } catch (e) {
        if (e instanceof InputError) throw e;
        if (missing.size > 0 && !opts.allowMissingConfig) throw missingConfigError(dirShown, missing, config.file, stack, cwd);
        throw programFailed(dirShown, { err: e, stack: stackOf(e) }, cwd);
    } finally {
        recorder.closed = true;
        if (timer) clearTimeout(timer);
        patches.restoreAll();
    }
}

function listedNames(items: string[]): string {
    return items.length <= 3 ? items.join(", ") : `${items.slice(0, 3).join(", ")} and ${items.length - 3} more`;
}

function missingConfigError(dirShown: string, missing: MissingConfig, stackFile: string, stack: string, cwd: string): InputError {
    const file = displayPath(stackFile, cwd);
    const where = fs.existsSync(stackFile) ? file : `${file}, which does not exist`;
    const keys = [...missing].map(([k, method]) => `${k} (${method})`);
    const first = [...missing.keys()][0];
    return new InputError(
        `the program ${dirShown} requires config that stack "${stack}" does not set (looked in ${where}): ${keys.join(", ")}. ` +
            `Set ${missing.size === 1 ? "it" : "each"} (pulumi config set ${first} <value> --stack ${stack}), ` +
            "or pass --allow-missing-config to check with placeholders",
    );
}
