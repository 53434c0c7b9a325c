#!/usr/bin/env bash
# The soak: plays the stage for 10 minutes at top speed with a stream in headless Chromium and
# prints the memory every 30 s (wasm linear memory + JS heap); fails if it does not level off.
# Not part of scripts/test.sh (it takes 11 minutes). Sets up and builds like the test command.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh --test
export PATH="$ROOT/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
trunk build --release --offline --locked
cd e2e && npx --no-install playwright test -c soak.config.mjs
