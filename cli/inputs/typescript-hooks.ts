// Loading a program's TypeScript: a transpile-only require() hook for files that load as CommonJS,
// `./x.js` imports resolved to `x.ts`, and the ES module hooks (esm-hooks.ts) registered once per
// process, which act only on the URLs of a run.
import * as fs from "fs";
import nodeModule from "module";
import * as path from "path";
import * as url from "url";
import { InputError } from "../types";
import { PROJECT_PARAM, RUN_PARAM, TSCONFIG_PARAM } from "./esm-hooks";
import { Patches } from "./patches";
import { Entry, Project } from "./project";
import { sourceMaps, TypeScriptRun } from "./source-maps";
import {
    CompilerMissingError,
    isTypeScriptFile,
    loadCompiler,
    programCompilerOptions,
    transpile,
    TsConfigError,
    Ts,
    typeScriptCandidates,
} from "./transpile";
import { isFile, isUserFile } from "./user-files";

/** A module being loaded, as a require.extensions hook gets it (Module.prototype._compile is Node's own). */
interface LoadingModule {
    _compile(code: string, filename: string): void;
}

/** Module._resolveFilename: the parent is the requiring module, when there is one. */
type ResolveFilename = (this: unknown, request: string, parent: { filename?: unknown } | undefined, ...rest: unknown[]) => string;

/** require() hook for TypeScript files that load as CommonJS. */
function makeTsHook(run: TypeScriptRun): (module: LoadingModule, filename: string) => void {
    return (module: LoadingModule, filename: string) => {
        const out = transpile(run.ts, run.options.commonjs, fs.readFileSync(filename, "utf8"), filename);
        if (out.map) sourceMaps.set(filename, { text: out.map });
        module._compile(out.code, filename);
    };
}

/** A run's TypeScript compiler and options; undefined when the program needs none (JavaScript without tsconfig). */
export function typeScriptFor(dir: string, project: Project, entry: Entry): TypeScriptRun | undefined {
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
function makeResolveFilename(original: ResolveFilename): ResolveFilename {
    return function (this: unknown, request, parent, ...rest) {
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

/**
 * TypeScript files that load as CommonJS go through a transpile-only hook (or, without a compiler,
 * fail naming the file); imports written for the emitted JavaScript (./vpc.js) find their sources.
 */
export function installRequireHooks(patches: Patches, typeScript: TypeScriptRun | undefined): void {
    const extensions = require.extensions as unknown as Record<string, unknown>;
    const tsHook = typeScript
        ? makeTsHook(typeScript)
        : (_m: unknown, filename: string) => {
              throw new InputError(`${filename}: ${new CompilerMissingError().message}`);
          };
    patches.set(extensions, ".ts", tsHook);
    patches.set(extensions, ".cts", tsHook);
    const Module = nodeModule as unknown as { _resolveFilename: ResolveFilename };
    patches.set(Module, "_resolveFilename", makeResolveFilename(Module._resolveFilename));
}

// import() that TypeScript's CommonJS output leaves alone.
export const dynamicImport = (0, eval)("(u) => import(u)") as (specifier: string) => Promise<Record<string, unknown>>;
let hooksRegistered = false;

/** Registers the ES module hooks, once per process: they act only on the URLs of a run. */
export function registerEsmHooks(): void {
    if (hooksRegistered) return;
    const register = (nodeModule as unknown as { register?: (specifier: string, parentURL: string) => void }).register;
    if (typeof register !== "function") {
        throw new InputError(`ES module programs need Node.js 20.6 or later (module.register); this is ${process.version}`);
    }
    register(url.pathToFileURL(path.join(__dirname, "esm-hooks.js")).href, url.pathToFileURL(__filename).href);
    hooksRegistered = true;
}

/** The URL a run imports its ES module entry with: the parameters make the hooks act and the modules fresh. */
export function runUrl(file: string, run: number, dir: string, tsconfig: string | undefined): string {
    const u = url.pathToFileURL(file);
    u.searchParams.set(RUN_PARAM, String(run));
    u.searchParams.set(PROJECT_PARAM, dir);
    if (tsconfig !== undefined) u.searchParams.set(TSCONFIG_PARAM, tsconfig);
    return u.href;
}
