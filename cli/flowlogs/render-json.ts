// The JSON report, exactly the documented shape (report.ts FlowReport).
import { FlowReport } from "./report";

export function renderJson(report: FlowReport): string {
    return `${JSON.stringify(report, null, 2)}\n`;
}
