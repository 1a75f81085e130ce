// System-library shim for OpenBLAS (Debian: libopenblas-dev).
// cblas.h declares the BLAS entry points and openblas_set_num_threads;
// the LAPACK routines we use are declared here (OpenBLAS exports them).
#include <cblas.h>

// LU solve of a general system (used to invert the cubic map's W).
void dgesv_(const int *n, const int *nrhs, double *a, const int *lda,
            int *ipiv, double *b, const int *ldb, int *info);
