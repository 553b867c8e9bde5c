// Every resource a program registers (or reads), recorded from the RegisterResource request the SDK
// builds: its wire form, as the engine would forward it to a policy pack, with the engine's URN.
import { SourceLocation, StackResource } from "../types";
import { Creation } from "./creation-sites";
import { ResourceRequest, SdkResource } from "./sdk";
import { placeholderKeysIn, Placeholders } from "./stack-config";
import { engineResourceRefs, isSkippedType, STACK_TYPE } from "./stack-export";
import { displayPath, fileOfFrame, isUserFile } from "./user-files";
import { Warnings } from "./warnings";

const PROGRESS_EVERY = 500;

/** The engine's URN for a resource (generateURN): the root stack's type is never a prefix. */
function engineUrn(stack: string, project: string, parent: string, type: string, name: string): string {
    let qualified = type;
    if (parent) {
        const parentType = parent.split("::")[2] ?? "";
        if (parentType !== "" && parentType !== STACK_TYPE) {
            qualified = `${parentType}$${type}`;
        }
    }
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

interface Recorded {
    resource: StackResource;
    sdkSource?: SourceLocation;
}

function sourceFromRequest(req: ResourceRequest, cwd: string): SourceLocation | undefined {
    const pos = typeof req.getSourceposition === "function" ? req.getSourceposition() : undefined;
    if (!pos) return undefined;
    const file = fileOfFrame(pos.getUri());
    if (!isUserFile(file) || !pos.getLine()) return undefined;
    const loc: SourceLocation = { file: displayPath(file, cwd), line: pos.getLine() };
    if (pos.getColumn()) loc.column = pos.getColumn();
    return loc;
}

export class Recorder {
    readonly records: Recorded[] = [];
    private readonly urns = new Set<string>();
    /** Resource objects and where the program created them, joined by URN after the run. */
    readonly created: Array<{ res: SdkResource; loc: Creation }> = [];
    closed = false;
    duplicate?: string;
    private readonly remoteTypes = new Set<string>();
    /** Config key -> the resources whose inputs hold its placeholder. */
    readonly placeholderUse = new Map<string, string[]>();

    constructor(
        private readonly project: string,
        private readonly stack: string,
        private readonly cwd: string,
        private readonly warnings: Warnings,
        private readonly placeholders: Placeholders,
        private readonly onProgress?: (msg: string) => void,
    ) {}

    urn(parent: string, type: string, name: string): string {
        return engineUrn(this.stack, this.project, parent, type, name);
    }

    record(req: ResourceRequest, read: boolean): void {
        if (this.closed) return;
        const type = req.getType();
        const name = req.getName();
        const parent = req.getParent() ?? "";
        const urn = this.urn(parent, type, name);
        if (this.urns.has(urn)) {
            this.duplicate ??= urn;
            return;
        }
        this.urns.add(urn);
        // The engine sends no resource read with `.get()` to a policy pack (nor its invokes): neither does the check.
        if (read || isSkippedType(type)) return;
        if (typeof req.getRemote === "function" && req.getRemote() && !this.remoteTypes.has(type)) {
            this.remoteTypes.add(type);
            this.warnings.add(
                `${type} is a multi-language component: the resources inside it are created by its provider plugin, ` +
                    "which does not run here, so they are not checked (check a `pulumi preview --json` file to see them)",
            );
        }
        const struct = req.getObject!();
        const found = new Set<string>();
        const properties = engineResourceRefs(struct ? struct.toJavaScript() : {}) as Record<string, unknown>;
        placeholderKeysIn(properties, this.placeholders, found);
        for (const key of found) {
            const users = this.placeholderUse.get(key) ?? [];
            users.push(`${type} ${name}`);
            this.placeholderUse.set(key, users);
        }
        const resource: StackResource = {
            type,
            name,
            urn,
            custom: req.getCustom!() === true,
            properties,
        };
        if (parent) resource.parent = parent;
        const provider = req.getProvider() ?? "";
        if (provider) resource.provider = provider;
        resource.dependencies = [...(req.getDependenciesList() ?? [])];
        if (typeof req.getPropertydependenciesMap === "function") {
            const pd: Record<string, string[]> = {};
            req.getPropertydependenciesMap().forEach((deps, key) => {
                pd[key] = [...deps.getUrnsList()];
            });
            resource.propertyDependencies = pd;
        }
        this.records.push({ resource, sdkSource: sourceFromRequest(req, this.cwd) });
        if (this.records.length % PROGRESS_EVERY === 0 && this.onProgress) {
            try {
                this.onProgress(`${this.records.length} resources registered so far`);
            } catch {
                // a progress callback never stops the run
            }
        }
    }
}
