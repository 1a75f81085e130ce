/// Why a training run cannot start: its batch does not suit the estimator
/// or the data. `Trainer.check` finds these before anything runs; the
/// engine's own preconditions stay as guards against programming errors.
public enum TrainingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The estimator is not defined on batches this small.
    case batchTooSmall(batch: Int, minimum: Int, estimator: String)
    /// A finite dataset holds fewer training pairs than one batch.
    case batchTooLarge(batch: Int, trainingPairs: Int, data: String)

    public var description: String {
        switch self {
        case let .batchTooSmall(batch, minimum, estimator):
            return "\(estimator) needs a batch of at least \(minimum), got \(batch)"
        case let .batchTooLarge(batch, pairs, data):
            return "batch \(batch) is larger than the \(pairs) training pair\(pairs == 1 ? "" : "s") of \(data)"
        }
    }
}

extension Trainer {
    /// Checks that `estimator` can train on batches of `options.batch` pairs
    /// of `data`; `run` would stop on a precondition otherwise.
    public func check(_ estimator: any Estimator, on data: any DataSource) throws(TrainingError) {
        let batch = options.batch
        if batch < estimator.minimumBatch {
            throw .batchTooSmall(batch: batch, minimum: estimator.minimumBatch, estimator: estimator.name)
        }
        if let pairs = data.trainingPairs, batch > pairs {
            throw .batchTooLarge(batch: batch, trainingPairs: pairs, data: data.name)
        }
    }
}
