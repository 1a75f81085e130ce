import Testing
@testable import MIEngine

/// Loaded files behave as `FixedDataset`s: minibatches from the training
/// split only, evaluation batches from the held-out split only, and the
/// split fixed by the seed.
@Suite struct LoadedDatasetTests {
    /// 100 rows; x = (id, id^2), y = -id, so any row identifies itself.
    static func csvText() -> String {
        "id,sq,neg\n" + (0..<100).map { "\($0),\($0 * $0),-\($0)" }.joined(separator: "\n") + "\n"
    }

    static func ids(_ m: Matrix<Double>) -> [Int] { (0..<m.rows).map { Int(m[$0, 0]) } }

    @Test func minibatchesComeOnlyFromTheTrainingSplit() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("ids.csv", text: Self.csvText())
        let data = try FixedDataset(csv: path, x: ["id..sq"], y: ["neg"], evalFraction: 0.25, seed: 11)
        #expect(data.count == 100 && data.dimX == 2 && data.dimY == 1)
        #expect(data.trainIndices.count == 75 && data.evalIndices.count == 25)
        #expect(Set(data.trainIndices).isDisjoint(with: data.evalIndices))
        #expect(Set(data.trainIndices + data.evalIndices) == Set(0..<100))
        let train = Set(data.trainIndices)
        var rng = RNG(seed: 5)
        var seen = Set<Int>()
        for step in 0..<50 {
            let batch = data.sample(batch: 16, step: step, rng: &rng)
            let ids = Self.ids(batch.x)
            #expect(Set(ids).count == 16, "a minibatch repeats a pair")
            #expect(ids.allSatisfy(train.contains))
            // Pairs stay paired: y = -id, x = (id, id^2).
            for r in 0..<batch.size {
                #expect(batch.y[r, 0] == -Double(ids[r]) && batch.x[r, 1] == Double(ids[r] * ids[r]))
            }
            seen.formUnion(ids)
        }
        #expect(seen == train, "50 batches of 16 should visit all 75 training rows")
    }

    @Test func evaluationBatchesComeOnlyFromTheHeldOutSplit() throws {
        let pairs = try CSVData.read(bytes: utf8(Self.csvText()), file: "ids.csv", x: ["id"], y: ["neg"])
        let data = try FixedDataset(pairs: pairs, evalFraction: 0.3, seed: 2)
        let batches = data.evaluationBatches(batch: 8)
        #expect(batches.count == 3)  // 30 held out: 3 batches of 8, remainder dropped
        let ids = batches.flatMap { Self.ids($0.x) }
        #expect(ids == Array(data.evalIndices.prefix(24)))
        #expect(Set(ids).isDisjoint(with: data.trainIndices))
        #expect(data.name == "file(ids.csv)")
    }

    @Test func sameSeedSameSplitAcrossFormats() throws {
        let dir = try TemporaryDirectory()
        let csv = try dir.write("ids.csv", text: Self.csvText())
        let ids = (0..<100).map(Double.init)
        let x = try dir.write("x.npy", NPYWriter.file(ids, shape: [100]))
        let y = try dir.write("y.npy", NPYWriter.file(ids.map { -$0 }, shape: [100, 1], float32: true))
        let a = try FixedDataset(csv: csv, x: ["id"], y: ["neg"], seed: 7)
        let b = try FixedDataset(csv: csv, x: ["id"], y: ["neg"], seed: 7)
        let c = try FixedDataset(npyX: x, npyY: y, seed: 7)
        let d = try FixedDataset(csv: csv, x: ["id"], y: ["neg"], seed: 8)
        #expect(a.trainIndices == b.trainIndices && a.evalIndices == b.evalIndices)
        #expect(a.trainIndices == c.trainIndices && a.x == c.x && a.y == c.y)
        #expect(a.trainIndices != d.trainIndices)
        var r1 = RNG(seed: 1), r2 = RNG(seed: 1)
        #expect(a.sample(batch: 10, step: 0, rng: &r1).x == c.sample(batch: 10, step: 0, rng: &r2).x)
    }
}
