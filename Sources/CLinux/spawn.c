#define _GNU_SOURCE
#include "CLinux.h"
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The children report a failure to the parent through a pipe, in a record of a type byte 'E', a
   length byte and the message (then they exit). */
static void send_record(int pipe_fd, char type, const void *payload, size_t length) {
    char record[258];
    if (length > 255) length = 255;
    record[0] = type;
    record[1] = (char)length;
    memcpy(record + 2, payload, length);
    (void)!write(pipe_fd, record, length + 2);
}

/* Reports a failed step to the parent and exits. */
static void fail(int pipe_fd, const char *step) {
    int saved = errno;
    char message[255];
    const char *reason = strerror(saved);
    size_t length = 0;
    for (const char *p = step; *p && length < sizeof message - 2; p++) message[length++] = *p;
    message[length++] = ':';
    message[length++] = ' ';
    for (const char *p = reason; *p && length < sizeof message; p++) message[length++] = *p;
    send_record(pipe_fd, 'E', message, length);
    _exit(127);
}

/* Closes every descriptor above 2 except the `count` in `keep` (sorted here). */
static void close_others(int *keep, int count) {
    for (int i = 1; i < count; i++) {
        for (int j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
            int swap = keep[j];
            keep[j] = keep[j - 1];
            keep[j - 1] = swap;
        }
    }
    unsigned int next = 3;
    for (int i = 0; i <= count; i++) {
        unsigned int end = i < count ? (unsigned int)keep[i] : ~0U;
        if (i < count && keep[i] < 3) continue;
        if (end > next && syscall(SYS_close_range, next, end - 1, 0) != 0) {
            for (unsigned int fd = next; fd < end && fd < 4096; fd++) close((int)fd);
        }
        if (i < count) next = (unsigned int)keep[i] + 1;
    }
}

/* The descriptors the child needs until its exec. */
static int needed_fds(const struct rkt_spawn_spec *spec, int pipe_fd, int *fds) {
    int count = 0;
    fds[count++] = pipe_fd;
    int singles[] = {spec->stdin_fd, spec->stdout_fd, spec->stderr_fd, spec->tty_fd, spec->root_fd, spec->pid_ns_fd};
    for (size_t i = 0; i < sizeof singles / sizeof singles[0]; i++) if (singles[i] >= 0) fds[count++] = singles[i];
    for (int i = 0; i < spec->n_ns_fds; i++) fds[count++] = spec->ns_fds[i];
    for (int i = 0; i < spec->n_cgroup_fds; i++) fds[count++] = spec->cgroup_fds[i];
    for (int i = 0; i < spec->n_keep_fds; i++) fds[count++] = spec->keep_fds[i];
    return count;
}

/* Confines this process as the app: working directory, bounding set, groups and ids,
   capabilities, no_new_privs, every descriptor but the kept ones close-on-exec, and last the
   seccomp filter, under which only what follows runs (see rkt_spawn_spec). */
static void confine(const struct rkt_spawn_spec *spec, int pipe_fd) {
    if (spec->workdir && chdir(spec->workdir) != 0) fail(pipe_fd, "chdir to working directory");
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
        /* A change of credentials clears the parent death signal and may make the process
           dumpable again: set both again. */
        if (spec->parent_death_signal && prctl(PR_SET_PDEATHSIG, spec->parent_death_signal) != 0) fail(pipe_fd, "set parent death signal");
        if (spec->nondumpable) prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
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
    /* Nothing but the kept descriptors (and the terminal, until it is the controlling one) stays
       open in the pod; the error pipe is close-on-exec. */
    for (int i = 0; i < spec->n_ns_fds; i++) close(spec->ns_fds[i]);
    for (int i = 0; i < spec->n_cgroup_fds; i++) close(spec->cgroup_fds[i]);
    if (spec->root_fd >= 0) close(spec->root_fd);
    if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
        for (int fd = 3; fd < 4096; fd++) if (fd != pipe_fd) fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    for (int i = 0; i < spec->n_keep_fds; i++) fcntl(spec->keep_fds[i], F_SETFD, 0);
    if (spec->seccomp_filter) {
        struct sock_fprog program = {spec->seccomp_length, (struct sock_filter *)spec->seccomp_filter};
        if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0) fail(pipe_fd, "load seccomp filter");
    }
}

