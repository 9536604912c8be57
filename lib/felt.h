/*
 * felt.h — all of libfelt, for programs that want everything.
 *
 * libfelt is three folders, each with a map in its all.h:
 *   lib/core/   infrastructure: configuration, logging, JSON, the libpq
 *               layer, migrations, tokens and hashes, API key auth
 *   lib/poker/  the pure poker engine: cards, deck, evaluator, the hand
 *               state machine, pots, PHH
 *   lib/money/  ucents and dollars, the double-entry ledger, platform rules,
 *               Ethereum addresses
 * A module is lib/<folder>/<name>.c + <name>.h, tested by
 * t/unit/<folder>/test_<name>.c; public names start with the module name.
 */
#ifndef FELT_H
#define FELT_H

#include "core/all.h"
#include "money/all.h"
#include "poker/all.h"

#endif
