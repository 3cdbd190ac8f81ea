/* probe: what a hostile app tries from inside a pod, one system call at a time, for the
   end-to-end isolation tests. Built statically by the tests (the test images hold busybox only).
   Each command prints "NAME=0" on success or "NAME=ERRNO-NAME" and exits 0 unless its use is wrong. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
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

/* open-tree-attr PATH FILE: clones the mount at PATH as a detached mount with read-only cleared
   (open_tree_attr, Linux 6.15), then opens FILE below that clone for writing (nothing is written). */
static int open_tree_attr_write(const char *path, const char *file) {
    struct { unsigned long long set, clr, propagation, userns; } attr = {0, 0x1 /* MOUNT_ATTR_RDONLY */, 0, 0};
    long tree = syscall(467 /* open_tree_attr */, AT_FDCWD, path, 1 /* OPEN_TREE_CLONE */ | 0x8000 /* AT_RECURSIVE */, &attr, sizeof attr);
    report("open-tree-attr", tree);
    if (tree < 0) return 0;
    return report("open-tree-write", openat((int)tree, file, O_WRONLY));
}

/* mount-api: each call of the new mount API once, harmlessly (a detached clone of /, a filesystem
   context never created, a superblock picked and closed): with CAP_SYS_ADMIN the kernel answers
   each with success or an error about its arguments, never EPERM, so EPERM is the filter's. */
static int mount_api(void) {
    struct { unsigned long long set, clr, propagation, userns; } attr = {0, 0, 0, 0};
    report("open_tree", syscall(428 /* open_tree */, AT_FDCWD, "/", 1 /* OPEN_TREE_CLONE */));
    report("open_tree_attr", syscall(467 /* open_tree_attr */, AT_FDCWD, "/", 1 /* OPEN_TREE_CLONE */, NULL, 0));
    report("move_mount", syscall(429 /* move_mount */, -1, "", -1, "", 0));
    report("fsopen", syscall(430 /* fsopen */, "tmpfs", 0));
    report("fsconfig", syscall(431 /* fsconfig */, -1, 6 /* FSCONFIG_CMD_CREATE */, NULL, NULL, 0));
    report("fsmount", syscall(432 /* fsmount */, -1, 0, 0));
    report("fspick", syscall(433 /* fspick */, AT_FDCWD, "/", 0));
    return report("mount_setattr", syscall(442 /* mount_setattr */, AT_FDCWD, "/", 0, &attr, sizeof attr));
}

/* clone-newuser: starts a child in a new user namespace. */
static int clone_newuser(void) {
    long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) _exit(0);
    if (pid > 0) waitpid((pid_t)pid, NULL, 0);
    return report("clone-newuser", pid);
}

/* clone3-newuser: starts a child in a new user namespace through clone3, whose flags live in
   memory where a seccomp filter cannot read them. */
static int clone3_newuser(void) {
    uint64_t args[11] = {0}; /* struct clone_args: flags, pidfd, child_tid, parent_tid, exit_signal, ... */
    args[0] = CLONE_NEWUSER;
    args[4] = SIGCHLD;
    long pid = syscall(435 /* clone3 */, args, sizeof args);
    if (pid == 0) _exit(0);
    if (pid > 0) waitpid((pid_t)pid, NULL, 0);
    return report("clone3-newuser", pid);
}

static void *thread_main(void *argument) { return argument; }

/* thread: starts a thread and joins it (glibc tries clone3 first and falls back to clone on ENOSYS). */
static int thread(void) {
    pthread_t id;
    int error = pthread_create(&id, NULL, thread_main, NULL);
    if (error == 0) error = pthread_join(id, NULL);
    errno = error;
    return report("thread", error ? -1 : 0);
}

/* socket FAMILY TYPE: opens a socket of that address family and type (numbers, 0x… too), through
   the system call itself: FAMILY may set bits above the 32 of the int the kernel reads. */
static int socket_of(const char *family, const char *type) {
    return report("socket", syscall(SYS_socket, strtoll(family, NULL, 0), strtoll(type, NULL, 0), 0));
}

/* calls NAME=NUMBER…: makes each system call by number with every argument 0 (an invalid or empty
   request, for calls a filter should refuse before the kernel reads them) and reports it as NAME. */
static int calls(int count, char **specs) {
    for (int i = 0; i < count; i++) {
        char *equals = strchr(specs[i], '=');
        if (!equals) return 2;
        *equals = 0;
        report(specs[i], syscall(atol(equals + 1), 0, 0, 0, 0, 0, 0));
    }
    return 0;
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

/* Copies /proc/PID/FILE to standard output, each line prefixed with "caught-FILE: " (NULs as
   newlines: cmdline, environ). */
static void show(int pid, const char *file) {
    char path[64], text[16384];
    snprintf(path, sizeof path, "/proc/%d/%s", pid, file);
    int fd = open(path, O_RDONLY);
    ssize_t count = fd < 0 ? -1 : read(fd, text, sizeof text - 1);
    if (fd >= 0) close(fd);
    if (count < 0) {
        printf("caught-%s: (%s)\n", file, strerrorname_np(errno) ? strerrorname_np(errno) : "E?");
        return;
    }
    for (ssize_t i = 0; i < count; i++) if (text[i] == 0) text[i] = '\n';
    text[count] = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) printf("caught-%s: %s\n", file, line);
}

