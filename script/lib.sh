# script/lib.sh: shared by script/server and script/test (sourced, not run).
# Builds felt, runs a private PostgreSQL cluster, felt-api and nginx under one var
# directory, and stops them again. Every function takes its paths from these variables:
#   FELT_TOP    source tree           FELT_BUILD  build directory
#   FELT_VAR    state: pg/ run/ log/ nginx/   FELT_HTTP_PORT, FELT_PG_PORT
#   FELT_WSD_PORT  felt-wsd's port (instance "main")
#   FELT_WSD_INSTANCES  extra felt-wsd instances nginx routes to, "name=port ..."
#               (started on demand with felt_wsd_start NAME PORT; tests use it)

# nginx (/usr/sbin) and runuser are not on a normal user's PATH; the scripts find them
# without the caller's help.
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH=$PATH:/usr/sbin ;; esac
case ":$PATH:" in *:/sbin:*) ;; *) PATH=$PATH:/sbin ;; esac
export PATH

felt_die() { echo "felt: $*" >&2; exit 1; }
felt_say() { echo "felt: $*" >&2; }

# felt_fail_log WHAT LOG: die saying WHAT failed, with the end of LOG when it was written
# (a program that fails before it opens its log leaves none to point at).
felt_fail_log() {
	if [ -s "$2" ]; then
		tail -n 20 "$2" >&2
		felt_die "$1 (log: $2)"
	fi
	felt_die "$1 (it wrote no log: $2)"
}

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
		(cd "$FELT_TOP" && autoreconf -fi) >"$log" 2>&1 || felt_fail_log "autoreconf failed" "$log"
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
		felt_fail_log "PostgreSQL did not start" "$FELT_VAR/pg/server.log"
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

# felt_env_write: var/felt.env, the settings of this stack for the operator's commands
# (script/feltctl, script/psql read it; `. var/felt.env` exports them into a shell).
# felt_quote TEXT: TEXT in single quotes, for a file the shell reads back.
felt_quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

felt_env_write() {
	local v
	{
		echo "# Written by script/server at every start: how to reach the felt stack it runs."
		for v in FELT_HTTP_PORT FELT_PG_PORT FELT_BUILD FELT_SQL_DIR FELT_DB FELT_DB_OWNER \
			FELT_PUBLIC_URL; do
			echo "export $v=$(felt_quote "${!v}")"
		done
		echo "# not a felt setting: psql as the read-only role, for DBAs (script/psql)"
		echo "export FELT_DB_READ=$(felt_quote "$(felt_conninfo felt_read)")"
	} >"$FELT_VAR/felt.env"
}

# felt_daemon NAME CMD...: start a program in the background with its log and pid file,
# in a session of its own: a Ctrl-C in the terminal reaches script/server alone, which
# then stops everything in order (nginx first, PostgreSQL last).
felt_daemon() {
	local name=$1; shift
	setsid "$@" >>"$FELT_VAR/log/$name.log" 2>&1 </dev/null &
	echo $! >"$FELT_VAR/run/$name.pid"
}

# felt_alive PID: the process exists and is not a zombie (an orphan killed under a PID 1
# that does not reap stays one). grep answers 1 when it read the status and found no
# zombie; 0 (a zombie) and 2 (no status: gone, or reaped since) both mean dead.
felt_alive() {
	local st=0
	[ -n "$1" ] || return 1
	grep -q '^State:[[:space:]]*[ZX]' "/proc/$1/status" 2>/dev/null || st=$?
	[ "$st" -eq 1 ]
}

