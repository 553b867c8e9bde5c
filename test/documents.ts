// The JSON documents the tests read, typed with what they read of them: the reports the CLI writes
// (the JSON report's type is its renderer's; SARIF 2.1.0 as cli/format/sarif.ts fills it),
// package.json and package-lock.json. The assertions check the values.
export type { JsonReport } from "../cli/format/json";

export interface PackageJson {
    name: string;
    version: string;
    scripts?: Record<string, string>;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
}

export interface PackageLock {
    /** By path ("" is the root, then node_modules/<name>). */
    packages: Record<string, { version?: string; dev?: boolean }>;
}

export interface SarifLog {
    version: string;
    runs: SarifRun[];
}

export interface SarifRun {
    tool: { driver: { name: string; version: string; rules: SarifRule[] } };
    automationDetails: { id: string };
    originalUriBaseIds?: Record<string, { uri: string }>;
    invocations: {
        executionSuccessful: boolean;
        toolExecutionNotifications: {
            level: string;
            message: { text: string };
            locations?: { physicalLocation: { artifactLocation: SarifArtifact } }[];
        }[];
    }[];
    results: SarifResult[];
}

export interface SarifRule {
    id: string;
    helpUri: string;
    help: { text: string; markdown: string };
    properties: { tags: string[]; "security-severity"?: string };
}

export interface SarifResult {
    ruleId: string;
    ruleIndex?: number;
    level: string;
    message: { text: string };
    locations: {
        physicalLocation: SarifPhysicalLocation;
        logicalLocations?: { fullyQualifiedName: string; name: string; kind: string }[];
    }[];
    relatedLocations?: { id: number; physicalLocation: SarifPhysicalLocation; message: { text: string } }[];
    partialFingerprints: Record<string, string>;
    properties: { enforcementLevel: string; resourceType?: string; rule?: string; messageIds?: string[] };
}

export interface SarifArtifact {
    uri: string;
    uriBaseId?: string;
}

export interface SarifPhysicalLocation {
    artifactLocation: SarifArtifact;
    region: { startLine: number; startColumn?: number };
}
