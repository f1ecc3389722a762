#!/usr/bin/env bash
# A short run of every fuzz target, for CI: installs cargo-fuzz if missing,
# builds the targets once and runs each for FUZZ_SECONDS (default 20) from
# the seeds in fuzz/seeds plus whatever fuzz/corpus/<target> has gathered.
# A crash fails the run and leaves the input in fuzz/artifacts/<target>.
#
# Stable Rust is enough: RUSTC_BOOTSTRAP=1 lets cargo-fuzz use the unstable
# flags it needs, and --sanitizer none skips AddressSanitizer (the engine is
# safe Rust; what we look for is panics and broken invariants).
#
# Longer runs by hand: FUZZ_SECONDS=600 fuzz/smoke.sh, or
#   RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none <target> fuzz/corpus/<target> fuzz/seeds/common
set -euo pipefail
cd "$(dirname "$0")"

seconds=${FUZZ_SECONDS:-20}
targets=(figures markdown sentences positions quick_fix cached_vs_fresh)

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi
export RUSTC_BOOTSTRAP=1
cargo fuzz build --sanitizer none
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target"
    log=$(mktemp)
    if ! cargo fuzz run --sanitizer none "$target" "corpus/$target" seeds/common -- \
        -max_total_time="$seconds" -max_len=4096 -timeout=10 -print_final_stats=1 >"$log" 2>&1; then
        tail -n 60 "$log"
        echo "fuzz target $target failed"
        exit 1
    fi
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    echo "fuzz $target: $runs executions in ${seconds}s, no crash"
    rm -f "$log"
done
