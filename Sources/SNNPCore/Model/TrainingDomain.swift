#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a potential's fitter saw, in the space its networks read: the filter
/// vectors G_i of the training atoms, summarised per centre element, plus the
/// closest approach of every element pair. It defines the per-atom
/// extrapolation grade (docs/uncertainty.md).
///
/// The grade is the D-optimality (maxvol) grade of MTP and ML-PACE, taken in the
/// affine filter space x_i = (G_i, 1): the training atoms of an element are
/// summarised by the M = N_filters + 1 of them whose x span the largest volume
/// (the *active set*, rows of the M × M matrix A). Any x is a combination
/// x = cᵀA of those rows, and the grade is γ = max_m |c_m|. Every training atom
/// has γ ≤ 1 (up to the selection tolerance), an active atom exactly 1, and γ > 1
/// means the atom lies outside the parallelotope the training data span, by a
/// factor γ. The grade does not depend on the units or any linear mixing of the
/// filters, so it needs no tuning per element or per filter.
public struct TrainingDomain: Equatable, Sendable {
  /// One centre element's summary.
  public struct ElementDomain: Equatable, Sendable {
    /// Number of training atoms of this element the summary was built from.
    public var atoms: Int
    /// Smallest value of each filter over those atoms.
    public var minimum: [Double]
    /// Largest value of each filter over those atoms.
    public var maximum: [Double]
    /// The active set: N_filters + 1 filter vectors G of training atoms.
    public var active: [[Double]]

    /// Creates a summary.
    public init(atoms: Int, minimum: [Double], maximum: [Double], active: [[Double]]) {
      self.atoms = atoms
      self.minimum = minimum
      self.maximum = maximum
      self.active = active
    }
  }

  /// Grade up to which an atom counts as inside the training data: the maxvol
  /// selection stops when no training atom's grade exceeds it.
  public static let insideGrade = 1.001

  /// One summary per element of the potential, in its element order.
  public var elements: [ElementDomain]
  /// Closest distance (Å) between a centre and a neighbour seen in the data, per
  /// unordered element pair (``Potential/pairIndex(_:_:elementCount:)`` order); a
  /// pair never seen within the cutoff holds the potential's cutoff.
  public var closestApproach: [Double]

  /// Creates a domain.
  public init(elements: [ElementDomain], closestApproach: [Double]) {
    self.elements = elements
    self.closestApproach = closestApproach
  }

  /// Describes the first inconsistency with a potential of `elementCount` elements
  /// and `filterCount` filters, or nil.
  public func validationProblem(elementCount: Int, filterCount nf: Int) -> String? {
    if elements.count != elementCount {
      return "the training domain needs \(elementCount) element blocks, found \(elements.count)"
    }
    let pairs = elementCount * (elementCount + 1) / 2
    if closestApproach.count != pairs {
      return "the training domain needs \(pairs) closest approaches, found \(closestApproach.count)"
    }
    for r in closestApproach where !(r > 0 && r.isFinite) {
      return "closest approaches must be positive and finite"
    }
    for e in elements {
      if e.minimum.count != nf || e.maximum.count != nf { return "filter ranges need \(nf) values" }
      if e.active.count != nf + 1 {
        return "the active set needs \(nf + 1) vectors, found \(e.active.count)"
      }
      for v in e.active where v.count != nf { return "active vectors need \(nf) values" }
      if CompiledDomain.inverse(e) == nil {
        return "the active set is singular (its vectors do not span filter space)"
      }
    }
    return nil
  }
}

/// A ``TrainingDomain`` ready for the kernel: the inverse of each element's active
/// matrix in standardised coordinates (filters shifted and scaled by their
/// training range, which leaves the grade unchanged and keeps the inverse
/// well conditioned).
struct CompiledDomain {
  /// Per element: centre and inverse half-width of each filter, and A⁻¹ (M × M, row-major).
  let center: [[Double]]
  let inverseScale: [[Double]]
  let inverseActive: [[Double]]
  let closestApproach: [Double]
  let size: Int

  init?(_ d: TrainingDomain) {
    var center: [[Double]] = []
    var scale: [[Double]] = []
    var inv: [[Double]] = []
    for e in d.elements {
      guard let (c, s, a) = CompiledDomain.inverse(e) else { return nil }
      center.append(c)
      scale.append(s)
      inv.append(a)
    }
    self.center = center
    inverseScale = scale
    inverseActive = inv
    closestApproach = d.closestApproach
    size = (d.elements.first?.minimum.count ?? 0) + 1
  }

