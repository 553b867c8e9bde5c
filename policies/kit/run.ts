// Runs a policy's check on what @pulumi/policy hands over: the resource's properties (or the
// stack's resources) become the model, the check reports items, the items become findings, and the
// exemptions of ports.yaml apply. Never throws: a bug becomes an advisory note, not a failed preview.
import { normalise } from "../adapters";
import { StackIndex, StackResource } from "../analysis/stack-index";
import { WeakMemo } from "../base/memo";
import { Registry } from "../registry";
import { FirewallModel, ResourceModel } from "../model/resources";
import { proxyTarget } from "../wire/policy-hook";
import { providerUrn } from "../wire/engine";
import { SecretPaths, unwrapProps } from "../wire/secrets";
import { resolveConfig } from "./config";
import { PolicyMeta, ResourcePolicyDefinition, StackPolicyDefinition } from "./definition";
import { exempting } from "./exemptions";
import { Data, FindingCollector, FindingRecord, ItemSpec, Messages } from "./findings";
import { internalError } from "./internal-error";
import { COMMON_MESSAGES } from "./wording";

/** Where findings go: one record per resource (or stack finding) and level. */
export type Emit = (finding: FindingRecord) => void;

export interface RunOptions {
    /** The clock exemptions are judged by; injectable for tests. */
    now?: () => Date;
    /** Where a firewall's model goes, for the local check's port map (the side channel). */
    model?: (resource: { urn: string; name: string; type: string }, model: FirewallModel) => void;
}

/** A policy's messages with the ones every policy shares (notes for unknowns, the internal error). */
const allMessages = new WeakMemo((meta: PolicyMeta): Messages => ({ ...COMMON_MESSAGES, ...meta.messages }));
export function messagesOf(meta: PolicyMeta): Messages {
    return allMessages.get(meta);
}

/**
 * The model of one property bag, built once however many resource policies read it (@pulumi/policy
 * hands each the same bag, see requests.ts). A bag is read as one type; another type (only in tests)
 * builds anew. The stack policies share their models through the stack (stackOf), so they only look
 * here: a weak map entry per resource of a large stack costs more than it saves.
 */
const models = new WeakMap<object, { type: string; model: ResourceModel | undefined }>();
function modelOf(type: string, raw: Record<string, unknown>, secrets: SecretPaths, remember = true): ResourceModel | undefined {
    const seen = models.get(raw);
    if (seen?.type === type) return seen.model;
    const model = normalise(type, raw, secrets);
    if (remember && seen === undefined) models.set(raw, { type, model });
    return model;
}

/** Runs a resource check on raw inputs. Never throws: a bug becomes an advisory note instead of a failed preview. */
export function runCheck<C>(
    def: ResourcePolicyDefinition<C>,
    registry: Registry,
    resource: { type: string; name: string; urn: string; props: unknown },
    givenConfig: Record<string, unknown>,
    emit: Emit,
    options: RunOptions = {},
): void {
    try {
        const { raw, secrets } = unwrapProps(resource.props);
        const model = modelOf(resource.type, raw, secrets);
        if (model?.kind !== "firewall") return;
        options.model?.(resource, model);
        const config = resolveConfig<C>(def.meta, givenConfig);
        const out = exempting(def.meta.name, registry, config, (options.now ?? (() => new Date()))(), emit);
        const collector = new FindingCollector(def.meta.name, messagesOf(def.meta));
        const position = (spec?: ItemSpec) => (spec?.rule ? model.rules.indexOf(spec.rule) : -1);
        def.check({
            resource: model,
            registry,
            config,
            report: (id, data = {}, spec = {}) => collector.add(resource.urn, false, id, data, spec, position(spec)),
            advise: (id, data = {}, spec = {}) => collector.add(resource.urn, true, id, data, spec, position(spec)),
        });
        for (const f of collector.findings()) out(resource.name, f);
    } catch (e) {
        emit(internalError(def.meta.name, `this ${resource.type} resource`, e, resource.urn));
    }
}

export interface StackInput {
    type: string;
    name: string;
    urn: string;
    props: unknown;
    /** Input property name to the URNs (or resources with a `urn`) its value depends on; read leniently. */
    propertyDependencies?: unknown;
    /** The provider that manages it: a URN, a provider reference or a resource with a `urn`; read leniently. */
    provider?: unknown;
}

/** Entries that are not a URN or a resource with one are dropped: a dependency the pack cannot name links nothing. */
function dependencyUrns(raw: unknown): Readonly<Record<string, readonly string[]>> {
    const out: Record<string, string[]> = {};
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return out;
    // Already URNs (the local check's inputs): kept as they are, read-only, rather than copied.
    const values = Object.values(raw as Record<string, unknown>);
    if (values.every((deps) => Array.isArray(deps) && deps.every((d) => typeof d === "string"))) return raw as Record<string, string[]>;
    for (const k of Object.keys(raw)) {
        const deps = (raw as Record<string, unknown>)[k];
        if (!Array.isArray(deps)) continue;
        const urns: string[] = [];
        for (const d of deps as unknown[]) {
            const u = typeof d === "string" ? d : d !== null && typeof d === "object" ? (d as { urn?: unknown }).urn : undefined;
            if (typeof u === "string") urns.push(u);
        }
        out[k] = urns;
    }
    return out;
}

