// Modules loaded by their path at run time: a program's entry and its own @pulumi/pulumi, and the
// check's compiler (the tests load their case files with it too). An import would resolve from
// this package's installation, and only a path known when it is compiled.

/** The module at `file` (an absolute path), typed by the caller with what it uses of it. */
export function requireFile<T>(file: string): T {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the path is known only at run time (see above)
    return require(file) as T;
}
