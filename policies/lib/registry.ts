// The port registry, ports.yaml: the team's documentation of every port a service listens on, which
// of them may face the internet (`public: true`), and the organisation's own address ranges.
//
// Loading is all-or-nothing. The file is parsed with positions kept, checked against the JSON Schema
// in registry-schema.ts and then against the rules a schema cannot express (ranges in order, unique
// names, no two services on the same port and protocol, CIDRs that parse). Every problem is
// collected with its line and a message that says what to change, and reported in one
// RegistryError; a half-read registry is never returned.
import * as fs from "fs";
import * as path from "path";
import type { ErrorObject, ValidateFunction } from "ajv";
import type { Document, LineCounter } from "yaml";
import { AddrSet, ParsedCidr, PeerSetBuilder, parseCidr } from "../model/addresses";
import { ALL_PORTS, IntervalSet, NO_PORTS, PortSet, formatPorts, portDomain, portRange, portsKey } from "../model/intervals";
import { BoundedMemo } from "../base/memo";
import { parsePortNumber, parsePortSpec } from "../model/ports";
import { CONCRETE_PROTOCOLS, ConcreteProtocol, parseProtocol, protocolCovers } from "../model/protocol";
import { CLIENT_KEYS, EXEMPTION_KEYS, PROTOCOL_NAMES, SERVICE_KEYS, TENANT_KEYS, TOP_LEVEL_KEYS } from "./registry-schema";
// Generated from registry-schema.ts (npm run registry-validator): compiling the schema at start-up,
// and loading ajv's compiler to do it, cost every preview tens of milliseconds.
import generatedValidator from "./registry-validator";

export interface Service {
    name: string;
    /** Union of the listed ports and ranges; ALL_PORTS for icmp-only services, which list none. */
    ports: PortSet;
    /** "all" expands to tcp, udp and icmp. For icmp the port set is always ALL_PORTS. */
    protocols: ConcreteProtocol[];
    owner?: string;
    description?: string;
    /** May be reachable from the internet. Default false. */
    public: boolean;
    /** CIDR blocks that may reach this service, narrower than knownCidrs; absent: knownCidrs. */
    allowedSources?: KnownCidrs;
    /** Who may reach this service, as listed: another service of the registry, or an address block. */
    clients?: ServiceClient[];
    /** 1-based line of the service entry in the file. */
    line: number;
}

/** Exactly one of the two is set. */
export interface ServiceClient {
    /** The name of a service of the same registry. */
    service?: string;
    cidr?: ParsedCidr;
}

export interface Tenant {
    name: string;
    cidrs: KnownCidrs;
    line: number;
}

export interface Exemption {
    policy: string;
    /** Resource name, URN, or a glob over either. */
    resource: string;
    reason: string;
    /** YYYY-MM-DD as written; the exemption applies through the end of that day, UTC. */
    expires: string;
    line: number;
}

/** Time-boxed exemptions apply through the end of their expiry day (UTC). */
export function exemptionActive(e: Exemption, now: Date): boolean {
    return now.getTime() < Date.parse(`${e.expires}T00:00:00Z`) + 24 * 3600 * 1000;
}

