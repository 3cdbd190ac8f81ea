#define _GNU_SOURCE
#include "CLinuxSpawn.h"
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int rkt_mount(const char *source, const char *target, const char *type, unsigned long flags, const char *data) {
    return mount(source, target, type, flags, data);
}

int rkt_umount(const char *target, int flags) { return umount2(target, flags); }

int rkt_unshare(unsigned long flags) { return unshare((int)flags); }

int rkt_setns(int fd, unsigned long flags) { return setns(fd, (int)flags); }

int rkt_pivot_root(const char *new_root, const char *put_old) { return (int)syscall(SYS_pivot_root, new_root, put_old); }

int rkt_attach_mount(int mount_fd, int target_fd, int copy) {
    int source = copy ? open_tree(mount_fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH) : mount_fd;
    if (source < 0) return -1;
    int result = move_mount(source, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
    if (copy) close(source);
    return result;
}

int rkt_mount_set_attributes_recursive(int fd, uint64_t attributes_to_set) {
    struct mount_attr attributes;
    memset(&attributes, 0, sizeof attributes);
    attributes.attr_set = attributes_to_set;
    return mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attributes, sizeof attributes);
}

int rkt_bind_tree(int source_fd, int recursive, uint64_t attributes, int target_fd) {
    int tree = open_tree(source_fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0));
    if (tree < 0) return -1;
    int result = 0;
    if (attributes) {
        struct mount_attr set;
        memset(&set, 0, sizeof set);
        set.attr_set = attributes;
        result = mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &set, sizeof set);
    }
    if (result == 0) result = move_mount(tree, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
    int saved = errno;
    close(tree);
    errno = saved;
    return result;
}

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
