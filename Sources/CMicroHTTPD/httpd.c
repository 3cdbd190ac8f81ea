#define _GNU_SOURCE
#include "CMicroHTTPD.h"
#include <dlfcn.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* libmicrohttpd's functions, looked up once. */
static struct {
    struct MHD_Daemon *(*start_daemon)(unsigned int, uint16_t, MHD_AcceptPolicyCallback, void *, MHD_AccessHandlerCallback,
                                       void *, ...);
    void (*stop_daemon)(struct MHD_Daemon *);
    struct MHD_Response *(*create_response_from_buffer)(size_t, void *, enum MHD_ResponseMemoryMode);
    enum MHD_Result (*add_response_header)(struct MHD_Response *, const char *, const char *);
    enum MHD_Result (*queue_response)(struct MHD_Connection *, unsigned int, struct MHD_Response *);
    void (*destroy_response)(struct MHD_Response *);
    int (*get_connection_values)(struct MHD_Connection *, enum MHD_ValueKind, MHD_KeyValueIterator, void *);
    const union MHD_ConnectionInfo *(*get_connection_info)(struct MHD_Connection *, enum MHD_ConnectionInfoType, ...);
    struct MHD_PostProcessor *(*create_post_processor)(struct MHD_Connection *, size_t, MHD_PostDataIterator, void *);
    enum MHD_Result (*post_process)(struct MHD_PostProcessor *, const char *, size_t);
    enum MHD_Result (*destroy_post_processor)(struct MHD_PostProcessor *);
    char error[256];
} mhd;

static void load(void) {
    void *library = dlopen("libmicrohttpd.so.12", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        const char *reason = dlerror();
        snprintf(mhd.error, sizeof mhd.error, "%s", reason ? reason : "cannot load libmicrohttpd.so.12");
        return;
    }
    *(void **)&mhd.stop_daemon = dlsym(library, "MHD_stop_daemon");
    *(void **)&mhd.create_response_from_buffer = dlsym(library, "MHD_create_response_from_buffer");
    *(void **)&mhd.add_response_header = dlsym(library, "MHD_add_response_header");
    *(void **)&mhd.queue_response = dlsym(library, "MHD_queue_response");
    *(void **)&mhd.destroy_response = dlsym(library, "MHD_destroy_response");
    *(void **)&mhd.get_connection_values = dlsym(library, "MHD_get_connection_values");
    *(void **)&mhd.get_connection_info = dlsym(library, "MHD_get_connection_info");
    *(void **)&mhd.create_post_processor = dlsym(library, "MHD_create_post_processor");
    *(void **)&mhd.post_process = dlsym(library, "MHD_post_process");
    *(void **)&mhd.destroy_post_processor = dlsym(library, "MHD_destroy_post_processor");
    void *start = dlsym(library, "MHD_start_daemon");
    if (!start || !mhd.stop_daemon || !mhd.create_response_from_buffer || !mhd.add_response_header ||
        !mhd.queue_response || !mhd.destroy_response || !mhd.get_connection_values || !mhd.get_connection_info ||
        !mhd.create_post_processor || !mhd.post_process || !mhd.destroy_post_processor) {
        snprintf(mhd.error, sizeof mhd.error, "libmicrohttpd.so.12 lacks a function this program needs");
        return;
    }
    *(void **)&mhd.start_daemon = start;
}

static int loaded(char *error, size_t error_size) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, load);
    if (mhd.start_daemon) return 1;
    snprintf(error, error_size, "cannot load libmicrohttpd: %s", mhd.error);
    return 0;
}

struct rkt_httpd {
    struct MHD_Daemon *daemon;
    rkt_httpd_handler handler;
    void *context;
    size_t body_limit;
};

struct field {
    char *name;
    char *value;
    size_t length;
};

struct rkt_httpd_request {
    struct MHD_Connection *connection;
    rkt_httpd *server;
    const char *method;
    const char *path;
    unsigned char *body;
    size_t length;
    int too_large;
    struct MHD_PostProcessor *form_parser;
    struct field *fields;
    size_t field_count;
    int answered;
    enum MHD_Result queued;
};

