#!/usr/bin/env bash
# Sets up every tool (scripts/setup.sh --test) and runs every test:
#   1. engine tests natively (unit, Kafka vectors, scenarios, property tests, crate boundary)
#   2. component tests in headless Chromium (wasm-bindgen-test), then browser benchmarks in the
#      release profile: a million records held, and the engine's produce speed in wasm
#   3. the release build, exactly as shipped (trunk build --release --offline)
#   4. Playwright end-to-end tests against that dist/ in Debian's Chromium
#   5. engine benchmarks, which print numbers (they assert nothing about speed)
#   6. the shipped size against size-budget.txt (gzipped wasm + JS + CSS), and the wasm/native
#      speed ratio from the benchmarks
# Ends with one summary line and exits non-zero if anything failed.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LOGS="$ROOT/target/test-logs"
mkdir -p "$LOGS"

bash scripts/setup.sh --test || { echo "setup failed"; exit 1; }
export PATH="$ROOT/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

passed=0
failed=0
failed_stages=()

# Adds the "N passed; M failed" counts that cargo's test harness prints in a log.
count_cargo() {
  local log="$1" p f
  p=$(grep -Eo '[0-9]+ passed; [0-9]+ failed' "$log" | awk '{s+=$1} END {print s+0}')
  f=$(grep -Eo '[0-9]+ passed; [0-9]+ failed' "$log" | awk '{s+=$3} END {print s+0}')
  passed=$((passed + p)); failed=$((failed + f))
}

# stage NAME COMMAND...: runs a stage, shows and logs its output, records failure.
stage() {
  local name="$1"; shift
  local log="$LOGS/$name.log"
  local start=$SECONDS
  echo "=== $name"
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  echo "=== $name: $( [ "$status" = 0 ] && echo ok || echo FAILED ) in $((SECONDS - start)) s"
  [ "$status" = 0 ] || failed_stages+=("$name")
  return "$status"
}

stage engine cargo test --locked -p kafkascope-engine
count_cargo "$LOGS/engine.log"

stage components cargo test --locked -p kafkascope --target wasm32-unknown-unknown --lib --test components -- --nocapture
count_cargo "$LOGS/components.log"

# Browser benchmarks in the shipped (release) profile: a million records held, and the engine's
# produce throughput in wasm (compared with native below).
stage browser-bench cargo test --locked --release -p kafkascope --target wasm32-unknown-unknown --test browser_bench -- --nocapture
count_cargo "$LOGS/browser-bench.log"

if stage build trunk build --release --offline --locked; then
  (cd e2e && rm -rf test-results screenshots && mkdir -p screenshots)
  stage e2e bash -c 'cd e2e && npx --no-install playwright test'
  if [ -f e2e/test-results/results.json ]; then
    read -r p f < <(node -e 'const s=require("./e2e/test-results/results.json").stats; console.log(s.expected, s.unexpected + s.flaky)')
    passed=$((passed + p)); failed=$((failed + f))
  else
    failed=$((failed + 1))
  fi
else
  failed=$((failed + 1))
fi

stage bench cargo bench --locked -p kafkascope-engine --bench engine

# Shipped size: every run prints it; above the reviewed budget the run fails.
shipped=0
for f in dist/*.wasm dist/*.js dist/*.css; do
  [ -f "$f" ] || continue
  gz=$(gzip -9c "$f" | wc -c)
  shipped=$((shipped + gz))
  printf 'shipped %-45s %8d bytes, %7d gzip\n' "$(basename "$f")" "$(stat -c %s "$f")" "$gz"
done
budget=$(grep -Eo '^[0-9]+' size-budget.txt | head -1)
echo "shipped total: ${shipped} bytes gzipped (budget ${budget} bytes, size-budget.txt)"
if [ "$shipped" -gt "$budget" ]; then
  echo "shipped size over budget by $((shipped - budget)) bytes"
  failed_stages+=("size")
  failed=$((failed + 1))
else
  passed=$((passed + 1))
fi

# Engine speed in wasm against native, the same produce workload.
wasm_rate=$(grep -Eo 'bench wasm produce .* = [0-9.]+ M' "$LOGS/browser-bench.log" | grep -Eo '[0-9.]+ M$' | grep -Eo '[0-9.]+')
native_rate=$(grep -Eo 'bench produce \(Simulation::apply, with events\): .* = [0-9.]+ M' "$LOGS/bench.log" | grep -Eo '[0-9.]+ M$' | grep -Eo '[0-9.]+')
if [ -n "$wasm_rate" ] && [ -n "$native_rate" ]; then
  awk -v w="$wasm_rate" -v n="$native_rate" 'BEGIN { printf "engine produce: wasm %.2f M records/s, native %.2f M records/s, ratio %.2f (medians of the same five rounds; goal >= 0.5)\n", w, n, w / n }'
fi

if [ ${#failed_stages[@]} -gt 0 ]; then
  echo "failed stages: ${failed_stages[*]}"
  [ "$failed" -gt 0 ] || failed=${#failed_stages[@]}
fi
echo "${passed} passed, ${failed} failed"
[ ${#failed_stages[@]} -eq 0 ] && [ "$failed" -eq 0 ]
