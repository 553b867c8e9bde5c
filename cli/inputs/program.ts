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
//   - project config from Pulumi.yaml and stack config from Pulumi.<stack>.yaml.
// What it cannot reproduce: provider Check (defaults, autonaming) — the inputs are the program's
// inputs as sent to the engine —, real invoke results (placeholders), and children of remote
// (multi-language) components, which a plugin would create.
//
// Only one program runs at a time in a process (the SDK's runtime state is global); calls queue.
// Everything patched for a run (require hooks, Error.prepareStackTrace, process listeners,
// Config methods, environment, cwd, SDK settings) is restored afterwards.
import * as fs from "fs";
import * as path from "path";
import * as url from "url";
import { parse as parseYaml } from "yaml";
import { InputError, LoadedStack, SourceLocation, StackResource } from "../types";
import { STACK_TYPE, isSkippedType } from "./stack-export";

export interface ProgramOptions {
    /** Stack name (default "dev"): URNs, `pulumi.getStack()` and the Pulumi.<stack>.yaml config file. */
    stack?: string;
    /** Called every 500 registered resources. */
    onProgress?: (msg: string) => void;
    /** Give up after this long (default 120 000 ms). */
    timeoutMs?: number;
}

export const DEFAULT_PROGRAM_TIMEOUT_MS = 120_000;
export const DEFAULT_STACK = "dev";
/** The organization name the mock runtime reports (`pulumi.getOrganization()`). */
export const PLACEHOLDER_ORGANIZATION = "organization";
/** Value of encrypted (`secure:`) config values, which cannot be decrypted here. */
export const PLACEHOLDER_SECRET = "placeholder-secret";
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

function isPlainObject(x: unknown): x is Record<string, unknown> {
    return typeof x === "object" && x !== null && !Array.isArray(x);
}

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
    return {
        file,
        name: doc.name,
        main: doc.main as string | undefined,
        config: isPlainObject(doc.config) ? doc.config : {},
    };
}

interface StackConfig {
    values: Record<string, string>;
    secretKeys: string[];
    /** The stack config file, existing or not (named in warnings). */
    file: string;
}

