// Which provider wrote a file, from its first bytes (after gzip): every input is detected on its
// own, so one run can mix AWS, Azure and GCP files.
import { looksLikeAws } from "./aws";

export type InputFormat = "aws" | "azure" | "gcp";
export const INPUT_FORMATS = ["auto", "aws", "azure", "gcp"] as const;

/** How much of a file detection looks at. */
export const DETECT_BYTES = 64 * 1024;

export const GZIP_MAGIC = [0x1f, 0x8b];

/** A format name, or why none fits (for the "unusable input" message). */
export function detectFormat(head: Buffer, complete: boolean, awsFields?: readonly string[]): InputFormat | { problem: string } {
    if (head.length >= 4 && head.toString("latin1", 0, 4) === "PAR1") {
        return {
            problem:
                "it is a Parquet file; deliver the flow log in text format, or convert it first (e.g. with DuckDB: COPY (SELECT * FROM 'file.parquet') TO 'file.log' (DELIMITER ' ', HEADER))",
        };
    }
    let start = 0;
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) start = 3;
    while (start < head.length && (head[start] === 32 || head[start] === 9 || head[start] === 10 || head[start] === 13)) start++;
    if (start >= head.length) return { problem: "it is empty" };
    const text = head.toString("utf8", start);
    if (head[start] === 123 || head[start] === 91) {
        if (/"flowTuples"\s*:/.test(text) || /"(flowRecords|NetworkSecurityGroupFlowEvent|FlowLogFlowEvent)"/.test(text)) return "azure";
        if (/"jsonPayload"\s*:/.test(text)) return "gcp";
        if (!complete && text.length >= DETECT_BYTES - 16)
            return { problem: `its first ${DETECT_BYTES / 1024} KiB are JSON without flowTuples (Azure) or jsonPayload (GCP)` };
        return { problem: "it is JSON but neither Azure flow logs (records with flowTuples) nor GCP log entries (jsonPayload)" };
    }
    const nl = text.indexOf("\n");
    const firstLine = (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, "");
    if (looksLikeAws(firstLine, awsFields)) return "aws";
    // Space-separated with an AWS action or status: a custom format without a header; the reader says how to name its fields.
    if (/^\S+( \S+){5,}$/.test(firstLine) && /(^| )(ACCEPT|REJECT|NODATA|SKIPDATA)( |$)/.test(firstLine)) return "aws";
    const shown = firstLine.length > 100 ? `${firstLine.slice(0, 100)}…` : firstLine;
    return {
        problem: `its first line is not an AWS flow log header or record (${JSON.stringify(shown)}), nor is the file Azure or GCP JSON`,
    };
}