/* What runs `path` once confined: its session and controlling terminal, then execve. Under the
   app's filter: a retain set allows these calls implicitly (SeccompFilter). */
static void execute(const struct rkt_spawn_spec *spec, int pipe_fd, int needs_session) {
    if (needs_session && spec->new_session && setsid() < 0) fail(pipe_fd, "setsid");
    if (spec->tty_fd >= 0 && ioctl(spec->tty_fd, TIOCSCTTY, 0) != 0) fail(pipe_fd, "set the controlling terminal");
    execve(spec->path, spec->argv, spec->envp);
    fail(pipe_fd, spec->path);
}

/* The process started in a pid namespace shares the memory of the one outside, which ends at
   once (nothing is copied): it runs on this stack. */
static char final_stack[65536] __attribute__((aligned(16)));

struct final_start {
    const struct rkt_spawn_spec *spec;
    int pipe_fd;
};

static int start_final(void *argument) {
    const struct final_start *start = argument;
    if (start->spec->parent_death_signal && prctl(PR_SET_PDEATHSIG, start->spec->parent_death_signal) != 0) {
        fail(start->pipe_fd, "set parent death signal");
    }
    execute(start->spec, start->pipe_fd, 1);
    return 127;
}

static void run_child(const struct rkt_spawn_spec *spec, int pipe_fd, pid_t *final_pid) {
    /* The parent may block or handle signals; the child starts clean. */
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, NULL);
    for (int signal_number = 1; signal_number < NSIG; signal_number++) signal(signal_number, SIG_DFL);
    if (spec->nondumpable) prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    if (spec->parent_death_signal && prctl(PR_SET_PDEATHSIG, spec->parent_death_signal) != 0) fail(pipe_fd, "set parent death signal");
    /* Until its exec, the process shows the caller's arguments and environment (this memory is a
       copy of the caller's): a process of the pod may read them. */
    rkt_clear_process_strings("stage1");
    int needed[4 * RKT_SPAWN_MAX_FDS + 8];
    close_others(needed, needed_fds(spec, pipe_fd, needed));
    int joins_pid_namespace = spec->pid_ns_fd >= 0;
    if (spec->new_session && !joins_pid_namespace && setsid() < 0) fail(pipe_fd, "setsid");
    if (spec->stdin_fd >= 0 && dup2(spec->stdin_fd, 0) < 0) fail(pipe_fd, "redirect stdin");
    if (spec->stdout_fd >= 0 && dup2(spec->stdout_fd, 1) < 0) fail(pipe_fd, "redirect stdout");
    if (spec->stderr_fd >= 0 && dup2(spec->stderr_fd, 2) < 0) fail(pipe_fd, "redirect stderr");
    for (int i = 0; i < spec->n_cgroup_fds; i++) {
        if (write(spec->cgroup_fds[i], "0", 1) != 1) fail(pipe_fd, "join cgroup");
    }
    /* While this process's /proc/self is still the host's. */
    if (spec->oom_score_adj) {
        int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, spec->oom_score_adj, strlen(spec->oom_score_adj)) < 0) fail(pipe_fd, "set oom_score_adj");
        close(fd);
    }
    for (int i = 0; i < spec->n_ns_fds; i++) {
        if (setns(spec->ns_fds[i], 0) != 0) fail(pipe_fd, "join namespace");
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
    if (!joins_pid_namespace) {
        confine(spec, pipe_fd);
        execute(spec, pipe_fd, 0);
    }
    /* This process stays outside the pod, where nothing in it can see it. It joins the pid
       namespace (for its children only) and confines itself as the app; only then does the final
       process start in the pod, as a child of the caller (CLONE_PARENT), which learns its pid
       through *final_pid (CLONE_PARENT_SETTID into memory shared with it), and this one ends. A
       process of the pod that stops, traces or reads it finds no more than the app itself holds. */
    if (setns(spec->pid_ns_fd, CLONE_NEWPID) != 0) fail(pipe_fd, "join pid namespace");
    close(spec->pid_ns_fd);
    confine(spec, pipe_fd);
    struct final_start start = {spec, pipe_fd};
    if (clone(start_final, final_stack + sizeof final_stack, CLONE_VM | CLONE_PARENT | CLONE_PARENT_SETTID | SIGCHLD, &start, final_pid) < 0) {
        fail(pipe_fd, "start a process in the pid namespace");
    }
    _exit(0);
}

