// Findings in words, shared by the text and markdown reports: what each kind means and how to fix
// it in the terms of the providers whose logs raised it.
import { FindingKind } from "./aggregate";
import { AWS, AZURE, GCP } from "./record";
import { Finding, FlowReport, RunFacts } from "./report";

export const HEADLINES: Record<FindingKind, string> = {
    "internet-to-internal": "accepted traffic from the internet to a port that is not public",
    "rejected-documented-flow": "rejected traffic from a client the registry allows, to a documented port: packets that should have landed",
    "undocumented-port": "accepted traffic to a port and protocol that ports.yaml does not document",
    "unused-service": "documented services whose ports saw no accepted traffic (a note)",
};

export function portText(f: Finding): string {
    return f.port === null ? f.protocol : `${f.protocol} ${f.port}`;
}

export function serviceText(f: Finding): string {
    return f.service ?? "undocumented";
}

export function bytesText(n: number): string {
    if (n < 1024) return `${n} B`;
    const units = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    let v = n;
    let u = -1;
    while (v >= 1024 && u < units.length - 1) {
        v /= 1024;
        u++;
    }
    return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

export const count = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/** How to fix a finding, in each provider's terms. */
export function fixOf(f: Finding, providers: number): string {
    const port = portText(f);
    const by = (aws: string, azure: string, gcp: string): string => {
        const parts: string[] = [];
        if (providers & AWS) parts.push(`AWS: ${aws}`);
        if (providers & AZURE) parts.push(`Azure: ${azure}`);
        if (providers & GCP) parts.push(`GCP: ${gcp}`);
        return parts.join("; ");
    };
    switch (f.kind) {
        case "internet-to-internal":
            return (
                `${by(
                    `remove the security group or network ACL rule that admits ${f.source} (or 0.0.0.0/0) to ${port} on ${f.destination}`,
                    `remove or narrow the NSG rule that allows Internet, * or ${f.source} to ${port}`,
                    `narrow the source ranges of the VPC firewall rule that allows ${port} to ${f.destination}`,
                )}. ` +
                `If ${f.service ?? "the service"} must face the internet, document it with public: true in ports.yaml and monitor it.`
            );
        case "rejected-documented-flow":
            return (
                `${by(
                    `allow ${port} from ${f.source} in the security group and network ACLs of ${f.where.join(", ") || "the interface"} (a network ACL is stateless: allow the return traffic on ephemeralPorts too)`,
                    `add an NSG rule allowing ${f.source} to ${port}, at a higher priority than ${f.where.join(", ") || "the rule that denied it"}`,
                    `add a VPC firewall rule allowing ${f.source} to ${port} at a higher priority than ${f.where.join(", ") || "the rule that denied it"}`,
                )}. ` +
                `If ${f.source} should not reach ${f.service}, take it out of the service's clients or allowedSources in ports.yaml.`
            );
        case "undocumented-port":
            return f.port === null && !["icmp"].includes(f.protocol)
                ? `Protocol ${f.protocol} has no ports and ports.yaml documents tcp, udp and icmp only: block it in the firewall if nothing should use it.`
                : `Document ${port} in ports.yaml (a service with its owner) if it is meant to be used, or close it in the firewall that admitted it.`;
        case "unused-service":
            return "Remove the service from ports.yaml if it is gone, or look for rejected-documented-flow findings: its traffic may die upstream.";
    }
}

export function summaryLines(report: FlowReport, facts: RunFacts): string[] {
    const lines = [
        `${count(report.records, "record")} read from ${count(facts.files, "file")}` +
            (report.skipped ? `, ${count(report.skipped, "unreadable record")} skipped` : "") +
            `, judged against ${facts.registry}`,
    ];
    if (facts.window) {
        const w = facts.window;
        lines.push(
            `Window: ${w.since ? `from ${w.since}` : ""}${w.since && w.until ? " " : ""}${w.until ? `until ${w.until}` : ""}; ` +
                `${count(facts.judged, "record")} in it, ${count(facts.outside, "record")} outside`,
        );
    }
    if (facts.nodata) lines.push(`${count(facts.nodata, "NODATA record")}: intervals with no traffic on an interface`);
    if (facts.skipdata)
        lines.push(
            `${count(facts.skipdata, "SKIPDATA record")}: AWS could not capture some flows in those intervals, so findings (unused services above all) may be incomplete`,
        );
    return lines;
}
