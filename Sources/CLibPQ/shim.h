#ifndef DRIFTWATCH_CLIBPQ_SHIM_H
#define DRIFTWATCH_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
