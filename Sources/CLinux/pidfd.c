#define _GNU_SOURCE
#include "CLinux.h"
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

int rkt_pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

int rkt_pidfd_alive(int pidfd) { return syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) == 0; }
