// The fuzz test's inputs (test/fuzz.test.ts): a seeded PRNG, the seed corpus from the case tables,
// and the mutations. Kept apart so that a failing run can be regenerated and inspected:
//   node -e 'const f=require("./dist/test/fuzz-input"); const g=new f.FuzzInputs(<seed>); for (let i=0;i<<run>;i++) g.next(); console.log(JSON.stringify(g.next().props))'
import * as fs from "fs";
import * as path from "path";
import { requireFile } from "../cli/inputs/load";
import { secret } from "../driver/wire";
import { SECRET_SIG_KEY as SECRET_KEY, UNKNOWN } from "../policies/wire/engine";
import { firewallTypes } from "../policies/adapters";
import { PORT_MAX } from "../policies/model/intervals";
import { mulberry32 } from "../scripts/lib/prng";

const BIG = 10_000;
/** A 10,000-element list copies an element only when it is small: decoding a huge deeply nested Struct is google-protobuf's cost, not the pack's. */
const BIG_ELEMENT_MAX_CHARS = 400;

/** Nor when it is deep: google-protobuf's cost grows with nesting. */
const BIG_ELEMENT_MAX_DEPTH = 4;

function depthOf(v: unknown): number {
    if (v === null || typeof v !== "object") return 0;
    let d = 0;
    for (const x of Object.values(v)) d = Math.max(d, depthOf(x));
    return d + 1;
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

// ---- a tiny seeded PRNG ----------------------------------------------------------------------------

export class Rng {
    readonly next: () => number;
    constructor(seed: number) {
        this.next = mulberry32(seed);
    }
    int(n: number): number {
        return Math.floor(this.next() * n);
    }
    pick<T>(xs: readonly T[]): T {
        return xs[this.int(xs.length)];
    }
    chance(p: number): boolean {
        return this.next() < p;
    }
}

// ---- the seed corpus: props of every case, by type -------------------------------------------------

export interface Seed {
    type: string;
    props: Json;
}

export function loadCorpus(): Seed[] {
    const out: Seed[] = [];
    const visit = (dir: string) => {
        for (const f of fs.readdirSync(dir)) {
            const p = path.join(dir, f);
            if (fs.statSync(p).isDirectory()) visit(p);
            else if (f.endsWith(".cases.js")) {
                const mod = requireFile<Record<string, unknown>>(p);
                const tables = [mod, ...Object.values((mod.cases as Record<string, unknown>) ?? {})] as Record<string, unknown>[];
                for (const t of tables) {
                    for (const c of [...((t.valid as unknown[]) ?? []), ...((t.invalid as unknown[]) ?? [])] as Record<string, unknown>[]) {
                        if (typeof c.type === "string" && c.props && typeof c.props === "object")
                            out.push({ type: c.type, props: toJson(c.props) });
                        for (const r of (c.resources as Record<string, unknown>[]) ?? []) {
                            if (typeof r.type === "string" && r.props && typeof r.props === "object")
                                out.push({ type: r.type, props: toJson(r.props) });
                        }
                    }
                }
            }
        }
    };
    visit(path.join(__dirname, "cases"));
    return out;
}

/** JSON semantics, as the engine sends values: undefined keys dropped. */
function toJson(v: unknown): Json {
    return JSON.parse(JSON.stringify(v)) as Json;
}

// ---- mutation --------------------------------------------------------------------------------------

const PROTOTYPE_WORDS = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"];
const ODD_STRINGS = [
    "",
    " ",
    "0.0.0.0/0",
    "::/0",
    "*",
    "Internet",
    "any",
    "-1",
    "all",
    "tcp",
    "TCP",
    "udp",
    "icmp",
    "6",
    "22",
    " 22 ",
    "22-21",
    "0-65535",
    "1-2-3",
    "65536",
    "-5",
    "1e3",
    "0x16",
    "١٢٣",
    "10.0.0.0/8",
    "10.0.0.0/33",
    "1.2.3.4/0",
    "::ffff:0.0.0.0/96",
    "10.0.0.1-10.0.0.9",
    "sg-0abc",
    "pl-0def",
    "VirtualNetwork",
    "Inbound",
    "Outbound",
    "Allow",
    "Deny",
    "ingress",
    "egress",
    "true",
    "false",
    "null",
    "LoadBalancer",
    "INGRESS",
    "EGRESS",
    "goto_next",
    "deny",
    "allow",
    ...PROTOTYPE_WORDS,
];
const ODD_NUMBERS = [0, -1, 1, 22, 65535, 65536, -65536, 1.5, -0.5, 2 ** 31, 2 ** 53, 1e21, -1e21, 4096, 100, 32766, 32767];

export class Mutator {
    /** Texts and numbers inserted as secrets, for the leak check. */
    readonly secrets: { needle: RegExp; what: string }[] = [];
    private counter = 0;

    constructor(
        private readonly rng: Rng,
        private readonly keys: string[],
    ) {}

    junk(depth = 0): Json {
        const r = this.rng;
        switch (r.int(depth > 2 ? 4 : 7)) {
            case 0:
                return null;
            case 1:
                return r.pick(ODD_STRINGS);
            case 2:
                return r.pick(ODD_NUMBERS);
            case 3:
                return r.chance(0.5);
            case 4:
                return Array.from({ length: r.int(3) }, () => this.junk(depth + 1));
            case 5: // objects, sometimes with own keys named like Object.prototype's members ({ "toString": 1 })
                return Object.fromEntries(
                    Array.from({ length: r.int(3) }, () => [
                        r.chance(0.2) ? r.pick(PROTOTYPE_WORDS) : r.pick(this.keys),
                        this.junk(depth + 1),
                    ]),
                );
            default:
                return UNKNOWN;
        }
    }

    deep(depth: number): Json {
        if (depth === 0) return this.rng.pick(ODD_STRINGS);
        const inner = this.deep(depth - 1);
        return this.rng.chance(0.5) ? [inner] : { [this.rng.pick(this.keys)]: inner };
    }

    /** A distinctive secret value shaped like `like` where possible, recorded for the leak check. */
    secretValue(like: Json): Json {
        const n = ++this.counter;
        const r = this.rng;
        const kind =
            typeof like === "number" || (typeof like === "string" && /^\s*\d+\s*$/.test(like))
                ? "port"
                : typeof like === "string" && /[./:]/.test(like)
                  ? "cidr"
                  : Array.isArray(like) && like.length > 0
                    ? "list"
                    : r.pick(["text", "cidr", "port", "list"]);
        const port = 40000 + ((n * 7919 + r.int(1000)) % 10000);
        const ip = `203.0.113.${100 + (n % 150)}`;
        switch (kind) {
            case "port":
                this.secrets.push({ needle: new RegExp(`(?<![\\d.])${port}(?![\\d.])`), what: `secret port ${port}` });
                return typeof like === "string" ? String(port) : port;
            case "cidr":
                this.secrets.push({ needle: new RegExp(`${ip.replace(/\./g, "\\.")}(?!\\d)`), what: `secret CIDR ${ip}/32` });
                return r.chance(0.7) ? `${ip}/32` : ip;
            case "list":
                this.secrets.push({ needle: new RegExp(`${ip.replace(/\./g, "\\.")}(?!\\d)`), what: `secret CIDR ${ip}/32 in a list` });
                return r.chance(0.5) ? [`${ip}/32`, "0.0.0.0/0"] : [`${ip}/32`];
            default: {
                const text = `S3CRET-${n}`;
                this.secrets.push({ needle: new RegExp(`S3CRET-${n}(?!\\d)`, "i"), what: `secret text ${text}` });
                return text;
            }
        }
    }

    /** Replaces CIDR-like and port-like leaves under `v` with distinctive secret values (no wrappers). */
    secretLeaves(v: Json): Json {
        if (Array.isArray(v)) return v.map((x) => this.secretLeaves(x));
        if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.secretLeaves(x)]));
        if (typeof v === "number" && Number.isInteger(v) && v > 0 && v <= PORT_MAX) return this.secretValue(v);
        if (typeof v === "string" && /^[\d.:/a-f]+$/i.test(v) && /[./:]/.test(v)) return this.secretValue(v);
        return v;
    }

    /** A varied copy for 10,000-element lists: numbers and CIDRs differ per element. */
    vary(v: Json, i: number): Json {
        if (Array.isArray(v)) return v.map((x) => this.vary(x, i));
        if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.vary(x, i)]));
        if (typeof v === "number" && Number.isInteger(v) && v > 0 && v < 65536) return (v + i) % 65536;
        if (typeof v === "string" && /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(v)) return `10.${(i >> 8) & 255}.${i & 255}.${i % 7}/32`;
        return v;
    }

    /** Every (parent, key) in the tree, the root's own keys included. */
    slots(root: Json): { parent: Json[] | { [k: string]: Json }; key: string | number }[] {
        const out: { parent: Json[] | { [k: string]: Json }; key: string | number }[] = [];
        const walk = (v: Json, depth: number) => {
            if (depth > 12 || v === null || typeof v !== "object") return;
            if (Array.isArray(v)) {
                // Long lists: a few elements are enough.
                const idx = v.length > 20 ? [0, 1, v.length - 1] : v.map((_, i) => i);
                for (const i of idx) {
                    out.push({ parent: v, key: i });
                    walk(v[i], depth + 1);
                }
                return;
            }
            if (SECRET_KEY in v) {
                // A secret wrapper is replaced as a whole; only what it wraps is mutated inside.
                walk(v.value, depth + 1);
                return;
            }
            for (const k of Object.keys(v)) {
                out.push({ parent: v, key: k });
                walk(v[k], depth + 1);
            }
        };
        walk(root, 0);
        return out;
    }

    mutate(root: { [k: string]: Json }): void {
        const r = this.rng;
        const slots = this.slots(root);
        const op = r.int(17);
        // Adding a key works on any object, the root included.
        if (op === 0 || slots.length === 0) {
            const objects = [
                root,
                ...slots
                    .map((s) => (s.parent as Record<string, Json>)[s.key as never])
                    .filter((v): v is { [k: string]: Json } => v !== null && typeof v === "object" && !Array.isArray(v)),
            ];
            const target = r.pick(objects);
            const key = r.chance(0.15) ? r.pick(PROTOTYPE_WORDS) : r.chance(0.8) ? r.pick(this.keys) : `k${r.int(1000)}`;
            // An own property even for "__proto__", as JSON.parse would make it.
            Object.defineProperty(target, key, { value: this.junk(), enumerable: true, writable: true, configurable: true });
            return;
        }
        const slot = r.pick(slots);
        const parent = slot.parent as Record<string | number, Json>;
        const current = parent[slot.key];
        const set = (v: Json) => (parent[slot.key] = v);
        switch (op) {
            case 1:
                set(null);
                break;
            case 2:
                if (Array.isArray(parent)) parent.splice(slot.key as number, 1);
                else delete parent[slot.key];
                break;
            case 3:
                set(this.junk());
                break;
            case 4: // strings for numbers and numbers for strings
                if (typeof current === "number") set(r.pick([String(current), ` ${current} `, `${current}.0`, `${current}-${current}`]));
                else if (typeof current === "string" && /^\s*-?\d+\s*$/.test(current)) set(Number(current));
                else set(r.pick(ODD_NUMBERS));
                break;
            case 5: {
                // 10,000 elements
                const proto = Array.isArray(current) && current.length > 0 ? current[0] : current;
                const small = JSON.stringify(proto ?? null).length <= BIG_ELEMENT_MAX_CHARS && depthOf(proto) <= BIG_ELEMENT_MAX_DEPTH;
                set(Array.from({ length: BIG }, (_, i) => (!small || r.chance(0.02) ? this.junk(3) : this.vary(proto, i))));
                break;
            }
            case 6:
                set(r.chance(0.5) ? "x".repeat(5000) : `${"0.0.0.0/0,".repeat(450)}${"9".repeat(500)}`);
                break;
            case 7:
                set(UNKNOWN);
                break;
            case 8:
                set(secret(this.secretValue(current)) as unknown as Json);
                break;
            case 9:
                set(secret(this.secretLeaves(current)) as unknown as Json);
                break;
            case 10:
                set(secret(current) as unknown as Json);
                break; // an ordinary value, kept secret
            case 11:
                set(this.deep(50));
                break; // (a 10,000-element list of these is not made: see BIG_ELEMENT_MAX_CHARS)
            case 12:
                set(r.pick(PROTOTYPE_WORDS));
                break;
            case 13:
                set(Array.isArray(current) ? [...current, ...current] : [current, current]);
                break;
            case 14:
                set(this.secretValue(current));
                break; // not a secret on the wire: must not count
            case 15: {
                // an object whose own keys shadow Object.prototype's members: String() of it throws
                const first: [string, Json] = [r.pick(PROTOTYPE_WORDS), this.junk(2)];
                set(Object.fromEntries(r.chance(0.5) ? [first, [r.pick(PROTOTYPE_WORDS), this.junk(2)]] : [first]));
                break;
            }
            default:
                set(r.pick(ODD_STRINGS));
        }
        if (op === 14) this.secrets.pop();
    }
}

