# fragment: hand state machine, pots and rake, PHH read/write, replay; felt-replay.
# Owner: hand (issue 3).  See HACKING.md.

lib_libfelt_a_SOURCES += \
	lib/hand.c lib/hand.h lib/hand_internal.h lib/betting.c \
	lib/pots.c lib/pots.h \
	lib/phh.c lib/phh_write.c lib/phh.h \
	lib/replay.c lib/replay.h

bin_PROGRAMS += tools/felt-replay
tools_felt_replay_SOURCES = tools/felt-replay.c
tools_felt_replay_LDADD = $(FELT_LDADD)
# FELT_LDADD is a substituted variable, so automake cannot see the library in it.
tools_felt_replay_DEPENDENCIES = lib/libfelt.a

HAND_UNIT_TESTS = \
	t/unit/test_hand \
	t/unit/test_pots \
	t/unit/test_phh \
	t/unit/test_replay \
	t/unit/test_hand_random

check_PROGRAMS += $(HAND_UNIT_TESTS)
TESTS += $(HAND_UNIT_TESTS) t/unit/test_felt_replay.sh
EXTRA_DIST += t/unit/test_felt_replay.sh
t_unit_test_hand_SOURCES = t/unit/test_hand.c t/unit/handtest.h
t_unit_test_hand_LDADD = $(TEST_LDADD)
t_unit_test_hand_DEPENDENCIES = lib/libfelt.a
t_unit_test_pots_LDADD = $(TEST_LDADD)
t_unit_test_pots_DEPENDENCIES = lib/libfelt.a
t_unit_test_phh_LDADD = $(TEST_LDADD)
t_unit_test_phh_DEPENDENCIES = lib/libfelt.a
# The oracle replay looks for ../shared next to the source tree.
t_unit_test_replay_SOURCES = t/unit/test_replay.c t/unit/handtest.h
t_unit_test_replay_CPPFLAGS = $(AM_CPPFLAGS) -DFELT_TOP_SRCDIR='"$(abs_top_srcdir)"'
t_unit_test_replay_LDADD = $(TEST_LDADD)
t_unit_test_replay_DEPENDENCIES = lib/libfelt.a
t_unit_test_hand_random_SOURCES = t/unit/test_hand_random.c t/unit/handtest.h
t_unit_test_hand_random_LDADD = $(TEST_LDADD)
t_unit_test_hand_random_DEPENDENCIES = lib/libfelt.a

# make bench
EXTRA_PROGRAMS += t/bench/bench_hand
BENCH_PROGS += t/bench/bench_hand
t_bench_bench_hand_SOURCES = t/bench/bench_hand.c t/unit/handtest.h
t_bench_bench_hand_LDADD = $(FELT_LDADD)
t_bench_bench_hand_DEPENDENCIES = lib/libfelt.a