# felt_daemon_check NAME PROGRAM [SOCKET]: 0 when run/NAME.pid names a live PROGRAM
# process (and SOCKET, when given, exists); otherwise 1 with the reason in FELT_WHY.
felt_daemon_check() {
	local name=$1 prog=${2##*/} sock=${3:-} pidfile="$FELT_VAR/run/$1.pid" pid exe
	FELT_WHY=
	if [ ! -s "$pidfile" ]; then FELT_WHY="not running"; return 1; fi
	pid=$(cat "$pidfile")
	if ! felt_alive "$pid"; then
		FELT_WHY="not running (stale pid file $pidfile: pid $pid is gone)"; return 1
	fi
	# A pid is reused once its process is gone: it must still be our program.
	exe=$(readlink "/proc/$pid/exe" 2>/dev/null || true)
	exe=${exe% (deleted)}
	if [ -n "$exe" ] && [ "${exe##*/}" != "$prog" ]; then
		FELT_WHY="not running (pid $pid of $pidfile is ${exe##*/} now)"; return 1
	fi
	if [ -n "$sock" ] && [ ! -S "$sock" ]; then
		FELT_WHY="running (pid $pid) without its socket $sock"; return 1
	fi
	return 0
}

# felt_kill NAME: stop run/NAME.pid's process (TERM, then KILL after 20 s) and remove the
# pid file. Returns 1 when it had to be killed or, for a child of this shell, when it did
# not exit 0 (it says which).
felt_kill() {
	local pidfile="$FELT_VAR/run/$1.pid" pid i st=0
	[ -f "$pidfile" ] || return 0
	pid=$(cat "$pidfile")
	rm -f "$pidfile"
	kill -TERM "$pid" 2>/dev/null || return 0
	for i in $(seq 1 200); do felt_alive "$pid" || break; sleep 0.1; done
	if felt_alive "$pid"; then
		kill -KILL "$pid" 2>/dev/null || true
		felt_say "$1 (pid $pid) did not stop within 20 s: killed"
		return 1
	fi
	wait "$pid" 2>/dev/null || st=$?
	if [ "$st" -ne 0 ] && [ "$st" -ne 127 ]; then
		felt_say "$1 (pid $pid) exited with status $st while stopping (log: $FELT_VAR/log/$1.log)"
		return 1
	fi
	return 0
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
	local bench="# no benchmark locations (FELT_NGINX_BENCH=1 includes nginx/bench.conf)"
	[ "$(id -u)" -eq 0 ] && user_line="user nobody nogroup;"
	[ "${FELT_NGINX_BENCH:-0}" = 1 ] && bench="include $FELT_TOP/nginx/bench.conf;"
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
	    -e "s|@BENCH_LOCATIONS@|$bench|" \
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

# The parts of a stack, in start order (stopped in reverse). Each has felt_<part>_check
# (0 when it runs; else the reason in FELT_WHY), felt_<part>_start and felt_<part>_stop.
FELT_PARTS="pg api wsd payd nginx"

felt_part_name() {
	case $1 in pg) echo PostgreSQL ;; api) echo felt-api ;; wsd) echo felt-wsd ;; payd) echo felt-payd ;; *) echo "$1" ;; esac
}

felt_pg_check() {
	local data="$FELT_VAR/pg/data" pid
	FELT_WHY=
	if [ ! -s "$data/postmaster.pid" ]; then FELT_WHY="not running"; return 1; fi
	pid=$(head -n 1 "$data/postmaster.pid")
	if ! felt_alive "$pid"; then
		FELT_WHY="not running (stale $data/postmaster.pid: pid $pid is gone)"; return 1
	fi
	if [ ! -S "$FELT_VAR/pg/.s.PGSQL.$FELT_PG_PORT" ]; then
		FELT_WHY="running (pid $pid) without its socket $FELT_VAR/pg/.s.PGSQL.$FELT_PG_PORT"
		return 1
	fi
	return 0
}

felt_api_check() { felt_daemon_check api felt-api "$FELT_VAR/run/api.sock"; }

felt_api_start() {
	local i
	felt_kill api || true # a process left without its socket
	rm -f "$FELT_VAR/run/api.sock"
	felt_daemon api "$FELT_BUILD/cgi/felt-api"
	for i in $(seq 1 100); do
		[ -S "$FELT_VAR/run/api.sock" ] && return 0
		felt_alive "$(cat "$FELT_VAR/run/api.pid")" || break
		sleep 0.1
	done
	felt_fail_log "felt-api did not start" "$FELT_VAR/log/api.log"
}

felt_api_stop() { felt_kill api; }

# felt_wsd_start [NAME PORT]: start a felt-wsd instance (default: main on FELT_WSD_PORT;
# log wsd-NAME.log, pid file wsd-NAME.pid; instance main is just "wsd") and wait until
# it answers.
felt_wsd_start() {
	local name=${1:-main} port=${2:-${FELT_WSD_PORT:-8081}} daemon=wsd i
	[ "$name" = main ] || daemon=wsd-$name
	# FELT_WSD_STALE_S: the scripts' way to give felt-wsd alone a shorter
	# FELT_HEARTBEAT_STALE_S (quick takeovers in tests).
	FELT_WSD_INSTANCE=$name FELT_WSD_ADDR=127.0.0.1:$port \
	FELT_HEARTBEAT_STALE_S=${FELT_WSD_STALE_S:-${FELT_HEARTBEAT_STALE_S:-15}} \
		felt_daemon "$daemon" "$FELT_BUILD/wsd/felt-wsd"
	for i in $(seq 1 100); do
		curl -fsS -o /dev/null "http://127.0.0.1:$port/health/live" 2>/dev/null && return 0
		felt_alive "$(cat "$FELT_VAR/run/$daemon.pid")" || break
		sleep 0.1
	done
	felt_fail_log "felt-wsd $name did not start on 127.0.0.1:$port" "$FELT_VAR/log/$daemon.log"
}

felt_wsd_check() { felt_daemon_check wsd felt-wsd; }

