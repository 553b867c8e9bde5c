// The YAML parser's and the schema validator's errors, translated into what a person changes: one
// message per node, in the file's own terms ("port 70000 is outside 0-65535"), with a fix.
import type { ErrorObject } from "ajv";
import type { Document } from "yaml";
import { isPlainObject } from "../base/values";
import { closest } from "../base/text";
import { parsePortNumber, parsePortSpec } from "../model/ports";
import { parseProtocol } from "../model/protocol";
import { Ctx, keyNodeAt, offsetAt, offsetOf, problemAt, Seg, yaml } from "./positions";
import { CLIENT_KEYS, EXEMPTION_KEYS, PROTOCOL_NAMES, SERVICE_KEYS, TENANT_KEYS, TOP_LEVEL_KEYS } from "./schema";

export function yamlProblem(ctx: Ctx, e: { code: string; message: string; pos: [number, number] }): { path: string; message: string } {
    const first = e.message.split("\n")[0].replace(/\s+at line \d+, column \d+:?$/, "");
    if (e.code === "DUPLICATE_KEY") {
        const key = duplicateKeyAt(ctx.doc, e.pos[0]);
        const what = key !== undefined ? `key "${key}"` : "a key";
        return {
            path: "",
            message: `duplicate ${what}: it already appears earlier in the same mapping; keep only one (each service is its own "- name: ..." entry)`,
        };
    }
    if (e.code === "MULTIPLE_DOCS") {
        return { path: "", message: "the file holds more than one YAML document (a second `---`); keep a single document" };
    }
    return { path: "", message: `YAML syntax error: ${first}; check the indentation, colons and quoting here` };
}

function duplicateKeyAt(doc: Document, offset: number): string | undefined {
    const { isScalar, visit } = yaml();
    let key: string | undefined;
    visit(doc, {
        Pair(_, pair) {
            const k = pair.key as { range?: number[]; value?: unknown } | null;
            if (k?.range?.[0] === offset) {
                key = String(isScalar(k) ? k.value : k);
                return visit.BREAK;
            }
            return undefined;
        },
    });
    return key;
}

export function schemaProblems(ctx: Ctx, data: unknown, errors: ErrorObject[]): void {
    const live = collapseAlternatives(errors).filter((e) => e.keyword !== "if");
    const valueNodes = new Map<string, Seg[]>();
    for (const e of live) {
        const segs = toSegs(e.instancePath, data);
        if (e.keyword === "required") {
            const key = String((e.params as { missingProperty: string }).missingProperty);
            problemAt(ctx, segs, requiredMessage(segs, key));
        } else if (e.keyword === "additionalProperties") {
            const key = String((e.params as { additionalProperty: string }).additionalProperty);
            const keySegs = [...segs, key];
            problemAt(ctx, keySegs, unknownKeyMessage(segs, key), offsetOf(keyNodeAt(ctx, keySegs)) ?? offsetAt(ctx, segs));
        } else {
            // Everything else is about a value: one message per node, however many keywords failed.
            valueNodes.set(e.instancePath, segs);
        }
    }
    for (const segs of valueNodes.values()) problemAt(ctx, segs, valueMessage(segs, valueAt(data, segs)));
}

/**
 * anyOf reports every failed branch. Where one branch got further into the value (it matched the
 * type and failed on an element), keep only that branch's errors: that is what the author meant.
 * Where every branch failed on the node itself, keep a single error for the node.
 */
