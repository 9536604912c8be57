# fragment: hand state machine, pots and rake, PHH read/write, replay; felt-replay.
# Owner: hand (issue 3).  See HACKING.md.

lib_libfelt_a_SOURCES += \
	lib/hand.c lib/hand.h lib/hand_internal.h lib/betting.c lib/showdown.c \
	lib/pots.c lib/pots.h \
	lib/phh.c lib/phh_write.c lib/phh.h \
	lib/replay.c lib/replay.h

bin_PROGRAMS += tools/felt-replay
tools_felt_replay_SOURCES = tools/felt-replay.c

HAND_UNIT_TESTS = \
	t/unit/test_hand \
	t/unit/test_pots \
	t/unit/test_phh \
	t/unit/test_replay \
	t/unit/test_hand_random \
	t/unit/test_showdown \
	t/unit/test_hand_events

check_PROGRAMS += $(HAND_UNIT_TESTS)
TESTS += $(HAND_UNIT_TESTS) t/unit/test_felt_replay.sh
EXTRA_DIST += t/unit/test_felt_replay.sh
t_unit_test_hand_SOURCES = t/unit/test_hand.c t/unit/handplay.h t/unit/handtest.h
t_unit_test_hand_LDADD = $(UNIT_TEST_LIBS)
t_unit_test_pots_LDADD = $(UNIT_TEST_LIBS)
t_unit_test_phh_LDADD = $(UNIT_TEST_LIBS)
# The oracle replay looks for ../shared next to the source tree.
t_unit_test_replay_SOURCES = t/unit/test_replay.c t/unit/handtest.h
t_unit_test_replay_CPPFLAGS = $(AM_CPPFLAGS) -DFELT_TOP_SRCDIR='"$(abs_top_srcdir)"'
t_unit_test_replay_LDADD = $(UNIT_TEST_LIBS)
t_unit_test_hand_random_SOURCES = t/unit/test_hand_random.c t/unit/handtest.h
t_unit_test_hand_random_LDADD = $(UNIT_TEST_LIBS)
t_unit_test_showdown_SOURCES = t/unit/test_showdown.c t/unit/handplay.h t/unit/handtest.h
t_unit_test_showdown_LDADD = $(UNIT_TEST_LIBS)
t_unit_test_hand_events_SOURCES = t/unit/test_hand_events.c t/unit/handplay.h \
	t/unit/handtest.h
t_unit_test_hand_events_LDADD = $(UNIT_TEST_LIBS)

# make bench
EXTRA_PROGRAMS += t/bench/bench_hand
BENCH_PROGS += t/bench/bench_hand
t_bench_bench_hand_SOURCES = t/bench/bench_hand.c t/unit/handtest.h

# make fuzz: libFuzzer over the PHH reader, the replay and the export
# (t/fuzz/fuzz_phh.c).  clang only, built on demand from the sources (libfelt.a
# is gcc-built and not coverage-instrumented); the main build stays gcc.
# FUZZ_SECONDS=N to run longer; findings are written as crash-* files here.
FUZZ_CC = clang
FUZZ_SECONDS = 60
FUZZ_CFLAGS = -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -I$(top_srcdir)/lib -I$(top_builddir) -I$(top_builddir)/lib
FUZZ_PHH_SRCS = $(top_srcdir)/t/fuzz/fuzz_phh.c \
	$(top_srcdir)/lib/cards.c $(top_srcdir)/lib/deck.c $(top_srcdir)/lib/eval.c \
	$(top_srcdir)/lib/hash.c $(top_srcdir)/lib/hand.c $(top_srcdir)/lib/betting.c $(top_srcdir)/lib/showdown.c \
	$(top_srcdir)/lib/pots.c $(top_srcdir)/lib/phh.c $(top_srcdir)/lib/phh_write.c \
	$(top_srcdir)/lib/replay.c
EXTRA_DIST += t/fuzz/fuzz_phh.c t/fuzz/phh_seeds
CLEANFILES += t/fuzz/fuzz_phh

t/fuzz/fuzz_phh: $(FUZZ_PHH_SRCS) lib/eval_tables.c
	@$(MKDIR_P) t/fuzz
	$(AM_V_CC)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(FUZZ_PHH_SRCS) lib/eval_tables.c -lcrypto

fuzz: t/fuzz/fuzz_phh
	@$(MKDIR_P) t/fuzz/phh_corpus
	./t/fuzz/fuzz_phh -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
		t/fuzz/phh_corpus $(top_srcdir)/t/fuzz/phh_seeds

.PHONY: fuzz
