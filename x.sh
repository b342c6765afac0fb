#!/usr/bin/env bash
# Sharek's build helper. Usage:
#   ./x.sh run     install what is missing, build (release) and serve on http://127.0.0.1:3000
#   ./x.sh test    install what is missing, build, and run every test (Rust on SQLite and
#                  PostgreSQL, then the browser tests in headless Chromium)
#   ./x.sh build [release|debug]   build the site (wasm, CSS, assets) and the server
#   ./x.sh setup [browser]         only install the tools: the wasm target, wasm-bindgen, Node.js
#                                  and the npm packages, Debian's python3-aiosmtpd (the tests'
#                                  SMTP server); with `browser`, Debian's Chromium, Noto fonts and
#                                  poppler-utils too
#   ./x.sh paths                   print where it builds (target) and what it serves (site)
# Environment: CARGO_TARGET_DIR (default target), DATABASE_URL, SHAREK_ADDR, SHAREK_BASE_URL.
set -euo pipefail
cd "$(dirname "$0")"

# Inside the checkout unless told otherwise: a new clone must build with nothing set.
TARGET="${CARGO_TARGET_DIR:-target}"
SITE="$TARGET/site"
BROWSER_DIR="tests/browser"
export SHAREK_SITE_ROOT="${SHAREK_SITE_ROOT:-$SITE}"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

setup_rust() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  local want have
  want="$(wasm_bindgen_version)"
  have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
  if [ "$have" != "$want" ]; then
    say "installing wasm-bindgen-cli $want (about 2 minutes, once)"
    # Not --locked: its lockfile pins crates the registry mirror here lacks (BUILD-NOTES.md).
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

# npm packages: wasm-opt from binaryen (Debian's breaks hydration), playwright-core, axe-core.
setup_node() {
  if ! command -v npm >/dev/null; then
    say "installing Node.js and npm"
    apt-get update -qq && apt-get install -y -qq nodejs npm
  fi
  if [ ! -x "$BROWSER_DIR/node_modules/.bin/wasm-opt" ] || [ "$BROWSER_DIR/package-lock.json" -nt "$BROWSER_DIR/node_modules/.package-lock.json" ]; then
    say "installing npm packages (binaryen, playwright-core, axe-core)"
    (cd "$BROWSER_DIR" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# Impact reports are printed to PDF by headless Chromium, with Noto's Arabic fonts.
setup_reports() {
  if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/truetype/noto ]; then
    say "installing Debian's Chromium and Noto fonts (PDF reports, browser tests)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core
  fi
}

# The browser tests, and poppler's pdftotext and pdffonts to read the PDF reports back.
setup_browser() {
  setup_reports
  if ! command -v pdftotext >/dev/null; then
    say "installing Debian's poppler-utils (pdftotext, pdffonts) for the report tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils
  fi
}

# The tests that send email start a real SMTP server, Debian's aiosmtpd, which keeps what it
# receives in a Maildir (server/tests/it/support/smtp.rs, tests/browser/mail.mjs). Debian's
# package is installed for Debian's Python, so that is the one asked.
setup_mail() {
  if ! /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
    say "installing Debian's python3-aiosmtpd, the tests' SMTP server"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-aiosmtpd
  fi
}

build_site() {
  say "building the browser bundle (wasm)"
  cargo build -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release
  local out="$TARGET/site-staging"
  rm -rf "$out" && mkdir -p "$out"
  wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name sharek \
    "$TARGET/wasm32-unknown-unknown/wasm-release/frontend.wasm"
  "$BROWSER_DIR/node_modules/.bin/wasm-opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals \
    "$out/sharek_bg.wasm" -o "$out/sharek_bg.wasm"
  cp style/main.css "$out/sharek.css"
  # The build id names the asset folder, so browsers may cache it for a year.
  local id
  id="$(cat "$out/sharek.js" "$out/sharek_bg.wasm" "$out/sharek.css" | sha256sum | cut -c1-16)"
  rm -rf "$SITE" && mkdir -p "$SITE/pkg/$id"
  mv "$out"/sharek.js "$out"/sharek_bg.wasm "$out"/sharek.css "$SITE/pkg/$id/"
  gzip -9 -k "$SITE/pkg/$id/"*
  cp style/favicon.svg "$SITE/"
  echo "$id" > "$SITE/build-id"
  rm -rf "$out"
  say "site built: $SITE/pkg/$id ($(du -h "$SITE/pkg/$id/sharek_bg.wasm.gz" | cut -f1) wasm gzipped)"
}

build_server() {
  local profile="$1"
  say "building the server ($profile)"
  if [ "$profile" = release ]; then cargo build -p server --release; else cargo build -p server; fi
}

cmd="${1:-run}"
case "$cmd" in
  paths)
    printf 'target %s\nsite %s\n' "$TARGET" "$SHAREK_SITE_ROOT"
    ;;
  setup)
    setup_rust; setup_node; setup_mail
    [ "${2:-}" = browser ] && setup_browser
    ;;
  build)
    profile="${2:-release}"
    setup_rust; setup_node
    build_site; build_server "$profile"
    ;;
  run)
    setup_rust; setup_node; setup_reports
    build_site; build_server release
    say "starting Sharek on http://${SHAREK_ADDR:-127.0.0.1:3000}"
    # --demo: on an empty database, create a demo administrator and print how to sign in.
    exec "$TARGET/release/sharek" serve --demo
    ;;
  test)
    setup_rust; setup_node; setup_mail; setup_browser
    if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
      say "starting PostgreSQL"
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
    fi
    build_site; build_server debug
    say "Rust tests (SQLite and PostgreSQL)"
    cargo test -p app -p server
    say "browser tests (headless Chromium, axe-core)"
    SHAREK_BIN="$TARGET/debug/sharek" node --test --test-concurrency=1 "$BROWSER_DIR"/*.test.mjs
    ;;
  *)
    echo "usage: ./x.sh run | test | build [release|debug] | setup [browser] | paths" >&2
    exit 2
    ;;
esac
