# payd/payd.mk — felt-payd, the payments worker (owner: payd, issue 11): confirms
# pending USDC deposits, sends and tracks withdrawals through eth_sendTransaction.

sbin_PROGRAMS += payd/felt-payd
payd_felt_payd_SOURCES = \
	payd/main.c payd/payd.h \
	payd/paydconf.c payd/paydconf.h \
	payd/queries.c payd/queries.h \
	payd/deposits.c \
	payd/withdrawals.c \
	payd/nonce.c
# The local chain of the payment tests (script/test installs and deploys it).
EXTRA_DIST += t/chain
