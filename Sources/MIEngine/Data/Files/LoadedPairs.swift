/// Paired samples read from a user's file(s), before any train/held-out split:
/// row i of `x` goes with row i of `y`.
public struct LoadedPairs: Sendable, Equatable {
    public var x: Matrix<Double>
    public var y: Matrix<Double>
    /// Column names of x and y: header names for CSV, 0-based column indices
    /// (as text) for NumPy arrays.
    public var xNames: [String]
    public var yNames: [String]
    /// The file(s) the pairs came from, for messages and dataset names.
    public var source: String
    /// What was read of those files (empty for pairs parsed from memory).
    public var files: [DataFileStamp]

    public init(x: Matrix<Double>, y: Matrix<Double>, xNames: [String], yNames: [String], source: String,
                files: [DataFileStamp] = []) {
        self.x = x
        self.y = y
        self.xNames = xNames
        self.yNames = yNames
        self.source = source
        self.files = files
    }

    /// The number of pairs.
    public var count: Int { x.rows }
}

extension FixedDataset {
    /// A dataset over pairs loaded from a file, split after a seeded shuffle
    /// into a training part and a held-out part of `evalFraction` of the rows
    /// (rounded to the nearest row).
    ///
    /// Throws instead of trapping when the split is impossible: `evalFraction`
    /// outside [0, 1), or too few rows to leave at least one training row and,
    /// when `evalFraction > 0`, at least one held-out row.
    public init(pairs: LoadedPairs, name: String? = nil, evalFraction: Double = 0.2,
                seed: UInt64 = 0) throws(DataFileError) {
        guard pairs.x.rows == pairs.y.rows else {
            throw DataFileError(file: pairs.source, "x has \(pairs.x.rows) rows but y has \(pairs.y.rows); "
                                + "expected one row of each per sample")
        }
        try Self.checkSplit(rows: pairs.count, evalFraction: evalFraction, file: pairs.source)
        self.init(name: name ?? "file(\(pairs.source))", x: pairs.x, y: pairs.y,
                  evalFraction: evalFraction, seed: seed, files: pairs.files)
    }

    /// Pairs from a CSV file: the `x` and `y` selections of its columns (see
    /// `CSVData.read(path:x:y:options:)`), split as in `init(pairs:...)`.
    ///
    ///     let data = try FixedDataset(csv: "samples.csv", x: ["x1..x20"], y: ["y1..y20"])
    public init(csv path: String, x: [ColumnSelector], y: [ColumnSelector], options: CSVOptions = CSVOptions(),
                evalFraction: Double = 0.2, seed: UInt64 = 0) throws(DataFileError) {
        let pairs = try CSVData.read(path: path, x: x, y: y, options: options)
        try self.init(pairs: pairs, name: "csv(\(path))", evalFraction: evalFraction, seed: seed)
    }

    /// Pairs from two NumPy files with the same number of rows: row i of
    /// `xPath` goes with row i of `yPath` (see `NPY.readPairs(x:y:)`).
    public init(npyX xPath: String, npyY yPath: String, evalFraction: Double = 0.2,
                seed: UInt64 = 0) throws(DataFileError) {
        let pairs = try NPY.readPairs(x: xPath, y: yPath)
        try self.init(pairs: pairs, name: "npy(\(xPath), \(yPath))", evalFraction: evalFraction, seed: seed)
    }

    /// Pairs from one NumPy file whose columns are split into x and y by
    /// 0-based index (see `NPY.readPairs(path:x:y:)`).
    ///
    ///     let data = try FixedDataset(npy: "joint.npy", x: [.indexRange(from: 0, through: 9)],
    ///                                 y: [.indexRange(from: 10, through: 19)])
    public init(npy path: String, x: [ColumnSelector], y: [ColumnSelector], evalFraction: Double = 0.2,
                seed: UInt64 = 0) throws(DataFileError) {
        let pairs = try NPY.readPairs(path: path, x: x, y: y)
        try self.init(pairs: pairs, name: "npy(\(path))", evalFraction: evalFraction, seed: seed)
    }

    /// Checks that `rows` rows can be split with `evalFraction` the way
    /// `init(name:x:y:evalFraction:seed:...)` splits them.
    static func checkSplit(rows: Int, evalFraction: Double, file: String) throws(DataFileError) {
        guard evalFraction >= 0 && evalFraction < 1 else {
            throw DataFileError(file: file, "evalFraction must lie in [0, 1), found \(evalFraction)")
        }
        let nEval = Int((Double(rows) * evalFraction).rounded())
        let nTrain = rows - nEval
        if nTrain < 1 || (evalFraction > 0 && nEval < 1) {
            throw DataFileError(file: file, "too few rows for the evaluation split: \(rows) row"
                                + "\(rows == 1 ? "" : "s") with evalFraction \(evalFraction) leave \(nTrain) "
                                + "for training and \(nEval) held out; expected at least 1 in each part")
        }
    }
}
