#!/usr/bin/env bash
# Installs what Clipbook needs to build, run and test, on Debian or Ubuntu, and only what is
# missing: running it again is quick and changes nothing. Later issues add Debian packages
# (Tauri's WebKitGTK, Xvfb, the WebDriver), npm packages for the UI and the PDF text tools.
set -euo pipefail

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
# Debian packages: poppler-utils reads exported PDFs back in the tests (pdftotext, pdfinfo);
# the Noto fonts are embedded in the PDF exporter at build time (Arabic, Hebrew, CJK: see
# crates/pdf/build.rs).
missing=()
need pdftotext || missing+=(poppler-utils)
[ -f /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf ] || missing+=(fonts-noto-core)
[ -f /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc ] || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
    if need apt-get; then
        sudo_cmd=""
        [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
        echo "setup: installing ${missing[*]}"
        $sudo_cmd apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
    else
        echo "setup: please install ${missing[*]} (needed by the tests)" >&2
        exit 1
    fi
fi
if ! need python3; then
    echo "setup: python3 is missing (the extraction quality gate scores with it)" >&2
    if need apt-get; then
        apt_prefix=""
        [ "$(id -u)" -eq 0 ] || apt_prefix="sudo"
        $apt_prefix apt-get update -qq
        $apt_prefix apt-get install -y -qq python3
    fi
fi
