#define _GNU_SOURCE
#include "CLinux.h"
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int rkt_self_stat_numbers(int first, int count, unsigned long *values) {
    char text[2048];
    int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t length = read(fd, text, sizeof text - 1);
    close(fd);
    if (length <= 0) return -1;
    text[length] = 0;
    char *field = strrchr(text, ')'); /* field 2, the command name, may hold spaces */
    for (int index = 2; field && index < first; index++) field = strchr(field + 1, ' ');
    for (int i = 0; i < count; i++) {
        if (!field) return -1;
        values[i] = strtoul(field + 1, &field, 10);
    }
    return 0;
}

int rkt_clear_process_strings(const char *name) {
    /* The start and end of the argument and environment strings: fields 48 to 51. */
    unsigned long areas[4];
    if (rkt_self_stat_numbers(48, 4, areas) != 0) return -1;
    if (areas[3] > areas[2]) memset((void *)areas[2], 0, areas[3] - areas[2]);
    if (name && areas[1] > areas[0]) {
        size_t length = strlen(name) + 1;
        memset((void *)areas[0], 0, areas[1] - areas[0]);
        if (areas[1] - areas[0] > length) memcpy((void *)areas[0], name, length);
        prctl(PR_SET_NAME, name, 0, 0, 0);
    }
    return 0;
}

int rkt_mask_argument_values(const char *prefix) {
    unsigned long area[2];
    if (rkt_self_stat_numbers(48, 2, area) != 0) return -1;
    char *cursor = (char *)area[0], *end = (char *)area[1];
    size_t length = strlen(prefix);
    while (cursor < end) {
        size_t argument = strnlen(cursor, (size_t)(end - cursor));
        if (argument > length && memcmp(cursor, prefix, length) == 0) memset(cursor + length, 'x', argument - length);
        cursor += argument + 1;
    }
    return 0;
}