function collapseAlternatives(errors: ErrorObject[]): ErrorObject[] {
    let live = [...errors];
    const composites = live
        .filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf")
        .sort((a, b) => a.schemaPath.length - b.schemaPath.length);
    for (const c of composites) {
        if (!live.includes(c)) continue;
        const prefix = `${c.schemaPath}/`;
        const depth = segCount(c.instancePath);
        const branches = new Map<string, ErrorObject[]>();
        for (const e of live) {
            if (e === c || !e.schemaPath.startsWith(prefix)) continue;
            if (e.instancePath !== c.instancePath && !e.instancePath.startsWith(`${c.instancePath}/`)) continue;
            const branch = e.schemaPath.slice(prefix.length).split("/")[0];
            branches.set(branch, [...(branches.get(branch) ?? []), e]);
        }
        const inBranches = new Set([...branches.values()].flat());
        let best: ErrorObject[] | undefined;
        let bestDepth = depth;
        for (const errs of branches.values()) {
            const d = Math.max(...errs.map((e) => segCount(e.instancePath)));
            if (d > bestDepth || (d === bestDepth && best && errs.length < best.length)) {
                best = errs;
                bestDepth = d;
            }
        }
        if (best) {
            const keep = new Set(best);
            live = live.filter((e) => e !== c && (!inBranches.has(e) || keep.has(e)));
        } else {
            live = live.filter((e) => !inBranches.has(e));
        }
    }
    return live;
}

function segCount(pointer: string): number {
    return pointer === "" ? 0 : pointer.split("/").length - 1;
}

/** JSON pointer to path segments; array indices become numbers (the YAML tree needs them so). */
function toSegs(pointer: string, data: unknown): Seg[] {
    if (pointer === "") return [];
    const segs: Seg[] = [];
    let cur: unknown = data;
    for (const raw of pointer.slice(1).split("/")) {
        const s = raw.replace(/~1/g, "/").replace(/~0/g, "~");
        const seg: Seg = Array.isArray(cur) && /^\d+$/.test(s) ? Number(s) : s;
        segs.push(seg);
        cur = cur !== null && typeof cur === "object" ? (cur as Record<string, unknown>)[seg as string] : undefined;
    }
    return segs;
}

function valueAt(data: unknown, segs: readonly Seg[]): unknown {
    let cur = data;
    for (const s of segs) cur = cur !== null && typeof cur === "object" ? (cur as Record<string, unknown>)[s as string] : undefined;
    return cur;
}

export function show(v: unknown): string {
    if (v === null || v === undefined) return "nothing";
    if (typeof v === "string") return JSON.stringify(v);
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    if (Array.isArray(v)) return "a list";
    return "a mapping";
}

const PROTOCOL_LIST = PROTOCOL_NAMES.join(", ");

function requiredMessage(segs: readonly Seg[], key: string): string {
    const missing = `missing required key "${key}"`;
    if (segs.length === 0) {
        if (key === "services") return `${missing}; add a \`services:\` list with one entry per service and its ports`;
        if (key === "knownCidrs") {
            return `${missing}; list the organisation's own address ranges, e.g. \`knownCidrs: [10.0.0.0/8]\`, or write \`knownCidrs: []\``;
        }
    }
    if (key === "name") return `${missing}; give the service a unique lowercase name, e.g. \`name: postgres\``;
    if (key === "protocol") return `${missing}; add \`protocol: tcp\` (or udp, icmp, all, or a list such as [tcp, udp])`;
    if (key === "ports") {
        return `${missing}; a tcp, udp or "all" service must list its ports, e.g. \`ports: [5432]\` (only icmp-only services leave ports out)`;
    }
    return `${missing}`;
}

function unknownKeyMessage(parent: readonly Seg[], key: string): string {
    const keysOf: Record<string, readonly string[]> = { services: SERVICE_KEYS, tenants: TENANT_KEYS, exemptions: EXEMPTION_KEYS };
    const allowed =
        parent.length === 0 ? TOP_LEVEL_KEYS : parent[2] === "clients" ? CLIENT_KEYS : (keysOf[String(parent[0])] ?? SERVICE_KEYS);
    const guess = closest(key, allowed);
    const hint = guess ? `did you mean "${guess}"?` : "remove it or fix its spelling";
    return `unknown key "${key}" (allowed: ${allowed.join(", ")}); ${hint}`;
}

