// What every cloud's small graph stacks share: resources added by Pulumi name, built as the engine
// sends them to AnalyzeStack in preview or in update, some perhaps with empty outputs (a provider
// whose configuration is unknown in preview).
import { StackCase, UNKNOWN, urnOf } from "../../helpers";
import { setPath } from "./set-path";

export type Mode = "preview" | "update";

/** A reference to another resource of the stack by name (`name#output` for another output); `out:<literal>` is a value outside the stack. */
export type Ref = string;

/** A number made from a name, for the ids and addresses the provider would give a resource. */
export function nameHash(name: string, seed = 0): number {
    let h = seed;
    for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
    return h;
}

export interface Entry {
    type: string;
    name: string;
    props: Record<string, unknown>;
}

export abstract class StackBuilder<E extends Entry> {
    protected readonly entries: E[] = [];
    protected readonly byName = new Map<string, E>();

    /** The resources as the engine sends them in `mode`; `empty` names resources that arrive with empty outputs. */
    build(mode: Mode, empty: string[] = []): StackCase[] {
        return this.entries.map((e) => (empty.includes(e.name) ? { type: e.type, name: e.name, props: {} } : this.resource(e, mode)));
    }

    /** Adds a resource; one of a name already in the stack is replaced in place (a case changing the base network). */
    protected put(e: E): this {
        const at = this.entries.findIndex((x) => x.name === e.name);
        if (at >= 0) this.entries[at] = e;
        else this.entries.push(e);
        this.byName.set(e.name, e);
        return this;
    }

    protected entry(name: string): E {
        const e = this.byName.get(name);
        if (!e) throw new Error(`no resource ${name} in the stack`);
        return e;
    }

    protected abstract resource(e: E, mode: Mode): StackCase;
}

export interface LinkedEntry extends Entry {
    /** Input path ("subnetId", "networkInterfaces[0].subnetwork", "tags[0]") to the resources it names. */
    refs: Record<string, Ref | Ref[]>;
}

/**
 * Stacks whose resources name others in their inputs. A reference is unknown in preview (linked only
 * by the property dependency of its top-level input) and the other resource's value in update.
 */
export abstract class LinkedStack extends StackBuilder<LinkedEntry> {
    add(type: string, name: string, props: Record<string, unknown> = {}, refs: Record<string, Ref | Ref[]> = {}): this {
        return this.put({ type, name, props, refs });
    }

    protected resource(e: LinkedEntry, mode: Mode): StackCase {
        const props = structuredClone(e.props);
        const deps: Record<string, string[]> = {};
        for (const [path, ref] of Object.entries(e.refs)) {
            const refs = Array.isArray(ref) ? ref : [ref];
            const values = refs.map((r) => (r.startsWith("out:") ? r.slice(4) : this.refValue(r, mode, path)));
            setPath(props, path, Array.isArray(ref) ? values : values[0]);
            const top = /^[^.[]+/.exec(path)![0];
            const urns = refs
                .filter((r) => !r.startsWith("out:"))
                .map((r) => r.split("#")[0])
                .map((n) => urnOf(this.entry(n).type, n));
            if (urns.length > 0) deps[top] = [...new Set([...(deps[top] ?? []), ...urns])];
        }
        return {
            type: e.type,
            name: e.name,
            props: { ...this.outputs(e, mode), ...props },
            ...(Object.keys(deps).length > 0 ? { propertyDependencies: deps } : {}),
        };
    }

    /** What a reference written at `path` holds in `mode`. */
    protected refValue(ref: Ref, mode: Mode, _path: string): unknown {
        return mode === "preview" ? UNKNOWN : this.valueOf(ref);
    }

    /** What a reference holds in update: the other resource's id, or the output `name#output` names. */
    protected abstract valueOf(ref: Ref): unknown;

    /** What the provider reports besides the inputs in `mode`: the id and computed values. */
    protected abstract outputs(e: LinkedEntry, mode: Mode): Record<string, unknown>;
}

/** Registry lines every cloud's flow cases document: the public web ports and the internal `api`. */
export const WEB_AND_API = `  - { name: http, ports: [80], protocol: tcp, public: true }
  - { name: https, ports: [443], protocol: tcp, public: true }
  - { name: api, ports: [8080], protocol: tcp }`;

/** The documented flow of every cloud's flow cases: postgres, whose client is `api`. */
export const POSTGRES_FOR_API = `  - name: postgres
    ports: [5432]
    protocol: tcp
    clients:
      - service: api`;
