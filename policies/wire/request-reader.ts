// Analyze and AnalyzeStack requests read straight from their bytes. @pulumi/policy's server has
// google-protobuf decode a request into message objects, then turns each resource's properties (a
// google.protobuf.Struct) into plain values: on 10,000 resources about 480 ms and most of the
// collector's work, as much as this pack's own checks. Here the bytes are read once into plain
// values behind the generated getters, with google-protobuf's answers: a Struct's keys in sorted
// order, the last of a repeated key, oneof member or message field winning. Whatever this reader
// does not expect (another wire type, malformed bytes, invalid UTF-8) is left to google-protobuf,
// and where the generated classes have getters this one lacks (a newer @pulumi/pulumi) it is not
// used at all. The wire format is read here rather than with protobufjs's Reader, which reads a
// varint longer than five bytes by skipping five bytes unread: google-protobuf reads those
// otherwise, and this reader must answer as it does or not at all.
import { isUtf8 } from "buffer";

const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;

/** A wire feature this reader leaves to google-protobuf. */
class Unexpected extends Error {}

/** The bytes of a request and the read position. */
class Reader {
    pos = 0;
    constructor(readonly buf: Buffer) {}
}

/** A varint of at most 32 bits in at most five bytes; anything longer is google-protobuf's to read. */
function u32(r: Reader, end: number): number {
    const buf = r.buf;
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
        if (r.pos >= end) throw new Unexpected("overrun");
        const b = buf[r.pos++];
        if (shift === 28 && b > 15) throw new Unexpected("varint");
        value |= (b & 127) << shift;
        if (b < 128) return value >>> 0;
    }
    throw new Unexpected("varint");
}

function tagOf(r: Reader, end: number): number {
    const tag = u32(r, end);
    const wire = tag & 7;
    if (tag >>> 3 === 0 || (wire !== VARINT && wire !== I64 && wire !== LEN && wire !== I32)) throw new Unexpected("tag");
    return tag;
}

/** The end of a length-delimited field starting at the reader, inside `end`. */
function endOf(r: Reader, end: number): number {
    const len = u32(r, end);
    if (len > end - r.pos) throw new Unexpected("length");
    return r.pos + len;
}

function closed(r: Reader, end: number): void {
    if (r.pos !== end) throw new Unexpected("overrun");
}

/** Past an unknown field; its varints in at most ten bytes, as google-protobuf reads them. */
function skip(r: Reader, tag: number, end: number): void {
    switch (tag & 7) {
        case VARINT: {
            const from = r.pos;
            while (r.pos < end && r.buf[r.pos] >= 128 && r.pos - from < 9) r.pos++;
            if (r.pos >= end || r.buf[r.pos] >= 128) throw new Unexpected("varint");
            r.pos++;
            return;
        }
        case I64:
            if (end - r.pos < 8) throw new Unexpected("overrun");
            r.pos += 8;
            return;
        case I32:
            if (end - r.pos < 4) throw new Unexpected("overrun");
            r.pos += 4;
            return;
        default:
            r.pos = endOf(r, end);
    }
}

function str(r: Reader, end: number): string {
    const to = endOf(r, end);
    const buf = r.buf;
    const s = buf.toString("utf8", r.pos, to);
    // U+FFFD is either in the text or how Node replaced invalid bytes, which google-protobuf may read otherwise.
    if (s.includes("\uFFFD") && !isUtf8(buf.subarray(r.pos, to))) throw new Unexpected("utf-8");
    r.pos = to;
    return s;
}

/** A one-byte varint (0 or 1 in practice); longer ones google-protobuf reads as 64 bits, this reader not. */
function bool(r: Reader, end: number): boolean {
    if (r.pos >= end) throw new Unexpected("overrun");
    const b = r.buf[r.pos];
    if (b >= 128) throw new Unexpected("bool");
    r.pos++;
    return b !== 0;
}

function double(r: Reader, end: number): number {
    if (end - r.pos < 8) throw new Unexpected("overrun");
    const v = r.buf.readDoubleLE(r.pos);
    r.pos += 8;
    return v;
}

/**
 * How deep Structs and lists may nest here. google-protobuf runs out of stack somewhere past a
 * thousand levels, where this reader would not: deeper than this, it decides.
 */
export const MAX_NESTING = 100;

