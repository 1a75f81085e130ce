// The kernel bodies, included once per vector width by Kernels.c with
// CK_TARGET (a target attribute, or nothing) and CK_SUFFIX (the name's
// suffix) defined. See CKernels.h for what each computes.
//
// Each loop is the Swift loop it replaces, operation for operation: the
// comparison forms (0 >= x, a > 0) are Swift.max's and the ReLU mask's, so
// NaN, -0 and infinities come out as they did. Sums over c (dot products)
// stay in order; without reassociation the compiler keeps them scalar.

#define CK_CAT2(a, b) a##b
#define CK_CAT(a, b) CK_CAT2(a, b)
#define CK_NAME(name) CK_CAT(name, CK_SUFFIX)

CK_TARGET static void CK_NAME(ck_adam)(float *restrict p, const float *restrict g, float *restrict m,
                                       float *restrict v, long n, float step, float beta1, float beta2,
                                       float epsilon, float weightDecay) {
    const float c1 = 1.0f - beta1, c2 = 1.0f - beta2;
    for (long i = 0; i < n; i++) {
        float gi = g[i] + weightDecay * p[i];
        float mi = beta1 * m[i] + c1 * gi;
        float vi = beta2 * v[i] + c2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        // The elementwise builtin is IEEE sqrt without errno, so the loop vectorises.
        p[i] = p[i] - step * mi / (__builtin_elementwise_sqrt(vi) + epsilon);
    }
}

CK_TARGET static void CK_NAME(ck_add_relu)(float *o, const float *a, const float *b, long n) {
    for (long c = 0; c < n; c++) {
        float x = a[c] + b[c];
        o[c] = 0.0f >= x ? 0.0f : x;
    }
}

CK_TARGET static void CK_NAME(ck_add_to)(float *dst, const float *src, long n) {
    for (long c = 0; c < n; c++) dst[c] = dst[c] + src[c];
}

CK_TARGET static void CK_NAME(ck_relu_mask_accumulate)(float *d, const float *a, long n, float *acc) {
    for (long c = 0; c < n; c++) {
        float mask = a[c] > 0.0f ? 1.0f : 0.0f;
        float v = d[c] * mask;
        d[c] = v;
        acc[c] = acc[c] + v;
    }
}

CK_TARGET static void CK_NAME(ck_relu_mask_accumulate_twice)(const float *d, const float *a, long n,
                                                             float *accA, float *accB) {
    for (long c = 0; c < n; c++) {
        float mask = a[c] > 0.0f ? 1.0f : 0.0f;
        float v = d[c] * mask;
        accA[c] = accA[c] + v;
        accB[c] = accB[c] + v;
    }
}

CK_TARGET static void CK_NAME(ck_accumulate_twice)(const float *d, long n, float *accA, float *accB) {
    for (long c = 0; c < n; c++) {
        float v = d[c];
        accA[c] = accA[c] + v;
        accB[c] = accB[c] + v;
    }
}

CK_TARGET static float CK_NAME(ck_add_relu_dot)(float *z, const float *b, const float *w, long n) {
    float dot = 0.0f;
    for (long c = 0; c < n; c++) {
        float x = z[c] + b[c];
        float a = 0.0f >= x ? 0.0f : x;
        z[c] = a;
        dot = dot + a * w[c];
    }
    return dot;
}

CK_TARGET static float CK_NAME(ck_dot)(const float *z, const float *w, long n) {
    float dot = 0.0f;
    for (long c = 0; c < n; c++) dot = dot + z[c] * w[c];
    return dot;
}

CK_TARGET static void CK_NAME(ck_relu_output_backward)(float *a, float g, const float *w, long n, float *dw,
                                                       float *db) {
    for (long c = 0; c < n; c++) {
        float av = a[c];
        dw[c] = dw[c] + g * av;
        float mask = av > 0.0f ? 1.0f : 0.0f;
        float v = g * w[c] * mask;
        a[c] = v;
        db[c] = db[c] + v;
    }
}

CK_TARGET static void CK_NAME(ck_relu_apply_mask)(float *a, float *m, long n) {
    for (long c = 0; c < n; c++) {
        float x = a[c], s = m[c];
        float on = x > 0.0f ? 1.0f : 0.0f;
        a[c] = x * s;
        m[c] = s * on;
    }
}

CK_TARGET static void CK_NAME(ck_multiply_accumulate)(float *d, const float *j, long n, float *acc) {
    for (long c = 0; c < n; c++) {
        float v = d[c] * j[c];
        d[c] = v;
        acc[c] = acc[c] + v;
    }
}

CK_TARGET static void CK_NAME(ck_multiply_accumulate_twice)(const float *d, const float *j, long n,
                                                            float *accA, float *accB) {
    for (long c = 0; c < n; c++) {
        float v = d[c] * j[c];
        accA[c] = accA[c] + v;
        accB[c] = accB[c] + v;
    }
}

CK_TARGET static void CK_NAME(ck_jacobian_output_backward)(float *h, float g, const float *w, long n,
                                                           const float *j, float *dw, float *db) {
    for (long c = 0; c < n; c++) {
        dw[c] = dw[c] + g * h[c];
        float v = g * w[c] * j[c];
        h[c] = v;
        db[c] = db[c] + v;
    }
}

static const CKKernels CK_NAME(ck_table) = {
    .name = CK_PATH_NAME,
    .adam = CK_NAME(ck_adam),
    .addRelu = CK_NAME(ck_add_relu),
    .addTo = CK_NAME(ck_add_to),
    .reluMaskAccumulate = CK_NAME(ck_relu_mask_accumulate),
    .reluMaskAccumulateTwice = CK_NAME(ck_relu_mask_accumulate_twice),
    .accumulateTwice = CK_NAME(ck_accumulate_twice),
    .addReluDot = CK_NAME(ck_add_relu_dot),
    .dot = CK_NAME(ck_dot),
    .reluOutputBackward = CK_NAME(ck_relu_output_backward),
    .reluApplyMask = CK_NAME(ck_relu_apply_mask),
    .multiplyAccumulate = CK_NAME(ck_multiply_accumulate),
    .multiplyAccumulateTwice = CK_NAME(ck_multiply_accumulate_twice),
    .jacobianOutputBackward = CK_NAME(ck_jacobian_output_backward),
};

#undef CK_NAME
#undef CK_CAT
#undef CK_CAT2
