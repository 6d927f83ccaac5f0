extension ErrorSummary {
  /// Number of values of ``packed``.
  public static let packedCount = 7

  /// The summary as 7 numbers (frames, then count, Σ|d| and Σd² of energies and of
  /// forces), for sending between the ranks of a data-parallel fit.
  public var packed: [Double] {
    [
      Double(frames), Double(energy.count), energy.absoluteSum, energy.squareSum,
      Double(force.count), force.absoluteSum,
      force.squareSum,
    ]
  }

  /// The summary ``packed`` describes.
  public init(packed p: ArraySlice<Double>) {
    let v = Array(p)
    precondition(v.count == ErrorSummary.packedCount)
    self.init()
    frames = Int(v[0])
    energy = ErrorAccumulator(count: Int(v[1]), absoluteSum: v[2], squareSum: v[3])
    force = ErrorAccumulator(count: Int(v[4]), absoluteSum: v[5], squareSum: v[6])
  }
}

extension ErrorAccumulator {
  init(count: Int, absoluteSum: Double, squareSum: Double) {
    self.init()
    self.count = count
    self.absoluteSum = absoluteSum
    self.squareSum = squareSum
  }
}