/**
 * The stack's resources with their models, as every stack policy (and `internal-ports explain`) reads
 * them. A resource whose model cannot be built is left out of the graph (the resource policies report
 * it); its rules are read here too, so that a rule that cannot be read does the same, unless
 * `lazyRules` (explain, which reads the rules of the few firewalls it meets, and reports any error).
 */
export function stackResources(stack: readonly StackInput[], options: { lazyRules?: boolean } = {}): StackResource[] {
    return stack.map((r): StackResource => {
        const { raw, secrets } = unwrapProps(r.props);
        let model: ResourceModel | undefined;
        try {
            model = modelOf(r.type, raw, secrets, false);
            if (!options.lazyRules && model?.kind === "firewall") void model.rules;
        } catch {
            model = undefined; // reported by the resource policies
        }
        const out: StackResource = { urn: r.urn, name: r.name, type: r.type, model, dependencies: dependencyUrns(r.propertyDependencies) };
        const provider = providerUrn(r.provider);
        if (provider !== undefined) out.provider = provider;
        return out;
    });
}

/**
 * One stack index per request, shared by every stack policy (so the network graph, memoised per
 * index, is built once). The stack policies of a request usually share one list (wire/stack-list.ts,
 * kit/pulumi.ts); where @pulumi/policy hands each its own resource objects, they are over the same
 * property bags (requests.ts), and the same proxies over them where the pack shares those
 * (wire/policy-hook.ts): a request is known by its list, else by its proxies, else by the bags.
 */
interface SeenStack {
    props: unknown[];
    bags: unknown[];
    urns: string[];
    resources: StackResource[];
    index: StackIndex;
}
const byFirstProxy = new WeakMemo<object, SeenStack[]>(() => []);
const byFirstBag = new WeakMemo<object, SeenStack[]>(() => []);
const byInputs = new WeakMap<readonly StackInput[], SeenStack>();
function stackOf(inputs: readonly StackInput[]): { resources: StackResource[]; index: StackIndex } {
    const same = byInputs.get(inputs);
    if (same) return same;
    const props = inputs.map((r) => r.props);
    const sameUrns = (e: SeenStack) => e.urns.length === inputs.length && inputs.every((r, i) => e.urns[i] === r.urn);
    const firstProxy = props[0];
    const objectKey = (k: unknown): k is object => k !== null && typeof k === "object";
    if (objectKey(firstProxy)) {
        const hit = byFirstProxy.get(firstProxy).find((e) => sameUrns(e) && props.every((p, i) => e.props[i] === p));
        if (hit) return hit;
    }
    const bags = props.map(proxyTarget);
    const firstBag = bags[0];
    if (objectKey(firstBag)) {
        const hit = byFirstBag.get(firstBag).find((e) => sameUrns(e) && bags.every((b, i) => e.bags[i] === b));
        if (hit) return hit;
    }
    const resources = stackResources(inputs);
    const made: SeenStack = { props, bags, urns: inputs.map((r) => r.urn), resources, index: new StackIndex(resources) };
    if (objectKey(firstProxy)) byFirstProxy.get(firstProxy).push(made);
    if (objectKey(firstBag)) byFirstBag.get(firstBag).push(made);
    byInputs.set(inputs, made);
    return made;
}

/** Runs a stack check. Never throws. */
export function runStackCheck<C>(
    def: StackPolicyDefinition<C>,
    registry: Registry,
    stack: StackInput[] | (() => StackInput[]),
    givenConfig: Record<string, unknown>,
    emit: Emit,
    options: RunOptions = {},
): void {
    try {
        const config = resolveConfig<C>(def.meta, givenConfig);
        const out = exempting(def.meta.name, registry, config, (options.now ?? (() => new Date()))(), emit);
        const { resources, index } = stackOf(typeof stack === "function" ? stack() : stack);
        const collector = new FindingCollector(def.meta.name, messagesOf(def.meta));
        const names = new Map<string, string>();
        const add =
            (advisory: boolean) =>
            (r: StackResource | undefined, id: string, data: Data = {}, spec: ItemSpec = {}) => {
                if (r) names.set(r.urn, r.name);
                const rules = r?.model?.kind === "firewall" ? r.model.rules : undefined;
                collector.add(r?.urn, advisory, id, data, spec, spec.rule && rules ? rules.indexOf(spec.rule) : -1);
            };
        def.checkStack({ resources, stack: index, registry, config, report: add(false), advise: add(true) });
        for (const f of collector.findings()) out(f.urn !== undefined ? names.get(f.urn) : undefined, f);
    } catch (e) {
        emit(internalError(def.meta.name, "this stack", e));
    }
}
