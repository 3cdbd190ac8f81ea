#include "CLinux.h"

ssize_t rkt_llistxattr(const char *path, char *list, size_t size) { return llistxattr(path, list, size); }
ssize_t rkt_lgetxattr(const char *path, const char *name, void *value, size_t size) {
    return lgetxattr(path, name, value, size);
}
