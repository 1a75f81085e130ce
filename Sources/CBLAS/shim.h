// System-library shim for OpenBLAS (Debian: libopenblas-dev).
// cblas.h declares the BLAS entry points and openblas_set_num_threads;
// the LAPACK routines we use are declared here (OpenBLAS exports them).
#include <cblas.h>

// LU solve of a general system (used to invert the cubic map's W).
void dgesv_(const int *n, const int *nrhs, double *a, const int *lda,
            int *ipiv, double *b, const int *ldb, int *info);

// Singular value decomposition (checks spectral normalisation's power iteration).
void dgesvd_(const char *jobu, const char *jobvt, const int *m, const int *n,
             double *a, const int *lda, double *s, double *u, const int *ldu,
             double *vt, const int *ldvt, double *work, const int *lwork, int *info);
