/*
 * serve.h — one request from FastCGI parameters to written response.
 *
 * The whole life of a request, independent of libfcgi so that tests can
 * drive it with arrays and memory buffers: parse the parameters, read the
 * body under the size limit, route, write the response, log one line
 * (method, path, status, ms) and count it. Bad input of any kind ends in a
 * 4xx JSON answer in the path's dialect, never a 5xx and never a crash.
 */
#ifndef FELT_CGI_SERVE_H
#define FELT_CGI_SERVE_H

#include "handler.h"
#include "request.h"
#include "response.h"
#include "router.h"

/* Bytes of an oversized body felt-api reads and drops before giving up, so
 * the web server is not left blocked writing a body nobody reads. */
#define SERVE_DISCARD_LIMIT ((size_t)64 << 20)

/*
 * serve_request: handle one request with the given route table. envp is the
 * NULL-terminated parameter array, `read` yields the body, `write` receives
 * the CGI output. Returns the HTTP status answered, or a negative
 * response_error when the answer could not be written (client gone).
 */
int serve_request(const struct route *routes, size_t n_routes,
		  struct handler_ctx *ctx, char *const *envp,
		  request_reader_fn read, void *rctx,
		  response_writer_fn write, void *wctx);

#endif
