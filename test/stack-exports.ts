// `pulumi stack export` documents for the CLI tests, as the CLI writes them (deployment version 3):
// the stack's own resource first, then the stack's resources.

/** A resource as an export holds it. */
export interface ExportedResource {
    urn: string;
    custom: boolean;
    type: string;
    id?: string;
    inputs?: unknown;
    outputs?: unknown;
    parent?: string;
}

/** The URNs of one stack of a project. */
export function urnsOf(stack: string, project: string): (type: string, name: string) => string {
    return (type, name) => `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

/** The export of `stack` of `project` holding `resources` (the stack resource is added). */
export function stackExport(stack: string, project: string, resources: ExportedResource[]) {
    const urn = urnsOf(stack, project);
    return {
        version: 3,
        deployment: {
            manifest: { time: "2026-11-27T00:00:00Z", magic: "x", version: "v3.200.0" },
            resources: [
                { urn: urn("pulumi:pulumi:Stack", `${project}-${stack}`), custom: false, type: "pulumi:pulumi:Stack" },
                ...resources,
            ],
        },
    };
}
