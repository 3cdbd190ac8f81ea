#ifndef RKT_CLINUX_H
#define RKT_CLINUX_H
/* Linux interfaces Swift's Glibc module does not export, and the few helpers Swift must not
   do itself. */
#include <sys/types.h>
#include <sys/xattr.h>
#include <stdint.h>
#include "CLinuxSpawn.h"

/* glibc malloc: buffers of up to 32 MiB come from the heap, and freed memory stays there (up to
   64 MiB) for the next allocation, instead of fresh mmap'd pages each time. */
void rkt_reuse_freed_memory(void);

/* Hands the freeing of this process's memory to a child process that shares it, so that the
   next execve only drops a reference: the child unmaps everything when it exits (on another core)
   right after the exec, and the executed program must reap it. At most once per process; does
   nothing if no child can be started. */
void rkt_release_address_space_on_exec(void);

/* Extended attributes of a path (never following a final symlink) or an open file. */
ssize_t rkt_llistxattr(const char *path, char *list, size_t size);
ssize_t rkt_lgetxattr(const char *path, const char *name, void *value, size_t size);
int rkt_lsetxattr(const char *path, const char *name, const void *value, size_t size);
int rkt_fsetxattr(int fd, const char *name, const void *value, size_t size);

/* openat2(2) with RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS: resolves `path` as if `root` were "/",
   so neither "..", absolute symlinks nor /proc magic links can leave it. -1 and errno on failure
   (ENOSYS on kernels before 5.6). */
int rkt_openat_in_root(int root, const char *path, int flags, mode_t mode);

/* Opens `path` below `root` with openat2 RESOLVE_IN_ROOT, creating missing directories (0755)
   when `create_dirs` is set; the final component is created as a directory or, with `as_file`, an
   empty file if missing. Returns an O_PATH descriptor usable as a mount target through
   /proc/self/fd/N, or -1 with errno. */
int rkt_open_path_in_root(int root, const char *path, int create_dirs, int as_file);

/* An unnamed file in `directory` (O_TMPFILE): nothing is left behind if the process dies before
   rkt_link_tmpfile gives it a name. -1 and errno on failure. */
int rkt_open_tmpfile(const char *directory, mode_t mode);
/* Gives an O_TMPFILE file a name; fails with EEXIST if the name exists. */
int rkt_link_tmpfile(int fd, const char *path);

/* A pseudo-terminal: the side to copy (*relay) and the side a process gets (*command), both
   close-on-exec and neither a controlling terminal here. 0, or -1 and errno. */
int rkt_open_pseudo_terminal(int *relay, int *command);
/* Blocks `signals` and returns a signalfd that reports them (-1 and errno on failure). */
int rkt_signal_descriptor(const int *signals, int count);
/* The next signal from a signalfd, or -1. */
int rkt_read_signal(int fd);
/* The major and minor numbers of a device. */
unsigned int rkt_device_major(dev_t device);
unsigned int rkt_device_minor(dev_t device);
/* open(2)'s O_PATH, which Swift's Glibc module leaves out. */
static const int rkt_o_path = 010000000;

/* Fields first to first+count-1 (numbered from 1, as in proc(5)) of /proc/self/stat, numbers
   from field 3 on. 0, or -1. */
int rkt_self_stat_numbers(int first, int count, unsigned long *values);

/* Clears the memory this process's environment strings were in (what /proc/PID/environ shows),
   and with a `name`, its arguments' too (/proc/PID/cmdline shows `name` then). No allocation:
   usable in a child cloned from a process with threads (the `environ` array is left as it is).
   0, or -1 when /proc/self/stat cannot be read. */
int rkt_clear_process_strings(const char *name);

/* Overwrites with 'x' the value of every argument starting with `prefix` in the memory
   /proc/PID/cmdline shows (a secret given on the command line stays the program's alone). */
int rkt_mask_argument_values(const char *prefix);

/* A pidfd of `pid` (-1 and errno on failure), and whether the process it names is still there:
   a pid checked and then used may name another process meanwhile, a pidfd may not. */
int rkt_pidfd_open(pid_t pid);
int rkt_pidfd_alive(int pidfd);

/* A set of descriptors (epoll) that is itself readable while one of them is: descriptors are
   added from any thread; rkt_readiness_take stores up to `capacity` readable ones in `fds`,
   without waiting, and removes them from the set (their number is returned). */
int rkt_readiness_set(void);
int rkt_readiness_add(int set, int fd);
int rkt_readiness_take(int set, int *fds, int capacity);

/* A device access rule: type 'a' (any), 'b' or 'c'; major and minor, or -1 for any; access as
   bits 1 mknod, 2 read, 4 write. */
struct rkt_device_rule {
    char type;
    int major;
    int minor;
    int access;
};

/* Loads a cgroup device program (cgroup v2) allowing what one of `rules` allows and nothing else,
   and attaches it to the cgroup2 directory `cgroup_fd` (multi: the ancestors' programs still
   apply). 0, or -1 and errno. */
int rkt_attach_device_filter(int cgroup_fd, const struct rkt_device_rule *rules, int count);

#endif
