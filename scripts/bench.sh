#!/usr/bin/env bash
# Throughput and peak memory of reportlint against ripgrep doing the same searches, on a generated
# corpus. Usage:
#   scripts/bench.sh            # ~10 000 reports (100 MB)
#   scripts/bench.sh 1000       # ~100 000 reports (1 GB)
# The corpus is generated once per size and kept in bench-corpus-MB/. Commands alternate in
# rounds (median of ROUNDS, default 3) so that a noisy neighbour hits them all alike. Respects
# CARGO_TARGET_DIR. Any failing measurement stops the script with its error.
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-100}
rounds=${ROUNDS:-3}
target=${CARGO_TARGET_DIR:-target}
bin=$target/release/reportlint
corpus=bench-corpus-$mb

cargo build --release --quiet --example gen_corpus
cargo build --release --quiet
[ -x "$bin" ] || { echo "bench: $bin was not built" >&2; exit 1; }
if ! command -v rg >/dev/null 2>&1; then
  apt-get install -y ripgrep >/dev/null 2>&1 || { echo "bench: ripgrep is needed (apt-get install ripgrep)" >&2; exit 1; }
fi
if [ ! -d "$corpus" ]; then
  "$target/release/examples/gen_corpus" "$corpus" "$mb"
fi
files=$(find "$corpus" -type f | wc -l)
bytes=$(du -sb "$corpus" | cut -f1)

# The ripgrep reference: every regex of the built-in rulebook, searched as plain text in six
# passes (the rule language parses nothing; this is what a text search alone costs).
patterns=$(mktemp -d)
python3 - "$patterns" <<'PY'
import re, sys
s = open('rules/fzzf-annual.yaml', encoding='utf-8').read()
pats = [m.group(1) for m in re.finditer(r'(?<![\w\\])/((?:[^/\\\n]|\\.)+)/(?![\w])', s)]
# ripgrep's regex syntax: no named groups with Chinese names, no `\/` escape.
pats = [re.sub(r'\(\?<[^>]+>', '(?:', p).replace('\\/', '/') for p in pats]
for k in range(6):
    with open(f'{sys.argv[1]}/p{k}', 'w', encoding='utf-8') as f:
        f.write('\n'.join(pats[k::6]) + '\n')
PY
rg_suite() {
  local k
  for k in 0 1 2 3 4 5; do
    # Exit 1 means no match; 2 is an error and stops the bench.
    rg --no-config -c -f "$patterns/p$k" "$corpus" >/dev/null || [ $? -eq 1 ] || return 2
  done
}
export -f rg_suite
export patterns corpus

declare -A secs rss
measure() { # label, command… (exit status 0 or 1 is success: 1 means findings)
  local label=$1; shift
  local stats status=0
  stats=$(mktemp)
  /usr/bin/time -o "$stats" -f '%e %M' "$@" >/dev/null 2>"$stats.err" || status=$?
  if [ "$status" -gt 1 ]; then
    echo "bench: '$label' failed with status $status:" >&2
    tail -5 "$stats.err" >&2
    exit 1
  fi
  read -r s k < <(tail -1 "$stats")
  rm -f "$stats" "$stats.err"
  secs[$label]+="$s "
  rss[$label]=$(( k > ${rss[$label]:-0} ? k : ${rss[$label]:-0} ))
}
labels=("ripgrep suite" "check jsonl" "check jsonl -j1" "check human" "check concise" "check sarif"
  "check json" "check junit" "check github" "audit json" "audit xlsx")
run_round() {
  measure "ripgrep suite" bash -c rg_suite
  for f in jsonl human concise sarif json junit github; do
    measure "check $f" "$bin" check --fail-on never --format "$f" "$corpus"
  done
  RAYON_NUM_THREADS=1 measure "check jsonl -j1" "$bin" check --fail-on never --format jsonl "$corpus"
  measure "audit json" "$bin" audit --format json "$corpus"
  measure "audit xlsx" "$bin" audit -o "$patterns/audit.xlsx" "$corpus"
}
# Every file read once, unmeasured, so that the first command measured (ripgrep) does not pay
# alone for reading the corpus from disk: with one round it did (32 s against 12 s at 1 GB).
find "$corpus" -type f -print0 | xargs -0 cat >/dev/null
for _ in $(seq "$rounds"); do run_round; done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ref=$(echo "${secs[ripgrep suite]}" | median)
awk -v f="$files" -v b="$bytes" -v r="$rounds" -v c="$(nproc)" \
  'BEGIN { printf "%s files, %.1f MB, median of %s rounds, %s cores\n\n", f, b/1048576, r, c }'
printf '| %-17s | %8s | %9s | %7s | %9s | %11s |\n' command median files/s MB/s "peak RSS" "vs ripgrep"
printf '|%s|%s|%s|%s|%s|%s|\n' -------------------: ----------: -----------: ---------: -----------: -------------:
for l in "${labels[@]}"; do
  [ -n "${secs[$l]:-}" ] || continue
  m=$(echo "${secs[$l]}" | median)
  awk -v l="$l" -v m="$m" -v f="$files" -v b="$bytes" -v k="${rss[$l]}" -v r="$ref" 'BEGIN {
    if (m <= 0) m = 0.01
    printf "| %-17s | %6.2f s | %9.0f | %7.1f | %6.1f MB | %10.2f× |\n", l, m, f/m, b/1048576/m, k/1024, m/r }'
done
rm -rf "$patterns"
