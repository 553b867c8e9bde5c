// The pack's side channel of structured findings (INTERNAL_PORTS_FINDINGS, see the policy kit): a
// file the pack appends one JSON record a line to. Read incrementally, so each Analyze call's records
// can be matched to its diagnostics.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { FindingRecord } from "../policies/kit/findings";
import type { Opening } from "../policies/kit/openings";
import { FINDINGS_FILE_ENV, SideChannelRecord } from "../policies/kit/pulumi";
import type { Diagnostic } from "./types";

export interface OpeningsRecord {
    urn: string;
    name: string;
    type: string;
    openings: Opening[];
}

export class FindingsChannel {
    private offset = 0;

    private constructor(
        readonly file: string,
        private readonly dir: string,
    ) {}

    /** A fresh, empty channel file in a private temporary directory. */
    static create(): FindingsChannel {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "internal-ports-findings-"));
        const file = path.join(dir, "findings.jsonl");
        fs.writeFileSync(file, "");
        return new FindingsChannel(file, dir);
    }

    /** The environment a pack needs to write to this channel. */
    env(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
        return { ...base, [FINDINGS_FILE_ENV]: this.file };
    }

    /** The records written since the last call: findings, and what each firewall opens. */
    read(): { findings: FindingRecord[]; openings: OpeningsRecord[] } {
        const buf = fs.readFileSync(this.file);
        const text = buf.subarray(this.offset).toString("utf8");
        const end = text.lastIndexOf("\n");
        const out = { findings: [] as FindingRecord[], openings: [] as OpeningsRecord[] };
        if (end < 0) return out;
        this.offset += Buffer.byteLength(text.slice(0, end + 1));
        for (const line of text.slice(0, end).split("\n")) {
            if (line === "") continue;
            const { kind, ...record } = JSON.parse(line) as SideChannelRecord;
            if (kind === "finding") out.findings.push(record as FindingRecord);
            else out.openings.push(record as OpeningsRecord);
        }
        return out;
    }

    /**
     * The record behind each diagnostic: same policy, URN and message (advisory messages carry the
     * policy description first, as @pulumi/policy sends string violations). Undefined for a diagnostic
     * the pack's kit did not write (one @pulumi/policy made itself).
     */
    static match(diagnostics: readonly Diagnostic[], records: readonly FindingRecord[]): (FindingRecord | undefined)[] {
        const pool = [...records];
        return diagnostics.map((d) => {
            const i = pool.findIndex(
                (r) =>
                    r.policy === d.policyName &&
                    (r.urn ?? "") === (d.urn ?? "") &&
                    (d.message === r.message || d.message === `${d.description}\n${r.message}`),
            );
            return i < 0 ? undefined : pool.splice(i, 1)[0];
        });
    }

    close(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}