  /// Standardisation and the inverse active matrix of one element, or nil when singular.
  static func inverse(
    _ e: TrainingDomain.ElementDomain
  ) -> (center: [Double], inverseScale: [Double], inverse: [Double])? {
    let nf = e.minimum.count
    let m = nf + 1
    guard e.active.count == m else { return nil }
    let (center, inverseScale) = standardisation(minimum: e.minimum, maximum: e.maximum)
    var a = [Double](repeating: 0, count: m * m)
    for (r, v) in e.active.enumerated() {
      for c in 0..<nf { a[r * m + c] = (v[c] - center[c]) * inverseScale[c] }
      a[r * m + nf] = 1
    }
    guard let inv = invert(a, m) else { return nil }
    return (center, inverseScale, inv)
  }

  /// Centre and inverse half-width of each filter's training range (1 for a filter
  /// that never varied): the coordinates in which active sets are chosen and inverted.
  static func standardisation(
    minimum: [Double], maximum: [Double]
  ) -> (center: [Double], inverseScale: [Double]) {
    let center = (0..<minimum.count).map { 0.5 * (minimum[$0] + maximum[$0]) }
    let inverseScale = (0..<minimum.count).map { a -> Double in
      let half = 0.5 * (maximum[a] - minimum[a])
      return half > 0 ? 1 / half : 1
    }
    return (center, inverseScale)
  }

  /// Grade of a filter vector G of element `c`: max_m |(x A⁻¹)_m| with x = (G, 1) standardised.
  @inline(__always)
  func grade(
    _ c: Int, _ G: UnsafePointer<Double>, scratch x: UnsafeMutablePointer<Double>
  ) -> Double {
    let m = size
    let nf = m - 1
    center[c].withUnsafeBufferPointer { ctr in
      inverseScale[c].withUnsafeBufferPointer { sc in
        for a in 0..<nf { x[a] = (G[a] - ctr[a]) * sc[a] }
      }
    }
    x[nf] = 1
    var worst = 0.0
    inverseActive[c].withUnsafeBufferPointer { inv in
      for col in 0..<m {
        var s = 0.0
        for r in 0..<m { s += x[r] * inv[r * m + col] }
        worst = max(worst, abs(s))
      }
    }
    return worst
  }
}

/// Inverse of an n × n row-major matrix by Gauss–Jordan elimination with partial
/// pivoting, or nil when a pivot falls below 1e-12 of the largest entry.
func invert(_ matrix: [Double], _ n: Int) -> [Double]? {
  var a = matrix
  var inv = [Double](repeating: 0, count: n * n)
  for k in 0..<n { inv[k * n + k] = 1 }
  let largest = a.reduce(0) { max($0, abs($1)) }
  guard largest > 0, largest.isFinite else { return nil }
  for col in 0..<n {
    var pivot = col
    for r in (col + 1)..<max(col + 1, n) where abs(a[r * n + col]) > abs(a[pivot * n + col]) {
      pivot = r
    }
    let p = a[pivot * n + col]
    guard abs(p) > 1e-12 * largest else { return nil }
    if pivot != col {
      for c in 0..<n {
        a.swapAt(pivot * n + c, col * n + c)
        inv.swapAt(pivot * n + c, col * n + c)
      }
    }
    let scale = 1 / p
    for c in 0..<n {
      a[col * n + c] *= scale
      inv[col * n + c] *= scale
    }
    for r in 0..<n where r != col {
      let factor = a[r * n + col]
      if factor == 0 { continue }
      for c in 0..<n {
        a[r * n + c] -= factor * a[col * n + c]
        inv[r * n + c] -= factor * inv[col * n + c]
      }
    }
  }
  return inv.allSatisfy(\.isFinite) ? inv : nil
}

extension TrainingDomain.ElementDomain {
  /// This summary after `rows` (filter vectors of new atoms of the element) join the
  /// training set: ranges widened, and the active set chosen anew from the old active
  /// vectors and the new ones (the D-optimal update of active learning, as in MTP).
  /// Nil when they do not span filter space (cannot happen when the old set did).
  public func extended(with rows: [[Double]]) -> TrainingDomain.ElementDomain? {
    var lo = minimum
    var hi = maximum
    for r in rows {
      for a in r.indices {
        lo[a] = min(lo[a], r[a])
        hi[a] = max(hi[a], r[a])
      }
    }
    let candidates = active + rows
    guard let picked = TrainingDomain.maxvol(candidates, minimum: lo, maximum: hi) else {
      return nil
    }
    return TrainingDomain.ElementDomain(
      atoms: atoms + rows.count, minimum: lo, maximum: hi, active: picked.map { candidates[$0] })
  }
}

