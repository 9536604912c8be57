/*
 * handlog_internal — what handlog.c and handlog_json.c share.  Not for use
 * outside the handlog module.
 */
#ifndef FELT_HANDLOG_INTERNAL_H
#define FELT_HANDLOG_INTERNAL_H

#include <stddef.h>

#include "poker/handlog.h"

/*
 * handlog_text_room — make room for `more` bytes of reasoning text after
 * log->text_len.  Returns HANDLOG_OK or HANDLOG_ENOMEM (the log unchanged).
 */
int handlog_text_room(struct handlog *log, size_t more);

#endif