function valueMessage(segs: readonly Seg[], v: unknown): string {
    const [top, , field, item] = segs;
    if (segs.length === 0) {
        return `the top level must be a mapping with keys ${TOP_LEVEL_KEYS.join(", ")}, found ${show(v)}`;
    }
    if (top === "services") {
        if (segs.length === 1) return `services must be a list of service entries, each starting with "- name:", found ${show(v)}`;
        if (segs.length === 2) return `each service must be a mapping with keys name, protocol and ports, found ${show(v)}`;
        if (field === "name" && segs.length === 3) return nameMessage(v);
        if (field === "ports" && segs.length === 3) return portListMessage(v, "ports");
        if (field === "ports" && segs.length === 4) return portMessage(v);
        if (field === "protocol" && (segs.length === 3 || typeof item === "number")) return protocolMessage(v);
        if ((field === "owner" || field === "description") && segs.length === 3) {
            return `${field} must be text, found ${show(v)}; put it in quotes`;
        }
        if (field === "clients") return clientMessage(segs, v);
        if (field === "public" && segs.length === 3) {
            const yesNo = typeof v === "string" && /^(yes|no|on|off|y|n)$/i.test(v) ? " (YAML 1.2 reads yes/no/on/off as text)" : "";
            return `public must be true or false, found ${show(v)}${yesNo}`;
        }
    }
    if (top === "knownCidrs") {
        if (segs.length === 1) return `knownCidrs must be a list of CIDR blocks, e.g. [10.0.0.0/8, fd00::/8], found ${show(v)}`;
        return `knownCidrs entries must be CIDR blocks such as 10.0.0.0/8, found ${show(v)}`;
    }
    if (field === "allowedSources" || (top === "tenants" && field === "cidrs")) {
        return segs.length === 3
            ? `${String(field)} must be a list of CIDR blocks, e.g. [10.20.0.0/16], found ${show(v)}`
            : `${String(field)} entries must be CIDR blocks such as 10.20.0.0/16, found ${show(v)}`;
    }
    if (top === "tenants" || top === "exemptions") {
        if (segs.length === 1) return `${top} must be a list, found ${show(v)}`;
        if (v === "") return emptyMessage(String(field));
        if (segs.length === 2)
            return top === "tenants"
                ? `each tenant must be a mapping with name and cidrs, found ${show(v)}`
                : `each exemption must be a mapping with policy, resource, reason and expires, found ${show(v)}`;
        return `${String(field)} must be text, found ${show(v)}`;
    }
    if (top === "tenantTag") return `tenantTag must be a tag key such as "tenant", found ${show(v)}`;
    if (top === "serviceTag") return `serviceTag must be a tag key such as "service", found ${show(v)}`;
    if (top === "ephemeralPorts") {
        if (segs.length === 1) return portListMessage(v, "ephemeralPorts");
        return portMessage(v);
    }
    return `${show(v)} is not valid here`;
}

/** An empty exemption or tenant field: what to write instead. */
function emptyMessage(field: string): string {
    switch (field) {
        case "resource":
            return 'resource is empty; write the resource\'s Pulumi name (e.g. bastion-sg), its URN, or a glob over either (e.g. "bastion-*")';
        case "policy":
            return "policy is empty; write the name of the policy the exemption is for, e.g. no-world-open-internal-ports";
        case "reason":
            return 'reason is empty; say why the exemption is needed, e.g. "SSH bastion, monitored by the SOC"';
        case "name":
            return "name is empty; give the tenant a name, e.g. acme";
        default:
            return `${field} is empty; write a value or remove the key`;
    }
}

const CLIENT_EXAMPLE = "e.g. `clients: [{ service: api }, { cidr: 10.50.0.0/16 }]`";

function clientMessage(segs: readonly Seg[], v: unknown): string {
    if (segs.length === 3)
        return `clients must be a list of { service: <name> } or { cidr: <block> } entries, ${CLIENT_EXAMPLE}, found ${show(v)}`;
    if (segs.length === 4) {
        if (isPlainObject(v) && Object.keys(v).length === 0)
            return `a client entry is empty; write { service: <name> } or { cidr: <block> }, ${CLIENT_EXAMPLE}`;
        if (isPlainObject(v)) return "a client entry names either a service or a cidr, not both; split it into two entries";
        if (typeof v === "string") return `a client entry is a mapping; write { service: ${v} } or { cidr: ${v} }`;
        return `a client entry must be { service: <name> } or { cidr: <block> }, found ${show(v)}`;
    }
    return `${String(segs[4])} must be text, found ${show(v)}`;
}

