#define _GNU_SOURCE
#include "CLinux.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

int rkt_openat_in_root(int root, const char *path, int flags, mode_t mode) {
    struct open_how how = {
        .flags = (uint64_t)(flags | O_CLOEXEC),
        .mode = (flags & O_CREAT) ? mode : 0,
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
    };
    return (int)syscall(SYS_openat2, root, path, &how, sizeof how);
}

int rkt_open_path_in_root(int root, const char *path, int create_dirs, int as_file) {
    char partial[4096];
    size_t length = strlen(path);
    if (length >= sizeof partial) { errno = ENAMETOOLONG; return -1; }
    /* Most targets exist already: one lookup. */
    int existing = rkt_openat_in_root(root, path, O_PATH, 0);
    if (existing >= 0 || errno != ENOENT || !create_dirs) return existing;
    /* Create each missing component in turn, always resolving inside the root. */
    for (size_t i = 1; create_dirs && i <= length; i++) {
        if (i < length && path[i] != '/') continue;
        memcpy(partial, path, i);
        partial[i] = 0;
        int fd = rkt_openat_in_root(root, partial, O_PATH, 0);
        if (fd >= 0) { close(fd); continue; }
        if (errno != ENOENT) return -1;
        char *slash = strrchr(partial, '/');
        const char *name = slash ? slash + 1 : partial;
        int parent;
        if (slash && slash != partial) {
            *slash = 0;
            parent = rkt_openat_in_root(root, partial, O_PATH | O_DIRECTORY, 0);
            *slash = '/';
        } else {
            parent = dup(root);
        }
        if (parent < 0) return -1;
        int made;
        if (i == length && as_file) {
            made = openat(parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
            if (made >= 0) close(made);
        } else {
            made = mkdirat(parent, name, 0755);
        }
        int saved = errno;
        close(parent);
        if (made < 0 && saved != EEXIST) { errno = saved; return -1; }
    }
    return rkt_openat_in_root(root, path, O_PATH, 0);
}
