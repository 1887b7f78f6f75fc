# libFuzzer harnesses (tests/fuzz/fuzz_*.c): the pure parts of the host
# library fed arbitrary input over a fake guest memory, no /dev/kvm.
#   make fuzz       : each harness for FUZZ_RUNS inputs (default 1000000),
#                     or for FUZZ_TIME seconds when that is set; the corpus
#                     grows in $(O)/fuzz/corpus, crashes land in $(O)/fuzz
#   make fuzz-smoke : FUZZ_SMOKE_RUNS (20000) inputs each from a fixed seed,
#                     skipped (with the reason) when $(FUZZ_CC) has no
#                     libFuzzer (Debian 12: package libclang-rt-14-dev)
# The library is compiled again with coverage and ASan+UBSan for them.
FUZZ_CC         ?= clang
FUZZ_O          := $(O)/fuzz
FUZZ_SRCS       := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS       := $(FUZZ_SRCS:tests/fuzz/%.c=$(FUZZ_O)/%)
FUZZ_LIB_OBJS   := $(HOST_SRCS:%.c=$(FUZZ_O)/%.o)
FUZZ_SAN        := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
FUZZ_CFLAGS     := -std=gnu11 -O1 -g $(WARN) -D_GNU_SOURCE -Iinclude -Ilib/host \
	-Ilib/common -MMD -MP $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_RUNS       ?= 1000000
FUZZ_TIME       ?=
FUZZ_SMOKE_RUNS ?= 20000
# the largest input: a kvm_run mapping of 3 pages, or RAM plus a page
FUZZ_MAX_LEN    ?= 20000
FUZZ_LIMIT       = $(if $(FUZZ_TIME),-max_total_time=$(FUZZ_TIME),-runs=$(FUZZ_RUNS))
FUZZ_FLAGS      ?=
FUZZ_PROBE      := printf 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }\n' | \
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -x c - -o /dev/null >/dev/null 2>&1

.PHONY: fuzz fuzz-build fuzz-smoke

$(FUZZ_O)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_O)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(FUZZ_LIB_OBJS) -o $@ $(HOST_LDLIBS)

fuzz-build: $(FUZZ_BINS)

# A harness's dictionary is tests/fuzz/<name minus fuzz_>.dict when present,
# its seed inputs tests/fuzz/seeds/<name>/ (read only) when present
fuzz: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do \
		n=$${f##*/}; d=tests/fuzz/$${n#fuzz_}.dict; \
		mkdir -p $(FUZZ_O)/corpus/$$n; \
		echo "fuzz: $$n $(FUZZ_LIMIT)"; \
		$$f $(FUZZ_LIMIT) -max_len=$(FUZZ_MAX_LEN) \
			-artifact_prefix=$(FUZZ_O)/$$n- \
			$$([ -f $$d ] && echo -dict=$$d) $(FUZZ_FLAGS) \
			$(FUZZ_O)/corpus/$$n \
			$$([ -d tests/fuzz/seeds/$$n ] && echo tests/fuzz/seeds/$$n) \
			2>$(FUZZ_O)/$$n.log || \
			{ tail -n 60 $(FUZZ_O)/$$n.log; exit 1; }; \
		grep -E '^Done [0-9]+ runs' $(FUZZ_O)/$$n.log; \
	done

fuzz-smoke:
	@if $(FUZZ_PROBE); then \
		$(MAKE) --no-print-directory fuzz FUZZ_TIME= \
			FUZZ_RUNS=$(FUZZ_SMOKE_RUNS) FUZZ_FLAGS="-seed=1 $(FUZZ_FLAGS)"; \
	else \
		echo "fuzz-smoke: SKIP: $(FUZZ_CC) -fsanitize=fuzzer does not link (Debian 12: apt-get install libclang-rt-14-dev)"; \
	fi
