/// Sanity limits that every input is checked against before any work, so that no
/// input crashes, hangs or silently gives inf/NaN (issue 25, docs/robustness.md).
///
/// The limits are far beyond any physical use: they only reject numbers whose
/// arithmetic would overflow, allocate more memory than a machine has, or run for
/// hours. SNNPCore is built with `-Ounchecked`, so these are checked with explicit
/// comparisons, never with preconditions.
public enum InputLimits {
  /// Largest cutoff (Å) of a potential or a fit. Interatomic potentials use 4-12 Å.
  public static let maxCutoff = 30.0
  /// Largest number of neighbours of one atom within the neighbour-list cutoff. Dense
  /// solids with a 7 Å cutoff have about 250; more than this means atoms packed far
  /// denser than matter (the triplet loop grows as its square).
  public static let maxNeighbors = 3000
  /// Two atoms closer than this (Å) are reported as coincident instead of giving NaN.
  public static let coincidentDistance = 1e-6
  /// Largest number of atoms plus periodic images of one structure.
  public static let maxImageAtoms = 20_000_000
  /// A periodic cell whose volume is below this fraction of |a| |b| |c| is singular.
  public static let minRelativeVolume = 1e-9
  /// Largest magnitude of any number in a potential file (biases, spline values and
  /// slopes, network weights, knots).
  public static let maxMagnitude = 1e8
  /// ``maxMagnitude`` as written in messages.
  public static let maxMagnitudeText = "1e8"
  /// Smallest spacing of two consecutive spline knots (Å for radial splines; the
  /// knot's own unit for angular and embedding splines).
  public static let minKnotSpacing = 1e-4
  /// Largest number of knots of one spline.
  public static let maxKnots = 1000
  /// Largest number of three-body or two-body filters.
  public static let maxFilters = 256
  /// Largest width of one network layer.
  public static let maxLayerWidth = 1024
  /// Largest number of network layers.
  public static let maxLayers = 16
  /// Largest number of elements (the periodic table has 118).
  public static let maxElements = 118
  /// Largest number of atoms of one structure.
  public static let maxAtoms = 10_000_000
}

extension NeighborList {
  /// Checks a freshly built list before the kernel runs on it: no atom has more
  /// than ``InputLimits/maxNeighbors`` neighbours (a hang otherwise) and no two
  /// atoms are closer than ``InputLimits/coincidentDistance`` (NaN otherwise).
  ///
  /// - Parameters:
  ///   - positions: flat positions, `3 * totalCount` numbers (Å).
  ///   - owner: maps an entry (local or ghost) to the index of the atom it
  ///     images, for the message; identity when nil.
  /// - Returns: the problem, naming the atoms (1-based), or nil.
  public func plausibilityProblem(
    positions x: UnsafePointer<Double>, owner: ((Int) -> Int)? = nil
  ) -> String? {
    let limit = InputLimits.coincidentDistance * InputLimits.coincidentDistance
    for i in 0..<localCount {
      let count = offsets[i + 1] - offsets[i]
      if count > InputLimits.maxNeighbors {
        return
          "atom \(i + 1) has \(count) neighbours within \(cutoff) Å, more than the \(InputLimits.maxNeighbors) supported: the atoms are packed far more densely than in any material (check the cell and the positions)"
      }
      for q in offsets[i]..<offsets[i + 1] {
        let j = Int(indices[q])
        let dx = x[3 * j] - x[3 * i], dy = x[3 * j + 1] - x[3 * i + 1],
          dz = x[3 * j + 2] - x[3 * i + 2]
        let d2 = dx * dx + dy * dy + dz * dz
        if !(d2 >= limit) {
          let other = owner?(j) ?? j
          let image = other == j ? "" : " (a periodic image of it)"
          return
            "atoms \(i + 1) and \(other + 1)\(image) are at the same position (\(x[3 * i]), \(x[3 * i + 1]), \(x[3 * i + 2])) Å, distance \(d2.squareRoot()) Å"
        }
      }
    }
    return nil
  }
}
