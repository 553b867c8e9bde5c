// Answers worth remembering across requests (a parsed CIDR, the services behind some ports). Every
// request can bring new keys, so a memo forgets everything at once when it is full rather than grow.

export class BoundedMemo<V> {
    private readonly map = new Map<string, V>();

    constructor(private readonly maxEntries: number) {}

    /** The remembered answer for `key`, or `compute()`'s, remembered; an undefined key is not remembered. */
    get(key: string | undefined, compute: () => V): V {
        if (key === undefined) return compute();
        if (this.map.has(key)) return this.map.get(key) as V;
        const value = compute();
        if (this.map.size >= this.maxEntries) this.map.clear();
        this.map.set(key, value);
        return value;
    }
}
