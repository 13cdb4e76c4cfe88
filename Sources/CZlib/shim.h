#ifndef GOMODKIT_CZLIB_SHIM_H
#define GOMODKIT_CZLIB_SHIM_H
#include <zlib.h>
#include "crc32_clmul.h"

/// inflateInit2 is a macro in zlib.h; Swift cannot call macros, so wrap it.
static inline int czlib_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}

/// deflateInit2 likewise (used by tests and by zip creation).
static inline int czlib_deflateInit2(z_streamp strm, int level, int method,
                                     int windowBits, int memLevel, int strategy) {
    return deflateInit2(strm, level, method, windowBits, memLevel, strategy);
}
#endif
