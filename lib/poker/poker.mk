# lib/poker/poker.mk — the poker engine in libfelt (lib/poker/all.h is the map):
# cards, the ChaCha20 deck, the 7-card evaluator, the NLHE hand state machine with
# pots and rake, PHH read/write and replay; felt-replay.

lib_libfelt_a_SOURCES += \
	lib/poker/all.h \
	lib/poker/cards.c lib/poker/cards.h \
	lib/poker/deck.c lib/poker/deck.h \
	lib/poker/eval.c lib/poker/eval.h lib/poker/eval_tables.h \
	lib/poker/hand.c lib/poker/hand.h lib/poker/hand_internal.h \
	lib/poker/betting.c lib/poker/showdown.c lib/poker/seats.c \
	lib/poker/button.c lib/poker/button.h \
	lib/poker/pots.c lib/poker/pots.h \
	lib/poker/phh.c lib/poker/phh_write.c lib/poker/phh.h \
	lib/poker/replay.c lib/poker/replay.h \
	lib/poker/view.c lib/poker/view.h \
	lib/poker/handlog.c lib/poker/handlog_json.c lib/poker/handlog_phh.c \
	lib/poker/handlog.h lib/poker/handlog_internal.h

# The evaluator's tables are generated at build time by lib/poker/eval_gen (in the
# build directory, so VPATH builds and distcheck never write to the source tree).
# eval_gen links nothing from libfelt: libfelt needs its output.
nodist_lib_libfelt_a_SOURCES = lib/poker/eval_tables.c
BUILT_SOURCES += lib/poker/eval_tables.c
CLEANFILES += lib/poker/eval_tables.c lib/poker/eval_tables.c.tmp
noinst_PROGRAMS += lib/poker/eval_gen
lib_poker_eval_gen_SOURCES = lib/poker/eval_gen.c
lib_poker_eval_gen_LDADD =

lib/poker/eval_tables.c: lib/poker/eval_gen$(EXEEXT)
	@$(MKDIR_P) lib/poker
	$(AM_V_GEN)./lib/poker/eval_gen$(EXEEXT) > $@.tmp && mv $@.tmp $@

bin_PROGRAMS += tools/felt-replay
tools_felt_replay_SOURCES = tools/felt-replay.c

POKER_UNIT_TESTS = \
	t/unit/poker/test_cards \
	t/unit/poker/test_deck \
	t/unit/poker/test_eval \
	t/unit/poker/test_hand \
	t/unit/poker/test_pots \
	t/unit/poker/test_phh \
	t/unit/poker/test_replay \
	t/unit/poker/test_hand_random \
	t/unit/poker/test_showdown \
	t/unit/poker/test_hand_events \
	t/unit/poker/test_view \
	t/unit/poker/test_button \
	t/unit/poker/test_handlog

check_PROGRAMS += $(POKER_UNIT_TESTS)
TESTS += $(POKER_UNIT_TESTS) t/unit/poker/test_felt_replay.sh
EXTRA_DIST += t/unit/poker/test_felt_replay.sh
t_unit_poker_test_cards_LDADD = $(UNIT_TEST_LIBS)
t_unit_poker_test_deck_LDADD = $(UNIT_TEST_LIBS)
t_unit_poker_test_eval_SOURCES = t/unit/poker/test_eval.c t/unit/poker/randhand.h
t_unit_poker_test_eval_LDADD = $(UNIT_TEST_LIBS)
t_unit_poker_test_hand_SOURCES = t/unit/poker/test_hand.c t/unit/poker/handplay.h \
	t/unit/poker/handtest.h
t_unit_poker_test_hand_LDADD = $(UNIT_TEST_LIBS)
t_unit_poker_test_pots_LDADD = $(UNIT_TEST_LIBS)
t_unit_poker_test_phh_LDADD = $(UNIT_TEST_LIBS)
# The oracle replay looks for ../shared next to the source tree.
t_unit_poker_test_replay_SOURCES = t/unit/poker/test_replay.c t/unit/poker/handtest.h \
	t/unit/poker/oracle.h
t_unit_poker_test_replay_CPPFLAGS = $(AM_CPPFLAGS) -DFELT_TOP_SRCDIR='"$(abs_top_srcdir)"'
t_unit_poker_test_replay_LDADD = $(UNIT_TEST_LIBS)
t_unit_poker_test_hand_random_SOURCES = t/unit/poker/test_hand_random.c \
	t/unit/poker/handtest.h
