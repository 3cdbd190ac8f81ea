/* probe: what a hostile app tries from inside a pod, one system call at a time, for the
   end-to-end isolation tests. Built statically by the tests (the test images hold busybox only).
   Each command prints "NAME=0" on success or "NAME=ERRNO-NAME" and exits 0 unless its use is wrong. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

static int report(const char *name, long result) {
    if (result < 0) printf("%s=%s\n", name, strerrorname_np(errno) ? strerrorname_np(errno) : "E?");
    else printf("%s=0\n", name);
    fflush(stdout);
    return 0;
}

/* tiocsti FD TEXT: pushes TEXT into the input queue of the terminal open at FD. */
static int tiocsti(int fd, const char *text) {
    for (const char *p = text; *p; p++) {
        if (ioctl(fd, TIOCSTI, p) != 0) return report("tiocsti", -1);
    }
    return report("tiocsti", 0);
}

/* mount-setattr PATH: clears read-only on the mount at PATH (and below it). */
static int mount_setattr_clear(const char *path) {
    struct { unsigned long long set, clr, propagation, userns; } attr = {0, 0x1 /* MOUNT_ATTR_RDONLY */, 0, 0};
    return report("mount-setattr", syscall(442 /* mount_setattr */, AT_FDCWD, path, 0x8000 /* AT_RECURSIVE */, &attr, sizeof attr));
}

/* clone-newuser: starts a child in a new user namespace. */
static int clone_newuser(void) {
    long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) _exit(0);
    if (pid > 0) waitpid((pid_t)pid, NULL, 0);
    return report("clone-newuser", pid);
}

/* io-uring: sets up an io_uring instance. */
static int io_uring(void) {
    char params[120];
    memset(params, 0, sizeof params);
    return report("io-uring", syscall(425 /* io_uring_setup */, 4, params));
}

/* open-rw PATH: opens PATH for reading and writing (nothing is written). */
static int open_rw(const char *path) { return report("open-rw", open(path, O_RDWR)); }

/* mknod-open PATH MAJOR MINOR: makes a character device node and opens it for reading. */
static int mknod_open(const char *path, const char *major, const char *minor) {
    unlink(path);
    if (mknod(path, S_IFCHR | 0600, makedev(atoi(major), atoi(minor))) != 0) return report("mknod", -1);
    report("mknod", 0);
    return report("open-node", open(path, O_RDONLY | O_NONBLOCK));
}

int main(int argc, char **argv) {
    if (argc >= 4 && strcmp(argv[1], "tiocsti") == 0) return tiocsti(atoi(argv[2]), argv[3]);
    if (argc >= 3 && strcmp(argv[1], "mount-setattr") == 0) return mount_setattr_clear(argv[2]);
    if (argc >= 2 && strcmp(argv[1], "clone-newuser") == 0) return clone_newuser();
    if (argc >= 2 && strcmp(argv[1], "io-uring") == 0) return io_uring();
    if (argc >= 3 && strcmp(argv[1], "open-rw") == 0) return open_rw(argv[2]);
    if (argc >= 5 && strcmp(argv[1], "mknod-open") == 0) return mknod_open(argv[2], argv[3], argv[4]);
    fprintf(stderr, "usage: probe tiocsti FD TEXT | mount-setattr PATH | clone-newuser | io-uring | open-rw PATH | mknod-open PATH MAJOR MINOR\n");
    return 2;
}
