/*
 * lib/poker — the poker engine.  Pure: no I/O, no clock, no globals, no
 * randomness of its own (a deck seed and the actions come in as arguments),
 * so every function here is a deterministic function of its arguments.
 *
 *   cards.h     the 52 cards: encoding, parsing, printing
 *   deck.h      the provably fair deck: ChaCha20 shuffle of a 32-byte seed,
 *               SHA-256 commitment
 *   eval.h      7-card hand evaluator (table driven) and hand descriptions
 *   pots.h      uncalled chips, side pots by contribution layers, rake,
 *               splitting a pot among tied winners
 *   hand.h      the No-Limit Hold'em hand state machine (betting.c: legal
 *               actions and applying them; showdown.c: showing and paying;
 *               seats.c: button and blind positions; hand_internal.h: what
 *               those files share)
 *   button.h    cash tables: the TDA dead button (who posts which blind,
 *               who is dealt in) as players come and go
 *   view.h      the one redaction point: what a seat, a spectator or the
 *               platform may know about a hand (hole cards, legal actions)
 *   handlog.h   the log of one hand, driving the engine: the one source of
 *               broadcasts, the stored history (JSON) and PHH exports
 *   phh.h       PHH hand histories (PokerKit's format): read and write
 *   replay.h    a PHH hand through the engine, judged against its result
 */
#ifndef FELT_POKER_ALL_H
#define FELT_POKER_ALL_H

#include "poker/button.h"
#include "poker/cards.h"
#include "poker/deck.h"
#include "poker/eval.h"
#include "poker/hand.h"
#include "poker/handlog.h"
#include "poker/phh.h"
#include "poker/pots.h"
#include "poker/replay.h"
#include "poker/view.h"

#endif
