#!/usr/bin/env bash
# Installs what Clipbook needs to build, run and test, on Debian or Ubuntu, and only what is
# missing: running it again is quick and changes nothing.
#   - Rust components rustfmt and clippy
#   - Debian packages: WebKitGTK and friends for the Tauri desktop app, Xvfb and WebKitWebDriver
#     for its end-to-end tests, poppler-utils (PDF exports read back in tests), Noto fonts
#     (embedded in the PDF exporter), python3 (quality gate, end-to-end driver)
#   - tauri-driver (crates.io) into ~/.cache/clipbook/tools, a folder that survives CI runs
#   - the npm packages of the UI (ui/node_modules) and of the browser extension's tests
#     (extension/node_modules), from their package-lock.json
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }

if ! need cargo; then
    echo "setup: cargo is missing: install Rust (https://rustup.rs) first" >&2
    exit 1
fi
for component in rustfmt clippy; do
    if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
        echo "setup: installing the Rust component $component"
        rustup component add "$component"
    fi
done

missing=()
need pdftotext || missing+=(poppler-utils)
[ -f /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf ] || missing+=(fonts-noto-core)
[ -f /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc ] || missing+=(fonts-noto-cjk)
need python3 || missing+=(python3)
# Headless Chromium runs the browser extension's page script in its tests.
need chromium || missing+=(chromium)
# Tauri 2 on Linux (see ../shared/notes or ARCHITECTURE.md).
deb_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for pkg in libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev \
    libxdo-dev libssl-dev build-essential file pkg-config xvfb xauth webkit2gtk-driver; do
    if need dpkg-query; then
        deb_installed "$pkg" || missing+=("$pkg")
    fi
done
if [ ${#missing[@]} -gt 0 ]; then
    if need apt-get; then
        sudo_cmd=""
        [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
        echo "setup: installing ${missing[*]}"
        $sudo_cmd apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
    else
        echo "setup: please install ${missing[*]}" >&2
        exit 1
    fi
fi

tools="${CLIPBOOK_TOOLS:-$HOME/.cache/clipbook/tools}"
if [ ! -x "$tools/bin/tauri-driver" ]; then
    echo "setup: installing tauri-driver (about 3 minutes, once)"
    cargo install tauri-driver --locked --quiet --root "$tools"
fi

if ! need npm; then
    echo "setup: npm is missing: install Node.js 20 or later" >&2
    exit 1
fi
# npm ci when the lock file changed since the last install.
for dir in ui extension; do
    if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
        echo "setup: installing the npm packages of $dir/"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    fi
done
