import { Direction, NormalisedResource, NormalisedRule, ResourceIssue } from "../lib/model";
import { Input, RuleBuilder } from "../lib/values";

/** Turns one provider resource type's inputs into normalised rules. */
export interface Adapter {
    /** Provider family, e.g. "aws", "azure-native". */
    provider: string;
    /** Exact type tokens this adapter reads. */
    types: readonly string[];
    /** Optional pattern for versioned tokens (azure-native:network/v20230901:NetworkSecurityGroup). */
    typePattern?: RegExp;
    /** One line for the README: what is and is not understood. */
    summary: string;
    normalise(props: Input, type: string): NormalisedResource;
}

/** Collects the rules of one resource, including whole-list unknowns and wrong shapes. */
export class ResourceBuilder {
    readonly rules: NormalisedRule[] = [];
    readonly unknown: ResourceIssue[] = [];
    readonly problems: ResourceIssue[] = [];
    readonly tags: Record<string, string> = {};

    constructor(readonly provider: string) {}

    /** Reads a tag or label map; unknown and non-string values are left out. */
    readTags(map: Input): void {
        const v = map.value;
        if (v === null || typeof v !== "object" || Array.isArray(v)) return;
        for (const [k, tag] of Object.entries(v as Record<string, unknown>)) {
            const t = map.get(k);
            if (typeof tag === "string" && !t.unknown) this.tags[k] = tag;
        }
    }

    /** Calls `read` for each element of a list input; records an unknown or malformed list. */
    eachRule(list: Input, origin: (index: number) => string, read: (item: Input, rule: RuleBuilder) => void, direction?: Direction): void {
        const items = list.items();
        if (items === "unknown") {
            this.unknown.push({ path: list.path, direction, message: `${list.path} is unknown until update` });
            return;
        }
        if (items === "invalid" || (items.length === 1 && items[0] === list)) {
            this.problems.push({ path: list.path, direction, message: `${list.path} is not a list of rules` });
            return;
        }
        items.forEach((item, i) => this.single(item, origin(i), read, direction));
    }

    /** Reads one rule object. */
    single(item: Input, origin: string, read: (item: Input, rule: RuleBuilder) => void, direction?: Direction): void {
        const path = item.path || origin;
        if (item.unknown) {
            this.unknown.push({ path, direction, message: `${path} is unknown until update` });
            return;
        }
        if (item.value === null || typeof item.value !== "object" || Array.isArray(item.value)) {
            this.problems.push({ path, direction, message: `${path} is not a rule object` });
            return;
        }
        const rule = new RuleBuilder(origin);
        read(item, rule);
        this.rules.push(rule.build());
    }

    build(): NormalisedResource {
        return { provider: this.provider, rules: this.rules, unknown: this.unknown, problems: this.problems, tags: this.tags };
    }
}
