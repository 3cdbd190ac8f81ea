#define _GNU_SOURCE
#include "CLinux.h"
#include <signal.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

int rkt_pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

int rkt_pidfd_alive(int pidfd) { return syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) == 0; }

int rkt_readiness_set(void) { return epoll_create1(EPOLL_CLOEXEC); }

int rkt_readiness_add(int set, int fd) {
    struct epoll_event event = {.events = EPOLLIN, .data.fd = fd};
    return epoll_ctl(set, EPOLL_CTL_ADD, fd, &event);
}

int rkt_readiness_take(int set, int *fds, int capacity) {
    struct epoll_event events[64];
    int count = epoll_wait(set, events, capacity < 64 ? capacity : 64, 0);
    for (int index = 0; index < count; index++) {
        fds[index] = events[index].data.fd;
        epoll_ctl(set, EPOLL_CTL_DEL, fds[index], NULL);
    }
    return count < 0 ? 0 : count;
}
