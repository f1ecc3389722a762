#!/usr/bin/env bash
# Builds the VS Code extension: type-check and unit tests (npm test), then the
# esbuild bundle and the .vsix (npm run package), with the server bundled when
# target/release/refnotes exists.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
dir=$EDITORS_REPO/editors/vscode
npm_ci_once "$dir"
cd "$dir"
npm test 2>&1 | grep -v '^npm warn Unknown'
rm -f refnotes.vsix
log=$EDITORS_SCRATCH/package.log
npm run --silent package >"$log" 2>&1 || { cat "$log"; exit 1; }
grep -E 'bundle-server|DONE' "$log"
test -s refnotes.vsix
