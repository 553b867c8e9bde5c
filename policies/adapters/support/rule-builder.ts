// Builds one normalised rule from an adapter's reads, recording unknown, invalid and secret values
// as it goes.
import {
    isWorldWord,
    parseCidr,
    ParsedCidr,
    rangeText,
    PeerSet,
    PeerSetBuilder,
    SymbolicPeer,
    SymbolKind,
    v4Domain,
    v6Domain,
} from "../../model/addresses";
import { ALL_PORTS, IntervalSet, NO_PORTS, PortSet, portRange } from "../../model/intervals";
import { parsePortNumber, parsePortSpec } from "../../model/ports";
import { parseProtocol, Protocol } from "../../model/protocol";
import { Action, Direction, NormalisedRule, RulePart, RuleTerms, Unresolved } from "../../model/rules";
import { Input } from "./input";

export type SymbolReader = (text: string) => SymbolicPeer | undefined;

/** Collects one rule's parts, recording unknown, invalid and secret values as it goes. */
export class RuleBuilder {
    direction: Direction = "inbound";
    action: Action = "allow";
    order?: number;
    protocol: Protocol = "all";
    protocolNumber?: number;
    ports: PortSet = ALL_PORTS;
    stateless = false;
    allocated = false;
    readonly peers = new PeerSetBuilder();
    readonly unresolved: Unresolved[] = [];
    readonly secret = new Set<RulePart>();

    /** The name its author gave the rule (NormalisedRule.label). */
    label?: string;
    /** The provider's words for this rule; left unset, the resource's terms for the rule's direction apply. */
    terms?: RuleTerms;
    /** The rule's own side, where the provider filters on it (NormalisedRule.targets). */
    targets?: PeerSet;

    constructor(readonly origin: string) {}

    private note(part: RulePart, input: Input): boolean {
        if (input.secret) this.secret.add(part);
        if (input.unknown) {
            const key = input.placeholder;
            this.unresolved.push(
                key === undefined
                    ? { part, path: input.path, reason: "unknown" }
                    : { part, path: input.path, reason: "unset-config", detail: key },
            );
            return false;
        }
        return true;
    }

    invalid(part: RulePart, input: Input, detail: string): void {
        this.unresolved.push({ part, path: input.path, reason: "invalid", detail });
    }

    /** A valid value whose meaning this resource does not hold (a Kubernetes named port). */
    unverifiable(part: RulePart, input: Input, detail: string): void {
        if (input.secret) this.secret.add(part);
        this.unresolved.push({ part, path: input.path, reason: "unverifiable", detail });
    }

    /** The rule's own name, for messages: a known, non-secret one in the characters Azure allows (any other is left out). */
    readLabel(input: Input): void {
        if (input.secret) return;
        const s = input.string();
        if (s !== undefined && /^[A-Za-z0-9_.-]{1,80}$/.test(s)) this.label = s;
    }

    /** Reads an enumerated value (direction, action) case-insensitively. */
    readEnum<T>(part: "direction" | "action", input: Input, mapping: Record<string, T>, fallback?: T): T | undefined {
        if (!this.note(part, input)) return undefined;
        if (input.missing && fallback !== undefined) return fallback;
        // Only scalars name a value: String() of a list would read ["inbound"] as inbound, and of an
        // object with its own "toString" key ({ "toString": 1 }, plain JSON) it throws.
        const v = input.value;
        const key =
            typeof v === "string" ? v.trim().toLowerCase() : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
        // Own keys only: "constructor" or "__proto__" must be invalid, not Object.prototype's members.
        if (key !== undefined && Object.prototype.hasOwnProperty.call(mapping, key)) return mapping[key];
        this.invalid(part, input, `must be one of ${Object.keys(mapping).join(", ")}`);
        return undefined;
    }

    readDirection(input: Input, mapping: Record<string, Direction>, fallback?: Direction): void {
        const d = this.readEnum("direction", input, mapping, fallback);
        if (d) this.direction = d;
    }

