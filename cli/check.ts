// Runs inputs through the pack exactly as the Pulumi CLI would: start it, GetAnalyzerInfo, Configure
// with the user's policy-pack config, Analyze each resource, AnalyzeStack at the end. An input that
// cannot be checked is reported as such and the others are still checked: the command fails closed.
import * as fs from "fs";
import * as path from "path";
import {
    AnalyzerInfo,
    PolicyInfo,
    PolicyPackConfig,
    PolicyPackConfigError,
    PolicyPackProcess,
    PolicyPackRpcError,
} from "../driver/analyzer-client";
import { policyNames } from "../policies";
import { closest } from "../policies/base/text";
import { loadRegistry, Registry, RegistryError } from "../policies/registry";
import { loadInput } from "./inputs";
import { displayPath, isDirectory } from "./inputs/user-files";
import { PackSession } from "./pack-session";
import { registryFileFor } from "./registry-file";
import { CheckedStack, InputFailure, RegistryEntry, Report } from "./report";
import { firstLine } from "./text";
import { InputError, LoadedStack } from "./types";

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
    const close = closest(word, candidates);
    return close !== undefined ? ` (did you mean "${close}"?)` : ` (known: ${candidates.join(", ")})`;
}

/** How far below a directory `check` looks for projects: a monorepo's `stacks/<team>/<app>`. */
const PROJECT_SEARCH_DEPTH = 4;

/**
 * A directory without Pulumi.yaml stands for every Pulumi project under it (`check examples`, `check .`
 * in a monorepo), in name order; a project's own subdirectories, node_modules and hidden directories
 * are not searched.
 */
export function expandInputs(inputs: string[]): string[] {
    return inputs.flatMap((input) => {
        if (!isDirectory(input) || fs.existsSync(path.join(input, "Pulumi.yaml"))) return [input];
        const projects = projectsUnder(input, PROJECT_SEARCH_DEPTH);
        return projects.length > 0 ? projects : [input];
    });
}

function projectsUnder(dir: string, depth: number): string[] {
    if (depth === 0) return [];
    let names: string[];
    try {
        names = fs.readdirSync(dir).sort();
    } catch {
        return [];
    }
    return names
        .filter((name) => name !== "node_modules" && !name.startsWith("."))
        .map((name) => path.join(dir, name))
        .filter(isDirectory)
        .flatMap((d) => (fs.existsSync(path.join(d, "Pulumi.yaml")) ? [d] : projectsUnder(d, depth - 1)));
}

/**
 * Throws InputError (exit 2, no report) for unusable config or registry, or a pack that does not
 * start; an input that cannot be loaded or analyzed is a failure in the report.
 */
export async function check(opts: CheckOptions): Promise<Report> {
    const progress = opts.progress ?? (() => undefined);
    const warn = opts.warn ?? progress;
    const config = opts.configFile ? readConfig(opts.configFile) : {};
    // Read once each, with the pack's policy names: an exemption for a policy the pack does not have is
    // reported with every other problem of the file. --registry (or the pack's ports.yaml) must load;
    // a project's own ports.yaml that does not is that input's failure.
    const registries = new Map<string, Registry>();
    const registryOf = (file: string): Registry => {
        let r = registries.get(file);
        if (!r) {
            try {
                r = loadRegistry(file, { policyNames });
            } catch (e) {
                throw e instanceof RegistryError ? e.withLabel(displayPath(file, process.cwd())) : e;
            }
            registries.set(file, r);
        }
        return r;
    };
    const defaultRegistry = path.resolve(opts.registryFile ?? path.join(PACK_DIR, "ports.yaml"));
    try {
        registryOf(defaultRegistry);
    } catch (e) {
        if (e instanceof RegistryError) throw new InputError(e.message);
        throw e;
    }
    const registryEntry =
        (file: string) =>
        (line: number): RegistryEntry => {
            const e = registryOf(file).exemptions.find((x) => x.line === line);
            return {
                location: { file: displayPath(file, process.cwd()), line },
                ...(e ? { exemption: { policy: e.policy, resource: e.resource, reason: e.reason, expires: e.expires } } : {}),
            };
        };

    let info: AnalyzerInfo | undefined;
    const configure = async (pack: PolicyPackProcess) => {
        const first = info === undefined;
        info = await pack.getAnalyzerInfo();
        try {
            await pack.configure(config);
        } catch (e) {
            if (e instanceof PolicyPackConfigError)
                throw new InputError(`the policy-pack config ${opts.configFile} is invalid:\n${e.message}`);
            throw e;
        }
        if (!first) return;
        const unknown = unknownConfig(config, info.policies);
        if (unknown.length > 0 && !opts.allowUnknownConfig) {
            throw new InputError(
                `the policy-pack config ${opts.configFile} names what this pack does not have, so those settings would be ignored:\n  ` +
                    `${unknown.join("\n  ")}\nFix the names, or pass --allow-unknown-config to check with them ignored`,
            );
        }
        for (const u of unknown) warn(`warning: ${opts.configFile}: ${u}; it is ignored`);
    };
    // One pack per ports.yaml: the pack reads its registry at start-up, as an enforced run does.
    const sessions = new Map<string, PackSession>();
    const sessionFor = async (file: string): Promise<PackSession> => {
        let session = sessions.get(file);
        if (!session) {
            session = new PackSession({ packDir: PACK_DIR, registryFile: file, configure, registryEntry: registryEntry(file), progress });
            sessions.set(file, session);
            await session.start();
        }
        return session;
    };
    try {
        // Started before the inputs are run, so that bad config stops the command before any program runs.
        await sessionFor(defaultRegistry);
        const stacks: CheckedStack[] = [];
        const failures: InputFailure[] = [];
        for (const input of expandInputs(opts.inputs)) {
            const registryFile = registryFileFor(input, PACK_DIR, opts.registryFile);
            try {
                registryOf(registryFile);
            } catch (e) {
                if (!(e instanceof RegistryError)) throw e;
                warn(`internal-ports: ${e.message}`);
                failures.push({ input, message: e.message });
                continue;
            }
            progress(`loading ${input}${registryFile !== defaultRegistry ? ` (against ${displayPath(registryFile, process.cwd())})` : ""}`);
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
                stacks.push({ ...(await (await sessionFor(registryFile)).check(loaded)), registry: registryOf(registryFile) });
            } catch (e) {
                if (!(e instanceof PolicyPackRpcError)) throw e;
                const message = `the policy pack failed while checking ${input}: ${firstLine(e.details)}`;
                warn(`internal-ports: ${message}`);
                failures.push({ input, project: loaded.project, stack: loaded.stack, message });
            }
        }
        const { name, version, policies } = info!;
        return { pack: { name, version, dir: PACK_DIR }, registryFile: defaultRegistry, policies, stacks, failures };
    } finally {
        for (const session of sessions.values()) await session.close();
    }
}
