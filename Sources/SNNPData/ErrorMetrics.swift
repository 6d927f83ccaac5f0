/// Running mean-absolute and root-mean-square error of a set of deviations.
public struct ErrorAccumulator: Sendable, Equatable, Codable {
  /// Number of deviations added.
  public internal(set) var count = 0
  var absoluteSum = 0.0
  var squareSum = 0.0

  /// An empty accumulator.
  public init() {}

  /// Adds one deviation (prediction − reference).
  public mutating func add(_ deviation: Double) {
    count += 1
    absoluteSum += abs(deviation)
    squareSum += deviation * deviation
  }

  /// Adds the deviations counted by `other`.
  public mutating func merge(_ other: ErrorAccumulator) {
    count += other.count
    absoluteSum += other.absoluteSum
    squareSum += other.squareSum
  }

  /// Mean square error (0 when empty).
  public var mse: Double { count == 0 ? 0 : squareSum / Double(count) }

  /// Mean absolute error (0 when empty).
  public var mae: Double { count == 0 ? 0 : absoluteSum / Double(count) }
  /// Root-mean-square error (0 when empty).
  public var rmse: Double { count == 0 ? 0 : (squareSum / Double(count)).squareRoot() }
}

/// Energy and force errors of a potential on a set of frames: energies per atom
/// (eV/atom), forces per Cartesian component (eV/Å).
public struct ErrorSummary: Sendable, Equatable, Codable {
  /// Frames counted.
  public var frames = 0
  /// Energy-per-atom deviations (eV/atom).
  public var energy = ErrorAccumulator()
  /// Force-component deviations (eV/Å).
  public var force = ErrorAccumulator()

  /// An empty summary.
  public init() {}

  /// Adds the frames counted by `other`.
  public mutating func merge(_ other: ErrorSummary) {
    frames += other.frames
    energy.merge(other.energy)
    force.merge(other.force)
  }

  /// Energy MAE, RMSE (eV/atom), force MAE, RMSE (eV/Å).
  public var errors: [Double] { [energy.mae, energy.rmse, force.mae, force.rmse] }

  /// Adds one frame's prediction against its reference (either may be missing).
  public mutating func add(
    atoms: Int, predictedEnergy: Double, referenceEnergy: Double?, predictedForces: [SIMD3<Double>],
    referenceForces: [SIMD3<Double>]?
  ) {
    frames += 1
    if let e = referenceEnergy, atoms > 0 { energy.add((predictedEnergy - e) / Double(atoms)) }
    if let f = referenceForces {
      for (p, r) in zip(predictedForces, f) {
        let d = p - r
        force.add(d.x)
        force.add(d.y)
        force.add(d.z)
      }
    }
  }
}
