// Builds a topology model (model/topology.ts) from a resource's inputs: links to other resources,
// the values that decide reachability, tags and identity, read through Input like every adapter.
import { TopologyLink, TopologyModel, TopologyValue } from "../../model/topology";
import { Input } from "./input";
import { identityOf } from "./resource-builder";

/** The top-level property of an input path: what property dependencies are keyed by. */
function topProperty(path: string): string {
    const m = /^[^.[]+/.exec(path);
    return m ? m[0] : path;
}

export class TopologyBuilder {
    private readonly links: Record<string, TopologyLink[]> = {};
    private readonly values: Record<string, TopologyValue | readonly Readonly<Record<string, TopologyValue>>[]> = {};
    private readonly tags: Record<string, string> = {};
    identityKeys: string[] = ["id"];

    constructor(
        readonly provider: string,
        readonly role: string,
        readonly props: Input,
    ) {}

    /** A link to one resource; nothing when the input is absent. */
    link(name: string, input: Input): this {
        const l = linkOf(input);
        if (l) (this.links[name] ??= []).push(l);
        return this;
    }

    /** Links to each resource of a list input (an unknown list is one unknown link). */
    linkList(name: string, input: Input): this {
        const items = input.items();
        if (items === "unknown") (this.links[name] ??= []).push({ property: topProperty(input.path), unknown: true });
        else if (items !== "invalid") for (const item of items) this.link(name, item);
        return this;
    }

    /** A value that decides reachability: a string, number, boolean or list of strings; unknown ones name their input. */
    value(name: string, input: Input): this {
        const v = valueOf(input);
        if (v !== undefined) this.values[name] = v;
        return this;
    }

    /** A list of records (inline routes): each entry's named fields read as values. */
    records(name: string, input: Input, fields: readonly string[]): this {
        const items = input.items();
        if (items === "unknown") {
            this.values[name] = { unknown: input.path };
            return this;
        }
        if (items === "invalid") return this;
        this.values[name] = items.map((item) => {
            const rec: Record<string, TopologyValue> = {};
            for (const f of fields) {
                const v = valueOf(item.get(f));
                if (v !== undefined) rec[f] = v;
            }
            return rec;
        });
        return this;
    }

    readTags(map: Input): this {
        const v = map.value;
        if (v === null || typeof v !== "object" || Array.isArray(v)) return this;
        for (const [k, tag] of Object.entries(v as Record<string, unknown>)) {
            if (typeof tag === "string" && !map.get(k).unknown) this.tags[k] = tag;
        }
        return this;
    }

    build(): TopologyModel {
        const raw = this.props.value;
        const empty = raw === null || raw === undefined || (typeof raw === "object" && Object.keys(raw).length === 0);
        return {
            kind: "topology",
            provider: this.provider,
            role: this.role,
            tags: this.tags,
            identity: identityOf(this.props, this.identityKeys),
            links: this.links,
            values: this.values,
            empty,
        };
    }
}

/** A link held in an input: its top-level property, its value when a known non-empty string, or unknown. */
export function linkOf(input: Input): TopologyLink | undefined {
    if (input.missing) return undefined;
    const property = topProperty(input.path);
    if (input.unknown) return { property, unknown: true };
    const literal = input.string();
    return literal !== undefined && literal !== "" ? { property, literal } : undefined;
}

function valueOf(input: Input): TopologyValue | undefined {
    if (input.missing) return undefined;
    if (input.unknown) return { unknown: input.path };
    const v = input.value;
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v;
    return undefined;
}
