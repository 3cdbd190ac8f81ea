#define _GNU_SOURCE
#include "CLinuxSpawn.h"
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Reports a failed step to the parent through the error pipe and exits. */
static void fail(int pipe_fd, const char *step) {
    int saved = errno;
    char message[256];
    const char *reason = strerror(saved);
    size_t length = 0;
    for (const char *p = step; *p && length < sizeof message - 2; p++) message[length++] = *p;
    message[length++] = ':';
    message[length++] = ' ';
    for (const char *p = reason; *p && length < sizeof message; p++) message[length++] = *p;
    (void)!write(pipe_fd, message, length);
    _exit(127);
}

static int contains(const int *fds, int count, int fd) {
    for (int i = 0; i < count; i++) if (fds[i] == fd) return 1;
    return 0;
}

static void run_child(const struct rkt_spawn_spec *spec, int pipe_fd) {
    /* The parent may block or handle signals; the child starts clean. */
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, NULL);
    for (int signal_number = 1; signal_number < NSIG; signal_number++) signal(signal_number, SIG_DFL);
    if (spec->nondumpable) prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    if (spec->parent_death_signal && prctl(PR_SET_PDEATHSIG, spec->parent_death_signal) != 0) fail(pipe_fd, "set parent death signal");
    if (spec->new_session && setsid() < 0) fail(pipe_fd, "setsid");
    if (spec->stdin_fd >= 0 && dup2(spec->stdin_fd, 0) < 0) fail(pipe_fd, "redirect stdin");
    if (spec->stdout_fd >= 0 && dup2(spec->stdout_fd, 1) < 0) fail(pipe_fd, "redirect stdout");
    if (spec->stderr_fd >= 0 && dup2(spec->stderr_fd, 2) < 0) fail(pipe_fd, "redirect stderr");
    for (int i = 0; i < spec->n_cgroup_fds; i++) {
        if (write(spec->cgroup_fds[i], "0", 1) != 1) fail(pipe_fd, "join cgroup");
    }
    for (int i = 0; i < spec->n_ns_fds; i++) {
        if (setns(spec->ns_fds[i], 0) != 0) fail(pipe_fd, "join namespace");
    }
    if (spec->joins_pid_namespace) {
        /* A joined pid namespace holds only children: continue in one and pass its status on. */
        pid_t child = fork();
        if (child < 0) fail(pipe_fd, "fork into pid namespace");
        if (child > 0) {
            close(pipe_fd);
            int status = 0;
            while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
            if (WIFSIGNALED(status)) {
                signal(WTERMSIG(status), SIG_DFL);
                kill(getpid(), WTERMSIG(status));
            }
            _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128);
        }
    }
    if (spec->root_fd >= 0) {
        if (fchdir(spec->root_fd) != 0) fail(pipe_fd, "enter the app's root");
        if (chroot(".") != 0) fail(pipe_fd, "chroot into the app's root");
        if (chdir("/") != 0) fail(pipe_fd, "chdir /");
    }
    if (spec->hostname && sethostname(spec->hostname, strlen(spec->hostname)) != 0) fail(pipe_fd, "sethostname");
    if (spec->new_root) {
        if (spec->use_chroot) {
            if (chroot(spec->new_root) != 0) fail(pipe_fd, "chroot");
        } else {
            if (unshare(CLONE_NEWNS) != 0) fail(pipe_fd, "unshare mount namespace");
            if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) fail(pipe_fd, "make mounts private");
            if (chdir(spec->new_root) != 0) fail(pipe_fd, "enter new root");
            if (syscall(SYS_pivot_root, ".", ".") != 0) fail(pipe_fd, "pivot_root");
            if (umount2(".", MNT_DETACH) != 0) fail(pipe_fd, "detach old root");
        }
        if (chdir("/") != 0) fail(pipe_fd, "chdir /");
    }
    if (spec->workdir && chdir(spec->workdir) != 0) fail(pipe_fd, "chdir to working directory");
    if (spec->oom_score_adj) {
        int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, spec->oom_score_adj, strlen(spec->oom_score_adj)) < 0) fail(pipe_fd, "set oom_score_adj");
        close(fd);
    }
    if (spec->drop_caps) {
        for (unsigned long cap = 0; cap <= 63; cap++) {
            if (spec->caps_keep & (1ULL << cap)) continue;
            if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) fail(pipe_fd, "drop bounding capability");
        }
        prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    }
    if (spec->set_ids) {
        if (setgroups(spec->n_groups, spec->groups) != 0) fail(pipe_fd, "setgroups");
        if (setresgid(spec->gid, spec->gid, spec->gid) != 0) fail(pipe_fd, "setgid");
        if (setresuid(spec->uid, spec->uid, spec->uid) != 0) fail(pipe_fd, "setuid");
        /* A change of credentials clears the parent death signal: set it again. */
        if (spec->parent_death_signal && prctl(PR_SET_PDEATHSIG, spec->parent_death_signal) != 0) fail(pipe_fd, "set parent death signal");
    }
    if (spec->drop_caps && (!spec->set_ids || spec->uid == 0)) {
        struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
        struct __user_cap_data_struct data[2];
        memset(data, 0, sizeof data);
        data[0].effective = data[0].permitted = data[0].inheritable = (uint32_t)spec->caps_keep;
        data[1].effective = data[1].permitted = data[1].inheritable = (uint32_t)(spec->caps_keep >> 32);
        if (syscall(SYS_capset, &header, data) != 0) fail(pipe_fd, "set capabilities");
    }
    if (spec->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail(pipe_fd, "set no_new_privs");
    /* Nothing but the kept descriptors crosses the exec: every other one (the error pipe too) is
       marked close-on-exec in one call, or closed one by one on kernels before 5.11. */
    if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
        for (int fd = 3; fd < 1024; fd++) {
            if (fd == pipe_fd || contains(spec->keep_fds, spec->n_keep_fds, fd)) continue;
            close(fd);
        }
    }
    for (int i = 0; i < spec->n_keep_fds; i++) fcntl(spec->keep_fds[i], F_SETFD, 0);
    /* The filter comes last: from here on only execve (and, when it fails, the error report) runs
       under it, so a retain set need not allow what the set-up above calls. */
    if (spec->seccomp_filter) {
        struct sock_fprog program = {spec->seccomp_length, (struct sock_filter *)spec->seccomp_filter};
        if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0) fail(pipe_fd, "load seccomp filter");
    }
    execve(spec->path, spec->argv, spec->envp);
    fail(pipe_fd, spec->path);
}

