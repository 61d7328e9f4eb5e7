#!/usr/bin/env bash
# Did an optimisation change what is found? Runs `check --format jsonl` of a base build and of
# this checkout on the bench corpus and compares the outputs (the summary's elapsed time aside).
#   scripts/same-output.sh main          # a git revision: built once into target/same-output/
#   scripts/same-output.sh /path/to/reportlint [MB]
# MB picks the corpus as scripts/bench.sh does (default 100: ~10 000 reports). Exit 1 and the
# first differences when the outputs differ. Respects CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: scripts/same-output.sh REVISION|BINARY [MB]}
mb=${2:-100}
target=${CARGO_TARGET_DIR:-target}
corpus=bench-corpus-$mb

if [ -x "$base" ] && [ -f "$base" ]; then
  base_bin=$base
else
  rev=$(git rev-parse --verify "$base^{commit}")
  tree=$target/same-output/$rev
  if [ ! -x "$tree/target/release/reportlint" ]; then
    rm -rf "$tree"
    mkdir -p "$(dirname "$tree")"
    git worktree add --detach "$tree" "$rev" >/dev/null
    (cd "$tree" && CARGO_TARGET_DIR="$PWD/target" cargo build --release --quiet)
    git worktree remove --force "$tree" 2>/dev/null || true
    git worktree prune
  fi
  base_bin=$tree/target/release/reportlint
fi
[ -x "$base_bin" ] || { echo "same-output: no binary at $base_bin" >&2; exit 1; }

cargo build --release --quiet --example gen_corpus
cargo build --release --quiet
[ -d "$corpus" ] || "$target/release/examples/gen_corpus" "$corpus" "$mb"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
strip() { sed -E 's/"elapsed_ms":[0-9]+/"elapsed_ms":0/'; }
"$base_bin" check --fail-on never --format jsonl "$corpus" | strip >"$out/base.jsonl"
"$target/release/reportlint" check --fail-on never --format jsonl "$corpus" | strip >"$out/new.jsonl"
lines=$(wc -l <"$out/new.jsonl")
if cmp -s "$out/base.jsonl" "$out/new.jsonl"; then
  echo "same output: $lines lines of JSON Lines on $(find "$corpus" -type f | wc -l) reports"
else
  echo "the outputs differ ($(wc -l <"$out/base.jsonl") lines before, $lines after):" >&2
  diff "$out/base.jsonl" "$out/new.jsonl" | head -20 >&2
  exit 1
fi
