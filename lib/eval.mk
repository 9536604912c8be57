# fragment: cards, deck (ChaCha20 shuffle, commitment), 7-card evaluator.  See HACKING.md.

lib_libfelt_a_SOURCES += lib/cards.c lib/cards.h lib/deck.c lib/deck.h \
	lib/eval.c lib/eval.h lib/eval_tables.h

# The evaluator's tables are generated at build time by lib/eval_gen (in the build
# directory, so VPATH builds and distcheck never write to the source tree).
# eval_gen links nothing from libfelt: libfelt needs its output.
nodist_lib_libfelt_a_SOURCES = lib/eval_tables.c
BUILT_SOURCES += lib/eval_tables.c
CLEANFILES += lib/eval_tables.c lib/eval_tables.c.tmp
noinst_PROGRAMS += lib/eval_gen
lib_eval_gen_SOURCES = lib/eval_gen.c
lib_eval_gen_LDADD =

lib/eval_tables.c: lib/eval_gen$(EXEEXT)
	$(AM_V_GEN)./lib/eval_gen$(EXEEXT) > $@.tmp && mv $@.tmp $@

check_PROGRAMS += t/unit/test_cards t/unit/test_deck t/unit/test_eval
TESTS += t/unit/test_cards t/unit/test_deck t/unit/test_eval
t_unit_test_cards_LDADD = $(UNIT_TEST_LIBS)
t_unit_test_deck_LDADD = $(UNIT_TEST_LIBS)
t_unit_test_eval_SOURCES = t/unit/test_eval.c t/unit/randhand.h
t_unit_test_eval_LDADD = $(UNIT_TEST_LIBS)

# make check-long: every one of the C(52,7) hands.
EXTRA_PROGRAMS += t/unit/enum_eval
CHECK_LONG_PROGS += t/unit/enum_eval

# make bench
EXTRA_PROGRAMS += t/bench/bench_eval
BENCH_PROGS += t/bench/bench_eval
t_bench_bench_eval_SOURCES = t/bench/bench_eval.c t/unit/randhand.h
EXTRA_PROGRAMS += t/bench/bench_deck
BENCH_PROGS += t/bench/bench_deck