/* A form value arrives in pieces (`offset` > 0 continues the field before). */
static enum MHD_Result form_value(void *context, enum MHD_ValueKind kind, const char *key, const char *filename,
                                  const char *content_type, const char *transfer_encoding, const char *data,
                                  uint64_t offset, size_t size) {
    (void)kind, (void)filename, (void)content_type, (void)transfer_encoding;
    struct rkt_httpd_request *request = context;
    struct field *field = request->field_count ? &request->fields[request->field_count - 1] : NULL;
    if (offset == 0 || !field || strcmp(field->name, key) != 0) {
        struct field *fields = realloc(request->fields, (request->field_count + 1) * sizeof *fields);
        if (!fields) return MHD_NO;
        request->fields = fields;
        field = &fields[request->field_count++];
        field->name = strdup(key);
        field->value = calloc(1, 1);
        field->length = 0;
        if (!field->name || !field->value) return MHD_NO;
    }
    char *value = realloc(field->value, field->length + size + 1);
    if (!value) return MHD_NO;
    memcpy(value + field->length, data, size);
    field->length += size;
    value[field->length] = 0;
    field->value = value;
    return MHD_YES;
}

static void drop_fields(struct rkt_httpd_request *request) {
    for (size_t index = 0; index < request->field_count; index++) {
        free(request->fields[index].name);
        free(request->fields[index].value);
    }
    free(request->fields);
    request->fields = NULL;
    request->field_count = 0;
}

static enum MHD_Result answer_plain(struct rkt_httpd_request *request, unsigned status, const char *text) {
    rkt_httpd_respond(request, status, "text/plain; charset=us-ascii", text, strlen(text), NULL, NULL);
    return request->queued;
}

static enum MHD_Result access_handler(void *context, struct MHD_Connection *connection, const char *url, const char *method,
                                      const char *version, const char *data, size_t *size, void **state) {
    (void)version;
    rkt_httpd *server = context;
    struct rkt_httpd_request *request = *state;
    if (!request) {
        request = calloc(1, sizeof *request);
        if (!request) return MHD_NO;
        request->connection = connection;
        request->server = server;
        /* Forms are POSTed; NULL unless the body is one (application/x-www-form-urlencoded or
           multipart/form-data). */
        if (strcmp(method, "POST") == 0) request->form_parser = mhd.create_post_processor(connection, 4096, form_value, request);
        *state = request;
        return MHD_YES;
    }
    if (*size) {
        if (!request->too_large && request->length + *size > server->body_limit) request->too_large = 1;
        if (!request->too_large) {
            unsigned char *body = realloc(request->body, request->length + *size);
            if (!body) return MHD_NO;
            memcpy(body + request->length, data, *size);
            request->body = body;
            request->length += *size;
            if (request->form_parser && mhd.post_process(request->form_parser, data, *size) != MHD_YES) {
                /* Not a form after all: the handler sees no fields. */
                mhd.destroy_post_processor(request->form_parser);
                request->form_parser = NULL;
                drop_fields(request);
            }
        }
        *size = 0;
        return MHD_YES;
    }
    if (request->form_parser) {
        /* Delivers the last field, which no separator ended. */
        mhd.destroy_post_processor(request->form_parser);
        request->form_parser = NULL;
    }
    if (request->too_large) return answer_plain(request, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large\n");
    request->method = method;
    request->path = url;
    server->handler(server->context, request);
    if (!request->answered) return answer_plain(request, MHD_HTTP_INTERNAL_SERVER_ERROR, "no answer\n");
    return request->queued;
}

static void completed(void *context, struct MHD_Connection *connection, void **state, enum MHD_RequestTerminationCode code) {
    (void)context, (void)connection, (void)code;
    struct rkt_httpd_request *request = *state;
    if (!request) return;
    if (request->form_parser) mhd.destroy_post_processor(request->form_parser);
    drop_fields(request);
    free(request->body);
    free(request);
    *state = NULL;
}

int rkt_httpd_listen_tcp(unsigned port, unsigned *bound_port, char *error, size_t error_size) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(error, error_size, "socket: %s", strerror(errno));
        return -1;
    }
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_ANY)};
    socklen_t length = sizeof address;
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0 || listen(fd, 128) != 0 ||
        getsockname(fd, (struct sockaddr *)&address, &length) != 0) {
        snprintf(error, error_size, "listen on port %u: %s", port, strerror(errno));
        close(fd);
        return -1;
    }
    *bound_port = ntohs(address.sin_port);
    return fd;
}

