# script/lib.sh: shared by script/server and script/test (sourced, not run).
# Builds felt, runs a private PostgreSQL cluster, felt-api and nginx under one var
# directory, and stops them again. Every function takes its paths from these variables:
#   FELT_TOP    source tree           FELT_BUILD  build directory
#   FELT_VAR    state: pg/ run/ log/ nginx/   FELT_HTTP_PORT, FELT_PG_PORT
#   FELT_WSD_PORT  felt-wsd's port (instance "main")
#   FELT_WSD_INSTANCES  extra felt-wsd instances nginx routes to, "name=port ..."
#               (started on demand with felt_wsd_start NAME PORT; tests use it)

felt_die() { echo "felt: $*" >&2; exit 1; }
felt_say() { echo "felt: $*" >&2; }

# Run a command as the postgres user when we are root (PostgreSQL refuses to run as
# root), as ourselves otherwise.
felt_as_pg() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

felt_pg_bindir() {
	local d
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	[ -n "$d" ] && [ -x "$d/initdb" ] || felt_die "PostgreSQL server not found (run script/bootstrap)"
	echo "$d"
}

# felt_build [configure args...]: (re)configure when needed and build into FELT_BUILD.
felt_build() {
	local log="$FELT_BUILD/build.log"
	mkdir -p "$FELT_BUILD"
	if [ ! -x "$FELT_TOP/configure" ] || [ "$FELT_TOP/configure.ac" -nt "$FELT_TOP/configure" ]; then
		(cd "$FELT_TOP" && autoreconf -fi) >"$log" 2>&1 || { cat "$log" >&2; felt_die "autoreconf failed"; }
	fi
	if [ ! -f "$FELT_BUILD/Makefile" ] || [ "$(cat "$FELT_BUILD/.configure-args" 2>/dev/null)" != "$*" ]; then
		(cd "$FELT_BUILD" && "$FELT_TOP/configure" "$@") >"$log" 2>&1 ||
			{ tail -n 30 "$log" >&2; felt_die "configure failed (log: $log)"; }
		echo "$*" >"$FELT_BUILD/.configure-args"
	fi
	make -C "$FELT_BUILD" -j"$(nproc)" >>"$log" 2>&1 ||
		{ grep -E 'error|Error' "$log" | head -n 30 >&2; felt_die "build failed (log: $log)"; }
}

