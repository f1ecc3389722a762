#!/usr/bin/env bash
# End-to-end test of editors/vscode in real VS Code: packages the .vsix (with the
# server bundled), installs it into code-server 4.100.3 (VS Code 1.100.3), opens the
# example with Debian's Chromium through playwright-core and runs e2e.js, then
# e2e-sources.js on a copy of examples/research-pdf (go to source into a PDF and
# an HTML page).
# Installs what it needs (apt, npm ci); nothing leaves 127.0.0.1 at run time.
# REFNOTES_UPDATE_DOCS=1 copies the hover and diagnostics screenshots into docs/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
here=$EDITORS_REPO/tests/editors/vscode
scratch=$EDITORS_SCRATCH/vscode

# Native build tools for code-server's modules (kerberos needs gssapi.h), ripgrep
# to seed @vscode/ripgrep, the browser, and curl for the health check.
apt_ensure build-essential pkg-config python3 libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev \
    ripgrep chromium curl procps poppler-utils
server_or_skip

mkdir -p "$scratch/tmp"
# VS Code's ipc sockets and npm's scratch files go to os.tmpdir(): keep them here.
export TMPDIR=$scratch/tmp

# 1. code-server and playwright-core, reinstalled only when the lock file changes.
# @vscode/ripgrep's postinstall downloads rg from GitHub, which is unreachable:
# seed its cache (os.tmpdir()/vscode-ripgrep-cache-<version>) with Debian's rg.
cache=$TMPDIR/vscode-ripgrep-cache-1.15.11
mkdir -p "$cache"
(cd "$TMPDIR" && cp /usr/bin/rg rg &&
    tar czf "$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" rg && rm rg)
# unsafe_perm: code-server's postinstall refuses to run as root without it;
# yes: node-pty's postinstall runs `npx node-gyp`.
npm_ci_once "$here" npm_config_unsafe_perm=true npm_config_yes=true

# 2. the extension, packaged with this server inside.
npm_ci_once "$EDITORS_REPO/editors/vscode"
(cd "$EDITORS_REPO/editors/vscode" && REFNOTES_BUNDLE_SERVER=$REFNOTES_BIN npm run --silent package) \
    >"$scratch/package.log" 2>&1 || { tail -30 "$scratch/package.log"; exit 1; }
vsix=$EDITORS_REPO/editors/vscode/refnotes.vsix

# 3. a fresh VS Code profile with the extension installed.
ws=$(fresh_workspace vscode)
export XDG_CONFIG_HOME=$scratch/xdg/config XDG_DATA_HOME=$scratch/xdg/data \
    XDG_CACHE_HOME=$scratch/xdg/cache XDG_STATE_HOME=$scratch/xdg/state
# point the marketplace at a dead local port: no gallery traffic
export EXTENSIONS_GALLERY='{"serviceUrl":"http://127.0.0.1:9/gallery","itemUrl":"http://127.0.0.1:9/item","resourceUrlTemplate":"http://127.0.0.1:9/{publisher}/{name}/{version}/{path}"}'
rm -rf "$scratch/data" "$scratch/extensions" "$scratch/shots"
mkdir -p "$scratch/data/User"
cat >"$scratch/data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "editor.gotoLocation.multipleDefinitions": "goto",
  "editor.hover.delay": 200,
  "window.commandCenter": false,
  "chat.commandCenter.enabled": false,
  "refnotes.trace.server": "messages"
}
JSON
code_server=$here/node_modules/.bin/code-server
common=(--auth none --disable-telemetry --disable-update-check --disable-workspace-trust
    --disable-getting-started-override --user-data-dir "$scratch/data" --extensions-dir "$scratch/extensions")
"$code_server" "${common[@]}" --install-extension "$vsix" --force >"$scratch/install-extension.log" 2>&1 ||
    { cat "$scratch/install-extension.log"; exit 1; }

# 4. code-server on a free loopback port, in its own process group.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
setsid "$code_server" "${common[@]}" --bind-addr "127.0.0.1:$port" "$ws" >"$scratch/code-server.log" 2>&1 &
server_pid=$!
stop_code_server() {
    kill -- "-$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do pgrep -g "$server_pid" >/dev/null || return 0; sleep 0.1; done
    kill -9 -- "-$server_pid" 2>/dev/null || true
}
trap stop_code_server EXIT
for _ in $(seq 1 150); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break
    sleep 0.2
done

# 5. the browser test.
status=0
CS_URL="http://127.0.0.1:$port/?folder=$ws" REFNOTES_WS=$ws SHOTS=$scratch/shots \
    TARGET=$EDITORS_REPO/tests/editors/target.json \
    timeout 300 node "$here/e2e.js" || status=$?
# Go to source into a PDF and an HTML page, on a copy of examples/research-pdf.
sources_ws=$EDITORS_SCRATCH/ws-vscode-sources
rm -rf "$sources_ws"
mkdir -p "$sources_ws"
cp -r "$EDITORS_REPO/examples/research-pdf/." "$sources_ws/"
CS_URL="http://127.0.0.1:$port/?folder=$sources_ws" REFNOTES_WS=$sources_ws SHOTS=$scratch/shots \
    CONVERTED=$XDG_CACHE_HOME/refnotes/converted \
    timeout 300 node "$here/e2e-sources.js" || status=$?
echo "screenshots: $scratch/shots"
if [[ $status -ne 0 ]]; then
    echo "--- extension host log (refnotes) ---"
    find "$scratch/data/logs" -name '*refnotes*' -exec tail -40 {} + 2>/dev/null || true
    exit $status
fi
if [[ ${REFNOTES_UPDATE_DOCS:-0} == 1 ]]; then
    mkdir -p "$EDITORS_REPO/docs"
    cp "$scratch/shots/hover.png" "$EDITORS_REPO/docs/vscode-hover.png"
    cp "$scratch/shots/quickfix.png" "$EDITORS_REPO/docs/vscode-quickfix.png"
    echo "updated docs/vscode-hover.png and docs/vscode-quickfix.png"
fi