// google.protobuf.Value: null_value = 1, number_value = 2, string_value = 3, bool_value = 4, struct_value = 5, list_value = 6.
function value(r: Reader, end: number, depth: number): unknown {
    let v: unknown;
    let set = false;
    while (r.pos < end) {
        const tag = tagOf(r, end);
        switch (tag) {
            case (1 << 3) | VARINT:
                // NullValue has one value, 0: a one-byte varint, as for bools.
                bool(r, end);
                v = null;
                break;
            case (2 << 3) | I64:
                v = double(r, end);
                break;
            case (3 << 3) | LEN:
                v = str(r, end);
                break;
            case (4 << 3) | VARINT:
                v = bool(r, end);
                break;
            case (5 << 3) | LEN:
                v = struct(r, endOf(r, end), depth + 1);
                break;
            case (6 << 3) | LEN:
                v = list(r, endOf(r, end), depth + 1);
                break;
            default:
                // A known field with another wire type is google-protobuf's to judge.
                if (tag >>> 3 <= 6) throw new Unexpected("wire type");
                skip(r, tag, end);
                continue;
        }
        set = true;
    }
    closed(r, end);
    // google-protobuf throws for a Value without a kind when the policy reads it, not here.
    if (!set) throw new Unexpected("no kind");
    return v;
}

// google.protobuf.ListValue: repeated Value values = 1.
function list(r: Reader, end: number, depth: number): unknown[] {
    if (depth > MAX_NESTING) throw new Unexpected("nesting");
    const out: unknown[] = [];
    while (r.pos < end) {
        const tag = tagOf(r, end);
        if (tag === ((1 << 3) | LEN)) out.push(value(r, endOf(r, end), depth));
        else if (tag >>> 3 === 1) throw new Unexpected("wire type");
        else skip(r, tag, end);
    }
    closed(r, end);
    return out;
}

/**
 * A map entry's key (1) and message value (2), as google-protobuf reads it: "" without a key,
 * `missing()` without a value, a repeated value merged into the one before (`merge`). google-protobuf
 * reads nothing else in an entry (another field is read as garbage), so anything else is left to it.
 */
function entry<V>(
    r: Reader,
    end: number,
    depth: number,
    read: (r: Reader, end: number, depth: number) => V,
    missing: () => V,
    merge: (a: V, b: V) => V,
): [string, V] {
    let key = "";
    let v: V | undefined;
    let has = false;
    while (r.pos < end) {
        const tag = tagOf(r, end);
        if (tag === ((1 << 3) | LEN)) {
            key = str(r, end);
            // google-protobuf's map keeps its entries in a plain object, where this key is lost.
            if (key === "__proto__") throw new Unexpected("__proto__");
        } else if (tag === ((2 << 3) | LEN)) {
            const next = read(r, endOf(r, end), depth);
            v = has ? merge(v as V, next) : next;
            has = true;
        } else throw new Unexpected("entry field");
    }
    closed(r, end);
    return [key, has ? (v as V) : missing()];
}

/** A Value merged into another: the later kind wins (`value` refuses a Value without one). */
const laterValue = <V>(_a: V, b: V): V => b;

const noValue = (): never => {
    throw new Unexpected("no value");
};

/** Keys in sorted order, the last of a repeated key winning: how google-protobuf's map iterates. */
function sortedEntries<V>(keys: string[], values: V[]): [string[], V[]] {
    let ordered = true;
    for (let i = 1; i < keys.length && ordered; i++) ordered = keys[i - 1] < keys[i];
    if (ordered) return [keys, values];
    const last = new Map<string, V>();
    keys.forEach((k, i) => last.set(k, values[i]));
    const sorted = [...last.keys()].sort();
    return [sorted, sorted.map((k) => last.get(k) as V)];
}

// google.protobuf.Struct: map<string, Value> fields = 1.
function struct(r: Reader, end: number, depth: number): Record<string, unknown> {
    if (depth > MAX_NESTING) throw new Unexpected("nesting");
    let keys: string[] = [];
    let values: unknown[] = [];
    while (r.pos < end) {
        const tag = tagOf(r, end);
        if (tag === ((1 << 3) | LEN)) {
            const [k, v] = entry(r, endOf(r, end), depth, value, noValue, laterValue);
            keys.push(k);
            values.push(v);
        } else if (tag >>> 3 === 1) throw new Unexpected("wire type");
        else skip(r, tag, end);
    }
    closed(r, end);
    [keys, values] = sortedEntries(keys, values);
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) out[keys[i]] = values[i];
    return out;
}

