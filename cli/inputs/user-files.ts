// Which files are the user's program (not node_modules, not this package) and how paths are shown.
import * as fs from "fs";
import * as path from "path";
import * as url from "url";

/** `p` relative to `cwd` when inside it, else absolute. */
export function displayPath(p: string, cwd: string): string {
    const rel = path.relative(cwd, p);
    return rel === "" ? "." : rel.startsWith("..") || path.isAbsolute(rel) ? p : rel;
}

export function isUnderNodeModules(file: string): boolean {
    return file.split(/[\\/]/).includes("node_modules");
}

/** Where this package's own compiled code lives; its frames are never the user's. */
const OWN_DIST_DIR = path.resolve(__dirname, "..", "..");

/** The file a stack frame names (a path or a file URL), when it is one. */
export function fileOfFrame(f: string | null | undefined): string | undefined {
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

const OWN_ROOT = path.dirname(OWN_DIST_DIR);

/**
 * A source file of this package, which a frame names once a source map is applied to it
 * (@pulumi/pulumi 2.x installs source-map-support for the whole process): it has a compiled twin in dist/.
 */
function isOwnSource(file: string): boolean {
    const rel = path.relative(OWN_ROOT, file);
    if (rel.startsWith("..") || path.isAbsolute(rel) || !/\.ts$/.test(rel) || /\.d\.ts$/.test(rel)) return false;
    return fs.existsSync(path.join(OWN_DIST_DIR, rel.replace(/\.ts$/, ".js")));
}

export function isUserFile(file: string | undefined): file is string {
    return file !== undefined && !isUnderNodeModules(file) && !file.startsWith(OWN_DIST_DIR + path.sep) && !isOwnSource(file);
}

export function isFile(p: string): boolean {
    try {
        return fs.statSync(p).isFile();
    } catch {
        return false;
    }
}

export function isDirectory(p: string): boolean {
    try {
        return fs.statSync(p).isDirectory();
    } catch {
        return false;
    }
}
