// internal-ports explain <input> --from <name | CIDR | internet> --to <name> --port <port>: the
// path a packet takes through every layer of the stack's network, hop by hop, and where it dies.
// The stack is modelled in this process with the pack's own adapters and judged by the same
// analysis the graph policies use, so the answer is the one `pulumi preview` would give.
import * as path from "path";
import { performance } from "perf_hooks";
import { explain as explainPath } from "../../policies/analysis/explain";
import { loadRegistry, Registry, RegistryError } from "../../policies/registry";
import { CommandResult, failure, readArgs, SingleFlags, unexpectedError } from "../command-result";
import { focusedGraphOf, graphOf } from "../graph";
import { loadInput } from "../inputs";
import { registryFileFor } from "../registry-file";
import { Source } from "../../policies/analysis/explain";
import { Workload } from "../../policies/model/graph";
import { InputError, LoadedStack, StackResource } from "../types";
import { addressSource, findWorkload, parsePort, parseSource, QueryError } from "./query";
import { ExplainReport, renderExplainJson, renderExplainText } from "./render";

/** The pack root: dist/cli/explain -> the directory with ports.yaml. */
const PACK_DIR = path.resolve(__dirname, "..", "..", "..");

export const EXPLAIN_USAGE = `usage: internal-ports explain <input> --from <name | CIDR | internet> --to <name> --port <port> [options]

Follows a packet from --from to --to through every layer of the stack's network (routes, public
addresses, network ACLs, security groups, NSGs, firewalls, network policies) and back, and says hop
by hop where it passes and where it dies. <input> is what \`check\` takes: a program directory, a
\`pulumi stack export\` file or a \`pulumi preview --json\` file.

  --from WHO       a workload's Pulumi resource name or URN, a CIDR block or address (outside the
                   stack: only the destination's layers are checked), or "internet" (the whole
                   internet, as no-internet-path-to-internal-ports judges it)
  --to NAME        the workload that answers: its Pulumi resource name or URN
  --port PORT      5432, 5432/tcp, 53/udp, 2379-2380/tcp, icmp, or a service of ports.yaml
  --registry FILE  ports.yaml (its ephemeralPorts and serviceTag) instead of the project's or the pack's
  --stack NAME     stack whose Pulumi.<stack>.yaml config a program reads (default: dev)
  --allow-missing-config  run a program with placeholders for required config its stack does not set
  --format FORMAT  text (default) or json
  --quiet          no progress on standard error
  --no-color       accepted as check accepts it (explain prints no colour)
  -h, --help       this text

A workload that may run in several places (subnets of a subnet group, placements of a pod) is
followed through each: a client gets through only if it does on every route; the internet reaches
a workload if it does on any.

exit status: 0 it gets through, 1 it does not or cannot be verified (the answer says which hop is
unknown), 2 bad input or flags.
`;

const fail = failure("internal-ports explain");

/** The URNs of the resources a workload flag may name: by URN or by name (findWorkload's reading). */
function named(resources: readonly StackResource[], text: string): string[] {
    return resources.filter((r) => r.urn === text || r.name === text).map((r) => r.urn);
}

/** The workload a flag names among `workloads`, read as findWorkload reads it: a URN first, then a name only one has. */
function pick(workloads: readonly Workload[], text: string): Workload | undefined {
    const byUrn = workloads.find((w) => w.urn === text);
    if (byUrn) return byUrn;
    const byName = workloads.filter((w) => w.name === text);
    return byName.length === 1 ? byName[0] : undefined;
}

/**
 * --from and --to as workloads of the graph. The graph of the resources the flags name answers
 * whenever it places one workload for each: every resource of that name is in it, so it finds what
 * the whole graph would. Anything else (a name two workloads share, a resource that is no workload,
 * a typo) is looked up in the whole stack's graph, whose messages list what there is.
 */
export function endpoints(
    resources: readonly StackResource[],
    serviceTag: string,
    fromText: string,
    toText: string,
    providers: readonly StackResource[] = [],
): { from: Source; to: Workload } {
    const source = addressSource(fromText);
    const wanted = new Set([...named(resources, toText), ...(source ? [] : named(resources, fromText))]);
    if (wanted.size > 0) {
        const focused = focusedGraphOf(resources, serviceTag, wanted, providers).workloads;
        const to = pick(focused, toText);
        const workload = source ? undefined : pick(focused, fromText);
        const from: Source | undefined = source ?? (workload ? { kind: "workload", workload } : undefined);
        if (to && from) return { from, to };
    }
    const graph = graphOf(resources, serviceTag, providers);
    return {
        from: parseSource(fromText, graph.workloads, resources),
        to: findWorkload(toText, "--to", graph.workloads, resources),
    };
}

