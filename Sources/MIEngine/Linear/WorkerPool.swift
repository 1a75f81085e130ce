import Foundation
import Synchronization

/// The persistent worker threads behind `Parallelism.allCores`.
///
/// A training step of the separable critic takes a few hundred microseconds
/// and holds three or four parallel regions with serial work between them
/// (the bound, the sampler). Dispatch's workers go to sleep in those gaps,
/// and waking one on a virtual machine costs tens of microseconds, as much
/// as a layer's products. These workers instead spin for a while after each
/// region (`workerSpin`) and only then sleep, so a region that follows
/// another within that time starts on every core at once.
///
/// One region runs at a time. A region asked for while another runs (from
/// inside one of its items, or from a second thread) is refused, and
/// `Parallelism` runs it on the calling thread. Which thread runs an item never
/// changes the result: items write disjoint memory and are cut by size
/// alone (`Parallelism`).
final class WorkerPool: @unchecked Sendable {
    /// The pool of `Parallel.cores - 1` workers (the caller is the last core).
    static let shared = WorkerPool(workers: Parallel.cores - 1)

    /// How long an idle worker spins for the next region before it sleeps.
    static let workerSpin: UInt64 = 500_000      // ns
    /// How long a caller spins for the workers to finish before it sleeps.
    static let callerSpin: UInt64 = 100_000      // ns

    let workers: Int

    /// Whether a region is running (claimed by its caller).
    private let busy = Atomic<Bool>(false)
    /// Bumped once per region; workers wait for it to change.
    private let posted = Atomic<UInt64>(0)
    /// The next item of the current region to hand out.
    private let nextItem = Atomic<Int>(0)
    /// Workers done with the current region.
    private let finished = Atomic<Int>(0)
    // The current region: written by the caller before `posted` is bumped,
    // read by workers after they see it change.
    private var body: UncheckedBox<(Int) -> Void>?
    private var count = 0

    // Sleeping workers (and a sleeping caller) wait on `wake` under `lock`.
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var sleepers = 0  // guarded by `lock`

    private init(workers: Int) {
        self.workers = max(workers, 0)
        pthread_mutex_init(lock, nil)
        pthread_cond_init(wake, nil)
        for _ in 0..<self.workers {
            let thread = Thread { [unowned self] in self.workerLoop() }
            thread.stackSize = 8 << 20
            thread.name = "mi-worker"
            thread.start()
        }
    }

    /// Runs `body(i)` for every i in 0..<count on the caller and the
    /// workers, and returns once all have finished. Returns false, having
    /// run nothing, when another region is running.
    func run(_ count: Int, _ body: (Int) -> Void) -> Bool {
        guard workers > 0,
              busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else { return false }
        withoutActuallyEscaping(body) { body in
            self.body = UncheckedBox(body)
            self.count = count
            nextItem.store(0, ordering: .relaxed)
            finished.store(0, ordering: .relaxed)
            posted.add(1, ordering: .releasing)
            wakeSleepers()
            drain()
            waitForWorkers()
            self.body = nil
        }
        busy.store(false, ordering: .releasing)
        return true
    }

    /// Takes items of the current region until none is left.
    private func drain() {
        let n = count
        guard let body = body?.value else { return }
        while true {
            let i = nextItem.add(1, ordering: .relaxed).oldValue
            if i >= n { return }
            body(i)
        }
    }

    private func workerLoop() {
        var seen: UInt64 = 0
        while true {
            seen = waitForRegion(after: seen)
            drain()
            finished.add(1, ordering: .releasing)
            wakeSleepers()
        }
    }

    /// Waits for a region after `seen` to be posted; returns its number.
    private func waitForRegion(after seen: UInt64) -> UInt64 {
        wait(spinning: WorkerPool.workerSpin) { posted.load(ordering: .acquiring) != seen }
        return posted.load(ordering: .acquiring)
    }

    /// Waits for every worker to finish the current region.
    private func waitForWorkers() {
        wait(spinning: WorkerPool.callerSpin) { finished.load(ordering: .acquiring) == workers }
    }

    /// Returns once `condition` holds: polls it for up to `nanoseconds`,
    /// then sleeps on `wake` until a `wakeSleepers` after which it holds.
    private func wait(spinning nanoseconds: UInt64, until condition: () -> Bool) {
        let start = DispatchTime.now().uptimeNanoseconds
        var polls = 0
        while !condition() {
            polls += 1
            guard polls & 63 == 0 else { continue }
            if DispatchTime.now().uptimeNanoseconds - start > nanoseconds {
                pthread_mutex_lock(lock)
                sleepers += 1
                while !condition() { pthread_cond_wait(wake, lock) }
                sleepers -= 1
                pthread_mutex_unlock(lock)
                return
            }
            // Let a thread with real work run, if there is one (tests and
            // renders share the cores).
            if polls & 1023 == 0 { sched_yield() }
        }
    }

    /// Wakes whoever sleeps on `wake`. Taking the lock orders this after a
    /// sleeper's last look at the state it waits on, so no wake-up is lost.
    private func wakeSleepers() {
        pthread_mutex_lock(lock)
        if sleepers > 0 { pthread_cond_broadcast(wake) }
        pthread_mutex_unlock(lock)
    }
}
