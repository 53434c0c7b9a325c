#!/usr/bin/env bash
# Sets up the tools (scripts/setup.sh), builds the app and serves it on http://127.0.0.1:8080.
# Trunk runs --offline with its tool versions pinned in Trunk.toml, so nothing is downloaded.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
export PATH="$ROOT/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
echo "Kafkascope: building, then serving on http://127.0.0.1:8080 (Ctrl+C stops)"
exec trunk serve --release --offline --locked --address 127.0.0.1 --port 8080 --no-autoreload
