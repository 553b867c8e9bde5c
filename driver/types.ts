// The driver's plain-object view of the Analyzer protocol: what goes in (resources, config, stack
// context) and what comes back (analyzer info, diagnostics), free of protobuf types.

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export type Severity = "low" | "medium" | "high" | "critical" | "unspecified";

export interface Diagnostic {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    description: string;
    message: string;
    /**
     * The URN the pack reported. For `analyze`, when the pack reported none (the usual case for
     * resource policies), this is the URN of the analyzed resource. For `analyzeStack` it is ""
     * unless the policy passed a URN to reportViolation.
     */
    urn: string;
    enforcementLevel: EnforcementLevel;
    /** Omitted when the wire value is 0 (POLICY_SEVERITY_UNSPECIFIED, which is also "not set"). */
    severity?: Severity;
}

export interface PolicyInfo {
    name: string;
    displayName: string;
    description: string;
    enforcementLevel: string;
    message?: string;
    configSchema?: { properties: Record<string, unknown>; required?: string[] };
    severity?: string;
    remediationSteps?: string;
    url?: string;
    /** Extension: "resource" or "stack" (omitted when the pack leaves it unset). */
    policyType?: "resource" | "stack";
    /** Extension: policy tags, when the pack sets any. */
    tags?: string[];
}

export interface AnalyzerInfo {
    name: string;
    displayName: string;
    version: string;
    supportsConfig: boolean;
    policies: PolicyInfo[];
    /**
     * The pack's programmatic initial config (third PolicyPack constructor argument), in
     * PolicyPackConfig shape: `{ [policy]: { enforcementLevel, ...properties } }`. Note that the
     * wire format cannot express "no enforcement level" (proto3 enum default is ADVISORY), so every
     * entry carries one; the CLI treats it as set, and so does `configure`.
     */
    initialConfig: Record<string, unknown>;
    /** Extensions, present only when the pack sets them. */
    description?: string;
    readme?: string;
    provider?: string;
    tags?: string[];
    repository?: string;
}

/** Extension: AnalyzerResourceOptions fields. All optional; defaults match what the engine sends. */
export interface ResourceOptionsInput {
    protect?: boolean;
    ignoreChanges?: string[];
    deleteBeforeReplace?: boolean;
    additionalSecretOutputs?: string[];
    aliases?: string[];
    customTimeouts?: { create?: number; update?: number; delete?: number };
    /** Defaults to ResourceInput.parent. */
    parent?: string;
}

/** Extension: full provider description; a plain string is treated as a provider URN/reference. */
export interface ProviderInput {
    type: string;
    name: string;
    urn?: string;
    properties?: Record<string, unknown>;
}

export interface ResourceInput {
    type: string;
    name: string;
    /** Default: urn:pulumi:stack::project::<type>::<name> */
    urn?: string;
    /**
     * Plain JSON. May contain unknown sentinel strings (UNKNOWN) and secret wrappers
     * ({[SECRET_SIG_KEY]: SECRET_SIG, value}) exactly as the engine sends them. JSON semantics
     * apply: keys whose value is `undefined` are dropped.
     */
    properties: Record<string, unknown>;
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    /**
     * A provider URN (or provider reference "<urn>::<id>"): the type and name are parsed from it and
     * the provider is sent with empty properties. Pass a ProviderInput to send properties.
     */
    provider?: string | ProviderInput;
    /** Extension: resource options (protect, ignoreChanges, ...). */
    options?: ResourceOptionsInput;
}

export type PolicyPackConfig = Record<string, string /* enforcement level */ | ({ enforcementLevel?: string } & Record<string, unknown>)>;

/** A policy's config as it goes on the wire: one PolicyConfig message. */
export interface WirePolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

export interface NotApplicable {
    policyName: string;
    reason: string;
}

export interface AnalyzeResult {
    diagnostics: Diagnostic[];
    notApplicable: NotApplicable[];
}

export interface StartOptions {
    /** Environment of the pack process. Default: process.env (the CLI passes its own environment). */
    env?: NodeJS.ProcessEnv;
    /** Time allowed until the port is printed. Default 30000. */
    startTimeoutMs?: number;
    /**
     * Extension: the engine address passed as the first argument. The Node.js pack never dials it
     * for analysis. Default "127.0.0.1:0".
     */
    engineAddress?: string;
    /**
     * Extension: when true (default), the first analyze/analyzeStack call is preceded by
     * `configure({})` if `configure`/`configureRaw` has not been called, as the CLI always
     * configures a pack before analyzing. Without it, getConfig() returns {} (no schema defaults)
     * and policies run at their declared levels.
     */
    autoConfigure?: boolean;
    /** Extension: deadline for each RPC in ms. Default: none (like the CLI). */
    callTimeoutMs?: number;
}

export interface StackContext {
    stack?: string;
    project?: string;
    organization?: string;
    dryRun?: boolean;
    tags?: Record<string, string>;
    config?: Record<string, string>;
    configSecretKeys?: string[];
}