/* Reads the error pipe until every child has closed it (exec'd, or failed): the failure message,
   if any, goes to `error`. A final process that something keeps stopped before its exec (SIGSTOP
   from a process of the pod) would block this for ever: after a second stopped, it is killed, and
   that is the failure. */
static int read_failure(int pipe_fd, volatile pid_t *final_pid, char *error, size_t error_size) {
    char buffer[1024];
    size_t used = 0;
    int failed = 0;
    int stopped_checks = 0;
    for (;;) {
        struct pollfd ready = {pipe_fd, POLLIN, 0};
        int polled = poll(&ready, 1, 100);
        if (polled < 0 && errno != EINTR) break;
        if (polled == 0) {
            siginfo_t info;
            memset(&info, 0, sizeof info);
            pid_t final = *final_pid;
            int stopped = final > 0 && waitid(P_PID, (id_t)final, &info, WSTOPPED | WNOHANG | WNOWAIT) == 0 && info.si_pid == final
                && info.si_code == CLD_STOPPED;
            stopped_checks = stopped ? stopped_checks + 1 : 0;
            if (stopped_checks == 10 && !failed) {
                kill(final, SIGKILL);
                snprintf(error, error_size, "stopped by another process before it started; killed");
                failed = 1;
            }
            continue;
        }
        if (polled < 0) continue;
        ssize_t count = read(pipe_fd, buffer + used, sizeof buffer - used);
        if (count < 0 && errno == EINTR) continue;
        if (count <= 0) break;
        used += (size_t)count;
        if (used == sizeof buffer) break;
    }
    close(pipe_fd);
    if (!failed && used >= 2 && buffer[0] == 'E' && (size_t)(unsigned char)buffer[1] + 2 <= used) {
        snprintf(error, error_size, "%.*s", (int)(unsigned char)buffer[1], buffer + 2);
        failed = 1;
    }
    return failed;
}

pid_t rkt_spawn(const struct rkt_spawn_spec *spec, char *error, size_t error_size) {
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
        snprintf(error, error_size, "pipe: %s", strerror(errno));
        return -1;
    }
    /* Where the process outside the pod writes the final process's pid (CLONE_PARENT_SETTID). */
    volatile pid_t *final_pid = mmap(NULL, sizeof(pid_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (final_pid == MAP_FAILED) {
        snprintf(error, error_size, "mmap: %s", strerror(errno));
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        return -1;
    }
    *final_pid = 0;
    pid_t pid;
    if (spec->cgroup_dir_fd >= 0) {
        struct clone_args args;
        memset(&args, 0, sizeof args);
        args.flags = spec->clone_flags | CLONE_INTO_CGROUP;
        args.exit_signal = SIGCHLD;
        args.cgroup = (uint64_t)spec->cgroup_dir_fd;
        pid = (pid_t)syscall(SYS_clone3, &args, sizeof args);
    } else {
        pid = (pid_t)syscall(SYS_clone, spec->clone_flags | SIGCHLD, 0, 0, 0, 0);
    }
    if (pid < 0) {
        snprintf(error, error_size, "clone: %s", strerror(errno));
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        munmap((void *)final_pid, sizeof(pid_t));
        return -1;
    }
    if (pid == 0) {
        close(pipe_fds[0]);
        run_child(spec, pipe_fds[1], (pid_t *)final_pid);
    }
    close(pipe_fds[1]);
    int failed = read_failure(pipe_fds[0], final_pid, error, error_size);
    int status;
    pid_t result = pid;
    if (spec->pid_ns_fd >= 0) {
        /* The process outside has ended (or is about to): the final one is the result. */
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        result = *final_pid;
        if (result <= 0 && !failed) {
            snprintf(error, error_size, "the process in the pid namespace did not start");
            failed = 1;
        }
    }
    munmap((void *)final_pid, sizeof(pid_t));
    if (failed) {
        if (result > 0) while (waitpid(result, &status, 0) < 0 && errno == EINTR) {}
        return -1;
    }
    return result;
}
