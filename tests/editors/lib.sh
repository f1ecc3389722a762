# Shared helpers for the editor tests (sourced, not run): idempotent installs,
# the server binary (or a skip that says why), and scratch workspaces. Every
# test installs what it needs itself, so each runs on a fresh machine.

EDITORS_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
EDITORS_SCRATCH=${REFNOTES_EDITORS_SCRATCH:-/tmp/refnotes-editors}
mkdir -p "$EDITORS_SCRATCH"

# Installs the Debian packages that are missing; runs apt-get update once per machine.
apt_ensure() {
    local missing=() package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
            missing+=("$package")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    local sudo=()
    [[ $(id -u) -ne 0 ]] && sudo=(sudo)
    echo "installing ${missing[*]}"
    if [[ ! -e "$EDITORS_SCRATCH/.apt-updated" ]]; then
        "${sudo[@]}" apt-get update -qq
        touch "$EDITORS_SCRATCH/.apt-updated"
    fi
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Sets REFNOTES_BIN to the release server (building it if needed) when it speaks
# LSP; otherwise prints why and exits 0 from the calling test: a skip.
server_or_skip() {
    REFNOTES_BIN=${REFNOTES_BIN:-$EDITORS_REPO/target/release/refnotes}
    if [[ ! -x "$REFNOTES_BIN" ]]; then
        (cd "$EDITORS_REPO" && cargo build --release --locked --quiet)
    fi
    local why
    if ! why=$(python3 "$EDITORS_REPO/tests/editors/probe_server.py" "$REFNOTES_BIN"); then
        echo "SKIP: $REFNOTES_BIN does not serve LSP yet ($why)"
        exit 0
    fi
    export REFNOTES_BIN
}

# Prints the path of a fresh copy of the AWS China example, so tests can edit it.
fresh_workspace() {
    local ws="$EDITORS_SCRATCH/ws-$1"
    rm -rf "$ws"
    mkdir -p "$ws"
    cp -r "$EDITORS_REPO/examples/aws-china/." "$ws/"
    echo "$ws"
}

# Keeps editors' state, logs and caches out of $HOME.
isolate_xdg() {
    export XDG_CONFIG_HOME=$EDITORS_SCRATCH/xdg/config XDG_DATA_HOME=$EDITORS_SCRATCH/xdg/data \
        XDG_CACHE_HOME=$EDITORS_SCRATCH/xdg/cache XDG_STATE_HOME=$EDITORS_SCRATCH/xdg/state
    mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
}

# `npm ci` in a folder, skipped when node_modules already matches its package-lock.json.
# Extra arguments are environment assignments for npm (install-script workarounds).
npm_ci_once() {
    local dir=$1
    shift
    local stamp
    stamp=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
    [[ "$(cat "$dir/node_modules/.refnotes-stamp" 2>/dev/null)" == "$stamp" ]] && return 0
    local log=$EDITORS_SCRATCH/npm-ci-$(basename "$dir").log
    if ! (cd "$dir" && env "$@" npm ci --no-audit --no-fund --loglevel=error) >"$log" 2>&1; then
        tail -50 "$log"
        return 1
    fi
    echo "$stamp" >"$dir/node_modules/.refnotes-stamp"
}
