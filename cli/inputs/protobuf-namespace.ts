// google-protobuf's generated code registers its classes in one global namespace (`proto.google.protobuf.Struct`,
// `proto.pulumirpc.RegisterResourceRequest`, ...) and looks them up there when it runs, so every copy
// loaded in the process replaces the classes of the others. A program's @pulumi/pulumi 2.x brings
// google-protobuf 3.5 to 3.19, whose classes the check's own protobuf cannot serialize ("c.g is not
// a function" on the first Analyze). The program's SDK runs with its classes, the check with its own.

/** Every member of the namespace's plain objects, as they are now. */
type Members = Array<[Record<string, unknown>, string, unknown]>;

function isNamespace(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;
}

function members(): Members {
    const out: Members = [];
    const seen = new Set<object>();
    const walk = (ns: Record<string, unknown>) => {
        if (seen.has(ns)) return;
        seen.add(ns);
        for (const key of Object.keys(ns)) {
            const v = ns[key];
            out.push([ns, key, v]);
            if (isNamespace(v)) walk(v);
        }
    };
    const root = (globalThis as { proto?: unknown }).proto;
    if (isNamespace(root)) walk(root);
    return out;
}

function put(m: Members): void {
    for (const [ns, key, v] of m) ns[key] = v;
}

/** The namespace each SDK's run left, by its directory: a later run of a cached SDK does not register again. */
const sdkNamespaces = new Map<string, Members>();

/** The namespace as it is now (before a program's SDK is loaded), to put back after the run. */
export function checkNamespace(): () => void {
    const own = members();
    return () => put(own);
}

/** Gives the program's SDK (just loaded) its own classes back, and keeps them for its next run; returns that keeper. */
export function sdkNamespace(sdkDir: string): () => void {
    const kept = sdkNamespaces.get(sdkDir);
    if (kept) put(kept);
    return () => sdkNamespaces.set(sdkDir, members());
}
