#!/usr/bin/env bash
# Runs the headless Neovim (Debian's 0.7) test of `refnotes serve`: diagnostics,
# hover and go-to-source through Neovim's built-in LSP client. Installs neovim
# with apt-get when it is missing. Exit 0 on success.
# env: REFNOTES_BIN (default: target/debug/refnotes, built if missing)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
# shellcheck source=../../editors/lib.sh
. "$repo/tests/editors/lib.sh"
apt_ensure neovim
if [ -z "${REFNOTES_BIN:-}" ]; then
    (cd "$repo" && cargo build --quiet --bin refnotes)
    REFNOTES_BIN="$repo/target/debug/refnotes"
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp -r "$repo/tests/fixtures/lsp/basic" "$scratch/ws"
# Keep nvim's log, swap and shada files out of $HOME.
export XDG_CONFIG_HOME="$scratch/xdg/config" XDG_DATA_HOME="$scratch/xdg/data" \
       XDG_CACHE_HOME="$scratch/xdg/cache" XDG_STATE_HOME="$scratch/xdg/state"
export REFNOTES_BIN REFNOTES_WS="$scratch/ws"
timeout 60 nvim --headless --clean -n -c "luafile $here/lsp_test.lua"
