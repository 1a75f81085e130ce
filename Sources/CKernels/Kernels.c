// One copy of the kernels per x86-64 vector width, and the choice among them.
//
// A binary must run on any x86-64 CPU (no -march=native), yet Adam's update
// and the ReLU row passes are 2x faster with AVX2's 8-wide vectors than with
// the baseline's SSE2. So KernelBodies.h is compiled three times, with
// target attributes for AVX-512F and AVX2 and with none, and ck_kernels()
// picks the widest set the CPU and operating system support, once.
//
// No flag is needed (SwiftPM refuses unsafe flags in dependencies): the
// pragma below stops multiply-add fusion, which AVX-512F's targets could
// otherwise do (it implies FMA), and sqrt is the errno-free elementwise
// builtin. Elementwise IEEE operations round the same at any width, so the
// three sets give the same bits.
#pragma STDC FP_CONTRACT OFF

#include "CKernels.h"

#define CK_TARGET
#define CK_SUFFIX _baseline
#define CK_PATH_NAME "baseline"
#include "KernelBodies.h"
#undef CK_TARGET
#undef CK_SUFFIX
#undef CK_PATH_NAME

#if defined(__x86_64__) && defined(__clang__)
#define CK_X86_PATHS 1

#define CK_TARGET __attribute__((target("avx2")))
#define CK_SUFFIX _avx2
#define CK_PATH_NAME "avx2"
#include "KernelBodies.h"
#undef CK_TARGET
#undef CK_SUFFIX
#undef CK_PATH_NAME

#define CK_TARGET __attribute__((target("avx512f")))
#define CK_SUFFIX _avx512f
#define CK_PATH_NAME "avx512f"
#include "KernelBodies.h"
#undef CK_TARGET
#undef CK_SUFFIX
#undef CK_PATH_NAME
#endif

const CKKernels *ck_kernels_for(int path) {
    switch (path) {
    case CK_PATH_BASELINE:
        return &ck_table_baseline;
#ifdef CK_X86_PATHS
    // __builtin_cpu_supports reads the CPUID bits the compiler runtime
    // records at start-up, which also check that the operating system saves
    // the wide registers (XCR0).
    case CK_PATH_AVX2:
        return __builtin_cpu_supports("avx2") ? &ck_table_avx2 : NULL;
    case CK_PATH_AVX512F:
        return __builtin_cpu_supports("avx512f") ? &ck_table_avx512f : NULL;
#endif
    default:
        return NULL;
    }
}

const CKKernels *ck_kernels(void) {
    for (int path = CK_PATH_COUNT - 1; path > CK_PATH_BASELINE; path--) {
        const CKKernels *k = ck_kernels_for(path);
        if (k) return k;
    }
    return &ck_table_baseline;
}
