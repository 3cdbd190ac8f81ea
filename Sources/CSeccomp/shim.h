#ifndef RKT_CSECCOMP_SHIM_H
#define RKT_CSECCOMP_SHIM_H
#include <seccomp.h>

/* SCMP_ACT_ERRNO is a function-like macro. */
static inline uint32_t rkt_scmp_act_errno(uint16_t code) { return SCMP_ACT_ERRNO(code); }
static const uint32_t rkt_scmp_act_allow = SCMP_ACT_ALLOW;
static const uint32_t rkt_scmp_act_kill_process = SCMP_ACT_KILL_PROCESS;
#endif
