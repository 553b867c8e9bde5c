// Removes what the compiler once wrote to dist/ for a source that no longer exists, so a deleted
// test cannot keep running from its old output and a deleted module cannot still be imported.
"use strict";
const fs = require("fs");
const path = require("path");

const OUTPUT = /(\.d\.ts\.map|\.d\.ts|\.js\.map|\.js)$/;

/** Returns the files removed, relative to `root`. Only compiler outputs under `dist` are touched. */
function pruneDist(root, dist = path.join(root, "dist")) {
    const removed = [];
    const walk = (dir) => {
        let entries;
        try {
            entries = fs.readdirSync(dir, { withFileTypes: true });
        } catch {
            return;
        }
        for (const e of entries) {
            const p = path.join(dir, e.name);
            if (e.isDirectory()) {
                walk(p);
                if (fs.readdirSync(p).length === 0) fs.rmdirSync(p);
                continue;
            }
            const m = OUTPUT.exec(e.name);
            if (!m) continue;
            const source = path.join(root, path.relative(dist, dir), e.name.slice(0, -m[1].length));
            if (fs.existsSync(`${source}.ts`) || fs.existsSync(`${source}.js`)) continue;
            fs.rmSync(p);
            removed.push(path.relative(root, p));
        }
    };
    walk(dist);
    return removed;
}

module.exports = { pruneDist };