felt_dirs() {
	mkdir -p "$FELT_VAR"/{pg,run,log,nginx}
	# nginx workers run as nobody and the cluster as postgres: both must reach their
	# sockets, so the state directories are traversable.
	chmod 755 "$FELT_VAR" "$FELT_VAR"/{run,log,nginx}
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres "$FELT_VAR/pg"
		runuser -u postgres -- test -x "$FELT_VAR/pg" ||
			felt_die "the postgres user cannot reach $FELT_VAR (set FELT_VAR to a path it can traverse)"
	fi
	local sock="$FELT_VAR/pg/.s.PGSQL.$FELT_PG_PORT"
	[ ${#sock} -le 107 ] || felt_die "socket path too long (${#sock} > 107 bytes): $sock; set FELT_VAR to a shorter path"
}

# felt_conninfo [ROLE]: the private cluster's felt database as ROLE, by default felt_app
# (what every felt program connects as); `felt` owns the objects and only migrates;
# felt_read is for DBAs (sql/007_roles.sql, sql/030_least_privilege.sql).
felt_conninfo() { echo "host=$FELT_VAR/pg port=$FELT_PG_PORT user=${1:-felt_app} dbname=felt"; }

felt_pg_start() {
	local bin data="$FELT_VAR/pg/data"
	bin=$(felt_pg_bindir)
	if [ ! -f "$data/PG_VERSION" ]; then
		felt_as_pg "$bin/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C >"$FELT_VAR/log/initdb.log" 2>&1 ||
			{ cat "$FELT_VAR/log/initdb.log" >&2; felt_die "initdb failed"; }
	fi
	felt_as_pg "$bin/pg_ctl" -D "$data" -w -t 60 -l "$FELT_VAR/pg/server.log" \
		-o "-k $FELT_VAR/pg -p $FELT_PG_PORT -c listen_addresses=''" start >/dev/null ||
		{ tail -n 20 "$FELT_VAR/pg/server.log" >&2; felt_die "PostgreSQL did not start"; }
	local su="host=$FELT_VAR/pg port=$FELT_PG_PORT user=postgres dbname=postgres"
	if [ "$(psql -X -q -At -d "$su" -c "SELECT 1 FROM pg_roles WHERE rolname = 'felt'")" != 1 ]; then
		psql -X -q -d "$su" -c "CREATE ROLE felt LOGIN" -c "CREATE DATABASE felt OWNER felt" >/dev/null ||
			felt_die "cannot create the felt role and database"
	fi
	# The roles of sql/007_roles.sql: felt owns, felt_app is what the programs use,
	# felt_read is for DBAs.  Roles are cluster-wide: only a superuser makes them.
	local r
	for r in felt_app felt_read; do
		if [ "$(psql -X -q -At -d "$su" -c "SELECT 1 FROM pg_roles WHERE rolname = '$r'")" != 1 ]; then
			psql -X -q -d "$su" -c "CREATE ROLE $r LOGIN" >/dev/null || felt_die "cannot create the $r role"
		fi
	done
}

felt_pg_stop() {
	local data="$FELT_VAR/pg/data"
	[ -f "$data/postmaster.pid" ] || return 0
	felt_as_pg "$(felt_pg_bindir)/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
}

# felt_daemon NAME CMD...: start a program in the background with its log and pid file.
felt_daemon() {
	local name=$1; shift
	"$@" >>"$FELT_VAR/log/$name.log" 2>&1 &
	echo $! >"$FELT_VAR/run/$name.pid"
}

# felt_alive PID: the process exists and is not a zombie (an orphan killed under a PID 1
# that does not reap stays one).
felt_alive() {
	[ -e "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

felt_kill() {
	local pidfile="$FELT_VAR/run/$1.pid" pid i
	[ -f "$pidfile" ] || return 0
	pid=$(cat "$pidfile")
	if kill -TERM "$pid" 2>/dev/null; then
		for i in $(seq 1 100); do felt_alive "$pid" || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$pidfile"
}

# nginx's upstreams for the felt-wsd instances: felt_wsd_<name> is that instance, with
# every other one as backup, so a dead instance's clients reach a live one (which takes
# its tables over when their leases expire).  Instance main answers /v1/ws itself.
felt_wsd_upstreams() {
	local all="main=${FELT_WSD_PORT:-8081} ${FELT_WSD_INSTANCES:-}" i j name port
	for i in $all; do
		name=${i%%=*}; port=${i#*=}
		echo "upstream felt_wsd_$name {"
		echo "	server 127.0.0.1:$port;"
		for j in $all; do
			[ "${j%%=*}" = "$name" ] || echo "	server 127.0.0.1:${j#*=} backup;"
		done
		echo "}"
	done
}

# The stream module (the per-address front of felt.conf.in): built in, or Debian's dynamic
# module (libnginx-mod-stream, installed by script/bootstrap).
felt_nginx_stream_line() {
	local so=/usr/lib/nginx/modules/ngx_stream_module.so
	if nginx -V 2>&1 | tr ' ' '\n' | grep -qx -- '--with-stream'; then
		echo ""
	elif [ -f "$so" ]; then
		echo "load_module $so;"
	else
		felt_die "nginx has no stream module (install libnginx-mod-stream: script/bootstrap)"
	fi
}

# Open files an nginx worker may have: the hard limit we run under (a worker cannot raise
# it, not even as root in a container), at most 65536. worker_connections is the same
# number, so nginx never promises more connections than it can open.
felt_nginx_nofile() {
	local hard
	hard=$(ulimit -Hn)
	[ "$hard" = unlimited ] && hard=65536
	[ "$hard" -gt 65536 ] && hard=65536
	echo "$hard"
}

felt_nginx_conf() {
	local user_line="" rate=${FELT_REGISTER_RATE:-5r/m} burst=${FELT_REGISTER_BURST:-5}
	local health_rate=${FELT_HEALTH_RATE:-2r/s} nofile stream_line
	[ "$(id -u)" -eq 0 ] && user_line="user nobody nogroup;"
	nofile=$(felt_nginx_nofile)
	stream_line=$(felt_nginx_stream_line) || exit 1
	mkdir -p "$FELT_VAR/nginx/tmp"
	felt_wsd_upstreams >"$FELT_VAR/nginx/wsd-upstreams.conf"
	sed -e "s|@USER_LINE@|$user_line|" \
	    -e "s|@STREAM_MODULE_LINE@|$stream_line|" \
	    -e "s|@NOFILE@|$nofile|g" \
	    -e "s|@WORKER_CONNECTIONS@|${FELT_NGINX_CONNECTIONS:-$nofile}|g" \
	    -e "s|@CONN_PER_ADDR@|${FELT_CONN_PER_ADDR:-512}|g" \
	    -e "s|@CLIENT_TIMEOUT@|${FELT_CLIENT_TIMEOUT_S:-10}s|g" \
	    -e "s|@API_TIMEOUT@|${FELT_API_TIMEOUT_S:-30}s|g" \
	    -e "s|@VAR@|$FELT_VAR|g" \
	    -e "s|@TOP@|$FELT_TOP|g" \
	    -e "s|@HTTP_ADDR@|127.0.0.1:$FELT_HTTP_PORT|g" \
	    -e "s|@HTTP_SOCKET@|$FELT_VAR/run/nginx-http.sock|g" \
	    -e "s|@API_SOCKET@|$FELT_VAR/run/api.sock|g" \
	    -e "s|@WSD_UPSTREAMS@|$FELT_VAR/nginx/wsd-upstreams.conf|g" \
	    -e "s|@REGISTER_RATE@|$rate|g" \
	    -e "s|@REGISTER_BURST@|$burst|g" \
	    -e "s|@HEALTH_RATE@|$health_rate|g" \
	    "$FELT_TOP/nginx/felt.conf.in" >"$FELT_VAR/nginx/nginx.conf"
}

# felt_wsd_start NAME PORT: start a felt-wsd instance (log wsd-NAME.log, pid file
# wsd-NAME.pid; instance main is just "wsd") and wait until it answers.
felt_wsd_start() {
	local name=$1 port=$2 daemon=wsd i
	[ "$name" = main ] || daemon=wsd-$name
	# FELT_WSD_STALE_S: the scripts' way to give felt-wsd alone a shorter
	# FELT_HEARTBEAT_STALE_S (quick takeovers in tests).
	FELT_WSD_INSTANCE=$name FELT_WSD_ADDR=127.0.0.1:$port \
	FELT_HEARTBEAT_STALE_S=${FELT_WSD_STALE_S:-${FELT_HEARTBEAT_STALE_S:-15}} \
		felt_daemon "$daemon" "$FELT_BUILD/wsd/felt-wsd"
	for i in $(seq 1 100); do
		curl -fsS -o /dev/null "http://127.0.0.1:$port/health/live" 2>/dev/null && return 0
		kill -0 "$(cat "$FELT_VAR/run/$daemon.pid")" 2>/dev/null || break
		sleep 0.1
	done
	tail -n 20 "$FELT_VAR/log/$daemon.log" >&2
	felt_die "felt-wsd $name did not start on 127.0.0.1:$port"
}

felt_start_stack() {
	local bin=$FELT_BUILD
	export FELT_DB FELT_DB_OWNER; FELT_DB=$(felt_conninfo); FELT_DB_OWNER=$(felt_conninfo felt)
	export FELT_SQL_DIR="$FELT_TOP/sql"
	export FELT_API_SOCKET="$FELT_VAR/run/api.sock"
	export FELT_PUBLIC_URL="http://127.0.0.1:$FELT_HTTP_PORT"
	export FELT_SKILL_MD="$FELT_TOP/www/skill.md"
	felt_pg_start
	"$bin/tools/feltctl" migrate >>"$FELT_VAR/log/migrate.log" 2>&1 ||
		{ tail -n 20 "$FELT_VAR/log/migrate.log" >&2; felt_die "migration failed"; }
	rm -f "$FELT_API_SOCKET"
	felt_daemon api "$bin/cgi/felt-api"
	felt_wsd_start main "${FELT_WSD_PORT:-8081}"
	felt_payd_start
	felt_nginx_conf
	nginx -p "$FELT_VAR/nginx" -c "$FELT_VAR/nginx/nginx.conf" -e "$FELT_VAR/log/nginx-error.log" ||
		felt_die "nginx did not start (log: $FELT_VAR/log/nginx-error.log)"
	felt_wait_ready
}

# felt_payd_start: felt-payd with the stack's environment (it idles, saying so, when no
# chain is configured).
felt_payd_start() {
	felt_daemon payd "$FELT_BUILD/payd/felt-payd"
}

# felt_chain_tools: install ganache and solc-js, pinned by t/chain/package-lock.json, into a
# cache directory shared by every run (FELT_CHAIN_TOOLS, default ~/.cache/felt/chain-tools,
# else under FELT_VAR); prints its node_modules. Only the npm registry is contacted, and
# only when the lock file changed.
felt_chain_tools() {
	local dir=${FELT_CHAIN_TOOLS:-${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/felt/chain-tools}
	{ mkdir -p "$dir" && [ -w "$dir" ]; } 2>/dev/null || { dir=$FELT_VAR/chain-tools; mkdir -p "$dir"; }
	(
		flock -w 600 9 || exit 1
		cmp -s "$FELT_TOP/t/chain/package-lock.json" "$dir/installed.lock" && exit 0
		cp "$FELT_TOP/t/chain/package.json" "$FELT_TOP/t/chain/package-lock.json" "$dir/" &&
			(cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) &&
			cp "$dir/package-lock.json" "$dir/installed.lock"
	) 9>"$dir/.lock" >"$FELT_VAR/log/npm.log" 2>&1 ||
		{ tail -n 20 "$FELT_VAR/log/npm.log" >&2; felt_die "npm could not install ganache and solc-js into $dir"; }
	echo "$dir/node_modules"
}

# felt_chain_start: ganache on 127.0.0.1:FELT_CHAIN_PORT (chain id 1337, the deterministic
# test wallet, accounts unlocked), its state in FELT_VAR/chain so that a restart keeps the
# chain; returns once it answers. FELT_CHAIN_MODULES: felt_chain_tools' directory.
felt_chain_start() {
	local i
	mkdir -p "$FELT_VAR/chain"
	felt_daemon chain node "$FELT_CHAIN_MODULES/ganache/dist/node/cli.js" \
		--server.host 127.0.0.1 --server.port "$FELT_CHAIN_PORT" --chain.chainId 1337 \
		--wallet.deterministic --wallet.totalAccounts 5 --database.dbPath "$FELT_VAR/chain" \
		--logging.quiet
	for i in $(seq 1 600); do
		curl -fsS -o /dev/null -H 'content-type: application/json' \
			-d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' \
			"http://127.0.0.1:$FELT_CHAIN_PORT" 2>/dev/null && return 0
		kill -0 "$(cat "$FELT_VAR/run/chain.pid")" 2>/dev/null || break
		sleep 0.1
	done
	tail -n 20 "$FELT_VAR/log/chain.log" >&2
	felt_die "ganache did not start on 127.0.0.1:$FELT_CHAIN_PORT"
}

felt_chain_stop() { felt_kill chain; }

# felt_chain_setup: tools, chain on FELT_CHAIN_PORT, the test token deployed; writes what
# felt-api, felt-payd and the tests need (FELT_CHAIN_RPC_URL, FELT_USDC_CONTRACT, ...) as
# KEY=VALUE lines to FELT_VAR/chain.env for the caller to export.
felt_chain_setup() {
	export FELT_CHAIN_MODULES
	FELT_CHAIN_MODULES=$(felt_chain_tools) || return 1
	felt_chain_start
	NODE_PATH=$FELT_CHAIN_MODULES node "$FELT_TOP/t/chain/deploy.js" \
		"http://127.0.0.1:$FELT_CHAIN_PORT" >"$FELT_VAR/chain.env" 2>"$FELT_VAR/log/deploy.log" ||
		{ cat "$FELT_VAR/log/deploy.log" >&2; felt_die "deploying the test token failed"; }
	echo "FELT_CHAIN_MODULES=$FELT_CHAIN_MODULES" >>"$FELT_VAR/chain.env"
}

# Wait (bounded) until /health/ready answers 200 through nginx.
felt_wait_ready() {
	local i
	for i in $(seq 1 300); do
		curl -fsS -o /dev/null "http://127.0.0.1:$FELT_HTTP_PORT/health/ready" 2>/dev/null && return 0
		sleep 0.1
	done
	tail -n 20 "$FELT_VAR/log/api.log" >&2 || true
	felt_die "felt did not become ready on 127.0.0.1:$FELT_HTTP_PORT"
}

felt_stop_stack() {
	if [ -f "$FELT_VAR/run/nginx.pid" ]; then
		nginx -p "$FELT_VAR/nginx" -c "$FELT_VAR/nginx/nginx.conf" -e "$FELT_VAR/log/nginx-error.log" -s quit 2>/dev/null ||
			kill "$(cat "$FELT_VAR/run/nginx.pid")" 2>/dev/null || true
		local i; for i in $(seq 1 50); do [ -f "$FELT_VAR/run/nginx.pid" ] || break; sleep 0.1; done
	fi
	local f
	for f in "$FELT_VAR"/run/wsd*.pid; do
		[ -e "$f" ] || continue
		f=${f##*/}; felt_kill "${f%.pid}"
	done
	felt_kill payd
	felt_kill api
	felt_chain_stop
	felt_pg_stop
}

# A free TCP port on 127.0.0.1 (the kernel picks one; a tiny race is acceptable for tests).
felt_free_port() {
	node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# felt_npm_install PKG...: npm packages for the integration tests, into $FELT_VAR/npm
# (never into the source tree); point NODE_PATH at $FELT_VAR/npm/node_modules.
felt_npm_install() {
	mkdir -p "$FELT_VAR/npm"
	npm install --prefix "$FELT_VAR/npm" --no-audit --no-fund --no-package-lock "$@"
}
