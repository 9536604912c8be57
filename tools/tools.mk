# tools/tools.mk — feltctl, the operator CLI (one file per command).
# Owner: core (issue 2); other areas add their feltctl_<command>.c here.

bin_PROGRAMS += tools/feltctl
tools_feltctl_SOURCES = \
	tools/feltctl.c tools/feltctl.h \
	tools/feltctl_migrate.c \
	tools/feltctl_platform_key.c \
	tools/feltctl_status.c \
	tools/feltctl_seal.c \
	tools/feltctl_audit.c \
	tools/feltctl_adjust.c tools/feltctl_adjust.h \
	tools/feltctl_phh.c

# feltctl credit/debit against a throw-away schema (FELT_TEST_DB, else it skips).
check_PROGRAMS += t/unit/tools/test_feltctl_adjust
TESTS += t/unit/tools/test_feltctl_adjust
t_unit_tools_test_feltctl_adjust_SOURCES = \
	t/unit/tools/test_feltctl_adjust.c tools/feltctl_adjust.c tools/feltctl_adjust.h
t_unit_tools_test_feltctl_adjust_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tools \
	-DTEST_SQL_DIR='"$(abs_top_srcdir)/sql"'
t_unit_tools_test_feltctl_adjust_LDADD = $(UNIT_TEST_LIBS)
