// One policy pack process for the whole check, driven the way the Pulumi CLI drives it (Analyze per
// resource, AnalyzeStack at the end), with the pack's side channel of structured records joined to
// its diagnostics: the reports read those records, never message text.
import { PolicyPackProcess, PolicyPackStartError } from "../driver/analyzer-client";
import { FindingsChannel, OpeningsRecord } from "../driver/findings-channel";
import { Diagnostic } from "../driver/types";
import { FindingRecord } from "../policies/kit/findings";
import { CheckedStack, RegistryEntry, toFindings } from "./report";
import { InputError, LoadedStack, StackResource } from "./types";

const PROGRESS_EVERY = 500;

export interface SessionOptions {
    packDir: string;
    registryFile: string;
    /** Readies a freshly started pack (GetAnalyzerInfo, Configure); what it throws ends the check. */
    configure: (pack: PolicyPackProcess) => Promise<void>;
    /** The ports.yaml entry at a line, for findings about ports.yaml. */
    registryEntry: (line: number) => RegistryEntry;
    progress: (message: string) => void;
}

export class PackSession {
    private pack: PolicyPackProcess | undefined;
    private readonly channel = FindingsChannel.create();
    /**
     * The resources the running pack has analyzed, as JSON, with what it said they open: it writes a
     * firewall's openings once per URN and process, so a later stack with the same URN gets them from
     * here, and one with the same URN but other inputs gets a fresh pack.
     */
    private analyzed = new Map<string, { properties: string; openings?: OpeningsRecord }>();

    constructor(private readonly opts: SessionOptions) {}

    /** Starts (or restarts) the pack; a pack that does not start is an InputError. */
    async start(): Promise<void> {
        await this.pack?.stop();
        this.pack = undefined;
        let pack: PolicyPackProcess;
        try {
            pack = await PolicyPackProcess.start(this.opts.packDir, {
                env: this.channel.env({ ...process.env, INTERNAL_PORTS_REGISTRY: this.opts.registryFile }),
            });
        } catch (e) {
            if (e instanceof PolicyPackStartError) throw new InputError(`the policy pack did not start:\n${e.stderr.trim() || e.message}`);
            throw e;
        }
        this.pack = pack;
        this.analyzed = new Map();
        this.channel.read();
        this.opts.progress(`policy pack started (pid ${pack.pid})`);
        await this.opts.configure(pack);
    }

    /** Analyzes one loaded stack. Throws PolicyPackRpcError when the pack fails on it. */
    async check(s: LoadedStack): Promise<CheckedStack> {
        const json = new Map(s.resources.map((r) => [r.urn, JSON.stringify(r.properties)]));
        const seen = s.resources.find((r) => this.analyzed.has(r.urn) && this.analyzed.get(r.urn)!.properties !== json.get(r.urn));
        if (seen) {
            this.opts.progress(`restarting the policy pack: ${s.input} has ${seen.urn} with other inputs than an earlier input`);
            await this.start();
        }
        const pack = this.pack!;
        const byUrn = new Map<string, StackResource>(s.resources.map((r) => [r.urn, r]));
        const diagnostics: Diagnostic[] = [];
        const records: (FindingRecord | undefined)[] = [];
        const openings = new Map<string, OpeningsRecord>();
        const collect = (ds: Diagnostic[]) => {
            const written = this.channel.read();
            diagnostics.push(...ds);
            records.push(...FindingsChannel.match(ds, written.findings));
            for (const o of written.openings) openings.set(o.urn, o);
        };
        let done = 0;
        for (const r of s.resources) {
            collect(await pack.analyze(r));
            const opened = openings.get(r.urn) ?? this.analyzed.get(r.urn)?.openings;
            if (opened) openings.set(r.urn, opened);
            this.analyzed.set(r.urn, { properties: json.get(r.urn)!, openings: opened });
            if (++done % PROGRESS_EVERY === 0) this.opts.progress(`analyzed ${done}/${s.resources.length} resources of ${s.input}`);
        }
        // As the engine does: AnalyzeStack gets each resource's outputs where the input has them, and the provider resources.
        const all = [...s.resources, ...(s.providers ?? [])];
        collect(await pack.analyzeStack(all.map((r) => (r.outputs ? { ...r, properties: r.outputs } : r))));
        return {
            input: s.input,
            kind: s.kind,
            project: s.project,
            stack: s.stack,
            registryFile: this.opts.registryFile,
            resources: s.resources,
            ...(s.providers ? { providers: s.providers } : {}),
            findings: toFindings(diagnostics, records, byUrn, this.opts.registryEntry),
            openings: s.resources.map((r) => openings.get(r.urn)).filter((o): o is OpeningsRecord => o !== undefined),
            warnings: s.warnings,
        };
    }

    async close(): Promise<void> {
        try {
            await this.pack?.stop();
        } finally {
            this.channel.close();
        }
    }
}
