# tools/tools.mk — feltctl, the operator CLI (one file per command).
# Owner: core (issue 2); other areas add their feltctl_<command>.c here.

bin_PROGRAMS += tools/feltctl
tools_feltctl_SOURCES = \
	tools/feltctl.c tools/feltctl.h \
	tools/feltctl_migrate.c \
	tools/feltctl_platform_key.c \
	tools/feltctl_status.c \
	tools/feltctl_adjust.c tools/feltctl_adjust.h