/** Runs the command; never throws. */
export async function explain(argv: string[], stderr: (s: string) => void = (s) => process.stderr.write(s)): Promise<CommandResult> {
    const args = readArgs<SingleFlags>(
        argv,
        {
            from: { type: "string" },
            to: { type: "string" },
            port: { type: "string" },
            registry: { type: "string" },
            stack: { type: "string" },
            format: { type: "string", default: "text" },
            "allow-missing-config": { type: "boolean" },
            quiet: { type: "boolean" },
            "no-color": { type: "boolean" },
        },
        EXPLAIN_USAGE,
        fail,
        stderr,
    );
    if ("code" in args) return args;
    const { values, inputs } = args;
    if (inputs.length !== 1) return fail(stderr, `${inputs.length === 0 ? "no input" : "one input at a time"}\n\n${EXPLAIN_USAGE}`);
    for (const flag of ["from", "to", "port"] as const) {
        if (typeof values[flag] !== "string" || values[flag] === "") return fail(stderr, `--${flag} is required\n\n${EXPLAIN_USAGE}`);
    }
    const format = values.format as string;
    if (format !== "text" && format !== "json") return fail(stderr, `--format must be text or json, not "${format}"`);
    const input = inputs[0];
    const progress = values.quiet ? () => undefined : (m: string) => stderr(`${m}\n`);

    let registry: Registry;
    let registryFile: string | undefined;
    try {
        registryFile = registryFileFor(input, PACK_DIR, values.registry as string | undefined);
        registry = loadRegistry(registryFile);
    } catch (e) {
        if (e instanceof RegistryError)
            return fail(stderr, e.withLabel(path.relative(process.cwd(), registryFile!) || registryFile!).message);
        throw e;
    }
    let port: ReturnType<typeof parsePort>;
    try {
        port = parsePort(values.port as string, registry);
    } catch (e) {
        if (e instanceof QueryError) return fail(stderr, e.message);
        throw e;
    }
    let loaded: LoadedStack;
    try {
        progress(`loading ${input}`);
        loaded = await loadInput(input, {
            stack: values.stack as string | undefined,
            onProgress: progress,
            allowMissingConfig: values["allow-missing-config"] === true,
        });
    } catch (e) {
        if (e instanceof InputError) return fail(stderr, e.message);
        return fail(stderr, unexpectedError(e));
    }
    for (const w of loaded.warnings) stderr(`warning: ${input}: ${w}\n`);

    try {
        const started = performance.now();
        const { from, to } = endpoints(loaded.resources, registry.serviceTag, values.from as string, values.to as string, loaded.providers);
        if (from.kind === "workload" && from.workload === to) throw new QueryError(`--from and --to name the same workload (${to.name})`);
        const query = { from, to, protocol: port.protocol, ports: port.ports, ephemeral: registry.ephemeralPorts };
        let explanation = explainPath(query);
        if (from.kind === "internet" && explanation.status !== "pass") {
            // A load balancer that proxies to the workload is a way the internet reaches its port: found in the whole graph.
            const fronts = graphOf(loaded.resources, registry.serviceTag, loaded.providers).workloads.filter((w) =>
                w.fronts?.some((e) => e.targets.includes(to.urn)),
            );
            if (fronts.length > 0) explanation = explainPath({ ...query, fronts });
        }
        const report: ExplainReport = {
            input,
            project: loaded.project,
            stack: loaded.stack,
            from: from.kind === "workload" ? from.workload.name : from.kind === "cidr" ? from.text : "internet",
            to: to.name,
            port: port.text,
            protocol: port.protocol,
            explanation,
            queryMs: performance.now() - started,
        };
        return {
            code: explanation.status === "pass" ? 0 : 1,
            stdout: format === "json" ? renderExplainJson(report) : renderExplainText(report),
        };
    } catch (e) {
        if (e instanceof QueryError) return fail(stderr, e.message);
        return fail(stderr, unexpectedError(e));
    }
}