    readAction(input: Input, mapping: Record<string, Action>, fallback?: Action): void {
        const a = this.readEnum("action", input, mapping, fallback);
        if (a) this.action = a;
    }

    /** A whole-number order; `fallback` is the provider's default when the value is absent (GCP priority 1000). */
    readOrder(input: Input, bounds?: [number, number], fallback?: number): void {
        if (!this.note("order", input)) return;
        if (input.missing && fallback !== undefined) {
            this.order = fallback;
            return;
        }
        const n = parsePortNumber(input.value);
        if (n === undefined) this.invalid("order", input, "is not a whole number");
        else if (bounds && (n < bounds[0] || n > bounds[1])) this.invalid("order", input, `is outside ${bounds[0]}-${bounds[1]}`);
        else this.order = n;
    }

    readProtocol(input: Input, fallback?: Protocol): void {
        if (!this.note("protocol", input)) return;
        if (input.missing && fallback) {
            this.protocol = fallback;
            return;
        }
        const p = parseProtocol(input.value);
        if (!p) {
            this.invalid("protocol", input, "is not a protocol name or number");
            return;
        }
        this.protocol = p.protocol;
        this.protocolNumber = p.number;
    }

    /** Ports apply to tcp and udp; a rule for every protocol may still restrict the tcp/udp ports (Azure `*` with "22"). */
    private get portsApply(): boolean {
        return this.protocol === "tcp" || this.protocol === "udp" || this.protocol === "all";
    }

    /** AWS style from/to numbers; -1 means every port (unless `minusOneMeansAll` is false: a plain inclusive range). */
    readPortPair(from: Input, to: Input, minusOneMeansAll = true): void {
        if (this.protocol !== "tcp" && this.protocol !== "udp") {
            // AWS ignores ports for -1; for icmp they are type and code: record unknowns and secrets only.
            this.note("ports", from);
            this.note("ports", to);
            this.ports = ALL_PORTS;
            return;
        }
        const okFrom = this.note("ports", from);
        const okTo = this.note("ports", to);
        if (!okFrom || !okTo) return;
        const a = parsePortNumber(from.value);
        const b = parsePortNumber(to.value);
        if (a === undefined && b === undefined && from.missing && to.missing) {
            this.invalid("ports", from, "is missing (fromPort and toPort are required for tcp and udp)");
            return;
        }
        if (minusOneMeansAll && a === -1 && (b === -1 || b === undefined)) {
            this.ports = ALL_PORTS;
            return;
        }
        for (const [value, input] of [
            [a, from],
            [b, to],
        ] as const) {
            if (value === undefined || value < 0 || value > 65535) {
                this.invalid("ports", input, value === undefined ? "is not a port number" : "is outside 0-65535");
                return;
            }
        }
        if (a! > b!) {
            // The end is named only when neither bound is secret.
            this.invalid(
                "ports",
                from,
                from.secret || to.secret ? "is after the end of the range" : `is after the end of the range (${b})`,
            );
            return;
        }
        this.ports = portRange(a!, b!);
    }

    /**
     * Port specs ("22", "1000-2000", "*"), one or several; union of all. Empty list means `emptyMeans`.
     * `allPortsWords` are provider spellings of every port beyond the shared wildcards (DigitalOcean "0").
     */
    readPortSpecs(inputs: Input[], emptyMeans: PortSet = NO_PORTS, allPortsWords: readonly string[] = []): void {
        let ports: PortSet = NO_PORTS;
        let seen = 0;
        for (const input of inputs) {
            if (!this.note("ports", input) || input.missing) continue;
            seen++;
            if (
                allPortsWords.length > 0 &&
                (typeof input.value === "string" || typeof input.value === "number") &&
                allPortsWords.includes(String(input.value).trim().toLowerCase())
            ) {
                ports = ALL_PORTS;
                continue;
            }
            const parsed = parsePortSpec(input.value);
            // The reason may quote the value ("start 9 is after its end 5"): not for secrets.
            if ("error" in parsed) this.invalid("ports", input, input.secret ? "is not a valid port or from-to port range" : parsed.error);
            else ports = ports.union(parsed.ports);
        }
        this.ports = this.portsApply ? (seen === 0 ? emptyMeans : ports) : ALL_PORTS;
    }

