#ifndef RKT_CGPGME_SHIM_H
#define RKT_CGPGME_SHIM_H
#include <gpgme.h>

/* gpgme_check_version is a function-like macro in gpgme.h. */
static inline const char *rkt_gpgme_check_version(const char *required) {
    return gpgme_check_version(required);
}
#endif