/** A resource's properties: google-protobuf's Struct as @pulumi/policy reads it. Read-only: every policy gets this one value (@pulumi/policy copies it). */
export class PropertiesView {
    constructor(private readonly value: Record<string, unknown>) {}
    toJavaScript(): Record<string, unknown> {
        return this.value;
    }
}

export class PropertyDependenciesView {
    constructor(private readonly urns: string[]) {}
    getUrnsList(): string[] {
        return this.urns;
    }
}

/** google-protobuf's map: entries in key order. */
export class DependencyMapView extends Map<string, PropertyDependenciesView> {
    getLength(): number {
        return this.size;
    }
}

export class CustomTimeoutsView {
    create = 0;
    update = 0;
    delete = 0;
    read = 0;
    getCreate(): number {
        return this.create;
    }
    getUpdate(): number {
        return this.update;
    }
    getDelete(): number {
        return this.delete;
    }
    getRead(): number {
        return this.read;
    }
}

export class OptionsView {
    protect = false;
    ignoreChanges: string[] = [];
    deleteBeforeReplace = false;
    deleteBeforeReplaceDefined = false;
    additionalSecretOutputs: string[] = [];
    aliases: string[] = [];
    customTimeouts: CustomTimeoutsView | undefined = undefined;
    parent = "";
    getProtect(): boolean {
        return this.protect;
    }
    getIgnorechangesList(): string[] {
        return this.ignoreChanges;
    }
    getDeletebeforereplace(): boolean {
        return this.deleteBeforeReplace;
    }
    getDeletebeforereplacedefined(): boolean {
        return this.deleteBeforeReplaceDefined;
    }
    getAdditionalsecretoutputsList(): string[] {
        return this.additionalSecretOutputs;
    }
    getAliasesList(): string[] {
        return this.aliases;
    }
    getCustomtimeouts(): CustomTimeoutsView | undefined {
        return this.customTimeouts;
    }
    hasCustomtimeouts(): boolean {
        return this.customTimeouts !== undefined;
    }
    getParent(): string {
        return this.parent;
    }
}

export class ProviderView {
    type = "";
    properties: PropertiesView | undefined = undefined;
    urn = "";
    name = "";
    getType(): string {
        return this.type;
    }
    getProperties(): PropertiesView | undefined {
        return this.properties;
    }
    hasProperties(): boolean {
        return this.properties !== undefined;
    }
    getUrn(): string {
        return this.urn;
    }
    getName(): string {
        return this.name;
    }
}

export class AnalyzeRequestView extends ProviderView {
    options: OptionsView | undefined = undefined;
    provider: ProviderView | undefined = undefined;
    getOptions(): OptionsView | undefined {
        return this.options;
    }
    hasOptions(): boolean {
        return this.options !== undefined;
    }
    getProvider(): ProviderView | undefined {
        return this.provider;
    }
    hasProvider(): boolean {
        return this.provider !== undefined;
    }
}

export class ResourceView extends AnalyzeRequestView {
    parent = "";
    dependencies: string[] = [];
    propertyDependencies = new DependencyMapView();
    getParent(): string {
        return this.parent;
    }
    getDependenciesList(): string[] {
        return this.dependencies;
    }
    getPropertydependenciesMap(): DependencyMapView {
        return this.propertyDependencies;
    }
}

export class StackRequestView {
    constructor(private readonly resources: ResourceView[]) {}
    getResourcesList(): ResourceView[] {
        return this.resources;
    }
}

function strings(r: Reader, end: number): string[] {
    const out: string[] = [];
    while (r.pos < end) {
        const tag = tagOf(r, end);
        if (tag === ((1 << 3) | LEN)) out.push(str(r, end));
        else if (tag >>> 3 === 1) throw new Unexpected("wire type");
        else skip(r, tag, end);
    }
    closed(r, end);
    return out;
}

/** A proto3 double field: google-protobuf's setter clears a value equal to the default, so -0 reads as 0. */
function proto3Double(r: Reader, end: number): number {
    const v = double(r, end);
    return v === 0 ? 0 : v;
}

