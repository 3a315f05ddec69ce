# lostflush: one build.
#   make run      install what is missing, build, run the default scenario
#   make check    install what is missing, build, run every test; the output
#                 ends "N passed, N failed"
#   make check-quick  the unit tests and the suites that take seconds
#   make          ./stress (gcc, -O2, warnings are errors) and docs/scenarios.md
#   make tsan     ./stress-tsan (clang -fsanitize=thread)
#   make asan     ./stress-asan (clang -fsanitize=address,undefined)
#   make fuzz     the libFuzzer targets, 60 s each (FUZZ_SECONDS)
#   make lint     cppcheck, clang-tidy and the layering check
#   make format   clang-format the tree; make format-check says if it is not
#   make bench    benchmarks (hyperfine); the figures in reports/out/bench.json
#                 and bench.md; BENCH_QUICK=1 for a run of a minute
#   make nightly  every row --list --json states, TSan, claims, mutants: nightly-out/
#                 (NIGHTLY_SCALE=N for longer nights; scripts/nightly.py --help)
#   make mutants  the mutation score: tests/mutants/ against the fixed variants
#                 (after checking each one's recorded kill in a shifted tree)
#   make setup    install missing Debian packages (as root) or print the line
VERSION := 0.1.0

CC ?= gcc
ifeq ($(origin CC),default)
CC := gcc
endif
TSAN_CC ?= clang
CFLAGS ?= -O2 -g
# -Wno-override-init: a variant's policy is its base's designated
# initializers followed by the fields it changes, the later one winning.
WARN := -Wall -Wextra -Werror -Wno-override-init
CPPFLAGS += -DLOSTFLUSH_VERSION='"$(VERSION)"' -D_GNU_SOURCE
BASE_CFLAGS := -std=gnu11 -pthread $(WARN) -MMD -MP
# liburcu's membarrier flavour (urcu-memb): RCU-freed page tables.
LDLIBS := -ljansson -lurcu-memb -lurcu-common -lm -pthread

