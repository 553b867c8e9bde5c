// TypeScript for the local check: the compiler the check ships (never the program's own, nor the 3.8
// that @pulumi/pulumi vendors), the program's tsconfig read the way tsc reads it, and a per-file
// transpile to the module format Node will load the file as.
//
// Why the TypeScript compiler and not esbuild or sucrase: it is the compiler Pulumi runs programs
// with (ts-node), so the emit is the same (useDefineForClassFields, decorators and their metadata,
// enums, namespaces); it reads tsconfig.json exactly, `extends` included, with file and line for
// every bad option; and it is plain JavaScript, with no per-platform binary to install in CI.
import * as fs from "fs";
import * as path from "path";
import type * as TS from "typescript-5";
import { requireFile } from "./load";

export type Ts = typeof TS;

/** The package name the compiler is installed under (an npm alias, so nothing else resolves it as `typescript`). */
export const COMPILER_PACKAGE = "typescript-5";

/** This package's root: dist/cli/inputs/ -> the root. */
const PACKAGE_ROOT = path.resolve(__dirname, "..", "..", "..");

/** Where the compiler may be installed: this package's own node_modules (a development install) or check/ (the slim install). */
export const COMPILER_PATHS = [PACKAGE_ROOT, path.join(PACKAGE_ROOT, "check")];

/** The program needs TypeScript but the check's compiler is not installed. */
export class CompilerMissingError extends Error {
    constructor() {
        super(
            `the TypeScript compiler the check transpiles programs with is not installed: run \`npm ci --prefix check\` in ${PACKAGE_ROOT} ` +
                "(or `npm ci` there for a development install)",
        );
        this.name = "CompilerMissingError";
    }
}

let compiler: { ts: Ts; file: string } | undefined;

export function loadCompiler(): { ts: Ts; file: string } {
    if (compiler) return compiler;
    let file: string;
    try {
        file = require.resolve(COMPILER_PACKAGE, { paths: COMPILER_PATHS });
    } catch {
        throw new CompilerMissingError();
    }
    compiler = { ts: requireFile<Ts>(file), file };
    return compiler;
}

/** tsconfig.json problems, each with the file, line and column when the compiler knows them. */
export class TsConfigError extends Error {
    constructor(
        readonly file: string,
        readonly problems: string[],
        message?: string,
    ) {
        super(
            message ??
                `${file}: the TypeScript compiler cannot read ${problems.length === 1 ? "this option" : "these options"}:\n  ${problems.join("\n  ")}`,
        );
        this.name = "TsConfigError";
    }
}

/** A transpile error with its place in the source (syntax errors have no useful stack). */
export class LocatedError extends Error {
    constructor(
        message: string,
        readonly location: { file: string; line: number; column: number },
    ) {
        super(message);
        this.name = "SyntaxError";
    }
}

export type ModuleFormat = "commonjs" | "module";

export interface ProgramCompilerOptions {
    /** The tsconfig read, if any. */
    file?: string;
    commonjs: TS.CompilerOptions;
    module: TS.CompilerOptions;
}

// Options about where output goes, declarations, type checking or module lookup: meaningless for a
// transpile to memory, and some (outFile, emitDeclarationOnly, noEmit) would make it emit nothing.
const DROPPED: readonly string[] = [
    "outDir",
    "outFile",
    "out",
    "rootDir",
    "rootDirs",
    "declarationDir",
    "tsBuildInfoFile",
    "composite",
    "incremental",
    "declaration",
    "declarationMap",
    "emitDeclarationOnly",
    "noEmit",
    "inlineSourceMap",
    "inlineSources",
    "sourceRoot",
    "mapRoot",
    "isolatedDeclarations",
    "moduleResolution",
    "paths",
    "baseUrl",
    "plugins",
    "project",
    "noCheck",
    "configFilePath",
    "allowImportingTsExtensions",
    "rewriteRelativeImportExtensions",
];

/**
 * The program's compiler options, read like tsc reads them (comments, `extends`, enum names), and
 * the options each module format is emitted with. Throws TsConfigError for anything the compiler
 * cannot read: a misspelt target silently dropped would run the program as something else.
 */