function timeouts(r: Reader, end: number): CustomTimeoutsView {
    const t = new CustomTimeoutsView();
    while (r.pos < end) {
        const tag = tagOf(r, end);
        if (tag === ((1 << 3) | I64)) t.create = proto3Double(r, end);
        else if (tag === ((2 << 3) | I64)) t.update = proto3Double(r, end);
        else if (tag === ((3 << 3) | I64)) t.delete = proto3Double(r, end);
        else if (tag === ((4 << 3) | I64)) t.read = proto3Double(r, end);
        else if (tag >>> 3 <= 4) throw new Unexpected("wire type");
        else skip(r, tag, end);
    }
    closed(r, end);
    return t;
}

function options(r: Reader, end: number): OptionsView {
    const o = new OptionsView();
    while (r.pos < end) {
        const tag = tagOf(r, end);
        switch (tag) {
            case (1 << 3) | VARINT:
                o.protect = bool(r, end);
                break;
            case (2 << 3) | LEN:
                o.ignoreChanges.push(str(r, end));
                break;
            case (3 << 3) | VARINT:
                o.deleteBeforeReplace = bool(r, end);
                break;
            case (4 << 3) | VARINT:
                o.deleteBeforeReplaceDefined = bool(r, end);
                break;
            case (5 << 3) | LEN:
                o.additionalSecretOutputs.push(str(r, end));
                break;
            case (6 << 3) | LEN:
                o.aliases.push(str(r, end));
                break;
            case (7 << 3) | LEN:
                o.customTimeouts = timeouts(r, endOf(r, end));
                break;
            case (8 << 3) | LEN:
                o.parent = str(r, end);
                break;
            default:
                if (tag >>> 3 <= 8) throw new Unexpected("wire type");
                skip(r, tag, end);
        }
    }
    closed(r, end);
    return o;
}

/** Fields 1-4, which a provider and a resource share; false for any other field. */
function sharedField(r: Reader, tag: number, end: number, into: ProviderView): boolean {
    switch (tag) {
        case (1 << 3) | LEN:
            into.type = str(r, end);
            return true;
        case (2 << 3) | LEN:
            into.properties = new PropertiesView(struct(r, endOf(r, end), 0));
            return true;
        case (3 << 3) | LEN:
            into.urn = str(r, end);
            return true;
        case (4 << 3) | LEN:
            into.name = str(r, end);
            return true;
        default:
            if (tag >>> 3 >= 1 && tag >>> 3 <= 4) throw new Unexpected("wire type");
            return false;
    }
}

function provider(r: Reader, end: number): ProviderView {
    const p = new ProviderView();
    while (r.pos < end) {
        const tag = tagOf(r, end);
        if (!sharedField(r, tag, end, p)) skip(r, tag, end);
    }
    closed(r, end);
    return p;
}

/** Fields 5 and 6, which an AnalyzeRequest and a stack's resource share; false for any other field. */
function requestField(r: Reader, tag: number, end: number, into: AnalyzeRequestView): boolean {
    if (sharedField(r, tag, end, into)) return true;
    switch (tag) {
        case (5 << 3) | LEN:
            into.options = options(r, endOf(r, end));
            return true;
        case (6 << 3) | LEN:
            into.provider = provider(r, endOf(r, end));
            return true;
        default:
            if (tag >>> 3 === 5 || tag >>> 3 === 6) throw new Unexpected("wire type");
            return false;
    }
}

function resource(r: Reader, end: number): ResourceView {
    const res = new ResourceView();
    const depKeys: string[] = [];
    const depValues: PropertyDependenciesView[] = [];
    while (r.pos < end) {
        const tag = tagOf(r, end);
        if (requestField(r, tag, end, res)) continue;
        switch (tag) {
            case (7 << 3) | LEN:
                res.parent = str(r, end);
                break;
            case (8 << 3) | LEN:
                res.dependencies.push(str(r, end));
                break;
            case (9 << 3) | LEN: {
                const [k, v] = entry(
                    r,
                    endOf(r, end),
                    0,
                    (rr, e) => new PropertyDependenciesView(strings(rr, e)),
                    () => new PropertyDependenciesView([]),
                    (a, b) => new PropertyDependenciesView([...a.getUrnsList(), ...b.getUrnsList()]),
                );
                depKeys.push(k);
                depValues.push(v);
                break;
            }
            default:
                if (tag >>> 3 <= 9) throw new Unexpected("wire type");
                skip(r, tag, end);
        }
    }
    closed(r, end);
    const [keys, values] = sortedEntries(depKeys, depValues);
    for (let i = 0; i < keys.length; i++) res.propertyDependencies.set(keys[i], values[i]);
    return res;
}