    /** Peer values: CIDRs, addresses, world words, or provider symbols read by `symbol`. */
    readPeers(inputs: Input[], symbol?: SymbolReader): void {
        for (const input of inputs) {
            if (!this.note("peers", input)) {
                this.peers.markUnknown();
                continue;
            }
            if (input.missing) continue;
            const text = input.string();
            if (text === undefined) {
                this.invalid("peers", input, "is not a string");
                continue;
            }
            if (isWorldWord(text)) {
                this.peers.addWorld(text.trim());
                continue;
            }
            const cidr = parseCidr(text);
            if (cidr) {
                this.peers.addCidr(cidr);
                continue;
            }
            const sym = symbol?.(text.trim());
            if (sym) this.peers.addSymbol(sym);
            else this.invalid("peers", input, "is not an IP address, CIDR block or known source name");
        }
    }

    /** Reads a list input into peers, recording a whole-list unknown or wrong type. */
    readPeerList(list: Input, symbol?: SymbolReader): void {
        const items = list.items();
        if (items === "unknown") {
            this.note("peers", list);
            this.peers.markUnknown();
        } else if (items === "invalid") {
            this.invalid("peers", list, "is not a list");
        } else {
            this.readPeers(items, symbol);
        }
    }

    /**
     * Reads references that are not addresses (security groups, prefix lists). Their kind is known
     * even when the id is not (`sourceSecurityGroupId: alb.id` in preview), and no kind is the world,
     * so an unknown reference is still a named source, not an unverifiable one. With `numbers`,
     * numeric ids (DigitalOcean droplet ids) are references too.
     */
    readSymbolList(list: Input, kind: SymbolKind, idPattern: RegExp, options: { numbers?: boolean } = {}): void {
        const items = list.items();
        if (items === "invalid") {
            this.invalid("peers", list, "is not a list");
            return;
        }
        for (const input of items === "unknown" ? [list] : items) {
            if (input.secret) this.secret.add("peers");
            const property = topProperty(input.path);
            const path = input.path !== property && input.path !== "" ? { path: input.path } : {};
            if (input.unknown) {
                this.peers.addSymbol({ kind, ref: { property, ...path } });
            } else if (!input.missing) {
                const text = input.string() ?? (options.numbers && typeof input.value === "number" ? String(input.value) : undefined);
                if (text === undefined || text.trim() === "") this.invalid("peers", input, "is not a reference");
                else
                    this.peers.addSymbol({
                        kind,
                        id: idPattern.test(text.trim()) && !input.secret ? text.trim() : undefined,
                        ref: { property, ...path, literal: text.trim() },
                    });
            }
        }
    }

    /**
     * One address range given by its first and last address in two inputs (Azure database firewall
     * rules' `startIpAddress` and `endIpAddress`). The range is one set of addresses whether or not it
     * is a CIDR block: it is named as one where it is ("203.0.113.0/24", "0.0.0.0/0"), else "a-b".
     * `family` restricts the addresses to one IP family (the providers take IPv4 only).
     */
    readPeerRange(start: Input, end: Input, family?: "v4" | "v6"): void {
        const okStart = this.note("peers", start);
        const okEnd = this.note("peers", end);
        if (!okStart || !okEnd) {
            this.peers.markUnknown();
            return;
        }
        const read = (input: Input): ParsedCidr | undefined => {
            if (input.missing) return void this.invalid("peers", input, "is missing");
            const text = input.string()?.trim();
            if (text === undefined) return void this.invalid("peers", input, "is not a string");
            // One address: a CIDR or a range in either input is not what these fields take.
            const parsed = /^[0-9a-f:.]+$/i.test(text) ? parseCidr(text) : undefined;
            if (!parsed) return void this.invalid("peers", input, "is not an IP address");
            if (family && parsed.family !== family)
                return void this.invalid("peers", input, `is not an ${family === "v4" ? "IPv4" : "IPv6"} address`);
            return parsed;
        };
        const lo = read(start);
        const hi = read(end);
        if (!lo || !hi) return;
        if (lo.family !== hi.family) {
            this.invalid("peers", end, `is not of the same IP family as ${start.path}`);
            return;
        }
        if (lo.range[0] > hi.range[0]) {
            // The end is named only when neither address is secret.
            this.invalid(
                "peers",
                start,
                start.secret || end.secret ? `is after ${end.path}` : `is after ${end.path} (${hi.text.replace(/\/\d+$/, "")})`,
            );
            return;
        }
        const range = [lo.range[0], hi.range[0]] as const;
        this.peers.addCidr({ family: lo.family, range, text: rangeText(lo.family, range[0], range[1]) });
    }

