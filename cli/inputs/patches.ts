// What a run changes in this process (globals, module hooks, environment), undone afterwards in
// reverse order.
export class Patches {
    private readonly undo: Array<() => void> = [];

    set<T extends object, K extends keyof T>(obj: T, key: K, value: T[K]): void {
        // As a bag of properties: the key may be one the object does not have yet, and is deleted again.
        const bag = obj as Record<PropertyKey, unknown>;
        const had = Object.prototype.hasOwnProperty.call(obj, key);
        const prev = bag[key];
        bag[key] = value;
        this.undo.push(() => {
            if (had) bag[key] = prev;
            else delete bag[key];
        });
    }

    env(name: string, value: string | undefined): void {
        const prev = process.env[name];
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
        this.undo.push(() => {
            if (prev === undefined) delete process.env[name];
            else process.env[name] = prev;
        });
    }

    add(fn: () => void): void {
        this.undo.push(fn);
    }

    restoreAll(): void {
        while (this.undo.length > 0) {
            try {
                this.undo.pop()!();
            } catch {
                // keep restoring the rest
            }
        }
    }
}
