#!/usr/bin/env bash
# Batch Emacs + Eglot test of editors/emacs against the real server (Debian's emacs-nox).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
apt_ensure emacs-nox elpa-eglot elpa-markdown-mode
server_or_skip
isolate_xdg
export REFNOTES_WS REFNOTES_REPO=$EDITORS_REPO
REFNOTES_WS=$(fresh_workspace emacs)
emacs --version | head -1
timeout 120 emacs --batch -l "$EDITORS_REPO/tests/editors/emacs/test.el"