export interface FuzzInput {
    run: number;
    type: string;
    name: string;
    props: { [k: string]: Json };
    /** Secrets inserted on the wire whose text does not also appear among the public values. */
    secrets: { needle: RegExp; what: string }[];
}

/** The stream of inputs for one seed: the same seed gives the same inputs. */
export class FuzzInputs {
    readonly rng: Rng;
    readonly byType = new Map<string, Json[]>();
    private readonly keys: string[];
    private readonly all: Json[];
    private run = 0;

    constructor(seed: number, corpus: Seed[] = loadCorpus()) {
        this.rng = new Rng(seed);
        for (const s of corpus) this.byType.set(s.type, [...(this.byType.get(s.type) ?? []), s.props]);
        const keys = new Set<string>();
        const collect = (v: Json) => {
            if (Array.isArray(v)) v.forEach(collect);
            else if (v !== null && typeof v === "object")
                for (const [k, x] of Object.entries(v)) {
                    keys.add(k);
                    collect(x);
                }
        };
        corpus.forEach((s) => collect(s.props));
        this.keys = [...keys].sort();
        this.all = [...this.byType.values()].flat();
    }

    next(): FuzzInput {
        const rng = this.rng;
        const run = this.run++;
        // Mostly the supported types; sometimes the other types of the case tables (flow logs, subnets:
        // what the stack policies look at), a versioned token, or a type no policy reads.
        const others = [...this.byType.keys()].filter((t) => !firewallTypes.includes(t));
        const type = rng.chance(0.03)
            ? rng.pick(["azure-native:network/v20240301:NetworkSecurityGroup", "aws:s3/bucket:Bucket"])
            : others.length > 0 && rng.chance(0.08)
              ? rng.pick(others)
              : rng.pick(firewallTypes);
        const own = this.byType.get(type) ?? [];
        const base = own.length > 0 && rng.chance(0.9) ? rng.pick(own) : this.all.length > 0 ? rng.pick(this.all) : {};
        const props = structuredClone(base) as { [k: string]: Json };
        const mutator = new Mutator(rng, this.keys);
        const count = 1 + rng.int(4);
        for (let m = 0; m < count; m++) mutator.mutate(props);
        // A needle that also appears in the input's public values cannot be attributed to a secret.
        const publicText = JSON.stringify(props, (_, v: unknown) => (v && typeof v === "object" && SECRET_KEY in v ? null : v));
        const secrets = mutator.secrets.filter((s) => !s.needle.test(publicText));
        return { run, type, name: rng.pick(NAMES), props, secrets };
    }
}

/** Inputs through which the stack policies follow references (standalone rule to group, log to network). */
const REFERENCE_KEYS = [
    "securityGroupId",
    "networkAclId",
    "vpcId",
    "subnetId",
    "networkSecurityGroupName",
    "networkSecurityGroupId",
    "network",
    "targetResourceId",
    "resourceId",
    "groupId",
    "firewallPolicy",
    "eniId",
    "__proto__",
    "constructor",
];

/** Random property dependencies for a batch: to resources of the batch, to itself, to URNs not in the stack. */
export function dependencies(rng: Rng, urns: string[], own: string): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    const count = rng.int(3);
    for (let i = 0; i < count; i++) {
        const targets = Array.from({ length: 1 + rng.int(2) }, () =>
            rng.chance(0.7) ? rng.pick(urns) : rng.chance(0.5) ? own : `urn:pulumi:stack::project::aws:ec2/vpc:Vpc::missing-${rng.int(5)}`,
        );
        Object.defineProperty(out, rng.pick(REFERENCE_KEYS), { value: targets, enumerable: true, writable: true, configurable: true });
    }
    return out;
}

const NAMES = ["r", "bastion", "legacy-db", "web", "db-1"];
