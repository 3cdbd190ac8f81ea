#ifndef RKT_COPENSSL_SHIM_H
#define RKT_COPENSSL_SHIM_H
/* SHA-2 through libcrypto's one-algorithm functions rather than EVP: the same assembly (SHA-NI,
   AVX2, chosen by the CPU probe libcrypto runs at load), no provider to initialise, and a static
   link takes these two files of libcrypto instead of EVP and everything its default provider
   reaches, whose relocations the dynamic loader would apply at every start.
   OpenSSL 3 marks them deprecated in favour of EVP; they stay in its ABI. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

/** A SHA-256, SHA-384 or SHA-512 computation in progress. */
typedef struct {
    unsigned bits;
    union {
        SHA256_CTX sha256;
        SHA512_CTX sha512;
    } state;
} rkt_sha2;

/** Starts a computation of SHA-`bits` (256, 384 or 512). */
static inline void rkt_sha2_init(rkt_sha2 *context, unsigned bits) {
    context->bits = bits;
    switch (bits) {
    case 256: SHA256_Init(&context->state.sha256); break;
    case 384: SHA384_Init(&context->state.sha512); break;
    default: SHA512_Init(&context->state.sha512); break;
    }
}

static inline void rkt_sha2_update(rkt_sha2 *context, const void *bytes, size_t count) {
    if (context->bits == 256) SHA256_Update(&context->state.sha256, bytes, count);
    else SHA512_Update(&context->state.sha512, bytes, count);
}

/** Writes the digest (bits / 8 bytes, at most 64) to `digest`; returns its length. */
static inline unsigned rkt_sha2_final(rkt_sha2 *context, unsigned char *digest) {
    switch (context->bits) {
    case 256: SHA256_Final(digest, &context->state.sha256); return 32;
    case 384: SHA384_Final(digest, &context->state.sha512); return 48;
    default: SHA512_Final(digest, &context->state.sha512); return 64;
    }
}
#endif
