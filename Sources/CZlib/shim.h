#ifndef DRIFTWATCH_CZLIB_SHIM_H
#define DRIFTWATCH_CZLIB_SHIM_H
#include <zlib.h>
/* inflateInit2 is a macro; this wrapper makes it callable from Swift. */
static inline int dw_inflate_init2(z_streamp stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}
#endif
