// Runs inputs through the pack exactly as the Pulumi CLI would: start it, GetAnalyzerInfo, Configure
// with the user's policy-pack config, Analyze each resource, AnalyzeStack at the end. An input that
// cannot be checked is reported as such and the others are still checked: the command fails closed.
import * as fs from "fs";
import * as path from "path";
import { PolicyInfo, PolicyPackConfig, PolicyPackConfigError, PolicyPackProcess, PolicyPackRpcError, PolicyPackStartError } from "../driver/analyzer-client";
import { loadRegistry, RegistryError } from "../policies/registry";
import { loadInput } from "./inputs";
import { registryFileFor } from "./registry-file";
import { CheckedStack, InputFailure, Report, toFindings } from "./report";
import { InputError, LoadedStack, StackResource } from "./types";

export const PACK_DIR = path.resolve(__dirname, "..", "..");

export interface CheckOptions {
    inputs: string[];
    configFile?: string;
    registryFile?: string;
    stack?: string;
    /** Run programs with placeholders for required config their stack does not set (a warning per key). */
    allowMissingConfig?: boolean;
    /** Unknown policy names and options in the config file are warnings instead of errors. */
    allowUnknownConfig?: boolean;
    progress?: (message: string) => void;
    /** What the user must see even with --quiet: warnings about what could not be checked as written. */
    warn?: (message: string) => void;
}

const PROGRESS_EVERY = 500;

