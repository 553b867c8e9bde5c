// The rules of ports.yaml a JSON Schema cannot express: ranges in order, unique names, no two
// services on one port and protocol, CIDRs that parse and do not cover a whole family, clients that
// name services of the file, tenants apart, exemptions with real dates and existing policies.
import { isPlainObject } from "../base/values";
import { closest } from "../base/text";
import { PeerSetBuilder, parseCidr } from "../model/addresses";
import { ALL_PORTS, IntervalSet, PortSet, formatPorts, portDomain } from "../model/intervals";
import { parsePortSpec } from "../model/ports";
import { CONCRETE_PROTOCOLS, ConcreteProtocol, parseProtocol, protocolCovers } from "../model/protocol";
import { Ctx, lineAt, problemAt, Seg } from "./positions";
import { Exemption, KnownCidrs, Service, ServiceClient, Tenant } from "./registry";
import { PROTOCOL_NAMES } from "./schema";
import { portMessage, show } from "./wording";

interface Checked {
    index: number;
    name?: string;
    /** Per protocol ports, present when the entry's protocol and ports are valid. */
    byProtocol?: Map<ConcreteProtocol, PortSet>;
    /** Present when the whole entry is valid. */
    service?: Service;
}

export function checkService(ctx: Ctx, raw: unknown, i: number): Checked {
    const at: Seg[] = ["services", i];
    const out: Checked = { index: i };
    if (!isPlainObject(raw)) return out;
    const nameOk = typeof raw.name === "string" && /^[a-z0-9][a-z0-9._-]*$/.test(raw.name) && raw.name.length <= 63;
    if (typeof raw.name === "string") out.name = raw.name;

    const protocols = expandProtocols(raw.protocol);
    const ports = Array.isArray(raw.ports) ? checkPortList(ctx, raw.ports, [...at, "ports"]) : undefined;
    const icmpOnly = protocols !== undefined && protocols.length === 1 && protocols[0] === "icmp";
    if (icmpOnly && raw.ports !== undefined) {
        problemAt(
            ctx,
            [...at, "ports"],
            "ports do not apply to icmp: an icmp service covers all ICMP types; remove `ports`, or add tcp/udp to protocol if the service also uses ports",
        );
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
export function checkClientServices(ctx: Ctx, services: unknown[], checked: Checked[]): void {
    const names = checked.map((c) => c.name).filter((n): n is string => n !== undefined);
    services.forEach((raw, i) => {
        if (!isPlainObject(raw) || !Array.isArray(raw.clients)) return;
        raw.clients.forEach((item, j) => {
            if (!isPlainObject(item) || typeof item.service !== "string" || item.service.length === 0 || names.includes(item.service))
                return;
            const guess = closest(item.service, names);
            problemAt(
                ctx,
                ["services", i, "clients", j, "service"],
                `client service "${item.service}" is not a service of this file${guess ? `; did you mean "${guess}"?` : "; add it under `services:` or name one that is there"}`,
            );
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
export function checkPortList(ctx: Ctx, items: unknown[], at: Seg[]): PortSet | undefined {
    if (items.length === 0) return undefined;
    const ranges: [number, number][] = [];
    let ok = true;
    items.forEach((item, j) => {
        const parsed = parsePortSpec(item);
        const shapeOk =
            (typeof item === "number" && Number.isInteger(item)) || (typeof item === "string" && /^[0-9]+(-[0-9]+)?$/.test(item));
        if (!shapeOk || "error" in parsed) {
            ok = false;
            if (typeof item === "string" && shapeOk) problemAt(ctx, [...at, j], portMessage(item));
            return;
        }
        for (const r of parsed.ports.intervals) ranges.push([r[0], r[1]]);
    });
    return ok ? IntervalSet.of(portDomain, ranges) : undefined;
}

export function checkDuplicateNames(ctx: Ctx, checked: Checked[]): void {
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
        problemAt(
            ctx,
            ["services", c.index, "name"],
            `service name "${c.name}" is already used by ${where}; names must be unique (case-insensitive): rename this one or merge the two entries`,
        );
    }
}

/** Reports every pair of services that document the same port for the same protocol. Sweep per protocol. */
export function checkOverlaps(ctx: Ctx, checked: Checked[]): void {
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
                const entry = pairs.get(key) ?? { a: first, b: second, byProtocol: new Map<ConcreteProtocol, [number, number][]>() };
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
        problemAt(
            ctx,
            ["services", b.index, raw],
            `service ${nameB} overlaps service ${nameA}${lineA !== undefined ? ` (line ${lineA})` : ""}: both document ${parts.join(" and ")}; ` +
                "a port belongs to one service per protocol, so merge the two entries or change the ports or protocol of one",
        );
    }
}

export function checkCidrs(ctx: Ctx, value: unknown, at: Seg[]): KnownCidrs {
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
    for (const [set, family, world] of [
        [v4, "IPv4", "0.0.0.0/0"],
        [v6, "IPv6", "::/0"],
    ] as const) {
        if (!set.isFull) continue;
        const what = cidrs.length === 1 ? `"${cidrs[0]}" is` : `${cidrs.join(", ")} together are`;
        problemAt(ctx, at, `${what} all of ${family} (${world}): ${wholeFamilyReason(at)}; list only your own networks`);
    }
    return { v4, v6, texts: cidrs };
}

function wholeFamilyReason(at: readonly Seg[]): string {
    if (at[0] === "knownCidrs")
        return "every source would count as known, so known-source-cidrs and internal-egress-destinations would check nothing";
    if (at[0] === "tenants") return "this tenant would own every address, so tenant-isolation could not tell tenants apart";
    return "every source would be allowed for this service, so known-source-cidrs would check nothing for it";
}

/** Tenants with unique names and CIDRs that parse and belong to one tenant only. */
export function checkTenants(ctx: Ctx, value: unknown): Tenant[] {
    if (!Array.isArray(value)) return [];
    const tenants: Tenant[] = [];
    const names = new Map<string, number>();
    value.forEach((raw, i) => {
        if (!isPlainObject(raw) || typeof raw.name !== "string" || !Array.isArray(raw.cidrs)) return; // schema
        const at: Seg[] = ["tenants", i];
        const line = lineAt(ctx, at) ?? 0;
        const first = names.get(raw.name.toLowerCase());
        if (first !== undefined) {
            problemAt(
                ctx,
                [...at, "name"],
                `tenant name "${raw.name}" is already used by the tenant on line ${first}; names must be unique`,
            );
            return;
        }
        names.set(raw.name.toLowerCase(), line);
        const before = ctx.problems.length;
        const cidrs = checkCidrs(ctx, raw.cidrs, [...at, "cidrs"]);
        if (ctx.problems.length > before) return;
        for (const other of tenants) {
            if (cidrs.v4.overlaps(other.cidrs.v4) || cidrs.v6.overlaps(other.cidrs.v6)) {
                problemAt(
                    ctx,
                    [...at, "cidrs"],
                    `tenant "${raw.name}" shares addresses with tenant "${other.name}" (line ${other.line}); ` +
                        "tenants must not overlap, or isolation between them cannot be checked: split the ranges",
                );
                return;
            }
        }
        tenants.push({ name: raw.name, cidrs, line });
    });
    return tenants;
}

/** Exemptions with a real expiry date and, when the policy names are known, an existing policy. */
export function checkExemptions(ctx: Ctx, value: unknown, policyNames?: readonly string[]): Exemption[] {
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
            problemAt(
                ctx,
                [...at, "policy"],
                `"${policy}" is not a policy of this pack (${policyNames.join(", ")})${guess ? `; did you mean "${guess}"?` : ""}`,
            );
            ok = false;
        }
        const text =
            typeof expires === "string"
                ? expires
                : expires instanceof Date && !Number.isNaN(expires.getTime())
                  ? expires.toISOString().slice(0, 10)
                  : undefined;
        const problem = text === undefined ? "" : dateProblem(text);
        if (problem !== undefined) {
            if (expires !== undefined) {
                problemAt(
                    ctx,
                    [...at, "expires"],
                    problem || `expires must be a date written YYYY-MM-DD, e.g. 2027-03-31, found ${show(expires)}`,
                );
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
