#define _GNU_SOURCE
#include "CLinux.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Writes "E" and the failed step to the parent and exits. */
static void init_fail(int socket_fd, const char *step) {
    char message[256];
    int length = snprintf(message, sizeof message, "E%s: %s", step, strerror(errno));
    (void)!write(socket_fd, message, length > 0 ? (size_t)length : 0);
    _exit(127);
}

/* Sends the detached procfs mount of this pid namespace to the parent. */
static void send_proc_mount(int socket_fd) {
    int context = fsopen("proc", FSOPEN_CLOEXEC);
    if (context < 0) init_fail(socket_fd, "fsopen proc");
    if (fsconfig(context, FSCONFIG_CMD_CREATE, NULL, NULL, 0) != 0) init_fail(socket_fd, "create procfs");
    int mount_fd = fsmount(context, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
    if (mount_fd < 0) init_fail(socket_fd, "fsmount procfs");
    close(context);
    char byte = 'M';
    struct iovec data = {&byte, 1};
    char control[CMSG_SPACE(sizeof(int))];
    memset(control, 0, sizeof control);
    struct msghdr message = {.msg_iov = &data, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(header), &mount_fd, sizeof(int));
    if (sendmsg(socket_fd, &message, 0) != 1) init_fail(socket_fd, "hand the procfs over");
    close(mount_fd);
}

/* Leaves every host path behind: a private mount namespace whose only mount is an empty
   read-only tmpfs, which becomes the root. */
static void enter_empty_root(int socket_fd, const char *scratch) {
    if (unshare(CLONE_NEWNS) != 0) init_fail(socket_fd, "unshare mount namespace");
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) init_fail(socket_fd, "make mounts private");
    if (mount("init", scratch, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=0555") != 0) init_fail(socket_fd, "mount the empty root");
    if (chdir(scratch) != 0) init_fail(socket_fd, "enter the empty root");
    if (syscall(SYS_pivot_root, ".", ".") != 0) init_fail(socket_fd, "pivot_root");
    if (umount2(".", MNT_DETACH) != 0) init_fail(socket_fd, "detach the old root");
    if (chdir("/") != 0) init_fail(socket_fd, "chdir /");
}

/* No capability (bounding set included), no_new_privs, non-dumpable, a seccomp filter that allows
   the calls named in `spec` and refuses the rest (EPERM). */
static void drop_privileges(int socket_fd, const struct rkt_pod_init_spec *spec) {
    for (unsigned long cap = 0; cap <= 63; cap++) {
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) init_fail(socket_fd, "drop bounding capability");
    }
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    if (syscall(SYS_capset, &header, data) != 0) init_fail(socket_fd, "drop capabilities");
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) init_fail(socket_fd, "set no_new_privs");
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) init_fail(socket_fd, "set non-dumpable");
    scmp_filter_ctx filter = seccomp_init(SCMP_ACT_ERRNO(EPERM));
    if (!filter) init_fail(socket_fd, "create the seccomp filter");
    for (const char *const *name = spec->allowed_calls; *name; name++) {
        int number = seccomp_syscall_resolve_name(*name);
        if (number == __NR_SCMP_ERROR || seccomp_rule_add(filter, SCMP_ACT_ALLOW, number, 0) != 0) {
            errno = EINVAL;
            init_fail(socket_fd, *name);
        }
    }
    int loaded = seccomp_load(filter);
    if (loaded != 0) {
        errno = -loaded;
        init_fail(socket_fd, "load the seccomp filter");
    }
}

