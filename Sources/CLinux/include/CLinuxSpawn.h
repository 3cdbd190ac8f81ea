#ifndef RKT_CLINUX_SPAWN_H
#define RKT_CLINUX_SPAWN_H
#include <stdint.h>
#include <sys/types.h>

/* Namespace flags for rkt_spawn_spec.clone_flags (from <linux/sched.h>). */
static const unsigned long rkt_clone_newns = 0x00020000;
static const unsigned long rkt_clone_newcgroup = 0x02000000;
static const unsigned long rkt_clone_newuts = 0x04000000;
static const unsigned long rkt_clone_newipc = 0x08000000;
static const unsigned long rkt_clone_newpid = 0x20000000;
static const unsigned long rkt_clone_newnet = 0x40000000;

/* What the child does between fork (or clone) and execve, in this order: new session; join the
   namespaces of ns_fds (a second fork when a pid namespace is joined); join cgroups (writes 0 to
   each cgroup.procs fd); set the hostname; pivot_root (after unsharing the mount namespace) or
   chroot into new_root; chdir; oom_score_adj; drop the bounding set to caps_keep; setgroups,
   setgid, setuid; capabilities = caps_keep (uid 0 only); no_new_privs; seccomp filter; close every
   descriptor above 2 except keep_fds; execve. Only async-signal-safe calls run in the child. */
struct rkt_spawn_spec {
    unsigned long clone_flags;
    const char *path;
    char *const *argv;
    char *const *envp;
    int ns_fds[8];
    int n_ns_fds;
    int joins_pid_namespace; /* one of ns_fds is a pid namespace */
    int cgroup_fds[8];
    int n_cgroup_fds;
    const char *hostname;
    int root_fd; /* -1, or a directory (opened before joining namespaces) to chroot into */
    const char *new_root;
    int use_chroot;
    const char *workdir;
    const char *oom_score_adj;
    int drop_caps;
    uint64_t caps_keep;
    int set_ids;
    uid_t uid;
    gid_t gid;
    int n_groups;
    const gid_t *groups;
    int no_new_privs;
    const void *seccomp_filter; /* struct sock_filter[] */
    unsigned short seccomp_length;
    int stdin_fd; /* -1: inherit */
    int stdout_fd;
    int stderr_fd;
    int keep_fds[4];
    int n_keep_fds;
    int new_session;
    int parent_death_signal;
    int nondumpable;
};

/* Starts the process. Returns its pid (in the caller's pid namespace), or -1 with a message in
   `error` (errno-style, including which step failed in the child). */
pid_t rkt_spawn(const struct rkt_spawn_spec *spec, char *error, size_t error_size);

/* Forks the pod's init from a process with one thread (checked): the child leaves for new
   namespaces (clone_flags; for a pid namespace, the caller unshares it so that the child is its
   process 1), unblocks every signal, sets parent_death_signal, closes every descriptor above 2
   and returns 0 to go on running the caller's code, without an exec. The caller gets the child's
   pid once it is set up, or -1 with a message in `error`. */
pid_t rkt_fork_init(unsigned long clone_flags, int parent_death_signal, char *error, size_t error_size);

/* mount(2), umount2(2), sethostname, unshare and setns, for Swift. */
int rkt_mount(const char *source, const char *target, const char *type, unsigned long flags, const char *data);
int rkt_umount(const char *target, int flags);
int rkt_unshare(unsigned long flags);
int rkt_pivot_root(const char *new_root, const char *put_old);
/* Brings the loopback interface of the current network namespace up. */
int rkt_loopback_up(void);

static const unsigned long rkt_ms_rdonly = 1;
static const unsigned long rkt_ms_nosuid = 2;
static const unsigned long rkt_ms_nodev = 4;
static const unsigned long rkt_ms_noexec = 8;
static const unsigned long rkt_ms_remount = 32;
static const unsigned long rkt_ms_bind = 4096;
static const unsigned long rkt_ms_rec = 16384;
static const unsigned long rkt_ms_private = 1 << 18;
static const unsigned long rkt_ms_slave = 1 << 19;
static const int rkt_mnt_detach = 2;

#endif
