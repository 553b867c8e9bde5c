// The pack's own @pulumi/pulumi protobuf and gRPC modules: loaded from the installation the pack
// uses, so that google-protobuf `instanceof` checks in the generated serializers hold.
import * as path from "path";
import type * as analyzerPbT from "@pulumi/pulumi/proto/analyzer_pb";
import type * as analyzerGrpcPbT from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as structPbT from "google-protobuf/google/protobuf/struct_pb";
import type * as emptyPbT from "google-protobuf/google/protobuf/empty_pb";
import type * as grpcT from "@grpc/grpc-js";
import { PolicyPackStartError } from "./errors";

export interface Runtime {
    pulumiDir: string;
    runPolicyPack: string;
    pb: typeof analyzerPbT;
    rpc: typeof analyzerGrpcPbT;
    struct: typeof structPbT;
    empty: typeof emptyPbT;
    grpc: typeof grpcT;
}

const runtimes = new Map<string, Runtime>();

/** A module by its resolved path: the pack's own copy, which an import (resolved from this file) would not find. */
function requireFile<T>(file: string): T {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the path is the pack's installation, known only at run time
    return require(file) as T;
}

export function loadRuntime(packDir: string): Runtime {
    let pkgJson: string;
    try {
        pkgJson = require.resolve("@pulumi/pulumi/package.json", { paths: [packDir] });
    } catch (e) {
        throw new PolicyPackStartError(
            `cannot resolve @pulumi/pulumi from ${packDir}; it looks like the policy pack's dependencies ` +
                `are not installed (run npm install there): ${(e as Error).message}`,
            "",
            null,
        );
    }
    const pulumiDir = path.dirname(pkgJson);
    const cached = runtimes.get(pulumiDir);
    if (cached) {
        return cached;
    }
    // Resolve everything exactly as the generated stubs resolve it from inside @pulumi/pulumi.
    const fromPulumi = (id: string) => require.resolve(id, { paths: [pulumiDir] });
    const rt: Runtime = {
        pulumiDir,
        runPolicyPack: path.join(pulumiDir, "cmd", "run-policy-pack"),
        pb: requireFile<typeof analyzerPbT>(path.join(pulumiDir, "proto", "analyzer_pb.js")),
        rpc: requireFile<typeof analyzerGrpcPbT>(path.join(pulumiDir, "proto", "analyzer_grpc_pb.js")),
        struct: requireFile<typeof structPbT>(fromPulumi("google-protobuf/google/protobuf/struct_pb")),
        empty: requireFile<typeof emptyPbT>(fromPulumi("google-protobuf/google/protobuf/empty_pb")),
        grpc: requireFile<typeof grpcT>(fromPulumi("@grpc/grpc-js")),
    };
    runtimes.set(pulumiDir, rt);
    return rt;
}
