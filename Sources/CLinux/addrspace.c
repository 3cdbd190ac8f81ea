#define _GNU_SOURCE
#include "CLinux.h"
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The helper shares the caller's memory, thread-local storage included: it runs on its own static
   stack, with every signal blocked, and makes only system calls that cannot fail here (errno is
   never written). */
static char holder_stack[16384] __attribute__((aligned(16)));

/* Holds a reference to the address space until the pipe's write end, close-on-exec in the
   caller, goes away: the caller's exec then only drops its own reference, and the unmapping
   happens when this process exits. */
static int hold(void *argument) {
    int fd = (int)(intptr_t)argument;
    if (fd > 0) syscall(SYS_close_range, 0, fd - 1, 0);
    syscall(SYS_close_range, fd + 1, ~0U, 0);
    syscall(SYS_chdir, "/");
    char byte;
    syscall(SYS_read, fd, &byte, 1);
    return 0;
}

void rkt_release_address_space_on_exec(void) {
    static int started;
    int fds[2];
    if (started || pipe2(fds, O_CLOEXEC) != 0) return;
    started = 1;
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    clone(hold, holder_stack + sizeof holder_stack, CLONE_VM | SIGCHLD, (void *)(intptr_t)fds[0]);
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    close(fds[0]);
}