# Every instance this stack started (tests start more than main).
felt_wsd_stop() {
	local f rc=0
	for f in "$FELT_VAR"/run/wsd*.pid; do
		[ -e "$f" ] || continue
		f=${f##*/}; felt_kill "${f%.pid}" || rc=1
	done
	return $rc
}

# felt-payd idles, saying so, when no chain is configured.
felt_payd_check() { felt_daemon_check payd felt-payd; }
felt_payd_start() { felt_daemon payd "$FELT_BUILD/payd/felt-payd"; }
felt_payd_stop() { felt_kill payd; }

felt_nginx() { nginx -p "$FELT_VAR/nginx" -c "$FELT_VAR/nginx/nginx.conf" -e "$FELT_VAR/log/nginx-error.log" "$@"; }

felt_nginx_check() { felt_daemon_check nginx nginx; }

felt_nginx_start() {
	local out
	felt_nginx_conf
	# nginx is not running (its check said so): a socket file of the HTTP server is what
	# a start that failed later (the public port taken) left behind, and would make this
	# start fail too.
	rm -f "$FELT_VAR/run/nginx-http.sock"
	# nginx's own complaints (a port in use, a bad directive) come on stderr before it
	# opens its error log: keep them for the message.
	if ! out=$(felt_nginx 2>&1); then
		[ -z "$out" ] || { echo "$out" | tail -n 5 >&2; felt_die "nginx did not start (log: $FELT_VAR/log/nginx-error.log)"; }
		felt_fail_log "nginx did not start" "$FELT_VAR/log/nginx-error.log"
	fi
}

felt_nginx_stop() {
	local i pid
	felt_nginx_check || { rm -f "$FELT_VAR/run/nginx.pid"; return 0; }
	pid=$(cat "$FELT_VAR/run/nginx.pid")
	felt_nginx -s quit 2>/dev/null || kill "$pid" 2>/dev/null || true
	for i in $(seq 1 100); do felt_alive "$pid" || return 0; sleep 0.1; done
	kill -KILL "$pid" 2>/dev/null || true
	felt_say "nginx (pid $pid) did not stop within 10 s: killed"
	return 1
}

# The environment every felt program of this stack runs with.
felt_stack_env() {
	export FELT_DB FELT_DB_OWNER; FELT_DB=$(felt_conninfo); FELT_DB_OWNER=$(felt_conninfo felt)
	export FELT_SQL_DIR="$FELT_TOP/sql"
	export FELT_API_SOCKET="$FELT_VAR/run/api.sock"
	export FELT_PUBLIC_URL="http://127.0.0.1:$FELT_HTTP_PORT"
	export FELT_SKILL_MD="$FELT_TOP/www/skill.md"
}

# felt_start_stack: start every part that is not running, leave the running ones alone,
# and wait until /health/ready answers. A part found dead (a stale pid file, a missing
# socket) is named. The parts started are appended to FELT_STARTED, so that a caller can
# stop only those when something fails (a healthy PostgreSQL is never stopped because
# another part failed).
felt_start_stack() {
	local part
	felt_stack_env
	for part in $FELT_PARTS; do
		if ! "felt_${part}_check"; then
			[ "$FELT_WHY" = "not running" ] ||
				felt_say "$(felt_part_name "$part") was $FELT_WHY: starting it again"
			"felt_${part}_start"
			FELT_STARTED="${FELT_STARTED:-} $part"
		fi
		# Migrations are idempotent: every start applies what is pending.
		if [ "$part" = pg ]; then
			"$FELT_BUILD/tools/feltctl" migrate >>"$FELT_VAR/log/migrate.log" 2>&1 ||
				felt_fail_log "migration failed" "$FELT_VAR/log/migrate.log"
		fi
	done
	felt_wait_ready
}

# felt_stack_down: print "NAME: reason" for every part that is not running; returns 0
# when all of them run.
felt_stack_down() {
	local part down=0
	for part in $FELT_PARTS; do
		if ! "felt_${part}_check"; then
			echo "$(felt_part_name "$part") $FELT_WHY"
			down=1
		fi
	done
	return $down
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
		felt_alive "$(cat "$FELT_VAR/run/chain.pid")" || break
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
	felt_fail_log "felt did not become ready on 127.0.0.1:$FELT_HTTP_PORT" "$FELT_VAR/log/api.log"
}

# felt_stop_parts PART...: stop those parts, last first. Returns 1 if one had to be killed.
felt_stop_parts() {
	local parts="" part rc=0
	for part in "$@"; do parts="$part $parts"; done
	for part in $parts; do "felt_${part}_stop" || rc=1; done
	return $rc
}

# Everything, and the test chain when script/test started one.
felt_stop_stack() {
	local rc=0
	felt_stop_parts $FELT_PARTS || rc=1
	felt_chain_stop
	return $rc
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
