# Benchmarks (issue 6). `make bench`: release builds of dialtoned and dialtone-load, the
# microbenchmarks (Benchmarks/, ordo-one/package-benchmark), then the load matrix against a
# release dialtoned (bench/load-matrix.sh), printing medians of REPS runs. Takes about
# 8 minutes on 2 cores after the builds; BENCHMARKS.md says how to read it.
# `make test-bench-build` (part of `make test`) only builds the benchmark targets and runs
# dialtone-load briefly against the debug dialtoned, so that its wire code is exercised.

REPS ?= 3
BENCH_PACKAGE := Benchmarks
# Away from the 3000/3001 of bench/run.sh, so both can run on one machine.
BENCH_PORT ?= 39517

TEST_EXTRA += test-bench-build

.PHONY: bench bench-build bench-micro bench-load test-bench-build

bench: bench-build bench-micro bench-load

bench-build: deps
	$(SWIFT) build -c release --product dialtoned
	$(SWIFT) build -c release --product dialtone-load

bench-micro:
	cd $(BENCH_PACKAGE) && $(SWIFT) package --disable-sandbox benchmark --no-progress

bench-load: bench-build
	REPS=$(REPS) PORT=$(BENCH_PORT) bench/load-matrix.sh

# Debug builds: this only checks that the benchmarks compile and that dialtone-load speaks to
# dialtoned; figures from it mean nothing.
test-bench-build: build
	$(SWIFT) build --package-path $(BENCH_PACKAGE)
	$(SWIFT) build --product dialtone-load
	@. bench/common.sh; \
	state=$$(mktemp -d); \
	$(BIN_DIR)/dialtoned --listen 127.0.0.1:$(BENCH_PORT) --state-dir "$$state" --log-level warning "$${DIALTONED_BENCH_ARGS[@]}" >"$$state/log" 2>&1 & \
	server=$$!; \
	trap 'kill $$server 2>/dev/null; wait $$server 2>/dev/null; rm -rf "$$state"' EXIT; \
	wait_for_status $(BENCH_PORT); \
	for mode in relay calls; do \
	  timeout 60 $(BIN_DIR)/dialtone-load -m $$mode -p $(BENCH_PORT) -n 2 -d 1 -w 0.5 -P $$server --json >"$$state/$$mode.json"; \
	  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); bad={k: r.get(k) for k in ("failed_conns","dropped","errors","acks_bad","unfinished") if r.get(k)}; \
	    assert r["measured"] > 0 and not bad, (sys.argv[2], r); print(sys.argv[2], "ok:", r["measured"], "measured")' "$$state/$$mode.json" $$mode; \
	done; \
	timeout 30 $(BIN_DIR)/dialtone-load -m idle -p $(BENCH_PORT) -n 20 -T 1 --json >"$$state/idle.json"; \
	python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["alive_end"] == 20 and r["failed"] == 0, r; print("idle ok: 20 held")' "$$state/idle.json"