# Every source of the model, its workers and scenarios: a new file joins the
# build by being there.
LIB_SRCS := $(wildcard engine/*.c model/*.c oracle/*.c arch/*.c real/*.c workers/*.c \
	litmus/*.c scenarios/*.c reports/*.c) \
	$(filter-out cli/main.c,$(wildcard cli/*.c))
# Each object depends on the headers it includes, as the compiler saw them
# (-MMD), not on every header of the tree; -MP keeps a deleted header from
# breaking the build.

OBJS := $(LIB_SRCS:%.c=build/%.o)
TSAN_OBJS := $(LIB_SRCS:%.c=build-tsan/%.o)
ASAN_OBJS := $(LIB_SRCS:%.c=build-asan/%.o)
COV_OBJS := $(LIB_SRCS:%.c=build-cov/%.o)
# AddressSanitizer and UBSan (any undefined behaviour stops the run), with
# libFuzzer's coverage hooks, so the fuzz targets and ./stress-asan share
# one build of the library.
ASAN_CC ?= clang
ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,build-asan/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 60

.PHONY: all tsan asan fuzz run check check-quick test unit bench setup clean nightly mutants \
	lint format format-check

# docs/scenarios.md is generated from ./stress --list --json: `make`
# rewrites it whenever the catalogue changes, so a new scenario or variant
# brings its page along (06-docs fails on a committed page that is stale).
all: stress docs/scenarios.md
# After the first rule: `make` alone builds stress, not the first object a
# dependency file names.
-include $(shell find build build-tsan build-asan build-cov -name '*.d' 2>/dev/null)

build/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(BASE_CFLAGS) $(CFLAGS) -c -o $@ $<

build-tsan/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	$(TSAN_CC) $(CPPFLAGS) $(BASE_CFLAGS) -O1 -g -fsanitize=thread -c -o $@ $<

stress: build/cli/main.o $(OBJS)
	$(CC) $(BASE_CFLAGS) -o $@ $^ $(LDLIBS)

docs/scenarios.md: stress scripts/scenarios_doc.py
	python3 scripts/scenarios_doc.py ./stress > $@.tmp && mv $@.tmp $@

stress-tsan: build-tsan/cli/main.o $(TSAN_OBJS)
	$(TSAN_CC) $(BASE_CFLAGS) -fsanitize=thread -o $@ $^ $(LDLIBS)

tsan: stress-tsan

# gcov's line counts, for the mutation runner: which fixed-variant runs
# execute the lines a mutant changes.
build-cov/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(BASE_CFLAGS) -O1 -g --coverage -c -o $@ $<

stress-cov: build-cov/cli/main.o $(COV_OBJS)
	$(CC) $(BASE_CFLAGS) --coverage -o $@ $^ $(LDLIBS)

build-asan/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	$(ASAN_CC) $(CPPFLAGS) $(BASE_CFLAGS) $(ASAN_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

stress-asan: build-asan/cli/main.o $(ASAN_OBJS)
	$(ASAN_CC) $(BASE_CFLAGS) $(ASAN_FLAGS) -o $@ $^ $(LDLIBS)

asan: stress-asan

build-asan/fuzz/%: tests/fuzz/%.c $(ASAN_OBJS)
	@mkdir -p $(dir $@)
	$(ASAN_CC) $(CPPFLAGS) $(BASE_CFLAGS) $(ASAN_FLAGS) -fsanitize=fuzzer -o $@ $< \
		$(ASAN_OBJS) $(LDLIBS)

fuzz: $(FUZZ_TARGETS)
	@scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# ---- tests -------------------------------------------------------------------
UNIT_TESTS := $(patsubst tests/unit/%.c,build/tests/%,$(wildcard tests/unit/test_*.c))

build/tests/%: tests/unit/%.c $(OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(BASE_CFLAGS) $(CFLAGS) -o $@ $< $(OBJS) $(LDLIBS) -lcmocka

unit: $(UNIT_TESTS)

# run and check install what is missing first, then build in a fresh make,
# so a new machine needs only these two commands. The main job judges each
# variant where its claim holds however busy the machine is: free mode
# first, for the variants free mode catches reliably (the rest are shown
# as not judged, with the reason), then the state search, whose verdict is
# counted in executions of a fixed seed and so is the same on any machine.
RUN_SCENARIO := invlpg-defer
run: setup
	@$(MAKE) --no-print-directory stress
	./stress --scenario $(RUN_SCENARIO) --variant all --duration 20s
	./stress --scenario $(RUN_SCENARIO) --variant all --sched cover --seed 1 --executions 300000

# Every core builds: the three sanitizer-free, TSan and ASan builds of the
# library are independent.
check: setup
	@$(MAKE) --no-print-directory -j$(shell nproc) test

test: stress stress-tsan stress-asan build/bench_tlb_loop $(UNIT_TESTS) $(FUZZ_TARGETS)
	@tests/run-all.sh

check-quick: setup
	@$(MAKE) --no-print-directory -j$(shell nproc) stress $(UNIT_TESTS)
	@tests/run-all.sh --quick

lint:
	@mkdir -p build
	@scripts/lint.sh

SOURCES = $(shell git ls-files '*.c' '*.h')

format:
	@clang-format -i $(SOURCES)

format-check:
	@clang-format --dry-run -Werror $(SOURCES) && echo "format-check: the tree is formatted"

# The bare loop of the model's TLB lookups that section 9 of make bench sets
# a vCPU thread's access rate beside: linked against the objects ./stress is.
build/bench_tlb_loop: scripts/bench_tlb_loop.c $(OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(BASE_CFLAGS) $(CFLAGS) -o $@ $< $(OBJS) $(LDLIBS)

# BENCH_QUICK=1: every length and seed count shortened, a run of a minute.
bench: stress stress-tsan build/bench_tlb_loop
	@scripts/bench.sh

# Each tests/mutants/*.mutant against the fixed variants, after the check
# that each one's recorded run still kills it in a copy of the tree whose
# model/ and arch/ files all start 20 lines lower; MUTANTS=glob picks some,
# MUTANT_SECONDS sets each run's length, MUTANT_SANITIZERS=1 adds the
# ./stress-asan and ./stress-tsan runs (the builds there are).
mutants: stress stress-cov
	@tests/tools/mutants.py --shifted --only '$(or $(MUTANTS),*)'
	@tests/tools/mutants.py --only '$(or $(MUTANTS),*)' --seconds $(or $(MUTANT_SECONDS),1) \
		$(if $(MUTANT_SANITIZERS),--sanitizers)

nightly: setup stress stress-tsan stress-cov build/bench_tlb_loop
	@scripts/nightly.sh

setup:
	@scripts/setup.sh

clean:
	rm -rf build build-tsan build-asan build-cov stress stress-tsan stress-asan stress-cov mutants-out
