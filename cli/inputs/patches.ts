// What a run changes in this process (globals, module hooks, environment), undone afterwards in
// reverse order.
export class Patches {
    private readonly undo: Array<() => void> = [];

    set(obj: any, key: PropertyKey, value: unknown): void {
        const had = Object.prototype.hasOwnProperty.call(obj, key);
        const prev = obj[key];
        obj[key] = value;
        this.undo.push(() => {
            if (had) obj[key] = prev;
            else delete obj[key];
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
