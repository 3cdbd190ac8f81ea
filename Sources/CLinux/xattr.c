#include "CLinux.h"

ssize_t rkt_llistxattr(const char *path, char *list, size_t size) { return llistxattr(path, list, size); }
ssize_t rkt_lgetxattr(const char *path, const char *name, void *value, size_t size) {
    return lgetxattr(path, name, value, size);
}
int rkt_lsetxattr(const char *path, const char *name, const void *value, size_t size) {
    return lsetxattr(path, name, value, size, 0);
}
int rkt_fsetxattr(int fd, const char *name, const void *value, size_t size) {
    return fsetxattr(fd, name, value, size, 0);
}
