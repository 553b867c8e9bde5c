// Loaded by mocha before any test (.mocharc.json "require"): every temporary directory a test or a
// process it starts makes goes under one directory of this run, removed when the run ends, so
// repeated runs do not fill the machine's temp space.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "internal-ports-tests-"));
process.env.TMPDIR = root;
process.env.TMP = root;
process.env.TEMP = root;

process.on("exit", () => {
    if (process.env.KEEP_TEST_TMP === "1") return;
    fs.rmSync(root, { recursive: true, force: true });
});
