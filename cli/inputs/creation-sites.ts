// Where the program created each resource: the stack of the resource's constructor, read while it
// runs, gives the outermost frame in the user's own files (the call site in index.ts) and the
// innermost (the line inside a component), in TypeScript positions; joined to URNs after the run.
import { SourceLocation } from "../types";
import { Sdk, SdkResource } from "./sdk";
import { mapPosition } from "./source-maps";
import { displayPath, fileOfFrame, isUserFile } from "./user-files";
import { waitAtMost } from "./waits";

/** How many classes lie between the resource's class and Resource (CustomResource counts). */
function classDepth(res: SdkResource, Resource: Sdk["Resource"]): number {
    let depth = 0;
    for (let p: unknown = Object.getPrototypeOf(res); p; p = Object.getPrototypeOf(p)) {
        if (p === Resource?.prototype) return depth;
        depth++;
    }
    return -1;
}

export function captureCallSites(above: (...args: never[]) => unknown): NodeJS.CallSite[] {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- V8's hook, kept as it is to be put back
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

export interface Creation {
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
    // A downlevelled async function resumes from the __awaiter helper: its frame is outermost after an await.
    if (mapped === null) return undefined;
    const loc: SourceLocation = { file: displayPath(file, cwd), line: mapped?.line ?? line };
    const col = mapped?.column ?? column;
    if (col) loc.column = col;
    return loc;
}

/**
 * Whether the frame runs a module's top level: the one after it is Node.js's module loader
 * (`Module._compile` for CommonJS), not a line of the program. The `require` that loaded the
 * module is not a call that leads to the resource: as ES modules, which the loader evaluates
 * before their importer, the module's own line is where it is made.
 */
function isModuleBody(sites: NodeJS.CallSite[], i: number): boolean {
    return sites[i + 1]?.getFileName()?.startsWith("node:internal/modules/") === true;
}

/**
 * Where the program created a resource: the frames after the constructor chain (Resource,
 * CustomResource, the provider's class, ...) that are the user's own code (not in node_modules),
 * with TypeScript positions, up to the top level of the module that made it.
 */
export function locateCreation(sites: NodeJS.CallSite[], res: SdkResource, sdk: Sdk, cwd: string): Creation | undefined {
    const first = sites.findIndex((s) => s.getFileName() === sdk.resourceFile && s.isConstructor());
    const depth = classDepth(res, sdk.Resource);
    let start = first >= 0 && depth >= 0 ? first + depth + 1 : 0;
    if (start >= sites.length) start = 0;
    const user: SourceLocation[] = [];
    for (let i = start; i < sites.length; i++) {
        const loc = frameLocation(sites[i], cwd);
        if (!loc) continue;
        user.push(loc);
        if (isModuleBody(sites, i)) break;
    }
    if (user.length === 0) return undefined;
    const inner = user[0];
    const outer = user[user.length - 1];
    const same = inner.file === outer.file && inner.line === outer.line && inner.column === outer.column;
    return same ? { source: outer } : { source: outer, definedAt: inner };
}

/** Each created resource's URN (all known in preview) with where it was created; waits at most `ms` for them. */
export async function creationSitesByUrn(
    created: ReadonlyArray<{ res: SdkResource; loc: Creation }>,
    ms: number,
): Promise<Map<string, Creation>> {
    const locations = new Map<string, Creation>();
    await waitAtMost(
        Promise.all(
            created.map(async ({ res, loc }) => {
                try {
                    const out = res?.urn;
                    if (!out) return;
                    const urn =
                        typeof out?.promise === "function"
                            ? await out.promise()
                            : await new Promise((resolve) => out.apply((u: unknown) => resolve(u)));
                    if (typeof urn === "string" && !locations.has(urn)) locations.set(urn, loc);
                } catch {
                    // no location for this one
                }
            }),
        ),
        ms,
    );
    return locations;
}
