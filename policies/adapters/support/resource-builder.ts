import { FirewallModel, FlowLogCoverage, Link, ResourceIssue, ResourceModel } from "../../model/resources";
import { Direction, NormalisedRule, RuleTerms } from "../../model/rules";
import { Input } from "./input";
import { RuleBuilder } from "./rule-builder";

/** Turns one provider resource type's inputs into normalised rules. */
export interface Adapter {
    /** Provider family, e.g. "aws", "azure-native". */
    provider: string;
    /** What the model is: a firewall (rules), a flow log, or a resource that places workloads in the network. */
    kind?: "flow-log" | "topology";
    /** Exact type tokens this adapter reads. */
    types: readonly string[];
    /** Optional pattern for versioned tokens (azure-native:network/v20230901:NetworkSecurityGroup). */
    typePattern?: RegExp;
    /** One line for the README: what is and is not understood. */
    summary: string;
    normalise(props: Input, type: string): ResourceModel;
}

/** Terms for both directions when the peers input is the same either way (AWS `cidrBlocks`). */
export function sameTerms(terms: RuleTerms): Record<Direction, RuleTerms> {
    return { inbound: terms, outbound: terms };
}

/**
 * Collects the rules of one resource, including whole-list unknowns and wrong shapes. Rules are
 * read when first asked for, not when the resource is modelled: `internal-ports explain` models a
 * stack of thousands to follow the links of two workloads, and reads the rules of a few.
 */
export class ResourceBuilder {
    private readonly built: NormalisedRule[] = [];
    private readonly pending: (() => void)[] = [];
    private next = 0;
    private failed?: { error: unknown };
    /** Applied to each rule added while set (see withRuleHook). */
    private hook?: (rule: NormalisedRule) => void;
    readonly unknown: ResourceIssue[] = [];
    readonly problems: ResourceIssue[] = [];
    readonly tags: Record<string, string> = {};
    /** Standalone rules: the input naming the group or ACL they belong to (`securityGroupId`). */
    attachedTo?: string;
    /** The input naming the network the rules live in (`vpcId`, `network`). */
    network?: string;
    /** Inputs or outputs whose values identify the resource to links from others (`id`, `name`). */
    identityKeys: string[] = ["id"];
    flowLogs?: FlowLogCoverage;

    /**
     * `terms`: the provider's words for the rules of this resource, per direction (peers are sources
     * inbound, destinations outbound); `props`: the resource's inputs, which links and identity are read from.
     */
    constructor(
        readonly provider: string,
        readonly terms: Record<Direction, RuleTerms>,
        private readonly props: Input,
    ) {}

    /** Reads a tag or label map; unknown and non-string values are left out. */
    readTags(map: Input): void {
        const v = map.value;
        if (v === null || typeof v !== "object" || Array.isArray(v)) return;
        for (const [k, tag] of Object.entries(v as Record<string, unknown>)) {
            const t = map.get(k);
            if (typeof tag === "string" && !t.unknown) this.tags[k] = tag;
        }
    }

    /** Reads tags written as a list of key/value objects (aws-native `[{ key, value }]`); unknown and non-string entries are left out. */
    readTagList(list: Input, keyField = "key", valueField = "value"): void {
        const items = list.items();
        if (!Array.isArray(items)) return;
        for (const item of items) {
            const key = item.get(keyField);
            const value = item.get(valueField);
            const k = key.string();
            const v = value.string();
            if (k !== undefined && v !== undefined) this.tags[k] = v;
        }
    }

    /** The elements of a list of rules, or undefined after recording an unknown or malformed list. */
    private listItems(list: Input, direction?: Direction): Input[] | undefined {
        const items = list.items();
        if (items === "unknown") {
            this.unknown.push({ path: list.path, direction, message: `${list.path} is unknown until update` });
            return undefined;
        }
        if (items === "invalid" || (items.length === 1 && items[0] === list)) {
            this.problems.push({ path: list.path, direction, message: `${list.path} is not a list of rules` });
            return undefined;
        }
        return items;
    }

    /** Whether an element is a rule object; records an unknown or malformed one. */
    private isRuleObject(item: Input, origin: string, direction?: Direction): boolean {
        const path = item.path || origin;
        if (item.unknown) {
            this.unknown.push({ path, direction, message: `${path} is unknown until update` });
            return false;
        }
        if (item.value === null || typeof item.value !== "object" || Array.isArray(item.value)) {
            this.problems.push({ path, direction, message: `${path} is not a rule object` });
            return false;
        }
        return true;
    }

