/// The progress line of one `learn` run (a bound's or an objective's): its
/// trainers call `step` after every step with the value they optimise,
/// shown raw and smoothed as `estimate` shows its own.
struct LearnProgress {
    let observer: Observer
    let label: String
    let total: Int
    /// This run's place in its sweep (1-based) and the sweep's size.
    let run: Int
    let runs: Int
    private var smoothed = EMA(span: 200)

    init(observer: Observer, label: String, total: Int, run: Int, runs: Int) {
        self.observer = observer
        self.label = label
        self.total = total
        self.run = run
        self.runs = runs
    }

    /// Reports step `step` (0-based) after `time` seconds, at `value`.
    mutating func step(_ step: Int, value: Double, time: Double) {
        smoothed.add(value)
        observer.progress(RunProgress(label: label, step: step + 1, total: total, run: run, runs: runs,
                                      estimate: value, smoothed: smoothed.value, truth: nil,
                                      stepsPerSecond: time > 0 ? Double(step + 1) / time : 0, elapsed: time))
    }
}
