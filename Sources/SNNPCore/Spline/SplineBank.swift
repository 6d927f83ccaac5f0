/// A family of splines that share one knot grid, evaluated together.
///
/// The model evaluates all N3 three-body filters (or all N2 two-body filters)
/// at the same distance or angle, so one interval lookup serves every spline of
/// the bank (DESIGN.md §3). A radial bank also carries the distance at which it
/// stops being evaluated (`cutoff`); below the first knot and between the last
/// knot and `cutoff` the splines extrapolate linearly.
public struct SplineBank: Equatable, Sendable {
  /// The splines; all share `knots`.
  public private(set) var splines: [CubicSpline]
  /// Distance (Å) at and beyond which the bank contributes nothing
  /// (`.infinity` for angular splines and embeddings).
  public var cutoff: Double

  /// Creates a bank. All splines must share the same knots.
  public init(splines: [CubicSpline], cutoff: Double) {
    precondition(!splines.isEmpty)
    let k = splines[0].knots
    precondition(splines.allSatisfy { $0.knots == k }, "splines of a bank must share one knot grid")
    self.splines = splines
    self.cutoff = cutoff
  }

  /// Number of splines in the bank.
  public var count: Int { splines.count }
  /// The shared knot positions.
  public var knots: [Double] { splines[0].knots }

  /// Replaces spline `index` (which must keep the bank's knots).
  public mutating func setSpline(_ index: Int, _ spline: CubicSpline) {
    precondition(spline.knots == knots)
    splines[index] = spline
  }

  /// Value and derivative of the first spline at `x` (reference path for tests and tools).
  public func evaluateSingle(_ x: Double) -> (value: Double, derivative: Double) {
    let table = SplineTable(self)
    var v = [Double](repeating: 0, count: count)
    var d = v
    v.withUnsafeMutableBufferPointer { vp in
      d.withUnsafeMutableBufferPointer { dp in
        table.evaluate(x, values: vp.baseAddress!, derivatives: dp.baseAddress!)
      }
    }
    return (v[0], d[0])
  }

  /// Values and derivatives of every spline at `x`.
  public func evaluateAll(_ x: Double) -> (values: [Double], derivatives: [Double]) {
    let table = SplineTable(self)
    var v = [Double](repeating: 0, count: count)
    var d = v
    v.withUnsafeMutableBufferPointer { vp in
      d.withUnsafeMutableBufferPointer { dp in
        table.evaluate(x, values: vp.baseAddress!, derivatives: dp.baseAddress!)
      }
    }
    return (v, d)
  }
}

/// The evaluation form of a ``SplineBank``: per-interval cubic coefficients laid
/// out as `[interval][power 0…3][spline]` so the inner loop over splines is
/// contiguous, plus the linear extrapolation on either side.
///
/// Immutable after creation; safe to share between threads.
public final class SplineTable: @unchecked Sendable {
  /// Number of splines.
  public let count: Int
  /// Stride of the coefficient rows: `count` rounded up to a multiple of 4, so a
  /// SIMD4 load never leaves the table (the padding coefficients are zero).
  @usableFromInline package let stride: Int
  /// Distance at and beyond which the bank is not evaluated.
  public let cutoff: Double
  @usableFromInline let knotCount: Int
  @usableFromInline let knots: UnsafeMutablePointer<Double>
  @usableFromInline let firstKnot: Double
  @usableFromInline let lastKnot: Double
  /// Non-nil when the knots are uniform: 1 / spacing, for an O(1) interval lookup.
  @usableFromInline let inverseSpacing: Double?
  @usableFromInline let table: UnsafeMutablePointer<Double>
  @usableFromInline let leftValue: UnsafeMutablePointer<Double>
  @usableFromInline let leftSlope: UnsafeMutablePointer<Double>
  @usableFromInline let rightValue: UnsafeMutablePointer<Double>
  @usableFromInline let rightSlope: UnsafeMutablePointer<Double>

  /// Compiles `bank` into coefficient tables.
  public init(_ bank: SplineBank) {
    count = bank.count
    cutoff = bank.cutoff
    let x = bank.knots
    knotCount = x.count
    knots = .allocate(capacity: x.count)
    knots.initialize(from: x, count: x.count)
    firstKnot = x[0]
    lastKnot = x[x.count - 1]
    let h = (lastKnot - firstKnot) / Double(x.count - 1)
    let tolerance = 1e-10 * max(1.0, abs(x[x.count - 1] - x[0]))
    let x0 = x[0]
    let uniform = x.indices.allSatisfy { abs(x0 + Double($0) * h - x[$0]) <= tolerance }
    inverseSpacing = uniform ? 1.0 / h : nil
    let m = bank.count
    stride = (m + 3) & ~3
    let intervals = x.count - 1
    table = .allocate(capacity: intervals * 4 * stride)
    table.initialize(repeating: 0, count: intervals * 4 * stride)
    leftValue = .allocate(capacity: m)
    leftSlope = .allocate(capacity: m)
    rightValue = .allocate(capacity: m)
    rightSlope = .allocate(capacity: m)
    for (s, spline) in bank.splines.enumerated() {
      let c = spline.coefficients()
      for k in 0..<intervals {
        for p in 0..<4 { table[(k * 4 + p) * stride + s] = c[k][p] }
      }
      leftValue[s] = spline.values[0]
      leftSlope[s] = spline.startSlope
      rightValue[s] = spline.values[x.count - 1]
      rightSlope[s] = spline.endSlope
    }
  }

