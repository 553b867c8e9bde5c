// Exemptions from ports.yaml, applied to every policy's findings alike: an active one drops the
// finding (or turns it into a note), an expired one keeps it and says so.
import { exemptionActive, exemptionMatches, Registry } from "../registry";
import { CommonConfig } from "./config";
import { FindingRecord } from "./findings";
import { Emit } from "./run";

/**
 * Applies ports.yaml exemptions to one finding: an active exemption drops it (or, with
 * exemptionNotes, turns it into an advisory note); an expired one keeps it and says so.
 */
export function exempting(policy: string, registry: Registry, config: CommonConfig, now: Date, emit: Emit) {
    return (name: string | undefined, f: FindingRecord) => {
        if (name === undefined || f.urn === undefined) return emit(f);
        const urn = f.urn;
        const matching = registry.exemptions.filter((e) => e.policy === policy && exemptionMatches(e, name, urn));
        const active = matching.find((e) => exemptionActive(e, now));
        if (active) {
            if (config.exemptionNotes) {
                emit({
                    ...f,
                    advisory: true,
                    message: `Exempted by ${registry.fileName}:${active.line} ("${active.reason}") until ${active.expires}:\n${f.message}`,
                    exemption: { line: active.line, expires: active.expires, state: "active" },
                });
            }
            return;
        }
        const expired = [...matching].sort((a, b) => a.expires.localeCompare(b.expires)).pop();
        if (!expired) return emit(f);
        emit({
            ...f,
            message: `${f.message}\nThe exemption for ${name} on ${registry.fileName}:${expired.line} expired on ${expired.expires}.`,
            exemption: { line: expired.line, expires: expired.expires, state: "expired" },
        });
    };
}
