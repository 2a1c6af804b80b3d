# Clipbook's two everyday commands:
#   make run   — set up what is missing, build, and run Clipbook (the CLI until the desktop
#                app lands); pass arguments with ARGS="search iptv"
#   make test  — everything CI checks: formatting, lints, every test
# Both keep build products in CARGO_TARGET_DIR when it is set (CI points it at a folder that
# survives between runs).

CARGO ?= cargo
ARGS ?= --help

.PHONY: setup run test bench

setup:
	@./scripts/setup.sh

run: setup
	$(CARGO) build --release -p clipbook-cli
	$(CARGO) run --quiet --release -p clipbook-cli -- $(ARGS)

test: setup
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) test --workspace

# Benchmarks (a few minutes): the library with 10,000 and 100,000 synthetic clippings; clipping
# 1,000 pages end to end from a local server; exports (200 articles to PDF, 10,000 to Markdown).
bench:
	$(CARGO) bench -p clipbook-store --bench library
	$(CARGO) bench -p clipbook-fetch --bench clip
	$(CARGO) bench -p clipbook-pdf --bench export
