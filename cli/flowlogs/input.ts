// The bytes of each input: files, the files under directories (sorted, hidden ones left out) and
// standard input ("-"), gunzipped when they start with gzip's magic bytes (whatever their name),
// handed on in chunks so that no input is ever held whole.
import * as fs from "fs";
import * as path from "path";
import { Readable } from "stream";
import * as zlib from "zlib";
import { GZIP_MAGIC } from "./detect";
import { UnusableInput } from "./record";

export interface Source {
    /** As the user named it (or its path under a directory they named); "-" for standard input. */
    label: string;
    path?: string;
    /** On-disk size, for progress; undefined for standard input. */
    size?: number;
}

const CHUNK = 1 << 20;

/** Every file the inputs name, in order; a missing path is unusable input. */
export function expandInputs(inputs: readonly string[]): Source[] {
    const out: Source[] = [];
    for (const input of inputs) {
        if (input === "-") {
            out.push({ label: "-" });
            continue;
        }
        let stat: fs.Stats;
        try {
            stat = fs.statSync(input);
        } catch (e) {
            const code = (e as NodeJS.ErrnoException).code;
            throw new UnusableInput(
                `${input}: cannot be read (${code === "ENOENT" ? "no such file or directory" : (code ?? (e as Error).message)}); name a flow log file, a directory of them, or - for standard input`,
            );
        }
        if (stat.isDirectory()) {
            const found = walk(input);
            if (found.length === 0) throw new UnusableInput(`${input}: the directory holds no files (hidden ones are left out)`);
            out.push(...found);
        } else {
            out.push({ label: input, path: input, size: stat.size });
        }
    }
    return out;
}

function walk(dir: string): Source[] {
    const out: Source[] = [];
    const names = fs
        .readdirSync(dir)
        .filter((n) => !n.startsWith("."))
        .sort();
    for (const name of names) {
        const p = path.join(dir, name);
        const stat = fs.statSync(p);
        if (stat.isDirectory()) out.push(...walk(p));
        else if (stat.isFile()) out.push({ label: p, path: p, size: stat.size });
    }
    return out;
}

export interface Chunks {
    /** Decompressed bytes, in order. */
    chunks: AsyncIterable<Buffer>;
    /** After the iteration: whether a gzip stream ended early (cut short or corrupt), and why. */
    truncated: () => string | undefined;
}

/**
 * The source's bytes, gunzipped when they start with 1f 8b. `onRaw` is told how many bytes were read
 * from the file or standard input (compressed), for progress.
 */
export function open(source: Source, onRaw: (bytes: number) => void): Chunks {
    const raw: AsyncIterable<Buffer> =
        source.path === undefined ? process.stdin : fs.createReadStream(source.path, { highWaterMark: CHUNK });
    let truncated: string | undefined;
    async function* counted(): AsyncGenerator<Buffer> {
        for await (const chunk of raw) {
            onRaw(chunk.length);
            yield chunk;
        }
    }
    async function* chunks(): AsyncGenerator<Buffer> {
        const it = counted()[Symbol.asyncIterator]();
        let first = await it.next();
        while (!first.done && first.value.length < 2) {
            const next = await it.next();
            if (next.done) break;
            first = { done: false, value: Buffer.concat([first.value, next.value]) };
        }
        if (first.done) return;
        const head = first.value;
        if (head[0] !== GZIP_MAGIC[0] || head[1] !== GZIP_MAGIC[1]) {
            yield head;
            for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
            return;
        }
        async function* rest(): AsyncGenerator<Buffer> {
            yield head;
            for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
        }
        const gunzip = Readable.from(rest()).pipe(zlib.createGunzip({ chunkSize: CHUNK }));
        try {
            for await (const chunk of gunzip) yield chunk as Buffer;
        } catch (e) {
            const err = e as NodeJS.ErrnoException;
            truncated = err.code === "Z_BUF_ERROR" ? "the gzip stream is cut short" : `the gzip stream is corrupt (${err.message})`;
        }
    }
    return { chunks: chunks(), truncated: () => truncated };
}
