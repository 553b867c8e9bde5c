// @pulumi/policy's AnalyzeStack handler builds every stack policy its own list of the stack's
// resources (protobuf reads, options, dependency links): with this pack's five stack policies, a
// fifth of AnalyzeStack on a large stack. The pack's stack policies only read that list, so it is
// built once per request, by @pulumi/policy's own code (its handler run with one policy that keeps
// the list), and @pulumi/policy's handler then runs the pack's policies as always, each reading the
// kept list through `stackResourcesOf`. Everything else (enforcement levels, config, violations,
// not-applicable answers, errors) stays @pulumi/policy's. Another version than the one read for it
// (STACK_LIST_POLICY_VERSIONS), or a server that registers its handler otherwise, keeps
// @pulumi/policy's handler as is. The same swap registers request-reader.ts's readers for the
// requests' bytes.
import { AsyncLocalStorage } from "async_hooks";
import * as path from "path";
import { patchExport, policyVersion } from "./policy-hook";
import { withRequestReaders } from "./request-reader";

/** What the pack's stack policies read of a listed resource (a PolicyResource of @pulumi/policy). */
export interface ListedResource {
    type: string;
    name: string;
    urn: string;
    props: unknown;
    propertyDependencies: Record<string, unknown>;
    provider?: { urn: string };
}

interface Request {
    getResourcesList(): unknown[];
}
interface Call {
    request: Request;
}
type Callback = (error: unknown, response?: unknown) => void;
export type StackHandler = (call: Call, callback: Callback) => unknown;
type Policy = { name: string; description: string; enforcementLevel: string; validateStack: (args: { resources: unknown[] }) => void };
/** @pulumi/policy's makeAnalyzeStackRpcFun with the pack's name, version and level bound. */
export type HandlerFactory = (policies: Policy[]) => StackHandler;

/** Outside @pulumi/policy's policy names ("all" is reserved) and the pack's own. */
const KEEPER = "internal-ports-stack-list";

const kept = new AsyncLocalStorage<readonly ListedResource[]>();

/** The resources of the request a stack policy runs for: the list kept for all of them, else its own. */
export function stackResourcesOf(args: { resources: readonly unknown[] }): readonly ListedResource[] {
    return kept.getStore() ?? (args.resources as readonly ListedResource[]);
}

/**
 * The AnalyzeStack handler that builds the list once: `make([keeper])` run on the request builds
 * it as @pulumi/policy builds it for any policy, then `original` runs on a request without
 * resources (@pulumi/policy's handler reads nothing else of it, and builds each policy an empty
 * list) while `stackResourcesOf` hands out the kept one.
 * When the list could not be kept, `original` runs on the request as it came.
 */
export function sharingHandler(original: StackHandler, make: HandlerFactory): StackHandler {
    const sharedAnalyzeStack: StackHandler = (call, callback) => {
        let list: readonly ListedResource[] | undefined;
        const keeper: Policy = {
            name: KEEPER,
            description: "keeps the stack's resource list for the pack's stack policies",
            enforcementLevel: "advisory",
            validateStack: (args) => {
                list = args.resources as ListedResource[];
            },
        };
        try {
            return make([keeper])(call, (error) => {
                if (error || list === undefined) {
                    original(call, callback);
                    return;
                }
                // A plain object: one made with Object.create over the engine's request kept that request alive.
                const empty: Call = { request: { getResourcesList: () => [] } };
                kept.run(list, () => original(empty, callback));
            });
        } catch {
            return original(call, callback);
        }
    };
    return sharedAnalyzeStack;
}

interface GrpcServer {
    prototype: { addService(this: unknown, service: unknown, impl: Record<string, unknown>): unknown };
}

/**
 * The @pulumi/policy versions whose AnalyzeStack handler was read for this: it reads nothing of the
 * request but its resources, and builds each stack policy's list from them alone. Narrower than
 * policy-hook.ts's range: a handler that read more would fail on the request without resources.
 */
export const STACK_LIST_POLICY_VERSIONS = /^v?1\.21\.\d+$/;

let installed: boolean | undefined;

/**
 * Makes @pulumi/policy's `serve` register the sharing AnalyzeStack handler: for the span of that
 * one call, the gRPC server's addService swaps it in. Returns whether the hook is in place.
 */
export function installStackListSharing(): boolean {
    if (installed !== undefined) return installed;
    try {
        if (!STACK_LIST_POLICY_VERSIONS.test(policyVersion())) return (installed = false);
    } catch {
        return (installed = false);
    }
    installed = patchExport<(...args: unknown[]) => unknown>("@pulumi/policy/server", "serve", (serve) => {
        return function (this: unknown, ...args: unknown[]) {
            const [name, version, level] = args;
            let grpc: { Server: GrpcServer };
            let server: { makeAnalyzeStackRpcFun?: (...a: unknown[]) => StackHandler };
            let pb: Record<string, unknown>;
            try {
                const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json"));
                // eslint-disable-next-line @typescript-eslint/no-require-imports -- the gRPC module @pulumi/policy's server registers with
                grpc = require(require.resolve("@grpc/grpc-js", { paths: [policyDir] })) as { Server: GrpcServer };
                // eslint-disable-next-line @typescript-eslint/no-require-imports -- an internal module, after patchExport's version check
                server = require("@pulumi/policy/server") as typeof server;
                // eslint-disable-next-line @typescript-eslint/no-require-imports -- the generated messages the service was made with
                pb = require(require.resolve("@pulumi/pulumi/proto/analyzer_pb", { paths: [policyDir] })) as Record<string, unknown>;
            } catch {
                return serve.apply(this, args);
            }
            const factory = server.makeAnalyzeStackRpcFun;
            const proto = grpc.Server.prototype;
            // Called with the server as `this`, as grpc's own method is.
            // eslint-disable-next-line @typescript-eslint/unbound-method
            const addService = proto.addService;
            if (typeof factory !== "function" || typeof addService !== "function") return serve.apply(this, args);
            proto.addService = function (service, impl) {
                const original = impl?.analyzeStack;
                const swapped =
                    typeof original === "function"
                        ? {
                              ...impl,
                              analyzeStack: sharingHandler(original as StackHandler, (policies) => factory(name, version, level, policies)),
                          }
                        : impl;
                return addService.call(this, withRequestReaders(service, pb), swapped);
            };
            try {
                return serve.apply(this, args);
            } finally {
                proto.addService = addService;
            }
        };
    });
    return installed;
}
