# libFuzzer targets (issue 7), the package in Fuzz/ (which instruments our modules only, with ASan
# and coverage: see its Package.swift). `make fuzz` runs each target for FUZZ_SECONDS (default
# 600) on a release build and keeps what it learns in .build-fuzz/corpus; `make test-fuzz` (part
# of `make test`) runs every target at once for FUZZ_TEST_SECONDS (default 45) from the seed
# corpus only, printing one line per target (the log's end when one fails). Its build is a debug
# one: it compiles SwiftNIO and swift-crypto about a third faster, which matters more to a CI run
# than the smoke run's executions per second.
# A crash stops the run; its input is written to .build-fuzz/artifacts/<target>-crash-*. Swift's
# own backtracer is off in fuzz runs: libFuzzer reports the crash, and ASan trips over the tracer.
# Swift's -sanitize=fuzzer links libFuzzer's own `main`, which SwiftPM's renamed entry points
# cannot coexist with: link libFuzzer without `main` instead (Fuzz/Sources/FuzzSupport starts it
# through LLVMFuzzerRunDriver).

FUZZ_TARGETS := FuzzEngineIO FuzzJSONRPC FuzzCore FuzzHTTP
FUZZ_SECONDS ?= 600
FUZZ_TEST_SECONDS ?= 45
FUZZ_CONFIGURATION = release
FUZZ_SCRATCH := $(CURDIR)/.build-fuzz
FUZZ_BIN = $(FUZZ_SCRATCH)/$(FUZZ_CONFIGURATION)
# libFuzzer without its `main`, from the Swift toolchain's own clang runtime.
FUZZ_RUNTIME = $(firstword $(wildcard $(shell dirname "$$(realpath "$$(command -v $(SWIFT))")")/../lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a))
# A target's token dictionary, when it has one (Fuzz/dict/<target>.dict; in a recipe loop).
FUZZ_DICT = $$(test -f Fuzz/dict/$$target.dict && echo -dict=Fuzz/dict/$$target.dict)
FUZZ_FLAGS := -timeout=10 -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1

.PHONY: fuzz-build fuzz test-fuzz

fuzz-build: check-swift
	@test -n "$(FUZZ_RUNTIME)" || { echo "error: no libclang_rt.fuzzer_no_main in the Swift toolchain" >&2; exit 1; }
	cd Fuzz && $(SWIFT) build -c $(FUZZ_CONFIGURATION) --scratch-path $(FUZZ_SCRATCH) \
	  -Xlinker $(FUZZ_RUNTIME) -Xlinker -lstdc++

fuzz: fuzz-build
	mkdir -p $(FUZZ_SCRATCH)/artifacts
	for target in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_SCRATCH)/corpus/$$target; \
	  SWIFT_BACKTRACE=enable=no $(FUZZ_BIN)/$$target $(FUZZ_FLAGS) $(FUZZ_DICT) -max_total_time=$(FUZZ_SECONDS) \
	    -artifact_prefix=$(FUZZ_SCRATCH)/artifacts/$$target- \
	    $(FUZZ_SCRATCH)/corpus/$$target Fuzz/corpus/$$target; \
	done

# New inputs go to a fresh directory, so the repository's seed corpus is only read.
test-fuzz: FUZZ_CONFIGURATION = debug
test-fuzz: fuzz-build
	mkdir -p $(FUZZ_SCRATCH)/artifacts
	for target in $(FUZZ_TARGETS); do \
	  rm -rf $(FUZZ_SCRATCH)/test-corpus/$$target; mkdir -p $(FUZZ_SCRATCH)/test-corpus/$$target; \
	  { SWIFT_BACKTRACE=enable=no $(FUZZ_BIN)/$$target $(FUZZ_FLAGS) $(FUZZ_DICT) -max_total_time=$(FUZZ_TEST_SECONDS) \
	      -artifact_prefix=$(FUZZ_SCRATCH)/artifacts/$$target- \
	      $(FUZZ_SCRATCH)/test-corpus/$$target Fuzz/corpus/$$target > $(FUZZ_SCRATCH)/test-$$target.log 2>&1; \
	    echo $$? > $(FUZZ_SCRATCH)/test-$$target.status; } & \
	done; wait; \
	for target in $(FUZZ_TARGETS); do \
	  log=$(FUZZ_SCRATCH)/test-$$target.log; \
	  test "$$(cat $(FUZZ_SCRATCH)/test-$$target.status)" = 0 \
	    || { tail -n 60 $$log; echo "$$target failed: input in $(FUZZ_SCRATCH)/artifacts/"; exit 1; }; \
	  echo "$$target: $$(grep -E '^Done' $$log)"; \
	done

TEST_EXTRA += test-fuzz