int rkt_httpd_listen_unix(const char *path, mode_t mode, char *error, size_t error_size) {
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof address.sun_path) {
        snprintf(error, error_size, "%s: path too long for a unix socket", path);
        return -1;
    }
    strcpy(address.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(error, error_size, "socket: %s", strerror(errno));
        return -1;
    }
    struct stat status;
    if (lstat(path, &status) == 0 && S_ISSOCK(status.st_mode)) {
        /* A socket nobody answers on is a previous server's: replaced. */
        if (connect(fd, (struct sockaddr *)&address, sizeof address) == 0) {
            snprintf(error, error_size, "%s: another server is listening there", path);
            close(fd);
            return -1;
        }
        close(fd);
        unlink(path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            snprintf(error, error_size, "socket: %s", strerror(errno));
            return -1;
        }
    }
    mode_t mask = umask(0777 & ~mode);
    int bound = bind(fd, (struct sockaddr *)&address, sizeof address);
    umask(mask);
    if (bound != 0 || listen(fd, 128) != 0) {
        snprintf(error, error_size, "listen on %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

rkt_httpd *rkt_httpd_start(int listen_fd, unsigned threads, size_t body_limit, rkt_httpd_handler handler, void *context,
                           char *error, size_t error_size) {
    if (!loaded(error, error_size)) {
        close(listen_fd);
        return NULL;
    }
    rkt_httpd *server = calloc(1, sizeof *server);
    if (!server) {
        close(listen_fd);
        snprintf(error, error_size, "out of memory");
        return NULL;
    }
    server->handler = handler;
    server->context = context;
    server->body_limit = body_limit;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
    server->daemon = mhd.start_daemon(flags, 0, NULL, NULL, access_handler, server,
                                      MHD_OPTION_LISTEN_SOCKET, (MHD_socket)listen_fd,
                                      MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)(threads ? threads : 1),
                                      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
                                      MHD_OPTION_CONNECTION_LIMIT, (unsigned int)1024,
                                      MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
                                      MHD_OPTION_END);
    if (!server->daemon) {
        snprintf(error, error_size, "libmicrohttpd could not start serving");
        close(listen_fd);
        free(server);
        return NULL;
    }
    return server;
}

void rkt_httpd_stop(rkt_httpd *server) {
    mhd.stop_daemon(server->daemon);
    free(server);
}

const char *rkt_httpd_method(const rkt_httpd_request *request) { return request->method; }
const char *rkt_httpd_path(const rkt_httpd_request *request) { return request->path; }

const unsigned char *rkt_httpd_body(const rkt_httpd_request *request, size_t *length) {
    *length = request->length;
    return request->body;
}

struct visit {
    rkt_httpd_visitor visitor;
    void *context;
};

static enum MHD_Result visit_value(void *context, enum MHD_ValueKind kind, const char *name, const char *value) {
    (void)kind;
    struct visit *visit = context;
    visit->visitor(visit->context, name, value ? value : "");
    return MHD_YES;
}

void rkt_httpd_each(const rkt_httpd_request *request, enum rkt_httpd_kind kind, rkt_httpd_visitor visitor, void *context) {
    if (kind == RKT_HTTPD_FORM) {
        for (size_t index = 0; index < request->field_count; index++) {
            visitor(context, request->fields[index].name, request->fields[index].value);
        }
        return;
    }
    struct visit visit = {visitor, context};
    mhd.get_connection_values(request->connection, kind == RKT_HTTPD_HEADER ? MHD_HEADER_KIND : MHD_GET_ARGUMENT_KIND,
                              visit_value, &visit);
}

int rkt_httpd_peer(const rkt_httpd_request *request, pid_t *pid, uid_t *uid) {
    const union MHD_ConnectionInfo *info = mhd.get_connection_info(request->connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!info) return -1;
    struct sockaddr_storage address;
    socklen_t address_length = sizeof address;
    if (getsockname(info->connect_fd, (struct sockaddr *)&address, &address_length) != 0 || address.ss_family != AF_UNIX) return -1;
    struct ucred credentials;
    socklen_t length = sizeof credentials;
    if (getsockopt(info->connect_fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) return -1;
    *pid = credentials.pid;
    *uid = credentials.uid;
    return 0;
}

int rkt_httpd_respond(rkt_httpd_request *request, unsigned status, const char *content_type, const void *body, size_t length,
                      const char *header_name, const char *header_value) {
    if (request->answered) return -1;
    request->answered = 1;
    request->queued = MHD_NO;
    struct MHD_Response *response = mhd.create_response_from_buffer(length, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!response) return -1;
    if (content_type) mhd.add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    if (header_name && header_value) mhd.add_response_header(response, header_name, header_value);
    request->queued = mhd.queue_response(request->connection, status, response);
    mhd.destroy_response(response);
    return request->queued == MHD_YES ? 0 : -1;
}
