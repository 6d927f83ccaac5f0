import SNNPTraining

/// One set of frames of a fit (training or validation) as one rank holds it: the size,
/// reference energy and loss weight of every frame, and the prepared neighbour data
/// (``PreparedStructure``: image atoms, neighbour list, reference forces) of the frames
/// this rank computes only. Under MPI each rank prepares just its own chunks
/// (``Trainer/owner(_:ranks:)``), so the neighbour data, most of a fit's memory, is
/// divided between the ranks; a single process prepares every frame.
public struct FrameSet {
  /// Atoms of each frame.
  public let atomCounts: [Int]
  /// Reference total energy (eV) of each frame.
  public let referenceEnergies: [Double]
  /// Loss weight (config_type weight) of each frame.
  public let weights: [Double]
  let prepared: [PreparedStructure?]

  init(
    atomCounts: [Int], referenceEnergies: [Double], weights: [Double],
    prepared: [PreparedStructure?]
  ) {
    precondition(
      atomCounts.count == prepared.count && referenceEnergies.count == prepared.count
        && weights.count == prepared.count)
    self.atomCounts = atomCounts
    self.referenceEnergies = referenceEnergies
    self.weights = weights
    self.prepared = prepared
  }

  /// Number of frames (prepared here or not).
  public var count: Int { prepared.count }
  /// Frame indices, 0..<count.
  public var indices: Range<Int> { prepared.indices }
  /// Total atoms of all frames.
  public var atomCount: Int { atomCounts.reduce(0, +) }

  /// Frame `k`; it must be one this rank prepared.
  public subscript(_ k: Int) -> PreparedStructure {
    guard let s = prepared[k] else {
      preconditionFailure("frame \(k) belongs to another rank and was not prepared here")
    }
    return s
  }

  /// Indices of the frames prepared here, in frame order.
  public var preparedIndices: [Int] { prepared.indices.filter { prepared[$0] != nil } }
  /// The frames prepared here, in frame order.
  public var preparedFrames: [PreparedStructure] { prepared.compactMap { $0 } }
  /// Bytes held by the frames prepared here (see ``PreparedStructure/byteCount``).
  public var preparedBytes: Int { prepared.reduce(0) { $0 + ($1?.byteCount ?? 0) } }

  /// The frames of `a` followed by those of `b`.
  public static func + (a: FrameSet, b: FrameSet) -> FrameSet {
    FrameSet(
      atomCounts: a.atomCounts + b.atomCounts,
      referenceEnergies: a.referenceEnergies + b.referenceEnergies, weights: a.weights + b.weights,
      prepared: a.prepared + b.prepared)
  }
}

extension FitCommunicator {
  /// Per-frame values computed by the ranks that own the frames, on every rank, in frame
  /// order: each rank passes (frame index, values) for its frames, and gets back the
  /// values of all `count` frames. Sums over the result in frame order then do not depend
  /// on the number of ranks.
  func gatherFrames(_ local: [(Int, [Double])], count: Int) -> [[Double]] {
    var byFrame = [[Double]?](repeating: nil, count: count)
    if size == 1 {
      for (k, v) in local { byFrame[k] = v }
    } else {
      // Per frame: index, value count, values.
      var packed: [Double] = []
      for (k, v) in local { packed += [Double(k), Double(v.count)] + v }
      for part in allGather(packed) {
        var q = 0
        while q < part.count {
          let k = Int(part[q])
          let n = Int(part[q + 1])
          byFrame[k] = Array(part[(q + 2)..<(q + 2 + n)])
          q += 2 + n
        }
      }
    }
    return byFrame.enumerated().map { k, v in
      guard let v else { preconditionFailure("no rank computed frame \(k)") }
      return v
    }
  }
}
