// The records of a large JSON document, one at a time, as its bytes arrive: the elements of a
// top-level array, or of the "records" array of a top-level object (Azure's flow log blobs,
// `{"records": [...]}`). Each record's bytes go to JSON.parse whole, so memory is one record, not
// the document; a document cut short (Azure writes the hour's blob as it goes) yields every record
// that was complete. A streaming JSON tokenizer library would give the same records at many times
// the cost (an event per token instead of one native parse per record), and would still need the
// cut-short handling below.

export interface JsonRecordSink {
    record(text: string, index: number): void;
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COLON = 58;

export class JsonRecordSplitter {
    private depth = 0;
    private inString = false;
    private escaped = false;
    /** Depth inside the array whose elements are records; 0 until it is found. */
    private target = 0;
    private started = false;
    /** Bytes of the current depth-1 string (an object key, while looking for "records"). */
    private key: number[] | undefined;
    private lastKey = "";
    private parts: Buffer[] = [];
    /** Offset in the current chunk where the current record began, or -1. */
    private recordStart = -1;
    private inRecord = false;
    /** Complete records seen. */
    count = 0;
    /** Something other than JSON structure where the document should be (reported once). */
    problem: string | undefined;

    constructor(private readonly sink: JsonRecordSink) {}

    push(chunk: Buffer): void {
        if (this.inRecord) this.recordStart = 0;
        for (let i = 0; i < chunk.length; i++) {
            const c = chunk[i];
            if (this.inString) {
                if (this.escaped) this.escaped = false;
                else if (c === BACKSLASH) this.escaped = true;
                else if (c === QUOTE) {
                    this.inString = false;
                    if (this.key) {
                        this.lastKey = Buffer.from(this.key).toString("utf8");
                        this.key = undefined;
                    }
                } else if (this.key && this.key.length < 64) this.key.push(c);
                continue;
            }
            if (c === QUOTE) {
                this.inString = true;
                if (this.depth === 1 && this.target === 0) this.key = [];
                continue;
            }
            if (c === OPEN_BRACE || c === OPEN_BRACKET) {
                if (!this.started) {
                    this.started = true;
                    if (c === OPEN_BRACKET) this.target = 1;
                } else if (this.target === 0 && this.depth === 1 && c === OPEN_BRACKET && this.lastKey === "records") {
                    this.target = 2;
                } else if (this.target > 0 && this.depth === this.target && !this.inRecord) {
                    this.inRecord = true;
                    this.recordStart = i;
                }
                this.depth++;
                continue;
            }
            if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
                this.depth--;
                if (this.inRecord && this.depth === this.target) {
                    this.parts.push(chunk.subarray(this.recordStart, i + 1));
                    const text = Buffer.concat(this.parts).toString("utf8");
                    this.parts = [];
                    this.inRecord = false;
                    this.recordStart = -1;
                    this.sink.record(text, this.count++);
                } else if (this.target > 0 && this.depth < this.target) {
                    this.target = -1; // the records array closed; the rest of the document is not read
                }
                continue;
            }
            if (c === COLON || c === 44 || c === 32 || c === 10 || c === 13 || c === 9) continue;
            if (!this.started && this.problem === undefined && !(c === 0xef || c === 0xbb || c === 0xbf))
                this.problem = "it does not start with { or [";
        }
        if (this.inRecord) this.parts.push(Buffer.from(chunk.subarray(this.recordStart)));
    }

    /** Whether the document ended before it closed. */
    get cutShort(): boolean {
        return this.depth > 0 || this.inString;
    }

    /** Whether a records array was found at all. */
    get found(): boolean {
        return this.target !== 0;
    }
}
