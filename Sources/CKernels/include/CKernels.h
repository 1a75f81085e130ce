// The engine's hot elementwise loops over Float rows, compiled once per
// x86-64 vector width and chosen at run time (see Kernels.c).
//
// Every kernel performs exactly the IEEE operations, in exactly the order,
// of the Swift loop it replaces (RowKernels, DropoutKernels, Adam): no
// multiply-add is fused and no sum is reassociated, so each path gives the
// same bits as the others and as the plain Swift code.
#ifndef CKERNELS_H
#define CKERNELS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One vector width's kernels. Pointers may alias only where a comment says so.
typedef struct CKKernels {
    /// "avx512f", "avx2" or "baseline" (SSE2, any x86-64; or the target's own on other CPUs).
    const char *name;
    /// One Adam update (Kingma & Ba 2015) with L2 weight decay, over n parameters:
    /// g' = g + wd p; m = b1 m + (1 - b1) g'; v = b2 v + (1 - b2) g' g';
    /// p = p - step m / (sqrt(v) + eps). p, g, m, v are distinct.
    void (*adam)(float *p, const float *g, float *m, float *v, long n,
                 float step, float beta1, float beta2, float epsilon, float weightDecay);
    /// o[c] = max(a[c] + b[c], 0) as Swift.max(x, 0) does it (0 >= x ? 0 : x). o may be a.
    void (*addRelu)(float *o, const float *a, const float *b, long n);
    /// dst[c] += src[c].
    void (*addTo)(float *dst, const float *src, long n);
    /// v = d[c] * (a[c] > 0); d[c] = v; acc[c] += v.
    void (*reluMaskAccumulate)(float *d, const float *a, long n, float *acc);
    /// v = d[c] * (a[c] > 0); accA[c] += v; accB[c] += v.
    void (*reluMaskAccumulateTwice)(const float *d, const float *a, long n, float *accA, float *accB);
    /// v = d[c]; accA[c] += v; accB[c] += v.
    void (*accumulateTwice)(const float *d, long n, float *accA, float *accB);
    /// z[c] = max(z[c] + b[c], 0); returns sum_c z[c] w[c], summed in order from 0.
    float (*addReluDot)(float *z, const float *b, const float *w, long n);
    /// sum_c z[c] w[c], summed in order from 0.
    float (*dot)(const float *z, const float *w, long n);
    /// dw[c] += g a[c]; v = g w[c] (a[c] > 0); a[c] = v; db[c] += v.
    void (*reluOutputBackward)(float *a, float g, const float *w, long n, float *dw, float *db);
    /// s = m[c]; x = a[c]; a[c] = x s; m[c] = s (x > 0).
    void (*reluApplyMask)(float *a, float *m, long n);
    /// v = d[c] j[c]; d[c] = v; acc[c] += v.
    void (*multiplyAccumulate)(float *d, const float *j, long n, float *acc);
    /// v = d[c] j[c]; accA[c] += v; accB[c] += v.
    void (*multiplyAccumulateTwice)(const float *d, const float *j, long n, float *accA, float *accB);
    /// dw[c] += g h[c]; v = g w[c] j[c]; h[c] = v; db[c] += v.
    void (*jacobianOutputBackward)(float *h, float g, const float *w, long n, const float *j,
                                   float *dw, float *db);
} CKKernels;

/// Vector widths the kernels are compiled for, narrowest first.
enum { CK_PATH_BASELINE = 0, CK_PATH_AVX2 = 1, CK_PATH_AVX512F = 2, CK_PATH_COUNT = 3 };

/// The kernels of `path` when this CPU (and its operating system) can run
/// them, else NULL. Tests compare the paths with each other.
const CKKernels *ck_kernels_for(int path);

/// The widest kernels this CPU runs: what the engine calls.
const CKKernels *ck_kernels(void);

#ifdef __cplusplus
}
#endif

#endif
