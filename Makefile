# dialtone: `make run` builds and starts dialtoned; `make test` runs every test.
# Both install what they need on a fresh Debian 12 machine (apt packages when run as root,
# a Python venv for the end-to-end tests). Other targets arrive as mk/*.mk (see the end).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

SWIFT ?= swift
PYTHON ?= python3
VENV := .venv
VENV_STAMP := $(VENV)/.requirements-installed
REQUIREMENTS := Tests/e2e/requirements.txt
BIN_DIR := .build/debug
# The binaries the Python suites run (override to test another build, e.g. a release one).
DIALTONED_BIN ?= $(CURDIR)/$(BIN_DIR)/dialtoned
SIO_CONFORMANCE_BIN ?= $(CURDIR)/$(BIN_DIR)/sio-conformance
APT_PACKAGES := libsystemd-dev pkg-config socat curl systemd openssl
PYTHON_SUITES = $(wildcard Tests/e2e Tests/conformance)

# Extra test steps: an mk/*.mk file appends target names (TEST_EXTRA += test-deb);
# `make test` runs them after the Python suites.
TEST_EXTRA :=

.PHONY: help deps check-swift venv build run test test-swift test-python clean

help:
	@echo "make run      build and start dialtoned on 127.0.0.1:8080 (no root, no config)"
	@echo "make test     build, then run the Swift tests and the end-to-end suites"
	@echo "make build    debug build (swift build)"
	@echo "make deps     install missing Debian packages (as root; otherwise list them)"
	@echo "make venv     Python venv for the end-to-end tests ($(VENV))"
	@echo "make clean    remove build products and the venv"

check-swift:
	@command -v $(SWIFT) >/dev/null 2>&1 || { \
	  echo "error: '$(SWIFT)' is not on PATH. The Swift 6 toolchain is not a Debian package:" >&2; \
	  echo "       install it from https://www.swift.org/install/linux/ and add its usr/bin to PATH" >&2; \
	  echo "       (for example: export PATH=/opt/swift/usr/bin:\$$PATH)" >&2; \
	  exit 1; }

# Installs only what is missing, so a second run does nothing (and needs no network).
# Debian's python3 runs `-m venv --help` without python3-venv but cannot create a venv with
# pip until it is installed (ensurepip lives there), hence the second check.
deps: check-swift
	@missing=""; \
	for package in $(APT_PACKAGES); do \
	  dpkg -s "$$package" 2>/dev/null | grep -q '^Status: install ok installed' || missing="$$missing $$package"; \
	done; \
	$(PYTHON) -m venv --help >/dev/null 2>&1 && $(PYTHON) -c 'import ensurepip' 2>/dev/null \
	  || missing="$$missing python3-venv"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" -eq 0 ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	else \
	  echo "warning: missing Debian packages:$$missing"; \
	  echo "         run 'sudo make deps' or 'sudo apt-get install$$missing'; continuing"; \
	fi

venv: $(VENV_STAMP)

$(VENV_STAMP): $(REQUIREMENTS) | deps
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --disable-pip-version-check --quiet -r $(REQUIREMENTS)
	touch $@

build: deps
	$(SWIFT) build

run: build
	exec $(BIN_DIR)/dialtoned

test: deps venv build test-swift test-python
	@$(if $(strip $(TEST_EXTRA)),$(MAKE) --no-print-directory $(TEST_EXTRA),true)

# Serial: several suites run real servers on the shared 2-core machine; in parallel the Socket.IO
# server tests have been seen to fail now and then ("I/O on closed channel"): see the session note.
test-swift: build
	$(SWIFT) test --no-parallel

test-python: venv build
	DIALTONED_BIN=$(DIALTONED_BIN) SIO_CONFORMANCE_BIN=$(SIO_CONFORMANCE_BIN) \
	  $(VENV)/bin/pytest -q $(PYTHON_SUITES)

clean:
	rm -rf .build $(VENV) .pytest_cache

-include mk/*.mk
