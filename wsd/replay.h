/*
 * replay.h — a table's recent public frames, kept for resync.
 *
 * A dialect that answers a reconnecting client with what it missed (Open
 * Poker's resync_response.replayed_events, reference §8) asks its table to
 * keep them (table_keep_frames) and stores each public frame here once, as
 * text, with the number it was sent under (its table_seq) and the hand it
 * belongs to.  The runtime never reads them: to it they are opaque bytes.
 *
 * The window (reference open question 11): the frames of the current hand
 * and of the one before (with whatever happened between them), and never
 * more than REPLAY_MAX_FRAMES frames or REPLAY_MAX_BYTES bytes of text: the
 * oldest go first.  A table costs at most about REPLAY_MAX_BYTES, so
 * thousands fit on one machine; a client that was away longer than the
 * window gets the snapshot only (clients expect a bounded window).
 */
#ifndef FELT_WSD_REPLAY_H
#define FELT_WSD_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#define REPLAY_MAX_FRAMES 96
#define REPLAY_MAX_BYTES (48 * 1024)

struct replay;

/* replay_new — an empty window; NULL when memory is short.  Free with
 * replay_free (NULL is fine). */
struct replay *replay_new(void);
void replay_free(struct replay *r);

/*
 * replay_add — keep text (len bytes, copied) sent under seq as a frame of
 * hand (a number that grows with each hand dealt; frames between hands
 * carry the last hand's).  seq must grow from one call to the next.  Frames
 * of hands before hand - 1 are dropped, then the oldest until the window
 * fits.  Returns 0, or -1 when memory is short or the frame alone is larger
 * than the window (it is then not kept).
 */
int replay_add(struct replay *r, int hand, int64_t seq, const char *text, size_t len);

/* What replay_since calls for each frame, oldest first. */
typedef void replay_frame_cb(void *arg, int64_t seq, const char *text, size_t len);

/* replay_since — cb(arg, ...) for every kept frame sent under a number
 * greater than after, in order.  Returns how many. */
int replay_since(const struct replay *r, int64_t after, replay_frame_cb *cb, void *arg);

/* replay_bytes — the text kept (for figures and tests). */
size_t replay_bytes(const struct replay *r);

#endif