  deinit {
    knots.deallocate()
    table.deallocate()
    leftValue.deallocate()
    leftSlope.deallocate()
    rightValue.deallocate()
    rightSlope.deallocate()
  }

  /// Interval index k with knots[k] <= x < knots[k+1], for x strictly inside the knot range.
  @inlinable @inline(__always)
  func interval(_ x: Double) -> Int {
    let last = knotCount - 2
    if let inv = inverseSpacing {
      var k = Int((x - firstKnot) * inv)
      if k > last { k = last }
      if k < 0 { k = 0 }
      // Round-off in the uniform guess can land one interval off at a knot.
      if x < knots[k] && k > 0 { k -= 1 } else if k < last && x >= knots[k + 1] { k += 1 }
      return k
    }
    var lo = 0
    var hi = knotCount - 1
    while hi - lo > 1 {
      let mid = (lo + hi) >> 1
      if knots[mid] > x { hi = mid } else { lo = mid }
    }
    return lo
  }

  /// Writes the value and derivative of every spline at `x` into `values[0..<count]`
  /// and `derivatives[0..<count]`.
  @inlinable @inline(__always)
  public func evaluate(
    _ x: Double, values: UnsafeMutablePointer<Double>, derivatives: UnsafeMutablePointer<Double>
  ) {
    let m = count
    if x <= firstKnot {
      let t = x - firstKnot
      for s in 0..<m {
        values[s] = leftValue[s] + leftSlope[s] * t
        derivatives[s] = leftSlope[s]
      }
    } else if x >= lastKnot {
      let t = x - lastKnot
      for s in 0..<m {
        values[s] = rightValue[s] + rightSlope[s] * t
        derivatives[s] = rightSlope[s]
      }
    } else {
      let k = interval(x)
      let t = x - knots[k]
      let c0 = table + (k * 4) * stride
      let c1 = c0 + stride
      let c2 = c1 + stride
      let c3 = c2 + stride
      let t3 = 3.0 * t
      // Four splines at a time (the rows are padded to a multiple of 4), then the rest
      // one by one: the same operations per spline either way. (Left to itself the
      // compiler vectorises this loop only from 12 splines on, behind alias checks.)
      var s = 0
      while s + 4 <= m {
        let a0 = load4(c0 + s)
        let a1 = load4(c1 + s)
        let a2 = load4(c2 + s)
        let a3 = load4(c3 + s)
        store4(values + s, a0 + t * (a1 + t * (a2 + t * a3)))
        store4(derivatives + s, a1 + t * (2.0 * a2 + t3 * a3))
        s += 4
      }
      while s < m {
        values[s] = c0[s] + t * (c1[s] + t * (c2[s] + t * c3[s]))
        derivatives[s] = c1[s] + t * (2.0 * c2[s] + t3 * c3[s])
        s += 1
      }
    }
  }

  /// Whether x lies strictly inside the knot range (where ``interiorRow(_:)`` applies).
  @inlinable @inline(__always)
  package func isInterior(_ x: Double) -> Bool { x > firstKnot && x < lastKnot }

  /// For x strictly inside the knot range: the coefficient row of its interval
  /// (`[power][stride]`) and t = x − knot.
  @inlinable @inline(__always)
  package func interiorRow(_ x: Double) -> (row: UnsafeMutablePointer<Double>, t: Double) {
    let k = interval(x)
    return (table + (k * 4) * stride, x - knots[k])
  }

  /// Every spline at `x` from one interval lookup, to be read four splines at a time
  /// (``SplinePoint/four(_:)``) inside a vector loop. Outside the knot range (rare) the
  /// extrapolated values and slopes are written to `values` and `derivatives` (room
  /// for ``stride`` values each, padding lanes zero) and read from there.
  @inlinable @inline(__always)
  package func point(
    _ x: Double, values: UnsafeMutablePointer<Double>, derivatives: UnsafeMutablePointer<Double>
  ) -> SplinePoint {
    if isInterior(x) {
      let (row, t) = interiorRow(x)
      return SplinePoint(
        interior: true, row: row, stride: stride, t: t, values: values, derivatives: derivatives)
    }
    evaluate(x, values: values, derivatives: derivatives)
    return SplinePoint(
      interior: false, row: values, stride: stride, t: 0, values: values, derivatives: derivatives)
  }

