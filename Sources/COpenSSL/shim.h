#ifndef RKT_COPENSSL_SHIM_H
#define RKT_COPENSSL_SHIM_H
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/err.h>

/* Initialises libcrypto without reading openssl.cnf: hashing needs only the built-in default
   provider, and loading the system configuration costs about a millisecond at every start. */
static inline void rkt_openssl_init(void) {
    OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL);
}
#endif
