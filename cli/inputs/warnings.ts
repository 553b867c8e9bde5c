// What the user should know about how a program was run, collected during the run.
/** Ordered, de-duplicated warnings. */
export class Warnings {
    private readonly set = new Set<string>();
    /** Invokes answered with an empty placeholder: what a program that then fails may have tripped on. */
    readonly emptyInvokes = new Set<string>();
    add(w: string): void {
        this.set.add(w);
    }
    list(): string[] {
        return [...this.set];
    }
}
