# Clipbook's everyday commands:
#   make run   — set up what is missing, build, and start the desktop app
#   make cli   — the command-line tool on the same library; pass arguments with ARGS="search iptv"
#   make test  — everything CI checks: formatting, lints, the UI's checks and tests, the browser
#                extension's tests (headless Chromium), every Rust test, and the end-to-end test
#                of the real app under Xvfb
# Build products go to CARGO_TARGET_DIR when it is set (CI points it at a folder that survives
# between runs).

CARGO ?= cargo
ARGS ?= --help
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
TOOLS ?= $(HOME)/.cache/clipbook/tools

.PHONY: setup ui run cli test e2e bench bench-app bindings

setup:
	@./scripts/setup.sh

# The web UI, built into ui/dist (embedded in the app binary at build time).
ui: setup
	cd ui && npm run build

run: ui
	$(CARGO) build --release -p clipbook-app
	$(TARGET_DIR)/release/clipbook-app

cli: setup
	$(CARGO) build --release -p clipbook-cli
	$(CARGO) run --quiet --release -p clipbook-cli -- $(ARGS)

test: ui
	$(CARGO) fmt --all --check
	cd ui && npm run check && npm test
	$(CARGO) build -p clipbook-bridge --example fake_app
	cd extension && FAKE_APP=$(abspath $(TARGET_DIR))/debug/examples/fake_app npm test
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	INSTA_WORKSPACE_ROOT=$(CURDIR) $(CARGO) test --workspace
	$(MAKE) --no-print-directory e2e

# The real app under Xvfb, driven over WebDriver (tauri-driver + WebKitWebDriver).
e2e:
	$(CARGO) build -p clipbook-app -p clipbook-cli
	TAURI_DRIVER=$(TOOLS)/bin/tauri-driver E2E_OUT=$(TARGET_DIR)/e2e \
		xvfb-run -a -s "-screen 0 1280x800x24" python3 tests/e2e/run.py $(TARGET_DIR)/debug/clipbook-app

# Regenerates ui/src/lib/bindings.ts from the Rust records.
bindings:
	UPDATE_BINDINGS=1 $(CARGO) test -p clipbook-desktop --test bindings

# Benchmarks (a few minutes): the library with 10,000 and 100,000 synthetic clippings; clipping
# 1,000 pages end to end from a local server; exports (200 articles to PDF, 10,000 to Markdown).
bench:
	$(CARGO) bench -p clipbook-store --bench library
	$(CARGO) bench -p clipbook-fetch --bench clip
	$(CARGO) bench -p clipbook-pdf --bench export

# The desktop app with a 100,000-clipping library beside an empty Tauri window: start, search,
# memory after scrolling 5,000 rows (release builds; the library is built once and kept).
bench-app: ui
	$(CARGO) build --release -p clipbook-app -p clipbook-cli --bins --examples
	BENCH_DIR=$(TARGET_DIR) TAURI_DRIVER=$(TOOLS)/bin/tauri-driver \
		xvfb-run -a -s "-screen 0 1280x800x24" python3 tests/e2e/bench.py \
		$(TARGET_DIR)/release/clipbook-app $(TARGET_DIR)/release/examples/empty_window \
		$(TARGET_DIR)/release/clipbook
