// Plain values to and from the Analyzer protocol's messages, as the engine marshals them: the
// unknown sentinel and secret wrapper, properties as protobuf Structs, enforcement levels and
// severities, resource options and providers, analyzer info and diagnostics.
import type * as analyzerPbT from "@pulumi/pulumi/proto/analyzer_pb";
import type * as structPbT from "google-protobuf/google/protobuf/struct_pb";
import { SECRET_SIG, SECRET_SIG_KEY, UNKNOWN } from "../policies/wire/engine";
import { Runtime } from "./runtime";
import { AnalyzeResult, AnalyzerInfo, Diagnostic, EnforcementLevel, PolicyInfo, ProviderInput, ResourceInput, Severity } from "./types";

// The engine's unknown sentinel and the secret wrapper's key and value, as the pack itself reads them.
export { SECRET_SIG, SECRET_SIG_KEY, UNKNOWN };

/** Wraps a value the way the engine marshals a secret. */
export function secret<T>(value: T): { value: T } & Record<string, unknown> {
    return { [SECRET_SIG_KEY]: SECRET_SIG, value };
}

export function defaultUrn(type: string, name: string): string {
    return `urn:pulumi:stack::project::${type}::${name}`;
}

export function toStruct(rt: Runtime, value: Record<string, unknown> | undefined, what: string): structPbT.Struct {
    // JSON semantics: drop undefined members, reject non-JSON values early with a clear message.
    let json: unknown;
    try {
        json = JSON.parse(JSON.stringify(value ?? {}));
    } catch (e) {
        throw new TypeError(`${what} are not JSON-serializable: ${(e as Error).message}`);
    }
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
        throw new TypeError(`${what} must be a JSON object`);
    }
    return rt.struct.Struct.fromJavaScript(json as Record<string, structPbT.JavaScriptValue>);
}

function levels(pb: typeof analyzerPbT): ReadonlyArray<[EnforcementLevel, analyzerPbT.EnforcementLevel]> {
    return [
        ["advisory", pb.EnforcementLevel.ADVISORY],
        ["mandatory", pb.EnforcementLevel.MANDATORY],
        ["remediate", pb.EnforcementLevel.REMEDIATE],
        ["disabled", pb.EnforcementLevel.DISABLED],
    ];
}

export function levelToProto(pb: typeof analyzerPbT, level: EnforcementLevel): analyzerPbT.EnforcementLevel {
    const found = levels(pb).find(([name]) => name === level);
    if (!found) throw new Error(`unknown enforcement level ${JSON.stringify(level)}`);
    return found[1];
}

function levelFromProto(pb: typeof analyzerPbT, level: analyzerPbT.EnforcementLevel): EnforcementLevel {
    const found = levels(pb).find(([, wire]) => wire === level);
    if (!found) throw new Error(`invalid enforcement level ${level} on the wire`);
    return found[0];
}

function severityFromProto(pb: typeof analyzerPbT, s: analyzerPbT.PolicySeverity): Severity {
    switch (s) {
        case pb.PolicySeverity.POLICY_SEVERITY_LOW:
            return "low";
        case pb.PolicySeverity.POLICY_SEVERITY_MEDIUM:
            return "medium";
        case pb.PolicySeverity.POLICY_SEVERITY_HIGH:
            return "high";
        case pb.PolicySeverity.POLICY_SEVERITY_CRITICAL:
            return "critical";
        default:
            return "unspecified";
    }
}

export function resourceOptions(rt: Runtime, r: ResourceInput): analyzerPbT.AnalyzerResourceOptions {
    const pb = rt.pb;
    const o = r.options ?? {};
    const opts = new pb.AnalyzerResourceOptions();
    opts.setProtect(o.protect ?? false);
    opts.setIgnorechangesList(o.ignoreChanges ?? []);
    if (o.deleteBeforeReplace !== undefined) {
        opts.setDeletebeforereplace(o.deleteBeforeReplace);
        opts.setDeletebeforereplacedefined(true);
    }
    opts.setAdditionalsecretoutputsList(o.additionalSecretOutputs ?? []);
    opts.setAliasesList(o.aliases ?? []);
    const ct = new pb.AnalyzerResourceOptions.CustomTimeouts();
    ct.setCreate(o.customTimeouts?.create ?? 0);
    ct.setUpdate(o.customTimeouts?.update ?? 0);
    ct.setDelete(o.customTimeouts?.delete ?? 0);
    opts.setCustomtimeouts(ct);
    opts.setParent(o.parent ?? r.parent ?? "");
    return opts;
}

