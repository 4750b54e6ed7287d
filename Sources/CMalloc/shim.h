#ifndef DRIFTWATCH_CMALLOC_SHIM_H
#define DRIFTWATCH_CMALLOC_SHIM_H
/* glibc's malloc tuning (mallopt), which the Glibc Swift module does not export. */
#include <malloc.h>
#endif
