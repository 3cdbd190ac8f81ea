#ifndef RKT_CCURL_SHIM_H
#define RKT_CCURL_SHIM_H
#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

/* libcurl is loaded on first use (dlopen), not linked: with its dependencies (GSSAPI, LDAP,
   RTMP, …) it costs about 10 ms at every start of every tool, and most runs never go online.
   curl_easy_setopt and curl_easy_getinfo are variadic: typed, non-variadic wrappers for Swift. */
struct rkt_curl_api {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    char error[256];
};

static inline void rkt_curl_load(struct rkt_curl_api *api) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        const char *reason = dlerror();
        snprintf(api->error, sizeof api->error, "%s", reason ? reason : "cannot load libcurl.so.4");
        return;
    }
    *(void **)&api->easy_init = dlsym(library, "curl_easy_init");
    *(void **)&api->easy_cleanup = dlsym(library, "curl_easy_cleanup");
    *(void **)&api->easy_setopt = dlsym(library, "curl_easy_setopt");
    *(void **)&api->easy_perform = dlsym(library, "curl_easy_perform");
    *(void **)&api->easy_getinfo = dlsym(library, "curl_easy_getinfo");
    *(void **)&api->easy_strerror = dlsym(library, "curl_easy_strerror");
    *(void **)&api->slist_append = dlsym(library, "curl_slist_append");
    *(void **)&api->slist_free_all = dlsym(library, "curl_slist_free_all");
    CURLcode (*global_init)(long) = NULL;
    *(void **)&global_init = dlsym(library, "curl_global_init");
    if (!global_init || !api->easy_init || !api->easy_cleanup || !api->easy_setopt || !api->easy_perform ||
        !api->easy_getinfo || !api->easy_strerror || !api->slist_append || !api->slist_free_all) {
        snprintf(api->error, sizeof api->error, "libcurl.so.4 lacks a function this program needs");
        return;
    }
    if (global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(api->error, sizeof api->error, "curl_global_init failed");
        return;
    }
    api->global_init = global_init;
}

/* The process's one copy (a header has no place for globals Swift would emit). */
static inline struct rkt_curl_api *rkt_curl_shared(void) {
    static struct rkt_curl_api api;
    return &api;
}
static inline void rkt_curl_load_shared(void) { rkt_curl_load(rkt_curl_shared()); }

/* Loads and initialises libcurl once; NULL when it cannot (then rkt_curl_load_error says why). */
static inline const struct rkt_curl_api *rkt_curl(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, rkt_curl_load_shared);
    return rkt_curl_shared()->global_init ? rkt_curl_shared() : NULL;
}
static inline const char *rkt_curl_load_error(void) { rkt_curl(); return rkt_curl_shared()->error; }

static inline CURL *rkt_curl_easy_init(void) { return rkt_curl()->easy_init(); }
static inline void rkt_curl_easy_cleanup(CURL *h) { rkt_curl()->easy_cleanup(h); }
static inline CURLcode rkt_curl_easy_perform(CURL *h) { return rkt_curl()->easy_perform(h); }
static inline const char *rkt_curl_easy_strerror(CURLcode c) { return rkt_curl()->easy_strerror(c); }
static inline struct curl_slist *rkt_curl_slist_append(struct curl_slist *l, const char *s) { return rkt_curl()->slist_append(l, s); }
static inline void rkt_curl_slist_free_all(struct curl_slist *l) { if (l) rkt_curl()->slist_free_all(l); }

static inline CURLcode rkt_curl_setopt_long(CURL *h, CURLoption o, long v) { return rkt_curl()->easy_setopt(h, o, v); }
static inline CURLcode rkt_curl_setopt_string(CURL *h, CURLoption o, const char *v) { return rkt_curl()->easy_setopt(h, o, v); }
static inline CURLcode rkt_curl_setopt_pointer(CURL *h, CURLoption o, void *v) { return rkt_curl()->easy_setopt(h, o, v); }
static inline CURLcode rkt_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return rkt_curl()->easy_setopt(h, o, v); }
static inline CURLcode rkt_curl_setopt_write(CURL *h, size_t (*f)(char *, size_t, size_t, void *)) {
    return rkt_curl()->easy_setopt(h, CURLOPT_WRITEFUNCTION, f);
}
static inline CURLcode rkt_curl_setopt_header(CURL *h, size_t (*f)(char *, size_t, size_t, void *)) {
    return rkt_curl()->easy_setopt(h, CURLOPT_HEADERFUNCTION, f);
}
static inline CURLcode rkt_curl_setopt_xferinfo(CURL *h, int (*f)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t)) {
    return rkt_curl()->easy_setopt(h, CURLOPT_XFERINFOFUNCTION, f);
}
static inline CURLcode rkt_curl_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return rkt_curl()->easy_setopt(h, o, v); }
static inline CURLcode rkt_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return rkt_curl()->easy_getinfo(h, i, v); }
static inline CURLcode rkt_curl_getinfo_string(CURL *h, CURLINFO i, char **v) { return rkt_curl()->easy_getinfo(h, i, v); }
static inline CURLcode rkt_curl_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return rkt_curl()->easy_getinfo(h, i, v); }
#endif
