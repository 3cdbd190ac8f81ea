#ifndef RKT_COPENSSL_SHIM_H
#define RKT_COPENSSL_SHIM_H
/* SHA-2 through libcrypto's one-algorithm functions rather than EVP: the same assembly (SHA-NI,
   AVX2, chosen by the CPU probe libcrypto runs at load), no provider to initialise, and a static
   link takes these two files of libcrypto instead of EVP and everything its default provider
   reaches, whose relocations the dynamic loader would apply at every start.
   OpenSSL 3 marks them deprecated in favour of EVP; they stay in its ABI. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/crypto.h>
#include <string.h>
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

/** An HMAC-SHA-512 computation in progress (RFC 2104 over the SHA-512 functions above). Not
    libcrypto's HMAC(): that goes through EVP, whose fetching and providers a static link would
    add to every tool for this one use. */
typedef struct {
    SHA512_CTX inner;
    SHA512_CTX outer;
} rkt_hmac_sha512;

/** Starts an HMAC-SHA-512 with `key` (hashed first when longer than the 128-byte block). */
static inline void rkt_hmac_sha512_init(rkt_hmac_sha512 *context, const void *key, size_t length) {
    unsigned char block[SHA512_CBLOCK] = {0};
    if (length > sizeof block) SHA512((const unsigned char *)key, length, block);
    else if (length) memcpy(block, key, length);
    unsigned char pad[SHA512_CBLOCK];
    for (size_t index = 0; index < sizeof pad; index++) pad[index] = block[index] ^ 0x36;
    SHA512_Init(&context->inner);
    SHA512_Update(&context->inner, pad, sizeof pad);
    for (size_t index = 0; index < sizeof pad; index++) pad[index] = block[index] ^ 0x5c;
    SHA512_Init(&context->outer);
    SHA512_Update(&context->outer, pad, sizeof pad);
    OPENSSL_cleanse(block, sizeof block);
    OPENSSL_cleanse(pad, sizeof pad);
}

static inline void rkt_hmac_sha512_update(rkt_hmac_sha512 *context, const void *bytes, size_t count) {
    SHA512_Update(&context->inner, bytes, count);
}

/** Writes the 64-byte HMAC to `mac`. */
static inline void rkt_hmac_sha512_final(rkt_hmac_sha512 *context, unsigned char *mac) {
    unsigned char inner[SHA512_DIGEST_LENGTH];
    SHA512_Final(inner, &context->inner);
    SHA512_Update(&context->outer, inner, sizeof inner);
    SHA512_Final(mac, &context->outer);
    OPENSSL_cleanse(context, sizeof *context);
}

/** Compares in a time that does not depend on where the bytes differ: 0 when equal. */
static inline int rkt_constant_time_compare(const void *a, const void *b, size_t length) {
    return CRYPTO_memcmp(a, b, length);
}
#endif
