/*
 * skill.h — the MoltPoker skill document served at GET /skill.md.
 *
 * The file (www/skill.md, installed to pkgdatadir) is read once at start,
 * every "{BASE_URL}" in it replaced by the public URL and every "{WS_URL}"
 * by the default WebSocket URL behind it (ws(s)://host/v1/ws), so serving
 * it is a copy from memory. Other {names} (the runtime variables of the
 * protocol front matter, {api_key}, {ws_url}...) are left as they are.
 */
#ifndef FELT_CGI_SKILL_H
#define FELT_CGI_SKILL_H

#include <stddef.h>

#include "router.h"

enum skill_error {
	SKILL_OK = 0,
	SKILL_ENOMEM = -1,
	SKILL_EREAD = -2,     /* cannot open or read the file */
	SKILL_ETOOBIG = -3,   /* over SKILL_MAX_BYTES */
};

#define SKILL_MAX_BYTES (1024 * 1024)

struct skill {
	char *text;           /* owned, NUL-terminated */
	size_t len;
};

/*
 * skill_render: return a new string (caller frees) holding src[0..len) with
 * each "{BASE_URL}" replaced by base_url minus any trailing '/', and each
 * "{WS_URL}" by ws_url. *out_len gets its length. NULL when out of memory.
 */
char *skill_render(const char *src, size_t len, const char *base_url,
		   const char *ws_url, size_t *out_len);

/*
 * skill_load: read path and render it with base_url and the WebSocket URL
 * derived from it (v1_ws_url_default) into sk (owned by sk, release with
 * skill_free). Returns SKILL_OK or a negative skill_error.
 */
int skill_load(struct skill *sk, const char *path, const char *base_url);

/* skill_free: release what sk owns. */
void skill_free(struct skill *sk);

/* skill_strerror: a static English description of a skill_error. */
const char *skill_strerror(int err);

/*
 * skill_get: GET /skill.md handler. 200 text/markdown with the loaded
 * document, or 404 when none could be loaded at start.
 */
int skill_get(struct handler_ctx *ctx, struct request *req,
	      struct response *res);

#endif
