#ifndef RKT_CLINUX_H
#define RKT_CLINUX_H
/* Linux interfaces Swift's Glibc module does not export, and the few helpers Swift must not
   do itself. */
#include <sys/types.h>
#include <sys/xattr.h>

/* Extended attributes of a path (never following a final symlink). */
ssize_t rkt_llistxattr(const char *path, char *list, size_t size);
ssize_t rkt_lgetxattr(const char *path, const char *name, void *value, size_t size);

#endif
