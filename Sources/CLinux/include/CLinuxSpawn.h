#ifndef RKT_CLINUX_SPAWN_H
#define RKT_CLINUX_SPAWN_H
#include <stdint.h>
#include <sys/types.h>

/* Namespace flags for rkt_spawn_spec.clone_flags and rkt_unshare (from <linux/sched.h>). */
static const unsigned long rkt_clone_newns = 0x00020000;
static const unsigned long rkt_clone_newcgroup = 0x02000000;
static const unsigned long rkt_clone_newuts = 0x04000000;
static const unsigned long rkt_clone_newipc = 0x08000000;
static const unsigned long rkt_clone_newpid = 0x20000000;
static const unsigned long rkt_clone_newnet = 0x40000000;

/* The capacity of the descriptor arrays of rkt_spawn_spec. */
#define RKT_SPAWN_MAX_FDS 16

/* What the child does between clone and execve, in this order: clear the caller's arguments and
   environment from its memory; close every descriptor it was not given; new session unless a pid
   namespace follows (then the final process makes it); standard streams; join cgroups (writes 0
   to each `tasks`/`cgroup.procs` fd; cgroup_dir_fd is joined at the clone itself,
   CLONE_INTO_CGROUP); oom_score_adj; join the namespaces of ns_fds; chroot into root_fd;
   hostname; pivot_root (after unsharing the mount namespace) or chroot into new_root; with a
   pid_ns_fd, join that pid namespace (for its children). Then it confines itself: chdir; bounding
   set = caps_keep; setgroups, setgid, setuid; capabilities = caps_keep (uid 0 only);
   no_new_privs; only keep_fds stay open across the exec; the seccomp filter. Without a pid
   namespace it then makes its controlling terminal (tty_fd) and executes `path`. With one, it
   starts the final process in that namespace as a child of the caller (CLONE_PARENT; it shares
   this one's memory, which ends at once): a process of the pod never sees it less confined than
   the app. The final process sets its parent death signal, makes its session and controlling
   terminal, and executes `path`, all under the app's filter. Only async-signal-safe calls (and
   no allocation) run in the children. */
struct rkt_spawn_spec {
    unsigned long clone_flags;
    const char *path;
    char *const *argv;
    char *const *envp;
    int ns_fds[RKT_SPAWN_MAX_FDS];
    int n_ns_fds;
    int pid_ns_fd;  /* -1, or a pid namespace the final process is started in */
    int cgroup_fds[RKT_SPAWN_MAX_FDS];
    int n_cgroup_fds;
    int cgroup_dir_fd; /* -1, or a cgroup2 directory the child is created in */
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
    int tty_fd;   /* -1, or a terminal to make the final process's controlling terminal */
    int keep_fds[RKT_SPAWN_MAX_FDS];
    int n_keep_fds;
    int new_session;
    int parent_death_signal;
    int nondumpable;
};

/* Starts the process. Returns its pid (in the caller's pid namespace; a child of the caller), or
   -1 with a message in `error` (errno-style, naming the step that failed). */
pid_t rkt_spawn(const struct rkt_spawn_spec *spec, char *error, size_t error_size);

/* What the pod's process 1 is given. */
struct rkt_pod_init_spec {
    const char *scratch_directory;    /* an absolute path its empty root is mounted on (privately) */
    const char *const *allowed_calls; /* the system calls its filter allows, NULL-terminated */
    int parent_death_signal;
};

/* Starts the pod's process 1 in a new pid namespace and returns its pid (or -1 with a message in
   `error`), and in *socket_fd where it reports. The init mounts a procfs of its namespace and
   hands it over (rkt_receive_pod_proc); then it leaves for a private, empty, read-only root,
   closes every descriptor, clears its arguments and environment from memory, drops every
   capability, sets no_new_privs, becomes non-dumpable, loads a seccomp filter (compiled with
   libseccomp) and says so (rkt_await_pod_init). From then on it only reaps what the kernel gives
   it (orphans of the pod) until it is killed. On any failure the init is reaped and socket_fd
   closed. */
pid_t rkt_start_pod_init(const struct rkt_pod_init_spec *spec, int *socket_fd, char *error, size_t error_size);
/* The init's procfs: a detached mount, close-on-exec; or -1 with its message in `error`. */
int rkt_receive_pod_proc(pid_t pid, int socket_fd, char *error, size_t error_size);
/* Waits until the init holds nothing any more (and closes socket_fd): 0, or -1 with its message
   in `error`. */
int rkt_await_pod_init(pid_t pid, int socket_fd, char *error, size_t error_size);

/* mount(2), umount2(2), unshare, setns, pivot_root, for Swift. */
int rkt_mount(const char *source, const char *target, const char *type, unsigned long flags, const char *data);
int rkt_umount(const char *target, int flags);
int rkt_unshare(unsigned long flags);
int rkt_setns(int fd, unsigned long flags);
int rkt_pivot_root(const char *new_root, const char *put_old);
/* Attaches the mount `mount_fd` (detached, from fsmount) on the O_PATH descriptor `target_fd`
   (move_mount), or, with `copy`, a copy of it (open_tree OPEN_TREE_CLONE; the mount must be
   attached then). */
int rkt_attach_mount(int mount_fd, int target_fd, int copy);
/* Sets mount attributes (rkt_mount_attr_*) on the mount at the O_PATH descriptor `fd` and every
   mount below it (mount_setattr, AT_RECURSIVE; Linux 5.12). */
int rkt_mount_set_attributes_recursive(int fd, uint64_t attributes);
static const uint64_t rkt_mount_attr_rdonly = 0x1;
static const uint64_t rkt_mount_attr_nosuid = 0x2;
static const uint64_t rkt_mount_attr_nodev = 0x4;
static const uint64_t rkt_mount_attr_noexec = 0x8;
/* Binds what the O_PATH descriptor `source_fd` names (with what is mounted below it, with
   `recursive`) onto the O_PATH descriptor `target_fd`, with the mount attributes (rkt_mount_attr_*)
   already set on every mount of the copy: nothing is resolved by path, and the copy is never
   attached without them (open_tree, mount_setattr, move_mount). 0, or -1 and errno. */
int rkt_bind_tree(int source_fd, int recursive, uint64_t attributes, int target_fd);
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
