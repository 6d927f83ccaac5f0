/// A clamped cubic spline: values at strictly increasing knots plus the first
/// derivatives at both ends (K + 2 numbers), C2 inside the knot range and
/// linear outside it (extrapolated with the end derivatives, as LAMMPS
/// `meam/spline` does).
///
/// The spline is linear in its parameters `(values, startSlope, endSlope)`;
/// ``coefficients()`` turns them into per-interval cubic polynomials, which is
/// what the kernel evaluates.
public struct CubicSpline: Equatable, Sendable {
  /// Knot positions (Å for radial splines, cos θ for angular ones), strictly increasing.
  public var knots: [Double]
  /// Spline values at the knots (eV or dimensionless, depending on the role).
  public var values: [Double]
  /// First derivative at the first knot.
  public var startSlope: Double
  /// First derivative at the last knot.
  public var endSlope: Double

  /// Creates a spline; `knots` and `values` must have the same count (at least 2).
  public init(knots: [Double], values: [Double], startSlope: Double, endSlope: Double) {
    precondition(
      knots.count >= 2 && knots.count == values.count,
      "CubicSpline needs >= 2 knots and one value per knot")
    self.knots = knots
    self.values = values
    self.startSlope = startSlope
    self.endSlope = endSlope
  }

  /// Number of parameters: K values and two end slopes.
  public var parameterCount: Int { values.count + 2 }

  /// Parameters in the canonical order `[y_0 … y_{K-1}, startSlope, endSlope]`.
  public var parameters: [Double] {
    get { values + [startSlope, endSlope] }
    set {
      precondition(newValue.count == values.count + 2)
      values = Array(newValue[0..<values.count])
      startSlope = newValue[values.count]
      endSlope = newValue[values.count + 1]
    }
  }

  /// Per-interval polynomial coefficients: for interval k (between knots k and
  /// k+1) and t = x − knots[k], S(x) = c[k][0] + t·(c[k][1] + t·(c[k][2] + t·c[k][3])).
  ///
  /// Second derivatives come from the clamped tridiagonal system (the same
  /// recurrence as Numerical Recipes `spline` and LAMMPS `meam/spline`).
  public func coefficients() -> [SIMD4<Double>] {
    let n = knots.count
    let x = knots
    let y = values
    var m = [Double](repeating: 0, count: n)  // second derivatives
    var u = [Double](repeating: 0, count: n)
    m[0] = -0.5
    u[0] = (3.0 / (x[1] - x[0])) * ((y[1] - y[0]) / (x[1] - x[0]) - startSlope)
    if n > 2 {
      for i in 1...(n - 2) {
        let sig = (x[i] - x[i - 1]) / (x[i + 1] - x[i - 1])
        let p = sig * m[i - 1] + 2.0
        m[i] = (sig - 1.0) / p
        var ui = (y[i + 1] - y[i]) / (x[i + 1] - x[i]) - (y[i] - y[i - 1]) / (x[i] - x[i - 1])
        ui = (6.0 * ui / (x[i + 1] - x[i - 1]) - sig * u[i - 1]) / p
        u[i] = ui
      }
    }
    let qn = 0.5
    let un =
      (3.0 / (x[n - 1] - x[n - 2])) * (endSlope - (y[n - 1] - y[n - 2]) / (x[n - 1] - x[n - 2]))
    m[n - 1] = (un - qn * u[n - 2]) / (qn * m[n - 2] + 1.0)
    for k in stride(from: n - 2, through: 0, by: -1) {
      m[k] = m[k] * m[k + 1] + u[k]
    }
    var c = [SIMD4<Double>](repeating: .zero, count: n - 1)
    for k in 0..<(n - 1) {
      let h = x[k + 1] - x[k]
      c[k] = SIMD4(
        y[k],
        (y[k + 1] - y[k]) / h - h * (2.0 * m[k] + m[k + 1]) / 6.0,
        0.5 * m[k],
        (m[k + 1] - m[k]) / (6.0 * h))
    }
    return c
  }

  /// Value and first derivative at `x` (slow reference path; the kernel uses ``SplineBank``).
  public func evaluate(_ x: Double) -> (value: Double, derivative: Double) {
    SplineBank(splines: [self], cutoff: .infinity).evaluateSingle(x)
  }
}

/// Uniform knots from `lower` to `upper` inclusive.
public func uniformKnots(from lower: Double, to upper: Double, count: Int) -> [Double] {
  precondition(count >= 2)
  let h = (upper - lower) / Double(count - 1)
  return (0..<count).map { $0 == count - 1 ? upper : lower + Double($0) * h }
}
