#!/usr/bin/env bash
# The slim install of the local check, in this checkout: the TypeScript compiler it transpiles
# programs with (check/, one package) and the pack's runtime dependencies (no provider SDKs, no
# devDependencies); npm's prepare then compiles dist/ with check/'s compiler. The README's CI recipe
# and action.yml use it.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --prefix check --no-audit --no-fund --loglevel=warn
npm ci --omit=dev --no-audit --no-fund --loglevel=warn
test -f dist/cli/main.js
echo "internal-ports: the check is installed in $(pwd) (node dist/cli/main.js check <input>...)"
