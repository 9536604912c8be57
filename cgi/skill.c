/*
 * skill.c — loading, rendering and serving /skill.md.
 */
#include "skill.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handler.h"

#include "v1_common.h"

/* Length of the placeholder at src[0..len), with its value, or 0. */
static size_t placeholder(const char *src, size_t len, const char *base,
			  size_t blen, const char *ws, const char **value,
			  size_t *vlen)
{
	static const char base_ph[] = "{BASE_URL}", ws_ph[] = "{WS_URL}";

	if (len >= sizeof base_ph - 1 &&
	    memcmp(src, base_ph, sizeof base_ph - 1) == 0) {
		*value = base;
		*vlen = blen;
		return sizeof base_ph - 1;
	}
	if (len >= sizeof ws_ph - 1 && memcmp(src, ws_ph, sizeof ws_ph - 1) == 0) {
		*value = ws;
		*vlen = strlen(ws);
		return sizeof ws_ph - 1;
	}
	return 0;
}

char *skill_render(const char *src, size_t len, const char *base_url,
		   const char *ws_url, size_t *out_len)
{
	size_t blen = strlen(base_url), size = 0, i, o = 0, plen, vlen;
	const char *value;
	char *out;

	while (blen > 0 && base_url[blen - 1] == '/')
		blen--;
	/* Two passes: measure, then copy. */
	for (i = 0; i < len;) {
		plen = placeholder(src + i, len - i, base_url, blen, ws_url,
				   &value, &vlen);
		size += plen ? vlen : 1;
		i += plen ? plen : 1;
	}
	out = malloc(size + 1);
	if (!out)
		return NULL;
	for (i = 0; i < len;) {
		plen = placeholder(src + i, len - i, base_url, blen, ws_url,
				   &value, &vlen);
		if (plen) {
			memcpy(out + o, value, vlen);
			o += vlen;
			i += plen;
		} else {
			out[o++] = src[i++];
		}
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

int skill_load(struct skill *sk, const char *path, const char *base_url)
{
	FILE *f = fopen(path, "rb");
	char ws_url[V1_URL_MAX];
	char *raw;
	size_t n;

	sk->text = NULL;
	sk->len = 0;
	if (!f)
		return SKILL_EREAD;
	raw = malloc(SKILL_MAX_BYTES + 1);
	if (!raw) {
		fclose(f);
		return SKILL_ENOMEM;
	}
	n = fread(raw, 1, SKILL_MAX_BYTES + 1, f);
	if (ferror(f) || n > SKILL_MAX_BYTES) {
		int rc = ferror(f) ? SKILL_EREAD : SKILL_ETOOBIG;

		fclose(f);
		free(raw);
		return rc;
	}
	fclose(f);
	v1_ws_url_default(base_url, ws_url, sizeof ws_url);
	sk->text = skill_render(raw, n, base_url, ws_url, &sk->len);
	free(raw);
	return sk->text ? SKILL_OK : SKILL_ENOMEM;
}

void skill_free(struct skill *sk)
{
	free(sk->text);
	sk->text = NULL;
	sk->len = 0;
}

const char *skill_strerror(int err)
{
	switch (err) {
	case SKILL_OK: return "success";
	case SKILL_ENOMEM: return "out of memory";
	case SKILL_EREAD: return "cannot read the skill document";
	case SKILL_ETOOBIG: return "skill document too large";
	}
	return "unknown skill error";
}

int skill_get(struct handler_ctx *ctx, struct request *req,
	      struct response *res)
{
	if (!ctx->skill || !ctx->skill->text)
		return response_error(res, req->path, 404, NULL,
				      "Skill document not installed", NULL);
	return response_body(res, 200, "text/markdown; charset=utf-8",
			     ctx->skill->text, ctx->skill->len);
}
