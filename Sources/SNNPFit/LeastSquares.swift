import Foundation

/// `optimizer least_squares`: the exact minimum of a loss that is quadratic in the trained
/// parameters, in one Newton step.
///
/// With the filters held fixed and one linear layer on them, energies, forces and stresses
/// are linear in the layer's weights and bias and in the pair-term spline values, so the
/// loss (weighted mean squares plus the L2 penalty) is a quadratic L(θ) = ½ θᵀHθ − bᵀθ + c
/// in the free parameters. Its gradient is then affine, ∇L(θ₀ + e_k) − ∇L(θ₀) = H e_k
/// exactly (up to round-off), so n + 1 full-batch gradients give the Hessian without a
/// second kernel, and θ* = θ₀ − H⁻¹∇L(θ₀) is the minimum: the solve a linear spline
/// potential such as UF3 makes, over the fitter's own loss (its weights, stresses and
/// config_type weights) and through the kernel everything else runs on.
public enum LeastSquares {
  /// θ₀ moved to the minimum over the parameters `free` of the quadratic whose gradient
  /// `gradient` returns (n + 1 + `refinements` gradient evaluations for n free parameters).
  ///
  /// The system is solved Jacobi-scaled (each parameter by √H_kk) with a relative ridge
  /// of `ridge` on the scaled diagonal (raised by factors of 100, at most to 1e-6, when
  /// round-off in the gradient differences leaves it indefinite), which only matters for
  /// directions the data barely determine (a knot no pair distance reaches has H_kk = 0
  /// and stays where it started).
  /// - Throws: ``FitError`` when the gradient is not finite or the system is not positive
  ///   definite (the loss is not a convex quadratic in `free`).
  public static func minimize(
    _ theta0: [Double], free: [Int], ridge: Double = 1e-12, refinements: Int = 2,
    progress: (String) -> Void = { _ in }, gradient: ([Double]) -> [Double]
  ) throws -> [Double] {
    let n = free.count
    let g0 = gradient(theta0)
    guard g0.allSatisfy(\.isFinite) else {
      throw FitError("least_squares: the loss gradient at the start is not finite")
    }
    // Column k of H: the change of the gradient along e_k (exact for a quadratic).
    var h = [Double](repeating: 0, count: n * n)
    let started = Date()
    for (column, index) in free.enumerated() {
      if column > 0 && column % max(1, n / 10) == 0 {
        let eta = Date().timeIntervalSince(started) / Double(column) * Double(n - column)
        progress(String(format: "least squares: Hessian column %d/%d, ETA %.0f s", column, n, eta))
      }
      var theta = theta0
      theta[index] += 1
      let g = gradient(theta)
      for (row, other) in free.enumerated() { h[row * n + column] = g[other] - g0[other] }
    }
    // Symmetrise (round-off), then scale by the diagonal.
    for i in 0..<n {
      for j in 0..<i {
        let m = 0.5 * (h[i * n + j] + h[j * n + i])
        h[i * n + j] = m
        h[j * n + i] = m
      }
    }
    let scale = (0..<n).map { h[$0 * n + $0] > 0 ? 1 / h[$0 * n + $0].squareRoot() : 0 }
    // A system the gradient differences make indefinite by round-off (nearly collinear
    // filters) gets the smallest ridge, in steps of 100 up to 1e-6, that factorises.
    var factor: [Double]? = nil
    var used = ridge
    while factor == nil && used <= 1e-6 {
      var a = [Double](repeating: 0, count: n * n)
      for i in 0..<n {
        for j in 0..<n { a[i * n + j] = h[i * n + j] * scale[i] * scale[j] }
        a[i * n + i] = scale[i] > 0 ? 1 + used : 1  // an undetermined direction: step 0
      }
      factor = cholesky(a, n)
      if factor == nil { used *= 100 }
    }
    guard let factor else {
      throw FitError(
        "least_squares: the loss is not a convex quadratic in the trained parameters (its Hessian stays indefinite with a relative ridge of 1e-6); is the model linear in them?"
      )
    }
    if used > ridge {
      progress(
        String(
          format:
            "least squares: relative ridge %.0e (round-off made the system indefinite at %.0e)",
          used, ridge))
    }
    // The Newton step, then `refinements` more from the new gradient with the same
    // factor (iterative refinement: it removes the round-off of the first solve).
    var theta = theta0
    var g = g0
    for step in 0...refinements {
      if step > 0 { g = gradient(theta) }
      let y = solve(factor, (0..<n).map { -g[free[$0]] * scale[$0] }, n)
      for (k, index) in free.enumerated() { theta[index] += scale[k] * y[k] }
    }
    return theta
  }

  /// The Cholesky factor L (row-major, lower) of a symmetric positive-definite n×n A;
  /// nil when A is not positive definite.
  static func cholesky(_ a: [Double], _ n: Int) -> [Double]? {
    var l = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      for j in 0...i {
        var sum = a[i * n + j]
        for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
        if i == j {
          guard sum > 0, sum.isFinite else { return nil }
          l[i * n + i] = sum.squareRoot()
        } else {
          l[i * n + j] = sum / l[j * n + j]
        }
      }
    }
    return l
  }

  /// Solves L Lᵀ x = b.
  static func solve(_ l: [Double], _ b: [Double], _ n: Int) -> [Double] {
    var y = b
    for i in 0..<n {
      for k in 0..<i { y[i] -= l[i * n + k] * y[k] }
      y[i] /= l[i * n + i]
    }
    for i in stride(from: n - 1, through: 0, by: -1) {
      for k in (i + 1)..<n { y[i] -= l[k * n + i] * y[k] }
      y[i] /= l[i * n + i]
    }
    return y
  }
}