function readConfig(file: string): PolicyPackConfig {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new InputError(`cannot read the policy-pack config ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text.replace(/^\uFEFF/, ""));
    } catch (e) {
        throw new InputError(`the policy-pack config ${file} is not valid JSON: ${(e as Error).message}`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new InputError(`the policy-pack config ${file} must be a JSON object keyed by policy name (or "all")`);
    }
    return parsed as PolicyPackConfig;
}

/**
 * Keys the Pulumi CLI accepts silently but that are almost always typos: a misspelt policy or
 * option leaves the real one at its defaults, so a setting meant to block would not.
 */
function unknownConfig(config: PolicyPackConfig, known: PolicyInfo[]): string[] {
    const out: string[] = [];
    const names = known.map((p) => p.name);
    for (const [key, value] of Object.entries(config)) {
        if (key === "all") continue;
        const policy = known.find((p) => p.name === key);
        if (!policy) {
            out.push(`"${key}" is not a policy of this pack${hint(key, names)}`);
            continue;
        }
        if (typeof value !== "object" || value === null) continue;
        const options = ["enforcementLevel", ...Object.keys(policy.configSchema?.properties ?? {})];
        for (const option of Object.keys(value)) {
            if (!options.includes(option)) out.push(`${key} has no option "${option}"${hint(option, options)}`);
        }
    }
    return out;
}

function hint(word: string, candidates: string[]): string {
    const close = candidates.filter((c) => distance(word.toLowerCase(), c.toLowerCase()) <= Math.max(2, Math.floor(c.length / 4)));
    return close.length > 0 ? ` (did you mean "${close[0]}"?)` : ` (known: ${candidates.join(", ")})`;
}

function distance(a: string, b: string): number {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    return d[a.length][b.length];
}

/** A directory without Pulumi.yaml that holds Pulumi projects stands for each of them (`check examples`). */
export function expandInputs(inputs: string[]): string[] {
    return inputs.flatMap((input) => {
        if (!fs.existsSync(input) || !fs.statSync(input).isDirectory() || fs.existsSync(path.join(input, "Pulumi.yaml"))) return [input];
        const projects = fs.readdirSync(input).sort()
            .map((d) => path.join(input, d))
            .filter((d) => fs.existsSync(path.join(d, "Pulumi.yaml")));
        return projects.length > 0 ? projects : [input];
    });
}

function firstLine(s: string): string {
    return s.split("\n").find((l) => l.trim() !== "")?.trim() ?? s.trim();
}

async function analyzeStack(pack: PolicyPackProcess, s: LoadedStack, progress: (m: string) => void): Promise<CheckedStack> {
    const byUrn = new Map<string, StackResource>(s.resources.map((r) => [r.urn, r]));
    const diagnostics = [];
    let done = 0;
    for (const r of s.resources) {
        diagnostics.push(...(await pack.analyze(r)));
        if (++done % PROGRESS_EVERY === 0) progress(`analyzed ${done}/${s.resources.length} resources of ${s.input}`);
    }
    diagnostics.push(...(await pack.analyzeStack(s.resources)));
    return {
        input: s.input, kind: s.kind, project: s.project, stack: s.stack, resources: s.resources,
        findings: toFindings(diagnostics, byUrn), warnings: s.warnings,
    };
}

/**
 * Throws InputError (exit 2, no report) for unusable config or registry, or a pack that does not
 * start; an input that cannot be loaded or analyzed is a failure in the report.
 */
export async function check(opts: CheckOptions): Promise<Report> {
    const progress = opts.progress ?? (() => undefined);
    const warn = opts.warn ?? progress;
    const config = opts.configFile ? readConfig(opts.configFile) : {};
    // One project with its own ports.yaml is judged by it, as `explain` does.
    const registryFile = opts.inputs.length === 1 ? registryFileFor(opts.inputs[0], PACK_DIR, opts.registryFile) : path.resolve(opts.registryFile ?? path.join(PACK_DIR, "ports.yaml"));
    try {
        loadRegistry(registryFile);
    } catch (e) {
        if (e instanceof RegistryError) throw new InputError(e.message);
        throw e;
    }

    // Started before the inputs are run, so that bad config stops the command before any program runs.
    let pack: PolicyPackProcess;
    try {
        pack = await PolicyPackProcess.start(PACK_DIR, { env: { ...process.env, INTERNAL_PORTS_REGISTRY: registryFile } });
    } catch (e) {
        if (e instanceof PolicyPackStartError) throw new InputError(`the policy pack did not start:\n${e.stderr.trim() || e.message}`);
        throw e;
    }
    progress(`policy pack started (pid ${pack.pid})`);
    try {
        const info = await pack.getAnalyzerInfo();
        try {
            await pack.configure(config);
        } catch (e) {
            if (e instanceof PolicyPackConfigError) throw new InputError(`the policy-pack config ${opts.configFile} is invalid:\n${e.message}`);
            throw e;
        }
        const unknown = unknownConfig(config, info.policies);
        if (unknown.length > 0 && !opts.allowUnknownConfig) {
            throw new InputError(
                `the policy-pack config ${opts.configFile} names what this pack does not have, so those settings would be ignored:\n  ` +
                    `${unknown.join("\n  ")}\nFix the names, or pass --allow-unknown-config to check with them ignored`,
            );
        }
        for (const u of unknown) warn(`warning: ${opts.configFile}: ${u}; it is ignored`);

        const stacks: CheckedStack[] = [];
        const failures: InputFailure[] = [];
        for (const input of expandInputs(opts.inputs)) {
            progress(`loading ${input}`);
            let loaded: LoadedStack;
            try {
                loaded = await loadInput(input, { stack: opts.stack, onProgress: progress, allowMissingConfig: opts.allowMissingConfig });
            } catch (e) {
                if (!(e instanceof InputError)) throw e;
                warn(`internal-ports: ${e.message}`);
                failures.push({ input, message: e.message });
                continue;
            }
            for (const w of loaded.warnings) warn(`warning: ${input}: ${w}`);
            try {
                stacks.push(await analyzeStack(pack, loaded, progress));
            } catch (e) {
                if (!(e instanceof PolicyPackRpcError)) throw e;
                const message = `the policy pack failed while checking ${input}: ${firstLine(e.details)}`;
                warn(`internal-ports: ${message}`);
                failures.push({ input, project: loaded.project, stack: loaded.stack, message });
            }
        }
        return { pack: { name: info.name, version: info.version, dir: PACK_DIR }, policies: info.policies, stacks, failures };
    } finally {
        await pack.stop();
    }
}
