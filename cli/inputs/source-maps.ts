// Positions in transpiled files mapped back to the user's TypeScript: for stack traces during a run
// and for where each resource was created. CommonJS files keep the map the require hook made; an
// ES module, transpiled in the loader thread, is transpiled again here for its map.
import * as fs from "fs";
import nodeModule from "module";
import * as url from "url";
import { RUN_PARAM } from "./esm-hooks";
import { formatOf, isTypeScriptFile, ProgramCompilerOptions, transpile, Ts } from "./transpile";

/**
 * Source maps of the files transpiled in this process, by the name stack frames give them: a path
 * for CommonJS files, a file URL (with the run's parameters) for ES modules.
 */
export const sourceMaps = new Map<string, { text: string; map?: nodeModule.SourceMap | null }>();

/** The TypeScript setup of the program being run, for the transpile hooks and for source maps. */
export interface TypeScriptRun {
    ts: Ts;
    options: ProgramCompilerOptions;
}
let currentTs: TypeScriptRun | undefined;

/** The TypeScript setup source maps of ES modules are made with during a run (undefined between runs). */
export function setCurrentTypeScript(run: TypeScriptRun | undefined): void {
    currentTs = run;
}

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

/**
 * Maps a 1-based position in a transpiled file to its TypeScript source; undefined if not ours,
 * null if it lies before the first mapped line: the helpers the compiler emits there (`__awaiter`,
 * `__generator` for targets below ES2017) are no line of the source.
 */
export function mapPosition(file: string, line: number, column: number): { line: number; column: number } | null | undefined {
    let sm = sourceMaps.get(file);
    if (!sm) {
        const text = esmSourceMap(file);
        if (!text) return undefined;
        sourceMaps.set(file, (sm = { text }));
    }
    if (sm.map === undefined) {
        try {
            sm.map = new nodeModule.SourceMap(JSON.parse(sm.text) as nodeModule.SourceMapPayload);
        } catch {
            sm.map = null;
        }
    }
    if (!sm.map) return undefined;
    const entry: { originalLine?: number; originalColumn?: number } = sm.map.findEntry(line - 1, column - 1);
    if (entry.originalLine === undefined || entry.originalColumn === undefined) return null;
    return { line: entry.originalLine + 1, column: entry.originalColumn + 1 };
}

/** V8's call sites print as a frame of a stack trace (a toString @types/node does not declare). */
type PrintableCallSite = NodeJS.CallSite & { toString(): string };

/** Stack traces during a run: frames in transpiled files show their TypeScript positions. */
export function makePrepareStackTrace(previous: ((err: Error, sites: NodeJS.CallSite[]) => unknown) | undefined) {
    return (err: Error, sites: PrintableCallSite[]): unknown => {
        const ours = sites.some((s) => {
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
                .map((s) => {
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
