import Foundation
import Testing
@testable import MIEngine

/// The worker pool behind `Parallelism.allCores`: every item runs once, and a
/// region nested in another, started from several threads at once, or
/// started after the workers have gone to sleep still completes.
struct WorkerPoolTests {
    /// Runs a region of `count` items through `Parallelism.allCores`; how many
    /// times each item ran.
    static func counts(_ count: Int, work: (Int) -> Void = { _ in }) -> [Int] {
        var runs = [Int](repeating: 0, count: count)
        runs.withUnsafeMutableBufferPointer { b in
            let p = SharedPointer(b.baseAddress!)
            Parallelism.allCores.forEach(count) { i in
                work(i)
                p.base[i] += 1
            }
        }
        return runs
    }

    @Test(arguments: [2, 3, 17, 1000])
    func everyItemRunsOnce(_ count: Int) {
        for _ in 0..<50 { #expect(Self.counts(count) == [Int](repeating: 1, count: count)) }
    }

    @Test func nestedRegionsRunOnTheirCaller() {
        var inner = [Int](repeating: 0, count: 8 * 8)
        inner.withUnsafeMutableBufferPointer { b in
            let p = SharedPointer(b.baseAddress!)
            Parallelism.allCores.forEach(8) { i in
                Parallelism.allCores.forEach(8) { j in p.base[i * 8 + j] += 1 }
            }
        }
        #expect(inner == [Int](repeating: 1, count: 64))
    }

    @Test func regionsFromManyThreadsAtOnce() async {
        let results = await withTaskGroup(of: Bool.self) { group in
            for t in 0..<8 {
                group.addTask {
                    (0..<200).allSatisfy { r in
                        Self.counts(3 + (t + r) % 29) == [Int](repeating: 1, count: 3 + (t + r) % 29)
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == [Bool](repeating: true, count: 8))
    }

    @Test func aRegionAfterTheWorkersSleep() {
        #expect(Self.counts(4) == [1, 1, 1, 1])
        // Longer than a worker spins before it sleeps.
        usleep(UInt32(3 * WorkerPool.workerSpin / 1000))
        #expect(Self.counts(4) == [1, 1, 1, 1])
    }

    @Test func theCallerWaitsForLongItems() {
        // Items longer than the caller spins, so it sleeps and is woken.
        let runs = Self.counts(2) { _ in usleep(UInt32(3 * WorkerPool.callerSpin / 1000)) }
        #expect(runs == [1, 1])
    }

    @Test func writesOfEveryItemAreVisibleAfterTheRegion() {
        for n in [2, 64, 4096] {
            var out = [Double](repeating: 0, count: n)
            out.withUnsafeMutableBufferPointer { b in
                let p = SharedPointer(b.baseAddress!)
                Parallelism.allCores.forEach(n) { p.base[$0] = Double($0).squareRoot() }
            }
            #expect(out == (0..<n).map { Double($0).squareRoot() })
        }
    }

    /// `.serial` keeps every item on the calling thread, in order (`.allCores`
    /// may hand them to workers: the tests above).
    @Test func serialRunsOnTheCallerInOrder() {
        let caller = pthread_self()
        var threads: [pthread_t] = [], order: [Int] = []
        Parallelism.serial.forEach(64) { i in
            threads.append(pthread_self())
            order.append(i)
        }
        Parallelism.serial.both({ order.append(-1) }, { order.append(-2) })
        #expect(threads.allSatisfy { pthread_equal($0, caller) != 0 })
        #expect(order == Array(0..<64) + [-1, -2])
    }
}
