import Foundation
import Testing
@testable import MIEngine

/// Data files must be regular files of a size that fits: anything else is
/// refused before a byte is read, without blocking or reserving memory.
@Suite struct FileLimitsTests {
    @Test func aDirectoryIsRefused() throws {
        let dir = try TemporaryDirectory()
        let text = errorText { () throws(DataFileError) in _ = try FileBytes.read(dir.path) }
        #expect(text == "\(dir.path): expected a regular file, found a directory")
    }

    @Test func aDeviceIsRefused() {
        // /dev/zero never ends; reading it whole would fill the memory.
        #expect(errorText { () throws(DataFileError) in _ = try CSVData.read(path: "/dev/zero", x: [.index(0)], y: [.index(1)]) }
                == "/dev/zero: expected a regular file, found a character device")
    }

    /// A FIFO with no writer: opening it for reading would wait forever.
    @Test func aFIFOIsRefusedWithoutWaiting() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/pipe"
        #expect(mkfifo(path, 0o600) == 0)
        var error: DataFileError?
        do { _ = try NPY.read(path) } catch let e { error = e }
        #expect(error?.description == "\(path): expected a regular file, found a FIFO (named pipe)")
        #expect(error?.isInputOutput == true)
    }

    /// A sparse file of 1 TiB takes no disk space; its size alone refuses it.
    @Test func anAbsurdSizeIsRefusedBeforeReading() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("huge.csv", text: "x,y\n")
        let fd = open(path, O_WRONLY)
        #expect(ftruncate(fd, 1 << 40) == 0)
        close(fd)
        let text = errorText { () throws(DataFileError) in _ = try CSVData.read(path: path, x: ["x"], y: ["y"]) }
        #expect(text == "\(path): the file is 1024.0 GiB, more than the 64.0 GiB a data file may have")
    }

    @Test func sizeLimitFollowsFreeMemory() throws {
        let free = try #require(SystemMemory.available())
        #expect(free > 0)
        // Half the free memory is the limit below 64 GiB.
        let size = Swift.min(FileBytes.maximumSize, free / 2) + 1
        let text = errorText { () throws(DataFileError) in try FileBytes.checkSize(size, file: "f", what: "the file is") }
        #expect(text != nil)
        #expect(errorText { () throws(DataFileError) in try FileBytes.checkSize(1 << 20, file: "f", what: "the file is") } == nil)
    }
}

/// `DataFileStamp`s: every file-backed source lists the files it read, with
/// their size and a digest of exactly the bytes read.
@Suite struct DataFileStampTests {
    static let csv = "a,b\n" + (0..<40).map { "\($0),\(2 * $0)" }.joined(separator: "\n") + "\n"

    @Test func digestDoesNotDependOnHowTheStreamIsCut() {
        var rng = RNG(seed: 3)
        let bytes = (0..<1000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let whole = ContentDigest.of(bytes)
        #expect(whole.count == 32 && whole.allSatisfy(\.isHexDigit))
        for cut in [1, 3, 7, 8, 9, 64, 999] {
            var d = ContentDigest()
            var i = 0
            while i < bytes.count {
                d.update(Array(bytes[i..<Swift.min(i + cut, bytes.count)]))
                i += cut
            }
            #expect(d.finish() == whole, "pieces of \(cut)")
        }
    }

    @Test func digestSeesEveryByteAndTheLength() {
        var rng = RNG(seed: 4)
        let bytes = (0..<257).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        var seen = Set([ContentDigest.of(bytes)])
        for i in [0, 7, 8, 100, 256] {
            for bit in [0, 7] {
                var changed = bytes
                changed[i] ^= 1 << bit
                seen.insert(ContentDigest.of(changed))
            }
        }
        seen.insert(ContentDigest.of(Array(bytes.dropLast())))
        seen.insert(ContentDigest.of(bytes + [0]))
        seen.insert(ContentDigest.of([]))
        seen.insert(ContentDigest.of([0]))
        #expect(seen.count == 15)
        // Pinned: a cache keyed on digests must not see them change between builds.
        #expect(ContentDigest.of(Array("abc".utf8)) == "58d337161d5dad997a97b8b04fff8d08")
        #expect(ContentDigest.of(Array("0123456789abcdefXYZ".utf8)) == "5e8875bd43b015a43744289b7a89efc5")
    }

    @Test func csvSourcesListTheirFile() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("pairs.csv", text: Self.csv)
        let data = try FixedDataset(csv: path, x: ["a"], y: ["b"])
        #expect(data.files == [DataFileStamp(path: path, size: Self.csv.utf8.count,
                                             digest: ContentDigest.of(Array(Self.csv.utf8)))])
        // Derived sources forward the files they stand on.
        let drawn = FixedDataset(drawing: 10, from: data, seed: 1)
        #expect(drawn.files == data.files)
        #expect(CubicSource(base: data, seed: 2).files == data.files)
        #expect(GaussianSource(dim: 2, mi: 1).files.isEmpty)
        // Another byte, another digest.
        try dir.write("pairs.csv", text: Self.csv + "99,198\n")
        let changed = try FixedDataset(csv: path, x: ["a"], y: ["b"])
        #expect(changed.files[0].digest != data.files[0].digest && changed.files[0].size == data.files[0].size + 7)
    }

    @Test func npySourcesListTheirFiles() throws {
        let dir = try TemporaryDirectory()
        let xBytes = NPYWriter.file((0..<20).map(Double.init), shape: [10, 2])
        let yBytes = NPYWriter.file((0..<10).map(Double.init), shape: [10])
        let x = try dir.write("x.npy", xBytes), y = try dir.write("y.npy", yBytes)
        let pair = try FixedDataset(npyX: x, npyY: y)
        #expect(pair.files.map(\.path) == [x, y])
        #expect(pair.files.map(\.digest) == [ContentDigest.of(xBytes), ContentDigest.of(yBytes)])
        let one = try FixedDataset(npy: x, x: [.index(0)], y: [.index(1)])
        #expect(one.files == [pair.files[0]])
    }

    @Test func idxImagesListTheirFiles() throws {
        let dir = try TemporaryDirectory()
        let images = IDXWriter.file(shape: [12, 2, 2], data: (0..<48).map { UInt8($0) })
        let labels = Gzip.compress(IDXWriter.file(shape: [12], data: (0..<12).map { UInt8($0 % 10) }))
        try dir.write("train-images-idx3-ubyte", images)
        try dir.write("train-labels-idx1-ubyte.gz", labels)
        let set = try FashionMNIST(split: .train, directory: dir.path)
        // The compressed bytes as stored, not the decompressed ones.
        #expect(set.files.map(\.size) == [images.count, labels.count])
        #expect(set.files.map(\.digest) == [ContentDigest.of(images), ContentDigest.of(labels)])
        #expect(try set.dataset(halves: .topBottom).files == set.files)
    }
}
