// A progress line on standard error while large inputs are read: every 64 MiB, at most one a second.
import { count, bytesText } from "./describe";

export const PROGRESS_STEP = 64 * 1024 * 1024;

export class Progress {
    private bytes = 0;
    private next = PROGRESS_STEP;
    private last = 0;
    private readonly started = Date.now();
    printed = 0;

    constructor(
        private readonly write: ((line: string) => void) | undefined,
        private readonly total: number | undefined,
        private readonly records: () => number,
    ) {}

    readonly raw = (n: number): void => {
        this.bytes += n;
        if (this.bytes < this.next || !this.write) return;
        while (this.next <= this.bytes) this.next += PROGRESS_STEP;
        const now = Date.now();
        if (this.printed > 0 && now - this.last < 1000) return;
        this.last = now;
        this.printed++;
        const seconds = Math.max((now - this.started) / 1000, 0.001);
        const of = this.total ? ` of ${bytesText(this.total)} (${Math.min(100, Math.round((100 * this.bytes) / this.total))}%)` : "";
        const rate = this.records() / seconds;
        this.write(
            `flowlogs: ${bytesText(this.bytes)}${of} read, ${count(this.records(), "record")}, ${rate >= 1e6 ? `${(rate / 1e6).toFixed(1)}M` : Math.round(rate).toLocaleString("en")} records/s`,
        );
    };
}