/* Waits until process PID is in the stopped state (a signal sent to it takes effect when it
   leaves the kernel: an exec under way completes first). */
static void wait_stopped(int pid) {
    for (int i = 0; i < 2000; i++) {
        char path[64], stat[512];
        snprintf(path, sizeof path, "/proc/%d/stat", pid);
        int status = open(path, O_RDONLY);
        ssize_t length = status < 0 ? 0 : read(status, stat, sizeof stat - 1);
        if (status >= 0) close(status);
        stat[length > 0 ? length : 0] = 0;
        char *state = strrchr(stat, ')');
        if (state && state[1] == ' ' && state[2] == 'T') return;
        usleep(500);
    }
}

/* catch-next COUNT: stops each of the next COUNT processes of this pid namespace as soon as it
   exists (SIGSTOP to the pid after /proc/sys/kernel/ns_last_pid, in a loop), shows what it holds
   then (status, command line, environment) and lets it go on: what a process of the pod sees of a
   process stage1 starts in it. Prints "caught=PID" for each. */
static int catch_next(int count) {
    for (int caught = 0; caught < count; caught++) {
        char text[32] = {0};
        int fd = open("/proc/sys/kernel/ns_last_pid", O_RDONLY);
        if (fd < 0 || read(fd, text, sizeof text - 1) <= 0) return report("catch-next", -1);
        close(fd);
        int pid = atoi(text) + 1;
        printf("catch-ready=%d\n", pid);
        fflush(stdout);
        while (kill(pid, SIGSTOP) != 0) {}
        wait_stopped(pid);
        printf("caught=%d\n", pid);
        show(pid, "status");
        show(pid, "cmdline");
        show(pid, "environ");
        fflush(stdout);
        kill(pid, SIGCONT);
    }
    return 0;
}

/* catch-and-hold SECONDS: stops the next process of this pid namespace as soon as it exists and
   keeps it stopped for SECONDS before letting it go on (prints "catch-ready" first, then
   "held=PID before-exec" when its command was still stage1's, or "held=PID after-exec"). */
static int catch_and_hold(int seconds) {
    char text[32] = {0};
    int fd = open("/proc/sys/kernel/ns_last_pid", O_RDONLY);
    if (fd < 0 || read(fd, text, sizeof text - 1) <= 0) return report("catch-and-hold", -1);
    close(fd);
    int pid = atoi(text) + 1;
    printf("catch-ready=%d\n", pid);
    fflush(stdout);
    while (kill(pid, SIGSTOP) != 0) {}
    wait_stopped(pid);
    char path[64], name[64] = {0};
    snprintf(path, sizeof path, "/proc/%d/comm", pid);
    int comm = open(path, O_RDONLY);
    if (comm >= 0 && read(comm, name, sizeof name - 1) < 0) name[0] = 0;
    if (comm >= 0) close(comm);
    printf("held=%d %s\n", pid, strncmp(name, "stage1", 6) == 0 ? "before-exec" : "after-exec");
    fflush(stdout);
    sleep((unsigned)seconds);
    kill(pid, SIGCONT);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "catch-and-hold") == 0) return catch_and_hold(atoi(argv[2]));
    if (argc >= 3 && strcmp(argv[1], "catch-next") == 0) return catch_next(atoi(argv[2]));
    if (argc >= 4 && strcmp(argv[1], "tiocsti") == 0) return tiocsti(atoi(argv[2]), argv[3]);
    if (argc >= 3 && strcmp(argv[1], "mount-setattr") == 0) return mount_setattr_clear(argv[2]);
    if (argc >= 4 && strcmp(argv[1], "open-tree-attr") == 0) return open_tree_attr_write(argv[2], argv[3]);
    if (argc >= 2 && strcmp(argv[1], "mount-api") == 0) return mount_api();
    if (argc >= 2 && strcmp(argv[1], "clone-newuser") == 0) return clone_newuser();
    if (argc >= 2 && strcmp(argv[1], "clone3-newuser") == 0) return clone3_newuser();
    if (argc >= 2 && strcmp(argv[1], "thread") == 0) return thread();
    if (argc >= 4 && strcmp(argv[1], "socket") == 0) return socket_of(argv[2], argv[3]);
    if (argc >= 2 && strcmp(argv[1], "calls") == 0) return calls(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "io-uring") == 0) return io_uring();
    if (argc >= 3 && strcmp(argv[1], "open-rw") == 0) return open_rw(argv[2]);
    if (argc >= 5 && strcmp(argv[1], "mknod-open") == 0) return mknod_open(argv[2], argv[3], argv[4]);
    fprintf(stderr, "usage: probe tiocsti FD TEXT | mount-setattr PATH | open-tree-attr PATH FILE | mount-api | clone-newuser"
                    " | clone3-newuser | thread | socket FAMILY TYPE | calls NAME=NUMBER… | io-uring | open-rw PATH"
                    " | mknod-open PATH MAJOR MINOR | catch-next COUNT | catch-and-hold SECONDS\n");
    return 2;
}
