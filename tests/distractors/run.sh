#!/usr/bin/env bash
# Distractor test (issue 7): every eval case is scored twice, once as it is
# and once with a corpus that also holds all the other cases' sources and
# 2,000+ generated near-miss documents (tests/distractors/generate.py). A
# checker whose findings depend on how many unrelated documents the corpus
# holds loses precision or recall in the second run. Prints both totals side
# by side and exits non-zero when precision or recall is lower with the
# distractors than without.
#
# usage: tests/distractors/run.sh [--bin PATH] [--count N] [--seed S] [--keep]
#                                 [--report-only] [CASE_DIR...]
# Without case folders: the shared dev cases, the bundled example and
# tests/fixtures/eval/*. --keep leaves the built cases in the temporary folder
# (its path is printed) so a finding can be looked into. --report-only prints
# the comparison but exits 0 when the distractors lower the scores (a checker
# that fails to run still fails).
set -euo pipefail

cd "$(dirname "$0")/../.."

bin=target/release/refnotes
count=2100
seed=7
keep=
report_only=
cases=()
while (($#)); do
    case $1 in
        --bin) bin=$2; shift 2 ;;
        --count) count=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        --report-only) report_only=1; shift ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
        *) cases+=("$1"); shift ;;
    esac
done

score=../shared/eval/score
if [[ ! -e "$score" ]]; then
    if [[ -n "${CI:-}" ]]; then
        echo "run.sh: $score not found (the shared eval data is needed in CI)" >&2
        exit 1
    fi
    echo "skipped: $score not found"
    exit 0
fi
if [[ ! -x "$bin" ]]; then
    echo "run.sh: $bin not found; build it with cargo build --release" >&2
    exit 2
fi

if ((${#cases[@]} == 0)); then
    for c in ../shared/eval/dev/* examples/aws-china tests/fixtures/eval/*; do
        [[ -e "$c/case.json" ]] && cases+=("$c")
    done
fi

tmp=$(mktemp -d)
if [[ -n "$keep" ]]; then
    echo "keeping the built cases in $tmp/cases"
else
    trap 'rm -rf "$tmp"' EXIT
fi

python3 tests/distractors/generate.py --out "$tmp/distractors" --count "$count" \
    --seed "$seed" "${cases[@]}"

# The corpus folder a case.json names, resolved.
corpus_of() {
    python3 -c 'import json, pathlib, sys
case = pathlib.Path(sys.argv[1])
print((case / json.loads((case / "case.json").read_text())["corpus"]).resolve())' "$1"
}

# Every source file of a corpus (a folder or a single file), relative to it.
corpus_files() {
    if [[ -f "$1" ]]; then
        basename "$1"
    else
        (cd "$1" && find . -type f \( -name '*.txt' -o -name '*.md' -o -name '*.markdown' \) \
            -not -path '*/.*' | sed 's|^\./||' | LC_ALL=C sort)
    fi
}

corpora=()
for c in "${cases[@]}"; do
    corpora+=("$(corpus_of "$c")")
done

# Each case gets a folder of its own (two cases may share a name) with the
# same notes, expectations and config, and a corpus that copies (the loader
# does not follow symlinks) its own sources under their own names, the other
# cases' sources under zz-other-<n>-<case>- names that no citation key in the
# notes can match, and the distractors.
distracted=()
for i in "${!cases[@]}"; do
    case_dir=${cases[$i]}
    name=$(basename "$case_dir")
    dest="$tmp/cases/$i/$name"
    mkdir -p "$dest/corpus"
    cp "$case_dir"/*.md "$case_dir"/*.expect.json "$dest/"
    [[ -f "$case_dir/refnotes.toml" ]] && cp "$case_dir/refnotes.toml" "$dest/"
    echo '{"corpus": "corpus"}' >"$dest/case.json"
    own=${corpora[$i]}
    while IFS= read -r rel; do
        mkdir -p "$(dirname "$dest/corpus/$rel")"
        if [[ -f "$own" ]]; then cp "$own" "$dest/corpus/$rel"; else cp "$own/$rel" "$dest/corpus/$rel"; fi
    done < <(corpus_files "$own")
    for j in "${!cases[@]}"; do
        other=${corpora[$j]}
        [[ "$other" == "$own" ]] && continue
        prefix="zz-other-$j-$(basename "${cases[$j]}")-"
        while IFS= read -r rel; do
            src=$other/$rel
            [[ -f "$other" ]] && src=$other
            cp "$src" "$dest/corpus/$prefix${rel//\//-}"
        done < <(corpus_files "$other")
    done
    # Hard links where the file system allows (to the loader they are
    # ordinary files), else copies.
    find "$tmp/distractors" -name 'zz-distractor-*.txt' -exec cp -l -t "$dest/corpus/" {} + \
        2>/dev/null ||
        find "$tmp/distractors" -name 'zz-distractor-*.txt' -exec cp -f -t "$dest/corpus/" {} +
    distracted+=("$dest")
done

echo "==> without distractors"
"$score" --bin "$bin" -v "${cases[@]}" | tee "$tmp/plain.out"
echo "==> with the other cases' corpora and $count distractors"
"$score" --bin "$bin" -v "${distracted[@]}" | tee "$tmp/distracted.out"

python3 - "$tmp/plain.out" "$tmp/distracted.out" "$report_only" <<'EOF'
import re, sys

def read(path):
    cases, total = [], None
    for line in open(path, encoding="utf-8"):
        m = re.match(r"(\S+): tp (\d+) fp (\d+) fn (\d+)$", line.strip())
        if m:
            cases.append((m.group(1), *map(int, m.groups()[1:])))
        m = re.match(r"precision (\S+) recall (\S+) \(tp (\d+) fp (\d+) fn (\d+)\)", line)
        if m:
            total = tuple(map(int, m.groups()[2:]))
    return cases, total

def pr(tp, fp, fn):
    return (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)

plain, plain_total = read(sys.argv[1])
dist, dist_total = read(sys.argv[2])
print()
print(f"{'case':<20} {'without (tp fp fn)':>20} {'with distractors':>20}")
for (name, *a), (_, *b) in zip(plain, dist):
    flag = "" if a == b else "   <- differs"
    print(f"{name:<20} {' '.join(map(str, a)):>20} {' '.join(map(str, b)):>20}{flag}")
p0, r0 = pr(*plain_total)
p1, r1 = pr(*dist_total)
print(f"{'precision':<20} {p0:>20.2f} {p1:>20.2f}")
print(f"{'recall':<20} {r0:>20.2f} {r1:>20.2f}")
if p1 < p0 or r1 < r0:
    if sys.argv[3]:
        print("the distractors lower precision or recall (reported only, not gated)")
        sys.exit(0)
    print("FAIL: the distractors lower precision or recall")
    sys.exit(1)
print("ok: the distractors change neither precision nor recall")
EOF