extension TrainingDomain {
  /// Why a domain could not be built from a data set.
  public struct CalibrationError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String
    init(_ d: String) { description = d }
  }

  /// Builds the domain of a potential from the filter vectors of its training atoms.
  ///
  /// - Parameters:
  ///   - filters: per element, the filter vectors (N_filters values each) of every training atom of that element.
  ///   - closestApproach: per unordered element pair, the closest distance seen (Å; the cutoff if never seen).
  /// - Throws: ``CalibrationError`` when an element has fewer distinct environments than
  ///   the active set needs (N_filters + 1 linearly independent ones).
  public static func calibrate(
    elements names: [String], filters: [[[Double]]], closestApproach: [Double]
  ) throws -> TrainingDomain {
    var blocks: [ElementDomain] = []
    for (c, rows) in filters.enumerated() {
      guard let nf = rows.first?.count else {
        throw CalibrationError(
          "the data hold no atom of element \(names[c]): its extrapolation grade cannot be calibrated"
        )
      }
      var lo = [Double](repeating: .infinity, count: nf)
      var hi = [Double](repeating: -.infinity, count: nf)
      for r in rows {
        for a in 0..<nf {
          lo[a] = min(lo[a], r[a])
          hi[a] = max(hi[a], r[a])
        }
      }
      guard let picked = maxvol(rows, minimum: lo, maximum: hi) else {
        throw CalibrationError(
          "the \(rows.count) \(names[c]) atoms of the data do not span the \(nf + 1) dimensions of (filters, 1) needed for the grade; calibrate with more varied frames"
        )
      }
      blocks.append(
        ElementDomain(atoms: rows.count, minimum: lo, maximum: hi, active: picked.map { rows[$0] }))
    }
    return TrainingDomain(elements: blocks, closestApproach: closestApproach)
  }

  /// Indices of the M = N_filters + 1 rows of maximal volume (greedy pivoted
  /// Gram–Schmidt start, then row swaps while any |c| > 1.001; Goreinov et al. 2010),
  /// or nil when the rows do not span M dimensions.
  static func maxvol(_ rows: [[Double]], minimum: [Double], maximum: [Double]) -> [Int]? {
    let nf = minimum.count
    let m = nf + 1
    let n = rows.count
    guard n >= m else { return nil }
    let (center, inverseScale) = CompiledDomain.standardisation(minimum: minimum, maximum: maximum)
    var x = [Double](repeating: 0, count: n * m)
    for (i, r) in rows.enumerated() {
      for a in 0..<nf { x[i * m + a] = (r[a] - center[a]) * inverseScale[a] }
      x[i * m + nf] = 1
    }
    // Start: pivoted Gram–Schmidt picks the row farthest from the span so far.
    var residual = x
    var norms = (0..<n).map { i in
      (0..<m).reduce(0.0) { $0 + residual[i * m + $1] * residual[i * m + $1] }
    }
    let scale = norms.max() ?? 0
    var picked: [Int] = []
    for _ in 0..<m {
      var best = -1
      var bestNorm = 0.0
      for i in 0..<n where norms[i] > bestNorm && !picked.contains(i) {
        best = i
        bestNorm = norms[i]
      }
      guard best >= 0, bestNorm > 1e-20 * scale else { return nil }
      picked.append(best)
      let q = (0..<m).map { residual[best * m + $0] / bestNorm.squareRoot() }
      for i in 0..<n {
        var d = 0.0
        for c in 0..<m { d += residual[i * m + c] * q[c] }
        for c in 0..<m { residual[i * m + c] -= d * q[c] }
        norms[i] = (0..<m).reduce(0.0) { $0 + residual[i * m + $1] * residual[i * m + $1] }
      }
    }
    // Swaps: each raises |det A| by the factor |c| > 1, so this terminates.
    for _ in 0..<(100 * m) {
      var a = [Double](repeating: 0, count: m * m)
      for (r, i) in picked.enumerated() { for c in 0..<m { a[r * m + c] = x[i * m + c] } }
      guard let inv = invert(a, m) else { return nil }
      var worst = TrainingDomain.insideGrade
      var swap: (row: Int, slot: Int)?
      for i in 0..<n {
        for col in 0..<m {
          var s = 0.0
          for r in 0..<m { s += x[i * m + r] * inv[r * m + col] }
          if abs(s) > worst {
            worst = abs(s)
            swap = (i, col)
          }
        }
      }
      guard let swap else { return picked }
      picked[swap.slot] = swap.row
    }
    return picked
  }
}

extension Evaluator {
  /// Extrapolation grade of a filter vector `filters` (N3 + N2 values) of an atom of
  /// element `c` against the potential's training domain, which must exist.
  public func grade(element c: Int, filters: [Double]) -> Double {
    guard let domain else { preconditionFailure("grade needs a potential with a training domain") }
    precondition(filters.count == potential.filterCount)
    return filters.withUnsafeBufferPointer { g in
      gradeScratch.withUnsafeMutableBufferPointer {
        domain.grade(c, g.baseAddress!, scratch: $0.baseAddress!)
      }
    }
  }

  /// Whether the potential carries a training domain (so grades can be computed).
  public var hasTrainingDomain: Bool { domain != nil }
}
