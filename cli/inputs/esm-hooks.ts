// Module hooks (node:module register) for ES module programs: TypeScript files load transpiled, an
// import written for the emitted JavaScript (`./vpc.js`) finds its TypeScript source, and the
// program's own files are fresh on every run. They run on Node's loader thread, once registered
// for the whole process, and act only on URLs a program run marked with RUN_PARAM: everything else
// (the check itself, other code in the process) goes to Node's own resolution and loading.
import * as fs from "fs";
import * as path from "path";
import * as url from "url";
import { isFile, isUnderNodeModules } from "./user-files";
import {
    formatOf,
    isTypeScriptFile,
    LocatedError,
    loadCompiler,
    programCompilerOptions,
    ProgramCompilerOptions,
    transpile,
    typeScriptCandidates,
} from "./transpile";

/** Query parameters on a run's URLs: the run's number, the project directory and its tsconfig. */
export const RUN_PARAM = "internal-ports-run";
export const PROJECT_PARAM = "internal-ports-project";
export const TSCONFIG_PARAM = "internal-ports-tsconfig";

interface ResolveContext {
    parentURL?: string;
    conditions?: string[];
    importAttributes?: Record<string, string>;
}
interface ResolveResult {
    url: string;
    format?: string | null;
    shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<ResolveResult>;
interface LoadContext {
    format?: string | null;
    conditions?: string[];
    importAttributes?: Record<string, string>;
}
interface LoadResult {
    format: string;
    source?: string | Buffer | null;
    shortCircuit?: boolean;
}
type NextLoad = (url: string, context?: LoadContext) => Promise<LoadResult>;

function runParams(u: string | undefined): URLSearchParams | undefined {
    if (!u || !u.startsWith("file:")) return undefined;
    const q = u.indexOf("?");
    if (q < 0) return undefined;
    const params = new URLSearchParams(u.slice(q + 1).split("#")[0]);
    return params.has(RUN_PARAM) && params.has(PROJECT_PARAM) ? params : undefined;
}

function withParams(fileUrl: string, params: URLSearchParams): string {
    const u = new URL(fileUrl);
    const mine = new URLSearchParams();
    for (const k of [RUN_PARAM, PROJECT_PARAM, TSCONFIG_PARAM]) {
        const v = params.get(k);
        if (v !== null) mine.set(k, v);
    }
    u.search = mine.toString();
    return u.href;
}

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<ResolveResult> {
    const params = runParams(context.parentURL);
    if (!params) return next(specifier, context);
    let result: ResolveResult;
    try {
        result = await next(specifier, context);
    } catch (e) {
        const relative =
            specifier.startsWith("./") || specifier.startsWith("../") || specifier.startsWith("/") || specifier.startsWith("file:");
        if (
            (e as NodeJS.ErrnoException)?.code !== "ERR_MODULE_NOT_FOUND" &&
            (e as NodeJS.ErrnoException)?.code !== "ERR_UNSUPPORTED_DIR_IMPORT"
        )
            throw e;
        if (!relative) throw e;
        const wanted = specifier.startsWith("file:")
            ? url.fileURLToPath(specifier)
            : path.resolve(path.dirname(url.fileURLToPath(context.parentURL!)), specifier);
        const found = typeScriptCandidates(wanted).find(isFile);
        if (!found) throw e;
        result = { url: url.pathToFileURL(found).href };
    }
    if (!result.url.startsWith("file:")) return result;
    const file = url.fileURLToPath(result.url);
    // Dependencies stay cached across runs; the program's own files get the run's parameters.
    if (isUnderNodeModules(file)) return result;
    return { ...result, url: withParams(result.url, params), shortCircuit: true };
}

const optionsByRun = new Map<string, ProgramCompilerOptions>();

export async function load(u: string, context: LoadContext, next: NextLoad): Promise<LoadResult> {
    const params = runParams(u);
    if (!params) return next(u, context);
    const file = url.fileURLToPath(u);
    if (!isTypeScriptFile(file)) return next(u, context);
    const format = formatOf(file);
    // A CommonJS TypeScript file goes through require(), whose .ts hook the run installed.
    if (format === "commonjs") return { format: "commonjs", shortCircuit: true };
    const run = params.get(RUN_PARAM)!;
    let options = optionsByRun.get(run);
    if (!options) {
        options = programCompilerOptions(loadCompiler().ts, params.get(PROJECT_PARAM)!, params.get(TSCONFIG_PARAM) ?? undefined);
        optionsByRun.clear();
        optionsByRun.set(run, options);
    }
    try {
        const out = transpile(loadCompiler().ts, options.module, fs.readFileSync(file, "utf8"), file);
        return { format: "module", source: out.code, shortCircuit: true };
    } catch (e) {
        // Only the message crosses back to the program's thread: it carries the location.
        if (e instanceof LocatedError)
            throw new SyntaxError(`${e.message} (at ${e.location.file}:${e.location.line}:${e.location.column})`);
        throw e;
    }
}
