# SPDX-License-Identifier: GPL-2.0-or-later
# softwire: plain GNU make.  make, make check, make fuzz, make demo,
# make install (PREFIX, DESTDIR), V=1 for commands, WERROR=1 for -Werror.

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=
VERSION := 0.1

CC ?= cc
# The rule generator runs at build time: a cross build sets CC, not HOSTCC.
HOSTCC ?= cc
PKG_CONFIG ?= pkg-config
CLANG ?= clang
CFLAGS ?= -O2 -g
WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2
ifeq ($(WERROR),1)
WARNINGS += -Werror
endif
SW_CFLAGS := -std=gnu11 $(WARNINGS) -Isrc -D_GNU_SOURCE \
	-DSOFTWIRE_VERSION='"$(VERSION)"' -MMD -MP
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-6s %s\n' $(1) $(2);
endif

B := build
CORE_SRC := src/core/addr.c src/core/err.c src/core/map.c src/core/rule.c \
	src/core/s46.c src/core/service.c src/core/builtin.c \
	src/core/pkt.c src/core/dp.c src/core/sbuf.c src/core/plan.c \
	src/core/state.c src/core/config.c src/core/kv.c \
	src/core/bind.c src/core/aftr.c src/core/nd.c src/core/dpaftr.c \
	src/core/ipip.c
EDGE_SRC := src/opt.c src/ruleset.c src/json.c src/log.c src/linux/tun.c \
	src/linux/ctl.c src/linux/loop.c src/linux/cedp.c
# The line: what up changes, decided apart from doing it (pure).
LINE_SRC := src/line/change.c src/line/store.c src/line/resolve.c \
	src/line/prepare.c src/line/up.c src/line/down.c src/line/flush.c
CLI_SRC := $(LINE_SRC) src/cli/main.c src/cli/calc.c src/cli/rules.c \
	src/cli/datapath.c \
	src/cli/render.c src/cli/line.c src/cli/up.c src/cli/updown.c \
	src/cli/down.c src/cli/show.c src/cli/run.c \
	src/cli/runstatus.c src/cli/rundp.c src/cli/rundns.c src/cli/runhook.c \
	src/cli/status.c \
	src/linux/nl.c src/linux/rtnl.c src/linux/nft.c src/linux/ct.c \
	src/linux/probe.c src/linux/dns.c \
	$(EDGE_SRC)
# softwire talks netlink (libmnl) and nftables (libnftables), and asks the
# line's DNS for a DS-Lite AFTR (c-ares); softwire-br needs none of them.
CLI_LIBS := $(shell $(PKG_CONFIG) --libs libmnl libnftables libcares \
	2>/dev/null || echo -lmnl -lnftables -lcares)
GEN_SRC := $(B)/gen/rules_jp.c
UNIT_TESTS := addr map rule s46 builtin dp frag plan state change config \
	bind aftr dslite ipip
FUZZERS := addr rule s46 pkt frag plan state config kv bind aftr nd aftrdp \
	ipip

CORE_OBJ := $(CORE_SRC:%.c=$(B)/%.o) $(B)/gen/rules_jp.o
CLI_OBJ := $(CLI_SRC:%.c=$(B)/%.o)
UNIT_BIN := $(UNIT_TESTS:%=$(B)/tests/test_%)
FUZZ_BIN := $(FUZZERS:%=$(B)/fuzz/fuzz_%)

.SECONDARY:
.PHONY: all check check-run unit cli-test e2e e2e-vm bench fuzz fuzz-check demo install uninstall clean
all: $(B)/softwire $(B)/softwire-br

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(call msg,CC,$<)
	$(Q)$(CC) $(SW_CFLAGS) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/gen/rules_jp.o: $(B)/gen/rules_jp.c
	$(call msg,CC,$<)
	$(Q)$(CC) $(SW_CFLAGS) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The generator links the same strict parsers as the program, built for
# the build machine.
$(B)/gen-rules: tools/gen-rules.c src/core/addr.c src/core/err.c \
		src/core/map.c src/core/service.c
	@mkdir -p $(@D)
	$(call msg,HOSTCC,$@)
	$(Q)$(HOSTCC) $(SW_CFLAGS) -MF $(B)/gen-rules.d -O1 -o $@ $^

