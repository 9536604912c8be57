/*
 * lib/core — the infrastructure every felt program shares.  Nothing here
 * knows poker or money; the other folders build on it.
 *
 *   config.h    configuration from FELT_* environment variables
 *   cli.h       the command line of every felt program (--help, --version,
 *               options, mistakes worded alike)
 *   log.h       one line per event on stderr (kv or JSON)
 *   utf8.h      strict UTF-8 (RFC 3629) for every byte string from outside
 *   json.h      helpers over json-c: bounded parsing, typed getters
 *   pyjson.h    JSON spelled as Python's json.dumps (Open Poker state_hash)
 *   db.h        the libpq layer, blocking half: connection settings,
 *               connect, parameterised and prepared queries, errors
 *   dbloop.h    the non-blocking half: one connection on the caller's event
 *               loop (pipeline, callbacks, NOTIFY events, reconnect timer)
 *   dbpool.h    a few dbloop connections behind one query call
 *   dbhealth.h  whether the database answers, shared by threads, logged per change
 *   migrate.h   the numbered sql/ migrations behind `feltctl migrate`
 *   token.h     random secrets: API keys, session and turn tokens
 *   hash.h      SHA-256 and hex
 *   auth.h      API key -> agent, for /api and /v1 alike
 *   validate.h  syntax of the account fields agents send (name, email, URL)
 *   name.h      display name rules and the confusable key names are unique by
 *
 * Include the one you use; this header includes them all for programs that
 * want everything.
 */
#ifndef FELT_CORE_ALL_H
#define FELT_CORE_ALL_H

#include "core/auth.h"
#include "core/cli.h"
#include "core/config.h"
#include "core/db.h"
#include "core/dbloop.h"
#include "core/dbhealth.h"
#include "core/dbpool.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/pyjson.h"
#include "core/log.h"
#include "core/migrate.h"
#include "core/name.h"
#include "core/token.h"
#include "core/utf8.h"
#include "core/validate.h"

#endif
