import Testing
@testable import MIEngine

/// Random byte mutations of valid files never crash a loader: each mutated
/// file either loads (and then works as a dataset) or throws a
/// `DataFileError` whose message names the file.
@Suite struct FileFuzzTests {
    /// Bytes that matter to the parsers, mixed with random ones.
    static let interesting: [UInt8] = [0x2C, 0x22, 0x0A, 0x0D, 0x23, 0x20, 0x09, 0x65, 0x2E, 0x2D, 0x2B, 0x30, 0x39,
                                       0x00, 0xFF, 0xC3, 0x80, 0x27, 0x28, 0x29, 0x7B, 0x7D, 0x3A, 0x3C, 0x4C]

    /// `bytes` with one to four random edits; positions fall in the first
    /// `hotPrefix` bytes half of the time.
    static func mutate(_ bytes: [UInt8], rng: inout RNG, hotPrefix: Int) -> [UInt8] {
        var b = bytes
        for _ in 0...rng.int(below: 4) {
            let span = b.isEmpty ? 1 : (rng.uniform() < 0.5 ? min(hotPrefix, b.count) : b.count)
            let at = rng.int(below: span)
            let value = rng.uniform() < 0.6 ? interesting[rng.int(below: interesting.count)] : UInt8(rng.int(below: 256))
            switch rng.int(below: 6) {
            case 0, 1: if at < b.count { b[at] = value } else { b.append(value) }
            case 2: b.insert(value, at: min(at, b.count))
            case 3: if at < b.count { b.remove(at: at) }
            case 4: b = Array(b.prefix(at))
            default:
                let end = min(b.count, at + 1 + rng.int(below: 8))
                if at < end { b.insert(contentsOf: b[at..<end], at: end) }
            }
        }
        return b
    }

    /// Uses a loaded pair set as a dataset, as a trainer would.
    static func exercise(_ pairs: LoadedPairs) -> Bool {
        guard let data = try? FixedDataset(pairs: pairs, evalFraction: 0.25, seed: 1) else { return false }
        var rng = RNG(seed: 2)
        let batch = data.sample(batch: min(4, data.trainIndices.count), step: 0, rng: &rng)
        _ = data.evaluationBatches(batch: 1)
        return batch.x.storage.allSatisfy(\.isFinite) && batch.y.storage.allSatisfy(\.isFinite)
    }

    @Test func mutatedCSVLoadsOrThrows() {
        var text = "# sample\nx1,x2,\"y 1\",note\n"
        for i in 0..<12 { text += "\(Double(i) * 0.37),\(i)e-2, \"\(-i)\",\"a,\"\"b\"\"\"\r\n" }
        let valid = utf8(text)
        #expect((try? CSVData.read(bytes: valid, file: "fuzz.csv", x: ["x1..x2"], y: ["y 1"])) != nil)
        var rng = RNG(seed: 2024)
        var loaded = 0, rejected = 0
        for _ in 0..<4000 {
            let bytes = Self.mutate(valid, rng: &rng, hotPrefix: 40)
            do {
                let pairs = try CSVData.read(bytes: bytes, file: "fuzz.csv", x: ["x1..x2"], y: ["y 1"])
                #expect(pairs.x.cols == 2 && pairs.y.cols == 1)
                #expect(Self.exercise(pairs) || pairs.count < 4)
                loaded += 1
            } catch {
                #expect(error.description.hasPrefix("fuzz.csv"))
                rejected += 1
            }
        }
        #expect(loaded > 100 && rejected > 100, "loaded \(loaded), rejected \(rejected)")
    }

    @Test func mutatedNPYLoadsOrThrows() {
        var rng = RNG(seed: 77)
        let valid1 = NPYWriter.file((0..<24).map { Double($0) / 3 }, shape: [8, 3])
        let valid2 = NPYWriter.file((0..<24).map { Double($0) / 3 }, shape: [8, 3], float32: true, version: 2)
        var loaded = 0, rejected = 0
        for i in 0..<4000 {
            let bytes = Self.mutate(i % 2 == 0 ? valid1 : valid2, rng: &rng, hotPrefix: 80)
            do {
                let array = try NPY.parse(bytes, file: "fuzz.npy")
                #expect(array.matrix.count == array.shape.reduce(1, *))
                if array.matrix.cols >= 2 {
                    let pairs = try NPY.split(array, file: "fuzz.npy", x: [0], y: [1])
                    _ = Self.exercise(pairs)
                }
                loaded += 1
            } catch {
                #expect(error.description.hasPrefix("fuzz.npy"))
                rejected += 1
            }
        }
        #expect(loaded > 100 && rejected > 100, "loaded \(loaded), rejected \(rejected)")
    }

    @Test func mutatedIDXLoadsOrThrows() {
        var rng = RNG(seed: 5)
        let plain = IDXWriter.file(shape: [4, 3, 3], data: (0..<36).map(UInt8.init))
        let gz = Gzip.compress(plain)
        var loaded = 0, rejected = 0
        for i in 0..<2000 {
            let bytes = Self.mutate(i % 2 == 0 ? plain : gz, rng: &rng, hotPrefix: 20)
            do {
                let array = try IDX.parse(bytes, file: "fuzz.idx")
                #expect(array.bytes.count == array.shape.reduce(1, *))
                if let images = try? IDX.images(array, file: "fuzz.idx") {
                    _ = images.halves(.topBottom, as: Float.self)
                    _ = images.halves(.leftRight, as: Double.self)
                }
                loaded += 1
            } catch {
                #expect(error.description.hasPrefix("fuzz.idx"))
                rejected += 1
            }
        }
        #expect(loaded > 50 && rejected > 50, "loaded \(loaded), rejected \(rejected)")
    }
}