/* Waits until the child has closed the error pipe (exec, or set-up done) and returns its pid, or
   reaps it and returns -1 with the message it wrote. */
static pid_t await_child(pid_t pid, int pipe_fd, char *error, size_t error_size) {
    char message[256];
    ssize_t count;
    while ((count = read(pipe_fd, message, sizeof message - 1)) < 0 && errno == EINTR) {}
    close(pipe_fd);
    if (count > 0) {
        message[count] = 0;
        snprintf(error, error_size, "%s", message);
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        return -1;
    }
    return pid;
}

pid_t rkt_spawn(const struct rkt_spawn_spec *spec, char *error, size_t error_size) {
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
        snprintf(error, error_size, "pipe: %s", strerror(errno));
        return -1;
    }
    pid_t pid = (pid_t)syscall(SYS_clone, spec->clone_flags | SIGCHLD, 0, 0, 0, 0);
    if (pid < 0) {
        snprintf(error, error_size, "clone: %s", strerror(errno));
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(pipe_fds[0]);
        run_child(spec, pipe_fds[1]);
    }
    close(pipe_fds[1]);
    return await_child(pid, pipe_fds[0], error, error_size);
}

/* The number of threads of this process (field 20 of /proc/self/stat), or -1. */
static int thread_count(void) {
    char text[1024];
    int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t count = read(fd, text, sizeof text - 1);
    close(fd);
    if (count <= 0) return -1;
    text[count] = 0;
    const char *field = strrchr(text, ')'); /* the command name may contain spaces */
    for (int index = 2; field && index < 20; index++) field = strchr(field + 1, ' ');
    return field ? atoi(field + 1) : -1;
}

pid_t rkt_fork_init(unsigned long clone_flags, int parent_death_signal, char *error, size_t error_size) {
    int threads = thread_count();
    if (threads != 1) {
        snprintf(error, error_size, "fork without exec needs a process with one thread (this one has %d)", threads);
        return -1;
    }
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
        snprintf(error, error_size, "pipe: %s", strerror(errno));
        return -1;
    }
    /* A pid namespace cannot be entered by the caller itself: its next child is the namespace's
       process 1. */
    if ((clone_flags & rkt_clone_newpid) && unshare(CLONE_NEWPID) != 0) {
        snprintf(error, error_size, "unshare the pid namespace: %s", strerror(errno));
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(error, error_size, "fork: %s", strerror(errno));
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(pipe_fds[0]);
        sigset_t empty;
        sigemptyset(&empty);
        sigprocmask(SIG_SETMASK, &empty, NULL);
        if (parent_death_signal && prctl(PR_SET_PDEATHSIG, parent_death_signal) != 0) fail(pipe_fds[1], "set parent death signal");
        if (unshare((int)(clone_flags & ~rkt_clone_newpid)) != 0) fail(pipe_fds[1], "unshare namespaces");
        /* No descriptor of the caller's (the pod lock, the pipe: the parent reads success) stays. */
        if (syscall(SYS_close_range, 3U, ~0U, 0) != 0) {
            for (int fd = 3; fd < 1024; fd++) close(fd);
        }
        return 0;
    }
    close(pipe_fds[1]);
    return await_child(pid, pipe_fds[0], error, error_size);
}

int rkt_mount(const char *source, const char *target, const char *type, unsigned long flags, const char *data) {
    return mount(source, target, type, flags, data);
}

int rkt_umount(const char *target, int flags) { return umount2(target, flags); }

int rkt_unshare(unsigned long flags) { return unshare((int)flags); }

int rkt_pivot_root(const char *new_root, const char *put_old) { return (int)syscall(SYS_pivot_root, new_root, put_old); }

int rkt_loopback_up(void) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct ifreq request;
    memset(&request, 0, sizeof request);
    strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
    int result = ioctl(fd, SIOCGIFFLAGS, &request);
    if (result == 0) {
        request.ifr_flags |= IFF_UP | IFF_RUNNING;
        result = ioctl(fd, SIOCSIFFLAGS, &request);
    }
    close(fd);
    return result;
}
