#!/usr/bin/env bash
# Installs every tool Kafkascope needs, pinned to exact versions, skipping what is already present
# at the right version. Nothing is downloaded from outside the package registries (crates.io, npm,
# Debian): Trunk is pinned to the installed wasm-bindgen and wasm-opt and always runs --offline.
#
#   scripts/setup.sh          tools to build and serve the app
#   scripts/setup.sh --test   also Chromium, ChromeDriver and the Playwright packages
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132.0.0"
TOOLS="$ROOT/.tools"

log() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_rust() {
  command -v cargo >/dev/null || die "cargo not found: install Rust with rustup first (https://rustup.rs)"
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding rustup target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

# cargo_tool BIN CRATE VERSION: install CRATE@VERSION unless BIN --version already reports VERSION.
cargo_tool() {
  local bin="$1" crate="$2" version="$3"
  if command -v "$bin" >/dev/null && "$bin" --version 2>/dev/null | grep -qw "$version"; then
    return 0
  fi
  log "installing $crate $version (takes minutes on 2 cores)"
  if ! cargo install --locked "$crate" --version "$version"; then
    # A pinned transitive dependency in the crate's own lockfile can be missing from the index;
    # the same exact version of the tool still resolves without --locked.
    log "--locked failed for $crate; retrying without --locked"
    cargo install "$crate" --version "$version"
  fi
  "$bin" --version | grep -qw "$version" || die "$bin is not version $version after install"
}

ensure_wasm_opt() {
  local bin="$TOOLS/node_modules/.bin/wasm-opt"
  if [ -x "$bin" ] && "$bin" --version | grep -q "version ${BINARYEN_VERSION%%.*}"; then
    return 0
  fi
  log "installing binaryen $BINARYEN_VERSION (wasm-opt) from npm"
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-audit --no-fund --save-exact "binaryen@$BINARYEN_VERSION" >&2
  "$bin" --version | grep -q "version ${BINARYEN_VERSION%%.*}" || die "wasm-opt is not binaryen $BINARYEN_VERSION"
}

ensure_browser() {
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    return 0
  fi
  log "installing Debian's chromium and chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
}

ensure_e2e_packages() {
  # A copy of the lockfile that was installed; npm ci again only when the lockfile changed.
  local stamp="$ROOT/e2e/node_modules/.installed-package-lock.json"
  if [ -f "$stamp" ] && cmp -s "$ROOT/e2e/package-lock.json" "$stamp"; then
    return 0
  fi
  log "installing Playwright packages (npm ci, no browser download)"
  (cd "$ROOT/e2e" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >&2)
  cp "$ROOT/e2e/package-lock.json" "$stamp"
}

main() {
  ensure_rust
  (cd "$ROOT" && cargo fetch --locked >/dev/null 2>&1) || (cd "$ROOT" && cargo fetch --locked)
  cargo_tool trunk trunk "$TRUNK_VERSION"
  cargo_tool wasm-bindgen wasm-bindgen-cli "$(wasm_bindgen_version)"
  ensure_wasm_opt
  if [ "${1:-}" = "--test" ]; then
    ensure_browser
    ensure_e2e_packages
  fi
  log "tools ready"
}

main "$@"
