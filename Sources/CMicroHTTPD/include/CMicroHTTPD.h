#ifndef RKT_CMICROHTTPD_H
#define RKT_CMICROHTTPD_H
/* An HTTP/1.1 server over libmicrohttpd, loaded on first use (dlopen): the tools that serve
   nothing do not load it. The server runs its own threads and calls one handler per complete
   request, with the body read (and a form body parsed) already; the handler answers through
   rkt_httpd_respond before it returns. Nothing of libmicrohttpd's own API is visible here. */
#include <stddef.h>
#include <sys/types.h>

typedef struct rkt_httpd rkt_httpd;
typedef struct rkt_httpd_request rkt_httpd_request;

/* Called on one of the server's threads, once per request. */
typedef void (*rkt_httpd_handler)(void *context, rkt_httpd_request *request);
/* Called once per value of a rkt_httpd_each enumeration. */
typedef void (*rkt_httpd_visitor)(void *context, const char *name, const char *value);

/* What rkt_httpd_each enumerates. */
enum rkt_httpd_kind { RKT_HTTPD_HEADER = 0, RKT_HTTPD_QUERY = 1, RKT_HTTPD_FORM = 2 };

/* A listening TCP socket on every IPv4 address, `port` 0 for one the kernel picks; the port
   taken is stored in `bound_port`. -1 with a message in `error` on failure. */
int rkt_httpd_listen_tcp(unsigned port, unsigned *bound_port, char *error, size_t error_size);
/* A listening unix socket at `path` (a stale socket file there is replaced), with `mode`. */
int rkt_httpd_listen_unix(const char *path, mode_t mode, char *error, size_t error_size);

/* Serves the listening socket `listen_fd` (which the server then owns) with `threads` threads;
   a request body larger than `body_limit` is answered 413 without calling the handler. NULL
   with a message in `error` on failure (the socket is closed then too). */
rkt_httpd *rkt_httpd_start(int listen_fd, unsigned threads, size_t body_limit, rkt_httpd_handler handler,
                           void *context, char *error, size_t error_size);
/* Stops serving: closes the socket and waits for the server's threads. */
void rkt_httpd_stop(rkt_httpd *server);

const char *rkt_httpd_method(const rkt_httpd_request *request);
/* The path of the request target, percent-decoded, without its query. */
const char *rkt_httpd_path(const rkt_httpd_request *request);
const unsigned char *rkt_httpd_body(const rkt_httpd_request *request, size_t *length);
/* Calls `visitor` for each header, query argument or form field (urlencoded or multipart body). */
void rkt_httpd_each(const rkt_httpd_request *request, enum rkt_httpd_kind kind, rkt_httpd_visitor visitor, void *context);
/* The process and user at the other end of a unix socket (SO_PEERCRED); -1 for other sockets. */
int rkt_httpd_peer(const rkt_httpd_request *request, pid_t *pid, uid_t *uid);
/* Answers the request; `content_type` may be NULL. 0, or -1 when the answer could not be queued. */
int rkt_httpd_respond(rkt_httpd_request *request, unsigned status, const char *content_type, const void *body,
                      size_t length, const char *header_name, const char *header_value);
#endif
