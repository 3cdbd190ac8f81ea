#define _GNU_SOURCE
#include "CLinux.h"
#include <errno.h>
#include <linux/bpf.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* One instruction of the kernel's eBPF instruction set (linux/bpf.h). */
static struct bpf_insn instruction(uint8_t code, uint8_t dst, uint8_t src, int16_t offset, int32_t immediate) {
    struct bpf_insn result;
    memset(&result, 0, sizeof result);
    result.code = code;
    result.dst_reg = dst;
    result.src_reg = src;
    result.off = offset;
    result.imm = immediate;
    return result;
}

/* The instructions that test one rule: each test jumps over the rest of the block (to the next
   rule) when it fails; a block whose tests all pass allows the access. */
static int rule_block(const struct rkt_device_rule *rule, struct bpf_insn *out) {
    struct bpf_insn tests[8];
    int count = 0;
    /* r2: the device type, r3: the access asked for, r4: major, r5: minor (see the prologue). */
    if (rule->type != 'a') tests[count++] = instruction(BPF_JMP | BPF_JNE | BPF_K, 2, 0, 0, rule->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR);
    if (rule->access != 7) {
        /* Every access asked for must be in the rule's: (asked & ~allowed) == 0. */
        tests[count++] = instruction(BPF_ALU64 | BPF_MOV | BPF_X, 1, 3, 0, 0);
        tests[count++] = instruction(BPF_ALU | BPF_AND | BPF_K, 1, 0, 0, ~(int32_t)rule->access & 7);
        tests[count++] = instruction(BPF_JMP | BPF_JNE | BPF_K, 1, 0, 0, 0);
    }
    if (rule->major >= 0) tests[count++] = instruction(BPF_JMP | BPF_JNE | BPF_K, 4, 0, 0, rule->major);
    if (rule->minor >= 0) tests[count++] = instruction(BPF_JMP | BPF_JNE | BPF_K, 5, 0, 0, rule->minor);
    int total = count + 2;
    for (int i = 0; i < count; i++) {
        if (BPF_CLASS(tests[i].code) == BPF_JMP) tests[i].off = (int16_t)(total - i - 1);
        out[i] = tests[i];
    }
    out[count] = instruction(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1);
    out[count + 1] = instruction(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    return total;
}

int rkt_attach_device_filter(int cgroup_fd, const struct rkt_device_rule *rules, int count) {
    if (count < 0 || count > 256) { errno = EINVAL; return -1; }
    struct bpf_insn program[5 + 256 * 10 + 2];
    int length = 0;
    /* struct bpf_cgroup_dev_ctx: access_type (type | access << 16), major, minor. */
    program[length++] = instruction(BPF_LDX | BPF_MEM | BPF_W, 2, 1, 0, 0);
    program[length++] = instruction(BPF_ALU | BPF_AND | BPF_K, 2, 0, 0, 0xFFFF);
    program[length++] = instruction(BPF_LDX | BPF_MEM | BPF_W, 3, 1, 0, 0);
    program[length++] = instruction(BPF_ALU | BPF_RSH | BPF_K, 3, 0, 0, 16);
    program[length++] = instruction(BPF_LDX | BPF_MEM | BPF_W, 4, 1, 4, 0);
    program[length++] = instruction(BPF_LDX | BPF_MEM | BPF_W, 5, 1, 8, 0);
    for (int i = 0; i < count; i++) length += rule_block(&rules[i], program + length);
    program[length++] = instruction(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
    program[length++] = instruction(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);

    union bpf_attr load;
    memset(&load, 0, sizeof load);
    load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    load.insns = (uint64_t)(uintptr_t)program;
    load.insn_cnt = (uint32_t)length;
    load.license = (uint64_t)(uintptr_t)"Apache-2.0";
    int program_fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof load);
    if (program_fd < 0) return -1;
    union bpf_attr attach;
    memset(&attach, 0, sizeof attach);
    attach.target_fd = (uint32_t)cgroup_fd;
    attach.attach_bpf_fd = (uint32_t)program_fd;
    attach.attach_type = BPF_CGROUP_DEVICE;
    attach.attach_flags = BPF_F_ALLOW_MULTI;
    int result = (int)syscall(SYS_bpf, BPF_PROG_ATTACH, &attach, sizeof attach);
    int saved = errno;
    close(program_fd);
    errno = saved;
    return result;
}
