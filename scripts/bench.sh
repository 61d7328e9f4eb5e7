#!/usr/bin/env bash
# Throughput and peak memory of `reportlint inspect` on a generated corpus, plus the in-process
# parse benchmark. Usage: scripts/bench.sh [MEGABYTES]   (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-60}
corpus=bench-corpus
cargo build --release --quiet
rm -rf "$corpus"
cargo run --release --quiet --example gen_corpus -- "$corpus" "$mb"
bytes=$(du -sb "$corpus" | cut -f1)

measure() { # label, command…
  local label=$1; shift
  local stats_file stats
  stats_file=$(mktemp)
  /usr/bin/time -o "$stats_file" -f '%e %M' "$@" >/dev/null 2>&1 || true
  stats=$(tail -1 "$stats_file"); rm -f "$stats_file"
  local secs=${stats% *} kb=${stats#* }
  awk -v l="$label" -v b="$bytes" -v s="$secs" -v k="$kb" 'BEGIN {
    printf "%-28s %6.1f MB in %6.2f s = %6.1f MB/s, peak memory %6.1f MB\n", l, b/1048576, s, (s > 0 ? b/1048576/s : 0), k/1024 }'
}
measure "check (human)" target/release/reportlint check --fail-on never "$corpus"
measure "check --format json" target/release/reportlint check --fail-on never --format json "$corpus"
measure "check --format jsonl" target/release/reportlint check --fail-on never --format jsonl "$corpus"
measure "inspect (human)" target/release/reportlint inspect "$corpus"
measure "inspect --format json" target/release/reportlint inspect --format json "$corpus"
# One 50 MB report on one line: peak memory of a single huge input.
big=$corpus-big.txt
cat fixtures/reports/*.txt | tr -d '\n' > "$big.unit"
: > "$big"; while [ "$(stat -c %s "$big")" -lt $((50 * 1048576)) ]; do cat "$big.unit" >> "$big"; done
rm -f "$big.unit"
bytes=$(stat -c %s "$big")
measure "inspect one 50 MB line" target/release/reportlint inspect "$big"
measure "check one 50 MB line" target/release/reportlint check --fail-on never --format json "$big"
rm -f "$big"
cargo bench --quiet --bench parse
