// Reading ports.yaml, all or nothing: parsed with positions kept, checked against the JSON Schema
// (by a validator generated ahead of time) and then against the rules a schema cannot express.
// Every problem is collected with its line and reported in one RegistryError; a half-read registry
// is never returned.
import * as fs from "fs";
import * as path from "path";
import type { ValidateFunction } from "ajv";
import { isPlainObject } from "../base/values";
import { ConcreteProtocol } from "../model/protocol";
import {
    checkCidrs,
    checkClientServices,
    checkDuplicateNames,
    checkExemptions,
    checkOverlaps,
    checkPortList,
    checkService,
    checkTenants,
} from "./checks";
import { addProblem, Ctx, yaml } from "./positions";
import { RegistryError } from "./problems";
import { DEFAULT_EPHEMERAL_PORTS, Registry } from "./registry";
// Generated from schema.ts (npm run registry-validator): compiling the schema at start-up, and
// loading ajv's compiler to do it, cost every preview tens of milliseconds.
import generatedValidator from "./validator";
import { schemaProblems, yamlProblem } from "./wording";

export interface LoadOptions extends RegistryOptions {
    /** A registry already worked out for exactly this text (the build-time snapshot), if there is one. */
    prepared?: (text: string) => Registry | undefined;
}

export function loadRegistry(file: string, options: LoadOptions = {}): Registry {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        const reason = osReason(err);
        throw new RegistryError(
            file,
            [
                {
                    path: "",
                    message: `cannot read ${file}: ${reason}; create the file (start from the ports.yaml shipped with the policy pack) or fix its path`,
                },
            ],
            `${path.basename(file) || file} cannot be read; the policy pack cannot start:`,
        );
    }
    return options.prepared?.(text) ?? parseRegistry(text, file, options);
}

function osReason(err: unknown): string {
    const e = err as NodeJS.ErrnoException;
    if (e && typeof e.message === "string") {
        // "ENOENT: no such file or directory, open '/x/ports.yaml'" -> "no such file or directory (ENOENT)"
        const m = /^([A-Z0-9]+): ([^,]+)/.exec(e.message);
        if (m) return `${m[2]} (${m[1]})`;
        return e.code ? `${e.message} (${e.code})` : e.message;
    }
    return String(err);
}

const validateRegistry = generatedValidator as unknown as ValidateFunction;

export interface RegistryOptions {
    /** Policy names exemptions may name; unchecked when absent. */
    policyNames?: readonly string[];
}

export function parseRegistry(text: string, label: string, options: RegistryOptions = {}): Registry {
    const { LineCounter, parseDocument } = yaml();
    const lc = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
    const ctx: Ctx = { doc, lc, problems: [], offsets: new Map() };
    const fail = (): never => {
        ctx.problems.sort((a, b) => ctx.offsets.get(a)! - ctx.offsets.get(b)!);
        throw new RegistryError(label, ctx.problems);
    };

    // 1. YAML syntax. A document with syntax errors is not validated further: its tree is a guess.
    if (doc.errors.length > 0) {
        for (const e of doc.errors) addProblem(ctx, yamlProblem(ctx, e), e.pos[0]);
        fail();
    }
    let data: unknown;
    try {
        data = doc.toJS();
    } catch (e) {
        addProblem(ctx, { path: "", message: `the YAML cannot be read: ${(e as Error).message}` }, 0);
        fail();
    }
    if (data === null || data === undefined) {
        addProblem(
            ctx,
            {
                path: "(top level)",
                message:
                    "the file is empty; it must be a mapping with a `services:` list and `knownCidrs:` (see the ports.yaml shipped with the policy pack)",
            },
            0,
        );
        fail();
    }

    // 2. Shape, against the JSON Schema.
    if (!validateRegistry(data)) schemaProblems(ctx, data, validateRegistry.errors ?? []);

    // 3. What the schema cannot say.
    const root = isPlainObject(data) ? data : {};
    const services = Array.isArray(root.services) ? root.services : [];
    const checked = services.map((raw, i) => checkService(ctx, raw, i));
    checkDuplicateNames(ctx, checked);
    checkClientServices(ctx, services, checked);
    checkOverlaps(ctx, checked);
    const knownCidrs = checkCidrs(ctx, root.knownCidrs, ["knownCidrs"]);
    const ephemeral = Array.isArray(root.ephemeralPorts) ? checkPortList(ctx, root.ephemeralPorts, ["ephemeralPorts"]) : undefined;
    const tenants = checkTenants(ctx, root.tenants);
    const exemptions = checkExemptions(ctx, root.exemptions, options.policyNames);

    if (ctx.problems.length > 0) fail();
    const built = checked.map((c) => c.service);
    if (built.some((s) => s === undefined)) throw new Error("internal error: a service entry was neither accepted nor reported");

    return new Registry({
        file: label,
        services: built.map((s) => Object.freeze({ ...s!, protocols: Object.freeze(s!.protocols) as ConcreteProtocol[] })),
        knownCidrs,
        ephemeralPorts: root.ephemeralPorts === undefined ? DEFAULT_EPHEMERAL_PORTS : ephemeral,
        tenantTag: typeof root.tenantTag === "string" ? root.tenantTag : undefined,
        serviceTag: typeof root.serviceTag === "string" ? root.serviceTag : undefined,
        tenants,
        exemptions,
    });
}
