#ifndef RKT_COPENSSL_SHIM_H
#define RKT_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/err.h>
#endif
