# samen - build, run, check, bench, install.
#
#   make run     install dependencies, build, start the whole stack on localhost
#   make check   install dependencies, build with sanitizers, run every test suite
#   make bench   build optimised, print the benchmark table
#   make fuzz    run the request-decoder fuzzer for FUZZ_SECONDS
#   make install PREFIX=/usr/local DESTDIR=
#   make pot     regenerate po/samen.pot from the sources, merge it into po/*.po
#
# Two builds live side by side: build/release (-O2, for run, bench, install)
# and build/check (-O1 with AddressSanitizer and UBSan, for the tests).

PREFIX   ?= /usr/local
DESTDIR  ?=
MODE     ?= release
B        := build/$(MODE)
CC       ?= cc

DEBS_BUILD := build-essential pkg-config libzmq3-dev libczmq-dev libmsgpack-dev liblmdb-dev \
              libjson-c-dev libcmark-dev gettext libcurl4-openssl-dev libmicrohttpd-dev \
              libsystemd-dev
DEBS_TEST  := python3 python3-zmq python3-msgpack python3-icalendar python3-aiosmtpd python3-yaml lmdb-utils clang \
              libclang-rt-14-dev debhelper dpkg-dev fakeroot chromium chromium-driver \
              python3-selenium iproute2

WARN     := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -Wformat=2 -Wno-format-nonliteral
CFLAGS_release := -O2 -g
CFLAGS_check   := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
                  -fno-sanitize-recover=undefined
LDFLAGS_release :=
LDFLAGS_check   := -fsanitize=address,undefined
LOCALEDIR := $(PREFIX)/share/locale
CFLAGS   := -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS_$(MODE)) -I. -MMD -MP \
            -DSM_LOCALEDIR='"$(LOCALEDIR)"'
LDFLAGS  := $(LDFLAGS_$(MODE))
# Every daemon serves /healthz, /readyz and /metrics (libmicrohttpd) and
# tells systemd how it is (libsystemd's sd_notify).
LIBS     := -lczmq -lzmq -lmsgpackc -llmdb -ljson-c -lcmark -lmicrohttpd -lsystemd -lm -lpthread
# Only intake speaks SMTP (libcurl).
LIBS_intake := -lcurl