  /// Writes the values only (no derivatives).
  @inlinable @inline(__always)
  public func evaluateValues(_ x: Double, values: UnsafeMutablePointer<Double>) {
    let m = count
    if x <= firstKnot {
      let t = x - firstKnot
      for s in 0..<m { values[s] = leftValue[s] + leftSlope[s] * t }
    } else if x >= lastKnot {
      let t = x - lastKnot
      for s in 0..<m { values[s] = rightValue[s] + rightSlope[s] * t }
    } else {
      let k = interval(x)
      let t = x - knots[k]
      let c0 = table + (k * 4) * stride
      let c1 = c0 + stride
      let c2 = c1 + stride
      let c3 = c2 + stride
      var s = 0
      while s + 4 <= m {
        let a0 = load4(c0 + s)
        let a1 = load4(c1 + s)
        let a2 = load4(c2 + s)
        let a3 = load4(c3 + s)
        store4(values + s, a0 + t * (a1 + t * (a2 + t * a3)))
        s += 4
      }
      while s < m {
        values[s] = c0[s] + t * (c1[s] + t * (c2[s] + t * c3[s]))
        s += 1
      }
    }
  }
}

extension SplineTable {
  /// Size of a coefficient-space gradient of this table: the per-interval
  /// coefficients, then (value, slope) of the left and of the right extrapolation
  /// per spline.
  public var gradientSize: Int { (knotCount - 1) * 4 * count + 4 * count }

  /// Adds ∂Φ/∂(table entries) for Φ = Σ_s dv[s]·S_s(x) + dd[s]·S_s′(x), where
  /// dv and dd are held fixed: the chain rule from spline values and slopes at x
  /// to the coefficients that produced them (same region choice as ``evaluate``).
  @inlinable @inline(__always)
  public func accumulateGradient(
    _ x: Double, valueSeeds dv: UnsafePointer<Double>, slopeSeeds dd: UnsafePointer<Double>,
    into g: UnsafeMutablePointer<Double>
  ) {
    let m = count
    if x <= firstKnot {
      let t = x - firstKnot
      let base = (knotCount - 1) * 4 * m
      for s in 0..<m {
        g[base + 2 * s] += dv[s]
        g[base + 2 * s + 1] += dv[s] * t + dd[s]
      }
    } else if x >= lastKnot {
      let t = x - lastKnot
      let base = (knotCount - 1) * 4 * m + 2 * m
      for s in 0..<m {
        g[base + 2 * s] += dv[s]
        g[base + 2 * s + 1] += dv[s] * t + dd[s]
      }
    } else {
      let k = interval(x)
      let t = x - knots[k]
      let t2 = t * t
      let t3 = t2 * t
      let c0 = g + (k * 4) * m
      let c1 = c0 + m
      let c2 = c1 + m
      let c3 = c2 + m
      // Four splines at a time, then the rest (the same operations per spline).
      var s = 0
      let dvm = UnsafeMutablePointer(mutating: dv)
      let ddm = UnsafeMutablePointer(mutating: dd)
      while s + 4 <= m {
        let v = load4(dvm + s)
        let d = load4(ddm + s)
        store4(c0 + s, load4(c0 + s) + v)
        store4(c1 + s, load4(c1 + s) + (v * t + d))
        store4(c2 + s, load4(c2 + s) + (v * t2 + 2 * d * t))
        store4(c3 + s, load4(c3 + s) + (v * t3 + 3 * d * t2))
        s += 4
      }
      while s < m {
        let v = dv[s]
        let d = dd[s]
        c0[s] += v
        c1[s] += v * t + d
        c2[s] += v * t2 + 2 * d * t
        c3[s] += v * t3 + 3 * d * t2
        s += 1
      }
    }
  }
}

/// A bank of splines at one point x (``SplineTable/point(_:values:derivatives:)``).
@usableFromInline package struct SplinePoint {
  @usableFromInline let interior: Bool
  @usableFromInline let row: UnsafeMutablePointer<Double>
  @usableFromInline let stride: Int
  @usableFromInline let t: Double
  @usableFromInline let values: UnsafeMutablePointer<Double>
  @usableFromInline let derivatives: UnsafeMutablePointer<Double>

  @inlinable
  package init(
    interior: Bool, row: UnsafeMutablePointer<Double>, stride: Int, t: Double,
    values: UnsafeMutablePointer<Double>, derivatives: UnsafeMutablePointer<Double>
  ) {
    self.interior = interior
    self.row = row
    self.stride = stride
    self.t = t
    self.values = values
    self.derivatives = derivatives
  }

  /// Values and derivatives of splines o..<o+4 (the same operations as
  /// ``SplineTable/evaluate(_:values:derivatives:)``).
  @inlinable @inline(__always)
  package func four(_ o: Int) -> (value: SIMD4<Double>, derivative: SIMD4<Double>) {
    guard interior else { return (load4(values + o), load4(derivatives + o)) }
    let c0 = load4(row + o)
    let c1 = load4(row + stride + o)
    let c2 = load4(row + 2 * stride + o)
    let c3 = load4(row + 3 * stride + o)
    return (c0 + t * (c1 + t * (c2 + t * c3)), c1 + t * (2.0 * c2 + (3.0 * t) * c3))
  }
}