/** Whether an exemption's resource pattern (name, URN, or a * / ? glob over either) matches. */
export function exemptionMatches(e: Exemption, name: string, urn: string): boolean {
    if (e.resource === name || e.resource === urn) return true;
    if (!/[*?]/.test(e.resource)) return false;
    const re = new RegExp(`^${e.resource.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
    return re.test(name) || re.test(urn);
}

export interface RegistryProblem {
    line?: number;
    /** Where in the file, e.g. `services[2].ports[0]`; `(top level)` for the document itself. */
    path: string;
    message: string;
}

export class RegistryError extends Error {
    readonly file: string;
    readonly problems: RegistryProblem[];

    constructor(file: string, problems: RegistryProblem[], headline?: string) {
        const label = path.basename(file) || file;
        const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
        const head = headline ?? `${label} is invalid (${count}); the policy pack cannot start:`;
        super([head, ...problems.map((p) => formatProblem(label, p))].join("\n"));
        this.name = "RegistryError";
        this.file = file;
        this.problems = problems;
    }
}

function formatProblem(label: string, p: RegistryProblem): string {
    const where = p.line !== undefined ? `${label}:${p.line}` : label;
    return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

export interface KnownCidrs {
    v4: AddrSet;
    v6: AddrSet;
    /** Canonical CIDR texts, for messages. */
    texts: string[];
}

export const DEFAULT_EPHEMERAL_PORTS: PortSet = portRange(1024, 65535);
export const DEFAULT_TENANT_TAG = "tenant";
export const DEFAULT_SERVICE_TAG = "service";

interface ProtocolIndex {
    /** Whether the registry says anything about this protocol (ICMP only when a service declares it). */
    judged: boolean;
    documented: PortSet;
    publicPorts: PortSet;
    internal: PortSet;
    /** Every port interval of every service with this protocol, sorted by start; disjoint. */
    slots: { lo: number; hi: number; service: Service }[];
    /** Lowest port of each service for this protocol, for ordering results. */
    lowest: Map<Service, number>;
}

export class Registry {
    readonly file: string;
    readonly services: readonly Service[];
    readonly knownCidrs: KnownCidrs;
    readonly ephemeralPorts: PortSet;
    readonly tenantTag: string;
    readonly serviceTag: string;
    readonly tenants: readonly Tenant[];
    readonly exemptions: readonly Exemption[];
    private readonly index: Record<ConcreteProtocol, ProtocolIndex>;

    /**
     * Prefer parseRegistry / loadRegistry, which validate. Services must not overlap on a port and
     * protocol (the constructor throws if they do): that is what keeps lookups logarithmic.
     */
    constructor(init: {
        file: string; services: readonly Service[]; knownCidrs: KnownCidrs; ephemeralPorts?: PortSet;
        tenantTag?: string; serviceTag?: string; tenants?: readonly Tenant[]; exemptions?: readonly Exemption[];
    }) {
        this.file = init.file;
        this.services = Object.freeze([...init.services]);
        this.knownCidrs = init.knownCidrs;
        this.ephemeralPorts = init.ephemeralPorts ?? DEFAULT_EPHEMERAL_PORTS;
        this.tenantTag = init.tenantTag ?? DEFAULT_TENANT_TAG;
        this.serviceTag = init.serviceTag ?? DEFAULT_SERVICE_TAG;
        this.tenants = Object.freeze([...(init.tenants ?? [])]);
        this.exemptions = Object.freeze([...(init.exemptions ?? [])]);
        const index = {} as Record<ConcreteProtocol, ProtocolIndex>;
        for (const p of CONCRETE_PROTOCOLS) index[p] = buildIndex(p, this.services);
        this.index = index;
    }

    /**
     * Whether rules of protocol p are judged against the registry. ICMP carries no port number: it is
     * judged only when a service declares it (`protocol: icmp` or `all`), and then as one unit.
     */
    judges(p: ConcreteProtocol): boolean {
        return this.index[p].judged;
    }

    /** Ports some service documents for protocol p; every port when the registry does not judge p (nothing to document). */
    documented(p: ConcreteProtocol): PortSet {
        return this.index[p].documented;
    }

    /** Ports of public services for protocol p. */
    publicPorts(p: ConcreteProtocol): PortSet {
        return this.index[p].publicPorts;
    }

    /** Ports that must not be reachable from the internet: everything not public; none when the registry does not judge p. */
    internal(p: ConcreteProtocol): PortSet {
        return this.index[p].internal;
    }

    /**
     * Services with protocol p whose ports overlap `ports`, sorted by their lowest port. Read-only:
     * answers are shared, since every policy asks about the same ports of a resource (0-65535 against
     * 500 services was sorted again by each).
     */
    servicesOverlapping(p: ConcreteProtocol, ports: PortSet): readonly Service[] {
        const key = portsKey(ports);
        return this.overlapping.get(key === undefined ? undefined : `${p}|${key}`, () => this.findOverlapping(p, ports));
    }

    private readonly overlapping = new BoundedMemo<readonly Service[]>(1000);

    private findOverlapping(p: ConcreteProtocol, ports: PortSet): readonly Service[] {
        const { slots, lowest } = this.index[p];
        const found = new Set<Service>();
        for (const [a, b] of ports.intervals) {
            // First slot that ends at or after a; slots are disjoint, so ends are sorted too.
            let lo = 0;
            let hi = slots.length;
            while (lo < hi) {
                const mid = (lo + hi) >> 1;
                if (slots[mid].hi < a) lo = mid + 1;
                else hi = mid;
            }
            for (let k = lo; k < slots.length && slots[k].lo <= b; k++) found.add(slots[k].service);
        }
        return Object.freeze([...found].sort((x, y) => lowest.get(x)! - lowest.get(y)!));
    }
}

function portsOf(s: Service, p: ConcreteProtocol): PortSet {
    if (!s.protocols.includes(p)) return NO_PORTS;
    return p === "icmp" ? ALL_PORTS : s.ports;
}

function buildIndex(p: ConcreteProtocol, services: readonly Service[]): ProtocolIndex {
    const slots: ProtocolIndex["slots"] = [];
    const lowest = new Map<Service, number>();
    const documented: [number, number][] = [];
    const pub: [number, number][] = [];
    for (const s of services) {
        const ports = portsOf(s, p);
        if (ports.isEmpty) continue;
        lowest.set(s, ports.intervals[0][0]);
        for (const [lo, hi] of ports.intervals) {
            slots.push({ lo, hi, service: s });
            documented.push([lo, hi]);
            if (s.public) pub.push([lo, hi]);
        }
    }
    slots.sort((x, y) => x.lo - y.lo);
    for (let k = 1; k < slots.length; k++) {
        if (slots[k].lo <= slots[k - 1].hi) {
            throw new Error(`services "${slots[k - 1].service.name}" and "${slots[k].service.name}" overlap on ${p}; ` +
                "build registries with parseRegistry, which reports overlaps");
        }
    }
    const publicPorts = IntervalSet.of(portDomain, pub);
    // ICMP has no ports: a registry that declares no ICMP service has no opinion on it.
    if (p === "icmp" && slots.length === 0) return { judged: false, documented: ALL_PORTS, publicPorts, internal: NO_PORTS, slots, lowest };
    return { judged: true, documented: IntervalSet.of(portDomain, documented), publicPorts, internal: publicPorts.complement(), slots, lowest };
}

// ---------------------------------------------------------------------------------------------
// Loading

export interface LoadOptions extends RegistryOptions {
    /** A registry already worked out for exactly this text (the build-time snapshot), if there is one. */
    prepared?: (text: string) => Registry | undefined;
}

export function loadRegistry(file: string, options: LoadOptions = {}): Registry {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        const reason = osReason(err);
        throw new RegistryError(file, [{
            path: "",
            message: `cannot read ${file}: ${reason}; create the file (start from the ports.yaml shipped with the policy pack) or fix its path`,
        }], `${path.basename(file) || file} cannot be read; the policy pack cannot start:`);
    }
    return options.prepared?.(text) ?? parseRegistry(text, file, options);
}

function osReason(err: unknown): string {
    const e = err as NodeJS.ErrnoException;
    if (e && typeof e.message === "string") {
        // "ENOENT: no such file or directory, open '/x/ports.yaml'" -> "no such file or directory (ENOENT)"
        const m = /^([A-Z0-9]+): ([^,]+)/.exec(e.message);
        if (m) return `${m[2]} (${m[1]})`;
        return e.code ? `${e.message} (${e.code})` : e.message;
    }
    return String(err);
}

type Seg = string | number;

/**
 * The YAML parser, loaded on first use: a pack starting from its build-time snapshot of an unchanged
 * ports.yaml (registry-snapshot.ts) never needs it, and loading it is a third of the start-up cost.
 */
let yamlModule: typeof import("yaml") | undefined;
function yaml(): typeof import("yaml") {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return (yamlModule ??= require("yaml") as typeof import("yaml"));
}

interface Ctx {
    doc: Document;
    lc: LineCounter;
    problems: RegistryProblem[];
    /** Where each problem is, for listing them in file order. */
    offsets: Map<RegistryProblem, number>;
}

const validateRegistry = generatedValidator as unknown as ValidateFunction;

export interface RegistryOptions {
    /** Policy names exemptions may name; unchecked when absent. */
    policyNames?: readonly string[];
}

export function parseRegistry(text: string, label: string, options: RegistryOptions = {}): Registry {
    const { LineCounter, parseDocument } = yaml();
    const lc = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
    const ctx: Ctx = { doc, lc, problems: [], offsets: new Map() };
    const fail = (): never => {
        ctx.problems.sort((a, b) => ctx.offsets.get(a)! - ctx.offsets.get(b)!);
        throw new RegistryError(label, ctx.problems);
    };

    // 1. YAML syntax. A document with syntax errors is not validated further: its tree is a guess.
    if (doc.errors.length > 0) {
        for (const e of doc.errors) addProblem(ctx, yamlProblem(ctx, e), e.pos[0]);
        fail();
    }
    let data: unknown;
    try {
        data = doc.toJS();
    } catch (e) {
        addProblem(ctx, { path: "", message: `the YAML cannot be read: ${(e as Error).message}` }, 0);
        fail();
    }
    if (data === null || data === undefined) {
        addProblem(ctx, {
            path: "(top level)",
            message: "the file is empty; it must be a mapping with a `services:` list and `knownCidrs:` (see the ports.yaml shipped with the policy pack)",
        }, 0);
        fail();
    }

    // 2. Shape, against the JSON Schema.
    if (!validateRegistry(data)) schemaProblems(ctx, data, validateRegistry.errors ?? []);

    // 3. What the schema cannot say.
    const root = isPlainObject(data) ? data : {};
    const services = Array.isArray(root.services) ? root.services : [];
    const checked = services.map((raw, i) => checkService(ctx, raw, i));
    checkDuplicateNames(ctx, checked);
    checkClientServices(ctx, services, checked);
    checkOverlaps(ctx, checked);
    const knownCidrs = checkCidrs(ctx, root.knownCidrs, ["knownCidrs"]);
    const ephemeral = Array.isArray(root.ephemeralPorts) ? checkPortList(ctx, root.ephemeralPorts, ["ephemeralPorts"]) : undefined;
    const tenants = checkTenants(ctx, root.tenants);
    const exemptions = checkExemptions(ctx, root.exemptions, options.policyNames);

    if (ctx.problems.length > 0) fail();
    const built = checked.map((c) => c.service);
    if (built.some((s) => s === undefined)) throw new Error("internal error: a service entry was neither accepted nor reported");

    return new Registry({
        file: label,
        services: built.map((s) => Object.freeze({ ...s!, protocols: Object.freeze(s!.protocols) as ConcreteProtocol[] })),
        knownCidrs,
        ephemeralPorts: root.ephemeralPorts === undefined ? DEFAULT_EPHEMERAL_PORTS : ephemeral,
        tenantTag: typeof root.tenantTag === "string" ? root.tenantTag : undefined,
        serviceTag: typeof root.serviceTag === "string" ? root.serviceTag : undefined,
        tenants,
        exemptions,
    });
}

// ---------------------------------------------------------------------------------------------
// Positions

function offsetOf(node: unknown): number | undefined {
    return (node as { range?: [number, number, number] } | null)?.range?.[0];
}

/** Offset of the node at a path; falls back to its key, then to the nearest ancestor with a position. */
function offsetAt(ctx: Ctx, segs: readonly Seg[]): number | undefined {
    for (let n = segs.length; n >= 0; n--) {
        const prefix = segs.slice(0, n);
        const node = prefix.length === 0 ? ctx.doc.contents : ctx.doc.getIn(prefix, true);
        const offset = offsetOf(node) ?? (n === segs.length ? offsetOf(keyNodeAt(ctx, prefix)) : undefined);
        if (offset !== undefined) return offset;
    }
    return undefined;
}

function lineAt(ctx: Ctx, segs: readonly Seg[]): number | undefined {
    const offset = offsetAt(ctx, segs);
    return offset === undefined ? undefined : ctx.lc.linePos(offset).line;
}

/** The key node of the last segment of a path into a mapping, e.g. the `prot` of an unknown key. */
function keyNodeAt(ctx: Ctx, segs: readonly Seg[]): unknown {
    if (segs.length === 0) return undefined;
    const parentPath = segs.slice(0, -1);
    let parent = parentPath.length === 0 ? ctx.doc.contents : ctx.doc.getIn(parentPath, true);
    const { isAlias, isMap, isPair, isScalar } = yaml();
    if (isAlias(parent)) parent = parent.resolve(ctx.doc);
    if (!isMap(parent)) return undefined;
    const last = String(segs[segs.length - 1]);
    const pair = parent.items.find((it) => isPair(it) && String(isScalar(it.key) ? it.key.value : it.key) === last);
    return pair?.key;
}

function formatPath(segs: readonly Seg[]): string {
    if (segs.length === 0) return "(top level)";
    let out = "";
    for (const s of segs) {
        if (typeof s === "number") out += `[${s}]`;
        else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out ? `.${s}` : s;
        else out += `[${JSON.stringify(s)}]`;
    }
    return out;
}

function problemAt(ctx: Ctx, segs: readonly Seg[], message: string, offset = offsetAt(ctx, segs)): void {
    addProblem(ctx, { path: formatPath(segs), message }, offset);
}

function addProblem(ctx: Ctx, problem: { path: string; message: string }, offset: number | undefined): void {
    const p: RegistryProblem = offset === undefined ? problem : { line: ctx.lc.linePos(offset).line, ...problem };
    ctx.problems.push(p);
    ctx.offsets.set(p, offset ?? -1);
}

// ---------------------------------------------------------------------------------------------
// YAML errors

function yamlProblem(ctx: Ctx, e: { code: string; message: string; pos: [number, number] }): { path: string; message: string } {
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

// ---------------------------------------------------------------------------------------------
// Schema errors, translated

function schemaProblems(ctx: Ctx, data: unknown, errors: ErrorObject[]): void {
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

function show(v: unknown): string {
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
    const allowed = parent.length === 0 ? TOP_LEVEL_KEYS : parent[2] === "clients" ? CLIENT_KEYS : keysOf[String(parent[0])] ?? SERVICE_KEYS;
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
        return segs.length === 3 ? `${String(field)} must be a list of CIDR blocks, e.g. [10.20.0.0/16], found ${show(v)}` : `${String(field)} entries must be CIDR blocks such as 10.20.0.0/16, found ${show(v)}`;
    }
    if (top === "tenants" || top === "exemptions") {
        if (segs.length === 1) return `${top} must be a list, found ${show(v)}`;
        if (v === "") return emptyMessage(String(field));
        if (segs.length === 2) return top === "tenants" ? `each tenant must be a mapping with name and cidrs, found ${show(v)}` : `each exemption must be a mapping with policy, resource, reason and expires, found ${show(v)}`;
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
        case "resource": return "resource is empty; write the resource's Pulumi name (e.g. bastion-sg), its URN, or a glob over either (e.g. \"bastion-*\")";
        case "policy": return "policy is empty; write the name of the policy the exemption is for, e.g. no-world-open-internal-ports";
        case "reason": return "reason is empty; say why the exemption is needed, e.g. \"SSH bastion, monitored by the SOC\"";
        case "name": return "name is empty; give the tenant a name, e.g. acme";
        default: return `${field} is empty; write a value or remove the key`;
    }
}

const CLIENT_EXAMPLE = "e.g. `clients: [{ service: api }, { cidr: 10.50.0.0/16 }]`";

function clientMessage(segs: readonly Seg[], v: unknown): string {
    if (segs.length === 3) return `clients must be a list of { service: <name> } or { cidr: <block> } entries, ${CLIENT_EXAMPLE}, found ${show(v)}`;
    if (segs.length === 4) {
        if (isPlainObject(v) && Object.keys(v).length === 0) return `a client entry is empty; write { service: <name> } or { cidr: <block> }, ${CLIENT_EXAMPLE}`;
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
        const suggestion = v.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[^a-z0-9]+/, "").replace(/-+$/, "").slice(0, 63);
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
function portMessage(v: unknown): string {
    if (v === null || v === undefined) return `a port entry is empty; write a port number such as 5432 or a range such as "2379-2380"`;
    const single = parsePortNumber(v);
    if (single !== undefined) return `port ${single} is outside 0-65535; a port is a number from 0 to 65535`;
    const m = typeof v === "string" ? /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(v) : null;
    if (m) {
        const [from, to] = [Number(m[1]), Number(m[2])];
        if (from > to) return `port range "${v}" starts after it ends; write "${to}-${from}"`;
        if (to > 65535) return `port range "${v}" is outside 0-65535; a port is a number from 0 to 65535`;
        return `port range "${v}" must be written without spaces: "${from}-${to}"`;
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

/** The candidate within edit distance 2 (or a prefix match), for "did you mean". */
function closest(word: string, candidates: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDist = 3;
    for (const c of candidates) {
        const d = c.startsWith(word) && word.length >= 3 ? 1 : editDistance(word.toLowerCase(), c.toLowerCase());
        if (d < bestDist) {
            best = c;
            bestDist = d;
        }
    }
    return best;
}

function editDistance(a: string, b: string): number {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        for (let j = 1; j <= b.length; j++) {
            cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        prev = cur;
    }
    return prev[b.length];
}

// ---------------------------------------------------------------------------------------------
// Rules beyond the schema

interface Checked {
    index: number;
    name?: string;
    /** Per protocol ports, present when the entry's protocol and ports are valid. */
    byProtocol?: Map<ConcreteProtocol, PortSet>;
    /** Present when the whole entry is valid. */
    service?: Service;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function checkService(ctx: Ctx, raw: unknown, i: number): Checked {
    const at: Seg[] = ["services", i];
    const out: Checked = { index: i };
    if (!isPlainObject(raw)) return out;
    const nameOk = typeof raw.name === "string" && /^[a-z0-9][a-z0-9._-]*$/.test(raw.name) && raw.name.length <= 63;
    if (typeof raw.name === "string") out.name = raw.name;

    const protocols = expandProtocols(raw.protocol);
    const ports = Array.isArray(raw.ports) ? checkPortList(ctx, raw.ports, [...at, "ports"]) : undefined;
    const icmpOnly = protocols !== undefined && protocols.length === 1 && protocols[0] === "icmp";
    if (icmpOnly && raw.ports !== undefined) {
        problemAt(ctx, [...at, "ports"],
            "ports do not apply to icmp: an icmp service covers all ICMP types; remove `ports`, or add tcp/udp to protocol if the service also uses ports");
        return out;
    }
    if (!protocols) return out;
    const portSet = icmpOnly ? ALL_PORTS : ports;
    if (!portSet) return out;

    out.byProtocol = new Map(protocols.map((p) => [p, p === "icmp" ? ALL_PORTS : portSet]));
    const publicOk = raw.public === undefined || typeof raw.public === "boolean";
    const textOk = (v: unknown) => v === undefined || typeof v === "string";
    const problemsBefore = ctx.problems.length;
    const allowedSources = Array.isArray(raw.allowedSources) ? checkCidrs(ctx, raw.allowedSources, [...at, "allowedSources"]) : undefined;
    const sourcesOk = ctx.problems.length === problemsBefore && (raw.allowedSources === undefined || allowedSources !== undefined);
    const clients = raw.clients === undefined ? undefined : checkClients(ctx, raw.clients, [...at, "clients"]);
    const clientsOk = raw.clients === undefined || clients !== undefined;
    if (nameOk && publicOk && sourcesOk && clientsOk && textOk(raw.owner) && textOk(raw.description)) {
        const service: Service = {
            name: raw.name as string,
            ports: portSet,
            protocols,
            public: raw.public === true,
            line: lineAt(ctx, at) ?? 0,
        };
        if (allowedSources) service.allowedSources = allowedSources;
        if (clients) service.clients = clients;
        if (typeof raw.owner === "string") service.owner = raw.owner;
        if (typeof raw.description === "string") service.description = raw.description;
        out.service = service;
    }
    return out;
}

/**
 * Client entries of the right shape (the schema reported the others) with CIDRs that parse; service
 * names are checked against the whole file by checkClientServices. Undefined if any entry is invalid.
 */
function checkClients(ctx: Ctx, value: unknown, at: Seg[]): ServiceClient[] | undefined {
    if (!Array.isArray(value)) return undefined;
    const out: ServiceClient[] = [];
    let ok = true;
    value.forEach((item, j) => {
        if (!isPlainObject(item) || Object.keys(item).length !== 1) return void (ok = false);
        if (typeof item.service === "string" && item.service.length > 0) return void out.push({ service: item.service });
        if (typeof item.cidr !== "string") return void (ok = false);
        const message = cidrProblem(item.cidr);
        if (message) {
            problemAt(ctx, [...at, j, "cidr"], message);
            ok = false;
        } else {
            out.push({ cidr: parseCidr(item.cidr)! });
        }
    });
    return ok ? out : undefined;
}

/** A client `service` must name a service of this registry. */
function checkClientServices(ctx: Ctx, services: unknown[], checked: Checked[]): void {
    const names = checked.map((c) => c.name).filter((n): n is string => n !== undefined);
    services.forEach((raw, i) => {
        if (!isPlainObject(raw) || !Array.isArray(raw.clients)) return;
        raw.clients.forEach((item, j) => {
            if (!isPlainObject(item) || typeof item.service !== "string" || item.service.length === 0 || names.includes(item.service)) return;
            const guess = closest(item.service, names);
            problemAt(ctx, ["services", i, "clients", j, "service"],
                `client service "${item.service}" is not a service of this file${guess ? `; did you mean "${guess}"?` : "; add it under `services:` or name one that is there"}`);
        });
    });
}

/** tcp, udp, icmp in that order; undefined unless the value is a valid protocol or non-empty list. */
function expandProtocols(value: unknown): ConcreteProtocol[] | undefined {
    const names = typeof value === "string" ? [value] : Array.isArray(value) && value.length > 0 ? value : undefined;
    if (!names || !names.every((n) => typeof n === "string" && (PROTOCOL_NAMES as readonly string[]).includes(n))) return undefined;
    const parsed = names.map((n) => parseProtocol(n)!.protocol);
    return CONCRETE_PROTOCOLS.filter((c) => parsed.some((p) => protocolCovers(p, c)));
}

/**
 * Parses a list of port entries. Entries of the wrong shape were reported by the schema; strings of
 * the right shape ("70000", "2380-2379") are checked here. Undefined if any entry is invalid.
 */
function checkPortList(ctx: Ctx, items: unknown[], at: Seg[]): PortSet | undefined {
    if (items.length === 0) return undefined;
    const ranges: [number, number][] = [];
    let ok = true;
    items.forEach((item, j) => {
        const parsed = parsePortSpec(item);
        const shapeOk = (typeof item === "number" && Number.isInteger(item)) || (typeof item === "string" && /^[0-9]+(-[0-9]+)?$/.test(item));
        if (!shapeOk || "error" in parsed) {
            ok = false;
            if (typeof item === "string" && shapeOk) problemAt(ctx, [...at, j], portMessage(item));
            return;
        }
        for (const r of parsed.ports.intervals) ranges.push([r[0], r[1]]);
    });
    return ok ? IntervalSet.of(portDomain, ranges) : undefined;
}

function checkDuplicateNames(ctx: Ctx, checked: Checked[]): void {
    const seen = new Map<string, { line?: number; name: string }>();
    for (const c of checked) {
        if (c.name === undefined) continue;
        const key = c.name.toLowerCase();
        const first = seen.get(key);
        if (!first) {
            seen.set(key, { line: lineAt(ctx, ["services", c.index]), name: c.name });
            continue;
        }
        const where = first.line !== undefined ? `the service on line ${first.line}` : `an earlier service ("${first.name}")`;
        problemAt(ctx, ["services", c.index, "name"],
            `service name "${c.name}" is already used by ${where}; names must be unique (case-insensitive): rename this one or merge the two entries`);
    }
}

/** Reports every pair of services that document the same port for the same protocol. Sweep per protocol. */
function checkOverlaps(ctx: Ctx, checked: Checked[]): void {
    const pairs = new Map<string, { a: Checked; b: Checked; byProtocol: Map<ConcreteProtocol, [number, number][]> }>();
    for (const p of CONCRETE_PROTOCOLS) {
        const slots: { lo: number; hi: number; c: Checked }[] = [];
        for (const c of checked) {
            for (const [lo, hi] of c.byProtocol?.get(p)?.intervals ?? []) slots.push({ lo, hi, c });
        }
        slots.sort((x, y) => x.lo - y.lo);
        let active: typeof slots = [];
        for (const s of slots) {
            active = active.filter((a) => a.hi >= s.lo);
            for (const a of active) {
                const [first, second] = a.c.index < s.c.index ? [a.c, s.c] : [s.c, a.c];
                const key = `${first.index},${second.index}`;
                const entry = pairs.get(key) ?? { a: first, b: second, byProtocol: new Map() };
                pairs.set(key, entry);
                const list = entry.byProtocol.get(p) ?? [];
                list.push([s.lo, Math.min(s.hi, a.hi)]);
                entry.byProtocol.set(p, list);
            }
            active.push(s);
        }
    }
    for (const { a, b, byProtocol } of pairs.values()) {
        const parts = [...byProtocol].map(([p, ranges]) => {
            if (p === "icmp") return "icmp";
            const set = IntervalSet.of(portDomain, ranges);
            const one = set.intervals.length === 1 && set.intervals[0][0] === set.intervals[0][1];
            return `${p} ${one ? "port" : "ports"} ${formatPorts(set)}`;
        });
        const nameA = a.name !== undefined ? `"${a.name}"` : `services[${a.index}]`;
        const nameB = b.name !== undefined ? `"${b.name}"` : `services[${b.index}]`;
        const lineA = lineAt(ctx, ["services", a.index]);
        const raw = ctx.doc.getIn(["services", b.index, "ports"], true) !== undefined ? "ports" : "protocol";
        problemAt(ctx, ["services", b.index, raw],
            `service ${nameB} overlaps service ${nameA}${lineA !== undefined ? ` (line ${lineA})` : ""}: both document ${parts.join(" and ")}; ` +
            "a port belongs to one service per protocol, so merge the two entries or change the ports or protocol of one");
    }
}

function checkCidrs(ctx: Ctx, value: unknown, at: Seg[]): KnownCidrs {
    const builder = new PeerSetBuilder();
    if (Array.isArray(value)) {
        value.forEach((item, j) => {
            if (typeof item !== "string") return; // reported by the schema
            const message = cidrProblem(item);
            if (message) problemAt(ctx, [...at, j], message);
            else builder.addCidr(parseCidr(item)!);
        });
    }
    const { v4, v6, cidrs } = builder.build();
    // A list that covers a whole address family makes every source "known": the policy would be off.
    for (const [set, family, world] of [[v4, "IPv4", "0.0.0.0/0"], [v6, "IPv6", "::/0"]] as const) {
        if (!set.isFull) continue;
        const what = cidrs.length === 1 ? `"${cidrs[0]}" is` : `${cidrs.join(", ")} together are`;
        problemAt(ctx, at, `${what} all of ${family} (${world}): ${wholeFamilyReason(at)}; list only your own networks`);
    }
    return { v4, v6, texts: cidrs };
}

function wholeFamilyReason(at: readonly Seg[]): string {
    if (at[0] === "knownCidrs") return "every source would count as known, so known-source-cidrs and internal-egress-destinations would check nothing";
    if (at[0] === "tenants") return "this tenant would own every address, so tenant-isolation could not tell tenants apart";
    return "every source would be allowed for this service, so known-source-cidrs would check nothing for it";
}

/** Tenants with unique names and CIDRs that parse and belong to one tenant only. */
function checkTenants(ctx: Ctx, value: unknown): Tenant[] {
    if (!Array.isArray(value)) return [];
    const tenants: Tenant[] = [];
    const names = new Map<string, number>();
    value.forEach((raw, i) => {
        if (!isPlainObject(raw) || typeof raw.name !== "string" || !Array.isArray(raw.cidrs)) return; // schema
        const at: Seg[] = ["tenants", i];
        const line = lineAt(ctx, at) ?? 0;
        const first = names.get(raw.name.toLowerCase());
        if (first !== undefined) {
            problemAt(ctx, [...at, "name"], `tenant name "${raw.name}" is already used by the tenant on line ${first}; names must be unique`);
            return;
        }
        names.set(raw.name.toLowerCase(), line);
        const before = ctx.problems.length;
        const cidrs = checkCidrs(ctx, raw.cidrs, [...at, "cidrs"]);
        if (ctx.problems.length > before) return;
        for (const other of tenants) {
            if (cidrs.v4.overlaps(other.cidrs.v4) || cidrs.v6.overlaps(other.cidrs.v6)) {
                problemAt(ctx, [...at, "cidrs"], `tenant "${raw.name}" shares addresses with tenant "${other.name}" (line ${other.line}); ` +
                    "tenants must not overlap, or isolation between them cannot be checked: split the ranges");
                return;
            }
        }
        tenants.push({ name: raw.name, cidrs, line });
    });
    return tenants;
}

/** Exemptions with a real expiry date and, when the policy names are known, an existing policy. */
function checkExemptions(ctx: Ctx, value: unknown, policyNames?: readonly string[]): Exemption[] {
    if (!Array.isArray(value)) return [];
    const out: Exemption[] = [];
    value.forEach((raw, i) => {
        if (!isPlainObject(raw)) return;
        const at: Seg[] = ["exemptions", i];
        const { policy, resource, reason, expires } = raw;
        if (typeof policy !== "string" || typeof resource !== "string" || typeof reason !== "string") return; // schema
        let ok = true;
        if (policyNames && !policyNames.includes(policy)) {
            const guess = closest(policy, policyNames);
            problemAt(ctx, [...at, "policy"], `"${policy}" is not a policy of this pack (${policyNames.join(", ")})${guess ? `; did you mean "${guess}"?` : ""}`);
            ok = false;
        }
        const text = typeof expires === "string" ? expires : expires instanceof Date && !Number.isNaN(expires.getTime()) ? expires.toISOString().slice(0, 10) : undefined;
        const problem = text === undefined ? "" : dateProblem(text);
        if (problem !== undefined) {
            if (expires !== undefined) {
                problemAt(ctx, [...at, "expires"], problem || `expires must be a date written YYYY-MM-DD, e.g. 2027-03-31, found ${show(expires)}`);
            }
            ok = false;
        }
        if (ok) out.push({ policy, resource, reason, expires: text!, line: lineAt(ctx, at) ?? 0 });
    });
    return out;
}

/**
 * Undefined for a real calendar date written YYYY-MM-DD; "" for another shape (the caller words it);
 * otherwise why the date does not exist. Never throws: Date of "2027-31-03" is an Invalid Date, whose
 * toISOString() throws a RangeError.
 */
function dateProblem(text: string): string | undefined {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!m) return "";
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (month < 1 || month > 12) {
        const swapped = day >= 1 && day <= 12 && month <= 31 ? `; did you mean ${m[1]}-${m[3]}-${m[2]}?` : "";
        return `expires "${text}" has month ${m[2]}, which does not exist (write YYYY-MM-DD)${swapped}`;
    }
    const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (day < 1 || day > days) return `expires "${text}" has day ${m[3]}, but ${m[1]}-${m[2]} has ${days} days`;
    return undefined;
}

/** Undefined for a well-formed CIDR block with no host bits set; otherwise what is wrong and the fix. */
function cidrProblem(item: string): string | undefined {
    const text = item.trim();
    const eg = "write an IPv4 or IPv6 block such as 10.0.0.0/8 or fd00::/8";
    const slash = text.indexOf("/");
    if (slash < 0) {
        const addr = parseCidr(text);
        if (addr && !text.includes("-")) return `"${item}" is an address, not a CIDR block; write "${addr.text}"`;
        if (addr) return `"${item}" is an address range, not a CIDR block; write it as CIDR blocks, e.g. 10.0.0.0/8`;
        return `"${item}" is not a CIDR block; ${eg}`;
    }
    const addrText = text.slice(0, slash);
    const addr = addrText.includes("-") ? undefined : parseCidr(addrText);
    if (!addr) return `"${item}" is not a CIDR block: "${addrText}" is not an IP address; ${eg}`;
    const parsed = parseCidr(text);
    if (!parsed) {
        const bits = addr.family === "v4" ? 32 : 128;
        return `"${item}" is not a CIDR block: the prefix length must be a number from 0 to ${bits} for ${addr.family === "v4" ? "IPv4" : "IPv6"}`;
    }
    if (parsed.range[0] !== addr.range[0]) {
        return `"${item}" has host bits set after the /${text.slice(slash + 1)} prefix; write "${parsed.text}" (or "${addr.text}" for the single address)`;
    }
    return undefined;
}
