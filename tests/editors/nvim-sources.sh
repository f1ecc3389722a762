#!/usr/bin/env bash
# Headless Neovim: go to source from a note into a PDF and an HTML page
# (examples/research-pdf), with Debian's neovim and the real server.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
apt_ensure neovim poppler-utils
server_or_skip
isolate_xdg
export REFNOTES_WS REFNOTES_REPO=$EDITORS_REPO
REFNOTES_WS=$EDITORS_SCRATCH/ws-nvim-sources
rm -rf "$REFNOTES_WS"
mkdir -p "$REFNOTES_WS"
cp -r "$EDITORS_REPO/examples/research-pdf/." "$REFNOTES_WS/"
timeout 120 nvim --headless --clean -n -c "luafile $EDITORS_REPO/tests/editors/nvim/sources.lua"