static void run_init(const struct rkt_pod_init_spec *spec, int socket_fd) {
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) init_fail(socket_fd, "set non-dumpable");
    if (spec->parent_death_signal && prctl(PR_SET_PDEATHSIG, spec->parent_death_signal) != 0) init_fail(socket_fd, "set parent death signal");
    /* What a pod's app may read of its process 1 (/proc/1/cmdline, /proc/1/environ): no host path
       and none of the caller's environment. */
    if (rkt_clear_process_strings("init") != 0) init_fail(socket_fd, "clear the arguments and environment");
    send_proc_mount(socket_fd);
    enter_empty_root(socket_fd, spec->scratch_directory);
    /* Standard streams included: the pod's apps have their own copies of what they need. */
    if (socket_fd > 0) syscall(SYS_close_range, 0U, (unsigned int)socket_fd - 1, 0);
    syscall(SYS_close_range, (unsigned int)socket_fd + 1, ~0U, 0);
    drop_privileges(socket_fd, spec);
    (void)!write(socket_fd, "R", 1);
    close(socket_fd);
    /* Only SIGKILL ends process 1 of a pid namespace here; SIGCHLD is blocked and waited for. */
    sigset_t child;
    sigemptyset(&child);
    sigaddset(&child, SIGCHLD);
    for (;;) {
        while (waitpid(-1, NULL, WNOHANG) > 0) {}
        sigwaitinfo(&child, NULL);
    }
}

/* Reads the init's error message (after its 'E'), reaps it and returns -1. */
static pid_t init_failed(pid_t pid, int socket_fd, int has_message, char *error, size_t error_size) {
    char message[256] = "";
    ssize_t length = has_message ? read(socket_fd, message, sizeof message - 1) : 0;
    if (length > 0) message[length] = 0;
    snprintf(error, error_size, "%s", length > 0 ? message : "it ended before it was set up");
    close(socket_fd);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    return -1;
}

/* Receives one byte and, with it, a descriptor (or -1). */
static ssize_t receive(int socket_fd, char *byte, int *fd) {
    struct iovec data = {byte, 1};
    char control[CMSG_SPACE(sizeof(int))];
    struct msghdr message = {.msg_iov = &data, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
    ssize_t count;
    while ((count = recvmsg(socket_fd, &message, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {}
    *fd = -1;
    struct cmsghdr *header = count > 0 ? CMSG_FIRSTHDR(&message) : NULL;
    if (header && header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS) memcpy(fd, CMSG_DATA(header), sizeof(int));
    return count;
}

pid_t rkt_start_pod_init(const struct rkt_pod_init_spec *spec, int *socket_fd, char *error, size_t error_size) {
    /* The init allocates (libseccomp) after the clone: safe only when no other thread can hold an
       allocator's lock at that moment. */
    unsigned long threads = 0;
    if (rkt_self_stat_numbers(20, 1, &threads) != 0 || threads != 1) {
        snprintf(error, error_size, "the pod's init is started from a process with one thread (this one has %lu)", threads);
        return -1;
    }
    int sockets[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0) {
        snprintf(error, error_size, "socketpair: %s", strerror(errno));
        return -1;
    }
    pid_t pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);
    if (pid < 0) {
        snprintf(error, error_size, "clone into a new pid namespace: %s", strerror(errno));
        close(sockets[0]);
        close(sockets[1]);
        return -1;
    }
    if (pid == 0) {
        close(sockets[0]);
        run_init(spec, sockets[1]);
    }
    close(sockets[1]);
    *socket_fd = sockets[0];
    return pid;
}

int rkt_receive_pod_proc(pid_t pid, int socket_fd, char *error, size_t error_size) {
    char byte = 0;
    int received = -1;
    ssize_t count = receive(socket_fd, &byte, &received);
    if (count == 1 && byte == 'M' && received >= 0) return received;
    if (received >= 0) close(received);
    init_failed(pid, socket_fd, count == 1 && byte == 'E', error, error_size);
    return -1;
}

int rkt_await_pod_init(pid_t pid, int ready_fd, char *error, size_t error_size) {
    char byte = 0;
    ssize_t count;
    while ((count = read(ready_fd, &byte, 1)) < 0 && errno == EINTR) {}
    if (count == 1 && byte == 'R') {
        close(ready_fd);
        return 0;
    }
    init_failed(pid, ready_fd, count == 1 && byte == 'E', error, error_size);
    return -1;
}
