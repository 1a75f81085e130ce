import CBLAS

extension Matrix where T == Double {
    /// The singular values, largest first (LAPACK dgesvd, no vectors).
    public var singularValues: [Double] {
        if rows == 0 || cols == 0 { return [] }
        // Row-major storage read column-major is the transpose, which has
        // the same singular values.
        var a = storage
        var m = Int32(cols), n = Int32(rows), lda = Int32(cols), one: Int32 = 1
        var s = [Double](repeating: 0, count: Swift.min(rows, cols))
        var u = [0.0], vt = [0.0]
        var info: Int32 = 0, lwork: Int32 = -1, query = [0.0]
        var job = CChar(UInt8(ascii: "N"))
        dgesvd_(&job, &job, &m, &n, &a, &lda, &s, &u, &one, &vt, &one, &query, &lwork, &info)
        lwork = Int32(query[0])
        var work = [Double](repeating: 0, count: Int(lwork))
        dgesvd_(&job, &job, &m, &n, &a, &lda, &s, &u, &one, &vt, &one, &work, &lwork, &info)
        precondition(info == 0, "LAPACK dgesvd failed (info \(info))")
        return s
    }
}
