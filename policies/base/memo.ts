// The pack's one cache mechanism. Answers worth remembering across requests (a parsed CIDR, the
// services behind some ports) are keyed by text and bounded: every request can bring new keys, so a
// memo forgets everything at once when it is full rather than grow. Answers about one object (a
// request's properties, a rule list) live as long as the object does.

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

/** Answers about objects, computed once per object and forgotten with it. */
export class WeakMemo<K extends object, V> {
    private readonly map = new WeakMap<K, V>();

    constructor(private readonly compute: (key: K) => V) {}

    get(key: K): V {
        let v = this.map.get(key);
        if (v === undefined && !this.map.has(key)) this.map.set(key, (v = this.compute(key)));
        return v as V;
    }
}