/** An AnalyzeStack request, or undefined for bytes this reader leaves to google-protobuf. */
export function readStackRequest(bytes: Buffer): StackRequestView | undefined {
    try {
        const r = new Reader(bytes);
        const resources: ResourceView[] = [];
        const end = bytes.length;
        while (r.pos < end) {
            const tag = tagOf(r, end);
            if (tag === ((1 << 3) | LEN)) resources.push(resource(r, endOf(r, end)));
            else if (tag >>> 3 === 1) throw new Unexpected("wire type");
            else skip(r, tag, end);
        }
        closed(r, end);
        return new StackRequestView(resources);
    } catch {
        return undefined;
    }
}

/** An Analyze request (one resource: fields 1-6 of a stack's resource), or undefined for bytes left to google-protobuf. */
export function readAnalyzeRequest(bytes: Buffer): AnalyzeRequestView | undefined {
    try {
        const r = new Reader(bytes);
        const req = new AnalyzeRequestView();
        const end = bytes.length;
        while (r.pos < end) {
            const tag = tagOf(r, end);
            if (!requestField(r, tag, end, req)) skip(r, tag, end);
        }
        closed(r, end);
        return req;
    } catch {
        return undefined;
    }
}

type Class = { prototype: object };

/** The get and has methods a generated class (or a view) offers. */
export function gettersOf(cls: Class): string[] {
    return Object.getOwnPropertyNames(cls.prototype)
        .filter((n) => /^(get|has)[A-Z]/.test(n))
        .sort();
}

/** The get and has methods of a view class and of the view classes it extends. */
function viewGettersOf(view: Class): string[] {
    const names: string[] = [];
    for (let c = view; c !== Function.prototype; c = Object.getPrototypeOf(c) as Class) names.push(...gettersOf(c));
    return names.sort();
}

/** Whether the views offer exactly the getters of the generated classes @pulumi/policy reads. */
export function viewsMatch(pb: Record<string, unknown>): boolean {
    const cls = (name: string) => pb[name] as (Class & Record<string, unknown>) | undefined;
    const options = cls("AnalyzerResourceOptions");
    const pairs: [Class | undefined, Class][] = [
        [cls("AnalyzeStackRequest"), StackRequestView],
        [cls("AnalyzeRequest"), AnalyzeRequestView],
        [cls("AnalyzerResource"), ResourceView],
        [options, OptionsView],
        [options?.CustomTimeouts as Class | undefined, CustomTimeoutsView],
        [cls("AnalyzerProviderResource"), ProviderView],
        [cls("AnalyzerPropertyDependencies"), PropertyDependenciesView],
    ];
    return pairs.every(([generated, view]) => {
        if (generated === undefined) return false;
        const a = gettersOf(generated);
        const b = viewGettersOf(view);
        return a.length === b.length && a.every((n, i) => n === b[i]);
    });
}

type Deserialize = (bytes: Buffer) => unknown;
interface MethodDefinition {
    requestDeserialize: Deserialize;
    requestType?: unknown;
}

/**
 * The Analyzer service definition with Analyze's and AnalyzeStack's requests read by this file,
 * when `pb` (the generated analyzer_pb module) is the one the service was made with and its
 * classes have the getters the views offer; otherwise the definition as it came. Other methods
 * (Remediate among them, which takes an AnalyzeRequest too) stay as they are.
 */
export function withRequestReaders<S>(service: S, pb: Record<string, unknown>): S {
    const methods = service as Record<string, MethodDefinition | undefined>;
    if (!methods || typeof methods !== "object" || !viewsMatch(pb)) return service;
    const readers: [string, unknown, (bytes: Buffer) => unknown][] = [
        ["analyzeStack", pb.AnalyzeStackRequest, readStackRequest],
        ["analyze", pb.AnalyzeRequest, readAnalyzeRequest],
    ];
    let out: Record<string, MethodDefinition | undefined> | undefined;
    for (const [name, type, read] of readers) {
        const method = methods[name];
        if (!method || typeof method.requestDeserialize !== "function" || method.requestType !== type) continue;
        const original = method.requestDeserialize;
        const requestDeserialize: Deserialize = (bytes) => (Buffer.isBuffer(bytes) && read(bytes)) || original(bytes);
        out = { ...(out ?? methods), [name]: { ...method, requestDeserialize } };
    }
    return (out ?? service) as S;
}