    /** Calls `read` for each element of a list input; records an unknown or malformed list. */
    eachRule(list: Input, origin: (index: number) => string, read: (item: Input, rule: RuleBuilder) => void, direction?: Direction): void {
        this.listItems(list, direction)?.forEach((item, i) => this.single(item, origin(i), read, direction));
    }

    /**
     * Like eachRule, for lists whose elements yield several rules or none (a Kubernetes Service port
     * gives a load-balancer rule and a node-port rule): calls `each` with every element that is an
     * object, after recording an unknown or malformed list or element as eachRule does. `each` adds
     * the rules with addRule.
     */
    eachObject(list: Input, each: (item: Input, index: number) => void, direction?: Direction): void {
        this.listItems(list, direction)?.forEach((item, i) => {
            if (this.isRuleObject(item, item.path, direction)) each(item, i);
        });
    }

    /** Reads one rule object. */
    single(item: Input, origin: string, read: (item: Input, rule: RuleBuilder) => void, direction?: Direction): void {
        if (!this.isRuleObject(item, origin, direction)) return;
        this.addRule(origin, (rule) => read(item, rule));
    }

    /** Adds one rule that `read` fills in (the element was checked by eachObject or single); read when the rules are first asked for. */
    addRule(origin: string, read: (rule: RuleBuilder) => void): void {
        const hook = this.hook;
        this.pending.push(() => {
            const rule = new RuleBuilder(origin);
            read(rule);
            rule.terms ??= this.terms[rule.direction];
            const built = rule.build();
            hook?.(built);
            this.built.push(built);
        });
    }

    /** Adds the rules `add` adds with `hook` applied to each once it is read. */
    withRuleHook(hook: (rule: NormalisedRule) => void, add: () => void): void {
        const outer = this.hook;
        this.hook = hook;
        try {
            add();
        } finally {
            this.hook = outer;
        }
    }

    /** The rules added so far, read now. */
    get rules(): NormalisedRule[] {
        this.force();
        return this.built;
    }

    /** Reads the pending rules, in the order they were added; safe when a rule's reading asks for the rules. */
    private force(): void {
        // A reader that failed fails every later read too: the rules are never handed out short of one.
        if (this.failed) throw this.failed.error;
        try {
            while (this.next < this.pending.length) this.pending[this.next++]();
        } catch (error) {
            this.failed = { error };
            throw error;
        }
        // Read: the readers (and the inputs they hold) can go.
        this.pending.length = 0;
        this.next = 0;
    }

    /** The model; `extra` joins it without reading the rules (a spread would read them). */
    build<E extends object = object>(extra?: E): FirewallModel & E {
        const raw = this.props.value;
        const empty = raw === null || raw === undefined || (typeof raw === "object" && Object.keys(raw).length === 0);
        const force = () => this.force();
        const { built, unknown, problems } = this;
        const model = {
            ...(empty ? { empty } : {}),
            kind: "firewall" as const,
            provider: this.provider,
            get rules(): NormalisedRule[] {
                force();
                return built;
            },
            get unknown(): ResourceIssue[] {
                force();
                return unknown;
            },
            get problems(): ResourceIssue[] {
                force();
                return problems;
            },
            tags: this.tags,
            identity: identityOf(this.props, this.identityKeys),
            ...(this.attachedTo !== undefined ? { attachedTo: linkOf(this.props, this.attachedTo) } : {}),
            ...(this.network !== undefined ? { network: linkOf(this.props, this.network) } : {}),
            ...(this.flowLogs ? { flowLogs: this.flowLogs } : {}),
        };
        return (extra ? Object.assign(model, extra) : model) as FirewallModel & E;
    }
}

/** A link held in an input: its property, and its value when it is a known, non-empty string. */
export function linkOf(props: Input, property: string): Link {
    const literal = props.get(property).string();
    return literal !== undefined && literal !== "" ? { property, literal } : { property };
}

/** The known string values of the inputs or outputs that identify a resource. */
export function identityOf(props: Input, keys: readonly string[]): string[] {
    return keys.map((k) => props.get(k).string()).filter((v): v is string => v !== undefined && v !== "");
}