t_unit_poker_test_hand_random_LDADD = $(UNIT_TEST_LIBS)
t_unit_poker_test_showdown_SOURCES = t/unit/poker/test_showdown.c \
	t/unit/poker/handplay.h t/unit/poker/handtest.h
t_unit_poker_test_showdown_LDADD = $(UNIT_TEST_LIBS)
t_unit_poker_test_hand_events_SOURCES = t/unit/poker/test_hand_events.c \
	t/unit/poker/handplay.h t/unit/poker/handtest.h
t_unit_poker_test_hand_events_LDADD = $(UNIT_TEST_LIBS)
t_unit_poker_test_view_SOURCES = t/unit/poker/test_view.c t/unit/poker/handplay.h \
	t/unit/poker/handtest.h
t_unit_poker_test_view_LDADD = $(UNIT_TEST_LIBS)
t_unit_poker_test_button_SOURCES = t/unit/poker/test_button.c t/unit/poker/handtest.h
t_unit_poker_test_button_LDADD = $(UNIT_TEST_LIBS)
# The handlog test replays the oracle sample through the log, like test_replay.
t_unit_poker_test_handlog_SOURCES = t/unit/poker/test_handlog.c t/unit/poker/handtest.h \
	t/unit/poker/oracle.h
t_unit_poker_test_handlog_CPPFLAGS = $(AM_CPPFLAGS) -DFELT_TOP_SRCDIR='"$(abs_top_srcdir)"'
t_unit_poker_test_handlog_LDADD = $(UNIT_TEST_LIBS)

# make check-long: every one of the C(52,7) hands.
EXTRA_PROGRAMS += t/unit/poker/enum_eval
CHECK_LONG_PROGS += t/unit/poker/enum_eval

# make bench
EXTRA_PROGRAMS += t/bench/bench_eval t/bench/bench_deck t/bench/bench_hand
BENCH_PROGS += t/bench/bench_eval t/bench/bench_deck t/bench/bench_hand
t_bench_bench_eval_SOURCES = t/bench/bench_eval.c t/unit/poker/randhand.h
t_bench_bench_hand_SOURCES = t/bench/bench_hand.c t/unit/poker/handtest.h

# make fuzz: libFuzzer over the PHH reader, the replay and the export
# (t/fuzz/fuzz_phh.c).  clang only, built on demand from the sources (libfelt.a
# is gcc-built and not coverage-instrumented); the main build stays gcc.
# FUZZ_SECONDS=N to run longer; findings are written as crash-* files here.
FUZZ_CC = clang
FUZZ_SECONDS = 60
FUZZ_CFLAGS = -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -I$(top_srcdir)/lib -I$(top_builddir) -I$(top_builddir)/lib
FUZZ_PHH_SRCS = $(top_srcdir)/t/fuzz/fuzz_phh.c \
	$(top_srcdir)/lib/poker/cards.c $(top_srcdir)/lib/poker/deck.c \
	$(top_srcdir)/lib/poker/eval.c $(top_srcdir)/lib/core/hash.c \
	$(top_srcdir)/lib/poker/hand.c $(top_srcdir)/lib/poker/betting.c \
	$(top_srcdir)/lib/poker/showdown.c $(top_srcdir)/lib/poker/seats.c \
	$(top_srcdir)/lib/poker/pots.c \
	$(top_srcdir)/lib/poker/phh.c $(top_srcdir)/lib/poker/phh_write.c \
	$(top_srcdir)/lib/poker/replay.c $(top_srcdir)/lib/poker/view.c \
	$(top_srcdir)/lib/poker/handlog.c $(top_srcdir)/lib/poker/handlog_phh.c
EXTRA_DIST += t/fuzz/fuzz_phh.c t/fuzz/phh_seeds
CLEANFILES += t/fuzz/fuzz_phh

t/fuzz/fuzz_phh: $(FUZZ_PHH_SRCS) lib/poker/eval_tables.c
	@$(MKDIR_P) t/fuzz
	$(AM_V_CC)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(FUZZ_PHH_SRCS) lib/poker/eval_tables.c -lcrypto

fuzz: t/fuzz/fuzz_phh
	@$(MKDIR_P) t/fuzz/phh_corpus
	./t/fuzz/fuzz_phh -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
		t/fuzz/phh_corpus $(top_srcdir)/t/fuzz/phh_seeds

.PHONY: fuzz
