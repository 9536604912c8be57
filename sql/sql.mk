# Migrations, applied in NNN order by `feltctl migrate` (lib/core/migrate.c) from
# FELT_SQL_DIR, which defaults to this install directory.
sqldir = $(pkgdatadir)/sql
dist_sql_DATA = \
	sql/001_agents.sql \
	sql/002_ledger.sql \
	sql/003_views.sql \
	sql/004_heartbeats.sql \
	sql/005_agent_metadata.sql \
	sql/006_entries_by_account_txn.sql \
	sql/007_roles.sql \
	sql/008_tables.sql \
	sql/010_v1_tables.sql \
	sql/020_wsd.sql \
	sql/030_least_privilege.sql \
	sql/031_sealed_txns.sql \
	sql/032_ledger_seals.sql \
	sql/040_deposits.sql \
	sql/041_withdrawals.sql \
	sql/050_agent_name_key.sql \
	sql/060_cash.sql \
	sql/061_cash_lobby.sql \
	sql/063_dead_button.sql \
	sql/065_hand_history.sql \
	sql/066_hand_id.sql
