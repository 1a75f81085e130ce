// System-library shim for zlib (Debian: zlib1g-dev).
// Used to inflate gzip-compressed IDX files (Fashion-MNIST as installed by
// Debian's dataset-fashion-mnist). zlib's init entry points are macros that
// Swift cannot call, so they are wrapped here.
#include <zlib.h>

// inflateInit2 for a gzip stream (windowBits 15 + 16: gzip header and trailer).
static inline int czlib_inflate_init_gzip(z_streamp strm) {
    return inflateInit2(strm, 15 + 16);
}

// deflateInit2 writing a gzip stream (used by tests to make .gz files).
static inline int czlib_deflate_init_gzip(z_streamp strm, int level) {
    return deflateInit2(strm, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