    /**
     * One address block minus exceptions (Kubernetes `ipBlock.cidr` and `ipBlock.except`), subtracted
     * as interval sets (see PeerSetBuilder.addCidrExcept). An exception that is not inside the block is
     * invalid (the API rejects it) and ignored; an unknown exception leaves the block whole and the
     * peers unknown.
     */
    readPeerBlock(cidr: Input, except: Input): void {
        if (!this.note("peers", cidr)) {
            this.peers.markUnknown();
            return;
        }
        if (cidr.missing) {
            this.invalid("peers", cidr, "is missing");
            return;
        }
        const text = cidr.string();
        const block = text === undefined ? undefined : parseCidr(text);
        if (!block) {
            this.invalid("peers", cidr, text === undefined ? "is not a string" : "is not a CIDR block");
            return;
        }
        const inside = IntervalSet.of(block.family === "v4" ? v4Domain : v6Domain, [block.range]);
        const excepts: ParsedCidr[] = [];
        const items = except.items();
        if (items === "invalid") this.invalid("peers", except, "is not a list");
        for (const input of items === "unknown" ? [except] : items === "invalid" ? [] : items) {
            if (!this.note("peers", input)) {
                this.peers.markUnknown();
                continue;
            }
            if (input.missing) continue;
            const t = input.string();
            const e = t === undefined ? undefined : parseCidr(t);
            if (!e) this.invalid("peers", input, t === undefined ? "is not a string" : "is not a CIDR block");
            else if (e.family !== block.family || !inside.containsSet(IntervalSet.of(inside.domain, [e.range])))
                this.invalid("peers", input, `is not inside ${cidr.path}`);
            else excepts.push(e);
        }
        this.peers.addCidrExcept(block, excepts);
    }

    /**
     * Peers the provider assumes when a rule names none (a GCP ingress rule without a source is
     * 0.0.0.0/0). Parsed like any CIDR; `note` is appended to the text messages show.
     */
    addDefaultPeers(cidrs: readonly string[], note: string): void {
        for (const text of cidrs) {
            const cidr = parseCidr(text);
            if (cidr) this.peers.addCidr({ ...cidr, text: `${cidr.text}, ${note}` });
        }
    }

    build(): NormalisedRule {
        return {
            origin: this.origin,
            direction: this.direction,
            action: this.action,
            order: this.order,
            protocol: this.protocol,
            protocolNumber: this.protocolNumber,
            ports: this.ports,
            peers: this.peers.build(),
            stateless: this.stateless,
            unresolved: this.unresolved,
            secret: this.secret,
            terms: this.terms ?? GENERIC_TERMS,
            allocated: this.allocated,
            // Last: a spread among the properties makes every later one a slow definition (200-rule NSGs, 18 %).
            ...(this.targets ? { targets: this.targets } : {}),
            ...(this.label !== undefined ? { label: this.label } : {}),
        };
    }
}

/** The top-level input property of a path (`ingress` of `ingress[0].securityGroups[1]`): what property dependencies are keyed by. */
function topProperty(path: string): string {
    const m = /^[^.[]+/.exec(path);
    return m ? m[0] : path;
}

/** Terms for rules whose adapter names none (tests build rules directly). */
export const GENERIC_TERMS: RuleTerms = { rule: "rule", peers: "sources", ports: "ports" };
