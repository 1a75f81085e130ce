/// One contiguous buffer of parameters and one of their gradients.
///
/// Networks carve their weights out of a store by offset (llm.c style), so the
/// optimiser updates a whole model in one pass over flat memory.
public final class ParameterStore<T: MIScalar> {
    public let count: Int
    public let values: UnsafeMutableBufferPointer<T>
    public let grads: UnsafeMutableBufferPointer<T>

    public init(count: Int) {
        self.count = count
        values = .allocate(capacity: max(count, 1))
        grads = .allocate(capacity: max(count, 1))
        values.initialize(repeating: 0)
        grads.initialize(repeating: 0)
    }

    deinit {
        values.deallocate()
        grads.deallocate()
    }

    public func zeroGrad() {
        for i in 0..<count { grads[i] = 0 }
    }

    /// A copy of the parameter values (for checkpoints and tests).
    public var snapshot: [T] { Array(values.prefix(count)) }

    /// Overwrites the parameter values.
    public func load(_ v: [T]) {
        precondition(v.count == count, "expected \(count) values, got \(v.count)")
        for i in 0..<count { values[i] = v[i] }
    }
}

/// Hands out consecutive ranges of a store that is allocated once its size is known.
public struct ParameterLayout {
    public private(set) var count = 0
    public init() {}

    /// Reserves `n` slots and returns their offset.
    public mutating func reserve(_ n: Int) -> Int {
        defer { count += n }
        return count
    }
}

/// A growable scratch buffer reused across steps, so the hot path does not allocate.
final class Scratch<T: MIScalar> {
    private(set) var pointer: UnsafeMutablePointer<T>
    private(set) var capacity: Int

    init() {
        capacity = 0
        pointer = .allocate(capacity: 1)
    }

    deinit { pointer.deallocate() }

    /// A buffer of at least `n` elements (contents unspecified).
    func reserve(_ n: Int) -> UnsafeMutablePointer<T> {
        if n > capacity {
            pointer.deallocate()
            pointer = .allocate(capacity: n)
            capacity = n
        }
        return pointer
    }
}