function fullConfigKey(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

/** Replaces `{secure: ...}` values (also nested ones) with the placeholder; reports whether any was. */
function replaceSecure(v: unknown): { value: unknown; secure: boolean } {
    if (isPlainObject(v)) {
        if (Object.keys(v).length === 1 && typeof v.secure === "string") {
            return { value: PLACEHOLDER_SECRET, secure: true };
        }
        let secure = false;
        const out: Record<string, unknown> = {};
        for (const [k, e] of Object.entries(v)) {
            const r = replaceSecure(e);
            out[k] = r.value;
            secure ||= r.secure;
        }
        return { value: out, secure };
    }
    if (Array.isArray(v)) {
        let secure = false;
        const out = v.map(e => {
            const r = replaceSecure(e);
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
        const r = replaceSecure(raw);
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
            `encrypted config value(s) ${secure.join(", ")} cannot be decrypted here; used "${PLACEHOLDER_SECRET}"`,
        );
    }
    return { values, secretKeys: [...secretKeys], file };
}

interface Entry {
    file: string;
    /** An ES module (package.json "type": "module", .mjs): loaded with import(). */
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

/** The nearest package.json's "type" decides how .js files load. */
function isModuleScope(file: string): boolean {
    let dir = path.dirname(file);
    for (;;) {
        const pkg = readPackageJson(dir);
        if (pkg) return pkg.type === "module";
        const up = path.dirname(dir);
        if (up === dir) return false;
        dir = up;
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
    for (const cand of [p, `${p}.js`, `${p}.ts`, `${p}.mjs`, `${p}.cjs`]) {
        if (isFile(cand)) return cand;
    }
    if (isDirectory(p)) {
        return resolveDirectoryEntry(p, undefined);
    }
    return undefined;
}

function resolveDirectoryEntry(dir: string, warnings: Warnings | undefined): string | undefined {
    const pkg = readPackageJson(dir);
    if (typeof pkg?.main === "string" && pkg.main !== "") {
        const main = resolveModulePath(path.resolve(dir, pkg.main));
        if (main) return main;
        warnings?.add(`${path.join(dir, "package.json")}: main ${JSON.stringify(pkg.main)} not found; looking for index.js/index.ts`);
    }
    const js = path.join(dir, "index.js");
    const ts = path.join(dir, "index.ts");
    if (isFile(js) && isFile(ts)) {
        // What `pulumi` does too: require(dir) finds index.js first.
        warnings?.add(`${dir} has both index.js and index.ts; using index.js, as Pulumi does`);
    }
    return [js, ts, path.join(dir, "index.mjs")].find(isFile);
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
    const esm = file.endsWith(".mjs") || (file.endsWith(".js") && isModuleScope(file));
    return { file, esm };
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

/** Source maps of the files transpiled in this process: file -> decoded mappings (lazily). */
const sourceMaps = new Map<string, { text: string; lines?: number[][][] }>();

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Decodes source map "mappings" into per-line segments [genCol, srcIndex, srcLine, srcCol]. */
function decodeMappings(mappings: string): number[][][] {
    const lines: number[][][] = [];
    let srcIndex = 0;
    let srcLine = 0;
    let srcCol = 0;
    for (const lineText of mappings.split(";")) {
        const segs: number[][] = [];
        let genCol = 0;
        for (const segText of lineText.split(",")) {
            if (segText === "") continue;
            const nums: number[] = [];
            let value = 0;
            let shift = 0;
            for (const ch of segText) {
                const digit = B64.indexOf(ch);
                if (digit < 0) break;
                value += (digit & 31) << shift;
                if (digit & 32) {
                    shift += 5;
                } else {
                    nums.push(value & 1 ? -(value >>> 1) : value >>> 1);
                    value = 0;
                    shift = 0;
                }
            }
            genCol += nums[0] ?? 0;
            if (nums.length >= 4) {
                srcIndex += nums[1];
                srcLine += nums[2];
                srcCol += nums[3];
                segs.push([genCol, srcIndex, srcLine, srcCol]);
            }
        }
        lines.push(segs);
    }
    return lines;
}

/** Maps a 1-based position in a transpiled file to its TypeScript source; undefined if not ours. */
function mapPosition(file: string, line: number, column: number): { line: number; column: number } | undefined {
    const sm = sourceMaps.get(file);
    if (!sm) return undefined;
    if (!sm.lines) {
        try {
            sm.lines = decodeMappings(String((JSON.parse(sm.text) as { mappings?: unknown }).mappings ?? ""));
        } catch {
            sm.lines = [];
        }
    }
    const segs = sm.lines[line - 1];
    if (!segs || segs.length === 0) return undefined;
    let best = segs[0];
    for (const s of segs) {
        if (s[0] <= column - 1) best = s;
        else break;
    }
    return { line: best[2] + 1, column: best[3] + 1 };
}

function loadTypeScript(dir: string, sdkDir: string): any {
    const candidates: Array<() => string> = [
        () => require.resolve("typescript", { paths: [dir] }),
        () => require.resolve("typescript"),
        () => {
            const vendor = path.join(sdkDir, "vendor");
            const name = fs.readdirSync(vendor).find(d => d.startsWith("typescript@"));
            if (!name) throw new Error("no vendored typescript");
            return path.join(vendor, name, "typescript.js");
        },
    ];
    for (const c of candidates) {
        try {
            return require(c());
        } catch {
            // next
        }
    }
    return undefined;
}

/** Compiler options: the project's tsconfig.json (its own options, not `extends`), made to emit CommonJS. */
function compilerOptions(ts: any, dir: string): Record<string, unknown> {
    let options: Record<string, unknown> = {};
    const tsconfig = path.join(dir, "tsconfig.json");
    if (fs.existsSync(tsconfig)) {
        try {
            const read = ts.readConfigFile(tsconfig, (f: string) => fs.readFileSync(f, "utf8"));
            if (!read.error && isPlainObject(read.config?.compilerOptions)) {
                options = ts.convertCompilerOptionsFromJson(read.config.compilerOptions, dir).options ?? {};
            }
        } catch {
            options = {};
        }
    }
    const out: Record<string, unknown> = { target: ts.ScriptTarget.ES2020 ?? ts.ScriptTarget.Latest, ...options };
    for (const k of [
        "outDir", "outFile", "out", "rootDir", "rootDirs", "declarationDir", "tsBuildInfoFile", "composite",
        "incremental", "declaration", "declarationMap", "emitDeclarationOnly", "noEmit", "inlineSourceMap",
        "inlineSources", "sourceRoot", "mapRoot", "verbatimModuleSyntax", "isolatedDeclarations", "moduleResolution",
        "paths", "baseUrl", "plugins", "project",
    ]) {
        delete out[k];
    }
    out.module = ts.ModuleKind.CommonJS;
    out.sourceMap = true;
    return out;
}

/** An error whose location is known without a stack (TypeScript syntax errors). */
class LocatedError extends Error {
    constructor(message: string, readonly location: { file: string; line: number; column: number }) {
        super(message);
        this.name = "SyntaxError";
    }
}

function makeTsHook(dir: string, sdkDir: string): (module: any, filename: string) => void {
    let ts: any;
    let options: Record<string, unknown> | undefined;
    return (module: any, filename: string) => {
        if (ts === undefined) {
            ts = loadTypeScript(dir, sdkDir) ?? null;
        }
        if (!ts) {
            throw new Error(`cannot load ${filename}: no TypeScript compiler found (install typescript in ${dir})`);
        }
        options ??= compilerOptions(ts, dir);
        const source = fs.readFileSync(filename, "utf8");
        const out = ts.transpileModule(source, { fileName: filename, compilerOptions: options, reportDiagnostics: true });
        const syntaxError = (out.diagnostics ?? []).find((d: any) => d.file && d.category === ts.DiagnosticCategory.Error);
        if (syntaxError) {
            const { line, character } = syntaxError.file.getLineAndCharacterOfPosition(syntaxError.start ?? 0);
            const text = ts.flattenDiagnosticMessageText(syntaxError.messageText, "\n");
            throw new LocatedError(`TS${syntaxError.code}: ${firstLine(text)}`, { file: filename, line: line + 1, column: character + 1 });
        }
        const map: string | undefined = out.sourceMapText;
        let code: string = out.outputText.replace(/\n\/\/# sourceMappingURL=[^\n]*\s*$/, "\n");
        if (map) {
            sourceMaps.set(filename, { text: map });
            code += `//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(map).toString("base64")}\n`;
        }
        module._compile(code, filename);
    };
}

/** Stack traces during a run: frames in transpiled files show their TypeScript positions. */
function makePrepareStackTrace(previous: ((err: Error, sites: NodeJS.CallSite[]) => unknown) | undefined) {
    return (err: Error, sites: NodeJS.CallSite[]): unknown => {
        const ours = sites.some(s => {
            const f = s.getFileName();
            return f !== null && f !== undefined && sourceMaps.has(f);
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

function placeholderValue(kind: string, key: string, opts: unknown): unknown {
    const o = isPlainObject(opts) ? opts : {};
    switch (kind) {
        case "number": {
            let n = 1;
            if (typeof o.min === "number" && n < o.min) n = o.min;
            if (typeof o.max === "number" && n > o.max) n = o.max;
            return n;
        }
        case "boolean":
            return false;
        case "object":
            return {};
        default:
            if (Array.isArray(o.allowedValues) && o.allowedValues.length > 0) return o.allowedValues[0];
            return `placeholder-${key}`;
    }
}

function patchConfig(sdk: Sdk, patches: Patches, warnings: Warnings, stackFile: string, cwd: string): void {
    const proto = sdk.Config?.prototype;
    if (!proto) return;
    for (const { method, secret, kind } of REQUIRE_METHODS) {
        const original = proto[method];
        if (typeof original !== "function") continue;
        patches.set(proto, method, function (this: any, key: string, opts?: unknown) {
            try {
                return original.apply(this, arguments as unknown as unknown[]);
            } catch (e) {
                if (!isMissingConfigError(e)) throw e;
                const fullKey = e.key ?? (typeof this?.fullKey === "function" ? this.fullKey(key) : key);
                const value = placeholderValue(kind, key, opts);
                warnings.add(
                    `missing required config ${fullKey}: used the placeholder ${JSON.stringify(value)}; set it in ` +
                        `${displayPath(stackFile, cwd)} (config: ${fullKey}: <value>) to check the real value`,
                );
                return secret ? sdk.pulumi.secret(value) : value;
            }
        });
    }
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
    readonly created: Array<{ res: any; loc: SourceLocation }> = [];
    closed = false;
    duplicate?: string;
    private readonly remoteTypes = new Set<string>();

    constructor(
        private readonly project: string,
        private readonly stack: string,
        private readonly cwd: string,
        private readonly warnings: Warnings,
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
                `${type} is a multi-language component: the resources inside it are created by its plugin and are not checked`,
            );
        }
        const struct = read ? req.getProperties() : req.getObject();
        const properties = (struct ? struct.toJavaScript() : {}) as Record<string, unknown>;
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

/**
 * Where the program created a resource: the frame right after the constructor chain
 * (Resource, CustomResource, the provider's class, ...), or the first frame after it that is the
 * user's own code (not in node_modules), with TypeScript positions.
 */
function locateCreation(sites: NodeJS.CallSite[], res: any, sdk: Sdk, cwd: string): SourceLocation | undefined {
    const first = sites.findIndex(s => s.getFileName() === sdk.resourceFile && s.isConstructor());
    const depth = classDepth(res, sdk.Resource);
    let start = first >= 0 && depth >= 0 ? first + depth + 1 : 0;
    if (start >= sites.length) start = 0;
    for (let i = start; i < sites.length; i++) {
        const raw = sites[i].getFileName();
        const file = fileOfFrame(raw);
        if (!isUserFile(file)) continue;
        const line = sites[i].getLineNumber();
        const column = sites[i].getColumnNumber();
        if (!line) continue;
        const mapped = raw ? mapPosition(raw, line, column ?? 1) : undefined;
        const loc: SourceLocation = { file: displayPath(file, cwd), line: mapped?.line ?? line };
        const col = mapped?.column ?? column;
        if (col) loc.column = col;
        return loc;
    }
    return undefined;
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
    const where = userFrame(err, f.stack, cwd);
    let text = `the program ${dirShown} failed: ${message}`;
    if (where && !message.includes(where)) text += ` (at ${where})`;
    if ((err as { code?: unknown })?.code === "MODULE_NOT_FOUND") {
        text += `; are its dependencies installed? (run npm install in ${dirShown})`;
    }
    return new InputError(text);
}

// ------------------------------------------------------------------------------------------------
// Running a program
// ------------------------------------------------------------------------------------------------

// import() that TypeScript's CommonJS output leaves alone.
const dynamicImport: (specifier: string) => Promise<any> = (0, eval)("(u) => import(u)");
let esmRuns = 0;

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
    const sdk = loadSdk(dir);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_PROGRAM_TIMEOUT_MS;

    const patches = new Patches();
    const recorder = new Recorder(project.name, stack, cwd, warnings, opts.onProgress);
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

        // The program's own output goes to stderr, so that stdout stays the check's report.
        for (const m of ["log", "info", "debug"] as const) {
            const toStderr = console.error.bind(console);
            patches.set(console, m, (...args: unknown[]) => toStderr(...args));
        }

        // TypeScript files load through a transpile-only hook.
        const extensions = require.extensions as unknown as Record<string, unknown>;
        patches.set(extensions, ".ts", makeTsHook(dir, sdk.dir));

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

        // Config reads of missing keys get placeholders.
        patchConfig(sdk, patches, warnings, config.file, cwd);

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
                exported = await dynamicImport(`${url.pathToFileURL(entry.file).href}?run=${++esmRuns}`);
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
            throw programFailed(dirShown, failure, cwd);
        }
        if (recorder.duplicate) {
            throw new InputError(
                `the program ${dirShown} failed: duplicate resource URN '${recorder.duplicate}'; try giving it a unique name`,
            );
        }

        // Join creation sites to URNs (every URN is known in preview).
        const locations = new Map<string, SourceLocation>();
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
            const source = locations.get(resource.urn) ?? sdkSource;
            return source ? { ...resource, source } : resource;
        });
        return { kind: "program", input, project: project.name, stack, resources, warnings: warnings.list() };
    } catch (e) {
        if (e instanceof InputError) throw e;
        throw programFailed(dirShown, { err: e, stack: stackOf(e) }, cwd);
    } finally {
        recorder.closed = true;
        if (timer) clearTimeout(timer);
        patches.restoreAll();
    }
}