$(B)/gen/rules_jp.c: data/jp-map-e.tsv $(B)/gen-rules
	@mkdir -p $(@D)
	$(call msg,GEN,$@)
	$(Q)$(B)/gen-rules $< $@

$(B)/libswcore.a: $(CORE_OBJ)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(B)/softwire: $(CLI_OBJ) $(B)/libswcore.a
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CLI_LIBS) $(LDLIBS)

BR_OBJ := $(B)/br/main.o $(EDGE_SRC:%.c=$(B)/%.o)
$(B)/softwire-br: $(BR_OBJ) $(B)/libswcore.a
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Unit tests (cmocka).
$(B)/tests/test_%: $(B)/tests/unit/test_%.o $(B)/libswcore.a
	@mkdir -p $(@D)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter-out %.a,$^) \
	    $(filter %.a,$^) $(CMOCKA_LIBS)

$(B)/tests/unit/%.o: SW_CFLAGS += -DVECTORS='"$(CURDIR)/tests/vectors/public.tsv"'
# The line's planner is tested without the kernel edge it drives.
$(B)/tests/test_change: $(B)/src/line/change.o $(B)/src/line/store.o

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

cli-test: $(B)/softwire $(B)/softwire-br
	@sh tests/cli/run.sh $(B)/softwire $(B)/softwire-br

# The lab on the host kernel: namespaces, userspace datapath, softwire-br.
e2e: $(B)/softwire $(B)/softwire-br
	@sh tests/netns/lab.sh $(B)/softwire $(B)/softwire-br
	@sh tests/netns/daemon.sh $(B)/softwire
	@sh tests/netns/line.sh $(B)/softwire $(B)/softwire-br userspace
	@sh tests/netns/lw4o6.sh $(B)/softwire $(B)/softwire-br userspace
	@sh tests/netns/dslite.sh $(B)/softwire $(B)/softwire-br userspace
	@sh tests/netns/ipip.sh $(B)/softwire $(B)/softwire-br userspace
	@sh tests/netns/fw4.sh $(B)/softwire $(B)/softwire-br userspace
	@sh tests/netns/service.sh $(B)/softwire $(B)/softwire-br userspace
	@sh tests/netns/router.sh $(B)/softwire $(B)/softwire-br userspace

# The lab under Debian's own kernel in QEMU, the CEs on ip6tnl: the
# hand-made baseline NAT, then the reference ruleset; then softwire up,
# show and down; softwire run through 50 prefix changes; lw4o6; DS-Lite;
# fixed-IP IPIP; fw4; s6, OpenRC and the service files; the router of
# docs/router.md.
e2e-vm: $(B)/softwire $(B)/softwire-br
	@sh tests/vm/run.sh sh tests/vm/lab.sh $(B)/softwire $(B)/softwire-br
	@sh tests/vm/run.sh sh tests/vm/up.sh $(B)/softwire $(B)/softwire-br
	@sh tests/vm/run.sh sh tests/netns/line.sh $(B)/softwire \
	  $(B)/softwire-br kernel
	@sh tests/vm/run.sh sh tests/netns/lw4o6.sh $(B)/softwire \
	  $(B)/softwire-br kernel
	@sh tests/vm/run.sh sh tests/netns/dslite.sh $(B)/softwire \
	  $(B)/softwire-br kernel
	@sh tests/vm/run.sh sh tests/netns/ipip.sh $(B)/softwire \
	  $(B)/softwire-br kernel
	@sh tests/vm/run.sh sh tests/netns/fw4.sh $(B)/softwire \
	  $(B)/softwire-br kernel
	@sh tests/vm/run.sh sh tests/netns/service.sh $(B)/softwire \
	  $(B)/softwire-br kernel
	@sh tests/vm/run.sh sh tests/netns/router.sh $(B)/softwire \
	  $(B)/softwire-br kernel

# Benchmarks: one summary line each, ratios measured in the same run.
# The connection-rate client of bench/ruleset.sh.
$(B)/bench-cps: bench/cps.c
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(SW_CFLAGS) $(CFLAGS) -o $@ $<

