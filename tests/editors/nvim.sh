#!/usr/bin/env bash
# Headless Neovim test of editors/nvim against the real server (Debian's neovim).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
apt_ensure neovim
server_or_skip
isolate_xdg
export REFNOTES_WS REFNOTES_REPO=$EDITORS_REPO
REFNOTES_WS=$(fresh_workspace nvim)
nvim --version | head -1
timeout 120 nvim --headless --clean -n -c "luafile $EDITORS_REPO/tests/editors/nvim/test.lua"