export function programCompilerOptions(ts: Ts, projectDir: string, tsconfig?: string): ProgramCompilerOptions {
    const file = tsconfig ? path.resolve(projectDir, tsconfig) : path.join(projectDir, "tsconfig.json");
    let options: TS.CompilerOptions = {};
    let read: string | undefined;
    if (fs.existsSync(file)) {
        read = file;
        const fatal: TS.Diagnostic[] = [];
        const parsed = ts.getParsedCommandLineOfConfigFile(file, undefined, {
            ...ts.sys,
            onUnRecoverableConfigFileDiagnostic: (d) => fatal.push(d),
        });
        // "No inputs were found" and an empty `files` list concern tsc's file list, not the options.
        const problems = [...fatal, ...(parsed?.errors ?? [])].filter((d) => d.code !== 18003 && d.code !== 18002);
        if (problems.length > 0)
            throw new TsConfigError(
                file,
                problems.map((d) => describeDiagnostic(ts, d, file)),
            );
        options = parsed?.options ?? {};
    } else if (tsconfig) {
        throw new TsConfigError(file, [], `${file}: no such file; Pulumi.yaml names it in runtime.options.tsconfig`);
    }
    const ES2015 = ts.ScriptTarget.ES2015;
    const ES2022 = ts.ScriptTarget.ES2022;
    // Pulumi's default when the tsconfig sets no target.
    const declared = options.target ?? ts.ScriptTarget.ES2020;
    const base: TS.CompilerOptions = { ...options };
    for (const k of DROPPED) delete base[k];
    // The declared target decides class field semantics (define for ES2022 and later, as tsc does);
    // the emit target is what the Node.js running the check executes: at least ES2015, because an
    // ES5 class cannot extend @pulumi/pulumi's native classes ("Class constructor ComponentResource
    // cannot be invoked without 'new'"), and at most ES2022, above which TypeScript leaves syntax
    // (`using`, decorators) that Node 20 cannot parse.
    base.useDefineForClassFields = options.useDefineForClassFields ?? declared >= ES2022;
    base.target = Math.min(Math.max(declared, ES2015), ES2022);
    base.sourceMap = true;
    const commonjs: TS.CompilerOptions = { ...base, module: ts.ModuleKind.CommonJS };
    // verbatimModuleSyntax forbids the import syntax a CommonJS emit turns into require().
    delete commonjs.verbatimModuleSyntax;
    return { file: read, commonjs, module: { ...base, module: ts.ModuleKind.ES2022 } };
}

function describeDiagnostic(ts: Ts, d: TS.Diagnostic, fallbackFile: string): string {
    const text = ts.flattenDiagnosticMessageText(d.messageText, " ");
    if (d.file && d.start !== undefined) {
        const { line, character } = ts.getLineAndCharacterOfPosition(d.file, d.start);
        return `${d.file.fileName}:${line + 1}:${character + 1}: ${text} (TS${d.code})`;
    }
    return `${d.file?.fileName ?? fallbackFile}: ${text} (TS${d.code})`;
}

export interface Transpiled {
    code: string;
    map?: string;
}

/** Transpiles one file; a syntax error throws LocatedError. The code carries an inline source map. */
export function transpile(ts: Ts, options: TS.CompilerOptions, source: string, fileName: string): Transpiled {
    const out = ts.transpileModule(source, { fileName, compilerOptions: options, reportDiagnostics: true });
    const error = (out.diagnostics ?? []).find((d) => d.file && d.category === ts.DiagnosticCategory.Error);
    if (error) {
        const { line, character } = error.file!.getLineAndCharacterOfPosition(error.start ?? 0);
        const text = ts.flattenDiagnosticMessageText(error.messageText, "\n").split("\n")[0];
        throw new LocatedError(`TS${error.code}: ${text}`, { file: fileName, line: line + 1, column: character + 1 });
    }
    let code = out.outputText.replace(/\n\/\/# sourceMappingURL=[^\n]*\s*$/, "\n");
    const map = out.sourceMapText;
    if (map) code += `//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(map).toString("base64")}\n`;
    return { code, map };
}

/** The nearest package.json's "type" decides how .js and .ts files load. */
export function isModuleScope(file: string): boolean {
    let dir = path.dirname(file);
    for (;;) {
        try {
            const doc: unknown = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
            return doc !== null && typeof doc === "object" && "type" in doc && doc.type === "module";
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "ENOENT") return false;
        }
        const up = path.dirname(dir);
        if (up === dir) return false;
        dir = up;
    }
}

/** The format Node loads a file as: .mts/.mjs are ES modules, .cts/.cjs CommonJS, .ts/.js by package scope. */
export function formatOf(file: string): ModuleFormat {
    if (/\.m[jt]s$/.test(file)) return "module";
    if (/\.c[jt]s$/.test(file)) return "commonjs";
    return isModuleScope(file) ? "module" : "commonjs";
}

export function isTypeScriptFile(file: string): boolean {
    return /\.[cm]?ts$/.test(file) && !file.endsWith(".d.ts");
}

/**
 * The TypeScript file an import written for the emitted JavaScript stands for: `./vpc.js` is
 * `./vpc.ts` in the sources (module NodeNext style), `./vpc` (CommonJS and bundler style) too.
 */
export function typeScriptCandidates(file: string): string[] {
    const m = /\.([cm]?)js$/.exec(file);
    if (m) return [`${file.slice(0, -m[0].length)}.${m[1]}ts`];
    if (/\.[cm]?ts$/.test(file)) return [];
    return [`${file}.ts`, `${file}.mts`, `${file}.cts`, path.join(file, "index.ts")];
}
