// A Pulumi project directory: Pulumi.yaml (name, runtime, main, runtime.options.tsconfig) and the
// program's entry point (Pulumi.yaml main, package.json exports or main, index.*).
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { isPlainObject } from "../../policies/base/values";
import { firstLine } from "../text";
import { InputError } from "../types";
import { formatOf, typeScriptCandidates } from "./transpile";
import { isDirectory, isFile } from "./user-files";
import { Warnings } from "./warnings";

export interface Project {
    file: string;
    name: string;
    main?: string;
    /** runtime.options.tsconfig: the tsconfig to use instead of tsconfig.json. */
    tsconfig?: string;
    config: Record<string, unknown>;
}

export function readYamlFile(file: string): unknown {
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
    return ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
}

export function readProject(dir: string): Project {
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
        main: doc.main,
        tsconfig: options.tsconfig,
        config: isPlainObject(doc.config) ? doc.config : {},
    };
}

export interface Entry {
    file: string;
    /** An ES module (.mjs, .mts, or .js/.ts under package.json "type": "module"): loaded with import(). */
    esm: boolean;
}

function readPackageJson(dir: string): Record<string, unknown> | undefined {
    try {
        const doc: unknown = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
        return isPlainObject(doc) ? doc : undefined;
    } catch {
        return undefined;
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

export function resolveEntry(dir: string, project: Project, warnings: Warnings): Entry {
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
