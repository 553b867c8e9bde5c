// Port specifications as providers and ports.yaml write them: 5432, "5432", "2379-2380", "*", "all".
import { ALL_PORTS, PORT_MAX, PORT_MIN, PortSet, portRange } from "./intervals";

export type PortParse = { ports: PortSet } | { error: string };

const WILDCARDS = new Set(["*", "all", "any"]);

/** A single port number given as a number or a numeric string. */
export function parsePortNumber(value: unknown): number | undefined {
    const n = typeof value === "number" ? value : typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
    return Number.isInteger(n) ? n : undefined;
}

/** One port or an inclusive "from-to" range; wildcards mean every port. */
export function parsePortSpec(value: unknown): PortParse {
    if (typeof value === "string" && WILDCARDS.has(value.trim().toLowerCase())) return { ports: ALL_PORTS };
    const single = parsePortNumber(value);
    if (single !== undefined) return checked(single, single);
    if (typeof value === "string") {
        const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(value);
        if (m) return checked(Number(m[1]), Number(m[2]));
    }
    return { error: "is not a port or a from-to port range" };
}

function checked(from: number, to: number): PortParse {
    if (from < PORT_MIN || to > PORT_MAX) return { error: `is outside ${PORT_MIN}-${PORT_MAX}` };
    if (from > to) return { error: `is a range whose start ${from} is after its end ${to}` };
    return { ports: portRange(from, to) };
}
