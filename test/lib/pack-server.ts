// The pack's gRPC server as the Pulumi CLI starts it, in a new process (@pulumi/policy serves one
// pack per process): `probe` runs inside grpc's addService with the service definition `s`, the
// handlers `impl`, and `pb`, the generated analyzer messages, and writes what it finds to stderr.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as path from "path";

export function probeRegistration(probe: string): string {
    const root = path.resolve(__dirname, "..", "..", "..");
    const script = `
        const path = require("path");
        const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json"));
        const grpc = require(require.resolve("@grpc/grpc-js", { paths: [policyDir] }));
        const pb = require(require.resolve("@pulumi/pulumi/proto/analyzer_pb", { paths: [policyDir] }));
        const add = grpc.Server.prototype.addService;
        grpc.Server.prototype.addService = function (s, impl) {
            ${probe}
            return add.call(this, s, impl);
        };
        console.log = () => {};
        require("./dist/index.js");
        setImmediate(() => process.exit(0));
    `;
    const run = spawnSync(process.execPath, ["-e", script], {
        cwd: root,
        env: { ...process.env, INTERNAL_PORTS_REGISTRY: path.join(root, "ports.yaml") },
        encoding: "utf8",
    });
    assert.equal(run.status, 0, run.stderr);
    return run.stderr;
}
