#!/usr/bin/env bash
# Runs every test of coursegen, browser tests included, installing what a fresh
# Debian 12 machine lacks first: Chromium (apt), the Node packages of
# tests/browser (npm ci), mdBook 0.5 and 0.4 (cargo install) and clippy (rustup). Safe to run again: each install
# step is skipped when its result is already there.
#
# usage: bash tests/run.sh        (from anywhere; .ci/run calls exactly this)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
START=$SECONDS

# Prints a section header with the time elapsed so far.
section() {
  printf '\n==> %s  [%ds]\n' "$*" "$((SECONDS - START))"
}

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  else
    sudo "$@"
  fi
}

# Installs Chromium, its driver and a font from Debian's packages; one retry,
# because a mirror can fail transiently.
install_chromium() {
  local packages=(chromium chromium-driver fonts-dejavu-core fonts-noto-cjk)
  export DEBIAN_FRONTEND=noninteractive
  if as_root apt-get update && as_root apt-get install -y "${packages[@]}"; then
    return 0
  fi
  echo "apt-get failed; retrying once in 15 s" >&2
  sleep 15
  as_root apt-get update
  as_root apt-get install -y "${packages[@]}"
}

section "Chromium (Debian package)"
if [ -x /usr/bin/chromium ]; then
  echo "already installed"
else
  install_chromium
fi
/usr/bin/chromium --version 2>/dev/null

section "Node packages (tests/browser)"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "error: node and npm are needed (Node 20 or newer) and were not found on PATH" >&2
  exit 1
fi
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]')
if [ "$NODE_MAJOR" -lt 20 ]; then
  echo "error: Node 20 or newer is needed, found $(node --version)" >&2
  exit 1
fi
echo "node $(node --version), npm $(npm --version 2>/dev/null)"
# npm writes node_modules/.package-lock.json on every install: when it is
# missing or older than the committed lock file, install again.
BROWSER_DIR=tests/browser
if [ ! -f "$BROWSER_DIR/node_modules/.package-lock.json" ] ||
  [ "$BROWSER_DIR/package-lock.json" -nt "$BROWSER_DIR/node_modules/.package-lock.json" ]; then
  (cd "$BROWSER_DIR" && npm ci --no-audit --no-fund)
else
  echo "node_modules up to date"
fi

# mdBook 0.5 for the preprocessor tests (tests/integration/mdbook.rs), which
# run `mdbook build` with coursegen as its preprocessor. Compiling it takes
# about 7 minutes on 2 cores; skipped when `mdbook --version` already says 0.5.
section "mdBook 0.5 (cargo install mdbook)"
if mdbook --version 2>/dev/null | grep -q ' v0\.5\.'; then
  echo "already installed: $(mdbook --version)"
else
  cargo install mdbook --locked --version '^0.5'
fi
# cargo install puts it in ~/.cargo/bin, which a fresh shell may not have on PATH.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
mdbook --version

# mdBook 0.4 as well, in a root of its own so it does not replace 0.5 on PATH:
# coursegen speaks both book formats, and tests/integration/mdbook_quiz.rs
# builds with each. The tests find it through COURSEGEN_MDBOOK_04.
section "mdBook 0.4 (cargo install mdbook --root ~/.cache/coursegen/mdbook-0.4)"
MDBOOK_04_ROOT="$HOME/.cache/coursegen/mdbook-0.4"
if "$MDBOOK_04_ROOT/bin/mdbook" --version 2>/dev/null | grep -q ' v0\.4\.'; then
  echo "already installed: $("$MDBOOK_04_ROOT/bin/mdbook" --version)"
else
  cargo install mdbook --locked --version '^0.4' --root "$MDBOOK_04_ROOT"
fi
export COURSEGEN_MDBOOK_04="$MDBOOK_04_ROOT/bin/mdbook"
"$COURSEGEN_MDBOOK_04" --version

section "Formatting (cargo fmt --check)"
if ! cargo fmt --version >/dev/null 2>&1; then
  rustup component add rustfmt
fi
cargo fmt --check

section "Clippy (cargo clippy --all-targets --locked -- -D warnings)"
if ! cargo clippy --version >/dev/null 2>&1; then
  rustup component add clippy
fi
cargo clippy --all-targets --locked -- -D warnings

# Last, and nothing printed after it: cargo test's own summary lines close
# the output (CI reads them).
section "Tests (COURSEGEN_BROWSER_TESTS=require cargo test --locked)"
COURSEGEN_BROWSER_TESTS=require cargo test --locked
