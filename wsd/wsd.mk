# wsd/wsd.mk — felt-wsd, the WebSocket daemon that owns live tables.
# Owner: wsd (issue 9).
#
# Everything except main.c goes into wsd/libfeltwsd.a so tests and tools
# (felt-bot) can link the same code.

noinst_LIBRARIES += wsd/libfeltwsd.a
wsd_libfeltwsd_a_SOURCES = \
	wsd/codec.h \
	wsd/commit.c wsd/commit.h \
	wsd/conn.h \
	wsd/lobby.c wsd/lobby.h wsd/lobby_queue.c wsd/lobby_queue.h \
	wsd/loop.c wsd/loop.h \
	wsd/moltpoker.c wsd/moltpoker.h wsd/moltpoker_state.c \
	wsd/openpoker.c wsd/openpoker.h wsd/openpoker_frames.c wsd/openpoker_state.c \
	wsd/replay.c wsd/replay.h \
	wsd/server.c wsd/server.h \
	wsd/statements.c wsd/statements.h \
	wsd/table.c wsd/table.h wsd/table_button.c wsd/table_life.c \
	wsd/tables.c wsd/tables.h wsd/tables_int.h wsd/tables_load.c \
	wsd/tables_cash.c wsd/tables_commands.c wsd/tables_connect.c wsd/tables_write.c \
	wsd/wsdb.c wsd/wsdb.h \
	wsd/wsdconf.c wsd/wsdconf.h

sbin_PROGRAMS += wsd/felt-wsd
wsd_felt_wsd_SOURCES = wsd/main.c
wsd_felt_wsd_LDADD = wsd/libfeltwsd.a $(LDADD)

# The MoltPoker codec rendered from a real hand, and the configuration.
check_PROGRAMS += t/unit/wsd/test_moltpoker
TESTS += t/unit/wsd/test_moltpoker
t_unit_wsd_test_moltpoker_SOURCES = t/unit/wsd/test_moltpoker.c
t_unit_wsd_test_moltpoker_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/wsd
t_unit_wsd_test_moltpoker_LDADD = wsd/libfeltwsd.a $(UNIT_TEST_LIBS)

# The Open Poker frames rendered from a real hand, state_hash, FELT_CASH_*.
check_PROGRAMS += t/unit/wsd/test_openpoker
TESTS += t/unit/wsd/test_openpoker
t_unit_wsd_test_openpoker_SOURCES = t/unit/wsd/test_openpoker.c
t_unit_wsd_test_openpoker_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/wsd
t_unit_wsd_test_openpoker_LDADD = wsd/libfeltwsd.a $(UNIT_TEST_LIBS)

# The window of public frames a table keeps for Open Poker's resync.
check_PROGRAMS += t/unit/wsd/test_replay
TESTS += t/unit/wsd/test_replay
t_unit_wsd_test_replay_SOURCES = t/unit/wsd/test_replay.c
t_unit_wsd_test_replay_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/wsd
t_unit_wsd_test_replay_LDADD = wsd/libfeltwsd.a $(UNIT_TEST_LIBS)

# The lobby's waiting line: order, places, bound, estimated wait.
check_PROGRAMS += t/unit/wsd/test_lobby_queue
TESTS += t/unit/wsd/test_lobby_queue
t_unit_wsd_test_lobby_queue_SOURCES = t/unit/wsd/test_lobby_queue.c
t_unit_wsd_test_lobby_queue_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/wsd
t_unit_wsd_test_lobby_queue_LDADD = wsd/libfeltwsd.a $(UNIT_TEST_LIBS)

# The dead button in the runtime: seat states, deals, positions read back.
check_PROGRAMS += t/unit/wsd/test_table_button
TESTS += t/unit/wsd/test_table_button
t_unit_wsd_test_table_button_SOURCES = t/unit/wsd/test_table_button.c
t_unit_wsd_test_table_button_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/wsd
t_unit_wsd_test_table_button_LDADD = wsd/libfeltwsd.a $(UNIT_TEST_LIBS)
