import SNNPCore
import Testing

@Suite struct SplineTests {
  /// A clamped cubic spline through a cubic's values with the cubic's end slopes is that cubic.
  @Test func spline_ReproducesCubicExactly() {
    let p = { (x: Double) in 0.3 - 1.2 * x + 0.7 * x * x - 0.25 * x * x * x }
    let dp = { (x: Double) in -1.2 + 1.4 * x - 0.75 * x * x }
    for knots in [uniformKnots(from: -1, to: 2.5, count: 6), [-1, -0.4, 0.1, 1.3, 1.7, 2.5]] {
      let s = CubicSpline(knots: knots, values: knots.map(p), startSlope: dp(-1), endSlope: dp(2.5))
      for x in stride(from: -0.999, through: 2.499, by: 0.0371) {
        let (v, d) = s.evaluate(x)
        #expect(abs(v - p(x)) < 1e-12, "value at \(x)")
        #expect(abs(d - dp(x)) < 1e-11, "derivative at \(x)")
      }
    }
  }

  /// Outside the knots the spline continues linearly with the end slopes.
  @Test func spline_ExtrapolatesLinearly() {
    let s = CubicSpline(
      knots: [0, 1, 2, 3], values: [1, 0.5, 0.2, 0], startSlope: -0.8, endSlope: 0)
    #expect(s.evaluate(-0.5).value == 1 + 0.4)
    #expect(s.evaluate(-0.5).derivative == -0.8)
    #expect(s.evaluate(3.7).value == 0)
    #expect(s.evaluate(3.7).derivative == 0)
  }

  /// Parameters → per-interval coefficients → parameters recovers every number.
  @Test func spline_ParameterCoefficientRoundTrip() {
    var s = CubicSpline(
      knots: [1.5, 2, 2.7, 3.1, 4], values: [0.4, -0.2, 0.1, 0.05, 0], startSlope: -2, endSlope: 0)
    let original = s.parameters
    let c = s.coefficients()
    var recovered = c.map { $0[0] }
    let h = s.knots[4] - s.knots[3]
    let last = c[3]
    recovered.append(last[0] + h * (last[1] + h * (last[2] + h * last[3])))
    recovered.append(c[0][1])
    recovered.append(last[1] + h * (2 * last[2] + 3 * h * last[3]))
    for (a, b) in zip(original, recovered) { #expect(abs(a - b) < 1e-13) }
    // The setter and getter of the parameter vector are inverse.
    s.parameters = original.map { $0 * 2 }
    #expect(s.parameters == original.map { $0 * 2 })
  }

  /// The coefficients are linear in the parameters (the fitter relies on it).
  @Test func spline_CoefficientsAreLinearInParameters() {
    let knots = uniformKnots(from: 0, to: 1, count: 5)
    let a = CubicSpline(knots: knots, values: [1, 2, 0, -1, 3], startSlope: 0.5, endSlope: -2)
    let b = CubicSpline(knots: knots, values: [0, -1, 4, 2, 1], startSlope: -1, endSlope: 1)
    var sum = a
    sum.parameters = zip(a.parameters, b.parameters).map { 2 * $0 - 3 * $1 }
    for (ca, (cb, cs)) in zip(a.coefficients(), zip(b.coefficients(), sum.coefficients())) {
      for p in 0..<4 { #expect(abs(2 * ca[p] - 3 * cb[p] - cs[p]) < 1e-12) }
    }
  }

  /// Every spline of a bank is evaluated as if on its own, and the value is continuous at knots.
  @Test func bank_MatchesSingleSplinesAndIsContinuousAtKnots() {
    let knots = uniformKnots(from: 2, to: 5, count: 7)
    let splines = (0..<3).map { k in
      CubicSpline(
        knots: knots, values: knots.map { sin(Double(k + 1) * $0) }, startSlope: 0.3, endSlope: 0)
    }
    let bank = SplineBank(splines: splines, cutoff: 5)
    for x in [1.5, 2.0, 2.25, 3.5, 4.999, 5.0, 5.5] {
      let all = bank.evaluateAll(x)
      for (k, s) in splines.enumerated() {
        let single = s.evaluate(x)
        #expect(all.values[k] == single.value)
        #expect(all.derivatives[k] == single.derivative)
      }
    }
    for knot in knots.dropFirst().dropLast() {
      let below = bank.evaluateAll(knot.nextDown).values
      let above = bank.evaluateAll(knot).values
      for k in 0..<3 { #expect(abs(below[k] - above[k]) < 1e-12) }
    }
  }
}

#if canImport(Glibc)
  import Glibc
#endif
