#ifndef RKT_CDEFLATE_SHIM_H
#define RKT_CDEFLATE_SHIM_H
#include <libdeflate.h>
#endif
