/*
 * skill.c — loading, rendering and serving /skill.md.
 */
#include "skill.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handler.h"

#define SKILL_PLACEHOLDER "{BASE_URL}"

char *skill_render(const char *src, size_t len, const char *base_url,
		   size_t *out_len)
{
	size_t plen = strlen(SKILL_PLACEHOLDER), blen = strlen(base_url);
	size_t count = 0, i, o = 0;
	char *out;

	while (blen > 0 && base_url[blen - 1] == '/')
		blen--;
	for (i = 0; i + plen <= len; i++)
		if (memcmp(src + i, SKILL_PLACEHOLDER, plen) == 0) {
			count++;
			i += plen - 1;
		}
	out = malloc(len - count * plen + count * blen + 1);
	if (!out)
		return NULL;
	for (i = 0; i < len;) {
		if (i + plen <= len &&
		    memcmp(src + i, SKILL_PLACEHOLDER, plen) == 0) {
			memcpy(out + o, base_url, blen);
			o += blen;
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
	sk->text = skill_render(raw, n, base_url, &sk->len);
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