function nameMessage(v: unknown): string {
    if (typeof v !== "string") {
        const hint = typeof v === "number" || typeof v === "boolean" ? `; quote it: name: "${String(v)}"` : "";
        return `name must be text, found ${show(v)}${hint}`;
    }
    const parts: string[] = [];
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(v)) {
        const suggestion = v
            .toLowerCase()
            .replace(/[^a-z0-9._-]+/g, "-")
            .replace(/^[^a-z0-9]+/, "")
            .replace(/-+$/, "")
            .slice(0, 63);
        const eg = suggestion && suggestion !== v ? `, e.g. "${suggestion}"` : "";
        parts.push(`name "${v}" may only hold lowercase letters, digits, ".", "_" and "-", starting with a letter or digit${eg}`);
    }
    if (v.length > 63) parts.push(`name "${v.slice(0, 20)}..." is ${v.length} characters long; shorten it to at most 63`);
    return parts.length ? parts.join("; ") : `name ${show(v)} is not valid`;
}

function portListMessage(v: unknown, key: string): string {
    if (Array.isArray(v) && v.length === 0) {
        return key === "ports"
            ? "ports is empty; list at least one port, e.g. [5432] (an icmp-only service leaves the key out)"
            : "ephemeralPorts is empty; list the return-traffic range, or remove the key to use the default 1024-65535";
    }
    if ((typeof v === "number" || typeof v === "string") && !("error" in parsePortSpec(v))) {
        return `${key} must be a list; write [${typeof v === "string" ? JSON.stringify(v) : v}]`;
    }
    return `${key} must be a list of ports such as [5432, "2379-2380"], found ${show(v)}`;
}

/** Why a port entry is wrong, and what to write instead. Also used for values the schema lets through. */
export function portMessage(v: unknown): string {
    if (v === null || v === undefined) return `a port entry is empty; write a port number such as 5432 or a range such as "2379-2380"`;
    const single = parsePortNumber(v);
    if (single !== undefined) return `port ${single} is outside 0-65535; a port is a number from 0 to 65535`;
    const m = typeof v === "string" ? /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(v) : null;
    if (m) {
        const range = m.input;
        const [from, to] = [Number(m[1]), Number(m[2])];
        if (from > to) return `port range "${range}" starts after it ends; write "${to}-${from}"`;
        if (to > 65535) return `port range "${range}" is outside 0-65535; a port is a number from 0 to 65535`;
        return `port range "${range}" must be written without spaces: "${from}-${to}"`;
    }
    if (typeof v === "string" && !("error" in parsePortSpec(v))) {
        return `port ${show(v)} means every port, which cannot be documented as one service; list the ports the service uses`;
    }
    return `port ${show(v)} is not a port number or a "from-to" range; write e.g. 5432 or "2379-2380"`;
}

function protocolMessage(v: unknown): string {
    if (Array.isArray(v)) {
        return v.length === 0
            ? `protocol list is empty; list at least one of ${PROTOCOL_LIST}`
            : `protocol must be one of ${PROTOCOL_LIST} or a list of them, found a list that is not`;
    }
    if (typeof v === "string" || typeof v === "number") {
        const head = `protocol ${show(v)} is not one of ${PROTOCOL_LIST}`;
        const known = parseProtocol(v)?.protocol;
        if (known && known !== "other") return `${head}; write "${known}"`;
        const guess = typeof v === "string" ? closest(v.toLowerCase(), PROTOCOL_NAMES) : undefined;
        if (guess) return `${head}; did you mean "${guess}"?`;
        return `${head}; write one of them, or a list such as [tcp, udp]`;
    }
    return `protocol must be one of ${PROTOCOL_LIST} or a list of them, found ${show(v)}`;
}
