// What every input kind (program, stack export, preview file) becomes: the resources the Pulumi
// engine would send to the pack, in its wire form (unknown sentinels and secret wrappers included).
import { ResourceInput } from "../driver/analyzer-client";

export interface SourceLocation {
    /** Path relative to the current directory, or absolute when outside it. */
    file: string;
    line: number;
    column?: number;
}

export interface StackResource extends ResourceInput {
    urn: string;
    /** False for component resources. */
    custom: boolean;
    /**
     * Where the resource is in its input: for a program the call site in the user's code (the
     * outermost frame of the program's own files, so a resource made inside a component points at
     * the line that uses the component); for an export or preview file the line of its URN.
     */
    source?: SourceLocation;
    /** For a program, the line that constructs the resource (inside the component), when it is not `source`. */
    definedAt?: SourceLocation;
    /**
     * Its outputs, when the input has them (a stack export, a preview's unchanged resources): the
     * engine sends outputs, not inputs, to AnalyzeStack, and only they carry ids assigned on update.
     * Same wire form as `properties`.
     */
    outputs?: Record<string, unknown>;
}

export type InputKind = "program" | "stack-export" | "preview";

export interface LoadedStack {
    kind: InputKind;
    /** The path the user gave. */
    input: string;
    project?: string;
    stack?: string;
    resources: StackResource[];
    /**
     * The provider resources the pack reads (Kubernetes ones: which cluster each deploys to). The
     * engine sends them to AnalyzeStack with the rest; here they are kept apart, as no policy judges
     * them and no report counts them.
     */
    providers?: StackResource[];
    /** Things the user should know (placeholder config values, skipped steps), printed on stderr. */
    warnings: string[];
}

/** Unusable input: the command prints the message and exits with status 2. */
export class InputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "InputError";
    }
}
