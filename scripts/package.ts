// Builds the directory `pulumi policy publish` is run from: the compiled pack, ports.yaml and its
// documentation, and a package.json with runtime dependencies only. The CLI installs a published pack
// with a plain `npm install`, which would install devDependencies (provider SDKs for the examples,
// hundreds of MB) and run `prepare` (a TypeScript build without sources) on every enforced run; the
// trimmed package.json has neither.
import * as fs from "fs";
import * as path from "path";

const root = path.join(__dirname, "..", "..");

/** Paths (relative to the repository) that go into the published pack. */
export const PUBLISHED = [
    "PulumiPolicy.yaml",
    "ports.yaml",
    "PORTS.md",
    "README.md",
    "LICENSE",
    "CHANGELOG.md",
    "config",
    "docs/policies",
    "dist/index.js",
    "dist/index.js.map",
    "dist/ports.snapshot.json",
    "dist/policies",
    "dist/driver",
    "dist/cli",
];

function copy(from: string, to: string): void {
    const stat = fs.statSync(from);
    if (stat.isDirectory()) {
        for (const entry of fs.readdirSync(from)) copy(path.join(from, entry), path.join(to, entry));
        return;
    }
    // Declarations serve TypeScript consumers, not a policy pack; maps stay so stack traces point at the source.
    if (from.endsWith(".d.ts") || from.endsWith(".tsbuildinfo")) return;
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
}

export function buildPublishDir(out: string): void {
    fs.rmSync(out, { recursive: true, force: true });
    for (const p of PUBLISHED) copy(path.join(root, p), path.join(out, p));
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as Record<string, unknown>;
    const trimmed = {
        name: pkg.name,
        version: pkg.version,
        description: pkg.description,
        license: pkg.license,
        homepage: pkg.homepage,
        repository: pkg.repository,
        keywords: pkg.keywords,
        main: pkg.main,
        bin: pkg.bin,
        engines: pkg.engines,
        dependencies: pkg.dependencies,
    };
    fs.writeFileSync(path.join(out, "package.json"), JSON.stringify(trimmed, null, 2) + "\n");
}

if (require.main === module) {
    const out = path.resolve(process.argv[2] ?? path.join(root, "publish"));
    buildPublishDir(out);
    console.log(`Policy pack ready in ${path.relative(process.cwd(), out) || "."}: cd there and run \`pulumi policy publish <org>\`.`);
}
