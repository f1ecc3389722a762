#!/bin/sh
# Runs the pytest-lsp tests of `refnotes serve` (a pygls client, messages
# checked against the LSP 3.17 types, with Neovim's and VS Code's capabilities).
# Installs pytest-lsp into a venv under target/ the first time. Exit 0 on success.
# env: REFNOTES_BIN (default: target/debug/refnotes, built if missing)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
venv="$repo/target/clients/pytest-lsp-venv"
if [ ! -x "$venv/bin/pytest" ] || ! "$venv/bin/python" -c 'import pytest_lsp' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'pytest-lsp>=1.0,<2'
fi
if [ -z "${REFNOTES_BIN:-}" ]; then
    (cd "$repo" && cargo build --quiet --bin refnotes)
    REFNOTES_BIN="$repo/target/debug/refnotes"
fi
export REFNOTES_BIN
export REFNOTES_FIXTURE="$repo/tests/fixtures/lsp/basic"
cd "$here" && exec timeout 300 "$venv/bin/pytest" -q -p no:cacheprovider "$@"
