#!/usr/bin/env bash
# Coverage-guided fuzzing of every target in fuzz/, one after the other, SECONDS each (default 60).
#   scripts/fuzz.sh 600            # ten minutes per target
#   scripts/fuzz.sh 60 expr html   # only these targets
# Needs the nightly toolchain (`rustup toolchain install nightly`); installs cargo-fuzz when
# missing. The committed seeds in fuzz/corpus/TARGET are copied to fuzz/work/TARGET, which
# libFuzzer grows; crashes land in fuzz/artifacts/TARGET and stop the script with exit 1.
# Sanitizer (address) and debug assertions (overflow checks) are on.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs=${1:-60}
shift || true
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
cargo +nightly fuzz build -O --debug-assertions
printf '%-12s %12s %10s %8s  %s\n' target executions exec/s seconds result
for t in "${targets[@]}"; do
  mkdir -p "work/$t" "artifacts/$t"
  cp -n "corpus/$t"/* "work/$t"/ 2>/dev/null || true
  log=$(mktemp)
  # -rss_limit_mb: a report of any size must stay well under 2 GB; -timeout: no input may take
  # 10 s; -max_len: up to 256 KB per input.
  if cargo +nightly fuzz run -O --debug-assertions "$t" "work/$t" -- \
    -dict=dict/reports.dict -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
    -max_len=262144 -print_final_stats=1 >"$log" 2>&1; then
    result=ok
  else
    result="FAILED (see fuzz/artifacts/$t)"
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  printf '%-12s %12s %10s %8s  %s\n' "$t" "$runs" "$rate" "$secs" "$result"
  if [ "$result" != ok ]; then
    tail -40 "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
done