export function providerResource(rt: Runtime, p: string | ProviderInput): analyzerPbT.AnalyzerProviderResource {
    const input = typeof p === "string" ? parseProviderRef(p) : p;
    const prov = new rt.pb.AnalyzerProviderResource();
    const urn = input.urn ?? defaultUrn(input.type, input.name);
    prov.setType(input.type);
    prov.setName(input.name);
    prov.setUrn(urn);
    prov.setProperties(toStruct(rt, input.properties, `properties of provider ${urn}`));
    return prov;
}

export function analyzerInfoFrom(pb: typeof analyzerPbT, res: analyzerPbT.AnalyzerInfo): AnalyzerInfo {
    const policies = res.getPoliciesList().map((p) => {
        const out: PolicyInfo = {
            name: p.getName(),
            displayName: p.getDisplayname(),
            description: p.getDescription(),
            enforcementLevel: levelFromProto(pb, p.getEnforcementlevel()),
        };
        if (p.getMessage()) {
            out.message = p.getMessage();
        }
        const schema = p.getConfigschema();
        if (schema) {
            out.configSchema = {
                properties: schema.getProperties()?.toJavaScript() ?? {},
            };
            if (schema.getRequiredList().length > 0) {
                out.configSchema.required = schema.getRequiredList();
            }
        }
        if (p.getSeverity()) {
            out.severity = severityFromProto(pb, p.getSeverity());
        }
        if (p.getRemediationSteps()) {
            out.remediationSteps = p.getRemediationSteps();
        }
        if (p.getUrl()) {
            out.url = p.getUrl();
        }
        if (p.getPolicyType() === pb.PolicyType.POLICY_TYPE_RESOURCE) {
            out.policyType = "resource";
        } else if (p.getPolicyType() === pb.PolicyType.POLICY_TYPE_STACK) {
            out.policyType = "stack";
        }
        if (p.getTagsList().length > 0) {
            out.tags = p.getTagsList();
        }
        return out;
    });
    const initialConfig: Record<string, unknown> = {};
    res.getInitialconfigMap().forEach((v, k) => {
        initialConfig[k] = {
            ...((v.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>),
            enforcementLevel: levelFromProto(pb, v.getEnforcementlevel()),
        };
    });
    const info: AnalyzerInfo = {
        name: res.getName(),
        displayName: res.getDisplayname(),
        version: res.getVersion(),
        supportsConfig: res.getSupportsconfig(),
        policies,
        initialConfig,
    };
    if (res.getDescription()) info.description = res.getDescription();
    if (res.getReadme()) info.readme = res.getReadme();
    if (res.getProvider()) info.provider = res.getProvider();
    if (res.getTagsList().length > 0) info.tags = res.getTagsList();
    if (res.getRepository()) info.repository = res.getRepository();
    return info;
}

export function analyzeResultFrom(
    pb: typeof analyzerPbT,
    res: analyzerPbT.AnalyzeResponse,
    fallbackUrn: string | undefined,
): AnalyzeResult {
    return {
        diagnostics: res.getDiagnosticsList().map((d) => {
            const out: Diagnostic = {
                policyName: d.getPolicyname(),
                policyPackName: d.getPolicypackname(),
                policyPackVersion: d.getPolicypackversion(),
                description: d.getDescription(),
                message: d.getMessage(),
                urn: d.getUrn() || fallbackUrn || "",
                enforcementLevel: levelFromProto(pb, d.getEnforcementlevel()),
            };
            if (d.getSeverity()) {
                out.severity = severityFromProto(pb, d.getSeverity());
            }
            return out;
        }),
        notApplicable: res.getNotApplicableList().map((n) => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
    };
}

/** Parses "urn:pulumi:stack::project::[parent$]type::name[::id]" into a provider description. */
function parseProviderRef(ref: string): ProviderInput {
    const parts = ref.split("::");
    if (parts.length < 4 || !parts[0].startsWith("urn:pulumi:")) {
        throw new TypeError(`provider ${JSON.stringify(ref)} is not a provider URN or reference`);
    }
    const qualifiedType = parts[2];
    const type = qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1);
    return { type, name: parts[3], urn: parts.slice(0, 4).join("::"), properties: {} };
}
