#!/bin/sh
# Adds a fixture page: tests/pages/add-page.sh SLUG SOURCE.html
# Copies the page, writes a starter expected.json, and records the current Markdown output in
# expected.md. Then edit expected.json (title, authors, published, language, text_contains,
# text_excludes …) and review expected.md before committing.
# Only add pages you wrote yourself (generic, no third-party content).
set -eu
slug=$1
src=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/$slug"
cp "$src" "$here/$slug/source.html"
[ -f "$here/$slug/expected.json" ] || printf '{\n  "text_contains": [],\n  "text_excludes": []\n}\n' > "$here/$slug/expected.json"
cd "$here/../.."
UPDATE_EXPECTED=1 cargo test -p clipbook-extract --test fixtures
git diff --stat -- "tests/pages/$slug" || true