# softwire-br's decision per packet: one rule against all built-in rules.
$(B)/bench-brrules: bench/brrules.c $(B)/libswcore.a
	$(call msg,CC,$@)
	$(Q)$(CC) $(SW_CFLAGS) $(CFLAGS) -o $@ $^

bench: $(B)/softwire $(B)/softwire-br $(B)/bench-cps $(B)/bench-brrules
	@$(B)/bench-brrules
	@sh bench/nat.sh $(B)/softwire
	@sh bench/nftcost.sh $(B)/softwire $(B)/bench-cps
	@sh bench/datapath.sh $(B)/softwire $(B)/softwire-br userspace
	@sh bench/fragflood.sh $(B)/softwire $(B)/softwire-br
	@sh tests/vm/run.sh sh -c 'sh tests/vm/modules.sh && \
	  BENCH_PEER=kernel sh bench/datapath.sh $(B)/softwire \
	  $(B)/softwire-br userspace kernel' 2>/dev/null
	@sh tests/vm/run.sh sh -c 'sh tests/vm/modules.sh && \
	  sh bench/ruleset.sh $(B)/softwire' 2>/dev/null
	@sh tests/vm/run.sh sh -c 'sh tests/vm/modules.sh && \
	  sh bench/prefix.sh $(B)/softwire $(B)/softwire-br' 2>/dev/null
	@sh tests/vm/run.sh sh -c 'sh tests/vm/modules.sh && \
	  sh bench/reconverge.sh $(B)/softwire $(B)/softwire-br kernel' \
	  2>/dev/null
	@sh bench/reconverge.sh $(B)/softwire $(B)/softwire-br userspace

# libFuzzer harnesses (clang, ASan + UBSan).  fuzz-check runs each for a
# bounded number of inputs; a crash or a failed invariant fails it.
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Isrc -D_GNU_SOURCE \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_RUNS ?= 500000
$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(CORE_SRC) $(GEN_SRC)
	@mkdir -p $(@D)
	$(call msg,FUZZ,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -o $@ $^

fuzz: $(FUZZ_BIN)

fuzz-check: $(FUZZ_BIN)
	@set -e; for f in $(FUZZERS); do \
	  echo "== fuzz_$$f ($(FUZZ_RUNS) runs)"; \
	  mkdir -p $(B)/fuzz/corpus-$$f; \
	  $(B)/fuzz/fuzz_$$f -runs=$(FUZZ_RUNS) -seed=1 -max_len=512 \
	    -dict=tests/fuzz/$$f.dict $(B)/fuzz/corpus-$$f tests/fuzz/seed-$$f \
	    2>$(B)/fuzz/fuzz_$$f.log || { tail -40 $(B)/fuzz/fuzz_$$f.log; exit 1; }; \
	  tail -1 $(B)/fuzz/fuzz_$$f.log; \
	done

# make check sets itself up: the packages it needs are installed first
# (as root), or it says which command installs them.
check:
	@sh tools/install-deps.sh
	@$(MAKE) --no-print-directory check-run

check-run: all $(UNIT_BIN)
	@command -v $(CLANG) >/dev/null 2>&1 || { echo "clang not found:" \
	  "the fuzzers cannot run (sh tools/install-deps.sh)"; exit 1; }
	@FUZZERS="$(FUZZERS)" sh tests/check.sh $(UNIT_BIN)

demo:
	@sh tools/demo.sh

# Both programs and their man pages.  The service files in contrib/ are
# the packages' to place (each init system has its own directory).
install: $(B)/softwire $(B)/softwire-br
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(MANDIR)/man5
	install -m 0755 $(B)/softwire $(B)/softwire-br $(DESTDIR)$(SBINDIR)/
	install -m 0644 man/softwire.8 man/softwire-br.8 \
	    $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 man/softwire.conf.5 $(DESTDIR)$(MANDIR)/man5/

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/softwire $(DESTDIR)$(MANDIR)/man8/softwire.8 \
	    $(DESTDIR)$(MANDIR)/man5/softwire.conf.5 \
	    $(DESTDIR)$(SBINDIR)/softwire-br $(DESTDIR)$(MANDIR)/man8/softwire-br.8

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