SERVICES := intake scheduling reporting finance
COMMON_SRC := $(wildcard common/*.c) $(wildcard proto/*.c)
COMMON_OBJ := $(COMMON_SRC:%.c=$(B)/%.o)
LIBSAMEN   := $(B)/libsamen.a

# A service's sources minus main.c form its library, which unit tests link.
svc_src  = $(filter-out services/$(1)/main.c,$(wildcard services/$(1)/*.c))
svc_lib  = $(B)/lib$(1).a

BROKER_SRC := $(wildcard services/broker/*.c)
CLI_SRC    := $(wildcard cli/*.c)
# samen-site is a daemon built like a service (services/site), but a
# subscriber and client only: it serves no ops.
DAEMONS    := $(B)/samen-broker $(SERVICES:%=$(B)/samen-%) $(B)/samen-site
CLI        := $(B)/samenctl

UNIT_SRC   := $(wildcard tests/unit/test_*.c) $(wildcard tests/unit/*/test_*.c)
UNIT_BIN   := $(UNIT_SRC:%.c=$(B)/%)
BENCH_SRC  := $(wildcard tests/bench/*.c)
BENCH_BIN  := $(BENCH_SRC:%.c=$(B)/%)
FUZZ_SRC   := $(wildcard tests/fuzz/*_fuzz.c)

.PHONY: all deps run check bench fuzz install clean demo programs unit-bins bench-bins docs deb \
        pot pot-template catalogues axe
# Keep the objects of test and bench programs (pattern-rule intermediates)
# so that a second build does not recompile them.
.SECONDARY:
all: programs

programs: $(DAEMONS) $(CLI) catalogues
unit-bins: $(UNIT_BIN) $(B)/tests/fuzz/replay $(B)/tools/opsdoc catalogues
bench-bins: $(BENCH_BIN)

# ---- dependencies -----------------------------------------------------------
# Installs only what is missing, non-interactively. Needs root (or sudo).
deps:
	@missing=""; for p in $(DEBS_BUILD) $(DEBS_TEST); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	    echo "installing:$$missing"; \
	    SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	    $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# ---- compile ----------------------------------------------------------------
$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(LIBSAMEN): $(COMMON_OBJ)
	@mkdir -p $(dir $@)
	ar rcs $@ $^

# The word lists the personal-data scan ships with (services/intake/data/*.txt)
# are compiled into samen-intake as C strings (see services/intake/pii_lexicon.h).
INTAKE_DATA := $(sort $(wildcard services/intake/data/*.txt))
svc_gen_intake := $(B)/gen/pii_data.o
$(B)/gen/pii_data.c: $(INTAKE_DATA) services/intake/data/embed.awk
	@mkdir -p $(dir $@)
	awk -f services/intake/data/embed.awk $(INTAKE_DATA) > $@.tmp && mv $@.tmp $@
$(B)/gen/pii_data.o: $(B)/gen/pii_data.c
	$(CC) $(CFLAGS) -c $< -o $@

define SERVICE_RULES
$(B)/lib$(1).a: $(patsubst %.c,$(B)/%.o,$(call svc_src,$(1))) $(svc_gen_$(1))
	@mkdir -p $$(dir $$@)
	rm -f $$@; ar rcs $$@ $$^
$(B)/samen-$(1): $(B)/services/$(1)/main.o $(B)/lib$(1).a $(LIBSAMEN)
	$(CC) $(LDFLAGS) -o $$@ $$^ $(LIBS) $(LIBS_$(1))
$(B)/tests/unit/$(1)/test_%: $(B)/tests/unit/$(1)/test_%.o $(B)/lib$(1).a $(LIBSAMEN)
	$(CC) $(LDFLAGS) -o $$@ $$^ $(LIBS) $(LIBS_$(1))
endef
$(foreach s,$(SERVICES) site,$(eval $(call SERVICE_RULES,$(s))))

$(B)/libbroker.a: $(patsubst %.c,$(B)/%.o,$(filter-out services/broker/main.c,$(BROKER_SRC)))
	@mkdir -p $(dir $@)
	rm -f $@; ar rcs $@ $^
$(B)/samen-broker: $(B)/services/broker/main.o $(B)/libbroker.a $(LIBSAMEN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)
$(B)/tests/unit/broker/test_%: $(B)/tests/unit/broker/test_%.o $(B)/libbroker.a $(LIBSAMEN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# samenctl's sources minus main.c form its library, which unit tests link.
$(B)/libcli.a: $(patsubst %.c,$(B)/%.o,$(filter-out cli/main.c,$(CLI_SRC)))
	@mkdir -p $(dir $@)
	rm -f $@; ar rcs $@ $^
# samenctl top reads the daemons' /metrics over HTTP (libcurl).
$(CLI): $(B)/cli/main.o $(B)/libcli.a $(LIBSAMEN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) -lcurl
$(B)/tests/unit/cli/test_%: $(B)/tests/unit/cli/test_%.o $(B)/libcli.a $(LIBSAMEN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) -lcurl

$(B)/tests/unit/test_%: $(B)/tests/unit/test_%.o $(LIBSAMEN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(B)/tests/bench/%: $(B)/tests/bench/%.o $(LIBSAMEN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# Writes the op reference and the role matrix from the declarations.
$(B)/tools/opsdoc: $(B)/tools/opsdoc.o $(LIBSAMEN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# The fuzz corpus replayer: every input the fuzzer ever kept runs in make check.
$(B)/tests/fuzz/replay: $(B)/tests/fuzz/replay.o $(B)/tests/fuzz/request_fuzz.o $(LIBSAMEN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# ---- translations (GNU gettext) -------------------------------------------
# po/samen.pot holds every marked English string (xgettext over the sources,
# keywords _ N_ C_ NC_ Q_); po/LANG.po its translation; msgfmt compiles each
# into B/locale/LANG/LC_MESSAGES/samen.mo, where the programs find it when
# run from the build tree (common/i18n.h). `make pot` after adding or
# changing a string, then translate the new entries in po/nl.po.
PO_LANGS   := $(basename $(notdir $(wildcard po/*.po)))
CATALOGUES := $(PO_LANGS:%=$(B)/locale/%/LC_MESSAGES/samen.mo)
POT_SRC     = $(sort $(wildcard common/*.[ch] proto/*.[ch] services/*/*.[ch] cli/*.[ch]))
XGETTEXT   := xgettext --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ \
              --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=Q_:1,2 \
              --add-comments=TRANSLATORS: --sort-output --add-location=file \
              --package-name=samen --msgid-bugs-address=samen --no-wrap

catalogues: $(CATALOGUES)

$(B)/locale/%/LC_MESSAGES/samen.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

# The template as the sources make it now, into POT_OUT (tests/check_po.sh).
pot-template:
	@$(XGETTEXT) -o $(POT_OUT) $(POT_SRC)

# Regenerate the template; keep the old file (and its date) when only the
# date would change, so that the template changes only with the strings.
pot:
	@$(XGETTEXT) -o po/samen.pot.new $(POT_SRC)
	@if [ -f po/samen.pot ] && diff -q -I '^"POT-Creation-Date:' po/samen.pot po/samen.pot.new >/dev/null; then \
	    rm po/samen.pot.new; echo "po/samen.pot is current"; \
	else mv po/samen.pot.new po/samen.pot; echo "po/samen.pot regenerated"; fi
	@for po in po/*.po; do msgmerge --quiet --update --backup=none --no-wrap --sort-output --no-fuzzy-matching $$po po/samen.pot; \
	    msgattrib --no-obsolete --no-wrap --sort-output -o $$po $$po; \
	    msgfmt --statistics -o /dev/null $$po 2>&1 | sed "s|^|$$po: |"; done

# ---- the two README commands ------------------------------------------------
run: deps
	@$(MAKE) --no-print-directory MODE=release programs
	@exec tools/run-stack build/release

check: deps
	@$(MAKE) --no-print-directory MODE=check programs unit-bins
	@# The broker's memory after a connection storm means something only
	@# without AddressSanitizer's allocator: that test runs the release broker.
	@$(MAKE) --no-print-directory MODE=release programs
	@$(MAKE) --no-print-directory axe || echo "axe-core was not installed: the browser test says why"
	@/usr/bin/python3 tests/run.py --bin build/check

bench: deps
	@$(MAKE) --no-print-directory MODE=release programs bench-bins
	@/usr/bin/python3 tests/bench/run.py --bin build/release

# axe-core, the accessibility engine the browser test runs in Chromium
# (tests/integration/test_site_browser.py), from the npm registry, pinned
# with its integrity hash in tests/browser/package-lock.json, into build/axe.
# npm is Debian's package when the machine has no npm (a Node.js installed
# from elsewhere brings its own, and the two cannot be installed together).
AXE := build/axe/node_modules/axe-core/axe.min.js
axe: $(AXE)
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@command -v npm >/dev/null || { SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	    $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends npm; }
	@rm -rf build/axe && mkdir -p build/axe
	cp tests/browser/package.json tests/browser/package-lock.json build/axe/
	cd build/axe && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@test -f $@

# proto/ops-<service>.md and the role matrix in PROTOCOL.md come from the op
# declarations (proto/ops_*.c); `make check` fails when they are out of date.
docs:
	@$(MAKE) --no-print-directory MODE=release build/release/tools/opsdoc
	@tools/gendocs build/release/tools/opsdoc

FUZZ_SECONDS ?= 60
fuzz: deps
	@mkdir -p build/fuzz tests/fuzz/corpus
	clang -std=c11 -D_GNU_SOURCE -g -O1 -I. -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=undefined \
	    tests/fuzz/request_fuzz.c $(COMMON_SRC) -o build/fuzz/request_fuzz $(LIBS)
	@echo "new findings land in build/fuzz/; keep each as a file in tests/fuzz/regressions"
	build/fuzz/request_fuzz -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	    -artifact_prefix=build/fuzz/ tests/fuzz/corpus

demo: deps
	@$(MAKE) --no-print-directory MODE=release programs
	@tools/demo build/release

# The units name the binaries where they are installed (@BINDIR@). UNITDIR
# is /lib/systemd/system for a package; by default they go next to the docs.
DOCDIR  ?= $(PREFIX)/share/samen
# The mail templates (intake/mail/templates): one directory per language.
MAILDIR ?= $(PREFIX)/share/samen/mail
UNITDIR ?= $(DOCDIR)/systemd
install: programs
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DOCDIR) $(DESTDIR)$(UNITDIR)
	install -m 0755 $(DAEMONS) $(CLI) $(DESTDIR)$(PREFIX)/bin/
	for l in $(PO_LANGS); do \
	    install -d $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES && \
	    install -m 0644 $(B)/locale/$$l/LC_MESSAGES/samen.mo $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES/; \
	done
	install -m 0644 deploy/samen.cfg $(DESTDIR)$(DOCDIR)/samen.cfg.example
	sed -e 's|/usr/share/samen/mail|$(MAILDIR)|g' deploy/samen.system.cfg \
	    > $(DESTDIR)$(DOCDIR)/samen.system.cfg && chmod 0644 $(DESTDIR)$(DOCDIR)/samen.system.cfg
	install -m 0644 proto/PROTOCOL.md $(DESTDIR)$(DOCDIR)/
	for d in share/samen/mail/*/; do \
	    install -d $(DESTDIR)$(MAILDIR)/$$(basename $$d) && \
	    install -m 0644 $$d*.txt $$d*.html $(DESTDIR)$(MAILDIR)/$$(basename $$d)/ || exit 1; \
	done
	for u in deploy/systemd/*.service; do \
	    sed -e 's|@BINDIR@|$(PREFIX)/bin|g' -e 's|@DOCDIR@|$(DOCDIR)|g' $$u \
	        > $(DESTDIR)$(UNITDIR)/$$(basename $$u) && \
	    chmod 0644 $(DESTDIR)$(UNITDIR)/$$(basename $$u) || exit 1; \
	done

# A Debian package built from the tree (debian/): build/deb/samen_*.deb.
VERSION := $(shell sed -n '1s/.*(\(.*\)).*/\1/p' debian/changelog)
deb: deps
	rm -rf build/deb && mkdir -p build/deb/src/samen-$(VERSION)
	git ls-files -z | tar --null -T - -cf - | tar -xf - -C build/deb/src/samen-$(VERSION)
	cd build/deb/src/samen-$(VERSION) && dpkg-buildpackage -b -us -uc -j2 >../build.log 2>&1 || \
	    { tail -40 ../build.log; exit 1; }
	mv build/deb/src/*.deb build/deb/
	@ls build/deb/*.deb

clean:
	rm -rf build

-include $(shell find $(B) -name '*.d' -type f 2>/dev/null)
