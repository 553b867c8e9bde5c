// Every resource a program registers (or reads), recorded from the RegisterResource request the SDK
// builds: its wire form, as the engine would forward it to a policy pack, with the engine's URN.
import { SourceLocation, StackResource } from "../types";
import { Creation } from "./creation-sites";
import { ResourceRequest, SdkResource } from "./sdk";
import { placeholderKeysIn, Placeholders } from "./stack-config";
import { engineResourceRefs, isReadProvider, isSkippedType, STACK_TYPE } from "./stack-export";
import { displayPath, fileOfFrame, isUserFile } from "./user-files";
import { Warnings } from "./warnings";

const PROGRESS_EVERY = 500;

const renderedByInvoke = (invoke: string) =>
    `the Kubernetes provider renders its resources (the invoke ${invoke}, answered here with a placeholder), so they are not checked; ` +
    "check a `pulumi preview --json` file or a stack export, where they appear";

/** Kubernetes resources whose contents the provider renders, which a program run cannot see. */
const RENDERED_ELSEWHERE: Readonly<Record<string, string>> = {
    "kubernetes:helm.sh/v3:Chart": renderedByInvoke("kubernetes:helm:template"),
    "kubernetes:helm.sh/v2:Chart": renderedByInvoke("kubernetes:helm:template"),
    "kubernetes:kustomize:Directory": renderedByInvoke("kubernetes:kustomize:directory"),
    // One resource: Helm creates the chart's objects in the cluster, out of every preview and policy pack.
    "kubernetes:helm.sh/v3:Release":
        "Helm renders and installs the chart in the cluster, so its resources are not checked, here or by a policy pack " +
        "(no preview or stack export lists them); to check them, deploy the chart with k8s.helm.v4.Chart or k8s.helm.v3.Chart " +
        "and check a `pulumi preview --json` file, where they appear",
};

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
    /** The provider resources the pack reads (LoadedStack.providers), in registration order. */
    readonly providers: StackResource[] = [];
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
        const provider = !read && isReadProvider(type);
        if (read || (isSkippedType(type) && !provider)) return;
        if (typeof req.getRemote === "function" && req.getRemote() && !this.remoteTypes.has(type)) {
            this.remoteTypes.add(type);
            this.warnings.add(
                `${type} is a multi-language component: the resources inside it are created by its provider plugin, ` +
                    "which does not run here, so they are not checked (check a `pulumi preview --json` file to see them)",
            );
        }
        const rendered = RENDERED_ELSEWHERE[type];
        if (rendered) this.warnings.add(`${type} ${name}: ${rendered}`);
        const struct = req.getObject!();
        const found = new Set<string>();
        const properties = engineResourceRefs(struct ? struct.toJavaScript() : {}) as Record<string, unknown>;
        // A provider's config is no rule: its placeholders make its cluster unknown, which is not worth a warning of its own.
        if (!provider) placeholderKeysIn(properties, this.placeholders, found);
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
        const via = req.getProvider() ?? "";
        if (via) resource.provider = via;
        resource.dependencies = [...(req.getDependenciesList() ?? [])];
        if (typeof req.getPropertydependenciesMap === "function") {
            const pd: Record<string, string[]> = {};
            req.getPropertydependenciesMap().forEach((deps, key) => {
                pd[key] = [...deps.getUrnsList()];
            });
            resource.propertyDependencies = pd;
        }
        if (provider) {
            this.providers.push(resource);
            return;
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
