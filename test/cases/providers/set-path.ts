// Sets a value at a path such as `networkInterfaces[0].subnetwork` in a test stack's inputs, making
// the lists and objects on the way: the graph stack builders' references.
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
    const parts = path.replace(/\[(\d+)\]/g, ".$1").split(".");
    let o: Record<string, unknown> = obj;
    for (const [i, p] of parts.entries()) {
        if (i === parts.length - 1) {
            o[p] = value;
            return;
        }
        const next = parts[i + 1];
        o[p] ??= /^\d+$/.test(next) ? [] : {};
        o = o[p] as Record<string, unknown>;
    }
}
